"""What each lane of a chart shows, before any geometry: bars, point events and notes.

:func:`collect_lanes` reads an assessment and its case into one :class:`LaneContent` per
lane, top to bottom: residence permits, the relationship, procedures, stays abroad and the
clocks toward permanent residence and naturalisation. Positions are day ordinals; rows and
label places are decided later (:mod:`timeline.chart.layout`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from ..assessment import Assessment
from ..certainty import Certainty, expected_at
from ..dates import ymd_between
from ..i18n import label, route_label
from ..intervals import Span, merge
from ..model import Case, Relationship
from .spec import GapBand
from .style import (
    COLOURS,
    HATCH_GAP,
    HATCH_OBJECTION,
    HATCH_PROCEDURAL,
    HATCH_SEPARATED,
    HATCH_TEMPORARY,
    HATCH_WITHDRAWN,
)
from .texts import chart_text, date_range, purpose_text, separated_key, short_date, short_span, time_left

__all__ = ["LANE_KEYS", "LaneContent", "RawBar", "RawMarker", "collect_lanes"]

#: The lanes, top to bottom.
LANE_KEYS = ("permits", "relationship", "procedures", "absences", "clocks")

o = date.toordinal
_t = chart_text
sd = short_date


@dataclass
class RawBar:
    """A bar of a lane in day ordinals (``end`` None: open), not yet given a row."""

    start: int
    end: int | None
    label: str
    colour: str
    hatch: str = ""
    faded: bool = False
    milestone: bool = False
    record: str | None = None
    order: int = 0
    join: int | None = None  # drawn in the row of the lane's bar with this index
    state: str = ""  # Bar.state: served, to-go, expected, pending, ongoing
    milestone_label: str = ""  # the text beside the milestone (date or "can apply now")
    milestone_kind: str = "milestone"  # or milestone-reached


@dataclass
class RawMarker:
    """A point event of a lane: a day ordinal, its label and its marker kind."""

    day: int
    label: str
    kind: str


@dataclass
class LaneContent:
    """The bars, markers and notes of one lane (``key``: ``permits``, ``relationship``, ...)."""

    key: str
    bars: list[RawBar] = field(default_factory=list)
    markers: list[RawMarker] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    lang: str = "en"


def collect_lanes(a: Assessment, case: Case, lang: str) -> tuple[list[LaneContent], list[GapBand]]:
    """The content of every lane (in :data:`LANE_KEYS` order) and the residence-gap bands."""
    permits, spans = permit_lane(a, lang)
    lanes = [
        permits,
        relationship_lane(a, case.relationship, lang),
        procedure_lane(a, case, lang),
        absence_lane(a, case, lang),
        clock_lane(a, lang),
    ]
    return lanes, spans


def expected(a: Assessment, path: str) -> Certainty | None:
    """The certainty of the date at JSON ``path`` when it is ``expected`` (issue 12 §2): drawn
    dashed, said "expected" (:func:`timeline.certainty.expected_at`)."""
    return expected_at(a.certainty, path)


def permit_lane(a: Assessment, lang: str) -> tuple[LaneContent, list[GapBand]]:
    """One bar per residence period, the withdrawn part faded, gaps hatched (and as bands).

    A withdrawal the IND has not decided, and the gap it opens, are expected, not facts:
    drawn with a dashed outline (and a paler band) and labelled "expected"."""
    permits = LaneContent("permits")
    for i, p in enumerate(a.residence):
        colour = p.purpose if p.purpose in COLOURS else "other-temporary"
        hatch = HATCH_TEMPORARY if p.temporary else ""
        text = _t("permit", lang, purpose=purpose_text(p.purpose, lang))
        permits.bars.append(
            RawBar(o(p.start), o(p.end) if p.end else None, text, colour, hatch, record=p.record, order=i)
        )
        if p.withdrawn_from and p.end and (p.granted_end is None or p.granted_end > p.end):
            end = p.granted_end
            text = _t("withdrawn-part", lang, d=sd(end, lang)) if end else _t("withdrawn-short", lang)
            state = ""
            if expected(a, f"residence[{i}].withdrawn_from"):
                text, state = _t("withdrawn-expected", lang, d=sd(p.end, lang)), "expected"
            permits.bars.append(
                RawBar(
                    o(p.end),
                    o(end) if end else None,
                    text,
                    colour,
                    HATCH_WITHDRAWN,
                    faded=True,
                    record=p.record,
                    order=i,
                    state=state,
                )
            )
    spans: list[GapBand] = []
    for k, g in enumerate(a.gaps):
        end = g.end or a.as_of
        text = _t("gap", lang, n=g.days) if g.end else _t("gap-ongoing", lang, n=g.days)
        state = ""
        if expected(a, f"gaps[{k}].start"):
            text, state = _t("gap-expected", lang, n=g.days), "expected"
        permits.bars.append(RawBar(o(g.start), o(end), text, "gap", HATCH_GAP, order=100, state=state))
        spans.append(GapBand(g.start, end, text, expected=bool(state)))
    return permits, spans


def relationship_lane(a: Assessment, rel: Relationship | None, lang: str) -> LaneContent:
    """Cohabitation, marriage (or partnership), separated (still married), divorce."""
    rl = LaneContent("relationship")
    if rel is None:
        rl.notes.append(_t("no-relationship", lang))
        return rl
    stop = rel.separated
    if rel.cohabitation_start and (rel.married is None or rel.cohabitation_start < rel.married):
        cend = rel.married if rel.kind != "unmarried" and rel.married else stop
        key = "cohabitation-abroad" if rel.cohabitation_place == "abroad" else "cohabitation"
        if rel.kind == "unmarried":
            key = "unmarried"
        rl.bars.append(RawBar(o(rel.cohabitation_start), o(cend) if cend else None, _t(key, lang), "cohabitation"))
    if rel.married and rel.kind != "unmarried":
        key = "marriage" if rel.kind == "marriage" else "registered-partnership"
        mend = stop or rel.divorced
        rl.bars.append(RawBar(o(rel.married), o(mend) if mend else None, _t(key, lang), "marriage"))
        if stop and (rel.divorced is None or rel.divorced > stop):
            end = o(rel.divorced) if rel.divorced else o(max(a.as_of, stop))
            text = _t(separated_key(rel.kind), lang)
            rl.bars.append(RawBar(o(stop), end, text, "separated", HATCH_SEPARATED, faded=True))
    if rel.separated:
        rl.markers.append(RawMarker(o(rel.separated), _t("m-separation", lang, d=sd(rel.separated, lang)), "event"))
    if rel.divorced:
        key = "m-divorce" if rel.kind != "registered-partnership" else "m-dissolution"
        rl.markers.append(RawMarker(o(rel.divorced), _t(key, lang, d=sd(rel.divorced, lang)), "event"))
    return rl


def procedure_lane(a: Assessment, case: Case, lang: str) -> LaneContent:
    """Applications, procedural stay, objection windows, then the lane's point events."""
    pr = LaneContent("procedures")
    _add_applications(pr, a, case, lang)
    for s in a.procedural:
        end = s.end or a.as_of
        text = _t("procedural", lang, basis=s.basis)
        pr.bars.append(RawBar(o(s.start), o(max(end, s.start)), text, "procedural", HATCH_PROCEDURAL))
    for ob in a.objections:
        text = _t("objection-window", lang, status=label(ob.status, lang))
        # The deadline is the last day in time (R8.2): the bar ends the day after.
        after = o(ob.deadline + timedelta(days=1))
        pr.bars.append(RawBar(o(ob.decided), after, text, "objection", HATCH_OBJECTION, order=50))
    _add_late_filing(pr, a, lang)
    _add_procedure_events(pr, a, case, lang)
    if not pr.bars and not pr.markers:
        pr.notes.append(_t("no-procedures", lang))
    return pr


#: Explanations of a permit's start after a late extension (R4.1, R4.2): the filing came
#: after the last valid day, within the four-week tolerance or after it.
_LATE_STARTS = ("start-late", "start-tolerance")


def _add_late_filing(pr: LaneContent, a: Assessment, lang: str) -> None:
    """The cause of a late extension: the last day in time missed, the four-week tolerance
    (R4.2) as a period to act ending on its last day, and the day the application came in.

    The dates are the rules' own (the explanation of the new permit's start).
    """
    for e in a.explanations:
        p = e.params
        if e.key not in _LATE_STARTS or p.get("tolerance_end") is None or p.get("last_valid") is None:
            continue
        last, end, received = p["last_valid"], p["tolerance_end"], p["received"]
        text = _t("tolerance", lang, d=sd(end, lang))
        pr.bars.append(RawBar(o(last) + 1, o(end) + 1, text, "tolerance", order=40))
        pr.markers.append(RawMarker(o(last), _t("m-last-timely-day", lang, d=sd(last, lang)), "deadline-missed"))
        key = "m-received-in-tolerance" if e.key == "start-tolerance" else "m-received-late"
        pr.markers.append(RawMarker(o(received), _t(key, lang, d=sd(received, lang)), "event"))


def _add_applications(pr: LaneContent, a: Assessment, case: Case, lang: str) -> None:
    """A bar per application (hatched while pending) and a marker for each decision."""
    for i, app in enumerate(case.applications):
        kind = label(app.kind, lang)
        what = _t("application", lang, kind=kind, purpose=purpose_text(app.purpose, lang)) if app.purpose else kind
        if app.decided and app.outcome != "pending":
            pr.bars.append(RawBar(o(app.received), o(app.decided), what, "application", order=i))
            key = "m-granted" if app.outcome == "granted" else "m-refused"
            pr.markers.append(RawMarker(o(app.decided), _t(key, lang, d=sd(app.decided, lang)), "decision"))
        else:
            end = max(a.as_of, app.received)
            text = _t("application-pending", lang, what=what)
            pr.bars.append(RawBar(o(app.received), o(end), text, "application", order=i, state="pending"))


def _add_procedure_events(pr: LaneContent, a: Assessment, case: Case, lang: str) -> None:
    """Withdrawal decisions, withdrawn-from dates, reports, the reporting deadline, decision periods."""
    for permit in case.permits:
        if permit.withdrawal_decided:
            text = _t("m-withdrawal-decision", lang, d=sd(permit.withdrawal_decided, lang))
            pr.markers.append(RawMarker(o(permit.withdrawal_decided), text, "decision"))
    for i, p in enumerate(a.residence):
        # A withdrawal not decided is no event: the permit lane draws it dashed, "expected".
        if p.withdrawn_from and not expected(a, f"residence[{i}].withdrawn_from"):
            text = _t("m-withdrawn-from", lang, d=sd(p.withdrawn_from, lang))
            pr.markers.append(RawMarker(o(p.withdrawn_from), text, "event"))
    for n in case.notifications:
        text = _t("m-report", lang, by=label(n.by, lang), d=sd(n.received, lang))
        pr.markers.append(RawMarker(o(n.received), text, "event"))
    nr = a.notification
    if nr is not None:
        missed = nr.status in ("late", "missing")
        if nr.status == "not-yet-due":
            text = _t(
                "m-ahead",
                lang,
                what=_t("m-report-by", lang, d=sd(nr.deadline, lang)),
                left=time_left(a.as_of, nr.deadline, lang),
            )
            kind = "deadline-ahead"
        else:
            text = _t("m-report-deadline", lang, d=sd(nr.deadline, lang), status=label(nr.status, lang))
            kind = "deadline-missed" if missed else "deadline"
        pr.markers.append(RawMarker(o(nr.deadline), text, kind))
    for dp in a.decision_periods:
        if dp.overdue:
            pr.markers.append(
                RawMarker(o(dp.due), _t("m-decision-overdue", lang, d=sd(dp.due, lang)), "deadline-missed")
            )
        else:  # the IND's deadline, still ahead
            what = _t("m-decision-due", lang, d=sd(dp.due, lang))
            text = _t("m-ahead", lang, what=what, left=time_left(a.as_of, dp.due, lang))
            pr.markers.append(RawMarker(o(dp.due), text, "deadline-ahead"))
    _add_deadlines_ahead(pr, a, lang)


#: Deadlines of :mod:`timeline.actions` drawn in the procedures lane while they are ahead
#: (the reporting deadline is drawn from the assessment's notification result).
_AHEAD_KEYS = ("objection", "file-new-application", "extension-last-timely-day", "extension-tolerance-end")


def _add_deadlines_ahead(pr: LaneContent, a: Assessment, lang: str) -> None:
    """Each deadline still ahead on the as-of date, with its date and the time left."""
    seen: set[tuple[str, date]] = set()
    timely = {x.record for x in a.actions if x.status == "ahead" and x.key == "extension-last-timely-day"}
    for x in a.actions:
        if x.status != "ahead" or x.key not in _AHEAD_KEYS or (x.key, x.date) in seen:
            continue
        if x.key == "extension-tolerance-end" and x.record in timely:
            continue  # the tolerance matters once the last timely day has passed
        seen.add((x.key, x.date))
        what = _t(f"m-{x.key}", lang, d=sd(x.date, lang))
        pr.markers.append(
            RawMarker(
                o(x.date), _t("m-ahead", lang, what=what, left=time_left(a.as_of, x.date, lang)), "deadline-ahead"
            )
        )


def absence_lane(a: Assessment, case: Case, lang: str) -> LaneContent:
    """Stays abroad (an ongoing one runs to the as-of date, dashed)."""
    ab = LaneContent("absences")
    for b in case.absences:
        end = b.returned or max(a.as_of, b.departed)
        # Dates and length in months and days ("7 m 2 d"): the 6-month rule (R5.3) checked by eye.
        length = short_span(ymd_between(b.departed, end), lang, days=True)
        if b.returned is None:
            text = _t("absence-ongoing", lang, d=sd(b.departed, lang), length=length)
        else:
            text = _t("absence", lang, dates=date_range(b.departed, b.returned, lang), length=length)
        state = "ongoing" if b.returned is None else ""
        ab.bars.append(RawBar(o(b.departed), o(end), text, "absence", state=state))
    if not case.absences:
        ab.notes.append(_t("no-absences", lang))
    return ab


def clock_lane(a: Assessment, lang: str) -> LaneContent:
    """One bar per running route, ending in a milestone; a note for each route not running.

    A route's bar is split at the as-of date: the time served solid, the time to go
    outlined, labelled "permanent residence: 3 y 2 m of 5 y"; the star at its end carries
    the date, or "can apply now" once it has come.
    """
    cl = LaneContent("clocks", lang=lang)
    routes: list[tuple[str, Any, str]] = [
        ("pr", a.permanent_residence, "permanent_residence.eligible_from"),
        ("eu", a.eu_long_term, "eu_long_term.eligible_from"),
    ]
    routes += [
        (f"nat:{r.route}", r.clock, f"naturalisation.routes[{k}].eligible_from")
        for k, r in enumerate(a.naturalisation.routes)
        if r.applicable
    ]
    for i, (key, clock, path) in enumerate(routes):
        nat = key.startswith("nat:")
        what = _t("nat", lang, route=route_label(key[4:], lang)) if nat else _t(key, lang)
        if not (clock.clock_start and clock.eligible_from):
            reason = label(clock.reason, lang) if clock.reason else "-"
            cl.notes.append(_t("not-running", lang, what=what, reason=reason))
            continue
        _add_clock(cl, a, what, clock, i, expected(a, path))
        if key == "nat:long-residence":
            _add_earlier_residence(cl, a, clock.clock_start, i)
    return cl


def _add_clock(
    cl: LaneContent, a: Assessment, what: str, clock: Any, order: int, certainty: Certainty | None = None
) -> None:
    """The served and the to-go part of one route's qualifying period, the star at its end; the
    part beyond the permits on record dashed when the date is expected (``certainty``)."""
    lang = cl.lang
    start, end, on = clock.clock_start, clock.eligible_from, a.as_of
    served_to = min(max(on, start), end)
    total = short_span(ymd_between(start, end), lang)
    done = short_span(ymd_between(start, served_to), lang) if served_to > start else "0"
    reached = end <= on
    # When some time counts part or not at all, the calendar span is longer than the years.
    counted = short_span((clock.years, 0, 0), lang) if ymd_between(start, end) != (clock.years, 0, 0) else None
    if reached:
        can = all(c.met is not False for c in clock.conditions)
        star = _t("star-now", lang) if can else _t("star-blocked", lang, d=sd(end, lang))
        text = _t("clock-reached", lang, what=what, total=total)
    else:
        star = _t("star-from", lang, d=sd(end, lang))
        text = _t("clock-served", lang, what=what, served=done, total=total)
    if counted is not None:
        text = _t("clock-counted", lang, text=text, counted=counted)
    kind = "milestone-reached" if reached else "milestone"
    # The label goes on the longer part (inside it when it fits); the other part has none.
    on_served = reached or (served_to - start) >= (end - served_to)
    if served_to > start:
        served_text = text if on_served else ""
        cl.bars.append(RawBar(o(start), o(served_to), served_text, "clock", order=order, state="served"))
    if not reached:
        join = len(cl.bars) - 1 if served_to > start else None
        to_go_text = "" if on_served else text
        # Beyond the permits on record the time to go is expected (it needs an extension or a
        # decision still to come): dashed from there (issue 12 §2).
        after = certainty.after if certainty is not None and certainty.after is not None else end
        fact_to = min(max(after, served_to), end)
        if fact_to > served_to:
            cl.bars.append(RawBar(o(served_to), o(fact_to), to_go_text, "clock", order=order, state="to-go", join=join))
            join, to_go_text = len(cl.bars) - 1, ""
        if fact_to < end:
            cl.bars.append(RawBar(o(fact_to), o(end), to_go_text, "clock", order=order, state="expected", join=join))
    last = cl.bars[-1]
    last.milestone, last.milestone_label, last.milestone_kind = True, star, kind


def _add_earlier_residence(cl: LaneContent, a: Assessment, clock_start: date, order: int) -> None:
    """The earlier toelating, drawn pale: R6.4 counts it toward the 10 years in total.

    Drawn in the row of the route's bar (the lane's last bar), before its start.
    """
    anchor = len(cl.bars) - 1
    while cl.bars[anchor].join is not None:  # the row's own bar (the to-go part joins the served one)
        anchor = cl.bars[anchor].join  # type: ignore[assignment]
    for sp in merge(Span(p.start, p.end) for p in a.residence):
        if sp.start < clock_start:
            end = clock_start if sp.end is None else min(sp.end, clock_start)
            cl.bars.append(RawBar(o(sp.start), o(end), "", "clock-earlier", order=order, join=anchor))
