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
import random
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline import dates
from timeline.kernels import clocks as k
from timeline.kernels.residence import NA, day_number

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
