"""Writing the report: page 1 the chart, page 2 the text page, one deterministic PDF.

:func:`write_report` draws both pages with matplotlib (no browser, no network) and writes
them without timestamps, whole or not at all.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..assessment import Assessment
from ..chart import A4_LANDSCAPE, ChartError, chart_spec, check_output, render, style_context
from ..model import Case
from ..outputs import replacing
from ..usertext import drawable
from .content import PAGES, ReportContent, report_content, report_text
from .page import MARGIN_IN, Rule, Text, fit_page
from .text_wrap import wrap

__all__ = ["FOOTER_PT", "write_report"]

FOOTER_PT = 6.5


def _footer(fig: Any, c: ReportContent, page: int, measure: Callable[..., float]) -> None:
    """The footer of page ``page``: version, rules version, the input's SHA-256, wrapped to the page."""
    w, h = fig.get_size_inches()
    lines = wrap(c.footer.format(p=page), (w - 2 * MARGIN_IN) * 72, FOOTER_PT, measure)
    for k, line in enumerate(lines):
        fig.text(
            MARGIN_IN / w,
            (0.3 + (len(lines) - 1 - k) * FOOTER_PT * 1.35 / 72) / h,
            line,
            ha="left",
            va="bottom",
            fontsize=FOOTER_PT,
            color="#444444",
            parse_math=False,
        )


def write_report(
    assessment: Assessment,
    case: Case,
    path: str | Path,
    *,
    lang: str = "en",
    source_bytes: bytes | None = None,
) -> Path:
    """Write the two-page A4 client report of ``assessment`` to ``path`` (a ``.pdf``).

    Parameters
    ----------
    assessment, case
        The result of :func:`timeline.assess` and its case.
    path
        Where to write; must end in ``.pdf``.
    lang
        ``"en"`` or ``"nl"``.
    source_bytes
        The bytes of the input file: the footer shows their SHA-256.

    Raises
    ------
    ChartError
        For another extension or a path that cannot be written.
    """
    from ..fonts import measurer

    out = Path(path)
    check_output(out, (".pdf",), what="a report")
    case = case._replace(id=drawable(case.id), description=drawable(case.description))
    content = report_content(assessment, case, lang=lang, source_bytes=source_bytes)
    sha = content.sha256
    note = report_text("page-note", lang, sha=sha or report_text("no-sha", lang), p=1, n=PAGES)
    spec = chart_spec(assessment, case, lang=lang, size=A4_LANDSCAPE, footer_note=note)
    measure = measurer()
    texts, rules, _, _ = fit_page(content, lang, measure)
    with style_context():
        chart_fig = render(spec)
        page = _text_page(texts, rules, content, measure)
        _write_pdf(out, (chart_fig, page))
    return out


def _text_page(texts: list[Text], rules: list[Rule], content: ReportContent, measure: Callable[..., float]) -> Any:
    """Page 2 as a figure: the laid-out texts and rules (:func:`fit_page`) and the footer."""
    from matplotlib.figure import Figure

    w, h = A4_LANDSCAPE
    page = Figure(figsize=A4_LANDSCAPE)
    for t in texts:
        page.text(
            t.x / w,
            1 - t.y / h,
            t.text,
            ha="left",
            va="top",
            fontsize=t.size,
            fontweight="bold" if t.bold else "normal",
            color=t.colour,
            parse_math=False,
        )
    for r in rules:
        page.add_artist(_line(r, w, h))
    _footer(page, content, 2, measure)
    return page


def _write_pdf(out: Path, pages: tuple[Any, ...]) -> None:
    """``pages`` (figures) as one PDF at ``out``, without dates, written whole or not at all."""
    from matplotlib.backends.backend_pdf import PdfPages

    try:
        buffer = io.BytesIO()  # drawn in memory: matplotlib's PDF writer fails untidily on a write error
        with PdfPages(buffer, metadata={"CreationDate": None, "ModDate": None}) as pdf:
            for page in pages:
                pdf.savefig(page)
        with replacing(out) as tmp:
            Path(tmp).write_bytes(buffer.getvalue())
    except OSError as err:
        raise ChartError(f"{out}: cannot write the file: {err.strerror or err}") from None


def _line(r: Rule, w: float, h: float) -> Any:
    """Rule ``r`` as a line in figure coordinates of a ``w`` x ``h`` inch page."""
    from matplotlib.lines import Line2D

    return Line2D([r.x0 / w, r.x1 / w], [1 - r.y / h, 1 - r.y / h], lw=0.4, color="#AAAAAA")
