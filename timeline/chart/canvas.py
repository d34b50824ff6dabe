"""The canvas a chart is drawn on: matplotlib's Agg canvas, whose SVG output keeps text sizes between drawings.

To place a text (its alignment, its box), matplotlib measures it with FreeType. Its cache
of those sizes belongs to one renderer, and each ``savefig`` makes a new renderer, so every
SVG measures every text again: with matplotlib 3.11, 10 to 20 µs a character
(``FT2Font.set_text``), 15 to 30 ms of the 40 to 90 ms it takes to write a chart's SVG
(measured on the examples, 2-core machine). A size depends only on the text and its font
properties, so :class:`ChartCanvas` keeps them for the process in :data:`TEXT_SIZES`:
``timeline serve``'s edit page, which draws a chart for each edit, measures only the texts
it has not seen yet. The SVG is byte for byte the one matplotlib's own SVG canvas writes
(tested), and PNG and PDF are drawn by matplotlib's own canvases as before.
"""

from __future__ import annotations

import codecs
import functools
import threading
from collections.abc import Callable
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg

__all__ = ["TEXT_SIZES", "ChartCanvas", "TextSizes"]


class TextSizes:
    """Width, height and descent (points) of texts as matplotlib's SVG renderer measures
    them, by the text and its font properties; at most :attr:`KEEP` texts (then it starts
    afresh: a chart has a few hundred)."""

    KEEP = 20_000

    def __init__(self) -> None:
        self.sizes: dict[tuple[str, int], tuple[float, float, float]] = {}
        self.lock = threading.Lock()

    def get(self, s: str, prop: Any, measure: Callable[[], tuple[float, float, float]]) -> tuple[float, float, float]:
        """The size of ``s`` in the font ``prop`` (a :class:`~matplotlib.font_manager.FontProperties`),
        from ``measure()`` the first time."""
        # matplotlib's own cache keys on FontProperties, whose equality is its hash: the
        # family, style, variant, weight, stretch, size, file and maths family.
        key = (s, hash(prop))
        size = self.sizes.get(key)
        if size is None:
            size = measure()
            with self.lock:
                if len(self.sizes) >= self.KEEP:
                    self.sizes.clear()
                self.sizes[key] = size
        return size


#: The text sizes every :class:`ChartCanvas` of the process shares.
TEXT_SIZES = TextSizes()


@functools.cache
def _renderer_class() -> type:
    """matplotlib's SVG renderer, measuring plain text through :data:`TEXT_SIZES`
    (imported when an SVG is first written: a PNG does not need the SVG backend)."""
    from matplotlib.backends.backend_svg import RendererSVG

    class Renderer(RendererSVG):
        def get_text_width_height_descent(self, s: str, prop: Any, ismath: Any) -> Any:
            if ismath:  # maths and TeX as matplotlib measures them (a chart has none: parse_math=False)
                return super().get_text_width_height_descent(s, prop, ismath)
            return TEXT_SIZES.get(s, prop, lambda: RendererSVG.get_text_width_height_descent(self, s, prop, ismath))

    return Renderer


class ChartCanvas(FigureCanvasAgg):
    """An Agg canvas (PNG, the raw pixels) that writes SVG as
    :class:`matplotlib.backends.backend_svg.FigureCanvasSVG` does, with text sizes kept in
    :data:`TEXT_SIZES`; PDF goes to matplotlib's PDF canvas as for any Agg canvas."""

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
