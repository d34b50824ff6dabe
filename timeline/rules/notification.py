"""The duty to report the end of the relationship (meldingsplicht) and its deadline.

References
----------
- R2.1 (both parties report: Vb 4.43(1), 4.44a(1)-(2)), R2.2 (received
  within 4 weeks; ATW roll-forward, R8.1), R2.3 (warning or fine, possible until 5
  years after the violation), OQ-2 (which change starts the term).
"""

from __future__ import annotations

from datetime import date, timedelta

from .. import atw, law
from ..assessment import Duty, NotificationResult
from ..context import Context
from ..kernels import procedures as kp
from ..kernels.residence import EPOCH, NA
from ..kernels.residence import day_number as _day
from ..model import NOTIFIERS
from .residence import first_report

__all__ = ["assess_notification", "fine_limitation_end", "notification_deadline"]


def notification_deadline(trigger: date) -> atw.Deadline:
    """R2.2: the reporting deadline of a change on ``trigger``.

    "Binnen vier weken" (Vb 4.43, 4.44a): an AMvB term, so the ATW applies. The term is
    the one in force on the day of the change (``notification_term`` on ``trigger``):
    the duty to report arises with the change.
    """
    return atw.deadline(trigger, law.term("notification_term", trigger))


def fine_limitation_end(offence: date) -> date:
    """R2.3: the last day the IND may fine a report that was due the day before ``offence``.

    The limitation period in force on the day of the offence (``fine_limitation``).
    """
    return law.term("fine_limitation", offence).after(offence)


def _date(n: int) -> date | None:
    return None if n == NA else date.fromordinal(n + EPOCH)


def _trigger(ctx: Context) -> tuple[date | None, str]:
    """The change that starts the term (R2.2, OQ-2; :func:`timeline.kernels.procedures.notification_trigger`)."""
    rel = ctx.case.relationship
    day, basis = kp.notification_trigger(
        kp.TRIGGER_BASES.index(ctx.opts.notification_trigger),
        _day(rel.separated if rel else None),
        _day(rel.divorced if rel else None),
        [_day(n.change_date) for n in ctx.case.notifications],
    )
    return _date(day), kp.TRIGGER_BASES[basis]


def _status(received: date | None, deadline: date, as_of: date) -> tuple[str, int | None]:
    """The R2.2 status of a report (on time, late, missing, not yet due).

    By :func:`timeline.kernels.procedures.report_status`.
    """
    status, days_late = kp.report_status(_day(received), _day(deadline), _day(as_of))
    return kp.REPORT_STATUSES[status], None if days_late == NA else days_late


def assess_notification(ctx: Context) -> NotificationResult | None:
    """Deadline and status of the report, overall and per party (R2.1, R2.2)."""
    case = ctx.case
    trigger, basis = _trigger(ctx)
    if trigger is None:
        if case.notifications:
            ctx.warn("notification-without-date")
        return None
    dl = notification_deadline(trigger)
    first = first_report(case.notifications)
    received = first[1].received if first else None
    status, days_late = _status(received, dl.deadline, ctx.as_of)
    duties = []
    n_received = [_day(n.received) for n in case.notifications]
    n_by = [NOTIFIERS.index(n.by) for n in case.notifications]
    for code, party in enumerate(NOTIFIERS):
        k = kp.first_report(n_received, n_by, code)  # the party's own first report
        p_received = case.notifications[k].received if k >= 0 else None
        p_status, p_late = _status(p_received, dl.deadline, ctx.as_of)
        duties.append(Duty(party, p_received, p_status, p_late))
    fine_until = None
    if status in ("late", "missing"):
        fine_until = fine_limitation_end(dl.deadline + timedelta(days=1))
    if not dl.decree_covered:
        ctx.warn("no-decree", deadline=dl.deadline, year=dl.deadline.year)
    skipped = ", ".join(f"{d.isoformat()} ({name})" for d, name in dl.skipped)
    ctx.explain(
        "notification.deadline",
        "R2.2",
        "notification-deadline" if dl.skipped else "notification-deadline-plain",
        dl.deadline,
        options=("notification_trigger",),
        trigger=trigger,
        basis=basis,
        raw=dl.raw,
        deadline=dl.deadline,
        skipped=skipped or "-",
        non_working=dl.skipped,
    )
    ctx.explain(
        "notification.status",
        "R2.2",
        f"notification-{status}",
        status,
        deadline=dl.deadline,
        received=received,
        by=first[1].by if first else None,
        days_late=days_late,
        as_of=ctx.as_of,
    )
    if fine_until is not None:
        ctx.explain("notification.fine_possible_until", "R2.3", "notification-fine", fine_until, until=fine_until)
    return NotificationResult(
        trigger,
        basis,
        dl.raw,
        dl.deadline,
        received,
        first[1].by if first else None,
        status,
        days_late,
        tuple(duties),
        fine_until,
        dl.decree_covered,
    )
