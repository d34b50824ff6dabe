"""Scenarios: variations of a case side by side, with the difference against the base case.

A lawyer's question is "which date should be reported, and what must we file by when, so
that my client loses the least?" (R3.1, OQ-3). This package answers
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

Modules
-------
- :mod:`~timeline.scenarios.paths`: the path language (:func:`parse_path`), :class:`ScenarioError`.
- :mod:`~timeline.scenarios.values`: values for a path, ``--vary`` (:func:`parse_vary`).
- :mod:`~timeline.scenarios.scenario_file`: named scenarios from TOML (:func:`load_scenarios`).
- :mod:`~timeline.scenarios.comparison`: :func:`scenarios`, the comparison and its records.
- :mod:`~timeline.scenarios.as_text`, :mod:`~timeline.scenarios.as_json`,
  :mod:`~timeline.scenarios.as_csv`: the comparison as text, JSON and CSV.
- :mod:`~timeline.scenarios.chart`: the comparison chart (matplotlib; imported on its own).
"""

from __future__ import annotations

from .as_csv import GAPS_COLUMN, comparison_csv, comparison_rows
from .as_json import comparison_dict
from .as_text import comparison_text
from .comparison import OUTPUTS, RANKED_OUTPUTS, Comparison, Extreme, Outcome, Scenario, scenarios
from .paths import Path, ScenarioError, parse_path
from .scenario_file import NamedScenario, load_scenarios
from .values import MAX_SCENARIOS, Vary, parse_vary

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
    "comparison_rows",
    "comparison_text",
    "load_scenarios",
    "parse_path",
    "parse_vary",
    "scenarios",
]
