"""Case files in and out: TOML or JSON to a validated :class:`~timeline.model.Case`, and back.

A case file holds one person's history. Every table is optional unless stated; every date is
a TOML date (``2025-11-23``) or an ISO string (``"2025-11-23"``), never a date with a time::

    id = "separation-reported-early"      # non-empty string; defaults to the file name
    as_of = 2025-11-23                    # evaluation date
    description = "free text"

    [person]        birth_date, integration_passed (dates), turkish_national (boolean)
    [sponsor]       status (dutch | permanent | fixed-term | temporary | eu-citizen; default dutch),
                    permit_end (date; only when status is fixed-term or temporary)
    [relationship]  kind (marriage | registered-partnership | unmarried; default marriage),
                    cohabitation_start (date), cohabitation_place (kingdom | abroad),
                    married, separated, divorced (dates),
                    end_reason (separation | domestic-violence | sponsor-died)
    [[permits]]     purpose (required), start (required), end, withdrawal_decided,
                    withdrawn_from (dates), note
    [[notifications]] by (required: sponsor | foreign-national), received (required),
                    change_date (date), note
    [[applications]] kind (required), received (required), purpose, outcome
                    (granted | refused | pending; default pending), decided, valid_until,
                    start, conditions_met, posted (dates), excused (boolean),
                    against ("permits[i]" or "applications[j]", objections only), note
    [[absences]]    departed (required), returned (date), note
    [options]       key = value pairs of :data:`timeline.options.OPTIONS`

End dates (DC-1)
-------------------------
In the model every end-like date (``Permit.end``, ``Application.valid_until``) is
*exclusive*: the first day without validity, which is the date printed on a Dutch residence
card as "geldig tot". A case file may instead use the *inclusive* convention (option
``end_date_convention = "inclusive"``, OQ-1): its ``permits[].end`` and
``applications[].valid_until`` are then the last valid day, and this module adds one day when
reading and subtracts it again when writing, so the model is always exclusive.

Errors
------
Every problem raises :class:`~timeline.errors.CaseError` naming the file (``source``), the
record (``"permits[2]"``, ``"relationship"``, ``""`` for the top level), the field and the
value, with a message that says what would be valid. Records are numbered from 0 in file
order. This module never warns: questionable but valid cases are for the engine to flag.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from .dates import MAX_DATE, MIN_DATE, parse_date
from .errors import CaseError, OptionError, show_value
from .model import (
    APPLICATION_KINDS,
    END_REASONS,
    NOTIFIERS,
    OUTCOMES,
    PLACES,
    PURPOSES,
    RELATIONSHIP_KINDS,
    SPONSOR_STATUSES,
    Absence,
    Application,
    Case,
    Notification,
    Permit,
    Person,
    Relationship,
    Sponsor,
)
from .options import OPTIONS, Options

__all__ = [
    "CASE_FIELDS",
    "RECORD_FIELDS",
    "case_from_dict",
    "case_to_dict",
    "dump_case",
    "load_case",
    "no_duplicates",
]

#: Every field of the case-file schema that holds a date (one place, used by tables and scenarios).
DATE_FIELDS = frozenset(
    {
        "as_of",
        "birth_date",
        "integration_passed",
        "permit_end",
        "cohabitation_start",
        "married",
        "separated",
        "divorced",
        "start",
        "end",
        "withdrawal_decided",
        "withdrawn_from",
        "received",
        "change_date",
        "decided",
        "valid_until",
        "conditions_met",
        "posted",
        "departed",
        "returned",
    }
)

#: Valid top-level fields of a case file, in the order :func:`case_to_dict` writes them.
CASE_FIELDS = (
    "id",
    "as_of",
    "description",
    "person",
    "sponsor",
    "relationship",
    "permits",
    "notifications",
    "applications",
    "absences",
    "options",
)

#: Valid fields of each table or array of tables.
RECORD_FIELDS: dict[str, tuple[str, ...]] = {
    "person": ("birth_date", "integration_passed", "turkish_national"),
    "sponsor": ("status", "permit_end"),
    "relationship": (
        "kind",
        "cohabitation_start",
        "cohabitation_place",
        "married",
        "separated",
        "divorced",
        "end_reason",
    ),
    "permits": ("purpose", "start", "end", "withdrawal_decided", "withdrawn_from", "note"),
    "notifications": ("by", "received", "change_date", "note"),
    "applications": (
        "kind",
        "received",
        "purpose",
        "outcome",
        "decided",
        "valid_until",
        "start",
        "conditions_met",
        "posted",
        "excused",
        "against",
        "note",
    ),
    "absences": ("departed", "returned", "note"),
}

_EXTENSIONS = (".toml", ".json")
_MARRIED_KINDS = ("marriage", "registered-partnership")
_ONE_DAY = timedelta(days=1)


# --------------------------------------------------------------------------- reading files


#: Limits that keep a hostile or broken file from stalling the tool; each is far above a
#: real case (a long history has tens of records and a file of a few kilobytes).
MAX_FILE_BYTES = 5_000_000  #: the size of a case file
MAX_RECORDS = 1_000  #: entries of one kind (permits, notifications, applications, absences)
MAX_TEXT = 10_000  #: characters of a text field (description, note, ...)
MAX_ID = 200  #: characters of the case id


def load_case(path: str | os.PathLike[str], *, options: Mapping[str, str] | None = None) -> Case:
    """Read and validate a case file.

    Parameters
    ----------
    path
        A ``.toml`` or ``.json`` file (the extension is not case-sensitive).
    options
        Option overrides (e.g. from the command line). They are merged over the file's
        ``[options]`` only to decide ``end_date_convention`` (OQ-1); they are not stored in
        the case.

    Returns
    -------
    Case
        The validated case; ``source`` is ``path`` as given and ``id`` defaults to the file
        name without its extension.

    Raises
    ------
    CaseError
        When the file is missing, a directory, unreadable, of an unknown type, not valid
        TOML/JSON (the message gives line and column), or when its content is not a valid
        case (see :func:`case_from_dict`).
    OptionError
        When ``options`` itself holds an unknown option or an invalid value.
    """
    source = os.fspath(path)
    if not isinstance(source, str):  # a bytes path
        source = os.fsdecode(source)

    def fail(message: str) -> CaseError:
        return CaseError(message, source=source)

    if not os.path.exists(source):
        raise fail("no such file; give the path of a case file ending in .toml or .json")
    if os.path.isdir(source):
        raise fail("is a directory, not a case file; give the path of a .toml or .json file")
    stem, ext = os.path.splitext(os.path.basename(source))
    ext = ext.lower()
    if ext not in _EXTENSIONS:
        shown = repr(ext) if ext else "no extension"
        raise fail(f"unknown file type ({shown}); a case file ends in .toml or .json")
    try:
        with open(source, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):  # a device such as /dev/zero, a pipe
                raise fail("is not a regular file; give the path of a .toml or .json file")
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as err:
        raise fail(f"cannot read the file: {err.strerror or err}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise fail(f"the file is larger than {MAX_FILE_BYTES:,} bytes; a case file is a few kilobytes")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise fail(f"the file is not valid UTF-8 text (byte {err.start}); save it as UTF-8") from None

    data = _parse_toml(text, fail) if ext == ".toml" else _parse_json(text, fail)
    if not isinstance(data, Mapping):
        raise fail(f"the top level must be an object of case fields ({', '.join(CASE_FIELDS)}), not {_kind(data)}")
    return case_from_dict(data, source, default_id=stem, options=options)


def _parse_toml(text: str, fail: Any) -> Any:
    import tomllib  # lazily: the CLI has a start-up time budget

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        message = str(err)
        # Python 3.11-3.13 put the position in the message: "Invalid value (at line 3, column 9)".
        if message.endswith(")") and " (at " in message:
            detail, where = message[:-1].rsplit(" (at ", 1)
            raise fail(f"invalid TOML at {where}: {detail}") from None
        raise fail(f"invalid TOML: {message}") from None
    except (ValueError, RecursionError) as err:
        raise fail(f"invalid TOML: {_unreadable(err)}") from None


def _unreadable(err: Exception) -> str:
    """What the parsers' other errors mean for a case file (no Python internals in the message)."""
    if isinstance(err, RecursionError):
        return "arrays or tables nested too deeply to read; a case file nests at most two levels"
    if "integer string conversion" in str(err):
        return "a number with too many digits to read (a case file writes dates as YYYY-MM-DD)"
    return str(err)


class _DuplicateKey(ValueError):
    pass


def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A ``json.loads`` ``object_pairs_hook`` that rejects a key given twice (a ``ValueError``)."""
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _parse_json(text: str, fail: Any) -> Any:
    import json  # lazily: the CLI has a start-up time budget

    try:
        return json.loads(text, object_pairs_hook=no_duplicates)
    except json.JSONDecodeError as err:
        raise fail(f"invalid JSON at line {err.lineno}, column {err.colno}: {err.msg}") from None
    except _DuplicateKey as err:
        raise fail(f"invalid JSON: the key {err.args[0]!r} appears twice in one object") from None
    except (ValueError, RecursionError) as err:
        raise fail(f"invalid JSON: {_unreadable(err)}") from None


# --------------------------------------------------------------------------- validation


def _kind(value: object) -> str:
    """Describe the type of a parsed TOML/JSON value for a message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, datetime):
        return "a date with a time"
    if isinstance(value, date):
        return "a date"
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, (list, tuple)):
        return "an array"
    return f"a {type(value).__name__}"


def _iso_shaped(text: str) -> bool:
    return (
        len(text) == 10
        and text[4] == "-"
        and text[7] == "-"
        and all(c in "0123456789" for c in text[:4] + text[5:7] + text[8:])
    )

# `date` inside _Table's body is its method; annotations there use this name for the type.
_date = date


class _Table:
    """One table of the case file being validated: gives typed fields or raises CaseError."""

    def __init__(self, data: Mapping[Any, Any], source: str, record: str, valid: tuple[str, ...]) -> None:
        self.data = data
        self.source = source
        self.record = record
        for key, value in data.items():
            if key not in valid:
                raise self.unknown_field(key, value, valid)

    def error(self, message: str, field: str = "", value: object = None, has_value: bool = True) -> CaseError:
        return CaseError(message, source=self.source, record=self.record, field=field, value=value, has_value=has_value)

    def unknown_field(self, key: object, value: object, valid: tuple[str, ...]) -> CaseError:
        import difflib  # only on the error path: keeps start-up fast

        name = str(key)
        close = difflib.get_close_matches(name, valid, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        where = f"in {self.record}" if self.record else "at the top level"
        # A misnamed table such as [[permit]] would print all its entries: name it only.
        scalar = not isinstance(value, (Mapping, list, tuple))
        return CaseError(
            f"unknown field {name!r} {where}.{hint} Valid fields: {', '.join(valid)}",
            source=self.source,
            record=self.record,
            field=name,
            value=value if scalar else None,
            has_value=scalar,
        )

    def raw(self, field: str, required: bool = False) -> Any:
        """The value as in the file; ``None`` when absent (a JSON ``null`` counts as absent)."""
        value = self.data.get(field)
        if value is None and required:
            if self.record:
                message = f"{field} is required in every entry of {self.record.split('[')[0]}"
            else:
                message = f"{field} is required at the top level of the case"
            raise self.error(message, field, has_value=False)
        return value

    def date(self, field: str, required: bool = False) -> date | None:
        value = self.raw(field, required)
        if value is None:
            return None
        return self.to_date(field, value)

    def to_date(self, field: str, value: Any) -> _date:
        d = self._to_date(field, value)
        if not MIN_DATE <= d <= MAX_DATE:
            raise self.error(f"is outside the supported range {MIN_DATE} to {MAX_DATE}", field, value)
        return d

    def _to_date(self, field: str, value: Any) -> _date:
        if isinstance(value, datetime):
            raise self.error(f"use a date without time, in the form YYYY-MM-DD (e.g. {value.date()})", field, value)
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            if len(value) > 10 and _iso_shaped(value[:10]) and value[10] in "Tt ":
                raise self.error(f"use a date without time, in the form YYYY-MM-DD (e.g. {value[:10]})", field, value)
            if not _iso_shaped(value):
                raise self.error("expected a date in the form YYYY-MM-DD, e.g. 2025-11-23", field, value)
            try:
                return parse_date(value)
            except ValueError:
                raise self.error(
                    "is not a real calendar date (check the day of the month); expected YYYY-MM-DD",
                    field,
                    value,
                ) from None
        raise self.error(f"expected a date in the form YYYY-MM-DD (e.g. 2025-11-23), not {_kind(value)}", field, value)

    def text(self, field: str, required: bool = False) -> str | None:
        value = self.raw(field, required)
        if value is not None and not isinstance(value, str):
            raise self.error(f"expected a string (text in quotes), not {_kind(value)}", field, value)
        if value is not None and len(value) > MAX_TEXT:
            raise self.error(f"is {len(value):,} characters long; at most {MAX_TEXT:,} are read", field, value)
        if value is not None and not _valid_unicode(value):
            raise self.error(
                "contains an unpaired surrogate (a \\uD800-\\uDFFF escape alone); write the character itself",
                field,
                value,
            )
        return value

    def flag(self, field: str) -> bool:
        value = self.raw(field)
        if value is None:
            return False
        if not isinstance(value, bool):
            raise self.error(f"expected true or false (a boolean without quotes), not {_kind(value)}", field, value)
        return value

    def choice(self, field: str, choices: Any, required: bool = False) -> str | None:
        value = self.text(field, required)
        if value is not None and value not in choices:
            raise self.error(f"unknown value; choose one of: {', '.join(choices)}", field, value)
        return value


def _section(data: Mapping[Any, Any], name: str, source: str) -> _Table | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise CaseError(
            f"must be a table ([{name}] in TOML, an object in JSON), not {_kind(value)}",
            source=source,
            record=name,
            value=value,
            has_value=True,
        )
    return _Table(value, source, name, RECORD_FIELDS[name])


def _entries(data: Mapping[Any, Any], name: str, source: str) -> list[_Table]:
    value = data.get(name)
    if value is None:
        return []
    if isinstance(value, Mapping) or not isinstance(value, (list, tuple)):
        raise CaseError(
            f"must be an array of tables ([[{name}]] in TOML, a list of objects in JSON), not {_kind(value)}",
            source=source,
            field=name,
            value=value,
            has_value=True,
        )
    if len(value) > MAX_RECORDS:
        raise CaseError(
            f"has {len(value):,} entries; at most {MAX_RECORDS:,} are read (a long history has tens)",
            source=source,
            field=name,
        )
    tables = []
    for i, item in enumerate(value):
        record = f"{name}[{i}]"
        if not isinstance(item, Mapping):
            raise CaseError(
                f"each entry of {name} must be a table ([[{name}]] in TOML, an object in JSON), not {_kind(item)}",
                source=source,
                record=record,
                value=item,
                has_value=True,
            )
        tables.append(_Table(item, source, record, RECORD_FIELDS[name]))
    return tables


def _option_pairs(data: Mapping[Any, Any], source: str) -> tuple[tuple[str, str], ...]:
    value = data.get("options")
    if value is None:
        return ()
    if not isinstance(value, Mapping):
        raise CaseError(
            f"must be a table of key = value pairs ([options] in TOML, an object in JSON), not {_kind(value)}",
            source=source,
            record="options",
            value=value,
            has_value=True,
        )
    pairs = []
    for key, raw in value.items():
        name = str(key)
        text: str | None
        if isinstance(raw, bool):
            text = "yes" if raw else "no"
        elif isinstance(raw, int):
            text = str(raw) if raw.bit_length() < 64 else None  # a longer number is no option value
        elif isinstance(raw, str):
            text = raw
        else:
            text = None
        try:
            if text is None and name in OPTIONS:
                choices = ", ".join(OPTIONS[name].choices)
                raise OptionError(f"an option value is a string, not {_kind(raw)}; choose one of: {choices}")
            Options([(name, "" if text is None else text)])
        except OptionError as err:
            raise CaseError(str(err), source=source, record="options", field=name, value=raw, has_value=True) from None
        assert text is not None
        pairs.append((name, text))
    return tuple(pairs)


def _end_from_file(table: _Table, field: str, inclusive: bool) -> date | None:
    """Read an end-like date and make it exclusive (DC-1, OQ-1)."""
    end = table.date(field)
    if end is None or not inclusive:
        return end
    if end == date.max:
        raise table.error("is too late to be an end date", field, table.raw(field))
    return end + _ONE_DAY


def _valid_unicode(text: str) -> bool:
    """Whether ``text`` can be written as UTF-8 (JSON's ``\\ud800`` escapes can give a lone surrogate)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def case_from_dict(
    data: Mapping[str, Any],
    source: str = "<case>",
    *,
    default_id: str | None = None,
    options: Mapping[str, str] | None = None,
) -> Case:
    """Validate parsed case-file data and build a :class:`~timeline.model.Case`.

    Parameters
    ----------
    data
        The parsed TOML/JSON top level (see the module docstring for the schema). Dates may
        be :class:`datetime.date` objects or ISO ``"YYYY-MM-DD"`` strings.
    source
        Name of the file, used in error messages and stored as ``Case.source``.
    default_id
        The case id when ``data`` has none (``load_case`` passes the file name).
    options
        Option overrides merged over ``data["options"]`` only to decide
        ``end_date_convention`` (OQ-1); not stored in the case.

    Returns
    -------
    Case
        With every end-like date exclusive (DC-1) and the file's options as ``(key, value)``
        string pairs in file order.

    Raises
    ------
    CaseError
        For the first problem found, naming ``source``, the record (``"permits[2]"``), the
        field and the value, and saying what would be valid.
    OptionError
        When ``options`` itself holds an unknown option or an invalid value.

    Examples
    --------
    >>> case = case_from_dict({"id": "a", "permits": [{"purpose": "work", "start": "2021-03-11"}]})
    >>> case.permits[0].start
    datetime.date(2021, 3, 11)
    >>> case_from_dict({"id": "a", "permit": []})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    timeline.errors.CaseError: <case>: permit: unknown field 'permit' at the top level. Did you ...
    """
    if not isinstance(data, Mapping):
        raise CaseError(f"a case must be a table of fields, not {_kind(data)}", source=source)
    top = _Table(data, source, "", CASE_FIELDS)

    case_id = top.text("id", required=default_id is None)
    if case_id is None:
        case_id = default_id
    assert case_id is not None
    if not case_id.strip():
        raise top.error("the case id must not be empty; give a short name such as 'smith-2025'", "id", case_id)
    if len(case_id) > MAX_ID:
        raise top.error(f"the case id is longer than {MAX_ID} characters; give a short name", "id", case_id)
    as_of = top.date("as_of")
    description = top.text("description") or ""

    option_pairs = _option_pairs(data, source)
    in_force = Options(option_pairs)
    if options:
        in_force = in_force.merged(options)
    inclusive = in_force.end_date_convention == "inclusive"

    person = _person(_section(data, "person", source))
    sponsor = _sponsor(_section(data, "sponsor", source))
    relationship = _relationship(_section(data, "relationship", source))
    began = relationship.start if relationship is not None else None
    permits = tuple(_permit(t, inclusive) for t in _entries(data, "permits", source))
    notifications = tuple(_notification(t, began) for t in _entries(data, "notifications", source))
    application_tables = _entries(data, "applications", source)
    counts = {"permits": len(permits), "applications": len(application_tables)}
    applications = tuple(_application(t, i, inclusive, counts) for i, t in enumerate(application_tables))
    absences = tuple(_absence(t) for t in _entries(data, "absences", source))

    return Case(
        id=case_id,
        person=person,
        sponsor=sponsor,
        relationship=relationship,
        permits=permits,
        notifications=notifications,
        applications=applications,
        absences=absences,
        options=option_pairs,
        as_of=as_of,
        description=description,
        source=source,
    )


def _person(t: _Table | None) -> Person:
    if t is None:
        return Person()
    return Person(
        birth_date=t.date("birth_date"),
        integration_passed=t.date("integration_passed"),
        turkish_national=t.flag("turkish_national"),
    )


def _sponsor(t: _Table | None) -> Sponsor:
    if t is None:
        return Sponsor()
    status = t.choice("status", SPONSOR_STATUSES) or "dutch"
    permit_end = t.date("permit_end")
    if permit_end is not None and status not in ("fixed-term", "temporary"):
        raise t.error(
            f"a sponsor's permit_end is only used when status is 'fixed-term' or 'temporary' "
            f"(status is {show_value(status)}); remove permit_end or set the status",
            "permit_end",
            t.raw("permit_end"),
        )
    return Sponsor(status=status, permit_end=permit_end)


def _relationship(t: _Table | None) -> Relationship | None:
    if t is None:
        return None
    kind = t.choice("kind", RELATIONSHIP_KINDS) or "marriage"
    rel = Relationship(
        kind=kind,
        cohabitation_start=t.date("cohabitation_start"),
        cohabitation_place=t.choice("cohabitation_place", PLACES) or "kingdom",
        married=t.date("married"),
        separated=t.date("separated"),
        divorced=t.date("divorced"),
        end_reason=t.choice("end_reason", END_REASONS),
    )
    for field in ("married", "divorced"):
        if getattr(rel, field) is not None and kind not in _MARRIED_KINDS:
            raise t.error(
                f"{field} needs kind 'marriage' or 'registered-partnership' (kind is {show_value(kind)}); "
                f"set the kind or remove {field}",
                field,
                t.raw(field),
            )
    if rel.divorced is not None and rel.married is not None and rel.divorced < rel.married:
        raise t.error(f"divorced must not be before married ({rel.married})", "divorced", t.raw("divorced"))
    began = rel.start
    if rel.separated is not None and began is not None and rel.separated < began:
        raise t.error(
            f"separated must not be before the relationship began on {began} "
            "(the earliest of cohabitation_start and married)",
            "separated",
            t.raw("separated"),
        )
    return rel


def _permit(t: _Table, inclusive: bool) -> Permit:
    purpose = t.choice("purpose", PURPOSES, required=True)
    start = t.date("start", required=True)
    assert purpose is not None and start is not None
    end = _end_from_file(t, "end", inclusive)
    if end is not None and end <= start:
        if inclusive:
            message = (
                f"the end (last valid day: end_date_convention is 'inclusive') must not be before the start {start}"
            )
        else:
            message = (
                f"the end must be after the start {start}: end is the first day without the permit "
                "('geldig tot', DC-1), so an end on or before the start leaves an empty permit"
            )
        raise t.error(message, "end", t.raw("end"))
    withdrawn_from = t.date("withdrawn_from")
    if withdrawn_from is not None:
        if withdrawn_from < start:
            raise t.error(
                f"withdrawn_from (the first day without the permit) must not be before the permit's start {start}",
                "withdrawn_from",
                t.raw("withdrawn_from"),
            )
        if end is not None and withdrawn_from > end:
            shown = end - _ONE_DAY if inclusive else end
            raise t.error(
                f"withdrawn_from must not be after the permit's end {shown}",
                "withdrawn_from",
                t.raw("withdrawn_from"),
            )
    withdrawal_decided = t.date("withdrawal_decided")
    if withdrawal_decided is not None and withdrawal_decided < start:
        raise t.error(
            f"a withdrawal cannot be decided before the permit's start {start}",
            "withdrawal_decided",
            t.raw("withdrawal_decided"),
        )
    return Permit(
        purpose=purpose,
        start=start,
        end=end,
        withdrawal_decided=withdrawal_decided,
        withdrawn_from=withdrawn_from,
        note=t.text("note") or "",
    )


def _notification(t: _Table, began: date | None) -> Notification:
    by = t.choice("by", NOTIFIERS, required=True)
    received = t.date("received", required=True)
    assert by is not None and received is not None
    change_date = t.date("change_date")
    if began is not None:
        for field, value in (("received", received), ("change_date", change_date)):
            if value is not None and value < began:
                raise t.error(
                    f"a report before the relationship began: the relationship began on {began} "
                    "(the earliest of cohabitation_start and married)",
                    field,
                    t.raw(field),
                )
    return Notification(by=by, received=received, change_date=change_date, note=t.text("note") or "")


def _application(t: _Table, index: int, inclusive: bool, counts: Mapping[str, int]) -> Application:
    kind = t.choice("kind", APPLICATION_KINDS, required=True)
    received = t.date("received", required=True)
    assert kind is not None and received is not None
    objection = kind == "objection"
    purpose = t.choice("purpose", PURPOSES)
    if objection:
        for field in ("purpose", "valid_until"):
            if t.raw(field) is not None:
                raise t.error(
                    f"an objection has no {field}: it asks to undo a decision; "
                    "record the permit it yields as an application or permit",
                    field,
                    t.raw(field),
                )
    outcome = t.choice("outcome", OUTCOMES) or "pending"
    decided = t.date("decided")
    if decided is not None and decided < received:
        raise t.error(f"decided must not be before received ({received})", "decided", t.raw("decided"))
    start = t.date("start")
    valid_until = _end_from_file(t, "valid_until", inclusive)
    if valid_until is not None:
        rule = "last valid day" if inclusive else "first day without the permit"
        relation = "on or after" if inclusive else "after"
        for field, value in (("start", start), ("received", received)):
            if value is not None and valid_until <= value:
                raise t.error(
                    f"valid_until ({rule}) must be {relation} {field} ({value})",
                    "valid_until",
                    t.raw("valid_until"),
                )
    conditions_met = t.date("conditions_met")
    if conditions_met is not None and conditions_met < received:
        raise t.error(
            f"conditions_met must not be before received ({received}); leave it out when the "
            "conditions were met on receipt",
            "conditions_met",
            t.raw("conditions_met"),
        )
    posted = t.date("posted")
    against = t.text("against")
    if not objection:
        for field, given in (("posted", posted), ("against", against)):
            if given is not None:
                raise t.error(
                    f"{field} is only for objections (kind = 'objection'; this is {show_value(kind)})",
                    field,
                    t.raw(field),
                )
    if against is not None:
        _check_against(t, against, index, counts)
    return Application(
        kind=kind,
        received=received,
        purpose=purpose,
        outcome=outcome,
        decided=decided,
        valid_until=valid_until,
        start=start,
        conditions_met=conditions_met,
        excused=t.flag("excused"),
        against=against,
        posted=posted,
        note=t.text("note") or "",
    )


def _check_against(t: _Table, against: str, index: int, counts: Mapping[str, int]) -> None:
    name, _, rest = against.partition("[")
    number = rest[:-1] if rest.endswith("]") else ""
    valid_form = name in counts and number != "" and all(c in "0123456789" for c in number) and len(number) < 10
    if not valid_form:
        raise t.error(
            "against names the decision objected to as 'permits[i]' (a withdrawal) or "
            "'applications[j]' (a refusal), counting entries from 0 in file order",
            "against",
            against,
        )
    i = int(number)
    if i >= counts[name]:
        have = counts[name]
        valid = f"{name}[0] to {name}[{have - 1}]" if have else f"none: the case has no {name}"
        raise t.error(f"there is no {name}[{i}]; valid: {valid}", "against", against)
    if name == "applications" and i == index:
        raise t.error("an objection cannot be against itself", "against", against)


def _absence(t: _Table) -> Absence:
    departed = t.date("departed", required=True)
    assert departed is not None
    returned = t.date("returned")
    if returned is not None and returned < departed:
        raise t.error(f"returned must not be before departed ({departed})", "returned", t.raw("returned"))
    return Absence(departed=departed, returned=returned, note=t.text("note") or "")


# --------------------------------------------------------------------------- writing


def _record_to_dict(record: Any, inclusive_fields: tuple[str, ...] = ()) -> dict[str, Any]:
    out: dict[str, Any] = {}
    defaults = record._field_defaults
    for name in record._fields:
        value = getattr(record, name)
        if name in defaults and (value is None or value == defaults[name]):
            continue
        if isinstance(value, date):
            if name in inclusive_fields:
                value = value - _ONE_DAY
            value = value.isoformat()
        out[name] = value
    return out


def case_to_dict(case: Case) -> dict[str, Any]:
    """Turn a case into case-file data: the inverse of :func:`case_from_dict`.

    Dates become ISO ``"YYYY-MM-DD"`` strings; fields that are ``None`` or hold their
    default are left out (``id`` is always kept), as are empty tables except a present
    ``relationship``. ``permits[].end`` and ``applications[].valid_until`` are written in
    the case's own ``end_date_convention`` (OQ-1), so
    ``case_from_dict(case_to_dict(c), c.source) == c``.

    Parameters
    ----------
    case
        The case to convert.

    Returns
    -------
    dict
        Plain data ready for ``json.dumps``, in schema order.
    """
    inclusive = dict(case.options).get("end_date_convention") == "inclusive"
    shifted = ("end", "valid_until") if inclusive else ()
    out: dict[str, Any] = {"id": case.id}
    if case.as_of is not None:
        out["as_of"] = case.as_of.isoformat()
    if case.description:
        out["description"] = case.description
    for name in ("person", "sponsor"):
        table = _record_to_dict(getattr(case, name))
        if table:
            out[name] = table
    if case.relationship is not None:
        out["relationship"] = _record_to_dict(case.relationship)
    for name in ("permits", "notifications", "applications", "absences"):
        records = getattr(case, name)
        if records:
            out[name] = [_record_to_dict(r, shifted) for r in records]
    if case.options:
        out["options"] = dict(case.options)
    return out


def dump_case(case: Case, path: str | os.PathLike[str]) -> None:
    """Write a case as a JSON case file (UTF-8, indented, in schema order).

    Parameters
    ----------
    case
        The case to write.
    path
        Target file; must end in ``.json`` (writing TOML is not supported).

    Raises
    ------
    CaseError
        When ``path`` does not end in ``.json`` or cannot be written.
    """
    import json  # lazily: the CLI has a start-up time budget

    target = os.fspath(path)
    if not isinstance(target, str):
        target = os.fsdecode(target)
    ext = os.path.splitext(target)[1].lower()
    if ext != ".json":
        raise CaseError(
            f"cannot write {ext or 'a file without extension'}: only .json is supported for writing case files",
            source=target,
        )
    text = json.dumps(case_to_dict(case), indent=2, ensure_ascii=False) + "\n"
    try:
        from .outputs import replacing

        with replacing(target) as tmp, open(tmp, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except OSError as err:
        raise CaseError(f"cannot write the file: {err.strerror or err}", source=target) from None
