"""Shared helpers: build a case from a small dict and assess it; the ``ci`` marker.

Tests marked ``@pytest.mark.ci`` (executing the notebooks, building the wheel: the slowest,
and the least likely to break from a change to the code) are skipped by the default run,
which a contributor starts often, and run with ``pytest --ci``, as ``.ci/run`` does. With
``--ci`` the property tests also draw their full budgets (``tests/budget.py``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from timeline import assess, case_from_dict


def D(text: str) -> date:
    """Shorthand for an ISO date in test expectations."""
    return date.fromisoformat(text)


def run(data: dict[str, Any], as_of: str, **options: str):
    """Assess a case given as a case-file dict on ``as_of`` with ``options``."""
    case = case_from_dict({"id": "t", **data})
    return assess(case, D(as_of), options or None)


@pytest.fixture
def assess_dict():
    return run


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--ci",
        action="store_true",
        help="also run the tests marked ci (notebooks, wheel) and the full property-test budgets, as .ci/run does",
    )


def pytest_configure(config: pytest.Config) -> None:
    import budget

    budget.FULL = config.getoption("--ci")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--ci"):
        return
    skip = pytest.mark.skip(reason="marked ci: run with `pytest --ci` (as .ci/run does)")
    for item in items:
        if item.get_closest_marker("ci"):
            item.add_marker(skip)
