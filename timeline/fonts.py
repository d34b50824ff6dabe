"""Text widths as matplotlib lays text out, for the chart's label placement and the report's wrapping.

:func:`measurer` measures DejaVu Sans (the font of the chart style and the report) from the
font file: glyph advances plus kerning, unhinted, as the PDF and SVG backends place glyphs.
Both :mod:`timeline.chart` (labels that must not collide) and :mod:`timeline.report` (lines
that must not run off the page) measure with it; matplotlib is imported when it is called.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from .usertext import REPLACEMENT

__all__ = ["KEEP_LINES", "measurer"]

#: The most line widths a measurer keeps (then it starts afresh; a chart measures a few hundred).
KEEP_LINES = 20_000
_THREAD = threading.local()


def measurer() -> Callable[..., float]:
    """Text width in points for DejaVu Sans: glyph advances plus kerning, as matplotlib
    lays text out (unhinted, as PDF and SVG use); advances, kerning pairs and the widths
    of whole lines are cached.

    One measurer per thread (FreeType faces are not to be shared between threads), kept
    for the thread's life: ``timeline serve``'s edit page, which lays out a chart for each
    edit, measures only the lines it has not seen (measuring every line again took a
    third of an edit's assessment and chart spec, measured with cProfile).

    The returned ``width(text, size, bold=False)`` has an attribute ``advance(total, prev,
    text, bold)``: a width ``total`` (font units at ``width.scale`` points) of a text
    ending in glyph ``prev`` (``None`` for none), extended by ``text``, with the new last
    glyph. Adding a word to a line with it costs the word only, and gives the same
    number as measuring the whole line (the same additions in the same order), so
    the report's word wrap is linear in the text.
    """
    width = getattr(_THREAD, "measurer", None)
    if width is None:
        width = _THREAD.measurer = _new_measurer()
    return width


def _new_measurer() -> Callable[..., float]:
    """A new :func:`measurer`, with empty caches."""
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

    lines: dict[tuple[str, bool], float] = {}  # a line's width in font units at ``scale``

    def width(text: str, size: float, bold: bool = False) -> float:
        best = 0.0
        for line in text.split("\n"):
            units = lines.get((line, bold))
            if units is None:
                if len(lines) >= KEEP_LINES:
                    lines.clear()
                units = lines[(line, bold)] = advance(0.0, None, line, bold)[0]
            best = max(best, units * size / scale)
        return best

    width.advance = advance  # type: ignore[attr-defined]
    width.scale = scale  # type: ignore[attr-defined]
    return width
