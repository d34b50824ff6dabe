"""Page 2 of the report laid out: texts and rules placed in two columns, fitted to the page.

:func:`fit_page` lays out the key dates, options and warnings (left) and the explanations
(right) at the largest body font that fits, down to :data:`MIN_BODY_PT`, then shows fewer
explanations, then shortens the other parts, each cut off with "…".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from ..chart import A4_LANDSCAPE
from .content import ReportContent, report_text
from .text_wrap import longest, wrap

__all__ = ["BODY_PT", "MARGIN_IN", "MIN_BODY_PT", "PAGE_BOTTOM_IN", "Rule", "Text", "fit_page", "layout_page"]

BODY_PT = 7.5
MIN_BODY_PT = 6.0
HEAD_PT = 9.5
TITLE_PT = 13.0
MARGIN_IN = 0.55
#: The lowest point of page 2's body, in inches from the top: above the footer.
PAGE_BOTTOM_IN = A4_LANDSCAPE[1] - MARGIN_IN - 0.45
ELLIPSIS = "…"


@dataclass
class Text:
    """A line of text on the page: ``x``, ``y`` in inches from the left and from the top."""

    x: float  # inches from the left
    y: float  # inches from the top (baseline-ish: top of the line)
    text: str
    size: float
    bold: bool = False
    colour: str = "#000000"


@dataclass
class Rule:
    """A horizontal rule from ``x0`` to ``x1`` at ``y`` (inches)."""

    x0: float
    x1: float
    y: float


@dataclass
class _Column:
    """A column of page 2 being laid out: its left edge and width (inches), the body font, what is placed."""

    x: float
    width: float
    size: float
    measure: Callable[..., float]
    texts: list[Text]
    rules: list[Rule]

    @property
    def lh(self) -> float:
        """The line height in inches."""
        return self.size * 1.32 / 72

    def wrap(self, text: str, width_in: float, bold: bool = False) -> list[str]:
        """``text`` wrapped to ``width_in`` inches at the body font."""
        return wrap(text, width_in * 72, self.size, self.measure, bold)

    def heading(self, y: float, text: str) -> float:
        """A section heading at ``y``; the ``y`` below it."""
        self.texts.append(Text(self.x, y, text, HEAD_PT, True))
        return y + HEAD_PT * 1.45 / 72


def layout_page(c: ReportContent, lang: str, size: float, max_expl: int, measure: Callable[..., float]):
    """Texts and rules of page 2 at body font ``size``; the height used per column."""
    w = A4_LANDSCAPE[0]
    texts: list[Text] = []
    rules: list[Rule] = []
    page = _Column(MARGIN_IN, w - 2 * MARGIN_IN, size, measure, texts, rules)
    body_top = _layout_head(page, c)
    gutter = 0.35
    col_w = (w - 2 * MARGIN_IN - gutter) / 2
    left = _Column(MARGIN_IN, col_w, size, measure, texts, rules)
    right = _Column(MARGIN_IN + col_w + gutter, col_w, size, measure, texts, rules)
    # Left column: key dates table, options, warnings.
    y = _layout_key_dates(left, c, lang, body_top)
    left_bottom = _layout_notes(left, c, lang, y + left.lh)
    # Right column: explanations with their legal basis, then the end-date convention.
    right_bottom = _layout_explanations(right, c, lang, max_expl, body_top)
    return texts, rules, (left_bottom, right_bottom)


def _layout_head(page: _Column, c: ReportContent) -> float:
    """The title, the subtitle and the case's description across the page; the top of the columns."""
    lh = page.lh
    page.texts.append(Text(page.x, MARGIN_IN, c.title, TITLE_PT, True))
    y = MARGIN_IN + TITLE_PT * 1.5 / 72
    for line in page.wrap(c.subtitle, page.width):
        page.texts.append(Text(page.x, y, line, page.size, colour="#333333"))
        y += lh
    if c.description:
        for line in page.wrap(c.description, page.width):
            page.texts.append(Text(page.x, y, line, page.size, colour="#333333"))
            y += lh
    return y + lh * 0.6


def _layout_key_dates(col: _Column, c: ReportContent, lang: str, y: float) -> float:
    """The key-dates table (what, date, status) from ``y``, a rule under each row; the ``y`` below it."""
    lh, size = col.lh, col.size
    y = col.heading(y, report_text("key-dates", lang))
    widths = (0.38 * col.width, 0.29 * col.width, 0.33 * col.width)
    xs = (col.x, col.x + widths[0], col.x + widths[0] + widths[1])
    header = (report_text("col-what", lang), report_text("col-date", lang), report_text("col-status", lang))
    for k, cell in enumerate(header):
        col.texts.append(Text(xs[k], y, cell, size, True))
    y += lh
    col.rules.append(Rule(col.x, col.x + col.width, y - lh * 0.15))
    for row in c.key_dates:
        cells = [col.wrap(cell, widths[k] - 0.08) for k, cell in enumerate(row)]
        y += lh * 0.2
        for k, lines in enumerate(cells):
            for i, line in enumerate(lines):
                col.texts.append(Text(xs[k], y + i * lh, line, size))
        y += max(len(lines) for lines in cells) * lh
        col.rules.append(Rule(col.x, col.x + col.width, y + lh * 0.05))
    return y


def _layout_notes(col: _Column, c: ReportContent, lang: str, y: float) -> float:
    """The options in force and the warnings from ``y``; the lowest point used."""
    lh, size = col.lh, col.size
    y = col.heading(y, report_text("options", lang))
    for opt in c.options:
        for i, line in enumerate(col.wrap(opt, col.width - 0.15)):
            col.texts.append(Text(col.x + (0.15 if i else 0), y, line, size))
            y += lh
    if c.warnings:
        y = col.heading(y + lh * 0.6, report_text("warnings", lang))
        for warning in c.warnings:
            for i, line in enumerate(col.wrap(warning, col.width - 0.15)):
                col.texts.append(Text(col.x + 0.15 * bool(i), y, ("- " if i == 0 else "") + line, size))
                y += lh
    return y


def _layout_explanations(col: _Column, c: ReportContent, lang: str, max_expl: int, y: float) -> float:
    """The first ``max_expl`` explanations (a line says how many more), then the end-date convention."""
    lh, size = col.lh, col.size
    y = col.heading(y, report_text("explanations", lang))
    shown = c.explanations[:max_expl]
    for head, text in shown:
        for line in col.wrap(head, col.width, bold=True):
            col.texts.append(Text(col.x, y, line, size, True))
            y += lh
        for line in col.wrap(text, col.width - 0.15):
            col.texts.append(Text(col.x + 0.15, y, line, size))
            y += lh
        y += lh * 0.35
    if len(shown) < len(c.explanations):
        col.texts.append(
            Text(col.x, y, report_text("more", lang, n=len(c.explanations) - len(shown)), size, colour="#444444")
        )
        y += lh
    y += lh * 0.3
    for line in col.wrap(c.convention, col.width):
        col.texts.append(Text(col.x, y, line, size, colour="#444444"))
        y += lh
    return y


def _cut(text: str, n: int) -> str:
    """``text`` cut to at most ``n`` characters at a word boundary, ending in "…" ("" for ``n <= 0``)."""
    if len(text) <= n:
        return text
    if n <= 0:
        return ""
    head = text[:n]
    if not text[n].isspace() and " " in head.strip():
        head = head.rsplit(" ", 1)[0]  # a long word without spaces (a URL) is cut inside
    return head.rstrip(" ,.;:-") + ELLIPSIS


def _first(items: tuple[Any, ...], n: int, more: Any) -> tuple[Any, ...]:
    """The first ``n`` of ``items``, then ``more`` in place of the rest."""
    return items if n >= len(items) else (*items[:n], more)


def fit_page(
    c: ReportContent, lang: str, measure: Callable[..., float], limit: float = PAGE_BOTTOM_IN
) -> tuple[list[Text], list[Rule], float, ReportContent]:
    """Lay out page 2 so that it ends above ``limit`` (inches from the top).

    In turn, until it fits: a smaller body font (down to :data:`MIN_BODY_PT`); fewer
    explanations while they are what runs over (a line says how many more there are);
    then a shorter description, fewer warnings, fewer options and fewer key dates, each
    cut off with "…".

    Returns
    -------
    texts, rules, used, content
        What to draw, the lowest point used (inches from the top), and the content as
        shortened.
    """
    size, n_expl = BODY_PT, len(c.explanations)

    def lay(content: ReportContent, n: int = -1):
        return layout_page(content, lang, size, n_expl if n < 0 else n, measure)

    texts, rules, (left, right) = lay(c)
    while max(left, right) > limit and size > MIN_BODY_PT:
        size = max(MIN_BODY_PT, size - 0.5)
        texts, rules, (left, right) = lay(c)
    if right > limit:
        n_expl = longest(n_expl, lambda n: lay(c, n)[2][1] <= limit)
        texts, rules, (left, right) = lay(c)

    def fits(content: ReportContent) -> bool:
        return max(lay(content)[2]) <= limit

    shorteners: list[tuple[int, Callable[[ReportContent, int], ReportContent]]] = [
        (len(c.description), lambda x, n: replace(x, description=_cut(x.description, n))),
        (len(c.warnings), lambda x, n: replace(x, warnings=_first(x.warnings, n, ELLIPSIS))),
        (len(c.options), lambda x, n: replace(x, options=_first(x.options, n, ELLIPSIS))),
        (len(c.key_dates), lambda x, n: replace(x, key_dates=_first(x.key_dates, n, (ELLIPSIS, "", "")))),
    ]
    for n_max, shorten in shorteners:
        if max(left, right) <= limit:
            break
        current = c
        n = longest(n_max, lambda k: fits(shorten(current, k)))  # noqa: B023 (used at once)
        c = shorten(c, n)
        texts, rules, (left, right) = lay(c)
    return texts, rules, max(left, right), c
