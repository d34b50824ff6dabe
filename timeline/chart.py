"""Gantt charts of a residence timeline: a plain chart description, then matplotlib.

:func:`chart_spec` turns an :class:`~timeline.assessment.Assessment` (and its case) into a
:class:`ChartSpec`: frozen records of lanes, bars, markers, gap bands, axis ticks and
texts, with every label already placed so that no two labels overlap each other or a
bar. :func:`render` draws a spec on a :class:`matplotlib.figure.Figure` (no pyplot
state, Agg canvas), :func:`save` writes PNG, SVG or PDF by extension, deterministically
(same input, same bytes: fixed SVG ids, no creation dates in the PDF).

Lanes, top to bottom: residence permits, the relationship, procedures, stays abroad and
the qualifying periods (clocks) toward permanent residence and naturalisation. Every
``end`` is exclusive (DC-1): a bar ends where the first day without the status
begins, as the footer says.

matplotlib is imported only inside the functions that need it, so ``import timeline``
stays light.
"""

from __future__ import annotations

import functools
import io
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .assessment import Assessment
from .citations import RULES_VERSION
from .errors import TimelineError
from .i18n import LANGS, end_convention, format_date, label, month_name, phrase, route_label
from .intervals import Span, merge
from .model import Case
from .outputs import replacing
from .usertext import REPLACEMENT, drawable

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "A4_LANDSCAPE",
    "FORMATS",
    "MAX_SIZE_CM",
    "MIN_SIZE_CM",
    "STYLE_PATH",
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
    "chart",
    "chart_spec",
    "check_output",
    "measurer",
    "mix",
    "render",
    "save",
    "size_error",
    "style_context",
]

#: A4 landscape in inches (the default chart size).
A4_LANDSCAPE = (29.7 / 2.54, 21.0 / 2.54)
#: The smallest and the largest chart, (width, height) in centimetres (:func:`size_error`).
MIN_SIZE_CM = (20.0, 13.0)
MAX_SIZE_CM = (500.0, 500.0)
#: Output formats :func:`save` accepts, by file extension.
FORMATS = (".png", ".svg", ".pdf")
#: The chart style, applied with :func:`matplotlib.rc_context` (never globally).
STYLE_PATH = Path(__file__).with_name("styles") / "timeline.mplstyle"


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


class ChartError(TimelineError):
    """A chart that cannot be made: unknown format, unwritable path, bad date or size."""


# ---------------------------------------------------------------------------------------
# The chart description


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

    def lane(self, key: str) -> Lane:
        """The lane named ``key`` (``permits``, ``relationship``, ...)."""
        for lane in self.lanes:
            if lane.key == key:
                return lane
        raise KeyError(key)

    def labels(self) -> list[str]:
        """Every text the chart shows, in drawing order (for tests and search)."""
        out = [self.title, self.as_of_label]
        out += [lane.title for lane in self.lanes]
        out += [b.label for b in self.bars if b.label]
        out += [m.label for m in self.markers if m.label]
        out += [n.text for n in self.notes]
        out += [t.label for t in self.ticks if t.label]
        out += [e.label for e in self.legend]
        out += list(self.layout.footer_lines)
        return out


# ---------------------------------------------------------------------------------------
# Texts


def _t(key: str, lang: str, **params: Any) -> str:
    return phrase("chart", key, lang, **params)


def short_date(d: date, lang: str = "en") -> str:
    """``1 Jul 2025`` / ``1 jul 2025`` (no machine locale)."""
    return f"{d.day} {month_name(d.month, lang, short=True)} {d.year}"


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


def non_default_options(options: dict[str, str]) -> dict[str, str]:
    """The options in ``options`` that differ from their default (OQ-*)."""
    from .options import OPTIONS

    return {k: v for k, v in options.items() if k in OPTIONS and v != OPTIONS[k].default}


def footer_text(a: Assessment, lang: str) -> str:
    """Tool version, rules version, non-default options and the end-date convention."""
    from . import __version__

    changed = non_default_options(a.options)
    opts = ", ".join(f"{k}={v}" for k, v in changed.items()) if changed else _t("defaults", lang)
    return _t("footer", lang, version=__version__, rules=RULES_VERSION, options=opts, convention=end_convention(lang))


# ---------------------------------------------------------------------------------------
# Collecting what to draw (no geometry yet)


@dataclass
class _RawBar:
    start: int
    end: int | None
    label: str
    colour: str
    hatch: str = ""
    faded: bool = False
    milestone: bool = False
    record: str | None = None
    order: int = 0
    join: int | None = None  # drawn in the row of the lane's bar with this index


@dataclass
class _RawMarker:
    day: int
    label: str
    kind: str


@dataclass
class _LaneContent:
    key: str
    bars: list[_RawBar] = field(default_factory=list)
    markers: list[_RawMarker] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _purpose(purpose: str | None, lang: str) -> str:
    return label(purpose, lang) if purpose else "-"


def _collect(a: Assessment, case: Case, lang: str) -> tuple[list[_LaneContent], list[GapBand]]:
    lanes = {k: _LaneContent(k) for k in ("permits", "relationship", "procedures", "absences", "clocks")}
    o = date.toordinal
    sd = short_date

    # Permits: one bar per residence period, the withdrawn part faded, gaps hatched.
    permits = lanes["permits"]
    for i, p in enumerate(a.residence):
        hatch = HATCH_TEMPORARY if p.temporary else ""
        permits.bars.append(
            _RawBar(
                o(p.start),
                o(p.end) if p.end else None,
                _t("permit", lang, purpose=_purpose(p.purpose, lang)),
                p.purpose if p.purpose in COLOURS else "other-temporary",
                hatch,
                record=p.record,
                order=i,
            )
        )
        if p.withdrawn_from and p.end and (p.granted_end is None or p.granted_end > p.end):
            end = p.granted_end
            text = _t("withdrawn-part", lang, d=sd(end, lang)) if end else _t("withdrawn-short", lang)
            permits.bars.append(
                _RawBar(
                    o(p.end),
                    o(end) if end else None,
                    text,
                    p.purpose if p.purpose in COLOURS else "other-temporary",
                    HATCH_WITHDRAWN,
                    faded=True,
                    record=p.record,
                    order=i,
                )
            )
    spans: list[GapBand] = []
    for g in a.gaps:
        end = g.end or a.as_of
        text = _t("gap", lang, n=g.days) if g.end else _t("gap-ongoing", lang, n=g.days)
        permits.bars.append(_RawBar(o(g.start), o(end), text, "gap", HATCH_GAP, order=100))
        spans.append(GapBand(g.start, end, text))

    # Relationship: cohabitation, marriage (or partnership), separated, divorce.
    rel = case.relationship
    rl = lanes["relationship"]
    if rel is not None:
        stop = rel.separated
        if rel.cohabitation_start and (rel.married is None or rel.cohabitation_start < rel.married):
            cend = rel.married if rel.kind != "unmarried" and rel.married else stop
            key = "cohabitation-abroad" if rel.cohabitation_place == "abroad" else "cohabitation"
            if rel.kind == "unmarried":
                key = "unmarried"
            rl.bars.append(_RawBar(o(rel.cohabitation_start), o(cend) if cend else None, _t(key, lang), "cohabitation"))
        if rel.married and rel.kind != "unmarried":
            key = "marriage" if rel.kind == "marriage" else "registered-partnership"
            mend = stop or rel.divorced
            rl.bars.append(_RawBar(o(rel.married), o(mend) if mend else None, _t(key, lang), "marriage"))
            if stop and (rel.divorced is None or rel.divorced > stop):
                key = _separated_key(rel.kind)
                rl.bars.append(
                    _RawBar(
                        o(stop),
                        o(rel.divorced) if rel.divorced else o(max(a.as_of, stop)),
                        _t(key, lang),
                        "separated",
                        HATCH_WITHDRAWN,
                        faded=True,
                    )
                )
        if rel.separated:
            rl.markers.append(
                _RawMarker(o(rel.separated), _t("m-separation", lang, d=sd(rel.separated, lang)), "event")
            )
        if rel.divorced:
            key = "m-divorce" if rel.kind != "registered-partnership" else "m-dissolution"
            rl.markers.append(_RawMarker(o(rel.divorced), _t(key, lang, d=sd(rel.divorced, lang)), "event"))

    # Procedures: applications, notifications, withdrawals, objection windows,
    # procedural stay and the reporting deadline.
    pr = lanes["procedures"]
    for i, app in enumerate(case.applications):
        kind = label(app.kind, lang)
        what = _t("application", lang, kind=kind, purpose=_purpose(app.purpose, lang)) if app.purpose else kind
        if app.decided and app.outcome != "pending":
            pr.bars.append(_RawBar(o(app.received), o(app.decided), what, "application", order=i))
            key = "m-granted" if app.outcome == "granted" else "m-refused"
            pr.markers.append(_RawMarker(o(app.decided), _t(key, lang, d=sd(app.decided, lang)), "decision"))
        else:
            end = max(a.as_of, app.received)
            pr.bars.append(
                _RawBar(
                    o(app.received),
                    o(end),
                    _t("application-pending", lang, what=what),
                    "application",
                    HATCH_PENDING,
                    order=i,
                )
            )
    for s in a.procedural:
        end = s.end or a.as_of
        pr.bars.append(
            _RawBar(
                o(s.start), o(max(end, s.start)), _t("procedural", lang, basis=s.basis), "procedural", HATCH_PROCEDURAL
            )
        )
    for ob in a.objections:
        pr.bars.append(
            _RawBar(
                o(ob.decided),
                o(ob.deadline + timedelta(days=1)),  # the deadline is the last day in time (R8.2)
                _t("objection-window", lang, status=label(ob.status, lang)),
                "objection",
                HATCH_OBJECTION,
                order=50,
            )
        )
    for permit in case.permits:
        if permit.withdrawal_decided:
            pr.markers.append(
                _RawMarker(
                    o(permit.withdrawal_decided),
                    _t("m-withdrawal-decision", lang, d=sd(permit.withdrawal_decided, lang)),
                    "decision",
                )
            )
    for p in a.residence:
        if p.withdrawn_from:
            pr.markers.append(
                _RawMarker(o(p.withdrawn_from), _t("m-withdrawn-from", lang, d=sd(p.withdrawn_from, lang)), "event")
            )
    for n in case.notifications:
        pr.markers.append(
            _RawMarker(o(n.received), _t("m-report", lang, by=label(n.by, lang), d=sd(n.received, lang)), "event")
        )
    nr = a.notification
    if nr is not None:
        missed = nr.status in ("late", "missing")
        pr.markers.append(
            _RawMarker(
                o(nr.deadline),
                _t("m-report-deadline", lang, d=sd(nr.deadline, lang), status=label(nr.status, lang)),
                "deadline-missed" if missed else "deadline",
            )
        )
    for dp in a.decision_periods:
        key = "m-decision-overdue" if dp.overdue else "m-decision-due"
        pr.markers.append(
            _RawMarker(o(dp.due), _t(key, lang, d=sd(dp.due, lang)), "deadline-missed" if dp.overdue else "deadline")
        )

    if rel is None:
        rl.notes.append(_t("no-relationship", lang))
    if not pr.bars and not pr.markers:
        pr.notes.append(_t("no-procedures", lang))

    # Stays abroad.
    ab = lanes["absences"]
    for b in case.absences:
        if b.returned is None:
            ab.bars.append(
                _RawBar(o(b.departed), o(max(a.as_of, b.departed)), _t("absence-ongoing", lang), "absence", "----")
            )
        else:
            ab.bars.append(_RawBar(o(b.departed), o(b.returned), _t("absence", lang), "absence"))
    if not case.absences:
        ab.notes.append(_t("no-absences", lang))

    # Clocks: one bar per running route, ending in a milestone.
    cl = lanes["clocks"]
    routes: list[tuple[str, Any]] = [
        ("pr", a.permanent_residence),
        ("eu", a.eu_long_term),
    ]
    for r in a.naturalisation.routes:
        if r.applicable:
            routes.append((f"nat:{r.route}", r.clock))
    for i, (key, clock) in enumerate(routes):
        if key.startswith("nat:"):
            route = route_label(key[4:], lang)
            what = _t("nat", lang, route=route)
        else:
            route = ""
            what = _t(key, lang)
        if clock.clock_start and clock.eligible_from:
            if key.startswith("nat:"):
                text = _t("clock-nat", lang, route=route, d=sd(clock.eligible_from, lang))
            else:
                text = _t(f"clock-{key}", lang, d=sd(clock.eligible_from, lang))
            cl.bars.append(
                _RawBar(o(clock.clock_start), o(clock.eligible_from), text, "clock", milestone=True, order=i)
            )
            if key == "nat:long-residence":
                # R6.4: the toelating before the 2 unbroken years counts toward the 10 in total.
                anchor = len(cl.bars) - 1
                for sp in merge(Span(p.start, p.end) for p in a.residence):
                    if sp.start < clock.clock_start:
                        end = clock.clock_start if sp.end is None else min(sp.end, clock.clock_start)
                        cl.bars.append(_RawBar(o(sp.start), o(end), "", "clock-earlier", order=i, join=anchor))
        else:
            reason = label(clock.reason, lang) if clock.reason else "-"
            cl.notes.append(_t("not-running", lang, what=what, reason=reason))
    return [lanes[k] for k in ("permits", "relationship", "procedures", "absences", "clocks")], spans


# ---------------------------------------------------------------------------------------
# Layout: rows for bars, a greedy placer for labels, then y positions


def measurer() -> Callable[..., float]:
    """Text width in points for DejaVu Sans: glyph advances plus kerning, as matplotlib
    lays text out (unhinted, as PDF and SVG use); advances and kerning pairs are cached.

    The returned ``width(text, size, bold=False)`` has an attribute ``advance(total, prev,
    text, bold)``: a width ``total`` (font units at ``width.scale`` points) of a text
    ending in glyph ``prev`` (``None`` for none), extended by ``text``, with the new last
    glyph. Adding a word to a line with it costs the word only, and gives the same
    number as measuring the whole line (the same additions in the same order), so
    :func:`timeline.report._wrap` is linear in the text.
    """
    from matplotlib.font_manager import FontProperties, findfont
    from matplotlib.ft2font import FT2Font, Kerning, LoadFlags

    scale = 100.0
    unfitted = Kerning.UNFITTED
    fonts: dict[bool, Any] = {}
    advances: dict[tuple[bool, str], tuple[float, int]] = {}
    kerning: dict[tuple[bool, int, int], float] = {}

    def glyph(bold: bool, ch: str) -> tuple[float, int]:
        key = (bold, ch)
        if key not in advances:
            if bold not in fonts:
                prop = FontProperties(family="DejaVu Sans", weight="bold" if bold else "normal")
                font = FT2Font(findfont(prop))
                font.set_size(scale, 72)
                fonts[bold] = font
            font = fonts[bold]
            if not font.get_char_index(ord(ch)):  # as drawn by timeline.usertext.drawable
                ch = REPLACEMENT
            g = font.load_char(ord(ch), flags=LoadFlags.NO_HINTING)
            advances[key] = (g.linearHoriAdvance / 65536, font.get_char_index(ord(ch)))
        return advances[key]

    def advance(total: float, prev: int | None, text: str, bold: bool = False) -> tuple[float, int | None]:
        for ch in text:
            adv, index = glyph(bold, ch)
            total += adv
            if prev is not None:
                pair = (bold, prev, index)
                kern = kerning.get(pair)
                if kern is None:
                    kern = kerning[pair] = fonts[bold].get_kerning(prev, index, unfitted) / 64
                total += kern
            prev = index
        return total, prev

    def width(text: str, size: float, bold: bool = False) -> float:
        best = 0.0
        for line in text.split("\n"):
            best = max(best, advance(0.0, None, line, bold)[0] * size / scale)
        return best

    width.advance = advance  # type: ignore[attr-defined]
    width.scale = scale  # type: ignore[attr-defined]
    return width


@dataclass
class _Item:
    """A label placed above a lane's bars: a pinned marker with text, or a bar's label."""

    anchor: float  # x of the marker or the point the label refers to
    width: float  # text width in days
    marker: bool
    text: str
    ref: Any  # the _RawMarker or the bar index
    row: int = -1
    side: str = "right"
    lo: float = 0.0
    hi: float = 0.0


def _extent(anchor: float, width: float, marker: bool, side: str, r: float, gap: float) -> tuple[float, float]:
    if marker:
        if side == "right":
            return anchor - r, anchor + r + gap + width
        return anchor - r - gap - width, anchor + r
    if side == "right":
        return anchor, anchor + width
    if side == "left":
        return anchor - width, anchor
    return anchor - width / 2, anchor + width / 2


def place_labels(items: list[_Item], x0: float, x1: float, *, r: float, gap: float, sep: float) -> list[_Item]:
    """Greedy label placement in rows above the bars (row 0 nearest to the bars).

    Items are taken from right to left, so labels written to the right of their anchor
    form a staircase. Each goes to the lowest row where its extent (marker plus text,
    ``sep`` apart from others) is free, where it covers no stem of a label in a higher
    row and where its own stem down to the bars crosses no label in a lower row. Text
    goes right of the anchor when it fits inside the axes, else left. When stems cannot
    all stay clear, a new top row is used: text never overlaps text.
    """
    placed: list[_Item] = []
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


def _fits(placed: list[_Item], row: int, lo: float, hi: float, anchor: float, sep: float, r: float) -> bool:
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


def _bar_rows(bars: list[_RawBar], x1: float, min_w: float) -> list[int]:
    """Interval packing: the first row whose last bar ends before this one starts.

    A bar with ``join`` takes the row of that bar, which is packed as starting where the
    first of its joined bars starts.
    """
    first = {i: b.start for i, b in enumerate(bars)}
    for b in bars:
        if b.join is not None:
            first[b.join] = min(first[b.join], b.start)
    own = [i for i, b in enumerate(bars) if b.join is None]
    order = sorted(own, key=lambda i: (first[i], bars[i].order, i))
    ends: list[float] = []
    rows = [0] * len(bars)
    for i in order:
        b = bars[i]
        end = max(float(b.end if b.end is not None else x1), b.start + min_w)
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


def _ticks(start: date, end: date, lang: str, ax_width_in: float, width: Callable[..., float]) -> list[Tick]:
    """Month/year ticks labelled with timeline.i18n month names (no machine locale)."""
    span = (end - start).days
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    ticks: list[Tick] = []
    if span <= 45:
        # A few weeks: every Monday.
        t = start + timedelta(days=(7 - start.weekday()) % 7)
        while t <= end:
            text = f"{t.day} {month_name(t.month, lang, short=True)}"
            if not ticks or (t.month == 1 and t.day <= 7):
                text += f"\n{t.year}"
            ticks.append(Tick(t, text, True))
            t += timedelta(days=7)
        return ticks
    if span <= 120:
        # Short span: the 1st and the 15th of each month.
        d = date(start.year, start.month, 1)
        while d <= end:
            for day in (1, 15):
                t = d.replace(day=day)
                if start <= t <= end:
                    text = f"{t.day} {month_name(t.month, lang, short=True)}"
                    if t.day == 1 and (t.month == 1 or not ticks):
                        text += f"\n{t.year}"
                    ticks.append(Tick(t, text, True))
            d = _add_months(d, 1)
        return ticks
    budget = ax_width_in * 72 / (width("2025", TICK_PT) * 2.6)  # labels that fit side by side
    full = width("september", TICK_PT) * months < ax_width_in * 72 * 0.8
    for step in (1, 2, 3, 6, 12, 24, 60):
        if months / step <= budget:
            break
    d = date(start.year, start.month, 1)
    if step >= 12:
        d = date(start.year + (0 if start.month == 1 else 1), 1, 1)
        while d <= end:
            if (d.year % (step // 12)) == 0:
                ticks.append(Tick(d, str(d.year), True))
            d = date(d.year + 1, 1, 1)
        # Quarterly minor ticks.
        m = date(start.year, start.month, 1)
        while m <= end:
            if m >= start and m.month in (1, 4, 7, 10) and m.month != 1:
                ticks.append(Tick(m, "", False))
            m = _add_months(m, 1)
        return sorted(ticks, key=lambda t: (t.date, not t.major))
    first = True
    while d <= end:
        if d >= start and (d.month - 1) % step == 0:
            text = month_name(d.month, lang, short=not full)
            if d.month == 1 or first:
                text += f"\n{d.year}"
            ticks.append(Tick(d, text, True))
            first = False
        elif d >= start:
            ticks.append(Tick(d, "", False))
        d = _add_months(d, 1)
    return ticks


def _add_months(d: date, n: int) -> date:
    m = d.month - 1 + n
    return date(d.year + m // 12, m % 12 + 1, 1)


def _separated_key(relationship_kind: str | None) -> str:
    """The label of "separated, still married / still registered" (bar and legend)."""
    return "separated-married" if relationship_kind == "marriage" else "separated-partnership"


def _legend(
    lanes: list[_LaneContent], spans: list[GapBand], lang: str, relationship_kind: str | None = None
) -> list[LegendEntry]:
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
                key = {
                    "cohabitation": "legend-cohabitation",
                    "marriage": "legend-marriage",
                    "separated": _separated_key(relationship_kind),
                    "application": "legend-application",
                    "objection": "legend-objection",
                    "procedural": "legend-procedural",
                    "absence": "legend-absence",
                    "clock": "legend-clock",
                    "clock-earlier": "legend-clock-earlier",
                }[b.colour]
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


def chart_spec(
    assessment: Assessment,
    case: Case,
    *,
    lang: str = "en",
    size: tuple[float, float] = A4_LANDSCAPE,
    footer_note: str | None = None,
) -> ChartSpec:
    """The chart of ``assessment`` as plain data: lanes, bars, markers, placed labels.

    Parameters
    ----------
    assessment
        The result of :func:`timeline.assess` for ``case``.
    case
        The case (relationship dates, applications, notifications and absences come
        from here; residence, gaps and clocks from ``assessment``).
    lang
        ``"en"`` or ``"nl"``: every label, month names included (no machine locale).
    size
        Figure size in inches (width, height); A4 landscape by default.
    footer_note
        Extra text for the footer (the report adds the input's SHA-256).

    Returns
    -------
    ChartSpec
        Dates in ``start``/``end`` of bars are exclusive ends (DC-1); positions
        are ready to draw (labels never overlap each other or a bar).

    Raises
    ------
    ChartError
        For an unknown language or a size too small to draw on. (An as-of date before
        the first event of the case is refused by :func:`timeline.assess`.)
    """
    if lang not in LANGS:
        raise ChartError(f"language must be one of {', '.join(LANGS)}, not {lang!r}")
    case = case._replace(id=drawable(case.id), description=drawable(case.description))
    w_in, h_in = (float(size[0]), float(size[1]))
    bad_size = size_error(w_in * 2.54, h_in * 2.54)
    if bad_size:
        raise ChartError(bad_size)
    width = measurer()
    lanes, spans = _collect(assessment, case, lang)

    # x range: everything drawn, the as-of date, a little air on both sides.
    days = [assessment.as_of.toordinal()]
    for lane in lanes:
        for b in lane.bars:
            days.append(b.start)
            if b.end is not None:
                days.append(b.end)
        days += [m.day for m in lane.markers]
    lo, hi = min(days), max(days)
    pad = max(10, round((hi - lo) * 0.03))
    x0, x1 = lo - pad, hi + pad
    start, end = date.fromordinal(x0), date.fromordinal(x1)

    # Horizontal geometry (inches).
    lane_titles = [_t(f"lane-{lane.key}", lang) for lane in lanes]
    left = max(width(t, LANE_PT) for t in lane_titles) / 72 + 0.55
    right = 0.45
    ax_w = w_in - left - right
    head = _t("title", lang, id=case.id)
    tail = _t("title-as-of", lang, d=format_date(assessment.as_of, lang))
    title = f"{head} · {tail}"
    title_lines, title_pt = _fit_title(head, tail, w_in - left - 0.3, width)
    footer = footer_text(assessment, lang) + (f" · {footer_note}" if footer_note else "")
    footer_lines = _wrap_to_width(footer, w_in - 0.8, FOOTER_PT, width)
    legend = _legend(lanes, spans, lang, case.relationship.kind if case.relationship else None)
    legend_w = max(width(e.label, LEGEND_PT) for e in legend) / 72 + 0.3 + 0.08 + 0.3
    legend_cols = max(1, min(len(legend), int((w_in - 0.8) // legend_w)))
    legend_rows = math.ceil(len(legend) / legend_cols)
    # Margin, title, the as-of label above the axes.
    top_space = 0.35 + len(title_lines) * title_pt * 1.3 / 72 + 0.42
    bottom_space = 0.5 + legend_rows * LEGEND_ROW_IN + 0.15 + len(footer_lines) * FOOTER_PT * 1.35 / 72 + 0.3
    avail_pt = (h_in - top_space - bottom_space) * 72
    if avail_pt < 60:
        raise ChartError(f"chart size {w_in * 2.54:.1f} x {h_in * 2.54:.1f} cm leaves no room for the lanes")

    days_per_pt = (x1 - x0) / (ax_w * 72)
    label_pt = LABEL_PT
    for _ in range(4):
        placed = _layout_lanes(lanes, x0, x1, days_per_pt, label_pt, width)
        total = sum(p["units"] for p in placed)
        unit_pt = min(MAX_UNIT_PT, avail_pt / total)
        fitting = round(unit_pt * 0.68, 2)
        if fitting >= label_pt or label_pt <= MIN_LABEL_PT:
            break
        label_pt = max(MIN_LABEL_PT, fitting)

    # y positions in row units.
    out_lanes: list[Lane] = []
    bars: list[Bar] = []
    markers: list[Marker] = []
    notes: list[Note] = []
    y = 0.0
    for lane, title_text, p in zip(lanes, lane_titles, placed, strict=True):
        top = y
        n_items, n_rows = p["item_rows"], p["bar_rows"]
        bars_top = top + PAD_UNITS + n_items * ITEM_UNITS
        bottom = bars_top + n_rows * BAR_UNITS + PAD_UNITS

        def row_y(r: int, bars_top: float = bars_top) -> float:
            return bars_top + (r + 0.5) * BAR_UNITS

        def item_y(r: int, top: float = top, n_items: int = n_items) -> float:
            return top + PAD_UNITS + (n_items - 1 - r + 0.5) * ITEM_UNITS

        text_for_bar: dict[int, Placement] = {}
        for i, (where, tx, ha, tw) in p["inline"].items():
            text_for_bar[i] = Placement(tx, row_y(p["rows"][i]), ha, where, tw)
        for it in p["items"]:
            iy = item_y(it.row)
            if it.marker:
                m: _RawMarker = it.ref
                tx = it.anchor + (MARKER_R_PT + TEXT_PAD_PT) * days_per_pt * (1 if it.side == "right" else -1)
                markers.append(
                    Marker(
                        date.fromordinal(m.day),
                        m.label,
                        m.kind,
                        lane.key,
                        iy,
                        Placement(tx, iy, "left" if it.side == "right" else "right", "above", it.width),
                        stem_to=bars_top,
                    )
                )
            else:
                i = it.ref
                ha = {"right": "left", "left": "right", "center": "center"}[it.side]
                tx = it.lo if ha == "left" else it.hi if ha == "right" else (it.lo + it.hi) / 2
                by = row_y(p["rows"][i]) - BAR_UNITS * BAR_FILL / 2
                text_for_bar[i] = Placement(
                    tx, iy, ha, "above", it.width, leader=((it.anchor, iy + 0.42 * ITEM_UNITS), (it.anchor, by))
                )
        for i, b in enumerate(lane.bars):
            bars.append(
                Bar(
                    date.fromordinal(b.start),
                    date.fromordinal(b.end) if b.end is not None else None,
                    b.label,
                    b.colour,
                    b.hatch,
                    lane.key,
                    p["rows"][i],
                    row_y(p["rows"][i]),
                    BAR_UNITS * BAR_FILL,
                    b.faded,
                    b.milestone,
                    b.record,
                    text_for_bar.get(i),
                )
            )
        for k, text in enumerate(lane.notes):
            notes.append(Note(text, lane.key, row_y(p["bar_rows"] - len(lane.notes) + k)))
        out_lanes.append(Lane(lane.key, title_text, top, bottom, bars_top, n_items, n_rows))
        y = bottom

    total = y
    unit_pt = min(MAX_UNIT_PT, avail_pt / total)
    ax_h = total * unit_pt / 72
    ax_bottom = h_in - top_space - ax_h
    legend_top = ax_bottom - 0.5
    layout = Layout(
        w_in,
        h_in,
        left,
        ax_bottom,
        ax_w,
        ax_h,
        total,
        unit_pt,
        label_pt,
        legend_top,
        tuple(title_lines),
        title_pt,
        legend_cols,
        legend_w,
        tuple(footer_lines),
    )
    return ChartSpec(
        id=case.id,
        lang=lang,
        title=title,
        footer=footer,
        as_of=assessment.as_of,
        as_of_label=_t("as-of", lang, d=short_date(assessment.as_of, lang)),
        start=start,
        end=end,
        lanes=tuple(out_lanes),
        bars=tuple(bars),
        markers=tuple(markers),
        spans=tuple(spans),
        notes=tuple(notes),
        ticks=tuple(_ticks(start, end, lang, ax_w, width)),
        legend=tuple(legend),
        layout=layout,
    )


def _layout_lanes(
    lanes: list[_LaneContent],
    x0: float,
    x1: float,
    days_per_pt: float,
    label_pt: float,
    width: Callable[..., float],
) -> list[dict[str, Any]]:
    """Rows for bars and labels of every lane, for one label font size."""
    pad = TEXT_PAD_PT * days_per_pt
    r = MARKER_R_PT * days_per_pt
    min_w = MIN_BAR_PT * days_per_pt
    out = []
    for lane in lanes:
        rows = _bar_rows(lane.bars, x1, min_w)
        n_rows = max(max([*rows, -1]) + 1 + len(lane.notes), 1)
        # What each bar row holds: bars (and milestone markers), then inline labels.
        occupied: dict[int, list[tuple[float, float]]] = {}
        for b, row in zip(lane.bars, rows, strict=True):
            end = max(float(b.end if b.end is not None else x1), b.start + min_w)
            occupied.setdefault(row, []).append((b.start, end + (1.6 * r if b.milestone else 0)))
        inline: dict[int, tuple[str, float, str, float]] = {}
        items: list[_Item] = []
        for i, (b, row) in enumerate(zip(lane.bars, rows, strict=True)):
            if not b.label:
                continue
            tw = width(b.label, label_pt, b.colour == "gap") * days_per_pt
            end = float(b.end if b.end is not None else x1)
            room = end - b.start - 2 * pad - (1.6 * r if b.milestone else 0)
            if tw <= room:
                inline[i] = ("inside", b.start + pad, "left", tw)
                continue
            spots = [("right", end + (1.6 * r if b.milestone else 0) + pad, "left"), ("left", b.start - pad, "right")]
            for where, tx, ha in spots:
                lo, hi = (tx, tx + tw) if ha == "left" else (tx - tw, tx)
                if lo < x0 or hi > x1:
                    continue
                if all(hi + pad <= s or lo - pad >= e for s, e in occupied.get(row, []) if (s, e) != (b.start, end)):
                    inline[i] = (where, tx, ha, tw)
                    occupied[row].append((lo, hi))
                    break
            else:
                anchor = b.start + max(end - b.start, min_w) / 2
                items.append(_Item(anchor, tw, False, b.label, i))
        for m in lane.markers:
            items.append(_Item(float(m.day), width(m.label, label_pt) * days_per_pt, True, m.label, m))
        placed = place_labels(items, x0, x1, r=r, gap=pad, sep=ITEM_GAP_PT * days_per_pt)
        n_items = max([it.row for it in placed] + [-1]) + 1
        out.append(
            {
                "rows": rows,
                "bar_rows": n_rows,
                "item_rows": n_items,
                "inline": inline,
                "items": placed,
                "units": 2 * PAD_UNITS + n_items * ITEM_UNITS + n_rows * BAR_UNITS,
            }
        )
    return out


def _fit_title(head: str, tail: str, width_in: float, width: Callable[..., float]) -> tuple[list[str], float]:
    """The title on one line if it fits, else on two, shrinking the font if needed."""
    one = f"{head} · {tail}"
    if width(one, TITLE_PT, True) <= width_in * 72:
        return [one], TITLE_PT
    size = TITLE_PT
    while size > 7 and max(width(head, size, True), width(tail, size, True)) > width_in * 72:
        size -= 0.5
    return [head, tail], size


def _wrap_to_width(text: str, width_in: float, size: float, width: Callable[..., float]) -> list[str]:
    """Greedy word wrap by measured width (footer lines never run off the page)."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        trial = f"{current} {word}" if current else word
        if current and width(trial, size) / 72 > width_in:
            lines.append(current)
            current = word
        else:
            current = trial
    if current:
        lines.append(current)
    return lines


# ---------------------------------------------------------------------------------------
# Drawing


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


def _text_colour(fill: str) -> str:
    c = fill.lstrip("#")
    r, g, b = (int(c[i : i + 2], 16) / 255 for i in (0, 2, 4))

    def lin(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    lum = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    return "#FFFFFF" if lum < 0.30 else "#000000"


def _bar_fill(colour_key: str, colours: dict[str, str], faded: bool) -> tuple[str, str]:
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
    c = colour.lstrip("#")
    return "#" + "".join(f"{round(int(c[i : i + 2], 16) * 0.6):02X}" for i in (0, 2, 4))


def render(spec: ChartSpec) -> Figure:
    """Draw ``spec`` on a new :class:`matplotlib.figure.Figure` with an Agg canvas.

    The figure is built inside the chart style (:func:`style_context`); no pyplot state
    and no global ``rcParams`` are touched. Save it with :func:`save` for deterministic
    output (fixed SVG ids, no timestamps).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle
    from matplotlib.transforms import blended_transform_factory

    L = spec.layout
    W, H = L.width, L.height
    fs = L.label_pt
    with style_context():
        fig = Figure(figsize=(W, H))
        FigureCanvasAgg(fig)
        ax = fig.add_axes((L.ax_left / W, L.ax_bottom / H, L.ax_width / W, L.ax_height / H))
        x0, x1 = spec.start.toordinal(), spec.end.toordinal()
        ax.set_xlim(x0, x1)
        ax.set_ylim(L.rows, 0)
        ax.set_yticks([])
        for side in ("left", "right", "top"):
            ax.spines[side].set_visible(False)
        days_per_pt = (x1 - x0) / (L.ax_width * 72)

        # Lanes: alternating backgrounds, separators, titles.
        trans = blended_transform_factory(ax.transAxes, ax.transData)
        background = {lane.key: LANE_SHADE if i % 2 == 0 else "#FFFFFF" for i, lane in enumerate(spec.lanes)}

        def halo(lane: str) -> dict[str, Any]:
            # Labels outside bars sit on a patch of the lane's background: the as-of
            # line and grid lines pass behind them instead of through them.
            return {"boxstyle": "square,pad=0.1", "facecolor": background[lane], "edgecolor": "none", "alpha": 0.9}

        for i, lane in enumerate(spec.lanes):
            if i % 2 == 0:
                ax.axhspan(lane.top, lane.bottom, color=LANE_SHADE, zorder=0, lw=0)
            if i:
                ax.axhline(lane.top, color="#B0B0B0", lw=0.6, zorder=0.6)
            ax.text(
                -0.012,
                (lane.top + lane.bottom) / 2,
                lane.title,
                transform=trans,
                ha="right",
                va="center",
                fontsize=LANE_PT,
                fontweight="bold",
                parse_math=False,
                linespacing=1.15,
            )

        # Ticks and grid.
        major = [t for t in spec.ticks if t.major]
        minor = [t for t in spec.ticks if not t.major]
        ax.set_xticks([t.date.toordinal() for t in major], [t.label for t in major])
        # Minor ticks as one line of tick marks: an Axis tick per quarter costs ~1 ms each.
        ax.set_xticks([], minor=True)
        if minor:
            ax.plot(
                [t.date.toordinal() for t in minor],
                [0.0] * len(minor),
                transform=blended_transform_factory(ax.transData, ax.transAxes),
                ls="none",
                marker=3,  # TICKDOWN
                ms=2.5,
                mew=0.5,
                color="#333333",
                clip_on=False,
                gid="minor-ticks",
            )
        ax.tick_params(axis="x", labelsize=TICK_PT)
        for t in major:
            ax.axvline(t.date.toordinal(), color="#D8D8D8", lw=0.5, zorder=0.4)

        # Gap bands across all lanes.
        for s in spec.spans:
            ax.axvspan(
                s.start.toordinal(),
                max(s.end.toordinal(), s.start.toordinal() + 2 * MIN_BAR_PT * days_per_pt),
                facecolor=mix(spec.colours.get(s.colour, VERMILLION), 0.13),
                edgecolor="none",
                zorder=0.5,
            )

        # Bars and their labels.
        for i, b in enumerate(spec.bars):
            start = b.start.toordinal()
            end = b.end.toordinal() if b.end is not None else x1
            w = max(end - start, MIN_BAR_PT * days_per_pt)
            face, edge = _bar_fill(b.colour, spec.colours, b.faded)
            ax.add_patch(
                Rectangle(
                    (start, b.y - b.height / 2),
                    w,
                    b.height,
                    facecolor=face,
                    edgecolor=edge,
                    hatch=b.hatch or None,
                    # On dark fills a light hatch stays visible (also in greyscale print).
                    hatchcolor=(mix(face, 0.4) if _text_colour(face) == "#FFFFFF" else edge) if b.hatch else None,
                    lw=0.7,
                    zorder=2,
                    gid=f"bar-{i}",
                )
            )
            if b.end is None:
                ax.plot([x1], [b.y], marker=">", ms=6, color=edge, clip_on=False, zorder=3)
            if b.milestone:
                mk, mf, me, ms = MARKER_STYLES["milestone"]
                ax.plot(
                    [end],
                    [b.y],
                    marker=mk,
                    ms=ms + 3,
                    mfc=mf,
                    mec=me,
                    mew=0.7,
                    zorder=4,
                    clip_on=False,
                    gid=f"milestone-{i}",
                )
            if b.text is not None:
                p = b.text
                inside = p.where == "inside"
                colour = _text_colour(face) if inside else WARNING_TEXT if b.colour == "gap" else "#000000"
                box = halo(b.lane)
                if inside:  # in the bar's face colour: covers a hatch and the as-of line, not the bar
                    box = {"boxstyle": "square,pad=0.12", "facecolor": face, "edgecolor": "none"}
                ax.text(
                    p.x,
                    p.y,
                    b.label,
                    ha=p.ha,
                    va="center",
                    fontsize=fs,
                    color=colour,
                    fontweight="bold" if b.colour == "gap" else "normal",
                    bbox=box,
                    parse_math=False,
                    zorder=8,
                    clip_on=False,
                    gid=f"bar-label-{i}-{p.where}",
                )
                if p.leader is not None:
                    (lx0, ly0), (lx1, ly1) = p.leader
                    ax.plot([lx0, lx1], [ly0, ly1], color="#666666", lw=0.5, zorder=1.5)

        # Markers with stems and labels.
        for j, m in enumerate(spec.markers):
            x: float = m.date.toordinal()
            mk, mf, me, ms = MARKER_STYLES.get(m.kind, MARKER_STYLES["event"])
            if m.stem_to is not None:
                ax.plot([x, x], [m.y, m.stem_to], color="#666666", lw=0.5, zorder=1.5)
            ax.plot([x], [m.y], marker=mk, ms=ms, mfc=mf, mec=me, mew=0.8, zorder=6, clip_on=False, gid=f"marker-{j}")
            if m.text is not None:
                ax.text(
                    m.text.x,
                    m.text.y,
                    m.label,
                    ha=m.text.ha,
                    va="center",
                    fontsize=fs,
                    parse_math=False,
                    zorder=8,
                    bbox=halo(m.lane),
                    color=WARNING_TEXT if m.kind == "deadline-missed" else "#000000",
                    gid=f"marker-label-{j}",
                )

        for n in spec.notes:
            ax.text(
                x0 + TEXT_PAD_PT * 2 * days_per_pt,
                n.y,
                n.text,
                ha="left",
                va="center",
                fontsize=fs,
                style="italic",
                color="#444444",
                parse_math=False,
                bbox=halo(n.lane),
                zorder=8,
            )

        # The as-of line.
        a = spec.as_of.toordinal()
        ax.axvline(a, color="#000000", lw=1.0, ls=(0, (4, 2.5)), zorder=7)
        ax.annotate(
            spec.as_of_label,
            xy=(a, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=fs,
            fontweight="bold",
            annotation_clip=False,
            bbox={"boxstyle": "round,pad=0.2", "facecolor": "#FFFFFF", "edgecolor": "#000000", "lw": 0.6},
        )

        # Title, legend, footer.
        for k, line in enumerate(L.title_lines):
            fig.text(
                L.ax_left / W,
                1 - (0.35 + k * L.title_pt * 1.3 / 72) / H,
                line,
                ha="left",
                va="top",
                fontsize=L.title_pt,
                fontweight="bold",
                parse_math=False,
            )
        # The legend, drawn directly (fig.legend's layout machinery costs ~50 ms a chart).
        rows = math.ceil(len(spec.legend) / L.legend_cols)
        fig_t = fig.transFigure
        for i, e in enumerate(spec.legend):
            col, row = divmod(i, rows)
            x = L.ax_left - 0.1 + col * L.legend_col_w
            y = L.legend_top - (row + 0.5) * LEGEND_ROW_IN
            hw, hh = 0.3, 0.11  # handle size in inches
            if e.kind == "patch":
                if e.key == "temporary":
                    face, edge = "#FFFFFF", "#333333"
                else:
                    face, edge = _bar_fill(e.key, spec.colours, e.faded)
                fig.add_artist(
                    Rectangle(
                        (x / W, (y - hh / 2) / H),
                        hw / W,
                        hh / H,
                        transform=fig_t,
                        facecolor=face,
                        edgecolor=edge,
                        hatch=e.hatch or None,
                        hatchcolor=edge,
                        lw=0.7,
                    )
                )
            elif e.kind == "marker":
                mk, mf, me, ms = MARKER_STYLES[e.key]
                size = ms + (3 if e.key == "milestone" else 0)
                fig.add_artist(
                    Line2D([(x + hw / 2) / W], [y / H], transform=fig_t, ls="none", marker=mk, ms=size, mfc=mf, mec=me)
                )
            else:
                fig.add_artist(
                    Line2D(
                        [x / W, (x + hw) / W], [y / H] * 2, transform=fig_t, color="#000000", lw=1.0, ls=(0, (4, 2.5))
                    )
                )
            fig.text((x + hw + 0.08) / W, y / H, e.label, ha="left", va="center", fontsize=LEGEND_PT, parse_math=False)
        for k, line in enumerate(L.footer_lines):
            fig.text(
                0.4 / W,
                (0.3 + (len(L.footer_lines) - 1 - k) * FOOTER_PT * 1.35 / 72) / H,
                line,
                ha="left",
                va="bottom",
                fontsize=FOOTER_PT,
                color="#444444",
                parse_math=False,
            )
    return fig


def chart(assessment: Assessment, case: Case, *, lang: str = "en", size: tuple[float, float] = A4_LANDSCAPE) -> Figure:
    """``render(chart_spec(assessment, case, lang=lang, size=size))``: a Figure to show or restyle."""
    return render(chart_spec(assessment, case, lang=lang, size=size))


#: Metadata that keeps output byte-identical across runs (no dates, no tool banner).
METADATA = {
    ".svg": {"Date": None},
    ".pdf": {"CreationDate": None, "ModDate": None},
}


def save(fig_or_spec: Figure | ChartSpec, path: str | Path) -> Path:
    """Write a chart to ``path`` as PNG, SVG or PDF, chosen by the extension.

    Output is deterministic: SVG is byte-identical across runs, PNG and PDF carry no
    timestamps.

    Raises
    ------
    ChartError
        For an extension other than ``.png``, ``.svg`` or ``.pdf``, or a path that
        cannot be written.
    """
    out = Path(path)
    ext = check_output(out)
    fig = render(fig_or_spec) if isinstance(fig_or_spec, ChartSpec) else fig_or_spec
    with style_context():
        try:
            if ext == ".png":
                data = _png_bytes(fig)
            else:  # drawn in memory: matplotlib's PDF writer fails untidily on a write error
                buffer = io.BytesIO()
                fig.savefig(buffer, format=ext[1:], metadata=METADATA[ext])
                data = buffer.getvalue()
            with replacing(out) as tmp:
                Path(tmp).write_bytes(data)
        except OSError as err:
            raise ChartError(f"{out}: cannot write the file: {err.strerror or err}") from None
    return out


def _png_bytes(fig: Figure) -> bytes:
    """``fig`` as PNG at the style's ``savefig.dpi``, encoded by :func:`timeline.png.encode_png`.

    The figure is drawn as :meth:`~matplotlib.figure.Figure.savefig` would (same dpi, the
    raw RGBA of the Agg canvas); only the encoder differs, and the pixels are identical
    (tested against ``savefig``).
    """
    import matplotlib
    import numpy as np

    from .png import encode_png

    dpi = float(matplotlib.rcParams["savefig.dpi"])
    buffer = io.BytesIO()
    saved_dpi = fig.dpi
    fig.dpi = dpi  # as savefig sets it while it draws
    try:
        # format="rgba" is savefig's raw Agg buffer: dpi, face colour and layout as for PNG,
        # of the size the canvas reports at that dpi.
        fig.savefig(buffer, format="rgba", dpi=dpi)
        width, height = fig.canvas.get_width_height(physical=True)
    finally:
        fig.dpi = saved_dpi
    pixels = np.frombuffer(buffer.getbuffer(), dtype=np.uint8)
    if pixels.size != width * height * 4:  # only if matplotlib changed how it sizes the canvas
        raise RuntimeError(f"raw buffer of {pixels.size} bytes is not {width}x{height} RGBA")
    return encode_png(pixels.reshape(height, width, 4), dpi)


def check_output(path: str | Path, formats: tuple[str, ...] = FORMATS, what: str = "a chart") -> str:
    """The extension of ``path`` if ``what`` can be written there, else a :class:`ChartError`.

    Checks the extension against ``formats``, that ``path`` is not a folder, and that
    its folder exists and is writable (before any work is done).
    """
    import os

    out = Path(path)
    ext = out.suffix.lower()
    if out.is_dir():
        raise ChartError(f"{out}: is a folder; give a file name ending in {formats[0]}")
    if ext not in formats:
        shown = f"extension {out.suffix!r}" if ext else "no extension"
        valid = ", ".join(formats)
        raise ChartError(f"{out}: cannot write {what} with {shown}; use {'one of ' if len(formats) > 1 else ''}{valid}")
    parent = out.parent
    if not parent.is_dir():
        raise ChartError(f"{out}: cannot write {what}: the folder {parent} does not exist")
    if not os.access(parent, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise ChartError(f"{out}: cannot write {what}: permission denied")
    return ext
