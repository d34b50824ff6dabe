"""The chart's legend: one entry per kind of bar and marker the chart shows, in drawing order."""

from __future__ import annotations

from ..i18n import label
from .lanes import LaneContent
from .spec import GapBand, LegendEntry
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
    "procedural": "legend-procedural",
    "absence": "legend-absence",
    "clock": "legend-clock",
    "clock-earlier": "legend-clock-earlier",
}


def legend(
    lanes: list[LaneContent], spans: list[GapBand], lang: str, relationship_kind: str | None = None
) -> list[LegendEntry]:
    """Bars (colour and hatch, by lane), the temporary hatch, marker kinds, the as-of line.

    ``spans`` adds nothing (the gap bars give the gap's entry); it is kept for callers.
    """
    out: list[LegendEntry] = []
    seen: set[tuple[str, str, bool]] = set()

    def add(entry: LegendEntry) -> None:
        k = (entry.kind, entry.key, entry.faded)
        if k not in seen:
            seen.add(k)
            out.append(entry)

    temporary = False
    for lane in lanes:
        for b in lane.bars:
            if lane.key == "permits" and b.colour != "gap":
                if b.faded:
                    add(LegendEntry("patch", b.colour, _t("legend-withdrawn", lang), HATCH_WITHDRAWN, True))
                else:
                    add(LegendEntry("patch", b.colour, _t("permit", lang, purpose=label(b.colour, lang))))
                temporary = temporary or b.hatch == HATCH_TEMPORARY
            elif b.colour == "gap":
                add(LegendEntry("patch", "gap", _t("legend-gap", lang), HATCH_GAP))
            elif lane.key != "permits":
                key = separated_key(relationship_kind) if b.colour == "separated" else _BAR_KEYS[b.colour]
                add(
                    LegendEntry("patch", b.colour, _t(key, lang), b.hatch if b.colour != "application" else "", b.faded)
                )
    if temporary:
        out.append(LegendEntry("patch", "temporary", _t("legend-temporary", lang), HATCH_TEMPORARY))
    kinds = {m.kind for lane in lanes for m in lane.markers}
    if any(b.milestone for lane in lanes for b in lane.bars):
        kinds.add("milestone")
    for kind in ("event", "decision", "deadline", "deadline-missed", "milestone"):
        if kind in kinds:
            out.append(LegendEntry("marker", kind, _t(f"legend-{kind}", lang)))
    out.append(LegendEntry("line", "as-of", _t("legend-as-of", lang)))
    return out
