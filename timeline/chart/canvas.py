"""The canvas a chart is drawn on: matplotlib's Agg canvas, whose SVG output keeps text measures between drawings.

To place a text (its alignment, its box), matplotlib measures it with FreeType, and reads
its font's line heights from the font's tables. Its cache of text sizes belongs to one
renderer, and each ``savefig`` makes a new renderer; the line heights are not kept at all.
So every SVG measured every text again: with matplotlib 3.11, 10 to 20 µs a character
(``FT2Font.set_text``), 15 to 30 ms of the 40 to 90 ms it took to write a chart's SVG, and
another 5 ms for the font tables (measured on the examples, 2-core machine). Both depend
only on the text and its font properties, so :class:`ChartCanvas` keeps them for the
process (:data:`TEXT_SIZES`, :data:`FONT_HEIGHTS`): ``timeline serve``'s edit page, which
draws a chart for each edit, measures only the texts it has not seen yet. The SVG is byte
for byte the one matplotlib's own SVG canvas writes (tests/test_chart_canvas.py), and PNG
and PDF are drawn by matplotlib's own canvases as before.
"""

from __future__ import annotations

import codecs
import functools
import threading
from collections.abc import Callable, Hashable
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg

__all__ = ["FONT_HEIGHTS", "PATHS", "TEXT_SIZES", "ChartCanvas", "Measures", "font_key"]


class Measures:
    """Measures taken once each, by a key (a text and its font properties, a path); at most
    :attr:`KEEP` of them (then it starts afresh: a chart has a few hundred)."""

    KEEP = 20_000

    def __init__(self) -> None:
        self.kept: dict[Hashable, Any] = {}
        self.lock = threading.Lock()

    def get(self, key: Hashable, measure: Callable[[], Any]) -> Any:
        """The measure of ``key``: ``measure()`` the first time, then what it gave."""
        value = self.kept.get(key)
        if value is None:
            value = measure()
            with self.lock:
                if len(self.kept) >= self.KEEP:
                    self.kept.clear()
                self.kept[key] = value
        return value


def font_key(text: str, prop: Any) -> tuple[str, int]:
    """The key of ``text`` in the font ``prop`` (a :class:`~matplotlib.font_manager.FontProperties`).

    matplotlib's own cache keys on FontProperties, whose equality is its hash: the family,
    style, variant, weight, stretch, size, file and maths family.
    """
    return text, hash(prop)


#: Width, height and descent (points) of each text, as matplotlib's SVG renderer measures it.
TEXT_SIZES = Measures()
#: Ascent, descent and line gap (points) of each font, by its properties (the text is "").
FONT_HEIGHTS = Measures()
#: SVG path data of unsimplified, unclipped paths (hatch patterns, markers), by their points, codes and transform.
PATHS = Measures()


@functools.cache
def _renderer_class() -> type:
    """matplotlib's SVG renderer, taking text sizes from :data:`TEXT_SIZES` and line heights
    from :data:`FONT_HEIGHTS` (imported when an SVG is first written: a PNG does not need
    the SVG backend)."""
    from matplotlib.backends.backend_svg import RendererSVG

    if not _internals_as_expected(RendererSVG):
        return RendererSVG  # another matplotlib: its own renderer, slower but right

    class Renderer(RendererSVG):
        def get_text_width_height_descent(self, s: str, prop: Any, ismath: Any) -> Any:
            if ismath:  # maths and TeX as matplotlib measures them (a chart has none: parse_math=False)
                return super().get_text_width_height_descent(s, prop, ismath)
            measure = functools.partial(RendererSVG.get_text_width_height_descent, self, s, prop, ismath)
            return TEXT_SIZES.get(font_key(s, prop), measure)

        def _get_font_height_metrics(self, prop: Any) -> tuple[float | None, float | None, float | None]:
            # matplotlib.text.Text._get_layout asks a renderer that has this method (the PDF
            # and PS ones) for a font's line heights, and otherwise reads the font's tables.
            return FONT_HEIGHTS.get(font_key("", prop), functools.partial(_font_heights, prop))

        def _convert_path(
            self, path: Any, transform: Any = None, clip: Any = None, simplify: Any = None, sketch: Any = None
        ) -> str:
            # A hatch pattern (or a marker) is a path written unsimplified and unclipped, the
            # same for every chart: the dotted pattern of a temporary permit, 576 circles,
            # took 3 ms to write each time. Kept by the path's points and the transform.
            if clip or simplify is not False or sketch is not None:
                return str(super()._convert_path(path, transform, clip, simplify, sketch))
            codes = None if path.codes is None else path.codes.tobytes()
            matrix = None if transform is None else transform.get_matrix().tobytes()
            key = (path.vertices.tobytes(), codes, matrix)
            return str(PATHS.get(key, functools.partial(RendererSVG._convert_path, self, path, transform, clip, False)))

    return Renderer


def _internals_as_expected(renderer: type) -> bool:
    """Whether matplotlib's private parts that :func:`_renderer_class` builds on are as in the
    versions tested (3.9 to 3.11): ``RendererSVG._convert_path``'s parameters and
    ``fontManager._find_fonts_by_props``. A matplotlib that changed them gets its own SVG
    renderer instead of a failed chart."""
    import inspect

    from matplotlib.font_manager import fontManager

    try:
        params = list(inspect.signature(renderer._convert_path).parameters)  # type: ignore[attr-defined]
    except (AttributeError, TypeError, ValueError):
        return False
    expected = ["self", "path", "transform", "clip", "simplify", "sketch"]
    return params == expected and callable(getattr(fontManager, "_find_fonts_by_props", None))


def _font_heights(prop: Any) -> tuple[float | None, float | None, float | None]:
    """Ascent, descent and line gap of the font ``prop``, in points, read from its tables as
    ``matplotlib.text.Text._get_layout`` reads them (the figure's dpi is 72 while it draws SVG)."""
    from matplotlib.font_manager import fontManager, get_font

    font: Any = get_font(fontManager._find_fonts_by_props(prop))
    tables = (("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"), ("hhea", "lineGap", "ascent", "descent"))
    for name, line_gap, ascent, descent in tables:
        table = font.get_sfnt_table(name)
        if table is not None:
            scale = 1 / font.get_sfnt_table("head")["unitsPerEm"] * prop.get_size_in_points()
            return table[ascent] * scale, -table[descent] * scale, table[line_gap] * scale
    return None, None, None  # matplotlib then measures "lp"


class ChartCanvas(FigureCanvasAgg):
    """An Agg canvas (PNG, the raw pixels) that writes SVG as
    :class:`matplotlib.backends.backend_svg.FigureCanvasSVG` does, with text measures kept
    in :data:`TEXT_SIZES` and :data:`FONT_HEIGHTS`; PDF goes to matplotlib's PDF canvas as
    for any Agg canvas."""

    def print_svg(
        self, filename: Any, *, bbox_inches_restore: Any = None, metadata: dict[str, Any] | None = None, **_: Any
    ) -> None:
        """Write the figure as SVG to ``filename`` (a path or a file object): the steps of
        ``FigureCanvasSVG.print_svg``, with the renderer of :func:`_renderer_class`."""
        from matplotlib import cbook
        from matplotlib.backends.backend_mixed import MixedModeRenderer

        with cbook.open_file_cm(filename, "w", encoding="utf-8") as out:
            fh: Any = out
            if not cbook.file_requires_unicode(fh):
                fh = codecs.getwriter("utf-8")(fh)
            dpi = self.figure.dpi
            self.figure.dpi = 72  # savefig puts the figure's dpi back afterwards
            width, height = self.figure.get_size_inches()
            svg = _renderer_class()(width * 72, height * 72, fh, image_dpi=dpi, metadata=metadata)
            renderer: Any = MixedModeRenderer(
                self.figure, width, height, dpi, svg, bbox_inches_restore=bbox_inches_restore
            )
            self.figure.draw(renderer)
            renderer.finalize()
