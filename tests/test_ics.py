"""Actions as iCalendar (RFC 5545): parsed back with the icalendar package, dates round-trip."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from icalendar import Calendar

from timeline import assess, load_case
from timeline.cli import main
from timeline.ics import action_uid, actions_ics

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "separation-reported-early.toml"


@pytest.fixture(scope="module")
def assessed():
    return assess(load_case(EXAMPLE))


def events(data: bytes):
    return list(Calendar.from_ical(data).walk("VEVENT"))


def test_every_action_round_trips_as_an_all_day_event(assessed):
    data = actions_ics(assessed.actions, case_id=assessed.id, as_of=assessed.as_of, statuses=None)
    evs = events(data)
    assert len(evs) == len(assessed.actions)
    by_uid = {str(e["UID"]): e for e in evs}
    for a in assessed.actions:
        e = by_uid[action_uid(assessed.id, a)]
        start, end = e.decoded("DTSTART"), e.decoded("DTEND")
        # All-day: plain dates (VALUE=DATE), DTEND exclusive = the day after (RFC 5545 3.6.1).
        assert type(start) is date and type(end) is date
        assert start == a.date and end == a.date + timedelta(days=1)
        assert e["DTSTART"].params.get("VALUE") == "DATE"
        assert str(e["SUMMARY"]).endswith(f"[{assessed.id}]")
        assert a.rule in str(e["DESCRIPTION"])
    assert len(by_uid) == len(evs)  # unique UIDs
    stamp = evs[0].decoded("DTSTAMP")
    assert isinstance(stamp, datetime) and stamp.date() == assessed.as_of and stamp.utcoffset() == timedelta(0)
    assert b"\r\n" in data and data.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")


def test_deterministic_and_uid_independent_of_dates(assessed):
    one = actions_ics(assessed.actions, case_id="x", as_of=assessed.as_of)
    two = actions_ics(assessed.actions, case_id="x", as_of=assessed.as_of)
    assert one == two
    later = assess(load_case(EXAMPLE), date(2026, 1, 31))
    uids_now = {action_uid("x", a) for a in assessed.actions}
    uids_later = {action_uid("x", a) for a in later.actions}
    assert uids_now & uids_later  # the same actions keep their identity when recomputed
    assert action_uid("x", assessed.actions[0]) != action_uid("y", assessed.actions[0])


def test_default_writes_only_actions_still_ahead_and_dutch_texts(assessed):
    ahead = [a for a in assessed.actions if a.status == "ahead"]
    evs = events(actions_ics(assessed.actions, case_id=assessed.id, as_of=assessed.as_of, lang="nl"))
    assert sorted(e.decoded("DTSTART") for e in evs) == sorted(a.date for a in ahead)
    assert all("geen juridisch advies" in str(e["DESCRIPTION"]) for e in evs)


def test_deadlines_command_writes_ics(tmp_path):
    out = tmp_path / "deadlines.ics"
    r = CliRunner().invoke(main, ["deadlines", str(EXAMPLE), "-o", str(out), "--all"])
    assert r.exit_code == 0, r.output
    evs = events(out.read_bytes())
    dates = {e.decoded("DTSTART") for e in evs}
    assert date(2025, 7, 29) in dates  # the reporting deadline (R2.2)
    stdout = CliRunner().invoke(main, ["deadlines", str(EXAMPLE), "-o", "-"])
    assert stdout.exit_code == 0 and stdout.output.startswith("BEGIN:VCALENDAR")


@pytest.mark.parametrize("target", ["deadlines.txt", "missing-folder/deadlines.ics"])
def test_deadlines_bad_output_exit_1(tmp_path, target):
    r = CliRunner().invoke(main, ["deadlines", str(EXAMPLE), "-o", str(tmp_path / target)])
    assert r.exit_code == 1
    assert "Error:" in r.output and "Traceback" not in r.output
