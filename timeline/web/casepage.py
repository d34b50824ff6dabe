"""The HTML of a case page (``/cases/NAME``): its first screen answers the three questions
(allowed to be here now? what to do by when? when can I apply?), then the chart, every
action ahead, the key dates, each route's conditions, the explanations with their legal
basis, the assumptions, the warnings and the downloads.

The texts are the client report's (:func:`timeline.report.report_content`), the routes'
conditions those of the JSON assessment (:meth:`timeline.Assessment.to_dict`): the page
says what the report and ``timeline assess`` say, in the same words. Every value is escaped.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ..i18n import format_date, label, lookup, phrase
from ..report import report_content
from ..report.explain import namer
from ..usertext import one_line
from .caseload import SOON_DAYS, URGENT_DAYS, Entry
from .downloads import DOWNLOADS
from .pages import View, case_url, days_left, esc, page, say

__all__ = ["case_page", "invalid_case_page"]


def _h(key: str, lang: str) -> str:
    return esc(lookup("heading", key, lang))


def _rt(key: str, lang: str) -> str:
    return esc(phrase("report", key, lang))


def _link(url: str | None, text: str) -> str:
    """``text`` (already escaped) as a link to a public legal source, opened apart from the app."""
    if not url or not url.startswith("https://"):
        return text
    return f'<a href="{esc(url)}" rel="noopener noreferrer" target="_blank">{text}</a>'


def _urgency(days: int) -> str:
    return "urgent" if days <= URGENT_DAYS else "soon" if days <= SOON_DAYS else ""


def _downloads(name: str, view: View) -> str:
    lang = view.lang
    items = [f'<a class="edit" href="{esc(case_url(name, view, "edit"))}">{say("edit-link", lang)}</a>']
    items += [f'<a class="edit" href="{esc(case_url(name, view, "scenarios"))}">{say("sc-link", lang)}</a>']
    items += [f'<a href="{esc(case_url(name, view, "file"))}" download>{say("dl-file", lang)}</a>']
    items += [
        f'<a href="{esc(case_url(name, view, part))}" download>{say("dl-" + part, lang)}</a>' for part in DOWNLOADS
    ]
    return f'<nav class="downloads" aria-label="{say("downloads", lang)}">' + "".join(items) + "</nav>"


def _first_screen(c: Any, nn: dict[str, Any], view: View) -> str:
    """Now, the next actions (up to three, with their countdown) and when to apply, side by side."""
    lang = view.lang
    state = nn["status"]["state"]
    kind = "ok" if state == "permit" else "bad" if state == "gap" and not nn["status"]["expected"] else "warn"
    now = f'<section class="card now {kind}"><h2>{esc(c.headings["now"])}</h2><p>{esc(c.now)}</p></section>'
    items = []
    for row, x in list(zip(c.ahead, nn["ahead"], strict=True))[:3]:
        when, _, _, what, _ = row.cells
        mark = _urgency(x["days_left"])
        items.append(
            f'<li class="{mark}"><span class="count {mark}">{days_left(x["days_left"], lang)}</span> '
            f"<strong>{esc(when)}</strong><br>{esc(what)}</li>"
        )
    more = len(c.ahead) - len(items)
    if more > 0:
        items.append(f'<li class="quiet"><a href="#ahead">{say("more-ahead", lang, n=more)}</a></li>')
    ahead = "".join(items) or f'<li class="quiet">{esc(c.headings["none"])}</li>'
    nxt = f'<section class="card next"><h2>{esc(c.headings["ahead"])}</h2><ul>{ahead}</ul></section>'
    when = "".join(f"<li>{esc(line)}</li>" for line in c.when)
    apply = f'<section class="card when"><h2>{esc(c.headings["when"])}</h2><ul>{when}</ul></section>'
    return f'<div class="cards">{now}{nxt}{apply}</div>'


def _table(columns: tuple[str, ...], rows: Any, row_class: list[str] | None = None) -> str:
    """A table of report rows; a row's last cell links to its legal basis when it has one."""
    head = "".join(f'<th scope="col">{esc(c)}</th>' for c in columns)
    body = []
    for i, row in enumerate(rows):
        cells = [esc(c) for c in row.cells]
        if row.url:
            cells[-1] = _link(row.url, cells[-1])
        cls = f' class="{row_class[i]}"' if row_class and row_class[i] else ""
        body.append(f"<tr{cls}>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return f'<table class="plain"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def _conditions(conditions: list[dict[str, Any]], lang: str, named: Any) -> str:
    marks = {True: ("met", "✓"), False: ("not-met", "✗"), None: ("unknown", "?")}
    items = []
    for cond in conditions:
        cls, sign = marks[cond["met"]]
        word = _h({"met": "met", "not-met": "not_met", "unknown": "unknown"}[cls], lang)
        items.append(f'<li class="{cls}"><span class="mark" aria-hidden="true">{sign}</span> ')
        items[-1] += f'<span class="sr">{word}: </span>{esc(named(cond["text"]))} <small>({word})</small></li>'
    return f'<ul class="conditions">{"".join(items)}</ul>' if items else ""


def _clock(title: str, clock: dict[str, Any], lang: str, named: Any) -> str:
    if clock.get("eligible_from"):
        first = date.fromisoformat(clock["eligible_from"])
        line = f"{_h('eligible', lang)}: <strong>{esc(format_date(first, lang, weekday=True))}</strong>"
        if clock.get("clock_start"):
            line += f"; {_h('clock', lang)}: {esc(format_date(date.fromisoformat(clock['clock_start']), lang))}"
    else:
        line = f"{_h('eligible', lang)}: {_h('not_running', lang)} ({esc(clock.get('reason_text') or '')})"
    return f"<h3>{title}</h3><p>{line}</p>{_conditions(clock.get('conditions') or [], lang, named)}"


def _routes(d: dict[str, Any], lang: str, named: Any) -> str:
    """Each route to a status with its earliest date, its clock's start and its conditions
    (their records named for people by ``named``, :func:`timeline.report.explain.namer`)."""
    parts = [
        _clock(_h("pr", lang), d["permanent_residence"], lang, named),
        _clock(_h("eu", lang), d["eu_long_term"], lang, named),
    ]
    for r in d["naturalisation"]["routes"]:
        if r["applicable"]:
            parts.append(_clock(f"{_h('nat', lang)}: {esc(r['title'])} ({esc(r['rule'])})", r, lang, named))
    ir = d["independent_residence"]
    if ir is not None:
        reason = label(ir["reason"], lang) if ir.get("reason") else ""
        parts.append(_clock(_h("ind", lang), {**ir, "reason_text": reason}, lang, named))
    return "".join(parts)


def _why(c: Any, lang: str) -> str:
    """The explanations by topic, each a click away, with its legal basis linked."""
    out = []
    for t in c.topics:
        items = []
        for item in t.items:
            texts = "".join(f"<p>{esc(x)}</p>" for x in item.texts)
            basis = _link(item.url, esc(item.basis))
            rule = esc(phrase("report", "basis-rule", lang, rule=item.rule, title=item.title))
            items.append(f'<div class="why">{texts}<p class="basis">{_rt("basis", lang)} {basis} {rule}</p></div>')
        out.append(f"<details><summary>{esc(t.heading)}</summary>{''.join(items)}</details>")
    return "".join(out)


def _section(anchor: str, heading: str, body: str) -> str:
    return f'<section id="{anchor}"><h2>{heading}</h2>{body}</section>' if body else ""


def case_page(e: Entry, svg: str, view: View) -> str:
    """The page of a case that could be assessed; ``svg`` is its chart (an ``<svg>`` element)."""
    lang, a, case = view.lang, e.assessment, e.case
    assert a is not None and case is not None
    c = report_content(a, case, lang=lang)
    d = a.to_dict(lang)
    nn = d["now_and_next"]
    named = namer(
        case, lang, {x["record"]: x["name"] for x in [nn["status"], *nn["ahead"]] if x.get("record") and x.get("name")}
    )
    marks = [_urgency(x["days_left"]) for x in nn["ahead"]]
    lists = {k: "".join(f"<li>{esc(x)}</li>" for x in getattr(c, k)) for k in ("assumptions", "warnings")}
    body = (
        f"<h1>{esc(one_line(a.id))}</h1>"
        f'<p class="sub"><code>{esc(e.name)}</code> · {say("assessed-on", lang, date=a.as_of)}</p>'
        f"{_downloads(e.name, view)}{_first_screen(c, nn, view)}"
        f'<figure class="chart" aria-label="{esc(c.headings["chart"])}">{svg}</figure>'
        + _section("ahead", esc(c.headings["ahead"]), _table(c.ahead_columns, c.ahead, marks) if c.ahead else "")
        + _section("key-dates", esc(c.headings["key-dates"]), _table(c.key_columns, c.key_dates))
        + _section("routes", esc(c.headings["when"]), _routes(d, lang, named))
        + _section("case", esc(c.headings["case"]), f"<p>{esc(c.description)}</p>" if c.description else "")
        + _section("why", esc(c.headings["why"]), _why(c, lang))
        + _section("warnings", esc(c.headings["warnings"]), f"<ul>{lists['warnings']}</ul>" if c.warnings else "")
        + _section("assumptions", esc(c.headings["assumptions"]), f"<ul>{lists['assumptions']}</ul>")
        + f'<p class="quiet">{esc(c.convention)}</p>'
    )
    return page(one_line(a.id), body, view, case_url(e.name, View(lang, None, view.today)).split("?")[0])


def invalid_case_page(e: Entry, view: View) -> str:
    """The page of a case file that could not be read or assessed: its error, and the file itself."""
    lang = view.lang
    link = f'<a href="{esc(case_url(e.name, view, "edit"))}">{say("edit-link", lang)}</a> · '
    link += f'<a href="{esc(case_url(e.name, view, "file"))}" download>{say("dl-file", lang)}</a>'
    body = (
        f'<h1>{esc(e.name)}</h1><section class="invalid"><h2>{say("cannot-assess", lang)}</h2>'
        f"<p>{esc(e.error_text(lang))}</p></section><p>{link}</p>"
    )
    return page(e.name, body, view, case_url(e.name, View(lang, None, view.today)).split("?")[0])
