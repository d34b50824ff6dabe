"""Objection deadlines of recorded decisions and decision periods of pending applications.

References
----------
- R8.2 (objection: 4 weeks from the day after notice, Vw 69(1), Awb 6:8,
  6:9; ATW applies), R3.2 (an objection suspends a withdrawal, Vw 73).
- R8.3 (decision periods: 90 days for regular applications, Vw 25(1), ATW applies;
  extension up to 6 months, Vw 25(2), OQ-13; permanent residence OQ-14;
  naturalisation 1 year + 2 x 6 months, RWN 9(4); objection 19 + 13 weeks, Vw 76).
"""

from __future__ import annotations

from datetime import timedelta

from .. import atw, law
from ..assessment import DecisionDeadline, DecisionPeriod
from ..context import Context
from ..dates import add_months
from ..model import PERMIT_APPLICATION_KINDS
from .residence import (
    objection_by_decision,
    objection_deadline,
    objection_targets,
    objection_timely,
    recorded_decisions,
)

__all__ = ["decision_periods", "objection_deadlines"]


def objection_deadlines(ctx: Context) -> tuple[DecisionDeadline, ...]:
    """Each withdrawal or refusal on record, its objection deadline and status (R8.2)."""
    case = ctx.case
    by_decision = objection_by_decision(case)
    out = []
    for rec, what, decided in recorded_decisions(case):
        dl = objection_deadline(decided)
        j = by_decision.get(rec)
        obj = case.applications[j] if j is not None else None
        if obj is not None:
            status = "objected-on-time" if objection_timely(obj, dl.deadline) else "objected-late"
        else:
            status = "open" if ctx.as_of <= dl.deadline else "expired"
        out.append(
            DecisionDeadline(
                rec,
                what,
                decided,
                dl.deadline,
                status,
                f"applications[{j}]" if j is not None else None,
                obj.received if obj else None,
            )
        )
        ctx.explain(
            f"objections[{len(out) - 1}].deadline",
            "R8.2",
            "objection-deadline",
            dl.deadline,
            record=rec,
            decision=what,
            decided=decided,
            raw=dl.raw,
            deadline=dl.deadline,
            status=status,
        )
    return tuple(out)


def decision_periods(ctx: Context) -> tuple[DecisionPeriod, ...]:
    """When the IND must decide each pending application or objection (R8.3).

    The periods (``regular_decision_period``, ``naturalisation_decision_period`` and
    ``_extension``, ``objection_decision_period`` and ``_extension``) are those in force
    on the day the application or objection was received: the period starts with it.
    """
    out = []
    opts = ctx.opts
    decided_on = {rec: decided for rec, _, decided in recorded_decisions(ctx.case)}
    objection_dl = {
        j: objection_deadline(decided_on[t]).deadline for j, t in objection_targets(ctx.case).items() if t in decided_on
    }
    for j, a in enumerate(ctx.case.applications):
        if a.outcome != "pending" or a.decided is not None:
            continue
        if a.kind in ("permanent-residence", "eu-long-term") and opts.permanent_decision_period == "6-months":
            due = add_months(a.received, 6)
            ext = add_months(due, 6) if opts.decision_extension == "6-months" else due + timedelta(90)
        elif a.kind in PERMIT_APPLICATION_KINDS:
            due = atw.deadline(a.received, law.term("regular_decision_period", a.received)).deadline
            ext = add_months(due, 6) if opts.decision_extension == "6-months" else due + timedelta(90)
        elif a.kind == "naturalisation":
            due = law.term("naturalisation_decision_period", a.received).after(a.received)
            ext = law.term("naturalisation_decision_extension", a.received).after(due)
        else:
            base = objection_dl.get(j, a.received)
            due = law.term("objection_decision_period", a.received).after(base)
            ext = law.term("objection_decision_extension", a.received).after(due)
        out.append(DecisionPeriod(f"applications[{j}]", a.kind, a.received, due, ext, ctx.as_of > due))
        ctx.explain(
            f"decision_periods[{len(out) - 1}]",
            "R8.3",
            f"decision-{_period_key(a.kind)}",
            due,
            options=("decision_extension", "permanent_decision_period"),
            record=f"applications[{j}]",
            received=a.received,
            due=due,
            extended=ext,
        )
    return tuple(out)


def _period_key(kind: str) -> str:
    if kind in ("naturalisation", "objection"):
        return kind
    return "regular"
