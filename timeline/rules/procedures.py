"""Objection deadlines of recorded decisions and decision periods of pending applications.

References
----------
- rules.md R8.2 (objection: 4 weeks from the day after notice, Vw 69(1), Awb 6:8,
  6:9; ATW applies), R3.2 (an objection suspends a withdrawal, Vw 73).
- R8.3 (decision periods: 90 days for regular applications, Vw 25(1), ATW applies;
  extension up to 6 months, Vw 25(2), OQ-13; permanent residence OQ-14;
  naturalisation 1 year + 2 x 6 months, RWN 9(4); objection 19 + 13 weeks, Vw 76).
"""

from __future__ import annotations

from datetime import timedelta

from .. import calendar as atw
from ..assessment import DecisionDeadline, DecisionPeriod
from ..context import Context
from ..dates import Term, add_months
from ..model import PERMIT_APPLICATION_KINDS
from .residence import OBJECTION_TERM, objection_targets

__all__ = ["decision_periods", "objection_deadlines"]

REGULAR_PERIOD = Term(90, "days")
NATURALISATION_PERIOD = Term(1, "years")
OBJECTION_DECISION = Term(19, "weeks")
OBJECTION_DECISION_EXTENSION = Term(13, "weeks")


def objection_deadlines(ctx: Context) -> tuple[DecisionDeadline, ...]:
    """Each withdrawal or refusal on record, its objection deadline and status (R8.2)."""
    case = ctx.case
    targets = objection_targets(case.applications, case.permits)
    by_target = {t: j for j, t in sorted(targets.items(), reverse=True)}
    decisions = [
        (f"permits[{i}]", "withdrawal", p.withdrawal_decided)
        for i, p in enumerate(case.permits)
        if p.withdrawal_decided
    ]
    decisions += [
        (f"applications[{j}]", f"refusal-{a.kind}", a.decided)
        for j, a in enumerate(case.applications)
        if a.kind != "objection" and a.outcome == "refused" and a.decided
    ]
    out = []
    for rec, what, decided in decisions:
        dl = atw.deadline(decided, OBJECTION_TERM)
        j = by_target.get(rec)
        obj = case.applications[j] if j is not None else None
        if obj is not None:
            posted_ok = (
                obj.posted is not None and obj.posted <= dl.deadline and obj.received <= dl.deadline + timedelta(7)
            )
            status = "objected-on-time" if obj.received <= dl.deadline or posted_ok else "objected-late"
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
    """When the IND must decide each pending application or objection (R8.3)."""
    out = []
    opts = ctx.opts
    objection_dl = {}
    targets = objection_targets(ctx.case.applications, ctx.case.permits)
    for j, t in targets.items():
        rec_decided = _decided_of(ctx, t)
        if rec_decided is not None:
            objection_dl[j] = atw.deadline(rec_decided, OBJECTION_TERM).deadline
    for j, a in enumerate(ctx.case.applications):
        if a.outcome != "pending" or a.decided is not None:
            continue
        if a.kind in ("permanent-residence", "eu-long-term") and opts.permanent_decision_period == "6-months":
            due = add_months(a.received, 6)
            ext = add_months(due, 6) if opts.decision_extension == "6-months" else due + timedelta(90)
        elif a.kind in PERMIT_APPLICATION_KINDS:
            due = atw.deadline(a.received, REGULAR_PERIOD).deadline
            ext = add_months(due, 6) if opts.decision_extension == "6-months" else due + timedelta(90)
        elif a.kind == "naturalisation":
            due = NATURALISATION_PERIOD.after(a.received)
            ext = add_months(due, 12)
        else:
            base = objection_dl.get(j, a.received)
            due = OBJECTION_DECISION.after(base)
            ext = OBJECTION_DECISION_EXTENSION.after(due)
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


def _decided_of(ctx: Context, target: str):
    name, _, rest = target.partition("[")
    idx = int(rest.rstrip("]"))
    if name == "permits":
        return ctx.case.permits[idx].withdrawal_decided
    return ctx.case.applications[idx].decided
