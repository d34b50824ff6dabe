"""Batch assessment of many cases at once: an event table in, one row per case out.

:func:`assess_table` computes, for every case of a long event table (see
:mod:`timeline.tables` and README "Batch tables"), the same gaps, reporting deadline and
eligibility dates as :func:`timeline.assess`, with numpy over whole columns: there is no
Python loop over cases. The rules are the single-case engine's (rule IDs below, as in docs/rules.md); a
differential test (``tests/test_batch.py``) compares both field by field on random and
example cases.

What is vectorised, and how
---------------------------
Dates are int64 day numbers (days since 1970-01-01). Records of one kind form arrays
sorted by (case, position); per-case results come from sorted reductions (``reduceat``),
ragged joins between the records of the same case, and sort keys ``case << 33 | day``
(no Python loop over cases). Every rule of the engine is done this way:

- validation (the fields and checks of :mod:`timeline.fields`, which the case reader
  :func:`timeline.case_from_dict` applies too, as masks over columns; only the cases a
  mask flags are rebuilt as dicts and read by ``case_from_dict``, which gives the error
  row its exact record, field, value and reason);
- objection targets and reversals (R8.2, R3.2), the permit chain derived from granted
  applications (R1.2, R1.4, R4.1, R4.2 tolerance), withdrawals (R3.1, OQ-3), procedural
  stay (R4.5, Vw 73), gaps with their causes (DC-6) and the reporting duty (R2.2): the
  kernels of :mod:`timeline.kernels.residence` and :mod:`timeline.kernels.procedures`,
  compiled (:mod:`timeline.kernels.table`), the ones ``timeline assess`` runs; a deadline
  that needs the ATW calendar is computed by the single case's own function once per
  distinct date (never per case) and passed in as a day number;
- the clocks (DC-5, R5.1, R5.2, R5.3, R6.1-R6.3): absence breaks run as one vectorised
  step per absence rank (1st absence of every case, then the 2nd, ...); the EU weighted
  accrual and the push for absences totalling 10 months run as vectorised iterations over
  the cases still searching (each iteration jumps as far as provably safe).

The loops that remain are over ranks (the k-th application or absence of every case)
or over search iterations, each a handful of numpy operations on all cases at once.

What goes through the single-case engine
----------------------------------------
Only cases assessed on a date outside the supported range (:data:`timeline.dates.MIN_DATE`
to :data:`~timeline.dates.MAX_DATE`; a date field out of that range is a check of
:mod:`timeline.fields`, so such a case is an error row), and cases whose facts the engine
refuses (no event, ``as_of`` before the first event, a birth date after it). (Cases with
more than :data:`MAX_CASE_RECORDS` rows are errors at once, so none reaches the 50,000
records the packed sort keys hold.) They are read with :func:`timeline.case_from_dict`
and assessed with :func:`timeline.assess` one by one; any error becomes an error row.
Realistic data has none (0 of 1,000,000 cases in ``benchmarks/bench_batch.py``);
``timeline batch`` reports how many there were.

Output
------
:func:`assess_table` returns a :class:`BatchResult` ``(results, errors, gaps)``;
:data:`RESULT_COLUMNS`, :data:`ERROR_COLUMNS` and :data:`GAP_COLUMNS` give the stable
column names and dtypes. Dates are ``datetime64[us]`` (midnight; ``NaT`` when absent);
``end`` dates are exclusive (DC-1), as in ``timeline assess``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import law
from .assessment import NATURALISATION_ROUTES
from .dates import MAX_DATE, MIN_DATE, Term
from .engine import assess
from .errors import CaseError, TimelineError
from .fields import (
    AFTER,
    BOOL,
    CHOICE,
    DATE,
    DERIVED,
    END,
    MAX_ID,
    MAX_TEXT,
    NEEDS,
    NOT_AFTER,
    NOT_BEFORE,
    REFERENCE_EXISTS,
    REFERENCE_FORM,
    REFERENCE_NOT_SELF,
    TEXT,
    Check,
    Record,
    check_id,
)
from .fields import MAX_RECORDS as MAX_ENTRIES
from .fields import RECORDS as DEFINITION
from .io import case_from_dict
from .kernels import procedures as kp
from .kernels import residence as kr
from .kernels import table as kt
from .kernels.residence import BASES, GAP_CAUSES
from .model import (
    APPLICATION_KINDS,
    EVENT_DATES,
    INDEFINITE_PURPOSES,
    OUTCOMES,
    PERMIT_APPLICATION_KINDS,
    PLACES,
    PURPOSES,
    RELATIONSHIP_KINDS,
    SPONSOR_STATUSES,
    eu_weight,
)
from .options import OPTIONS, Options
from .rules.clocks import AVERAGE_MONTH_DAYS, EU_SEARCH_DAYS, eu_targets
from .rules.notification import notification_deadline
from .rules.residence import objection_deadline, objection_posting_end, tolerance_last_day
from .tables import (
    LIST_RECORDS,
    NA,
    RECORDS,
    SINGLE_RECORDS,
    TABLE_FIELDS,
    TableError,
    check_unique_columns,
    parse_iso_dates,
    table_to_cases,
    valid_mask,
)

__all__ = [
    "ERROR_COLUMNS",
    "GAP_COLUMNS",
    "RESULT_COLUMNS",
    "BatchResult",
    "assess_table",
    "cell_text",
    "empty_frame",
    "frame_like",
    "row_from_assessment",
    "typed_frame",
]

DATE_DTYPE = "datetime64[us]"

#: Result columns and dtypes (one row per assessed case, in input order).
RESULT_COLUMNS: dict[str, str] = {
    "id": "str",
    "as_of": DATE_DTYPE,
    "gap_count": "int64",
    "gap_days": "int64",
    "gap_ongoing": "bool",
    "first_gap_start": DATE_DTYPE,
    "last_gap_end": DATE_DTYPE,
    "notification_trigger": DATE_DTYPE,
    "notification_deadline": DATE_DTYPE,
    "notification_received": DATE_DTYPE,
    "notification_status": "str",
    "notification_days_late": "Int64",
    "permanent_residence_eligible_from": DATE_DTYPE,
    "eu_long_term_eligible_from": DATE_DTYPE,
    "naturalisation_eligible_from": DATE_DTYPE,
    "naturalisation_route": "str",
    "naturalisation_standard_eligible_from": DATE_DTYPE,
    "naturalisation_spouse_eligible_from": DATE_DTYPE,
    "naturalisation_partner_eligible_from": DATE_DTYPE,
    "naturalisation_long_residence_eligible_from": DATE_DTYPE,
}
#: One row per case that could not be assessed.
ERROR_COLUMNS: dict[str, str] = {
    "case_id": "str",
    "row": "Int64",
    "record": "str",
    "field": "str",
    "value": "str",
    "reason": "str",
}
#: One row per residence gap (DC-6), in case order then date order.
GAP_COLUMNS: dict[str, str] = {
    "id": "str",
    "gap": "int64",
    "start": DATE_DTYPE,
    "end": DATE_DTYPE,
    "days": "int64",
    "cause": "str",
    "record": "str",
    "procedural_days": "int64",
}


class BatchResult(NamedTuple):
    """What :func:`assess_table` returns.

    ``results``: one row per assessed case (:data:`RESULT_COLUMNS`); ``errors``: one row
    per case that could not be assessed, with the case id, the 0-based row of the input
    table (for JSON Lines: the line number), the record (``permits[2]``), field, value and
    reason (:data:`ERROR_COLUMNS`); ``gaps``: one row per gap (:data:`GAP_COLUMNS`).
    Every case of the input is in exactly one of ``results`` and ``errors``.
    """

    results: pd.DataFrame
    errors: pd.DataFrame
    gaps: pd.DataFrame


# --------------------------------------------------------------------------- constants and codes

INF = (1 << 31) - 1  # an open end ("None" for end dates)
BIAS = 1 << 31  # day + BIAS >= 0 for sort keys
SHIFT = 33  # key = case << SHIFT | (day + BIAS)
_EPOCH = date(1970, 1, 1).toordinal()
MAX_RECORDS = 50_000
#: Rows (records) a case of a batch table may have. A real case has tens; the limit leaves
#: a wide margin (a stay abroad every week for 40 years is about 2,000 rows). A case with
#: more is a data error (ids merged by an export), reported at once instead of stalling
#: the run in the checks of the single-case engine.
MAX_CASE_RECORDS = 10_000


def _day(d: date) -> int:
    return d.toordinal() - _EPOCH


def _date(n: int) -> date:
    return date.fromordinal(int(n) + _EPOCH)


# Dates outside the supported range (timeline.dates.MIN_DATE .. MAX_DATE) go to the
# single-case path, where case_from_dict rejects them with the exact message.
SAFE_LO = _day(MIN_DATE)
SAFE_HI = _day(MAX_DATE)
DATE_MAX = _day(date.max)

PURPOSE_LIST = tuple(PURPOSES)
P = {p: i for i, p in enumerate(PURPOSE_LIST)}
KINDS = APPLICATION_KINDS
K = {k: i for i, k in enumerate(KINDS)}
PERMIT_KIND = np.array([k in PERMIT_APPLICATION_KINDS for k in KINDS])
O_GRANTED, O_REFUSED, O_PENDING = (OUTCOMES.index(o) for o in ("granted", "refused", "pending"))
S_DUTCH = SPONSOR_STATUSES.index("dutch")
R_UNMARRIED = RELATIONSHIP_KINDS.index("unmarried")
PL_KINGDOM, PL_ABROAD = PLACES.index("kingdom"), PLACES.index("abroad")
INDEFINITE = np.array([p in INDEFINITE_PURPOSES for p in PURPOSE_LIST])
WEIGHT = np.array([[round(4 * eu_weight(p, s)) for s in SPONSOR_STATUSES] for p in PURPOSE_LIST], dtype=np.int64)
REC = {r: i for i, r in enumerate(RECORDS)}
RK_APP, RK_PERMIT = 0, 1  # "applications[j]" sorts before "permits[i]"

# The gap causes (DC-6) and permit-start bases (R1.2, R1.4, R4.1, R4.2): one list, kept
# with the rule's kernel (timeline.kernels.residence).
BASIS = BASES
B = {b: i for i, b in enumerate(BASIS)}

#: The characters ``str.strip()`` removes (``str.isspace``), for the empty-id check.
_PY_SPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680"
    + "".join(map(chr, range(0x2000, 0x200B)))
    + ("\u2028\u2029\u202f\u205f\u3000")
)


# --------------------------------------------------------------------------- legal parameters
# The same table as the single-case engine (timeline.law, timeline/rules/parameters.csv).
# The terms counted from an event (R2.2, R4.2, R8.2) are looked up per case by the date
# that selects them, as the engine does, and the naturalisation term (R6.1, R6.5) by the
# request date (_standard_route), so a change in the law works in batch too. The others
# (the other clocks' terms, ages and absence limits) are applied as one value for every
# case: batch refuses, naming the parameter, a table in which such a parameter changes.


def _rows_on(name: str, on: np.ndarray) -> np.ndarray:
    """Index (into ``law.rows(name)``) of the row in force on each day of ``on``; -1: none."""
    rows = law.rows(name)
    starts = np.array([_day(r.valid_from) if r.valid_from else SAFE_LO - BIAS for r in rows], dtype=np.int64)
    ends = np.array([_day(r.valid_to) if r.valid_to else DATE_MAX + 1 for r in rows], dtype=np.int64)
    k = np.searchsorted(starts, on, side="right") - 1
    inside = (k >= 0) & (on < ends[np.maximum(k, 0)])
    return np.where(inside, k, -1)


def _scalar(name: str) -> Term:
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


def _per_day(days: np.ndarray, rule: Callable[[date], Any]) -> np.ndarray:
    """``rule(day)`` (a date, or a deadline's ``.deadline``) of each day as a day number
    (:data:`NA` stays :data:`NA`).

    ``rule`` is the one scalar function of a deadline that needs the ATW calendar (e.g.
    :func:`timeline.rules.residence.objection_deadline`); it is called once per distinct
    day (remembered across calls), not once per case.
    """
    out = np.full(days.size, NA, dtype=np.int64)
    has = np.flatnonzero(days != NA)
    if has.size == 0:
        return out
    cache = _DAY_RULES.setdefault(rule, {})
    uniq, inverse = np.unique(days[has], return_inverse=True)
    values = np.empty(uniq.size, dtype=np.int64)
    for k, d in enumerate(uniq.tolist()):
        v = cache.get(d)
        if v is None:
            found = rule(_date(d))
            v = cache[d] = _day(getattr(found, "deadline", found))
        values[k] = v
    out[has] = values[inverse]
    return out


# --------------------------------------------------------------------------- array helpers


def _starts(sorted_keys: np.ndarray) -> np.ndarray:
    """Positions where a new group begins in a sorted key array."""
    if sorted_keys.size == 0:
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])


def _reduce(ufunc: np.ufunc, case: np.ndarray, values: np.ndarray, n: int, fill: int) -> np.ndarray:
    """Per-case ``ufunc`` reduction of ``values``; ``case`` must be sorted."""
    out = np.full(n, fill, dtype=np.int64)
    if case.size:
        s = _starts(case)
        out[case[s]] = ufunc.reduceat(values, s)
    return out


def _offsets(case: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Counts per case and CSR offsets of ``case`` (sorted)."""
    counts = np.bincount(case, minlength=n).astype(np.int64)
    return counts, np.concatenate(([0], np.cumsum(counts)))


class _Spans(NamedTuple):
    """Merged, disjoint, non-touching spans sorted by (case, start), with CSR offsets."""

    case: np.ndarray
    start: np.ndarray
    end: np.ndarray
    count: np.ndarray
    off: np.ndarray


def _merge(case: np.ndarray, start: np.ndarray, end: np.ndarray, n: int) -> _Spans:
    """``timeline.intervals.merge`` per case: running end by cumulative max, blocks by cumsum."""
    keep = end > start
    case, start, end = case[keep], start[keep], end[keep]
    base = case.astype(np.int64) << SHIFT
    skey = base | (start + BIAS)
    order = np.argsort(skey, kind="stable")
    skey, ekey = skey[order], (base | (end + BIAS))[order]
    run = np.maximum.accumulate(ekey) if ekey.size else ekey
    new = np.r_[True, skey[1:] > run[:-1]] if skey.size else np.zeros(0, bool)
    first = np.flatnonzero(new)
    last = np.r_[first[1:] - 1, skey.size - 1] if first.size else first
    mcase = case[order][first]
    mstart = start[order][first]
    mend = (run[last] - (mcase.astype(np.int64) << SHIFT)) - BIAS
    count, off = _offsets(mcase, n)
    return _Spans(mcase, mstart, mend, count, off)


def _find(spans: _Spans, cases: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Index of the span of each case that contains ``day`` (``timeline.intervals.find``), or -1."""
    if spans.case.size == 0 or cases.size == 0:
        return np.full(cases.size, -1, dtype=np.int64)
    key = (spans.case.astype(np.int64) << SHIFT) | (spans.start + BIAS)
    q = (cases.astype(np.int64) << SHIFT) | (day + BIAS)
    i = np.searchsorted(key, q, side="right") - 1
    j = np.maximum(i, 0)
    ok = (i >= 0) & (spans.case[j] == cases) & (spans.end[j] > day)
    return np.where(ok, i, -1)


class _RecordRank:
    """The order of record names as strings ("applications[10]" < "applications[2]" < "permits[0]")."""

    def __init__(self, max_index: int) -> None:
        self.m = max(1, int(max_index) + 1)
        names = [f"applications[{j}]" for j in range(self.m)] + [f"permits[{i}]" for i in range(self.m)]
        order = np.argsort(np.array(names, dtype=object), kind="stable")
        self.rank = np.empty(2 * self.m, dtype=np.int64)
        self.rank[order] = np.arange(2 * self.m)

    def __call__(self, rk: np.ndarray, idx: np.ndarray) -> np.ndarray:
        return self.rank[rk * self.m + idx]


def _record_names(rk: np.ndarray, idx: np.ndarray) -> list[str | None]:
    return [
        None if i < 0 else (f"permits[{i}]" if k == RK_PERMIT else f"applications[{i}]")
        for k, i in zip(rk.tolist(), idx.tolist(), strict=True)
    ]


# --------------------------------------------------------------------------- reading columns


def _arrow(table: Any) -> pa.Table:
    """The input as an Arrow table; pandas object columns of mixed types become text."""
    if isinstance(table, pa.Table):
        return table
    if isinstance(table, pa.RecordBatch):
        return pa.Table.from_batches([table])
    if not isinstance(table, pd.DataFrame):
        raise TableError("assess_table needs a pandas DataFrame or a pyarrow Table in the event-table format")
    check_unique_columns((str(name) for name in table.columns), "the event table")
    arrays = {}
    for name in table.columns:
        s = table[name]
        try:
            arrays[str(name)] = pa.Array.from_pandas(s)
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError):
            arrays[str(name)] = pa.array([_mixed_text(v) for v in s], pa.string())
    return pa.table(arrays)


_MIXED = "\x00"  # prefix that marks a value of the wrong type (never a valid date or choice)


def _mixed_text(v: Any) -> str | None:
    if v is None or (isinstance(v, float) and v != v) or v is pd.NaT:
        return None
    if isinstance(v, str):
        return v
    if isinstance(v, datetime):
        return v.date().isoformat() if (v.hour, v.minute, v.second, v.microsecond) == (0, 0, 0, 0) else _MIXED
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, (bool, np.bool_)):
        return "true" if v else "false"
    return _MIXED + repr(v)


def _is_text(t: pa.DataType) -> bool:
    return pa.types.is_string(t) or pa.types.is_large_string(t)


def _dates(arr: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Day numbers and a 'bad value' mask of a date column of any Arrow type."""
    n = len(arr)
    t = arr.type
    if pa.types.is_null(t) or arr.null_count == n:
        return np.full(n, NA, dtype=np.int64), np.zeros(n, dtype=bool)
    if _is_text(t):
        return parse_iso_dates(arr)
    valid = valid_mask(arr)
    if pa.types.is_date32(t) or pa.types.is_date64(t):
        raw = pc.fill_null(arr.cast(pa.date32()).cast(pa.int32()), 0).to_numpy().astype(np.int64)
        return np.where(valid, raw, NA), np.zeros(n, dtype=bool)
    if pa.types.is_timestamp(t) and t.tz is None:
        per_day = {"s": 86_400, "ms": 86_400_000, "us": 86_400_000_000, "ns": 86_400_000_000_000}[t.unit]
        raw = pc.fill_null(arr.cast(pa.int64()), 0).to_numpy()
        whole = raw % per_day == 0
        return np.where(valid & whole, raw // per_day, NA), valid & ~whole
    return np.full(n, NA, dtype=np.int64), valid  # numbers, booleans, ...: not dates


def _codes(arr: pa.Array, choices: tuple[str, ...]) -> np.ndarray:
    """Code of each value in ``choices``: -2 absent, -1 text not in ``choices``, -3 not text, -4 text too long."""
    n = len(arr)
    if pa.types.is_null(arr.type) or arr.null_count == n:
        return np.full(n, -2, dtype=np.int64)
    if not _is_text(arr.type):
        return np.where(valid_mask(arr), -3, -2)
    enc = pc.dictionary_encode(arr)
    lookup = np.array([_choice_code(v, choices) for v in enc.dictionary.to_pylist()], dtype=np.int64)
    ind = enc.indices
    raw = pc.fill_null(ind, 0).to_numpy().astype(np.int64)
    out = lookup[raw] if lookup.size else np.full(n, -1, dtype=np.int64)
    return np.where(valid_mask(arr), out, -2)


def _choice_code(value: str, choices: tuple[str, ...]) -> int:
    if value in choices:
        return choices.index(value)
    if value.startswith(_MIXED):
        return -3
    return -4 if len(value) > MAX_TEXT else -1


def _dictionary(arr: pa.Array) -> tuple[np.ndarray, list[Any]]:
    """Dictionary codes (-1 for null) and the distinct values of a column."""
    n = len(arr)
    if pa.types.is_null(arr.type) or arr.null_count == n:
        return np.full(n, -1, dtype=np.int64), []
    enc = pc.dictionary_encode(arr)
    raw = pc.fill_null(enc.indices, 0).to_numpy().astype(np.int64)
    return np.where(valid_mask(arr), raw, -1), enc.dictionary.to_pylist()


def _bools(arr: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Booleans (-1 absent, 0, 1) and a bad mask; text ``true``/``false``/``1``/``0`` accepted."""
    n = len(arr)
    if pa.types.is_null(arr.type) or arr.null_count == n:
        return np.full(n, -1, dtype=np.int64), np.zeros(n, dtype=bool)
    valid = valid_mask(arr)
    if pa.types.is_boolean(arr.type):
        raw = pc.fill_null(arr, False).to_numpy(zero_copy_only=False).astype(np.int64)
        return np.where(valid, raw, -1), np.zeros(n, dtype=bool)
    if _is_text(arr.type):
        codes, values = _dictionary(arr)
        mapped = []
        for v in values:
            low = v.strip().lower()
            mapped.append(1 if low in ("true", "1") else 0 if low in ("false", "0") else -3)
        lut = np.array(mapped or [0], dtype=np.int64)
        out = np.where(codes >= 0, lut[np.maximum(codes, 0)], -1)
        bad = out == -3
        return np.where(bad, -1, out), bad
    return np.full(n, -1, dtype=np.int64), valid


class _Columns:
    """The input columns as numpy arrays, read lazily for the rows of one record kind at a time."""

    def __init__(self, at: pa.Table) -> None:
        self.at = at
        self.n = at.num_rows
        self.names = list(at.column_names)
        self._cache: dict[tuple[str, str, str], Any] = {}
        self._full: dict[str, pa.Array] = {}
        self.trace: dict[str, set[int]] | None = None  # check id -> cases it flags (for the tests)

    def arrow(self, name: str) -> pa.Array:
        if name not in self._full:
            if name not in self.at.column_names:
                self._full[name] = pa.nulls(self.n, pa.string())
            else:
                col = self.at.column(name)
                if isinstance(col, pa.ChunkedArray):
                    col = col.chunk(0) if col.num_chunks == 1 else col.combine_chunks()
                self._full[name] = col
        return self._full[name]

    def sub(self, name: str, rec: _Rec) -> pa.Array:
        """The column's values for the rows of ``rec``."""
        arr = self.arrow(name)
        if pa.types.is_null(arr.type) or arr.null_count == len(arr):
            return pa.nulls(len(rec), arr.type)
        return arr.take(pa.array(rec.rows, pa.int64()))

    def _get(self, kind: str, name: str, rec: _Rec, fn: Any) -> Any:
        key = (kind, name, rec.name)
        if key not in self._cache:
            self._cache[key] = fn(self.sub(name, rec))
        return self._cache[key]

    def present(self, name: str) -> np.ndarray:
        key = ("valid", name, "")
        if key not in self._cache:
            self._cache[key] = valid_mask(self.arrow(name))
        return self._cache[key]

    def dates(self, name: str, rec: _Rec) -> tuple[np.ndarray, np.ndarray]:
        return self._get("dates", name, rec, _dates)

    def codes(self, name: str, rec: _Rec, choices: tuple[str, ...]) -> np.ndarray:
        return self._get("codes:" + "|".join(choices), name, rec, lambda a: _codes(a, choices))

    def bools(self, name: str, rec: _Rec) -> tuple[np.ndarray, np.ndarray]:
        return self._get("bools", name, rec, _bools)

    def dictionary(self, name: str, rec: _Rec) -> tuple[np.ndarray, list[Any]]:
        return self._get("dict", name, rec, _dictionary)

    def not_text(self, name: str, rec: _Rec) -> np.ndarray:
        """Rows whose value is present but not text (or marked as a value of another type)."""

        def check(a: pa.Array) -> np.ndarray:
            if pa.types.is_null(a.type):
                return np.zeros(len(a), dtype=bool)
            if not _is_text(a.type):
                return valid_mask(a)
            if a.null_count == len(a):
                return np.zeros(len(a), dtype=bool)
            return pc.fill_null(pc.starts_with(a, _MIXED), False).to_numpy(zero_copy_only=False)

        return self._get("nottext", name, rec, check)

    def too_long(self, name: str, rec: _Rec) -> np.ndarray:
        """Rows whose text is longer than :data:`timeline.fields.MAX_TEXT` characters."""

        def check(a: pa.Array) -> np.ndarray:
            if not _is_text(a.type) or a.null_count == len(a):
                return np.zeros(len(a), dtype=bool)
            longer = pc.greater(pc.utf8_length(a), MAX_TEXT)
            return pc.fill_null(longer, False).to_numpy(zero_copy_only=False)

        return self._get("toolong", name, rec, check)


# --------------------------------------------------------------------------- parsing and validation


class _Rec:
    """The rows of one record kind, sorted by (case, index): original row, case, index."""

    def __init__(self, name: str, rows: np.ndarray, case: np.ndarray, index: np.ndarray) -> None:
        self.name, self.rows, self.case, self.index = name, rows, case, index

    def __len__(self) -> int:
        return int(self.rows.size)

    def take(self, keep: np.ndarray) -> _Rec:
        out = _Rec(self.name + "*", self.rows[keep], self.case[keep], self.index[keep])
        for k, v in self.__dict__.items():
            if k not in ("name", "rows", "case", "index"):
                setattr(out, k, v[keep])
        return out


class _Problem(NamedTuple):
    case: int  # case code, -1 for a row without case_id
    row: int
    record: str
    field: str
    value: Any
    reason: str


def _read_index(cols: _Columns) -> tuple[np.ndarray, np.ndarray]:
    """The ``index`` column as int64 (-1 absent) and a mask of values that are not whole numbers >= 0."""
    n = cols.n
    if "index" not in cols.names:
        return np.full(n, -1, dtype=np.int64), np.zeros(n, dtype=bool)
    arr = cols.arrow("index")
    valid = valid_mask(arr)
    if pa.types.is_integer(arr.type):
        raw = pc.fill_null(arr.cast(pa.int64()), 0).to_numpy()
        bad = valid & ((raw < 0) | (raw >= (1 << 31)))
        return np.where(valid & ~bad, raw, -1), bad
    if pa.types.is_floating(arr.type):
        raw = pc.fill_null(arr, 0).to_numpy(zero_copy_only=False)
        whole = np.isfinite(raw) & (raw == np.floor(raw)) & (raw >= 0) & (raw < (1 << 31))
        return np.where(valid & whole, raw, -1).astype(np.int64), valid & ~whole
    if _is_text(arr.type):
        codes, values = _dictionary(arr)
        parsed = []
        for v in values:
            s = v.strip()
            parsed.append(int(s) if s.isascii() and s.isdigit() and len(s) < 10 else -2)
        lut = np.array(parsed or [0], dtype=np.int64)
        out = np.where(codes >= 0, lut[np.maximum(codes, 0)], -1)
        bad = out == -2
        return np.where(bad, -1, out), bad
    return np.full(n, -1, dtype=np.int64), valid


def _case_codes(cols: _Columns) -> tuple[np.ndarray, list[str]]:
    """Case code of every row (-1 without case_id), numbered in order of first appearance."""
    arr = cols.arrow("case_id")
    n = len(arr)
    valid = valid_mask(arr)
    if n == 0:
        return np.zeros(0, dtype=np.int64), []
    # Fast path: rows of a case are contiguous; encode only the first row of each run.
    heads = np.ones(n, dtype=bool)
    if n > 1:
        same = pc.equal(arr.slice(1), arr.slice(0, n - 1))
        heads[1:] = ~pc.fill_null(same, False).to_numpy(zero_copy_only=False)
    head_idx = np.flatnonzero(heads)
    enc = pc.dictionary_encode(arr.take(pa.array(head_idx)))
    ids = enc.dictionary.to_pylist()
    head_codes = pc.fill_null(enc.indices, -1).to_numpy().astype(np.int64)
    head_valid = valid[head_idx]
    if len(ids) == int(head_valid.sum()):  # every case is one contiguous run
        run = np.cumsum(heads) - 1
        codes = np.where(head_valid, head_codes, -1)[run]
    else:
        enc = pc.dictionary_encode(arr)
        ids = enc.dictionary.to_pylist()
        codes = pc.fill_null(enc.indices, -1).to_numpy().astype(np.int64)
    return np.where(valid, codes, -1), ids


class _Parsed:
    """Everything read from the table: per-case fields, one :class:`_Rec` per record kind."""

    n_cases: int
    ids: list[str]  # case ids in order of first appearance
    row_case: np.ndarray  # case code of every row (-1: no case_id)
    first_row: np.ndarray  # per case: its first row
    bad: np.ndarray  # per case: a check failed (the case reader gives the error)
    struct: np.ndarray  # per case: a table-structure problem the case reader cannot see
    structural: list[_Problem]  # those problems, one per case
    huge: np.ndarray  # per case: too many records for the packed keys
    recs: dict[str, _Rec]  # the rows of each record kind with their typed fields
    cx: dict[str, Any]  # per-case fields, options, out-of-range flags


def _parse(cols: _Columns, run_options: Mapping[str, str]) -> _Parsed:
    """Read and check every column; flag every case that :func:`case_from_dict` would reject.

    ``cols.trace`` (for the tests) receives, per check of :mod:`timeline.fields`, the cases it flags.
    """
    trace = cols.trace
    n = cols.n
    out = _Parsed()
    row_case, ids = _case_codes(cols)
    nc = len(ids)
    out.n_cases, out.ids, out.row_case = nc, ids, row_case
    first_row = np.full(nc, n, dtype=np.int64)
    has = row_case >= 0
    np.minimum.at(first_row, row_case[has], np.flatnonzero(has))
    out.first_row = first_row
    bad = np.zeros(nc, dtype=bool)
    problems: list[_Problem] = []
    struct = np.zeros(nc, dtype=bool)  # cases with a problem the case reader cannot see

    def flag_rows(mask: np.ndarray) -> None:
        c = row_case[mask]
        bad[c[c >= 0]] = True

    # The case id (timeline.fields, type id): not only whitespace (str.strip's set), not too long.
    if ids:
        text = pa.array(ids, pa.string())
        trimmed = pc.utf8_trim(text, characters=_PY_SPACE)
        for check, failing in (
            ("blank", pc.equal(pc.utf8_length(trimmed), 0)),
            ("length", pc.greater(pc.utf8_length(text), MAX_ID)),
        ):
            mask = failing.to_numpy(zero_copy_only=False)
            bad |= mask
            if trace is not None and mask.any():
                trace.setdefault(check_id("case", "id", check), set()).update(np.flatnonzero(mask).tolist())

    # Rows without a case id: each is an error of its own.
    for r in np.flatnonzero(~has).tolist():
        problems.append(_Problem(-1, r, "", "case_id", None, "case_id is empty: every row needs the id of its case"))

    rec_codes, rec_values = _dictionary(cols.arrow("record"))  # assess_table checked the column is there
    lut = np.array([REC.get(v, -1) if isinstance(v, str) else -1 for v in rec_values] or [-1], dtype=np.int64)
    rec = np.where(rec_codes >= 0, lut[np.maximum(rec_codes, 0)], -1)
    index, index_bad = _read_index(cols)

    def structural(rows: np.ndarray, record: Any, field: str, value: Any, reason: str) -> None:
        for r in rows.tolist():
            c = int(row_case[r])
            if c < 0 or struct[c]:
                continue
            struct[c] = True
            rec_name = record(r) if callable(record) else record
            problems.append(_Problem(c, r, rec_name, field, value(r) if callable(value) else value, reason))

    sizes = np.bincount(row_case[has], minlength=nc)
    # More rows than any real case has: an error at once (README "Batch tables").
    over = np.flatnonzero(sizes > MAX_CASE_RECORDS)
    if over.size:
        structural(
            first_row[over],
            "",
            "",
            lambda r: int(sizes[row_case[r]]),
            f"the case has more than {MAX_CASE_RECORDS:,} rows (the limit per case; a real case has tens)",
        )

    unknown = has & (rec < 0)
    if unknown.any():
        structural(
            np.flatnonzero(unknown),
            "",
            "record",
            lambda r: cols.arrow("record")[r].as_py(),
            f"unknown record; valid: {', '.join(RECORDS)}",
        )
    bad_index = has & index_bad
    if bad_index.any():
        structural(
            np.flatnonzero(bad_index),
            "",
            "index",
            lambda r: cols.arrow("index")[r].as_py(),
            "index must be a whole number >= 0",
        )

    # Unknown fields (a value in a column that is not a field of the row's record).
    known = has & (rec >= 0)
    for name in cols.names:
        if name in ("case_id", "record", "index"):
            continue
        if name == "id":  # the case's id is case_id; a second one has no place
            structural(np.flatnonzero(known & cols.present(name)), "", "id", None, "use case_id for the case's id")
            continue
        allowed = np.array([name in TABLE_FIELDS[r] for r in RECORDS] + [True])
        arr = cols.arrow(name)
        if arr.null_count == len(arr) or allowed.all():
            continue
        where_present = np.flatnonzero(cols.present(name))
        if allowed[rec[where_present]].all():
            continue
        stray = np.zeros(cols.n, dtype=bool)
        stray[where_present] = ~allowed[rec[where_present]]
        stray &= known
        if stray.any():
            opt_rows = stray & (rec == REC["options"])
            if opt_rows.any():
                structural(
                    np.flatnonzero(opt_rows),
                    "options",
                    name,
                    None,
                    "an options row holds only option and value",
                )
            flag_rows(stray)

    recs: dict[str, _Rec] = {}
    use_row_order = "index" not in cols.names
    for r in RECORDS:
        rows = np.flatnonzero(known & (rec == REC[r]))
        case = row_case[rows]
        idx = index[rows]
        order = np.lexsort((rows, idx, case)) if not use_row_order else np.argsort(case, kind="stable")
        rows, case, idx = rows[order], case[order], idx[order]
        starts = _starts(case)
        local = np.arange(rows.size) - np.repeat(starts, np.diff(np.r_[starts, rows.size]))
        if use_row_order:
            idx = local if r in LIST_RECORDS else np.zeros_like(local)
        elif r in SINGLE_RECORDS:
            miss = idx < 0
            idx = np.where(miss & ~index_bad[rows], 0, idx)
        if r in SINGLE_RECORDS:
            dup = local > 0
            structural(rows[dup], r, "", None, f"the case has more than one {r} row")
            wrong = (idx != 0) & ~index_bad[rows] & ~dup
            structural(rows[wrong], r, "index", lambda x: int(index[x]), f"a {r} row has index 0")
        else:
            wrong = (idx != local) & ~index_bad[rows]
            structural(
                rows[wrong],
                lambda x, r=r: f"{r}[{index[x]}]" if index[x] >= 0 else r,
                "index",
                lambda x: None if index[x] < 0 else int(index[x]),
                f"the {r} rows of a case are numbered 0, 1, 2, ... without gaps or repeats",
            )
        recs[r] = _Rec(r, rows, case, idx.astype(np.int64))

    # Too many records for the packed sort keys: the engine would take them (none pass the limit below).
    out.huge = sizes > MAX_RECORDS

    # More entries of one kind than the case reader reads (timeline.fields.MAX_RECORDS).
    for r in LIST_RECORDS:
        if r != "options" and len(recs[r]):
            bad |= np.bincount(recs[r].case, minlength=nc) > MAX_ENTRIES

    cx = _read_fields(cols, recs, nc, bad, run_options)
    out.bad = bad | struct
    out.structural = problems
    out.struct = struct
    out.recs = recs
    out.cx = cx
    return out


#: The short names the rules use for some fields of the records (``pm.wf``, ``nt.change``, ``ap.cond``).
_SHORT = {"withdrawn_from": "wf", "withdrawal_decided": "wd", "change_date": "change", "conditions_met": "cond"}
#: The per-case values the rules read: name in ``cx`` -> (record, field, value when absent).
_PER_CASE: dict[str, tuple[str, str, int]] = {
    "as_of": ("case", "as_of", NA),
    "birth": ("person", "birth_date", NA),
    "sponsor": ("sponsor", "status", S_DUTCH),
    "rel_kind": ("relationship", "kind", RELATIONSHIP_KINDS.index("marriage")),
    "cohab": ("relationship", "cohabitation_start", NA),
    "place": ("relationship", "cohabitation_place", PL_KINGDOM),
    "married": ("relationship", "married", NA),
    "separated": ("relationship", "separated", NA),
    "divorced": ("relationship", "divorced", NA),
}
#: How a reference names its record (``against``): record name -> code of the rules.
_REFERENCE_KIND = {"permits": RK_PERMIT, "applications": RK_APP}
_ORDER = {AFTER: np.less_equal, NOT_BEFORE: np.less, NOT_AFTER: np.greater}  # the failing comparison

_Flag = Callable[[_Rec, np.ndarray, str], None]


def _read_fields(
    cols: _Columns,
    recs: dict[str, _Rec],
    nc: int,
    bad: np.ndarray,
    run_options: Mapping[str, str],
) -> dict[str, Any]:
    """Typed fields of every record and the per-case fields; sets ``bad`` like :func:`case_from_dict`.

    Every field and check comes from :data:`timeline.fields.RECORDS`, as the case reader's:
    each field by its type (:func:`_field_values`), then each check of its record as a mask
    (:func:`_failing`). ``cols.trace`` (for the tests) receives, per check id, the cases it flags.
    """
    trace = cols.trace

    def flag(rec: _Rec, mask: np.ndarray, check: str) -> None:
        if mask.any():
            cases = rec.case[mask]
            bad[cases] = True
            if trace is not None:
                trace.setdefault(check, set()).update(cases.tolist())

    def per_case(rec: _Rec, values: np.ndarray, fill: int) -> np.ndarray:
        out = np.full(nc, fill, dtype=np.int64)
        out[rec.case] = values
        return out

    cx: dict[str, Any] = {}
    # Options first: the end-date convention (OQ-1) changes how ends are read.
    opts = cx["opts"] = _read_options(cols, recs["options"], nc, run_options, flag, cx)
    inclusive = opts["end_date_convention"] == OPTIONS["end_date_convention"].choices.index("inclusive")

    context: dict[str, np.ndarray] = {}
    counts = {name: np.bincount(recs[name].case, minlength=nc) for name in _REFERENCE_KIND}
    values: dict[str, dict[str, np.ndarray]] = {}
    for record in DEFINITION.values():
        rec = recs[record.name]
        v = values[record.name] = _field_values(cols, rec, record, inclusive, flag)
        for name, (owner, sources) in DERIVED.items():
            if owner == record.name:
                earliest = np.full(len(rec), INF, dtype=np.int64)
                for source in sources:
                    earliest = np.minimum(earliest, np.where(v[source] == NA, INF, v[source]))
                context[name] = per_case(rec, np.where(earliest == INF, NA, earliest), NA)
        for check in record.checks:
            mask = _failing(cols, rec, record, check, v, context, counts)
            flag(rec, mask, check_id(record.name, check.field, check.name))

    for key, (record_name, field, fill) in _PER_CASE.items():
        cx[key] = per_case(recs[record_name], values[record_name][field], fill)
    rel = recs["relationship"]
    cx["rel"] = per_case(rel, np.ones(len(rel), dtype=np.int64), 0).astype(bool)
    for record in DEFINITION.values():  # every field but text, as an attribute of its records
        if record.many:
            for field in record.fields:
                if field.type != TEXT:
                    setattr(recs[record.name], _SHORT.get(field.name, field.name), values[record.name][field.name])
    ap = recs["applications"]
    ap.excused = ap.excused == 1
    code, idx = _reference(cols, ap, "against", DEFINITION["applications"].checks)
    names = [_REFERENCE_KIND[n] for n in _reference_names(DEFINITION["applications"].checks, "against")]
    ok = (ap.kind == K["objection"]) & (code >= 0)
    ap.tgt_rk = np.where(ok, np.array(names, dtype=np.int64)[np.maximum(code, 0)], -1)
    ap.tgt_idx = np.where(ok, idx, -1)

    # The first event of each case (model.EVENT_DATES): cases without one, or assessed before
    # it, go to the engine, whose check_facts refuses them with its message.
    first = np.full(nc, INF, dtype=np.int64)
    for record_name, event_fields in EVENT_DATES.items():
        for name in event_fields:
            d = cols.dates(name, recs[record_name])[0]
            present = d != NA
            np.minimum.at(first, recs[record_name].case[present], d[present])
    cx["first_event"] = first
    return cx


def _field_values(
    cols: _Columns, rec: _Rec, record: Record, inclusive: np.ndarray, flag: _Flag
) -> dict[str, np.ndarray]:
    """Each field of ``record`` as an array (day numbers, choice codes with defaults, booleans), its type checked.

    The checks of each type are those of :data:`timeline.fields.TYPE_CHECKS`; the case id
    (type ``id``) is checked with the case codes (:func:`_parse`).
    """
    out: dict[str, np.ndarray] = {}
    for field in record.fields:
        name = field.name

        def cid(check: str, name: str = name) -> str:
            return check_id(record.name, name, check)

        if field.type in (DATE, END):
            v, wrong = cols.dates(name, rec)
            flag(rec, wrong, cid("type"))
            flag(rec, (v != NA) & ((v < SAFE_LO) | (v > SAFE_HI)), cid("range"))
            if field.required:
                flag(rec, (v == NA) & ~wrong, cid("required"))
            if field.type == END:  # exclusive in the model (DC-1); the file gives the last day (OQ-1)
                v = np.where(inclusive[rec.case] & (v != NA), v + 1, v)
        elif field.type == CHOICE:
            v = cols.codes(name, rec, field.choices)
            flag(rec, v == -3, cid("type"))
            flag(rec, v == -4, cid("length"))
            flag(rec, v == -1, cid("choice"))
            if field.required:
                flag(rec, v == -2, cid("required"))
            if field.default is not None:
                v = np.where(v < 0, field.choices.index(str(field.default)), v)
        elif field.type == BOOL:
            v, wrong = cols.bools(name, rec)
            flag(rec, wrong, cid("type"))
        elif field.type == TEXT:
            flag(rec, cols.not_text(name, rec), cid("type"))
            flag(rec, cols.too_long(name, rec), cid("length"))
            v = cols.present(name)[rec.rows]
            if field.required:
                flag(rec, ~v, cid("required"))
        else:
            continue  # the case id: case_id
        out[name] = v
    return out


def _failing(
    cols: _Columns,
    rec: _Rec,
    record: Record,
    check: Check,
    v: Mapping[str, np.ndarray],
    context: Mapping[str, np.ndarray],
    counts: Mapping[str, np.ndarray],
) -> np.ndarray:
    """The rows of ``rec`` that fail ``check`` (the case reader's :func:`timeline.io._check`, as a mask)."""
    mine = v[check.field]
    if check.test in _ORDER:
        other = v[check.other] if check.other in v else context[check.other][rec.case]
        return (mine != NA) & (other != NA) & _ORDER[check.test](mine, other)
    if check.test == NEEDS:
        allowed = [record.field(check.other).choices.index(x) for x in check.values]
        return cols.present(check.field)[rec.rows] & ~np.isin(v[check.other], allowed)
    code, idx = _reference(cols, rec, check.field, record.checks)
    if check.test == REFERENCE_FORM:
        return code == -2
    names = _reference_names(record.checks, check.field)
    if check.test == REFERENCE_EXISTS:
        limit = np.zeros(len(rec), dtype=np.int64)
        for k, name in enumerate(names):
            sel = code == k
            limit[sel] = counts[name][rec.case[sel]]
        return (code >= 0) & (idx >= limit)
    assert check.test == REFERENCE_NOT_SELF, check.test
    own = names.index(record.name) if record.name in names else -3
    return (code == own) & (idx == rec.index)


def _reference_names(checks: tuple[Check, ...], field: str) -> tuple[str, ...]:
    """The records a reference field may name (the ``values`` of its form check)."""
    return next(c.values for c in checks if c.field == field and c.test == REFERENCE_FORM)


def _reference(cols: _Columns, rec: _Rec, field: str, checks: tuple[Check, ...]) -> tuple[np.ndarray, np.ndarray]:
    """A reference ``"name[i]"`` parsed: the position of ``name`` among the records it may name
    (-1 absent, -2 not of that form) and ``i``."""
    names = _reference_names(checks, field)

    def parse(arr: pa.Array) -> tuple[np.ndarray, np.ndarray]:
        codes, values = _dictionary(arr)
        parsed_code, parsed_idx = [], []
        for value in values:
            k, i = -2, -1
            if isinstance(value, str) and not value.startswith(_MIXED):
                name, _, rest = value.partition("[")
                number = rest[:-1] if rest.endswith("]") else ""
                if name in names and number != "" and all(c in "0123456789" for c in number) and len(number) < 10:
                    k, i = names.index(name), int(number)
            parsed_code.append(k)
            parsed_idx.append(i)
        has = codes >= 0
        at = np.maximum(codes, 0)
        code = np.where(has, np.array(parsed_code or [-1], dtype=np.int64)[at], -1)
        return code, np.where(has, np.array(parsed_idx or [-1], dtype=np.int64)[at], -1)

    return cols._get("reference", field, rec, parse)


def _read_options(
    cols: _Columns, opt: _Rec, nc: int, run_options: Mapping[str, str], flag: _Flag, cx: dict[str, Any]
) -> dict[str, np.ndarray]:
    """Each option's choice code per case (:mod:`timeline.options` validates them, as the case reader does)."""
    keys = tuple(OPTIONS)
    okey = cols.codes("option", opt, keys)
    flag(opt, okey < 0, "options")
    vals, values = _dictionary(_option_values(cols.sub("value", opt)))
    flag(opt, vals < 0, "options")
    # Duplicate option names in one case: JSON cannot hold them.
    if len(opt):
        k = (opt.case << 8) | np.maximum(okey, 0)
        order = np.argsort(k, kind="stable")
        dup = np.zeros(len(opt), dtype=bool)
        ks = k[order]
        dup[order[1:]] = (ks[1:] == ks[:-1]) & (okey[order][1:] >= 0)
        flag(opt, dup, "options")
        cx["option_dup_rows"] = opt.rows[dup]
    else:
        cx["option_dup_rows"] = np.zeros(0, dtype=np.int64)
    choice_index = {key: {v: i for i, v in enumerate(o.choices)} for key, o in OPTIONS.items()}
    value_list = list(values)
    opts: dict[str, np.ndarray] = {}
    for ki, key in enumerate(keys):
        default = OPTIONS[key].choices.index(OPTIONS[key].default)
        arr = np.full(nc, default, dtype=np.int64)
        sel = okey == ki
        if sel.any():
            lut = np.array([choice_index[key].get(v, -1) for v in value_list] or [-1], dtype=np.int64)
            code = np.where(vals[sel] >= 0, lut[np.maximum(vals[sel], 0)], -1)
            flag(opt.take(sel), code < 0, "options")
            arr[opt.case[sel]] = np.maximum(code, 0)
        if key in run_options:
            arr[:] = OPTIONS[key].choices.index(run_options[key])
        opts[key] = arr
    return opts


def _flagged(table: Any, options: Mapping[str, str] | None = None) -> tuple[dict[str, set[str]], set[str]]:
    """What the vectorised validation flags in an event table, for the tests: per check id of
    :mod:`timeline.fields` the ids of the cases it flags, and the ids of every flagged case."""
    cols = _Columns(_arrow(table))
    trace = cols.trace = {}
    parsed = _parse(cols, dict(options or {}))
    ids = parsed.ids
    flagged = {ids[c] for c in np.flatnonzero(parsed.bad).tolist()}
    return {check: {ids[c] for c in cases} for check, cases in trace.items()}, flagged


def _option_values(arr: pa.Array) -> pa.Array:
    """Option values as text, as the case reader makes them (true -> yes, 5 -> "5")."""
    if pa.types.is_boolean(arr.type):
        return pc.if_else(arr, "yes", "no")
    if pa.types.is_integer(arr.type):
        return arr.cast(pa.string())
    if _is_text(arr.type) or pa.types.is_null(arr.type):
        return arr
    return pa.array([None if v is None else _MIXED for v in arr.to_pylist()], pa.string())


# --------------------------------------------------------------------------- the rules, vectorised


class _Ctx:
    """Per-case inputs of the assessable cases (arrays of length ``n``) and their records."""

    def __init__(self, n: int, cx: dict[str, Any], recs: dict[str, _Rec], keep: np.ndarray, as_of: np.ndarray):
        self.n = n
        self.as_of = as_of
        self.opts = cx["opts"]
        defaults = {"sponsor": S_DUTCH, "rel": False, "rel_kind": 0, "place": PL_KINGDOM}
        for k in ("birth", "sponsor", "rel", "rel_kind", "cohab", "place", "married", "separated", "divorced"):
            setattr(self, k, np.where(keep, cx[k], defaults.get(k, NA)))
        self.pm = recs["permits"].take(keep[recs["permits"].case])
        self.ap = recs["applications"].take(keep[recs["applications"].case])
        self.nt = recs["notifications"].take(keep[recs["notifications"].case])
        self.ab = recs["absences"].take(keep[recs["absences"].case])
        mar1 = self.opt("leap_day_anniversary", "mar1")
        self.mar1 = mar1
        max_index = max([0] + [int(r.index.max()) for r in (self.pm, self.ap) if len(r)])
        self.rank = _RecordRank(max_index)

    def opt(self, key: str, value: str) -> np.ndarray:
        return self.opts[key] == OPTIONS[key].choices.index(value)


class _Slots:
    """The permit list of every case in CSR layout: recorded permits, then derived ones in order."""

    def __init__(self, size: int) -> None:
        self.valid = np.zeros(size, dtype=bool)
        self.start = np.full(size, NA, dtype=np.int64)
        self.gend = np.full(size, INF, dtype=np.int64)
        self.purpose = np.full(size, -1, dtype=np.int64)
        self.rk = np.full(size, RK_PERMIT, dtype=np.int64)
        self.ridx = np.full(size, -1, dtype=np.int64)
        self.kind = np.full(size, -1, dtype=np.int64)
        self.received = np.full(size, NA, dtype=np.int64)
        self.basis = np.full(size, B["recorded"], dtype=np.int64)
        self.wd = np.full(size, NA, dtype=np.int64)
        self.wf = np.full(size, NA, dtype=np.int64)
        self.reversed = np.zeros(size, dtype=bool)


def _objections(c: _Ctx) -> dict[str, np.ndarray]:
    """R8.2, R3.2: the decision each objection is against, by
    :func:`timeline.kernels.procedures.objection_target` (``where``/``pos`` per application,
    -1 if none; ``case``/``rk``/``idx``/``granted`` for the objections that have one).
    """
    ap, pm, i64 = c.ap, c.pm, np.int64
    _, p_off = _offsets(pm.case, c.n)
    _, a_off = _offsets(ap.case, c.n)
    where, pos = np.empty(len(ap), dtype=i64), np.empty(len(ap), dtype=i64)
    kt.procedures.run_objections(
        p_off, pm.wd.astype(i64), a_off, ap.kind.astype(i64), ap.outcome.astype(i64), ap.received.astype(i64),
        ap.decided.astype(i64), ap.tgt_rk.astype(i64), ap.tgt_idx.astype(i64), where, pos,
    )  # fmt: skip
    has = where >= 0
    return {
        "where": where, "pos": pos, "case": ap.case[has], "rk": where[has], "idx": pos[has],
        "granted": ap.outcome[has] == O_GRANTED,
    }  # fmt: skip


assert (RK_APP, RK_PERMIT) == (kp.IN_APPLICATIONS, kp.IN_PERMITS)  # one code for where a record lives


def _lookup(keys_sorted: np.ndarray, query: np.ndarray) -> np.ndarray:
    """Position of each query in a sorted unique key array, or -1."""
    if keys_sorted.size == 0:
        return np.full(query.size, -1, dtype=np.int64)
    i = np.searchsorted(keys_sorted, query)
    j = np.minimum(i, keys_sorted.size - 1)
    return np.where(keys_sorted[j] == query, j, -1)


def _residence(c: _Ctx, targets: dict[str, np.ndarray]) -> tuple[_Slots, np.ndarray]:
    """``assess_residence`` over the table: the permit chain and its withdrawals (R1.2, R1.4,
    R4.1, R4.2, R3.1, R3.2), by the kernels of :mod:`timeline.kernels.residence`.

    Slots in CSR layout per case: the recorded permits, then one per granted (or, after a
    granted objection, reinstated) permit application in order of receipt.
    """
    pm, ap, n = c.pm, c.ap, c.n
    i64 = np.int64
    pm_rev, ap_rev = _reinstated(c, targets)
    derivable = np.flatnonzero(
        PERMIT_KIND[np.maximum(ap.kind, 0)]
        & ((ap.outcome == O_GRANTED) | ((ap.outcome == O_REFUSED) & ap_rev))
        & (ap.kind >= 0)
    )
    drows = derivable[np.lexsort((ap.index[derivable], ap.received[derivable], ap.case[derivable]))]
    dcase = ap.case[drows]
    n_perm, p_off = _offsets(pm.case, n)
    n_der, a_off = _offsets(dcase, n)
    size = n_perm + n_der
    off = np.concatenate(([0], np.cumsum(size)))
    total = int(off[-1])
    is_permit = np.zeros(total, dtype=bool)
    is_permit[off[pm.case] + pm.index] = True
    slot_case = np.repeat(np.arange(n), size)

    # R4.2: the last day of the tolerance after each possible previous end (atw, one call a date).
    change_too = c.opt("late_tolerance_applies_to", "extension-and-change")
    dkind = ap.kind[drows]
    late_kind = (dkind == K["extension"]) | ((dkind == K["change-of-purpose"]) & change_too[dcase])
    latest = _reduce(np.maximum, dcase[late_kind], ap.received[drows][late_kind], n, NA)
    p_end = np.where(INDEFINITE[pm.purpose] | (pm.end == NA), INF, pm.end).astype(i64)
    vu = ap.valid_until[drows]
    a_end = np.where(vu == NA, INF, vu).astype(i64)
    tolerance_applies = _rows_on("late_extension_tolerance", ap.received[drows]) >= 0  # by the day of receipt

    out = {name: np.empty(total, dtype=i64) for name in ("valid", "purpose", "start", "end", "basis", "outcome")}
    previous, tol_end = np.empty(total, dtype=i64), np.empty(total, dtype=i64)
    kt.compiled.run_chain(
        p_off, pm.purpose.astype(i64), pm.start.astype(i64), p_end, _tolerance_ends(c, pm.case, p_end, latest),
        a_off, dkind.astype(i64), ap.received[drows].astype(i64), ap.purpose[drows].astype(i64), vu.astype(i64),
        ap.cond[drows].astype(i64), ap.start[drows].astype(i64), ap.excused[drows].astype(i64),
        _tolerance_ends(c, dcase, a_end, latest), tolerance_applies.astype(i64), change_too.astype(i64),
        off.astype(i64),
        out["valid"], out["purpose"], out["start"], out["end"], out["basis"], out["outcome"], previous, tol_end,
    )  # fmt: skip
    s = _Slots(total)
    s.valid, s.start, s.gend = out["valid"] == 1, out["start"], out["end"]
    s.purpose, s.basis = out["purpose"], out["basis"]
    s.rk = np.where(is_permit, RK_PERMIT, RK_APP)
    s.ridx[is_permit], s.ridx[~is_permit] = pm.index, ap.index[drows]
    s.kind[~is_permit], s.received[~is_permit] = dkind, ap.received[drows]
    s.wd[is_permit], s.wf[is_permit], s.reversed[is_permit] = pm.wd, pm.wf, pm_rev

    # R3.1 (OQ-3), R3.2: withdrawals, per slot.
    first = _first_report(c)
    ended = (np.bincount(c.nt.case, minlength=n) > 0) | (c.rel & (c.separated != NA))
    choice = np.array([kr.WITHDRAWAL_CHOICES.index(ch) for ch in OPTIONS["withdrawal_effective"].choices])
    recorded_from = s.wf  # NA except on recorded permits
    s.wf, wbasis, s.end = np.empty(total, dtype=i64), np.empty(total, dtype=i64), np.empty(total, dtype=i64)
    kt.compiled.run_withdrawals(
        slot_case, s.purpose, s.reversed.astype(i64), recorded_from, s.wd, s.start,
        s.gend, ended.astype(i64), c.separated.astype(i64), first["change"], first["received"],
        choice[c.opts["withdrawal_effective"]].astype(i64), s.wf, wbasis, s.end,
    )  # fmt: skip
    s.withdrawn = s.wf != NA
    s.case = slot_case
    s.off = off
    s.size = size
    removed = (s.end != INF) & (s.end <= s.start)
    final = s.valid & ~removed
    return s, final


def _reinstated(c: _Ctx, targets: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """R3.2: the permits whose withdrawal, and the applications whose refusal, a granted
    objection undid (masks over ``c.pm`` and ``c.ap``).
    """
    pm, ap = c.pm, c.ap
    rev = targets["granted"]
    tkey = (targets["case"][rev] << 32) | targets["idx"][rev]
    trk = targets["rk"][rev]
    out = []
    for rec, kind in ((pm, RK_PERMIT), (ap, RK_APP)):
        mask = np.zeros(len(rec), dtype=bool)
        hit = _lookup((rec.case << 32) | rec.index, tkey[trk == kind])
        mask[hit[hit >= 0]] = True
        out.append(mask)
    return out[0], out[1]


def _tolerance_ends(c: _Ctx, cases: np.ndarray, ends: np.ndarray, latest: np.ndarray) -> np.ndarray:
    """R4.2: :func:`timeline.rules.residence.tolerance_last_day` of each end, where a late
    extension (or change of purpose) of the case could need it (:data:`NA` elsewhere).

    The rule is called once per distinct (end, option choices), not once per case.
    """
    out = np.full(ends.size, NA, dtype=np.int64)
    need = np.flatnonzero((ends != INF) & (ends != NA) & (latest[cases] >= ends))
    if need.size == 0:
        return out
    from_last = c.opt("late_extension_count_from", "last-valid-day")[cases[need]]
    roll = c.opt("late_extension_atw", "yes")[cases[need]]
    key = (ends[need] << 2) | (from_last.astype(np.int64) << 1) | roll.astype(np.int64)
    uniq, inverse = np.unique(key, return_inverse=True)
    days = [
        _day(tolerance_last_day(_date(k >> 2), from_last_valid_day=bool(k & 2), roll=bool(k & 1)))
        for k in uniq.tolist()
    ]
    out[need] = np.array(days, dtype=np.int64)[inverse]
    return out


def _first_report(c: _Ctx) -> dict[str, np.ndarray]:
    """The report the IND received first, from either party (R2.2, OQ-3), by
    :func:`timeline.kernels.procedures.first_report`: its ``received`` date starts the
    withdrawal under ``withdrawal_effective=notification`` and its ``change`` date under
    ``reported`` (OQ-3); the reporting status (R2.2) compares the deadline with ``received``.
    """
    nt, i64 = c.nt, np.int64
    _, n_off = _offsets(nt.case, c.n)
    first = np.empty(c.n, dtype=i64)
    kt.procedures.run_first_reports(n_off, nt.received.astype(i64), nt.by.astype(i64), first)
    has = first >= 0
    k = np.maximum(first, 0)
    received = np.where(has, nt.received[k], NA) if len(nt) else np.full(c.n, NA, dtype=i64)
    change = np.where(has, nt.change[k], NA) if len(nt) else np.full(c.n, NA, dtype=i64)
    return {"received": received.astype(i64), "change": change.astype(i64)}


def _procedural(c: _Ctx, targets: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Layer B (R4.5, Vw 8, Vw 73): waiting for a decision, and suspended decisions, by
    :func:`timeline.kernels.procedures.procedural_stays`: ``(case, start, end)`` per stay.
    """
    ap, pm, i64 = c.ap, c.pm, np.int64
    _, p_off = _offsets(pm.case, c.n)
    _, a_off = _offsets(ap.case, c.n)
    # R8.2: the objection deadline of every decision that may need it (the ATW calendar).
    p_deadline = _per_day(pm.wd, objection_deadline)
    a_deadline = _per_day(np.where(ap.outcome == O_REFUSED, ap.decided, NA), objection_deadline)
    p_posting, a_posting = _per_day(p_deadline, objection_posting_end), _per_day(a_deadline, objection_posting_end)
    size = len(pm) + 2 * len(ap)  # at most a stay per withdrawal and two per application
    case, start, end, basis, where, pos = (np.empty(size, dtype=i64) for _ in range(6))
    count = kt.procedures.run_procedural(
        p_off, pm.wd.astype(i64), p_deadline, p_posting, a_off, ap.kind.astype(i64), ap.outcome.astype(i64),
        ap.received.astype(i64), ap.posted.astype(i64), ap.decided.astype(i64), a_deadline, a_posting,
        targets["where"], targets["pos"], case, start, end, basis, where, pos,
    )  # fmt: skip
    return case[:count], start[:count], end[:count]


def _eu(
    c: _Ctx, s: _Slots, final: np.ndarray, cov: _Spans, proc: tuple[np.ndarray, ...], ab: _AbsenceRows
) -> np.ndarray:
    """``eu_long_term`` (R5.2) over the table, by the kernels of :mod:`timeline.kernels.clocks`:
    the run that holds ``as_of`` (procedural stay bridging it under ``eu_procedural_stay=bridge``,
    OQ-5), breaks, then the weighted accrual."""
    n, i64 = c.n, np.int64
    bridge = c.opt("eu_procedural_stay", "bridge")
    pcase, pstart, pend = proc
    pb = bridge[pcase]
    layer = _merge(
        np.concatenate((cov.case, pcase[pb])),
        np.concatenate((cov.start, pstart[pb])),
        np.concatenate((cov.end, pend[pb])),
        n,
    )
    hit = _find(layer, np.arange(n), c.as_of)
    h = np.maximum(hit, 0)
    run_start = np.where(hit >= 0, layer.start[h] if layer.start.size else NA, NA).astype(i64)
    run_end = np.where(hit >= 0, layer.end[h] if layer.end.size else INF, INF).astype(i64)
    # The final periods in the single case's order: by start, then record name as a string.
    fi = np.flatnonzero(final)
    fi = fi[np.lexsort((c.rank(s.rk[fi], s.ridx[fi]), (s.case[fi].astype(i64) << SHIFT) | (s.start[fi] + BIAS)))]
    fcase = s.case[fi]
    _, p_off = _offsets(fcase, n)
    p_end = s.end[fi].astype(i64)
    end_order = np.argsort((fcase.astype(i64) << SHIFT) | (p_end + BIAS)) - p_off[fcase]
    scratch = 2 * int(np.diff(p_off).max(initial=0)) + 3
    seg = [np.empty(scratch, dtype=i64) for _ in range(3)]
    out = np.empty(n, dtype=i64)
    years = _scalar("eu_long_term_years").amount
    least, fixed_target = eu_targets(years)
    kt.clocks.run_eu(
        run_start, run_end, p_off, s.start[fi].astype(i64), p_end, WEIGHT[s.purpose[fi], c.sponsor[fcase]].astype(i64),
        end_order.astype(i64), c.as_of.astype(i64), ab.off, ab.departed, ab.returned, c.mar1.astype(i64),
        c.opt("eu_accrual_target", "fixed").astype(i64), years, _scalar("eu_single_absence_limit").amount, least,
        fixed_target, EU_SEARCH_DAYS, _scalar("eu_total_absence_limit").amount, AVERAGE_MONTH_DAYS, ab.moved, *seg,
        out,
    )  # fmt: skip
    return out


def _gaps(
    c: _Ctx, s: _Slots, cov: _Spans, first_start: np.ndarray, proc: tuple[np.ndarray, ...]
) -> dict[str, np.ndarray]:
    """DC-6 over the table by the kernels of :mod:`timeline.kernels.residence`: every residence
    gap with its cause, the record that cause names and its procedural days (R4.5).
    """
    n, ap, i64 = c.n, c.ap, np.int64
    v = np.flatnonzero(s.valid)  # the chain as the single case builds it: valid slots in order
    _, p_off = _offsets(s.case[v], n)
    _, a_off = _offsets(ap.case, n)
    pcase, pstart, pend = proc
    order = np.lexsort((pstart, pcase))
    _, b_off = _offsets(pcase[order], n)
    size = cov.start.size + n  # at most one gap more than spans of coverage
    rows = [np.empty(size, dtype=i64) for _ in range(8)]
    count = kt.compiled.run_gaps(
        c.as_of.astype(i64), first_start.astype(i64), cov.off.astype(i64), cov.start.astype(i64),
        cov.end.astype(i64), p_off, s.start[v], s.end[v], s.gend[v], s.withdrawn[v].astype(i64), s.received[v],
        s.basis[v], s.kind[v], a_off, ap.kind.astype(i64), ap.outcome.astype(i64), ap.received.astype(i64),
        ap.decided.astype(i64), b_off, pstart[order].astype(i64), pend[order].astype(i64), *rows,
    )  # fmt: skip
    gc, gs, ge, days, cause, where, pos, pdays = (r[:count] for r in rows)
    in_chain, in_apps = where == kr.IN_CHAIN, where == kr.IN_APPLICATIONS
    slot = v[np.where(in_chain, p_off[gc] + pos, 0)] if v.size else np.zeros(count, dtype=i64)
    app = np.where(in_apps, a_off[gc] + pos, 0)
    rk = np.where(in_chain, s.rk[slot] if v.size else -1, np.where(in_apps, RK_APP, -1))
    ridx = np.where(in_chain, s.ridx[slot] if v.size else -1, np.where(in_apps, ap.index[app] if len(ap) else -1, -1))
    return {
        "case": gc, "start": gs, "end": ge, "days": days, "cause": cause, "rk": rk, "ridx": ridx,
        "procedural_days": pdays,
    }  # fmt: skip


def _compute(c: _Ctx, want_gaps: bool) -> tuple[dict[str, np.ndarray], dict[str, Any] | None]:
    """Every result column for the cases of ``c`` (day numbers, codes)."""
    n = c.n
    targets = _objections(c)
    s, final = _residence(c, targets)
    first_start = _reduce(np.minimum, s.case[s.valid], s.start[s.valid], n, INF)
    first_start = np.where(first_start == INF, NA, first_start)
    cov = _merge(s.case[final], s.start[final], s.end[final], n)
    proc = _procedural(c, targets)
    g = _gaps(c, s, cov, first_start, proc)
    res: dict[str, np.ndarray] = {}
    gcount = np.bincount(g["case"], minlength=n)
    res["gap_count"] = gcount
    res["gap_days"] = np.bincount(g["case"], weights=g["days"], minlength=n).astype(np.int64)
    gst = _starts(g["case"])
    first_gap = np.full(n, NA, dtype=np.int64)
    first_gap[g["case"][gst]] = g["start"][gst]
    last_idx = np.r_[gst[1:] - 1, g["case"].size - 1] if gst.size else gst
    last_end = np.full(n, NA, dtype=np.int64)
    last_end[g["case"][last_idx]] = g["end"][last_idx]
    ongoing = np.zeros(n, dtype=bool)
    ongoing[g["case"][last_idx]] = g["end"][last_idx] == NA
    res["first_gap_start"] = first_gap
    res["last_gap_end"] = last_end
    res["gap_ongoing"] = ongoing

    _notification(c, res)

    ab = _absence_rows(c)
    clocks = _clocks(c, cov, first_start, ab)
    standard, spouse, partner, long = (clocks[k] for k in ("standard", "spouse", "partner", "long"))
    res["permanent_residence_eligible_from"] = clocks["permanent"]
    res["naturalisation_standard_eligible_from"] = standard
    res["naturalisation_spouse_eligible_from"] = spouse
    res["naturalisation_partner_eligible_from"] = partner
    res["naturalisation_long_residence_eligible_from"] = long
    best = np.full(n, INF, dtype=np.int64)
    route = np.full(n, -1, dtype=np.int64)
    for code, values in enumerate((standard, spouse, partner, long)):
        better = (values != NA) & (values < best)
        best = np.where(better, values, best)
        route = np.where(better, code, route)
    res["naturalisation_eligible_from"] = np.where(route >= 0, best, NA)
    res["naturalisation_route"] = route

    res["eu_long_term_eligible_from"] = _eu(c, s, final, cov, proc, ab)

    return res, g if want_gaps else None


class _AbsenceRows(NamedTuple):
    """The absences of every case sorted by departure (file order on a tie), in CSR layout."""

    off: np.ndarray
    departed: np.ndarray
    returned: np.ndarray
    moved: np.ndarray  #: scratch for the kernels (positions of the absences that restart a clock)


def _absence_rows(c: _Ctx) -> _AbsenceRows:
    ab = c.ab  # sorted by (case, index): a stable sort by (case, departed) keeps file order on a tie
    order = np.argsort((ab.case.astype(np.int64) << SHIFT) | (ab.departed + BIAS), kind="stable")
    _, off = _offsets(ab.case[order], c.n)
    i64 = np.int64
    return _AbsenceRows(off, ab.departed[order].astype(i64), ab.returned[order].astype(i64), np.empty(len(ab), i64))


def _clocks(c: _Ctx, cov: _Spans, first_start: np.ndarray, ab: _AbsenceRows) -> dict[str, np.ndarray]:
    """R5.1 (``permanent_residence``) and R6.1-R6.4 (``naturalisation``'s routes) over the
    table, by the kernels of :mod:`timeline.kernels.clocks`: the earliest dates, NA for none.
    The terms as :func:`_scalar` gives them; the standard route's by :func:`_standard_route`."""
    n, i64 = c.n, np.int64
    run = _find(cov, np.arange(n), c.as_of)
    run_start = np.where(run >= 0, cov.start[np.maximum(run, 0)] if cov.start.size else NA, NA).astype(i64)
    strict = c.opt("national_absence_threshold", "more-than-6-months").astype(i64)
    months = _scalar("national_absence_limit").amount
    standard = _standard_route(c, run_start, ab, strict, months)
    ninety = c.opt("permanent_decision_period", "90-days")
    out = {k: np.empty(n, dtype=i64) for k in ("permanent", "spouse", "partner", "long")}
    kt.clocks.run_clocks(
        c.as_of.astype(i64), run_start, run.astype(i64), cov.off.astype(i64), cov.start.astype(i64),
        cov.end.astype(i64), first_start.astype(i64), c.birth.astype(i64), ab.off, ab.departed, ab.returned,
        c.mar1.astype(i64), strict, c.opt("permanent_reference_date", "decision").astype(i64),
        np.where(ninety, 90, 0).astype(i64), standard,
        c.rel.astype(i64), (c.rel_kind == R_UNMARRIED).astype(i64), c.married.astype(i64),
        (c.sponsor == S_DUTCH).astype(i64), c.separated.astype(i64), c.divorced.astype(i64), c.cohab.astype(i64),
        (c.place == PL_KINGDOM).astype(i64), (c.place == PL_ABROAD).astype(i64),
        _scalar("permanent_residence_min_age").amount, _scalar("permanent_residence_years").amount, months, 6,
        _scalar("spouse_years").amount, _scalar("partner_years").amount, _scalar("long_residence_years").amount,
        _scalar("long_residence_total_years").amount,
        ab.moved, out["permanent"], out["spouse"], out["partner"], out["long"],
    )  # fmt: skip
    out["standard"] = standard
    return out


def _standard_route(c: _Ctx, run_start: np.ndarray, ab: _AbsenceRows, strict: np.ndarray, months: int) -> np.ndarray:
    """``_standard_route`` (R6.1) for every case (NA without a run), by :func:`kt.clocks.run_standard`.

    The term is the row of ``naturalisation_years`` in force on the request date, as
    ``clocks.law_on_request`` chooses it: per row, the run (after breaks, R5.3) completes
    the row's term, from the row's first day at the earliest, and the earliest such day
    on which the row is in force wins; with none, the last row's. The option's ten years
    (OQ-18) apply to every date. One pass of the kernel per row of the table.
    """
    n, i64 = c.n, np.int64
    what_if = c.opt("naturalisation_years", "10")
    best = np.full(n, INF, dtype=i64)
    last = best
    t, abroad = np.empty(n, dtype=i64), np.empty(n, dtype=i64)
    for row in law.rows("naturalisation_years"):
        years = np.where(what_if, 10, row.term.amount).astype(i64)
        not_before = np.where(what_if | (row.valid_from is None), NA, _day(row.valid_from or MIN_DATE)).astype(i64)
        kt.clocks.run_standard(
            run_start, years, not_before, c.mar1.astype(i64), months, strict, c.as_of.astype(i64), ab.off,
            ab.departed, ab.returned, ab.moved, t, abroad,
        )  # fmt: skip
        in_force = t < _day(row.valid_to) if row.valid_to is not None else np.ones(n, dtype=bool)
        valid = (abroad == 0) & (what_if | in_force)
        best = np.where(valid & (t < best), t, best)
        last = np.where(abroad == 1, NA, t)
    return np.where(run_start == NA, NA, np.where(best < INF, best, last)).astype(i64)


def _notification(c: _Ctx, res: dict[str, np.ndarray]) -> None:
    """``assess_notification`` (R2.2, OQ-2) by the kernels of :mod:`timeline.kernels.procedures`:
    trigger, ATW deadline (:func:`timeline.rules.notification.notification_deadline`), status
    of the first report.
    """
    n, nt, i64 = c.n, c.nt, np.int64
    _, n_off = _offsets(nt.case, n)
    choice = np.array([kp.TRIGGER_BASES.index(ch) for ch in OPTIONS["notification_trigger"].choices])
    trigger, basis = np.empty(n, dtype=i64), np.empty(n, dtype=i64)
    kt.procedures.run_triggers(
        choice[c.opts["notification_trigger"]].astype(i64), np.where(c.rel, c.separated, NA).astype(i64),
        np.where(c.rel, c.divorced, NA).astype(i64), n_off, nt.change.astype(i64), trigger, basis,
    )  # fmt: skip
    deadline = _per_day(trigger, notification_deadline)
    received = np.where(trigger != NA, _first_report(c)["received"], NA)
    status, days_late = np.empty(n, dtype=i64), np.empty(n, dtype=i64)
    kt.procedures.run_report_status(received, deadline, c.as_of.astype(i64), status, days_late)
    res["notification_trigger"] = trigger
    res["notification_deadline"] = deadline
    res["notification_received"] = received
    res["notification_status"] = status
    res["notification_days_late"] = days_late


STATUS_NAMES = kp.REPORT_STATUSES  #: R2.2, the kernels' codes
ROUTE_NAMES = NATURALISATION_ROUTES


# --------------------------------------------------------------------------- assembly


def _date_column(days: np.ndarray) -> np.ndarray:
    out = np.where(days == NA, np.iinfo(np.int64).min, days * 86_400_000_000)
    return out.view("M8[us]")


def empty_frame(columns: Mapping[str, str]) -> pd.DataFrame:
    """An empty frame with ``columns`` (name: dtype), as the results, errors and gaps have."""
    return pd.DataFrame({k: pd.Series([], dtype=v) for k, v in columns.items()})


def typed_frame(data: Mapping[str, Any], columns: Mapping[str, str]) -> pd.DataFrame:
    """The ``columns`` (name: dtype) of ``data`` as a frame with exactly those dtypes."""
    df = pd.DataFrame({k: data[k] for k in columns})
    for k, v in columns.items():
        if str(df[k].dtype) != v:
            df[k] = df[k].astype(v)
    return df


def _names(codes: np.ndarray, names: tuple[str, ...]) -> pd.Series:
    lut = np.array([*names, None], dtype=object)
    return pd.Series(lut[np.where(codes < 0, len(names), codes)], dtype="str")


def cell_text(value: Any) -> str | None:
    """A value of an input cell as the text an error row shows (dates ISO, others JSON)."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    try:
        return json.dumps(value, default=str)
    except (TypeError, ValueError):
        return repr(value)


def _row_of_error(tc: Any, err: CaseError, base: np.ndarray) -> int | None:
    """The input row of the record an error names (the case row for the top level)."""
    record = err.record
    rows = tc.rows
    if record.endswith("]") and "[" in record:
        name, _, rest = record.partition("[")
        try:
            pos = rows.get((name, int(rest[:-1])))
        except ValueError:
            pos = None
    elif record == "options":
        pos = next((p for (r, _), p in sorted(rows.items(), key=lambda x: x[1]) if r == "options"), None)
        opts = tc.data.get("options") or {}
        if err.field in opts:
            k = list(opts).index(err.field)
            pos = rows.get(("options", k), pos)
    elif record:
        pos = rows.get((record, 0))
    else:
        pos = rows.get(("case", 0))
    if pos is None:
        pos = min(rows.values()) if rows else None
    return None if pos is None else int(base[pos])


def assess_table(
    table: Any,
    as_of: date | None = None,
    options: Mapping[str, str] | None = None,
    *,
    default_as_of: date | None = None,
    first_row: int = 0,
    gaps: bool = True,
) -> BatchResult:
    """Assess every case of an event table: one row per case, same answers as :func:`timeline.assess`.

    Parameters
    ----------
    table : pandas.DataFrame or pyarrow.Table
        The long event table (README "Batch tables", :mod:`timeline.tables`): columns
        ``case_id``, ``record``, ``index`` and the case-file fields. Dates may be ISO text,
        dates, or midnight timestamps. Rows of a case need not be contiguous.
    as_of : datetime.date, optional
        Evaluation date for every case. Default: each case's own ``as_of``, else
        ``default_as_of``; a case with neither is an error.
    options : mapping, optional
        Rules options (OQ-*) on top of each case's own ``options``, as
        ``timeline assess --option``.
    default_as_of : datetime.date, optional
        The date for cases without ``as_of`` when ``as_of`` is not given (the CLI passes
        today).
    first_row : int
        Added to the row numbers in ``errors`` (for tables read in chunks).
    gaps : bool
        Whether to compute the per-gap table (causes, procedural days).

    Returns
    -------
    BatchResult
        ``(results, errors, gaps)`` data frames; see :data:`RESULT_COLUMNS`,
        :data:`ERROR_COLUMNS`, :data:`GAP_COLUMNS`. Each input case is in exactly one of
        ``results`` and ``errors``.

    Raises
    ------
    OptionError
        For an unknown option or value in ``options`` (it applies to every case).
    TableError
        When ``table`` lacks the ``case_id`` or ``record`` column.

    Examples
    --------
    >>> from timeline.tables import cases_to_table
    >>> df = cases_to_table([{"id": "a", "permits": [{"purpose": "work", "start": "2021-03-11", "end": "2022-03-11"}]}])
    >>> res, err, gaps = assess_table(df, as_of=date(2022, 6, 1))
    >>> res.loc[0, "gap_count"], res.loc[0, "gap_days"], str(res.loc[0, "first_gap_start"].date())
    (np.int64(1), np.int64(82), '2022-03-11')
    """
    run_options = {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in (options or {}).items()}
    Options(run_options)  # an invalid option stops the run: it applies to every case
    at = _arrow(table)
    check_unique_columns(at.column_names, "the event table")
    for name in ("case_id", "record"):
        if name not in at.column_names:
            raise TableError(f"an event table needs the column {name!r} (see README 'Batch tables')")
    ids = at.column("case_id")
    if not (_is_text(ids.type) or pa.types.is_null(ids.type)):  # numbers as ids: their text, as str() gives
        at = at.set_column(
            at.column_names.index("case_id"),
            "case_id",
            pa.array([None if v is None else str(v) for v in ids.to_pylist()], pa.string()),
        )
    cols = _Columns(at)
    parsed = _parse(cols, run_options)
    nc = parsed.n_cases
    cx = parsed.cx
    case_as_of = cx["as_of"]
    if as_of is not None:
        when = np.full(nc, _day(as_of), dtype=np.int64)
    else:
        fallback = NA if default_as_of is None else _day(default_as_of)
        when = np.where(case_as_of != NA, case_as_of, fallback)
    far = ((when != NA) & ((when < SAFE_LO) | (when > SAFE_HI))) | parsed.huge
    # Facts the engine refuses (engine.check_facts): sent to it for its error.
    far |= (when != NA) & (when < cx["first_event"])  # INF: no event at all
    far |= (when != NA) & (cx["birth"] != NA) & (cx["birth"] > when)
    error_rows: list[dict[str, Any]] = []

    for p in parsed.structural:
        error_rows.append(
            {
                "case_id": parsed.ids[p.case] if p.case >= 0 else None,
                "row": p.row + first_row,
                "record": p.record,
                "field": p.field,
                "value": cell_text(p.value),
                "reason": p.reason,
                "_case": p.case,
            }
        )
    for r in cx["option_dup_rows"].tolist():
        c = int(parsed.row_case[r])
        if not parsed.struct[c]:
            parsed.struct[c] = True
            opt_name = cols.arrow("option")[r].as_py()
            error_rows.append(
                {
                    "case_id": parsed.ids[c],
                    "row": r + first_row,
                    "record": "options",
                    "field": str(opt_name),
                    "value": None,
                    "reason": "the option is given twice",
                    "_case": c,
                }
            )

    # Cases the vectorised checks flagged, and cases for the engine: rebuild their dicts.
    check = np.flatnonzero((parsed.bad & ~parsed.struct) | (far & ~parsed.bad))
    engine_results: list[tuple[int, dict[str, Any], list[dict[str, Any]]]] = []
    accepted = np.zeros(nc, dtype=bool)
    if check.size:
        rows = np.flatnonzero(np.isin(parsed.row_case, check))
        sub: Any = at.take(pa.array(rows))
        if isinstance(table, pd.DataFrame):  # its values as given: a number in a text column stays a number
            sub = table.iloc[rows].rename(columns=str)
        code_of = {parsed.ids[i]: i for i in check.tolist()}
        for tc in table_to_cases(sub):
            c = code_of.get(tc.case_id, -1) if tc.case_id is not None else -1
            try:
                case = case_from_dict(tc.data, f"<{tc.case_id}>", options=run_options or None)
            except CaseError as err:
                error_rows.append(_error_row(tc, err, rows, first_row, c))
                continue
            if not far[c] and parsed.bad[c]:
                accepted[c] = True  # stricter than the reader: assess it anyway
                continue
            cw = when[c]
            try:
                if cw == NA:
                    raise CaseError(
                        "no evaluation date: give as_of in the case file or as an argument",
                        source=case.source,
                        field="as_of",
                    )
                a = assess(case, as_of if as_of is not None else (case.as_of or default_as_of), run_options or None)
            except (TimelineError, ValueError, OverflowError, ArithmeticError) as err:
                error_rows.append(_error_row(tc, err, rows, first_row, c))
                continue
            row, gap_rows = row_from_assessment(a)
            engine_results.append((c, row, gap_rows))

    good = ((~parsed.bad & ~far) | accepted) & (when != NA)
    no_date = (~parsed.bad | accepted) & ~far & (when == NA)
    for c in np.flatnonzero(no_date).tolist():
        error_rows.append(
            {
                "case_id": parsed.ids[c],
                "row": int(parsed.first_row[c]) + first_row,
                "record": "",
                "field": "as_of",
                "value": None,
                "reason": "no evaluation date: give as_of in the case file or as an argument",
                "_case": c,
            }
        )

    c = _Ctx(nc, cx, parsed.recs, good, np.where(good, when, NA))
    res, gap_data = _compute(c, gaps)
    keep = np.flatnonzero(good)
    results = _results_frame(parsed.ids, keep, when, res)
    gap_frame = _gaps_frame(parsed.ids, gap_data, good) if gaps else empty_frame(GAP_COLUMNS)
    if engine_results:
        extra = pd.DataFrame([r for _, r, _ in engine_results])
        extra["_case"] = [cc for cc, _, _ in engine_results]
        results["_case"] = keep
        results = pd.concat([results, frame_like(extra, RESULT_COLUMNS)], ignore_index=True)
        results = results.sort_values("_case", kind="stable").drop(columns="_case").reset_index(drop=True)
        if gaps:
            g_extra = [dict(g, _case=cc) for cc, _, gr in engine_results for g in gr]
            if g_extra:
                gap_frame["_case"] = gap_frame["id"].map({v: i for i, v in enumerate(parsed.ids)})
                gx = pd.DataFrame(g_extra)
                gap_frame = pd.concat([gap_frame, frame_like(gx, GAP_COLUMNS)], ignore_index=True)
                gap_frame = (
                    gap_frame.sort_values(["_case", "gap"], kind="stable").drop(columns="_case").reset_index(drop=True)
                )
        results = typed_frame(results, RESULT_COLUMNS)
        gap_frame = typed_frame(gap_frame, GAP_COLUMNS)
    errors = _errors_frame(error_rows)
    results.attrs["engine_cases"] = len(engine_results)
    return BatchResult(results, errors, gap_frame)


def frame_like(df: pd.DataFrame, columns: Mapping[str, str]) -> pd.DataFrame:
    """``df`` with every one of ``columns`` present (missing ones empty) and dates as ``datetime64[us]``."""
    out = df.copy()
    for k, v in columns.items():
        if k not in out:
            out[k] = None
        if v == DATE_DTYPE:
            out[k] = pd.to_datetime(out[k]).astype(DATE_DTYPE)
    return out


def _error_row(tc: Any, err: Exception, rows: np.ndarray, first_row: int, case_code: int) -> dict[str, Any]:
    base = rows + first_row
    if isinstance(err, CaseError):
        return {
            "case_id": tc.case_id,
            "row": _row_of_error(tc, err, base),
            "record": err.record,
            "field": err.field,
            "value": cell_text(err.value),
            "reason": err.reason,
            "_case": case_code,
        }
    pos = min(tc.rows.values()) if tc.rows else None
    return {
        "case_id": tc.case_id,
        "row": None if pos is None else int(base[pos]),
        "record": "",
        "field": "",
        "value": None,
        "reason": f"the case cannot be assessed: {err}",
        "_case": case_code,
    }


def _errors_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    if not rows:
        return empty_frame(ERROR_COLUMNS)
    df = pd.DataFrame(rows)
    df = df.sort_values(["_case", "row"], kind="stable", na_position="first").drop(columns="_case")
    df = df.reset_index(drop=True)
    return typed_frame(df, ERROR_COLUMNS)


def _results_frame(ids: list[str], keep: np.ndarray, when: np.ndarray, res: dict[str, np.ndarray]) -> pd.DataFrame:
    data: dict[str, Any] = {"id": np.array(ids, dtype=object)[keep] if ids else np.zeros(0, dtype=object)}
    data["as_of"] = _date_column(when[keep])
    for k, v in RESULT_COLUMNS.items():
        if k in data:
            continue
        x = res[k][keep]
        if k == "notification_status":
            data[k] = _names(x, STATUS_NAMES)
        elif k == "naturalisation_route":
            data[k] = _names(x, ROUTE_NAMES)
        elif k == "notification_days_late":
            data[k] = pd.arrays.IntegerArray(np.where(x == NA, 0, x), x == NA)
        elif v == DATE_DTYPE:
            data[k] = _date_column(x)
        else:
            data[k] = x
    df = pd.DataFrame({k: data[k] for k in RESULT_COLUMNS})
    return typed_frame(df, RESULT_COLUMNS)


def _gaps_frame(ids: list[str], g: dict[str, Any] | None, good: np.ndarray) -> pd.DataFrame:
    if g is None or g["case"].size == 0:
        return empty_frame(GAP_COLUMNS)
    gc = g["case"]
    st = _starts(gc)
    number = np.arange(gc.size) - np.repeat(st, np.diff(np.r_[st, gc.size]))
    data = {
        "id": np.array(ids, dtype=object)[gc],
        "gap": number,
        "start": _date_column(g["start"]),
        "end": _date_column(g["end"]),
        "days": g["days"],
        "cause": _names(g["cause"], GAP_CAUSES),
        "record": pd.Series(_record_names(g["rk"], g["ridx"]), dtype="str"),
        "procedural_days": g["procedural_days"],
    }
    return typed_frame(pd.DataFrame(data), GAP_COLUMNS)


def row_from_assessment(a: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """One result row (and the gap rows) from a single-case :class:`~timeline.Assessment`."""

    def d(v: date | None) -> Any:
        return pd.NaT if v is None else pd.Timestamp(v)

    last = a.gaps[-1] if a.gaps else None
    n = a.notification
    routes = {r.route: r.clock.eligible_from for r in a.naturalisation.routes}
    row = {
        "id": a.id,
        "as_of": d(a.as_of),
        "gap_count": len(a.gaps),
        "gap_days": a.gap_days,
        "gap_ongoing": bool(last is not None and last.end is None),
        "first_gap_start": d(a.gaps[0].start) if a.gaps else pd.NaT,
        "last_gap_end": d(last.end) if last is not None else pd.NaT,
        "notification_trigger": d(n.trigger) if n else pd.NaT,
        "notification_deadline": d(n.deadline) if n else pd.NaT,
        "notification_received": d(n.received) if n else pd.NaT,
        "notification_status": n.status if n else None,
        "notification_days_late": n.days_late if n else None,
        "permanent_residence_eligible_from": d(a.permanent_residence.eligible_from),
        "eu_long_term_eligible_from": d(a.eu_long_term.eligible_from),
        "naturalisation_eligible_from": d(a.naturalisation.eligible_from),
        "naturalisation_route": a.naturalisation.route,
        "naturalisation_standard_eligible_from": d(routes.get("standard")),
        "naturalisation_spouse_eligible_from": d(routes.get("spouse")),
        "naturalisation_partner_eligible_from": d(routes.get("partner")),
        "naturalisation_long_residence_eligible_from": d(routes.get("long-residence")),
    }
    gaps = [
        {
            "id": a.id,
            "gap": i,
            "start": d(g.start),
            "end": d(g.end),
            "days": g.days,
            "cause": g.cause,
            "record": g.record,
            "procedural_days": g.procedural_days,
        }
        for i, g in enumerate(a.gaps)
    ]
    return row, gaps
