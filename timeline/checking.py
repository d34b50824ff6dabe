"""Checking case files without assessing them (``timeline check``): every problem of every file.

The problems are those of the case reader (:func:`timeline.io.file_problems`, which reads
by the fields and checks of :mod:`timeline.fields`), so a file with no problems is one
``timeline assess`` reads.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .errors import CaseError, show_value
from .io import file_problems

__all__ = ["check_files", "problem_dict"]


def check_files(paths: Iterable[str]) -> dict[str, list[CaseError]]:
    """Every problem of each case file in ``paths``, by path (an empty list: the file is valid)."""
    return {path: file_problems(path) for path in paths}


def problem_dict(err: CaseError) -> dict[str, Any]:
    """One problem as plain data: ``file``, ``record`` (``"permits[2]"``; ``""`` at the top
    level), ``field``, ``value`` (as written in the file, cut short; ``null`` when none),
    ``message`` (what is wrong and what would be valid) and ``check`` (the check of
    :mod:`timeline.fields`; ``""`` for a problem of the file's structure)."""
    return {
        "file": err.source,
        "record": err.record,
        "field": err.field,
        "value": None if err.value is None else show_value(err.value),
        "message": err.reason,
        "check": err.check,
    }
