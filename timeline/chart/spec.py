"""The chart spec: everything a chart shows, as plain data (frozen records).

A :class:`ChartSpec` holds lanes, bars, markers, gap bands, notes, axis ticks, legend
entries and the figure geometry (:class:`Layout`), every label already placed. It is built by
:func:`timeline.chart.chart_spec` and drawn by :func:`timeline.chart.render`; tests read it as
data. Also here: the error of the chart functions and the allowed chart sizes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..errors import TimelineError
from .style import COLOURS

__all__ = [
    "A4_LANDSCAPE",
    "MAX_SIZE_CM",
    "MIN_SIZE_CM",
    "SIZE_PRESETS",
    "BannerLine",
    "Bar",
    "ChartError",
    "ChartSpec",
    "GapBand",
    "Lane",
    "Layout",
    "LegendEntry",
    "Marker",
    "Note",
    "Placement",
    "Tick",
    "size_error",
]

#: A4 landscape in inches (the default chart size).
A4_LANDSCAPE = (29.7 / 2.54, 21.0 / 2.54)
#: The smallest and the largest chart, (width, height) in centimetres (:func:`size_error`).
MIN_SIZE_CM = (16.0, 12.0)
MAX_SIZE_CM = (500.0, 500.0)
#: Named chart sizes in centimetres (``timeline chart --size NAME``): A4 landscape, A4
#: portrait, and ``letter``, 16 cm wide, to go into a portrait letter (charts under 20 cm
#: wide use no text under 8 pt and a compact legend).
SIZE_PRESETS: dict[str, tuple[float, float]] = {
    "a4": (29.7, 21.0),
    "a4-portrait": (21.0, 29.7),
    "letter": (16.0, 13.0),
}


class ChartError(TimelineError):
    """A chart that cannot be made: unknown format, unwritable path, bad date or size."""


def size_error(width_cm: float, height_cm: float) -> str | None:
    """Why a chart of ``width_cm`` x ``height_cm`` cannot be drawn, or ``None`` when it can.

    The one definition of the allowed size (:data:`MIN_SIZE_CM` to :data:`MAX_SIZE_CM`),
    used by :func:`chart_spec` and by ``timeline chart --size``.
    """
    w, h = round(float(width_cm), 6), round(float(height_cm), 6)  # cm -> inches -> cm is not exact
    (w0, h0), (w1, h1) = MIN_SIZE_CM, MAX_SIZE_CM
    if w0 <= w <= w1 and h0 <= h <= h1:  # also False for NaN
        return None
    return f"chart size {w:g} x {h:g} cm is outside {w0:g} x {h0:g} cm to {w1:g} x {h1:g} cm"


@dataclass(frozen=True, slots=True)
class BannerLine:
    """A line of the banner above the chart (:mod:`timeline.chart.banner`).

    ``kind`` is ``now``, ``next`` or ``when``; ``tone`` is ``ok`` (a permit, can apply
    now), ``warning`` (a gap, a deadline within four weeks) or ``info``.
    """

    kind: str
    text: str
    tone: str


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a label is drawn: ``x`` in day ordinals, ``y`` in rows (downward).

    ``where`` is ``inside`` / ``right`` / ``left`` (in the bar's row) or ``above`` (in a
    label row above the lane's bars); ``leader`` is a line from the label to what it
    labels (``((x, y), (x, y))``) or ``None``.
    """

    x: float
    y: float
    ha: str
    where: str
    width: float  # in days
    leader: tuple[tuple[float, float], tuple[float, float]] | None = None


@dataclass(frozen=True, slots=True)
class Lane:
    """One horizontal band: ``top`` and ``bottom`` in rows (y grows downward)."""

    key: str
    title: str
    top: float
    bottom: float
    bars_top: float
    label_rows: int
    bar_rows: int


@dataclass(frozen=True, slots=True)
class Bar:
    """A period ``[start, end)`` in a lane (``end`` None: open, drawn to the chart's end).

    ``colour`` is a key of :data:`COLOURS` (``ChartSpec.colours``); ``faded`` draws it
    pale (e.g. the withdrawn part of a permit); ``milestone`` puts a milestone marker on
    its end (qualifying periods).
    """

    start: date
    end: date | None
    label: str
    colour: str
    hatch: str
    lane: str
    row: int = 0
    y: float = 0.0
    height: float = 0.0
    faded: bool = False
    milestone: bool = False
    record: str | None = None
    text: Placement | None = None
    #: The text beside the milestone (the date, or "can apply now") and where it goes.
    milestone_label: str = ""
    milestone_text: Placement | None = None
    #: ``served`` (solid) or ``to-go`` (outlined) for a qualifying period; ``pending`` for
    #: what is not decided yet (dashed outline); empty otherwise.
    state: str = ""
    #: The milestone's marker kind (``milestone`` or ``milestone-reached``), if it has one.
    milestone_kind: str = ""


@dataclass(frozen=True, slots=True)
class Marker:
    """A point event. ``kind`` is a key of :data:`MARKER_STYLES`; ``y`` is the marker's row."""

    date: date
    label: str
    kind: str
    lane: str
    y: float = 0.0
    text: Placement | None = None
    stem_to: float | None = None


@dataclass(frozen=True, slots=True)
class GapBand:
    """A light band across all lanes (a residence gap), ``[start, end)``."""

    start: date
    end: date
    label: str
    colour: str = "gap"
    #: A gap that depends on a withdrawal not decided yet (issue 12 §2): drawn paler, dashed edges.
    expected: bool = False


@dataclass(frozen=True, slots=True)
class Note:
    """A line of text in a lane (e.g. a route whose clock is not running)."""

    text: str
    lane: str
    y: float


@dataclass(frozen=True, slots=True)
class Tick:
    """An axis tick: ``label`` empty for a minor tick."""

    date: date
    label: str
    major: bool


@dataclass(frozen=True, slots=True)
class LegendEntry:
    """``kind``: ``patch`` (colour key + hatch), ``marker`` (marker kind), ``band`` or ``line``."""

    kind: str
    key: str
    label: str
    hatch: str = ""
    faded: bool = False


@dataclass(frozen=True, slots=True)
class Layout:
    """Figure geometry in inches and the font sizes the labels were placed with."""

    width: float
    height: float
    ax_left: float
    ax_bottom: float
    ax_width: float
    ax_height: float
    rows: float  # total height of the lanes in row units
    unit_pt: float  # one row unit in points
    label_pt: float
    legend_top: float  # inches from the bottom
    title_lines: tuple[str, ...]
    title_pt: float
    legend_cols: int
    legend_col_w: float  # inches
    footer_lines: tuple[str, ...]
    #: The banner's lines as drawn (a long line wrapped), its size and its top (inches from the top).
    banner_lines: tuple[str, ...] = ()
    banner_pt: float = 0.0
    banner_top: float = 0.0
    #: Tone of each drawn banner line (``BannerLine.tone``), and whether it starts a banner
    #: line (a wrapped line's continuation has no mark of its own).
    banner_tones: tuple[str, ...] = ()
    banner_starts: tuple[bool, ...] = ()
    legend_pt: float = 7.5
    footer_pt: float = 6.5
    tick_pt: float = 8.0
    lane_pt: float = 8.5
    legend_row_in: float = 0.19
    #: Each legend column's left edge, inches from the left margin (columns as wide as their entries).
    legend_col_x: tuple[float, ...] = ()


@dataclass(frozen=True)
class ChartSpec:
    """Everything a chart shows, as plain data (see :func:`chart_spec`).

    x positions are dates (``Placement.x``: day ordinals, ``date.toordinal()``), y
    positions rows from the top of the first lane.
    """

    id: str
    lang: str
    title: str
    footer: str
    as_of: date
    as_of_label: str
    start: date
    end: date
    lanes: tuple[Lane, ...]
    bars: tuple[Bar, ...]
    markers: tuple[Marker, ...]
    spans: tuple[GapBand, ...]
    notes: tuple[Note, ...]
    ticks: tuple[Tick, ...]
    legend: tuple[LegendEntry, ...]
    layout: Layout
    colours: dict[str, str] = field(default_factory=lambda: dict(COLOURS))
    banner: tuple[BannerLine, ...] = ()

    def lane(self, key: str) -> Lane:
        """The lane named ``key`` (``permits``, ``relationship``, ...)."""
        for lane in self.lanes:
            if lane.key == key:
                return lane
        raise KeyError(key)

    def labels(self) -> list[str]:
        """Every text the chart shows, in drawing order (for tests and search)."""
        out = [self.title, *(b.text for b in self.banner), self.as_of_label]
        out += [lane.title for lane in self.lanes]
        out += [b.label for b in self.bars if b.label]
        out += [b.milestone_label for b in self.bars if b.milestone_label]
        out += [m.label for m in self.markers if m.label]
        out += [n.text for n in self.notes]
        out += [t.label for t in self.ticks if t.label]
        out += [e.label for e in self.legend]
        out += list(self.layout.footer_lines)
        return out
