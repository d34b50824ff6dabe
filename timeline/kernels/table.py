"""The table runner of the kernels: the functions of :mod:`timeline.kernels.gaps`, compiled
with numba and looped over every case of a table (prototype for issue 15; not wired in).

The kernels are the same function objects the single case runs: ``njit`` is applied here,
at import of this module, never in :mod:`timeline.kernels.gaps`. Without numba, or with
``NUMBA_DISABLE_JIT=1``, the driver runs the same source interpreted (slow: about a
microsecond a case; the issue's fallback would be a process pool).

Per-case inputs are flat arrays with CSR offsets: the rows of case ``c`` are
``off[c]:off[c + 1]``.

Caching hazard (numba's documented limit, numba/numba#1833): the cache of ``_drive``
(``cache=True``) is keyed on this file only; after an edit of ``gaps.py`` alone it keeps
running the old kernels until ``timeline/kernels/__pycache__/*.nb[ic]`` is removed. An
installed release is safe (every file is new); a checkout is not. The test comparing this
runner under ``NUMBA_DISABLE_JIT=1`` with the compiled one catches it (it did).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from . import gaps as k


def _interpreted(*args: Any, **kwargs: Any) -> Any:
    return lambda f: f


njit: Any
try:
    import numba  # type: ignore[import-not-found, unused-ignore]

    njit, COMPILED = numba.njit, True
except ImportError:  # the interpreted fallback
    njit, COMPILED = _interpreted, False


__all__ = ["COMPILED", "GapInputs", "GapRows", "from_batch", "run_gaps"]

_find_gaps = njit(cache=True, inline="always")(k.find_gaps)
_gap_cause = njit(cache=True, inline="always")(k.gap_cause)
_procedural_days = njit(cache=True, inline="always")(k.procedural_days)


class GapInputs(NamedTuple):
    """What DC-6 needs of every case, as flat int64 arrays with CSR offsets."""

    as_of: np.ndarray  # per case
    first_start: np.ndarray  # per case, NA: no permit
    cov_off: np.ndarray
    cov_start: np.ndarray
    cov_end: np.ndarray
    p_off: np.ndarray  # the permit chain, in the order it was built
    p_start: np.ndarray
    p_end: np.ndarray
    p_granted_end: np.ndarray
    p_withdrawn: np.ndarray
    p_received: np.ndarray
    p_basis: np.ndarray
    p_kind: np.ndarray
    a_off: np.ndarray  # the applications, in file order
    a_kind: np.ndarray
    a_outcome: np.ndarray
    a_received: np.ndarray
    a_decided: np.ndarray
    b_off: np.ndarray  # procedural stay (layer B), sorted by start
    b_start: np.ndarray
    b_end: np.ndarray


class GapRows(NamedTuple):
    """One row per gap, in case order then date order (codes; ``where``/``pos`` name the record)."""

    case: np.ndarray
    start: np.ndarray
    end: np.ndarray
    days: np.ndarray
    cause: np.ndarray
    where: np.ndarray
    pos: np.ndarray
    procedural_days: np.ndarray


@njit(cache=True)
def _drive(x, case, start, end, days, cause, where, pos, pdays):
    """Every case of ``x``: its gaps, causes and procedural days into the ``out`` arrays."""
    n = 0
    for c in range(x.as_of.size):
        lo, hi = x.cov_off[c], x.cov_off[c + 1]
        m = _find_gaps(x.cov_start[lo:hi], x.cov_end[lo:hi], x.first_start[c], x.as_of[c], start, end, n)
        p = slice(x.p_off[c], x.p_off[c + 1])
        a = slice(x.a_off[c], x.a_off[c + 1])
        b = slice(x.b_off[c], x.b_off[c + 1])
        for g in range(n, m):
            until = x.as_of[c] if end[g] == k.NA else end[g]
            case[g], days[g] = c, until - start[g]
            cause[g], where[g], pos[g] = _gap_cause(
                start[g], end[g], x.as_of[c],
                x.p_start[p], x.p_end[p], x.p_granted_end[p], x.p_withdrawn[p], x.p_received[p], x.p_basis[p],
                x.p_kind[p], x.a_kind[a], x.a_outcome[a], x.a_received[a], x.a_decided[a],
            )  # fmt: skip
            pdays[g] = _procedural_days(start[g], until, x.b_start[b], x.b_end[b])
        n = m
    return n


def run_gaps(x: GapInputs) -> GapRows:
    """DC-6 over every case of ``x`` (compiled when numba is installed)."""
    size = x.cov_start.size + x.as_of.size  # at most one gap more than coverage spans
    out = [np.empty(size, dtype=np.int64) for _ in GapRows._fields]
    n = _drive(x, out[0], out[1], out[2], out[3], out[4], out[5], out[6], out[7])
    return GapRows(*(a[:n] for a in out))


def _csr(case: np.ndarray, n: int) -> np.ndarray:
    return np.concatenate(([0], np.cumsum(np.bincount(case, minlength=n)))).astype(np.int64)


def from_batch(c: Any, s: Any, cov: Any, proc: tuple[np.ndarray, ...], first_start: np.ndarray) -> GapInputs:
    """The kernel inputs from the internals of :func:`timeline.batch._compute` (prototype glue).

    ``c`` is batch's ``_Ctx``, ``s`` its permit slots, ``cov`` the merged coverage, ``proc``
    layer B as ``(case, start, end)``. Returns the inputs; the chain positions index
    ``s.rk[valid]``/``s.ridx[valid]`` and the application positions ``c.ap.index``.
    """
    n = c.n
    v = np.flatnonzero(s.valid)
    ap = c.ap
    pcase, pstart, pend = proc
    order = np.lexsort((pstart, pcase))
    i64 = np.int64
    return GapInputs(
        c.as_of.astype(i64),
        first_start.astype(i64),
        cov.off.astype(i64),
        cov.start.astype(i64),
        cov.end.astype(i64),
        _csr(s.case[v], n),
        s.start[v],
        s.end[v],
        s.gend[v],
        s.withdrawn[v],
        s.received[v],
        s.basis[v],
        s.kind[v],
        _csr(ap.case, n),
        ap.kind.astype(i64),
        ap.outcome.astype(i64),
        ap.received.astype(i64),
        ap.decided.astype(i64),
        _csr(pcase[order], n),
        pstart[order].astype(i64),
        pend[order].astype(i64),
    )


def batch_internals(table: Any, **kwargs: Any) -> tuple[Any, dict[str, Any]]:
    """Run :func:`timeline.batch.assess_table` and keep the internals DC-6 starts from.

    Prototype glue for the tests and the benchmark: wraps ``batch._compute`` for the one
    call, then rebuilds its first steps (objections, permit chain, coverage, layer B).
    Returns the :class:`~timeline.batch.BatchResult` and ``{"ids", "c", "s", "cov", "proc",
    "first_start"}`` (``ids[c]``: the id of case code ``c``).
    """
    from .. import batch as bt

    seen: dict[str, Any] = {}
    compute, parse = bt._compute, bt._parse

    def spy_compute(c: Any, want_gaps: bool) -> Any:
        seen["c"] = c
        return compute(c, want_gaps)

    def spy_parse(cols: Any, run_options: Any) -> Any:
        parsed = parse(cols, run_options)
        seen["ids"] = parsed.ids
        return parsed

    bt._compute, bt._parse = spy_compute, spy_parse
    try:
        result = bt.assess_table(table, **kwargs)
    finally:
        bt._compute, bt._parse = compute, parse
    c = seen["c"]
    s: Any
    s, final = bt._residence(c, bt._objections(c))
    first = bt._reduce(np.minimum, s.case[s.valid], s.start[s.valid], c.n, bt.INF)
    seen["first_start"] = np.where(first == bt.INF, bt.NA, first)
    seen["s"] = s
    seen["cov"] = bt._merge(s.case[final], s.start[final], s.end[final], c.n)
    seen["proc"] = bt._procedural(c, bt._objections(c))
    return result, seen


def record_names(x: GapInputs, rows: GapRows, s: Any, ap: Any) -> list[str | None]:
    """The record each gap's cause names, as batch's gap table writes it (positions are per case)."""
    v = np.flatnonzero(s.valid)
    out: list[str | None] = []
    for c, where, pos in zip(rows.case.tolist(), rows.where.tolist(), rows.pos.tolist(), strict=True):
        if where == k.IN_CHAIN:
            slot = v[x.p_off[c] + pos]
            out.append(f"{'permits' if s.rk[slot] == 1 else 'applications'}[{s.ridx[slot]}]")
        elif where == k.IN_APPLICATIONS:
            out.append(f"applications[{ap.index[x.a_off[c] + pos]}]")
        else:
            out.append(None)
    return out
