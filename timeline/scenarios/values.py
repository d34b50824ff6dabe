"""Scenario values: text from ``--vary`` or TOML values, converted to what a field holds.

Dates as ``YYYY-MM-DD``, a date range ``A..B`` (every day from A to B inclusive; ``A..B/N``
every N-th day from A), ``none``
to remove an optional date, ``true``/``false`` for flags, one of the listed choices for
choice fields and options. :func:`parse_vary` reads one ``--vary PATH=V1,V2,...``.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, NamedTuple

from ..errors import msg, show_value
from .paths import CHOICES, UNSET, Path, ScenarioError, closest, parse_path

__all__ = ["MAX_SCENARIOS", "Vary", "convert", "parse_vary", "value_label"]

#: More combinations than this is almost certainly a mistake (and slow): an error.
MAX_SCENARIOS = 5000


class Vary(NamedTuple):
    """One ``--vary``: a path and the values to try (``labels``: as shown in names)."""

    path: Path
    values: tuple[Any, ...]
    labels: tuple[str, ...]
    ranged: bool


def value_label(value: Any) -> str:
    """A value as a scenario's name and the outputs show it (``none``, ``true``, ISO dates)."""
    if value is UNSET:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def convert(path: Path, raw: Any, *, where: str) -> Any:
    """A value for ``path`` from text (``--vary``) or TOML; ScenarioError when of the wrong type."""
    from ..dates import parse_date
    from ..options import OPTIONS

    kind = path.kind
    shown = raw if isinstance(raw, str) else value_label(raw)
    if isinstance(raw, str):
        raw = raw.strip()
        if raw == "":
            raise ScenarioError(msg("vary-empty", where=where, path=path.text))
    if kind == "date":
        if isinstance(raw, date) and not hasattr(raw, "hour"):
            return raw
        if isinstance(raw, str):
            if raw.lower() == "none":
                return UNSET
            try:
                return parse_date(raw)
            except ValueError:
                pass
        raise ScenarioError(msg("vary-date", where=where, path=path.text, value=show_value(shown)))
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw.lower() in ("true", "false", "yes", "no"):
            return raw.lower() in ("true", "yes")
        raise ScenarioError(msg("vary-bool", where=where, path=path.text, value=show_value(shown)))
    if kind == "option":
        option = OPTIONS[path.field]
        text = ("yes" if raw else "no") if isinstance(raw, bool) else str(raw)
        if text not in option.choices:
            raise ScenarioError(
                msg("vary-option", where=where, value=show_value(text), option=path.field, choices=option.choices)
            )
        return text
    if not isinstance(raw, str):
        raise ScenarioError(msg("vary-text", where=where, path=path.text, value=show_value(shown)))
    if kind == "choice":
        choices = CHOICES[(path.table, path.field)]
        if raw not in choices:
            hint = closest(raw, choices)
            raise ScenarioError(
                msg("vary-choice", where=where, value=show_value(raw), path=path.text, hint=hint, choices=choices)
            )
    return raw


def _step(text: str, where: str) -> tuple[str, int]:
    """``B/N`` as (``B``, N); ``B`` alone as (``B``, 1)."""
    last, slash, step = text.partition("/")
    if not slash:
        return last, 1
    if not step.strip().isdigit() or not step.strip().isascii() or int(step) < 1:
        raise ScenarioError(msg("vary-range-step", where=where))
    return last, int(step)


def _expand_range(path: Path, text: str, where: str) -> list[date]:
    """Every day of the date range ``A..B`` (inclusive) for the date field ``path``;
    ``A..B/N`` every N-th day from A (A, A+N, ... up to B)."""
    first, _, last = text.partition("..")
    last, step = _step(last, where)
    if path.kind != "date":
        raise ScenarioError(msg("vary-range-not-date", where=where, path=path.text))
    a = convert(path, first, where=where)
    b = convert(path, last, where=where)
    if a is UNSET or b is UNSET:
        raise ScenarioError(msg("vary-range-two-dates", where=where))
    if b < a:
        raise ScenarioError(msg("vary-range-empty", where=where, range=text, end=str(b), start=str(a)))
    count = (b - a).days // step + 1
    if count > MAX_SCENARIOS:
        raise ScenarioError(msg("vary-range-too-long", where=where, range=text, count=count, limit=MAX_SCENARIOS))
    return [a + timedelta(days=i * step) for i in range(count)]


def parse_vary(text: str) -> Vary:
    """Parse ``PATH=V1,V2,...`` (``A..B`` for every day of a date range, ``A..B/N`` every N-th).

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
    >>> parse_vary("relationship.separated=2025-07-01..2025-07-15/7").labels
    ('2025-07-01', '2025-07-08', '2025-07-15')
    """
    where = f"--vary {text}"
    path_text, sep, rest = text.partition("=")
    if not sep or not path_text.strip():
        raise ScenarioError(msg("vary-form", where=where))
    path = parse_path(path_text)
    values: list[Any] = []
    ranged = False
    for item in rest.split(","):
        item = item.strip()
        if ".." in item:
            values += _expand_range(path, item, where)
            ranged = True
        else:
            values.append(convert(path, item, where=where))
    unique: list[Any] = []
    for v in values:
        if not any(v is u or (v == u and type(v) is type(u)) for u in unique):
            unique.append(v)
    return Vary(path, tuple(unique), tuple(value_label(v) for v in unique), ranged)
