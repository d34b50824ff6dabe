"""Now and next: where a person stands on ``as_of``, what they must do by when, and when they
can apply for what (issue 12).

The three questions a client comes with, answered once from an assessment and its case,
for every face (text, JSON, report, chart, web):

- **now** (:class:`Status`): with a residence permit (which one, until when); in a
  residence gap (since when, how many days, why: DC-6), possibly while the law lets the
  person stay for a procedure (procedural stay, R4.5: it does not close the gap); or no
  permit on record yet;
- **next** (:class:`Upcoming`): the actions of :mod:`timeline.actions` still ahead, soonest
  first, each with the days left;
- **when** (:class:`Eligibility`): permanent residence (R5.1), EU long-term residence
  (R5.2), naturalisation (R6.1-R6.4, the earliest route) and independent residence (R7.1):
  can apply now, or from which date and how long from ``as_of``.

Records are named for people by :mod:`timeline.records` ("partner permit of 11 March
2021", "extension application received 20 August 2026"; :func:`record_name` is re-exported
here), never by their path in the case file; the JSON form keeps the path in a field of
its own. Whether a withdrawal is decided, and so whether a gap is expected, is
:func:`timeline.certainty.withdrawal_decided`.
"""

# Annotations are evaluated here (no ``from __future__ import annotations``): typing.NamedTuple
# compiles each annotation given as text, about 6 microseconds a field, at every start-up.
from datetime import date
from typing import Any, NamedTuple

from .actions import Action
from .assessment import Assessment, Clock
from .certainty import expected_at, withdrawal_decided
from .citations import CITATIONS
from .dates import ymd_between
from .i18n import count, fill, format_date, label, lookup, route_label
from .model import Case
from .records import RecordName, describe, record_name

__all__ = [
    "Eligibility",
    "NowAndNext",
    "Status",
    "Upcoming",
    "now_and_next",
    "now_and_next_dict",
    "now_and_next_lines",
    "record_name",
]


class Status(NamedTuple):
    """Where the person stands on ``as_of``.

    ``state`` is ``permit`` (a permit covers ``as_of``: ``record``, ``purpose``, ``since``
    its start, ``until`` its end, exclusive, ``None`` without an end), ``gap`` (no permit on
    ``as_of``: ``since`` the first day of the gap, ``days`` up to ``as_of``, ``cause`` and
    ``record`` as in :class:`~timeline.assessment.Gap`) or ``none`` (no permit on record
    before ``as_of``). ``procedural`` is the basis of a procedural stay on ``as_of``
    (``Vw 8(g)`` ...), if any: lawful stay, but not a permit (R4.5).

    ``expected`` marks a gap that follows from a withdrawal the IND has not decided by
    ``as_of`` (R3.1, OQ-3): the permit is expected to be withdrawn from ``since``, which is
    a consequence of a future decision, not a fact on record (issue 12, certainty).
    """

    state: str
    record: str | None = None
    purpose: str | None = None
    since: date | None = None
    until: date | None = None
    days: int | None = None
    cause: str | None = None
    procedural: str | None = None
    expected: bool = False


class Upcoming(NamedTuple):
    """An action still ahead on ``as_of`` and the days left until its date (0: today)."""

    action: Action
    days_left: int


class Eligibility(NamedTuple):
    """When the person can apply for ``route`` (``permanent-residence``, ``eu-long-term``,
    ``naturalisation``, ``independent-residence``) under ``rule``.

    ``date`` is the first day an application can be made (``None``: the clock is not
    running); ``can_apply_now`` when that day has come and no condition on record stands
    in the way; ``time_left`` the years, months and days from ``as_of`` to ``date`` (``None``
    when it has come). ``detail`` names the naturalisation route that comes first.
    """

    route: str
    rule: str
    date: date | None
    can_apply_now: bool
    time_left: tuple[int, int, int] | None
    detail: str | None = None


class NowAndNext(NamedTuple):
    """Now, next and when, on ``as_of`` (see the module docstring)."""

    as_of: date
    status: Status
    ahead: tuple[Upcoming, ...]
    eligibility: tuple[Eligibility, ...]
    #: The records named above, as data (:func:`record_name` writes them in a language).
    names: dict[str, RecordName]


def now_and_next(case: Case, a: Assessment) -> NowAndNext:
    """Now and next for ``case`` from its assessment ``a`` (with its actions)."""
    ahead = sorted((x for x in a.actions if x.status == "ahead"), key=lambda x: (x.date, x.rule, x.key, x.who))
    status = _status(case, a)
    # A record of the assessment carries its name (timeline.records: an application that
    # yields a permit is named as that permit); a plain path is named from the case.
    names = {x.record: d for x in ahead if (d := _named(case, x.record)) is not None}
    if status.record is not None:
        described = _named(case, status.record, status.purpose if status.state == "permit" else None)
        if described is not None:
            names[status.record] = described
    return NowAndNext(
        a.as_of,
        status,
        tuple(Upcoming(x, (x.date - a.as_of).days) for x in ahead),
        _eligibility(a),
        names,
    )


def _named(case: Case, record: str, purpose: str | None = None) -> RecordName | None:
    own = getattr(record, "name", None)
    return own if isinstance(own, RecordName) else describe(case, record, purpose)


def _status(case: Case, a: Assessment) -> Status:
    """The permit covering ``as_of`` (the strongest: non-temporary first, then the latest
    start), else the gap running on ``as_of``, else no permit yet."""
    on = a.as_of
    procedural = next((s.basis for s in a.procedural if s.start <= on and (s.end is None or on < s.end)), None)
    covering = [p for p in a.residence if p.start <= on and (p.end is None or on < p.end)]
    if covering:
        p = min(covering, key=lambda p: (p.temporary, -p.start.toordinal()))
        return Status("permit", p.record, p.purpose, p.start, p.end, procedural=procedural)
    gap = a.gaps[-1] if a.gaps and a.gaps[-1].end is None else None
    ended = next((p for p in a.residence if p.end == on), None)
    if gap is None and ended is not None:  # the gap begins today (DC-6 counts it from tomorrow)
        cause = "withdrawal" if ended.withdrawn_from == on else "expired"
        expected = cause == "withdrawal" and not withdrawal_decided(case, a, ended.record)
        return Status("gap", ended.record, None, on, None, 0, cause, procedural, expected)
    if gap is not None:
        expected = gap.cause == "withdrawal" and not withdrawal_decided(case, a, gap.record)
        return Status("gap", gap.record, None, gap.start, None, gap.days, gap.cause, procedural, expected)
    return Status("none", procedural=procedural)


def _can_apply(clock: Clock, on: date) -> bool:
    """The clock's first filing day has come (R5.1, R5.2, R6.x) and no condition on record is
    unmet (a temporary purpose, a pending extension, ...; unknown ones do not block)."""
    return (
        clock.eligible_from is not None
        and clock.eligible_from <= on
        and all(c.met is not False for c in clock.conditions)
    )


def _entry(route: str, rule: str, clock: Clock, on: date, detail: str | None = None) -> Eligibility:
    """When to apply under ``clock``, with the years, months and days from ``on`` (DC-3:
    anniversary arithmetic anchored on ``on``)."""
    when = clock.eligible_from
    left = ymd_between(on, when) if when is not None and when > on else None
    return Eligibility(route, rule, when, _can_apply(clock, on), left, detail)


def _eligibility(a: Assessment) -> tuple[Eligibility, ...]:
    """Permanent residence (R5.1), EU long-term residence (R5.2), the naturalisation route
    that comes first (R6.1-R6.4) and, for a partner permit, independent residence (R7.1)."""
    on = a.as_of
    out = [
        _entry("permanent-residence", "R5.1", a.permanent_residence, on),
        _entry("eu-long-term", "R5.2", a.eu_long_term, on),
    ]
    nat = a.naturalisation
    best = next((r for r in nat.routes if r.route == nat.route), None)
    if best is not None:
        out.append(_entry("naturalisation", best.rule, best.clock, on, best.route))
    ir = a.independent_residence
    if ir is not None:
        when = ir.eligible_from
        left = ymd_between(on, when) if when is not None and when > on else None
        now = ir.status == "open" and all(c.met is not False for c in ir.conditions)
        out.append(Eligibility("independent-residence", "R7.1", when, now, left))
    return tuple(out)


def _say(key: str, lang: str, **params: Any) -> str:
    """Message ``key`` of the "now" texts; dates written out ("11 March 2021"), counts kept as numbers."""
    values = {k: format_date(v, lang) if isinstance(v, date) else v for k, v in params.items()}
    return fill(lookup("now", key, lang), values, lang)


def _name(described: RecordName | None, lang: str) -> str | None:
    return None if described is None else described.text(lang)


def _status_line(nn: NowAndNext, lang: str) -> str:
    s = nn.status
    name = _name(nn.names.get(s.record or ""), lang)
    if s.state == "permit":
        key = "status-permit" if s.until is not None else "status-permit-no-end"
        last = None if s.until is None else date.fromordinal(s.until.toordinal() - 1)
        line = _say(key, lang, name=name, last_day=last)
    elif s.state == "gap" and s.expected:
        line = _say("status-withdrawal-expected", lang, name=name, since=s.since)
    elif s.state == "gap" and s.days == 0:
        line = _say("status-gap-today", lang, since=s.since, cause=label(s.cause, lang))
    elif s.state == "gap":
        line = _say("status-gap", lang, since=s.since, days=s.days, cause=label(s.cause, lang))
    else:
        line = _say("status-none", lang)
    if s.procedural is not None and s.state != "permit":
        line += " " + _say("status-procedural", lang, basis=s.procedural)
    return line


def _days_left(days: int, lang: str) -> str:
    """ "today" for the date itself (a deadline is met by the end of that day), else "N days left"."""
    return _say("today", lang) if days == 0 else _say("days-left", lang, left=count(days, "day", lang))


def _when_line(e: Eligibility, lang: str) -> str:
    what = _say(f"what-{e.route}", lang, route=route_label(e.detail, lang) if e.detail else "")
    if e.date is None:
        return _say("when-not-running", lang, what=what)
    if e.can_apply_now:
        return _say("when-now", lang, what=what, date=e.date)
    if e.time_left is None:
        return _say("when-reached-blocked", lang, what=what, date=e.date)
    return _say("when-from", lang, what=what, date=e.date, left=_time(e.time_left, lang))


def _time(ymd: tuple[int, int, int], lang: str) -> str:
    """ "4 years 10 months", "1 day": the parts that are not zero."""
    parts = [count(n, unit, lang) for n, unit in zip(ymd, ("year", "month", "day"), strict=True) if n]
    return " ".join(parts) or count(0, "day", lang)


def now_and_next_lines(
    nn: NowAndNext, lang: str = "en", *, limit: int | None = None, certainty: dict[str, Any] | None = None
) -> list[str]:
    """Now and next in plain words: the status, the actions ahead (``limit``: the first
    few), the eligibility dates; for the opening of the text output and page 1 of the report.

    With ``certainty`` (the assessment's :attr:`~timeline.assessment.Assessment.certainty`)
    an expected date says what it waits for: "(expected, if the permit is extended in time)".
    """
    from .presentation import action_title, certainty_text

    def expected(path: str) -> str:
        c = expected_at(certainty, path)
        return f" ({certainty_text(c, lang)})" if c is not None else ""

    lines = [_say("heading-now", lang), "  " + _status_line(nn, lang), ""]
    lines.append(_say("heading-next", lang))
    shown = nn.ahead if limit is None else nn.ahead[:limit]
    for k, u in enumerate(shown):
        when = format_date(u.action.date, lang, weekday=True)
        title = action_title(u.action, lang) + expected(f"now_and_next.ahead[{k}].date")
        lines.append(f"  {when} ({_days_left(u.days_left, lang)}): {title}")
    if not nn.ahead:
        lines.append("  " + _say("nothing-ahead", lang))
    elif limit is not None and len(nn.ahead) > limit:
        lines.append("  " + _say("more-ahead", lang, n=len(nn.ahead) - limit))
    lines += ["", _say("heading-when", lang)]
    for k, e in enumerate(nn.eligibility):
        line, note = _when_line(e, lang), expected(f"now_and_next.eligibility[{k}].date")
        lines.append("  " + (line[:-1] + note + "." if note and line.endswith(".") else line + note))
    return lines


def now_and_next_dict(nn: NowAndNext, lang: str = "en") -> dict[str, Any]:
    """The JSON form of now and next (dates ISO; ``record`` the path, ``name`` for people)."""
    from .presentation import action_title

    s = nn.status
    status = {
        **{k: (v.isoformat() if isinstance(v, date) else v) for k, v in s._asdict().items()},
        "name": _name(nn.names.get(s.record or ""), lang),
        "text": _status_line(nn, lang),
    }
    ahead = [
        {
            "date": u.action.date.isoformat(),
            "days_left": u.days_left,
            "who": u.action.who,
            "what": action_title(u.action, lang),
            "key": u.action.key,
            "rule": u.action.rule,
            "url": CITATIONS[u.action.rule].url if u.action.rule in CITATIONS else None,
            "record": u.action.record,
            "name": _name(nn.names.get(u.action.record), lang),
        }
        for u in nn.ahead
    ]
    when = [
        {
            "route": e.route,
            "rule": e.rule,
            "date": None if e.date is None else e.date.isoformat(),
            "can_apply_now": e.can_apply_now,
            "time_left": None
            if e.time_left is None
            else dict(zip(("years", "months", "days"), e.time_left, strict=True)),
            "detail": e.detail,
            "text": _when_line(e, lang),
        }
        for e in nn.eligibility
    ]
    return {"as_of": nn.as_of.isoformat(), "status": status, "ahead": ahead, "eligibility": when}
