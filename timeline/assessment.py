"""Result records of an assessment, and their JSON form.

Every date leaving the system follows DC-1: ``end`` fields are exclusive (the first
day without the status); text output also gives the last day inside.
"""

# Annotations are evaluated here (no ``from __future__ import annotations``): typing.NamedTuple
# compiles each annotation given as text, about 6 microseconds a field, at every start-up.
from datetime import date
from typing import Any, NamedTuple

# Records are NamedTuples rather than dataclasses: defining a frozen slotted dataclass
# costs about 1 ms at import, a NamedTuple 0.15 ms, and `timeline assess` has a
# start-up budget (issue 2: at most 1.5 x `python -c "import click"`).

__all__ = [
    "NATURALISATION_ROUTES",
    "Assessment",
    "Clock",
    "Condition",
    "DecisionDeadline",
    "DecisionPeriod",
    "Duty",
    "Explanation",
    "Gap",
    "IndependentResidence",
    "Naturalisation",
    "NotificationResult",
    "PossibleRoute",
    "ProceduralStay",
    "ResidencePeriod",
    "Route",
    "Warning",
    "to_jsonable",
]


class Explanation(NamedTuple):
    """Why a date is what it is: rule ID, inputs, result and a message to render.

    ``key`` selects a sentence in :mod:`timeline.i18n`; ``params`` fill it in.
    ``options`` lists the option keys the result depends on.
    """

    subject: str
    rule: str
    key: str
    result: Any
    params: dict[str, Any] = {}  # noqa: RUF012 (never mutated)
    options: tuple[str, ...] = ()


class Condition(NamedTuple):
    """A requirement besides the period itself: ``met`` is True, False or None (unknown)."""

    key: str
    met: bool | None
    params: dict[str, Any] = {}  # noqa: RUF012 (never mutated)


class ResidencePeriod(NamedTuple):
    """Granted coverage (toelating) from one permit, after withdrawals.

    ``record`` names the case record it comes from (``permits[0]`` or
    ``applications[2]``); ``granted_end`` is the end as granted, ``end`` the end after a
    withdrawal (both exclusive; ``None`` is open). ``start_basis`` says how the start
    was found (``recorded``, ``printed``, ``timely``, ``tolerance``, ``excused``,
    ``received``, ``conditions-met``).
    """

    record: str
    purpose: str
    start: date
    end: date | None
    granted_end: date | None
    temporary: bool
    start_basis: str = "recorded"
    withdrawn_from: date | None = None
    withdrawal_basis: str | None = None


class ProceduralStay(NamedTuple):
    """Lawful stay while waiting for a decision (Vw 8 f/g/h): not toelating (R4.5)."""

    record: str
    start: date
    end: date | None
    basis: str


class Gap(NamedTuple):
    """A residence gap ``[start, end)``; ``end`` None while it lasts on ``as_of`` (DC-6)."""

    start: date
    end: date | None
    days: int
    cause: str
    record: str | None = None
    procedural_days: int = 0


class Duty(NamedTuple):
    """One party's reporting duty (R2.1) and its status."""

    party: str
    received: date | None
    status: str
    days_late: int | None


class NotificationResult(NamedTuple):
    """The 4-week reporting deadline after the relationship ended (R2.2)."""

    trigger: date
    trigger_basis: str
    raw_deadline: date
    deadline: date
    received: date | None
    by: str | None
    status: str
    days_late: int | None
    duties: tuple[Duty, ...]
    fine_possible_until: date | None
    decree_covered: bool


class Clock(NamedTuple):
    """A qualifying period toward a status (DC-5).

    ``clock_start``: first day of the qualifying run; ``period_complete``: the first
    day on which every day of the required period before it qualifies;
    ``eligible_from``: the earliest filing date under the options (equal to
    ``period_complete`` unless OQ-6 = decision). ``None`` with ``reason`` when the
    clock is not running on ``as_of``.
    """

    clock_start: date | None
    period_complete: date | None
    eligible_from: date | None
    reason: str | None
    conditions: tuple[Condition, ...] = ()
    years: int = 5


#: The naturalisation routes, in the order they are assessed and listed (a tie for the
#: earliest date goes to the first): R6.1, R6.2, R6.3, R6.4.
NATURALISATION_ROUTES = ("standard", "spouse", "partner", "long-residence")


class Route(NamedTuple):
    """A naturalisation route (:data:`NATURALISATION_ROUTES`): ``standard`` (R6.1),
    ``spouse`` (R6.2), ``partner`` (R6.3), ``long-residence`` (R6.4)."""

    route: str
    rule: str
    applicable: bool
    clock: Clock


class Naturalisation(NamedTuple):
    """The earliest naturalisation date over all routes."""

    eligible_from: date | None
    route: str | None
    routes: tuple[Route, ...]


class PossibleRoute(NamedTuple):
    """A discretionary route that may be open (R7.2): flagged, never computed."""

    route: str
    indicated: bool
    file_by: date | None


class IndependentResidence(NamedTuple):
    """Independent residence after the relationship (R7.1) and possible routes (R7.2)."""

    status: str
    eligible_from: date | None
    permit_days: int
    permit_time: tuple[int, int, int]
    relationship_start: date | None
    reason: str | None
    conditions: tuple[Condition, ...]
    possible_routes: tuple[PossibleRoute, ...]


class DecisionDeadline(NamedTuple):
    """The objection deadline of a recorded decision (R8.2)."""

    record: str
    decision: str
    decided: date
    deadline: date
    status: str
    objection: str | None
    objection_received: date | None


class DecisionPeriod(NamedTuple):
    """The decision period of a pending application or objection (R8.3)."""

    record: str
    kind: str
    received: date
    due: date
    due_extended: date
    overdue: bool


class Warning(NamedTuple):
    """Something the user should check; it does not stop the assessment."""

    key: str
    params: dict[str, Any] = {}  # noqa: RUF012 (never mutated)


class Assessment(NamedTuple):
    """Everything :func:`timeline.assess` computes for one case on ``as_of``."""

    id: str
    as_of: date
    options: dict[str, str]
    residence: tuple[ResidencePeriod, ...]
    procedural: tuple[ProceduralStay, ...]
    gaps: tuple[Gap, ...]
    notification: NotificationResult | None
    permanent_residence: Clock
    eu_long_term: Clock
    naturalisation: Naturalisation
    independent_residence: IndependentResidence | None
    objections: tuple[DecisionDeadline, ...]
    decision_periods: tuple[DecisionPeriod, ...]
    explanations: tuple[Explanation, ...]
    warnings: tuple[Warning, ...]
    #: What to do by when (:mod:`timeline.actions`), empty by default.
    actions: tuple[Any, ...] = ()
    #: Now, next and when (:class:`timeline.now_next.NowAndNext`).
    now_and_next: Any = None
    #: How sure each date is, by its JSON path ("residence[0].end" -> Certainty("expected",
    #: "withdrawal-separation", "permits[0]")): :mod:`timeline.certainty`; the last field.
    certainty: dict[str, Any] | None = None

    @property
    def gap_days(self) -> int:
        """Total days without toelating up to ``as_of``."""
        return sum(g.days for g in self.gaps)

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """The JSON form (see README "JSON output"), texts in ``lang`` ("en" or "nl")."""
        from .presentation import assessment_dict

        out = assessment_dict(self, lang)
        if self.now_and_next is None:
            return out
        from .now_next import now_and_next_dict
        from .presentation import attach_certainty

        # "now and next" right after the run's settings, before the details it summarises
        at = list(out).index("options") + 1
        items = list(out.items())
        nn = {"now_and_next": now_and_next_dict(self.now_and_next, lang)}
        attach_certainty(nn, self.certainty, lang)
        return dict([*items[:at], *nn.items(), *items[at:]])


def to_jsonable(value: Any) -> Any:
    """Dates to ISO strings, records to dicts, tuples to lists (recursively)."""
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "_asdict"):  # a record (NamedTuple): before the plain-tuple case
        return {k: to_jsonable(v) for k, v in value._asdict().items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    return value
