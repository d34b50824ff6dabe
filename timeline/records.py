"""Records named for people: "partner permit of 11 March 2021", never ``permits[0]`` (issue 12).

An assessment refers to the records of its case by their path in the case file
(``permits[0]``, ``applications[1]``, ``notifications[0]``, ``absences[2]``,
``relationship``): the path is what JSON keeps, what calendar UIDs are made of and what a
program can look up. A person reads a name made of what the record is and its date. This
module is the one place that names records:

- :func:`describe` turns a path into a :class:`RecordName`: a message of the "now" texts
  and its parameters (codes and dates), so that the name can be written in any language
  later, without the case;
- :class:`Record` is a path (a ``str``, equal to the plain path) that carries its
  :class:`RecordName`; :func:`name_records` gives every path in an assessment its name
  once, in :func:`timeline.assess`, so that every face (text, JSON texts, actions,
  calendar, report, chart) can write the name with :func:`name_of` and no face needs the
  case;
- :func:`record_name` names a path of a case in a language, in one call.

A record of an application that yields a permit is named two ways: as the application
("extension application received 20 August 2026") and, where the permit it yields is
meant, as that permit (:func:`permit_name`: "work permit applied for on 20 August 2026").
"""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from .i18n import fill, format_date, label, lookup
from .model import Case

__all__ = ["Record", "RecordName", "describe", "name_of", "name_records", "permit_name", "record_name"]

#: The parameters of a name that are codes with a label (the rest are dates).
_LABELLED = ("purpose", "kind", "by")
_LISTS = ("permits", "applications", "notifications", "absences")


class RecordName(NamedTuple):
    """A record's name as data: message ``key`` of the "now" texts and its ``params``."""

    key: str
    params: tuple[tuple[str, Any], ...] = ()

    def text(self, lang: str = "en") -> str:
        """The name in ``lang``: "partner permit of 11 March 2021" / "verblijfsvergunning voor ..."."""
        values = {
            k: label(v, lang) if k in _LABELLED else format_date(v, lang) if isinstance(v, date) else v
            for k, v in self.params
        }
        return fill(lookup("now", self.key, lang), values, lang)


class Record(str):
    """A record path (``permits[0]``) that knows its name for people (``.name``).

    It is the path in every use of a ``str`` (equal to it, hashed like it, written by
    ``str()`` and by JSON), so code that compares or stores paths is unchanged.
    """

    name: RecordName | None

    def __new__(cls, path: str, name: RecordName | None = None) -> Record:
        made = super().__new__(cls, path)
        made.name = name
        return made

    def __reduce__(self) -> tuple[Any, ...]:
        return (Record, (str(self), self.name))


def _index(path: str) -> tuple[str, int] | None:
    """``permits[0]`` -> ``("permits", 0)``; ``None`` for anything else."""
    head, _, rest = path.partition("[")
    if head not in _LISTS or not rest.endswith("]") or not rest[:-1].isdigit():
        return None
    return head, int(rest[:-1])


def describe(case: Case, path: str | None, purpose: str | None = None) -> RecordName | None:
    """The name of record ``path`` of ``case`` as data; with ``purpose``, an application is
    named as the permit it yields. ``None`` for what is not a record of the case."""
    if path is None:
        return None
    if path == "relationship":
        return RecordName("name-relationship") if case.relationship is not None else None
    found = _index(path)
    if found is None:
        return None
    name, i = found
    records: tuple[Any, ...] = getattr(case, name)
    if i >= len(records):
        return None
    x = records[i]
    if name == "permits":
        return RecordName("name-permit", (("purpose", x.purpose), ("start", x.start)))
    if name == "applications":
        if purpose is not None:
            return RecordName("name-permit-applied", (("purpose", purpose), ("received", x.received)))
        return RecordName(f"name-application-{x.kind}", (("received", x.received),))
    if name == "notifications":
        return RecordName("name-notification", (("by", x.by), ("received", x.received)))
    return RecordName("name-absence", (("departed", x.departed),))


def record_name(case: Case, path: str | None, lang: str = "en") -> str | None:
    """A record of ``case`` named for people: ``permits[0]`` -> "partner permit of 11 March
    2021", ``applications[1]`` -> "extension application received 20 August 2026",
    ``relationship`` -> "the relationship"; ``None`` for what is not a record of the case.
    """
    described = describe(case, path)
    return None if described is None else described.text(lang)


def name_of(value: Any, lang: str = "en") -> str:
    """``value`` for a reader: a :class:`Record`'s name, anything else as ``str``."""
    name = getattr(value, "name", None)
    if isinstance(value, Record) and name is not None:
        return name.text(lang)
    return str(value)


def permit_name(record: Any, purpose: str, lang: str = "en") -> str:
    """The name of the permit that ``record`` yields: a permit's own name, or for an
    application "work permit applied for on 15 September 2026" (what :func:`name_records`
    names an application that yields a permit; this is for one that does not yet)."""
    name = getattr(record, "name", None)
    if isinstance(name, RecordName) and name.key.startswith("name-application-"):
        received = dict(name.params)["received"]
        return RecordName("name-permit-applied", (("purpose", purpose), ("received", received))).text(lang)
    return name_of(record, lang)


def _named(value: Any, names: dict[str, Record]) -> Any:
    """``value`` with every record path in it made a :class:`Record` (records, tuples, lists, dicts)."""
    if isinstance(value, str):
        return names.get(value, value)
    if isinstance(value, tuple):
        items = [_named(v, names) for v in value]
        return value._make(items) if hasattr(value, "_fields") else tuple(items)  # type: ignore[attr-defined]
    if isinstance(value, dict):
        return {k: _named(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [_named(v, names) for v in value]
    return value


def name_records(case: Case, value: Any) -> Any:
    """``value`` (an assessment, or any record or tuple of records) with every path of a
    record of ``case`` in it replaced by a :class:`Record` that carries its name.

    An application that yields a residence period of ``value`` (``value.residence``) is
    named as that permit: what it became is what a reader knows it by.
    """
    yields = {p.record: p.purpose for p in getattr(value, "residence", ())}
    names: dict[str, Record] = {}
    if case.relationship is not None:
        names["relationship"] = Record("relationship", RecordName("name-relationship"))
    for field in _LISTS:
        for i in range(len(getattr(case, field))):
            path = f"{field}[{i}]"
            names[path] = Record(path, describe(case, path, yields.get(path) if field == "applications" else None))
    return _named(value, names)
