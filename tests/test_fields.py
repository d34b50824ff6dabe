"""One field definition, one set of checks (issue 15): the case reader and batch apply exactly
the fields and checks of :mod:`timeline.fields`.

- Every check of the definition, broken alone, is rejected by the case reader (naming the
  check and its field) and by batch (its vectorised validation flags that check, and the
  error row names the same record and field).
- Neither path checks anything else: batch flags a case exactly when the case reader rejects
  it (random valid and corrupted cases), and every check either path names is in the
  definition.
- The definition is the only source: a check taken out of it is gone from both paths.
"""

from __future__ import annotations

import copy
import re
from datetime import date, timedelta
from typing import Any

import pandas as pd
import pytest
from batch_strategies import batches
from budget import examples
from hypothesis import HealthCheck, given, settings

import timeline.batch
import timeline.io
from timeline import CaseError, case_from_dict
from timeline.batch import assess_table, flagged_by_checks
from timeline.fields import (
    AFTER,
    DERIVED,
    END,
    MAX_ID,
    MAX_TEXT,
    NEEDS,
    NOT_AFTER,
    NOT_BEFORE,
    ORDER_TESTS,
    RECORDS,
    REFERENCE_EXISTS,
    REFERENCE_FORM,
    REFERENCE_NOT_SELF,
    TYPE_CHECKS,
    Check,
    Field,
    Record,
    all_checks,
    check_id,
    field_checks,
)
from timeline.i18n import LANGS, lookup
from timeline.model import Absence, Application, Notification, Permit, Person, Relationship, Sponsor
from timeline.tables import TableError, cases_to_table, flatten_case

#: A valid value of every field (an objection's own fields are in OBJECTION).
VALID: dict[str, dict[str, Any]] = {
    "case": {"as_of": "2025-01-01", "description": "d"},
    "person": {"birth_date": "1990-01-01", "integration_passed": "2022-01-01", "turkish_national": False},
    "sponsor": {"status": "temporary", "permit_end": "2027-01-01"},
    "relationship": {
        "kind": "marriage",
        "cohabitation_start": "2019-09-01",
        "cohabitation_place": "abroad",
        "married": "2020-06-15",
        "separated": "2024-07-01",
        "divorced": "2024-09-20",
        "end_reason": "separation",
    },
    "permits": {
        "purpose": "partner",
        "start": "2021-03-11",
        "end": "2026-03-11",
        "withdrawal_decided": "2024-09-01",
        "withdrawn_from": "2024-07-01",
        "note": "n",
    },
    "notifications": {"by": "sponsor", "received": "2024-07-10", "change_date": "2024-07-01", "note": "n"},
    "applications": {
        "kind": "extension",
        "received": "2024-10-01",
        "purpose": "work",
        "outcome": "granted",
        "decided": "2024-12-15",
        "valid_until": "2029-10-01",
        "start": "2024-11-01",
        "conditions_met": "2024-10-20",
        "excused": True,
        "note": "n",
    },
    "absences": {"departed": "2023-12-20", "returned": "2024-06-20", "note": "n"},
}
OBJECTION = {"kind": "objection", "received": "2024-09-20", "posted": "2024-09-19", "against": "permits[0]"}
#: Checks a table cannot break; the case reader's tests (tests/test_io.py) cover them.
NOT_IN_A_TABLE = {
    "case.id.required": "every row of a table names its case (a row without one is an error of the table)",
    "case.id.type": "a table's numeric case ids are read as their text",
}
#: Values that break a field's own checks, by check name.
BREAK = {
    "range": "1899-12-31",
    "choice": "bogus",
    "blank": " \t",
}


def full_case() -> dict[str, Any]:
    """A valid case with every field of every record (and an objection) filled in."""
    data: dict[str, Any] = {"id": "full", **VALID["case"]}
    for name, record in RECORDS.items():
        if name == "case":
            continue
        values = dict(VALID[name])
        data[name] = [values] if record.many else values
    data["applications"].append(dict(OBJECTION))
    return data


def day(text: str, days: int) -> str:
    return (date.fromisoformat(text) + timedelta(days=days)).isoformat()


def record_of(data: dict[str, Any], record: Record) -> dict[str, Any]:
    if record.name == "case":
        return data
    value = data[record.name]
    return value[0] if record.many else value


def wrong_type(field: Field) -> Any:
    """A value of the wrong type for ``field`` (a JSON number for text, text for a boolean, ...)."""
    return {"date": "11-03-2021", "end": "11-03-2021", "bool": "maybe"}.get(field.type, 5)


def breaking_one_field_check(check: str) -> tuple[dict[str, Any], str, str]:
    """The full case with one field changed so that exactly ``check`` (``record.field.name``) fails."""
    record_name, field_name, name = check.split(".")
    record, field = RECORDS[record_name], RECORDS[record_name].field(field_name)
    data = full_case()
    target = record_of(data, record)
    if name == "required":
        del target[field_name]
    elif name == "type":
        target[field_name] = wrong_type(field)
    elif name == "length":
        target[field_name] = "x" * ((MAX_ID if field.type == "id" else MAX_TEXT) + 1)
    elif name == "unicode":
        target[field_name] = "a\ud800b"
    else:
        target[field_name] = BREAK[name]
    return data, record.name if not record.many else f"{record.name}[0]", field_name


def breaking_a_check(record: Record, check: Check, inclusive: bool) -> tuple[dict[str, Any], str]:
    """A case whose one record holds only its required fields and the check's, so that only ``check`` fails."""
    values = VALID[record.name]
    entry = {f.name: values[f.name] for f in record.fields if f.required}
    data: dict[str, Any] = {"id": "c"}
    if inclusive:
        data["options"] = {"end_date_convention": "inclusive"}
    index = 0
    if check.test in ORDER_TESTS:
        if check.other in DERIVED:
            owner, sources = DERIVED[check.other]
            data[owner] = {s: VALID[owner][s] for s in sources}
            other = min(VALID[owner][s] for s in sources)
        else:
            other = entry[check.other] = values[check.other]
            if inclusive and record.field(check.other).type == END:
                other = day(other, 1)  # the model's (exclusive) end
        shift = {AFTER: 0, NOT_BEFORE: -1, NOT_AFTER: 1}[check.test]
        mine = day(other, shift)
        if inclusive and record.field(check.field).type == END:
            mine = day(mine, -1)  # the file gives the last valid day
        entry[check.field] = mine
    elif check.test == NEEDS:
        choices = record.field(check.other).choices
        entry[check.other] = next(c for c in choices if c not in check.values)
        entry[check.field] = OBJECTION.get(check.field, values.get(check.field))
    else:
        entry["kind"] = "objection"
        data["permits"] = [{f: VALID["permits"][f] for f in ("purpose", "start")}]
        entry[check.field] = {
            REFERENCE_FORM: "permit[0]",
            REFERENCE_EXISTS: "permits[1]",
            REFERENCE_NOT_SELF: "applications[1]",
        }[check.test]
        index = 1 if check.test == REFERENCE_NOT_SELF else 0
    if record.many:
        data[record.name] = [dict(VALID[record.name])] * index + [entry]
        if record.name == "applications" and index:
            data[record.name][0] = {"kind": "first", "received": "2024-01-01"}
    else:
        data.setdefault(record.name, {}).update(entry)
    return data, f"{record.name}[{index}]" if record.many else record.name


def batch_table(data: dict[str, Any], record: str, field: str) -> pd.DataFrame:
    """The event table of one case; a value its column cannot hold (a number in a text column)
    is put in as it is, as a pandas column of mixed types holds it."""
    try:
        return cases_to_table([data])
    except TableError:
        pass
    clean = copy.deepcopy(data)
    target = clean if record == "case" else clean[record][0] if RECORDS[record].many else clean[record]
    value = target.pop(field)
    df = cases_to_table([clean]).astype(object)
    df.at[df.index[df["record"] == record][0], field] = value
    return df


def both_paths(data: dict[str, Any], check: str, record: str, field: str) -> None:
    """The case reader and batch each reject ``data`` for ``check``, naming ``record`` and ``field``."""
    options = data.get("options")
    with pytest.raises(CaseError) as caught:
        case_from_dict(data)
    err = caught.value
    assert (err.check, err.record, err.field) == (check, record, field), str(err)
    if check in NOT_IN_A_TABLE or check.endswith(".unicode"):
        return  # a table cannot hold it (Arrow text is valid UTF-8 by construction)
    table = batch_table(data, check.split(".")[0], field)
    trace, _ = flagged_by_checks(table, options)
    assert data["id"] in trace.get(check, set()), (check, trace)
    res, errors, _ = assess_table(table)
    assert res.empty
    assert errors[["case_id", "record", "field"]].values.tolist() == [[data["id"], record, field]]


# --------------------------------------------------------------------------- every check, both paths


def test_the_full_case_is_valid_for_both_paths():
    data = full_case()
    case_from_dict(data)
    trace, flagged = flagged_by_checks(cases_to_table([data]))
    assert (trace, flagged) == ({}, set())


FIELD_CHECKS = [c for r in RECORDS.values() for f in r.fields for c in field_checks(r, f)]
RECORD_CHECKS = [(r, c) for r in RECORDS.values() for c in r.checks]
RECORD_CHECK_IDS = [check_id(r.name, c.field, c.name) for r, c in RECORD_CHECKS]


def test_every_check_is_listed_once():
    ids = all_checks()
    assert len(ids) == len(set(ids))
    assert sorted(ids) == sorted(FIELD_CHECKS + RECORD_CHECK_IDS)


@pytest.mark.parametrize("check", FIELD_CHECKS)
def test_each_field_check_is_applied_by_both_paths(check):
    data, record, field = breaking_one_field_check(check)
    if record == "case":
        record = ""
    both_paths(data, check, record, field)


@pytest.mark.parametrize("inclusive", [False, True])
@pytest.mark.parametrize(("record", "check"), RECORD_CHECKS, ids=RECORD_CHECK_IDS)
def test_each_check_across_fields_is_applied_by_both_paths(record, check, inclusive):
    data, where = breaking_a_check(record, check, inclusive)
    both_paths(data, check_id(record.name, check.field, check.name), where, check.field)
    with pytest.raises(CaseError) as caught:
        case_from_dict(data)
    key = check.inclusive_message if inclusive and check.inclusive_message else check.message
    assert caught.value.reason.key == key  # the check's own text, from the catalogues
    for lang in LANGS:
        assert caught.value.reason.text(lang).startswith(lookup("error", key, lang).split("{")[0])


# --------------------------------------------------------------------------- nothing else is checked


@settings(max_examples=examples(60), deadline=None, suppress_health_check=list(HealthCheck))
@given(batches())
def test_batch_flags_exactly_the_cases_the_reader_rejects_and_for_the_same_check(cases):
    known = set(all_checks())
    table_cases = []
    for c in cases:
        try:
            flatten_case(c)
        except ValueError:
            continue
        table_cases.append(c)
    if not table_cases:
        return
    trace, flagged = flagged_by_checks(cases_to_table(table_cases))
    assert set(trace) <= known | {"options"}, set(trace) - known
    for c in table_cases:
        try:
            case_from_dict(c)
        except CaseError as err:
            assert c["id"] in flagged, err
            assert not err.check or err.check in known
            if err.check:
                assert c["id"] in trace.get(err.check, set()), (err.check, str(err))
            continue
        assert c["id"] not in flagged, {k: v for k, v in trace.items() if c["id"] in v}


def test_a_check_taken_out_of_the_definition_is_gone_from_both_paths(monkeypatch):
    record = RECORDS["sponsor"]
    check = record.checks[0]
    data = {"id": "x", "as_of": "2025-01-01", "sponsor": {"status": "dutch", "permit_end": "2027-01-01"}}
    data["permits"] = [{"purpose": "partner", "start": "2021-03-11"}]
    with pytest.raises(CaseError):
        case_from_dict(data)
    assert not assess_table(cases_to_table([data])).errors.empty
    kept = tuple(c for c in record.checks if c is not check)
    damaged = dict(RECORDS, sponsor=Record(record.name, record.many, record.description, record.fields, kept))
    monkeypatch.setattr(timeline.io, "RECORDS", damaged)
    monkeypatch.setattr(timeline.batch.validation, "DEFINITION", damaged)
    case_from_dict(data)  # the reader no longer checks it
    res, errors, _ = assess_table(cases_to_table([data]))
    assert errors.empty and len(res) == 1  # nor does batch


# --------------------------------------------------------------------------- the definition as data


MODELS = {
    "person": Person,
    "sponsor": Sponsor,
    "relationship": Relationship,
    "permits": Permit,
    "notifications": Notification,
    "applications": Application,
    "absences": Absence,
}


@pytest.mark.parametrize("name", list(MODELS))
def test_fields_are_the_model_fields_with_its_defaults(name):
    model, record = MODELS[name], RECORDS[name]
    assert set(record.names) == set(model._fields)
    for field in record.fields:
        if field.required:
            assert field.name not in model._field_defaults
        else:
            assert field.default == model._field_defaults[field.name], field.name


def test_the_definition_is_plain_data_a_schema_generator_can_read():
    placeholders = re.compile(r"\{(\w*)\}")
    rule = re.compile(r"^(DC-\d+|R\d+\.\d+|OQ-\d+[a-z]?)$")
    for record in RECORDS.values():
        assert record.description
        for field in record.fields:
            assert field.type in TYPE_CHECKS and field.description, field
            assert all(rule.match(r) for r in field.rules), field
            assert bool(field.choices) == (field.type == "choice"), field
            assert field.default is None or field.type != "choice" or field.default in field.choices
        for check in record.checks:
            assert check.field in record.names, check
            assert check.other in record.names or check.other in DERIVED or not check.other, check
            for key in filter(None, (check.message, check.inclusive_message)):
                for lang in LANGS:  # a key of the catalogues, its placeholders those _check fills
                    message = lookup("error", key, lang)
                    assert set(placeholders.findall(message)) <= {"field", "other", "target", "valid"}, check
            assert all(rule.match(r) for r in check.rules), check
            if check.test == NEEDS:
                assert set(check.values) <= set(record.field(check.other).choices), check
            assert check.test in (*ORDER_TESTS, NEEDS, REFERENCE_FORM, REFERENCE_EXISTS, REFERENCE_NOT_SELF)
