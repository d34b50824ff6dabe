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

- validation (the rules of :func:`timeline.case_from_dict`, as masks over columns; only
  the cases a mask flags are rebuilt as dicts and read by ``case_from_dict``, which gives
  the error row its exact record, field, value and reason);
- objection targets and reversals (R3.2), the permit chain derived from granted
  applications (R1.2, R1.4, R4.1, R4.2 tolerance), withdrawals (R3.1, OQ-3), coverage,
  procedural stay (R4.5, Vw 73) and gaps with their causes (DC-6);
- the reporting deadline (R2.2): the ATW deadline of every distinct trigger date is taken
  from :func:`timeline.atw.deadline` itself (a loop over distinct dates, never over
  cases), so the holiday rules exist once;
- the clocks (DC-5, R5.1, R5.2, R5.3, R6.1-R6.3): absence breaks run as one vectorised
  step per absence rank (1st absence of every case, then the 2nd, ...); the EU weighted
  accrual and the push for absences totalling 10 months run as vectorised iterations over
  the cases still searching (each iteration jumps as far as provably safe).

The loops that remain are over ranks (the k-th application or absence of every case)
or over search iterations, each a handful of numpy operations on all cases at once.

What goes through the single-case engine
----------------------------------------
Only cases with a date outside the supported range (:data:`timeline.dates.MIN_DATE` to
:data:`~timeline.dates.MAX_DATE`, which :func:`timeline.case_from_dict` rejects with its
exact message). (Cases with more than :data:`MAX_CASE_RECORDS` rows are errors at once, so
none reaches the 50,000 records the packed sort keys hold.) They are read
with :func:`timeline.case_from_dict` and assessed with :func:`timeline.assess` one by one;
any error becomes an error row.
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
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import atw
from .assessment import NATURALISATION_ROUTES
from .dates import MAX_DATE, MIN_DATE
from .engine import assess
from .errors import CaseError, TimelineError
from .io import case_from_dict
from .kernels import residence as kr
from .kernels import table as kt
from .kernels.residence import BASES, GAP_CAUSES
from .model import (
    APPLICATION_KINDS,
    END_REASONS,
    EVENT_DATES,
    INDEFINITE_PURPOSES,
    NOTIFIERS,
    OUTCOMES,
    PERMIT_APPLICATION_KINDS,
    PLACES,
    PURPOSES,
    RELATIONSHIP_KINDS,
    SPONSOR_STATUSES,
    eu_weight,
)
from .options import OPTIONS, Options
from .outputs import OutputSet, check_outputs
from .rules.clocks import (
    AVERAGE_MONTH_DAYS,
    EU_FIXED_TARGET_QUARTERS,
    EU_SEARCH_DAYS,
    EU_SINGLE_ABSENCE_MONTHS,
    EU_TARGET_DAYS,
    EU_TOTAL_ABSENCE_MONTHS,
    LONG_RESIDENCE_YEARS,
    NATIONAL_ABSENCE_MONTHS,
    PR_MIN_AGE,
)
from .rules.notification import NOTIFICATION_TERM
from .rules.residence import OBJECTION_TERM, TOLERANCE, TOLERANCE_FROM, tolerance_last_day
from .tables import (
    LIST_RECORDS,
    NA,
    RECORDS,
    SINGLE_RECORDS,
    TABLE_FIELDS,
    TableError,
    check_unique_columns,
    file_kind,
    parse_iso_dates,
    table_to_cases,
    valid_mask,
)

__all__ = ["ERROR_COLUMNS", "GAP_COLUMNS", "RESULT_COLUMNS", "BatchResult", "assess_table", "empty_frame", "finish"]

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
TOL_FROM = _day(TOLERANCE_FROM)

PURPOSE_LIST = tuple(PURPOSES)
P = {p: i for i, p in enumerate(PURPOSE_LIST)}
KINDS = APPLICATION_KINDS
K = {k: i for i, k in enumerate(KINDS)}
PERMIT_KIND = np.array([k in PERMIT_APPLICATION_KINDS for k in KINDS])
O_GRANTED, O_REFUSED, O_PENDING = (OUTCOMES.index(o) for o in ("granted", "refused", "pending"))
S_DUTCH = SPONSOR_STATUSES.index("dutch")
R_UNMARRIED = RELATIONSHIP_KINDS.index("unmarried")
MARRIED_KINDS = np.array([k in ("marriage", "registered-partnership") for k in RELATIONSHIP_KINDS])
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


# --------------------------------------------------------------------------- date arithmetic


_DEADLINES: dict[tuple[Any, bool | None], dict[int, int]] = {}


def _atw_deadline(days: np.ndarray, *, atw_flag: bool | None = None) -> np.ndarray:
    """The 4-week ATW deadline (R2.2, R8.2) of each day, from :func:`timeline.atw.deadline`.

    The atw module is called once per distinct date (cached across calls), so the
    holiday and roll-forward rules live in one place.
    """
    days = np.asarray(days, dtype=np.int64)
    if days.size == 0:
        return days.copy()
    cache = _DEADLINES.setdefault((tuple(NOTIFICATION_TERM), atw_flag), {})
    uniq, inverse = np.unique(days, return_inverse=True)
    out = np.empty(uniq.size, dtype=np.int64)
    for k, d in enumerate(uniq.tolist()):  # distinct dates, not cases
        v = cache.get(d)
        if v is None:
            v = _day(atw.deadline(_date(d), NOTIFICATION_TERM, atw=atw_flag).deadline)
            cache[d] = v
        out[k] = v
    return out[inverse]


assert NOTIFICATION_TERM == OBJECTION_TERM == TOLERANCE  # one lookup serves all three
assert TOLERANCE.unit == "weeks"
TOLERANCE_DAYS = 7 * TOLERANCE.amount  #: R8.2 without the ATW roll (late_extension_atw=no)


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


def _ragged(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For groups of ``counts`` items: the owner of each item and its position in the group."""
    counts = np.asarray(counts, dtype=np.int64)
    total = int(counts.sum())
    owner = np.repeat(np.arange(counts.size), counts)
    local = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    return owner, local


def _offsets(case: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Counts per case and CSR offsets of ``case`` (sorted)."""
    counts = np.bincount(case, minlength=n).astype(np.int64)
    return counts, np.concatenate(([0], np.cumsum(counts)))


def _join(left_case: np.ndarray, right_off: np.ndarray, right_cnt: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every (left row, right row) pair of the same case; right rows in CSR layout."""
    owner, local = _ragged(right_cnt[left_case])
    return owner, right_off[left_case][owner] + local


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
        self.inverse = order

    def __call__(self, rk: np.ndarray, idx: np.ndarray) -> np.ndarray:
        return self.rank[rk * self.m + idx]

    def decode(self, rank: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        code = self.inverse[rank]
        return code // self.m, code % self.m


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
    """Code of each value in ``choices``: -2 absent, -1 not a valid choice (or not text)."""
    n = len(arr)
    if pa.types.is_null(arr.type) or arr.null_count == n:
        return np.full(n, -2, dtype=np.int64)
    if not _is_text(arr.type):
        return np.where(valid_mask(arr), -1, -2)
    enc = pc.dictionary_encode(arr)
    lookup = np.array([choices.index(v) if v in choices else -1 for v in enc.dictionary.to_pylist()], dtype=np.int64)
    ind = enc.indices
    raw = pc.fill_null(ind, 0).to_numpy().astype(np.int64)
    out = lookup[raw] if lookup.size else np.full(n, -1, dtype=np.int64)
    return np.where(valid_mask(arr), out, -2)


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
    """Read and check every column; flag every case that :func:`case_from_dict` would reject."""
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

    # An id of only whitespace: the case reader rejects it (str.strip's whitespace set).
    if ids:
        trimmed = pc.utf8_trim(pa.array(ids, pa.string()), characters=_PY_SPACE)
        bad |= pc.equal(pc.utf8_length(trimmed), 0).to_numpy(zero_copy_only=False)

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

    cx = _read_fields(cols, recs, nc, bad, run_options)
    out.bad = bad | struct
    out.structural = problems
    out.struct = struct
    out.recs = recs
    out.cx = cx
    return out


def _read_fields(
    cols: _Columns, recs: dict[str, _Rec], nc: int, bad: np.ndarray, run_options: Mapping[str, str]
) -> dict[str, Any]:
    """Typed fields of every record and the per-case fields; sets ``bad`` like :func:`case_from_dict`."""

    def flag(rec: _Rec, mask: np.ndarray) -> None:
        if mask.any():
            bad[rec.case[mask]] = True

    def date(rec: _Rec, name: str, required: bool = False) -> np.ndarray:
        v, wrong = cols.dates(name, rec)
        flag(rec, wrong)
        if required:
            flag(rec, (v == NA) & ~wrong)
        return v

    def choice(rec: _Rec, name: str, choices: tuple[str, ...], required: bool = False) -> np.ndarray:
        v = cols.codes(name, rec, choices)
        flag(rec, v == -1)
        if required:
            flag(rec, v == -2)
        return v

    def text(rec: _Rec, name: str) -> None:
        flag(rec, cols.not_text(name, rec))

    def boolean(rec: _Rec, name: str) -> np.ndarray:
        v, wrong = cols.bools(name, rec)
        flag(rec, wrong)
        return v

    def per_case(rec: _Rec, values: np.ndarray, fill: int) -> np.ndarray:
        out = np.full(nc, fill, dtype=np.int64)
        out[rec.case] = values
        return out

    cx: dict[str, Any] = {}
    # Top level and options first: the end-date convention (OQ-1) changes how ends are read.
    top = recs["case"]
    cx["as_of"] = per_case(top, date(top, "as_of"), NA)
    text(top, "description")

    opt = recs["options"]
    keys = tuple(OPTIONS)
    okey = cols.codes("option", opt, keys)
    flag(opt, okey < 0)
    vals, values = _dictionary(_option_values(cols.sub("value", opt)))
    flag(opt, vals < 0)
    # Duplicate option names in one case: JSON cannot hold them.
    if len(opt):
        k = (opt.case << 8) | np.maximum(okey, 0)
        order = np.argsort(k, kind="stable")
        dup = np.zeros(len(opt), dtype=bool)
        ks = k[order]
        dup[order[1:]] = (ks[1:] == ks[:-1]) & (okey[order][1:] >= 0)
        flag(opt, dup)
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
            flag(opt.take(sel), code < 0)
            arr[opt.case[sel]] = np.maximum(code, 0)
        if key in run_options:
            arr[:] = OPTIONS[key].choices.index(run_options[key])
        opts[key] = arr
    cx["opts"] = opts
    inclusive = opts["end_date_convention"] == OPTIONS["end_date_convention"].choices.index("inclusive")

    def shifted_end(rec: _Rec, name: str) -> np.ndarray:
        v = date(rec, name)
        inc = inclusive[rec.case] & (v != NA)
        flag(rec, inc & (v == DATE_MAX))
        return np.where(inc & (v != DATE_MAX), v + 1, v)

    person = recs["person"]
    cx["birth"] = per_case(person, date(person, "birth_date"), NA)
    date(person, "integration_passed")
    boolean(person, "turkish_national")

    sp = recs["sponsor"]
    status = choice(sp, "status", SPONSOR_STATUSES)
    pend = date(sp, "permit_end")
    st = np.where(status < 0, S_DUTCH, status)
    flag(sp, (pend != NA) & ~np.isin(st, [SPONSOR_STATUSES.index("fixed-term"), SPONSOR_STATUSES.index("temporary")]))
    cx["sponsor"] = per_case(sp, st, S_DUTCH)

    rel = recs["relationship"]
    rkind = choice(rel, "kind", RELATIONSHIP_KINDS)
    rkind = np.where(rkind < 0, RELATIONSHIP_KINDS.index("marriage"), rkind)
    cohab = date(rel, "cohabitation_start")
    place = choice(rel, "cohabitation_place", PLACES)
    place = np.where(place < 0, PL_KINGDOM, place)
    married = date(rel, "married")
    separated = date(rel, "separated")
    divorced = date(rel, "divorced")
    choice(rel, "end_reason", END_REASONS)
    mk = MARRIED_KINDS[rkind]
    flag(rel, ((married != NA) | (divorced != NA)) & ~mk)
    flag(rel, (divorced != NA) & (married != NA) & (divorced < married))
    began = _min_present(cohab, married)
    flag(rel, (separated != NA) & (began != NA) & (separated < began))
    cx["rel"] = per_case(rel, np.ones(len(rel), dtype=np.int64), 0).astype(bool)
    cx["rel_kind"] = per_case(rel, rkind, RELATIONSHIP_KINDS.index("marriage"))
    cx["cohab"] = per_case(rel, cohab, NA)
    cx["place"] = per_case(rel, place, PL_KINGDOM)
    cx["married"] = per_case(rel, married, NA)
    cx["separated"] = per_case(rel, separated, NA)
    cx["divorced"] = per_case(rel, divorced, NA)
    case_began = per_case(rel, began, NA)

    pm = recs["permits"]
    pm.purpose = choice(pm, "purpose", PURPOSE_LIST, required=True)
    pm.start = date(pm, "start", required=True)
    pm.end = shifted_end(pm, "end")
    pm.wf = date(pm, "withdrawn_from")
    pm.wd = date(pm, "withdrawal_decided")
    text(pm, "note")
    ok_start = pm.start != NA
    flag(pm, ok_start & (pm.end != NA) & (pm.end <= pm.start))
    flag(pm, ok_start & (pm.wf != NA) & (pm.wf < pm.start))
    flag(pm, (pm.wf != NA) & (pm.end != NA) & (pm.wf > pm.end))
    flag(pm, ok_start & (pm.wd != NA) & (pm.wd < pm.start))

    nt = recs["notifications"]
    nt.by = choice(nt, "by", NOTIFIERS, required=True)
    nt.received = date(nt, "received", required=True)
    nt.change = date(nt, "change_date")
    text(nt, "note")
    b = case_began[nt.case]
    flag(nt, (b != NA) & (nt.received != NA) & (nt.received < b))
    flag(nt, (b != NA) & (nt.change != NA) & (nt.change < b))

    ap = recs["applications"]
    ap.kind = choice(ap, "kind", KINDS, required=True)
    ap.received = date(ap, "received", required=True)
    ap.purpose = choice(ap, "purpose", PURPOSE_LIST)
    ap.outcome = choice(ap, "outcome", OUTCOMES)
    ap.outcome = np.where(ap.outcome < 0, O_PENDING, ap.outcome)
    ap.decided = date(ap, "decided")
    ap.start = date(ap, "start")
    ap.valid_until = shifted_end(ap, "valid_until")
    ap.cond = date(ap, "conditions_met")
    ap.posted = date(ap, "posted")
    ap.excused = boolean(ap, "excused") == 1
    text(ap, "note")
    text(ap, "against")
    objection = ap.kind == K["objection"]
    flag(ap, objection & ((ap.purpose != -2) | (ap.valid_until != NA) | cols.dates("valid_until", ap)[1]))
    recv_ok = ap.received != NA
    flag(ap, recv_ok & (ap.decided != NA) & (ap.decided < ap.received))
    vu = ap.valid_until != NA
    flag(ap, vu & (ap.start != NA) & (ap.valid_until <= ap.start))
    flag(ap, vu & recv_ok & (ap.valid_until <= ap.received))
    flag(ap, recv_ok & (ap.cond != NA) & (ap.cond < ap.received))
    against_present = cols.dictionary("against", ap)[0] >= 0
    flag(ap, ~objection & (ap.kind >= 0) & ((ap.posted != NA) | cols.dates("posted", ap)[1] | against_present))
    ap.tgt_rk, ap.tgt_idx = _against(cols, ap, recs, nc, flag)

    ab = recs["absences"]
    ab.departed = date(ab, "departed", required=True)
    ab.returned = date(ab, "returned")
    text(ab, "note")
    flag(ab, (ab.departed != NA) & (ab.returned != NA) & (ab.returned < ab.departed))

    # Out of the range the day arrays handle safely: the engine takes the case.
    far = np.zeros(nc, dtype=bool)
    for rec, names in (
        (top, ("as_of",)),
        (person, ("birth_date", "integration_passed")),
        (sp, ("permit_end",)),
        (rel, ("cohabitation_start", "married", "separated", "divorced")),
        (pm, ("start", "end", "withdrawn_from", "withdrawal_decided")),
        (nt, ("received", "change_date")),
        (ap, ("received", "decided", "start", "valid_until", "conditions_met", "posted")),
        (ab, ("departed", "returned")),
    ):
        for name in names:
            v = cols.dates(name, rec)[0]
            out_of_range = (v != NA) & ((v < SAFE_LO) | (v > SAFE_HI))
            far[rec.case[out_of_range]] = True
    cx["far"] = far
    # The first event of each case (model.EVENT_DATES): cases without one, or assessed before
    # it, go to the engine, whose check_facts refuses them with its message.
    first = np.full(nc, INF, dtype=np.int64)
    for record, names in EVENT_DATES.items():
        for name in names:
            v = cols.dates(name, recs[record])[0]
            present = v != NA
            np.minimum.at(first, recs[record].case[present], v[present])
    cx["first_event"] = first
    return cx


def _option_values(arr: pa.Array) -> pa.Array:
    """Option values as text, as the case reader makes them (true -> yes, 5 -> "5")."""
    if pa.types.is_boolean(arr.type):
        return pc.if_else(arr, "yes", "no")
    if pa.types.is_integer(arr.type):
        return arr.cast(pa.string())
    if _is_text(arr.type) or pa.types.is_null(arr.type):
        return arr
    return pa.array([None if v is None else _MIXED for v in arr.to_pylist()], pa.string())


def _min_present(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The earlier of two dates, ignoring missing ones (NA when both are missing)."""
    aa = np.where(a == NA, INF, a)
    bb = np.where(b == NA, INF, b)
    m = np.minimum(aa, bb)
    return np.where(m == INF, NA, m)


def _against(cols: _Columns, ap: _Rec, recs: dict[str, _Rec], nc: int, flag: Any) -> tuple[np.ndarray, np.ndarray]:
    """Parse ``against`` ("permits[i]" / "applications[j]") and check it as the case reader does."""
    codes, values = cols.dictionary("against", ap)
    rk = np.full(len(ap), -1, dtype=np.int64)
    idx = np.full(len(ap), -1, dtype=np.int64)
    if not values or not (codes >= 0).any():
        return rk, idx
    parsed_rk, parsed_idx = [], []
    for v in values:
        k, i = -2, -1
        if isinstance(v, str) and not v.startswith(_MIXED):
            name, _, rest = v.partition("[")
            number = rest[:-1] if rest.endswith("]") else ""
            if (
                name in ("permits", "applications")
                and number != ""
                and all(c in "0123456789" for c in number)
                and len(number) < 10
            ):
                k, i = (RK_PERMIT if name == "permits" else RK_APP), int(number)
        parsed_rk.append(k)
        parsed_idx.append(i)
    lut_rk = np.array(parsed_rk, dtype=np.int64)
    lut_idx = np.array(parsed_idx, dtype=np.int64)
    has = codes >= 0
    rk = np.where(has, lut_rk[np.maximum(codes, 0)], -1)
    idx = np.where(has, lut_idx[np.maximum(codes, 0)], -1)
    objection = ap.kind == K["objection"]
    flag(ap, has & objection & (rk == -2))
    n_perm = np.bincount(recs["permits"].case, minlength=nc)
    n_app = np.bincount(ap.case, minlength=nc)
    limit = np.where(rk == RK_PERMIT, n_perm[ap.case], n_app[ap.case])
    flag(ap, has & objection & (rk >= 0) & (idx >= limit))
    flag(ap, has & objection & (rk == RK_APP) & (idx == ap.index))
    ok = has & objection & (rk >= 0)
    return np.where(ok, rk, -1), np.where(ok, idx, -1)


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
    """``objection_targets`` (R3.2, R8.2): the decision each objection is against."""
    ap, pm, n = c.ap, c.pm, c.n
    obj = np.flatnonzero(ap.kind == K["objection"])
    tgt_rk = ap.tgt_rk[obj].copy()
    tgt_idx = ap.tgt_idx[obj].copy()
    # Decisions: withdrawal decisions of permits, refusals of any non-objection application.
    pd_rows = np.flatnonzero(pm.wd != NA)
    ad_rows = np.flatnonzero((ap.kind != K["objection"]) & (ap.outcome == O_REFUSED) & (ap.decided != NA))
    d_case = np.concatenate((pm.case[pd_rows], ap.case[ad_rows]))
    d_date = np.concatenate((pm.wd[pd_rows], ap.decided[ad_rows]))
    d_rk = np.concatenate((np.full(pd_rows.size, RK_PERMIT), np.full(ad_rows.size, RK_APP)))
    d_idx = np.concatenate((pm.index[pd_rows], ap.index[ad_rows]))
    order = np.argsort(d_case, kind="stable")
    d_case, d_date, d_rk, d_idx = d_case[order], d_date[order], d_rk[order], d_idx[order]
    d_cnt, d_off = _offsets(d_case, n)
    free = np.flatnonzero(tgt_rk < 0)
    if free.size and d_case.size:
        rows = obj[free]
        owner, right = _join(ap.case[rows], d_off, d_cnt)
        before = d_date[right] <= ap.received[rows][owner]
        strrank = c.rank(d_rk[right], d_idx[right])
        key = np.where(before, ((d_date[right] + BIAS) << 24) | strrank, -1)
        best = _reduce(np.maximum, owner, key, rows.size, -1)
        hit = best >= 0
        k, i = c.rank.decode(best[hit] & ((1 << 24) - 1))
        tgt_rk[free[hit]] = k
        tgt_idx[free[hit]] = i
    has = tgt_rk >= 0
    return {
        "case": ap.case[obj][has],
        "j": ap.index[obj][has],
        "rk": tgt_rk[has],
        "idx": tgt_idx[has],
        "granted": ap.outcome[obj][has] == O_GRANTED,
        "received": ap.received[obj][has],
        "posted": ap.posted[obj][has],
        "decided": ap.decided[obj][has],
    }


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

    out = {name: np.empty(total, dtype=i64) for name in ("valid", "purpose", "start", "end", "basis", "outcome")}
    previous, tol_end = np.empty(total, dtype=i64), np.empty(total, dtype=i64)
    kt.compiled.run_chain(
        p_off, pm.purpose.astype(i64), pm.start.astype(i64), p_end, _tolerance_ends(c, pm.case, p_end, latest),
        a_off, dkind.astype(i64), ap.received[drows].astype(i64), ap.purpose[drows].astype(i64), vu.astype(i64),
        ap.cond[drows].astype(i64), ap.start[drows].astype(i64), ap.excused[drows].astype(i64),
        _tolerance_ends(c, dcase, a_end, latest), change_too.astype(i64), TOL_FROM, off.astype(i64),
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
    """The report the IND received first, from either party (R2.2, OQ-3; ties: the earlier record).

    :func:`timeline.rules.residence.first_report` over arrays: its ``received`` date starts
    the withdrawal under ``withdrawal_effective=notification`` and its ``change`` date under
    ``reported`` (OQ-3); the reporting status (R2.2) compares the deadline with ``received``.
    """
    nt, n = c.nt, c.n
    order = np.lexsort((nt.index, nt.received, nt.case))
    cs = nt.case[order]
    st = _starts(cs)
    rows = order[st]
    received = np.full(n, NA, dtype=np.int64)
    change = np.full(n, NA, dtype=np.int64)
    received[cs[st]] = nt.received[rows]
    change[cs[st]] = nt.change[rows]
    return {"received": received, "change": change}


def _procedural(c: _Ctx, targets: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Layer B (R4.5, Vw 8, Vw 73): waiting for a decision, and suspended decisions."""
    ap, pm = c.ap, c.pm
    permit_kind = (ap.kind >= 0) & PERMIT_KIND[np.maximum(ap.kind, 0)]
    wait = permit_kind & ((ap.decided == NA) | (ap.decided > ap.received))
    cases = [ap.case[wait]]
    starts = [ap.received[wait]]
    ends = [np.where(ap.decided[wait] == NA, INF, ap.decided[wait])]
    # Decisions that can be objected to: withdrawals and refusals of permit applications.
    pw = pm.wd != NA
    ar = permit_kind & (ap.outcome == O_REFUSED) & (ap.decided != NA)
    dcase = np.concatenate((pm.case[pw], ap.case[ar]))
    ddate = np.concatenate((pm.wd[pw], ap.decided[ar]))
    drk = np.concatenate((np.full(int(pw.sum()), RK_PERMIT), np.full(int(ar.sum()), RK_APP)))
    didx = np.concatenate((pm.index[pw], ap.index[ar]))
    term_end = _atw_deadline(ddate) + 1
    # The objection against each decision: the first one in file order (objection_by_decision).
    tk = (targets["case"] << 33) | (targets["rk"] << 32) | targets["idx"]
    order = np.lexsort((targets["j"], tk))
    tk_s = tk[order]
    first = np.r_[True, tk_s[1:] != tk_s[:-1]] if tk_s.size else np.zeros(0, bool)
    uk = tk_s[first]
    o_recv = targets["received"][order][first]
    o_post = targets["posted"][order][first]
    o_dec = targets["decided"][order][first]
    q = (dcase << 33) | (drk << 32) | didx
    end = term_end.copy()
    hit = _lookup(uk, q)
    if uk.size:
        h = np.maximum(hit, 0)
        # objection_timely (R8.2, Awb 6:9): received by the deadline (term_end - 1), or
        # posted by it and received within a week after it.
        posted_in_time = (o_post[h] != NA) & (o_post[h] < term_end) & (o_recv[h] < term_end + 7)
        use = (hit >= 0) & ((o_recv[h] < term_end) | posted_in_time)
        end = np.where(use, np.where(o_dec[h] == NA, INF, o_dec[h]), end)
    keep = (end == INF) | (end > ddate)
    cases.append(dcase[keep])
    starts.append(ddate[keep])
    ends.append(end[keep])
    return np.concatenate(cases), np.concatenate(starts), np.concatenate(ends)


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
    kt.clocks.run_eu(
        run_start, run_end, p_off, s.start[fi].astype(i64), p_end, WEIGHT[s.purpose[fi], c.sponsor[fcase]].astype(i64),
        end_order.astype(i64), c.as_of.astype(i64), ab.off, ab.departed, ab.returned, c.mar1.astype(i64),
        c.opt("eu_accrual_target", "fixed").astype(i64), 5, EU_SINGLE_ABSENCE_MONTHS, EU_TARGET_DAYS,
        EU_FIXED_TARGET_QUARTERS, EU_SEARCH_DAYS, EU_TOTAL_ABSENCE_MONTHS, AVERAGE_MONTH_DAYS, ab.moved, *seg, out,
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
    table, by the kernels of :mod:`timeline.kernels.clocks`: the earliest dates, NA for none."""
    n, i64 = c.n, np.int64
    run = _find(cov, np.arange(n), c.as_of)
    run_start = np.where(run >= 0, cov.start[np.maximum(run, 0)] if cov.start.size else NA, NA).astype(i64)
    ninety = c.opt("permanent_decision_period", "90-days")
    years = np.where(c.opt("naturalisation_years", "10"), 10, 5).astype(i64)
    out = {k: np.empty(n, dtype=i64) for k in ("permanent", "standard", "spouse", "partner", "long")}
    kt.clocks.run_clocks(
        c.as_of.astype(i64), run_start, run.astype(i64), cov.off.astype(i64), cov.start.astype(i64),
        cov.end.astype(i64), first_start.astype(i64), c.birth.astype(i64), ab.off, ab.departed, ab.returned,
        c.mar1.astype(i64), c.opt("national_absence_threshold", "more-than-6-months").astype(i64),
        c.opt("permanent_reference_date", "decision").astype(i64), np.where(ninety, 90, 0).astype(i64), years,
        c.rel.astype(i64), (c.rel_kind == R_UNMARRIED).astype(i64), c.married.astype(i64),
        (c.sponsor == S_DUTCH).astype(i64), c.separated.astype(i64), c.divorced.astype(i64), c.cohab.astype(i64),
        (c.place == PL_KINGDOM).astype(i64), (c.place == PL_ABROAD).astype(i64),
        PR_MIN_AGE, 5, NATIONAL_ABSENCE_MONTHS, 6, 3, *LONG_RESIDENCE_YEARS,
        ab.moved, out["permanent"], out["standard"], out["spouse"], out["partner"], out["long"],
    )  # fmt: skip
    return out


def _notification(c: _Ctx, res: dict[str, np.ndarray]) -> None:
    """``assess_notification`` (R2.2, OQ-2): trigger, ATW deadline, status of the first report."""
    n, nt = c.n, c.nt
    sep = np.where(c.rel, c.separated, NA)
    div = np.where(c.rel, c.divorced, NA)
    ch = nt.change != NA
    reported = _reduce(np.minimum, nt.case[ch], nt.change[ch], n, INF) if ch.any() else np.full(n, INF)
    reported = np.where(reported == INF, NA, reported)
    choices = OPTIONS["notification_trigger"].choices
    opt = c.opts["notification_trigger"]

    def first_of(*values: np.ndarray) -> np.ndarray:
        out = np.full(n, NA, dtype=np.int64)
        for v in reversed(values):
            out = np.where(v != NA, v, out)
        return out

    trigger = np.select(
        [opt == choices.index("separation"), opt == choices.index("reported")],
        [first_of(sep, reported), first_of(reported, sep)],
        first_of(div, sep, reported),
    )
    has = trigger != NA
    deadline = np.full(n, NA, dtype=np.int64)
    deadline[has] = _atw_deadline(trigger[has])
    first = _first_report(c)
    received = first["received"]
    got = has & (received != NA)
    on_time = got & (received <= deadline)
    late = got & ~on_time
    missing = has & ~got & (c.as_of > deadline)
    status = np.select([on_time, late, missing, has], [0, 1, 2, 3], -1)
    days_late = np.where(on_time, 0, np.where(late, received - deadline, NA))
    res["notification_trigger"] = trigger
    res["notification_deadline"] = deadline
    res["notification_received"] = np.where(has, received, NA)
    res["notification_status"] = status
    res["notification_days_late"] = days_late


STATUS_NAMES = ("on-time", "late", "missing", "not-yet-due")
ROUTE_NAMES = NATURALISATION_ROUTES


# --------------------------------------------------------------------------- assembly


def _date_column(days: np.ndarray) -> np.ndarray:
    out = np.where(days == NA, np.iinfo(np.int64).min, days * 86_400_000_000)
    return out.view("M8[us]")


def empty_frame(columns: Mapping[str, str]) -> pd.DataFrame:
    """An empty frame with ``columns`` (name: dtype), as the results, errors and gaps have."""
    return pd.DataFrame({k: pd.Series([], dtype=v) for k, v in columns.items()})


def _frame(data: Mapping[str, Any], columns: Mapping[str, str]) -> pd.DataFrame:
    df = pd.DataFrame({k: data[k] for k in columns})
    for k, v in columns.items():
        if str(df[k].dtype) != v:
            df[k] = df[k].astype(v)
    return df


def _names(codes: np.ndarray, names: tuple[str, ...]) -> pd.Series:
    lut = np.array([*names, None], dtype=object)
    return pd.Series(lut[np.where(codes < 0, len(names), codes)], dtype="str")


def _text(value: Any) -> str | None:
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
    far = cx["far"] | ((when != NA) & ((when < SAFE_LO) | (when > SAFE_HI))) | parsed.huge
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
                "value": _text(p.value),
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
        sub = at.take(pa.array(rows))
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
            row, gap_rows = _row_from_assessment(a)
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
        results = pd.concat([results, _frame_like(extra, RESULT_COLUMNS)], ignore_index=True)
        results = results.sort_values("_case", kind="stable").drop(columns="_case").reset_index(drop=True)
        if gaps:
            g_extra = [dict(g, _case=cc) for cc, _, gr in engine_results for g in gr]
            if g_extra:
                gap_frame["_case"] = gap_frame["id"].map({v: i for i, v in enumerate(parsed.ids)})
                gx = pd.DataFrame(g_extra)
                gap_frame = pd.concat([gap_frame, _frame_like(gx, GAP_COLUMNS)], ignore_index=True)
                gap_frame = (
                    gap_frame.sort_values(["_case", "gap"], kind="stable").drop(columns="_case").reset_index(drop=True)
                )
        results = _frame(results, RESULT_COLUMNS)
        gap_frame = _frame(gap_frame, GAP_COLUMNS)
    errors = _errors_frame(error_rows)
    results.attrs["engine_cases"] = len(engine_results)
    return BatchResult(results, errors, gap_frame)


def _frame_like(df: pd.DataFrame, columns: Mapping[str, str]) -> pd.DataFrame:
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
            "value": _text(err.value),
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
    return _frame(df, ERROR_COLUMNS)


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
    return _frame(df, RESULT_COLUMNS)


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
    return _frame(pd.DataFrame(data), GAP_COLUMNS)


def _row_from_assessment(a: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
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


# --------------------------------------------------------------------------- files


class BatchSummary(NamedTuple):
    """What :func:`run_batch` did."""

    cases: int
    results: int
    errors: int
    gaps: int
    rows: int
    seconds: float
    engine: int = 0  #: cases read and assessed one by one (dates outside the supported range)
    dropped: int = 0  #: rows without a case_id left out (``drop_rows_without_case``)


def _write_frame(df: pd.DataFrame, path: str, into: str) -> None:
    """Write a result table to the file ``into`` in the format of ``path``'s extension.

    Dates are ``YYYY-MM-DD`` in CSV and JSON Lines. ``into`` is the temporary file that
    :class:`timeline.outputs.OutputSet` renames to ``path`` when the run succeeds.
    """
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    ext = file_kind(path)
    at = pa.Table.from_pandas(df, preserve_index=False)
    try:
        if ext == ".parquet":
            pq.write_table(at, into)
            return
        cols = {}
        for name in at.column_names:
            col = at.column(name)
            cols[name] = col.cast(pa.date32()) if pa.types.is_timestamp(col.type) else col
        at = pa.table(cols)
        if ext == ".csv":
            pcsv.write_csv(at, into)
        else:
            with open(into, "w", encoding="utf-8", newline="\n") as f:
                for rec in at.to_pylist():
                    f.write(json.dumps(rec, ensure_ascii=False, default=str) + "\n")
    except (pa.ArrowInvalid, OSError) as err:
        raise TableError(f"{path}: cannot write: {err}") from None


def _jsonl_problem_rows(
    problems: list[tuple[int, Any, Exception | None]],
    as_of: date | None,
    options: Mapping[str, str],
    default_as_of: date | None,
) -> tuple[list[dict[str, Any]], list[tuple[dict[str, Any], list[dict[str, Any]]]]]:
    """Error rows for JSON Lines that a table cannot hold (each is checked by the case reader)."""
    errors: list[dict[str, Any]] = []
    assessed: list[tuple[dict[str, Any], list[dict[str, Any]]]] = []
    for line, data, err in problems:
        cid = data.get("id") if isinstance(data, Mapping) and isinstance(data.get("id"), str) else None
        row = {"case_id": cid, "row": line, "record": "", "field": "", "value": None}
        if isinstance(err, json.JSONDecodeError):
            errors.append({**row, "reason": f"invalid JSON at column {err.colno}: {err.msg}"})
            continue
        if err is not None:
            errors.append({**row, "field": "id" if cid else "", "value": cid, "reason": str(err)})
            continue
        try:
            case = case_from_dict(data, f"<line {line}>", options=options or None)
            a = assess(case, as_of or case.as_of or default_as_of, options or None)
        except CaseError as bad:
            errors.append(
                {**row, "record": bad.record, "field": bad.field, "value": _text(bad.value), "reason": bad.reason}
            )
            continue
        except (TimelineError, ValueError, OverflowError, ArithmeticError) as bad:
            errors.append({**row, "reason": f"the case cannot be assessed: {bad}"})
            continue
        assessed.append(_row_from_assessment(a))
    return errors, assessed


def run_batch(
    source: str,
    output: str,
    *,
    errors: str | None = None,
    gaps: str | None = None,
    as_of: date | None = None,
    default_as_of: date | None = None,
    options: Mapping[str, str] | None = None,
    chunk_rows: int = 1_000_000,
    progress: Any = None,
    drop_rows_without_case: bool = False,
) -> BatchSummary:
    """``timeline batch``: assess every case of a file, chunk by chunk, and write the tables.

    ``source`` is ``.jsonl``, ``.csv``, ``.parquet`` or a directory of Parquet files (read in
    name order). Tables are read in chunks of whole cases (about ``chunk_rows`` rows), so
    inputs larger than memory work as long as the rows of each case are contiguous; a case
    whose rows are split across the file is reported in ``errors`` (sort the table by
    ``case_id``). A JSON Lines id used twice: the later line is an error. ``output``,
    ``errors`` and ``gaps`` are written by extension (``.csv``, ``.parquet``, ``.jsonl``);
    ``progress`` is called with a message after each chunk.

    A CSV record that is not a valid row (wrong number of fields, bytes that are not
    UTF-8, an unclosed quote) becomes one error of its case (the line of the file, 1-based,
    in the reason); the case is not assessed, every other case is. Rows without a
    ``case_id`` stop the run with :class:`~timeline.tables.TableError` naming their lines,
    before any work when the file is read at once; with ``drop_rows_without_case`` they
    are left out and counted in :attr:`BatchSummary.dropped`.
    """
    import time

    from .tables import iter_table_chunks

    start = time.perf_counter()
    run_options = {k: str(v) for k, v in (options or {}).items()}
    Options(run_options)
    check_outputs_before_work(source, output, errors, gaps)
    results: list[pd.DataFrame] = []
    error_frames: list[pd.DataFrame] = []
    gap_frames: list[pd.DataFrame] = []
    seen = np.zeros(0, dtype=np.uint64)  # sorted hashes of the case ids of earlier chunks
    split: dict[str, int] = {}
    rows = engine = dropped = 0
    malformed: list[Any] = []  # CSV records that are not valid rows (timeline.tables.Malformed)
    is_jsonl = file_kind(source, folder=True) == ".jsonl"
    without_case = "drop" if drop_rows_without_case else "stop"
    for chunk in _prefetch(iter_table_chunks(source, chunk_rows, without_case=without_case)):
        res, err, gp = assess_table(
            chunk.table,
            as_of=as_of,
            options=run_options,
            default_as_of=default_as_of,
            first_row=chunk.first_row,
            gaps=gaps is not None,
        )
        engine += res.attrs.get("engine_cases", 0)
        if chunk.no_case_rows is not None and len(chunk.no_case_rows):
            left_out = err["case_id"].isna() & err["row"].isin(chunk.no_case_rows.tolist())
            err = err[~left_out].reset_index(drop=True)
            dropped += len(chunk.no_case_rows)
        malformed.extend(chunk.malformed)
        if chunk.row_lines is not None:  # JSON Lines: rows are reported as line numbers
            lines = np.asarray(chunk.row_lines, dtype=np.int64)
            mapped = err["row"].astype("Int64") - chunk.first_row
            err["row"] = pd.array([None if pd.isna(v) else int(lines[int(v)]) for v in mapped], dtype="Int64")
        if chunk.problems:
            extra_err, extra_res = _jsonl_problem_rows(chunk.problems, as_of, run_options, default_as_of)
            if extra_err:
                err = pd.concat([err, _frame(pd.DataFrame(extra_err), ERROR_COLUMNS)], ignore_index=True)
            if extra_res:
                res = pd.concat(
                    [res, _frame(_frame_like(pd.DataFrame([r for r, _ in extra_res]), RESULT_COLUMNS), RESULT_COLUMNS)],
                    ignore_index=True,
                )
                g_rows = [g for _, gr in extra_res for g in gr]
                if gaps is not None and g_rows:
                    gp = pd.concat([gp, _frame(_frame_like(pd.DataFrame(g_rows), GAP_COLUMNS), GAP_COLUMNS)])
        # A case id seen in an earlier chunk: the rows of that case are split (JSON Lines:
        # the reader already reports a repeated id as an error of the later line).
        ids = pd.concat([res["id"], err["case_id"].dropna()], ignore_index=True)
        hashes = pd.util.hash_pandas_object(ids, index=False).to_numpy()
        if not is_jsonl and seen.size:
            pos = np.minimum(np.searchsorted(seen, hashes), seen.size - 1)
            maybe = ids[seen[pos] == hashes]
            if len(maybe):  # confirm on the ids themselves (hashes may collide)
                earlier = pd.concat([r["id"] for r in results] + [e["case_id"].dropna() for e in error_frames])
                for cid in maybe[maybe.isin(set(earlier.tolist()))].unique().tolist():
                    split.setdefault(cid, int(chunk.first_row))
        if not is_jsonl:
            seen = np.sort(np.concatenate((seen, hashes)))
        results.append(res)
        error_frames.append(err)
        if gaps is not None:
            gap_frames.append(gp)
        rows += chunk.table.num_rows
        if progress is not None:
            from .i18n import count

            done = sum(len(r) for r in results)
            bad = sum(len(e) for e in error_frames)
            progress(
                f"timeline batch: {count(rows, 'row', sep=True)} read, {count(done, 'case', sep=True)} assessed, "
                f"{bad:,} not assessed ({time.perf_counter() - start:.1f} s)"
            )
    out = pd.concat(results, ignore_index=True) if results else empty_frame(RESULT_COLUMNS)
    err_all = pd.concat(error_frames, ignore_index=True) if error_frames else empty_frame(ERROR_COLUMNS)
    gap_all = pd.concat(gap_frames, ignore_index=True) if gap_frames else empty_frame(GAP_COLUMNS)
    if malformed:
        out, err_all, gap_all = _malformed_cases(malformed, out, err_all, gap_all)
        for cid in {m.case_id for m in malformed} | {c for m in malformed for c in m.near}:
            split.pop(cid, None)
    return finish(
        out,
        err_all,
        gap_all,
        {} if is_jsonl else split,
        "the rows of this case are not contiguous in the input; sort the table by case_id "
        "(timeline table writes it so)",
        (output, errors, gaps),
        rows,
        time.perf_counter() - start,
        engine,
    )._replace(dropped=dropped)


def _malformed_cases(
    malformed: Any, res: pd.DataFrame, err: pd.DataFrame, gp: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The cases of CSV records that are not valid rows leave the results: one error each.

    Each malformed record is a placeholder row holding its case id when it could be read
    (:func:`timeline.tables.scan_csv`); the case's other rows are not enough to trust it.
    A record whose id cannot be read takes the cases just before and after it out (it
    belongs to one of them); alone in the file, it is an error with no case.
    """
    hit: dict[str | None, list[tuple[Any, str]]] = {}
    for m in malformed:
        line = f"line {m.line} of the file is not a valid CSV row: {m.reason}"
        if m.case_id is not None:
            hit.setdefault(m.case_id, []).append((m, f"{line}; the case is not assessed"))
        elif m.near:
            why = f"{line}; its case id cannot be read and it lies next to this case's rows: the case is not assessed"
            for cid in m.near:
                hit.setdefault(cid, []).append((m, why))
        else:
            hit.setdefault(None, []).append((m, f"{line}; its case id cannot be read"))
    ids = {cid for cid in hit if cid is not None}
    blank_rows = {m.row for m in malformed if m.case_id is None}
    res = res[~res["id"].isin(ids)]
    gp = gp[~gp["id"].isin(ids)]
    err = err[~(err["case_id"].isin(ids) | (err["case_id"].isna() & err["row"].isin(blank_rows)))]
    extra = []
    for cid, found in hit.items():
        for m, why in found if cid is None else found[:1]:
            more = len(found) - 1 if cid is not None else 0
            also = f" ({more:,} more such line{'s' if more > 1 else ''} in the case)" if more else ""
            extra.append(
                {
                    "case_id": cid,
                    "row": m.row,
                    "record": "",
                    "field": "",
                    "value": m.text,
                    "reason": why + also,
                }
            )
    err = pd.concat([err, _frame(pd.DataFrame(extra), ERROR_COLUMNS)], ignore_index=True)
    err = err.sort_values("row", kind="stable").reset_index(drop=True)
    return res.reset_index(drop=True), err, gp.reset_index(drop=True)


def finish(
    out: pd.DataFrame,
    err_all: pd.DataFrame,
    gap_all: pd.DataFrame,
    split: Mapping[str, int | None],
    reason: str,
    targets: tuple[str, str | None, str | None],
    rows: int,
    seconds: float,
    engine: int,
) -> BatchSummary:
    """The end of a batch run: cases in ``split`` (id: input row) become one error each, with
    ``reason`` (their rows were assessed apart); then the results, errors and gaps go to
    ``targets`` (output, errors, gaps; None: not written).
    """
    if split:
        ids = set(split)
        out = out[~out["id"].isin(ids)]
        err_all = err_all[~err_all["case_id"].isin(ids)]
        gap_all = gap_all[~gap_all["id"].isin(ids)]
        extra = [
            {"case_id": cid, "row": row, "record": "", "field": "case_id", "value": cid, "reason": reason}
            for cid, row in split.items()
        ]
        err_all = pd.concat([err_all, _frame(pd.DataFrame(extra), ERROR_COLUMNS)], ignore_index=True)
    out = _frame(out.reset_index(drop=True), RESULT_COLUMNS)
    err_all = _frame(err_all.reset_index(drop=True), ERROR_COLUMNS)
    output, errors, gaps = targets
    with OutputSet() as files:  # all three files appear together, or none
        _write_frame(out, output, files.add(output))
        if errors is not None:
            _write_frame(err_all, errors, files.add(errors))
        if gaps is not None:
            _write_frame(_frame(gap_all.reset_index(drop=True), GAP_COLUMNS), gaps, files.add(gaps))
    return BatchSummary(len(out) + len(err_all), len(out), len(err_all), len(gap_all), rows, seconds, engine)


def _prefetch(chunks: Any) -> Any:
    """Read the next chunk in a thread while the current one is assessed (Arrow readers release the GIL)."""
    import queue
    import threading

    box: queue.Queue[Any] = queue.Queue(maxsize=1)
    done = object()

    def work() -> None:
        try:
            for item in chunks:
                box.put(item)
        except BaseException as err:  # re-raised in the caller's thread
            box.put(err)
            return
        box.put(done)

    threading.Thread(target=work, daemon=True).start()
    while True:
        item = box.get()
        if item is done:
            return
        if isinstance(item, BaseException):
            raise item
        yield item


def check_outputs_before_work(source: str, output: str, errors: str | None, gaps: str | None) -> None:
    """Refuse, before any work, outputs with a wrong extension, in a missing or read-only
    folder, or that are the input or each other (:func:`timeline.outputs.check_outputs`)."""
    targets = {"-o": output, "--errors": errors, "--gaps": gaps}
    for target in targets.values():
        if target is not None:
            file_kind(target)
    check_outputs(targets, inputs=[source])


# --------------------------------------------------------------------------- summary


def _years_until(results: pd.DataFrame, column: str) -> pd.Series:
    """Years from ``as_of`` to the date in ``column`` (0 when already reached), for rows that have one."""
    days = (results[column] - results["as_of"]).dt.days
    return (days.clip(lower=0) / 365.25)[results[column].notna()]


def summarise(results: pd.DataFrame) -> pd.DataFrame:
    """Headline figures of a results table (``timeline summary``): ``measure``, ``group``, ``value``.

    Share of cases with a gap and the distribution of total gap days; the reporting
    status of the cases with a duty to report (R2.2) and the late-reporting rate (late or
    missing among those due); years from ``as_of`` to each eligibility date, per
    naturalisation route (quartiles; 0 when already eligible).
    """
    rows: list[tuple[str, str, float]] = []
    n = len(results)
    rows.append(("cases", "", float(n)))
    with_gap = results["gap_count"] > 0
    rows.append(("share with a gap", "", float(with_gap.mean()) if n else float("nan")))
    rows.append(("share with a gap on as_of", "", float(results["gap_ongoing"].mean()) if n else float("nan")))
    gd = results.loc[with_gap, "gap_days"]
    for q, label in ((0.25, "p25"), (0.5, "median"), (0.75, "p75"), (0.9, "p90")):
        rows.append(("gap days (cases with a gap)", label, float(gd.quantile(q)) if len(gd) else float("nan")))
    status = results["notification_status"].dropna()
    for s in STATUS_NAMES:
        rows.append(("reporting status", s, float((status == s).sum())))
    due = status[status != "not-yet-due"]
    late = due.isin(["late", "missing"]).mean() if len(due) else float("nan")
    rows.append(("late-reporting rate (late or missing, of those due)", "", float(late)))
    for column, label in (
        ("permanent_residence_eligible_from", "permanent residence"),
        ("eu_long_term_eligible_from", "EU long-term residence"),
    ):
        y = _years_until(results, column)
        rows.append((f"years to {label}", "cases", float(len(y))))
        rows.append((f"years to {label}", "median", float(y.median()) if len(y) else float("nan")))
    for route in ROUTE_NAMES:
        sel = results["naturalisation_route"] == route
        y = _years_until(results[sel], "naturalisation_eligible_from")
        rows.append((f"years to naturalisation ({route})", "cases", float(len(y))))
        for q, label in ((0.25, "p25"), (0.5, "median"), (0.75, "p75")):
            rows.append((f"years to naturalisation ({route})", label, float(y.quantile(q)) if len(y) else float("nan")))
    return pd.DataFrame(rows, columns=["measure", "group", "value"])


def summary_figure(results: pd.DataFrame, *, title: str = "timeline batch summary"):
    """Four panels: gap share and gap lengths, reporting status, years to naturalisation per route.

    Returns a :class:`matplotlib.figure.Figure` (no pyplot, no global state); write it with
    :func:`timeline.chart.save` for deterministic PNG, SVG or PDF.
    """
    import matplotlib
    from matplotlib.figure import Figure

    colours = list(matplotlib.color_sequences["okabe_ito"])
    fig = Figure(figsize=(11.7, 8.3), layout="constrained")
    fig.suptitle(f"{title}: {len(results):,} cases")
    ax = fig.subplots(2, 2)
    with_gap = results["gap_count"] > 0
    share = float(with_gap.mean()) if len(results) else 0.0
    ax[0, 0].bar(["no gap", "gap"], [1 - share, share], color=[colours[2], colours[5]], hatch=["", "//"])
    ax[0, 0].set_title("Cases with a residence gap (DC-6)")
    ax[0, 0].set_ylim(0, 1)
    ax[0, 0].bar_label(ax[0, 0].containers[0], labels=[f"{1 - share:.0%}", f"{share:.0%}"])
    gd = results.loc[with_gap, "gap_days"]
    ax[0, 1].hist(gd, bins=40, color=colours[5], hatch="//", edgecolor="white")
    ax[0, 1].set_title("Total gap days (cases with a gap)")
    ax[0, 1].set_xlabel("days")
    status = results["notification_status"].dropna()
    counts = [int((status == s).sum()) for s in STATUS_NAMES]
    palette = [colours[3], colours[1], colours[6], colours[2]]  # green, orange, vermillion, sky blue
    bars = ax[1, 0].bar(list(STATUS_NAMES), counts, color=palette, hatch=["", "//", "xx", ".."])
    ax[1, 0].bar_label(bars, labels=[f"{c:,}" for c in counts])
    ax[1, 0].set_title("Reporting the end of the relationship (R2.2)")
    data, labels = [], []
    for route in ROUTE_NAMES:
        y = _years_until(results[results["naturalisation_route"] == route], "naturalisation_eligible_from")
        if len(y):
            data.append(y.to_numpy())
            labels.append(f"{route}\n({len(y):,})")
    if data:
        ax[1, 1].boxplot(data, tick_labels=labels, showfliers=False)
    ax[1, 1].set_title("Years from as_of to naturalisation, per route (R6)")
    ax[1, 1].set_ylabel("years (0: already eligible)")
    return fig


def read_results(path: str) -> pd.DataFrame:
    """Read a results table written by ``timeline batch`` (.csv, .parquet, .jsonl) with its dtypes."""
    import os

    ext = file_kind(path)
    if not os.path.exists(path):
        raise TableError(f"{path}: no such file")
    try:
        if ext == ".parquet":
            df = pd.read_parquet(path)
        elif ext == ".csv":
            df = pd.read_csv(path, dtype={"id": "str", "notification_status": "str", "naturalisation_route": "str"})
        else:
            df = pd.read_json(path, lines=True, dtype=False)
    except (OSError, ValueError) as err:
        raise TableError(f"{path}: cannot read the results: {err}") from None
    missing = [c for c in RESULT_COLUMNS if c not in df.columns]
    if missing:
        raise TableError(f"{path}: not a timeline batch results table (missing {', '.join(missing)})")
    for k, v in RESULT_COLUMNS.items():
        df[k] = _result_column(path, k, df[k], v, df["id"])
    return _frame(df, RESULT_COLUMNS)


_KINDS = {DATE_DTYPE: "a date", "int64": "a whole number", "Int64": "a whole number", "bool": "true or false"}


def _result_column(path: str, name: str, s: pd.Series, dtype: str, ids: pd.Series) -> pd.Series:
    """Column ``name`` of a results file as ``dtype``; :class:`TableError` naming it when a value does not fit."""
    if dtype == DATE_DTYPE:
        try:
            return pd.to_datetime(s).astype(DATE_DTYPE)
        except (ValueError, TypeError, OverflowError):
            bad = pd.to_datetime(s, errors="coerce").isna() & s.notna()
    elif dtype == "bool":
        if s.dtype == bool:
            return s
        flags = {True: True, False: False, "true": True, "false": False}
        out = s.map(lambda v: flags.get(v.lower() if isinstance(v, str) else v))
        bad = out.isna()
        if not bad.any():
            return out.astype(bool)
    elif dtype in ("int64", "Int64"):
        try:
            return s.astype(dtype)
        except (ValueError, TypeError, OverflowError):
            num = pd.to_numeric(s, errors="coerce")
            bad = (num.isna() & (s.notna() | (dtype == "int64"))) | (num.notna() & (num % 1 != 0))
    else:
        return s.astype(dtype)
    hits = np.flatnonzero(bad.to_numpy(dtype=bool))
    i = int(hits[0]) if hits.size else 0
    where = f" (case {ids.iloc[i]})" if len(ids) and pd.notna(ids.iloc[i]) else ""
    raise TableError(f"{path}: the column {name!r} holds {s.iloc[i]!r}{where}, which is not {_KINDS[dtype]}")
