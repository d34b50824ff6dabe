"""The comparison: assess a case and each variation of it, against the base case.

:func:`scenarios` plans the scenarios (the base case, named scenarios, every combination of
the ``--vary`` values), assesses each as a whole case and compares its outcome with the
base case's: days of difference per output, the change of the reporting status, and over
all variants the best and worst case of each output.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, NamedTuple

from ..assessment import NATURALISATION_ROUTES, Assessment, Gap
from ..errors import TimelineError, msg, show_value
from ..model import Case
from .paths import Path, ScenarioError, check_exists, set_field
from .scenario_file import NamedScenario, load_scenarios
from .values import MAX_SCENARIOS, Vary, parse_vary

__all__ = [
    "OUTPUTS",
    "RANKED_OUTPUTS",
    "ROUTES",
    "Comparison",
    "Extreme",
    "Outcome",
    "Scenario",
    "scenarios",
]

#: Outputs compared against the base case, in table order.
OUTPUTS = (
    "gap_days",
    "reporting_deadline",
    "permanent_residence",
    "eu_long_term",
    "naturalisation",
    *(f"naturalisation.{r}" for r in NATURALISATION_ROUTES),
)
#: Outputs with a best and a worst case (an earlier date, fewer gap days). A reporting
#: deadline is neither better nor worse when it moves; its status is compared instead.
RANKED_OUTPUTS = tuple(o for o in OUTPUTS if o != "reporting_deadline")
ROUTES = NATURALISATION_ROUTES


class Outcome(NamedTuple):
    """What a scenario gives: gaps, reporting deadline, earliest dates (per route)."""

    gap_days: int
    gaps: tuple[Gap, ...]
    reporting_deadline: date | None
    reporting_status: str | None
    reporting_days_late: int | None
    permanent_residence: date | None
    eu_long_term: date | None
    naturalisation: date | None
    naturalisation_route: str | None
    routes: tuple[tuple[str, date | None], ...]

    def value(self, output: str) -> int | date | None:
        """The value of one of :data:`OUTPUTS`."""
        if output.startswith("naturalisation."):
            return dict(self.routes).get(output.split(".", 1)[1])
        return getattr(self, output)


class Scenario(NamedTuple):
    """One row of the comparison.

    ``settings``: (path, value label) pairs; ``delta``: days against the base per output
    of :data:`OUTPUTS` (``None`` when either side has no date); ``case``: the variant case;
    ``reporting_change``: the reporting status (R2.2) of the base case and of this
    scenario when they differ ("on-time" -> "late"), else ``None``.
    """

    name: str
    settings: tuple[tuple[str, str], ...]
    valid: bool
    error: str | None
    assessment: Assessment | None
    outcome: Outcome | None
    delta: dict[str, int | None]
    case: Case | None = None
    reporting_change: tuple[str | None, str | None] | None = None


class Extreme(NamedTuple):
    """Best and worst value of one output over the variants, with the scenario giving each."""

    output: str
    best: int | date | None
    best_scenario: str
    best_settings: tuple[tuple[str, str], ...]
    worst: int | date | None
    worst_scenario: str
    worst_settings: tuple[tuple[str, str], ...]


class Comparison(NamedTuple):
    """The base case (first) and every scenario, with best and worst cases."""

    id: str
    as_of: date | None
    options: dict[str, str]
    scenarios: tuple[Scenario, ...]
    varies: tuple[Vary, ...]
    extremes: tuple[Extreme, ...]

    @property
    def base(self) -> Scenario:
        """The base case (always the first scenario)."""
        return self.scenarios[0]

    @property
    def ranged(self) -> bool:
        """Whether any ``--vary`` gave a date range."""
        return any(v.ranged for v in self.varies)


# --------------------------------------------------------------------------- paths and values


def _outcome(a: Assessment) -> Outcome:
    """The outputs of an assessment that a comparison shows."""
    n = a.notification
    nat = a.naturalisation
    return Outcome(
        a.gap_days,
        a.gaps,
        n.deadline if n else None,
        n.status if n else None,
        n.days_late if n else None,
        a.permanent_residence.eligible_from,
        a.eu_long_term.eligible_from,
        nat.eligible_from,
        nat.route,
        tuple((r.route, r.clock.eligible_from) for r in nat.routes if r.applicable),
    )


def _difference(a: int | date | None, b: int | date | None) -> int | None:
    """``a - b`` in days (or gap days); ``None`` when either has no value."""
    if a is None or b is None:
        return None
    if isinstance(a, date) and isinstance(b, date):
        return (a - b).days
    return int(a) - int(b)  # type: ignore[arg-type]


def _rank(value: int | date | None) -> tuple[int, int]:
    """Sort key: smaller is better; no date at all is worst."""
    if value is None:
        return (1, 0)
    return (0, value.toordinal() if isinstance(value, date) else int(value))


def _extremes(rows: Sequence[Scenario]) -> tuple[Extreme, ...]:
    """The best and the worst value of each ranked output over the valid ``rows``."""
    valid = [r for r in rows if r.valid and r.outcome is not None]
    out = []
    for output in RANKED_OUTPUTS:
        values = [(r, r.outcome.value(output)) for r in valid]  # type: ignore[union-attr]
        if not values or all(v is None for _, v in values):
            continue
        best = min(values, key=lambda rv: _rank(rv[1]))
        worst = max(values, key=lambda rv: _rank(rv[1]))  # first of equals: max keeps the first
        out.append(Extreme(output, best[1], best[0].name, best[0].settings, worst[1], worst[0].name, worst[0].settings))
    return tuple(out)


#: A planned scenario: its name and its settings (path, value, value as shown).
Plan = list[tuple[str, tuple[tuple[Path, Any, str], ...]]]


def scenarios(
    case: Case,
    varies: Sequence[Vary | str] = (),
    named: Sequence[NamedScenario] | str | os.PathLike[str] | None = None,
    as_of: date | None = None,
    options: Mapping[str, str] | None = None,
) -> Comparison:
    """Assess ``case`` and every variation of it; compare each against the base case.

    Parameters
    ----------
    case
        The base case.
    varies
        ``--vary`` texts (``"relationship.separated=2025-07-01,2025-09-20"``) or parsed
        :class:`Vary`; every combination of their values is one scenario.
    named
        Named scenarios, or the path of a scenarios TOML file (:func:`load_scenarios`).
        They come after the base case, before the combinations of ``varies``.
    as_of
        Evaluation date for every scenario (default: the case's ``as_of``); a scenario
        that sets ``as_of`` itself uses its own.
    options
        Option overrides (OQ-*) on top of the case file's ``[options]``; a
        scenario that sets ``options.X`` overrides them.

    Returns
    -------
    Comparison
        The base case first, then named scenarios, then the combinations in order.

    Raises
    ------
    ScenarioError
        For a path that does not exist in the case, a value of the wrong type, an empty
        range, or too many combinations (more than :data:`MAX_SCENARIOS`).
    OptionError
        For an invalid ``options`` override.
    """
    from ..io import case_to_dict
    from ..options import Options

    overrides = dict(options or {})
    Options(overrides)  # OptionError for a bad override, before anything else
    merged = {**dict(case.options), **overrides}
    # The dict is written in the convention in force (OQ-1), so reading it back is exact.
    base_data = case_to_dict(case._replace(options=tuple(merged.items())))
    parsed = tuple(v if isinstance(v, Vary) else parse_vary(v) for v in varies)
    named_list = load_scenarios(named) if isinstance(named, (str, os.PathLike)) else tuple(named or ())
    _check_settings(parsed, named_list, base_data)
    rows: list[Scenario] = []
    for name, settings in _plan(parsed, named_list):
        rows.append(_run(case, base_data, name, settings, as_of, rows[0].outcome if rows else None, not rows))
    base_assessment = rows[0].assessment
    return Comparison(
        case.id,
        base_assessment.as_of if base_assessment else as_of,
        base_assessment.options if base_assessment else {},
        tuple(rows),
        parsed,
        _extremes(rows[1:]),
    )


def _check_settings(parsed: Sequence[Vary], named: Sequence[NamedScenario], base_data: Mapping[str, Any]) -> None:
    """Every path names a record of the case; no path is varied twice; not too many scenarios."""
    seen: set[str] = set()
    for v in parsed:
        check_exists(v.path, base_data)
        if v.path.text in seen:
            raise ScenarioError(msg("vary-twice", path=v.path.text))
        seen.add(v.path.text)
    for s in named:
        for p, _, _ in s.settings:
            try:
                check_exists(p, base_data)
            except ScenarioError as err:
                raise ScenarioError(msg("scenario-invalid", name=show_value(s.name), message=err.message)) from None
    total = 1
    for v in parsed:
        total *= len(v.values)
    if total + len(named) > MAX_SCENARIOS:
        raise ScenarioError(msg("scenarios-too-many", count=total + len(named), limit=MAX_SCENARIOS))


def _plan(parsed: Sequence[Vary], named: Sequence[NamedScenario]) -> Plan:
    """The base case, the named scenarios, then every combination of the varied values, in order."""
    plan: Plan = [("base", ())]
    plan += [(s.name, s.settings) for s in named]
    if parsed:
        for combo in itertools.product(*(zip(v.values, v.labels, strict=True) for v in parsed)):
            settings = tuple((v.path, value, lab) for v, (value, lab) in zip(parsed, combo, strict=True))
            plan.append((", ".join(f"{p.text}={lab}" for p, _, lab in settings), settings))
    return plan


def _run(
    case: Case,
    base_data: dict[str, Any],
    name: str,
    settings: tuple[tuple[Path, Any, str], ...],
    as_of: date | None,
    base: Outcome | None,
    is_base: bool,
) -> Scenario:
    """Scenario ``name``: the base case with ``settings`` applied, assessed and compared with ``base``.

    A variant that is not a valid case, or cannot be assessed, is an invalid row with its
    reason; for the base case itself (``is_base``) that is an input error, raised.
    """
    import copy

    from ..engine import assess
    from ..errors import CaseError
    from ..io import case_from_dict

    data = copy.deepcopy(base_data)
    for p, value, _ in settings:
        set_field(data, p, value)
    shown = tuple((p.text, lab) for p, _, lab in settings)
    try:
        variant = case_from_dict(data, case.source)
        sets_as_of = any(p.table == "" and p.field == "as_of" for p, _, _ in settings)
        when = variant.as_of if sets_as_of and variant.as_of else (as_of or variant.as_of)
        result = assess(variant, when)
    except CaseError as err:
        reason: str = msg("in-context", where=err.path, message=err.reason) if err.path else err.reason
        if err.value is not None:
            reason = msg("in-context", where=f"{err.path} = {show_value(err.value)}", message=err.reason)
        if is_base:
            raise  # the base case itself is invalid: an input error
        return Scenario(name, shown, False, reason, None, None, {})
    except TimelineError as err:
        if is_base:
            raise
        return Scenario(name, shown, False, err.message, None, None, {})
    outcome = _outcome(result)
    base = base or outcome
    delta = {o: _difference(outcome.value(o), base.value(o)) for o in OUTPUTS}
    change = None
    if outcome.reporting_status != base.reporting_status:
        change = (base.reporting_status, outcome.reporting_status)
    return Scenario(name, shown, True, None, result, outcome, delta, variant, change)
