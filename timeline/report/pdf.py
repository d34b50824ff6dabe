"""Writing the report: an A4 portrait PDF laid out with fpdf2, deterministic and whole or not at all.

Page 1 answers now, next and when, gives the key dates and shows the chart
(:mod:`timeline.chart`, drawn by matplotlib and placed as an image); the explanations by
topic, the assumptions and the points to check follow, the text flowing from page to
page. Every page's footer names the tool version, the rules version and the SHA-256 of
the input; each legal basis is a link to its public source; the text is selectable
(DejaVu Sans embedded); headings are bookmarks. The metadata (title, subject, language,
creation date = ``as_of``) make two runs byte-identical.

Why fpdf2 and not matplotlib's PDF backend: text that flows over pages, wraps, tables
that break across pages, links, bookmarks and the document language come with it, in
pure Python (a few hundred kilobytes, no compiled code); on matplotlib every line had to
be measured and placed by hand and a page fitted by trial (``fit_page``), with no links
and no language.
"""

from __future__ import annotations

import io
import struct
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from ..assessment import Assessment
from ..chart import SIZE_PRESETS, ChartError, chart_spec, check_output, render, style_context
from ..chart.focus import focus_window
from ..errors import msg
from ..model import Case
from ..outputs import replacing
from ..usertext import drawable
from .content import ReportContent, Row, report_content, report_text

__all__ = ["BODY_PT", "CHART_CM", "FOOTER_PT", "MARGIN_MM", "SIZES_PT", "write_report"]

FONT = "DejaVu"
MARGIN_MM = 16.0
FOOTER_PT = 9.0
BODY_PT = 10.0
TABLE_PT = 9.5
NOW_PT = 12.5
HEAD_PT = 13.0
TOPIC_PT = 11.0
TITLE_PT = 16.0
#: Every font size the report uses (the chart, an image, has its own).
SIZES_PT = (FOOTER_PT, BODY_PT, TABLE_PT, NOW_PT, HEAD_PT, TOPIC_PT, TITLE_PT)
#: The chart's size as drawn by :func:`timeline.chart.chart_spec`: the ``letter`` preset's 16 cm
#: width (no text under 8 pt; taller when the case needs it), placed at the text width (about
#: 18 cm, so its text is 9 pt or more), or somewhat smaller to stay on page 1.
CHART_CM = (SIZE_PRESETS["letter"][0], 12.0)  # the shortest chart_spec allows: it fits under page 1's text
#: The chart may shrink to this share of the text width to stay on page 1.
CHART_MIN_SCALE = 0.82
GREY = (80, 80, 80)
BULLET_MM = 4.5
PAD_MM = 1.2
#: A heading goes to the next page unless this much room (mm) is left for what follows it.
KEEP_MM = 45.0
LINK = (0, 70, 160)


def _fonts() -> tuple[Path, Path]:
    """DejaVu Sans, regular and bold: the font files matplotlib ships (the chart's font)."""
    import matplotlib

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"


def _document(c: ReportContent, as_of: date) -> Any:
    """An empty A4 document with its fonts, metadata and the footer on every page."""
    from fpdf import FPDF

    from .. import __version__

    class Document(FPDF):
        def footer(self) -> None:
            margin = self.l_margin  # the page may break inside an indented paragraph
            self.set_left_margin(MARGIN_MM)
            self.set_y(-MARGIN_MM + 2)
            self.set_font(FONT, size=FOOTER_PT)
            self.set_text_color(*GREY)
            text = c.footer.format(p=self.page_no(), n=self.str_alias_nb_pages)
            self.multi_cell(0, FOOTER_PT * 0.42, text, align="L")
            self.set_left_margin(margin)

    pdf = Document(orientation="portrait", unit="mm", format="A4")
    regular, bold = _fonts()
    pdf.add_font(FONT, "", regular)
    pdf.add_font(FONT, "B", bold)
    pdf.set_margins(MARGIN_MM, MARGIN_MM - 2, MARGIN_MM)
    pdf.set_auto_page_break(True, margin=MARGIN_MM + 6)
    pdf.set_title(c.title)
    pdf.set_subject(c.subject)
    pdf.set_lang(c.lang)
    pdf.set_creator(f"timeline {__version__}")
    pdf.set_creation_date(datetime.combine(as_of, time(), tzinfo=UTC))
    return pdf


def _heading(pdf: Any, text: str, size: float = HEAD_PT, level: int = 0) -> None:
    """A heading (and a bookmark), on a new page when less than a few lines would follow it."""
    if _room(pdf) < (KEEP_MM if level == 0 else KEEP_MM * 0.7):
        pdf.add_page()
    pdf.ln(2.5 if level else 4)
    pdf.start_section(text, level=level, strict=False)
    pdf.set_font(FONT, "B", size)
    pdf.set_text_color(0)
    pdf.multi_cell(0, size * 0.45, text, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def _para(pdf: Any, text: str, size: float = BODY_PT, bold: bool = False, colour: Any = 0) -> None:
    pdf.set_font(FONT, "B" if bold else "", size)
    pdf.set_text_color(*colour) if isinstance(colour, tuple) else pdf.set_text_color(colour)
    pdf.multi_cell(0, size * 0.45, text, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def _bullet(pdf: Any, text: str) -> None:
    """A paragraph with a bullet, its lines indented under the first."""
    h = BODY_PT * 0.45
    pdf.set_font(FONT, "", BODY_PT)
    pdf.set_text_color(0)
    pdf.set_x(pdf.l_margin)
    pdf.cell(BULLET_MM, h, "•")
    pdf.multi_cell(0, h, text, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def _widths(pdf: Any, columns: tuple[str, ...], rows: tuple[Row, ...], flexible: int) -> tuple[float, ...]:
    """Column widths (mm): each column as wide as its widest cell (at most a quarter of the
    line), the ``flexible`` one the rest, so that short cells do not break in any language."""
    widths = []
    for k, name in enumerate(columns):
        pdf.set_font(FONT, "B", TABLE_PT)
        widest = pdf.get_string_width(name)
        pdf.set_font(FONT, "", TABLE_PT)
        widest = max([widest, *(pdf.get_string_width(r.cells[k]) for r in rows)])
        widths.append(min(widest + 2 * PAD_MM + 0.5, pdf.epw / 4))
    widths[flexible] = pdf.epw - sum(w for k, w in enumerate(widths) if k != flexible)
    return tuple(widths)


def _table(pdf: Any, columns: tuple[str, ...], rows: tuple[Row, ...], widths: tuple[float, ...]) -> None:
    """A table with a heading row; the last cell of a row with a URL is a link to it."""
    from fpdf.fonts import FontFace

    pdf.set_font(FONT, "", TABLE_PT)
    pdf.set_text_color(0)
    head = FontFace(emphasis="BOLD", fill_color=(235, 235, 235))
    with pdf.table(
        col_widths=widths,
        text_align="LEFT",
        line_height=TABLE_PT * 0.42,
        headings_style=head,
        borders_layout="HORIZONTAL_LINES",
        padding=(0.6, PAD_MM),
    ) as table:
        header = table.row()
        for name in columns:
            header.cell(name)
        for r in rows:
            row = table.row()
            for k, cell in enumerate(r.cells):
                link = r.url if r.url and k == len(r.cells) - 1 else None
                row.cell(cell, link=link, style=FontFace(color=LINK) if link else None)
    pdf.ln(1.5)


def _page_one(pdf: Any, c: ReportContent, chart_png: bytes, chart_alt: str) -> None:
    """Title, now, what to do by when, when to apply; then the key dates and the chart, or
    the chart first when both do not fit on the page and the chart alone does."""
    pdf.add_page()
    pdf.set_font(FONT, "B", TITLE_PT)
    pdf.multi_cell(0, TITLE_PT * 0.45, c.title, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(0.5)
    _para(pdf, c.subtitle, FOOTER_PT, colour=GREY)
    _heading(pdf, c.headings["now"])
    _para(pdf, c.now, NOW_PT, bold=True)
    _heading(pdf, c.headings["ahead"])
    if c.ahead:
        _table(pdf, c.ahead_columns, c.ahead, _widths(pdf, c.ahead_columns, c.ahead, flexible=3))
    else:
        _para(pdf, c.headings["none"])
    _heading(pdf, c.headings["when"])
    for line in c.when:
        _bullet(pdf, line)
    with pdf.offset_rendering() as trial:
        _key_dates(trial, c)
        room_after = _room(trial) - 1  # the chart's own spacing, as _chart reckons it
        broke = trial.page != pdf.page
    if not broke and room_after >= _chart_height(pdf, chart_png) * CHART_MIN_SCALE:
        _key_dates(pdf, c)
        _chart(pdf, chart_png, chart_alt)
    elif _room(pdf) >= _chart_height(pdf, chart_png) * CHART_MIN_SCALE:
        _chart(pdf, chart_png, chart_alt)
        _key_dates(pdf, c)
    else:
        _key_dates(pdf, c)
        _chart(pdf, chart_png, chart_alt)


def _key_dates(pdf: Any, c: ReportContent) -> None:
    _heading(pdf, c.headings["key-dates"])
    _table(pdf, c.key_columns, c.key_dates, (62, 52, 64))
    _para(pdf, c.convention, FOOTER_PT, colour=GREY)


def _room(pdf: Any) -> float:
    """The height left on this page, in millimetres."""
    return float(pdf.h - pdf.b_margin - pdf.get_y() - 3)


def _chart_height(pdf: Any, png: bytes) -> float:
    """The chart's height at the text width (a chart grows taller when its case needs it:
    the proportions are the image's own, read from its PNG header)."""
    width, height = struct.unpack(">II", png[16:24])
    return float(pdf.epw * height / width)


def _chart(pdf: Any, png: bytes, alt: str) -> None:
    """The chart at the text width, smaller (not below :data:`CHART_MIN_SCALE`) to stay on
    this page, else at the top of the next."""
    width, height = pdf.epw, _chart_height(pdf, png)
    room = _room(pdf)
    if room < height:
        if room >= height * CHART_MIN_SCALE:
            width, height = width * room / height, room
        else:
            pdf.add_page()
    pdf.ln(1)
    pdf.image(io.BytesIO(png), x=pdf.l_margin, y=pdf.get_y(), w=width, h=height, alt_text=alt)
    pdf.set_y(pdf.get_y() + height + 2)


def _why(pdf: Any, c: ReportContent) -> None:
    """The explanations: one heading per topic; per rule its texts, then its legal basis as a link."""
    _heading(pdf, c.headings["why"])
    _para(pdf, report_text("links", c.lang), FOOTER_PT, colour=GREY)
    for topic in c.topics:
        _heading(pdf, topic.heading, TOPIC_PT, level=1)
        for item in topic.items:
            for said in item.texts:
                _para(pdf, said)
            _basis(pdf, c.lang, item)


def _basis(pdf: Any, lang: str, item: Any) -> None:
    """ "Legal basis: <basis, linked> (rule R3.1: title)", indented, under the rule's texts."""
    h = FOOTER_PT * 0.45
    pdf.set_left_margin(MARGIN_MM + 4)
    pdf.set_x(pdf.l_margin)
    pdf.set_font(FONT, "B", FOOTER_PT)
    pdf.set_text_color(*GREY)
    pdf.write(h, report_text("basis", lang) + " ")
    pdf.set_font(FONT, "", FOOTER_PT)
    if item.url:
        pdf.set_text_color(*LINK)
        pdf.write(h, item.basis, link=item.url)
    else:
        pdf.write(h, item.basis)
    pdf.set_text_color(*GREY)
    pdf.write(h, " " + report_text("basis-rule", lang, rule=item.rule, title=item.title))
    pdf.ln(h)
    pdf.set_left_margin(MARGIN_MM)
    pdf.ln(2.2)


def _notes(pdf: Any, c: ReportContent) -> None:
    """The case as recorded, the assumptions and the points to check."""
    _heading(pdf, c.headings["assumptions"])
    _para(pdf, report_text("assumptions-intro", c.lang))
    for line in c.assumptions:
        _bullet(pdf, line)
    if c.warnings:
        _heading(pdf, c.headings["warnings"])
        for line in c.warnings:
            _bullet(pdf, line)


def report_pdf(
    c: ReportContent, as_of: date, chart_png: bytes, chart_alt: str, close_up_png: bytes | None = None
) -> bytes:
    """The report ``c`` as PDF bytes: page 1, the close-up of the latest gap and the next deadline
    (``close_up_png``, when there is one), then the case, the explanations and the notes."""
    pdf = _document(c, as_of)
    _page_one(pdf, c, chart_png, chart_alt)
    if close_up_png is not None:
        _heading(pdf, c.headings["close-up"])
        _chart(pdf, close_up_png, c.headings["close-up"])
    if c.description:
        _heading(pdf, c.headings["case"])
        _para(pdf, c.description)
    _why(pdf, c)
    _notes(pdf, c)
    return bytes(pdf.output())


def write_report(
    assessment: Assessment,
    case: Case,
    path: str | Path,
    *,
    lang: str = "en",
    source_bytes: bytes | None = None,
) -> Path:
    """Write the client report of ``assessment`` to ``path`` (a ``.pdf``, A4 portrait).

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
    from ..chart.saving import png_bytes

    out = Path(path)
    check_output(out, (".pdf",), what="a report")
    case = case._replace(id=drawable(case.id), description=drawable(case.description))
    content = report_content(assessment, case, lang=lang, source_bytes=source_bytes)
    size = (CHART_CM[0] / 2.54, CHART_CM[1] / 2.54)
    spec = chart_spec(assessment, case, lang=lang, size=size, banner=False)  # page 1 says now and next above it
    window = focus_window(assessment)
    with style_context():
        chart = png_bytes(render(spec))
        close_up = None
        if window is not None:  # issue 12 §4: a 92-day gap is a sliver of a whole history
            close_up = png_bytes(
                render(chart_spec(assessment, case, lang=lang, size=size, banner=False, window=window))
            )
    data = report_pdf(content, assessment.as_of, chart, content.headings["chart"], close_up)
    try:
        with replacing(out) as tmp:
            Path(tmp).write_bytes(data)
    except OSError as err:
        raise ChartError(msg("path-write-failed", path=out, reason=str(err.strerror or err))) from None
    return out
