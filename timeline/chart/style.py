"""How a chart looks: colours, hatches, marker styles, font sizes, row geometry, the style file.

Everything here is plain data or arithmetic on hex colours, except :func:`style_context`,
which applies the matplotlib style file (:data:`STYLE_PATH`) for the time of a drawing
(never globally).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

__all__ = [
    "COLOURS",
    "MARKER_STYLES",
    "STYLE_PATH",
    "bar_fill",
    "mix",
    "style_context",
    "text_colour",
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
LIGHT_GREY = "#DDDDDD"

#: Colour per colour key. Purposes first (one key per purpose), then the other bars.
COLOURS: dict[str, str] = {
    "partner": BLUE,
    "work": GREEN,
    "highly-skilled": SKY,
    "study": YELLOW,
    "search-year": ORANGE,
    "humanitarian-temporary": SKY,
    "humanitarian-non-temporary": SKY,
    "permanent": PURPLE,
    "eu-long-term": PURPLE,
    "other-temporary": GREY,
    "other-non-temporary": GREY,
    "gap": VERMILLION,
    # The relationship lane uses its own light and dark brown (told apart by lightness in
    # greyscale too), so no relationship bar shares a colour with a permit purpose.
    "cohabitation": "#E3D3BC",
    "marriage": "#9C7A54",
    "separated": "#9C7A54",
    "application": LIGHT_GREY,
    "objection": ORANGE,
    "procedural": "#FFFFFF",
    "absence": SKY,
    "clock": GREEN,
}
#: Hatches that carry status (greyscale print): dotted = temporary purpose, slanted =
#: withdrawn or separated, crossed = residence gap.
HATCH_TEMPORARY = "...."
HATCH_WITHDRAWN = "////"
HATCH_GAP = "xxxx"
HATCH_PROCEDURAL = "...."
HATCH_OBJECTION = "\\\\\\\\"
HATCH_PENDING = "////"

#: Marker kinds: (matplotlib marker, face colour, edge colour, size in points).
MARKER_STYLES: dict[str, tuple[str, str, str, float]] = {
    "event": ("o", BLACK, BLACK, 5.0),
    "deadline": ("D", "#FFFFFF", BLACK, 5.0),
    "deadline-missed": ("D", VERMILLION, BLACK, 5.0),
    "decision": ("s", "#FFFFFF", BLACK, 5.0),
    "milestone": ("*", YELLOW, BLACK, 9.0),
}

# Geometry (points unless said otherwise).
LABEL_PT = 7.5
MIN_LABEL_PT = 5.5
TICK_PT = 8.0
LANE_PT = 8.5
TITLE_PT = 12.5
FOOTER_PT = 6.5
LEGEND_PT = 7.5
LEGEND_ROW_IN = 0.19
ITEM_UNITS = 1.0  # height of one label row
BAR_UNITS = 1.55  # height of one bar row
PAD_UNITS = 0.35  # space above and below the rows of a lane
BAR_FILL = 0.74  # bar height as a fraction of its row
MAX_UNIT_PT = 15.0  # tallest label row: keeps sparse charts from looking bloated
TEXT_PAD_PT = 2.5  # between a bar edge and its label
ITEM_GAP_PT = 6.0  # between two labels in one row
MARKER_R_PT = 3.2  # half the width of a marker
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


def bar_fill(colour_key: str, colours: dict[str, str], faded: bool) -> tuple[str, str]:
    """Face and edge/hatch colours of a bar."""
    base = colours.get(colour_key, GREY)
    if colour_key == "gap":
        return mix(base, 0.28), base
    if colour_key == "clock":
        return mix(base, 0.30), base
    if colour_key == "clock-earlier":
        return mix(colours.get("clock", GREY), 0.12), mix(colours.get("clock", GREY), 0.55)
    if colour_key == "objection":
        return mix(base, 0.45), "#8A5F00"
    if colour_key in ("application", "procedural"):
        return base, "#555555"
    if faded:
        return mix(base, 0.30), base
    return base, _darker(base)


def _darker(colour: str) -> str:
    """``colour`` at 60 % of its brightness (the edge of a solid bar)."""
    c = colour.lstrip("#")
    return "#" + "".join(f"{round(int(c[i : i + 2], 16) * 0.6):02X}" for i in (0, 2, 4))
