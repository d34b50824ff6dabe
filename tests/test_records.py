"""Records named for people (issue 12): "partner permit of 11 March 2021", never
``permits[0]``, in the text output, action titles, calendar summaries and scenario titles
of every example, in English and Dutch; the JSON keeps the path beside the name.
"""

from __future__ import annotations

import json
import pickle
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import run

from timeline import assess, load_case
from timeline.cli import main
from timeline.ics import actions_ics
from timeline.presentation import action_title, assessment_text
from timeline.records import Record, RecordName, describe, name_records, record_name
from timeline.scenarios import comparison_text, scenarios

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))
PATH = re.compile(r"\b(permits|applications|notifications|absences)\[\d+\]")
#: A short history (one permit, its extension pending) and a case with every kind of record.
SHORT = {
    "permits": [{"purpose": "work", "start": "2025-01-10", "end": "2025-04-01"}],
    "applications": [{"kind": "extension", "purpose": "work", "received": "2025-03-03"}],
}


def _cases():
    for path in EXAMPLES:
        case = load_case(path)
        yield path.stem, case, assess(case)
    yield "short", None, run(SHORT, "2025-05-20")


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_no_record_path_in_text_titles_or_calendar(lang):
    for name, _, a in _cases():
        text = assessment_text(a, lang)
        assert not PATH.search(text), (name, PATH.search(text))
        for x in a.actions:
            assert not PATH.search(action_title(x, lang)), (name, x)
        ics = actions_ics(a.actions, case_id=a.id, as_of=a.as_of, lang=lang, statuses=None).decode()
        summaries = [line for line in ics.splitlines() if line.startswith("SUMMARY")]
        assert summaries and not any(PATH.search(s) for s in summaries), name


@pytest.mark.parametrize("lang", ["en", "nl"])
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_scenario_titles_of_every_example_name_records_in_words(example, lang):
    case = load_case(example)
    fields = {"permits": "start", "notifications": "change_date", "applications": "received", "absences": "departed"}
    table, field = next(((t, f) for t, f in fields.items() if getattr(case, t)), ("", "as_of"))
    path = f"{table}[0].{field}" if table else "as_of"
    value = getattr(getattr(case, table)[0], field) if table else case.as_of
    cmp = scenarios(case, [f"{path}={value.isoformat()}" if value else f"{path}=2025-01-01", "as_of=2026-12-01"])
    assert not PATH.search(comparison_text(cmp, lang))


def test_the_json_keeps_the_path_and_adds_the_name(tmp_path):
    r = CliRunner().invoke(main, ["assess", str(ROOT / "examples" / "domestic-violence.toml"), "--format", "json"])
    data = json.loads(r.output)
    first = data["residence"][0]
    assert (first["record"], first["name"]) == ("permits[0]", "partner permit of 12 September 2022")
    second = data["residence"][1]
    assert second["record"] == "applications[0]"
    assert second["name"] == "humanitarian (temporary) permit applied for on 20 February 2024"
    action = next(x for x in data["actions"] if x["key"] == "extension-last-timely-day")
    assert action["record"] == "applications[0]" and "applications[0]" not in action["title"]
    assert action["name"] == second["name"] and second["name"] in action["title"]
    assert all(not PATH.search(x["text"]) for x in data["explanations"])


def test_names_in_both_languages():
    case = load_case(ROOT / "examples" / "separation-reported-early.toml")
    assert record_name(case, "permits[0]") == "partner permit of 11 March 2021"
    assert (
        record_name(case, "permits[0]", "nl")
        == "verblijfsvergunning voor verblijf bij partner met ingang van 11 maart 2021"
    )
    assert record_name(case, "applications[0]") == "change-of-purpose application received 1 October 2025"
    assert record_name(case, "applications[0]", "nl") == "aanvraag wijziging verblijfsdoel van 1 oktober 2025"
    assert record_name(case, "notifications[0]") == "report by the sponsor received 10 July 2025"
    assert record_name(case, "notifications[0]", "nl") == "melding door de referent van 10 juli 2025"
    assert record_name(case, "relationship") == "the relationship"
    assert record_name(case, "permits[9]") is None and record_name(case, "naturalisation.standard") is None


def test_a_record_is_its_path_everywhere_a_str_is_used():
    case = load_case(ROOT / "examples" / "separation-reported-early.toml")
    r = name_records(case, ("permits[0]", {"x": ["applications[0]"]}, "other"))
    assert r[0] == "permits[0]" and isinstance(r[0], Record) and r[0].name == describe(case, "permits[0]")
    assert isinstance(r[1]["x"][0], Record) and not isinstance(r[2], Record)
    assert json.dumps(r[0]) == '"permits[0]"' and hash(r[0]) == hash("permits[0]")
    back = pickle.loads(pickle.dumps(r[0]))
    assert back == "permits[0]" and back.name == r[0].name
    assert RecordName("name-relationship").text("nl") == "de relatie"


def _texts(obj, key=""):
    """Every string a reader gets in the JSON form: the ``text``, ``title``, ``name``, ``what`` fields."""
    if isinstance(obj, dict):
        return [t for k, v in obj.items() for t in _texts(v, k)]
    if isinstance(obj, list):
        return [t for v in obj for t in _texts(v, key)]
    words = ("text", "title", "name", "what", "who_text", "status_text", "cause_text", "reason_text")
    return [obj] if isinstance(obj, str) and (key in words or key.endswith("_text") or key == "expected_if") else []


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_no_record_path_in_any_text_of_the_json(lang):
    for name, _, a in _cases():
        data = a.to_dict(lang)
        found = [t for t in _texts(data) if PATH.search(t)]
        assert not found, (name, found[:3])
        assert any(x.get("record") for x in data["residence"])  # the paths are still there, apart
