"""The close-up (focus) of a case chart: the latest residence gap and the next deadline, where a
whole history's scale makes them a sliver (issue 12 §4: a 92-day gap is 2 % of the width).

:func:`focus_window` picks the dates; :func:`clip_lanes` cuts the lanes' content to them, so
that :func:`timeline.chart.chart_spec` (``window=``) lays the close-up out like any chart: a
bar that runs on past the window's end gets the open-end arrow, one that starts before it
starts at its edge, a milestone or a marker outside it is left out.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from ..assessment import Assessment
from .lanes import LaneContent, RawBar
from .spec import GapBand

__all__ = ["NEAR", "clip_lanes", "focus_window"]

#: A deadline this close to the as-of date belongs in the close-up; a later one does not.
NEAR = timedelta(days=183)
#: A window this long or longer is no close-up.
LONGEST = timedelta(days=3 * 365)


def focus_window(a: Assessment) -> tuple[date, date] | None:
    """``[start, end)`` of the close-up: the as-of date, the latest residence gap and the next
    action due within :data:`NEAR`, with a margin; None when there is neither a gap nor a
    deadline that near, or when they span :data:`LONGEST` or more."""
    days = [a.as_of]
    if a.gaps:
        g = a.gaps[-1]
        days += [g.start, g.end or a.as_of]
    nn = a.now_and_next
    ahead = [u.action.date for u in (nn.ahead if nn is not None else ()) if u.action.date - a.as_of <= NEAR]
    days += ahead[:1]
    if len(days) == 1:
        return None
    lo, hi = min(days), max(days)
    if hi - lo >= LONGEST:
        return None
    pad = max(timedelta(days=14), (hi - lo) * 0.15)
    return lo - pad, hi + pad


def clip_lanes(
    lanes: list[LaneContent], spans: list[GapBand], window: tuple[date, date]
) -> tuple[list[LaneContent], list[GapBand]]:
    """The lanes and gap bands cut to ``window`` (day ordinals inside, see the module docstring)."""
    x0, x1 = window[0].toordinal(), window[1].toordinal()
    out = []
    for lane in lanes:
        kept: dict[int, int] = {}
        bars: list[RawBar] = []
        for k, b in enumerate(lane.bars):
            end = x1 + 1 if b.end is None else b.end
            if end <= x0 or b.start >= x1:
                continue
            runs_on = end > x1
            kept[k] = len(bars)
            bars.append(
                replace(
                    b,
                    start=max(b.start, x0),
                    end=None if runs_on else end,
                    milestone=b.milestone and not runs_on,
                    join=None if b.join is None else kept.get(b.join),
                )
            )
        markers = [m for m in lane.markers if x0 <= m.day < x1]
        out.append(replace(lane, bars=bars, markers=markers))
    bands = [
        replace(s, start=max(s.start, window[0]), end=min(s.end, window[1]))
        for s in spans
        if s.end > window[0] and s.start < window[1]
    ]
    return out, bands
