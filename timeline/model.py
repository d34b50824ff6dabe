"""The case: one person's history as frozen records of dates.

All dates are :class:`datetime.date`. Every ``end``-like date (``Permit.end``,
``Application.valid_until``) is *exclusive*: the first day without validity, which is
the date printed on a Dutch residence card as "geldig tot" (DC-1 in docs/rules.md).

Records are immutable NamedTuples (not dataclasses: defining eight frozen dataclasses
plus importing ``dataclasses`` cost about 18 ms, a large share of the start-up budget of
``timeline assess``). Use ``record._replace(field=value)`` for a changed copy.

The records mirror the case file (see README "Case file reference"); ``timeline.io``
builds them from TOML/JSON and validates every field.
"""

# Annotations are evaluated here (no ``from __future__ import annotations``): typing.NamedTuple
# compiles each annotation given as text, about 6 microseconds a field, at every start-up.
from datetime import date
from typing import NamedTuple

__all__ = [
    "APPLICATION_KINDS",
    "END_REASONS",
    "NOTIFIERS",
    "OUTCOMES",
    "PERMIT_APPLICATION_KINDS",
    "PLACES",
    "PURPOSES",
    "RELATIONSHIP_KINDS",
    "SPONSOR_STATUSES",
    "Absence",
    "Application",
    "Case",
    "Notification",
    "Permit",
    "Person",
    "Relationship",
    "Sponsor",
    "eu_weight",
    "is_temporary",
]

#: ``fixed-term``: a time-limited permit for a non-temporary purpose (work, highly skilled);
#: ``temporary``: a permit for a temporary purpose (study, ...), Vb 3.5(2). Both end
#: (``permit_end``); only ``temporary`` makes the partner permit temporary (R1.3).
SPONSOR_STATUSES = ("dutch", "permanent", "fixed-term", "temporary", "eu-citizen")
RELATIONSHIP_KINDS = ("marriage", "registered-partnership", "unmarried")
PLACES = ("kingdom", "abroad")
APPLICATION_KINDS = (
    "first",
    "extension",
    "change-of-purpose",
    "permanent-residence",
    "eu-long-term",
    "naturalisation",
    "objection",
)
#: Application kinds that, when granted, yield a residence permit (issue 2; R1.2, R4.1).
PERMIT_APPLICATION_KINDS = ("first", "extension", "change-of-purpose", "permanent-residence", "eu-long-term")
OUTCOMES = ("granted", "refused", "pending")
NOTIFIERS = ("sponsor", "foreign-national")
END_REASONS = ("separation", "domestic-violence", "sponsor-died")

#: Residence purposes: (temporary?, EU long-term weight). ``None`` for "temporary"
#: means it depends on the sponsor (R1.3, Vb 3.5(2)).
#: EU weights follow Vw 45b(3) / R5.2: non-temporary 1, own study 1/2,
#: other temporary purposes 0.
PURPOSES: dict[str, tuple[bool | None, float]] = {
    "partner": (None, 1.0),
    "work": (False, 1.0),
    "highly-skilled": (False, 1.0),
    "study": (True, 0.5),
    "search-year": (True, 0.0),
    "humanitarian-temporary": (True, 0.0),
    "humanitarian-non-temporary": (False, 1.0),
    "permanent": (False, 1.0),
    "eu-long-term": (False, 1.0),
    "other-temporary": (True, 0.0),
    "other-non-temporary": (False, 1.0),
}

#: Purposes whose right is indefinite: the card's end date is a document date only.
INDEFINITE_PURPOSES = ("permanent", "eu-long-term")


class Person(NamedTuple):
    """The foreign national.

    ``birth_date``: only years from age 8 count for permanent residence (Vw 21(5),
    R5.1). ``integration_passed``: date the civic-integration exam was
    passed (a condition for R5.1, R6.1, R7.1). ``turkish_national``: Decision 1/80
    rules differ (out of scope; a warning).
    """

    birth_date: date | None = None
    integration_passed: date | None = None
    turkish_national: bool = False


class Sponsor(NamedTuple):
    """The partner (referent): ``status`` is dutch | permanent | fixed-term | temporary | eu-citizen."""

    status: str = "dutch"
    permit_end: date | None = None


class Relationship(NamedTuple):
    """The relationship on which the partner permit rests.

    ``separated`` is the *factual* end (end of the joint household, R2.1,
    OQ-2); ``divorced`` the later legal end. ``cohabitation_place`` says where the
    cohabitation before the marriage took place (R6.2: only unmarried cohabitation
    in the Kingdom just before the marriage counts).
    """

    kind: str = "marriage"
    cohabitation_start: date | None = None
    cohabitation_place: str = "kingdom"
    married: date | None = None
    separated: date | None = None
    divorced: date | None = None
    end_reason: str | None = None

    @property
    def start(self) -> date | None:
        """Earliest known date of the relationship (cohabitation or marriage)."""
        known = [d for d in (self.cohabitation_start, self.married) if d is not None]
        return min(known) if known else None


class Permit(NamedTuple):
    """A residence permit as granted ("as on the residence card").

    ``end`` is exclusive (DC-1); ``None`` when unknown or indefinite.
    ``withdrawal_decided`` is the date of the IND's withdrawal decision (taken as the
    date it was made known, Awb 6:8); ``withdrawn_from`` the effective date the
    decision states: the first day without the permit (R3.1).
    """

    purpose: str
    start: date
    end: date | None = None
    withdrawal_decided: date | None = None
    withdrawn_from: date | None = None
    note: str = ""


class Notification(NamedTuple):
    """A report to the IND that the relationship ended (meldingsplicht, R2.1).

    ``received`` is the date the IND received it (DC-7: receipt is what counts);
    ``change_date`` the end date the report gives.
    """

    by: str
    received: date
    change_date: date | None = None
    note: str = ""


class Application(NamedTuple):
    """An application, request or objection and its outcome.

    ``received``: the date the IND received it (DC-7). ``decided``: the decision date
    (taken as the date it was made known). ``valid_until``: exclusive end of the
    permit a granted application yielded (DC-1). ``start``: the start date printed on
    the granted permit, when known (a fact; it overrides the computed start).
    ``conditions_met``: the date the applicant proved all conditions when later than
    receipt (Vw 26, R1.2, R4.1). ``excused``: lateness of an extension accepted as not
    attributable (R4.1). ``against``: for an objection, the decision objected to, as
    ``"permits[i]"`` (a withdrawal) or ``"applications[j]"`` (a refusal).
    ``posted``: for an objection, the date it was posted (Awb 6:9(2), R8.2).
    """

    kind: str
    received: date
    purpose: str | None = None
    outcome: str = "pending"
    decided: date | None = None
    valid_until: date | None = None
    start: date | None = None
    conditions_met: date | None = None
    excused: bool = False
    against: str | None = None
    posted: date | None = None
    note: str = ""


class Absence(NamedTuple):
    """A stay abroad: ``departed`` and ``returned`` dates (``returned=None``: still abroad).

    Departure and return days count as days in the Netherlands (OQ-7 default).
    """

    departed: date
    returned: date | None = None
    note: str = ""


class Case(NamedTuple):
    """One person's history. ``source`` names the file it came from (for messages)."""

    id: str
    person: Person = Person()
    sponsor: Sponsor = Sponsor()
    relationship: Relationship | None = None
    permits: tuple[Permit, ...] = ()
    notifications: tuple[Notification, ...] = ()
    applications: tuple[Application, ...] = ()
    absences: tuple[Absence, ...] = ()
    options: tuple[tuple[str, str], ...] = ()
    as_of: date | None = None
    description: str = ""
    source: str = "<case>"


def is_temporary(purpose: str, sponsor_status: str) -> bool:
    """True when a permit for ``purpose`` is for a temporary purpose (Vb 3.5(2)).

    A partner permit is temporary when the sponsor's own right is temporary
    (R1.3, R5.2).
    """
    temporary = PURPOSES[purpose][0]
    if temporary is None:
        return sponsor_status == "temporary"
    return temporary


def eu_weight(purpose: str, sponsor_status: str, search_year: str = "none") -> float:
    """R5.2 (Vw 45b(3)): the weight of a day under this purpose toward EU long-term residence.

    Non-temporary purposes count in full, own study counts half, other temporary purposes
    not at all. The search year for the highly educated (zoekjaar) is temporary, so it
    counts 0; OQ-24 (option ``eu_search_year_weight``, ``search_year``): ``half`` counts it as
    study, the reading put to the EU Court of Justice by the Hague district court on
    10 July 2025 (ECLI:NL:RBDHA:2025:12454), still pending.
    """
    if purpose == "search-year" and search_year == "half":
        return PURPOSES["study"][1]
    if is_temporary(purpose, sponsor_status) and purpose != "study":
        return 0.0
    return PURPOSES[purpose][1]


#: The dates that are events of a case, by record: what happened, not what is planned or
#: assumed (a permit's printed end and a withdrawal count; a birth date, an exam, a
#: sponsor's permit end and an application's conditions do not). Read by
#: :func:`first_event` and, over whole columns, by :mod:`timeline.batch`.
EVENT_DATES: dict[str, tuple[str, ...]] = {
    "relationship": ("cohabitation_start", "married", "separated", "divorced"),
    "permits": ("start", "end", "withdrawal_decided", "withdrawn_from"),
    "notifications": ("received",),
    "applications": ("received", "decided", "start", "posted"),
    "absences": ("departed",),
}


def first_event(case: Case) -> date | None:
    """The earliest event date recorded in ``case`` (:data:`EVENT_DATES`); ``None`` when
    the case records no event at all."""
    found: list[date] = []
    for record, names in EVENT_DATES.items():
        value = getattr(case, record)
        entries = (value,) if record == "relationship" else value
        for entry in entries:
            if entry is not None:
                found += [d for d in (getattr(entry, name) for name in names) if d is not None]
    return min(found) if found else None
