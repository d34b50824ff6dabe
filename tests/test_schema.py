"""The case-file JSON Schema (issue 14): generated from the reader's definition, shipped, and right.

- It is derived, not written: its properties are exactly the fields the reader accepts, and a
  field added to the definition appears in it; docs/case.schema.json is the generated text.
- It is a valid draft 2020-12 schema; every example, test case file and template validates.
- Invalid files fail it: unknown fields, wrong types, values outside the closed sets,
  missing required fields, badly formed dates and references, a field the kind does not allow.
"""

from __future__ import annotations

import copy
import json
import tomllib
from datetime import date, datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner
from test_fields import FIELD_CHECKS, RECORD_CHECK_IDS, RECORD_CHECKS, breaking_a_check, breaking_one_field_check

import timeline.schema
from timeline.cli import main
from timeline.fields import NEEDS, ORDER_TESTS, RECORDS, REFERENCE_FORM, Field, Record
from timeline.io import CASE_FIELDS, RECORD_FIELDS, case_from_dict
from timeline.options import OPTIONS
from timeline.schema import DATE_PATTERN, case_schema, schema_text

ROOT = Path(__file__).resolve().parents[1]
CASE_FILES = sorted(
    [
        *(ROOT / "examples").glob("*.toml"),
        *(ROOT / "tests" / "data").rglob("*.toml"),
        *(ROOT / "tests" / "data").rglob("*.json"),
        *(ROOT / "timeline" / "templates").glob("*.toml"),
    ]
)


def as_json(value: Any) -> Any:
    """TOML data as the reader sees it in JSON: a date as its ISO text (a datetime is never valid)."""
    if isinstance(value, datetime):
        raise AssertionError("a case file has no date with a time")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    return value


def read(path: Path) -> Any:
    if path.suffix == ".toml":
        return as_json(tomllib.loads(path.read_text(encoding="utf-8")))
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = case_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def errors(validator: jsonschema.Draft202012Validator, data: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]


# --------------------------------------------------------------------------- one source


def record_schema(name: str) -> dict[str, Any]:
    prop = case_schema()["properties"][name]
    return prop["items"] if prop.get("type") == "array" else prop


def test_the_properties_are_exactly_the_fields_the_reader_accepts() -> None:
    schema = case_schema()
    assert list(schema["properties"]) == list(CASE_FIELDS)
    for name, fields in RECORD_FIELDS.items():
        assert list(record_schema(name)["properties"]) == list(fields), name
        assert record_schema(name)["additionalProperties"] is False
    assert schema["additionalProperties"] is False
    assert list(schema["properties"]["options"]["properties"]) == list(OPTIONS)


def test_required_fields_are_the_reader_s_required_fields() -> None:
    for name, record in RECORDS.items():
        required = {f.name for f in record.fields if f.required}
        if name == "case":
            required -= {"id"}  # a file's name is its default id
            assert set(case_schema().get("required", [])) == required
        else:
            assert set(record_schema(name).get("required", [])) == required, name


def test_a_field_added_to_the_definition_is_in_the_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    record = RECORDS["absences"]
    extra = Field("reason", "choice", "Why the stay abroad.", ("R5.3",), choices=("work", "family"))
    grown = Record(record.name, record.many, record.description, (*record.fields, extra), record.checks)
    monkeypatch.setitem(timeline.schema.RECORDS, "absences", grown)
    prop = case_schema()["properties"]["absences"]["items"]["properties"]["reason"]
    assert prop["enum"] == ["work", "family"]
    assert "R5.3" in prop["description"]


def test_every_field_has_a_title_a_description_and_its_rule_ids() -> None:
    for name, record in RECORDS.items():
        props = case_schema()["properties"] if name == "case" else record_schema(name)["properties"]
        for field in record.fields:
            prop = props[field.name]
            assert prop["title"] and prop["description"].startswith(field.description)
            for rule in field.rules:
                assert rule in prop["description"], (name, field.name, rule)
            if field.choices:
                assert prop["enum"] == list(field.choices)
            if field.type in ("date", "end"):
                assert prop["format"] == "date" and prop["pattern"] == DATE_PATTERN
            if field.default is not None:
                assert prop["default"] == field.default
    for key, option in OPTIONS.items():
        prop = case_schema()["properties"]["options"]["properties"][key]
        assert option.question in prop["description"]
        assert set(option.choices) <= set(prop["enum"]) and prop["default"] == option.default


def test_the_committed_schema_is_the_generated_one() -> None:
    committed = (ROOT / "docs" / "case.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(), "docs/case.schema.json is stale: run timeline schema -o docs/case.schema.json"


def test_timeline_schema_prints_it_and_writes_it(tmp_path: Path) -> None:
    r = CliRunner().invoke(main, ["schema"])
    assert r.exit_code == 0 and r.output == schema_text()
    out = tmp_path / "case.schema.json"
    r = CliRunner().invoke(main, ["schema", "-o", str(out)])
    assert r.exit_code == 0 and out.read_text(encoding="utf-8") == schema_text()
    r = CliRunner().invoke(main, ["schema", "-o", str(tmp_path / "case.schema.txt")])
    assert r.exit_code == 1 and "use .json" in r.output


# --------------------------------------------------------------------------- valid files


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_example_and_test_case_file_validates(path: Path, validator: Any) -> None:
    data = read(path)
    case_from_dict(data, str(path), default_id=path.stem)  # the reader takes it too
    assert errors(validator, data) == []


def test_the_case_files_are_found() -> None:
    assert len([p for p in CASE_FILES if "examples" in p.parts]) >= 9
    assert any(p.suffix == ".json" for p in CASE_FILES)


def test_option_values_the_reader_takes_validate(validator: Any) -> None:
    data = {"options": {"late_extension_atw": True, "naturalisation_years": 10, "dv_route": "direct"}}
    case_from_dict(data, default_id="x")
    assert errors(validator, data) == []


# --------------------------------------------------------------------------- invalid files

VALID = {
    "id": "c",
    "sponsor": {"status": "fixed-term", "permit_end": "2027-01-01"},
    "relationship": {"kind": "marriage", "married": "2020-01-01"},
    "permits": [{"purpose": "partner", "start": "2021-01-01", "end": "2026-01-01"}],
    "applications": [
        {"kind": "extension", "received": "2025-11-01"},
        {"kind": "objection", "received": "2025-12-01", "against": "applications[0]", "posted": "2025-11-30"},
    ],
}

BROKEN = {
    "unknown top-level field": (lambda d: d.update(colour="red"), "colour"),
    "unknown field in a record": (lambda d: d["permits"][0].update(purpse="work"), "purpse"),
    "unknown option": (lambda d: d.update(options={"speed": "fast"}), "speed"),
    "option value": (lambda d: d.update(options={"dv_route": "sideways"}), "sideways"),
    "closed set": (lambda d: d["permits"][0].update(purpose="job"), "job"),
    "missing required": (lambda d: d["permits"][0].pop("start"), "start"),
    "date form": (lambda d: d["permits"][0].update(start="01-01-2021"), "01-01-2021"),
    "not a real date": (lambda d: d["permits"][0].update(start="2021-02-30"), "2021-02-30"),
    "boolean as text": (lambda d: d.update(person={"turkish_national": "no"}), "no"),
    "table for an array": (lambda d: d.update(permits={"purpose": "work"}), "permits"),
    "empty id": (lambda d: d.update(id=""), "id"),
    "reference form": (lambda d: d["applications"][1].update(against="permit[0]"), "permit[0]"),
    "needs a kind": (lambda d: d["applications"][0].update(posted="2025-11-01"), "objection"),
    "needs a status": (lambda d: d["sponsor"].update(status="dutch"), "status"),
    "needs a status given": (lambda d: d["sponsor"].pop("status"), "status"),
    "married when unmarried": (lambda d: d["relationship"].update(kind="unmarried"), "kind"),
}


def test_the_valid_base_case_validates(validator: Any) -> None:
    case_from_dict(VALID)
    assert errors(validator, VALID) == []


@pytest.mark.parametrize("name", BROKEN)
def test_invalid_files_fail_the_schema_and_the_reader(name: str, validator: Any) -> None:
    change, named = BROKEN[name]
    data = copy.deepcopy(VALID)
    change(data)
    found = errors(validator, data)
    assert found, name
    assert any(named in e for e in found), found
    with pytest.raises(Exception):  # noqa: B017 - the reader rejects it as well (CaseError)
        case_from_dict(data)


# --------------------------------------------------------------------------- the reader's checks

#: Field checks a JSON Schema cannot express: the supported range of dates (a string
#: pattern cannot compare dates) and lone surrogates in free text (JSON Schema sees code
#: points; in a closed set the enum rejects them anyway).
NOT_IN_A_SCHEMA = ("range", "unicode")
#: A case file's id defaults to its file name (load_case): required only of data without a file.
NOT_REQUIRED_IN_A_FILE = "case.id.required"


@pytest.mark.parametrize("check", FIELD_CHECKS)
def test_the_schema_rejects_what_each_field_check_rejects(check: str, validator: Any) -> None:
    data, _, field = breaking_one_field_check(check)
    record, _, name = check.split(".")
    if check == NOT_REQUIRED_IN_A_FILE:
        assert errors(validator, data) == []
    elif name in NOT_IN_A_SCHEMA and not RECORDS[record].field(field).choices:
        pytest.skip("beyond a JSON Schema; timeline check finds it")
    else:
        assert errors(validator, data), check


@pytest.mark.parametrize(("record", "check"), RECORD_CHECKS, ids=RECORD_CHECK_IDS)
def test_the_schema_rejects_the_needs_and_form_checks_and_describes_the_others(record, check, validator) -> None:
    data, _ = breaking_a_check(record, check, False)
    found = errors(validator, data)
    if check.test in (NEEDS, REFERENCE_FORM):
        assert found, check
    else:  # order and reference checks compare values: named in the description, found by `timeline check`
        assert found == [], found
        if check.test in ORDER_TESTS:
            assert "timeline check" in record_schema_of(record.name)["properties"][check.field]["description"]


def record_schema_of(name: str) -> dict[str, Any]:
    return case_schema() if name == "case" else record_schema(name)
