"""Now and next (issue 12): where the person stands on as_of, what is ahead, when to apply.

Each test builds a case, assesses it on a chosen day, and checks the answer and its words
in English and Dutch; the days are chosen on both sides of a boundary.
"""

from __future__ import annotations

import re

import pytest
from conftest import D, run

from timeline.now_next import now_and_next_dict, now_and_next_lines

PARTNER = {"purpose": "partner", "start": "2021-03-11", "end": "2026-03-11"}
MARRIED = {"kind": "marriage", "cohabitation_start": "2020-06-15", "cohabitation_place": "abroad",
           "married": "2020-06-15"}  # fmt: skip
SEPARATED = {"relationship": {**MARRIED, "separated": "2025-07-01"}, "permits": [PARTNER]}
PATH = re.compile(r"\b(permits|applications|notifications|absences)\[\d+\]")


def words(a, lang="en"):
    return "\n".join(now_and_next_lines(a.now_and_next, lang))


def test_with_a_permit_until_its_last_valid_day_then_a_gap():
    """DC-1: the permit covers up to the day before its end; on the end day a gap begins."""
    a = run({"permits": [PARTNER]}, "2026-03-10")
    s = a.now_and_next.status
    assert (s.state, s.record, s.since, s.until) == ("permit", "permits[0]", D("2021-03-11"), D("2026-03-11"))
    assert "partner permit of 11 March 2021, valid through 10 March 2026" in words(a)
    assert "verblijfsvergunning voor verblijf bij partner met ingang van 11 maart 2021" in words(a, "nl")
    b = run({"permits": [PARTNER]}, "2026-03-11")
    s = b.now_and_next.status
    assert (s.state, s.since, s.days, s.cause, s.expected) == ("gap", D("2026-03-11"), 0, "expired", False)
    assert "You have no residence permit from today, 11 March 2026 (cause: expired)." in words(b)
    c = run({"permits": [PARTNER]}, "2026-03-13")
    assert "a residence gap since 11 March 2026 (2 days so far; cause: expired)" in words(c)


def test_a_withdrawal_the_ind_has_not_decided_is_expected_not_a_fact():
    """R3.1 (OQ-3): withdrawn from the separation, but no decision yet: expected; once decided, a gap."""
    a = run(SEPARATED, "2025-07-20")
    assert a.gaps and a.now_and_next.status.expected  # the engine counts the gap; the words say "expected"
    text = words(a)
    assert "is expected to be withdrawn from 1 July 2025, but the IND has not decided yet" in text
    assert "You have no residence permit:" not in text
    decided = {**SEPARATED, "permits": [{**PARTNER, "withdrawal_decided": "2025-07-15"}]}
    b = run(decided, "2025-07-20")
    assert not b.now_and_next.status.expected
    assert "You have no residence permit: a residence gap since 1 July 2025 (19 days so far" in words(b)
    assert "U hebt geen verblijfsvergunning: een verblijfsgat sinds 1 juli 2025" in words(b, "nl")


def test_actions_ahead_soonest_first_with_days_left_and_today():
    """R2.2: the report is due 29 July 2025 (4 weeks after 1 July): 9 days left on the 20th, 'today' on the 29th."""
    a = run(SEPARATED, "2025-07-20")
    ahead = a.now_and_next.ahead
    assert [u.action.date for u in ahead] == sorted(u.action.date for u in ahead)
    assert all(u.action.status == "ahead" and u.days_left == (u.action.date - a.as_of).days for u in ahead)
    report = next(u for u in ahead if u.action.key == "report")
    assert (report.action.date, report.days_left) == (D("2025-07-29"), 9)
    assert "Tuesday 29 July 2025 (9 days left)" in words(a) and "dinsdag 29 juli 2025 (nog 9 dagen)" in words(a, "nl")
    b = run(SEPARATED, "2025-07-29")
    assert "Tuesday 29 July 2025 (today)" in words(b)
    c = run(SEPARATED, "2025-07-30")
    assert all(u.action.key != "report" for u in c.now_and_next.ahead)  # passed: no longer ahead


def test_eligibility_can_apply_on_the_day_and_time_left_the_day_before():
    """R5.1: 5 years of toelating from 1 May 2021 complete on 1 May 2026."""
    case = {"permits": [{"purpose": "work", "start": "2021-05-01", "end": "2027-05-01"}]}
    a = run(case, "2026-04-30")
    pr = next(e for e in a.now_and_next.eligibility if e.route == "permanent-residence")
    assert (pr.date, pr.can_apply_now, pr.time_left) == (D("2026-05-01"), False, (0, 0, 1))
    assert "Permanent residence: from 1 May 2026, in 1 day." in words(a)
    b = run(case, "2026-05-01")
    pr = next(e for e in b.now_and_next.eligibility if e.route == "permanent-residence")
    assert (pr.can_apply_now, pr.time_left) == (True, None)
    assert "Permanent residence: you can apply now (since 1 May 2026)." in words(b)
    assert "Verblijf voor onbepaalde tijd: u kunt nu aanvragen (sinds 1 mei 2026)." in words(b, "nl")
    nat = next(e for e in b.now_and_next.eligibility if e.route == "naturalisation")
    assert nat.detail == b.naturalisation.route and nat.date == b.naturalisation.eligible_from


def test_a_temporary_purpose_blocks_applying_even_when_the_date_has_come():
    """R5.1: a study permit is temporary: the date may come, the condition is not met."""
    a = run({"permits": [{"purpose": "study", "start": "2019-01-01", "end": "2027-01-01"}]}, "2026-06-01")
    pr = next(e for e in a.now_and_next.eligibility if e.route == "permanent-residence")
    assert not pr.can_apply_now


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_no_record_paths_in_the_words_and_json_keeps_them_apart(lang):
    case = {
        **SEPARATED,
        "notifications": [{"by": "sponsor", "received": "2025-07-10", "change_date": "2025-07-01"}],
        "applications": [{"kind": "change-of-purpose", "purpose": "work", "received": "2025-10-01",
                          "outcome": "granted", "decided": "2025-12-01", "valid_until": "2030-10-01"}],
    }  # fmt: skip
    a = run(case, "2026-01-15")
    status = now_and_next_dict(a.now_and_next, lang)["status"]
    assert status["record"] == "applications[0]" and not PATH.search(status["name"] + status["text"])
    assert not PATH.search(status["text"])
    assert (
        "work permit applied for on 1 October 2025" if lang == "en" else "verleend op de aanvraag van 1 oktober 2025"
    ) in status["text"]
