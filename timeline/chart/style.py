"""How a chart looks: colours, hatches, marker styles, font sizes, row geometry, the style file.

Everything here is plain data or arithmetic on hex colours, except :func:`style_context`,
which applies the matplotlib style file (:data:`STYLE_PATH`) for the time of a drawing
(never globally).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "COLOURS",
    "MARKER_STYLES",
    "NORMAL",
    "SMALL",
    "STYLE_PATH",
    "Typography",
    "bar_fill",
    "mix",
    "style_context",
    "text_colour",
    "typography",
]

#: The chart style, applied with :func:`matplotlib.rc_context` (never globally).
STYLE_PATH = Path(__file__).parent.parent / "styles" / "timeline.mplstyle"

# Okabe-Ito (matplotlib.color_sequences["okabe_ito"]), as hex so the spec is plain data.
BLACK, ORANGE, SKY, GREEN, YELLOW, BLUE, VERMILLION, PURPLE = (
    "#000000",
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
)
GREY = "#9A9A9A"
LANE_SHADE = "#F3F3F3"
WARNING_TEXT = "#A63A00"  # vermillion darkened for text contrast

#: Colour per colour key. Purposes first: each purpose family its own hue AND its own grey
#: level (relative luminance about 0.06, 0.15, 0.26, 0.41, 0.58, 0.77 for the
#: non-temporary ones), so that purposes stay apart in greyscale print and under colour
#: blindness (tests/test_chart_colours.py). Temporary purposes are dotted as well; their
#: fills (study 0.23, search year 0.42, humanitarian 0.58, other 0.77) differ too. Yellow
#: is only the star of a date that has come ("can apply now").
COLOURS: dict[str, str] = {
    "partner": BLUE,
    "work": GREEN,
    "highly-skilled": SKY,
    "study": "#B07A00",
    "search-year": ORANGE,
    "humanitarian-temporary": "#D9C2F0",
    "humanitarian-non-temporary": "#D9C2F0",
    "permanent": "#5B2C83",
    "eu-long-term": "#5B2C83",
    "other-temporary": "#E3E3E3",
    "other-non-temporary": "#E3E3E3",
    "gap": VERMILLION,
    # The relationship lane uses its own light and dark brown (told apart by lightness in
    # greyscale too), so no relationship bar shares a colour with a permit purpose.
    "cohabitation": "#E3D3BC",
    "marriage": "#9C7A54",
    "separated": "#9C7A54",
    "application": "#FFFFFF",
    # A period in which one can still act: an objection period, the 4-week tolerance.
    "objection": "#C4C4C4",
    "tolerance": "#C4C4C4",
    "procedural": "#FFFFFF",
    "absence": "#8C8C8C",
    "clock": "#4D4D4D",
}
#: The gap band across all lanes: vermilion at 30 % (a relative luminance of about 0.67,
#: 1.3 times darker than the lane shading, also in greyscale), edged by dark lines.
GAP_BAND_AMOUNT = 0.30
GAP_EDGE = WARNING_TEXT
#: One pattern per meaning (greyscale print keeps them apart): dotted = temporary purpose;
#: slanted = the withdrawn part of a permit; crossed = residence gap; horizontal = separated
#: but still married or registered; vertical = procedural stay (lawful, not a permit). What
#: is not decided or not ended yet (a pending application, a stay abroad still going on)
#: has a dashed outline (:data:`DASHED_STATES`) instead of a pattern, and so has what is
#: expected but not a fact (issue 12 §2: a withdrawal not decided, the gap it opens, time
#: to go beyond the permits on record); time still to go toward a status is outlined and empty.
HATCH_TEMPORARY = "...."
HATCH_WITHDRAWN = "////"
HATCH_GAP = "xxxx"
HATCH_SEPARATED = "----"
HATCH_PROCEDURAL = "||||"
HATCH_OBJECTION = ""
#: Bar states drawn with a dashed outline.
DASHED_STATES = ("pending", "ongoing", "expected")

#: Marker kinds: (matplotlib marker, face colour, edge colour, size in points). A deadline
#: met is a hollow grey diamond, one still ahead a solid black one (its label bold, with
#: the time left), one missed a vermilion cross; a date to apply still to come is a hollow
#: star, one that has come a yellow star.
MARKER_STYLES: dict[str, tuple[str, str, str, float]] = {
    "event": ("o", BLACK, BLACK, 5.0),
    "deadline": ("D", "#FFFFFF", "#555555", 5.0),
    "deadline-ahead": ("D", BLACK, BLACK, 6.0),
    "deadline-missed": ("X", VERMILLION, BLACK, 7.0),
    "decision": ("s", "#FFFFFF", BLACK, 5.0),
    "milestone": ("*", "#FFFFFF", BLACK, 9.0),
    "milestone-reached": ("*", YELLOW, BLACK, 11.0),
}

# Geometry (points unless said otherwise).
LABEL_PT = 7.5
MIN_LABEL_PT = 5.5
TICK_PT = 8.0
LANE_PT = 8.5
TITLE_PT = 11.0
FOOTER_PT = 6.5
LEGEND_PT = 7.5
LEGEND_ROW_IN = 0.19
BANNER_PT = 15.0


@dataclass(frozen=True)
class Typography:
    """The type sizes of one chart (points) and the height of a legend row (inches).

    The banner is the largest type on the page (at least ``min_banner`` > ``title``).
    """

    label: float
    min_label: float
    tick: float
    lane: float
    title: float
    footer: float
    legend: float
    legend_row_in: float
    banner: float
    min_banner: float
    #: Whether the figure grows taller rather than set labels below ``min_label`` (a small
    #: chart keeps its 8 pt); any chart grows rather than leave the lanes no room at all.
    grow: bool = False
    #: Label size as a fraction of a label row's height (tighter rows on a small chart).
    label_fill: float = 0.68


#: Charts 20 cm wide or more (A4 landscape and portrait).
NORMAL = Typography(
    LABEL_PT, MIN_LABEL_PT, TICK_PT, LANE_PT, TITLE_PT, FOOTER_PT, LEGEND_PT, LEGEND_ROW_IN, BANNER_PT, 12.0
)
#: Narrower charts (the ``letter`` size, 16 cm): no text under 8 pt (issue 12).
SMALL = Typography(8.0, 8.0, 8.0, 8.0, 9.0, 8.0, 8.0, 0.17, 11.5, 9.5, grow=True, label_fill=0.8)
#: Below this width (inches) a chart uses :data:`SMALL`.
SMALL_BELOW_IN = 20.0 / 2.54


def typography(width_in: float) -> Typography:
    """The type sizes of a chart ``width_in`` inches wide."""
    return SMALL if width_in < SMALL_BELOW_IN - 1e-6 else NORMAL


ITEM_UNITS = 1.0  # height of one label row
BAR_UNITS = 1.55  # height of one bar row
PAD_UNITS = 0.35  # space above and below the rows of a lane
BAR_FILL = 0.74  # bar height as a fraction of its row
MAX_UNIT_PT = 15.0  # tallest label row: keeps sparse charts from looking bloated
TEXT_PAD_PT = 2.5  # between a bar edge and its label
ITEM_GAP_PT = 6.0  # between two labels in one row
MARKER_R_PT = 3.2  # half the width of a marker
MILESTONE_R_PT = 6.0  # half the width of a milestone star
MIN_BAR_PT = 1.5  # zero-length bars stay visible: a one-day gap must not vanish


def style_context() -> Any:
    """A context manager applying the chart style (:data:`STYLE_PATH`) temporarily."""
    import matplotlib

    return matplotlib.rc_context(rc=_style_params())  # type: ignore[arg-type]  # keys: rcParams names


@functools.cache
def _style_params() -> dict[str, Any]:
    """The chart style's settings, read once per process.

    Read with :func:`matplotlib.rc_params_from_file` rather than ``rc_context(fname=...)``,
    which imports :mod:`matplotlib.style` and parses every built-in style sheet (about
    20 ms of each ``timeline chart`` run, measured with cProfile).
    """
    import matplotlib

    params: Any = matplotlib.rc_params_from_file(str(STYLE_PATH), use_default_template=False)
    return dict(params)


def mix(colour: str, amount: float) -> str:
    """``colour`` mixed with white: ``amount`` 1 keeps it, 0 gives white."""
    c = colour.lstrip("#")
    rgb = [int(c[i : i + 2], 16) for i in (0, 2, 4)]
    return "#" + "".join(f"{round(255 - (255 - v) * amount):02X}" for v in rgb)


def text_colour(fill: str) -> str:
    """Black or white, whichever reads on ``fill`` (by its relative luminance, WCAG)."""
    c = fill.lstrip("#")
    r, g, b = (int(c[i : i + 2], 16) / 255 for i in (0, 2, 4))

    def lin(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    lum = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    return "#FFFFFF" if lum < 0.30 else "#000000"


def bar_fill(colour_key: str, colours: dict[str, str], faded: bool, state: str = "") -> tuple[str, str]:
    """Face and edge/hatch colours of a bar (``state``: ``Bar.state``)."""
    base = colours.get(colour_key, GREY)
    if colour_key == "gap":
        return "#FFFFFF", GAP_EDGE
    if state in ("to-go", "expected") and colour_key == "clock":  # time still to go: outlined, empty
        return "#FFFFFF", base
    if colour_key == "clock-earlier":
        return mix(colours.get("clock", GREY), 0.3), colours.get("clock", GREY)
    if colour_key in ("application", "procedural"):
        return base, "#555555"
    if faded:
        return mix(base, 0.30), base
    return base, _darker(base)


def _darker(colour: str) -> str:
    """``colour`` at 60 % of its brightness (the edge of a solid bar)."""
    c = colour.lstrip("#")
    return "#" + "".join(f"{round(int(c[i : i + 2], 16) * 0.6):02X}" for i in (0, 2, 4))
