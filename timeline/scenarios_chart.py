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

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from .i18n import end_convention, phrase
from .scenarios import Comparison, Scenario
from .usertext import drawable

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
    from .chart import MARKER_STYLES

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
    from .i18n import count

    name = _t("base", lang) if s is cmp.base else drawable(s.name)
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
    from .chart import short_date

    return short_date(d, lang)


def _ticks(start: date, end: date, lang: str, zoom: bool) -> list[tuple[int, str]]:
    from .i18n import month_name

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


def comparison_figure(cmp: Comparison, lang: str = "en") -> Figure:
    """Draw the comparison on a new :class:`matplotlib.figure.Figure` (Agg canvas, no pyplot).

    Raises
    ------
    timeline.chart.ChartError
        When a scenario cannot be charted (an as-of date before its first event).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch, Rectangle

    from .chart import HATCH_GAP, MARKER_STYLES, chart_spec, mix, style_context
    from .i18n import label

    shown, subset = panels(cmp)
    specs = {
        i: chart_spec(s.assessment, s.case, lang=lang)
        for i, s in enumerate(shown)
        if s.assessment is not None and s.case is not None
    }
    if specs:
        x0d, x1d = _span(specs)
    else:  # every scenario invalid: an empty axis around as_of
        as_of = cmp.as_of or date(2000, 1, 1)
        x0d, x1d = as_of - timedelta(days=365), as_of + timedelta(days=365)
    zoom = _zoom(shown)
    n = len(shown)
    width = 29.7 / 2.54
    panel_h = 0.95
    top_in, bottom_in = 0.75 if subset else 0.6, 0.95
    height = top_in + bottom_in + panel_h * n
    colours = next(iter(specs.values())).colours if specs else {}
    gap_colour = colours.get("gap", "#D55E00")

    with style_context():
        fig = Figure(figsize=(width, height))
        FigureCanvasAgg(fig)
        cols = 2 if zoom else 1
        grid = fig.add_gridspec(
            n,
            cols,
            width_ratios=[2.4, 1] if zoom else [1],
            left=0.03,
            right=0.985,
            top=1 - top_in / height,
            bottom=bottom_in / height,
            hspace=0.95,
            wspace=0.05,
        )
        axes = [[fig.add_subplot(grid[r, c]) for c in range(cols)] for r in range(n)]
        purposes: dict[str, tuple[str, str]] = {}
        withdrawn: tuple[str, str] | None = None
        any_missed = False
        for r, s in enumerate(shown):
            spec = specs.get(r)
            for c in range(cols):
                ax = axes[r][c]
                lo, hi = (x0d, x1d) if c == 0 else zoom  # type: ignore[misc]
                ax.set_xlim(lo.toordinal(), hi.toordinal())
                ax.set_ylim(1.0, 0.0)
                ax.set_yticks([])
                for side in ("left", "right", "top"):
                    ax.spines[side].set_visible(False)
                ticks = _ticks(lo, hi, lang, zoom=c == 1)
                ax.set_xticks([t for t, _ in ticks], [lab for _, lab in ticks], fontsize=6.5)
                ax.tick_params(axis="x", length=2, pad=1.5)
                if spec is None:  # an invalid scenario: its reason instead of a timeline
                    ax.axis("off")
                    if c == 0:
                        import textwrap

                        reason = textwrap.wrap(_t("invalid", lang, reason=s.error or ""), 150)
                        shown_text = "\n".join(reason[:2]) + (" …" if len(reason) > 2 else "")
                        ax.text(
                            0.0, 0.5, shown_text, transform=ax.transAxes, fontsize=7.5, color="#A63A00", va="center"
                        )
                    continue
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
                        purposes.setdefault(b.colour, (face, b.hatch))
                    else:
                        withdrawn = withdrawn or (face, b.hatch)
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
                    if c == (cols - 1):  # the length, on a white label inside the band
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
                as_of = s.assessment.as_of  # type: ignore[union-attr]
                ax.axvline(as_of.toordinal(), color="#333333", linestyle="--", linewidth=0.7, zorder=4)
                o = s.outcome
                if o is not None and o.reporting_deadline is not None:
                    missed = o.reporting_status in ("late", "missing")
                    any_missed = any_missed or missed
                    _marker(ax, o.reporting_deadline, 0.9, "deadline-missed" if missed else "deadline")
                if o is not None and o.naturalisation is not None:
                    _marker(ax, o.naturalisation, 0.4, "milestone")
            title = _panel_title(cmp, s, lang)
            axes[r][0].set_title(
                title, loc="left", fontsize=8, pad=2.5, fontweight="bold" if r == 0 else "normal", parse_math=False
            )
        if zoom:
            axes[0][1].set_title(
                f"{_t('zoom', lang)}: {_short(zoom[0], lang)} – {_short(zoom[1], lang)}",
                loc="right",
                fontsize=7,
                pad=2.5,
                color="#555555",
            )

        fig.suptitle(
            _t("title", lang, id=drawable(cmp.id), d=_short(cmp.as_of, lang) if cmp.as_of else "-"),
            parse_math=False,
            x=0.03,
            y=1 - 0.12 / height,
            ha="left",
            va="top",
            fontsize=11,
            fontweight="bold",
        )
        if subset:
            fig.text(
                0.03,
                1 - 0.42 / height,
                _t("subset", lang, n=len(shown), m=len(cmp.scenarios)),
                fontsize=7.5,
                color="#555555",
                va="top",
            )
        handles: list[Artist] = [
            Patch(facecolor=face, edgecolor="#333333", hatch=hatch or None, label=label(key, lang))
            for key, (face, hatch) in purposes.items()
        ]
        if withdrawn is not None:
            face, hatch = withdrawn
            handles.append(
                Patch(facecolor=mix(face, 0.3), edgecolor=face, hatch=hatch or None, label=_t("withdrawn", lang))
            )
        handles.append(
            Patch(facecolor=mix(gap_colour, 0.28), edgecolor=gap_colour, hatch=HATCH_GAP, label=_t("legend-gap", lang))
        )
        for key, text_key in (
            ("deadline", "deadline"),
            ("deadline-missed", "deadline-missed"),
            ("milestone", "milestone"),
        ):
            if key == "deadline-missed" and not any_missed:
                continue
            m, face, edge, size = MARKER_STYLES[key]
            handles.append(
                Line2D(
                    [],
                    [],
                    marker=m,
                    markerfacecolor=face,
                    markeredgecolor=edge,
                    markersize=size,
                    linestyle="none",
                    label=_t(text_key, lang),
                )
            )
        handles.append(Line2D([], [], color="#333333", linestyle="--", linewidth=0.7, label=_t("as-of", lang)))
        fig.legend(
            handles=handles,
            loc="lower left",
            bbox_to_anchor=(0.03, 0.32 / height),
            ncol=min(len(handles), 6),
            fontsize=7,
            frameon=False,
            handlelength=1.6,
            columnspacing=1.2,
        )
        fig.text(
            0.03,
            0.1 / height,
            _t("footer", lang, convention=end_convention(lang)),
            fontsize=6.5,
            color="#555555",
            va="bottom",
        )
    return fig


def save_comparison(cmp: Comparison, path: str, lang: str = "en") -> str:
    """Write the comparison chart to ``path`` (PNG, SVG or PDF by extension), deterministically.

    Raises
    ------
    timeline.chart.ChartError
        For an unsupported extension or a path that cannot be written.
    """
    from .chart import check_output, save

    check_output(path)
    return str(save(comparison_figure(cmp, lang), path))
