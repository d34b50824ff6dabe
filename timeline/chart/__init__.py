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

The modules, in the order a chart is made:

- :mod:`~timeline.chart.spec`: the chart spec's record types, :class:`ChartError`, the sizes.
- :mod:`~timeline.chart.style`: colours, hatches, markers, font sizes, row geometry, the style file.
- :mod:`~timeline.chart.texts`: the chart's texts from the catalogues, short dates, the footer.
- :mod:`~timeline.chart.banner`: the banner above the chart: now, next and when (issue 12).
- :mod:`~timeline.chart.lanes`: what each lane shows (bars, events, notes), from an assessment.
- :mod:`~timeline.chart.labels`: greedy placement of labels above the bars.
- :mod:`~timeline.chart.layout`: bar rows, where each label goes, y positions.
- :mod:`~timeline.chart.axis`: date ticks and their labels.
- :mod:`~timeline.chart.legend`: the legend entries.
- :mod:`~timeline.chart.build`: :func:`chart_spec`, the steps above in order.
- :mod:`~timeline.chart.draw`: :func:`render` (and :func:`chart`), drawing a spec with matplotlib.
- :mod:`~timeline.chart.saving`: :func:`save` (PNG, SVG, PDF) and :func:`check_output`.

Text widths come from :func:`timeline.fonts.measurer` (the report measures with it too).
matplotlib is imported only inside the functions that draw or measure, so ``import
timeline`` stays light.
"""

from __future__ import annotations

from ..fonts import measurer
from .build import chart_spec
from .draw import chart, render
from .labels import place_labels
from .saving import FORMATS, check_output, save
from .spec import (
    A4_LANDSCAPE,
    MAX_SIZE_CM,
    MIN_SIZE_CM,
    SIZE_PRESETS,
    BannerLine,
    Bar,
    ChartError,
    ChartSpec,
    GapBand,
    Lane,
    Layout,
    LegendEntry,
    Marker,
    Note,
    Placement,
    Tick,
    size_error,
)
from .style import COLOURS, HATCH_GAP, MARKER_STYLES, STYLE_PATH, mix, style_context
from .texts import footer_text, non_default_options, short_date

__all__ = [
    "A4_LANDSCAPE",
    "COLOURS",
    "FORMATS",
    "HATCH_GAP",
    "MARKER_STYLES",
    "MAX_SIZE_CM",
    "MIN_SIZE_CM",
    "SIZE_PRESETS",
    "STYLE_PATH",
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
    "chart",
    "chart_spec",
    "check_output",
    "footer_text",
    "measurer",
    "mix",
    "non_default_options",
    "place_labels",
    "render",
    "save",
    "short_date",
    "size_error",
    "style_context",
]
