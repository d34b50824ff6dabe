"""A case's downloads as bytes: the case file, the JSON assessment, the deadlines as a
calendar, the client report, the chart as SVG, PNG and PDF.

Each is made by the library function the command line uses for it (``timeline assess
--format json``, ``deadlines -o``, ``report``, ``chart``); the report and the chart are
written by their own ``write_report`` / ``save`` into a temporary folder, so the bytes are
exactly those of the command line. Matplotlib's style is applied through a global
``rc_context``: drawing is serialised by :data:`DRAWING` (:func:`drawing`).
"""

from __future__ import annotations

import json
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ..assessment import Assessment
from ..model import Case
from .caseload import collector_paused

if TYPE_CHECKING:  # the chart module loads matplotlib: imported when a chart is drawn
    from matplotlib.figure import Figure

    from ..chart.spec import ChartSpec

__all__ = ["DOWNLOADS", "DRAWING", "Download", "chart_file", "download", "drawing", "svg_inline"]

#: One drawing at a time (matplotlib's style context changes global settings while it draws).
DRAWING = threading.Lock()


@contextmanager
def drawing() -> Iterator[None]:
    """Hold :data:`DRAWING` while matplotlib draws, and free the drawing's garbage when it ends.

    A figure is a web of reference cycles (about 6,000 objects for a chart) that only the
    cyclic garbage collector frees. Left to it, the figures of about ten edits reached
    the oldest generation and were freed together, in one pause of 110 to 170 ms
    (measured with ``gc.callbacks``): the edit page's 95th percentile. With automatic
    collection off while drawing, a figure's objects stay in the youngest generation,
    and collecting that generation afterwards frees them in a few milliseconds without
    going through the rest of the heap. (Automatic collection stays off if it was off.)
    The edit page's charts are now drawn on one kept figure (:func:`chart_file`), which
    leaves little garbage; the report still makes new figures.
    """
    with DRAWING, collector_paused(collect_young=True):
        yield


class Download(NamedTuple):
    """Bytes to send, their media type and the file name offered to the browser."""

    data: bytes
    media_type: str
    filename: str


#: The downloads by the last part of their address (``/cases/NAME/<part>``), with their media types.
DOWNLOADS = {
    "assessment.json": "application/json; charset=utf-8",
    "deadlines.ics": "text/calendar; charset=utf-8",
    "report.pdf": "application/pdf",
    "chart.svg": "image/svg+xml",
    "chart.png": "image/png",
    "chart.pdf": "application/pdf",
}


def _stem(name: str) -> str:
    return name.rsplit(".", 1)[0]


def download(part: str, case: Case, a: Assessment, source: Path, lang: str) -> Download:
    """The download ``part`` (a key of :data:`DOWNLOADS`) of ``case`` and its assessment ``a``."""
    media = DOWNLOADS[part]
    stem = _stem(source.name)
    if part == "assessment.json":
        data = json.dumps(a.to_dict(lang), indent=2, ensure_ascii=False).encode("utf-8")
    elif part == "deadlines.ics":
        from ..ics import actions_ics

        data = actions_ics(a.actions, case_id=a.id, as_of=a.as_of, lang=lang)
    elif part == "report.pdf":
        data = _report(case, a, source, lang)
    else:
        data = _chart(case, a, lang, part.rsplit(".", 1)[1])
    return Download(data, media, f"{stem}-{part.replace('.', f'-{lang}.', 1)}")


def _report(case: Case, a: Assessment, source: Path, lang: str) -> bytes:
    from ..report import write_report

    with drawing(), tempfile.TemporaryDirectory(prefix="timeline-web-") as tmp:
        out = Path(tmp) / "report.pdf"
        write_report(a, case, out, lang=lang, source_bytes=source.read_bytes())
        return out.read_bytes()


def _chart(case: Case, a: Assessment, lang: str, ext: str) -> bytes:
    from ..chart import chart_spec

    return chart_file(chart_spec(a, case, lang=lang), ext)


def chart_file(spec: ChartSpec, ext: str) -> bytes:
    """The chart ``spec`` as the file ``timeline chart`` writes (``ext``: ``svg``, ``png`` or ``pdf``).

    Drawn on the same figure each time (:func:`timeline.chart.render` with its ``figure``:
    the same bytes as on a new one, in less than half the time), held in :data:`_FIGURE`
    and used under :data:`DRAWING` only.
    """
    from ..chart import render, save

    with drawing(), tempfile.TemporaryDirectory(prefix="timeline-web-") as tmp:
        fig = _FIGURE["chart"] = render(spec, _FIGURE.get("chart"))
        out = Path(tmp) / f"chart.{ext}"
        save(fig, out)
        return out.read_bytes()


#: The figure :func:`chart_file` draws on (made by the first chart).
_FIGURE: dict[str, Figure] = {}


def svg_inline(svg: bytes) -> str:
    """An SVG file as an element to put in an HTML page: from ``<svg`` on (no XML
    declaration, no DOCTYPE), with its text already escaped by matplotlib's SVG writer."""
    text = svg.decode("utf-8")
    start = text.find("<svg")
    if start < 0:
        raise ValueError("not an SVG document")
    return text[start:]
