"""Checking case files without assessing them (``timeline check``): every problem of every file.

The problems are those of the case reader (:func:`timeline.io.file_problems`, which reads
by the fields and checks of :mod:`timeline.fields`), so a file with no problems is one
``timeline assess`` reads.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from .errors import CaseError, show_value
from .io import file_problems

__all__ = ["case_files", "check_files", "problem_dict"]


def case_files(paths: Iterable[str]) -> list[str]:
    """``paths`` with each folder replaced by the ``.toml`` and ``.json`` files in it (sorted, not recursive)."""
    out: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            names = sorted(n for n in os.listdir(path) if os.path.splitext(n)[1].lower() in (".toml", ".json"))
            out += [os.path.join(path, n) for n in names if os.path.isfile(os.path.join(path, n))]
        else:
            out.append(path)
    return out


def check_files(paths: Iterable[str]) -> dict[str, list[CaseError]]:
    """Every problem of each case file in ``paths`` (a folder: its case files; ``-``: the case
    on standard input), by path (an empty list: the file is valid)."""
    from .pipes import STDIN, stdin_problems

    return {path: stdin_problems() if path == STDIN else file_problems(path) for path in case_files(paths)}


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
