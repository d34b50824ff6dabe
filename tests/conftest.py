"""Shared helpers: build a case from a small dict and assess it."""

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
