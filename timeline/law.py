"""The legal parameters: terms, thresholds and ages, by the date from which they apply.

Every number the rules take from a statute or a policy (the four-week reporting term,
the 2022 tolerance, the five-year residence terms, the absence limits, ...) is a row of
``timeline/rules/parameters.csv``::

    name,valid_from,valid_to,value,unit,rule,source

``valid_from`` is the first day the row applies (empty: since before any date the tool
handles; the start was not researched); ``valid_to`` is the first day it no longer
applies, like a permit's "geldig tot" (DC-1; empty: still in force). ``value`` and
``unit`` make a :class:`~timeline.dates.Term` (days, weeks, months or years: an age or
an absence limit is a term too). ``rule`` is the docs/rules.md ID, ``source`` the article and
its official URL. A change in the law is a new row: close the old row with
``valid_to`` and add the new value with the same date as ``valid_from``.

Each rule asks for the parameter in force on the date that selects the law for it (the
rule's docstring and docs/rules.md, "Legal parameters", say which date that is): for
example :func:`term` ``("notification_term", on=separation)``. Which parameters the code
uses, and the units it can compute with, is :data:`PARAMETERS`; the table is checked
against it when it is first read.

The table is read on first use, with the ``csv`` module (no pandas: ``timeline assess``
must stay fast to start), from the file next to this package (not importlib.resources,
whose import costs about 18 ms of start-up; see :mod:`timeline.atw`). :func:`using`
applies another table for a while (a draft bill, a test).

References
----------
docs/rules.md, "Legal parameters", and the rule of each row.
"""

from __future__ import annotations

import os.path
from datetime import date
from itertools import pairwise
from typing import NamedTuple

from .dates import UNITS, Term
from .errors import TimelineError, msg

__all__ = [
    "PARAMETERS",
    "ParameterError",
    "Row",
    "Table",
    "find",
    "load",
    "nearest",
    "rows",
    "table_path",
    "term",
    "using",
]

_ANY = UNITS
#: Every parameter the code uses, with the units its arithmetic handles. Terms counted
#: with :meth:`Term.after` or :func:`timeline.atw.deadline` take any unit; the rest are
#: computed in one unit (``add_months`` for the absence limits, ``period_complete`` for
#: the residence terms, days in batch for the posting grace).
PARAMETERS: dict[str, tuple[str, ...]] = {
    "notification_term": _ANY,  # R2.2
    "fine_limitation": ("years",),  # R2.3
    "late_extension_tolerance": _ANY,  # R4.2
    "permanent_residence_years": ("years",),  # R5.1
    "permanent_residence_min_age": ("years",),  # R5.1
    "permanent_residence_income_waiver": ("years",),  # R5.1
    "eu_long_term_years": ("years",),  # R5.2
    "eu_single_absence_limit": ("months",),  # R5.2
    "eu_total_absence_limit": ("months",),  # R5.2
    "national_absence_limit": ("months",),  # R5.3
    "three_year_absence_limit": ("months",),  # R5.3
    "naturalisation_years": ("years",),  # R6.1
    "adult_age": ("years",),  # R6.1
    "spouse_years": ("years",),  # R6.2
    "partner_years": ("years",),  # R6.3
    "long_residence_years": ("years",),  # R6.4
    "long_residence_total_years": ("years",),  # R6.4
    "independent_residence_years": ("years",),  # R7.1
    "objection_term": _ANY,  # R8.2
    "objection_posting_grace": ("days", "weeks"),  # R8.2
    "regular_decision_period": _ANY,  # R8.3
    "naturalisation_decision_period": _ANY,  # R8.3
    "naturalisation_decision_extension": _ANY,  # R8.3
    "objection_decision_period": _ANY,  # R8.3
    "objection_decision_extension": _ANY,  # R8.3
}

COLUMNS = ("name", "valid_from", "valid_to", "value", "unit", "rule", "source")
DEFAULT_PATH = os.path.join(os.path.dirname(__file__), "rules", "parameters.csv")


class ParameterError(TimelineError):
    """A legal-parameter table that cannot be used, or a parameter not in force on a date."""


class Row(NamedTuple):
    """One row of the table: ``term`` applies on the days of ``[valid_from, valid_to)``."""

    name: str
    valid_from: date | None  # None: open at the start
    valid_to: date | None  # None: still in force
    term: Term
    rule: str
    source: str

    def applies(self, on: date) -> bool:
        """Whether the row is in force on ``on``."""
        return (self.valid_from is None or self.valid_from <= on) and (self.valid_to is None or on < self.valid_to)


class Table(NamedTuple):
    """A checked table: the rows of each parameter, in date order."""

    path: str
    rows: dict[str, tuple[Row, ...]]


def _fail(path: str, line: int | None, message: str) -> ParameterError:
    where = f"{path}: line {line}" if line is not None else path
    return ParameterError(f"{where}: {message}")


def _date(path: str, line: int, field: str, text: str) -> date | None:
    if text == "":
        return None
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise _fail(path, line, f"{field} = {text!r}: not a date YYYY-MM-DD (empty: open)") from None


def _row(path: str, line: int, rec: dict[str, str]) -> Row:
    name = rec["name"]
    if name not in PARAMETERS:
        raise _fail(path, line, f"name = {name!r}: not a parameter the rules use; valid: {', '.join(PARAMETERS)}")
    unit = rec["unit"]
    if unit not in PARAMETERS[name]:
        raise _fail(path, line, f"{name}: unit = {unit!r}; valid for this parameter: {', '.join(PARAMETERS[name])}")
    text = rec["value"]
    if not (text.isascii() and text.isdigit()) or len(text) > 4:
        raise _fail(path, line, f"{name}: value = {text!r}: not a whole number from 0 to 9999")
    start = _date(path, line, "valid_from", rec["valid_from"])
    end = _date(path, line, "valid_to", rec["valid_to"])
    if start is not None and end is not None and end <= start:
        raise _fail(path, line, f"{name}: valid_to {end} is not after valid_from {start}")
    if not rec["rule"] or not rec["source"]:
        raise _fail(path, line, f"{name}: rule and source must be given (rule ID, article and URL)")
    return Row(name, start, end, Term(int(text), unit), rec["rule"], rec["source"])


def load(path: str = DEFAULT_PATH) -> Table:
    """Read and check a parameter table.

    Checks: the columns; each value a whole number in a unit the code handles for that
    parameter; dates in ISO form; no two rows of one parameter in force on the same day;
    every parameter in :data:`PARAMETERS` present.

    Raises
    ------
    ParameterError
        One line naming the file, the line, the field and what would be valid.
    """
    import csv

    try:
        with open(path, encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            if tuple(reader.fieldnames or ()) != COLUMNS:
                raise _fail(path, 1, f"columns {reader.fieldnames}; expected {', '.join(COLUMNS)}")
            found: dict[str, list[Row]] = {}
            for rec in reader:
                if None in rec or None in rec.values():
                    raise _fail(path, reader.line_num, f"expected {len(COLUMNS)} fields ({', '.join(COLUMNS)})")
                row = _row(path, reader.line_num, rec)
                found.setdefault(row.name, []).append(row)
    except OSError as err:
        raise _fail(path, None, f"cannot read the parameter table ({err.strerror or err})") from None
    except (UnicodeDecodeError, csv.Error) as err:
        raise _fail(path, None, f"not a UTF-8 CSV file ({err})") from None
    missing = [name for name in PARAMETERS if name not in found]
    if missing:
        raise _fail(path, None, f"no row for {', '.join(missing)} (every parameter the rules use needs one)")
    table: dict[str, tuple[Row, ...]] = {}
    for name, given in found.items():
        ordered = sorted(given, key=lambda r: r.valid_from or date.min)
        for a, b in pairwise(ordered):
            if a.valid_to is None or b.valid_from is None or a.valid_to > b.valid_from:
                raise _fail(
                    path,
                    None,
                    f"{name}: the rows from {a.valid_from or 'the start'} and "
                    f"{b.valid_from or 'the start'} overlap (close the first with valid_to)",
                )
        table[name] = tuple(ordered)
    return Table(path, table)


_table: Table | None = None  # the table in use; None until first use (then the shipped one)


def _current() -> Table:
    global _table
    if _table is None:
        _table = load()
    return _table


class using:  # lower case: used like a function, ``with law.using(path):``
    """Apply another parameter table (a :class:`Table` or a path) inside the ``with`` block.

    For the whole process (the single-case engine and batch alike, threads included);
    not for Dask workers in other processes. (A class rather than
    ``contextlib.contextmanager``, whose import would cost ``import timeline`` about 4 ms.)

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     path = pathlib.Path(d, "law.csv")
    ...     text = pathlib.Path(DEFAULT_PATH).read_text(encoding="utf-8")
    ...     _ = path.write_text(text.replace("notification_term,,,4,weeks", "notification_term,,,6,weeks"))
    ...     with using(str(path)):
    ...         str(term("notification_term", date(2026, 1, 1)))
    '6 weeks'
    >>> str(term("notification_term", date(2026, 1, 1)))
    '4 weeks'
    """

    def __init__(self, table: Table | str) -> None:
        self.table = load(table) if isinstance(table, str) else table
        self._saved: list[Table | None] = []

    def __enter__(self) -> Table:
        global _table
        self._saved.append(_table)
        _table = self.table
        return self.table

    def __exit__(self, *exc: object) -> None:
        global _table
        _table = self._saved.pop()


def table_path() -> str:
    """The file of the table in use (for messages)."""
    return _current().path


def rows(name: str) -> tuple[Row, ...]:
    """Every row of ``name``, in date order."""
    return _current().rows[name]


def find(name: str, on: date) -> Row | None:
    """The row of ``name`` in force on ``on``, or ``None`` if none is."""
    for row in _current().rows[name]:
        if row.applies(on):
            return row
    return None


def nearest(name: str, on: date) -> Row:
    """The row in force on ``on``; else the next one to come into force; else the last one.

    For showing a term next to a date on which it did not (yet) apply, e.g. the tolerance
    end of an extension received before the 2022 policy (R4.2).
    """
    all_rows = _current().rows[name]
    return find(name, on) or next((r for r in all_rows if r.valid_from and r.valid_from > on), all_rows[-1])


def term(name: str, on: date) -> Term:
    """The term ``name`` in force on ``on``.

    Raises
    ------
    ParameterError
        If no row of ``name`` is in force on ``on``.
    """
    row = find(name, on)
    if row is None:
        raise ParameterError(msg("law-not-in-force", path=table_path(), name=name, day=on.isoformat()))
    return row.term
