"""Calendar-date arithmetic with typed terms.

Every function here works on :class:`datetime.date` only: no times, no time zones
(DC-7). Terms in days, weeks, months and years are distinct types and are
never converted into one another ("3 months" is not 90 days).

References
----------
- DC-2: a term of N weeks/days runs from the day after the event and ends
  N*7 (or N) days after it.
- DC-3: a term of months/years ends on the same day-number; a day that does
  not exist in the target month becomes that month's last day (29 Feb + 1 year =
  28 Feb).
- DC-5 and OQ-8: "X years immediately preceding date T" holds iff every day
  of ``[T - X years, T)`` qualifies; for a run starting on 29 February the earliest
  such T falls on 1 March (default) or, as an option, on 28 February.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

from .kernels import clocks as _k

__all__ = [
    "MAX_DATE",
    "MIN_DATE",
    "Term",
    "add_days",
    "add_months",
    "add_years",
    "parse_date",
    "period_complete",
    "ymd_between",
]

UNITS = ("days", "weeks", "months", "years")

#: Dates the tool accepts in case data. Far outside any residence history, and inside
#: the range where every term (up to +/- 10 years, 4 weeks, ...) stays a valid date.
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2199, 12, 31)


#: ``date.toordinal()`` of day number 0 (1970-01-01), the kernels' day numbers.
_EPOCH = date(1970, 1, 1).toordinal()


def add_days(d: date, n: int) -> date:
    """Return ``d + n`` days."""
    return d + timedelta(days=n)


def add_months(d: date, n: int) -> date:
    """Add ``n`` calendar months, clamping to the month's last day (DC-3).

    The date face of :func:`timeline.kernels.clocks.add_months` (day numbers), the one
    implementation the clocks and batch use; relativedelta gives the same dates
    (tests/test_properties.py checks it) but is about 7 times slower and imports
    ``calendar``, which the start-up budget of ``timeline assess`` does not need.

    >>> add_months(date(2024, 1, 31), 1)
    datetime.date(2024, 2, 29)
    >>> add_months(date(2026, 3, 11), -3)
    datetime.date(2025, 12, 11)
    """
    return date.fromordinal(_k.add_months(d.toordinal() - _EPOCH, n) + _EPOCH)


def add_years(d: date, n: int) -> date:
    """Add ``n`` years as a term (DC-3): 29 Feb becomes 28 Feb.

    Always add to the anchor date; never chain (``add_years(add_years(d, 1), 1)`` can
    differ from ``add_years(d, 2)`` for 29 February).

    >>> add_years(date(2024, 2, 29), 1)
    datetime.date(2025, 2, 28)
    """
    return add_months(d, 12 * n)


def period_complete(start: date, years: int, leap_day: str = "mar1") -> date:
    """Earliest date T such that every day of ``[T - years, T)`` lies on or after ``start``.

    This is the first day on which a residence (or relationship) period that began
    on ``start`` and continues without interruption is *complete* (DC-5).
    It equals the anniversary of ``start`` except when ``start`` is 29 February and
    the anniversary year is not a leap year: then T is 1 March (``leap_day="mar1"``,
    the default of OQ-8, because ``28 Feb - years`` would be 28 Feb, a day before the
    run began) or 28 February (``leap_day="feb28"``, the OQ-8 alternative).

    >>> period_complete(date(2021, 3, 11), 5)
    datetime.date(2026, 3, 11)
    >>> period_complete(date(2020, 2, 29), 5)
    datetime.date(2025, 3, 1)
    >>> period_complete(date(2020, 2, 29), 5, leap_day="feb28")
    datetime.date(2025, 2, 28)
    """
    if leap_day not in ("mar1", "feb28"):
        raise ValueError(f"leap_day must be 'mar1' or 'feb28', not {leap_day!r}")
    return date.fromordinal(_k.period_complete(start.toordinal() - _EPOCH, years, leap_day == "mar1") + _EPOCH)


class Term(NamedTuple):
    """A legal term: an amount and a unit (days, weeks, months or years).

    >>> Term(4, "weeks").after(date(2024, 2, 1))
    datetime.date(2024, 2, 29)
    >>> str(Term(3, "months"))
    '3 months'
    """

    amount: int
    unit: str

    def after(self, d: date) -> date:
        """The last day of a term that starts the day after ``d`` (DC-2, DC-3).

        For weeks and days this is ``d + 7N`` / ``d + N``; for months and years the
        same day-number N months/years later, clamped to the month end.
        """
        if self.unit == "days":
            return d + timedelta(days=self.amount)
        if self.unit == "weeks":
            return d + timedelta(days=7 * self.amount)
        if self.unit == "months":
            return add_months(d, self.amount)
        return add_years(d, self.amount)

    def __str__(self) -> str:
        unit = self.unit[:-1] if self.amount == 1 else self.unit
        return f"{self.amount} {unit}"


def parse_date(text: str) -> date:
    """Parse an ISO ``YYYY-MM-DD`` date; raise ``ValueError`` otherwise."""
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        raise ValueError(f"{text!r} is not a date in the form YYYY-MM-DD")
    return date.fromisoformat(text)


def ymd_between(start: date, end: date) -> tuple[int, int, int]:
    """Whole years, months and days from ``start`` to ``end`` (``end >= start``).

    Anniversary arithmetic, anchored on ``start`` (never chained):

    >>> ymd_between(date(2021, 3, 11), date(2025, 11, 1))
    (4, 7, 21)
    """
    if end < start:
        raise ValueError("end before start")
    months = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, months) > end:
        months -= 1
    anchor = add_months(start, months)
    return months // 12, months % 12, (end - anchor).days
