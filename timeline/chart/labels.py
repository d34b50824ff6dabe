"""Label placement: labels above a lane's bars, in rows, so that no two overlap.

:func:`place_labels` is a greedy placer over :class:`Item` (a marker with its text, or the
label of a bar too short to hold it); positions are in days, sizes converted from points
by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["Item", "place_labels"]


@dataclass
class Item:
    """A label placed above a lane's bars: a pinned marker with text, or a bar's label."""

    anchor: float  # x of the marker or the point the label refers to
    width: float  # text width in days
    marker: bool
    text: str
    ref: Any  # the RawMarker or the bar index
    row: int = -1
    side: str = "right"
    lo: float = 0.0
    hi: float = 0.0


def _extent(anchor: float, width: float, marker: bool, side: str, r: float, gap: float) -> tuple[float, float]:
    """The x range a label covers on ``side`` of its anchor (a marker's own width included)."""
    if marker:
        if side == "right":
            return anchor - r, anchor + r + gap + width
        return anchor - r - gap - width, anchor + r
    if side == "right":
        return anchor, anchor + width
    if side == "left":
        return anchor - width, anchor
    return anchor - width / 2, anchor + width / 2


def place_labels(items: list[Item], x0: float, x1: float, *, r: float, gap: float, sep: float) -> list[Item]:
    """Greedy label placement in rows above the bars (row 0 nearest to the bars).

    Items are taken from right to left, so labels written to the right of their anchor
    form a staircase. Each goes to the lowest row where its extent (marker plus text,
    ``sep`` apart from others) is free, where it covers no stem of a label in a higher
    row and where its own stem down to the bars crosses no label in a lower row. Text
    goes right of the anchor when it fits inside the axes, else left. When stems cannot
    all stay clear, a new top row is used: text never overlaps text.
    """
    placed: list[Item] = []
    for it in sorted(items, key=lambda i: (-i.anchor, i.text)):
        sides = ("right", "left") if it.marker else ("center", "right", "left")
        options = []
        for side in sides:
            lo, hi = _extent(it.anchor, it.width, it.marker, side, r, gap)
            if lo >= x0 and hi <= x1:
                options.append((side, lo, hi))
        if not options:  # wider than the room on either side: clamp into the axes
            lo = max(x0, min(it.anchor - it.width / 2, x1 - it.width))
            options = [("center", lo, lo + it.width)]
        top = max((p.row for p in placed), default=-1) + 1
        chosen = None
        for row in range(top + 1):
            for side, lo, hi in options:
                if row == top or _fits(placed, row, lo, hi, it.anchor, sep, r):
                    chosen = (row, side, lo, hi)
                    break
            if chosen is not None:
                break
        assert chosen is not None
        it.row, it.side, it.lo, it.hi = chosen
        placed.append(it)
    return placed


def _fits(placed: list[Item], row: int, lo: float, hi: float, anchor: float, sep: float, r: float) -> bool:
    """Whether a label over ``[lo, hi)`` in ``row`` keeps clear of the labels and stems placed."""
    for p in placed:
        if p.row == row:
            if lo < p.hi + sep and p.lo < hi + sep:
                return False
        elif abs(p.anchor - anchor) <= r:
            continue  # same date: the stems coincide
        elif p.row > row and lo - sep / 2 < p.anchor < hi + sep / 2:
            return False  # would cover the stem of a label above
        elif p.row < row and p.lo - sep / 2 < anchor < p.hi + sep / 2:
            return False  # own stem would cross a label below
    return True
