"""Scenario titles in words: "report by the sponsor received 9 July 2025: change date 20
September 2025", not ``notifications[0].change_date=2025-09-20`` (issue 12).

A scenario made by ``--vary`` is named by its settings, path and value; a reader gets each
setting as the record it changes, named by :mod:`timeline.records` in the base case, the
field in words ("scenario-field" texts) and the value written out (a date in words, a
choice by its label). A named scenario keeps the name its author gave it; the base case
is "base case". The path stays in the JSON (``settings``) and the CSV columns.
"""

from __future__ import annotations

from ..dates import parse_date
from ..i18n import format_date, has_label, label, lookup
from ..model import Case
from ..records import RecordName, describe, record_name
from .comparison import Comparison, Scenario
from .paths import DATE_FIELDS, parse_path

__all__ = ["scenario_title", "setting_text"]


def _value_text(field: str, value: str, lang: str) -> str:
    """A setting's value for a reader: a date in words, ``none``, a choice's label."""
    if value == "none":
        return label("scenario-none", lang)
    if field in DATE_FIELDS:
        try:
            return format_date(parse_date(value), lang)
        except ValueError:
            return value
    key = {"true": "yes", "false": "no"}.get(value, value)
    return label(key, lang) if has_label(key, lang) else value


def setting_text(case: Case | None, path: str, value: str, lang: str = "en") -> str:
    """One setting (``path=value`` of a scenario) in words, the record named in ``case``."""
    p = parse_path(path)
    if p.table == "options":
        return f"{p.field} = {value}"
    key = f"{p.table}.{p.field}" if p.table else p.field
    field = lookup("scenario-field", key, lang)
    shown = _value_text(p.field, value, lang)
    if p.field == "against" and case is not None:  # an objection's target is a record path
        shown = record_name(case, value, lang) or shown
    if p.index is None:
        return f"{field} {shown}"
    path = f"{p.table}[{p.index}]"
    named = describe(case, path) if case is not None else None
    if named is None:
        return f"{path}: {field} {shown}"
    params = dict(named.params)
    if p.field in params and p.field in DATE_FIELDS and value != "none":
        # The date the record is named by: the record as the scenario makes it
        # ("report by the sponsor received 20 August 2025").
        return RecordName(named.key, tuple({**params, p.field: parse_date(value)}.items())).text(lang)
    return f"{named.text(lang)}: {field} {shown}"


def scenario_title(cmp: Comparison, s: Scenario, lang: str = "en") -> str:
    """The title of scenario ``s`` of ``cmp``: the base case, its author's name, or its settings in words."""
    if s is cmp.base or (s.name == "base" and not s.settings):
        return label("scenario-base", lang)
    if s.name != ", ".join(f"{p}={v}" for p, v in s.settings):
        return s.name  # a named scenario: its author's words
    return "; ".join(setting_text(cmp.base.case, p, v, lang) for p, v in s.settings)
