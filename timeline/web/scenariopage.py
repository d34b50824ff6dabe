"""The scenarios page of a case (``/cases/NAME/scenarios``) and the answer of ``POST /api/scenarios``.

A date of the case (the dates it has, as :func:`timeline.scenarios.paths.date_paths` lists
them: the separation, a report's dates, an application's filing date, ...) is moved with a
slider (days from the date in the case) or tried over a date range with a step; the table
of scenarios (the values of ``timeline scenarios``, each with its difference against the
base case, the best and the worst per output marked as the library finds them) and the
comparison chart follow. The page works without script (the form is sent with ``GET`` and
the server answers with the page); ``/static/scenarios.js`` makes it live: it asks
``POST /api/scenarios`` as the controls move and replaces the table and the chart, and
saves named scenarios with ``PUT /api/cases/NAME/scenarios``. Every value is escaped.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from ..errors import TimelineError, msg
from ..i18n import count, end_convention, format_date, label, lookup, phrase
from ..io import case_to_dict
from ..model import Case
from ..scenarios import Comparison, Scenario, comparison_dict
from ..scenarios.comparison import Outcome
from ..scenarios.paths import date_paths, get_field
from ..scenarios.scenario_file import scenario_file_name
from ..scenarios.titles import scenario_title, setting_text
from ..usertext import one_line
from .caseload import Entry, Folder
from .editing import BadRequest, read_case, request_as_of, request_lang
from .pages import View, case_url, esc, page, say
from .scenarioapi import SpecError, compare, comparison_svg, saved_scenarios, scenario_file, spec_errors

__all__ = ["SHIFT_DAYS", "comparison_answer", "comparison_table", "scenario_answer", "scenario_page"]

#: The slider moves a date this many days either way.
SHIFT_DAYS = 90
#: The default range: the date in the case, this many days either way, in steps of :data:`STEP_DAYS`.
RANGE_DAYS = 90
STEP_DAYS = 15
_COLUMNS = ("gap_days", "reporting_deadline", "permanent_residence", "eu_long_term", "naturalisation")
_HEADS = ("col-gap-days", "col-reporting", "col-pr", "col-eu", "col-nat")


def _h(key: str, lang: str) -> str:
    """A text of the comparison (``scenario-KEY``, as ``timeline scenarios`` words it), escaped."""
    return esc(label(f"scenario-{key}", lang))


def _value(v: int | date | None, lang: str) -> str:
    if v is None:
        return _h("none", lang)
    return esc(format_date(v, lang)) if isinstance(v, date) else esc(v)


def _delta(output: str, s: Scenario, cmp: Comparison, lang: str) -> str:
    """The difference against the base case (``+3 days``, ``-31``), or nothing."""
    if s is cmp.base:
        return ""
    d = s.delta.get(output)
    if d is None or d == 0:
        return ""
    text = f"{d:+d}" if output == "gap_days" else count(d, "day", lang, signed=True)
    worse = "" if output == "reporting_deadline" else "worse" if d > 0 else "better"  # a deadline is not ranked
    return f' <span class="delta {worse}"><span class="sr">{say("sc-delta", lang)}: </span>{esc(text)}</span>'


def _marks(cmp: Comparison) -> dict[tuple[str, str], str]:
    """(scenario name, output): ``best`` or ``worst``, as :attr:`Comparison.extremes` names them."""
    out: dict[tuple[str, str], str] = {}
    for e in cmp.extremes:
        if e.best == e.worst:
            continue
        out[(e.worst_scenario, e.output)] = "worst"
        out[(e.best_scenario, e.output)] = "best"
    return out


def _cell(output: str, o: Outcome, s: Scenario, cmp: Comparison, mark: str | None, lang: str) -> str:
    if output == "reporting_deadline":
        text = _value(o.reporting_deadline, lang) if o.reporting_deadline else "–"
        if o.reporting_status:
            text += f"<br><small>{esc(label(o.reporting_status, lang))}</small>"
        if s.reporting_change is not None:
            return f'<td class="changed">{text}{_delta(output, s, cmp, lang)}</td>'
        return f"<td>{text}{_delta(output, s, cmp, lang)}</td>"
    text = _value(o.value(output), lang)
    if output == "naturalisation" and o.naturalisation_route:
        text += f"<br><small>{_h('route-' + o.naturalisation_route, lang)}</small>"
    badge = f' <span class="mark {mark}">{_h(mark, lang)}</span>' if mark else ""
    cls = f' class="{mark}"' if mark else ""
    return f"<td{cls}>{text}{_delta(output, s, cmp, lang)}{badge}</td>"


def comparison_table(cmp: Comparison, lang: str) -> str:
    """The scenarios side by side: one row per scenario (the base case first), each output
    with its difference against the base case, the best and the worst marked; then the best
    and worst case per output in words."""
    marks = _marks(cmp)
    head = "".join(f'<th scope="col">{_h(k, lang)}</th>' for k in _HEADS)
    rows = []
    for i, s in enumerate(cmp.scenarios):
        title = esc(one_line(scenario_title(cmp, s, lang)))
        lead = f'<td class="num">{i}</td><th scope="row">{title}</th>'
        if s.outcome is None:
            reason = f'<td colspan="{len(_COLUMNS)}">{_h("invalid", lang)}: {esc(s.error)}</td>'
            rows.append(f'<tr class="invalid">{lead}{reason}</tr>')
            continue
        o = s.outcome
        cells = "".join(_cell(k, o, s, cmp, marks.get((s.name, k)), lang) for k in _COLUMNS)
        rows.append(f"<tr{' class=base' if s is cmp.base else ''}>{lead}{cells}</tr>")
    caption = say("sc-caption", lang, n=len(cmp.scenarios))
    table = (
        f'<table class="scenarios"><caption>{caption}</caption><thead><tr><th scope="col">#</th>'
        f'<th scope="col">{_h("col-scenario", lang)}</th>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )
    return table + _extremes(cmp, lang)


def _extremes(cmp: Comparison, lang: str) -> str:
    """Per output, the best and the worst value and the settings giving each (as the text output says them)."""
    items = []
    for e in cmp.extremes:
        name = _h("out-" + e.output, lang)
        if e.best == e.worst:
            items.append(f"<li>{name}: {_value(e.best, lang)} ({_h('same', lang)})</li>")
            continue
        best = "; ".join(setting_text(cmp.base.case, p, v, lang) for p, v in e.best_settings) or label(
            "scenario-base", lang
        )
        worst = "; ".join(setting_text(cmp.base.case, p, v, lang) for p, v in e.worst_settings) or label(
            "scenario-base", lang
        )
        items.append(
            f"<li>{name}: <strong>{_h('best', lang)}</strong> {_value(e.best, lang)} ({esc(best)}); "
            f"<strong>{_h('worst', lang)}</strong> {_value(e.worst, lang)} ({esc(worst)})</li>"
        )
    if not items or len(cmp.scenarios) < 3:  # one variant against the base: its values are the difference
        return ""
    return f'<h3>{_h("extremes", lang)}</h3><ul class="extremes">{"".join(items)}</ul>'


def comparison_answer(cmp: Comparison, lang: str, chart: bool = True) -> dict[str, Any]:
    """``POST /api/scenarios``'s answer: ``comparison`` (``timeline scenarios --format json``),
    ``chart_svg`` (``-o comparison.svg``, inline; ``None`` when not asked for: drawing it
    is nearly all of the time an answer takes) and ``table_html`` (the page's table)."""
    return {
        "ok": True,
        "comparison": comparison_dict(cmp, lang),
        "chart_svg": comparison_svg(cmp, lang) if chart else None,
        "table_html": comparison_table(cmp, lang),
    }


def _case(request: dict[str, Any], folder: Folder, on: date, lang: str) -> Case | None:
    """The case the request names (``name``: a case file in the folder) or gives (``case``)."""
    if "case" in request:
        return read_case(request["case"])
    name = request.get("name")
    if not isinstance(name, str):
        raise BadRequest(msg("web-name-or-case"))
    e = folder.entry(name, None, on)
    if e is None:
        return None
    if e.case is None:
        raise SpecError([{"record": "", "field": "name", "value": name, "message": e.error_text(lang) or ""}])
    return e.case


def scenario_answer(
    request: dict[str, Any], folder: Folder, default_lang: str, today: date, query: dict[str, str] | None = None
) -> tuple[int, dict[str, Any]]:
    """The answer to ``POST /api/scenarios`` (body: ``name`` or ``case``, ``vary``,
    ``scenarios``, ``options``, ``lang``, ``as_of``, ``chart`` (``false``: no chart); ``lang``
    and ``as_of`` also in the query)."""
    query = query or {}
    lang = request_lang(request, query, default_lang)
    as_of = request_as_of(request.get("as_of") or query.get("as_of"))
    try:
        case = _case(request, folder, today, lang)
        if case is None:
            return 404, {
                "ok": False,
                "errors": [{"record": "", "field": "name", "value": "", "message": msg("web-not-found").text(lang)}],
            }
        cmp = compare(case, request, as_of or case.as_of or today, lang)
    except SpecError as err:
        return 422, {"ok": False, "errors": err.errors}
    except TimelineError as err:
        return 422, {"ok": False, "errors": spec_errors(err, lang)}
    return 200, comparison_answer(cmp, lang, request.get("chart", True) is not False)


# --------------------------------------------------------------------------- the page


def _form_state(query: dict[str, str], data: dict[str, Any], paths: list[str]) -> dict[str, Any]:
    """The page's controls from the query (a ``GET`` of the form), else their defaults: the
    separation if the case has one, moved by 0 days; a range of the date ±90 days by 15."""
    default = "relationship.separated" if "relationship.separated" in paths else paths[0]
    asked = query.get("path") or ""
    path = asked if asked in paths else default
    recorded = date.fromisoformat(str(get_field(data, path)))
    mode = "shift" if query.get("mode") == "shift" else "range"
    try:
        shift = max(-SHIFT_DAYS, min(SHIFT_DAYS, int(query.get("shift") or 0)))
    except ValueError:
        shift = 0
    return {
        "path": path,
        "mode": mode,
        "shift": shift,
        "from": query.get("from") or (recorded - timedelta(days=RANGE_DAYS)).isoformat(),
        "to": query.get("to") or (recorded + timedelta(days=RANGE_DAYS)).isoformat(),
        "step": query.get("step") or str(STEP_DAYS),
    }


def _vary_item(state: dict[str, Any]) -> dict[str, Any]:
    if state["mode"] == "shift":
        return {"path": state["path"], "shift": state["shift"]}
    return {"path": state["path"], "from": state["from"], "to": state["to"], "step": state["step"]}


def _options(case: Case, data: dict[str, Any], paths: list[str], chosen: str, lang: str) -> str:
    """One option per date of the case, in words ("separated on 1 July 2025"), with the
    default range of each for the script (``data-from``, ``data-to``)."""
    out = []
    for p in paths:
        value = str(get_field(data, p))
        d = date.fromisoformat(value)
        lo, hi = (d - timedelta(days=RANGE_DAYS)).isoformat(), (d + timedelta(days=RANGE_DAYS)).isoformat()
        text = setting_text(case, p, value, lang)
        sel = " selected" if p == chosen else ""
        out.append(
            f'<option value="{esc(p)}" data-date="{esc(value)}" data-from="{lo}" data-to="{hi}"{sel}>'
            f"{esc(one_line(text))} ({esc(p)})</option>"
        )
    return "".join(out)


def _texts(lang: str) -> dict[str, str]:
    """The texts the script writes (``{n}``: a number of days; ``{file}``: the scenario file)."""
    keys = ("working", "done-error", "saved", "saving", "conflict", "save-failed", "removed", "remove")
    out = {k: lookup("web", "sc-" + k, lang) for k in keys}
    out["day1"] = count(1, "day", lang).replace("1", "{n}", 1)
    out["days"] = count(2, "day", lang).replace("2", "{n}", 1)
    return out


def _controls(case: Case, data: dict[str, Any], paths: list[str], state: dict[str, Any], view: View, name: str) -> str:
    lang = view.lang
    shift_on = " checked" if state["mode"] == "shift" else ""
    range_on = " checked" if state["mode"] == "range" else ""
    hidden = f'<input type="hidden" name="lang" value="{esc(lang)}">'
    if view.as_of:
        hidden += f'<input type="hidden" name="as_of" value="{view.as_of.isoformat()}">'
    days = count(state["shift"], "day", lang, signed=True)
    action = case_url(name, View(lang, None, view.today), "scenarios").split("?")[0]
    return (
        f'<form id="vary" class="vary" method="get" action="{esc(action)}">'
        f"{hidden}"
        f'<div class="field"><label for="sc-path">{say("sc-path", lang)}</label>'
        f'<select id="sc-path" name="path">{_options(case, data, paths, state["path"], lang)}</select></div>'
        f'<fieldset class="how"><legend>{say("sc-how", lang)}</legend>'
        f'<div class="mode"><input type="radio" id="sc-mode-shift" name="mode" value="shift"{shift_on}>'
        f'<label for="sc-mode-shift">{say("sc-mode-shift", lang)}</label></div>'
        f'<div class="slider"><label for="sc-shift">{say("sc-shift", lang, days=SHIFT_DAYS)}</label>'
        f'<input type="range" id="sc-shift" name="shift" min="{-SHIFT_DAYS}" max="{SHIFT_DAYS}" step="1" '
        f'value="{state["shift"]}" aria-describedby="sc-shift-out">'
        f'<output id="sc-shift-out" for="sc-shift">{esc(days)}</output></div>'
        f'<div class="mode"><input type="radio" id="sc-mode-range" name="mode" value="range"{range_on}>'
        f'<label for="sc-mode-range">{say("sc-mode-range", lang)}</label></div>'
        f'<div class="range"><span><label for="sc-from">{say("sc-from", lang)}</label>'
        f'<input type="date" id="sc-from" name="from" value="{esc(state["from"])}"></span>'
        f'<span><label for="sc-to">{say("sc-to", lang)}</label>'
        f'<input type="date" id="sc-to" name="to" value="{esc(state["to"])}"></span>'
        f'<span><label for="sc-step">{say("sc-step", lang)}</label>'
        f'<input type="number" id="sc-step" name="step" min="1" max="366" value="{esc(state["step"])}"></span></div>'
        "</fieldset>"
        f'<p><button type="submit">{say("sc-compare", lang)}</button> '
        f'<span id="sc-status" class="quiet" role="status"></span></p>'
        '<ul id="sc-errors" class="errors" role="alert"></ul></form>'
    )


def _named_section(name: str, e: Entry, view: View, folder: Folder) -> tuple[str, list[dict[str, Any]], str | None]:
    """The saved named scenarios with the form to add one (shown by the script), the saved
    list (for the comparison) and the scenario file's SHA-256."""
    lang = view.lang
    path = scenario_file(folder.root, name)
    saved, sha, problem = saved_scenarios(path, e.case, lang) if path is not None else ([], None, None)
    file = scenario_file_name(name)
    items = "".join(
        f'<li data-name="{esc(s["name"])}"><strong>{esc(s["name"])}</strong>: {esc(s["text"])} '
        f'<button type="button" class="remove" hidden>{say("sc-remove", lang)}</button></li>'
        for s in saved
    )
    trouble = (
        f'<p class="error" role="alert">{say("sc-file-error", lang, file=file, error=problem)}</p>' if problem else ""
    )
    command = f"timeline scenarios {name} --scenarios {file}"
    body = (
        f'<section id="named"><h2>{say("sc-named", lang)}</h2>'
        f"<p>{say('sc-named-intro', lang, file=file)} <code>{esc(command)}</code></p>{trouble}"
        f'<ul id="saved-list" class="saved">{items}</ul>'
        f'<p id="none-saved" class="quiet"{" hidden" if saved else ""}>{say("sc-none-saved", lang)}</p>'
        f'<form id="save-form" class="save" hidden><label for="sc-name">{say("sc-name", lang)}</label> '
        f'<input id="sc-name" name="name" required maxlength="100" aria-describedby="sc-save-hint sc-save-status"> '
        f'<button type="submit" id="sc-save">{say("sc-save", lang)}</button> '
        f'<small id="sc-save-hint">{say("sc-save-hint", lang)}</small> '
        f'<span id="sc-save-status" role="status"></span></form></section>'
    )
    return body, saved, sha


def scenario_page(e: Entry, view: View, query: dict[str, str], folder: Folder) -> tuple[int, str]:
    """The scenarios page of the assessed case ``e`` (status and HTML); ``query`` holds the form's values."""
    lang, case = view.lang, e.case
    assert case is not None and e.assessment is not None
    data = case_to_dict(case)
    paths = date_paths(data)
    back = f'<a href="{esc(case_url(e.name, view))}">{say("edit-back", lang)}</a>'
    head = (
        f'<link rel="stylesheet" href="/static/scenarios.css"><h1>{say("sc-title", lang, name=one_line(case.id))}</h1>'
        f'<p class="sub"><code>{esc(e.name)}</code> · {back}</p><p class="intro">{say("sc-intro", lang)}</p>'
    )
    path_only = case_url(e.name, View(lang, None, view.today), "scenarios").split("?")[0]
    title = phrase("web", "sc-title", lang, name=one_line(case.id))
    if not paths:
        return 200, page(title, head + f'<p class="quiet">{say("sc-no-dates", lang)}</p>', view, path_only)
    state = _form_state(query, data, paths)
    named, saved, sha = _named_section(e.name, e, view, folder)
    request = {"vary": [_vary_item(state)], "scenarios": [{"name": s["name"], "set": s["set"]} for s in saved]}
    status, result = 200, ""
    try:
        cmp = compare(case, request, view.as_of or case.as_of or view.today, lang)
        table, svg = comparison_table(cmp, lang), comparison_svg(cmp, lang)
    except SpecError as err:
        status = 422
        table, svg = "", ""
        result = "".join(f"<li>{esc(x['field'])}: {esc(x['message'])}</li>" for x in err.errors)
    except TimelineError as err:
        status, table, svg = 422, "", ""
        result = f"<li>{esc(err.text(lang))}</li>"
    data_attrs = (
        f'data-name="{esc(e.name)}" data-file="{esc(scenario_file_name(e.name))}" data-lang="{esc(lang)}" '
        f'data-as-of="{esc(view.as_of.isoformat() if view.as_of else "")}" data-sha="{esc(sha or "")}" '
        f'data-saved="{esc(json.dumps(saved, ensure_ascii=False))}" '
        f'data-texts="{esc(json.dumps(_texts(lang), ensure_ascii=False))}"'
    )
    body = (
        f'{head}<div id="scenarios" class="scenario-page" {data_attrs}>'
        f"{_controls(case, data, paths, state, view, e.name)}"
        f'<ul id="sc-page-errors" class="errors">{result}</ul>'
        f'<section id="sc-result" aria-live="polite"><h2>{say("sc-table", lang)}</h2>'
        f'<div id="sc-table" class="table-wrap">{table}</div></section>'
        f'<figure id="sc-chart" class="chart" aria-label="{say("sc-chart", lang)}">{svg}</figure>'
        f"{named}</div>"
        f'<p class="quiet">{esc(end_convention(lang))}</p>'
    )
    return status, page(title, body, view, path_only, script="scenarios.js")
