"""Golden tests: every worked example of docs/rules.md, named by rule ID, both sides of each boundary.

The expected figures are copied from docs/rules.md (or computed by hand in the comment); the
engine computes them from the case data. Nothing here mocks the date arithmetic.
"""

from __future__ import annotations

import pytest
from conftest import D, run

from timeline.presentation import assessment_text

PARTNER_2021 = {"purpose": "partner", "start": "2021-03-11", "end": "2026-03-11"}
MARRIED_NL = {
    "kind": "marriage",
    "cohabitation_start": "2020-06-15",
    "cohabitation_place": "abroad",
    "married": "2020-06-15",
}


def route(a, name):
    return next(r for r in a.naturalisation.routes if r.route == name)


# --- R2.2: the reporting deadline (4 weeks, ATW roll-forward) -------------------------------------


@pytest.mark.parametrize(
    ("separated", "deadline"),
    [
        ("2026-03-06", "2026-04-07"),  # raw Good Friday 3 Apr -> Sat, Sun, Easter Monday -> Tue 7 Apr
        ("2026-04-16", "2026-05-18"),  # raw Ascension 14 May -> equated Fri 15 May -> weekend -> Mon 18 May
        ("2026-12-04", "2027-01-04"),  # raw New Year's Day 2027 (Friday) -> Mon 4 Jan
        ("2024-02-01", "2024-02-29"),  # leap year, a working day: no roll
    ],
)
def test_r2_2_worked_examples(separated, deadline):
    case = {"relationship": {**MARRIED_NL, "separated": separated}, "permits": [PARTNER_2021]}
    a = run(case, "2027-06-01")
    assert a.notification.deadline == D(deadline)
    assert a.notification.status == "missing"


@pytest.mark.parametrize(("received", "status", "late"), [("2026-04-07", "on-time", 0), ("2026-04-08", "late", 1)])
def test_r2_2_deadline_day_on_time_next_day_late(received, status, late):
    case = {
        "relationship": {**MARRIED_NL, "separated": "2026-03-06"},
        "permits": [PARTNER_2021],
        "notifications": [{"by": "foreign-national", "received": received, "change_date": "2026-03-06"}],
    }
    n = run(case, "2026-06-01").notification
    assert (n.status, n.days_late) == (status, late)
    duties = {d.party: d.status for d in n.duties}
    assert duties == {"foreign-national": status, "sponsor": "missing"}  # R2.1: each party its own duty


def test_r2_2_not_yet_due_then_missing():
    case = {"relationship": {**MARRIED_NL, "separated": "2026-03-06"}, "permits": [PARTNER_2021]}
    assert run(case, "2026-04-07").notification.status == "not-yet-due"
    late = run(case, "2026-04-08").notification
    assert late.status == "missing" and late.days_late is None
    assert late.fine_possible_until == D("2031-04-08")  # R2.3: 5 years after the violation


def test_r2_2_first_report_from_either_party_counts():
    case = {
        "relationship": {**MARRIED_NL, "separated": "2024-02-01"},
        "permits": [PARTNER_2021],
        "notifications": [
            {"by": "foreign-national", "received": "2024-03-05", "change_date": "2024-02-01"},
            {"by": "sponsor", "received": "2024-02-20", "change_date": "2024-02-01"},
        ],
    }
    n = run(case, "2024-06-01").notification
    assert (n.received, n.by, n.status) == (D("2024-02-20"), "sponsor", "on-time")
    assert {d.party: (d.status, d.days_late) for d in n.duties} == {
        "sponsor": ("on-time", 0),
        "foreign-national": ("late", 5),
    }


# --- R3.1 + R4 worked example: retroactive withdrawal, change of purpose ---------------------------

R3_CASE = {
    "relationship": {**MARRIED_NL, "separated": "2024-02-01"},
    "permits": [{**PARTNER_2021, "withdrawal_decided": "2024-06-10"}],
    "notifications": [{"by": "sponsor", "received": "2024-02-20", "change_date": "2024-02-01"}],
    "applications": [
        {
            "kind": "change-of-purpose",
            "purpose": "work",
            "received": "2024-05-01",
            "outcome": "granted",
            "decided": "2024-07-15",
            "valid_until": "2029-05-01",
        }
    ],
}


@pytest.mark.parametrize("trigger", ["separation", "reported", "divorce"])
def test_r2_2_and_r3_1_a_divorce_alone_ends_the_relationship(trigger):
    """Issue 16 §2: only a divorce on record (15 Sep 2025, no separation, no report): the
    reporting term runs from it (4 weeks: Monday 13 October 2025), the partner permit is
    withdrawn from it (OQ-3 default falls back to it), and a warning says the separation may
    have been earlier. Without the divorce there is no duty and no withdrawal."""
    married = {**MARRIED_NL, "divorced": "2025-09-15"}
    a = run({"relationship": married, "permits": [PARTNER_2021]}, "2025-12-01", notification_trigger=trigger)
    assert (a.notification.trigger, a.notification.trigger_basis) == (D("2025-09-15"), "divorce")
    assert a.notification.deadline == D("2025-10-13") and a.notification.status == "missing"
    assert a.residence[0].end == D("2025-09-15") and a.residence[0].withdrawal_basis == "divorce"
    assert [w.key for w in a.warnings] == ["divorce-without-separation"]
    b = run({"relationship": MARRIED_NL, "permits": [PARTNER_2021]}, "2025-12-01")
    assert b.notification is None and b.residence[0].end == D("2026-03-11") and not b.gaps
    c = run({"relationship": {**married, "separated": "2025-06-01"}, "permits": [PARTNER_2021]}, "2025-12-01")
    assert c.residence[0].end == D("2025-06-01") and not c.warnings  # the separation, as before


def test_oq_26_withdrawal_dated_to_the_divorce():
    """OQ-26: withdrawal_effective = divorce takes the divorce even when a separation is known."""
    married = {**MARRIED_NL, "separated": "2025-06-01", "divorced": "2025-09-15"}
    a = run({"relationship": married, "permits": [PARTNER_2021]}, "2025-12-01", withdrawal_effective="divorce")
    assert a.residence[0].end == D("2025-09-15") and a.gaps[0].days == 77


def test_r3_1_retroactive_withdrawal_gap_90_days():
    a = run(R3_CASE, "2024-11-01")
    assert [(g.start, g.end, g.days, g.cause) for g in a.gaps] == [(D("2024-02-01"), D("2024-05-01"), 90, "withdrawal")]
    assert a.notification.deadline == D("2024-02-29")
    assert a.permanent_residence.eligible_from == D("2029-05-01")
    assert a.naturalisation.eligible_from == D("2029-05-01")
    assert a.objections[0].deadline == D("2024-07-08")  # R8.2: 10 June + 28 days (Monday)


def test_r3_1_option_decision_ex_nunc_no_gap():
    a = run(R3_CASE, "2024-11-01", withdrawal_effective="decision")
    assert a.gaps == ()
    assert a.naturalisation.eligible_from == D("2026-03-11")
    assert route(a, "standard").clock.clock_start == D("2021-03-11")


def test_r3_1_options_separation_and_notification():
    assert run(R3_CASE, "2024-11-01", withdrawal_effective="separation").gaps[0].start == D("2024-02-01")
    gap = run(R3_CASE, "2024-11-01", withdrawal_effective="notification").gaps[0]
    assert (gap.start, gap.days) == (D("2024-02-20"), 71)


def test_r3_1_recorded_withdrawn_from_beats_option():
    case = {
        **R3_CASE,
        "permits": [{**PARTNER_2021, "withdrawal_decided": "2024-06-10", "withdrawn_from": "2024-03-01"}],
    }
    for option in ("reported", "separation", "notification", "decision"):
        assert run(case, "2024-11-01", withdrawal_effective=option).gaps[0].start == D("2024-03-01")


def test_published_separation_example_reported_date_versus_divorce_date_92_days():
    """A law firm's published example (R3.1): reported 1 July vs. the divorce date 20 Sept; work permit from 1 Oct."""
    case = {
        "relationship": {**MARRIED_NL, "separated": "2025-07-01", "divorced": "2025-09-20"},
        "permits": [PARTNER_2021],
        "notifications": [{"by": "sponsor", "received": "2025-07-10", "change_date": "2025-07-01"}],
        "applications": [
            {
                "kind": "change-of-purpose",
                "purpose": "work",
                "received": "2025-10-01",
                "outcome": "granted",
                "valid_until": "2030-10-01",
            }
        ],
    }
    reported = run(case, "2025-11-23")
    assert reported.gap_days == 92  # 1 July .. 30 Sept
    divorce = {**case, "notifications": [{"by": "sponsor", "received": "2025-07-10", "change_date": "2025-09-20"}]}
    later = run(divorce, "2025-11-23")
    assert later.gap_days == 11  # 20 Sept .. 30 Sept
    assert reported.gap_days - later.gap_days == 81


# --- R4.1 / R4.2: late extension and the four-week tolerance ---------------------------------------

WORK_2021 = {"purpose": "work", "start": "2021-08-01", "end": "2026-08-01"}


def _ext(received, **extra):
    return {
        "permits": [WORK_2021],
        "applications": [
            {"kind": "extension", "received": received, "outcome": "granted", "valid_until": "2031-08-01", **extra}
        ],
    }


def test_r1_4_last_valid_day_is_timely():
    a = run(_ext("2026-07-31"), "2026-11-23")
    assert a.gaps == () and a.residence[1].start_basis == "timely"


def test_r1_4_timely_but_conditions_met_later_is_a_gap_with_its_own_cause():
    """ECLI:NL:RVS:2020:1460: permit until 21 Dec 2016, extension received on time (30 Nov 2016),
    granted only from 21 Mar 2017, when the conditions were shown: a 90-day gap whose cause is
    "conditions met later" (R1.2, Vw 26(1)), not "late application"; the R1.4 explanation does
    not say "without a break". The day the permit ends is still no break.
    """
    case = {
        "permits": [{"purpose": "work", "start": "2015-12-21", "end": "2016-12-21"}],
        "applications": [
            {"kind": "extension", "received": "2016-11-30", "outcome": "granted", "conditions_met": "2017-03-21",
             "valid_until": "2018-03-21"}
        ],
    }  # fmt: skip
    a = run(case, "2017-06-01")
    assert [(g.start, g.end, g.days, g.cause) for g in a.gaps] == [
        (D("2016-12-21"), D("2017-03-21"), 90, "conditions-met-later")
    ]
    start = next(e for e in a.explanations if e.subject == "applications[0].start")
    assert (start.rule, start.key) == ("R1.4", "start-timely-conditions-later")
    for lang in ("en", "nl"):
        text = assessment_text(a, lang)
        assert ("without a break" in text) is False and ("sluit aan vanaf" in text) is False
    case["applications"][0]["conditions_met"] = "2016-12-21"
    b = run(case, "2017-06-01")
    assert b.gaps == () and b.residence[1].start_basis == "timely"


def test_r4_2_within_tolerance_no_gap():
    a = run(_ext("2026-08-20"), "2026-11-23")
    assert a.gaps == () and a.residence[1].start == D("2026-08-01")
    assert a.residence[1].start_basis == "tolerance"


@pytest.mark.parametrize(("received", "gap_days"), [("2026-08-28", 0), ("2026-08-29", 28)])
def test_r4_2_tolerance_boundary(received, gap_days):
    # last valid day Fri 31 July 2026 + 28 days = Fri 28 Aug 2026 (OQ-4 default, no ATW roll)
    assert run(_ext(received), "2026-11-23").gap_days == gap_days


def test_r4_2_tolerance_counted_from_first_invalid_day_is_one_day_longer():
    assert run(_ext("2026-08-29"), "2026-11-23", late_extension_count_from="first-invalid-day").gap_days == 0


def test_r4_2_outside_tolerance_gap_45_days_and_clock_restarts():
    a = run(_ext("2026-09-15"), "2026-11-23")
    assert [(g.start, g.end, g.days, g.cause) for g in a.gaps] == [
        (D("2026-08-01"), D("2026-09-15"), 45, "late-application")
    ]
    assert a.naturalisation.eligible_from == D("2031-09-15")


def test_r4_1_excused_lateness_is_contiguous():
    assert run(_ext("2026-09-15", excused=True), "2026-11-23").gaps == ()


def test_r4_2_policy_not_before_1_july_2022():
    case = {
        "permits": [{"purpose": "work", "start": "2017-06-01", "end": "2022-06-01"}],
        "applications": [
            {"kind": "extension", "received": "2022-06-20", "outcome": "granted", "valid_until": "2027-06-01"}
        ],
    }
    assert run(case, "2023-01-01").gap_days == 19


def test_r4_5_pending_application_is_shown_not_counted():
    case = {"permits": [WORK_2021], "applications": [{"kind": "extension", "received": "2026-09-15"}]}
    a = run(case, "2026-11-23")
    gap = a.gaps[0]
    assert (gap.start, gap.end, gap.days, gap.cause) == (D("2026-08-01"), None, 114, "application-pending")
    assert gap.procedural_days == 69  # 15 Sept .. 22 Nov
    assert a.naturalisation.eligible_from is None
    assert route(a, "standard").clock.reason == "in-gap"


# --- R5.1 / R5.2 / R6.1: national vs EU long-term (worked example) ---------------------------------

STUDY_CASE = {
    "permits": [
        {"purpose": "study", "start": "2019-09-01", "end": "2023-09-01"},
        {"purpose": "search-year", "start": "2023-09-01", "end": "2024-09-01"},
        {"purpose": "partner", "start": "2024-09-01", "end": "2029-09-01"},
    ],
}


def test_r5_2_worked_example_national_eu_naturalisation():
    a = run(STUDY_CASE, "2025-11-23")
    assert a.permanent_residence.eligible_from == D("2024-09-01")
    assert a.eu_long_term.eligible_from == D("2027-09-01")
    assert a.naturalisation.eligible_from == D("2024-09-01")


def test_r5_2_temporary_purpose_accrues_nothing():
    case = {
        "sponsor": {"status": "temporary", "permit_end": "2030-01-01"},
        "permits": [{"purpose": "partner", "start": "2020-01-01", "end": "2030-01-01"}],
    }
    a = run(case, "2026-01-01")
    assert a.eu_long_term.eligible_from is None and a.eu_long_term.reason == "temporary-purpose"
    cond = {c.key: c.met for c in a.permanent_residence.conditions}
    assert cond["non-temporary-permit"] is False


def test_r5_1_years_from_age_8_only():
    case = {"person": {"birth_date": "2015-05-05"}, "permits": [{"purpose": "partner", "start": "2018-01-01"}]}
    a = run(case, "2024-01-01")
    assert a.permanent_residence.clock_start == D("2023-05-05")
    assert a.permanent_residence.eligible_from == D("2028-05-05")
    assert a.naturalisation.eligible_from == D("2023-01-01")  # no age-8 rule for naturalisation


def test_r5_1_oq6_decision_reference_files_90_days_early():
    a = run(
        {"permits": [{"purpose": "work", "start": "2021-03-11"}]}, "2025-01-01", permanent_reference_date="decision"
    )
    assert a.permanent_residence.period_complete == D("2026-03-11")
    assert a.permanent_residence.eligible_from == D("2025-12-11")


# --- R5.3: absences ------------------------------------------------------------------------------

ABSENT = {
    "permits": [{"purpose": "work", "start": "2019-01-01"}],
    "absences": [{"departed": "2023-12-20", "returned": "2024-06-20"}],
}


def test_r5_3_exactly_six_months_breaks_eu_not_national():
    a = run(ABSENT, "2025-01-01")
    assert a.eu_long_term.clock_start == D("2024-06-20")  # ">= 6 months" (Vw 45b(2)(b))
    assert a.permanent_residence.clock_start == D("2019-01-01")  # "more than 6 months" (Vc)
    assert a.naturalisation.eligible_from == D("2024-01-01")


def test_r5_3_option_six_months_or_more_breaks_national():
    a = run(ABSENT, "2025-01-01", national_absence_threshold="6-months-or-more")
    assert a.permanent_residence.clock_start == D("2024-06-20")
    assert a.naturalisation.eligible_from == D("2029-06-20")


def test_r5_3_one_day_shorter_does_not_break_eu():
    case = {**ABSENT, "absences": [{"departed": "2023-12-20", "returned": "2024-06-19"}]}
    assert run(case, "2025-01-01").eu_long_term.clock_start == D("2019-01-01")


def test_r5_2_ten_months_total_pushes_the_date():
    absences = [{"departed": f"{y}-01-01", "returned": f"{y}-05-01"} for y in (2020, 2021, 2022)]
    a = run({"permits": [{"purpose": "work", "start": "2019-01-01"}], "absences": absences}, "2025-01-01")
    # Days abroad (departure and return days present): 120 (2020, leap) + 119 + 119 = 358 >= 10 months
    # (304.375 days). Below 10 months needs <= 304 - 238 = 66 days of the 2020 stay inside the window,
    # so the window [T - 5y, T) must start on 25 Feb 2020 (25 Feb .. 30 Apr = 66 days): T = 25 Feb 2025.
    assert a.eu_long_term.eligible_from == D("2025-02-25")
    assert run(
        {"permits": [{"purpose": "work", "start": "2019-01-01"}], "absences": absences[1:]}, "2025-01-01"
    ).eu_long_term.eligible_from == D("2024-01-01")


# --- R6.2 / R6.3: spouse and unmarried partner routes --------------------------------------------


def test_r6_2_married_abroad():
    a = run({"relationship": MARRIED_NL, "permits": [PARTNER_2021]}, "2023-11-23")
    assert route(a, "spouse").clock.eligible_from == D("2023-06-15")
    assert (a.naturalisation.route, a.naturalisation.eligible_from) == ("spouse", D("2023-06-15"))


def test_r6_2_unmarried_cohabitation_in_kingdom_counts():
    rel = {
        "kind": "marriage",
        "cohabitation_start": "2021-03-11",
        "cohabitation_place": "kingdom",
        "married": "2022-09-01",
    }
    a = run({"relationship": rel, "permits": [PARTNER_2021]}, "2024-01-01")
    assert route(a, "spouse").clock.eligible_from == D("2024-03-11")
    abroad = run({"relationship": {**rel, "cohabitation_place": "abroad"}, "permits": [PARTNER_2021]}, "2024-01-01")
    assert route(abroad, "spouse").clock.eligible_from == D("2025-09-01")


def test_r6_2_gap_does_not_reset_spouse_route_but_separation_closes_it():
    permits = [{**PARTNER_2021, "end": "2024-02-01"}, {"purpose": "partner", "start": "2024-05-01"}]
    a = run({"relationship": MARRIED_NL, "permits": permits}, "2024-06-01")
    assert a.gap_days == 90
    assert route(a, "spouse").clock.eligible_from == D("2023-06-15")
    sep = run({"relationship": {**MARRIED_NL, "separated": "2024-02-01"}, "permits": [PARTNER_2021]}, "2024-06-01")
    assert route(sep, "spouse").clock.eligible_from is None and route(sep, "spouse").clock.reason == "separated"


def test_r6_3_unmarried_partner_and_gap_restarts():
    rel = {"kind": "unmarried", "cohabitation_start": "2021-03-11", "cohabitation_place": "kingdom"}
    a = run({"relationship": rel, "permits": [PARTNER_2021]}, "2024-01-15")
    assert route(a, "partner").clock.eligible_from == D("2024-03-11")
    permits = [{**PARTNER_2021, "end": "2024-02-01"}, {"purpose": "partner", "start": "2024-05-01"}]
    gap = run({"relationship": rel, "permits": permits}, "2024-06-01")
    assert route(gap, "partner").clock.eligible_from == D("2027-05-01")


def test_r6_routes_need_a_dutch_partner():
    a = run({"sponsor": {"status": "permanent"}, "relationship": MARRIED_NL, "permits": [PARTNER_2021]}, "2024-01-01")
    assert route(a, "spouse").clock.reason == "not-dutch"
    assert a.naturalisation.route == "standard"


# --- R6.4: 2 years before the request after 10 years in total (RWN 8(3)) ---------------------------

# Six years of toelating (2192 days: 2012 and 2016 are leap years), a gap, then toelating
# again from 1 March 2018.
BEFORE_GAP = [{"purpose": "work", "start": "2012-01-01", "end": "2018-01-01"}]
AFTER_GAP = {"purpose": "partner", "start": "2018-03-01"}


def _long(a):
    return route(a, "long-residence")


def _explained(a, subject):
    return next(e for e in a.explanations if e.subject == subject)


def test_r6_4_ten_years_in_total_after_a_gap_beats_the_standard_route():
    a = run({"permits": [*BEFORE_GAP, AFTER_GAP]}, "2021-01-01")
    assert route(a, "standard").clock.eligible_from == D("2023-03-01")  # 5 years after the gap
    # 2 years after the gap: 1 Mar 2020, but 10 years in total only on 1 Mar 2022. On
    # 28 Feb 2022: 2192 + 1460 = 3652 days, and [28 Feb 2012, 28 Feb 2022) has 3653 (three
    # 29 Februaries). On 1 Mar 2022: 2192 + 1461 = 3653 >= 3652.
    assert _long(a).clock.clock_start == D("2018-03-01")
    assert _long(a).clock.eligible_from == D("2022-03-01")
    assert (a.naturalisation.route, a.naturalisation.eligible_from) == ("long-residence", D("2022-03-01"))
    why = _explained(a, "naturalisation.routes[long-residence].eligible_from")
    assert (why.rule, why.params["earlier"], why.params["total"]) == ("R6.4", 2192, 3653)


@pytest.mark.parametrize(("first_end", "eligible"), [("2020-01-01", "2022-04-01"), ("2019-12-31", "2022-04-02")])
def test_r6_4_two_years_bind_when_ten_are_there_and_one_day_less(first_end, eligible):
    # 8 years (2922 days) before a gap of Jan-Mar 2020: on 1 Apr 2022, 2 years after the gap,
    # 2922 + 730 = 3652 days = the 10 years before it. One day less before the gap: a day later.
    permits = [
        {"purpose": "work", "start": "2012-01-01", "end": first_end},
        {"purpose": "partner", "start": "2020-04-01"},
    ]
    a = run({"permits": permits}, "2021-01-01")
    assert _long(a).clock.eligible_from == D(eligible)


def test_r6_4_days_abroad_that_moved_the_main_residence_do_not_count():
    # 1 Jan - 15 Aug 2014: more than 6 months (R5.3), 225 days abroad (departure and return
    # days are present, OQ-7). 1967 days before the gap; on 11 Oct 2022, 1967 + 1685 = 3652
    # = the days of [11 Oct 2012, 11 Oct 2022); on 10 Oct 2022 one day short.
    long_absence = {"departed": "2014-01-01", "returned": "2014-08-15"}
    a = run({"permits": [*BEFORE_GAP, AFTER_GAP], "absences": [long_absence]}, "2021-01-01")
    assert _long(a).clock.eligible_from == D("2022-10-11")
    assert _explained(a, "naturalisation.routes[long-residence].eligible_from").params["earlier"] == 1967
    short_absence = {"departed": "2014-01-01", "returned": "2014-06-01"}  # under 6 months: still main residence
    b = run({"permits": [*BEFORE_GAP, AFTER_GAP], "absences": [short_absence]}, "2021-01-01")
    assert _long(b).clock.eligible_from == D("2022-03-01")


def test_r6_4_a_break_after_the_first_2_years_restarts_them():
    # 1 Jun 2020 - 15 Jan 2021 abroad (more than 6 months, R5.3), after the 2 years from
    # 1 Mar 2018 were complete but before 10 years in total: the last 2 years must not
    # hold it, so they restart on the return and end on 15 Jan 2023 (by then 2192 + 1781
    # - 227 = 3746 days in total). The standard route restarts too: 15 Jan 2026.
    absence = {"departed": "2020-06-01", "returned": "2021-01-15"}
    a = run({"permits": [*BEFORE_GAP, AFTER_GAP], "absences": [absence]}, "2021-06-01")
    assert _long(a).clock.clock_start == D("2021-01-15")
    assert _long(a).clock.eligible_from == D("2023-01-15")
    assert route(a, "standard").clock.eligible_from == D("2026-01-15")


def test_r6_4_not_shown_without_earlier_toelating_or_when_the_standard_route_is_first():
    one_run = run({"permits": [AFTER_GAP]}, "2021-01-01")
    assert (_long(one_run).applicable, _long(one_run).clock.reason) == (False, "no-earlier-toelating")
    # A short first stay: 10 years in total come after the 5 unbroken years.
    short = [{"purpose": "work", "start": "2016-01-01", "end": "2017-01-01"}, AFTER_GAP]
    a = run({"permits": short}, "2021-01-01")
    assert (_long(a).applicable, _long(a).clock.reason) == (False, "standard-first")
    why = _explained(a, "naturalisation.routes[long-residence]")
    assert (why.params["standard"], why.params["own"]) == (D("2023-03-01"), D("2027-02-28"))
    assert a.naturalisation.route == "standard"
    text = assessment_text(a)
    assert "the last 2 without a break" not in text  # no route line, only the explanation
    assert "before 10 years in total on 28 February 2027" in text


def test_r6_4_in_a_gap_the_route_is_not_running():
    a = run({"permits": BEFORE_GAP}, "2018-02-01")
    assert _long(a).clock.eligible_from is None and _long(a).clock.reason == "in-gap"


# --- R7.1: independent residence ------------------------------------------------------------------

REL_2019 = {
    "kind": "marriage",
    "cohabitation_start": "2019-01-01",
    "cohabitation_place": "abroad",
    "married": "2019-06-01",
}


def test_r7_1_still_together_eligible_after_5_years():
    ir = run({"relationship": REL_2019, "permits": [PARTNER_2021]}, "2026-04-01").independent_residence
    assert (ir.status, ir.eligible_from) == ("open", D("2026-03-11"))


def test_r7_1_separated_at_4_years_7_months_21_days():
    case = {"relationship": {**REL_2019, "separated": "2025-11-01"}, "permits": [PARTNER_2021]}
    ir = run(case, "2026-01-01").independent_residence
    assert ir.status == "not-open" and ir.permit_time == (4, 7, 21)


def test_r7_2_domestic_violence_flagged_not_computed():
    case = {
        "relationship": {**REL_2019, "separated": "2024-02-01", "end_reason": "domestic-violence"},
        "permits": [PARTNER_2021],
    }
    ir = run(case, "2024-03-01").independent_residence
    flagged = {r.route: (r.indicated, r.file_by) for r in ir.possible_routes}
    # received on the withdrawal's effective date (1 Feb) the new permit is contiguous (R3.1, R1.2)
    assert flagged["domestic-violence"] == (True, D("2024-02-01"))
    assert flagged["sponsor-died"][0] is False
    assert ir.eligible_from is None


# --- R8.2 / R8.3 -----------------------------------------------------------------------------------


def test_r8_2_objection_deadline_liberation_day():
    case = {
        "permits": [WORK_2021],
        "applications": [
            {"kind": "extension", "received": "2026-07-01", "outcome": "refused", "decided": "2025-04-07"}
        ],
    }
    # decided before received is rejected by validation; use a realistic refusal instead
    case["applications"][0].update(received="2025-01-10")
    o = run(case, "2025-05-01").objections[0]
    assert (o.deadline, o.status) == (D("2025-05-06"), "open")
    assert run(case, "2025-05-07").objections[0].status == "expired"


def test_r8_3_decision_period_90_days_atw():
    case = {"permits": [WORK_2021], "applications": [{"kind": "extension", "received": "2026-07-01"}]}
    p = run(case, "2026-08-01").decision_periods[0]
    # 1 July 2026 + 90 days = Tue 29 Sept 2026 (a working day); extendable by 6 months (OQ-13)
    assert (p.due, p.due_extended) == (D("2026-09-29"), D("2027-03-29"))


# --- OQ-8: 29 February --------------------------------------------------------------------------


def test_oq8_run_starting_29_february():
    case = {"permits": [{"purpose": "work", "start": "2020-02-29"}]}
    assert run(case, "2024-01-01").naturalisation.eligible_from == D("2025-03-01")
    assert run(case, "2024-01-01", leap_day_anniversary="feb28").naturalisation.eligible_from == D("2025-02-28")


# --- OQ-1: inclusive end dates ------------------------------------------------------------------


def test_oq1_inclusive_end_date_shifts_gap_by_one_day():
    case = {
        "permits": [
            {"purpose": "work", "start": "2020-01-01", "end": "2022-01-01"},
            {"purpose": "work", "start": "2022-01-02", "end": "2025-01-01"},
        ]
    }
    assert run(case, "2023-01-01").gap_days == 1
    inclusive = run({**case, "options": {"end_date_convention": "inclusive"}}, "2023-01-01")
    assert inclusive.gap_days == 0


# --- regressions found by the batch differential tests ----------------------------------------


def test_r5_2_open_absence_after_as_of_counts_nothing_yet():
    case = {"permits": [{"purpose": "work", "start": "2021-01-01"}], "absences": [{"departed": "2024-05-11"}]}
    a = run(case, "2024-04-08")
    assert a.eu_long_term.eligible_from == a.permanent_residence.eligible_from == D("2026-01-01")


def test_r5_2_open_absence_counts_up_to_as_of():
    # abroad since 1 Jan 2025 with no return known: on 1 Oct 2025 that is 9 months, a break;
    # on 1 Mar 2025 it is 58 days, which neither breaks nor pushes the date.
    case = {"permits": [{"purpose": "work", "start": "2022-01-01"}], "absences": [{"departed": "2025-01-01"}]}
    assert run(case, "2025-10-01").eu_long_term.reason == "abroad"
    assert run(case, "2025-03-01").eu_long_term.eligible_from == D("2027-01-01")


def test_dates_outside_the_supported_range_are_input_errors():
    from timeline import CaseError, case_from_dict

    with pytest.raises(CaseError, match="supported range"):
        case_from_dict(
            {"id": "x", "permits": [{"purpose": "work", "start": "2020-01-01", "withdrawal_decided": "0001-01-01"}]}
        )


SEARCH_YEAR_CASE = {
    "permits": [
        {"purpose": "study", "start": "2018-09-01", "end": "2022-09-01"},
        {"purpose": "search-year", "start": "2022-09-01", "end": "2023-09-01"},
        {"purpose": "highly-skilled", "start": "2023-09-01", "end": "2028-09-01"},
    ]
}


@pytest.mark.parametrize(
    ("weight", "eligible"),
    [
        # 4 years of study count half (1461 days -> 731), the search year 0, then 1095 days
        # of highly skilled work to 31 August 2026: 731 + 1095 = 1826, the length of the
        # 5 calendar years before that day.
        ("none", "2026-08-31"),
        # The search year counts half too (365 days -> 183): 731 + 183 + 912 days of work
        # = 1826 on 1 March 2026.
        ("half", "2026-03-01"),
    ],
)
def test_oq_24_the_search_year_for_eu_long_term_residence(weight, eligible):
    """OQ-24 (R5.2): the search year counts 0 (IND practice) or, with the option, half like
    study, the reading before the EU Court of Justice (ECLI:NL:RBDHA:2025:12454). The
    explanation names the pending reference either way; batch agrees."""
    from test_batch import check_equal

    a = run(SEARCH_YEAR_CASE, "2026-12-02", eu_search_year_weight=weight)
    assert a.eu_long_term.eligible_from == D(eligible)
    said = [e for e in a.explanations if e.key == f"eu-search-year-{weight}"]
    assert len(said) == 1 and said[0].options == ("eu_search_year_weight",)
    text = assessment_text(a, "en")
    assert "ECLI:NL:RBDHA:2025:12454" in text and "ECLI:NL:RBDHA:2025:12454" in assessment_text(a, "nl")
    res, err, _ = check_equal(
        [{"id": "t", **SEARCH_YEAR_CASE}], as_of=D("2026-12-02"), options={"eu_search_year_weight": weight}
    )
    assert err.empty and res["eu_long_term_eligible_from"].dt.date[0] == D(eligible)


def test_discretion_is_flagged_not_decided_short_gap_and_hardship():
    """Issue 16 §3: the 90-day withdrawal gap (1 Feb to 30 Apr 2024) restarts the EU clock and the
    naturalisation term. It is shorter than the 6-month absence that breaks the EU clock, so the
    IND's proportionality discretion is flagged; naturalisation waits until 1 May 2029, so the
    RWN art. 10 hardship clause is flagged. Neither changes a date."""
    a = run(R3_CASE, "2024-11-01")
    flags = {w.key: w.params for w in a.warnings}
    assert flags["eu-short-gap"] == {"start": D("2024-02-01"), "last_day": D("2024-04-30"), "days": 90, "months": 6}
    assert flags["naturalisation-hardship"]["eligible"] == D("2029-05-01")
    assert a.naturalisation.eligible_from == D("2029-05-01")  # unchanged: a flag, not a date
    assert "Article 10" in assessment_text(a, "en") and "hardheidsclausule" in assessment_text(a, "nl")
    # Once the date has come, nothing blocks naturalisation: no hardship flag.
    later = run(R3_CASE, "2029-06-01")
    assert "naturalisation-hardship" not in {w.key for w in later.warnings}
    # Without the retroactive withdrawal there is no gap and no flag.
    ex_nunc = run(R3_CASE, "2024-11-01", withdrawal_effective="decision")
    assert not {"eu-short-gap", "naturalisation-hardship"} & {w.key for w in ex_nunc.warnings}


def test_a_gap_of_six_months_or_more_is_not_flagged_as_short():
    """The EU flag is for a gap shorter than the 6 months whose absence would break the clock:
    a gap from 1 January to 1 July 2022 (6 months exactly) gets the hardship flag only."""
    case = {
        "permits": [
            {"purpose": "work", "start": "2019-01-01", "end": "2022-01-01"},
            {"purpose": "work", "start": "2022-07-01", "end": "2027-07-01"},
        ]
    }
    a = run(case, "2024-01-01")
    assert [(g.start, g.days) for g in a.gaps] == [(D("2022-01-01"), 181)]
    assert [w.key for w in a.warnings] == ["naturalisation-hardship"]
    short = run({"permits": [case["permits"][0], {**case["permits"][1], "start": "2022-06-30"}]}, "2024-01-01")
    assert [w.key for w in short.warnings] == ["eu-short-gap", "naturalisation-hardship"]


#: R3_CASE with an objection in time (received 1 July 2024, deadline 8 July) against the
#: retroactive withdrawal of the partner permit, refused on 1 October 2024: the withdrawal stands.
CONTESTED_CASE = {
    **R3_CASE,
    "applications": [
        *R3_CASE["applications"],
        {"kind": "objection", "received": "2024-07-01", "against": "permits[0]", "outcome": "refused",
         "decided": "2024-10-01"},
    ],
}  # fmt: skip


@pytest.mark.parametrize(
    ("choice", "start", "eligible"),
    [
        # The withdrawal took away 1 Feb to 9 Jun 2024; the work permit covers from 1 May, so
        # 1 Feb to 30 Apr is a gap: the EU clock restarts on 1 May 2024, five years later.
        ("gap", "2024-05-01", "2029-05-01"),
        # Bridged: 1057 days of the partner permit (11 Mar 2021 to 31 Jan 2024) and 769 of work
        # (1 May 2024 to 8 Jun 2026) make 1826, the five calendar years before 9 June 2026.
        ("bridge", "2021-03-11", "2026-06-09"),
    ],
)
def test_oq_25_a_contested_retroactive_withdrawal_for_eu_long_term_residence(choice, start, eligible):
    """OQ-25: the days a retroactive withdrawal took away, contested by an objection in time, are
    a gap for the EU clock (default) or bridge it without counting (a reported district-court case).
    Batch agrees; without the objection the option changes nothing."""
    from test_batch import check_equal

    a = run(CONTESTED_CASE, "2024-11-01", eu_contested_withdrawal=choice)
    assert (a.eu_long_term.clock_start, a.eu_long_term.eligible_from) == (D(start), D(eligible))
    assert [e.key for e in a.explanations if e.key.startswith("eu-contested")] == [f"eu-contested-{choice}"]
    assert a.gaps[0].days == 90 and a.naturalisation.eligible_from == D("2029-05-01")  # other clocks unchanged
    res, err, _ = check_equal(
        [{"id": "t", **CONTESTED_CASE}], as_of=D("2024-11-01"), options={"eu_contested_withdrawal": choice}
    )
    assert err.empty and res["eu_long_term_eligible_from"].dt.date[0] == D(eligible)
    uncontested = run(R3_CASE, "2024-11-01", eu_contested_withdrawal=choice)
    assert uncontested.eu_long_term.eligible_from == D("2029-05-01")
    late = {**CONTESTED_CASE, "applications": [*R3_CASE["applications"], {**CONTESTED_CASE["applications"][1],
            "received": "2024-07-09"}]}  # fmt: skip
    assert run(late, "2024-11-01", eu_contested_withdrawal=choice).eu_long_term.eligible_from == D("2029-05-01")
