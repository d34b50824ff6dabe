"""The chart's legend: one entry per kind of bar and marker the chart shows, in drawing order.

Each entry is one visual code with one meaning (issue 12): a purpose's colour, a pattern
(dotted: temporary purpose; slanted: withdrawn; crossed: gap; horizontal: separated;
vertical: procedural stay), a dashed outline (not decided or not ended yet), an outlined
bar (time still to go), a marker shape. A compact legend (small charts) names each
permit purpose once and leaves out what the chart's own labels say.
"""

from __future__ import annotations

from ..i18n import label
from .lanes import LaneContent
from .spec import LegendEntry
from .style import HATCH_GAP, HATCH_TEMPORARY, HATCH_WITHDRAWN
from .texts import chart_text, separated_key

__all__ = ["legend"]

_t = chart_text

#: The legend text of each colour key outside the permits lane.
_BAR_KEYS = {
    "cohabitation": "legend-cohabitation",
    "marriage": "legend-marriage",
    "application": "legend-application",
    "objection": "legend-objection",
    "tolerance": "legend-objection",
    "procedural": "legend-procedural",
    "absence": "legend-absence",
    "clock": "legend-clock",
    "clock-earlier": "legend-clock-earlier",
}
#: Bar states with a legend entry of their own, and their text.
_STATES = {
    "pending": "legend-pending",
    "ongoing": "legend-ongoing",
    "to-go": "legend-to-go",
    "expected": "legend-expected",
}
#: Marker kinds, in legend order.
_MARKERS = ("event", "decision", "deadline", "deadline-ahead", "deadline-missed", "milestone", "milestone-reached")
#: What a compact legend leaves out: the chart's labels say it beside each bar.
_COMPACT_SKIP = {"cohabitation", "marriage", "separated", "application", "objection", "absence", "clock-earlier"}


def legend(
    lanes: list[LaneContent], lang: str, relationship_kind: str | None = None, *, compact: bool = False
) -> list[LegendEntry]:
    """Bars (colour and pattern, by lane), the temporary pattern, outlines, marker kinds, the as-of line."""
    out: list[LegendEntry] = []
    seen: set[tuple[str, str, bool]] = set()

    def add(entry: LegendEntry) -> None:
        k = (entry.kind, entry.label, entry.faded)  # one entry per meaning (objection, tolerance)
        if k not in seen:
            seen.add(k)
            out.append(entry)

    temporary = False
    states: list[str] = []
    for lane in lanes:
        for b in lane.bars:
            if b.state in _STATES and b.state not in states:
                states.append(b.state)
            if b.colour == "gap":
                add(LegendEntry("patch", "gap", _t("legend-gap", lang), HATCH_GAP))
            elif lane.key == "permits":
                if b.faded:
                    add(LegendEntry("patch", b.colour, _t("legend-withdrawn", lang), HATCH_WITHDRAWN, True))
                else:
                    add(LegendEntry("patch", b.colour, _t("permit", lang, purpose=label(b.colour, lang))))
                temporary = temporary or b.hatch == HATCH_TEMPORARY
            elif not (compact and b.colour in _COMPACT_SKIP):
                key = separated_key(relationship_kind) if b.colour == "separated" else _BAR_KEYS[b.colour]
                add(LegendEntry("patch", b.colour, _t(key, lang), b.hatch, b.faded))
    if temporary:
        out.append(LegendEntry("patch", "temporary", _t("legend-temporary", lang), HATCH_TEMPORARY))
    for state in states:
        out.append(LegendEntry("outline", state, _t(_STATES[state], lang)))
    kinds = {m.kind for lane in lanes for m in lane.markers}
    kinds |= {b.milestone_kind for lane in lanes for b in lane.bars if b.milestone}
    for kind in _MARKERS:
        if kind in kinds:
            out.append(LegendEntry("marker", kind, _t(f"legend-{kind}", lang)))
    out.append(LegendEntry("line", "as-of", _t("legend-as-of", lang)))
    return out
