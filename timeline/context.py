"""The working state of one assessment: case, date, options, and the notes it collects."""

from __future__ import annotations

from datetime import date
from typing import Any

from .assessment import Explanation, Warning
from .model import Case
from .options import Options


class Context:
    """Inputs of one assessment plus the explanations and warnings gathered on the way."""

    __slots__ = ("as_of", "case", "explanations", "opts", "warnings")

    def __init__(self, case: Case, as_of: date, opts: Options) -> None:
        self.case = case
        self.as_of = as_of
        self.opts = opts
        self.explanations: list[Explanation] = []
        self.warnings: list[Warning] = []

    def explain(
        self, subject: str, rule: str, key: str, result: Any, options: tuple[str, ...] = (), **params: Any
    ) -> None:
        """Record why ``subject`` has value ``result`` (message ``key`` with ``params``)."""
        self.explanations.append(Explanation(subject, rule, key, result, params, options))

    def warn(self, key: str, **params: Any) -> None:
        """Record a warning (message ``key`` in :mod:`timeline.i18n`)."""
        self.warnings.append(Warning(key, params))
