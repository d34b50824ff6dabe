"""``timeline check`` and the collecting reader (issue 14): every problem of every file.

- The collecting reader (:func:`timeline.io.case_problems`) finds, for every check of the
  definition broken alone, exactly the error the case reader raises (same text, same check):
  it applies the same rules, not a copy of them.
- With many problems in one case it lists each (not only the first), in reading order, and
  a field that fails its own check does not also fail the checks across fields.
- The command prints one line per problem per file, exits 1 when there is any and 0 with
  "N case files OK" otherwise; ``--format json`` gives {file, record, field, value, message}.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_fields import FIELD_CHECKS, RECORD_CHECK_IDS, RECORD_CHECKS, breaking_a_check, breaking_one_field_check

from timeline.checking import check_files, problem_dict
from timeline.cli import main
from timeline.errors import SHOW_LIMIT, CaseError
from timeline.io import case_from_dict, case_problems, file_problems

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))


def first_error(data: dict, source: str = "<case>") -> CaseError:
    with pytest.raises(CaseError) as caught:
        case_from_dict(data, source)
    return caught.value


@pytest.mark.parametrize("check", FIELD_CHECKS)
def test_each_field_check_alone_is_the_one_problem_the_reader_raises(check: str) -> None:
    data, _, _ = breaking_one_field_check(check)
    err = first_error(data)
    problems = case_problems(data)
    assert [(str(p), p.check) for p in problems] == [(str(err), err.check)]


@pytest.mark.parametrize("inclusive", [False, True])
@pytest.mark.parametrize(("record", "check"), RECORD_CHECKS, ids=RECORD_CHECK_IDS)
def test_each_check_across_fields_alone_is_the_one_problem(record, check, inclusive) -> None:
    data, _ = breaking_a_check(record, check, inclusive)
    err = first_error(data)
    assert [(str(p), p.check) for p in case_problems(data)] == [(str(err), err.check)]


def test_a_valid_case_has_no_problems() -> None:
    for path in EXAMPLES:
        assert file_problems(path) == [], path


MANY = {
    "id": " ",
    "as_of": "2025-13-01",
    "colour": "red",
    "person": {"birth_date": "1990-02-30", "turkish_national": "no"},
    "sponsor": {"permit_end": "2027-01-01"},
    "relationship": "married",
    "permits": [
        {"purpose": "job", "end": "2020-01-01"},
        "not a table",
        {"purpose": "partner", "start": "2022-01-01", "end": "2021-01-01"},
        {"purpose": "partner", "start": "2022-01-01", "end": "2023-01-01", "withdrawn_from": "2021-12-31"},
    ],
    "applications": [{"kind": "objection", "received": "2022-02-01", "against": "permits[7]"}],
    "options": {"dv_route": "sideways", "speed": "fast", "end_date_convention": "exclusive"},
}


def test_every_problem_of_a_case_is_listed_in_reading_order() -> None:
    problems = case_problems(MANY, "many.json")
    assert [(p.path, p.check) for p in problems] == [
        ("colour", ""),
        ("id", "case.id.blank"),
        ("as_of", "case.as_of.type"),
        ("options.dv_route", ""),
        ("options.speed", ""),
        ("person.birth_date", "person.birth_date.type"),
        ("person.turkish_national", "person.turkish_national.type"),
        ("sponsor.permit_end", "sponsor.permit_end.only-with-an-ending-status"),
        ("relationship", ""),
        ("permits[1]", ""),  # the entries' form first, as the reader checks it
        ("permits[0].purpose", "permits.purpose.choice"),
        ("permits[0].start", "permits.start.required"),
        ("permits[2].end", "permits.end.after-start"),
        ("permits[3].withdrawn_from", "permits.withdrawn_from.not-before-start"),
        ("applications[0].against", "applications.against.exists"),
    ]
    assert all(p.source == "many.json" for p in problems)
    assert str(problems[0]) == str(first_error(MANY, "many.json"))  # the first is the one the reader raises
    assert "valid: permits[0] to permits[3]" in str(problems[-1])  # the entry that is no table still counts


def test_a_field_that_fails_its_own_check_is_not_also_compared() -> None:
    data = {"id": "c", "permits": [{"purpose": "work", "start": "2022-02-30", "end": "2021-01-01"}]}
    assert [p.check for p in case_problems(data)] == ["permits.start.type"]


def test_one_problem_per_field() -> None:
    entry = {"kind": "first", "received": "2024-01-01", "start": "2024-02-01", "valid_until": "2023-01-01"}
    data = {"id": "c", "applications": [entry]}
    assert [p.check for p in case_problems(data)] == ["applications.valid_until.after-start"]


def test_the_reader_still_stops_at_the_first_problem() -> None:
    data = copy.deepcopy(MANY)
    err = first_error(data)
    assert err.field == "colour"


# --------------------------------------------------------------------------- the command


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    good = tmp_path / "good.toml"
    good.write_text((ROOT / "examples" / "domestic-violence.toml").read_text(encoding="utf-8"), encoding="utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(MANY), encoding="utf-8")
    broken = tmp_path / "broken.toml"
    broken.write_text("id = \n", encoding="utf-8")
    long = tmp_path / "long.json"
    long.write_text(json.dumps({"id": "x", "description": 5, "as_of": "y" * 500}), encoding="utf-8")
    return {"good": good, "bad": bad, "broken": broken, "long": long, "missing": tmp_path / "missing.toml"}


def test_check_prints_every_problem_of_every_file(files: dict[str, Path]) -> None:
    paths = [str(files[k]) for k in ("good", "bad", "broken", "long", "missing")]
    r = CliRunner().invoke(main, ["check", *paths])
    assert r.exit_code == 1
    lines = r.stdout.splitlines()
    expected = check_files(paths)
    assert lines == [str(p) for errors in expected.values() for p in errors]
    assert sum(line.startswith(str(files["bad"])) for line in lines) == 15
    assert f"{files['broken']}: invalid TOML at line 1" in r.stdout
    assert f"{files['missing']}: no such file" in r.stdout
    assert not any(line.startswith(str(files["good"])) for line in lines)
    assert "19 problems in 4 of 5 case files" in r.stderr
    assert "…" in next(line for line in lines if "as_of" in line and str(files["long"]) in line)


def test_check_json_lists_file_record_field_value_message(files: dict[str, Path]) -> None:
    r = CliRunner().invoke(main, ["check", "--format", "json", str(files["bad"]), str(files["good"])])
    assert r.exit_code == 1
    items = json.loads(r.stdout)
    assert items == [problem_dict(p) for p in file_problems(files["bad"])]
    first = next(i for i in items if i["record"] == "permits[0]")
    assert first == {
        "file": str(files["bad"]),
        "record": "permits[0]",
        "field": "purpose",
        "value": '"job"',
        "message": first["message"],
        "check": "permits.purpose.choice",
    }
    assert first["message"].startswith("unknown value; choose one of: partner, work")
    assert items[items.index(first) + 1]["value"] is None  # a missing field (start) has no value
    long = json.loads(CliRunner().invoke(main, ["check", "--format", "json", str(files["long"])]).stdout)
    as_of = next(i for i in long if i["field"] == "as_of")
    assert len(as_of["value"]) == SHOW_LIMIT and as_of["value"].endswith("…")


def test_check_of_valid_files_exits_0_with_one_line(files: dict[str, Path]) -> None:
    paths = [str(p) for p in EXAMPLES]
    r = CliRunner().invoke(main, ["check", *paths])
    assert r.exit_code == 0, r.output
    assert r.stdout == ""
    assert r.stderr == f"{len(paths)} case files OK\n"
    r = CliRunner().invoke(main, ["check", "--format", "json", str(files["good"])])
    assert (r.exit_code, json.loads(r.stdout), r.stderr) == (0, [], "1 case file OK\n")


def test_check_needs_a_file() -> None:
    assert CliRunner().invoke(main, ["check"]).exit_code == 2


def test_check_a_folder_checks_its_case_files(tmp_path: Path) -> None:
    for path in EXAMPLES[:3]:
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a case", encoding="utf-8")
    (tmp_path / "sub.toml").mkdir()
    r = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert (r.exit_code, r.stderr) == (0, "3 case files OK\n")
    (tmp_path / "bad.json").write_text('{"id": "x", "colour": 1}', encoding="utf-8")
    r = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert r.exit_code == 1 and r.stdout.startswith(f"{tmp_path / 'bad.json'}: colour = 1: unknown field")


def test_check_reads_a_case_from_standard_input() -> None:
    """Issue 14: `-` is standard input for `check` too, with every problem named after <stdin>."""
    bad = 'id = "x"\n[[permits]]\npurpose = "wrk"\nstart = 2024-01-01\nend = 2023-01-01\n'
    r = CliRunner().invoke(main, ["check", "-"], input=bad)
    assert r.exit_code == 1
    lines = [line for line in r.output.splitlines() if line.startswith("<stdin>:")]
    assert [line.split(" = ")[0] for line in lines] == ["<stdin>: permits[0].purpose", "<stdin>: permits[0].end"]
    good = (Path(__file__).resolve().parents[1] / "examples" / "separation-reported-early.toml").read_text()
    ok = CliRunner().invoke(main, ["check", "-", "--format", "json"], input=good)
    assert ok.exit_code == 0 and json.loads(ok.stdout) == []
    broken = CliRunner().invoke(main, ["check", "-"], input="id = \n")
    assert broken.exit_code == 1 and "<stdin>" in broken.output and "invalid TOML" in broken.output
