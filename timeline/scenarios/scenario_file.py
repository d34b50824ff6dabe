"""Scenario files: named scenarios read from TOML (``[[scenario]]`` with ``name`` and ``set``)::

[[scenario]]
name = "reported on the divorce date"
set = { "notifications[0].change_date" = 2025-09-20, "notifications[0].received" = 2025-09-25 }

A case's own scenario file sits beside it: ``client.toml`` has ``client.scenarios.toml``
(:func:`scenario_file_name`; ``timeline serve`` saves named scenarios there, and
``timeline scenarios client.toml --scenarios client.scenarios.toml`` reads them).
:func:`scenario_file_text` writes scenarios back, keeping the file's comments.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from ..errors import msg, show_value
from ..usertext import one_line
from .paths import UNSET, Path, ScenarioError, closest, parse_path
from .values import convert, value_label

__all__ = [
    "SCENARIO_SUFFIX",
    "NamedScenario",
    "is_scenario_file",
    "load_scenarios",
    "named_scenario",
    "parse_scenarios",
    "scenario_file_name",
    "scenario_file_text",
]

#: The end of a case's scenario file's name: ``client.toml`` -> ``client.scenarios.toml``.
SCENARIO_SUFFIX = ".scenarios.toml"


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
    source = os.fspath(path)
    try:
        with open(source, "rb") as handle:
            text = handle.read().decode("utf-8-sig")
    except FileNotFoundError:
        raise ScenarioError(msg("scenarios-no-file", source=source)) from None
    except (OSError, UnicodeDecodeError) as err:
        raise ScenarioError(msg("scenarios-unreadable", source=source, detail=str(err))) from None
    return parse_scenarios(text, source)


def parse_scenarios(text: str, source: str = "<scenarios>") -> tuple[NamedScenario, ...]:
    """Named scenarios from the TOML ``text`` of a scenario file (``source`` names it in errors).

    Raises
    ------
    ScenarioError
        When the text is not valid TOML, or an entry, path or value is invalid.
    """
    import tomllib

    try:
        data = tomllib.loads(text)
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
        out.append(named_scenario(entry, f"{source}: scenario[{i}]", [s.name for s in out]))
    return tuple(out)


def named_scenario(entry: Any, where: str, taken: list[str]) -> NamedScenario:
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


def scenario_file_name(case_file: str) -> str:
    """The name of the scenario file of the case file ``case_file`` (a name, not a path):
    ``client.toml`` and ``client.json`` have ``client.scenarios.toml``.

    >>> scenario_file_name("client.toml")
    'client.scenarios.toml'
    """
    stem = case_file.rsplit(".", 1)[0] if "." in case_file else case_file
    return stem + SCENARIO_SUFFIX


def is_scenario_file(name: str) -> bool:
    """Whether the file ``name`` is a case's scenario file (:func:`scenario_file_name`), not a case."""
    return name.lower().endswith(SCENARIO_SUFFIX)


def _toml_value(value: Any) -> Any:
    """A setting's value as the file writes it: a date literal, ``"none"``, a flag, a text."""
    return "none" if value is UNSET else value


def scenario_file_text(named: Iterable[NamedScenario], current: str | None = None) -> str:
    """The scenario file holding ``named`` (in that order): ``current`` (the file's text, if
    any) with its ``[[scenario]]`` entries replaced; its comments and other text are kept,
    and so is each entry that did not change (with its own comments).

    Read back with :func:`parse_scenarios`, it gives ``named`` again. Raises
    :class:`ScenarioError` when ``current`` is not TOML (it is not replaced unread).
    """
    import tomlkit

    try:
        doc = tomlkit.parse(current) if current else tomlkit.document()
    except tomlkit.exceptions.ParseError as err:
        raise ScenarioError(msg("scenarios-file-invalid", detail=str(err))) from None
    old: dict[str, Any] = {}
    for table in doc.get("scenario") or []:
        try:
            kept = named_scenario(table.unwrap(), "", [])
        except ScenarioError:
            continue
        old.setdefault(kept.name, (kept, table))
    entries = tomlkit.aot()
    for s in named:
        same = old.get(s.name)
        if same is not None and same[0] == s:
            entries.append(same[1])
            continue
        table = tomlkit.table()
        table["name"] = s.name
        settings = tomlkit.inline_table()
        for p, v, _ in s.settings:
            settings[p.text] = _toml_value(v)
        table["set"] = settings
        entries.append(table)
    if "scenario" in doc:
        doc["scenario"] = entries
    else:
        doc.append("scenario", entries)
    return tomlkit.dumps(doc)
