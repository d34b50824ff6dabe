"""Scenarios: variations of a case side by side, with the difference against the base case.

A lawyer's question is "which date should be reported, and what must we file by when, so
that my client loses the least?" (R3.1, OQ-3). This module answers
it by changing fields of the case file and assessing every variant.

Paths
-----
A path addresses one field of the case file (README "Case file reference"), exactly as
written there: ``as_of``, ``relationship.separated``, ``sponsor.status``,
``permits[1].end``, ``notifications[0].change_date``, ``applications[0].received``,
``options.withdrawal_effective``. Records are numbered from 0 in file order. A field of a
table may be absent from the case (it is then added); a record must exist. End dates
(``permits[].end``, ``applications[].valid_until``) are in the case file's own
``end_date_convention`` (OQ-1).

Values
------
``--vary PATH=V1,V2,...`` gives the values to try: dates as ``YYYY-MM-DD``, a date range
``A..B`` for every day from A to B inclusive (an uncertain date: "the partner moved out in
early July"), ``none`` to remove an optional date, ``true``/``false`` for flags, and one
of the listed choices for choice fields and options. Several ``--vary`` give every
combination. Named scenarios come from a TOML file::

    [[scenario]]
    name = "reported on the divorce date"
    set = { "notifications[0].change_date" = 2025-09-20, "notifications[0].received" = 2025-09-25 }

Every scenario is validated again as a whole case (:func:`timeline.io.case_from_dict`): a
scenario that becomes impossible (a report dated before the relationship began) stays in
the comparison as invalid, with its reason. A path that does not exist, a value of the
wrong type or an empty range is an input error (:class:`ScenarioError`).

Outputs
-------
Per scenario: total gap days and each gap (DC-6), the reporting deadline and its status
(R2.2), the earliest dates for permanent residence (R5.1), EU long-term residence (R5.2)
and naturalisation per route (R6.1-R6.3), and the difference against the base case in
days (a later date or more gap days is positive). Over varied values: the best and the
worst case per output and the values that give each (an earlier date and fewer gap days
are better; "no date" is worst).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any, NamedTuple

from .assessment import NATURALISATION_ROUTES, Assessment, Gap
from .errors import TimelineError, show_value
from .io import DATE_FIELDS as _DATE_FIELDS
from .model import (
    APPLICATION_KINDS,
    END_REASONS,
    NOTIFIERS,
    OUTCOMES,
    PLACES,
    PURPOSES,
    RELATIONSHIP_KINDS,
    SPONSOR_STATUSES,
    Case,
)
from .usertext import one_line

__all__ = [
    "GAPS_COLUMN",
    "MAX_SCENARIOS",
    "OUTPUTS",
    "RANKED_OUTPUTS",
    "Comparison",
    "Extreme",
    "NamedScenario",
    "Outcome",
    "Path",
    "Scenario",
    "ScenarioError",
    "Vary",
    "comparison_csv",
    "comparison_dict",
    "comparison_text",
    "load_scenarios",
    "parse_path",
    "parse_vary",
    "scenarios",
]

#: More combinations than this is almost certainly a mistake (and slow): an error.
MAX_SCENARIOS = 5000

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

_TOP = ("id", "as_of", "description")
_TABLES = ("person", "sponsor", "relationship")
_ARRAYS = ("permits", "notifications", "applications", "absences")
DATE_FIELDS = _DATE_FIELDS  # the date fields of the case-file schema (timeline.io)
BOOL_FIELDS = frozenset({"turkish_national", "excused"})
CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    ("sponsor", "status"): SPONSOR_STATUSES,
    ("relationship", "kind"): RELATIONSHIP_KINDS,
    ("relationship", "cohabitation_place"): PLACES,
    ("relationship", "end_reason"): END_REASONS,
    ("permits", "purpose"): tuple(PURPOSES),
    ("applications", "purpose"): tuple(PURPOSES),
    ("applications", "kind"): APPLICATION_KINDS,
    ("applications", "outcome"): OUTCOMES,
    ("notifications", "by"): NOTIFIERS,
}
_UNSET = object()  # "none": remove an optional field


class ScenarioError(TimelineError):
    """A ``--vary``, a path, a value or a scenario file that cannot be used."""


class Path(NamedTuple):
    """A field of the case file: ``table`` ("" top level, "options", "permits", ...), ``index``, ``field``."""

    text: str
    table: str
    index: int | None  # type: ignore[assignment]  # a field named like tuple.index (the record's position)
    field: str

    @property
    def kind(self) -> str:
        """``date``, ``bool``, ``choice``, ``option`` or ``text``."""
        if self.table == "options":
            return "option"
        if self.field in DATE_FIELDS:
            return "date"
        if self.field in BOOL_FIELDS:
            return "bool"
        if (self.table, self.field) in CHOICES:
            return "choice"
        return "text"


class Vary(NamedTuple):
    """One ``--vary``: a path and the values to try (``labels``: as shown in names)."""

    path: Path
    values: tuple[Any, ...]
    labels: tuple[str, ...]
    ranged: bool


class NamedScenario(NamedTuple):
    """A named set of overrides (``[[scenario]]`` in a scenarios file)."""

    name: str
    settings: tuple[tuple[Path, Any, str], ...]


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


def _closest(text: str, candidates: Iterable[str]) -> str:
    import difflib  # only on the error path

    close = difflib.get_close_matches(text, list(candidates), n=1, cutoff=0.6)
    return f" Did you mean {close[0]!r}?" if close else ""


def _schema_paths(index: int = 0) -> list[str]:
    from .io import RECORD_FIELDS
    from .options import OPTIONS

    out = list(_TOP)
    out += [f"{t}.{f}" for t in _TABLES for f in RECORD_FIELDS[t]]
    out += [f"{a}[{index}].{f}" for a in _ARRAYS for f in RECORD_FIELDS[a]]
    out += [f"options.{k}" for k in OPTIONS]
    return out


def parse_path(text: str) -> Path:
    """Parse a case-file path such as ``permits[1].end`` or ``options.withdrawal_effective``.

    Raises
    ------
    ScenarioError
        When the path is malformed or names no field of the case-file schema (the message
        suggests the closest valid path).

    Examples
    --------
    >>> parse_path("permits[1].end")
    Path(text='permits[1].end', table='permits', index=1, field='end')
    >>> parse_path("relationship.seperated")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    timeline.scenarios.ScenarioError: no field 'relationship.seperated' in a case file. Did you mean ...
    """
    from .io import RECORD_FIELDS
    from .options import OPTIONS

    text = text.strip()
    head, dot, field = text.partition(".")
    index: int | None = None
    name = head
    if "[" in head:
        name, _, rest = head.partition("[")
        number = rest[:-1] if rest.endswith("]") else ""
        if not number.isdigit() or not number.isascii():
            raise ScenarioError(
                f"{text!r}: a record is addressed as name[i] with i a number from 0, e.g. permits[0].end"
            )
        index = int(number)
    guess = _schema_paths(index or 0)

    def unknown() -> ScenarioError:
        return ScenarioError(f"no field {text!r} in a case file.{_closest(text, guess)}")

    if not dot:
        if index is None and name in _TOP:
            return Path(text, "", None, name)
        if name in _ARRAYS and index is None:
            example = next(f for f in RECORD_FIELDS[name] if f in DATE_FIELDS)
            raise ScenarioError(f"{text!r} is a list of records: give a record and a field, e.g. {name}[0].{example}")
        raise unknown()
    if "." in field or not field:
        raise unknown()
    if name == "options" and index is None:
        if field not in OPTIONS:
            raise ScenarioError(f"no option {field!r}.{_closest(text, guess)} Valid options: {', '.join(OPTIONS)}")
        return Path(text, "options", None, field)
    if name in _TABLES and index is None:
        if field not in RECORD_FIELDS[name]:
            raise unknown()
        return Path(text, name, None, field)
    if name in _ARRAYS:
        if index is None:
            raise ScenarioError(
                f"{text!r}: {name} is a list of records; say which one, e.g. {name}[0].{field}"
                f"{_closest(f'{name}[0].{field}', guess)}"
            )
        if field not in RECORD_FIELDS[name]:
            raise unknown()
        return Path(text, name, index, field)
    raise unknown()


def _label(value: Any) -> str:
    if value is _UNSET:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _convert(path: Path, raw: Any, *, where: str) -> Any:
    """A value for ``path`` from text (``--vary``) or TOML; ScenarioError when of the wrong type."""
    from .dates import parse_date
    from .options import OPTIONS

    kind = path.kind
    shown = raw if isinstance(raw, str) else _label(raw)
    if isinstance(raw, str):
        raw = raw.strip()
        if raw == "":
            raise ScenarioError(f"{where}: an empty value for {path.text}; give a value (or 'none' for a date)")
    if kind == "date":
        if isinstance(raw, date) and not hasattr(raw, "hour"):
            return raw
        if isinstance(raw, str):
            if raw.lower() == "none":
                return _UNSET
            try:
                return parse_date(raw)
            except ValueError:
                pass
        raise ScenarioError(
            f"{where}: {path.text} is a date: {show_value(shown)} is not a date in the form YYYY-MM-DD "
            "(or a range YYYY-MM-DD..YYYY-MM-DD, or 'none')"
        )
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw.lower() in ("true", "false", "yes", "no"):
            return raw.lower() in ("true", "yes")
        raise ScenarioError(f"{where}: {path.text} is true or false, not {show_value(shown)}")
    if kind == "option":
        option = OPTIONS[path.field]
        text = ("yes" if raw else "no") if isinstance(raw, bool) else str(raw)
        if text not in option.choices:
            raise ScenarioError(
                f"{where}: {show_value(text)} is not a value of option {path.field}; "
                f"choose one of: {', '.join(option.choices)}"
            )
        return text
    if not isinstance(raw, str):
        raise ScenarioError(f"{where}: {path.text} is text, not {show_value(shown)}")
    if kind == "choice":
        choices = CHOICES[(path.table, path.field)]
        if raw not in choices:
            raise ScenarioError(
                f"{where}: {show_value(raw)} is not a valid {path.text}.{_closest(raw, choices)} "
                f"Choose one of: {', '.join(choices)}"
            )
    return raw


def _expand_range(path: Path, text: str, where: str) -> list[date]:
    first, _, last = text.partition("..")
    if path.kind != "date":
        raise ScenarioError(f"{where}: a range A..B is only for date fields; {path.text} is not a date")
    a = _convert(path, first, where=where)
    b = _convert(path, last, where=where)
    if a is _UNSET or b is _UNSET:
        raise ScenarioError(f"{where}: a range needs two dates, YYYY-MM-DD..YYYY-MM-DD")
    if b < a:
        raise ScenarioError(f"{where}: the range {text} is empty: its end {b} is before its start {a}")
    count = (b - a).days + 1
    if count > MAX_SCENARIOS:
        raise ScenarioError(f"{where}: the range {text} has {count} days; at most {MAX_SCENARIOS} are allowed")
    return [a + timedelta(days=i) for i in range(count)]


def parse_vary(text: str) -> Vary:
    """Parse ``PATH=V1,V2,...`` (``A..B`` for every day of a date range).

    Raises
    ------
    ScenarioError
        For a malformed text, an unknown path, a value of the wrong type or an empty range.

    Examples
    --------
    >>> v = parse_vary("relationship.separated=2025-07-01,2025-09-20")
    >>> v.path.text, v.labels
    ('relationship.separated', ('2025-07-01', '2025-09-20'))
    >>> len(parse_vary("relationship.separated=2025-07-01..2025-07-15").values)
    15
    """
    where = f"--vary {text}"
    path_text, sep, rest = text.partition("=")
    if not sep or not path_text.strip():
        raise ScenarioError(f"{where}: use PATH=VALUE1,VALUE2,..., e.g. relationship.separated=2025-07-01,2025-09-20")
    path = parse_path(path_text)
    values: list[Any] = []
    ranged = False
    for item in rest.split(","):
        item = item.strip()
        if ".." in item:
            values += _expand_range(path, item, where)
            ranged = True
        else:
            values.append(_convert(path, item, where=where))
    unique: list[Any] = []
    for v in values:
        if not any(v is u or (v == u and type(v) is type(u)) for u in unique):
            unique.append(v)
    return Vary(path, tuple(unique), tuple(_label(v) for v in unique), ranged)


def _flatten(prefix: str, value: Any) -> Iterable[tuple[str, Any]]:
    if isinstance(value, Mapping):
        for k, v in value.items():
            yield from _flatten(f"{prefix}.{k}" if prefix else str(k), v)
    else:
        yield prefix, value


def load_scenarios(path: str | os.PathLike[str]) -> tuple[NamedScenario, ...]:
    """Read named scenarios from a TOML file (``[[scenario]]`` with ``name`` and ``set``).

    Raises
    ------
    ScenarioError
        When the file is missing or not valid TOML, or an entry, path or value is invalid.
    """
    import tomllib

    source = os.fspath(path)
    try:
        with open(source, "rb") as handle:
            data = tomllib.loads(handle.read().decode("utf-8-sig"))
    except FileNotFoundError:
        raise ScenarioError(f"{source}: no such file; give a TOML file with [[scenario]] entries") from None
    except (OSError, UnicodeDecodeError) as err:
        raise ScenarioError(f"{source}: cannot read the file: {err}") from None
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError(f"{source}: invalid TOML: {err}") from None
    extra = [k for k in data if k != "scenario"]
    if extra:
        raise ScenarioError(f"{source}: unknown field {extra[0]!r}.{_closest(extra[0], ['scenario'])} Use [[scenario]]")
    entries = data.get("scenario")
    if not isinstance(entries, list) or not entries:
        raise ScenarioError(f"{source}: no scenarios; add [[scenario]] entries with name = ... and set = {{ ... }}")
    out: list[NamedScenario] = []
    for i, entry in enumerate(entries):
        where = f"{source}: scenario[{i}]"
        if not isinstance(entry, Mapping):
            raise ScenarioError(f"{where}: each scenario is a table with name and set")
        unknown = [k for k in entry if k not in ("name", "set")]
        if unknown:
            raise ScenarioError(f"{where}: unknown field {unknown[0]!r}; a scenario has only name and set")
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ScenarioError(f"{where}: name is required (a non-empty string)")
        if one_line(name) != name:  # it goes into text, CSV and chart titles: one plain line
            raise ScenarioError(
                f"{where}: name = {show_value(name)}: must not contain line breaks, tabs or other control characters"
            )
        if any(s.name == name for s in out):
            raise ScenarioError(f"{where}: the name {show_value(name)} is used twice")
        settings_raw = entry.get("set")
        if not isinstance(settings_raw, Mapping) or not settings_raw:
            raise ScenarioError(f"{where} ({name}): set is required: a table of path = value")
        settings = []
        for key, value in _flatten("", settings_raw):
            try:
                p = parse_path(key)
            except ScenarioError as err:
                raise ScenarioError(f"{where} ({name}): {err}") from None
            if isinstance(value, str) and ".." in value:
                raise ScenarioError(f"{where} ({name}): {key}: ranges are for --vary; give one value")
            v = _convert(p, value, where=f"{where} ({name})")
            settings.append((p, v, _label(v)))
        out.append(NamedScenario(name, tuple(settings)))
    return tuple(out)


# --------------------------------------------------------------------------- applying


def _case_paths(data: Mapping[str, Any]) -> list[str]:
    from .io import RECORD_FIELDS
    from .options import OPTIONS

    out = list(_TOP)
    out += [f"{t}.{f}" for t in _TABLES for f in RECORD_FIELDS[t]]
    for a in _ARRAYS:
        for i in range(len(data.get(a) or [])):
            out += [f"{a}[{i}].{f}" for f in RECORD_FIELDS[a]]
    out += [f"options.{k}" for k in OPTIONS]
    return out


def _check_exists(path: Path, data: Mapping[str, Any]) -> None:
    if path.index is None:
        return
    have = len(data.get(path.table) or [])
    if path.index < have:
        return
    valid = f"{path.table}[0] to {path.table}[{have - 1}]" if have > 1 else (f"{path.table}[0]" if have else "none")
    hint = _closest(path.text, _case_paths(data)) if have else ""
    raise ScenarioError(f"the case has no {path.table}[{path.index}] (records: {valid}): {path.text!r}.{hint}")


def _set(data: dict[str, Any], path: Path, value: Any) -> None:
    if path.table == "":
        target = data
    elif path.index is None:
        target = data.setdefault(path.table, {})
    else:
        target = data[path.table][path.index]
    if value is _UNSET:
        target.pop(path.field, None)
    else:  # as in a case file, so that messages show the value as written
        target[path.field] = value.isoformat() if isinstance(value, date) else value


def _outcome(a: Assessment) -> Outcome:
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
    import copy

    from .engine import assess
    from .errors import CaseError
    from .io import case_from_dict, case_to_dict
    from .options import Options

    overrides = dict(options or {})
    Options(overrides)  # OptionError for a bad override, before anything else
    merged = {**dict(case.options), **overrides}
    # The dict is written in the convention in force (OQ-1), so reading it back is exact.
    base_case = case._replace(options=tuple(merged.items()))
    base_data = case_to_dict(base_case)

    parsed = tuple(v if isinstance(v, Vary) else parse_vary(v) for v in varies)
    seen: set[str] = set()
    for v in parsed:
        _check_exists(v.path, base_data)
        if v.path.text in seen:
            raise ScenarioError(f"--vary {v.path.text} is given twice; list all values in one --vary")
        seen.add(v.path.text)
    named_list = load_scenarios(named) if isinstance(named, (str, os.PathLike)) else tuple(named or ())
    for s in named_list:
        for p, _, _ in s.settings:
            try:
                _check_exists(p, base_data)
            except ScenarioError as err:
                raise ScenarioError(f"scenario {show_value(s.name)}: {err}") from None

    total = 1
    for v in parsed:
        total *= len(v.values)
    if total + len(named_list) > MAX_SCENARIOS:
        raise ScenarioError(
            f"{total + len(named_list)} scenarios: at most {MAX_SCENARIOS}; narrow the ranges or vary fewer fields"
        )

    plan: list[tuple[str, tuple[tuple[Path, Any, str], ...]]] = [("base", ())]
    plan += [(s.name, s.settings) for s in named_list]
    if parsed:
        for combo in itertools.product(*(zip(v.values, v.labels, strict=True) for v in parsed)):
            settings = tuple((v.path, value, lab) for v, (value, lab) in zip(parsed, combo, strict=True))
            plan.append((", ".join(f"{p.text}={lab}" for p, _, lab in settings), settings))

    rows: list[Scenario] = []
    base_outcome: Outcome | None = None
    for name, settings in plan:
        data = copy.deepcopy(base_data)
        for p, value, _ in settings:
            _set(data, p, value)
        shown = tuple((p.text, lab) for p, _, lab in settings)
        try:
            variant = case_from_dict(data, case.source)
            sets_as_of = any(p.table == "" and p.field == "as_of" for p, _, _ in settings)
            when = variant.as_of if sets_as_of and variant.as_of else (as_of or variant.as_of)
            result = assess(variant, when)
        except CaseError as err:
            reason = f"{err.path}: {err.reason}" if err.path else err.reason
            if err.value is not None:
                reason = f"{err.path} = {show_value(err.value)}: {err.reason}"
            if not rows:
                raise  # the base case itself is invalid: an input error
            rows.append(Scenario(name, shown, False, reason, None, None, {}))
            continue
        except TimelineError as err:
            if not rows:
                raise
            rows.append(Scenario(name, shown, False, str(err), None, None, {}))
            continue
        outcome = _outcome(result)
        if base_outcome is None:
            base_outcome = outcome
        delta = {o: _difference(outcome.value(o), base_outcome.value(o)) for o in OUTPUTS}
        change = None
        if outcome.reporting_status != base_outcome.reporting_status:
            change = (base_outcome.reporting_status, outcome.reporting_status)
        rows.append(Scenario(name, shown, True, None, result, outcome, delta, variant, change))

    base_assessment = rows[0].assessment
    return Comparison(
        case.id,
        base_assessment.as_of if base_assessment else as_of,
        base_assessment.options if base_assessment else {},
        tuple(rows),
        parsed,
        _extremes(rows[1:]),
    )


# --------------------------------------------------------------------------- output


def _column(output: str) -> str:
    """The CSV column of an output: ``naturalisation.long-residence`` is ``naturalisation_long_residence``."""
    return output.replace(".", "_").replace("-", "_")


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def comparison_dict(cmp: Comparison, lang: str = "en") -> dict[str, Any]:
    """The JSON form of a comparison (README "Scenarios and deadlines")."""
    from .i18n import end_convention, label

    rows = []
    for s in cmp.scenarios:
        row: dict[str, Any] = {"name": s.name, "settings": dict(s.settings), "valid": s.valid, "error": s.error}
        o = s.outcome
        if o is not None:
            row.update(
                gap_days=o.gap_days,
                gaps=[
                    {
                        "start": _iso(g.start),
                        "end": _iso(g.end),
                        "days": g.days,
                        "cause": g.cause,
                        "cause_text": label(g.cause, lang),
                    }
                    for g in o.gaps
                ],
                reporting={
                    "deadline": _iso(o.reporting_deadline),
                    "status": o.reporting_status,
                    "status_text": label(o.reporting_status, lang) if o.reporting_status else None,
                    "days_late": o.reporting_days_late,
                },
                permanent_residence=_iso(o.permanent_residence),
                eu_long_term=_iso(o.eu_long_term),
                naturalisation={
                    "eligible_from": _iso(o.naturalisation),
                    "route": o.naturalisation_route,
                    "routes": {r: _iso(d) for r, d in o.routes},
                },
                delta=dict(s.delta),
                reporting_status_change=(
                    None if s.reporting_change is None else {"from": s.reporting_change[0], "to": s.reporting_change[1]}
                ),
            )
        rows.append(row)
    return {
        "id": cmp.id,
        "as_of": _iso(cmp.as_of),
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
    return v.isoformat() if isinstance(v, date) else v


#: The CSV column of the gaps: each gap as ``first..last`` day, both inclusive (the same
#: reading as a ``--vary`` range), with its days: ``2025-07-01..2025-09-30 (92 days)``.
GAPS_COLUMN = "gaps_first_to_last_day"


def _gap_csv(g: Gap) -> str:
    from .i18n import count

    last = (g.end - timedelta(days=1)).isoformat() if g.end else "ongoing"
    return f"{g.start.isoformat()}..{last} ({count(g.days, 'day')})"


def _csv_columns(cmp: Comparison) -> list[str]:
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
        row: dict[str, Any] = {"scenario": s.name, "valid": "true" if s.valid else "false", "error": s.error or ""}
        row.update(dict(s.settings))
        o = s.outcome
        if o is not None:
            routes = dict(o.routes)
            row.update(
                gap_days=o.gap_days,
                **{GAPS_COLUMN: ";".join(_gap_csv(g) for g in o.gaps)},
                reporting_deadline=_iso(o.reporting_deadline) or "",
                reporting_status=o.reporting_status or "",
                reporting_days_late="" if o.reporting_days_late is None else o.reporting_days_late,
                permanent_residence=_iso(o.permanent_residence) or "",
                eu_long_term=_iso(o.eu_long_term) or "",
                naturalisation=_iso(o.naturalisation) or "",
                naturalisation_route=o.naturalisation_route or "",
            )
            for r in ROUTES:
                row[_column(f"naturalisation.{r}")] = _iso(routes.get(r)) or ""
            for out in OUTPUTS:
                d = s.delta.get(out)
                row[f"delta_{_column(out)}"] = "" if d is None else d
            if s.reporting_change is not None:
                before, after = s.reporting_change
                row["delta_reporting_status"] = f"{before or 'none'} -> {after or 'none'}"
        writer.writerow(row)
    return buf.getvalue()


def _value_text(v: int | date | None, lang: str) -> str:
    from .i18n import label

    if v is None:
        return label("scenario-none", lang)
    return v.isoformat() if isinstance(v, date) else str(v)


def _signed(output: str, days: int, lang: str) -> str:
    from .i18n import count

    return f"{days:+d}" if output == "gap_days" else count(days, "day", lang, signed=True)


def _gap_text(g: Gap, lang: str) -> str:
    """``1 July 2025 - 1 October 2025 (last day 30 September 2025, 92 days)``: end exclusive (DC-1)."""
    from .i18n import count, format_date, label

    days = count(g.days, "day", lang)
    if g.end is None:
        return f"{format_date(g.start, lang)} - {label('ongoing', lang)} ({days})"
    last = format_date(g.end - timedelta(days=1), lang)
    return f"{format_date(g.start, lang)} - {format_date(g.end, lang)} ({label('last-day', lang)} {last}, {days})"


def comparison_text(cmp: Comparison, lang: str = "en") -> str:
    """A readable comparison: the table, the differences, the gaps, best and worst cases."""
    from .i18n import end_convention, label, text

    def h(key: str) -> str:
        return label(f"scenario-{key}", lang)

    def name(s: Scenario) -> str:
        return h("base") if s.name == "base" and not s.settings else s.name

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
            out.append(f"  {i:>3}  {h('invalid'):>9}  {name(s)}: {s.error}")
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
            f"{_value_text(o.eu_long_term, lang):<13} {nat:<24} {name(s)}"
        )

    if len(cmp.scenarios) > 1:
        out += ["", h("differences")]
        for i, s in enumerate(cmp.scenarios[1:], start=1):
            if not s.valid:
                continue
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
            body = "; ".join(parts) or h("no-difference")
            out.append(f"  {i:>3}  {name(s)}: {body}")

    out += ["", h("gaps")]
    for i, s in enumerate(cmp.scenarios):
        if s.outcome is None:
            continue
        gaps = s.outcome.gaps
        shown = "; ".join(_gap_text(g, lang) for g in gaps) if gaps else h("no-gaps")
        out.append(f"  {i:>3}  {name(s)}: {shown}")

    if cmp.ranged and cmp.extremes:
        out += ["", h("extremes")]
        for e in cmp.extremes:
            best = ", ".join(f"{p}={v}" for p, v in e.best_settings) or h("base")
            worst = ", ".join(f"{p}={v}" for p, v in e.worst_settings) or h("base")
            if e.best == e.worst:
                out.append(f"  {h('out-' + e.output)}: {_value_text(e.best, lang)} ({h('same')})")
                continue
            out.append(
                f"  {h('out-' + e.output)}: {h('best')} {_value_text(e.best, lang)} ({best}); "
                f"{h('worst')} {_value_text(e.worst, lang)} ({worst})"
            )
    return "\n".join(out) + "\n"
