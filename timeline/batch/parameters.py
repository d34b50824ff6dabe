"""The legal parameters (:mod:`timeline.law`, ``timeline/rules/parameters.csv``) for whole
columns: the row in force on each day, its value for each case, and a deadline that needs the
ATW calendar computed once per distinct day by the single case's own scalar function."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import numpy as np

from .. import law
from ..tables import NA
from .codes import BIAS, DATE_MAX, INF, SAFE_LO, date_of, day_number

# The same table as the single-case engine (timeline.law, timeline/rules/parameters.csv),
# looked up per case by the date that selects each term, as the engine does: the terms
# counted from an event (R2.2, R4.2, R8.2) by that event, the terms of a clock chosen on the
# request date (R5.1, R6.1-R6.3, R6.5) by kernels.clocks.row_on_request, the others (ages,
# absence limits, R5.2 and R6.4's terms) by each case's assessment date.


def rows_on(name: str, on: np.ndarray) -> np.ndarray:
    """Index (into ``law.rows(name)``) of the row in force on each day of ``on``; -1: none."""
    rows = law.rows(name)
    starts = np.array([day_number(r.valid_from) if r.valid_from else SAFE_LO - BIAS for r in rows], dtype=np.int64)
    ends = np.array([day_number(r.valid_to) if r.valid_to else DATE_MAX + 1 for r in rows], dtype=np.int64)
    k = np.searchsorted(starts, on, side="right") - 1
    inside = (k >= 0) & (on < ends[np.maximum(k, 0)])
    return np.where(inside, k, -1)


def amounts_on(name: str, on: np.ndarray) -> np.ndarray:
    """The amount of ``name`` in force on each day of ``on`` (int64), as :func:`timeline.law.term`
    gives it for one day.

    Raises
    ------
    timeline.law.ParameterError
        If no row of the table is in force on one of the days (the single case raises the same).
    """
    rows = law.rows(name)
    k = rows_on(name, on)
    missing = np.flatnonzero(k < 0)
    if missing.size:
        law.term(name, date_of(int(on[missing[0]])))  # raises, naming the parameter and the day
    return np.array([r.term.amount for r in rows], dtype=np.int64)[k]


def row_bounds(name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The rows of ``name`` as arrays: amount, first day (NA: open) and first day after (INF: open),
    as :func:`timeline.kernels.clocks.row_on_request` takes them."""
    rows = law.rows(name)
    amount = np.array([r.term.amount for r in rows], dtype=np.int64)
    valid_from = np.array([NA if r.valid_from is None else day_number(r.valid_from) for r in rows], dtype=np.int64)
    valid_to = np.array([INF if r.valid_to is None else day_number(r.valid_to) for r in rows], dtype=np.int64)
    return amount, valid_from, valid_to


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
