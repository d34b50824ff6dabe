"""Actions as an iCalendar file (RFC 5545): one all-day event per action.

Each action (:mod:`timeline.actions`) becomes a ``VEVENT`` on its date:

- ``DTSTART;VALUE=DATE`` is the action's date and ``DTEND;VALUE=DATE`` the day after:
  for all-day events DTEND is *exclusive* (RFC 5545 section 3.6.1), the same
  convention as a permit's end date (DC-1). A deadline on 29 July gives
  ``DTSTART:20250729`` and ``DTEND:20250730``, shown by calendar programs on 29 July only.
- ``UID`` is a UUID derived from the case id and the action's ``(key, record, who)``:
  it does not depend on the date, so importing a recomputed file (a later ``as_of``,
  another scenario) updates the events instead of duplicating them.
- ``DTSTAMP`` is midnight UTC of ``as_of``, not the time of the run: the same case, date,
  options and language always give byte-identical output.
- ``SUMMARY`` and ``DESCRIPTION`` are in the chosen language (EN or NL); the summary names
  the record for people ("partner permit of 11 March 2021"); the description
  gives the full sentence, what an expected date waits for (:mod:`timeline.certainty`),
  the rule and its legal basis, the status on ``as_of``, and
  the reminder that this is not legal advice. Events are ``TRANSPARENT`` (they do not
  block time).

Uses the ``icalendar`` package (imported lazily: ``timeline assess`` never loads it).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import NAMESPACE_URL, uuid5

from .actions import Action
from .errors import TimelineError, msg
from .outputs import replacing
from .usertext import one_line

__all__ = ["PRODID", "IcsError", "action_uid", "actions_ics", "check_ics_path", "write_ics"]

PRODID = "-//timeline//Dutch residence timelines//EN"
_NAMESPACE = uuid5(NAMESPACE_URL, "https://github.com/timeline/actions")


class IcsError(TimelineError):
    """A calendar file that cannot be written (wrong extension, unwritable path)."""


def action_uid(case_id: str, action: Action) -> str:
    """A stable UID for ``action`` of case ``case_id``: independent of dates and run time.

    >>> from timeline.actions import Action
    >>> a = Action("report", "sponsor", date(2025, 7, 29), "deadline", "R2.2", "relationship", {}, "ahead")
    >>> action_uid("x", a) == action_uid("x", a._replace(date=date(2025, 9, 1)))
    True
    """
    name = "\x1f".join((case_id, action.key, action.record, action.who))
    return f"{uuid5(_NAMESPACE, name)}@timeline"


def actions_ics(
    actions: Iterable[Action],
    *,
    case_id: str,
    as_of: date,
    lang: str = "en",
    statuses: tuple[str, ...] | None = ("ahead",),
    certainty: dict[str, Any] | None = None,
) -> bytes:
    """The actions as an iCalendar document (UTF-8 bytes, CRLF line ends).

    Parameters
    ----------
    actions
        Actions, e.g. ``assessment.actions``.
    case_id
        The case id: part of every UID and of every summary.
    as_of
        The evaluation date: DTSTAMP is its midnight UTC (deterministic output).
    lang
        ``"en"`` or ``"nl"`` for summaries and descriptions.
    statuses
        Which statuses to write (default: only actions still ``ahead``); ``None`` for all.
    certainty
        The assessment's :attr:`~timeline.assessment.Assessment.certainty` (with ``actions``
        its own actions, in order): an expected date says in its description what it
        waits for ("expected, if the permit is extended in time").

    Returns
    -------
    bytes
        A ``VCALENDAR`` with one all-day ``VEVENT`` per action.
    """
    from icalendar import Calendar, Event

    from .certainty import expected_at
    from .citations import CITATIONS
    from .i18n import format_date, label, phrase
    from .presentation import action_status_text, action_text, action_title, certainty_text

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    shown_id = one_line(case_id)  # a line break or bare CR in an id must not end the line it is on
    cal.add("x-wr-calname", f"timeline: {shown_id}")
    stamp = datetime(as_of.year, as_of.month, as_of.day, tzinfo=UTC)
    for i, a in enumerate(actions):
        if statuses is not None and a.status not in statuses:
            continue
        sure = expected_at(certainty, f"actions[{i}].date")
        cit = CITATIONS.get(a.rule)
        basis = f"{a.rule} ({cit.basis})" if cit else a.rule
        lines = [
            action_text(a, lang),
            *([certainty_text(sure, lang)] if sure is not None else []),
            "",
            f"{label('rule', lang)}: {basis}",
            f"{label('status-on', lang)} {format_date(as_of, lang)}: {action_status_text(a, lang)}",
            phrase("calendar", "not-advice", lang, as_of=as_of.isoformat()),
        ]
        event = Event()
        event.add("uid", action_uid(case_id, a))
        event.add("dtstamp", stamp)
        event.add("dtstart", a.date)
        event.add("dtend", a.date + timedelta(days=1))  # exclusive end of an all-day event
        event.add("summary", f"{action_title(a, lang)} [{shown_id}]")
        event.add("description", "\n".join(lines))
        event.add("categories", [a.kind, a.rule])
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical()


def check_ics_path(path: str) -> None:
    """Raise :class:`IcsError` unless ``path`` ends in ``.ics`` and its folder exists."""
    import os

    if os.path.splitext(path)[1].lower() != ".ics":
        raise IcsError(msg("ics-extension", path=path))
    if os.path.isdir(path):
        raise IcsError(msg("output-folder-not-file", path=path, ext=".ics"))
    folder = os.path.dirname(path) or "."
    if not os.path.isdir(folder):
        raise IcsError(msg("ics-no-folder", path=path, folder=folder))


def write_ics(data: bytes, path: str) -> None:
    """Write iCalendar ``data`` (from :func:`actions_ics`) to ``path`` (``.ics``)."""
    check_ics_path(path)
    try:
        with replacing(path) as tmp, open(tmp, "wb") as handle:
            handle.write(data)
    except OSError as err:
        raise IcsError(msg("output-write-failed", path=path, reason=err.strerror or str(err))) from None
