"""A comparison as CSV: :func:`comparison_csv`, one row per scenario (the base case first)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from ..assessment import Gap
from .as_json import iso
from .comparison import OUTPUTS, ROUTES, Comparison, Scenario

__all__ = ["GAPS_COLUMN", "comparison_csv", "comparison_rows"]


def _column(output: str) -> str:
    """The CSV column of an output: ``naturalisation.long-residence`` is ``naturalisation_long_residence``."""
    return output.replace(".", "_").replace("-", "_")


#: The CSV column of the gaps: each gap as ``first..last`` day, both inclusive (the same
#: reading as a ``--vary`` range), with its days: ``2025-07-01..2025-09-30 (92 days)``.
GAPS_COLUMN = "gaps_first_to_last_day"


def _gap_csv(g: Gap) -> str:
    """``first..last (N days)``, both days inclusive; ``first..ongoing (N days)`` for an open gap."""
    from ..i18n import count

    last = (g.end - timedelta(days=1)).isoformat() if g.end else "ongoing"
    return f"{g.start.isoformat()}..{last} ({count(g.days, 'day')})"


def _csv_columns(cmp: Comparison) -> list[str]:
    """The header: scenario, validity, each varied path, the outputs, the differences."""
    paths = list(dict.fromkeys(p for s in cmp.scenarios for p, _ in s.settings))
    return [
        "scenario",
        "valid",
        "error",
        *paths,
        "gap_days",
        GAPS_COLUMN,
        "reporting_deadline",
        "reporting_status",
        "reporting_days_late",
        "permanent_residence",
        "eu_long_term",
        "naturalisation",
        "naturalisation_route",
        *(_column(f"naturalisation.{r}") for r in ROUTES),
        *(f"delta_{_column(o)}" for o in OUTPUTS),
        "delta_reporting_status",
    ]


def comparison_csv(cmp: Comparison) -> str:
    """One CSV row per scenario (base first); dates ISO.

    The gaps (column :data:`GAPS_COLUMN`) are ``first..last (N days)`` with the first and
    the *last* day without a permit, both inclusive, joined by ``;``; an ongoing gap is
    ``first..ongoing (N days)``.
    """
    import csv
    import io

    columns = _csv_columns(cmp)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, columns, lineterminator="\n")
    writer.writeheader()
    for s in cmp.scenarios:
        writer.writerow(_row(s))
    return buf.getvalue()


def comparison_rows(cmp: Comparison) -> tuple[list[str], list[dict[str, Any]]]:
    """The columns and rows of :func:`comparison_csv` with typed values, for a workbook:
    dates as :class:`datetime.date`, ``valid`` a boolean, empty cells None."""

    def as_date(d: Any) -> Any:
        return d

    rows = []
    for s in cmp.scenarios:
        row = _row(s, as_date)
        row["valid"] = s.valid
        rows.append({k: (None if v == "" else v) for k, v in row.items()})
    return _csv_columns(cmp), rows


def _row(s: Scenario, date_text: Any = iso) -> dict[str, Any]:
    """The CSV row of scenario ``s`` (empty cells for what it does not have); dates through ``date_text``."""
    row: dict[str, Any] = {"scenario": s.name, "valid": "true" if s.valid else "false", "error": s.error or ""}
    row.update(dict(s.settings))
    o = s.outcome
    if o is None:
        return row
    routes = dict(o.routes)
    row.update(
        gap_days=o.gap_days,
        **{GAPS_COLUMN: ";".join(_gap_csv(g) for g in o.gaps)},
        reporting_deadline=date_text(o.reporting_deadline) or "",
        reporting_status=o.reporting_status or "",
        reporting_days_late="" if o.reporting_days_late is None else o.reporting_days_late,
        permanent_residence=date_text(o.permanent_residence) or "",
        eu_long_term=date_text(o.eu_long_term) or "",
        naturalisation=date_text(o.naturalisation) or "",
        naturalisation_route=o.naturalisation_route or "",
    )
    for r in ROUTES:
        row[_column(f"naturalisation.{r}")] = date_text(routes.get(r)) or ""
    for out in OUTPUTS:
        d = s.delta.get(out)
        row[f"delta_{_column(out)}"] = "" if d is None else d
    if s.reporting_change is not None:
        before, after = s.reporting_change
        row["delta_reporting_status"] = f"{before or 'none'} -> {after or 'none'}"
    return row
