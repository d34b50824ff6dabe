"""Rows and positions inside the lanes: bar rows, where each label goes, y positions.

For one label size, :func:`lane_rows` packs a lane's bars into rows, puts each bar's label
inside the bar, beside it or (when neither fits) above the bars with the markers' labels
(:func:`timeline.chart.labels.place_labels`). :func:`position_lane` then turns rows into
y positions (row units from the top of the first lane) and the lane's records of the spec.
x positions are day ordinals; sizes in points become days with ``days_per_pt``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from .labels import Item, place_labels
from .lanes import LaneContent, RawBar, RawMarker
from .spec import Bar, Lane, Marker, Note, Placement
from .style import (
    BAR_FILL,
    BAR_UNITS,
    ITEM_GAP_PT,
    ITEM_UNITS,
    MARKER_R_PT,
    MILESTONE_R_PT,
    MIN_BAR_PT,
    PAD_UNITS,
    TEXT_PAD_PT,
)

__all__ = ["LaneRows", "PositionedLane", "bar_rows", "lane_rows", "position_lane"]

#: Where a bar's label sits in the bar's own row: (where, x, horizontal alignment, width in days).
Inline = tuple[str, float, str, float]


@dataclass
class LaneRows:
    """The rows of one lane for one label size.

    ``rows``: the bar row of each bar; ``bar_rows``: bar rows including the notes' rows;
    ``item_rows``: label rows above the bars; ``inline``: labels in a bar's row, by bar
    index; ``items``: the labels placed above; ``units``: the lane's height in row units.
    """

    rows: list[int]
    bar_rows: int
    item_rows: int
    inline: dict[int, Inline]
    items: list[Item]
    units: float
    tails: list[float] = field(default_factory=list)  # room after each bar: its milestone and text, in days


@dataclass
class PositionedLane:
    """A lane with y positions: the spec's lane record and its bars, markers and notes."""

    lane: Lane
    bars: list[Bar] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)


def bar_rows(bars: list[RawBar], x1: float, min_w: float, tails: list[float] | None = None) -> list[int]:
    """Interval packing: the first row whose last bar ends before this one starts.

    A bar with ``join`` takes the row of that bar, which is packed as starting where the
    first of its joined bars starts and ending where the last of them ends. ``tails``:
    room each bar needs after its end (a milestone and its text), in days.
    """
    first = {i: b.start for i, b in enumerate(bars)}
    last = {
        i: max(float(b.end if b.end is not None else x1), b.start + min_w) + (tails[i] if tails else 0.0)
        for i, b in enumerate(bars)
    }
    for i, b in enumerate(bars):
        if b.join is not None:
            first[b.join] = min(first[b.join], b.start)
            last[b.join] = max(last[b.join], last[i])
    own = [i for i, b in enumerate(bars) if b.join is None]
    order = sorted(own, key=lambda i: (first[i], bars[i].order, i))
    ends: list[float] = []
    rows = [0] * len(bars)
    for i in order:
        end = last[i]
        for r, e in enumerate(ends):
            if e <= first[i]:
                rows[i] = r
                ends[r] = end
                break
        else:
            rows[i] = len(ends)
            ends.append(end)
    for i, b in enumerate(bars):
        if b.join is not None:
            rows[i] = rows[b.join]
    return rows


def lane_rows(
    lane: LaneContent, x0: float, x1: float, days_per_pt: float, label_pt: float, width: Callable[..., float]
) -> LaneRows:
    """Rows for the bars and labels of ``lane``, its labels measured at ``label_pt``."""
    pad = TEXT_PAD_PT * days_per_pt
    r = MARKER_R_PT * days_per_pt
    min_w = MIN_BAR_PT * days_per_pt
    star = MILESTONE_R_PT * days_per_pt
    tails = [
        star + pad + width(b.milestone_label, label_pt) * days_per_pt if b.milestone and b.milestone_label else 0.0
        for b in lane.bars
    ]
    rows = bar_rows(lane.bars, x1, min_w, tails)
    n_rows = max(max([*rows, -1]) + 1 + len(lane.notes), 1)
    # What each bar row holds: bars (and milestones with their text), then inline labels.
    occupied: dict[int, list[tuple[float, float]]] = {}
    for b, row, tail in zip(lane.bars, rows, tails, strict=True):
        end = max(float(b.end if b.end is not None else x1), b.start + min_w)
        occupied.setdefault(row, []).append((b.start, end + (max(tail, star) if b.milestone else 0)))
    inline: dict[int, Inline] = {}
    items: list[Item] = []
    for i, (b, row) in enumerate(zip(lane.bars, rows, strict=True)):
        if not b.label:
            continue
        tw = width(b.label, label_pt, b.colour == "gap") * days_per_pt
        spot = _inline_spot(b, tw, occupied[row], x0, x1, pad, r)
        if spot is not None:
            inline[i] = spot
        else:
            end = float(b.end if b.end is not None else x1)
            anchor = b.start + max(end - b.start, min_w) / 2
            items.append(Item(anchor, tw, False, b.label, i))
    for m in lane.markers:
        items.append(Item(float(m.day), width(m.label, label_pt) * days_per_pt, True, m.label, m))
    placed = place_labels(items, x0, x1, r=r, gap=pad, sep=ITEM_GAP_PT * days_per_pt)
    n_items = max([it.row for it in placed] + [-1]) + 1
    units = 2 * PAD_UNITS + n_items * ITEM_UNITS + n_rows * BAR_UNITS
    return LaneRows(rows, n_rows, n_items, inline, placed, units, tails)


def _inline_spot(
    b: RawBar, tw: float, occupied: list[tuple[float, float]], x0: float, x1: float, pad: float, r: float
) -> Inline | None:
    """A place for the label of ``b`` (``tw`` days wide) in its own row, or ``None``.

    Inside the bar when it fits, else right of it, else left of it, where nothing else in
    the row (``occupied``, which a label placed beside a bar joins) is in the way.
    """
    end = float(b.end if b.end is not None else x1)
    milestone = 1.6 * r if b.milestone else 0
    # Never over a pattern: a hatched bar's label goes beside or above it (issue 12).
    if not b.hatch and tw <= end - b.start - 2 * pad - milestone:
        return ("inside", b.start + pad, "left", tw)
    for where, tx, ha in (("right", end + milestone + pad, "left"), ("left", b.start - pad, "right")):
        lo, hi = (tx, tx + tw) if ha == "left" else (tx - tw, tx)
        if lo < x0 or hi > x1:
            continue
        own = (b.start, end)
        if all(hi + pad <= s or lo - pad >= e for s, e in occupied if (s, e) != own):
            occupied.append((lo, hi))
            return (where, tx, ha, tw)
    return None


def position_lane(lane: LaneContent, title: str, rows: LaneRows, top: float, days_per_pt: float) -> PositionedLane:
    """The lane's records with y positions, the lane starting ``top`` row units down."""
    n_items, n_rows = rows.item_rows, rows.bar_rows
    bars_top = top + PAD_UNITS + n_items * ITEM_UNITS
    bottom = bars_top + n_rows * BAR_UNITS + PAD_UNITS

    def row_y(r: int) -> float:
        return bars_top + (r + 0.5) * BAR_UNITS

    out = PositionedLane(Lane(lane.key, title, top, bottom, bars_top, n_items, n_rows))
    text_for_bar: dict[int, Placement] = {}
    for i, (where, tx, ha, tw) in rows.inline.items():
        text_for_bar[i] = Placement(tx, row_y(rows.rows[i]), ha, where, tw)
    for it in rows.items:
        iy = top + PAD_UNITS + (n_items - 1 - it.row + 0.5) * ITEM_UNITS
        if it.marker:
            out.markers.append(_marker_above(it, lane.key, iy, bars_top, days_per_pt))
        else:
            i = it.ref
            ha = {"right": "left", "left": "right", "center": "center"}[it.side]
            tx = it.lo if ha == "left" else it.hi if ha == "right" else (it.lo + it.hi) / 2
            by = row_y(rows.rows[i]) - BAR_UNITS * BAR_FILL / 2
            leader = ((it.anchor, iy + 0.42 * ITEM_UNITS), (it.anchor, by))
            text_for_bar[i] = Placement(tx, iy, ha, "above", it.width, leader=leader)
    for i, b in enumerate(lane.bars):
        row = rows.rows[i]
        end = date.fromordinal(b.end) if b.end is not None else None
        star = None
        if b.milestone and b.milestone_label and b.end is not None:
            tx = b.end + (MILESTONE_R_PT + TEXT_PAD_PT) * days_per_pt
            tw = rows.tails[i] - (MILESTONE_R_PT + TEXT_PAD_PT) * days_per_pt
            star = Placement(tx, row_y(row), "left", "right", tw)
        out.bars.append(
            Bar(
                date.fromordinal(b.start), end, b.label, b.colour, b.hatch, lane.key, row, row_y(row),
                BAR_UNITS * BAR_FILL, b.faded, b.milestone, b.record, text_for_bar.get(i),
                b.milestone_label, star, b.state, b.milestone_kind if b.milestone else "",
            )
        )  # fmt: skip
    for k, text in enumerate(lane.notes):
        out.notes.append(Note(text, lane.key, row_y(rows.bar_rows - len(lane.notes) + k)))
    return out


def _marker_above(it: Item, lane: str, iy: float, bars_top: float, days_per_pt: float) -> Marker:
    """The marker of label item ``it``, its text beside it in label row ``iy``, a stem to the bars."""
    m: RawMarker = it.ref
    tx = it.anchor + (MARKER_R_PT + TEXT_PAD_PT) * days_per_pt * (1 if it.side == "right" else -1)
    text = Placement(tx, iy, "left" if it.side == "right" else "right", "above", it.width)
    return Marker(date.fromordinal(m.day), m.label, m.kind, lane, iy, text, stem_to=bars_top)
