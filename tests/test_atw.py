"""Tests for timeline.atw: ATW holidays and deadlines (DC-4, R2.2, R8.1-R8.3).

Every expected date here was written out by hand from the Easter dates (themselves
checked against python-dateutil) and weekday reasoning, never computed with the code
under test; the reasoning for the ATW art. 2 cases is in each test's docstring.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

# Until the project is installed or configures pytest's pythonpath, fall back to the
# source checkout. Appended, not prepended, so an installed package still wins.
import pytest
from hypothesis import given
from hypothesis import strategies as st

from timeline.atw import (
    Deadline,
    deadline,
    decree_covers,
    decree_years,
    easter,
    is_non_working_day,
    non_working_reason,
    roll_forward,
    statutory_holidays,
)
from timeline.dates import Term
from timeline.i18n import holiday_name, month_name

D = date


def both(name: str | None) -> tuple[str, str] | None:
    """A day's name as atw gives it (English, the catalogue key) and in Dutch from the catalogue."""
    return None if name is None else (name, holiday_name(name, "nl"))


def named(skipped: tuple[tuple[date, str], ...]) -> tuple[tuple[date, str, str], ...]:
    """Deadline.skipped with each day's English and Dutch name."""
    return tuple((d, name, holiday_name(name, "nl")) for d, name in skipped)


FOUR_WEEKS = Term(4, "weeks")

# --------------------------------------------------------------------------------------
# R8.1: the exact holiday set, 2020-2030, by hand.
# Order per year: New Year, Good Friday, Easter Monday, King's Day, 5 May, Ascension,
# Whit Monday, Christmas, Boxing Day; equated days (ATW art. 3(3)) marked "# KB".
# --------------------------------------------------------------------------------------

# fmt: off
HOLIDAYS_BY_YEAR: dict[int, set[date]] = {
    2020: {  # Easter 12 Apr
        D(2020, 1, 1), D(2020, 4, 10), D(2020, 4, 13), D(2020, 4, 27), D(2020, 5, 5),
        D(2020, 5, 21), D(2020, 6, 1), D(2020, 12, 25), D(2020, 12, 26),
    },
    2021: {  # Easter 4 Apr
        D(2021, 1, 1), D(2021, 4, 2), D(2021, 4, 5), D(2021, 4, 27), D(2021, 5, 5),
        D(2021, 5, 13), D(2021, 5, 24), D(2021, 12, 25), D(2021, 12, 26),
    },
    2022: {  # Easter 17 Apr
        D(2022, 1, 1), D(2022, 4, 15), D(2022, 4, 18), D(2022, 4, 27), D(2022, 5, 5),
        D(2022, 5, 26), D(2022, 6, 6), D(2022, 12, 25), D(2022, 12, 26),
    },
    2023: {  # Easter 9 Apr
        D(2023, 1, 1), D(2023, 4, 7), D(2023, 4, 10), D(2023, 4, 27), D(2023, 5, 5),
        D(2023, 5, 18), D(2023, 5, 29), D(2023, 12, 25), D(2023, 12, 26),
        D(2023, 4, 28), D(2023, 5, 19),  # KB
    },
    2024: {  # Easter 31 Mar; 27 Apr is a Saturday (stays)
        D(2024, 1, 1), D(2024, 3, 29), D(2024, 4, 1), D(2024, 4, 27), D(2024, 5, 5),
        D(2024, 5, 9), D(2024, 5, 20), D(2024, 12, 25), D(2024, 12, 26),
        D(2024, 5, 10), D(2024, 12, 27),  # KB
    },
    2025: {  # Easter 20 Apr; 27 Apr is a Sunday -> King's Day Saturday 26 Apr
        D(2025, 1, 1), D(2025, 4, 18), D(2025, 4, 21), D(2025, 4, 26), D(2025, 5, 5),
        D(2025, 5, 29), D(2025, 6, 9), D(2025, 12, 25), D(2025, 12, 26),
        D(2025, 5, 30),  # KB
    },
    2026: {  # Easter 5 Apr
        D(2026, 1, 1), D(2026, 4, 3), D(2026, 4, 6), D(2026, 4, 27), D(2026, 5, 5),
        D(2026, 5, 14), D(2026, 5, 25), D(2026, 12, 25), D(2026, 12, 26),
        D(2026, 1, 2), D(2026, 5, 15),  # KB
    },
    2027: {  # Easter 28 Mar
        D(2027, 1, 1), D(2027, 3, 26), D(2027, 3, 29), D(2027, 4, 27), D(2027, 5, 5),
        D(2027, 5, 6), D(2027, 5, 17), D(2027, 12, 25), D(2027, 12, 26),
        D(2027, 5, 7),  # KB
    },
    2028: {  # Easter 16 Apr
        D(2028, 1, 1), D(2028, 4, 14), D(2028, 4, 17), D(2028, 4, 27), D(2028, 5, 5),
        D(2028, 5, 25), D(2028, 6, 5), D(2028, 12, 25), D(2028, 12, 26),
        D(2028, 4, 28), D(2028, 5, 26),  # KB
    },
    2029: {  # Easter 1 Apr
        D(2029, 1, 1), D(2029, 3, 30), D(2029, 4, 2), D(2029, 4, 27), D(2029, 5, 5),
        D(2029, 5, 10), D(2029, 5, 21), D(2029, 12, 25), D(2029, 12, 26),
    },
    2030: {  # Easter 21 Apr; 27 Apr is a Saturday (stays)
        D(2030, 1, 1), D(2030, 4, 19), D(2030, 4, 22), D(2030, 4, 27), D(2030, 5, 5),
        D(2030, 5, 30), D(2030, 6, 10), D(2030, 12, 25), D(2030, 12, 26),
    },
}

EQUATED_BY_YEAR: dict[int, set[date]] = {
    2020: set(), 2021: set(), 2022: set(),
    2023: {D(2023, 4, 28), D(2023, 5, 19)},
    2024: {D(2024, 5, 10), D(2024, 12, 27)},
    2025: {D(2025, 5, 30)},
    2026: {D(2026, 1, 2), D(2026, 5, 15)},
    2027: {D(2027, 5, 7)},
    2028: {D(2028, 4, 28), D(2028, 5, 26)},
    2029: set(), 2030: set(),
}
# fmt: on


@pytest.mark.parametrize("year", sorted(HOLIDAYS_BY_YEAR))
def test_r8_1_exact_holiday_set(year: int) -> None:
    """R8.1: exactly the ATW art. 3 days plus the equated days of that year."""
    assert set(statutory_holidays(year)) == HOLIDAYS_BY_YEAR[year]


@pytest.mark.parametrize("year", sorted(EQUATED_BY_YEAR))
def test_r8_1_equated_days_by_decree(year: int) -> None:
    """R8.1 / ATW art. 3(3): equated days 2023-2028 only, none for 2020-2022, 2029, 2030."""
    equated = {d for d, en in statutory_holidays(year).items() if "equated" in en}
    assert equated == EQUATED_BY_YEAR[year]


# R8.1 table 2025-2027, row by row: (column, date, English name).
R8_1_TABLE = [
    ("2025 Good Friday", D(2025, 4, 18), "Good Friday"),
    ("2025 Easter Monday", D(2025, 4, 21), "Easter Monday"),
    ("2025 King's Day", D(2025, 4, 26), "King's Day"),
    ("2025 5 May", D(2025, 5, 5), "Liberation Day"),
    ("2025 Ascension", D(2025, 5, 29), "Ascension Day"),
    ("2025 Whit Monday", D(2025, 6, 9), "Whit Monday"),
    ("2025 equated", D(2025, 5, 30), "Day after Ascension Day (equated day)"),
    ("2026 Good Friday", D(2026, 4, 3), "Good Friday"),
    ("2026 Easter Monday", D(2026, 4, 6), "Easter Monday"),
    ("2026 King's Day", D(2026, 4, 27), "King's Day"),
    ("2026 5 May", D(2026, 5, 5), "Liberation Day"),
    ("2026 Ascension", D(2026, 5, 14), "Ascension Day"),
    ("2026 Whit Monday", D(2026, 5, 25), "Whit Monday"),
    ("2026 equated 2 Jan", D(2026, 1, 2), "Day after New Year's Day (equated day)"),
    ("2026 equated 15 May", D(2026, 5, 15), "Day after Ascension Day (equated day)"),
    ("2027 Good Friday", D(2027, 3, 26), "Good Friday"),
    ("2027 Easter Monday", D(2027, 3, 29), "Easter Monday"),
    ("2027 King's Day", D(2027, 4, 27), "King's Day"),
    ("2027 5 May", D(2027, 5, 5), "Liberation Day"),
    ("2027 Ascension", D(2027, 5, 6), "Ascension Day"),
    ("2027 Whit Monday", D(2027, 5, 17), "Whit Monday"),
    ("2027 equated", D(2027, 5, 7), "Day after Ascension Day (equated day)"),
]


@pytest.mark.parametrize(("label", "day", "name_en"), R8_1_TABLE, ids=[r[0] for r in R8_1_TABLE])
def test_r8_1_table_2025_2027(label: str, day: date, name_en: str) -> None:
    """R8.1 computed ATW calendar 2025-2027."""
    assert statutory_holidays(day.year)[day] == name_en


def test_r8_1_kings_day_2025_is_saturday_26_april() -> None:
    """R8.1 / [S9]: 27 April 2025 is a Sunday, so King's Day is Saturday 26 April."""
    assert both(statutory_holidays(2025)[D(2025, 4, 26)]) == ("King's Day", "Koningsdag")
    assert D(2025, 4, 26).weekday() == 5


def test_r8_1_kings_day_2025_sunday_27_april_is_not_a_holiday() -> None:
    """R8.1: the Sunday 27 April 2025 itself is not King's Day (only a Sunday)."""
    assert D(2025, 4, 27) not in statutory_holidays(2025)


def test_r8_1_dutch_names() -> None:
    """R8.1: Dutch names follow ATW art. 3 (tweede Paas-/Pinksterdag, beide Kerstdagen)."""
    names = {d: both(name)[1] for d, name in statutory_holidays(2026).items()}
    assert names[D(2026, 4, 6)] == "Tweede Paasdag"
    assert names[D(2026, 5, 25)] == "Tweede Pinksterdag"
    assert names[D(2026, 12, 26)] == "Tweede Kerstdag"
    assert names[D(2026, 4, 3)] == "Goede Vrijdag"


def test_r8_1_liberation_day_is_a_holiday_every_year() -> None:
    """R8.1: 5 May counts every year (not only every fifth year as in many CAOs)."""
    assert all(D(y, 5, 5) in statutory_holidays(y) for y in range(1990, 2060))


def test_r8_1_two_holidays_on_one_day_2016() -> None:
    """R8.1: 5 May 2016 was both Liberation Day and Ascension Day (Easter 27 Mar)."""
    en, nl = both(statutory_holidays(2016)[D(2016, 5, 5)])
    assert "Liberation Day" in en and "Ascension Day" in en
    assert "Bevrijdingsdag" in nl and "Hemelvaartsdag" in nl


def test_r8_1_queens_day_2006_moved_to_saturday() -> None:
    """R8.1 (history, optional): 30 April 2006 was a Sunday; Queen's Day was Sat 29 April."""
    assert both(statutory_holidays(2006)[D(2006, 4, 29)]) == ("Queen's Day", "Koninginnedag")


def test_r8_1_queens_day_1978_moved_to_monday() -> None:
    """R8.1 (history, optional): before 1980 a Sunday 30 April moved to Monday 1 May."""
    assert D(1978, 5, 1) in statutory_holidays(1978)


def test_r8_1_statutory_holidays_returns_a_copy() -> None:
    """R8.1: callers cannot corrupt the cached calendar."""
    statutory_holidays(2026).clear()
    assert D(2026, 1, 1) in statutory_holidays(2026)


# Negative side: days that are NOT statutory holidays.
NOT_HOLIDAYS = [
    ("Christmas Eve 2025", D(2025, 12, 24)),
    ("New Year's Eve 2025", D(2025, 12, 31)),
    ("Christmas Eve 2026", D(2026, 12, 24)),
    ("New Year's Eve 2026", D(2026, 12, 31)),
    ("Easter Sunday 2026 (a Sunday anyway)", D(2026, 4, 5)),
    ("Whit Sunday 2026 (a Sunday anyway)", D(2026, 5, 24)),
    ("Remembrance Day 4 May 2026", D(2026, 5, 4)),
    ("2 Jan 2025: no decree", D(2025, 1, 2)),
    ("2 Jan 2027: Saturday, no decree", D(2027, 1, 2)),
    ("26 Apr 2026: Sunday before King's Day", D(2026, 4, 26)),
    ("Maundy Thursday 2026", D(2026, 4, 2)),
    ("Tuesday after Easter 2026", D(2026, 4, 7)),
    ("Friday after Ascension 2022: no decree recorded", D(2022, 5, 27)),
    ("Friday after Ascension 2029: no decree recorded", D(2029, 5, 11)),
    ("Friday after King's Day 2029", D(2029, 4, 28)),
    ("1 May 2026 (Labour Day is not an ATW holiday)", D(2026, 5, 1)),
]


@pytest.mark.parametrize(("label", "day"), NOT_HOLIDAYS, ids=[n[0] for n in NOT_HOLIDAYS])
def test_r8_1_not_a_holiday(label: str, day: date) -> None:
    """R8.1 negative side: not an ATW holiday or equated day."""
    assert day not in statutory_holidays(day.year)


@pytest.mark.parametrize(
    "day",
    [D(2025, 12, 24), D(2025, 12, 31), D(2026, 5, 4), D(2025, 1, 2), D(2026, 4, 2), D(2022, 5, 27)],
)
def test_dc_4_weekday_non_holiday_is_working_day(day: date) -> None:
    """DC-4: a weekday that is no holiday is a working day for the ATW."""
    assert not is_non_working_day(day)


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (D(2026, 4, 4), ("Saturday", "zaterdag")),
        (D(2026, 4, 5), ("Sunday", "zondag")),
        (D(2026, 4, 6), ("Easter Monday", "Tweede Paasdag")),
        (D(2025, 4, 26), ("King's Day", "Koningsdag")),  # a holiday name wins over Saturday
        (D(2026, 12, 26), ("Boxing Day", "Tweede Kerstdag")),  # also a Saturday
        (
            D(2026, 1, 2),
            ("Day after New Year's Day (equated day)", "dag na Nieuwjaarsdag (gelijkgestelde dag)"),
        ),
        (D(2026, 4, 7), None),
    ],
)
def test_dc_4_non_working_reason(day: date, reason: tuple[str, str] | None) -> None:
    """DC-4: the reason a day is not a working day (ATW art. 1(1))."""
    assert both(non_working_reason(day)) == reason


# --------------------------------------------------------------------------------------
# Easter (R8.1 "Easter algorithm checked").
# --------------------------------------------------------------------------------------

# fmt: off
EASTER_2000_2035 = {
    2000: D(2000, 4, 23), 2001: D(2001, 4, 15), 2002: D(2002, 3, 31), 2003: D(2003, 4, 20),
    2004: D(2004, 4, 11), 2005: D(2005, 3, 27), 2006: D(2006, 4, 16), 2007: D(2007, 4, 8),
    2008: D(2008, 3, 23), 2009: D(2009, 4, 12), 2010: D(2010, 4, 4), 2011: D(2011, 4, 24),
    2012: D(2012, 4, 8), 2013: D(2013, 3, 31), 2014: D(2014, 4, 20), 2015: D(2015, 4, 5),
    2016: D(2016, 3, 27), 2017: D(2017, 4, 16), 2018: D(2018, 4, 1), 2019: D(2019, 4, 21),
    2020: D(2020, 4, 12), 2021: D(2021, 4, 4), 2022: D(2022, 4, 17), 2023: D(2023, 4, 9),
    2024: D(2024, 3, 31), 2025: D(2025, 4, 20), 2026: D(2026, 4, 5), 2027: D(2027, 3, 28),
    2028: D(2028, 4, 16), 2029: D(2029, 4, 1), 2030: D(2030, 4, 21), 2031: D(2031, 4, 13),
    2032: D(2032, 3, 28), 2033: D(2033, 4, 17), 2034: D(2034, 4, 9), 2035: D(2035, 3, 25),
}
# fmt: on


@pytest.mark.parametrize("year", sorted(EASTER_2000_2035))
def test_r8_1_easter_known_dates(year: int) -> None:
    """R8.1: Gregorian Easter Sunday, hand list 2000-2035."""
    assert easter(year) == EASTER_2000_2035[year]


def _computus(year: int) -> date:
    """Easter Sunday by the Anonymous Gregorian algorithm (Meeus/Jones/Butcher), an
    implementation independent of python-dateutil's, which :func:`easter` uses."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return date(year, month, day + 1)


def test_r8_1_easter_matches_the_computus_1900_2200() -> None:
    """R8.1: python-dateutil's Easter (used by the tool) equals the Meeus/Jones/Butcher computus 1900-2200."""
    assert [easter(y) for y in range(1900, 2201)] == [_computus(y) for y in range(1900, 2201)]


def test_r8_1_easter_is_a_sunday() -> None:
    """R8.1: sanity: every computed Easter is a Sunday between 22 March and 25 April."""
    for y in range(1583, 3000):
        e = easter(y)
        assert e.weekday() == 6 and D(y, 3, 22) <= e <= D(y, 4, 25)


# --------------------------------------------------------------------------------------
# R2.2 and R8.2 worked examples (4 weeks after the event, ATW roll).
# --------------------------------------------------------------------------------------

WORKED = [
    ("R2.2 ex1 Good Friday + Easter", D(2026, 3, 6), D(2026, 4, 3), D(2026, 4, 7)),
    ("R2.2 ex2 Ascension + equated day", D(2026, 4, 16), D(2026, 5, 14), D(2026, 5, 18)),
    ("R2.2 ex3 New Year 2027", D(2026, 12, 4), D(2027, 1, 1), D(2027, 1, 4)),
    ("R2.2 ex4 leap day, not rolled", D(2024, 2, 1), D(2024, 2, 29), D(2024, 2, 29)),
    ("R8.2 Liberation Day 2025", D(2025, 4, 7), D(2025, 5, 5), D(2025, 5, 6)),
]


@pytest.mark.parametrize(("label", "event", "raw", "expected"), WORKED, ids=[w[0] for w in WORKED])
def test_r2_2_r8_2_worked_examples(label: str, event: date, raw: date, expected: date) -> None:
    """R2.2 examples 1-4 and R8.2: raw = event + 28 days; deadline after the ATW."""
    result = deadline(event, FOUR_WEEKS)
    assert (result.raw, result.deadline, result.atw_applied) == (raw, expected, True)


def test_r2_2_example_1_skipped_days() -> None:
    """R2.2 ex. 1: rolled past exactly Good Friday, Saturday, Sunday and Easter Monday."""
    assert named(deadline(D(2026, 3, 6), FOUR_WEEKS).skipped) == (
        (D(2026, 4, 3), "Good Friday", "Goede Vrijdag"),
        (D(2026, 4, 4), "Saturday", "zaterdag"),
        (D(2026, 4, 5), "Sunday", "zondag"),
        (D(2026, 4, 6), "Easter Monday", "Tweede Paasdag"),
    )


def test_r2_2_example_1_day_before_not_rolled() -> None:
    """R2.2 boundary: separation Thu 5 Mar 2026 -> Thu 2 Apr (a working day), no roll."""
    result = deadline(D(2026, 3, 5), FOUR_WEEKS)
    assert (result.deadline, result.skipped) == (D(2026, 4, 2), ())


def test_r2_2_example_1_day_after_also_tuesday() -> None:
    """R2.2 boundary: separation Sat 7 Mar 2026 -> raw Sat 4 Apr -> also Tue 7 Apr."""
    assert deadline(D(2026, 3, 7), FOUR_WEEKS).deadline == D(2026, 4, 7)


def test_r2_2_example_1_tuesday_after_is_its_own_raw_date() -> None:
    """R2.2 boundary: separation Tue 10 Mar 2026 -> Tue 7 Apr, a working day, no roll."""
    result = deadline(D(2026, 3, 10), FOUR_WEEKS)
    assert (result.raw, result.deadline, result.skipped) == (D(2026, 4, 7), D(2026, 4, 7), ())


def test_r2_2_example_2_skipped_days() -> None:
    """R2.2 ex. 2: Ascension Day, the equated Friday 15 May 2026, Saturday, Sunday."""
    assert [s[0] for s in deadline(D(2026, 4, 16), FOUR_WEEKS).skipped] == [
        D(2026, 5, 14),
        D(2026, 5, 15),
        D(2026, 5, 16),
        D(2026, 5, 17),
    ]


def test_r2_2_example_4_nothing_skipped() -> None:
    """R2.2 ex. 4: Thursday 29 February 2024 is a working day; the ATW applies but moves nothing."""
    result = deadline(D(2024, 2, 1), FOUR_WEEKS)
    assert (result.skipped, result.art2_extended) == ((), False)


def test_r8_2_skipped_liberation_day() -> None:
    """R8.2: only Monday 5 May 2025 (Liberation Day) was skipped."""
    assert named(deadline(D(2025, 4, 7), FOUR_WEEKS).skipped) == ((D(2025, 5, 5), "Liberation Day", "Bevrijdingsdag"),)


def test_r8_3_decision_period_90_days() -> None:
    """R8.3: decision_due = roll_ATW(received + 90 days): 2026-01-04 + 90 = Sat 4 Apr -> Tue 7 Apr."""
    assert deadline(D(2026, 1, 4), Term(90, "days")).deadline == D(2026, 4, 7)


def test_deadline_fields() -> None:
    """DC-2: the result carries the inputs unchanged."""
    result = deadline(D(2026, 3, 6), FOUR_WEEKS)
    assert isinstance(result, Deadline)
    assert (result.event, result.term) == (D(2026, 3, 6), FOUR_WEEKS)


def test_dc_4_roll_forward_art_1_only() -> None:
    """DC-4 / ATW art. 1: Good Friday 2026 rolls to Tuesday 7 April."""
    assert roll_forward(D(2026, 4, 3)) == D(2026, 4, 7)


def test_dc_4_roll_forward_working_day_unchanged() -> None:
    """DC-4 / ATW art. 1: a working day stays."""
    assert roll_forward(D(2026, 4, 7)) == D(2026, 4, 7)


# --------------------------------------------------------------------------------------
# ATW art. 4 (and arts. 1(2), 5): which terms roll. Every raw date below is
# Saturday 4 April 2026; when the ATW applies it rolls past Sun 5 and Easter
# Monday 6 April to Tuesday 7 April 2026.
# --------------------------------------------------------------------------------------

SAT = D(2026, 4, 4)
ROLLED = D(2026, 4, 7)

ART4 = [
    # label, event, term, kwargs, atw applied?
    ("90 days applies", D(2026, 1, 4), Term(90, "days"), {}, True),
    ("91 days excluded", D(2026, 1, 3), Term(91, "days"), {}, False),
    ("12 weeks applies", D(2026, 1, 10), Term(12, "weeks"), {}, True),
    ("13 weeks excluded", D(2026, 1, 3), Term(13, "weeks"), {}, False),
    ("3 months applies", D(2026, 1, 4), Term(3, "months"), {}, True),
    ("4 months excluded", D(2025, 12, 4), Term(4, "months"), {}, False),
    ("1 year excluded", D(2025, 4, 4), Term(1, "years"), {}, False),
    ("not statutory", D(2026, 3, 7), FOUR_WEEKS, {"statutory": False}, False),
    ("atw=False", D(2026, 3, 7), FOUR_WEEKS, {"atw": False}, False),
    ("atw=True overrides art. 4", D(2025, 12, 4), Term(4, "months"), {"atw": True}, True),
    (
        "atw=True overrides statutory=False",
        D(2026, 3, 7),
        FOUR_WEEKS,
        {"atw": True, "statutory": False},
        True,
    ),
    ("backwards term", D(2026, 5, 2), Term(-4, "weeks"), {}, False),
    ("backwards term, even with atw=True", D(2026, 5, 2), Term(-4, "weeks"), {"atw": True}, False),
]


@pytest.mark.parametrize(("label", "event", "term", "kwargs", "applies"), ART4, ids=[a[0] for a in ART4])
def test_r8_1_atw_art_4_applicability(label: str, event: date, term: Term, kwargs: dict, applies: bool) -> None:
    """R8.1 / DC-4: ATW art. 4(a) exclusions, art. 1(2) backwards terms, arts. 1(1)/5 statutory."""
    result = deadline(event, term, **kwargs)
    assert (result.raw, result.atw_applied, result.deadline) == (SAT, applies, ROLLED if applies else SAT)


@pytest.mark.parametrize(
    ("term", "kwargs", "fragment"),
    [
        (Term(91, "days"), {}, "art. 4(a): terms of more than 90 days"),
        (Term(13, "weeks"), {}, "art. 4(a): terms of more than twelve weeks"),
        (Term(4, "months"), {}, "art. 4(a): terms of more than three months"),
        (Term(1, "years"), {}, "art. 4(a): terms of one or more years"),
        (Term(-4, "weeks"), {}, "art. 1(2)"),
        (FOUR_WEEKS, {"statutory": False}, "arts. 1(1), 5"),
        (FOUR_WEEKS, {}, "not excluded by art. 4(a)"),
    ],
)
def test_r8_1_atw_reason_cites_article(term: Term, kwargs: dict, fragment: str) -> None:
    """R8.1: the reason names the article that decides."""
    assert fragment in deadline(D(2026, 1, 1), term, **kwargs).atw_reason


def test_r8_1_not_applied_has_no_skipped_days() -> None:
    """R8.1: an excluded term keeps its raw date and skips nothing."""
    result = deadline(D(2025, 4, 4), Term(1, "years"))
    assert (result.skipped, result.art2_extended) == ((), False)


def test_r8_1_unknown_unit_rejected() -> None:
    """R8.1: terms in hours are excluded by art. 4(a) and not representable here."""
    with pytest.raises(ValueError, match="unknown term unit"):
        deadline(D(2026, 1, 1), Term(48, "hours"))


# --------------------------------------------------------------------------------------
# ATW art. 2: a term of at least three days must contain two working days.
# --------------------------------------------------------------------------------------


def test_r8_1_art_2_not_needed_wed_23_dec_2026() -> None:
    """R8.1 ATW art. 2: 3 days from Wed 23 Dec 2026.

    Term: Thu 24 (working), Fri 25 (Christmas), Sat 26 (Boxing Day) -> raw Sat 26;
    art. 1: Sun 27 -> Mon 28. The term 24-28 Dec holds two working days (24, 28):
    art. 2 adds nothing. Deadline Mon 28 Dec 2026.
    """
    result = deadline(D(2026, 12, 23), Term(3, "days"))
    assert (result.raw, result.deadline, result.art2_extended) == (D(2026, 12, 26), D(2026, 12, 28), False)


def test_r8_1_art_2_extends_thu_24_dec_2026() -> None:
    """R8.1 ATW art. 2: 3 days from Thu 24 Dec 2026.

    Term: Fri 25 (Christmas), Sat 26 (Boxing Day), Sun 27 -> raw Sun 27; art. 1 -> Mon 28.
    The term 25-28 Dec holds one working day (28): art. 2 extends to Tue 29 Dec 2026.
    """
    result = deadline(D(2026, 12, 24), Term(3, "days"))
    assert (result.raw, result.deadline, result.art2_extended) == (D(2026, 12, 27), D(2026, 12, 29), True)


def test_r8_1_art_2_skipped_only_non_working_days() -> None:
    """R8.1 ATW art. 2: the working Monday 28 Dec 2026 passed by art. 2 is not "skipped"."""
    assert named(deadline(D(2026, 12, 24), Term(3, "days")).skipped) == ((D(2026, 12, 27), "Sunday", "zondag"),)


def test_r8_1_art_2_not_for_two_day_term() -> None:
    """R8.1 ATW art. 2 needs at least three days: 2 days from Thu 24 Dec 2026.

    Raw Sat 26 -> art. 1 -> Mon 28 Dec; the term (25-28) has one working day, but a
    two-day term is not subject to art. 2. Deadline Mon 28 Dec 2026.
    """
    result = deadline(D(2026, 12, 24), Term(2, "days"))
    assert (result.deadline, result.art2_extended) == (D(2026, 12, 28), False)


def test_r8_1_art_2_extends_when_raw_is_a_working_day() -> None:
    """R8.1 ATW art. 2 alone: 4 days from Thu 24 Dec 2026.

    Raw Mon 28 Dec is a working day (art. 1 does nothing), but 25-28 Dec holds only
    one working day: extended to Tue 29 Dec 2026. Nothing non-working was skipped.
    """
    result = deadline(D(2026, 12, 24), Term(4, "days"))
    assert (result.raw, result.deadline, result.art2_extended, result.skipped) == (
        D(2026, 12, 28),
        D(2026, 12, 29),
        True,
        (),
    )


def test_r8_1_art_2_easter_2026() -> None:
    """R8.1 ATW art. 2: 3 days from Maundy Thursday 2 Apr 2026.

    Term: Fri 3 (Good Friday), Sat 4, Sun 5 -> raw Sun 5; art. 1: Mon 6 (Easter
    Monday) -> Tue 7. Term 3-7 Apr has one working day (7): art. 2 -> Wed 8 Apr 2026.
    """
    result = deadline(D(2026, 4, 2), Term(3, "days"))
    assert (result.deadline, result.art2_extended) == (D(2026, 4, 8), True)


def test_r8_1_art_2_extension_skips_liberation_day_2026() -> None:
    """R8.1 ATW art. 2 + 5 May: 3 days from Fri 1 May 2026.

    Term: Sat 2, Sun 3, Mon 4 May (working; 4 May is no holiday) -> raw Mon 4, no
    art. 1 roll. One working day only, so art. 2 extends: Tue 5 May (Liberation Day)
    does not count, Wed 6 May does. Deadline Wed 6 May 2026; 5 May was skipped.
    """
    result = deadline(D(2026, 5, 1), Term(3, "days"))
    assert (result.raw, result.deadline, named(result.skipped)) == (
        D(2026, 5, 4),
        D(2026, 5, 6),
        ((D(2026, 5, 5), "Liberation Day", "Bevrijdingsdag"),),
    )


def test_r8_1_art_2_extension_over_weekend_2013() -> None:
    """R8.1 ATW art. 2: 3 days from Tue 24 Dec 2013 (no equated days that year).

    Term: Wed 25, Thu 26 (Christmas), Fri 27 (working) -> raw Fri 27, no roll; one
    working day, so art. 2 extends past Sat 28 and Sun 29 to Mon 30 Dec 2013.
    """
    result = deadline(D(2013, 12, 24), Term(3, "days"))
    assert (result.deadline, [s[0] for s in result.skipped]) == (
        D(2013, 12, 30),
        [D(2013, 12, 28), D(2013, 12, 29)],
    )


def test_r8_1_art_2_with_equated_day_2024() -> None:
    """R8.1 ATW arts. 2, 3(3): 3 days from Tue 24 Dec 2024.

    Term: Wed 25, Thu 26 (Christmas), Fri 27 (equated by decree) -> raw Fri 27;
    art. 1: Sat 28, Sun 29 -> Mon 30. Term 25-30 Dec holds one working day (30):
    art. 2 -> Tue 31 Dec 2024 (without the decree it would be Mon 30, as in 2013).
    """
    result = deadline(D(2024, 12, 24), Term(3, "days"))
    assert (result.deadline, result.art2_extended) == (D(2024, 12, 31), True)


# --------------------------------------------------------------------------------------
# decree_covered: ATW art. 3(3) decrees recorded for 2023-2028 only.
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "covered"),
    [(2022, False), (2023, True), (2025, True), (2026, True), (2028, True), (2029, False)],
)
def test_r8_1_decree_covers(year: int, covered: bool) -> None:
    """R8.1: the equated-days decrees 2023-2025 and 2026-2028 are recorded."""
    assert decree_covers(year) is covered


def test_r8_1_decree_years() -> None:
    """R8.1: decree coverage derived from the CSV: 2023 through 2028."""
    assert decree_years() == (2023, 2028)


@pytest.mark.parametrize(
    ("event", "covered"),
    [
        (D(2026, 3, 6), True),  # R2.2 ex. 1, 2026
        (D(2029, 3, 1), False),  # raw Thu 29 Mar 2029
        (D(2022, 3, 1), False),  # raw Tue 29 Mar 2022
        (D(2028, 12, 1), True),  # raw Fri 29 Dec 2028, working: stays in 2028
    ],
)
def test_r8_1_deadline_decree_covered(event: date, covered: bool) -> None:
    """R8.1: a deadline that depends on a year without a recorded decree is flagged."""
    assert deadline(event, FOUR_WEEKS).decree_covered is covered


def test_r8_1_decree_covered_false_when_roll_enters_2029() -> None:
    """R8.1: 10 days from Wed 20 Dec 2028 -> raw Sat 30 Dec -> Sun 31, New Year -> Tue 2 Jan 2029."""
    result = deadline(D(2028, 12, 20), Term(10, "days"))
    assert (result.deadline, result.decree_covered) == (D(2029, 1, 2), False)


def test_r8_1_decree_covered_true_without_atw() -> None:
    """R8.1: a term the ATW does not touch does not depend on the decrees."""
    assert deadline(D(2028, 6, 1), Term(1, "years")).decree_covered is True


def test_r8_1_equated_days_csv_matches_decree_titles() -> None:
    """R8.1: each row's date is named in its decree's title (Dutch "28 april 2023")."""
    path = Path(__file__).resolve().parents[1] / "timeline" / "rules" / "equated_days.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 10
    for row in rows:
        day = date.fromisoformat(row["date"])
        assert f"{day.day} {month_name(day.month, 'nl')} {day.year}" in row["decree"]
        assert row["decree"].startswith("Besluit gelijkstelling van ")
        assert row["source"].startswith("https://")


# --------------------------------------------------------------------------------------
# Property test (DC-4): deadlines for random 1-12 week terms 2000-2040.
# --------------------------------------------------------------------------------------


@given(
    event=st.dates(min_value=D(2000, 1, 1), max_value=D(2040, 12, 31)),
    weeks=st.integers(min_value=1, max_value=12),
)
def test_dc_4_property_week_terms(event: date, weeks: int) -> None:
    """DC-4: deadline >= raw, never a non-working day, and only non-working days in between."""
    result = deadline(event, Term(weeks, "weeks"))
    assert result.raw == event + timedelta(days=7 * weeks)
    assert result.atw_applied
    assert result.deadline >= result.raw
    assert not is_non_working_day(result.deadline)
    if not result.art2_extended:
        day = result.raw + timedelta(days=1)
        while day < result.deadline:
            assert is_non_working_day(day)
            day += timedelta(days=1)
        assert result.deadline == roll_forward(result.raw)
    assert [s[0] for s in result.skipped] == [
        result.raw + timedelta(days=i)
        for i in range((result.deadline - result.raw).days)
        if is_non_working_day(result.raw + timedelta(days=i))
    ]
