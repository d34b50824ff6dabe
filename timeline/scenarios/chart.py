"""A comparison chart of scenarios: one panel per scenario on a shared time axis.

Each panel shows one scenario's residence permits (toelating, from
:func:`timeline.chart.chart_spec`: the same colours, hatches and labels as the single-case
chart), its residence gaps as red cross-hatched bands labelled with their length, the
reporting deadline (diamond; filled red when missed) and the earliest naturalisation date
(star). All panels share one time axis, so the gaps line up and a shorter or later gap is
visible at a glance; when any scenario has a gap, a second column zooms in on the months
around the gaps. The panel title gives the scenario and its difference against the base
case (DC-6, R2.2, R6.1-R6.3).

Every ``end`` is exclusive (DC-1): a bar ends where the first day without the status
begins. matplotlib is imported only inside :func:`comparison_figure` (no pyplot; the
figure has its own Agg canvas) and output is deterministic (:func:`timeline.chart.save`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from ..errors import text_in
from ..i18n import end_convention, phrase
from ..usertext import drawable
from .comparison import Comparison, Scenario

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.figure import Figure

__all__ = ["MAX_PANELS", "comparison_figure", "panels", "save_comparison"]

#: More scenarios than this are summarised: the base case plus the best and worst cases.
MAX_PANELS = 10
ZOOM_PAD = timedelta(days=45)


def _t(key: str, lang: str, **params: Any) -> str:
    return phrase("scenario-chart", key, lang, **params)


def panels(cmp: Comparison) -> tuple[list[Scenario], bool]:
    """The scenarios to draw, and whether that is a subset.

    Up to :data:`MAX_PANELS` scenarios are all drawn (invalid ones as a note). More are
    reduced to the base case and the scenarios giving the best and worst case of each
    output (:attr:`Comparison.extremes`), in table order.
    """
    rows = list(cmp.scenarios)
    if len(rows) <= MAX_PANELS:
        return rows, False
    wanted = {cmp.base.name}
    for e in cmp.extremes:
        wanted.update((e.best_scenario, e.worst_scenario))
    chosen = [s for s in rows if s.name in wanted][:MAX_PANELS]
    return chosen, True


def _marker(ax: Any, day: date, y: float, kind: str) -> None:
    """One marker of ``kind`` (:data:`timeline.chart.MARKER_STYLES`) at ``day`` in a panel."""
    from ..chart import MARKER_STYLES

    m, face, edge, size = MARKER_STYLES[kind]
    ax.plot(
        [day.toordinal()],
        [y],
        marker=m,
        markerfacecolor=face,
        markeredgecolor=edge,
        markersize=size,
        linestyle="none",
        zorder=5,
        clip_on=True,
    )


def _panel_title(cmp: Comparison, s: Scenario, lang: str) -> str:
    from ..i18n import count
    from .titles import scenario_title

    name = _t("base", lang) if s is cmp.base else drawable(scenario_title(cmp, s, lang))
    if len(name) > 100:
        name = name[:99] + "…"
    o = s.outcome
    if o is None:
        return name
    parts = [_t("gaps", lang, n=o.gap_days) if o.gap_days else _t("no-gap", lang)]
    if s is not cmp.base and s.delta.get("gap_days"):
        parts[-1] += f" ({s.delta['gap_days']:+d})"
    if o.naturalisation is not None:
        nat = _t("nat", lang, d=_short(o.naturalisation, lang))
        d = s.delta.get("naturalisation")
        if s is not cmp.base and d is not None:
            nat += f" ({count(d, 'day', lang, signed=True)})"
        parts.append(nat)
    else:
        parts.append(_t("nat-none", lang))
    return f"{name}  —  {', '.join(parts)}"


def _short(d: date, lang: str) -> str:
    from ..chart import short_date

    return short_date(d, lang)


def _ticks(start: date, end: date, lang: str, zoom: bool) -> list[tuple[int, str]]:
    from ..i18n import month_name

    out = []
    if zoom:
        d = date(start.year, start.month, 1)
        while d <= end:
            if d >= start:
                out.append((d.toordinal(), f"{month_name(d.month, lang, short=True)} {d.year}"))
            d = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
        step = max(1, len(out) // 6)
        return out[::step]
    years = range(start.year + (start > date(start.year, 1, 1)), end.year + 1)
    step = max(1, len(years) // 12)
    return [(date(y, 1, 1).toordinal(), str(y)) for y in years if (y - years[0]) % step == 0]


def _span(specs: dict[int, Any]) -> tuple[date, date]:
    """From shortly before the first permit to the latest chart end of any panel."""
    starts = [b.start for spec in specs.values() for b in spec.bars if b.lane == "permits"]
    start = min(starts) - timedelta(days=120) if starts else min(spec.start for spec in specs.values())
    return start, max(spec.end for spec in specs.values())


def _zoom(shown: list[Scenario]) -> tuple[date, date] | None:
    gaps = [g for s in shown if s.outcome is not None for g in s.outcome.gaps]
    if not gaps:
        return None
    as_ofs = [s.assessment.as_of for s in shown if s.assessment is not None]
    lo = min(g.start for g in gaps) - ZOOM_PAD
    hi = max((g.end or max(as_ofs)) for g in gaps) + ZOOM_PAD
    return lo, hi


@dataclass
class _Seen:
    """What the panels drew that the legend must explain."""

    purposes: dict[str, tuple[str, str]] = field(default_factory=dict)  # colour key: (face, hatch)
    withdrawn: tuple[str, str] | None = None
    missed: bool = False
    varied: bool = False


@dataclass(frozen=True)
class _Frame:
    """The figure's geometry and what every panel shares."""

    start: date  # the shared time axis (first column)
    end: date
    zoom: tuple[date, date] | None  # the second column, around the gaps
    width: float  # inches
    height: float
    top_in: float
    bottom_in: float
    colours: dict[str, str]

    @property
    def gap_colour(self) -> str:
        """The colour of residence gaps (as in the single-case chart)."""
        return self.colours.get("gap", "#D55E00")


def comparison_figure(cmp: Comparison, lang: str = "en") -> Figure:
    """Draw the comparison on a new :class:`matplotlib.figure.Figure` (Agg canvas, no pyplot).

    Raises
    ------
    timeline.chart.ChartError
        When a scenario cannot be charted (an as-of date before its first event).
    """
    from matplotlib.figure import Figure

    from ..chart import chart_spec, style_context
    from ..chart.canvas import ChartCanvas

    shown, subset = panels(cmp)
    specs = {
        i: chart_spec(s.assessment, s.case, lang=lang, banner=False)  # the bars only
        for i, s in enumerate(shown)
        if s.assessment is not None and s.case is not None
    }
    frame = _frame(cmp, shown, subset, specs)
    n = len(shown)
    with style_context():
        fig = Figure(figsize=(frame.width, frame.height))
        ChartCanvas(fig)  # its SVG keeps text sizes between drawings (the web page's slider)
        cols = 2 if frame.zoom else 1
        grid = fig.add_gridspec(
            n,
            cols,
            width_ratios=[2.4, 1] if frame.zoom else [1],
            left=0.03,
            right=0.985,
            top=1 - frame.top_in / frame.height,
            bottom=frame.bottom_in / frame.height,
            hspace=0.95,
            wspace=0.05,
        )
        axes = [[fig.add_subplot(grid[r, c]) for c in range(cols)] for r in range(n)]
        seen = _Seen()
        for r, s in enumerate(shown):
            for c in range(cols):
                _draw_panel(axes[r][c], s, specs.get(r), frame, c, cols, seen, lang)
            title = _panel_title(cmp, s, lang)
            axes[r][0].set_title(
                title, loc="left", fontsize=8, pad=2.5, fontweight="bold" if r == 0 else "normal", parse_math=False
            )
        _draw_page_texts(fig, axes, cmp, frame, len(shown) if subset else None, lang)
        _draw_legend(fig, frame, seen, lang)
    return fig


def _frame(cmp: Comparison, shown: list[Scenario], subset: bool, specs: dict[int, Any]) -> _Frame:
    """The shared time axis, the zoom on the gaps, the figure size: A4 wide, one panel row per scenario."""
    if specs:
        x0d, x1d = _span(specs)
    else:  # every scenario invalid: an empty axis around as_of
        as_of = cmp.as_of or date(2000, 1, 1)
        x0d, x1d = as_of - timedelta(days=365), as_of + timedelta(days=365)
    panel_h = 0.95
    top_in, bottom_in = 0.75 if subset else 0.6, 0.95
    colours = next(iter(specs.values())).colours if specs else {}
    height = top_in + bottom_in + panel_h * len(shown)
    return _Frame(x0d, x1d, _zoom(shown), 29.7 / 2.54, height, top_in, bottom_in, colours)


def _draw_panel(ax: Any, s: Scenario, spec: Any, frame: _Frame, c: int, cols: int, seen: _Seen, lang: str) -> None:
    """Column ``c`` of scenario ``s``'s row: the axis, then permits, gaps, as-of line and markers.

    An invalid scenario (``spec`` None) shows its reason instead, in the first column.
    """
    lo, hi = (frame.start, frame.end) if c == 0 else frame.zoom  # type: ignore[misc]
    ax.set_xlim(lo.toordinal(), hi.toordinal())
    ax.set_ylim(1.0, 0.0)
    ax.set_yticks([])
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ticks = _ticks(lo, hi, lang, zoom=c == 1)
    ax.set_xticks([t for t, _ in ticks], [lab for _, lab in ticks], fontsize=6.5)
    ax.tick_params(axis="x", length=2, pad=1.5)
    if spec is None:
        ax.axis("off")
        if c == 0:
            _draw_invalid(ax, s, lang)
        return
    _draw_permits(ax, spec, frame.colours, seen)
    _draw_gaps(ax, s, frame.gap_colour, c == cols - 1, lang)
    as_of = s.assessment.as_of  # type: ignore[union-attr]
    ax.axvline(as_of.toordinal(), color="#333333", linestyle="--", linewidth=0.7, zorder=4)
    o = s.outcome
    if o is not None and o.reporting_deadline is not None:
        missed = o.reporting_status in ("late", "missing")
        seen.missed = seen.missed or missed
        _marker(ax, o.reporting_deadline, 0.9, "deadline-missed" if missed else "deadline")
    if o is not None and o.naturalisation is not None:
        _marker(ax, o.naturalisation, 0.4, "milestone")
    for day in _varied_dates(s):  # the date this scenario sets, on the axis (issue 12 §4)
        seen.varied = True
        ax.plot([day.toordinal()], [1.0], **VARIED_MARKER, linestyle="none", zorder=6, clip_on=False)


#: The marker of a date a scenario sets: an upward triangle on the axis, dark blue.
VARIED_MARKER: dict[str, Any] = {
    "marker": "^",
    "markerfacecolor": "#0072B2",
    "markeredgecolor": "#000000",
    "markersize": 7,
}


def _varied_dates(s: Scenario) -> list[date]:
    """The dates among ``s``'s settings (ISO values, as :func:`timeline.scenarios.values.value_label` writes them)."""
    out = []
    for _, value in s.settings:
        try:
            out.append(date.fromisoformat(value))
        except ValueError:
            continue
    return out


def _draw_invalid(ax: Any, s: Scenario, lang: str) -> None:
    """The reason a scenario is invalid, on at most two lines."""
    import textwrap

    reason = textwrap.wrap(_t("invalid", lang, reason=text_in(s.error or "", lang)), 150)
    shown_text = "\n".join(reason[:2]) + (" …" if len(reason) > 2 else "")
    ax.text(0.0, 0.5, shown_text, transform=ax.transAxes, fontsize=7.5, color="#A63A00", va="center")


def _draw_permits(ax: Any, spec: Any, colours: dict[str, str], seen: _Seen) -> None:
    """The permit bars of the scenario's chart spec (rows as there), noting their colours for the legend."""
    from matplotlib.patches import Rectangle

    from ..chart import mix

    bars = [b for b in spec.bars if b.lane == "permits" and b.colour != "gap"]
    rows = max((b.row for b in bars), default=0) + 1
    h = 0.62 / rows
    for b in bars:
        end = (b.end or spec.end).toordinal()
        face = colours.get(b.colour, "#9A9A9A")
        fill = mix(face, 0.3) if b.faded else face
        y = 0.08 + b.row * h
        ax.add_patch(
            Rectangle(
                (b.start.toordinal(), y),
                max(end - b.start.toordinal(), 1),
                h * 0.86,
                facecolor=fill,
                edgecolor=face if b.faded else "#333333",
                hatch=b.hatch or None,
                linewidth=0.4,
            )
        )
        if not b.faded:
            seen.purposes.setdefault(b.colour, (face, b.hatch))
        else:
            seen.withdrawn = seen.withdrawn or (face, b.hatch)


def _draw_gaps(ax: Any, s: Scenario, gap_colour: str, labelled: bool, lang: str) -> None:
    """The scenario's residence gaps as cross-hatched bands; ``labelled``: with their length."""
    from matplotlib.patches import Rectangle

    from ..chart import HATCH_GAP, mix

    for g in s.outcome.gaps if s.outcome else ():
        g_end = (g.end or s.assessment.as_of).toordinal()  # type: ignore[union-attr]
        ax.add_patch(
            Rectangle(
                (g.start.toordinal(), 0.02),
                max(g_end - g.start.toordinal(), 1),
                0.74,
                facecolor=mix(gap_colour, 0.28),
                edgecolor=gap_colour,
                hatch=HATCH_GAP,
                linewidth=0.6,
                zorder=3,
            )
        )
        if labelled:  # the length, on a white label inside the band
            ax.text(
                (g.start.toordinal() + g_end) / 2,
                0.4,
                _t("gap", lang, n=g.days),
                ha="center",
                va="center",
                fontsize=6.5,
                color="#A63A00",
                zorder=6,
                clip_on=True,
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"},
            )


def _draw_page_texts(
    fig: Figure, axes: list[list[Any]], cmp: Comparison, frame: _Frame, subset: int | None, lang: str
) -> None:
    """The zoom column's title, the figure title, the subset note (``subset``: panels drawn) and the footer."""
    if frame.zoom:
        axes[0][1].set_title(
            f"{_t('zoom', lang)}: {_short(frame.zoom[0], lang)} – {_short(frame.zoom[1], lang)}",
            loc="right",
            fontsize=7,
            pad=2.5,
            color="#555555",
        )
    fig.suptitle(
        _t("title", lang, id=drawable(cmp.id), d=_short(cmp.as_of, lang) if cmp.as_of else "-"),
        parse_math=False,
        x=0.03,
        y=1 - 0.12 / frame.height,
        ha="left",
        va="top",
        fontsize=11,
        fontweight="bold",
    )
    if subset is not None:
        fig.text(
            0.03,
            1 - 0.42 / frame.height,
            _t("subset", lang, n=subset, m=len(cmp.scenarios)),
            fontsize=7.5,
            color="#555555",
            va="top",
        )


def _draw_legend(fig: Figure, frame: _Frame, seen: _Seen, lang: str) -> None:
    """The legend (purposes, withdrawn part, gap, markers, as-of line) and the footer below it."""
    handles = _legend_handles(frame.gap_colour, seen, lang)
    fig.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0.03, 0.32 / frame.height),
        ncol=min(len(handles), 6),
        fontsize=7,
        frameon=False,
        handlelength=1.6,
        columnspacing=1.2,
    )
    fig.text(
        0.03,
        0.1 / frame.height,
        _t("footer", lang, convention=end_convention(lang)),
        fontsize=6.5,
        color="#555555",
        va="bottom",
    )


def _legend_handles(gap_colour: str, seen: _Seen, lang: str) -> list[Artist]:
    """One handle per purpose drawn, the withdrawn part, the gap, the markers shown, the as-of line."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from ..chart import HATCH_GAP, MARKER_STYLES, mix
    from ..i18n import label

    handles: list[Artist] = [
        Patch(facecolor=face, edgecolor="#333333", hatch=hatch or None, label=label(key, lang))
        for key, (face, hatch) in seen.purposes.items()
    ]
    if seen.withdrawn is not None:
        face, hatch = seen.withdrawn
        handles.append(
            Patch(facecolor=mix(face, 0.3), edgecolor=face, hatch=hatch or None, label=_t("withdrawn", lang))
        )
    handles.append(
        Patch(facecolor=mix(gap_colour, 0.28), edgecolor=gap_colour, hatch=HATCH_GAP, label=_t("legend-gap", lang))
    )
    for key in ("deadline", "deadline-missed", "milestone"):
        if key == "deadline-missed" and not seen.missed:
            continue
        m, face, edge, size = MARKER_STYLES[key]
        handles.append(
            Line2D(
                [], [], marker=m, markerfacecolor=face, markeredgecolor=edge, markersize=size, linestyle="none",
                label=_t(key, lang),
            )
        )  # fmt: skip
    if seen.varied:
        handles.append(Line2D([], [], **VARIED_MARKER, linestyle="none", label=_t("varied", lang)))
    handles.append(Line2D([], [], color="#333333", linestyle="--", linewidth=0.7, label=_t("as-of", lang)))
    return handles


def save_comparison(cmp: Comparison, path: str, lang: str = "en") -> str:
    """Write the comparison chart to ``path`` (PNG, SVG or PDF by extension), deterministically.

    Raises
    ------
    timeline.chart.ChartError
        For an unsupported extension or a path that cannot be written.
    """
    from ..chart import check_output, save

    check_output(path)
    return str(save(comparison_figure(cmp, lang), path))
