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


def _trigger(ctx: Context) -> tuple[date | None, str]:
    """The change that starts the term (R2.2, OQ-2)."""
    rel = ctx.case.relationship
    separated = rel.separated if rel else None
    divorced = rel.divorced if rel else None
    changes = [n.change_date for n in ctx.case.notifications if n.change_date is not None]
    reported = min(changes) if changes else None
    choice = ctx.opts.notification_trigger
    order = {
        "separation": ((separated, "separation"), (reported, "reported")),
        "reported": ((reported, "reported"), (separated, "separation")),
        "divorce": ((divorced, "divorce"), (separated, "separation"), (reported, "reported")),
    }[choice]
    for value, basis in order:
        if value is not None:
            return value, basis
    return None, choice


def _status(received: date | None, deadline: date, as_of: date) -> tuple[str, int | None]:
    if received is not None:
        if received <= deadline:
            return "on-time", 0
        return "late", (received - deadline).days
    if as_of > deadline:
        return "missing", None
    return "not-yet-due", None


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
    for party in NOTIFIERS:
        own = [n.received for n in case.notifications if n.by == party]
        p_received = min(own) if own else None
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
