"""The report's texts, before layout: :func:`report_content` (testable as data).

Page 1 answers the three questions a client comes with: now (the status on ``as_of``),
what to do by when (every action still ahead, soonest first, with its date, the days
left, who and what, and its legal basis), and when to apply for what; then the key dates
and the chart. After it: the description of the case, the explanations by topic (plain
words first, then the legal basis with its public URL), the assumptions (the options in
force, in plain words), the points to check, and on every page the footer naming the tool
version, the rules version and the SHA-256 of the input file.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from ..assessment import Assessment
from ..chart import ChartError
from ..citations import RULES_VERSION
from ..i18n import LANGS, count, end_convention, format_date, label, phrase, text
from ..model import Case
from ..now_next import now_and_next_dict
from .explain import Topic, assumptions, namer, topics

__all__ = ["ReportContent", "Row", "report_content", "report_lines", "report_text"]


def report_text(key: str, lang: str, **params: Any) -> str:
    """The report text ``key`` in ``lang`` (catalogue context ``report``), its placeholders filled."""
    return phrase("report", key, lang, **params)


@dataclass(frozen=True)
class Row:
    """A row of a table: its cells, and the public URL of its legal basis (last cell), if any."""

    cells: tuple[str, ...]
    url: str | None = None


@dataclass(frozen=True)
class ReportContent:
    """The texts of a report, before layout, in reading order.

    ``headings`` maps each section's key to its heading (one heading per section, none
    repeated); ``ahead`` rows are (date, days left, who, what, rule); ``key_dates`` rows
    (what, date, status); ``footer`` has ``{p}`` and ``{n}`` placeholders for the page.
    """

    lang: str
    title: str
    subtitle: str
    subject: str
    headings: dict[str, str]
    now: str
    ahead_columns: tuple[str, ...]
    ahead: tuple[Row, ...]
    when: tuple[str, ...]
    key_columns: tuple[str, ...]
    key_dates: tuple[Row, ...]
    description: str
    topics: tuple[Topic, ...]
    assumptions: tuple[str, ...]
    warnings: tuple[str, ...]
    convention: str
    sha256: str | None
    footer: str

    def sections(self) -> list[tuple[str, str, tuple[str, ...]]]:
        """(key, heading, lines) per section, in reading order: the same keys and the same
        number of lines in every language (the report says the same things)."""
        out = [
            ("now", self.headings["now"], (self.now,)),
            (
                "ahead",
                self.headings["ahead"],
                tuple(" | ".join(r.cells) for r in self.ahead) or (self.headings["none"],),
            ),
            ("when", self.headings["when"], self.when),
            ("key-dates", self.headings["key-dates"], tuple(" | ".join(r.cells) for r in self.key_dates)),
        ]
        if self.description:
            out.append(("case", self.headings["case"], (self.description,)))
        out.append(("why", self.headings["why"], ()))
        for t in self.topics:
            lines = tuple(line for item in t.items for line in (*item.texts, _basis_line(item, self.lang)))
            out.append((f"topic-{t.key}", t.heading, lines))
        out.append(("assumptions", self.headings["assumptions"], self.assumptions))
        if self.warnings:
            out.append(("warnings", self.headings["warnings"], self.warnings))
        return out


def _basis_line(item: Any, lang: str) -> str:
    """ "Legal basis: Vw 19 ... (R3.1, title)" as one line of text."""
    return (
        report_text("basis", lang)
        + " "
        + item.basis
        + " "
        + report_text("basis-rule", lang, rule=item.rule, title=item.title)
    )


def report_content(
    assessment: Assessment, case: Case, *, lang: str = "en", source_bytes: bytes | None = None
) -> ReportContent:
    """The texts of the report for ``assessment`` (see :class:`ReportContent`)."""
    from .. import __version__

    if lang not in LANGS:
        raise ChartError(f"language must be one of {', '.join(LANGS)}, not {lang!r}")
    a = assessment
    nn = now_and_next_dict(a.now_and_next, lang)
    records = [nn["status"], *nn["ahead"]]
    named = namer(case, lang, {x["record"]: x["name"] for x in records if x.get("record") and x.get("name")})
    sha = hashlib.sha256(source_bytes).hexdigest() if source_bytes is not None else None
    footer = report_text(
        "footer", lang, v=__version__, r=RULES_VERSION, sha=sha or report_text("no-sha", lang), p="{p}", n="{n}"
    )
    headings = {
        k: report_text(f"heading-{k}", lang)
        for k in (
            "now",
            "ahead",
            "when",
            "key-dates",
            "case",
            "why",
            "assumptions",
            "warnings",
            "none",
            "chart",
            "close-up",
        )
    }
    return ReportContent(
        lang=lang,
        title=report_text("title", lang, id=case.id),
        subtitle=report_text("subtitle", lang, d=format_date(a.as_of, lang), v=__version__),
        subject=report_text("subject", lang, id=case.id, d=format_date(a.as_of, lang)),
        headings=headings,
        now=named(nn["status"]["text"]),
        ahead_columns=tuple(report_text(f"col-{k}", lang) for k in ("date", "left", "who", "what", "basis")),
        ahead=tuple(_ahead_row(x, lang, named) for x in nn["ahead"]),
        when=tuple(_when_line(a, e, lang, named) for e in nn["eligibility"]),
        key_columns=tuple(report_text(f"col-{k}", lang) for k in ("what", "date", "status")),
        key_dates=tuple(Row(r) for r in _key_dates(a, lang)),
        description=case.description.strip(),
        topics=topics(a, named, lang),
        assumptions=assumptions(a, lang),
        warnings=tuple(named(text(f"warn-{w.key}", w.params, lang)) for w in a.warnings),
        convention=end_convention(lang),
        sha256=sha,
        footer=footer,
    )


def _when_line(a: Assessment, e: dict[str, Any], lang: str, named: Any) -> str:
    """When to apply for a route (now and next's sentence) and since when its years run."""
    clocks = {"permanent-residence": a.permanent_residence, "eu-long-term": a.eu_long_term}
    nat = next((r.clock for r in a.naturalisation.routes if r.route == e["detail"]), None)
    clock = nat if e["route"] == "naturalisation" else clocks.get(e["route"])
    line = named(e["text"])
    if clock is not None and clock.clock_start is not None and clock.eligible_from is not None:
        line += " " + report_text("clock-since", lang, d=format_date(clock.clock_start, lang))
    return line


def _ahead_row(x: dict[str, Any], lang: str, named: Any) -> Row:
    """A row of "what to do by when": the date with its weekday, the days left, who, what, the rule."""
    from datetime import date

    when = date.fromisoformat(x["date"])
    left = phrase("now", "today", lang) if x["days_left"] == 0 else count(x["days_left"], "day", lang)
    what = named(x["what"])
    return Row((format_date(when, lang), left, label(x["who"], lang), what, x["rule"]), x["url"])


def _key_dates(a: Assessment, lang: str) -> list[tuple[str, str, str]]:
    """The key dates: gaps, the reporting deadline, objection deadlines and decision periods
    (when to apply, and since when the years run, is under "when")."""
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
        status = report_text("overdue" if p.overdue else "due-ahead", lang, d=format_date(p.due_extended, lang))
        what = report_text("decision-period", lang, kind=label(p.kind, lang), d=format_date(p.received, lang))
        rows.append((what, format_date(p.due, lang), status))
    return rows


def _gap_rows(a: Assessment, lang: str) -> list[tuple[str, str, str]]:
    """A row per residence gap (DC-6) with its first and last day, or one row saying there is none;
    a gap that follows from a withdrawal the IND has not decided is marked as expected (R3.1)."""
    rows: list[tuple[str, str, str]] = []
    status = a.now_and_next.status
    expected = status if status.state == "gap" and status.expected else None
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
        status = report_text("gap-days", lang, n=g.days)
        if g.end is None and expected is not None and expected.since == g.start:
            status += "; " + report_text("gap-expected", lang, d=format_date(g.start, lang))
        rows.append((report_text("gap", lang, cause=label(g.cause, lang)), when, status))
    if not a.gaps:
        rows.append((report_text("no-gaps", lang), "-", report_text("none", lang)))
    return rows


def report_lines(
    assessment: Assessment, case: Case, *, lang: str = "en", source_bytes: bytes | None = None, pages: int = 0
) -> list[str]:
    """Every text line of the report, in reading order (unwrapped), for tests and search;
    the footer once (``pages``: once per page, numbered)."""
    c = report_content(assessment, case, lang=lang, source_bytes=source_bytes)
    lines = [c.title, c.subtitle]
    for _, heading, body in c.sections():
        lines.append(heading)
        lines += list(body)
    lines.append(c.convention)
    lines += [c.footer.format(p=p, n=pages) for p in range(1, pages + 1)] or [c.footer.format(p=1, n=1)]
    return lines
