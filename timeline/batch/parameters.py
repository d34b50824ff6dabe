"""The legal parameters (:mod:`timeline.law`, ``timeline/rules/parameters.csv``) for whole
columns: the row in force on each day, the one value a parameter batch applies to every case
has, and a deadline that needs the ATW calendar computed once per distinct day by the single
case's own scalar function."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import numpy as np

from .. import law
from ..dates import Term
from ..tables import NA
from .codes import BIAS, DATE_MAX, SAFE_LO, date_of, day_number

# The same table as the single-case engine (timeline.law, timeline/rules/parameters.csv).
# The terms counted from an event (R2.2, R4.2, R8.2) are looked up per case by the date
# that selects them, as the engine does, and the naturalisation term (R6.1, R6.5) by the
# request date (_standard_route), so a change in the law works in batch too. The others
# (the other clocks' terms, ages and absence limits) are applied as one value for every
# case: batch refuses, naming the parameter, a table in which such a parameter changes.


def rows_on(name: str, on: np.ndarray) -> np.ndarray:
    """Index (into ``law.rows(name)``) of the row in force on each day of ``on``; -1: none."""
    rows = law.rows(name)
    starts = np.array([day_number(r.valid_from) if r.valid_from else SAFE_LO - BIAS for r in rows], dtype=np.int64)
    ends = np.array([day_number(r.valid_to) if r.valid_to else DATE_MAX + 1 for r in rows], dtype=np.int64)
    k = np.searchsorted(starts, on, side="right") - 1
    inside = (k >= 0) & (on < ends[np.maximum(k, 0)])
    return np.where(inside, k, -1)


def scalar(name: str) -> Term:
    """The value of ``name`` for every case: the table must hold one row, open at both ends.

    Raises
    ------
    timeline.law.ParameterError
        If ``name`` changes over time in the table in use: batch does not yet apply that
        parameter by date (``timeline assess`` does).
    """
    rows = law.rows(name)
    if len(rows) != 1 or rows[0].valid_from is not None or rows[0].valid_to is not None:
        raise law.ParameterError(
            f"{law.table_path()}: {name} changes over time ({len(rows)} rows with dates); batch applies "
            "this parameter as one value for every case and cannot use this table "
            "(timeline assess applies it by date)"
        )
    return rows[0].term


_DAY_RULES: dict[Any, dict[int, int]] = {}


def per_day(days: np.ndarray, rule: Callable[[date], Any]) -> np.ndarray:
    """``rule(day)`` (a date, or a deadline's ``.deadline``) of each day as a day number
    (:data:`NA` stays :data:`NA`).

    ``rule`` is the one scalar function of a deadline that needs the ATW calendar (e.g.
    :func:`timeline.rules.residence.objection_deadline`); it is called once per distinct
    day (remembered across calls, per table of legal parameters: a run under
    :func:`timeline.law.using` does not reuse the days of another table), not once per case.
    """
    out = np.full(days.size, NA, dtype=np.int64)
    has = np.flatnonzero(days != NA)
    if has.size == 0:
        return out
    cache = _DAY_RULES.setdefault((rule, law.table_path()), {})
    uniq, inverse = np.unique(days[has], return_inverse=True)
    values = np.empty(uniq.size, dtype=np.int64)
    for k, d in enumerate(uniq.tolist()):
        v = cache.get(d)
        if v is None:
            found = rule(date_of(d))
            v = cache[d] = day_number(getattr(found, "deadline", found))
        values[k] = v
    out[has] = values[inverse]
    return out
