"""timeline: Dutch residence timelines (partner permit, gaps, permanent residence, naturalisation).

The public API:

- :func:`load_case` / :func:`case_from_dict`: read and validate a case (TOML/JSON).
- :func:`assess`: compute residence, gaps, the reporting deadline, and the clocks
  toward permanent residence and naturalisation, each date with its legal basis.
- :class:`Options`: the discretionary choices (rules.md OQ-*), with defaults.

Dates are :class:`datetime.date`; every end date is exclusive (rules.md DC-1).
"""

from __future__ import annotations

__version__ = "0.1.0"

from .assessment import Assessment
from .engine import assess
from .errors import CaseError, OptionError, TimelineError
from .io import case_from_dict, case_to_dict, load_case
from .model import Absence, Application, Case, Notification, Permit, Person, Relationship, Sponsor
from .options import OPTIONS, Options

__all__ = [
    "OPTIONS",
    "Absence",
    "Application",
    "Assessment",
    "Case",
    "CaseError",
    "Notification",
    "OptionError",
    "Options",
    "Permit",
    "Person",
    "Relationship",
    "Sponsor",
    "TimelineError",
    "__version__",
    "assess",
    "case_from_dict",
    "case_to_dict",
    "load_case",
]
