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
from ..intervals import Span, merge
from ..kernels import procedures as kp
from ..kernels import residence as kr
from ..model import (
    INDEFINITE_PURPOSES,
    NOTIFIERS,
    PERMIT_APPLICATION_KINDS,
    Application,
    Case,
    Notification,
    Permit,
    is_temporary,
)

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
    "tolerance_last_day",
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
    #: OQ-25: the retroactive part of each withdrawal contested by an objection in time
    #: (:func:`timeline.kernels.procedures.contested_withdrawals`), sorted.
    contested: tuple[Span, ...] = ()

    def period_on(self, d: date) -> ResidencePeriod | None:
        """The permit covering day ``d`` (the strongest one when several do)."""
        found = [p for p in self.periods if p.start <= d and (p.end is None or d < p.end)]
        if not found:
            return None
        return min(found, key=lambda p: (p.temporary, -(p.start.toordinal())))


def first_report(notifications: tuple[Notification, ...]) -> tuple[int, Notification] | None:
    """The first report the IND received, from either party (R2.2, OQ-3;
    :func:`timeline.kernels.procedures.first_report`)."""
    k = kp.first_report([_day(n.received) for n in notifications], [_NOTIFIER[n.by] for n in notifications], -1)
    return None if k < 0 else (k, notifications[k])


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
        if a.decided and kp.is_refusal(_KIND[a.kind], _OUTCOME[a.outcome], _day(a.decided))
    ]
    return out


def objection_deadline(decided: date) -> atw.Deadline:
    """R8.2: 4 weeks from the day after the decision was made known (Vw 69(1), Awb 6:8), ATW roll.

    The term in force on the day the decision was made known (``objection_term`` on
    ``decided``): the term starts with it.
    """
    return atw.deadline(decided, law.term("objection_term", decided))


def objection_timely(objection: Application, deadline: date) -> bool:
    """R8.2, Awb 6:9: received by the deadline, or posted by it and received within a week
    (:func:`timeline.kernels.procedures.objection_timely`)."""
    return kp.objection_timely(
        _day(objection.received), _day(objection.posted), _day(deadline), _day(objection_posting_end(deadline))
    )


def objection_posting_end(deadline: date) -> date:
    """Awb 6:9 (R8.2): the last day an objection posted by ``deadline`` may arrive: the
    ``objection_posting_grace`` in force on the deadline (one week) after it."""
    return law.term("objection_posting_grace", deadline).after(deadline)


def _record(where: int, pos: int) -> str:
    return f"permits[{pos}]" if where == kp.IN_PERMITS else f"applications[{pos}]"


def _against(a: Application) -> tuple[int, int]:
    """The record an objection names (``against``, checked by the case reader) as codes; ``(-1, -1)``."""
    if not a.against:
        return -1, -1
    name, _, rest = a.against.partition("[")
    return (kp.IN_PERMITS if name == "permits" else kp.IN_APPLICATIONS), int(rest[:-1])


class _Objections(NamedTuple):
    """One case's applications as the procedure kernels read them, with each one's target."""

    kind: list[int]
    outcome: list[int]
    received: list[int]
    posted: list[int]
    decided: list[int]
    target_where: list[int]
    target_pos: list[int]


#: The last case :func:`_objections` read, with its answer: one assessment asks up to four
#: times (the permit chain, procedural stay, objection deadlines, decision periods).
_last_objections: tuple[Case | None, _Objections | None] = (None, None)


def _objections(case: Case) -> _Objections:
    """The decision each objection is against (R8.2, R3.2), by :func:`timeline.kernels.procedures.objection_target`."""
    global _last_objections
    last, found = _last_objections
    if last is case and found is not None:
        return found
    found = _read_objections(case)
    _last_objections = (case, found)
    return found


def _read_objections(case: Case) -> _Objections:
    apps = case.applications
    kinds = [_KIND[a.kind] for a in apps]
    outcomes = [_OUTCOME[a.outcome] for a in apps]
    received = [_day(a.received) for a in apps]
    decided = [_day(a.decided) for a in apps]
    p_decided = [_day(p.withdrawal_decided) for p in case.permits]
    t_where, t_pos = [-1] * len(apps), [-1] * len(apps)
    for j, a in enumerate(apps):
        if a.kind == "objection":
            t_where[j], t_pos[j] = kp.objection_target(received[j], *_against(a), p_decided, kinds, outcomes, decided)
    return _Objections(kinds, outcomes, received, [_day(a.posted) for a in apps], decided, t_where, t_pos)


def objection_targets(case: Case) -> dict[int, str]:
    """Map each objection (index in ``applications``) to the decision it is against.

    ``against`` when given; else the latest withdrawal decision or refusal made on or
    before the objection was received (:func:`timeline.kernels.procedures.objection_target`).
    """
    o = _objections(case)
    return {j: _record(w, o.target_pos[j]) for j, w in enumerate(o.target_where) if w >= 0}


def objection_by_decision(case: Case) -> dict[str, int]:
    """Decision record -> the first objection (in file order) lodged against it
    (:func:`timeline.kernels.procedures.first_objection`)."""
    o = _objections(case)
    out: dict[str, int] = {}
    for w, pos in zip(o.target_where, o.target_pos, strict=True):
        if w >= 0 and (rec := _record(w, pos)) not in out:
            out[rec] = kp.first_objection(w, pos, o.kind, o.target_where, o.target_pos)
    return out


def assess_residence(ctx: Context) -> Residence:
    """Build the permit chain, apply withdrawals, and find procedural stay and gaps.

    The rules are the kernels of :mod:`timeline.kernels.residence`, run here on one
    case's lists; this function gives them the case's day numbers and turns their codes
    into periods, explanations and warnings.
    """
    case = ctx.case
    rel = case.relationship
    if rel is not None and rel.divorced is not None and rel.separated is None:
        ctx.warn("divorce-without-separation", divorced=rel.divorced)  # R2.2, R3.1: ended by the divorce
    for i, p in enumerate(case.permits):
        if p.purpose in INDEFINITE_PURPOSES and p.end is not None:
            ctx.explain(f"permits[{i}]", "R5.1", "indefinite-document-end", None, record=f"permits[{i}]", end=p.end)
    chain = _Chain(ctx)
    chain.explain_starts(ctx)
    periods = chain.withdraw(ctx)
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
    return Residence(final, procedural, gaps, coverage, first_start, removed, _contested(ctx, periods))


_EPOCH = kr.EPOCH
_PURPOSE = {p: i for i, p in enumerate(kr.PURPOSE_LIST)}
_KIND = {kind: i for i, kind in enumerate(kr.APPLICATION_KINDS)}
_OUTCOME = {outcome: i for i, outcome in enumerate(kr.OUTCOMES)}
_NOTIFIER = {party: i for i, party in enumerate(NOTIFIERS)}


def _day(d: date | None, missing: int = kr.NA) -> int:
    """:func:`timeline.kernels.residence.day_number` (inlined: it runs for every date of a case)."""
    return missing if d is None else d.toordinal() - _EPOCH


def _date(n: int) -> date | None:
    return None if n in (kr.NA, kr.INF) else date.fromordinal(n + kr.EPOCH)


#: Explanation of each start outcome (:data:`timeline.kernels.residence.STARTS`): rule and message.
_START_TEXT = {
    kr.S_RECEIVED: ("R1.2", "start-received"),
    kr.S_PRINTED: ("R1.2", "start-printed"),
    kr.S_TIMELY: ("R1.4", "start-timely"),
    kr.S_TIMELY_LATER: ("R1.4", "start-timely-conditions-later"),
    kr.S_TOLERANCE: ("R4.2", "start-tolerance"),
    kr.S_EXCUSED: ("R4.1", "start-excused"),
    kr.S_LATE: ("R4.1", "start-late"),
}


class _Chain:
    """One case's permit chain as the kernel's lists: recorded permits, then one slot per
    granted (or reinstated, R3.2) permit application in order of receipt.
    """

    def __init__(self, ctx: Context) -> None:
        case = ctx.case
        apps = case.applications
        o = _objections(case)
        undone = [kp.reinstated(kp.IN_PERMITS, i, o.kind, o.outcome, o.target_where, o.target_pos)
                  for i in range(len(case.permits))]  # fmt: skip
        self.reversed = {f"permits[{i}]" for i, u in enumerate(undone) if u} | {
            f"applications[{j}]"
            for j in range(len(apps))
            if kp.reinstated(kp.IN_APPLICATIONS, j, o.kind, o.outcome, o.target_where, o.target_pos)
        }
        order = sorted(range(len(apps)), key=lambda j: (apps[j].received, j))
        self.apps = [
            j
            for j in order
            if apps[j].kind in PERMIT_APPLICATION_KINDS
            and (
                apps[j].outcome == "granted" or (apps[j].outcome == "refused" and f"applications[{j}]" in self.reversed)
            )
        ]
        self.records = [f"permits[{i}]" for i in range(len(case.permits))] + [f"applications[{j}]" for j in self.apps]
        purposes, kinds = _PURPOSE, _KIND
        p_end = [kr.INF if p.purpose in INDEFINITE_PURPOSES else _day(p.end, kr.INF) for p in case.permits]
        granted = [apps[j] for j in self.apps]
        a_end = [_day(a.valid_until, kr.INF) for a in granted]
        tolerance_ends = _tolerance_ends(ctx, p_end + a_end, granted)
        size = len(self.records)
        self.valid, self.purpose, self.start, self.end = [0] * size, [0] * size, [0] * size, [0] * size
        self.basis, self.outcome, self.previous, self.tolerance_end = [0] * size, [0] * size, [0] * size, [0] * size
        kr.permit_chain(
            [purposes[p.purpose] for p in case.permits],
            [_day(p.start) for p in case.permits],
            p_end,
            tolerance_ends[: len(p_end)],
            [kinds[a.kind] for a in granted],
            [_day(a.received) for a in granted],
            [purposes[a.purpose] if a.purpose else -1 for a in granted],
            [_day(a.valid_until) for a in granted],
            [_day(a.conditions_met) for a in granted],
            [_day(a.start) for a in granted],
            [int(a.excused) for a in granted],
            tolerance_ends[len(p_end) :],
            [int(tolerance_applies(a.received)) for a in granted],
            int(ctx.opts.late_tolerance_applies_to != "extension"),
            self.valid, self.purpose, self.start, self.end, self.basis, self.outcome, self.previous,
            self.tolerance_end, 0,
        )  # fmt: skip

    def explain_starts(self, ctx: Context) -> None:
        """Warnings and the R1.2/R1.4/R4.1/R4.2 explanation of each derived permit's start."""
        apps = ctx.case.applications
        first = len(self.records) - len(self.apps)
        for k in range(first, len(self.records)):
            rec, a, outcome, prev = self.records[k], apps[self.apps[k - first]], self.outcome[k], self.previous[k]
            if outcome == kr.S_NO_PURPOSE:
                ctx.warn("no-purpose", record=rec)
                continue
            if a.kind == "extension" and prev < 0 and a.start is None:
                ctx.warn("extension-without-permit", record=rec)
            start = _date(self.start[k])
            extra: dict[str, date | str | None] = {}
            if prev >= 0 and a.start is None:
                prev_end = _date(self.end[prev])
                assert prev_end is not None  # a permit continued has an end (previous_permit)
                extra = {"previous": self.records[prev], "previous_end": prev_end, "last_valid": prev_end - DAY}
                if outcome in (kr.S_TIMELY, kr.S_TIMELY_LATER) and a.received < (
                    earliest := earliest_filing(ctx, prev_end)
                ):
                    ctx.warn("extension-too-early", record=rec, received=a.received, earliest=earliest)
                change_too = ctx.opts.late_tolerance_applies_to != "extension"
                if (a.kind == "extension" or (a.kind == "change-of-purpose" and change_too)) and a.received >= prev_end:
                    extra["tolerance_end"] = _date(self.tolerance_end[prev])
            if outcome == kr.S_EMPTY:
                ctx.warn("derived-permit-empty", record=rec, start=start, end=_date(self.end[k]))
                continue
            rule, key = _START_TEXT[outcome]
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

    def withdraw(self, ctx: Context) -> list[_Period]:
        """Every permit of the chain with its withdrawal (R3.1, R3.2), explained."""
        case = ctx.case
        rel = case.relationship
        first = first_report(case.notifications)
        ended = relationship_ended(ctx)
        choice = kr.WITHDRAWAL_CHOICES.index(ctx.opts.withdrawal_effective)
        separated = _day(rel.separated if rel is not None else None)
        divorced = _day(rel.divorced if rel is not None else None)
        reported_change = _day(first[1].change_date if first is not None else None)
        reported_received = _day(first[1].received if first is not None else None)
        out: list[_Period] = []
        n_permits = len(case.permits)
        for k, rec in enumerate(self.records):
            if not self.valid[k]:
                continue
            recorded = case.permits[k] if k < n_permits else None
            purpose = kr.PURPOSE_LIST[self.purpose[k]]
            decided = recorded.withdrawal_decided if recorded is not None else None
            day, basis = kr.withdrawal(
                self.purpose[k], int(recorded is not None and rec in self.reversed),
                _day(recorded.withdrawn_from if recorded is not None else None), _day(decided), int(ended),
                separated, divorced, reported_change, reported_received, choice,
            )  # fmt: skip
            a = case.applications[self.apps[k - n_permits]] if recorded is None else None
            period = _Period(
                rec,
                purpose,
                _date(self.start[k]),  # type: ignore[arg-type]
                _date(self.end[k]),
                kr.BASES[self.basis[k]],
                withdrawn_from=_date(day),
                withdrawal_decided=decided,
                kind=a.kind if a is not None else None,
                received=a.received if a is not None else None,
            )
            if day != kr.NA:
                period.withdrawal_basis = kr.WITHDRAWAL_BASES[basis]
            out.append(period)
            _explain_withdrawal(ctx, period, basis, recorded, ended)
        return out


def _tolerance_ends(ctx: Context, ends: list[int], granted: list[Application]) -> list[int]:
    """The last day of the R4.2 tolerance after each end in ``ends`` (:data:`~timeline.kernels.residence.NA`
    where no late extension or change of purpose could need it: computing it rolls the ATW).
    """
    late_kinds = (
        ("extension",) if ctx.opts.late_tolerance_applies_to == "extension" else ("extension", "change-of-purpose")
    )
    latest = max((_day(a.received) for a in granted if a.kind in late_kinds), default=kr.NA)
    return [
        _day(tolerance_end(ctx, _date(e))) if e not in (kr.NA, kr.INF) and latest >= e else kr.NA  # type: ignore[arg-type]
        for e in ends
    ]


def tolerance_end(ctx: Context, prev_end: date) -> date:
    """Last day of the four-week tolerance after ``prev_end`` under the case's options (R4.2, OQ-4)."""
    return tolerance_last_day(
        prev_end,
        from_last_valid_day=ctx.opts.late_extension_count_from == "last-valid-day",
        roll=ctx.opts.late_extension_atw == "yes",
    )


def tolerance_applies(received: date) -> bool:
    """R4.2: whether the tolerance policy is in force for an application received on ``received``.

    The day of receipt selects it (``late_extension_tolerance``, in force from 1 July 2022).
    """
    return law.find("late_extension_tolerance", received) is not None


def tolerance_last_day(prev_end: date, *, from_last_valid_day: bool, roll: bool) -> date:
    """R4.2 (OQ-4): the last day of the four-week tolerance after a permit ending ``prev_end``.

    The weeks count from the permit's end, or from its last valid day
    (``from_last_valid_day``); with ``roll`` a last day on a weekend or holiday moves to
    the next working day (Algemene termijnenwet). The length is the one in force on the
    day the permit ended (``late_extension_tolerance`` on ``prev_end``; before the policy,
    the first length in force, so that an explanation can still show where it would end).
    Whether the tolerance applies at all depends on the day of receipt (:func:`tolerance_applies`).
    """
    tolerance = law.nearest("late_extension_tolerance", prev_end).term
    base = prev_end - DAY if from_last_valid_day else prev_end
    if roll:
        return atw.deadline(base, tolerance, atw=True).deadline
    return tolerance.after(base)


def earliest_filing(ctx: Context, end: date) -> date:
    """First day an extension may be filed (R1.4, OQ-16)."""
    return add_months(end, -3 if ctx.opts.extension_window == "3-months" else -6)


def relationship_ended(ctx: Context) -> bool:
    """Whether the relationship has ended on record (R2.2, R3.1): a report of the end, a
    separation or a divorce, by :func:`timeline.kernels.residence.relationship_ended`."""
    rel = ctx.case.relationship
    separated, divorced = (rel.separated, rel.divorced) if rel is not None else (None, None)
    return bool(kr.relationship_ended(len(ctx.case.notifications), rel is not None, _day(separated), _day(divorced)))


def _explain_withdrawal(ctx: Context, p: _Period, basis: int, recorded: Permit | None, ended: bool) -> None:
    """The R3.1/R3.2 explanation of a permit's withdrawal (:func:`timeline.kernels.residence.withdrawal`)."""
    if basis == kr.WB_REVERSED:
        if recorded is not None and (recorded.withdrawn_from or recorded.withdrawal_decided):
            ctx.explain(f"{p.record}.withdrawal", "R3.2", "withdrawal-reversed", None, record=p.record)
        return
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
        return
    if p.granted_end is not None and p.withdrawn_from >= p.granted_end:
        return
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
    """Layer B: waiting for a decision (Vw 8 f/g) or under a suspended decision (Vw 73, 8 h),
    by :func:`timeline.kernels.procedures.procedural_stays`; sorted by start, then record.
    """
    case = ctx.case
    o = _objections(case)
    p_decided = [_day(p.withdrawal_decided) for p in case.permits]
    # R8.2: the objection deadline of each decision that can be suspended (the ATW calendar).
    p_deadline = [_deadline_day(d) for d in p_decided]
    a_deadline = [
        _deadline_day(o.decided[j]) if kp.is_permit_application(k) and kp.is_refusal(k, o.outcome[j], o.decided[j])
        else kr.NA
        for j, k in enumerate(o.kind)
    ]  # fmt: skip
    p_posting, a_posting = [_posting_day(d) for d in p_deadline], [_posting_day(d) for d in a_deadline]
    size = len(p_decided) + 2 * len(o.kind)  # at most a stay per withdrawal and two per application
    start, end, basis, where, pos = [0] * size, [0] * size, [0] * size, [0] * size, [0] * size
    n = kp.procedural_stays(
        p_decided, p_deadline, p_posting, o.kind, o.outcome, o.received, o.posted, o.decided, a_deadline, a_posting,
        o.target_where, o.target_pos, start, end, basis, where, pos, 0,
    )  # fmt: skip
    out = [
        ProceduralStay(_record(where[k], pos[k]), _date(start[k]), _date(end[k]), kp.STAY_BASES[basis[k]])  # type: ignore[arg-type]
        for k in range(n)
    ]
    return tuple(sorted(out, key=lambda s: (s.start, s.record)))


def _contested(ctx: Context, periods: list[_Period]) -> tuple[Span, ...]:
    """OQ-25: the days each recorded permit lost to a withdrawal an objection in time contests,
    by :func:`timeline.kernels.procedures.contested_withdrawals`."""
    case = ctx.case
    if not any(p.withdrawal_decided for p in case.permits):
        return ()
    o = _objections(case)
    by_record = {p.record: p for p in periods}
    chain = [by_record.get(f"permits[{i}]") for i in range(len(case.permits))]
    p_decided = [_day(p.withdrawal_decided) for p in case.permits]
    p_deadline = [_deadline_day(d) for d in p_decided]
    start, end = [0] * len(p_decided), [0] * len(p_decided)
    n = kp.contested_withdrawals(
        [kr.NA if p is None else _day(p.start) for p in chain],
        [kr.INF if p is None or p.granted_end is None else _day(p.granted_end) for p in chain],
        [kr.NA if p is None else _day(p.withdrawn_from) for p in chain], p_decided, p_deadline,
        [_posting_day(d) for d in p_deadline], o.kind, o.received, o.posted, o.target_where, o.target_pos,
        start, end, 0,
    )  # fmt: skip
    return tuple(sorted(Span(_date(start[k]), _date(end[k])) for k in range(n)))  # type: ignore[arg-type]


def _posting_day(deadline: int) -> int:
    """:func:`objection_posting_end` of an objection deadline as a day number (:data:`NA` for none)."""
    return kr.NA if deadline == kr.NA else _day(objection_posting_end(_date(deadline)))  # type: ignore[arg-type]


def _deadline_day(decided: int) -> int:
    """:func:`objection_deadline` of a decision on day ``decided`` as a day number (:data:`NA` for none)."""
    if decided == kr.NA:
        return kr.NA
    return _day(objection_deadline(_date(decided)).deadline)  # type: ignore[arg-type]


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
    """The residence gaps (DC-6): every day from the first permit's start to ``as_of`` without toelating, with its
    cause and the days of procedural stay in it (R4.5), from the kernels.
    """
    as_of = _day(ctx.as_of)
    cov_start = [_day(s.start) for s in coverage]
    cov_end = [_day(s.end, kr.INF) for s in coverage]
    starts, ends = [0] * (len(coverage) + 1), [0] * (len(coverage) + 1)
    n = kr.find_gaps(cov_start, cov_end, _day(first_start), as_of, starts, ends, 0)
    if n == 0:
        return ()
    kinds = _KIND
    chain = (
        [_day(p.start) for p in periods],
        [_day(p.end, kr.INF) for p in periods],
        [_day(p.granted_end, kr.INF) for p in periods],
        [int(p.withdrawn_from is not None) for p in periods],
        [_day(p.received) for p in periods],
        [kr.BASES.index(p.start_basis) for p in periods],
        [kinds[p.kind] if p.kind else -1 for p in periods],
    )
    apps = ctx.case.applications
    applications = (
        [kinds[a.kind] for a in apps],
        [kr.OUTCOMES.index(a.outcome) for a in apps],
        [_day(a.received) for a in apps],
        [_day(a.decided) for a in apps],
    )
    b_start = [_day(s.start) for s in procedural]  # sorted by start
    b_end = [_day(s.end, kr.INF) for s in procedural]
    out: list[Gap] = []
    for g in range(n):
        start, end = starts[g], ends[g]
        until = as_of if end == kr.NA else end
        cause, where, pos = kr.gap_cause(start, end, as_of, *chain, *applications)
        record = periods[pos].record if where == kr.IN_CHAIN else f"applications[{pos}]" if pos >= 0 else None
        inside = kr.procedural_days(start, until, b_start, b_end)
        gap = Gap(_date(start), _date(end), until - start, kr.GAP_CAUSES[cause], record, inside)  # type: ignore[arg-type]
        out.append(gap)
        ctx.explain(
            f"gaps[{g}]",
            "DC-6",
            f"gap-{gap.cause}",
            gap.days,
            options=("withdrawal_effective",) if gap.cause == "withdrawal" else (),
            start=gap.start,
            end=gap.end,
            last_day=_date(until - 1),
            days=gap.days,
            record=record,
            procedural_days=inside,
            as_of=ctx.as_of,
        )
    return tuple(out)
