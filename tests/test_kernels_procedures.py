"""Procedural rules written once (timeline/kernels/procedures.py), at their edges (issue 15).

Each test names its rule ID and checks the day before, on and after a boundary, calling
the kernels as the single case does (plain Python). The compiled runner against the
interpreted one is tests/test_kernels.py (``assess_table`` runs these kernels too); batch
against the single case is tests/test_batch.py.
"""

from __future__ import annotations

from datetime import date

import pytest

from timeline import case_from_dict
from timeline.kernels import procedures as k
from timeline.kernels.residence import INF, NA
from timeline.model import APPLICATION_KINDS, OUTCOMES
from timeline.rules.residence import objection_by_decision, objection_targets

OBJECTION, FIRST, EXT, NAT = (APPLICATION_KINDS.index(x) for x in ("objection", "first", "extension", "naturalisation"))
GRANTED, REFUSED, PENDING = (OUTCOMES.index(x) for x in ("granted", "refused", "pending"))
APP, PERMIT = k.IN_APPLICATIONS, k.IN_PERMITS
DL = 100  # an objection deadline (day number)


@pytest.mark.parametrize(
    ("received", "posted", "timely"),
    [
        (DL - 1, NA, True),
        (DL, NA, True),  # received on the deadline
        (DL + 1, NA, False),  # the day after
        (DL + 1, DL, True),  # Awb 6:9: posted on the deadline, received within a week
        (DL + 7, DL, True),  # ... on the seventh day after it
        (DL + 8, DL, False),  # ... the eighth day is too late
        (DL + 2, DL + 1, False),  # posted the day after the deadline
    ],
)
def test_r8_2_objection_in_time_received_or_posted(received, posted, timely):
    """R8.2, Awb 6:9: received by the deadline, or posted by it and received within a week after it."""
    assert k.objection_timely(received, posted, DL, DL + 7) is timely  # the week: rules.residence.objection_posting_end


def test_r8_2_objection_target_named_or_latest_decision_on_or_before_receipt():
    """R8.2: the decision named; else the latest withdrawal or refusal decided on or before receipt."""
    p_decided = [50, NA]
    kinds, outcomes, decided = [FIRST, EXT, OBJECTION], [REFUSED, GRANTED, PENDING], [60, 55, NA]
    target = lambda received, where=-1, pos=-1: k.objection_target(  # noqa: E731
        received, where, pos, p_decided, kinds, outcomes, decided
    )
    assert target(49) == (-1, -1)  # nothing decided yet
    assert target(50) == (PERMIT, 0)  # a decision on the day of receipt counts
    assert target(59) == (PERMIT, 0)
    assert target(60) == (APP, 0)  # the refusal, the latest
    assert target(60, PERMIT, 0) == (PERMIT, 0)  # named: the name wins
    assert target(60, PERMIT, 1) == (PERMIT, 1)  # named, though no decision is on record
    # a refused objection is no decision to object to; a naturalisation refusal is one
    assert k.objection_target(70, -1, -1, [], [OBJECTION, NAT], [REFUSED, REFUSED], [65, 61]) == (APP, 1)


def test_r8_2_objection_target_ties_withdrawal_first_then_later_record():
    """R8.2: decisions on one day: a withdrawal before a refusal; of one kind the later record,
    also past the tenth record (no longer the order of the names as text)."""
    assert k.objection_target(70, -1, -1, [60, 60], [FIRST], [REFUSED], [60]) == (PERMIT, 1)
    kinds, outcomes = [FIRST] * 11, [REFUSED] * 11
    decided = [NA] * 11
    decided[2] = decided[10] = 60
    assert k.objection_target(70, -1, -1, [], kinds, outcomes, decided) == (APP, 10)
    decided[10] = 59
    assert k.objection_target(70, -1, -1, [], kinds, outcomes, decided) == (APP, 2)


def test_r8_2_tie_in_the_single_case_names_the_later_record():
    """The single case, past ten applications: applications[10] (was applications[2], the
    larger name as text)."""
    refusal = {"kind": "first", "purpose": "work", "received": "2020-01-01", "outcome": "refused"}
    apps = [dict(refusal, decided="2020-03-01" if j in (2, 10) else "2020-02-01") for j in range(11)]
    apps.append({"kind": "objection", "received": "2020-03-10"})
    case = case_from_dict({"id": "tie", "as_of": "2021-01-01", "applications": apps})
    assert objection_targets(case) == {11: "applications[10]"}
    assert objection_by_decision(case) == {"applications[10]": 11}


def test_r8_2_first_objection_in_file_order():
    t_where, t_pos = [-1, PERMIT, PERMIT, APP], [-1, 0, 0, 0]
    kinds = [FIRST, OBJECTION, OBJECTION, OBJECTION]
    assert k.first_objection(PERMIT, 0, kinds, t_where, t_pos) == 1
    assert k.first_objection(APP, 0, kinds, t_where, t_pos) == 3
    assert k.first_objection(PERMIT, 1, kinds, t_where, t_pos) == -1


def test_vw_73_suspended_until_the_term_passed_or_the_objection_is_decided():
    """Vw 73(1), R3.2: the day after the deadline; a timely objection until its decision."""
    received, posted, decided = [DL, DL + 1, DL + 3, DL], [NA, NA, DL, NA], [DL + 40, DL + 50, DL + 60, NA]
    assert k.suspended_until(DL, DL + 7, -1, received, posted, decided) == DL + 1  # no objection
    assert k.suspended_until(DL, DL + 7, 0, received, posted, decided) == DL + 40  # received on the deadline
    assert k.suspended_until(DL, DL + 7, 1, received, posted, decided) == DL + 1  # received the day after: late
    assert k.suspended_until(DL, DL + 7, 2, received, posted, decided) == DL + 60  # posted in time (Awb 6:9)
    assert k.suspended_until(DL, DL + 7, 3, received, posted, decided) == INF  # not decided yet


def test_r4_5_procedural_stays_waiting_and_suspended():
    """R4.5: Vw 8(f) for a first application, 8(g) for others (none if decided on the day of
    receipt); Vw 73/8(h) after a withdrawal or refusal of a permit application (none if the
    objection was decided on the decision day); none after the refusal of naturalisation."""
    kinds = [FIRST, EXT, EXT, NAT, OBJECTION]
    outcomes = [PENDING, REFUSED, GRANTED, REFUSED, REFUSED]
    received, posted, decided = [10, 20, 30, 40, 55], [NA] * 5, [NA, 50, 30, 45, 55]
    deadlines = [NA, 78, NA, 73, NA]
    t_where, t_pos = [-1, -1, -1, -1, PERMIT], [-1, -1, -1, -1, 0]
    out = [[0] * 9 for _ in range(5)]
    posting = [NA if d == NA else d + 7 for d in deadlines]
    n = k.procedural_stays(
        [55], [83], [90], kinds, outcomes, received, posted, decided, deadlines, posting, t_where, t_pos, *out, 0
    )
    rows = sorted(zip(*(col[:n] for col in out), strict=True))
    assert rows == [
        (10, INF, k.WAITING_FIRST, APP, 0),
        (20, 50, k.WAITING_OTHER, APP, 1),
        (50, 79, k.SUSPENDED, APP, 1),  # the refusal of the extension: until the day after its deadline
    ]  # the withdrawal of permits[0]: objected to in time and decided the same day (55): no stay
    assert k.STAY_BASES[k.SUSPENDED] == "Vw 73(1), 8(h)"


def test_oq_3_first_report_earliest_received_first_in_file_on_a_tie():
    received, by = [30, 20, 20, 10], [0, 1, 0, 1]
    assert k.first_report(received, by, -1) == 3
    assert k.first_report(received, by, 0) == 2  # the tie on day 20 of party 0 ... its only one; earliest
    assert k.first_report([20, 20], [0, 1], -1) == 0
    assert k.first_report([], [], -1) == -1 and k.first_report(received, by, 5) == -1


@pytest.mark.parametrize(
    ("choice", "separated", "divorced", "change", "expected"),
    [
        ("separation", 10, 30, [25, 20], (10, "separation")),
        ("separation", NA, 30, [25, 20], (20, "reported")),  # the earliest change reported
        ("reported", 10, 30, [NA, 20], (20, "reported")),
        ("reported", 10, 30, [NA], (10, "separation")),
        ("divorce", 10, 30, [20], (30, "divorce")),
        ("divorce", 10, NA, [20], (10, "separation")),
        ("divorce", NA, NA, [20], (20, "reported")),
        ("divorce", NA, NA, [], (NA, "divorce")),
        ("reported", NA, NA, [NA], (NA, "reported")),
    ],
)
def test_r2_2_trigger_of_the_reporting_term(choice, separated, divorced, change, expected):
    """R2.2, OQ-2: each choice of notification_trigger and its fallbacks."""
    day, basis = k.notification_trigger(k.TRIGGER_BASES.index(choice), separated, divorced, change)
    assert (day, k.TRIGGER_BASES[basis]) == expected


def test_r2_2_report_status_around_the_deadline():
    """R2.2: received on the deadline is on time, the day after one day late; none received:
    not yet due on the deadline, missing the day after."""
    assert k.report_status(DL - 1, DL, DL + 50) == (k.ON_TIME, 0)
    assert k.report_status(DL, DL, DL + 50) == (k.ON_TIME, 0)
    assert k.report_status(DL + 1, DL, DL + 50) == (k.LATE, 1)
    assert k.report_status(NA, DL, DL) == (k.NOT_YET_DUE, NA)
    assert k.report_status(NA, DL, DL + 1) == (k.MISSING, NA)


def test_codes_are_batch_codes():
    from timeline import batch

    assert batch.STATUS_NAMES is k.REPORT_STATUSES
    assert (batch.RK_APP, batch.RK_PERMIT) == (k.IN_APPLICATIONS, k.IN_PERMITS)


def test_r8_2_tie_batch_equals_single_case():
    """The tie past ten records: batch (the kernels compiled) gives the single case's answer."""
    from test_batch import check_equal

    refusal = {"kind": "extension", "purpose": "work", "received": "2020-01-01", "outcome": "refused"}
    apps = [dict(refusal, decided="2020-03-02" if j in (2, 10) else "2020-02-03") for j in range(11)]
    apps[2]["valid_until"], apps[10]["valid_until"] = "2022-01-01", "2025-01-01"  # which one is reinstated shows
    granted = {"kind": "objection", "received": "2020-03-10", "outcome": "granted", "decided": "2020-05-04"}
    permit = {"purpose": "work", "start": "2015-01-01", "end": "2020-01-15"}
    case = {"id": "tie", "as_of": "2021-01-01", "permits": [permit], "applications": [*apps, granted]}
    check_equal([case])
    check_equal([case], as_of=date(2020, 4, 1))
