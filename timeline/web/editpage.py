"""The edit page of a case (``/cases/NAME/edit``): a form generated from the one definition
of the case file's fields (:data:`timeline.fields.RECORDS`, and the options of
:data:`timeline.options.OPTIONS`), filled with the file's values.

Each field is labelled with the name the scenarios use for it (catalogue context
``scenario-field``), each closed set is a ``<select>`` (its values named as the report
names them where the catalogue has a name), each date an ``<input type=date>``. Entries of
the lists (permits, applications, ...) are added from a ``<template>`` and removed with a
button. ``/static/edit.js`` sends the form to ``POST /api/assess`` as you type and saves
with ``PUT /cases/NAME``; the page works with the strict Content-Security-Policy (no
inline script). Every value is escaped.
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple

from ..errors import TimelineError
from ..fields import RECORDS, Field, Record
from ..i18n import MissingText, count, has_label, label, lookup, phrase
from ..options import OPTIONS
from ..records import record_name
from .editing import BadRequest, read_case
from .pages import View, case_url, esc, page, say

__all__ = ["REFERENCED", "REFERENCE_FIELDS", "Refs", "edit_page", "field_label", "references"]

_INPUT = {"date": "date", "end": "date", "text": "text", "id": "text"}
#: The fields that name another entry of the case (an objection's decision, R3.2): a list of the entries.
REFERENCE_FIELDS = ("against",)
#: The lists whose entries such a field can name, with the fields their names for people are
#: made of (:func:`timeline.records.describe`): a change to one of them makes the name stale.
REFERENCED = {"permits": ("purpose", "start"), "applications": ("kind", "received")}


class Refs(NamedTuple):
    """The entries a reference field can name: their paths in file order (``permits[0]``),
    their names for people where the case can be read (``names``), and the path of the row
    the field is in (``own``: an objection cannot name itself)."""

    paths: tuple[str, ...]
    names: dict[str, str]
    own: str = ""


def references(data: dict[str, Any], lang: str) -> Refs:
    """The entries of the case file's fields ``data`` a reference can name, each named by
    :func:`timeline.records.record_name` when the case reads (else by its row's number)."""
    counts = {name: _entries(data.get(name)) for name in REFERENCED}  # the rows of the form, as _many makes them
    paths = tuple(f"{name}[{i}]" for name, n in counts.items() for i in range(n))
    try:
        case = read_case(data)
    except (TimelineError, BadRequest):
        return Refs(paths, {})
    return Refs(paths, {p: n for p in paths if (n := record_name(case, p, lang)) is not None})


def _entries(values: Any) -> int:
    return sum(isinstance(v, dict) for v in values) if isinstance(values, list) else 0


def _ref_text(path: str, refs: Refs, lang: str) -> str:
    """ "Permit 1: partner permit of 11 March 2021" (escaped): the row's legend and its name."""
    name, _, rest = path.partition("[")
    legend = say(f"row-{name}", lang, n=int(rest[:-1]) + 1)
    return legend + (": " + esc(refs.names[path]) if path in refs.names else "")


def _reference(common: str, value: Any, refs: Refs, lang: str) -> str:
    """A reference field as a list of the case's entries (``edit.js`` keeps it in step with the rows)."""
    opts = [f'<option value="">{say("against-latest", lang)}</option>']
    offered = [p for p in refs.paths if p != refs.own]
    for group in REFERENCED:
        items = [
            f'<option value="{esc(p)}"{" selected" if value == p else ""}>{_ref_text(p, refs, lang)}</option>'
            for p in offered
            if p.startswith(group + "[")
        ]
        opts.append(f'<optgroup label="{say("rec-" + group, lang)}" data-group="{group}">{"".join(items)}</optgroup>')
    if value not in (None, "") and value not in offered:  # kept, so that the reader's message appears beside it
        shown = value if isinstance(value, str) else json.dumps(value)
        text = say("against-missing", lang, value=shown)
        opts.append(f'<option value="{esc(shown)}" selected data-missing="1">{text}</option>')
    return f'<select {common} data-ref="1">{"".join(opts)}</select>'


def field_label(record: str, field: str, lang: str) -> str:
    """The field's name for people ("Date of birth", "Geboortedatum"), unescaped."""
    key = field if record == "case" else f"{record}.{field}"
    text = lookup("scenario-field", key, lang).rstrip(": ")
    return text[:1].upper() + text[1:]


def _choice_name(record: str, field: str, value: str, lang: str) -> str:
    """A closed-set value's name for this field (``choice-record.field.value``), else the
    report's name of the value, else the value itself."""
    try:
        return phrase("web", f"choice-{record}.{field}.{value}", lang)
    except MissingText:
        return label(value, lang) if has_label(value, lang) else value


def _control(r: Record, f: Field, value: Any, ident: str, lang: str, refs: Refs | None = None) -> str:
    """The input of field ``f`` with ``value`` (``None``: not in the file)."""
    common = f'id="{ident}" data-field="{esc(f.name)}" aria-describedby="{ident}-err"'
    if f.name in REFERENCE_FIELDS and refs is not None:
        return _reference(common, value, refs, lang)
    if f.type == "choice":
        if f.default is not None:
            blank = say("not-given-default", lang, default=_choice_name(r.name, f.name, str(f.default), lang))
        else:
            blank = say("not-given", lang)
        opts = [f'<option value="">{blank}</option>']
        choices = list(f.choices) + ([str(value)] if value is not None and str(value) not in f.choices else [])
        for c in choices:
            sel = " selected" if value is not None and str(value) == c else ""
            opts.append(f'<option value="{esc(c)}"{sel}>{esc(_choice_name(r.name, f.name, c, lang))}</option>')
        return f"<select {common}>{''.join(opts)}</select>"
    if f.type == "bool":
        checked = " checked" if value is True else ""
        return f'<input type="checkbox" {common} data-type="bool"{checked}>'
    shown = "" if value is None else value if isinstance(value, str) else json.dumps(value)
    if f.name == "description":
        return f'<textarea {common} rows="2">{esc(shown)}</textarea>'
    kind = _INPUT[f.type]
    return f'<input type="{kind}" {common} value="{esc(shown)}"' + (' maxlength="200"' if f.type == "id" else "") + ">"


def _field(r: Record, f: Field, values: dict[str, Any], prefix: str, lang: str, refs: Refs | None = None) -> str:
    ident = f"{prefix}-{f.name}"
    req = f' <abbr class="req" title="{say("required", lang)}">*</abbr>' if f.required else ""
    rules = f'<small class="rules">{esc(", ".join(f.rules))}</small>' if f.rules else ""
    wide = " wide" if f.type == "text" else ""
    return (
        f'<div class="field{wide}"><label for="{ident}">{esc(field_label(r.name, f.name, lang))}{req}</label>'
        f"{_control(r, f, values.get(f.name), ident, lang, refs)}{rules}"
        f'<p class="field-error" id="{ident}-err" role="alert" hidden></p></div>'
    )


def _fields(r: Record, values: dict[str, Any], prefix: str, lang: str, refs: Refs | None = None) -> str:
    return '<div class="grid">' + "".join(_field(r, f, values, prefix, lang, refs) for f in r.fields) + "</div>"


def _row(r: Record, values: dict[str, Any], i: int | str, lang: str, refs: Refs | None = None) -> str:
    n = i + 1 if isinstance(i, int) else ""
    legend = say(f"row-{r.name}", lang, n=n)
    template = say(f"row-{r.name}", lang, n="{n}")
    path = f"{r.name}[{i}]"
    named = ""
    if r.name in REFERENCED:  # a row an objection can name: its name for people, and the fields it is made of
        name = refs.names.get(path, "") if refs is not None and isinstance(i, int) else ""
        named = f' data-name="{esc(name)}" data-named-by="{" ".join(REFERENCED[r.name])}"'
    mine = refs._replace(own=path) if refs is not None and isinstance(i, int) else refs
    return (
        f'<fieldset class="row" data-record="{r.name}" data-legend="{template}"{named}><legend>{legend}</legend>'
        f"{_fields(r, values, f'f-{r.name}-{i}', lang, mine)}"
        f'<button type="button" class="remove">{say("remove-row", lang)}</button></fieldset>'
    )


def _single(r: Record, values: Any, lang: str) -> str:
    values = values if isinstance(values, dict) else {}
    return (
        f'<fieldset class="record" data-record="{r.name}"><legend>{say("rec-" + r.name, lang)}</legend>'
        f"{_fields(r, values, 'f-' + r.name, lang)}"
        '<p class="field-error record-error" role="alert" hidden></p></fieldset>'
    )


def _many(r: Record, values: Any, lang: str, refs: Refs | None = None) -> str:
    entries = [v for v in values if isinstance(v, dict)] if isinstance(values, list) else []
    rows = "".join(_row(r, v, i, lang, refs) for i, v in enumerate(entries))
    return (
        f'<section class="records" data-record="{r.name}"><h2>{say("rec-" + r.name, lang)}</h2>'
        f'<div class="rows">{rows}</div>'
        f'<button type="button" class="add" data-record="{r.name}">{say("add-" + r.name, lang)}</button>'
        f'<template id="tpl-{r.name}">{_row(r, {}, "new", lang, refs)}</template>'
        f'<p class="field-error record-error" role="alert" hidden></p></section>'
    )


def _options(values: Any, lang: str) -> str:
    values = values if isinstance(values, dict) else {}
    items = []
    for o in OPTIONS.values():
        ident = f"f-options-{o.key}"
        have = values.get(o.key)
        opts = [f'<option value="">{say("not-given-default", lang, default=o.default)}</option>']
        opts += [f'<option value="{esc(c)}"{" selected" if have == c else ""}>{esc(c)}</option>' for c in o.choices]
        items.append(
            f'<div class="field option"><label for="{ident}">{esc(o.key)} <small>({esc(o.question)})</small></label>'
            f'<select id="{ident}" data-field="{esc(o.key)}" aria-describedby="{ident}-help">{"".join(opts)}</select>'
            f'<small class="help" id="{ident}-help">{esc(o.text(lang))}</small></div>'
        )
    return (
        f'<details class="options"><summary>{say("rec-options", lang)}</summary>'
        f'<fieldset class="record" data-record="options"><legend class="sr">{say("rec-options", lang)}</legend>'
        f'<div class="grid">{"".join(items)}</div><p class="field-error record-error" role="alert" hidden></p>'
        "</fieldset></details>"
    )


def _texts(lang: str) -> dict[str, str]:
    """The texts the script writes, from the catalogues (``{n}``: a number of days)."""
    keys = ("saved", "saving", "unsaved", "checking", "valid", "invalid", "conflict", "save-failed", "today")
    out = {k: phrase("web", "edit-" + k, lang) for k in keys if k != "today"}
    out["today"] = phrase("now", "today", lang)
    out["nothing-ahead"] = phrase("now", "nothing-ahead", lang)
    out["against-removed"] = lookup("web", "against-removed", lang)  # {legend} filled by the script
    out["day1"] = count(1, "day", lang).replace("1", "{n}", 1)
    out["days"] = count(2, "day", lang).replace("2", "{n}", 1)
    return out


def _report_heading(key: str, lang: str) -> str:
    """A heading of the report's first page, as the case page shows it."""
    return esc(phrase("report", key, lang))


def _live(lang: str) -> str:
    return (
        f'<aside class="live" tabindex="0" aria-label="{say("live-result", lang)}">'
        f'<p id="check" class="check" role="status">{say("edit-checking", lang)}</p>'
        '<ul id="errors" class="errors" hidden></ul><div id="result" hidden>'
        f'<section class="card now" id="now"><h2>{_report_heading("heading-now", lang)}</h2><p></p></section>'
        f'<section class="card next"><h2>{_report_heading("heading-ahead", lang)}</h2><ul id="ahead"></ul></section>'
        f'<section class="card when"><h2>{_report_heading("heading-when", lang)}</h2><ul id="when"></ul></section>'
        f'<figure class="chart" id="chart" aria-label="{say("live-chart", lang)}"></figure>'
        "</div></aside>"
    )


def edit_page(name: str, data: dict[str, Any], sha: str, view: View) -> str:
    """The edit page of case file ``name`` holding ``data`` (its fields) at version ``sha``."""
    lang = view.lang
    parts = []
    refs = references(data, lang)
    for r in RECORDS.values():
        if r.name == "case":
            parts.append(_single(r, data, lang))
        elif r.many:
            parts.append(_many(r, data.get(r.name), lang, refs))
        else:
            parts.append(_single(r, data.get(r.name), lang))
    parts.append(_options(data.get("options"), lang))
    texts = esc(json.dumps(_texts(lang), ensure_ascii=False))
    back = f'<a href="{esc(case_url(name, view))}">{say("edit-back", lang)}</a>'
    body = (
        f'<h1>{say("edit-title", lang, name=name)}</h1><p class="sub"><code>{esc(name)}</code> · {back}</p>'
        f'<p class="intro">{say("edit-intro", lang)}</p>'
        f'<div class="editor"><form id="edit" novalidate data-name="{esc(name)}" data-sha="{esc(sha)}" '
        f'data-lang="{esc(lang)}" data-as-of="{esc(view.as_of.isoformat() if view.as_of else "")}" '
        f'data-texts="{texts}">'
        f'<div class="toolbar"><button type="submit" id="save">{say("save", lang)}</button>'
        f'<span id="saved" class="quiet" role="status"></span></div>'
        f"{''.join(parts)}</form>{_live(lang)}</div>"
    )
    path = case_url(name, View(lang, None, view.today), "edit").split("?")[0]
    return page(phrase("web", "edit-title", lang, name=name), body, view, path, script="edit.js")
