"""What to do by when: the actions and deadlines that follow from an assessment.

For the case as it stands on ``assessment.as_of`` this module lists what the foreign
national and the sponsor must or can do, by which date, with the rule behind it. Every
action is data (:class:`Action`); :mod:`timeline.presentation` turns it into EN/NL text and
:mod:`timeline.ics` into calendar events.

Dates follow DC-1 and DC-7: an action's ``date`` is a calendar day on which the act is
still in time (a deadline: the IND must have *received* it by the end of that day), or the
first day on which it can be done (``window-opens``, ``earliest``).

Actions
-------
``report`` (R2.1, R2.2)
    One per party (``sponsor``: Vb 4.44a; ``foreign-national``: Vb 4.43): the report that
    the relationship ended must reach the IND within 4 weeks of the change, moved past
    non-working days (ATW). ``met`` once that party's report is on record.
``objection`` (R8.2)
    Each recorded withdrawal or refusal: an objection must be received within 4 weeks of
    the day after notice (Vw 69(1), ATW).
``file-new-application`` (R3.1, R1.2)
    After the relationship ended: the latest day on which a new application (change of
    purpose, independent residence, humanitarian) must be *received* so that no gap
    opens. The partner permit covers ``[start, E)`` where ``E`` is the withdrawal's
    effective date under option ``withdrawal_effective`` (OQ-3; a recorded
    ``withdrawn_from`` wins): ``E`` is the first day without the permit. A permit applied
    for in the Netherlands starts on the day of receipt ``D`` (Vw 26(1), R1.2), so it
    covers ``D`` itself. Coverage is unbroken iff ``D <= E``: receipt *on* the effective
    date still leaves no gap (the new permit covers day ``E``); receipt on ``E + 1``
    leaves a one-day gap ``[E, E + 1)``. The action's date is therefore ``E`` itself.
    When ``E`` is not known yet (``decision`` without a decision on record, or
    ``notification`` without a report), the date is an upper bound: the permit's own end,
    or the reporting deadline (the report's receipt becomes ``E``).
``extension-window-opens``, ``extension-last-timely-day``, ``extension-tolerance-end``
    (R1.4, R4.2) For each permit with an end date that is current, or whose extension or
    switch is on record (then also after the tolerance: met or missed): the first filing day
    ``add_months(end, -3)`` (OQ-16 option ``extension_window``: ``-6``), the last timely
    day ``end - 1`` (Vb 3.80(1): received "uiterlijk op de dag vóór" the end), and the last
    day of the four-week tolerance after expiry (IND policy since 1 July 2022; OQ-4 options
    ``late_extension_count_from`` and ``late_extension_atw``).
``earliest-permanent-residence`` (R5.1), ``earliest-eu-long-term`` (R5.2),
``earliest-naturalisation`` (R6.1-R6.3, one per open route), ``earliest-independent-residence`` (R7.1)
    The first filing date from the assessment's clocks, with the conditions that are not
    met on that date (``blocked_by``: a temporary purpose, a pending extension, a permit
    that must first be extended, ...). Conditions the tool cannot check (income,
    integration) are listed in ``to_check``.

Status
------
``ahead``: the date is on or after ``as_of`` and the act is not done; ``passed``: the date
is before ``as_of`` (for a deadline: missed; for an earliest date: reached); ``met``: done
(the report, objection or application is on record in time). The codes are stable; the
text a user reads depends on the kind too (:func:`timeline.presentation.action_status_text`:
"missed", "can apply now", "date reached").

References
----------
R1.2, R1.4, R2.1, R2.2, R3.1, R4.2, R5.1, R5.2, R6.1-R6.3, R7.1, R8.2; OQ-3, OQ-4,
OQ-16.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, NamedTuple

from .assessment import Assessment, Clock, Condition, ResidencePeriod
from .context import Context
from .model import Case

__all__ = ["KINDS", "STATUSES", "WHO", "Action", "actions"]

DAY = timedelta(days=1)
WHO = ("foreign-national", "sponsor", "both")
KINDS = ("deadline", "window-opens", "window-closes", "earliest")
STATUSES = ("ahead", "passed", "met")

#: Application kinds that yield a new permit after the partner permit (R1.2).
_NEW_PERMIT_KINDS = ("first", "change-of-purpose", "permanent-residence", "eu-long-term")
#: Application kinds that continue a permit (R1.4): an extension or a switch of purpose.
_CONTINUING_KINDS = ("extension", "change-of-purpose", "permanent-residence", "eu-long-term")


class Action(NamedTuple):
    """One thing to do by (or from) a date, with the rule behind it.

    ``key`` names the action (message ``action-<key>`` in :mod:`timeline.i18n`);
    ``(key, record, who)`` is unique within one assessment and stable when dates move,
    so calendar events keep their identity. ``record`` is the case record or result the
    action is about (``permits[0]``, ``naturalisation.standard``). ``params`` hold the
    inputs the text needs and ``options``: the options the date depends on.
    """

    key: str
    who: str
    date: date
    kind: str
    rule: str
    record: str
    params: dict[str, Any]
    status: str


def _status(done: bool, when: date, as_of: date) -> str:
    if done:
        return "met"
    return "ahead" if when >= as_of else "passed"


def actions(case: Case, assessment: Assessment) -> tuple[Action, ...]:
    """Everything to do by when for ``case`` as it stands on ``assessment.as_of``.

    Parameters
    ----------
    case
        The case that was assessed.
    assessment
        Its assessment (:func:`timeline.assess`); the options in force are read from it.

    Returns
    -------
    tuple of Action
        Sorted by date, then rule and key.
    """
    from .options import Options

    # The residence rules read the case and options through a Context (rules/residence.py).
    ctx = Context(case, assessment.as_of, Options(assessment.options))
    out: list[Action] = []
    out += _report(case, assessment)
    out += _objections(assessment)
    out += _new_application(ctx, assessment)
    out += _extensions(ctx, assessment)
    out += _earliest(case, assessment)
    return tuple(sorted(out, key=lambda a: (a.date, a.rule, a.key, a.record, a.who)))


# --------------------------------------------------------------------------- R2.2 reporting


def _report(case: Case, a: Assessment) -> list[Action]:
    """One reporting duty per party (R2.1: Vb 4.43 foreign national, 4.44a sponsor)."""
    n = a.notification
    if n is None:
        return []
    out = []
    for duty in n.duties:
        out.append(
            Action(
                "report",
                duty.party,
                n.deadline,
                "deadline",
                "R2.2",
                "relationship",
                {
                    "trigger": n.trigger,
                    "trigger_basis": n.trigger_basis,
                    "received": duty.received,
                    "days_late": duty.days_late,
                    "options": {"notification_trigger": a.options["notification_trigger"]},
                },
                _status(duty.received is not None and duty.received <= a.as_of, n.deadline, a.as_of),
            )
        )
    return out


# --------------------------------------------------------------------------- R8.2 objections


def _objections(a: Assessment) -> list[Action]:
    out = []
    for o in a.objections:
        status = {"objected-on-time": "met", "objected-late": "passed"}.get(o.status) or _status(
            False, o.deadline, a.as_of
        )
        out.append(
            Action(
                "objection",
                "foreign-national",
                o.deadline,
                "deadline",
                "R8.2",
                o.record,
                {"decided": o.decided, "decision": o.decision, "objection": o.objection},
                status,
            )
        )
    return out


# --------------------------------------------------------------------------- R3.1 + R1.2 new application


def _new_application(ctx: Context, a: Assessment) -> list[Action]:
    """Latest receipt date of a new application that leaves no gap after the separation.

    The partner permit covers ``[start, E)``; a new permit starts on receipt ``D``
    (Vw 26(1)) and covers ``[D, ...)``. No gap iff ``D <= E``: the date is ``E``.
    """
    from .rules.residence import relationship_ended

    case = ctx.case
    if not relationship_ended(ctx):
        return []
    partner = [p for p in a.residence if p.purpose == "partner"]
    if not partner:
        return []
    last = max(partner, key=lambda p: (p.end is None, p.end or date.max, p.start))
    choice = a.options["withdrawal_effective"]
    params: dict[str, Any] = {"options": {"withdrawal_effective": choice}, "permit_start": last.start}
    if last.withdrawn_from is not None and last.end is not None:
        when = last.end
        params["basis"] = last.withdrawal_basis
    elif choice == "notification" and a.notification is not None:
        # The first report's receipt will be the effective date; on time means by the deadline.
        when = a.notification.deadline
        if last.end is not None:
            when = min(when, last.end)
        params.update(basis="notification", variant="notification")
    elif last.end is not None:
        when = last.end
        params.update(basis=choice, variant="unknown")
    else:
        return []
    params["last_day"] = when - DAY
    filed = _first_new_application(case, last, a.as_of)
    params["application"] = filed[0] if filed else None
    params["application_received"] = filed[1] if filed else None
    done = filed is not None and filed[1] <= when
    status = "met" if done else ("passed" if filed is not None else _status(False, when, a.as_of))
    return [Action("file-new-application", "foreign-national", when, "deadline", "R3.1", last.record, params, status)]


def _first_new_application(case: Case, partner: ResidencePeriod, as_of: date) -> tuple[str, date] | None:
    """The first application for another permit received after the partner permit began (by ``as_of``)."""
    found = [
        (x.received, f"applications[{j}]")
        for j, x in enumerate(case.applications)
        if x.kind in _NEW_PERMIT_KINDS
        and x.outcome != "refused"
        and partner.start < x.received <= as_of
        and (x.purpose or "") != "partner"
    ]
    if not found:
        return None
    received, record = min(found)
    return record, received


# --------------------------------------------------------------------------- R1.4 + R4.2 extensions


def _extensions(ctx: Context, a: Assessment) -> list[Action]:
    """Filing window, last timely day and end of the 4-week tolerance of each current permit."""
    from .rules.residence import earliest_filing, relationship_ended, tolerance_applies, tolerance_end

    case, opts = ctx.case, ctx.opts
    ended = relationship_ended(ctx)
    months = 3 if opts.extension_window == "3-months" else 6  # shown in the text; the date is earliest_filing
    out: list[Action] = []
    for p in a.residence:
        end = p.end
        if end is None or p.withdrawn_from is not None or p.start > a.as_of:
            continue
        if p.purpose == "partner" and ended:
            continue  # the conditions are gone: the new-application action applies (R3.1)
        tol_end = tolerance_end(ctx, end)  # the length in force when the permit ends
        filed = _continuing_application(case, p, min(tol_end, a.as_of))
        if a.as_of > tol_end and filed is None:
            continue  # history with nothing filed: the gap (if any) is in the assessment
        # A recorded permit that covers the end day: continued, filing date unknown (a fact).
        # An application that continues it is judged by its receipt date below, also once
        # the window has closed: whether it was in time is what the client asks (issue 12).
        continued = any(
            q is not p and q.record.startswith("permits[") and q.start <= end and (q.end is None or end < q.end)
            for q in a.residence
        )
        earliest = earliest_filing(ctx, end)
        base = {"end": end, "purpose": p.purpose, "last_valid": end - DAY}
        received = filed[1] if filed else None
        common = {**base, "application": filed[0] if filed else None, "application_received": received}
        out.append(
            Action(
                "extension-window-opens",
                "foreign-national",
                earliest,
                "window-opens",
                "R1.4",
                p.record,
                {**common, "months": months, "options": {"extension_window": opts.extension_window}},
                _status(continued or filed is not None, earliest, a.as_of),
            )
        )
        timely = continued or (received is not None and received <= end - DAY)
        out.append(
            Action(
                "extension-last-timely-day",
                "foreign-national",
                end - DAY,
                "deadline",
                "R1.4",
                p.record,
                common,
                "met" if timely else ("passed" if received is not None else _status(False, end - DAY, a.as_of)),
            )
        )
        if tolerance_applies(tol_end):
            tolerated = continued or (received is not None and received <= tol_end)
            out.append(
                Action(
                    "extension-tolerance-end",
                    "foreign-national",
                    tol_end,
                    "window-closes",
                    "R4.2",
                    p.record,
                    {
                        **common,
                        "options": {
                            "late_extension_count_from": opts.late_extension_count_from,
                            "late_extension_atw": opts.late_extension_atw,
                        },
                    },
                    "met" if tolerated else ("passed" if received is not None else _status(False, tol_end, a.as_of)),
                )
            )
    return out


def _continuing_application(case: Case, p: ResidencePeriod, until: date) -> tuple[str, date] | None:
    """The first extension or switch received while ``p`` runs or within its tolerance."""
    found = [
        (x.received, f"applications[{j}]")
        for j, x in enumerate(case.applications)
        if x.kind in _CONTINUING_KINDS
        and x.outcome != "refused"
        and p.start < x.received <= until
        and f"applications[{j}]" != p.record
    ]
    if not found:
        return None
    received, record = min(found)
    return record, received


# --------------------------------------------------------------------------- R5, R6, R7 earliest dates


def _blockers(conds: tuple[Condition, ...]) -> tuple[tuple[Condition, ...], tuple[str, ...]]:
    return tuple(c for c in conds if c.met is False), tuple(c.key for c in conds if c.met is None)


def _applied(case: Case, kind: str, as_of: date) -> str | None:
    for j, x in enumerate(case.applications):
        if x.kind == kind and x.outcome != "refused" and x.received <= as_of:
            return f"applications[{j}]"
    return None


def _earliest_action(
    case: Case, a: Assessment, key: str, rule: str, record: str, clock: Clock, kind: str | None, **extra: Any
) -> Action | None:
    when = clock.eligible_from
    if when is None:
        return None
    blocked, to_check = _blockers(clock.conditions)
    applied = _applied(case, kind, a.as_of) if kind else None
    params = {"blocked_by": blocked, "to_check": to_check, "application": applied, "clock_start": clock.clock_start}
    params.update(extra)
    return Action(
        key, "foreign-national", when, "earliest", rule, record, params, _status(applied is not None, when, a.as_of)
    )


def _earliest(case: Case, a: Assessment) -> list[Action]:
    o = a.options
    found = [
        _earliest_action(
            case,
            a,
            "earliest-permanent-residence",
            "R5.1",
            "permanent_residence",
            a.permanent_residence,
            "permanent-residence",
            options={"permanent_reference_date": o["permanent_reference_date"]},
        ),
        _earliest_action(
            case,
            a,
            "earliest-eu-long-term",
            "R5.2",
            "eu_long_term",
            a.eu_long_term,
            "eu-long-term",
            options={"eu_procedural_stay": o["eu_procedural_stay"]},
        ),
    ]
    for r in a.naturalisation.routes:
        if r.applicable:
            found.append(
                _earliest_action(
                    case,
                    a,
                    "earliest-naturalisation",
                    r.rule,
                    f"naturalisation.{r.route}",
                    r.clock,
                    "naturalisation",
                    route=r.route,
                    options={"naturalisation_years": o["naturalisation_years"]} if r.route == "standard" else {},
                )
            )
    ir = a.independent_residence
    if ir is not None and ir.eligible_from is not None:
        clock = Clock(None, ir.eligible_from, ir.eligible_from, None, ir.conditions)
        found.append(
            _earliest_action(
                case,
                a,
                "earliest-independent-residence",
                "R7.1",
                "independent_residence",
                clock,
                None,
                options={"relationship_permit_clip": o["relationship_permit_clip"]},
            )
        )
    return [x for x in found if x is not None]
