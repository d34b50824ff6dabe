"""Clock rules written once (timeline/kernels/clocks.py), run two ways (issue 15).

- Day arithmetic (DC-3, DC-5, OQ-8) over day numbers: against the date arithmetic of the
  standard library over a wide range, and at its edges (29 February, month ends).
- The clock rules at their edges, called directly as the single case calls them: the day
  before, on and after a completed period; an absence of exactly 6 months against a day
  more (R5.3, R5.2); each test names its rule ID.
- The table runner compiled against the same source interpreted (batch against the
  single case is tests/test_batch.py's differential tests).
"""

from __future__ import annotations

import importlib.util
import os
import random
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline import dates
from timeline.kernels import clocks as k
from timeline.kernels.residence import INF, NA, day_number

ROOT = Path(__file__).resolve().parents[1]
HAS_NUMBA = importlib.util.find_spec("numba") is not None
needs_numba = pytest.mark.skipif(not HAS_NUMBA, reason="numba not installed: only the interpreted runner is tested")
D = day_number
EPOCH = date(1970, 1, 1).toordinal()


def back(n: int) -> date:
    return date.fromordinal(n + EPOCH)


def months_by_hand(d: date, n: int) -> date:
    """DC-3 the long way: step the month, then clamp the day by trying it."""
    month0 = d.year * 12 + d.month - 1 + n
    y, m = divmod(month0, 12)
    day = d.day
    while True:
        try:
            return date(y, m + 1, day)
        except ValueError:
            day -= 1


# --------------------------------------------------------------------------- day arithmetic


def test_civil_round_trip_over_the_accepted_range():
    """Every day the tool accepts (1900-2199) and its year, month and day agree with ``date``."""
    lo, hi = D(dates.MIN_DATE), D(dates.MAX_DATE)
    for n in range(lo - 400, hi + 400):
        d = back(n)
        assert k.civil_from_days(n) == (d.year, d.month, d.day)
        assert k.days_from_civil(d.year, d.month, d.day) == n


def test_add_months_agrees_with_the_calendar_over_a_wide_range():
    """DC-3 for 300,000 random dates and terms of up to 20 years either way."""
    rng = random.Random(15)
    lo, hi = D(dates.MIN_DATE), D(dates.MAX_DATE)
    for _ in range(300_000):
        n, months = rng.randint(lo, hi), rng.randint(-240, 240)
        assert back(k.add_months(n, months)) == months_by_hand(back(n), months)


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        ("2024-01-31", 1, "2024-02-29"),  # DC-3: clamped to the month's last day (leap year)
        ("2023-01-31", 1, "2023-02-28"),
        ("2100-01-31", 1, "2100-02-28"),  # 2100 is no leap year
        ("2000-01-31", 1, "2000-02-29"),  # 2000 is one
        ("2024-02-29", 12, "2025-02-28"),  # DC-3: 29 February + 1 year = 28 February
        ("2024-02-29", 48, "2028-02-29"),
        ("2024-08-31", -6, "2024-02-29"),
        ("2026-03-11", -3, "2025-12-11"),
    ],
)
def test_add_months_edges(start, months, end):
    s = date.fromisoformat(start)
    assert back(k.add_months(D(s), months)) == date.fromisoformat(end) == dates.add_months(s, months)


def test_period_complete_dc5_oq8():
    """DC-5: complete on the anniversary, every day of [T - 5 years, T) on or after the start;
    OQ-8: a run from 29 February completes on 1 March (mar1) or 28 February (feb28)."""
    assert back(k.period_complete(D(date(2021, 3, 11)), 5, 1)) == date(2026, 3, 11)
    assert back(k.period_complete(D(date(2020, 2, 29)), 5, 1)) == date(2025, 3, 1)
    assert back(k.period_complete(D(date(2020, 2, 29)), 5, 0)) == date(2025, 2, 28)
    assert back(k.period_complete(D(date(2020, 2, 29)), 4, 1)) == date(2024, 2, 29)  # a leap year again
    # The day before T, [T - 1 - 5 years, T - 1) begins before the start; on T it does not
    # (mar1), except for the OQ-8 alternative, where a 29 February start completes on 28 February.
    for s in (date(2020, 2, 29), date(2019, 3, 1), date(2021, 12, 31), date(2024, 2, 28)):
        for leap in (0, 1):
            t = back(k.period_complete(D(s), 5, leap))
            assert dates.add_years(t - timedelta(days=1), -5) < s
            if leap or (s.month, s.day) != (2, 29):
                assert dates.add_years(t, -5) >= s
            else:
                assert t == date(s.year + 5, 2, 28)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.dates(date(1000, 1, 1), date(8900, 12, 31)), min_size=1, max_size=40), st.integers(-130, 130))
def test_month_arithmetic_far_from_today(days, n):
    """DC-3, DC-5 over eight millennia (moved from the array copy's test when batch.py's copy
    was deleted): the kernels against the calendar by hand."""
    for d in days:
        assert back(k.add_months(D(d), n)) == months_by_hand(d, n)
        anniversary = months_by_hand(d, 12 * (abs(n) % 11))
        bumped = anniversary + timedelta(days=1) if anniversary.day != d.day else anniversary
        assert back(k.period_complete(D(d), abs(n) % 11, 1)) == bumped
        assert back(k.period_complete(D(d), abs(n) % 11, 0)) == anniversary


def test_dates_is_the_date_face_of_the_kernels():
    """dates.add_months/add_years/period_complete return the kernels' days as dates."""
    rng = random.Random(8)
    for _ in range(20_000):
        s = back(rng.randint(D(dates.MIN_DATE), D(dates.MAX_DATE) - 4000))
        years = rng.randint(1, 10)
        for leap, flag in (("mar1", 1), ("feb28", 0)):
            assert D(dates.period_complete(s, years, leap)) == k.period_complete(D(s), years, flag)
        assert D(dates.add_years(s, years)) == k.add_years(D(s), years)


# --------------------------------------------------------------------------- absences (R5.3, R5.2)

DEP = D(date(2023, 1, 10))  # six months later: 10 July 2023
SIX = D(date(2023, 7, 10))
AS_OF = D(date(2026, 1, 1))


def test_r5_3_exactly_six_months_against_a_day_more():
    """R5.3 (OQ-7): back on the day 6 months after departure is not "more than 6 months";
    a day later is. Under "6 months or more" the day itself breaks, the day before does not."""
    assert not k.breaks_residence(DEP, SIX, AS_OF, 6, 1)
    assert k.breaks_residence(DEP, SIX + 1, AS_OF, 6, 1)
    assert k.breaks_residence(DEP, SIX, AS_OF, 6, 0)
    assert not k.breaks_residence(DEP, SIX - 1, AS_OF, 6, 0)


def test_r5_2_six_consecutive_months_or_more():
    """R5.2 (Vw 45b(2)(b)): 6 months or more breaks the EU clock; a day less does not. An
    absence with no return date is judged on its length up to as_of."""
    assert k.breaks_residence(DEP, SIX, AS_OF, 6, 0) and not k.breaks_residence(DEP, SIX - 1, AS_OF, 6, 0)
    assert not k.breaks_residence(DEP, NA, SIX - 1, 6, 0)
    assert k.breaks_residence(DEP, NA, SIX, 6, 0)


def breaks(start, departed, returned, until=NA, years=5, strict=1, as_of=AS_OF):
    moved = [0] * len(departed)
    start, abroad, count = k.apply_breaks(start, years, until, 1, 6, strict, as_of, departed, returned, moved, 0)
    return start, abroad, moved[:count]


def test_r5_3_a_break_restarts_the_clock_on_return():
    start = D(date(2020, 3, 1))
    assert breaks(start, [DEP], [SIX + 1]) == (SIX + 1, -1, [0])
    assert breaks(start, [DEP], [SIX]) == (start, -1, [])  # exactly 6 months: no break (OQ-7 default)
    assert breaks(start, [DEP], [SIX], strict=0) == (SIX, -1, [0])


def test_r5_3_only_absences_inside_the_period_count():
    """A break that begins the day before the period is complete restarts it; one that
    begins on the completion day (or later) does not, unless the period runs on to ``until``."""
    start = D(date(2018, 1, 1))
    complete = k.period_complete(start, 5, 1)  # 1 January 2023
    ret = k.add_months(complete, 7)
    assert breaks(start, [complete - 1], [ret])[0] == ret
    assert breaks(start, [complete], [ret])[0] == start
    assert breaks(start, [complete], [ret], until=complete + 1)[0] == ret  # R6.4: up to the 10 years


def test_r5_3_an_absence_still_going_on_stops_the_clock():
    """No return date, away 6 months or more by as_of: the clock stops (position of the absence)."""
    start = D(date(2020, 3, 1))
    assert breaks(start, [DEP], [NA], as_of=SIX + 1) == (start, 0, [])
    assert breaks(start, [DEP], [NA], as_of=SIX) == (start, -1, [])  # not more than 6 months yet


# --------------------------------------------------------------------------- R5.1, R6.1-R6.3

START = D(date(2021, 3, 11))


def pr(birth=NA, decision=0, days=90, departed=(), returned=()):
    moved = [0] * len(departed)
    return k.permanent_residence(START, birth, 1, 8, 5, 6, 1, AS_OF, list(departed), list(returned), decision, days,
                                 6, NA, moved, 0)  # fmt: skip


def test_r5_1_five_years_complete_on_the_anniversary():
    """R5.1 (DC-5): eligible on 11 March 2026, the day the 5 years are complete."""
    age_start, start, abroad, _, complete, eligible = pr()
    assert (age_start, start, abroad) == (START, START, -1)
    assert back(complete) == back(eligible) == date(2026, 3, 11)
    assert back(k.period_complete(START, 5, 1) - 1) == date(2026, 3, 10)  # the day before: not complete


def test_r5_1_counted_from_age_8():
    """R5.1 (Vw 21(5)): toelating before the 8th birthday does not count; from it, it does."""
    birth = D(date(2014, 6, 1))  # 8 on 1 June 2022
    assert back(pr(birth=birth)[1]) == date(2022, 6, 1)
    assert pr(birth=D(date(2013, 3, 11)))[1] == START  # 8 on the run's first day
    assert back(pr(birth=D(date(2013, 3, 12)))[1]) == date(2021, 3, 12)  # 8 a day later


def test_r5_1_decision_date_reference_oq6_oq14():
    """OQ-6 ``decision``: filing a decision period before the 5 years are complete: 90 days,
    or 6 months (OQ-14)."""
    assert back(pr(decision=1)[5]) == date(2026, 3, 11) - timedelta(days=90)
    assert back(pr(decision=1, days=0)[5]) == date(2025, 9, 11)


def test_r5_1_a_term_in_force_later_completes_on_its_first_day():
    """DC-5 under the law on the request date (R6.5): a term whose row begins after the
    anniversary completes on the row's first day; one that began before it changes nothing."""
    moved = []
    law_from = D(date(2027, 1, 1))
    args = (START, NA, 1, 8, 5, 6, 1, AS_OF, [], [], 0, 90, 6)
    assert k.permanent_residence(*args, law_from, moved, 0)[4] == law_from
    assert back(k.permanent_residence(*args, D(date(2026, 3, 10)), moved, 0)[4]) == date(2026, 3, 11)


def test_r5_1_a_break_restarts_the_five_years():
    _, start, abroad, count, complete, _ = pr(departed=[DEP], returned=[SIX + 1])
    assert (start, abroad, count) == (SIX + 1, -1, 1)
    assert back(complete) == date(2028, 7, 11)
    assert pr(departed=[DEP], returned=[NA])[1:3] == (NA, 0)  # abroad on as_of: no date


def test_r6_1_standard_route_5_or_10_years_oq18():
    for years, want in ((5, date(2026, 3, 11)), (10, date(2031, 3, 11))):
        assert back(k.standard_route(START, years, 1, 6, 1, AS_OF, [], [], NA, [], 0)[3]) == want
    feb29 = D(date(2020, 2, 29))  # OQ-8: a run from 29 February
    assert back(k.standard_route(feb29, 5, 1, 6, 1, AS_OF, [], [], NA, [], 0)[3]) == date(2025, 3, 1)
    assert back(k.standard_route(feb29, 5, 0, 6, 1, AS_OF, [], [], NA, [], 0)[3]) == date(2025, 2, 28)


MARRIED = D(date(2022, 5, 20))


def spouse(cohab=NA, kingdom=1, separated=NA, divorced=NA, dutch=1, unmarried=0, married=MARRIED, rel=1):
    return k.spouse_route(rel, unmarried, married, dutch, separated, divorced, cohab, kingdom, 3, 1, NA)


def test_r6_2_spouse_three_years_from_marriage_or_cohabitation():
    """R6.2 (RWN 8(2)): from the marriage; from a later cohabitation; from an earlier one in
    the Kingdom; an earlier one abroad does not count."""
    assert spouse() == (k.OPEN, MARRIED, k.MARRIED, k.period_complete(MARRIED, 3, 1))
    assert back(spouse()[3]) == date(2025, 5, 20)
    assert spouse(cohab=MARRIED + 1)[:3] == (k.OPEN, MARRIED + 1, k.COHABITATION_AFTER_MARRIAGE)
    assert spouse(cohab=MARRIED - 1)[:3] == (k.OPEN, MARRIED - 1, k.COHABITATION_IN_KINGDOM)
    assert spouse(cohab=MARRIED - 1, kingdom=0)[:3] == (k.OPEN, MARRIED, k.COHABITATION_ABROAD)


def test_r6_2_spouse_route_closed():
    assert spouse(rel=0)[0] == k.NO_RELATIONSHIP
    assert spouse(unmarried=1)[0] == spouse(married=NA)[0] == k.NOT_MARRIED
    assert spouse(dutch=0)[0] == k.NOT_DUTCH
    assert spouse(divorced=MARRIED + 9)[:2] == (k.SEPARATED, MARRIED + 9)
    assert [k.ROUTE_REASONS[r] for r in (k.OPEN, k.STANDARD_FIRST)] == ["open", "standard-first"]


def test_r6_3_partner_cohabitation_in_the_kingdom():
    """R6.3 (RWN 8(4)): the later of the run and the cohabitation; cohabitation abroad counts
    from the first day of toelating."""
    run = D(date(2021, 1, 1))
    cohab = D(date(2020, 6, 1))
    assert k.partner_applies(1, 1, 1, NA) == k.OPEN and k.partner_applies(1, 0, 1, NA) == k.NOT_UNMARRIED
    assert k.partner_applies(1, 1, 1, run) == k.SEPARATED and k.partner_applies(1, 1, 0, NA) == k.NOT_DUTCH
    later = k.partner_route(run, run, run + 30, 0, 3, 1, 6, 1, AS_OF, [], [], NA, [], 0)
    assert later[0] == run + 30 and back(later[4]) == date(2024, 1, 31)
    abroad = k.partner_route(run, run - 100, cohab, 1, 3, 1, 6, 1, AS_OF, [], [], NA, [], 0)
    assert abroad[3] == run - 100 and abroad[0] == run  # counted from arrival, then the run's start


# --------------------------------------------------------------------------- R6.4


def test_r6_4_ten_years_in_total_the_day_before_and_on():
    """R6.4 (RWN 8(3)), the example ten-years-in-total: 8 years of work permits, a 75-day gap,
    then a partner permit from 17 April 2023: the 10 years in total come on 17 April 2025."""
    earlier_s, earlier_e = [D(date(2015, 2, 1))], [D(date(2023, 2, 1))]
    run = D(date(2023, 4, 17))
    reason, start, t, abroad, count = k.long_residence_route(
        earlier_s, earlier_e, run, 2, 10, 1, 6, 1, AS_OF, [], [], NA, [], 0, k.CALENDAR_DAYS
    )
    assert (reason, start, abroad, count) == (k.OPEN, run, -1, 0) and back(t) == date(2025, 4, 17)

    def short(day):
        return (day - k.add_years(day, -10)) - k.qualifying_days(earlier_s, earlier_e, run, day, 6, 1, AS_OF, [], [])

    assert short(t - 1) > 0 and short(t) <= 0
    # the standard route first: not shown; no toelating before the run: does not apply
    days = k.CALENDAR_DAYS
    first = k.long_residence_route(earlier_s, earlier_e, run, 2, 10, 1, 6, 1, AS_OF, [], [], t, [], 0, days)
    assert first[0] == k.STANDARD_FIRST
    assert k.long_residence_route([], [], run, 2, 10, 1, 6, 1, AS_OF, [], [], NA, [], 0, days)[0] == k.NO_EARLIER


def test_r6_4_days_abroad_of_a_break_do_not_count():
    """R5.3 inside R6.4: a break in an earlier run takes its days abroad off the total (departure
    and return days are present); an absence of exactly 6 months takes nothing off."""
    earlier_s, earlier_e = [D(date(2015, 2, 1))], [D(date(2023, 2, 1))]
    run, t = D(date(2023, 4, 17)), D(date(2025, 4, 17))
    base = k.qualifying_days(earlier_s, earlier_e, run, t, 6, 1, AS_OF, [], [])
    dep = D(date(2018, 1, 10))
    six = k.add_months(dep, 6)
    assert k.qualifying_days(earlier_s, earlier_e, run, t, 6, 1, AS_OF, [dep], [six + 1]) == base - (six - dep)
    assert k.qualifying_days(earlier_s, earlier_e, run, t, 6, 1, AS_OF, [dep], [six]) == base


# --------------------------------------------------------------------------- R5.2


def eu(p_start, p_end, p_weight, start, run_end=INF, departed=(), returned=(), fixed=0):
    size = 2 * len(p_start) + 3
    seg = [[0] * size for _ in range(3)]
    order = sorted(range(len(p_end)), key=p_end.__getitem__)
    return k.eu_long_term(start, start, run_end, p_start, p_end, p_weight, order, AS_OF, list(departed),
                          list(returned), fixed, 5, 1826, 7305, 4000, 10, 365.25 / 12, *seg, 0)  # fmt: skip


def accrued_by_hand(p_start, p_end, p_weight, start, t):
    """R5.2 by definition: per day the largest weight covering it, each period's half days rounded up."""
    total = 0
    for s, e, w in zip(p_start, p_end, p_weight, strict=True):
        days = sum(1 for d in range(max(s, start), min(e, t)) if all(
            not (s2 <= d < e2) or w2 <= w for s2, e2, w2 in zip(p_start, p_end, p_weight, strict=True)))
        total += -(-w * days // 4) * 4
    return total


def test_r5_2_full_weight_five_calendar_years():
    """R5.2, OQ-9: full weight from 11 March 2021: eligible on 11 March 2026 (the 1826 days of
    the 5 calendar years before it), not the day before; the fixed target of 1826.25 days
    needs a day more."""
    assert eu([START], [INF], [4], START)[:3] == (1, D(date(2026, 3, 11)), 0)
    assert eu([START], [INF], [4], START, fixed=1)[1] == D(date(2026, 3, 12))


def test_r5_2_study_counts_half_rounded_up_per_period():
    """R5.2: own study counts half, rounded up to a whole day per period; the date is the first
    day on which the accrual by hand reaches the calendar target (and the day before does not)."""
    s, mid = D(date(2019, 9, 1)), D(date(2023, 9, 1))
    p = ([s, mid], [mid, INF], [2, 4])
    accrues, t, pushed, _ = eu(*p, s)
    assert accrues and not pushed

    def target(day):
        return 4 * (day - k.add_years(day, -5))

    assert accrued_by_hand(*p, s, t) >= target(t) and accrued_by_hand(*p, s, t - 1) < target(t - 1)


def test_r5_2_temporary_purpose_accrues_nothing():
    """R5.2: a run that goes on in a temporary purpose (weight 0) with too little accrued has no date."""
    assert eu([START], [INF], [0], START)[:2] == (0, NA)


def test_r5_2_ten_months_abroad_in_total_push_the_date():
    """R5.2: 10 months or more abroad in the 5 years before the date push it until they fall below."""
    deps = [D(date(2022, 1, 1)), D(date(2023, 1, 1))]
    # two absences of 5 months and 5 days: 310 days abroad, over 10 average months (304.4 days)
    # in total; neither is 6 months (no break)
    rets = [k.add_months(d, 5) + 5 for d in deps]
    accrues, t, pushed, _ = eu([START], [INF], [4], START, departed=deps, returned=rets)
    assert accrues and pushed
    # pushed until the first absence's days fall out of the 5 years before t, far enough
    def months_away(day):
        window = k.add_years(day, -5)
        return sum(max(0, min(r, day) - max(d + 1, window)) for d, r in zip(deps, rets, strict=True)) / (365.25 / 12)

    assert months_away(t) < 10 <= months_away(t - 1)


# --------------------------------------------------------------------------- two runners, one source


CLOCK_RUN = """
import hashlib
from datetime import date
from timeline.synth import make_table
from timeline.batch import assess_table
from timeline.kernels import table as kt
digest = hashlib.sha256()
options = ({"national_absence_threshold": "6-months-or-more", "leap_day_anniversary": "feb28"},
           {"naturalisation_years": "10", "eu_accrual_target": "fixed", "eu_procedural_stay": "gap"},
           {"permanent_reference_date": "decision", "permanent_decision_period": "6-months"})
for seed, option in zip((7, 8, 9), options):
    res, _, _ = assess_table(make_table(400, seed=seed), default_as_of=date(2027, 6, 1), options=option)
    digest.update(res.to_csv(index=False).encode())
print(type(kt.clocks.run_clocks).__name__, digest.hexdigest())
"""


def _run(code: str, disable_jit: bool, **env: str) -> list[str]:
    env = dict(os.environ, **env)
    env.pop("NUMBA_DISABLE_JIT", None)
    if disable_jit:
        env["NUMBA_DISABLE_JIT"] = "1"
    return subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout.split()  # fmt: skip


@needs_numba
def test_compiled_clocks_equal_interpreted_clocks():
    """The clock kernels compiled give the same batch results as interpreted, under the clock options."""
    kind, digest = _run(CLOCK_RUN, False)
    assert kind == "CPUDispatcher"
    assert _run(CLOCK_RUN, True) == ["function", digest]


@needs_numba
def test_a_compiled_kernel_calls_the_compiled_kernels(tmp_path):
    """The runner's calls reach the compiled copies of the rules it calls (compiled in this
    run: a fresh numba cache), not the plain functions of the single case."""
    code = (
        "import numpy as np; from timeline.kernels import table as kt; import timeline.kernels.clocks as plain; "
        "out = np.empty(3, np.int64); kt.clocks.run_add_years(np.array([0, 59, 19782]), 1, out); "
        "print(out.tolist() == [plain.add_years(d, 1) for d in (0, 59, 19782)], kt.clocks.add_months is not "
        "plain.add_months, len(kt.clocks.add_months.signatures), len(kt.clocks.civil_from_days.signatures))"
    )
    same, separate, *signatures = _run(code, False, NUMBA_CACHE_DIR=str(tmp_path))
    assert same == separate == "True" and signatures == ["1", "1"]


def test_r6_5_row_on_request_the_earliest_request_under_the_row_in_force():
    """R6.5: 5 years until day 1000 (row 0), 10 years from day 1000 (row 1). A run that
    completes 5 years on day 999 is requested under row 0; on day 1000 row 0 is no longer in
    force, and under row 1 it completes only later; a term from a later row counts from the
    row's first day at the earliest."""
    rows_from, rows_to = [NA, 1000], [1000, INF]
    assert k.row_on_request([999, 2800], rows_from, rows_to) == (0, 999)
    assert k.row_on_request([1000, 2800], rows_from, rows_to) == (1, 2800)
    assert k.row_on_request([1000, 900], rows_from, rows_to) == (1, 1000)  # not before the row's first day
    assert k.row_on_request([NA, NA], rows_from, rows_to) == (1, NA)  # the clock stops under both
    assert k.row_on_request([1200, NA], rows_from, rows_to) == (1, NA)  # none in force: the last row's


# --------------------------------------------------------------------------- OQ-23


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2020-03-11", "2025-03-11", (60, 0)),
        ("2020-03-11", "2025-03-10", (59, 27)),  # 11 Feb to 10 Mar 2025: 27 days
        ("2024-01-31", "2024-02-29", (1, 0)),  # DC-3: 31 January + 1 month = 29 February
        ("2023-01-31", "2023-03-30", (1, 30)),  # 28 February + 30 days
        ("2020-02-29", "2021-02-28", (12, 0)),
        ("2021-06-15", "2021-06-15", (0, 0)),
    ],
)
def test_months_and_days_counts_calendar_months_from_the_start(start, end, expected):
    assert k.months_and_days(day_number(date.fromisoformat(start)), day_number(date.fromisoformat(end))) == expected
    y, m, d = dates.ymd_between(date.fromisoformat(start), date.fromisoformat(end))
    assert (12 * y + m, d) == expected  # the single case's own years-months-days agrees


def test_ymd_reaches_does_not_make_30_days_a_month():
    """The research brief's example: 5 years + 4 years 11 months 30 days is 9 years 11 months 30 days."""
    assert not k.ymd_reaches(60 + 59, 30, 10)
    assert k.ymd_reaches(60 + 59, 31, 10) and k.ymd_reaches(120, 0, 10)
    assert not k.ymd_reaches(118, 61, 10) and k.ymd_reaches(118, 62, 10)
