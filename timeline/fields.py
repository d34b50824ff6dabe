"""The fields of a case file and the checks on them: one definition, read by every path.

A case file (README "Case file reference") has a top level and seven kinds of record. Each
record is a list of :class:`Field` (name, type, required, closed set of values, default,
what it means and the rule IDs it feeds) and a list of :class:`Check` across fields ("end
after start", "decided not before received", ...). Nothing else is checked:

- :func:`timeline.case_from_dict` (the case reader, one case) reads each record's fields
  in this order, checks each by its type, then applies the record's checks in order, and
  names the check in the error (``CaseError.check``);
- :func:`timeline.batch.assess_table` (many cases) turns the same fields and checks into
  masks over whole columns (:mod:`timeline.batch`, "validation"), and reads only the cases
  a mask flags with the case reader, which gives the error its exact text;
- :mod:`timeline.tables` takes its columns from the same fields.

``tests/test_fields.py`` proves it: every check below, broken alone, is rejected by both
paths with the same field named, and neither path rejects a case for a check not listed.

The definition is plain data (names, types, closed sets, required, defaults,
descriptions with rule IDs, checks with their messages), so a JSON Schema can be
generated from it. The ``[options]`` table is validated by :mod:`timeline.options`.

Field types
-----------
``date``
    A date ``YYYY-MM-DD`` (a TOML date or an ISO string, never with a time), from
    :data:`~timeline.dates.MIN_DATE` to :data:`~timeline.dates.MAX_DATE`.
``end``
    An end-like date: as ``date``, exclusive in the model (DC-1); under
    ``end_date_convention = "inclusive"`` (OQ-1) the file gives the last valid day and
    the reader adds one day.
``choice``
    Text from the field's closed set ``choices``.
``bool``
    ``true`` or ``false``.
``text``
    Text of at most :data:`MAX_TEXT` characters, valid Unicode.
``id``
    Text of at most :data:`MAX_ID` characters, not only white space.

Check tests
-----------
``after`` / ``not-before`` / ``not-after``
    When both ``field`` and ``other`` are present: ``field > other`` / ``field >= other``
    / ``field <= other`` (model values: ends exclusive). ``other`` is a field of the same
    record or a value of :data:`DERIVED`.
``needs``
    When ``field`` is present, ``other`` (a choice of the same record, its default when
    absent) is one of ``values``.
``reference-form`` / ``reference-exists`` / ``reference-not-self``
    ``field`` names an entry as ``"name[i]"`` with ``name`` one of ``values`` (counting
    from 0 in file order); the entry exists; it is not the record itself.

A check's ``message`` is the key of its text in the catalogues (context ``error``, one
text per language: :class:`timeline.errors.Message`). The texts are templates: ``{field}``
the field, ``{other}`` the other value as written in the file (a date as ``YYYY-MM-DD``,
text quoted), ``{target}`` and ``{valid}`` the entry a reference names and the valid ones.
``inclusive_message`` replaces ``message`` when the case reads end dates inclusively (OQ-1).
"""

from __future__ import annotations

from .model import (
    APPLICATION_KINDS,
    END_REASONS,
    NOTIFIERS,
    OUTCOMES,
    PLACES,
    PURPOSES,
    RELATIONSHIP_KINDS,
    SPONSOR_STATUSES,
)

__all__ = [
    "DERIVED",
    "MAX_ID",
    "MAX_RECORDS",
    "MAX_TEXT",
    "RECORDS",
    "TYPE_CHECKS",
    "Check",
    "Field",
    "Record",
    "all_checks",
    "field_checks",
]

MAX_RECORDS = 1_000  #: entries of one kind (permits, notifications, applications, absences)
MAX_TEXT = 10_000  #: characters of a text field (description, note, ...)
MAX_ID = 200  #: characters of the case id

DATE, END, CHOICE, BOOL, TEXT, ID = "date", "end", "choice", "bool", "text", "id"
AFTER, NOT_BEFORE, NOT_AFTER, NEEDS = "after", "not-before", "not-after", "needs"
REFERENCE_FORM, REFERENCE_EXISTS, REFERENCE_NOT_SELF = "reference-form", "reference-exists", "reference-not-self"
ORDER_TESTS = (AFTER, NOT_BEFORE, NOT_AFTER)

#: The checks each field type implies, by name (a check's id is ``record.field.name``):
#: ``type`` the value's form, ``range`` the supported dates, ``choice`` the closed set,
#: ``length`` the text limit, ``unicode`` valid text, ``blank`` an id of only spaces.
#: ``required`` comes with every required field.
TYPE_CHECKS: dict[str, tuple[str, ...]] = {
    DATE: ("type", "range"),
    END: ("type", "range"),
    CHOICE: ("type", "length", "unicode", "choice"),
    BOOL: ("type",),
    TEXT: ("type", "length", "unicode"),
    ID: ("type", "length", "unicode", "blank"),
}


# Plain classes with slots, not NamedTuples: defining three NamedTuples cost about 0.5 ms of
# the start-up of ``timeline assess`` (measured), these about 0.04 ms.


class Field:
    """One field of a record: name, type, meaning; required or not, its closed set and default."""

    __slots__ = ("choices", "default", "description", "name", "required", "rules", "type")

    def __init__(
        self,
        name: str,
        type: str,
        description: str,
        rules: tuple[str, ...] = (),
        *,
        required: bool = False,
        choices: tuple[str, ...] = (),
        default: str | bool | None = None,
    ) -> None:
        self.name, self.type, self.description, self.rules = name, type, description, rules
        self.required, self.choices, self.default = required, choices, default

    def __repr__(self) -> str:
        return f"Field({self.name!r}, {self.type!r})"


class Check:
    """A check across fields of a record (see the module docstring for the tests)."""

    __slots__ = ("field", "inclusive_message", "message", "name", "other", "rules", "test", "values")

    def __init__(
        self,
        name: str,
        field: str,
        test: str,
        other: str,
        message: str,
        values: tuple[str, ...] = (),
        *,
        inclusive_message: str = "",
        rules: tuple[str, ...] = (),
    ) -> None:
        self.name, self.field, self.test, self.other = name, field, test, other  # field: the one an error names
        self.message, self.values, self.inclusive_message, self.rules = message, values, inclusive_message, rules

    def __repr__(self) -> str:
        return f"Check({self.name!r}, {self.field!r}, {self.test!r}, {self.other!r})"


class Record:
    """A table (``many`` false: at most one per case) or an array of tables of the case file."""

    __slots__ = ("checks", "description", "fields", "many", "name")

    def __init__(
        self, name: str, many: bool, description: str, fields: tuple[Field, ...], checks: tuple[Check, ...] = ()
    ) -> None:
        self.name, self.many, self.description, self.fields, self.checks = name, many, description, fields, checks

    def __repr__(self) -> str:
        return f"Record({self.name!r})"

    @property
    def names(self) -> tuple[str, ...]:
        """The field names, in file order."""
        return tuple(f.name for f in self.fields)

    def field(self, name: str) -> Field:
        """The field called ``name``."""
        return next(f for f in self.fields if f.name == name)


#: Values computed from the fields of one record: name -> (record, fields whose earliest
#: present date it is). ``began``: the relationship's start, the earliest of
#: cohabitation and marriage (``Relationship.start``).
DERIVED: dict[str, tuple[str, tuple[str, ...]]] = {
    "began": ("relationship", ("cohabitation_start", "married")),
}

_OBJECTION_ONLY = tuple(k for k in APPLICATION_KINDS if k == "objection")
_NOT_OBJECTION = tuple(k for k in APPLICATION_KINDS if k != "objection")
_BEFORE_BEGAN = "check-report-began"
_NOT_FOR_OBJECTIONS = "check-not-for-objections"
_ONLY_FOR_OBJECTIONS = "check-only-for-objections"
_NEEDS_MARRIAGE = "check-needs-marriage"

#: The records of a case file, in the order the reader reads them (``case``: the top level).
RECORDS: dict[str, Record] = {
    r.name: r
    for r in (
        Record(
            "case",
            False,
            "The top level of the case file.",
            (
                Field("id", ID, "A short name of the case; default: the file name.", required=True),
                Field("as_of", DATE, "The evaluation date (DC-5: clocks run up to it).", ("DC-5",)),
                Field("description", TEXT, "Free text.", default=""),
            ),
        ),
        Record(
            "person",
            False,
            "The foreign national.",
            (
                Field("birth_date", DATE, "Only years from age 8 count for permanent residence.", ("R5.1",)),
                Field(
                    "integration_passed",
                    DATE,
                    "Date the civic-integration exam was passed (a condition; never moves a date).",
                    ("R5.1", "R6.1", "R7.1"),
                ),
                Field("turkish_national", BOOL, "Association Decision 1/80: flagged as out of scope.", default=False),
            ),
        ),
        Record(
            "sponsor",
            False,
            "The partner (referent).",
            (
                Field(
                    "status",
                    CHOICE,
                    "The sponsor's right of residence; temporary makes the partner permit temporary.",
                    ("R1.3", "R5.2", "R6.2"),
                    choices=SPONSOR_STATUSES,
                    default="dutch",
                ),
                Field("permit_end", DATE, "End of a fixed-term or temporary sponsor's permit.", ("R1.3",)),
            ),
            (
                Check(
                    "only-with-an-ending-status",
                    "permit_end",
                    NEEDS,
                    "status",
                    "check-sponsor-permit-end",
                    ("fixed-term", "temporary"),
                    rules=("R1.3",),
                ),
            ),
        ),
        Record(
            "relationship",
            False,
            "The relationship on which the partner permit rests.",
            (
                Field(
                    "kind",
                    CHOICE,
                    "Kind of relationship.",
                    ("R6.2", "R6.3"),
                    choices=RELATIONSHIP_KINDS,
                    default="marriage",
                ),
                Field("cohabitation_start", DATE, "Start of living together.", ("R6.2", "R6.3")),
                Field(
                    "cohabitation_place",
                    CHOICE,
                    "Where cohabitation before the marriage took place.",
                    ("R6.2",),
                    choices=PLACES,
                    default="kingdom",
                ),
                Field("married", DATE, "Marriage or registration date.", ("R6.2",)),
                Field(
                    "separated",
                    DATE,
                    "Factual end of the relationship (end of the joint household).",
                    ("R2.1", "R2.2", "R3.1", "OQ-2"),
                ),
                Field("divorced", DATE, "Legal end of the marriage or registered partnership.", ("R2.2", "OQ-2")),
                Field(
                    "end_reason",
                    CHOICE,
                    "Why the relationship ended (flags the R7.2 routes).",
                    ("R7.2",),
                    choices=END_REASONS,
                ),
            ),
            (
                Check(
                    "married-kind", "married", NEEDS, "kind", _NEEDS_MARRIAGE, ("marriage", "registered-partnership")
                ),
                Check(
                    "married-kind", "divorced", NEEDS, "kind", _NEEDS_MARRIAGE, ("marriage", "registered-partnership")
                ),
                Check(
                    "not-before-married",
                    "divorced",
                    NOT_BEFORE,
                    "married",
                    "check-divorced-married",
                ),
                Check(
                    "not-before-began",
                    "separated",
                    NOT_BEFORE,
                    "began",
                    "check-separated-began",
                ),
            ),
        ),
        Record(
            "permits",
            True,
            "Permits as granted (as on the residence card).",
            (
                Field(
                    "purpose", CHOICE, "Residence purpose.", ("R1.3", "R5.2"), required=True, choices=tuple(PURPOSES)
                ),
                Field("start", DATE, "First day of the permit.", ("R1.2", "DC-6"), required=True),
                Field("end", END, "First day without the permit ('geldig tot'); open when absent.", ("DC-1", "OQ-1")),
                Field(
                    "withdrawal_decided",
                    DATE,
                    "Date of the IND's withdrawal decision (taken as the date it was made known).",
                    ("R3.1", "R8.2"),
                ),
                Field(
                    "withdrawn_from",
                    DATE,
                    "Effective date the withdrawal decision states: the first day without the permit.",
                    ("R3.1",),
                ),
                Field("note", TEXT, "Free text.", default=""),
            ),
            (
                Check(
                    "after-start",
                    "end",
                    AFTER,
                    "start",
                    "check-permit-end-start",
                    inclusive_message="check-permit-end-start-inclusive",
                    rules=("DC-1",),
                ),
                Check(
                    "not-before-start",
                    "withdrawn_from",
                    NOT_BEFORE,
                    "start",
                    "check-withdrawn-from-start",
                    rules=("R3.1",),
                ),
                Check(
                    "not-after-end",
                    "withdrawn_from",
                    NOT_AFTER,
                    "end",
                    "check-withdrawn-from-end",
                    rules=("R3.1",),
                ),
                Check(
                    "not-before-start",
                    "withdrawal_decided",
                    NOT_BEFORE,
                    "start",
                    "check-withdrawal-decided-start",
                    rules=("R3.1",),
                ),
            ),
        ),
        Record(
            "notifications",
            True,
            "Reports that the relationship ended.",
            (
                Field("by", CHOICE, "Who reported.", ("R2.1",), required=True, choices=NOTIFIERS),
                Field("received", DATE, "Date the IND received the report.", ("R2.2", "DC-7"), required=True),
                Field("change_date", DATE, "The end date the report gives.", ("R3.1", "OQ-3")),
                Field("note", TEXT, "Free text.", default=""),
            ),
            (
                Check("not-before-began", "received", NOT_BEFORE, "began", _BEFORE_BEGAN, rules=("R2.1",)),
                Check("not-before-began", "change_date", NOT_BEFORE, "began", _BEFORE_BEGAN, rules=("R2.1",)),
            ),
        ),
        Record(
            "applications",
            True,
            "Applications and objections, in the order received.",
            (
                Field(
                    "kind",
                    CHOICE,
                    "Kind of application.",
                    ("R1.2", "R4.1", "R3.2"),
                    required=True,
                    choices=APPLICATION_KINDS,
                ),
                Field("received", DATE, "Date the IND received it.", ("DC-7", "R1.2", "R1.4", "R4.5"), required=True),
                Field(
                    "purpose",
                    CHOICE,
                    "Purpose applied for (an extension inherits the permit's).",
                    ("R1.2",),
                    choices=tuple(PURPOSES),
                ),
                Field("outcome", CHOICE, "The decision.", ("R1.2", "R3.2"), choices=OUTCOMES, default="pending"),
                Field(
                    "decided", DATE, "Decision date (taken as the date it was made known).", ("R4.5", "R8.2", "R8.3")
                ),
                Field("valid_until", END, "End of the granted permit (exclusive); open when absent.", ("DC-1", "OQ-1")),
                Field("start", DATE, "Start date printed on the granted permit (a fact).", ("R1.2",)),
                Field("conditions_met", DATE, "Proof completed later than receipt.", ("R1.2",)),
                Field("posted", DATE, "Objections only: date posted.", ("R8.2",)),
                Field(
                    "excused", BOOL, "Lateness of an extension accepted as not attributable.", ("R4.1",), default=False
                ),
                Field(
                    "against",
                    TEXT,
                    "Objections only: the decision objected to, 'permits[i]' or 'applications[j]'.",
                    ("R3.2", "R8.2"),
                ),
                Field("note", TEXT, "Free text.", default=""),
            ),
            (
                Check("not-for-objections", "purpose", NEEDS, "kind", _NOT_FOR_OBJECTIONS, _NOT_OBJECTION),
                Check("not-for-objections", "valid_until", NEEDS, "kind", _NOT_FOR_OBJECTIONS, _NOT_OBJECTION),
                Check(
                    "not-before-received",
                    "decided",
                    NOT_BEFORE,
                    "received",
                    "check-decided-received",
                ),
                Check(
                    "after-start",
                    "valid_until",
                    AFTER,
                    "start",
                    "check-valid-until-start",
                    inclusive_message="check-valid-until-start-inclusive",
                    rules=("DC-1",),
                ),
                Check(
                    "after-received",
                    "valid_until",
                    AFTER,
                    "received",
                    "check-valid-until-received",
                    inclusive_message="check-valid-until-received-inclusive",
                    rules=("DC-1",),
                ),
                Check(
                    "not-before-received",
                    "conditions_met",
                    NOT_BEFORE,
                    "received",
                    "check-conditions-met-received",
                    rules=("R1.2",),
                ),
                Check(
                    "only-for-objections",
                    "posted",
                    NEEDS,
                    "kind",
                    _ONLY_FOR_OBJECTIONS,
                    _OBJECTION_ONLY,
                    rules=("R8.2",),
                ),
                Check(
                    "only-for-objections",
                    "against",
                    NEEDS,
                    "kind",
                    _ONLY_FOR_OBJECTIONS,
                    _OBJECTION_ONLY,
                    rules=("R3.2",),
                ),
                Check(
                    "form",
                    "against",
                    REFERENCE_FORM,
                    "",
                    "check-against-form",
                    ("permits", "applications"),
                    rules=("R3.2",),
                ),
                Check(
                    "exists",
                    "against",
                    REFERENCE_EXISTS,
                    "",
                    "check-against-exists",
                    ("permits", "applications"),
                    rules=("R3.2",),
                ),
                Check(
                    "not-itself",
                    "against",
                    REFERENCE_NOT_SELF,
                    "",
                    "check-against-itself",
                    ("permits", "applications"),
                    rules=("R3.2",),
                ),
            ),
        ),
        Record(
            "absences",
            True,
            "Stays abroad.",
            (
                Field(
                    "departed",
                    DATE,
                    "Departure day (counts as a day in the Netherlands).",
                    ("R5.3", "OQ-7"),
                    required=True,
                ),
                Field(
                    "returned",
                    DATE,
                    "Return day (counts as a day in the Netherlands); absent while still abroad.",
                    ("R5.3", "OQ-7"),
                ),
                Field("note", TEXT, "Free text.", default=""),
            ),
            (
                Check(
                    "not-before-departed",
                    "returned",
                    NOT_BEFORE,
                    "departed",
                    "check-returned-departed",
                ),
            ),
        ),
    )
}


def check_id(record: str, field: str, name: str) -> str:
    """The id of a check: ``record.field.name`` (``permits.end.after-start``, ``case.id.blank``)."""
    return f"{record}.{field}.{name}"


def field_checks(record: Record, field: Field) -> tuple[str, ...]:
    """The ids of the checks a field's type (and being required) implies, in the order they run."""
    names = (("required",) if field.required else ()) + TYPE_CHECKS[field.type]
    return tuple(check_id(record.name, field.name, n) for n in names)


def all_checks() -> list[str]:
    """Every check of the definition, by id: each field's own checks, then each record's checks."""
    out: list[str] = []
    for record in RECORDS.values():
        for field in record.fields:
            out += field_checks(record, field)
        out += [check_id(record.name, c.field, c.name) for c in record.checks]
    return out
