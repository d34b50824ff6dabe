"""The chart's texts: catalogue look-ups, short dates, the footer.

Every word a chart shows comes from the ``chart`` context of the catalogues
(:func:`timeline.i18n.phrase`), in English or Dutch, month names included (no machine
locale).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ..assessment import Assessment
from ..citations import RULES_VERSION
from ..dates import ymd_between
from ..i18n import count, end_convention, label, lookup, month_name, phrase

__all__ = [
    "COUNT_DAYS_UP_TO",
    "chart_text",
    "date_range",
    "footer_text",
    "non_default_options",
    "purpose_text",
    "separated_key",
    "short_date",
    "short_span",
    "time_left",
]

#: A time left up to this many days is written in days ("in 12 days"), longer ones in years
#: and months ("in 4 y 10 m").
COUNT_DAYS_UP_TO = 92


def chart_text(key: str, lang: str, **params: Any) -> str:
    """The chart text ``key`` in ``lang``, its placeholders filled from ``params``."""
    return phrase("chart", key, lang, **params)


def short_date(d: date, lang: str = "en") -> str:
    """``1 Jul 2025`` / ``1 jul 2025`` (no machine locale)."""
    return f"{d.day} {month_name(d.month, lang, short=True)} {d.year}"


def non_default_options(options: dict[str, str]) -> dict[str, str]:
    """The options in ``options`` that differ from their default (OQ-*)."""
    from ..options import OPTIONS

    return {k: v for k, v in options.items() if k in OPTIONS and v != OPTIONS[k].default}


def footer_text(a: Assessment, lang: str) -> str:
    """Tool version, rules version, the readings of the law in force and the end-date convention.

    The readings (options) in plain words, as the report states its assumptions: "the
    tool's default readings", or the sentence of each reading chosen for this case; never
    an option's identifier.
    """
    from .. import __version__

    changed = non_default_options(a.options)
    opts = (
        " ".join(lookup("assumption", f"{k}={v}", lang) for k, v in changed.items())
        if changed
        else chart_text("defaults", lang)
    )
    return chart_text(
        "footer", lang, version=__version__, rules=RULES_VERSION, options=opts, convention=end_convention(lang)
    )


def purpose_text(purpose: str | None, lang: str) -> str:
    """The name of a permit's purpose (``-`` for none)."""
    return label(purpose, lang) if purpose else "-"


def separated_key(relationship_kind: str | None) -> str:
    """The label of "separated, still married / still registered" (bar and legend)."""
    return "separated-married" if relationship_kind == "marriage" else "separated-partnership"


def date_range(start: date, end: date, lang: str = "en") -> str:
    """ "1 Feb–3 Sep 2017", "20 Dec 2022–8 Jan 2023" (the year once when both share it)."""
    if start.year == end.year:
        return f"{start.day} {month_name(start.month, lang, short=True)}–{short_date(end, lang)}"
    return f"{short_date(start, lang)}–{short_date(end, lang)}"


def short_span(ymd: tuple[int, int, int], lang: str, days: bool = False) -> str:
    """``(3, 2, 5)`` -> "3 y 2 m" / "3 jr 2 mnd": years and months (days only when nothing
    else, or with ``days``: "6 m 28 d")."""
    y, m, d = ymd
    parts = [chart_text("short-years", lang, n=y)] if y else []
    if m:
        parts.append(chart_text("short-months", lang, n=m))
    if not parts:
        parts.append(count(d, "day", lang))
    elif days and d:
        parts.append(chart_text("short-days", lang, n=d))
    return " ".join(parts)


def time_left(as_of: date, when: date, lang: str) -> str:
    """ "today", "in 12 days", "in 4 y 10 m" (Dutch: "vandaag", "over 12 dagen", "over 4 jr 10 mnd")."""
    days = (when - as_of).days
    if days <= 0:
        return chart_text("today", lang)
    if days <= COUNT_DAYS_UP_TO:
        return chart_text("in", lang, left=count(days, "day", lang))
    return chart_text("in", lang, left=short_span(ymd_between(as_of, when), lang))
