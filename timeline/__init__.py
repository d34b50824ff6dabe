"""timeline: Dutch residence timelines (partner permit, gaps, permanent residence, naturalisation).

The public API:

- :func:`load_case` / :func:`case_from_dict`: read and validate a case (TOML/JSON).
- :func:`assess`: compute residence, gaps, the reporting deadline, and the clocks
  toward permanent residence and naturalisation, each date with its legal basis.
- :class:`Options`: the discretionary choices (OQ-* in docs/rules.md), with defaults.
- :func:`chart_spec`, :func:`chart_figure`, :func:`render_chart`, :func:`save_chart`,
  :func:`write_report`: Gantt charts and the client report (loaded on first use:
  matplotlib is not imported by ``import timeline``).
- :func:`compare_scenarios`: what-if comparisons; ``Assessment.actions``: what to do by when.
- :func:`assess_table`: many cases from a table (CSV, JSON Lines, Parquet) at once
  (loaded on first use: it needs pandas, which ``import timeline`` does not import).
- The errors, all subclasses of :class:`TimelineError`: :class:`CaseError`,
  :class:`OptionError`, :class:`OutputError`, :class:`ParameterError` (a legal-parameter
  table, :mod:`timeline.law`), :class:`ChartError`, :class:`TableError`,
  :class:`ScenarioError`, :class:`IcsError`, :class:`SynthError` (the last five loaded on
  first use, with their modules).

The exported names differ from the submodules' names (``timeline.chart``,
``timeline.presentation``, ``timeline.scenarios``): importing a submodule binds its name on the
package, which would otherwise replace a function of the same name.

Dates are :class:`datetime.date`; every end date is exclusive (DC-1).
"""

from __future__ import annotations

#: The tool's version, the one place it is written: pyproject.toml reads it from here
#: (``[tool.setuptools.dynamic]``), ``timeline --version`` and the report footers print it.
__version__ = "0.1.0"

from typing import TYPE_CHECKING, Any

from .assessment import Assessment
from .engine import assess
from .errors import CaseError, OptionError, TimelineError
from .io import case_from_dict, case_to_dict, load_case
from .law import ParameterError
from .model import Absence, Application, Case, Notification, Permit, Person, Relationship, Sponsor
from .options import OPTIONS, Options
from .outputs import OutputError

if TYPE_CHECKING:  # the types of the names loaded on first use (below), for type checkers
    from .batch import assess_table  # noqa: F401 (exported through _LAZY in __all__)
    from .chart import ChartError, chart_spec  # noqa: F401
    from .chart import chart as chart_figure  # noqa: F401
    from .chart import render as render_chart  # noqa: F401
    from .chart import save as save_chart  # noqa: F401
    from .ics import IcsError  # noqa: F401
    from .report import write_report  # noqa: F401
    from .scenarios import ScenarioError  # noqa: F401
    from .scenarios import scenarios as compare_scenarios  # noqa: F401
    from .synth import SynthError  # noqa: F401
    from .tables import TableError  # noqa: F401

# Loaded on first use (PEP 562): `timeline assess` has a start-up budget and never draws,
# and `import timeline` imports neither numpy nor pandas (batch, tables and synth do).
_LAZY = {  # exported name: (submodule, attribute)
    "chart_spec": ("chart", "chart_spec"),
    "chart_figure": ("chart", "chart"),
    "render_chart": ("chart", "render"),
    "save_chart": ("chart", "save"),
    "write_report": ("report", "write_report"),
    "compare_scenarios": ("scenarios", "scenarios"),
    "assess_table": ("batch", "assess_table"),
    "ChartError": ("chart", "ChartError"),
    "TableError": ("tables", "TableError"),
    "ScenarioError": ("scenarios", "ScenarioError"),
    "IcsError": ("ics", "IcsError"),
    "SynthError": ("synth", "SynthError"),
}


def __getattr__(name: str) -> Any:
    target = _LAZY.get(name)
    if target is None:
        raise AttributeError(f"module 'timeline' has no attribute {name!r}")
    from importlib import import_module

    module, attribute = target
    return getattr(import_module(f".{module}", __name__), attribute)


__all__ = [
    "__version__",
    "assess",
    "load_case",
    "case_from_dict",
    "case_to_dict",
    "Assessment",
    "Case",
    "Person",
    "Sponsor",
    "Relationship",
    "Permit",
    "Notification",
    "Application",
    "Absence",
    "Options",
    "OPTIONS",
    "TimelineError",
    "CaseError",
    "OptionError",
    "OutputError",
    "ParameterError",
    *_LAZY,
]
