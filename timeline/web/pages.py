"""The HTML of the pages: the caseload (``/``) and a case (``/cases/NAME``).

Every value from a case file, an error message or the query is escaped with
:func:`html.escape` before it is put in the page (case files are untrusted input); the
texts come from the catalogues (context ``web``, and the report's and "now and next"'s own
texts where the page says the same thing). The pages load only ``/static/app.css`` and
``/static/caseload.js`` from the server itself.
"""

from __future__ import annotations

from datetime import date, timedelta
from html import escape
from typing import Any
from urllib.parse import quote, urlencode

from ..errors import text_in
from ..i18n import LANGS, count, format_date, lookup, phrase
from ..usertext import one_line
from .caseload import CaseRow

__all__ = [
    "View",
    "case_url",
    "caseload_page",
    "days_left",
    "error_page",
    "esc",
    "number",
    "page",
    "say",
    "status_short",
    "view_query",
]


def esc(value: Any) -> str:
    """``value`` as text safe inside an HTML element or a quoted attribute."""
    return escape("" if value is None else str(value), quote=True)


def say(key: str, lang: str, **params: Any) -> str:
    """The web text ``key`` in ``lang`` (catalogue context ``web``), escaped, dates written out."""
    values = {k: format_date(v, lang) if isinstance(v, date) else v for k, v in params.items()}
    return esc(phrase("web", key, lang, **values))


class View:
    """What a page is asked for: the language, an evaluation date (``None``: each case's
    own, else today), the filter, and today's date."""

    def __init__(self, lang: str, as_of: date | None, today: date, query: str = "") -> None:
        self.lang, self.as_of, self.today, self.query = lang, as_of, today, query


def view_query(view: View, **changes: Any) -> str:
    """The query string (with its ``?``) that keeps ``view``'s language and date, with ``changes``."""
    params = {"lang": view.lang, "as_of": view.as_of.isoformat() if view.as_of else None, **changes}
    kept = {k: v for k, v in params.items() if v}
    return "?" + urlencode(kept) if kept else ""


def case_url(name: str, view: View, part: str = "") -> str:
    """The address of case file ``name`` (``part``: one of its downloads), every character quoted."""
    return f"/cases/{quote(name, safe='')}" + (f"/{part}" if part else "") + view_query(view)


def _lang_switch(view: View, path: str) -> str:
    links = []
    for lang in LANGS:
        name = esc(phrase("web", f"lang-{lang}", view.lang))
        if lang == view.lang:
            links.append(f'<strong aria-current="true">{name}</strong>')
        else:
            links.append(f'<a href="{esc(path + view_query(view, lang=lang))}" hreflang="{lang}">{name}</a>')
    return '<nav class="lang" aria-label="' + say("language", view.lang) + '">' + " | ".join(links) + "</nav>"


def page(title: str, body: str, view: View, path: str, script: str | None = None) -> str:
    """A whole HTML document: ``title`` (escaped here), ``body`` (already HTML), the language switch."""
    js = f'<script src="/static/{script}" defer></script>' if script else ""
    return (
        f'<!DOCTYPE html>\n<html lang="{esc(view.lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f'<title>{esc(title)} · timeline</title><link rel="stylesheet" href="/static/app.css">{js}</head>'
        f'<body><header class="top"><a class="home" href="/{view_query(view)}">timeline</a>'
        f"{_lang_switch(view, path)}</header><main>{body}</main>"
        f"<footer>{say('footer', view.lang)}</footer></body></html>\n"
    )


def error_page(status: int, message: str, view: View) -> str:
    """A short page for an error (``message`` escaped here)."""
    body = f"<h1>{status}</h1><p class='error'>{esc(text_in(message, view.lang))}</p><p><a href='/{view_query(view)}'>"
    body += say("back", view.lang) + "</a></p>"
    return page(str(status), body, view, "/")


def status_short(status: dict[str, Any], lang: str) -> str:
    """The status today in a few words (escaped): with a permit until ..., in a gap since ..., none."""
    state, until = status["state"], status.get("until")
    if state == "permit" and until:
        text = say("short-permit", lang, last_day=date.fromisoformat(until) - timedelta(days=1))
    elif state == "permit":
        text = say("short-permit-no-end", lang)
    elif state == "gap" and status.get("expected"):
        text = say("short-expected", lang, since=date.fromisoformat(status["since"]))
    elif state == "gap":
        text = say("short-gap", lang, since=date.fromisoformat(status["since"]), days=status.get("days") or 0)
    else:
        text = say("short-none", lang)
    if status.get("procedural") and state != "permit":
        text += "<br><small>" + say("short-procedural", lang, basis=status["procedural"]) + "</small>"
    return text


def days_left(days: int, lang: str) -> str:
    """ "today" or "N days" (escaped)."""
    return esc(phrase("now", "today", lang) if days == 0 else count(days, "day", lang))


def _badge(urgency: str, lang: str) -> str:
    return f'<span class="badge {urgency}">{say("badge-" + urgency, lang)}</span>' if urgency else ""


def _case_row(r: CaseRow, view: View) -> str:
    lang = view.lang
    nxt, when = r.next, r.when
    if nxt:
        next_cell = f"{esc(nxt['what'])}<br><small>{esc(format_date(date.fromisoformat(nxt['date']), lang))}</small>"
        left = days_left(nxt["days_left"], lang)
        sort_left = nxt["days_left"]
    else:
        next_cell, left, sort_left = f'<span class="quiet">{say("nothing-ahead", lang)}</span>', "–", ""
    if when is None:
        when_cell = '<span class="quiet">–</span>'
    elif when["can_apply_now"]:
        when_cell = say("when-now", lang, what=when["what"])
    else:
        when_cell = say("when-date", lang, what=when["what"], date=date.fromisoformat(when["date"]))
    warn = f'<span class="warn">{r.warnings}</span>' if r.warnings else '<span class="quiet">0</span>'
    search = " ".join(x for x in (r.name, r.id or "") if x)
    on = ""
    if r.as_of and r.as_of != view.today.isoformat() and view.as_of is None:  # the file's own as_of
        on = f'<br><small class="as-of">{say("row-as-of", lang, date=date.fromisoformat(r.as_of))}</small>'

    return (
        f'<tr class="{esc(r.urgency)}" data-search="{esc(search.casefold())}" data-left="{esc(sort_left)}">'
        f'<td><a href="{esc(case_url(r.name, view))}">{esc(one_line(r.id or ""))}</a>'
        f'<br><small class="file">{esc(r.name)}</small></td>'
        f"<td>{status_short(r.status or {'state': 'none'}, lang)}{on}</td>"
        f'<td>{next_cell}</td><td class="num">{left} {_badge(r.urgency, lang)}</td>'
        f'<td>{when_cell}</td><td class="num">{warn}</td></tr>'
    )


def number(n: int, lang: str) -> str:
    """``n`` with the catalogue's thousands separator ("2,000", "2.000")."""
    return f"{n:,d}".replace(",", lookup("number", "thousands-separator", lang))


def _invalid(rows: list[CaseRow], view: View) -> str:
    """The files that could not be read, each with its error (open when there are a few)."""
    if not rows:
        return ""
    items = "".join(
        f"<li><code>{esc(r.name)}</code>: {esc((r.error or '').removeprefix(r.name + ': '))}</li>" for r in rows
    )
    heading = say("invalid", view.lang, n=number(len(rows), view.lang))
    opened = " open" if len(rows) <= 5 else ""
    return f'<details class="invalid"{opened}><summary>{heading}</summary><ul>{items}</ul></details>'


def _filter_form(view: View, shown: int, total: int) -> str:
    lang = view.lang
    hidden = "".join(
        f'<input type="hidden" name="{k}" value="{esc(v)}">'
        for k, v in (("lang", lang), ("as_of", view.as_of.isoformat() if view.as_of else ""))
        if v
    )
    clear = f' <a href="/{view_query(view)}">{say("clear", lang)}</a>' if view.query else ""
    return (
        f'<form class="filter" method="get" action="/" role="search">{hidden}'
        f'<label for="q">{say("filter", lang)}</label> '
        f'<input id="q" name="q" type="search" value="{esc(view.query)}" placeholder="{say("filter-hint", lang)}">'
        f' <button type="submit">{say("filter-button", lang)}</button>{clear}'
        f' <span id="shown" class="quiet" aria-live="polite" data-template="{esc(lookup("web", "shown", lang))}">'
        f"{say('shown', lang, shown=number(shown, lang), total=number(total, lang))}</span>"
        "</form>"
    )


def caseload_page(cases: list[CaseRow], invalid: list[CaseRow], total: int, folder: str, view: View) -> str:
    """The caseload: the filter, the files that could not be read, then one row per case, most urgent first."""
    lang = view.lang
    heads = "".join(
        f'<th scope="col">{say("col-" + k, lang)}</th>'
        for k in ("client", "status", "next", "left", "when", "warnings")
    )
    rows = "".join(_case_row(r, view) for r in cases)
    table = (
        f'<table class="caseload"><thead><tr>{heads}</tr></thead><tbody>{rows}</tbody></table>'
        if cases
        else f'<p class="quiet">{say("no-cases" if not view.query else "no-match", lang)}</p>'
    )
    on = say("as-of-fixed", lang, date=view.as_of) if view.as_of else say("as-of-own", lang, today=view.today)
    files = say("folder", lang, folder=folder, files=count(total, "case-file", lang, sep=True))
    body = (
        f'<h1>{say("caseload", lang)}</h1><p class="sub">{files} {on}</p>'
        f"{_filter_form(view, len(cases) + len(invalid), total)}{_invalid(invalid, view)}{table}"
        f'<nav class="downloads" aria-label="{say("downloads", lang)}"><a href="'
        f'{esc("/cases.csv" + view_query(view, q=view.query))}" download>{say("dl-caseload-csv", lang)}</a></nav>'
        f"{_new_case_form(view)}"
        f'<p class="legend">{_legend(lang)}</p>'
    )
    return page(phrase("web", "caseload", lang), body, view, "/", script="caseload.js")


def _new_case_form(view: View) -> str:
    """A new case file from a template (``POST /cases`` by caseload.js, which then opens its edit page)."""
    lang = view.lang
    return (
        f'<form class="new-case" id="new-case" data-lang="{esc(lang)}"><label for="new-name">{say("new-case", lang)}: '
        f'{say("new-name", lang)}</label> <input id="new-name" name="name" required '
        f'placeholder="client-2026.toml" aria-describedby="new-hint new-error"> '
        f'<button type="submit">{say("new-button", lang)}</button> <small id="new-hint">{say("new-hint", lang)}</small>'
        '<span id="new-error" class="error" role="alert"></span></form>'
    )


def _legend(lang: str) -> str:
    return " ".join(f"{_badge(u, lang)} {say('legend-' + u, lang)}" for u in ("urgent", "soon", "gap"))
