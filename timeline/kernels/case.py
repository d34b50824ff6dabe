"""The single-case runner of the kernels: plain Python on lists, no numpy.

:func:`residence_gaps` has the signature of ``timeline.rules.residence._gaps`` and
returns the same :class:`~timeline.assessment.Gap` tuple with the same explanations,
computed by :mod:`timeline.kernels.gaps` (prototype for issue 15; not wired in yet).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from ..assessment import Gap, ProceduralStay
from ..context import Context
from ..intervals import Span
from . import gaps as k

__all__ = ["residence_gaps"]

DAY = timedelta(days=1)


def _date(n: int) -> date:
    return date.fromordinal(n + k.EPOCH)


def _chain(periods: list[Any]) -> tuple[list[int], ...]:
    """The permit chain as the kernel's per-case lists (see :func:`timeline.kernels.gaps.gap_cause`)."""
    kinds = {kind: i for i, kind in enumerate(k.APPLICATION_KINDS)}
    return (
        [k.day_number(p.start) for p in periods],
        [k.day_number(p.end, k.INF) for p in periods],
        [k.day_number(p.granted_end, k.INF) for p in periods],
        [p.withdrawn_from is not None for p in periods],
        [k.day_number(p.received) for p in periods],
        [k.BASES.index(p.start_basis) for p in periods],
        [kinds.get(p.kind, -1) for p in periods],
    )


def _applications(ctx: Context) -> tuple[list[int], ...]:
    apps = ctx.case.applications
    return (
        [k.APPLICATION_KINDS.index(a.kind) for a in apps],
        [k.OUTCOMES.index(a.outcome) for a in apps],
        [k.day_number(a.received) for a in apps],
        [k.day_number(a.decided) for a in apps],
    )


def residence_gaps(
    ctx: Context,
    periods: list[Any],
    coverage: tuple[Span, ...],
    procedural: tuple[ProceduralStay, ...],
    first_start: date | None,
) -> tuple[Gap, ...]:
    """Every day from the first permit's start to ``as_of`` without toelating (DC-6)."""
    as_of = k.day_number(ctx.as_of)
    cov_start = [k.day_number(s.start) for s in coverage]
    cov_end = [k.day_number(s.end, k.INF) for s in coverage]
    starts, ends = [0] * (len(coverage) + 1), [0] * (len(coverage) + 1)
    n = k.find_gaps(cov_start, cov_end, k.day_number(first_start), as_of, starts, ends, 0)
    chain, apps = _chain(periods), _applications(ctx)
    b_start = [k.day_number(s.start) for s in procedural]  # sorted by start
    b_end = [k.day_number(s.end, k.INF) for s in procedural]
    out: list[Gap] = []
    for g in range(n):
        start, end = starts[g], ends[g]
        until = as_of if end == k.NA else end
        cause, where, pos = k.gap_cause(start, end, as_of, *chain, *apps)
        record = periods[pos].record if where == k.IN_CHAIN else f"applications[{pos}]" if pos >= 0 else None
        inside = k.procedural_days(start, until, b_start, b_end)
        gap = Gap(_date(start), None if end == k.NA else _date(end), until - start, k.GAP_CAUSES[cause], record, inside)
        out.append(gap)
        ctx.explain(
            f"gaps[{g}]",
            "DC-6",
            f"gap-{gap.cause}",
            gap.days,
            options=("withdrawal_effective",) if gap.cause == "withdrawal" else (),
            start=gap.start,
            end=gap.end,
            last_day=_date(until) - DAY,
            days=gap.days,
            record=record,
            procedural_days=inside,
            as_of=ctx.as_of,
        )
    return tuple(out)
