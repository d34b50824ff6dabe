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

Fields and checks
-----------------
The fields of every record (type, closed set, required, default) and the checks across
them ("end after start", ...) are defined once, in :mod:`timeline.fields`; this module
reads a case by that definition, and :mod:`timeline.batch` applies the same definition to
whole columns.

Errors
------
Every problem raises :class:`~timeline.errors.CaseError` naming the file (``source``), the
record (``"permits[2]"``, ``"relationship"``, ``""`` for the top level), the field and the
value, with a message that says what would be valid, and (``CaseError.check``) the check of
:mod:`timeline.fields` that failed. Records are numbered from 0 in file order. This module
never warns: questionable but valid cases are for the engine to flag.

:func:`case_problems` and :func:`file_problems` (``timeline check``) read the same way but
collect every problem instead of raising the first: the same checks, the same messages.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from .dates import MAX_DATE, MIN_DATE, parse_date
from .errors import CaseError, Message, Number, OptionError, kind_of, msg, show_value
from .fields import (
    AFTER,
    BOOL,
    CHOICE,
    DATE,
    DERIVED,
    END,
    ID,
    MAX_ID,
    MAX_RECORDS,
    MAX_TEXT,
    NEEDS,
    NOT_AFTER,
    NOT_BEFORE,
    ORDER_TESTS,
    RECORDS,
    REFERENCE_EXISTS,
    REFERENCE_FORM,
    TEXT,
    Check,
    Field,
    Record,
    check_id,
)
from .model import Absence, Application, Case, Notification, Permit, Person, Relationship, Sponsor
from .options import OPTIONS, Options

__all__ = [
    "CASE_FIELDS",
    "RECORD_FIELDS",
    "case_from_dict",
    "case_problems",
    "case_to_dict",
    "dump_case",
    "file_problems",
    "load_case",
    "no_duplicates",
    "parse_case_bytes",
]

#: Every field of the case-file schema that holds a date (one place, used by tables and scenarios).
DATE_FIELDS = frozenset(f.name for r in RECORDS.values() for f in r.fields if f.type in (DATE, END))

#: Valid top-level fields of a case file, in the order :func:`case_to_dict` writes them.
CASE_FIELDS = (*RECORDS["case"].names, *(name for name in RECORDS if name != "case"), "options")

#: Valid fields of each table or array of tables (:data:`timeline.fields.RECORDS`).
RECORD_FIELDS: dict[str, tuple[str, ...]] = {name: r.names for name, r in RECORDS.items() if name != "case"}

_EXTENSIONS = (".toml", ".json")
_ONE_DAY = timedelta(days=1)


# --------------------------------------------------------------------------- reading files


#: Limits that keep a hostile or broken file from stalling the tool; each is far above a
#: real case (a long history has tens of records and a file of a few kilobytes).
#: :data:`MAX_RECORDS`, :data:`MAX_TEXT` and :data:`MAX_ID` are in :mod:`timeline.fields`.
MAX_FILE_BYTES = 5_000_000  #: the size of a case file


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
    data, stem = _read_file(source)
    return case_from_dict(data, source, default_id=stem, options=options)


def file_problems(path: str | os.PathLike[str]) -> list[CaseError]:
    """Every problem of a case file, without assessing it (``timeline check``).

    A file that cannot be read or parsed has one problem (as :func:`load_case` raises
    it); otherwise :func:`case_problems` lists every problem of its content. An empty
    list means :func:`load_case` reads the file.
    """
    source = os.fspath(path)
    if not isinstance(source, str):
        source = os.fsdecode(source)
    try:
        data, stem = _read_file(source)
    except CaseError as err:
        return [err]
    return case_problems(data, source, default_id=stem)


def _read_file(source: str) -> tuple[Mapping[str, Any], str]:
    """The parsed top level of the case file ``source`` and its name without extension (the default id)."""

    def fail(message: Message) -> CaseError:
        return CaseError(message, source=source)

    if not os.path.exists(source):
        raise fail(msg("file-missing"))
    if os.path.isdir(source):
        raise fail(msg("file-directory"))
    stem, ext = os.path.splitext(os.path.basename(source))
    ext = ext.lower()
    if ext not in _EXTENSIONS:
        raise fail(msg("file-type", ext=repr(ext)) if ext else msg("file-no-extension"))
    try:
        with open(source, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):  # a device such as /dev/zero, a pipe
                raise fail(msg("file-not-regular"))
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as err:
        raise fail(msg("file-unreadable", reason=err.strerror or str(err))) from None
    if len(raw) > MAX_FILE_BYTES:
        raise fail(msg("file-too-large", limit=Number(MAX_FILE_BYTES)))
    return parse_case_bytes(raw, ext[1:], source), stem


def parse_case_bytes(raw: bytes, fmt: str, source: str) -> Mapping[str, Any]:
    """The top level of a case file's bytes (UTF-8, a BOM allowed) in ``fmt`` (``toml`` or
    ``json``): a :class:`CaseError` naming ``source`` for text that is not UTF-8, does not
    parse (with the line and column) or is not a table of fields. The file reader and
    standard input (:mod:`timeline.pipes`) both read through here."""

    def fail(message: Message) -> CaseError:
        return CaseError(message, source=source)

    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise fail(msg("file-not-utf8", byte=err.start)) from None
    data = _parse_toml(text, fail) if fmt == "toml" else _parse_json(text, fail)
    if not isinstance(data, Mapping):
        raise fail(msg("file-top-level", fields=CASE_FIELDS, kind=kind_of(data)))
    return data


def _parse_toml(text: str, fail: Any) -> Any:
    import tomllib  # lazily: the CLI has a start-up time budget

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        message = str(err)
        # Python 3.11-3.13 put the position in the message: "Invalid value (at line 3, column 9)".
        if message.endswith(")") and " (at " in message:
            detail, where = message[:-1].rsplit(" (at ", 1)
            line, _, column = where.removeprefix("line ").partition(", column ")
            if line.isdigit() and column.isdigit():
                raise fail(msg("toml-invalid-at", line=int(line), column=int(column), detail=detail)) from None
        raise fail(msg("toml-invalid", detail=message)) from None
    except (ValueError, RecursionError) as err:
        raise fail(msg("toml-invalid", detail=_unreadable(err))) from None


def _unreadable(err: Exception) -> str:
    """What the parsers' other errors mean for a case file (no Python internals in the message)."""
    if isinstance(err, RecursionError):
        return msg("nested-too-deeply")
    if "integer string conversion" in str(err):
        return msg("too-many-digits")
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
        raise fail(msg("json-invalid-at", line=err.lineno, column=err.colno, detail=err.msg)) from None
    except _DuplicateKey as err:
        raise fail(msg("json-duplicate-key", key=repr(err.args[0]))) from None
    except (ValueError, RecursionError) as err:
        raise fail(msg("json-invalid", detail=_unreadable(err))) from None


# --------------------------------------------------------------------------- validation


def _iso_shaped(text: str) -> bool:
    return (
        len(text) == 10
        and text[4] == "-"
        and text[7] == "-"
        and all(c in "0123456789" for c in text[:4] + text[5:7] + text[8:])
    )


def _keep(err: CaseError, problems: list[CaseError] | None) -> None:
    """Raise ``err`` (``problems`` is ``None``: the first problem stops the reading) or collect it.

    Raised, ``err`` must not stay a local of this frame (or of :meth:`_Table.keep`): its
    traceback holds the frame, the frame would hold ``err``, and that cycle keeps every
    frame up to the caller's ``except`` alive until the cyclic garbage collector runs. In
    batch the caller's frame holds a chunk's tables: measured, 1M cases from CSV peaked
    0.7-1.1 GB higher until these ``del``s."""
    if problems is None:
        try:
            raise err
        finally:
            del err
    problems.append(err)


# `date` inside _Table's body is its method; annotations there use this name for the type.
_date = date


class _Table:
    """One table of the case file being validated: gives typed fields or raises CaseError.

    ``kind`` is the record's name in :data:`timeline.fields.RECORDS` (``"case"`` for the
    top level); every error names the check that failed (``CaseError.check``).
    ``problems``: ``None`` raises the first problem; a list collects every problem
    (:meth:`keep`) and the reading goes on (:func:`case_problems`).
    """

    def __init__(
        self,
        data: Mapping[Any, Any],
        source: str,
        record: str,
        valid: tuple[str, ...],
        kind: str = "case",
        problems: list[CaseError] | None = None,
    ) -> None:
        self.data = data
        self.source = source
        self.record = record
        self.kind = kind
        self.problems = problems
        for key, value in data.items():
            if key not in valid:
                self.keep(self.unknown_field(key, value, valid))

    def keep(self, err: CaseError) -> None:
        """Raise ``err``, or add it to the problems when collecting them (see :func:`_keep`)."""
        try:
            _keep(err, self.problems)
        finally:
            del err

    def error(
        self, message: Message, field: str = "", value: object = None, has_value: bool = True, check: str = ""
    ) -> CaseError:
        return CaseError(
            message,
            source=self.source,
            record=self.record,
            field=field,
            value=value,
            has_value=has_value,
            check=check_id(self.kind, field, check) if check else "",
        )

    def unknown_field(self, key: object, value: object, valid: tuple[str, ...]) -> CaseError:
        import difflib  # only on the error path: keeps start-up fast

        name = str(key)
        close = difflib.get_close_matches(name, valid, n=1)
        where = msg("in-record", record=self.record) if self.record else msg("at-top-level")
        if close:
            message = msg("field-unknown-close", name=repr(name), where=where, close=repr(close[0]), valid=valid)
        else:
            message = msg("field-unknown", name=repr(name), where=where, valid=valid)
        # A misnamed table such as [[permit]] would print all its entries: name it only.
        scalar = not isinstance(value, (Mapping, list, tuple))
        return CaseError(
            message,
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
                message = msg("field-required", field=field, records=self.record.split("[")[0])
            else:
                message = msg("field-required-top", field=field)
            raise self.error(message, field, has_value=False, check="required")
        return value

    def value(self, field: Field) -> Any:
        """The field's value checked by its type (:data:`timeline.fields.TYPE_CHECKS`); ``None`` when absent."""
        name, kind = field.name, field.type
        if kind in (DATE, END):
            return self.date(name, field.required)
        if kind == CHOICE:
            return self.choice(name, field.choices, field.required)
        if kind == BOOL:
            return self.flag(name)
        assert kind in (TEXT, ID), kind
        return self.text(name, field.required)

    def date(self, field: str, required: bool = False) -> date | None:
        value = self.raw(field, required)
        if value is None:
            return None
        return self.to_date(field, value)

    def to_date(self, field: str, value: Any) -> _date:
        d = self._to_date(field, value)
        if not MIN_DATE <= d <= MAX_DATE:
            raise self.error(msg("date-range", first=str(MIN_DATE), last=str(MAX_DATE)), field, value, check="range")
        return d

    def _to_date(self, field: str, value: Any) -> _date:
        def wrong(message: Message) -> CaseError:
            return self.error(message, field, value, check="type")

        if isinstance(value, datetime):
            raise wrong(msg("date-with-time", example=value.date().isoformat()))
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            if len(value) > 10 and _iso_shaped(value[:10]) and value[10] in "Tt ":
                raise wrong(msg("date-with-time", example=value[:10]))
            if not _iso_shaped(value):
                raise wrong(msg("date-form"))
            try:
                return parse_date(value)
            except ValueError:
                raise wrong(msg("date-not-real")) from None
        raise wrong(msg("date-type", kind=kind_of(value)))

    def text(self, field: str, required: bool = False) -> str | None:
        value = self.raw(field, required)
        if value is not None and not isinstance(value, str):
            raise self.error(msg("text-type", kind=kind_of(value)), field, value, check="type")
        if value is not None and len(value) > MAX_TEXT:
            message = msg("text-length", length=Number(len(value)), limit=Number(MAX_TEXT))
            raise self.error(message, field, value, check="length")
        if value is not None and not _valid_unicode(value):
            raise self.error(msg("text-surrogate"), field, value, check="unicode")
        return value

    def ident(self, field: str, default: str | None) -> str:
        """The case id: text, ``default`` when absent, not blank, at most :data:`MAX_ID` characters."""
        value = self.text(field, required=default is None)
        if value is None:
            assert default is not None
            value = default
        if not value.strip():
            raise self.error(msg("id-blank"), field, value, check="blank")
        if len(value) > MAX_ID:
            raise self.error(msg("id-length", limit=MAX_ID), field, value, check="length")
        return value

    def flag(self, field: str) -> bool:
        value = self.raw(field)
        if value is None:
            return False
        if not isinstance(value, bool):
            raise self.error(msg("bool-type", kind=kind_of(value)), field, value, check="type")
        return value

    def choice(self, field: str, choices: Any, required: bool = False) -> str | None:
        value = self.text(field, required)
        if value is not None and value not in choices:
            raise self.error(msg("choice-unknown", choices=tuple(choices)), field, value, check="choice")
        return value


def _section(data: Mapping[Any, Any], name: str, source: str, problems: list[CaseError] | None = None) -> _Table | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, Mapping):
        _keep(
            CaseError(
                msg("section-not-table", name=name, kind=kind_of(value)),
                source=source,
                record=name,
                value=value,
                has_value=True,
            ),
            problems,
        )
        return None
    return _Table(value, source, name, RECORD_FIELDS[name], name, problems)


def _entries(
    data: Mapping[Any, Any], name: str, source: str, problems: list[CaseError] | None = None
) -> list[_Table | None]:
    """The entries of the array of tables ``name``; ``None`` for an entry that is no table
    (only when collecting ``problems``: otherwise it raises), so entries keep their index."""
    value = data.get(name)
    if value is None:
        return []
    if isinstance(value, Mapping) or not isinstance(value, (list, tuple)):
        _keep(
            CaseError(
                msg("entries-not-array", name=name, kind=kind_of(value)),
                source=source,
                field=name,
                value=value,
                has_value=True,
            ),
            problems,
        )
        return []
    if len(value) > MAX_RECORDS:
        _keep(
            CaseError(
                msg("entries-too-many", count=Number(len(value)), limit=Number(MAX_RECORDS)),
                source=source,
                field=name,
            ),
            problems,
        )
        return []
    tables: list[_Table | None] = []
    for i, item in enumerate(value):
        record = f"{name}[{i}]"
        if not isinstance(item, Mapping):
            message = msg("entry-not-table", name=name, kind=kind_of(item))
            _keep(CaseError(message, source=source, record=record, value=item, has_value=True), problems)
            tables.append(None)
            continue
        tables.append(_Table(item, source, record, RECORD_FIELDS[name], name, problems))
    return tables


def _option_pairs(
    data: Mapping[Any, Any], source: str, problems: list[CaseError] | None = None
) -> tuple[tuple[str, str], ...]:
    """The ``[options]`` as ``(key, value)`` text pairs; with ``problems``, the valid ones (the rest collected)."""
    value = data.get("options")
    if value is None:
        return ()
    if not isinstance(value, Mapping):
        message = msg("options-not-table", kind=kind_of(value))
        _keep(CaseError(message, source=source, record="options", value=value, has_value=True), problems)
        return ()
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
                raise OptionError(msg("option-value-type", kind=kind_of(raw), choices=OPTIONS[name].choices))
            Options([(name, "" if text is None else text)])
        except OptionError as err:
            _keep(
                CaseError(err.message, source=source, record="options", field=name, value=raw, has_value=True), problems
            )
            continue
        assert text is not None
        pairs.append((name, text))
    return tuple(pairs)


def _valid_unicode(text: str) -> bool:
    """Whether ``text`` can be written as UTF-8 (JSON's ``\\ud800`` escapes can give a lone surrogate)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _read(
    t: _Table,
    record: Record,
    context: dict[str, Any],
    *,
    inclusive: bool = False,
    index: int = 0,
    counts: Mapping[str, int] | None = None,
    skip: tuple[str, ...] = (),
) -> dict[str, Any]:
    """The values of one record of :data:`timeline.fields.RECORDS`, every field and check applied.

    Fields are read in definition order, each checked by its type; then the record's
    checks run in definition order. End-like dates become exclusive (DC-1, OQ-1). Absent
    fields get their default. ``context`` receives the record's :data:`~timeline.fields.DERIVED`
    values and gives those of earlier records (``began``); ``index`` is the record's
    position and ``counts`` the number of entries of each kind (for references).
    When ``t`` collects its problems, a field that fails its own checks reads as absent
    and the record's checks that involve it are skipped (they would only repeat it); a
    field that fails a check across fields is not checked again (one problem per field).
    """
    written: dict[str, Any] = {}
    values: dict[str, Any] = {}
    failed: set[str] = set()
    given = t.data
    for field in record.fields:
        name = field.name
        if given.get(name) is None and not field.required:  # absent: nothing to check
            written[name] = None
            values[name] = field.default
            continue
        if name in skip:
            continue
        try:
            value = written[name] = t.value(field)
        except CaseError as err:
            t.keep(err)  # raises unless collecting
            failed.add(name)
            written[name], values[name] = None, field.default
            continue
        if field.type == END and inclusive and value is not None:
            value = value + _ONE_DAY  # the file gives the last valid day (OQ-1)
        values[name] = field.default if value is None else value
    for name, (owner, sources) in DERIVED.items():
        if owner == record.name:
            known = [values[s] for s in sources if values[s] is not None]
            context[name] = min(known) if known else None
    for check in record.checks:
        if written.get(check.field) is not None and not failed & {check.field, check.other}:
            try:
                _check(t, record, check, values, written, context, inclusive, index, counts or {})
            except CaseError as err:
                t.keep(err)
                failed.add(check.field)  # one problem per field
    return values


def _check(
    t: _Table,
    record: Record,
    check: Check,
    values: Mapping[str, Any],
    written: Mapping[str, Any],
    context: Mapping[str, Any],
    inclusive: bool,
    index: int,
    counts: Mapping[str, int],
) -> None:
    """Apply one check of :mod:`timeline.fields` to a record whose ``check.field`` is present."""
    mine = values[check.field]
    shown: Any = None
    fill: dict[str, Any] = {}
    if check.test in ORDER_TESTS:
        other = values[check.other] if check.other in values else context.get(check.other)
        if other is None:
            return
        shown = written.get(check.other, other)  # a date as the file gives it (OQ-1)
        if check.test == AFTER:
            failed = mine <= other
        elif check.test == NOT_BEFORE:
            failed = mine < other
        else:
            assert check.test == NOT_AFTER
            failed = mine > other
    elif check.test == NEEDS:
        failed = values[check.other] not in check.values
        shown = show_value(values[check.other]) if failed else None
    else:
        name, _, rest = mine.partition("[")
        number = rest[:-1] if rest.endswith("]") else ""
        well_formed = name in check.values and number != "" and all(c in "0123456789" for c in number)
        well_formed = well_formed and len(number) < 10
        if check.test == REFERENCE_FORM:
            failed = not well_formed
        elif not well_formed:
            return  # the form check comes first and says why
        elif check.test == REFERENCE_EXISTS:
            i, have = int(number), counts[name]
            failed = i >= have
            fill["target"] = f"{name}[{i}]"
            fill["valid"] = (
                msg("reference-valid", name=name, last=have - 1) if have else msg("reference-none", name=name)
            )
        else:
            failed = name == record.name and int(number) == index
    if failed:
        message = check.inclusive_message if inclusive and check.inclusive_message else check.message
        text = msg(message, field=check.field, other=shown, **fill)
        raise t.error(text, check.field, t.raw(check.field), check=check.name)


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
    return _build(data, source, default_id, options, None)


def case_problems(data: Mapping[str, Any], source: str = "<case>", *, default_id: str | None = None) -> list[CaseError]:
    """Every problem of parsed case-file data, in reading order; empty when it is a valid case.

    The same reading as :func:`case_from_dict` (the same fields and checks of
    :mod:`timeline.fields`, the same messages), but it goes on after a problem: every
    unknown field, every field that fails its own checks (it then reads as absent, and
    the checks across fields that involve it are skipped), every failed check across
    fields (at most one problem per field), every invalid option. The first problem is the one :func:`case_from_dict`
    raises.

    >>> [p.path for p in case_problems({"id": "a", "permits": [{"purpose": "job", "end": "2024-13-01"}]})]
    ['permits[0].purpose', 'permits[0].start', 'permits[0].end']
    """
    problems: list[CaseError] = []
    _build(data, source, default_id, None, problems)
    return problems


def _build(
    data: Mapping[str, Any],
    source: str,
    default_id: str | None,
    options: Mapping[str, str] | None,
    problems: list[CaseError] | None,
) -> Case:
    """Read ``data`` into a case; ``problems``: ``None`` raises the first problem, a list collects them all."""
    if not isinstance(data, Mapping):
        _keep(CaseError(msg("case-not-table", kind=kind_of(data)), source=source), problems)
        data = {}
    top = _Table(data, source, "", CASE_FIELDS, problems=problems)
    try:
        case_id = top.ident("id", default_id)
    except CaseError as err:
        top.keep(err)
        case_id = default_id or ""
    context: dict[str, Any] = {}
    top_values = _read(top, RECORDS["case"], context, skip=("id",))

    option_pairs = _option_pairs(data, source, problems)
    in_force = Options(option_pairs)
    if options:
        in_force = in_force.merged(options)
    inclusive = in_force.end_date_convention == "inclusive"
    counts: dict[str, int] = {}

    def single(name: str) -> dict[str, Any] | None:
        t = _section(data, name, source, problems)
        return None if t is None else _read(t, RECORDS[name], context)

    def entries(name: str) -> list[dict[str, Any]]:
        tables = _entries(data, name, source, problems)
        counts[name] = len(tables)
        record, known = RECORDS[name], dict(counts)
        return [
            _read(t, record, context, inclusive=inclusive, index=i, counts=known)
            for i, t in enumerate(tables)
            if t is not None
        ]

    person, sponsor, relationship = single("person"), single("sponsor"), single("relationship")
    permits, notifications = entries("permits"), entries("notifications")
    applications, absences = entries("applications"), entries("absences")
    return Case(
        id=case_id,
        person=Person() if person is None else Person(**person),
        sponsor=Sponsor() if sponsor is None else Sponsor(**sponsor),
        relationship=None if relationship is None else Relationship(**relationship),
        permits=tuple(Permit(**p) for p in permits),
        notifications=tuple(Notification(**n) for n in notifications),
        applications=tuple(Application(**a) for a in applications),
        absences=tuple(Absence(**a) for a in absences),
        options=option_pairs,
        as_of=top_values["as_of"],
        description=top_values["description"],
        source=source,
    )


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
        raise CaseError(msg("write-extension", ext=ext) if ext else msg("write-no-extension"), source=target)
    text = json.dumps(case_to_dict(case), indent=2, ensure_ascii=False) + "\n"
    try:
        from .outputs import replacing

        with replacing(target) as tmp, open(tmp, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except OSError as err:
        raise CaseError(msg("write-failed", reason=err.strerror or str(err)), source=target) from None
