"""Property tests (hypothesis) on the engine: DC-6 coverage and gaps, monotonicity."""

from __future__ import annotations

from datetime import date, timedelta

from budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline import Case, Permit, assess
from timeline.intervals import Span, merge

DAY = timedelta(days=1)
days = st.integers(min_value=0, max_value=4000)
PURPOSES = ("partner", "work", "study", "highly-skilled", "search-year", "other-temporary")


@st.composite
def permits(draw, n_max=5):
    base = date(2015, 1, 1)
    out = []
    for _ in range(draw(st.integers(1, n_max))):
        start = base + timedelta(days=draw(days))
        length = draw(st.integers(1, 2500))
        out.append(Permit(draw(st.sampled_from(PURPOSES)), start, start + timedelta(days=length)))
    return tuple(out)


as_of_st = st.builds(lambda n: date(2016, 1, 1) + timedelta(days=n), st.integers(0, 5000))


@settings(max_examples=examples(200), deadline=None)
@given(permits(), as_of_st)
def test_dc6_coverage_plus_gaps_is_the_whole_span(ps, as_of):
    first = min(p.start for p in ps)
    as_of = max(as_of, first)  # a case is not assessed before its first event (engine.check_facts)
    a = assess(Case(id="p", permits=ps), as_of)
    if as_of <= first:
        assert a.gaps == ()
        return
    covered = merge(Span(p.start, p.end) for p in a.residence)
    covered_days = sum(s.days(as_of) for s in covered if s.start < as_of)
    assert covered_days + a.gap_days == (as_of - first).days
    for g in a.gaps:  # gaps are disjoint from coverage
        assert not any(p.start <= g.start and (p.end is None or g.start < p.end) for p in a.residence)


@settings(max_examples=examples(200), deadline=None)
@given(permits(), permits(n_max=1), as_of_st)
def test_adding_a_granted_permit_never_adds_gap_days(ps, extra, as_of):
    as_of = max(as_of, min(p.start for p in ps))  # not before either case's first event (engine.check_facts)
    before = assess(Case(id="p", permits=ps), as_of)
    after = assess(Case(id="p", permits=ps + extra), as_of)
    first_before = min(p.start for p in ps)
    if extra[0].start >= first_before:  # an earlier first permit legitimately widens the window
        assert after.gap_days <= before.gap_days


@settings(max_examples=examples(150), deadline=None)
@given(permits(), as_of_st)
def test_dc5_period_complete_is_the_first_day_with_the_whole_period_covered(ps, as_of):
    """DC-5 / OQ-8: T - N years is on or after the clock start, and for T - 1 day it is not."""
    from timeline.dates import add_years

    as_of = max(as_of, min(p.start for p in ps))  # not before the first event (engine.check_facts)
    a = assess(Case(id="p", permits=ps), as_of)
    for key, clock in (("pr", a.permanent_residence), *((r.route, r.clock) for r in a.naturalisation.routes)):
        if clock.period_complete is not None:
            t, n = clock.period_complete, clock.years
            assert add_years(t, -n) >= clock.clock_start
            if key == "long-residence":  # R6.4: the day before, the 2 years or the 10 in total fall short
                day_before = t - DAY
                assert add_years(day_before, -n) < clock.clock_start or _days_of_toelating(
                    a, day_before
                ) < (day_before - add_years(day_before, -10)).days
            else:
                assert add_years(t - DAY, -n) < clock.clock_start


def _days_of_toelating(a, t: date) -> int:
    """Days of granted permits before ``t``, the run on ``a.as_of`` taken as continuing
    (R6.4, counted here without the engine's interval code)."""
    days: set[int] = set()
    for p in a.residence:
        days.update(range(p.start.toordinal(), (p.end or t).toordinal()))
    run_start = a.as_of.toordinal()
    while run_start - 1 in days:
        run_start -= 1
    days.update(range(run_start, t.toordinal()))
    return sum(1 for d in days if d < t.toordinal())


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31)), st.integers(-1200, 1200))
def test_add_months_matches_dateutil_relativedelta(d, n):
    """DC-3: month arithmetic clamps to the month end exactly like dateutil's relativedelta."""
    from dateutil.relativedelta import relativedelta

    from timeline.dates import add_months

    assert add_months(d, n) == d + relativedelta(months=n)
