"""The JSON Schema (draft 2020-12) of a case file, generated from the reader's own definition.

Nothing here is written by hand: every property, type, closed set, default, required
field and description comes from :data:`timeline.fields.RECORDS` (the fields and checks
:func:`timeline.case_from_dict` reads by) and :data:`timeline.options.OPTIONS`, so a field
added to the reader is in the schema too (``tests/test_schema.py``). ``timeline schema``
prints it; ``docs/case.schema.json`` is a copy kept equal by the tests.

What a JSON Schema can say, it says: types, ``format: date`` with the ``YYYY-MM-DD``
pattern, the closed sets (``enum``), text lengths, required fields, no unknown fields
(``additionalProperties: false``, as the reader rejects them), the form of an objection's
``against`` and the fields that need a certain kind or status (``if``/``then``). What it
cannot say (one date after another, a reference to an entry that exists, the supported
range of dates) is named in the field's description and checked by ``timeline check``.

A TOML case file has real dates (``2025-11-23``); taplo (Even Better TOML) accepts a TOML
date for ``"type": "string", "format": "date"``, as the reader takes a TOML date or an ISO
string. The keywords used mean the same from draft 4 to draft 2020-12, except ``if``/``then``
(draft 7), which an older validator ignores: it then only misses the ``needs`` conditions.
"""

from __future__ import annotations

from typing import Any

from .dates import MAX_DATE, MIN_DATE
from .fields import (
    AFTER,
    BOOL,
    CHOICE,
    DATE,
    DERIVED,
    END,
    ID,
    MAX_ID,
    MAX_RECORDS,
    MAX_TEXT,
    NEEDS,
    NOT_AFTER,
    NOT_BEFORE,
    RECORDS,
    REFERENCE_FORM,
    TEXT,
    Check,
    Field,
    Record,
)
from .options import OPTIONS, Option

__all__ = ["DRAFT", "case_schema", "schema_text"]

DRAFT = "https://json-schema.org/draft/2020-12/schema"
#: A date as the reader takes it: ``YYYY-MM-DD`` (a TOML date, or an ISO string in JSON).
DATE_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
#: The order checks in words, for descriptions (the schema cannot compare dates).
_ORDER_WORDS = {AFTER: "after", NOT_BEFORE: "on or after", NOT_AFTER: "on or before"}


def _title(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _rules(rules: tuple[str, ...]) -> str:
    return f" Rules: {', '.join(rules)} (docs/rules.md)." if rules else ""


def _type(field: Field) -> dict[str, Any]:
    """The JSON Schema type keywords of a field type (:data:`timeline.fields.TYPE_CHECKS`)."""
    if field.type in (DATE, END):
        return {"type": "string", "format": "date", "pattern": DATE_PATTERN}
    if field.type == CHOICE:
        return {"type": "string", "enum": list(field.choices)}
    if field.type == BOOL:
        return {"type": "boolean"}
    if field.type == ID:
        return {"type": "string", "minLength": 1, "maxLength": MAX_ID, "pattern": "\\S"}
    assert field.type == TEXT, field.type
    return {"type": "string", "maxLength": MAX_TEXT}


def _reference_pattern(check: Check) -> str:
    """The form a reference check asks for: ``permits[0]``, ``applications[12]`` (at most 9 digits)."""
    return f"^({'|'.join(check.values)})\\[[0-9]{{1,9}}\\]$"


def _needs_words(record: Record, check: Check) -> str:
    """`` Only when kind is 'objection'.`` or, when shorter, `` Not when kind is 'objection'.``"""
    others = [c for c in record.field(check.other).choices if c not in check.values]
    if len(others) < len(check.values):
        return f" Not when {check.other} is {' or '.join(repr(v) for v in others)}."
    return f" Only when {check.other} is {' or '.join(repr(v) for v in check.values)}."


def _field(record: Record, field: Field) -> dict[str, Any]:
    """The schema of one field: its type, its description with rule IDs and the checks it takes part in."""
    text = field.description
    if field.type in (DATE, END):
        text += f" A date YYYY-MM-DD from {MIN_DATE} to {MAX_DATE}."
    if field.type == END:
        text += " The first day without the permit (DC-1); the last valid day when end_date_convention = 'inclusive'."
    out: dict[str, Any] = {"title": _title(field.name), **_type(field)}
    for check in record.checks:
        if check.field != field.name:
            continue
        if check.test in _ORDER_WORDS:
            other = check.other
            if other in DERIVED:
                other = f"the earliest of {' and '.join(DERIVED[other][1])}"
            text += f" Must be {_ORDER_WORDS[check.test]} {other} (checked by 'timeline check')."
        elif check.test == REFERENCE_FORM:
            out["pattern"] = _reference_pattern(check)
        elif check.test == NEEDS:
            text += _needs_words(record, check)
    out["description"] = text + _rules(field.rules)
    if field.default is not None:
        out["default"] = field.default
    return out


def _needs(record: Record) -> list[dict[str, Any]]:
    """``if``/``then`` for each ``needs`` check: a field given only with the other field in a set of values."""
    out = []
    for check in record.checks:
        if check.test != NEEDS:
            continue
        then: dict[str, Any] = {"properties": {check.other: {"enum": list(check.values)}}}
        if record.field(check.other).default not in check.values:  # absent means the default: not allowed
            then["required"] = [check.other]
        out.append({"if": {"required": [check.field]}, "then": then})
    return out


def _object(record: Record, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """One table of the case file: its fields, no others, the required ones, the ``needs`` conditions."""
    # The file reader gives the case id the file's name when the file has none (load_case).
    required = [f.name for f in record.fields if f.required and not (record.name == "case" and f.name == "id")]
    out: dict[str, Any] = {
        "type": "object",
        "properties": {f.name: _field(record, f) for f in record.fields} | (extra or {}),
        "additionalProperties": False,
    }
    if required:
        out["required"] = required
    needs = _needs(record)
    if needs:
        out["allOf"] = needs
    return out


def _record(record: Record) -> dict[str, Any]:
    """A table (``[person]``) or an array of tables (``[[permits]]``), at most :data:`MAX_RECORDS` entries."""
    head = {"title": _title(record.name), "description": record.description}
    if not record.many:
        return head | _object(record)
    return head | {"type": "array", "items": _object(record), "maxItems": MAX_RECORDS}


def _option_values(option: Option) -> list[str | bool | int]:
    """The values an option takes: its choices, and as the reader takes them, ``true``/``false``
    for ``yes``/``no`` and a number for a choice written in digits."""
    values: list[str | bool | int] = list(option.choices)
    values += [flag for flag, text in ((True, "yes"), (False, "no")) if text in option.choices]
    values += [int(c) for c in option.choices if c.isdigit() and str(int(c)) == c]
    return values


def _options() -> dict[str, Any]:
    properties = {
        o.key: {
            "title": o.key,
            "description": f"{o.text('en').rstrip('.')} ({o.question}; default {o.default}).",
            "enum": _option_values(o),
            "default": o.default,
        }
        for o in OPTIONS.values()
    }
    return {
        "title": "Options",
        "description": "Choices for the open questions of the law (OQ-*, docs/rules.md); see 'timeline options'.",
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }


def case_schema() -> dict[str, Any]:
    """The JSON Schema of a case file (TOML or JSON) as a dict."""
    records = {name: _record(r) for name, r in RECORDS.items() if name != "case"}
    top = _object(RECORDS["case"], {**records, "options": _options()})
    return {
        "$schema": DRAFT,
        "title": "Timeline case file",
        "description": "One person's residence history for the timeline tool (README, 'Case file reference'). "
        "Dates are YYYY-MM-DD; every table is optional unless required.",
        **top,
    }


def schema_text() -> str:
    """:func:`case_schema` as indented JSON text, ending in a newline (what ``timeline schema`` prints)."""
    import json

    return json.dumps(case_schema(), indent=2, ensure_ascii=False) + "\n"
