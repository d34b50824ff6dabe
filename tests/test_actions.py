"""Actions: what to do by when (timeline.actions), both sides of every boundary.

Every date the actions give is checked against the engine itself: the modified case
(the application received on the boundary day, or the day after) is assessed and its
gaps are compared (R1.2, R1.4, R2.2, R3.1, R4.2, R8.2).
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import D, run

from timeline import assess, load_case
from timeline.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "separation-reported-early.toml"
DAY = timedelta(days=1)


def pick(a, key, record=None, who=None):
    found = [
        x
        for x in a.actions
        if x.key == key and (record is None or x.record == record) and (who is None or x.who == who)
    ]
    assert len(found) == 1, (key, record, who, a.actions)
    return found[0]


# --------------------------------------------------------------------------- R2.2 reporting

SEPARATION_2026 = {  # R2.2 worked example 1: separation Friday 6 March 2026
    "sponsor": {"status": "dutch"},
    "relationship": {"kind": "marriage", "married": "2020-06-15", "separated": "2026-03-06"},
    "permits": [{"purpose": "partner", "start": "2021-03-11", "end": "2026-03-11"}],
}


def test_report_deadline_per_party_ahead_then_passed():
    # 6 March + 28 days = Good Friday 3 April 2026 -> Easter Monday 6 April -> Tuesday 7 April 2026.
    a = run(SEPARATION_2026, "2026-04-07")
    for party in ("sponsor", "foreign-national"):
        x = pick(a, "report", who=party)
        assert (x.date, x.kind, x.rule, x.status) == (D("2026-04-07"), "deadline", "R2.2", "ahead")
    after = run(SEPARATION_2026, "2026-04-08")
    assert {x.status for x in after.actions if x.key == "report"} == {"passed"}


def test_report_met_per_party():
    data = {
        **SEPARATION_2026,
        "notifications": [{"by": "sponsor", "received": "2026-03-20", "change_date": "2026-03-06"}],
    }
    a = run(data, "2026-03-25")
    assert pick(a, "report", who="sponsor").status == "met"
    assert pick(a, "report", who="foreign-national").status == "ahead"
    # A report recorded after as_of is not done yet on as_of.
    early = run(data, "2026-03-19")
    assert pick(early, "report", who="sponsor").status == "ahead"


def test_no_report_action_without_separation():
    a = run({"permits": [{"purpose": "work", "start": "2021-03-11", "end": "2026-03-11"}]}, "2025-01-01")
    assert not [x for x in a.actions if x.key in ("report", "file-new-application")]


# --------------------------------------------------------------------------- R8.2 objection

WITHDRAWN = {  # R8.2 worked example: decision notified Monday 7 April 2025 -> Tuesday 6 May 2025
    "sponsor": {"status": "dutch"},
    "relationship": {"kind": "marriage", "married": "2020-06-15", "separated": "2025-02-01"},
    "permits": [{"purpose": "partner", "start": "2021-03-11", "end": "2026-03-11", "withdrawal_decided": "2025-04-07"}],
    "notifications": [{"by": "sponsor", "received": "2025-02-10", "change_date": "2025-02-01"}],
}


def test_objection_deadline_both_sides():
    x = pick(run(WITHDRAWN, "2025-05-06"), "objection", "permits[0]")
    assert (x.date, x.rule, x.status) == (D("2025-05-06"), "R8.2", "ahead")  # raw 5 May is Liberation Day
    assert pick(run(WITHDRAWN, "2025-05-07"), "objection", "permits[0]").status == "passed"
    objected = {**WITHDRAWN, "applications": [{"kind": "objection", "received": "2025-05-06", "against": "permits[0]"}]}
    assert pick(run(objected, "2025-06-01"), "objection", "permits[0]").status == "met"


# --------------------------------------------------------------------------- R3.1 + R1.2 new application

SEPARATED = {
    "sponsor": {"status": "dutch"},
    "relationship": {"kind": "marriage", "married": "2020-06-15", "separated": "2025-07-01"},
    "permits": [{"purpose": "partner", "start": "2021-03-11", "end": "2026-03-11"}],
    "notifications": [{"by": "sponsor", "received": "2025-07-10", "change_date": "2025-06-20"}],
}


def with_application(data, received):
    app = {
        "kind": "change-of-purpose",
        "purpose": "work",
        "received": received.isoformat(),
        "outcome": "granted",
        "decided": "2026-01-15",
        "valid_until": "2030-10-01",
    }
    return {**data, "applications": [app]}


@pytest.mark.parametrize(
    ("option", "expected"),
    [
        ("reported", "2025-06-20"),  # the end date stated in the first report
        ("separation", "2025-07-01"),  # the factual separation
        ("notification", "2025-07-10"),  # the day the IND received the report
    ],
)
def test_latest_new_application_both_sides_by_assessing(option, expected):
    a = run(SEPARATED, "2025-06-25", withdrawal_effective=option)
    x = pick(a, "file-new-application", "permits[0]")
    assert (x.date, x.kind, x.rule, x.who) == (D(expected), "deadline", "R3.1", "foreign-national")
    assert x.params["options"] == {"withdrawal_effective": option}
    # Received on that day: the new permit starts that day (Vw 26(1)) and covers it: no gap.
    on_time = run(with_application(SEPARATED, x.date), "2026-02-01", withdrawal_effective=option)
    assert on_time.gaps == ()
    assert pick(on_time, "file-new-application").status == "met"
    # One day later: a one-day gap [E, E + 1).
    late = run(with_application(SEPARATED, x.date + DAY), "2026-02-01", withdrawal_effective=option)
    assert [(g.start, g.end, g.days) for g in late.gaps] == [(x.date, x.date + DAY, 1)]
    assert pick(late, "file-new-application").status == "passed"


def test_latest_new_application_unknown_withdrawal_date_under_decision():
    a = run(SEPARATED, "2025-07-15", withdrawal_effective="decision")
    x = pick(a, "file-new-application")
    assert (x.date, x.params["variant"], x.status) == (D("2026-03-11"), "unknown", "ahead")  # the permit's own end
    shown = [d for d in a.to_dict()["actions"] if d["key"] == "file-new-application"]
    assert len(shown) == 1 and shown[0]["date"] == "2026-03-11"
    assert "the withdrawal date is not known yet (the date of the withdrawal decision)" in shown[0]["text"]


def test_example_new_application_came_too_late():
    a = assess(load_case(EXAMPLE))
    x = pick(a, "file-new-application")
    assert (x.date, x.status) == (D("2025-07-01"), "passed")
    assert (x.params["application"], x.params["application_received"]) == ("applications[0]", D("2025-10-01"))


# --------------------------------------------------------------------------- R1.4 + R4.2 extensions

WORK = {"sponsor": {"status": "dutch"}, "permits": [{"purpose": "work", "start": "2021-03-11", "end": "2026-03-11"}]}


def with_extension(received):
    app = {
        "kind": "extension",
        "purpose": "work",
        "received": received.isoformat(),
        "outcome": "granted",
        "decided": "2026-06-01",
        "valid_until": "2031-03-11",
    }
    return {**WORK, "applications": [app]}


def test_extension_window_r14_worked_example():
    # R1.4: permit [2021-03-11, 2026-03-11): earliest filing Thursday 11 Dec 2025, last timely Tuesday 10 March 2026.
    a = run(WORK, "2025-11-01")
    opens = pick(a, "extension-window-opens", "permits[0]")
    last = pick(a, "extension-last-timely-day", "permits[0]")
    tol = pick(a, "extension-tolerance-end", "permits[0]")
    assert (opens.date, opens.kind, opens.rule) == (D("2025-12-11"), "window-opens", "R1.4")
    assert (last.date, last.kind, last.rule) == (D("2026-03-10"), "deadline", "R1.4")
    # R4.2 / OQ-4 default: last valid day 10 March + 28 days = 7 April 2026, no ATW roll.
    assert (tol.date, tol.kind, tol.rule) == (D("2026-04-07"), "window-closes", "R4.2")
    assert {opens.status, last.status, tol.status} == {"ahead"}


def test_extension_window_options():
    six = pick(run(WORK, "2025-01-01", extension_window="6-months"), "extension-window-opens")
    assert six.date == D("2025-09-11")  # OQ-16
    later = pick(run(WORK, "2025-01-01", late_extension_count_from="first-invalid-day"), "extension-tolerance-end")
    assert later.date == D("2026-04-08")  # OQ-4: counted from the first invalid day
    # R4.2 worked example: last valid day Friday 31 July 2026 -> tolerance ends 28 Aug 2026.
    r42 = run({"permits": [{"purpose": "work", "start": "2021-08-01", "end": "2026-08-01"}]}, "2026-05-01")
    assert pick(r42, "extension-tolerance-end").date == D("2026-08-28")


def test_extension_last_timely_day_both_sides_by_assessing():
    last = pick(run(WORK, "2026-01-01"), "extension-last-timely-day").date
    assert last == D("2026-03-10")  # the day before the permit's end, 11 March 2026
    on_time = run(with_extension(last), "2026-03-09")
    # Filed on that day: the extension starts on the end of permits[0], without a gap.
    assert on_time.gaps == ()
    periods = {p.record: p for p in on_time.residence}
    assert periods["permits[0]"].end == periods["applications[0]"].start == D("2026-03-11")
    assert periods["applications[0]"].start_basis == "timely"
    full = run(with_extension(last), "2026-07-01")
    assert full.gaps == ()
    assert [p.start_basis for p in full.residence if p.record == "applications[0]"] == ["timely"]
    assert pick(run(with_extension(last), "2026-03-10"), "extension-last-timely-day", "permits[0]").status == "met"
    # The day after: no longer timely (R1.4) but inside the four-week tolerance (R4.2).
    day_after = run(with_extension(last + DAY), "2026-07-01")
    assert [p.start_basis for p in day_after.residence if p.record == "applications[0]"] == ["tolerance"]
    assert day_after.gaps == ()
    late = run(with_extension(last + DAY), "2026-03-12")
    assert pick(late, "extension-last-timely-day", "permits[0]").status == "passed"
    assert pick(late, "extension-tolerance-end", "permits[0]").status == "met"


def test_extension_tolerance_end_both_sides_by_assessing():
    tol = pick(run(WORK, "2026-01-01"), "extension-tolerance-end").date
    inside = run(with_extension(tol), "2026-07-01")
    assert inside.gaps == ()
    outside = run(with_extension(tol + DAY), "2026-07-01")
    # Permit ends 11 March; received 8 April: gap [11 March, 8 April) = 28 days.
    assert [(g.start, g.end, g.days) for g in outside.gaps] == [(D("2026-03-11"), tol + DAY, 28)]
    # On as_of = the tolerance's last day, without a filing, the action is still ahead; a day later the
    # window has closed and only the gap (in the assessment) remains.
    assert pick(run(WORK, tol.isoformat()), "extension-tolerance-end").status == "ahead"
    assert pick(run(WORK, tol.isoformat()), "extension-last-timely-day").status == "passed"
    assert not [x for x in run(WORK, (tol + DAY).isoformat()).actions if x.record == "permits[0]"]


def test_no_extension_actions_after_the_tolerance_or_for_a_partner_permit_after_separation():
    assert not [x for x in run(WORK, "2026-04-08").actions if x.key.startswith("extension-")]
    assert [x.date for x in run(WORK, "2026-04-07").actions if x.key == "extension-tolerance-end"] == [D("2026-04-07")]
    separated = run(SEPARATED, "2025-08-01")
    assert not [x for x in separated.actions if x.key.startswith("extension-")]


# --------------------------------------------------------------------------- R5-R7 earliest dates


def test_earliest_dates_and_what_blocks_them():
    # The domestic-violence example: a temporary humanitarian permit ending 20 Feb 2025.
    a = assess(load_case(ROOT / "examples" / "domestic-violence.toml"))
    pr = pick(a, "earliest-permanent-residence")
    assert (pr.date, pr.kind, pr.rule) == (a.permanent_residence.eligible_from, "earliest", "R5.1")
    blocked = {c.key for c in pr.params["blocked_by"]}
    assert blocked == {"run-continues", "non-temporary-permit"}
    assert "income" in pr.params["to_check"]
    text = a.to_dict()["actions"]
    assert any("Still needed" in d["text"] for d in text if d["key"] == "earliest-permanent-residence")


def test_pending_extension_blocks_naturalisation():
    data = {
        "permits": [{"purpose": "work", "start": "2020-01-01", "end": "2025-01-01"}],
        "applications": [{"kind": "extension", "purpose": "work", "received": "2024-12-01"}],
    }
    a = run(data, "2024-12-15")
    nat = pick(a, "earliest-naturalisation", "naturalisation.standard")
    assert nat.date == D("2025-01-01")
    assert "pending-extension" in {c.key for c in nat.params["blocked_by"]}
    # The pending extension was filed in time: the extension actions are met.
    assert pick(a, "extension-last-timely-day").status == "met"


def test_earliest_met_when_applied():
    data = {
        "permits": [{"purpose": "work", "start": "2018-01-01", "end": "2028-01-01"}],
        "applications": [{"kind": "naturalisation", "received": "2023-02-01"}],
    }
    a = run(data, "2023-03-01")
    assert pick(a, "earliest-naturalisation", "naturalisation.standard").status == "met"
    assert pick(a, "earliest-permanent-residence").status == "passed"  # date reached, not applied


# --------------------------------------------------------------------------- wiring and output


def test_actions_are_sorted_and_unique():
    a = assess(load_case(EXAMPLE))
    assert [x.date for x in a.actions] == sorted(x.date for x in a.actions)
    ids = [(x.key, x.record, x.who) for x in a.actions]
    assert len(ids) == len(set(ids))
    assert a._fields[-3:] == ("actions", "now_and_next", "certainty")  # added last, with defaults


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_json_and_text_output(lang):
    r = CliRunner().invoke(main, ["assess", str(EXAMPLE), "--format", "json", "--lang", lang])
    data = json.loads(r.output)
    acts = data["actions"]
    assert acts and all(x["text"] and x["title"] and x["status_text"] for x in acts)
    assert {x["kind"] for x in acts} <= {"deadline", "window-opens", "window-closes", "earliest"}
    assert {x["who"] for x in acts} <= {"foreign-national", "sponsor", "both"}
    report = next(x for x in acts if x["key"] == "report" and x["who"] == "sponsor")
    assert (report["date"], report["status"], report["rule"]) == ("2025-07-29", "met", "R2.2")
    text = CliRunner().invoke(main, ["assess", str(EXAMPLE), "--lang", lang]).output
    assert ("What to do by when" if lang == "en" else "Wat te doen, wanneer") in text


def test_deadlines_command_text_and_json():
    r = CliRunner().invoke(main, ["deadlines", str(EXAMPLE)])
    assert r.exit_code == 0, r.output
    assert "Tuesday 29 July 2025" in r.output and "R2.2" in r.output
    j = json.loads(CliRunner().invoke(main, ["deadlines", str(EXAMPLE), "--format", "json"]).output)
    assert j["id"] == "separation-reported-early" and j["as_of"] == "2025-11-23"
    assert [a["date"] for a in j["actions"]] == sorted(a["date"] for a in j["actions"])


def test_assess_stays_free_of_heavy_imports():
    code = (
        "import sys; import timeline.cli as cli; from click.testing import CliRunner; "
        f"r = CliRunner().invoke(cli.main, ['assess', r'{EXAMPLE}']); assert r.exit_code == 0, r.output; "
        "print(sorted(m for m in ('pandas', 'matplotlib', 'icalendar', 'numpy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_filed_extension_keeps_its_window_and_last_filing_day_after_the_tolerance():
    """Issue 12: a short history (one permit, its extension pending) still shows when the
    extension could be filed and the last timely day (R1.4), met by the filing on record;
    without a filing the closed window is left to the gap (the test above)."""
    short = {
        "permits": [{"purpose": "work", "start": "2025-01-10", "end": "2025-04-01"}],
        "applications": [{"kind": "extension", "purpose": "work", "received": "2025-03-03"}],
    }
    a = run(short, "2025-05-20")
    opens = pick(a, "extension-window-opens", "permits[0]")
    last = pick(a, "extension-last-timely-day", "permits[0]")
    assert (opens.date, opens.status) == (D("2025-01-01"), "met")  # 3 months before 1 April 2025
    assert (last.date, last.status) == (D("2025-03-31"), "met")  # received 3 March: in time
    assert last.params["application"] == "applications[0]"
    late = {**short, "applications": [{**short["applications"][0], "received": "2025-05-10"}]}
    b = run(late, "2025-05-20")  # filed after the tolerance: it cannot continue the permit (R4.1)
    assert not [x for x in b.actions if x.key.startswith("extension-")]
    assert [(g.start, g.cause) for g in b.gaps] == [(D("2025-04-01"), "application-pending")]
