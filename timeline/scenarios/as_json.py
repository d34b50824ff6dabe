"""A comparison as JSON: :func:`comparison_dict` (README "Scenarios and deadlines")."""

from __future__ import annotations

from datetime import date
from typing import Any

from ..errors import text_in
from .comparison import Comparison, Scenario

__all__ = ["comparison_dict", "iso"]


def iso(d: date | None) -> str | None:
    """``d`` as ``YYYY-MM-DD``, or ``None``."""
    return d.isoformat() if d else None


def comparison_dict(cmp: Comparison, lang: str = "en") -> dict[str, Any]:
    """The JSON form of a comparison (README "Scenarios and deadlines")."""
    from ..i18n import end_convention
    from .titles import scenario_title

    rows = [{"title": scenario_title(cmp, s, lang), **_scenario_json(s, lang)} for s in cmp.scenarios]
    return {
        "id": cmp.id,
        "as_of": iso(cmp.as_of),
        "end_date_convention": end_convention(lang),
        "options": dict(cmp.options),
        "varies": [{"path": v.path.text, "values": list(v.labels), "range": v.ranged} for v in cmp.varies],
        "scenarios": rows,
        "extremes": [
            {
                "output": e.output,
                "best": _json_value(e.best),
                "best_scenario": e.best_scenario,
                "best_settings": dict(e.best_settings),
                "worst": _json_value(e.worst),
                "worst_scenario": e.worst_scenario,
                "worst_settings": dict(e.worst_settings),
            }
            for e in cmp.extremes
        ],
    }


def _json_value(v: int | date | None) -> int | str | None:
    """A date as ``YYYY-MM-DD``; a number as it is."""
    return v.isoformat() if isinstance(v, date) else v


def _scenario_json(s: Scenario, lang: str) -> dict[str, Any]:
    """One scenario: its name and settings (paths, as in the case file; ``title`` says them in
    words), and (when valid) its outcome and difference."""
    from ..i18n import label

    row: dict[str, Any] = {"name": s.name, "settings": dict(s.settings), "valid": s.valid, "error": None}
    if s.error is not None:
        row["error"] = text_in(s.error, lang)
    o = s.outcome
    if o is None:
        return row
    row.update(
        gap_days=o.gap_days,
        gaps=[
            {
                "start": iso(g.start),
                "end": iso(g.end),
                "days": g.days,
                "cause": g.cause,
                "cause_text": label(g.cause, lang),
            }
            for g in o.gaps
        ],
        reporting={
            "deadline": iso(o.reporting_deadline),
            "status": o.reporting_status,
            "status_text": label(o.reporting_status, lang) if o.reporting_status else None,
            "days_late": o.reporting_days_late,
        },
        permanent_residence=iso(o.permanent_residence),
        eu_long_term=iso(o.eu_long_term),
        naturalisation={
            "eligible_from": iso(o.naturalisation),
            "route": o.naturalisation_route,
            "routes": {r: iso(d) for r, d in o.routes},
        },
        delta=dict(s.delta),
        reporting_status_change=(
            None if s.reporting_change is None else {"from": s.reporting_change[0], "to": s.reporting_change[1]}
        ),
    )
    return row
