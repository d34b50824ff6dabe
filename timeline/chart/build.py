"""From an assessment to a chart spec: :func:`chart_spec`.

The steps: collect what each lane shows (:mod:`timeline.chart.lanes`), choose the date
range, lay out the page (title, legend and footer around the axes), pick the largest label
size whose lanes fit the height, and give everything its position
(:mod:`timeline.chart.layout`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from ..assessment import Assessment
from ..fonts import measurer
from ..i18n import LANGS, format_date
from ..model import Case
from ..usertext import drawable
from .axis import ticks
from .banner import banner_lines
from .focus import clip_lanes
from .lanes import LaneContent, collect_lanes
from .layout import LaneRows, lane_rows, position_lane
from .legend import legend as make_legend
from .spec import (
    A4_LANDSCAPE,
    BannerLine,
    Bar,
    ChartError,
    ChartSpec,
    Lane,
    Layout,
    LegendEntry,
    Marker,
    Note,
    size_error,
)
from .style import MAX_UNIT_PT, MILESTONE_R_PT, TEXT_PAD_PT, Typography, typography
from .texts import chart_text, footer_text, short_date

__all__ = ["chart_spec"]

_t = chart_text


@dataclass
class _Page:
    """The page around the axes (inches): margins, title, legend and footer."""

    left: float
    ax_width: float
    title: str
    title_lines: list[str]
    title_pt: float
    footer: str
    footer_lines: list[str]
    banner: list[BannerLine]
    banner_lines: list[str]
    banner_tones: list[str]
    banner_starts: list[bool]
    banner_pt: float
    banner_top: float
    type: Typography
    legend: list[LegendEntry]
    legend_cols: int
    legend_col_w: float
    top_space: float
    bottom_space: float
    avail_pt: float  # the height left for the lanes, in points
    legend_col_x: tuple[float, ...] = ()  # each legend column's left edge (inches from the margin)


def chart_spec(
    assessment: Assessment,
    case: Case,
    *,
    lang: str = "en",
    size: tuple[float, float] = A4_LANDSCAPE,
    footer_note: str | None = None,
    banner: bool = True,
    window: tuple[date, date] | None = None,
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
    banner
        Whether to draw the banner above the chart: the status on the as-of date, the
        next deadline and when to apply (from ``assessment.now_and_next``), in the
        largest type on the page.
    window
        ``(start, end)``: draw only these dates, as a close-up
        (:func:`timeline.chart.focus.focus_window` picks the latest gap and the next
        deadline); the title says so. None: the whole history.

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
    lanes, spans = collect_lanes(assessment, case, lang)
    if window is not None:
        lanes, spans = clip_lanes(lanes, spans, window)
    lane_titles = [_t(f"lane-{lane.key}", lang) for lane in lanes]
    lines = banner_lines(assessment.now_and_next, lang, assessment.certainty) if banner else []
    page = _page(assessment, case, lang, (w_in, h_in), lanes, lane_titles, footer_note, lines, width, window)
    x0, x1 = _x_range(assessment, lanes, page.ax_width * 72, page.type.label, width)
    if window is not None:  # a bar cut at the window's start touches the axis: it began before
        x0 = window[0].toordinal()
    start, end = date.fromordinal(x0), date.fromordinal(x1)
    days_per_pt = (x1 - x0) / (page.ax_width * 72)
    _wrap_notes(lanes, page, width)
    label_pt, rows = _fit_label_size(lanes, x0, x1, days_per_pt, page, width)

    out_lanes, bars, markers, notes = _position(lanes, lane_titles, rows, days_per_pt)
    total = out_lanes[-1].bottom
    return ChartSpec(
        id=case.id,
        lang=lang,
        title=page.title,
        footer=page.footer,
        as_of=assessment.as_of,
        as_of_label=_t("as-of", lang, d=short_date(assessment.as_of, lang)),
        start=start,
        end=end,
        lanes=tuple(out_lanes),
        bars=tuple(bars),
        markers=tuple(markers),
        spans=tuple(spans),
        notes=tuple(notes),
        ticks=tuple(ticks(start, end, lang, page.ax_width, width, page.type.tick)),
        legend=tuple(page.legend),
        layout=_layout(page, (w_in, h_in), total, label_pt),
        banner=tuple(lines),
    )


def _wrap_notes(lanes: list[LaneContent], page: _Page, width: Callable[..., float]) -> None:
    """Each note longer than the axes wrapped into lines (the continuation indented)."""
    # Notes are drawn in italics from the axes' left edge; measured upright, with room to spare.
    room = (page.ax_width - 4 * TEXT_PAD_PT / 72) * 0.92
    for lane in lanes:
        lane.notes = [
            ("   " if k else "") + part
            for note in lane.notes
            for k, part in enumerate(_wrap_to_width(note, room, page.type.label, width))
        ]


def _position(
    lanes: list[LaneContent], titles: list[str], rows: list[LaneRows], days_per_pt: float
) -> tuple[list[Lane], list[Bar], list[Marker], list[Note]]:
    """Every lane's records with y positions, the lanes stacked from the top (row units)."""
    out_lanes: list[Lane] = []
    bars: list[Bar] = []
    markers: list[Marker] = []
    notes: list[Note] = []
    y = 0.0
    for lane, title, lr in zip(lanes, titles, rows, strict=True):
        positioned = position_lane(lane, title, lr, y, days_per_pt)
        out_lanes.append(positioned.lane)
        bars += positioned.bars
        markers += positioned.markers
        notes += positioned.notes
        y = positioned.lane.bottom
    return out_lanes, bars, markers, notes


def _x_range(
    assessment: Assessment, lanes: list[LaneContent], ax_pt: float, label_pt: float, width: Callable[..., float]
) -> tuple[int, int]:
    """Day ordinals of the axes' ends: everything drawn, the as-of date, a little air on both
    sides, and room right of each milestone for its text (the date beside the star)."""
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
    for lane in lanes:
        for b in lane.bars:
            if b.milestone and b.milestone_label and b.end is not None:
                # The text must end inside the axes: b.end + k * (x1 - x0) <= x1, k its share of the width.
                k = (MILESTONE_R_PT + 2 * TEXT_PAD_PT + width(b.milestone_label, label_pt)) / ax_pt
                x1 = max(x1, math.ceil((b.end - k * x0) / (1 - k)) + 1)
    return x0, x1


def _page(
    assessment: Assessment,
    case: Case,
    lang: str,
    size: tuple[float, float],
    lanes: list[LaneContent],
    lane_titles: list[str],
    footer_note: str | None,
    banner: list[BannerLine],
    width: Callable[..., float],
    window: tuple[date, date] | None = None,
) -> _Page:
    """The horizontal geometry, the title, banner, legend and footer, and the height left for the lanes."""
    w_in, h_in = size
    ty = typography(w_in)
    left = max(width(t, ty.lane, True) for line in lane_titles for t in line.split("\n")) / 72 + 0.3
    right = 0.45
    head = _t("title", lang, id=case.id)
    tail = _t("title-as-of", lang, d=format_date(assessment.as_of, lang))
    if window is not None:
        tail += " · " + _t("title-close-up", lang, start=short_date(window[0], lang), end=short_date(window[1], lang))
    title_lines, title_pt = _fit_title(head, tail, w_in - 0.8, ty.title, width)
    b_lines, b_tones, b_starts, b_pt = _fit_banner(banner, w_in - 0.8 - BANNER_MARK_IN, ty, width)
    footer = footer_text(assessment, lang) + (f" · {footer_note}" if footer_note else "")
    # Measured in the regular face, drawn grey and small: leave 5 % for the measurer's error.
    footer_lines = _wrap_to_width(footer, (w_in - 0.8) * 0.95, ty.footer, width)
    compact = ty.legend_row_in < LEGEND_ROW_FULL_IN
    legend = make_legend(lanes, lang, case.relationship.kind if case.relationship else None, compact=compact)
    handle = 0.3 + 0.08 + (0.15 if compact else 0.3)
    legend_col_x = _legend_columns([width(e.label, ty.legend) / 72 + handle for e in legend], w_in - 0.6)
    legend_cols = len(legend_col_x)
    legend_w = (w_in - 0.6) / legend_cols
    legend_rows = math.ceil(len(legend) / legend_cols)
    # Margin, title, banner, the as-of label above the axes.
    title_h = len(title_lines) * title_pt * 1.3 / 72
    banner_top = 0.3 + title_h + 0.08
    banner_h = len(b_lines) * b_pt * 1.3 / 72
    top_space = banner_top + banner_h + 0.12 + ty.label * 2.2 / 72
    bottom_space = 0.2 + ty.tick * 3 / 72 + legend_rows * ty.legend_row_in + 0.12
    bottom_space += len(footer_lines) * ty.footer * 1.35 / 72 + 0.25
    avail_pt = (h_in - top_space - bottom_space) * 72
    # Too little room for the lanes: the figure grows taller (see _layout).
    avail_pt = max(avail_pt, 60.0)
    return _Page(
        left, w_in - left - right, f"{head} · {tail}", title_lines, title_pt, footer, footer_lines,
        banner, b_lines, b_tones, b_starts, b_pt, banner_top, ty, legend, legend_cols, legend_w, top_space,
        bottom_space, avail_pt, legend_col_x,
    )  # fmt: skip


def _legend_columns(widths: list[float], room: float) -> tuple[float, ...]:
    """The left edge of each legend column (inches): as many columns as fit in ``room`` when
    each column is as wide as its own widest entry (one long label no longer makes every
    column wide), filled top to bottom."""
    for cols in range(len(widths), 1, -1):
        rows = math.ceil(len(widths) / cols)
        col_w = [max(widths[c * rows : (c + 1) * rows], default=0.0) for c in range(cols)]
        if sum(col_w) <= room:
            return tuple(sum(col_w[:c]) for c in range(cols))
    return (0.0,)


#: The coloured mark before each banner line (inches, with its gap to the text).
BANNER_MARK_IN = 0.22
#: A legend row of a full-size chart (a smaller one is compact: shorter handles, tighter rows).
LEGEND_ROW_FULL_IN = 0.19


def _fit_banner(
    banner: list[BannerLine], width_in: float, ty: Typography, width: Callable[..., float]
) -> tuple[list[str], list[str], list[bool], float]:
    """The banner's lines as drawn, their tones, which of them start a banner line, and their
    size: the largest size (from ``ty.banner`` down to ``ty.min_banner``) at which every
    line fits; at the smallest, a line too long is wrapped."""
    if not banner:
        return [], [], [], 0.0
    size = ty.banner
    while size > ty.min_banner and any(width(b.text, size, i == 0) > width_in * 72 for i, b in enumerate(banner)):
        size -= 0.5
    lines: list[str] = []
    tones: list[str] = []
    starts: list[bool] = []
    for i, b in enumerate(banner):
        for k, part in enumerate(_wrap_to_width(b.text, width_in, size, width, bold=i == 0)):
            lines.append(part)
            tones.append(b.tone)
            starts.append(k == 0)
    return lines, tones, starts, size


def _fit_label_size(
    lanes: list[LaneContent], x0: float, x1: float, days_per_pt: float, page: _Page, width: Callable[..., float]
) -> tuple[float, list[LaneRows]]:
    """The label size (points) and the lanes' rows: smaller labels while the lanes overflow the height.

    At most four tries, never below the chart's smallest label size (8 pt for a small chart).
    """
    label_pt = page.type.label
    for _ in range(4):
        rows = [lane_rows(lane, x0, x1, days_per_pt, label_pt, width) for lane in lanes]
        total = sum(r.units for r in rows)
        unit_pt = min(MAX_UNIT_PT, page.avail_pt / total)
        fitting = round(unit_pt * page.type.label_fill, 2)
        if fitting >= label_pt or label_pt <= page.type.min_label:
            break
        label_pt = max(page.type.min_label, fitting)
    return label_pt, rows


def _layout(page: _Page, size: tuple[float, float], total: float, label_pt: float) -> Layout:
    """The figure geometry, the lanes being ``total`` row units high.

    When the lanes need more height than the page leaves at the chart's smallest label
    size, the rows are as tall as that size needs and the figure grows taller (a small
    chart's text stays at 8 pt or more).
    """
    w_in, h_in = size
    unit_pt = min(MAX_UNIT_PT, page.avail_pt / total)
    if page.type.grow and unit_pt * page.type.label_fill < label_pt - 0.01:
        unit_pt = label_pt / page.type.label_fill
    h_in = max(h_in, page.top_space + total * unit_pt / 72 + page.bottom_space)
    ax_h = total * unit_pt / 72
    ax_bottom = h_in - page.top_space - ax_h
    ty = page.type
    return Layout(
        w_in, h_in, page.left, ax_bottom, page.ax_width, ax_h, total, unit_pt, label_pt,
        ax_bottom - 0.2 - ty.tick * 3 / 72,
        tuple(page.title_lines), page.title_pt, page.legend_cols, page.legend_col_w, tuple(page.footer_lines),
        tuple(page.banner_lines), page.banner_pt, page.banner_top, tuple(page.banner_tones),
        tuple(page.banner_starts), ty.legend, ty.footer, ty.tick, ty.lane, ty.legend_row_in, page.legend_col_x,
    )  # fmt: skip


def _fit_title(
    head: str, tail: str, width_in: float, title_pt: float, width: Callable[..., float]
) -> tuple[list[str], float]:
    """The title on one line if it fits, else on two, shrinking the font if needed."""
    one = f"{head} · {tail}"
    if width(one, title_pt, True) <= width_in * 72:
        return [one], title_pt
    size = title_pt
    while size > 8 and max(width(head, size, True), width(tail, size, True)) > width_in * 72:
        size -= 0.5
    return [head, tail], size


#: What a line is not broken inside: a short bracket, a date (day, month, year), a word.
_UNBROKEN = re.compile(r"\([^()]{0,24}\)[:;,.]?|\d{1,2} \S+ \d{4}[:;,.]?|\S+")


def _wrap_to_width(
    text: str, width_in: float, size: float, width: Callable[..., float], bold: bool = False
) -> list[str]:
    """Greedy word wrap by measured width (footer and banner lines never run off the page).

    A date ("1 Sep 2027") and a short bracket ("(in 1 y 9 m)") stay on one line.
    """
    lines: list[str] = []
    current = ""
    for word in _UNBROKEN.findall(text):
        trial = f"{current} {word}" if current else word
        if current and width(trial, size, bold) / 72 > width_in:
            lines.append(current)
            current = word
        else:
            current = trial
    if current:
        lines.append(current)
    return lines
