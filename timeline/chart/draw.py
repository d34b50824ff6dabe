"""Drawing a chart spec with matplotlib: :func:`render` (and :func:`chart`, spec and drawing in one).

The figure has its own Agg canvas and is drawn inside the chart style
(:func:`timeline.chart.style.style_context`): no pyplot state, no global ``rcParams``.
Each step draws one part of the spec: lanes, axis, gap bands, bars, markers, notes, the
as-of line, then the title, legend and footer around the axes. matplotlib is imported
when a chart is drawn, not when this module is.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from ..assessment import Assessment
from ..model import Case
from .build import chart_spec
from .spec import A4_LANDSCAPE, Bar, ChartSpec, Layout, LegendEntry
from .style import (
    DASHED_STATES,
    GAP_BAND_AMOUNT,
    GAP_EDGE,
    GREEN,
    LANE_SHADE,
    MARKER_STYLES,
    MIN_BAR_PT,
    TEXT_PAD_PT,
    VERMILLION,
    WARNING_TEXT,
    bar_fill,
    mix,
    style_context,
    text_colour,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["chart", "render"]

#: The dash pattern of the as-of line (in the axes and in the legend).
AS_OF_DASHES = (0, (4, 2.5))


def render(spec: ChartSpec, figure: Figure | None = None) -> Figure:
    """Draw ``spec`` on a new :class:`matplotlib.figure.Figure` with an Agg canvas
    (:class:`~timeline.chart.canvas.ChartCanvas`: its SVG keeps text sizes between drawings),
    or again on ``figure``, a figure :func:`render` drew before.

    The figure is built inside the chart style (:func:`style_context`); no pyplot state
    and no global ``rcParams`` are touched. Save it with :func:`save` for deterministic
    output (fixed SVG ids, no timestamps).

    Drawn again on ``figure``, a chart keeps that figure's axes and their ticks and draws
    everything else anew: the same picture, byte for byte, as on a new figure (tested),
    in less than half the time (making the axes and the ticks took about 8 ms of 30, and
    freeing them a few more). ``timeline serve`` draws a chart for each edit this way;
    the figure then shows only the last chart, and must not be drawn on by two threads
    at once.
    """
    L = spec.layout
    with style_context():
        fig, ax = _figure(L, figure)
        ax.set_xlim(spec.start.toordinal(), spec.end.toordinal())
        ax.set_ylim(L.rows, 0)
        ax.set_yticks([])
        for side in ("left", "right", "top"):
            ax.spines[side].set_visible(False)
        background = _draw_lanes(ax, spec)
        _draw_axis(ax, spec)
        _draw_gap_bands(ax, spec)
        for i, b in enumerate(spec.bars):
            _draw_bar(ax, spec, i, b, background)
        _draw_markers(ax, spec, background)
        _draw_notes(ax, spec, background)
        _draw_as_of(ax, spec)
        _draw_title(fig, spec)
        _draw_banner(fig, spec)
        _draw_legend(fig, spec)
        _draw_footer(fig, spec)
    return fig


def _figure(L: Layout, figure: Figure | None) -> tuple[Figure, Axes]:
    """A new figure with its axes as ``L`` places them, or ``figure`` emptied for a new
    chart: what the last chart added taken away, the size, the axes' place and the colour
    cycle (of the markers without a colour of their own) as on a new figure."""
    from matplotlib.figure import Figure

    from .canvas import ChartCanvas

    W, H = L.width, L.height
    rect = (L.ax_left / W, L.ax_bottom / H, L.ax_width / W, L.ax_height / H)
    if figure is None:
        fig = Figure(figsize=(W, H))
        ChartCanvas(fig)
        return fig, fig.add_axes(rect)
    [ax] = figure.axes
    for artist in [*ax.lines, *ax.patches, *ax.texts, *ax.artists, *ax.collections, *ax.images]:
        artist.remove()
    for artist in [*figure.texts, *figure.artists, *figure.lines, *figure.patches]:
        artist.remove()
    figure.set_size_inches(W, H)
    ax.set_position(rect)
    ax.set_prop_cycle(None)
    return figure, ax


def chart(assessment: Assessment, case: Case, *, lang: str = "en", size: tuple[float, float] = A4_LANDSCAPE) -> Figure:
    """``render(chart_spec(assessment, case, lang=lang, size=size))``: a Figure to show or restyle."""
    return render(chart_spec(assessment, case, lang=lang, size=size))


def _days_per_pt(spec: ChartSpec) -> float:
    """Days per point along the x axis."""
    return (spec.end.toordinal() - spec.start.toordinal()) / (spec.layout.ax_width * 72)


def _halo(background: dict[str, str], lane: str) -> dict[str, Any]:
    """The box behind a label outside a bar: a patch of the lane's background.

    The as-of line and grid lines pass behind such labels instead of through them.
    """
    return {"boxstyle": "square,pad=0.1", "facecolor": background[lane], "edgecolor": "none"}


def _line(ax: Axes, xs: list[float], ys: list[float], **kw: Any) -> None:
    """``ax.plot(xs, ys, **kw)`` for a line whose colour is given (so the colour cycle is not
    consulted), without plot's argument parsing and data-limit update: the limits are set,
    and those cost about 0.2 ms a line (a chart has up to a hundred)."""
    from matplotlib.lines import Line2D

    ax.add_artist(Line2D(xs, ys, **kw))


def _vline(ax: Axes, x: float, **kw: Any) -> None:
    """``ax.axvline(x, **kw)`` (top to bottom of the axes), as :func:`_line` adds a line."""
    _line(ax, [x, x], [0, 1], transform=ax.get_xaxis_transform(which="grid"), **kw)


def _hline(ax: Axes, y: float, **kw: Any) -> None:
    """``ax.axhline(y, **kw)`` (left to right of the axes), as :func:`_line` adds a line."""
    _line(ax, [0, 1], [y, y], transform=ax.get_yaxis_transform(which="grid"), **kw)


def _draw_lanes(ax: Axes, spec: ChartSpec) -> dict[str, str]:
    """Alternating lane backgrounds, separators and lane titles; the background of each lane."""
    from matplotlib.transforms import blended_transform_factory

    trans = blended_transform_factory(ax.transAxes, ax.transData)
    background = {lane.key: LANE_SHADE if i % 2 == 0 else "#FFFFFF" for i, lane in enumerate(spec.lanes)}
    for i, lane in enumerate(spec.lanes):
        if i % 2 == 0:
            ax.axhspan(lane.top, lane.bottom, color=LANE_SHADE, zorder=0, lw=0)
        if i:
            _hline(ax, lane.top, color="#B0B0B0", lw=0.6, zorder=0.6)
        ax.text(
            -0.012, (lane.top + lane.bottom) / 2, lane.title, transform=trans, ha="right", va="center",
            fontsize=spec.layout.lane_pt, fontweight="bold", parse_math=False, linespacing=1.15,
        )  # fmt: skip
    return background


def _draw_axis(ax: Axes, spec: ChartSpec) -> None:
    """Major ticks with their labels and grid lines, minor ticks as one line of tick marks."""
    from matplotlib.transforms import blended_transform_factory

    major = [t for t in spec.ticks if t.major]
    minor = [t for t in spec.ticks if not t.major]
    ax.set_xticks([t.date.toordinal() for t in major], [t.label for t in major])
    # Minor ticks as one line of tick marks: an Axis tick per quarter costs ~1 ms each.
    ax.set_xticks([], minor=True)
    if minor:
        _line(
            ax,
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
    ax.tick_params(axis="x", labelsize=spec.layout.tick_pt)
    for t in major:
        _vline(ax, t.date.toordinal(), color="#D8D8D8", lw=0.5, zorder=0.4)


def _draw_gap_bands(ax: Axes, spec: ChartSpec) -> None:
    """A band across all lanes for each residence gap, edged by dark lines (a one-day gap
    stays visible; the band stays visible in greyscale and to colour-blind readers)."""
    days_per_pt = _days_per_pt(spec)
    for s in spec.spans:
        x0 = s.start.toordinal()
        x1 = max(s.end.toordinal(), x0 + 2 * MIN_BAR_PT * days_per_pt)
        amount = GAP_BAND_AMOUNT / 2 if s.expected else GAP_BAND_AMOUNT  # expected: paler, dashed edges
        ax.axvspan(x0, x1, facecolor=mix(spec.colours.get(s.colour, VERMILLION), amount), edgecolor="none", zorder=0.5)
        for x in (x0, x1):
            _vline(ax, x, color=GAP_EDGE, lw=0.6, ls=(0, (3, 2)) if s.expected else "-", zorder=0.55)


def _draw_bar(ax: Axes, spec: ChartSpec, i: int, b: Bar, background: dict[str, str]) -> None:
    """Bar ``i``: its rectangle, an arrow when open-ended, a milestone, its label."""
    from matplotlib.patches import Rectangle

    x1 = spec.end.toordinal()
    start = b.start.toordinal()
    end = b.end.toordinal() if b.end is not None else x1
    w = max(end - start, MIN_BAR_PT * _days_per_pt(spec))
    face, edge = bar_fill(b.colour, spec.colours, b.faded, b.state)
    dashed = b.state in DASHED_STATES
    ax.add_artist(  # not add_patch: the limits are set, and its data-limit update costs ~0.5 ms a bar
        Rectangle(
            (start, b.y - b.height / 2),
            w,
            b.height,
            facecolor=face,
            edgecolor=edge,
            hatch=b.hatch or None,
            # On dark fills a light hatch stays visible (also in greyscale print).
            hatchcolor=(mix(face, 0.4) if text_colour(face) == "#FFFFFF" else edge) if b.hatch else None,
            lw=1.1 if dashed or b.state == "to-go" else 0.7,  # expected: dashed (issue 12 §2)
            ls=(0, (3, 2)) if dashed else "-",
            zorder=2,
            gid=f"bar-{i}",
        )
    )
    if b.end is None:
        _line(ax, [x1], [b.y], marker=">", ms=6, color=edge, clip_on=False, zorder=3)
    if b.milestone:
        mk, mf, me, ms = MARKER_STYLES[b.milestone_kind or "milestone"]
        reached = b.milestone_kind == "milestone-reached"
        ax.plot(
            [end], [b.y], marker=mk, ms=ms + 3, mfc=mf, mec=me, mew=1.1 if reached else 0.8, zorder=4,
            clip_on=False, gid=f"milestone-{i}",
        )  # fmt: skip
        if b.milestone_text is not None:
            _draw_milestone_label(ax, spec, i, b, reached, background)
    if b.text is not None:
        _draw_bar_label(ax, spec, i, b, face, background)


def _draw_milestone_label(ax: Axes, spec: ChartSpec, i: int, b: Bar, reached: bool, background: dict[str, str]) -> None:
    """The date beside a milestone star, or "can apply now" (bold, dark green) once it has come."""
    p = b.milestone_text
    assert p is not None
    ax.text(
        p.x, p.y, b.milestone_label, ha=p.ha, va="center", fontsize=spec.layout.label_pt,
        fontweight="bold", color="#00563F" if reached else "#000000", bbox=_halo(background, b.lane),
        parse_math=False, zorder=8, clip_on=False, gid=f"milestone-label-{i}",
    )  # fmt: skip


def _draw_bar_label(ax: Axes, spec: ChartSpec, i: int, b: Bar, face: str, background: dict[str, str]) -> None:
    """The label of bar ``i`` where the spec placed it, with its leader line if it has one."""
    p = b.text
    assert p is not None
    inside = p.where == "inside"
    colour = text_colour(face) if inside else WARNING_TEXT if b.colour == "gap" else "#000000"
    box = _halo(background, b.lane)
    if inside:  # in the bar's face colour: covers a hatch and the as-of line, not the bar
        box = {"boxstyle": "square,pad=0.12", "facecolor": face, "edgecolor": "none"}
    ax.text(
        p.x,
        p.y,
        b.label,
        ha=p.ha,
        va="center",
        fontsize=spec.layout.label_pt,
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
        _line(ax, [lx0, lx1], [ly0, ly1], color="#666666", lw=0.5, zorder=1.5)


def _draw_markers(ax: Axes, spec: ChartSpec, background: dict[str, str]) -> None:
    """Point events: a stem down to the bars, the marker, its label."""
    for j, m in enumerate(spec.markers):
        x: float = m.date.toordinal()
        mk, mf, me, ms = MARKER_STYLES.get(m.kind, MARKER_STYLES["event"])
        if m.stem_to is not None:
            _line(ax, [x, x], [m.y, m.stem_to], color="#666666", lw=0.5, zorder=1.5)
        ax.plot([x], [m.y], marker=mk, ms=ms, mfc=mf, mec=me, mew=0.8, zorder=6, clip_on=False, gid=f"marker-{j}")
        if m.text is not None:
            ax.text(
                m.text.x,
                m.text.y,
                m.label,
                ha=m.text.ha,
                va="center",
                fontsize=spec.layout.label_pt,
                parse_math=False,
                zorder=8,
                bbox=_halo(background, m.lane),
                color=WARNING_TEXT if m.kind == "deadline-missed" else "#000000",
                fontweight="bold" if m.kind == "deadline-ahead" else "normal",
                gid=f"marker-label-{j}",
            )


def _draw_notes(ax: Axes, spec: ChartSpec, background: dict[str, str]) -> None:
    """The lanes' notes, in italics at the left edge."""
    x = spec.start.toordinal() + TEXT_PAD_PT * 2 * _days_per_pt(spec)
    for n in spec.notes:
        ax.text(
            x, n.y, n.text, ha="left", va="center", fontsize=spec.layout.label_pt, style="italic", color="#444444",
            parse_math=False, bbox=_halo(background, n.lane), zorder=8,
        )  # fmt: skip


def _draw_as_of(ax: Axes, spec: ChartSpec) -> None:
    """The dashed as-of line and its boxed label above the axes."""
    a = spec.as_of.toordinal()
    _vline(ax, a, color="#000000", lw=1.0, ls=AS_OF_DASHES, zorder=7, gid="as-of-line")
    ax.annotate(
        spec.as_of_label,
        xy=(a, 1.0),
        xycoords=("data", "axes fraction"),
        xytext=(0, 3),
        textcoords="offset points",
        ha="center",
        va="bottom",
        fontsize=spec.layout.label_pt,
        fontweight="bold",
        annotation_clip=False,
        bbox={"boxstyle": "round,pad=0.2", "facecolor": "#FFFFFF", "edgecolor": "#000000", "lw": 0.6},
    )


def _draw_title(fig: Figure, spec: ChartSpec) -> None:
    """The title lines above the axes, left-aligned with them."""
    L = spec.layout
    for k, line in enumerate(L.title_lines):
        fig.text(
            0.4 / L.width, 1 - (0.3 + k * L.title_pt * 1.3 / 72) / L.height, line,
            ha="left", va="top", fontsize=L.title_pt, fontweight="bold", color="#444444", parse_math=False,
        )  # fmt: skip


#: The mark before a banner line, by tone: a permit or "can apply now", a warning, plain information.
BANNER_TONES = {"ok": GREEN, "warning": VERMILLION, "info": "#777777"}


def _draw_banner(fig: Figure, spec: ChartSpec) -> None:
    """The banner under the title: now, next, when, in the largest type on the page.

    Each line starts with a mark in its tone's colour; a warning is written in dark
    vermilion; the first line (now) is bold.
    """
    from matplotlib.patches import Rectangle

    L = spec.layout
    step = L.banner_pt * 1.3 / 72
    first = 0
    for k, (line, tone, start) in enumerate(zip(L.banner_lines, L.banner_tones, L.banner_starts, strict=True)):
        top = L.banner_top + k * step
        mark_h = L.banner_pt * 0.8 / 72
        first = k if start else first
        if start:
            fig.add_artist(
                Rectangle(
                    (0.4 / L.width, 1 - (top + (step + mark_h) / 2) / L.height), 0.09 / L.width, mark_h / L.height,
                    transform=fig.transFigure, facecolor=BANNER_TONES[tone], edgecolor="none", gid=f"banner-mark-{k}",
                )
            )  # fmt: skip
        fig.text(
            (0.4 + 0.22) / L.width, 1 - (top + step / 2) / L.height, line, ha="left", va="center_baseline",
            fontsize=L.banner_pt, fontweight="bold" if first == 0 else "normal",
            color=WARNING_TEXT if tone == "warning" else "#000000", parse_math=False, gid=f"banner-{k}",
        )  # fmt: skip


def _draw_legend(fig: Figure, spec: ChartSpec) -> None:
    """The legend below the axes, column by column, drawn directly.

    (``fig.legend``'s layout machinery costs about 50 ms a chart.)
    """
    L = spec.layout
    rows = math.ceil(len(spec.legend) / L.legend_cols)
    for i, e in enumerate(spec.legend):
        col, row = divmod(i, rows)
        x = 0.4 + (L.legend_col_x[col] if L.legend_col_x else col * L.legend_col_w)
        y = L.legend_top - (row + 0.5) * L.legend_row_in
        _draw_legend_handle(fig, spec, e, x, y)
        fig.text(
            (x + 0.3 + 0.08) / L.width, y / L.height, e.label, ha="left", va="center", fontsize=L.legend_pt,
            parse_math=False, gid=f"legend-{i}",
        )  # fmt: skip


def _draw_legend_handle(fig: Figure, spec: ChartSpec, e: LegendEntry, x: float, y: float) -> None:
    """The handle of legend entry ``e`` (a patch, a marker or the as-of line), 0.3 in wide at (x, y) inches."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    W, H = spec.layout.width, spec.layout.height
    fig_t = fig.transFigure
    hw, hh = 0.3, 0.11  # handle size in inches
    if e.kind in ("patch", "outline"):
        if e.key == "temporary" or e.kind == "outline":
            face, edge = "#FFFFFF", "#333333"
        else:
            face, edge = bar_fill(e.key, spec.colours, e.faded)
        dashed = e.kind == "outline" and e.key in DASHED_STATES
        fig.add_artist(
            Rectangle(
                (x / W, (y - hh / 2) / H), hw / W, hh / H, transform=fig_t, facecolor=face, edgecolor=edge,
                hatch=e.hatch or None, hatchcolor=edge, lw=1.1 if e.kind == "outline" else 0.7,
                ls=(0, (3, 2)) if dashed else "-",
            )
        )  # fmt: skip
    elif e.kind == "marker":
        mk, mf, me, ms = MARKER_STYLES[e.key]
        size = ms + (3 if e.key.startswith("milestone") else 0)
        fig.add_artist(
            Line2D([(x + hw / 2) / W], [y / H], transform=fig_t, ls="none", marker=mk, ms=size, mfc=mf, mec=me)
        )
    else:
        fig.add_artist(
            Line2D([x / W, (x + hw) / W], [y / H] * 2, transform=fig_t, color="#000000", lw=1.0, ls=AS_OF_DASHES)
        )


def _draw_footer(fig: Figure, spec: ChartSpec) -> None:
    """The footer lines at the bottom left of the page."""
    L = spec.layout
    for k, line in enumerate(L.footer_lines):
        fig.text(
            0.4 / L.width, (0.25 + (len(L.footer_lines) - 1 - k) * L.footer_pt * 1.35 / 72) / L.height, line,
            ha="left", va="bottom", fontsize=L.footer_pt, color="#444444", parse_math=False,
        )  # fmt: skip
