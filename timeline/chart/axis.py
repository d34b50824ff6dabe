"""The date axis: tick positions and labels, with month names from the catalogues.

The step follows the span: weeks for a few weeks, the 1st and the 15th for a few months,
then months, quarters, years, as many labels as fit side by side (no machine locale, no
matplotlib date locator).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from ..i18n import month_name
from .spec import Tick
from .style import TICK_PT

__all__ = ["ticks"]


def ticks(
    start: date, end: date, lang: str, ax_width_in: float, width: Callable[..., float], tick_pt: float = TICK_PT
) -> list[Tick]:
    """Month/year ticks labelled with timeline.i18n month names (no machine locale)."""
    span = (end - start).days
    if span <= 45:
        return _weekly(start, end, lang)
    if span <= 120:
        return _twice_monthly(start, end, lang)
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    budget = ax_width_in * 72 / (width("2025", tick_pt) * 2.6)  # labels that fit side by side
    for step in (1, 2, 3, 6, 12, 24, 60):
        if months / step <= budget:
            break
    if step >= 12:
        return _yearly(start, end, step // 12)
    full = width("september", tick_pt) * months < ax_width_in * 72 * 0.8
    return _monthly(start, end, lang, step, full)


def _weekly(start: date, end: date, lang: str) -> list[Tick]:
    """A few weeks: every Monday, the year under the first and under the first week of January."""
    out: list[Tick] = []
    t = start + timedelta(days=(7 - start.weekday()) % 7)
    while t <= end:
        text = f"{t.day} {month_name(t.month, lang, short=True)}"
        if not out or (t.month == 1 and t.day <= 7):
            text += f"\n{t.year}"
        out.append(Tick(t, text, True))
        t += timedelta(days=7)
    return out


def _twice_monthly(start: date, end: date, lang: str) -> list[Tick]:
    """A short span: the 1st and the 15th of each month."""
    out: list[Tick] = []
    d = date(start.year, start.month, 1)
    while d <= end:
        for day in (1, 15):
            t = d.replace(day=day)
            if start <= t <= end:
                text = f"{t.day} {month_name(t.month, lang, short=True)}"
                if t.day == 1 and (t.month == 1 or not out):
                    text += f"\n{t.year}"
                out.append(Tick(t, text, True))
        d = _add_months(d, 1)
    return out


def _yearly(start: date, end: date, years: int) -> list[Tick]:
    """Every ``years`` years on 1 January, with quarterly minor ticks."""
    out: list[Tick] = []
    d = date(start.year + (0 if start.month == 1 else 1), 1, 1)
    while d <= end:
        if (d.year % years) == 0:
            out.append(Tick(d, str(d.year), True))
        d = date(d.year + 1, 1, 1)
    m = date(start.year, start.month, 1)
    while m <= end:
        if m >= start and m.month in (1, 4, 7, 10) and m.month != 1:
            out.append(Tick(m, "", False))
        m = _add_months(m, 1)
    return sorted(out, key=lambda t: (t.date, not t.major))


def _monthly(start: date, end: date, lang: str, step: int, full: bool) -> list[Tick]:
    """Every ``step`` months (names in full when they fit), a minor tick on the others."""
    out: list[Tick] = []
    d = date(start.year, start.month, 1)
    first = True
    while d <= end:
        if d >= start and (d.month - 1) % step == 0:
            text = month_name(d.month, lang, short=not full)
            if d.month == 1 or first:
                text += f"\n{d.year}"
            out.append(Tick(d, text, True))
            first = False
        elif d >= start:
            out.append(Tick(d, "", False))
        d = _add_months(d, 1)
    return out


def _add_months(d: date, n: int) -> date:
    """The first of the month ``n`` months after ``d``'s."""
    m = d.month - 1 + n
    return date(d.year + m // 12, m % 12 + 1, 1)
