"""From an assessment to a chart spec: :func:`chart_spec`.

The steps: collect what each lane shows (:mod:`timeline.chart.lanes`), choose the date
range, lay out the page (title, legend and footer around the axes), pick the largest label
size whose lanes fit the height, and give everything its position
(:mod:`timeline.chart.layout`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from ..assessment import Assessment
from ..fonts import measurer
from ..i18n import LANGS, format_date
from ..model import Case
from ..usertext import drawable
from .axis import ticks
from .lanes import LaneContent, collect_lanes
from .layout import LaneRows, lane_rows, position_lane
from .legend import legend as make_legend
from .spec import A4_LANDSCAPE, Bar, ChartError, ChartSpec, GapBand, Lane, Layout, LegendEntry, Marker, Note, size_error
from .style import FOOTER_PT, LABEL_PT, LANE_PT, LEGEND_PT, LEGEND_ROW_IN, MAX_UNIT_PT, MIN_LABEL_PT, TITLE_PT
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
    legend: list[LegendEntry]
    legend_cols: int
    legend_col_w: float
    top_space: float
    avail_pt: float  # the height left for the lanes, in points


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
    lanes, spans = collect_lanes(assessment, case, lang)
    x0, x1 = _x_range(assessment, lanes)
    start, end = date.fromordinal(x0), date.fromordinal(x1)
    lane_titles = [_t(f"lane-{lane.key}", lang) for lane in lanes]
    page = _page(assessment, case, lang, (w_in, h_in), lanes, spans, lane_titles, footer_note, width)
    days_per_pt = (x1 - x0) / (page.ax_width * 72)
    label_pt, rows = _fit_label_size(lanes, x0, x1, days_per_pt, page.avail_pt, width)

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
        ticks=tuple(ticks(start, end, lang, page.ax_width, width)),
        legend=tuple(page.legend),
        layout=_layout(page, (w_in, h_in), total, label_pt),
    )


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


def _x_range(assessment: Assessment, lanes: list[LaneContent]) -> tuple[int, int]:
    """Day ordinals of the axes' ends: everything drawn, the as-of date, a little air on both sides."""
    days = [assessment.as_of.toordinal()]
    for lane in lanes:
        for b in lane.bars:
            days.append(b.start)
            if b.end is not None:
                days.append(b.end)
        days += [m.day for m in lane.markers]
    lo, hi = min(days), max(days)
    pad = max(10, round((hi - lo) * 0.03))
    return lo - pad, hi + pad


def _page(
    assessment: Assessment,
    case: Case,
    lang: str,
    size: tuple[float, float],
    lanes: list[LaneContent],
    spans: list[GapBand],
    lane_titles: list[str],
    footer_note: str | None,
    width: Callable[..., float],
) -> _Page:
    """The horizontal geometry, the title, legend and footer, and the height left for the lanes."""
    w_in, h_in = size
    left = max(width(t, LANE_PT) for t in lane_titles) / 72 + 0.55
    right = 0.45
    head = _t("title", lang, id=case.id)
    tail = _t("title-as-of", lang, d=format_date(assessment.as_of, lang))
    title_lines, title_pt = _fit_title(head, tail, w_in - left - 0.3, width)
    footer = footer_text(assessment, lang) + (f" · {footer_note}" if footer_note else "")
    footer_lines = _wrap_to_width(footer, w_in - 0.8, FOOTER_PT, width)
    legend = make_legend(lanes, spans, lang, case.relationship.kind if case.relationship else None)
    legend_w = max(width(e.label, LEGEND_PT) for e in legend) / 72 + 0.3 + 0.08 + 0.3
    legend_cols = max(1, min(len(legend), int((w_in - 0.8) // legend_w)))
    legend_rows = math.ceil(len(legend) / legend_cols)
    # Margin, title, the as-of label above the axes.
    top_space = 0.35 + len(title_lines) * title_pt * 1.3 / 72 + 0.42
    bottom_space = 0.5 + legend_rows * LEGEND_ROW_IN + 0.15 + len(footer_lines) * FOOTER_PT * 1.35 / 72 + 0.3
    avail_pt = (h_in - top_space - bottom_space) * 72
    if avail_pt < 60:
        raise ChartError(f"chart size {w_in * 2.54:.1f} x {h_in * 2.54:.1f} cm leaves no room for the lanes")
    return _Page(
        left, w_in - left - right, f"{head} · {tail}", title_lines, title_pt, footer, footer_lines,
        legend, legend_cols, legend_w, top_space, avail_pt,
    )  # fmt: skip


def _fit_label_size(
    lanes: list[LaneContent], x0: float, x1: float, days_per_pt: float, avail_pt: float, width: Callable[..., float]
) -> tuple[float, list[LaneRows]]:
    """The label size (points) and the lanes' rows: smaller labels while the lanes overflow the height.

    At most four tries, never below :data:`~timeline.chart.style.MIN_LABEL_PT`.
    """
    label_pt = LABEL_PT
    for _ in range(4):
        rows = [lane_rows(lane, x0, x1, days_per_pt, label_pt, width) for lane in lanes]
        total = sum(r.units for r in rows)
        unit_pt = min(MAX_UNIT_PT, avail_pt / total)
        fitting = round(unit_pt * 0.68, 2)
        if fitting >= label_pt or label_pt <= MIN_LABEL_PT:
            break
        label_pt = max(MIN_LABEL_PT, fitting)
    return label_pt, rows


def _layout(page: _Page, size: tuple[float, float], total: float, label_pt: float) -> Layout:
    """The figure geometry, the lanes being ``total`` row units high."""
    w_in, h_in = size
    unit_pt = min(MAX_UNIT_PT, page.avail_pt / total)
    ax_h = total * unit_pt / 72
    ax_bottom = h_in - page.top_space - ax_h
    return Layout(
        w_in, h_in, page.left, ax_bottom, page.ax_width, ax_h, total, unit_pt, label_pt, ax_bottom - 0.5,
        tuple(page.title_lines), page.title_pt, page.legend_cols, page.legend_col_w, tuple(page.footer_lines),
    )  # fmt: skip


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
