"""Scenarios in the browser: the comparison of ``POST /api/scenarios`` and the case's scenario
file saved by ``PUT /api/cases/NAME/scenarios`` (issue 13, "Scenarios").

The comparison is :func:`timeline.scenarios.scenarios`, the one ``timeline scenarios``
runs; its JSON is :func:`~timeline.scenarios.comparison_dict` (``--format json``), its chart
:func:`~timeline.scenarios.chart.comparison_figure` (``-o comparison.svg``). What to vary is
said as on the command line (``"PATH=V1,V2"``, ``"PATH=A..B/N"``) or, for the page's
slider and date range, as ``{"path", "shift"}`` (days from the date in the case) and
``{"path", "from", "to", "step"}``; named scenarios as in a scenario file
(``{"name", "set": {PATH: VALUE}}``). A bad spec is 422 with one error per field
(``vary[0]``, ``scenarios[1]``).

The named scenarios are saved into the case's scenario file (``client.scenarios.toml`` beside
``client.toml``: :func:`~timeline.scenarios.scenario_file.scenario_file_name`), written whole
or not at all, never over a case file, and not over a scenario file changed on disk since
the page loaded it (409, as saving a case).
"""

from __future__ import annotations

import json
import math
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ..errors import CaseError, Number, OptionError, TimelineError, error_text, msg, show_value, text_in
from ..io import case_to_dict
from ..model import Case
from ..outputs import replacing
from ..scenarios import Comparison, NamedScenario, ScenarioError, Vary, comparison_dict, parse_vary, scenarios
from ..scenarios.paths import check_exists, get_field, parse_path
from ..scenarios.scenario_file import (
    is_scenario_file,
    named_scenario,
    parse_scenarios,
    scenario_file_name,
    scenario_file_text,
)
from ..scenarios.titles import setting_text
from .downloads import drawing, svg_inline
from .editing import BadRequest, case_errors
from .saving import Conflict, sha256
from .security import case_path

__all__ = [
    "MAX_VARIES",
    "MAX_WEB_SCENARIOS",
    "SpecError",
    "compare",
    "comparison_svg",
    "save_scenarios",
    "saved_scenarios",
    "scenario_file",
    "vary_text",
]

#: At most this many fields varied at once (every combination is a scenario).
MAX_VARIES = 3
#: At most this many scenarios in one answer: a table a person can read, an answer in about a
#: second (the command line takes up to :data:`timeline.scenarios.MAX_SCENARIOS`).
MAX_WEB_SCENARIOS = 400


class SpecError(ValueError):
    """What to compare cannot be used: the errors by field (422)."""

    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__("; ".join(e["message"] for e in errors))
        self.errors = errors


def _error(field: str, value: Any, message: str, lang: str = "en") -> dict[str, str]:
    """An error as the page shows it; ``message`` (a catalogue :class:`~timeline.errors.Message`,
    or a library error's text) in ``lang``."""
    shown = "" if value is None else value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return {"record": "", "field": field, "value": shown[:200], "message": text_in(message, lang)}


def _int(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).strip().lstrip("+-").isdigit():
        raise ScenarioError(msg("web-whole-days", what=what, value=show_value(value)))
    return int(value)


def vary_text(item: Any, data: dict[str, Any]) -> str:
    """The ``--vary`` text of ``item``: a text as it is; ``{"path", "shift"}`` the case's date
    at ``path`` (in ``data``, the case file's fields) moved by ``shift`` days; ``{"path",
    "from", "to", "step"}`` the range ``from..to/step`` (:class:`ScenarioError` if invalid)."""
    if isinstance(item, str):
        return item
    if not isinstance(item, dict) or not isinstance(item.get("path"), str):
        raise ScenarioError(msg("web-vary-form"))
    path = parse_path(item["path"])
    if "shift" in item:
        if path.kind != "date":
            raise ScenarioError(msg("web-vary-not-date", path=path.text))
        recorded = get_field(data, path)
        if not isinstance(recorded, str):
            raise ScenarioError(msg("web-vary-no-date", path=path.text))
        shift = _int(item["shift"], "shift")
        if abs(shift) > 3660:
            raise ScenarioError(msg("web-vary-shift-too-far", shift=shift))
        return f"{path.text}={date.fromisoformat(recorded) + timedelta(days=shift)}"
    first, last = item.get("from"), item.get("to")
    if not isinstance(first, str) or not isinstance(last, str) or not first or not last:
        raise ScenarioError(msg("web-vary-range"))
    step = _int(item.get("step") or 1, "step")
    return f"{path.text}={first.strip()}..{last.strip()}" + (f"/{step}" if step != 1 else "")


def _varies(raw: Any, data: dict[str, Any], lang: str) -> list[Vary]:
    items = [raw] if isinstance(raw, (str, dict)) else raw if isinstance(raw, list) else None
    if items is None:
        raise SpecError([_error("vary", raw, msg("web-vary-list"), lang)])
    if len(items) > MAX_VARIES:
        raise SpecError([_error("vary", None, msg("web-vary-too-many", limit=MAX_VARIES), lang)])
    out, errors = [], []
    for i, item in enumerate(items):
        try:
            v = parse_vary(vary_text(item, data))
            check_exists(v.path, data)
            out.append(v)
        except (ScenarioError, ValueError) as err:
            errors.append(_error(f"vary[{i}]", item, error_text(err, lang)))
    if errors:
        raise SpecError(errors)
    return out


def _named(raw: Any, data: dict[str, Any], lang: str) -> list[NamedScenario]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise SpecError([_error("scenarios", raw, msg("web-scenarios-list"), lang)])
    out: list[NamedScenario] = []
    errors = []
    for i, entry in enumerate(raw):
        try:
            s = named_scenario(entry, f"scenarios[{i}]", [x.name for x in out])
            for p, _, _ in s.settings:
                check_exists(p, data)
            out.append(s)
        except ScenarioError as err:
            errors.append(_error(f"scenarios[{i}]", entry, error_text(err, lang)))
    if errors:
        raise SpecError(errors)
    return out


def compare(case: Case, request: dict[str, Any], as_of: date, lang: str = "en") -> Comparison:
    """The comparison ``request`` asks for (``vary``, ``scenarios``, ``options``) of ``case`` on
    ``as_of``. Raises :class:`SpecError` (by field, its messages in ``lang``) or the library's errors."""
    data = case_to_dict(case)
    varies = _varies(request.get("vary") or [], data, lang)
    named = _named(request.get("scenarios"), data, lang)
    if not varies and not named:
        raise SpecError([_error("vary", None, msg("web-vary-nothing"), lang)])
    total = len(named) + (math.prod(len(v.values) for v in varies) if varies else 0)
    if total > MAX_WEB_SCENARIOS:
        raise SpecError(
            [
                _error(
                    "vary[0]" if len(varies) == 1 else "vary",
                    None,
                    msg("web-too-many-scenarios", total=Number(total), limit=Number(MAX_WEB_SCENARIOS)),
                    lang,
                )
            ]
        )
    options = request.get("options") or {}
    if not isinstance(options, dict) or not all(isinstance(v, str) for v in options.values()):
        raise SpecError([_error("options", options, msg("web-options-object"), lang)])
    try:
        return scenarios(case, varies, named, as_of, options)
    except OptionError as err:
        raise SpecError([_error("options", options, err.text(lang))]) from None
    except ScenarioError as err:
        raise SpecError([_error("vary", None, err.text(lang))]) from None


class _Kept:
    """The last :data:`KEEP` answers by their question: the slider going back and forth."""

    KEEP = 64

    def __init__(self) -> None:
        self.kept: OrderedDict[str, Any] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str, make: Callable[[], Any]) -> Any:
        with self.lock:
            if key in self.kept:
                self.kept.move_to_end(key)
                return self.kept[key]
        value = make()
        with self.lock:
            self.kept[key] = value
            while len(self.kept) > self.KEEP:
                self.kept.popitem(last=False)
        return value


_CHARTS = _Kept()


def comparison_svg(cmp: Comparison, lang: str) -> str:
    """The comparison chart (``timeline scenarios -o comparison.svg``) as an inline ``<svg>``."""
    key = json.dumps([comparison_dict(cmp, lang), lang], sort_keys=True, default=str)
    return str(_CHARTS.get(key, lambda: _draw(cmp, lang)))


def _draw(cmp: Comparison, lang: str) -> str:
    from ..chart import save
    from ..scenarios.chart import comparison_figure

    with drawing(), tempfile.TemporaryDirectory(prefix="timeline-web-") as tmp:
        out = Path(tmp) / "comparison.svg"
        save(comparison_figure(cmp, lang), out)
        return svg_inline(out.read_bytes())


# --------------------------------------------------------------------------- the scenario file


def scenario_file(root: Path, name: str) -> Path | None:
    """The scenario file of case file ``name`` in ``root`` (it may not exist yet), or ``None``
    when ``name`` is not a case file there or the scenario file is a link out of the folder."""
    case = case_path(root, name)
    if case is None:
        return None
    path = root / scenario_file_name(name)
    if path.is_symlink() or (path.exists() and (not path.is_file() or path.resolve().parent != root.resolve())):
        return None
    return path


def saved_scenarios(path: Path, case: Case | None, lang: str) -> tuple[list[dict[str, Any]], str | None, str | None]:
    """The named scenarios in the scenario file ``path`` as the page shows them (``name``,
    ``set`` with the values as written, ``text`` in words), the file's SHA-256 (``None``: no
    file) and the reason the file cannot be read (``None``: it can)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return [], None, None
    try:
        named = parse_scenarios(raw.decode("utf-8-sig"), path.name)
    except (ScenarioError, UnicodeDecodeError) as err:
        return [], sha256(raw), str(err)
    return [_entry(s, case, lang) for s in named], sha256(raw), None


def _entry(s: NamedScenario, case: Case | None, lang: str) -> dict[str, Any]:
    settings = {p.text: label for p, _, label in s.settings}
    text = "; ".join(setting_text(case, p, v, lang) for p, v in settings.items())
    return {"name": s.name, "set": settings, "text": text}


def save_scenarios(root: Path, name: str, case: Case, request: dict[str, Any], lang: str) -> dict[str, Any]:
    """Write ``request["scenarios"]`` into the scenario file of case file ``name`` if the file is
    still as the page loaded it (``request["sha"]``: its SHA-256, ``null`` when there was no
    file); an empty list removes the file. Returns ``ok``, ``file``, ``sha`` (``null``: no
    file) and ``scenarios`` as :func:`saved_scenarios` gives them.

    Raises :class:`LookupError` (not a case file), :class:`Conflict`, :class:`SpecError`,
    :class:`BadRequest`.
    """
    path = scenario_file(root, name)
    if path is None or is_scenario_file(name):
        raise LookupError(name)
    loaded = request.get("sha")
    if loaded is not None and not isinstance(loaded, str):
        raise BadRequest(msg("web-scenario-sha"))
    named = _named(request.get("scenarios"), case_to_dict(case), lang)
    try:
        current: bytes | None = path.read_bytes()
    except FileNotFoundError:
        current = None
    if (None if current is None else sha256(current)) != loaded:
        raise Conflict(msg("web-changed-on-disk", name=path.name))
    if not named:
        path.unlink(missing_ok=True)
        return {"ok": True, "file": path.name, "sha": None, "scenarios": []}
    try:
        text = scenario_file_text(named, current.decode("utf-8-sig") if current is not None else None)
    except (ScenarioError, UnicodeDecodeError) as err:
        raise SpecError([_error("", None, f"{path.name}: {error_text(err, lang)}")]) from None
    if parse_scenarios(text, path.name) != tuple(named):  # the file says what was asked, or nothing is written
        raise SpecError([_error("scenarios", None, msg("web-scenarios-not-toml"), lang)])
    with replacing(path) as tmp:
        Path(tmp).write_text(text, encoding="utf-8")
    return {
        "ok": True,
        "file": path.name,
        "sha": sha256(text.encode("utf-8")),
        "scenarios": [_entry(s, case, lang) for s in named],
    }


def spec_errors(err: TimelineError, lang: str = "en") -> list[dict[str, str]]:
    """A library error about the case itself, as the page shows errors, in ``lang``."""
    return case_errors(err, lang) if isinstance(err, CaseError) else [_error("", None, err.text(lang))]
