"""Half-open day intervals ``[start, end)`` (DC-1, DC-6).

An interval's ``end`` is the first day *not* in it; ``end=None`` means open-ended
(still running, end unknown). All functions return new tuples; nothing is mutated.

>>> merge([Span(date(2021, 1, 1), date(2021, 2, 1)), Span(date(2021, 2, 1), None)])
[Span(start=datetime.date(2021, 1, 1), end=None)]
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

__all__ = ["Span", "clip", "complement", "covers", "find", "merge", "total_days"]


class Span(NamedTuple):
    """A half-open interval of days ``[start, end)``; ``end=None`` is open-ended."""

    start: date
    end: date | None

    def contains(self, d: date) -> bool:
        """True when ``start <= d < end`` (DC-1)."""
        return self.start <= d and (self.end is None or d < self.end)

    def days(self, until: date | None = None) -> int:
        """Length in days; an open end (or one after ``until``) is cut at ``until``."""
        end = self.end if until is None or (self.end is not None and self.end <= until) else until
        if end is None:
            raise ValueError("open-ended span needs 'until'")
        return max(0, (end - self.start).days)


def _end_key(end: date | None) -> date:
    return date.max if end is None else end


def merge(spans: Iterable[Span]) -> list[Span]:
    """Union of spans as sorted, disjoint, non-adjacent spans; empty spans are dropped.

    Touching spans (``a.end == b.start``) merge: consecutive permits are contiguous
    when the next starts on the previous one's end date (DC-1).
    """
    items = sorted((s for s in spans if s.end is None or s.end > s.start), key=lambda s: s.start)
    out: list[Span] = []
    for s in items:
        if out and _end_key(out[-1].end) >= s.start:
            last = out[-1]
            if _end_key(s.end) > _end_key(last.end):
                out[-1] = Span(last.start, s.end)
        else:
            out.append(s)
    return out


def complement(spans: Iterable[Span], start: date, end: date) -> list[Span]:
    """Days of ``[start, end)`` covered by none of ``spans``, as disjoint spans."""
    out: list[Span] = []
    cursor = start
    for s in merge(spans):
        if cursor >= end:
            break
        if _end_key(s.end) <= cursor:
            continue
        if s.start > cursor:
            out.append(Span(cursor, min(s.start, end)))
        cursor = _end_key(s.end)
    if cursor < end:
        out.append(Span(cursor, end))
    return out


def clip(spans: Iterable[Span], start: date, end: date | None) -> list[Span]:
    """Spans cut to ``[start, end)``; spans falling wholly outside are dropped."""
    out: list[Span] = []
    for s in spans:
        a = max(s.start, start)
        b = s.end if end is None else (end if s.end is None else min(s.end, end))
        if b is None or b > a:
            out.append(Span(a, b))
    return out


def total_days(spans: Iterable[Span], until: date) -> int:
    """Number of distinct days covered before ``until`` (overlaps counted once)."""
    return sum(s.days(until) for s in merge(clip(spans, date.min, until)))


def covers(spans: Iterable[Span], d: date) -> bool:
    """True when any span contains day ``d``."""
    return any(s.contains(d) for s in spans)


def find(spans: Iterable[Span], d: date) -> Span | None:
    """The merged run that contains ``d``, or None when ``d`` is not covered."""
    for s in merge(spans):
        if s.contains(d):
            return s
    return None
