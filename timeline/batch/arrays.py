"""Per-case array helpers: groups in sorted arrays, per-case reductions, CSR offsets,
merged spans and the span holding a day, lookups in sorted keys, and the string order of
record names the single case's tie-breaks follow."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .codes import BIAS, SHIFT


def group_starts(sorted_keys: np.ndarray) -> np.ndarray:
    """Positions where a new group begins in a sorted key array."""
    if sorted_keys.size == 0:
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])


def reduce_per_case(ufunc: np.ufunc, case: np.ndarray, values: np.ndarray, n: int, fill: int) -> np.ndarray:
    """Per-case ``ufunc`` reduction of ``values``; ``case`` must be sorted."""
    out = np.full(n, fill, dtype=np.int64)
    if case.size:
        s = group_starts(case)
        out[case[s]] = ufunc.reduceat(values, s)
    return out


def offsets(case: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Counts per case and CSR offsets of ``case`` (sorted)."""
    counts = np.bincount(case, minlength=n).astype(np.int64)
    return counts, np.concatenate(([0], np.cumsum(counts)))


class Spans(NamedTuple):
    """Merged, disjoint, non-touching spans sorted by (case, start), with CSR offsets."""

    case: np.ndarray
    start: np.ndarray
    end: np.ndarray
    counts: np.ndarray  #: spans per case
    off: np.ndarray


def merge_spans(case: np.ndarray, start: np.ndarray, end: np.ndarray, n: int) -> Spans:
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
    count, off = offsets(mcase, n)
    return Spans(mcase, mstart, mend, count, off)


def find_span(spans: Spans, cases: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Index of the span of each case that contains ``day`` (``timeline.intervals.find``), or -1."""
    if spans.case.size == 0 or cases.size == 0:
        return np.full(cases.size, -1, dtype=np.int64)
    key = (spans.case.astype(np.int64) << SHIFT) | (spans.start + BIAS)
    q = (cases.astype(np.int64) << SHIFT) | (day + BIAS)
    i = np.searchsorted(key, q, side="right") - 1
    j = np.maximum(i, 0)
    ok = (i >= 0) & (spans.case[j] == cases) & (spans.end[j] > day)
    return np.where(ok, i, -1)


class RecordRank:
    """The order of record names as strings ("applications[10]" < "applications[2]" < "permits[0]")."""

    def __init__(self, max_index: int) -> None:
        self.m = max(1, int(max_index) + 1)
        names = [f"applications[{j}]" for j in range(self.m)] + [f"permits[{i}]" for i in range(self.m)]
        order = np.argsort(np.array(names, dtype=object), kind="stable")
        self.rank = np.empty(2 * self.m, dtype=np.int64)
        self.rank[order] = np.arange(2 * self.m)

    def __call__(self, rk: np.ndarray, idx: np.ndarray) -> np.ndarray:
        return self.rank[rk * self.m + idx]
