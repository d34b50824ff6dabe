"""The client report: an A4 PDF for the client and for the court file.

Page 1 answers the three questions a client comes with: am I allowed to be here now, what
must I do by when (every action still ahead, soonest first), and when can I apply for
what; then the key dates and the chart (:mod:`timeline.chart`). The explanations follow,
grouped by topic, each in plain words first and then its legal basis as a link to its
public source; then the assumptions (the options in force, in plain words) and the points
to check. Every page's footer names the tool version, the rules version and the SHA-256
of the input file, so a lawyer can show which input produced the report.

The modules:

- :mod:`~timeline.report.content`: the texts (:class:`ReportContent`, :func:`report_content`).
- :mod:`~timeline.report.explain`: the explanations by topic and the assumptions.
- :mod:`~timeline.report.pdf`: the layout with fpdf2 and the deterministic PDF (:func:`write_report`).
"""

from __future__ import annotations

from .content import ReportContent, report_content, report_lines
from .pdf import BODY_PT, FOOTER_PT, SIZES_PT, report_pdf, write_report

__all__ = [
    "BODY_PT",
    "FOOTER_PT",
    "SIZES_PT",
    "ReportContent",
    "report_content",
    "report_lines",
    "report_pdf",
    "write_report",
]
