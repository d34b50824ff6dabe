"""The client report: a two-page A4 PDF built with matplotlib only (no browser, no network).

Page 1 is the chart (:mod:`timeline.chart`). Page 2 has the key dates (residence gaps,
the reporting deadline, the earliest date per route, deadlines still ahead), each date
explained in plain language with its legal basis, the options in force and any points to
check. Every page's footer names the tool version, the rules version and the SHA-256 of
the input file, so a lawyer can show which input produced the report.

:func:`report_content` builds the texts (testable as data); :func:`write_report` lays
them out and writes the PDF deterministically (no timestamps).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from .assessment import Assessment, Clock
from .chart import (
    A4_LANDSCAPE,
    ChartError,
    chart_spec,
    check_output,
    non_default_options,
    render,
    style_context,
)
from .citations import RULES_VERSION
from .i18n import LANGS, count, end_convention, format_date, label, phrase, route_label
from .model import Case
from .outputs import replacing
from .presentation import assessment_dict, used_for_text
from .usertext import drawable

__all__ = ["ReportContent", "fit_page", "report_content", "report_lines", "write_report"]

PAGES = 2
BODY_PT = 7.5
MIN_BODY_PT = 6.0
HEAD_PT = 9.5
TITLE_PT = 13.0
FOOTER_PT = 6.5
MARGIN_IN = 0.55
#: The lowest point of page 2's body, in inches from the top: above the footer.
PAGE_BOTTOM_IN = A4_LANDSCAPE[1] - MARGIN_IN - 0.45
ELLIPSIS = "…"


def _r(key: str, lang: str, **params: Any) -> str:
    return phrase("report", key, lang, **params)


@dataclass(frozen=True)
class ReportContent:
    """The texts of a report, before layout.

    ``key_dates`` rows are (what, date, status); ``explanations`` are (rule and basis,
    text) pairs; ``footer`` has a ``{p}`` placeholder for the page number.
    """

    title: str
    subtitle: str
    description: str
    key_dates: tuple[tuple[str, str, str], ...]
    explanations: tuple[tuple[str, str], ...]
    options: tuple[str, ...]
    warnings: tuple[str, ...]
    convention: str
    sha256: str | None
    footer: str


def _clock_row(name: str, c: Clock, lang: str) -> tuple[str, str, str]:
    if c.eligible_from is None:
        return name, "-", _r("not-running", lang, reason=label(c.reason, lang) if c.reason else "-")
    return (
        name,
        format_date(c.eligible_from, lang, weekday=True),
        _r("clock-since", lang, d=format_date(c.clock_start, lang)),
    )


def report_content(
    assessment: Assessment, case: Case, *, lang: str = "en", source_bytes: bytes | None = None
) -> ReportContent:
    """The texts of the report for ``assessment`` (see :class:`ReportContent`)."""
    from . import __version__

    if lang not in LANGS:
        raise ChartError(f"language must be one of {', '.join(LANGS)}, not {lang!r}")
    a = assessment
    rows: list[tuple[str, str, str]] = []
    for g in a.gaps:
        if g.end is not None:
            when = _r(
                "gap-dates",
                lang,
                start=format_date(g.start, lang),
                end=format_date(g.end, lang),
                last=format_date(g.end - timedelta(days=1), lang),
            )
        else:
            when = _r("gap-open", lang, start=format_date(g.start, lang))
        rows.append((_r("gap", lang, cause=label(g.cause, lang)), when, _r("gap-days", lang, n=g.days)))
    if not a.gaps:
        rows.append((_r("no-gaps", lang), "-", _r("none", lang)))
    n = a.notification
    if n is not None:
        duties = "; ".join(f"{label(d.party, lang)}: {label(d.status, lang)}" for d in n.duties)
        status = label(n.status, lang)
        if n.days_late:
            status += f" ({count(n.days_late, 'day', lang)})"
        rows.append((_r("report-deadline", lang), format_date(n.deadline, lang, weekday=True), f"{status} ({duties})"))
    rows.append(_clock_row(_r("pr", lang), a.permanent_residence, lang))
    rows.append(_clock_row(_r("eu", lang), a.eu_long_term, lang))
    for route in a.naturalisation.routes:
        if route.applicable:
            name = _r("nat", lang, route=route_label(route.route, lang))
            rows.append(_clock_row(name, route.clock, lang))
    ir = a.independent_residence
    if ir is not None:
        status = label(ir.status, lang) + (f" ({label(ir.reason, lang)})" if ir.reason else "")
        rows.append((_r("independent", lang), format_date(ir.eligible_from, lang), status))
    for o in a.objections:
        what = _r("withdrawal", lang) if o.decision == "withdrawal" else _r("refusal", lang)
        rows.append(
            (
                _r("objection", lang, what=what, d=format_date(o.decided, lang)),
                format_date(o.deadline, lang, weekday=True),
                label(o.status, lang),
            )
        )
    for p in a.decision_periods:
        kind = label(p.kind, lang)
        status = _r("overdue" if p.overdue else "due-ahead", lang, d=format_date(p.due_extended, lang))
        rows.append(
            (_r("decision-period", lang, kind=kind, d=format_date(p.received, lang)), format_date(p.due, lang), status)
        )

    data = assessment_dict(a, lang)
    explanations = []
    seen: set[tuple[str, str]] = set()
    for e in data["explanations"]:
        if (e["rule"], e["text"]) in seen:
            continue  # the same reason for several results: once, with what rests on it
        seen.add((e["rule"], e["text"]))
        head = e["rule"] + (f" {e['title']}" if e.get("title") else "") + (f" ({e['basis']})" if e.get("basis") else "")
        text = e["text"] + used_for_text(tuple(e["used_for"]), lang)
        if e["options"]:
            text += " [" + ", ".join(f"{k}={v}" for k, v in e["options"].items()) + "]"
        explanations.append((head, text))

    changed = non_default_options(a.options)
    used: dict[str, str] = {}
    for e in data["explanations"]:
        used.update(e["options"])
    used.update(changed)
    options = [
        f"{k} = {v} ({_r('changed', lang) if k in changed else _r('default', lang)})" for k, v in sorted(used.items())
    ]
    options.append(_r("options-rest", lang))
    warnings = tuple(w["text"] for w in data["warnings"])
    sha = hashlib.sha256(source_bytes).hexdigest() if source_bytes is not None else None
    footer = _r("footer", lang, v=__version__, r=RULES_VERSION, sha=sha or _r("no-sha", lang), p="{p}", n=PAGES)
    return ReportContent(
        title=_r("title", lang, id=case.id),
        subtitle=_r("subtitle", lang, d=format_date(a.as_of, lang), v=__version__),
        description=case.description.strip(),
        key_dates=tuple(rows),
        explanations=tuple(explanations),
        options=tuple(options),
        warnings=warnings,
        convention=end_convention(lang),
        sha256=sha,
        footer=footer,
    )


def report_lines(
    assessment: Assessment, case: Case, *, lang: str = "en", source_bytes: bytes | None = None
) -> list[str]:
    """Every text line of the report, in reading order (unwrapped), for tests and search."""
    c = report_content(assessment, case, lang=lang, source_bytes=source_bytes)
    lines = [c.title, c.subtitle]
    if c.description:
        lines.append(c.description)
    lines.append(_r("key-dates", lang))
    lines += [" | ".join(row) for row in c.key_dates]
    lines.append(_r("options", lang))
    lines += list(c.options)
    if c.warnings:
        lines.append(_r("warnings", lang))
        lines += list(c.warnings)
    lines.append(_r("explanations", lang))
    lines += [f"{head}: {text}" for head, text in c.explanations]
    lines.append(c.convention)
    lines += [c.footer.format(p=p) for p in range(1, PAGES + 1)]
    return lines


# ---------------------------------------------------------------------------------------
# Layout of the text page


def _wrap(text: str, width_pt: float, size: float, measure: Callable[..., float], bold: bool = False) -> list[str]:
    """Greedy word wrap by measured width; words longer than a line are split.

    Each paragraph (``\\n``) starts a line. A line takes words while it fits in
    ``width_pt``; a word wider than a line (a hash, a URL) is cut into the longest pieces
    that fit, at least one character each.

    With a measurer from :func:`timeline.chart.measurer` (it has ``advance``), each
    character is measured once: a line's width grows by the word added, and a long word's
    piece is read off the widths of its prefixes. Any other ``measure(text, size, bold)``
    is called per trial line, with a binary search for the pieces of a long word.
    """
    advance = getattr(measure, "advance", None)
    if advance is None:
        return _wrap_measured(text, width_pt, size, measure, bold)
    scale = measure.scale  # type: ignore[attr-defined]
    out: list[str] = []
    for para in text.split("\n"):
        current, total, prev = "", 0.0, None
        for word in para.split():
            w_total, w_prev = advance(0.0, None, word, bold)
            while w_total * size / scale > width_pt:  # e.g. a hash or a URL
                cut, t, p = 1, 0.0, None
                for k, ch in enumerate(word, 1):  # the longest prefix that fits, at least 1 character
                    t, p = advance(t, p, ch, bold)
                    if k < len(word) and t * size / scale <= width_pt:
                        cut = k
                if current:
                    out.append(current)
                    current = ""
                out.append(word[:cut])
                word = word[cut:]
                w_total, w_prev = advance(0.0, None, word, bold)
            if current:
                t, p = advance(total, prev, " " + word, bold)
                if t * size / scale > width_pt:
                    out.append(current)
                    current, total, prev = word, w_total, w_prev
                else:
                    current, total, prev = f"{current} {word}", t, p
            else:
                current, total, prev = word, w_total, w_prev
        out.append(current)
    return out


def _wrap_measured(text: str, width_pt: float, size: float, measure: Callable[..., float], bold: bool) -> list[str]:
    """:func:`_wrap` for a ``measure`` without ``advance``: each trial line is measured whole."""
    out: list[str] = []
    for para in text.split("\n"):
        current = ""
        for word in para.split():
            while measure(word, size, bold) > width_pt:

                def fits(n: int, w: str = word) -> bool:  # a def: mypy cannot type a lambda with a default
                    return measure(w[:n], size, bold) <= width_pt

                cut = max(1, _longest(len(word) - 1, fits))
                if current:
                    out.append(current)
                    current = ""
                out.append(word[:cut])
                word = word[cut:]
            trial = f"{current} {word}" if current else word
            if current and measure(trial, size, bold) > width_pt:
                out.append(current)
                current = word
            else:
                current = trial
        out.append(current)
    return out


@dataclass
class _Text:
    x: float  # inches from the left
    y: float  # inches from the top (baseline-ish: top of the line)
    text: str
    size: float
    bold: bool = False
    colour: str = "#000000"


@dataclass
class _Rule:
    x0: float
    x1: float
    y: float


def _layout_page(c: ReportContent, lang: str, size: float, max_expl: int, measure: Callable[..., float]):
    """Texts and rules of page 2 at body font ``size``; the height used per column."""
    w = A4_LANDSCAPE[0]
    texts: list[_Text] = []
    rules: list[_Rule] = []
    lh = size * 1.32 / 72  # line height in inches
    top = MARGIN_IN
    texts.append(_Text(MARGIN_IN, top, c.title, TITLE_PT, True))
    y = top + TITLE_PT * 1.5 / 72
    for line in _wrap(c.subtitle, (w - 2 * MARGIN_IN) * 72, size, measure):
        texts.append(_Text(MARGIN_IN, y, line, size, colour="#333333"))
        y += lh
    if c.description:
        for line in _wrap(c.description, (w - 2 * MARGIN_IN) * 72, size, measure):
            texts.append(_Text(MARGIN_IN, y, line, size, colour="#333333"))
            y += lh
    y += lh * 0.6
    body_top = y
    gutter = 0.35
    col_w = (w - 2 * MARGIN_IN - gutter) / 2
    left_x, right_x = MARGIN_IN, MARGIN_IN + col_w + gutter

    # Left column: key dates table, options, warnings.
    y = body_top
    texts.append(_Text(left_x, y, _r("key-dates", lang), HEAD_PT, True))
    y += HEAD_PT * 1.45 / 72
    widths = (0.38 * col_w, 0.29 * col_w, 0.33 * col_w)
    xs = (left_x, left_x + widths[0], left_x + widths[0] + widths[1])
    header = (_r("col-what", lang), _r("col-date", lang), _r("col-status", lang))
    for k, cell in enumerate(header):
        texts.append(_Text(xs[k], y, cell, size, True))
    y += lh
    rules.append(_Rule(left_x, left_x + col_w, y - lh * 0.15))
    for row in c.key_dates:
        cells = [_wrap(cell, (widths[k] - 0.08) * 72, size, measure) for k, cell in enumerate(row)]
        y += lh * 0.2
        for k, lines in enumerate(cells):
            for i, line in enumerate(lines):
                texts.append(_Text(xs[k], y + i * lh, line, size))
        y += max(len(lines) for lines in cells) * lh
        rules.append(_Rule(left_x, left_x + col_w, y + lh * 0.05))
    y += lh
    texts.append(_Text(left_x, y, _r("options", lang), HEAD_PT, True))
    y += HEAD_PT * 1.45 / 72
    for opt in c.options:
        for i, line in enumerate(_wrap(opt, (col_w - 0.15) * 72, size, measure)):
            texts.append(_Text(left_x + (0.15 if i else 0), y, line, size))
            y += lh
    if c.warnings:
        y += lh * 0.6
        texts.append(_Text(left_x, y, _r("warnings", lang), HEAD_PT, True))
        y += HEAD_PT * 1.45 / 72
        for warning in c.warnings:
            for i, line in enumerate(_wrap(warning, (col_w - 0.15) * 72, size, measure)):
                texts.append(_Text(left_x + 0.15 * bool(i), y, ("- " if i == 0 else "") + line, size))
                y += lh
    left_bottom = y

    # Right column: explanations with their legal basis, then the end-date convention.
    y = body_top
    texts.append(_Text(right_x, y, _r("explanations", lang), HEAD_PT, True))
    y += HEAD_PT * 1.45 / 72
    shown = c.explanations[:max_expl]
    for head, text in shown:
        for line in _wrap(head, col_w * 72, size, measure, bold=True):
            texts.append(_Text(right_x, y, line, size, True))
            y += lh
        for line in _wrap(text, (col_w - 0.15) * 72, size, measure):
            texts.append(_Text(right_x + 0.15, y, line, size))
            y += lh
        y += lh * 0.35
    if len(shown) < len(c.explanations):
        texts.append(_Text(right_x, y, _r("more", lang, n=len(c.explanations) - len(shown)), size, colour="#444444"))
        y += lh
    y += lh * 0.3
    for line in _wrap(c.convention, col_w * 72, size, measure):
        texts.append(_Text(right_x, y, line, size, colour="#444444"))
        y += lh
    right_bottom = y
    return texts, rules, (left_bottom, right_bottom)


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


def _longest(n_max: int, fits: Callable[[int], bool]) -> int:
    """The largest ``n`` in ``0..n_max`` with ``fits(n)`` (0 when none); ``fits`` holds up to some ``n``."""
    lo, hi = 0, n_max
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if fits(mid):
            lo = mid
        else:
            hi = mid - 1
    return lo


def _first(items: tuple[Any, ...], n: int, more: Any) -> tuple[Any, ...]:
    """The first ``n`` of ``items``, then ``more`` in place of the rest."""
    return items if n >= len(items) else (*items[:n], more)


def fit_page(
    c: ReportContent, lang: str, measure: Callable[..., float], limit: float = PAGE_BOTTOM_IN
) -> tuple[list[_Text], list[_Rule], float, ReportContent]:
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
        return _layout_page(content, lang, size, n_expl if n < 0 else n, measure)

    texts, rules, (left, right) = lay(c)
    while max(left, right) > limit and size > MIN_BODY_PT:
        size = max(MIN_BODY_PT, size - 0.5)
        texts, rules, (left, right) = lay(c)
    if right > limit:
        n_expl = _longest(n_expl, lambda n: lay(c, n)[2][1] <= limit)
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
        n = _longest(n_max, lambda k: fits(shorten(current, k)))  # noqa: B023 (used at once)
        c = shorten(c, n)
        texts, rules, (left, right) = lay(c)
    return texts, rules, max(left, right), c


def _footer(fig: Any, c: ReportContent, page: int, measure: Callable[..., float]) -> None:
    w, h = fig.get_size_inches()
    lines = _wrap(c.footer.format(p=page), (w - 2 * MARGIN_IN) * 72, FOOTER_PT, measure)
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
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    from .chart import measurer

    out = Path(path)
    check_output(out, (".pdf",), what="a report")
    case = case._replace(id=drawable(case.id), description=drawable(case.description))
    content = report_content(assessment, case, lang=lang, source_bytes=source_bytes)
    sha = content.sha256
    note = _r("page-note", lang, sha=sha or _r("no-sha", lang), p=1, n=PAGES)
    spec = chart_spec(assessment, case, lang=lang, size=A4_LANDSCAPE, footer_note=note)
    measure = measurer()
    w, h = A4_LANDSCAPE
    texts, rules, _, _ = fit_page(content, lang, measure)

    with style_context():
        chart_fig = render(spec)
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
        try:
            buffer = io.BytesIO()  # drawn in memory: matplotlib's PDF writer fails untidily on a write error
            with PdfPages(buffer, metadata={"CreationDate": None, "ModDate": None}) as pdf:
                pdf.savefig(chart_fig)
                pdf.savefig(page)
            with replacing(out) as tmp:
                Path(tmp).write_bytes(buffer.getvalue())
        except OSError as err:
            raise ChartError(f"{out}: cannot write the file: {err.strerror or err}") from None
    return out


def _line(r: _Rule, w: float, h: float) -> Any:
    from matplotlib.lines import Line2D

    return Line2D([r.x0 / w, r.x1 / w], [1 - r.y / h, 1 - r.y / h], lw=0.4, color="#AAAAAA")
