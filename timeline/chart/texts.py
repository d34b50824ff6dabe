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
from ..i18n import end_convention, label, month_name, phrase

__all__ = ["chart_text", "footer_text", "non_default_options", "purpose_text", "separated_key", "short_date"]


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
    """Tool version, rules version, non-default options and the end-date convention."""
    from .. import __version__

    changed = non_default_options(a.options)
    opts = ", ".join(f"{k}={v}" for k, v in changed.items()) if changed else chart_text("defaults", lang)
    return chart_text(
        "footer", lang, version=__version__, rules=RULES_VERSION, options=opts, convention=end_convention(lang)
    )


def purpose_text(purpose: str | None, lang: str) -> str:
    """The name of a permit's purpose (``-`` for none)."""
    return label(purpose, lang) if purpose else "-"


def separated_key(relationship_kind: str | None) -> str:
    """The label of "separated, still married / still registered" (bar and legend)."""
    return "separated-married" if relationship_kind == "marriage" else "separated-partnership"
