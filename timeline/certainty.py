"""How sure each date of an assessment is: recorded, computed or expected (issue 12).

A lawyer keeps apart what is on file, what the law makes of it, and what still waits for
someone to act. Every date of an :class:`~timeline.assessment.Assessment` gets one of three
levels, decided here and nowhere else:

``recorded``
    The date is in the case file as it stands: a permit's start and end, a report's
    receipt, a decision, a withdrawal date on record (DC-1 still applies: ``end`` is the
    first day without the permit).
``computed``
    A legal consequence of recorded facts alone: a deadline (R2.2, R8.2, R8.3, R1.4,
    R4.2), the start of a permit granted on an application (R1.2, R4.1), a gap between
    recorded permits (DC-6), a withdrawal's effective date once the IND has decided it
    (R3.1, OQ-3), an eligibility date the permits on record already reach.
``expected``
    A consequence that waits for a future act or decision, named by ``assumes``:

    - ``withdrawal-<basis>``: a partner permit the IND has not (yet, on ``as_of``) decided
      to withdraw, taken to end on the date option ``withdrawal_effective`` chooses
      (``separation``, ``reported``, ``notification``, ``divorce``; R3.1, OQ-3); a gap
      that begins with it, the actions and routes that depend on it, are expected too;
    - ``withdrawal-decision``: the withdrawal takes effect on a decision not yet made
      (the action's date is the permit's own end, the latest it can be);
    - ``report``: the withdrawal takes effect on the day the first report is received,
      and no report is on record (the date is the reporting deadline, the latest);
    - ``extension``: a date after the end of the permits on record, which the clocks reach
      only if the permit is extended in time (R1.4);
    - ``decision``: the same while an application that would continue residence is
      pending (R8.3);
    - ``permit``: an eligibility date while no permit covers ``as_of``;
    - ``relationship``: independent residence (R7.1) from a date the relationship and the
      partner permit must last until.

Dates on or before ``as_of`` that follow from recorded facts are ``computed`` even when
they were once expected: the assessment states the law on ``as_of``.

:func:`certainties` returns the levels keyed by the date's JSON path (``residence[0].end``,
``gaps[1].start``, ``permanent_residence.eligible_from``, ``actions[3].date``,
``now_and_next.status.since``, ...), the same paths as ``assess --format json``; the
JSON form adds them to each object as ``certainty`` (and ``expected_if`` in words).
"""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from .assessment import Assessment, Clock, ResidencePeriod
from .model import Case

__all__ = [
    "COMPUTED",
    "EXPECTED",
    "LEVELS",
    "RECORDED",
    "Certainty",
    "certainties",
    "expected_at",
    "withdrawal_decided",
]

RECORDED, COMPUTED, EXPECTED = "recorded", "computed", "expected"
LEVELS = (RECORDED, COMPUTED, EXPECTED)
_RECORDED_STARTS = ("recorded", "printed")  # ResidencePeriod.start_basis read from the case file
_PERMIT_KINDS = ("first", "extension", "change-of-purpose", "permanent-residence", "eu-long-term")


class Certainty(NamedTuple):
    """The level of one date; for ``expected``, what it waits for (``assumes``) and the
    record it concerns. ``after`` is, for an eligibility date that waits for an extension or
    a decision, the end of the permits on record: a period that runs to the date is a fact
    up to ``after`` and expected from it (what a chart draws solid, then dashed)."""

    level: str
    assumes: str | None = None
    record: str | None = None
    after: date | None = None


_REC, _COMP = Certainty(RECORDED), Certainty(COMPUTED)


def expected_at(certainty: dict[str, Certainty] | None, path: str) -> Certainty | None:
    """The certainty of the date at JSON ``path`` in ``certainty`` (an assessment's
    :attr:`~timeline.assessment.Assessment.certainty`) when it is ``expected``, else ``None``:
    what every face asks before it says "expected, if ..." or draws a date dashed."""
    c = (certainty or {}).get(path)
    return c if c is not None and c.level == EXPECTED else None


def withdrawal_decided(case: Case, a: Assessment, record: str | None) -> bool:
    """Whether the withdrawal (R3.1) that ends ``record`` is a fact on ``as_of``: a recorded
    ``withdrawn_from``, or a withdrawal decision made on or before ``as_of``."""
    period = next((p for p in a.residence if p.record == record), None)
    if period is not None and period.withdrawal_basis == "recorded":
        return True
    name, _, rest = (record or "").partition("[")
    if name != "permits" or not rest[:-1].isdigit() or int(rest[:-1]) >= len(case.permits):
        return False
    decided = case.permits[int(rest[:-1])].withdrawal_decided
    return decided is not None and decided <= a.as_of


def _withdrawn(case: Case, a: Assessment, p: ResidencePeriod) -> Certainty:
    """The certainty of ``p.withdrawn_from`` (R3.1, OQ-3)."""
    if p.withdrawal_basis == "recorded":
        return _REC
    if withdrawal_decided(case, a, p.record):
        return _COMP
    return Certainty(EXPECTED, f"withdrawal-{p.withdrawal_basis}", p.record)


def _residence(case: Case, a: Assessment, out: dict[str, Certainty]) -> dict[str, Certainty]:
    """Residence periods, procedural stay and gaps (DC-6); returns each period's end by record."""
    ends: dict[str, Certainty] = {}
    for i, p in enumerate(a.residence):
        end = _withdrawn(case, a, p) if p.withdrawn_from is not None else _REC
        out[f"residence[{i}].start"] = _REC if p.start_basis in _RECORDED_STARTS else _COMP
        if p.granted_end is not None:
            out[f"residence[{i}].granted_end"] = _REC
        if p.withdrawn_from is not None:
            out[f"residence[{i}].withdrawn_from"] = end
        if p.end is not None:
            out[f"residence[{i}].end"] = out[f"residence[{i}].last_day"] = end
        ends[p.record] = end
    for i, s in enumerate(a.procedural):
        out[f"procedural_stay[{i}].start"] = _COMP
        if s.end is not None:
            out[f"procedural_stay[{i}].end"] = _COMP
    for i, g in enumerate(a.gaps):
        cause = ends.get(g.record or "", _COMP) if g.cause == "withdrawal" else _COMP
        out[f"gaps[{i}].start"] = cause if cause.level == EXPECTED else _COMP
        if g.end is not None:
            out[f"gaps[{i}].end"] = _COMP
    return ends


def _reach(case: Case, a: Assessment) -> tuple[date | None, Certainty]:
    """How far the permits on record reach from ``as_of`` without a break (``None``: open
    end; ``as_of`` itself when none covers it), and what a later date waits for (with the
    permit that must be extended)."""
    pending = any(x.kind in _PERMIT_KINDS and x.outcome == "pending" for x in case.applications)
    reach: date | None = a.as_of
    last = None
    for p in sorted(a.residence, key=lambda p: p.start):  # by start: one pass chains them
        if reach is not None and p.start <= reach and (p.end is None or p.end > reach):
            reach, last = p.end, p.record
    if last is None:  # no permit on as_of
        return reach, Certainty(EXPECTED, "decision" if pending else "permit", None, a.as_of)
    return reach, Certainty(EXPECTED, "decision" if pending else "extension", last, reach)


def _clock(when: date | None, a: Assessment, reach: tuple[date | None, Certainty]) -> Certainty:
    """An eligibility date: computed when reached, or when the permits on record cover it."""
    end, waits = reach
    if when is None or when <= a.as_of or end is None or when < end:
        return _COMP
    return waits


def _clocks(case: Case, a: Assessment, out: dict[str, Certainty]) -> dict[str, Certainty]:
    """The qualifying clocks (R5.1, R5.2, R6.x, R7.1); returns the eligibility certainty per path."""
    reach = _reach(case, a)
    named: list[tuple[str, Clock]] = [("permanent_residence", a.permanent_residence), ("eu_long_term", a.eu_long_term)]
    named += [(f"naturalisation.routes[{k}]", r.clock) for k, r in enumerate(a.naturalisation.routes)]
    for path, c in named:
        for field in ("clock_start", "period_complete", "eligible_from"):
            if getattr(c, field) is not None:
                out[f"{path}.{field}"] = _COMP if field == "clock_start" else _clock(getattr(c, field), a, reach)
    best = next((k for k, r in enumerate(a.naturalisation.routes) if r.route == a.naturalisation.route), None)
    if a.naturalisation.eligible_from is not None and best is not None:
        out["naturalisation.eligible_from"] = out[f"naturalisation.routes[{best}].eligible_from"]
    ir = a.independent_residence
    if ir is not None and ir.eligible_from is not None:
        ended = case.relationship is not None and (case.relationship.separated or case.relationship.divorced)
        later = ir.eligible_from > a.as_of and not ended
        out["independent_residence.eligible_from"] = Certainty(EXPECTED, "relationship") if later else _COMP
    if ir is not None and ir.relationship_start is not None:
        out["independent_residence.relationship_start"] = _REC
    return out


def _deadlines(a: Assessment, ends: dict[str, Certainty], out: dict[str, Certainty]) -> None:
    """Reporting (R2.2), objections (R8.2), decision periods (R8.3) and possible routes (R7.2)."""
    n = a.notification
    if n is not None:
        out["notification.trigger"] = _REC
        for field in ("raw_deadline", "deadline", "fine_possible_until"):
            if getattr(n, field) is not None:
                out[f"notification.{field}"] = _COMP
        if n.received is not None:
            out["notification.received"] = _REC
        for k, duty in enumerate(n.duties):
            if duty.received is not None:
                out[f"notification.duties[{k}].received"] = _REC
    for i, o in enumerate(a.objections):
        out[f"objections[{i}].decided"], out[f"objections[{i}].deadline"] = _REC, _COMP
        if o.objection_received is not None:
            out[f"objections[{i}].objection_received"] = _REC
    for i, _dp in enumerate(a.decision_periods):
        out[f"decision_periods[{i}].received"] = _REC
        out[f"decision_periods[{i}].due"] = out[f"decision_periods[{i}].due_extended"] = _COMP
    ir = a.independent_residence
    withdrawn = next((c for c in ends.values() if c.level == EXPECTED), _COMP)
    for k, route in enumerate(ir.possible_routes if ir is not None else ()):
        if route.file_by is not None:
            out[f"independent_residence.possible_routes[{k}].file_by"] = withdrawn


def _action(x: Any, ends: dict[str, Certainty], clocks: dict[str, Certainty], a: Assessment) -> Certainty:
    """An action's date: a deadline is computed; what rests on an expected date is expected."""
    if x.key == "file-new-application":
        variant = x.params.get("variant")
        if variant is not None and x.status == "ahead":
            return Certainty(EXPECTED, "report" if variant == "notification" else "withdrawal-decision", x.record)
        end = ends.get(x.record, _COMP)
        return end if end.level == EXPECTED else _COMP
    if x.kind != "earliest":
        return _COMP
    if x.key == "earliest-naturalisation":
        k = next(k for k, r in enumerate(a.naturalisation.routes) if r.route == x.params["route"])
        return clocks.get(f"naturalisation.routes[{k}].eligible_from", _COMP)
    return clocks.get(f"{x.record}.eligible_from", _COMP)


def _now_and_next(a: Assessment, actions: list[Certainty], out: dict[str, Certainty]) -> None:
    """The status on ``as_of``, the actions ahead and the eligibility dates (:mod:`timeline.now_next`)."""
    nn = a.now_and_next
    if nn is None:
        return
    s = nn.status
    i = next((i for i, p in enumerate(a.residence) if p.record == s.record), None)
    if s.state == "permit" and i is not None:
        out["now_and_next.status.since"] = out[f"residence[{i}].start"]
        if s.until is not None:
            out["now_and_next.status.until"] = out[f"residence[{i}].end"]
    elif s.state == "gap" and s.since is not None:
        expected = s.expected and i is not None and out[f"residence[{i}].end"].level == EXPECTED
        out["now_and_next.status.since"] = out[f"residence[{i}].end"] if expected else _COMP
    index = {id(x): k for k, x in enumerate(a.actions)}
    for k, u in enumerate(nn.ahead):
        out[f"now_and_next.ahead[{k}].date"] = actions[index[id(u.action)]]
    paths = {"permanent-residence": "permanent_residence", "eu-long-term": "eu_long_term"}
    for k, e in enumerate(nn.eligibility):
        if e.date is None:
            continue
        if e.route == "naturalisation":
            j = next(j for j, r in enumerate(a.naturalisation.routes) if r.route == e.detail)
            path = f"naturalisation.routes[{j}]"
        else:
            path = paths.get(e.route, "independent_residence")
        out[f"now_and_next.eligibility[{k}].date"] = out.get(f"{path}.eligible_from", _COMP)


def certainties(case: Case, a: Assessment) -> dict[str, Certainty]:
    """The certainty of every date of ``a`` (the assessment of ``case``), keyed by its JSON path."""
    out: dict[str, Certainty] = {}
    ends = _residence(case, a, out)
    clocks = _clocks(case, a, out)
    _deadlines(a, ends, out)
    actions = [_action(x, ends, clocks, a) for x in a.actions]
    for k, c in enumerate(actions):
        out[f"actions[{k}].date"] = c
    _now_and_next(a, actions, out)
    return out
