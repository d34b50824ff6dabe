"""Certainty (issue 12): every date is recorded, computed or expected, decided once
(timeline.certainty) and carried by the library, the JSON form and the text.

The cases are chosen on both sides of the line: a withdrawal the IND has not decided
(expected) and the same once decided (computed) or dated in the case file (recorded); a
deadline (computed); an eligibility date the permit on record reaches (computed) or does
not reach (expected until the permit is extended).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import D, run

from timeline import assess, load_case
from timeline.certainty import COMPUTED, EXPECTED, LEVELS, RECORDED, Certainty
from timeline.cli import main
from timeline.now_next import now_and_next_lines
from timeline.presentation import assessment_text

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))
PARTNER = {"purpose": "partner", "start": "2021-03-11", "end": "2026-03-11"}
MARRIED = {"kind": "marriage", "cohabitation_start": "2020-06-15", "cohabitation_place": "abroad",
           "married": "2020-06-15"}  # fmt: skip
#: Separated 13 days before as_of, not reported, no IND decision (the issue's example).
SEPARATED = {
    "sponsor": {"status": "dutch"},
    "relationship": {**MARRIED, "separated": "2025-11-10"},
    "permits": [PARTNER],
}
AS_OF = "2025-11-23"


def level(a, path):
    return a.certainty[path].level


def test_an_undecided_withdrawal_is_expected_and_so_is_its_gap():
    a = run(SEPARATED, AS_OF)
    assert a.residence[0].withdrawn_from == D("2025-11-10") and a.gaps[0].start == D("2025-11-10")
    c = a.certainty["residence[0].withdrawn_from"]
    assert c == Certainty(EXPECTED, "withdrawal-separation", "permits[0]")
    assert level(a, "residence[0].end") == level(a, "gaps[0].start") == EXPECTED
    assert level(a, "now_and_next.status.since") == EXPECTED
    assert level(a, "residence[0].start") == level(a, "residence[0].granted_end") == RECORDED
    # The reporting deadline is a legal consequence of the recorded separation (R2.2).
    assert level(a, "notification.deadline") == COMPUTED and level(a, "notification.trigger") == RECORDED
    report = next(i for i, x in enumerate(a.actions) if x.key == "report")
    assert level(a, f"actions[{report}].date") == COMPUTED


def test_a_decided_withdrawal_is_computed_and_a_recorded_one_recorded():
    """R3.1: decided on 20 November (before as_of) the effective date is the law's reading (OQ-3)."""
    decided = {**SEPARATED, "permits": [{**PARTNER, "withdrawal_decided": "2025-11-20"}]}
    a = run(decided, AS_OF)
    assert level(a, "residence[0].withdrawn_from") == level(a, "gaps[0].start") == COMPUTED
    later = run(decided, "2025-11-19")  # the decision is dated after as_of: not a fact yet
    assert level(later, "residence[0].withdrawn_from") == EXPECTED
    dated = {**SEPARATED, "permits": [{**PARTNER, "withdrawn_from": "2025-11-10"}]}
    b = run(dated, AS_OF)
    assert level(b, "residence[0].withdrawn_from") == level(b, "residence[0].end") == RECORDED
    assert level(b, "gaps[0].start") == COMPUTED


def test_an_eligibility_date_beyond_the_permit_on_record_waits_for_an_extension():
    """R5.1: 5 years from 11 March 2021 are complete on 11 March 2026, the day the permit ends:
    applying then needs the permit extended in time (R1.4). With an extension on record the
    date is reached by the permits on record."""
    a = run({"permits": [PARTNER]}, "2025-01-10")
    assert a.permanent_residence.eligible_from == D("2026-03-11")
    want = Certainty(EXPECTED, "extension", "permits[0]", D("2026-03-11"))  # a fact up to the permit's end
    assert a.certainty["permanent_residence.eligible_from"] == want
    assert level(a, "permanent_residence.clock_start") == COMPUTED
    extended = {"permits": [PARTNER, {"purpose": "partner", "start": "2026-03-11", "end": "2031-03-11"}]}
    b = run(extended, "2025-01-10")
    assert level(b, "permanent_residence.eligible_from") == COMPUTED
    pending = {
        "permits": [PARTNER],
        "applications": [{"kind": "extension", "purpose": "partner", "received": "2026-01-05"}],
    }
    c = run(pending, "2026-02-01")
    assert c.certainty["permanent_residence.eligible_from"].assumes == "decision"
    reached = run({"permits": [PARTNER]}, "2026-03-10")
    assert level(reached, "permanent_residence.eligible_from") == EXPECTED  # still the day the permit ends
    assert level(run({"permits": [PARTNER]}, "2026-03-11"), "residence[0].end") == RECORDED


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_words_say_what_an_expected_date_waits_for(lang):
    a = run(SEPARATED, AS_OF)
    text = assessment_text(a, lang)
    want = {
        "en": "expected, if the IND withdraws the permit from the separation date",
        "nl": "verwacht, als de IND de vergunning intrekt met ingang van de datum van de feitelijke scheiding",
    }[lang]
    gap = next(line for line in text.splitlines() if line.startswith("  10 "))
    assert want in gap
    b = run({"permits": [PARTNER]}, "2025-01-10")
    words = "\n".join(now_and_next_lines(b.now_and_next, lang, certainty=b.certainty))
    assert {
        "en": "(expected, if the permit is extended in time)",
        "nl": "(verwacht, als de vergunning tijdig wordt verlengd)",
    }[lang] in words
    assert "expected" not in "\n".join(now_and_next_lines(b.now_and_next, "en"))  # without certainty: no words


def test_json_gives_each_object_the_certainty_of_its_dates(tmp_path):
    case = tmp_path / "separated.json"
    case.write_text(json.dumps({"id": "s", "as_of": AS_OF, **SEPARATED}), encoding="utf-8")
    r = CliRunner().invoke(main, ["assess", str(case), "--format", "json"])
    data = json.loads(r.output)
    period = data["residence"][0]
    assert period["certainty"] == {
        "start": "recorded",
        "granted_end": "recorded",
        "withdrawn_from": "expected",
        "end": "expected",
        "last_day": "expected",
    }
    assert period["expected_if"]["end"] == "expected, if the IND withdraws the permit from the separation date"
    assert data["gaps"][0]["certainty"] == {"start": "expected"}  # an ongoing gap has no end
    assert data["notification"]["certainty"]["deadline"] == "computed"
    assert data["now_and_next"]["status"]["certainty"] == {"since": "expected"}
    assert all("certainty" in x for x in data["now_and_next"]["ahead"])


ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: Inputs and texts, not results: an explanation's inputs, a warning's or a condition's values.
NOT_RESULTS = {"explanations", "warnings", "conditions", "params", "options"}


def _uncertain(obj, path=""):
    """JSON paths of dates that have no certainty beside them."""
    if isinstance(obj, list):
        return [p for i, v in enumerate(obj) for p in _uncertain(v, f"{path}[{i}]")]
    if not isinstance(obj, dict):
        return []
    known = obj.get("certainty", {})
    out = []
    for k, v in obj.items():
        if k in NOT_RESULTS or k in ("certainty", "expected_if"):
            continue
        if path and isinstance(v, str) and ISO.match(v) and k not in known and k != "as_of":
            out.append(f"{path}.{k}")
        out += _uncertain(v, f"{path}.{k}" if path else k)
    return out


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_date_of_every_example_carries_its_certainty(example):
    a = assess(load_case(example))
    data = a.to_dict()
    assert _uncertain(data) == []
    assert {c.level for c in a.certainty.values()} <= set(LEVELS)
    assert all((c.level == EXPECTED) == (c.assumes is not None) for c in a.certainty.values())


def test_the_calendar_says_what_an_expected_date_waits_for(tmp_path):
    from timeline.ics import actions_ics

    a = run({"permits": [PARTNER]}, "2025-01-10")
    ics = actions_ics(a.actions, case_id="t", as_of=a.as_of, certainty=a.certainty).decode()
    unfolded = ics.replace("\r\n ", "")
    event = next(e for e in unfolded.split("BEGIN:VEVENT") if "Permanent residence can be applied for" in e)
    assert "expected\\, if the permit is extended in time" in event
    report = next(e for e in unfolded.split("BEGIN:VEVENT") if "Last day to file the extension" in e)
    assert "expected" not in report  # a deadline from the permit on record: computed
