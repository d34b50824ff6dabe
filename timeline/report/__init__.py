"""The client report: a two-page A4 PDF built with matplotlib only (no browser, no network).

Page 1 is the chart (:mod:`timeline.chart`). Page 2 has the key dates (residence gaps,
the reporting deadline, the earliest date per route, deadlines still ahead), each date
explained in plain language with its legal basis, the options in force and any points to
check. Every page's footer names the tool version, the rules version and the SHA-256 of
the input file, so a lawyer can show which input produced the report.

:func:`report_content` builds the texts (testable as data); :func:`write_report` lays
them out and writes the PDF deterministically (no timestamps).

The modules:

- :mod:`~timeline.report.content`: the texts (:class:`ReportContent`, :func:`report_content`).
- :mod:`~timeline.report.text_wrap`: word wrap by measured width.
- :mod:`~timeline.report.page`: page 2 laid out in two columns and fitted (:func:`fit_page`).
- :mod:`~timeline.report.pdf`: both pages drawn and written as one PDF (:func:`write_report`).
"""

from __future__ import annotations

from ..chart import A4_LANDSCAPE
from .content import ReportContent, report_content, report_lines
from .page import BODY_PT, MARGIN_IN, MIN_BODY_PT, PAGE_BOTTOM_IN, fit_page
from .pdf import FOOTER_PT, write_report

__all__ = [
    "A4_LANDSCAPE",
    "BODY_PT",
    "FOOTER_PT",
    "MARGIN_IN",
    "MIN_BODY_PT",
    "PAGE_BOTTOM_IN",
    "ReportContent",
    "fit_page",
    "report_content",
    "report_lines",
    "write_report",
]
