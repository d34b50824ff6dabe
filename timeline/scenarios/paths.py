"""The path language of scenarios: a field of the case file, named as the README writes it.

``as_of``, ``relationship.separated``, ``sponsor.status``, ``permits[1].end``,
``notifications[0].change_date``, ``options.withdrawal_effective``: :func:`parse_path`
checks a path against the case-file schema (:data:`timeline.io.RECORD_FIELDS`) and the
options; :func:`check_exists` checks that the record it names is in a case;
:func:`set_field` sets it in a case's dictionary.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, NamedTuple

from ..errors import TimelineError, msg
from ..io import DATE_FIELDS
from ..model import (
    APPLICATION_KINDS,
    END_REASONS,
    NOTIFIERS,
    OUTCOMES,
    PLACES,
    PURPOSES,
    RELATIONSHIP_KINDS,
    SPONSOR_STATUSES,
)

__all__ = [
    "BOOL_FIELDS",
    "CHOICES",
    "DATE_FIELDS",
    "UNSET",
    "Path",
    "ScenarioError",
    "check_exists",
    "closest",
    "date_paths",
    "get_field",
    "parse_path",
    "set_field",
]

_TOP = ("id", "as_of", "description")
_TABLES = ("person", "sponsor", "relationship")
_ARRAYS = ("permits", "notifications", "applications", "absences")
BOOL_FIELDS = frozenset({"turkish_national", "excused"})
CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    ("sponsor", "status"): SPONSOR_STATUSES,
    ("relationship", "kind"): RELATIONSHIP_KINDS,
    ("relationship", "cohabitation_place"): PLACES,
    ("relationship", "end_reason"): END_REASONS,
    ("permits", "purpose"): tuple(PURPOSES),
    ("applications", "purpose"): tuple(PURPOSES),
    ("applications", "kind"): APPLICATION_KINDS,
    ("applications", "outcome"): OUTCOMES,
    ("notifications", "by"): NOTIFIERS,
}
#: The value "none": remove an optional field.
UNSET = object()


class ScenarioError(TimelineError):
    """A ``--vary``, a path, a value or a scenario file that cannot be used."""


class Path(NamedTuple):
    """A field of the case file: ``table`` ("" top level, "options", "permits", ...), ``index``, ``field``."""

    text: str
    table: str
    index: int | None  # type: ignore[assignment]  # a field named like tuple.index (the record's position)
    field: str

    @property
    def kind(self) -> str:
        """``date``, ``bool``, ``choice``, ``option`` or ``text``."""
        if self.table == "options":
            return "option"
        if self.field in DATE_FIELDS:
            return "date"
        if self.field in BOOL_FIELDS:
            return "bool"
        if (self.table, self.field) in CHOICES:
            return "choice"
        return "text"


def closest(text: str, candidates: Iterable[str]) -> str:
    """`` Did you mean 'x'?`` for the candidate closest to ``text`` (a :class:`~timeline.errors.Message`), or ``""``."""
    import difflib  # only on the error path

    close = difflib.get_close_matches(text, list(candidates), n=1, cutoff=0.6)
    return msg("did-you-mean", close=repr(close[0])) if close else ""


def _schema_paths(index: int = 0) -> list[str]:
    """Every path of the schema, records numbered ``index`` (for suggestions)."""
    from ..io import RECORD_FIELDS
    from ..options import OPTIONS

    out = list(_TOP)
    out += [f"{t}.{f}" for t in _TABLES for f in RECORD_FIELDS[t]]
    out += [f"{a}[{index}].{f}" for a in _ARRAYS for f in RECORD_FIELDS[a]]
    out += [f"options.{k}" for k in OPTIONS]
    return out


def parse_path(text: str) -> Path:
    """Parse a case-file path such as ``permits[1].end`` or ``options.withdrawal_effective``.

    Raises
    ------
    ScenarioError
        When the path is malformed or names no field of the case-file schema (the message
        suggests the closest valid path).

    Examples
    --------
    >>> parse_path("permits[1].end")
    Path(text='permits[1].end', table='permits', index=1, field='end')
    >>> parse_path("relationship.seperated")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    timeline.scenarios.paths.ScenarioError: no field 'relationship.seperated' in a case file. Did you mean ...
    """
    from ..io import RECORD_FIELDS
    from ..options import OPTIONS

    text = text.strip()
    head, dot, field = text.partition(".")
    index: int | None = None
    name = head
    if "[" in head:
        name, _, rest = head.partition("[")
        number = rest[:-1] if rest.endswith("]") else ""
        if not number.isdigit() or not number.isascii():
            raise ScenarioError(msg("path-index", path=repr(text)))
        index = int(number)
    guess = _schema_paths(index or 0)

    def unknown() -> ScenarioError:
        return ScenarioError(msg("path-unknown", path=repr(text), hint=closest(text, guess)))

    if not dot:
        if index is None and name in _TOP:
            return Path(text, "", None, name)
        if name in _ARRAYS and index is None:
            example = next(f for f in RECORD_FIELDS[name] if f in DATE_FIELDS)
            raise ScenarioError(msg("path-list", path=repr(text), example=f"{name}[0].{example}"))
        raise unknown()
    if "." in field or not field:
        raise unknown()
    if name == "options" and index is None:
        if field not in OPTIONS:
            raise ScenarioError(msg("path-option", option=repr(field), hint=closest(text, guess), valid=tuple(OPTIONS)))
        return Path(text, "options", None, field)
    if name in _TABLES and index is None:
        if field not in RECORD_FIELDS[name]:
            raise unknown()
        return Path(text, name, None, field)
    if name in _ARRAYS:
        if index is None:
            example = f"{name}[0].{field}"
            raise ScenarioError(
                msg("path-which-record", path=repr(text), name=name, example=example, hint=closest(example, guess))
            )
        if field not in RECORD_FIELDS[name]:
            raise unknown()
        return Path(text, name, index, field)
    raise unknown()


def _case_paths(data: Mapping[str, Any]) -> list[str]:
    """Every path of the case ``data``, its records numbered as they are (for suggestions)."""
    from ..io import RECORD_FIELDS
    from ..options import OPTIONS

    out = list(_TOP)
    out += [f"{t}.{f}" for t in _TABLES for f in RECORD_FIELDS[t]]
    for a in _ARRAYS:
        for i in range(len(data.get(a) or [])):
            out += [f"{a}[{i}].{f}" for f in RECORD_FIELDS[a]]
    out += [f"options.{k}" for k in OPTIONS]
    return out


def date_paths(data: Mapping[str, Any]) -> list[str]:
    """The paths of the date fields the case ``data`` has a value for, in the order of the
    case-file schema (records in file order): the dates a scenario can move.

    >>> date_paths({"id": "x", "relationship": {"separated": "2025-07-01", "kind": "marriage"},
    ...             "permits": [{"purpose": "partner", "start": "2021-03-11"}]})
    ['relationship.separated', 'permits[0].start']
    """
    return [
        p for p in _case_paths(data) if p != "id" and parse_path(p).kind == "date" and get_field(data, p) is not None
    ]


def get_field(data: Mapping[str, Any], path: Path | str) -> Any:
    """The value of the field ``path`` in the case ``data`` (as written there), or ``None``."""
    p = parse_path(path) if isinstance(path, str) else path
    if p.table == "":
        return data.get(p.field)
    table = data.get(p.table)
    if p.index is None:
        return table.get(p.field) if isinstance(table, Mapping) else None
    if not isinstance(table, list) or p.index >= len(table) or not isinstance(table[p.index], Mapping):
        return None
    return table[p.index].get(p.field)


def check_exists(path: Path, data: Mapping[str, Any]) -> None:
    """A :class:`ScenarioError` unless the record ``path`` names is in the case ``data``."""
    if path.index is None:
        return
    have = len(data.get(path.table) or [])
    if path.index < have:
        return
    valid: str
    if have > 1:
        valid = msg("reference-valid", name=path.table, last=have - 1)
    else:
        valid = f"{path.table}[0]" if have else msg("table-none")
    hint = closest(path.text, _case_paths(data)) if have else ""
    raise ScenarioError(
        msg("path-no-record", record=f"{path.table}[{path.index}]", valid=valid, path=repr(path.text), hint=hint)
    )


def set_field(data: dict[str, Any], path: Path, value: Any) -> None:
    """Set the field ``path`` of the case ``data`` to ``value`` (:data:`UNSET` removes it)."""
    if path.table == "":
        target = data
    elif path.index is None:
        target = data.setdefault(path.table, {})
    else:
        target = data[path.table][path.index]
    if value is UNSET:
        target.pop(path.field, None)
    else:  # as in a case file, so that messages show the value as written
        target[path.field] = value.isoformat() if isinstance(value, date) else value
