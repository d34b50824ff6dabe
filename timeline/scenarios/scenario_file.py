"""Scenario files: named scenarios read from TOML (``[[scenario]]`` with ``name`` and ``set``)::

[[scenario]]
name = "reported on the divorce date"
set = { "notifications[0].change_date" = 2025-09-20, "notifications[0].received" = 2025-09-25 }
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from ..errors import msg, show_value
from ..usertext import one_line
from .paths import Path, ScenarioError, closest, parse_path
from .values import convert, value_label

__all__ = ["NamedScenario", "load_scenarios"]


class NamedScenario(NamedTuple):
    """A named set of overrides (``[[scenario]]`` in a scenarios file)."""

    name: str
    settings: tuple[tuple[Path, Any, str], ...]


def _flatten(prefix: str, value: Any) -> Iterable[tuple[str, Any]]:
    """(dotted key, value) of every leaf of a TOML table (``set = { relationship.separated = ... }``)."""
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
        raise ScenarioError(msg("scenarios-no-file", source=source)) from None
    except (OSError, UnicodeDecodeError) as err:
        raise ScenarioError(msg("scenarios-unreadable", source=source, detail=str(err))) from None
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError(msg("scenarios-toml", source=source, detail=str(err))) from None
    extra = [k for k in data if k != "scenario"]
    if extra:
        hint = closest(extra[0], ["scenario"])
        raise ScenarioError(msg("scenarios-unknown-field", source=source, field=repr(extra[0]), hint=hint))
    entries = data.get("scenario")
    if not isinstance(entries, list) or not entries:
        raise ScenarioError(msg("scenarios-none", source=source))
    out: list[NamedScenario] = []
    for i, entry in enumerate(entries):
        out.append(_named_scenario(entry, f"{source}: scenario[{i}]", [s.name for s in out]))
    return tuple(out)


def _named_scenario(entry: Any, where: str, taken: list[str]) -> NamedScenario:
    """One ``[[scenario]]`` entry, checked: a new name (not in ``taken``) of one line, a table of path = value."""
    if not isinstance(entry, Mapping):
        raise ScenarioError(msg("scenario-not-table", where=where))
    unknown = [k for k in entry if k not in ("name", "set")]
    if unknown:
        raise ScenarioError(msg("scenario-unknown-field", where=where, field=repr(unknown[0])))
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ScenarioError(msg("scenario-no-name", where=where))
    if one_line(name) != name:  # it goes into text, CSV and chart titles: one plain line
        raise ScenarioError(msg("scenario-name-control", where=where, name=show_value(name)))
    if name in taken:
        raise ScenarioError(msg("scenario-name-twice", where=where, name=show_value(name)))
    settings_raw = entry.get("set")
    if not isinstance(settings_raw, Mapping) or not settings_raw:
        raise ScenarioError(msg("scenario-no-set", where=f"{where} ({name})"))
    settings = []
    for key, value in _flatten("", settings_raw):
        try:
            p = parse_path(key)
        except ScenarioError as err:
            raise ScenarioError(msg("in-context", where=f"{where} ({name})", message=err.message)) from None
        if isinstance(value, str) and ".." in value:
            raise ScenarioError(msg("scenario-range", where=f"{where} ({name})", path=key))
        v = convert(p, value, where=f"{where} ({name})")
        settings.append((p, v, value_label(v)))
    return NamedScenario(name, tuple(settings))
