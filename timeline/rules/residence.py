"""Residence: permits as granted, withdrawals, procedural stay and gaps.

References
----------
- DC-1 (half-open validity), DC-6 (verblijfsgat), R1.2 and R4.1 (Vw 26: a
  permit starts on receipt or when the conditions are shown), R1.4 (timely
  extension, Vb 3.80(1)), R4.2 (the 2022 four-week tolerance, OQ-4, OQ-21), R3.1
  (withdrawal after the relationship ends, OQ-3), R3.2 and R4.5 (procedural stay is
  not toelating; Vw 73 suspension during objection).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

from .. import atw, law
from ..assessment import Gap, ProceduralStay, ResidencePeriod
from ..context import Context
from ..dates import add_months
from ..intervals import Span, clip, complement, covers, merge, total_days
from ..model import INDEFINITE_PURPOSES, PERMIT_APPLICATION_KINDS, Application, Case, Notification, is_temporary

__all__ = [
    "Residence",
    "assess_residence",
    "earliest_filing",
    "first_report",
    "objection_by_decision",
    "objection_deadline",
    "objection_targets",
    "objection_timely",
    "recorded_decisions",
    "relationship_ended",
    "tolerance_applies",
    "tolerance_end",
]

DAY = timedelta(days=1)


class _Period:
    """A permit while the chain is built (mutable: withdrawals are applied in place)."""

    __slots__ = (
        "granted_end",
        "kind",
        "purpose",
        "received",
        "record",
        "start",
        "start_basis",
        "withdrawal_basis",
        "withdrawal_decided",
        "withdrawn_from",
    )

    def __init__(
        self,
        record: str,
        purpose: str,
        start: date,
        granted_end: date | None,
        start_basis: str,
        *,
        withdrawn_from: date | None = None,
        withdrawal_decided: date | None = None,
        kind: str | None = None,
        received: date | None = None,
    ) -> None:
        self.record, self.purpose, self.start, self.granted_end = record, purpose, start, granted_end
        self.start_basis, self.withdrawn_from, self.withdrawal_decided = start_basis, withdrawn_from, withdrawal_decided
        self.withdrawal_basis: str | None = None
        self.kind, self.received = kind, received

    @property
    def end(self) -> date | None:
        e = self.granted_end
        w = self.withdrawn_from
        if w is not None and (e is None or w < e):
            return max(w, self.start)
        return e


class Residence(NamedTuple):
    """Layer A (granted permits), layer B (procedural stay) and the gaps (R4.5)."""

    periods: tuple[ResidencePeriod, ...]
    procedural: tuple[ProceduralStay, ...]
    gaps: tuple[Gap, ...]
    coverage: tuple[Span, ...]
    first_start: date | None
    removed: tuple[str, ...]

    def period_on(self, d: date) -> ResidencePeriod | None:
        """The permit covering day ``d`` (the strongest one when several do)."""
        found = [p for p in self.periods if p.start <= d and (p.end is None or d < p.end)]
        if not found:
            return None
        return min(found, key=lambda p: (p.temporary, -(p.start.toordinal())))


def first_report(notifications: tuple[Notification, ...]) -> tuple[int, Notification] | None:
    """The first report the IND received, from either party (R2.2, OQ-3)."""
    if not notifications:
        return None
    return min(enumerate(notifications), key=lambda item: (item[1].received, item[0]))


def recorded_decisions(case: Case) -> list[tuple[str, str, date]]:
    """Withdrawals and refusals on record: what an objection can be made against (R8.2).

    Each is ``(record, decision, decided)`` with ``decision`` ``"withdrawal"`` or
    ``"refusal-<kind>"``; ``decided`` is taken as the day the decision was made known.
    """
    out = [
        (f"permits[{i}]", "withdrawal", p.withdrawal_decided)
        for i, p in enumerate(case.permits)
        if p.withdrawal_decided
    ]
    out += [
        (f"applications[{j}]", f"refusal-{a.kind}", a.decided)
        for j, a in enumerate(case.applications)
        if a.kind != "objection" and a.outcome == "refused" and a.decided
    ]
    return out


def objection_deadline(decided: date) -> atw.Deadline:
    """R8.2: 4 weeks from the day after the decision was made known (Vw 69(1), Awb 6:8), ATW roll.

    The term in force on the day the decision was made known (``objection_term`` on
    ``decided``): the term starts with it.
    """
    return atw.deadline(decided, law.term("objection_term", decided))


def objection_timely(objection: Application, deadline: date) -> bool:
    """R8.2, Awb 6:9: received by the deadline, or posted by it and received within a week.

    The week is ``objection_posting_grace`` in force on the ``deadline``, the day the
    objection term ends.
    """
    posted = objection.posted
    return objection.received <= deadline or (
        posted is not None
        and posted <= deadline
        and objection.received <= law.term("objection_posting_grace", deadline).after(deadline)
    )


def objection_targets(case: Case) -> dict[int, str]:
    """Map each objection (index in ``applications``) to the decision it is against.

    ``against`` when given; else the latest withdrawal decision or refusal made on or
    before the objection was received.
    """
    decisions = [(decided, record) for record, _, decided in recorded_decisions(case)]
    out: dict[int, str] = {}
    for j, a in enumerate(case.applications):
        if a.kind != "objection":
            continue
        if a.against:
            out[j] = a.against
            continue
        before = [d for d in decisions if d[0] <= a.received]
        if before:
            out[j] = max(before)[1]
    return out


def objection_by_decision(case: Case) -> dict[str, int]:
    """Decision record -> the first objection (in file order) lodged against it."""
    out: dict[str, int] = {}
    for j, target in sorted(objection_targets(case).items()):
        out.setdefault(target, j)
    return out


def assess_residence(ctx: Context) -> Residence:
    """Build the permit chain, apply withdrawals, and find procedural stay and gaps."""
    case = ctx.case
    targets = objection_targets(case)
    reversed_by_objection = {t for j, t in targets.items() if case.applications[j].outcome == "granted"}
    periods = [
        _Period(
            f"permits[{i}]",
            p.purpose,
            p.start,
            None if p.purpose in INDEFINITE_PURPOSES else p.end,
            "recorded",
            withdrawn_from=p.withdrawn_from,
            withdrawal_decided=p.withdrawal_decided,
        )
        for i, p in enumerate(case.permits)
    ]
    for i, p in enumerate(case.permits):
        if p.purpose in INDEFINITE_PURPOSES and p.end is not None:
            ctx.explain(f"permits[{i}]", "R5.1", "indefinite-document-end", None, record=f"permits[{i}]", end=p.end)

    order = sorted(range(len(case.applications)), key=lambda j: (case.applications[j].received, j))
    for j in order:
        a = case.applications[j]
        rec = f"applications[{j}]"
        if a.kind not in PERMIT_APPLICATION_KINDS:
            continue
        if not (a.outcome == "granted" or (a.outcome == "refused" and rec in reversed_by_objection)):
            continue
        period = _derive(ctx, rec, a, periods)
        if period is not None:
            periods.append(period)

    _apply_withdrawals(ctx, periods, reversed_by_objection)

    removed = tuple(p.record for p in periods if p.end is not None and p.end <= p.start)
    sponsor = case.sponsor.status
    final = tuple(
        ResidencePeriod(
            p.record,
            p.purpose,
            p.start,
            p.end,
            p.granted_end,
            is_temporary(p.purpose, sponsor),
            p.start_basis,
            p.withdrawn_from if (p.withdrawn_from is not None and p.end != p.granted_end) else None,
            p.withdrawal_basis if (p.withdrawn_from is not None and p.end != p.granted_end) else None,
        )
        for p in sorted(periods, key=lambda p: (p.start, p.record))
        if p.record not in removed
    )
    _warn_overlaps(ctx, final)
    coverage = tuple(merge(Span(p.start, p.end) for p in final))
    procedural = _procedural(ctx)
    first_start = min((p.start for p in periods), default=None)
    gaps = _gaps(ctx, periods, coverage, procedural, first_start)
    return Residence(final, procedural, gaps, coverage, first_start, removed)


def _previous(periods: list[_Period], a: Application) -> _Period | None:
    """The permit an extension extends: the latest-ending one that began before receipt."""
    before = [p for p in periods if p.start < a.received and p.granted_end is not None]
    same = [p for p in before if a.purpose is None or p.purpose == a.purpose]
    pool = same or before
    return max(pool, key=lambda p: p.granted_end) if pool else None  # type: ignore[arg-type, return-value]


def tolerance_applies(received: date) -> bool:
    """R4.2: whether the tolerance policy is in force for an extension received on ``received``.

    The day of receipt selects it (``late_extension_tolerance``, in force from 1 July 2022).
    """
    return law.find("late_extension_tolerance", received) is not None


def tolerance_end(ctx: Context, prev_end: date, on: date) -> date:
    """Last day of the four-week tolerance after ``prev_end`` (R4.2, OQ-4).

    The term is the one in force on ``on`` (the day of receipt, :func:`tolerance_applies`);
    on a day before the policy, the term that came into force later, so that the
    explanation of a late application can still show where the tolerance would end.
    """
    tolerance = law.nearest("late_extension_tolerance", on).term
    base = prev_end - DAY if ctx.opts.late_extension_count_from == "last-valid-day" else prev_end
    if ctx.opts.late_extension_atw == "yes":
        return atw.deadline(base, tolerance, atw=True).deadline
    return tolerance.after(base)


def _derive(ctx: Context, rec: str, a: Application, periods: list[_Period]) -> _Period | None:
    """The permit a granted application yields (R1.2, R1.4, R4.1, R4.2)."""
    opts = ctx.opts
    prev = _previous(periods, a) if a.kind in ("extension", "change-of-purpose") else None
    purpose: str | None
    if a.kind == "permanent-residence":
        purpose = "permanent"
    elif a.kind == "eu-long-term":
        purpose = "eu-long-term"
    else:
        purpose = a.purpose or (prev.purpose if prev is not None else None)
    if purpose is None:
        ctx.warn("no-purpose", record=rec)
        return None
    end = None if purpose in INDEFINITE_PURPOSES else a.valid_until
    proof = a.conditions_met or a.received
    by_receipt_basis = "conditions-met" if a.conditions_met and a.conditions_met > a.received else "received"
    start, basis = max(a.received, proof), by_receipt_basis
    rule, key, extra = "R1.2", "start-received", {}
    if a.start is not None:
        start, basis, key = a.start, "printed", "start-printed"
    elif a.kind == "extension" and prev is None:
        ctx.warn("extension-without-permit", record=rec)
    elif prev is not None and prev.granted_end is not None:
        prev_end = prev.granted_end
        extra = {"previous": prev.record, "previous_end": prev_end, "last_valid": prev_end - DAY}
        tolerance_kinds = (
            ("extension",) if opts.late_tolerance_applies_to == "extension" else ("extension", "change-of-purpose")
        )
        if a.kind == "extension" and a.received < prev_end:
            start, basis, rule, key = max(prev_end, proof), "timely", "R1.4", "start-timely"
            earliest = earliest_filing(ctx, prev_end)
            if a.received < earliest:
                ctx.warn("extension-too-early", record=rec, received=a.received, earliest=earliest)
        elif a.kind in tolerance_kinds and a.received >= prev_end:
            tol_end = tolerance_end(ctx, prev_end, a.received)
            extra["tolerance_end"] = tol_end
            if tolerance_applies(a.received) and a.received <= tol_end:
                start, basis, rule, key = prev_end, "tolerance", "R4.2", "start-tolerance"
            elif a.excused:
                start, basis, rule, key = prev_end, "excused", "R4.1", "start-excused"
            else:
                rule, key = "R4.1", "start-late"
        elif a.kind == "change-of-purpose" and a.received >= prev_end and a.excused:
            start, basis, rule, key = prev_end, "excused", "R4.1", "start-excused"
    if end is not None and end <= start:
        ctx.warn("derived-permit-empty", record=rec, start=start, end=end)
        return None
    ctx.explain(
        f"{rec}.start",
        rule,
        key,
        start,
        options=("late_extension_count_from", "late_extension_atw", "late_tolerance_applies_to")
        if rule == "R4.2" or key == "start-late"
        else (),
        record=rec,
        kind=a.kind,
        received=a.received,
        conditions_met=a.conditions_met,
        start=start,
        **extra,
    )
    return _Period(rec, purpose, start, end, basis, kind=a.kind, received=a.received)


def earliest_filing(ctx: Context, end: date) -> date:
    """First day an extension may be filed (R1.4, OQ-16)."""
    return add_months(end, -3 if ctx.opts.extension_window == "3-months" else -6)


def relationship_ended(ctx: Context) -> bool:
    """Whether the relationship has ended on record: a report of the end, or a separation date."""
    rel = ctx.case.relationship
    return bool(ctx.case.notifications) or (rel is not None and rel.separated is not None)


def _withdrawal_date(ctx: Context, p: _Period) -> tuple[date | None, str]:
    """Effective date of the withdrawal of a partner permit under OQ-3 (R3.1)."""
    rel = ctx.case.relationship
    separated = rel.separated if rel is not None else None
    first = first_report(ctx.case.notifications)
    reported = first[1].change_date if first is not None else None
    choice = ctx.opts.withdrawal_effective
    if choice == "reported":
        return (reported, "reported") if reported is not None else (separated, "separation")
    if choice == "separation":
        return (separated, "separation") if separated is not None else (reported, "reported")
    if choice == "notification":
        return (first[1].received, "notification") if first is not None else (None, "notification")
    return p.withdrawal_decided, "decision"


def _apply_withdrawals(ctx: Context, periods: list[_Period], reversed_by_objection: set[str]) -> None:
    """Cut permits at the first day without them (R3.1); a recorded date is a fact."""
    ended = relationship_ended(ctx)
    for p in periods:
        if p.record in reversed_by_objection and p.record.startswith("permits"):
            if p.withdrawn_from or p.withdrawal_decided:
                ctx.explain(f"{p.record}.withdrawal", "R3.2", "withdrawal-reversed", None, record=p.record)
            p.withdrawn_from = None
            continue
        if p.withdrawn_from is not None:
            p.withdrawal_basis = "recorded"
        elif p.purpose == "partner" and ended:
            p.withdrawn_from, p.withdrawal_basis = _withdrawal_date(ctx, p)
        elif p.withdrawal_decided is not None:
            p.withdrawn_from, p.withdrawal_basis = p.withdrawal_decided, "decision"
        if p.withdrawn_from is None:
            if p.purpose == "partner" and ended:
                ctx.explain(
                    f"{p.record}.withdrawal",
                    "R3.1",
                    "withdrawal-none",
                    None,
                    options=("withdrawal_effective",),
                    record=p.record,
                    choice=ctx.opts.withdrawal_effective,
                )
            continue
        if p.granted_end is not None and p.withdrawn_from >= p.granted_end:
            continue
        key = "withdrawal-removed" if p.withdrawn_from <= p.start else "withdrawal"
        ctx.explain(
            f"{p.record}.withdrawn_from",
            "R3.1",
            key,
            p.withdrawn_from,
            options=() if p.withdrawal_basis == "recorded" else ("withdrawal_effective",),
            record=p.record,
            basis=p.withdrawal_basis,
            effective=p.withdrawn_from,
            last_day=p.withdrawn_from - DAY,
        )


def _procedural(ctx: Context) -> tuple[ProceduralStay, ...]:
    """Layer B: waiting for a decision (Vw 8 f/g) or under a suspended decision (Vw 73, 8 h)."""
    case = ctx.case
    out: list[ProceduralStay] = []
    for j, a in enumerate(case.applications):
        if a.kind in PERMIT_APPLICATION_KINDS and (a.decided is None or a.decided > a.received):
            basis = "Vw 8(f)" if a.kind == "first" else "Vw 8(g)"
            out.append(ProceduralStay(f"applications[{j}]", a.received, a.decided, basis))
    objections = objection_by_decision(case)
    suspensive = [
        d
        for d in recorded_decisions(case)
        if d[1] == "withdrawal" or d[1].removeprefix("refusal-") in PERMIT_APPLICATION_KINDS
    ]
    for rec, _, decided in suspensive:
        deadline = objection_deadline(decided).deadline
        obj = objections.get(rec)
        end: date | None = deadline + DAY  # suspended until the objection term has passed (Vw 73(1))
        if obj is not None and objection_timely(case.applications[obj], deadline):
            end = case.applications[obj].decided  # ... or until the objection is decided
        if end is None or end > decided:
            out.append(ProceduralStay(rec, decided, end, "Vw 73(1), 8(h)"))
    return tuple(sorted(out, key=lambda s: (s.start, s.record)))


#: At most this many overlap warnings; the rest are counted in one more warning.
MAX_OVERLAP_WARNINGS = 20


def _warn_overlaps(ctx: Context, periods: tuple[ResidencePeriod, ...]) -> None:
    """Warn of every pair of permits whose periods share a day: the days count once
    (coverage is the union of the periods, DC-1 and DC-6), but two permits on one day
    usually means a record entered twice or a wrong end date.

    A sweep in order of start: only the periods still running when a period starts can
    overlap it, so the work grows with the periods and the overlaps found, not with
    every pair (a hostile file with thousands of permits stays fast).
    """
    pairs: list[tuple[int, int, date, date | None]] = []
    running: list[int] = []  # indexes of earlier periods that may still overlap later ones
    for j in sorted(range(len(periods)), key=lambda k: (periods[k].start, k)):
        b = periods[j]
        running = [i for i in running if periods[i].end is None or periods[i].end > b.start]  # type: ignore[operator]
        for i in running:
            a = periods[i]
            ends = [e for e in (a.end, b.end) if e is not None]
            end = min(ends) if ends else None
            if end is None or end > b.start:
                pairs.append((min(i, j), max(i, j), b.start, end))
        running.append(j)
    pairs.sort()
    for i, j, start, end in pairs[:MAX_OVERLAP_WARNINGS]:
        ctx.warn("overlap", first=periods[i].record, second=periods[j].record, start=start, end=end)
    if len(pairs) > MAX_OVERLAP_WARNINGS:
        ctx.warn("overlap-more", n=len(pairs) - MAX_OVERLAP_WARNINGS)


def _gaps(
    ctx: Context,
    periods: list[_Period],
    coverage: tuple[Span, ...],
    procedural: tuple[ProceduralStay, ...],
    first_start: date | None,
) -> tuple[Gap, ...]:
    """Every day from the first permit's start to ``as_of`` without toelating (DC-6)."""
    as_of = ctx.as_of
    if first_start is None or as_of <= first_start:
        return ()
    layer_b = [Span(s.start, s.end) for s in procedural]
    out: list[Gap] = []
    for span in complement(coverage, first_start, as_of):
        end = span.end if (span.end != as_of or covers(coverage, as_of)) else None
        days = ((end or as_of) - span.start).days
        cause, record = _cause(ctx, periods, span.start, end)
        inside = total_days(clip(layer_b, span.start, end or as_of), end or as_of)
        out.append(Gap(span.start, end, days, cause, record, inside))
        ctx.explain(
            f"gaps[{len(out) - 1}]",
            "DC-6",
            f"gap-{cause}",
            days,
            options=("withdrawal_effective",) if cause == "withdrawal" else (),
            start=span.start,
            end=end,
            last_day=(end or as_of) - DAY,
            days=days,
            record=record,
            procedural_days=inside,
            as_of=as_of,
        )
    return tuple(out)


def _cause(ctx: Context, periods: list[_Period], start: date, end: date | None) -> tuple[str, str | None]:
    """Why toelating stops on ``start``: withdrawal, late application, refusal, expiry ..."""
    for p in periods:
        if p.withdrawn_from is not None and p.end == start and (p.granted_end is None or p.end < p.granted_end):
            return "withdrawal", p.record
    nxt = next((p for p in periods if end is not None and p.start == end and p.received is not None), None)
    if nxt is not None and nxt.start_basis == "conditions-met":
        return "conditions-met-later", nxt.record
    if nxt is not None and nxt.kind in ("extension", "change-of-purpose"):
        return "late-application", nxt.record
    if nxt is not None:
        return "new-application", nxt.record
    apps = ctx.case.applications
    until = end or ctx.as_of
    for outcome, cause in (("pending", "application-pending"), ("refused", "application-refused")):
        for j, a in enumerate(apps):
            touches = a.received < until and (a.decided is None or a.decided >= start)
            if a.kind in PERMIT_APPLICATION_KINDS and a.outcome == outcome and touches:
                return cause, f"applications[{j}]"
    ended = [p for p in periods if p.end == start]
    return "expired", ended[0].record if ended else None
