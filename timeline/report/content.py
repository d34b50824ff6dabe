"""The report's texts, before layout: :func:`report_content` (testable as data).

Page 2's key dates (residence gaps, the reporting deadline, the earliest date per route,
deadlines still ahead), each date's explanation with its legal basis, the options in force,
the points to check, and the footer naming the tool version, the rules version and the
SHA-256 of the input file.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from ..assessment import Assessment, Clock
from ..chart import ChartError, non_default_options
from ..citations import RULES_VERSION
from ..i18n import LANGS, count, end_convention, format_date, label, phrase, route_label
from ..model import Case
from ..presentation import assessment_dict, used_for_text

__all__ = ["PAGES", "ReportContent", "report_content", "report_lines", "report_text"]

PAGES = 2


def report_text(key: str, lang: str, **params: Any) -> str:
    """The report text ``key`` in ``lang`` (catalogue context ``report``), its placeholders filled."""
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
    """The key-dates row of a clock: its earliest date and since when it runs, or why it does not."""
    if c.eligible_from is None:
        return name, "-", report_text("not-running", lang, reason=label(c.reason, lang) if c.reason else "-")
    return (
        name,
        format_date(c.eligible_from, lang, weekday=True),
        report_text("clock-since", lang, d=format_date(c.clock_start, lang)),
    )


def report_content(
    assessment: Assessment, case: Case, *, lang: str = "en", source_bytes: bytes | None = None
) -> ReportContent:
    """The texts of the report for ``assessment`` (see :class:`ReportContent`)."""
    from .. import __version__

    if lang not in LANGS:
        raise ChartError(f"language must be one of {', '.join(LANGS)}, not {lang!r}")
    a = assessment
    data = assessment_dict(a, lang)
    sha = hashlib.sha256(source_bytes).hexdigest() if source_bytes is not None else None
    footer = report_text(
        "footer", lang, v=__version__, r=RULES_VERSION, sha=sha or report_text("no-sha", lang), p="{p}", n=PAGES
    )
    return ReportContent(
        title=report_text("title", lang, id=case.id),
        subtitle=report_text("subtitle", lang, d=format_date(a.as_of, lang), v=__version__),
        description=case.description.strip(),
        key_dates=tuple(_key_dates(a, lang)),
        explanations=tuple(_explanations(data, lang)),
        options=tuple(_options(a, data, lang)),
        warnings=tuple(w["text"] for w in data["warnings"]),
        convention=end_convention(lang),
        sha256=sha,
        footer=footer,
    )


def _key_dates(a: Assessment, lang: str) -> list[tuple[str, str, str]]:
    """The key-dates table: (what, date, status) rows, in the order of the assessment's text."""
    rows = _gap_rows(a, lang)
    n = a.notification
    if n is not None:
        duties = "; ".join(f"{label(d.party, lang)}: {label(d.status, lang)}" for d in n.duties)
        status = label(n.status, lang)
        if n.days_late:
            status += f" ({count(n.days_late, 'day', lang)})"
        rows.append(
            (report_text("report-deadline", lang), format_date(n.deadline, lang, weekday=True), f"{status} ({duties})")
        )
    rows.append(_clock_row(report_text("pr", lang), a.permanent_residence, lang))
    rows.append(_clock_row(report_text("eu", lang), a.eu_long_term, lang))
    for route in a.naturalisation.routes:
        if route.applicable:
            name = report_text("nat", lang, route=route_label(route.route, lang))
            rows.append(_clock_row(name, route.clock, lang))
    ir = a.independent_residence
    if ir is not None:
        status = label(ir.status, lang) + (f" ({label(ir.reason, lang)})" if ir.reason else "")
        rows.append((report_text("independent", lang), format_date(ir.eligible_from, lang), status))
    for o in a.objections:
        what = report_text("withdrawal", lang) if o.decision == "withdrawal" else report_text("refusal", lang)
        rows.append(
            (
                report_text("objection", lang, what=what, d=format_date(o.decided, lang)),
                format_date(o.deadline, lang, weekday=True),
                label(o.status, lang),
            )
        )
    for p in a.decision_periods:
        kind = label(p.kind, lang)
        status = report_text("overdue" if p.overdue else "due-ahead", lang, d=format_date(p.due_extended, lang))
        rows.append(
            (
                report_text("decision-period", lang, kind=kind, d=format_date(p.received, lang)),
                format_date(p.due, lang),
                status,
            )
        )
    return rows


def _gap_rows(a: Assessment, lang: str) -> list[tuple[str, str, str]]:
    """A row per residence gap (DC-6) with its first and last day, or one row saying there is none."""
    rows: list[tuple[str, str, str]] = []
    for g in a.gaps:
        if g.end is not None:
            when = report_text(
                "gap-dates",
                lang,
                start=format_date(g.start, lang),
                end=format_date(g.end, lang),
                last=format_date(g.end - timedelta(days=1), lang),
            )
        else:
            when = report_text("gap-open", lang, start=format_date(g.start, lang))
        rows.append(
            (report_text("gap", lang, cause=label(g.cause, lang)), when, report_text("gap-days", lang, n=g.days))
        )
    if not a.gaps:
        rows.append((report_text("no-gaps", lang), "-", report_text("none", lang)))
    return rows


def _explanations(data: dict[str, Any], lang: str) -> list[tuple[str, str]]:
    """(rule, title and basis; text) per explanation of the JSON form, each reason once."""
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
    return explanations


def _options(a: Assessment, data: dict[str, Any], lang: str) -> list[str]:
    """The options the results rest on and those changed, each marked changed or default, then the rest's note."""
    changed = non_default_options(a.options)
    used: dict[str, str] = {}
    for e in data["explanations"]:
        used.update(e["options"])
    used.update(changed)
    options = [
        f"{k} = {v} ({report_text('changed', lang) if k in changed else report_text('default', lang)})"
        for k, v in sorted(used.items())
    ]
    options.append(report_text("options-rest", lang))
    return options


def report_lines(
    assessment: Assessment, case: Case, *, lang: str = "en", source_bytes: bytes | None = None
) -> list[str]:
    """Every text line of the report, in reading order (unwrapped), for tests and search."""
    c = report_content(assessment, case, lang=lang, source_bytes=source_bytes)
    lines = [c.title, c.subtitle]
    if c.description:
        lines.append(c.description)
    lines.append(report_text("key-dates", lang))
    lines += [" | ".join(row) for row in c.key_dates]
    lines.append(report_text("options", lang))
    lines += list(c.options)
    if c.warnings:
        lines.append(report_text("warnings", lang))
        lines += list(c.warnings)
    lines.append(report_text("explanations", lang))
    lines += [f"{head}: {text}" for head, text in c.explanations]
    lines.append(c.convention)
    lines += [c.footer.format(p=p) for p in range(1, PAGES + 1)]
    return lines
