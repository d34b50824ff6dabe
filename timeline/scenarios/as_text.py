"""A comparison as readable text: :func:`comparison_text`, in English or Dutch.

Four parts: the table (one row per scenario), the differences against the base case, the
residence gaps of each scenario, and (over a date range) the best and worst case per output.
"""

from __future__ import annotations

from datetime import date, timedelta

from ..assessment import Gap
from ..errors import text_in
from ..usertext import one_line
from .comparison import OUTPUTS, Comparison, Scenario
from .titles import scenario_title, setting_text

__all__ = ["comparison_text"]


def _value_text(v: int | date | None, lang: str) -> str:
    """A date as ``YYYY-MM-DD``, a number as it is, no value as ``none`` in ``lang``."""
    from ..i18n import label

    if v is None:
        return label("scenario-none", lang)
    return v.isoformat() if isinstance(v, date) else str(v)


def _signed(output: str, days: int, lang: str) -> str:
    """A difference with its sign: gap days as a number, dates in days (``+3 days``)."""
    from ..i18n import count

    return f"{days:+d}" if output == "gap_days" else count(days, "day", lang, signed=True)


def _gap_text(g: Gap, lang: str) -> str:
    """``1 July 2025 - 1 October 2025 (last day 30 September 2025, 92 days)``: end exclusive (DC-1)."""
    from ..i18n import count, format_date, label

    days = count(g.days, "day", lang)
    if g.end is None:
        return f"{format_date(g.start, lang)} - {label('ongoing', lang)} ({days})"
    last = format_date(g.end - timedelta(days=1), lang)
    return f"{format_date(g.start, lang)} - {format_date(g.end, lang)} ({label('last-day', lang)} {last}, {days})"


def _heading(key: str, lang: str) -> str:
    """The comparison text ``scenario-KEY`` (headings, column names, output names)."""
    from ..i18n import label

    return label(f"scenario-{key}", lang)


def _name(cmp: Comparison, s: Scenario, lang: str) -> str:
    """The scenario's title in words (:func:`~timeline.scenarios.titles.scenario_title`), on one line."""
    return one_line(scenario_title(cmp, s, lang))


def comparison_text(cmp: Comparison, lang: str = "en") -> str:
    """A readable comparison: the table, the differences, the gaps, best and worst cases."""
    out = _table(cmp, lang)
    if len(cmp.scenarios) > 1:
        out += ["", _heading("differences", lang)]
        for i, s in enumerate(cmp.scenarios[1:], start=1):
            if s.valid:
                out.append(f"  {i:>3}  {_name(cmp, s, lang)}: {_differences(cmp, s, lang)}")
    out += ["", _heading("gaps", lang)]
    for i, s in enumerate(cmp.scenarios):
        if s.outcome is None:
            continue
        gaps = s.outcome.gaps
        shown = "; ".join(_gap_text(g, lang) for g in gaps) if gaps else _heading("no-gaps", lang)
        out.append(f"  {i:>3}  {_name(cmp, s, lang)}: {shown}")
    if cmp.ranged and cmp.extremes:
        out += ["", _heading("extremes", lang), *_extremes(cmp, lang)]
    return "\n".join(out) + "\n"


def _table(cmp: Comparison, lang: str) -> list[str]:
    """The title, the end-date convention and one row per scenario (invalid ones with their reason)."""
    from ..i18n import end_convention, label, text

    def h(key: str) -> str:
        return _heading(key, lang)

    out = [
        text("scenario-title", {"id": one_line(cmp.id), "as_of": cmp.as_of, "count": len(cmp.scenarios)}, lang),
        end_convention(lang),
        "",
        f"  {'#':>3}  {h('col-gap-days'):>9}  {h('col-reporting'):<26} {h('col-pr'):<11} {h('col-eu'):<13} "
        f"{h('col-nat'):<24} {h('col-scenario')}",
    ]
    for i, s in enumerate(cmp.scenarios):
        o = s.outcome
        if o is None:
            out.append(f"  {i:>3}  {h('invalid'):>9}  {_name(cmp, s, lang)}: {text_in(s.error or '', lang)}")
            continue
        report = "-"
        if o.reporting_deadline is not None:
            report = f"{o.reporting_deadline.isoformat()} {label(o.reporting_status, lang)}"
            if o.reporting_days_late:
                report += f" ({o.reporting_days_late})"
        nat = _value_text(o.naturalisation, lang)
        if o.naturalisation_route:
            nat += f" ({h('route-' + o.naturalisation_route)})"
        out.append(
            f"  {i:>3}  {o.gap_days:>9}  {report:<26} {_value_text(o.permanent_residence, lang):<11} "
            f"{_value_text(o.eu_long_term, lang):<13} {nat:<24} {_name(cmp, s, lang)}"
        )
    return out


def _differences(cmp: Comparison, s: Scenario, lang: str) -> str:
    """What differs in scenario ``s`` from the base case: days per output, values that appear or vanish."""
    from ..i18n import label

    def h(key: str) -> str:
        return _heading(key, lang)

    base_o, o = cmp.base.outcome, s.outcome
    nat_d = s.delta.get("naturalisation")
    parts = [
        f"{h('out-' + k)} {_signed(k, d, lang)}"
        for k in OUTPUTS
        if (d := s.delta.get(k)) is not None and d != 0 and not (k.startswith("naturalisation.") and d == nat_d)
    ]
    if base_o is not None and o is not None:
        parts += [
            f"{h('out-' + k)}: {_value_text(base_o.value(k), lang)} -> {_value_text(o.value(k), lang)}"
            for k in OUTPUTS
            if s.delta.get(k) is None and base_o.value(k) != o.value(k)
        ]
    if s.reporting_change is not None:
        before, after = s.reporting_change
        parts.append(
            f"{h('out-reporting_status')}: {label(before, lang) if before else h('none')} -> "
            f"{label(after, lang) if after else h('none')}"
        )
    return "; ".join(parts) or h("no-difference")


def _extremes(cmp: Comparison, lang: str) -> list[str]:
    """Per output, the best and the worst value and the settings giving each."""

    def h(key: str) -> str:
        return _heading(key, lang)

    out = []
    for e in cmp.extremes:
        case = cmp.base.case
        best = "; ".join(setting_text(case, p, v, lang) for p, v in e.best_settings) or h("base")
        worst = "; ".join(setting_text(case, p, v, lang) for p, v in e.worst_settings) or h("base")
        if e.best == e.worst:
            out.append(f"  {h('out-' + e.output)}: {_value_text(e.best, lang)} ({h('same')})")
            continue
        out.append(
            f"  {h('out-' + e.output)}: {h('best')} {_value_text(e.best, lang)} ({best}); "
            f"{h('worst')} {_value_text(e.worst, lang)} ({worst})"
        )
    return out
