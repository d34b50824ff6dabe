"""Calendar arithmetic of :mod:`timeline.dates` over numpy arrays of day numbers.

A day number counts days from 1970-01-01 (``numpy.datetime64[D]`` as int64). Used by
the batch engine (:mod:`timeline.batch`) and the case generator (:mod:`timeline.synth`);
numpy only, so the generator does not load pandas. Each function equals its
:mod:`timeline.dates` namesake day for day (tests/test_batch.py checks it).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import dates

__all__ = ["add_months", "add_years", "civil_from_days", "days_from_civil", "period_complete"]


def civil_from_days(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month, day of day numbers (proleptic Gregorian; H. Hinnant's civil_from_days)."""
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = np.where(mp < 10, mp + 3, mp - 9)
    return yoe + era * 400 + (m <= 2), m, d


def days_from_civil(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Day numbers of (year, month, day) (H. Hinnant's days_from_civil)."""
    y = y - (m <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * np.where(m > 2, m - 3, m + 9) + 2) // 5 + d - 1
    return era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468


_MONTH_DAYS = np.array(dates.MONTH_DAYS, dtype=np.int64)


def _month_length(y: np.ndarray, m: np.ndarray) -> np.ndarray:
    leap = (y % 4 == 0) & ((y % 100 != 0) | (y % 400 == 0))
    return _MONTH_DAYS[m - 1] + (leap & (m == 2))


def add_months(days: np.ndarray, n: Any) -> np.ndarray:
    """``timeline.dates.add_months`` over arrays: clamp to the month's last day (DC-3)."""
    days = np.asarray(days, dtype=np.int64)
    if days.size == 0:
        return days.copy()
    y, m, d = civil_from_days(days)
    month = y * 12 + (m - 1) + n
    y2 = month // 12
    m2 = month - y2 * 12 + 1
    return days_from_civil(y2, m2, np.minimum(d, _month_length(y2, m2)))


def add_years(days: np.ndarray, n: Any) -> np.ndarray:
    """``timeline.dates.add_years``: 29 February + 1 year is 28 February."""
    return add_months(days, np.asarray(n) * 12)


def period_complete(start: np.ndarray, years: Any, mar1: np.ndarray) -> np.ndarray:
    """``timeline.dates.period_complete`` over arrays (DC-5, OQ-8)."""
    start = np.asarray(start, dtype=np.int64)
    if start.size == 0:
        return start.copy()
    y, m, d = civil_from_days(start)
    month = y * 12 + (m - 1) + np.asarray(years) * 12
    y2 = month // 12
    m2 = month - y2 * 12 + 1
    d2 = np.minimum(d, _month_length(y2, m2))
    return days_from_civil(y2, m2, d2) + ((d2 != d) & mar1)
