"""The table's structure: case codes, the ``record`` and ``index`` columns, the rows of each
record kind sorted by (case, index), and the structural problems the case reader cannot
see (a row without case, an unknown record or field, a numbering gap, too many rows);
then :func:`timeline.batch.validation.read_fields` for the fields."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..fields import (
    MAX_ID,
    check_id,
)
from ..fields import MAX_RECORDS as MAX_ENTRIES
from ..tables import (
    LIST_RECORDS,
    RECORDS,
    SINGLE_RECORDS,
    TABLE_FIELDS,
    valid_mask,
)
from .arrays import group_starts
from .codes import MAX_CASE_RECORDS, MAX_RECORDS, REC
from .columns import Columns, Rec, dictionary_codes, is_text, to_arrow
from .validation import read_fields

#: The characters ``str.strip()`` removes (``str.isspace``), for the empty-id check.
_PY_SPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680"
    + "".join(map(chr, range(0x2000, 0x200B)))
    + ("\u2028\u2029\u202f\u205f\u3000")
)


class Problem(NamedTuple):
    case: int  # case code, -1 for a row without case_id
    row: int
    record: str
    field: str
    value: Any
    reason: str


def _read_index(cols: Columns) -> tuple[np.ndarray, np.ndarray]:
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
    if is_text(arr.type):
        codes, values = dictionary_codes(arr)
        parsed = []
        for v in values:
            s = v.strip()
            parsed.append(int(s) if s.isascii() and s.isdigit() and len(s) < 10 else -2)
        lut = np.array(parsed or [0], dtype=np.int64)
        out = np.where(codes >= 0, lut[np.maximum(codes, 0)], -1)
        bad = out == -2
        return np.where(bad, -1, out), bad
    return np.full(n, -1, dtype=np.int64), valid


def _case_codes(cols: Columns) -> tuple[np.ndarray, list[str]]:
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


class Parsed:
    """Everything read from the table: per-case fields, one :class:`Rec` per record kind."""

    n_cases: int
    ids: list[str]  # case ids in order of first appearance
    row_case: np.ndarray  # case code of every row (-1: no case_id)
    first_row: np.ndarray  # per case: its first row
    bad: np.ndarray  # per case: a check failed (the case reader gives the error)
    struct: np.ndarray  # per case: a table-structure problem the case reader cannot see
    structural: list[Problem]  # those problems, one per case
    huge: np.ndarray  # per case: too many records for the packed keys
    recs: dict[str, Rec]  # the rows of each record kind with their typed fields
    cx: dict[str, Any]  # per-case fields, options, out-of-range flags


def parse(cols: Columns, run_options: Mapping[str, str]) -> Parsed:
    """Read and check every column; flag every case that :func:`case_from_dict` would reject.

    ``cols.trace`` (for the tests) receives, per check of :mod:`timeline.fields`, the cases it flags.
    """
    out = Parsed()
    row_case, ids = _case_codes(cols)
    nc = len(ids)
    out.n_cases, out.ids, out.row_case = nc, ids, row_case
    has = row_case >= 0
    out.first_row = np.full(nc, cols.n, dtype=np.int64)
    np.minimum.at(out.first_row, row_case[has], np.flatnonzero(has))
    st = _Structure(row_case, nc)
    _check_ids(ids, st.bad, cols.trace)
    # Rows without a case id: each is an error of its own.
    for r in np.flatnonzero(~has).tolist():
        st.problems.append(Problem(-1, r, "", "case_id", None, "case_id is empty: every row needs the id of its case"))

    rec_codes, rec_values = dictionary_codes(cols.arrow("record"))  # assess_table checked the column is there
    lut = np.array([REC.get(v, -1) if isinstance(v, str) else -1 for v in rec_values] or [-1], dtype=np.int64)
    rec = np.where(rec_codes >= 0, lut[np.maximum(rec_codes, 0)], -1)
    index, index_bad = _read_index(cols)
    sizes = np.bincount(row_case[has], minlength=nc)
    _check_rows(st, cols, sizes, out.first_row, has & (rec < 0), has & index_bad)
    known = has & (rec >= 0)
    _check_fields_known(st, cols, known, rec)
    recs = _record_rows(st, cols.names, known, rec, index, index_bad)

    # Too many records for the packed sort keys: the engine would take them (none pass the limit below).
    out.huge = sizes > MAX_RECORDS
    # More entries of one kind than the case reader reads (timeline.fields.MAX_RECORDS).
    for kind in LIST_RECORDS:
        if kind != "options" and len(recs[kind]):
            st.bad |= np.bincount(recs[kind].case, minlength=nc) > MAX_ENTRIES

    out.cx = read_fields(cols, recs, nc, st.bad, run_options)
    cols.drop_whole()
    out.bad = st.bad | st.struct
    out.structural = st.problems
    out.struct = st.struct
    out.recs = recs
    return out


class _Structure:
    """The cases flagged while the structure is read: ``bad`` (the case reader gives the error),
    ``struct`` and its ``problems`` (a problem the case reader cannot see, one per case)."""

    def __init__(self, row_case: np.ndarray, nc: int) -> None:
        self.row_case = row_case
        self.bad = np.zeros(nc, dtype=bool)
        self.struct = np.zeros(nc, dtype=bool)
        self.problems: list[Problem] = []

    def flag_rows(self, mask: np.ndarray) -> None:
        """The cases of the rows of ``mask`` fail a check of the case reader."""
        c = self.row_case[mask]
        self.bad[c[c >= 0]] = True

    def structural(self, rows: np.ndarray, record: Any, field: str, value: Any, reason: str) -> None:
        """A structural problem at each of ``rows`` (the first one of a case is kept);
        ``record`` and ``value`` may be functions of the row."""
        for r in rows.tolist():
            c = int(self.row_case[r])
            if c < 0 or self.struct[c]:
                continue
            self.struct[c] = True
            rec_name = record(r) if callable(record) else record
            self.problems.append(Problem(c, r, rec_name, field, value(r) if callable(value) else value, reason))


def _check_ids(ids: list[str], bad: np.ndarray, trace: dict[str, set[int]] | None) -> None:
    """The case id (timeline.fields, type id): not only whitespace (str.strip's set), not too long."""
    if not ids:
        return
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


def _check_rows(
    st: _Structure,
    cols: Columns,
    sizes: np.ndarray,
    first_row: np.ndarray,
    unknown: np.ndarray,
    bad_index: np.ndarray,
) -> None:
    """Cases with too many rows, rows of an unknown record, an ``index`` that is not a whole number."""
    row_case = st.row_case
    # More rows than any real case has: an error at once (README "Batch tables").
    over = np.flatnonzero(sizes > MAX_CASE_RECORDS)
    if over.size:
        st.structural(
            first_row[over],
            "",
            "",
            lambda r: int(sizes[row_case[r]]),
            f"the case has more than {MAX_CASE_RECORDS:,} rows (the limit per case; a real case has tens)",
        )
    if unknown.any():
        st.structural(
            np.flatnonzero(unknown),
            "",
            "record",
            lambda r: cols.arrow("record")[r].as_py(),
            f"unknown record; valid: {', '.join(RECORDS)}",
        )
    if bad_index.any():
        st.structural(
            np.flatnonzero(bad_index),
            "",
            "index",
            lambda r: cols.arrow("index")[r].as_py(),
            "index must be a whole number >= 0",
        )


def _check_fields_known(st: _Structure, cols: Columns, known: np.ndarray, rec: np.ndarray) -> None:
    """Unknown fields: a value in a column that is not a field of the row's record."""
    for name in cols.names:
        if name in ("case_id", "record", "index"):
            continue
        if name == "id":  # the case's id is case_id; a second one has no place
            st.structural(np.flatnonzero(known & cols.present(name)), "", "id", None, "use case_id for the case's id")
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
                st.structural(
                    np.flatnonzero(opt_rows),
                    "options",
                    name,
                    None,
                    "an options row holds only option and value",
                )
            st.flag_rows(stray)


def _record_rows(
    st: _Structure,
    names: list[str],
    known: np.ndarray,
    rec: np.ndarray,
    index: np.ndarray,
    index_bad: np.ndarray,
) -> dict[str, Rec]:
    """The rows of each record kind sorted by (case, index), their numbering checked (without an
    ``index`` column: numbered in row order)."""
    recs: dict[str, Rec] = {}
    use_row_order = "index" not in names
    for r in RECORDS:
        rows = np.flatnonzero(known & (rec == REC[r]))
        case = st.row_case[rows]
        idx = index[rows]
        order = np.lexsort((rows, idx, case)) if not use_row_order else np.argsort(case, kind="stable")
        rows, case, idx = rows[order], case[order], idx[order]
        starts = group_starts(case)
        local = np.arange(rows.size) - np.repeat(starts, np.diff(np.r_[starts, rows.size]))
        if use_row_order:
            idx = local if r in LIST_RECORDS else np.zeros_like(local)
        elif r in SINGLE_RECORDS:
            miss = idx < 0
            idx = np.where(miss & ~index_bad[rows], 0, idx)
        if r in SINGLE_RECORDS:
            dup = local > 0
            st.structural(rows[dup], r, "", None, f"the case has more than one {r} row")
            wrong = (idx != 0) & ~index_bad[rows] & ~dup
            st.structural(rows[wrong], r, "index", lambda x: int(index[x]), f"a {r} row has index 0")
        else:
            wrong = (idx != local) & ~index_bad[rows]
            st.structural(
                rows[wrong],
                lambda x, r=r: f"{r}[{index[x]}]" if index[x] >= 0 else r,
                "index",
                lambda x: None if index[x] < 0 else int(index[x]),
                f"the {r} rows of a case are numbered 0, 1, 2, ... without gaps or repeats",
            )
        recs[r] = Rec(r, rows, case, idx.astype(np.int64))
    return recs


def flagged_by_checks(table: Any, options: Mapping[str, str] | None = None) -> tuple[dict[str, set[str]], set[str]]:
    """What the vectorised validation flags in an event table, for the tests: per check id of
    :mod:`timeline.fields` the ids of the cases it flags, and the ids of every flagged case."""
    cols = Columns(to_arrow(table))
    trace = cols.trace = {}
    parsed = parse(cols, dict(options or {}))
    ids = parsed.ids
    flagged = {ids[c] for c in np.flatnonzero(parsed.bad).tolist()}
    return {check: {ids[c] for c in cases} for check, cases in trace.items()}, flagged
