"""User-visible choices for the discretionary points of the law (OQ-* in docs/rules.md).

Each option names the open question it settles (OQ-*), its default and its choices.
The default is the brief's proposed default; every result that an option affects
lists the option next to it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple

from .errors import OptionError, show_value

__all__ = ["OPTIONS", "Option", "Options"]


class Option(NamedTuple):
    """One discretionary choice: key, open question (OQ-*), default, choices, meaning."""

    key: str
    question: str
    default: str
    choices: tuple[str, ...]
    help: str


OPTIONS: dict[str, Option] = {
    o.key: o
    for o in (
        Option(
            "end_date_convention",
            "OQ-1",
            "exclusive",
            ("exclusive", "inclusive"),
            "Whether a permit's printed end date ('geldig tot') is the first day without "
            "validity (exclusive, DC-1) or the last valid day (inclusive).",
        ),
        Option(
            "notification_trigger",
            "OQ-2",
            "separation",
            ("separation", "reported", "divorce"),
            "The change that starts the 4-week reporting term: the factual separation, the "
            "end date stated in the first report, or the legal divorce.",
        ),
        Option(
            "withdrawal_effective",
            "OQ-3",
            "reported",
            ("reported", "separation", "notification", "decision"),
            "First day without the partner permit after the relationship ends: the end date "
            "stated in the first report received (else the separation date), the factual "
            "separation date, the date the IND received the first report, or the date of "
            "the withdrawal decision (ex nunc). A recorded 'withdrawn_from' always wins.",
        ),
        Option(
            "late_extension_count_from",
            "OQ-4",
            "last-valid-day",
            ("last-valid-day", "first-invalid-day"),
            "Where the 2022 four-week tolerance for late extensions starts counting.",
        ),
        Option(
            "late_extension_atw",
            "OQ-4",
            "no",
            ("no", "yes"),
            "Whether the four-week tolerance is extended past weekends and holidays (ATW by analogy).",
        ),
        Option(
            "late_tolerance_applies_to",
            "OQ-21",
            "extension",
            ("extension", "extension-and-change"),
            "Application kinds the four-week tolerance applies to.",
        ),
        Option(
            "eu_procedural_stay",
            "OQ-5",
            "bridge",
            ("bridge", "gap"),
            "For EU long-term residence: procedural stay (waiting for a decision) bridges "
            "continuity without counting, or is treated as a gap.",
        ),
        Option(
            "permanent_reference_date",
            "OQ-6",
            "application",
            ("application", "decision"),
            "For national permanent residence: the 5 years must be complete on the "
            "application date, or only on the decision date (filing up to the decision "
            "period earlier).",
        ),
        Option(
            "national_absence_threshold",
            "OQ-7",
            "more-than-6-months",
            ("more-than-6-months", "6-months-or-more"),
            "Main residence is presumed abroad after more than 6 consecutive months "
            "(Vc wording) or after 6 months or more (IND English wording).",
        ),
        Option(
            "leap_day_anniversary",
            "OQ-8",
            "mar1",
            ("mar1", "feb28"),
            "A residence or relationship period that starts on 29 February completes on "
            "1 March (every day of the period covered) or on 28 February.",
        ),
        Option(
            "eu_accrual_target",
            "OQ-9",
            "calendar",
            ("calendar", "fixed"),
            "EU long-term residence target: the calendar length of the 5 years before the "
            "application (1826 or 1827 days) or a fixed 1826.25 days.",
        ),
        Option(
            "dv_route",
            "OQ-10",
            "temporary-first",
            ("temporary-first", "direct"),
            "Domestic-violence route shown: a 1-year temporary humanitarian permit first "
            "(Vb 3.48(1)(f)), or directly a non-temporary one (Vb 3.51(1)(k)).",
        ),
        Option(
            "relationship_permit_clip",
            "OQ-11",
            "separation",
            ("separation", "withdrawal"),
            "Independent residence: permit time 'on the basis of the relationship' ends at "
            "the separation, or only at the withdrawal or permit end.",
        ),
        Option(
            "naturalisation_pending_extension",
            "OQ-12",
            "not-eligible",
            ("not-eligible", "eligible"),
            "Whether a naturalisation request can be made while an extension is pending.",
        ),
        Option(
            "decision_extension",
            "OQ-13",
            "6-months",
            ("6-months", "90-days"),
            "How far the IND may extend the 90-day decision period (Vw 25(2)).",
        ),
        Option(
            "permanent_decision_period",
            "OQ-14",
            "90-days",
            ("90-days", "6-months"),
            "Decision period for permanent residence and EU long-term residence applications.",
        ),
        Option(
            "extension_window",
            "OQ-16",
            "3-months",
            ("3-months", "6-months"),
            "How long before a permit ends an extension can first be filed.",
        ),
        Option(
            "naturalisation_years",
            "OQ-18",
            "5",
            ("5", "10"),
            "Standard naturalisation residence term in years (10 is a 2025 draft bill, not law).",
        ),
    )
}


class Options:
    """The option values in force: defaults overridden by the case file and ``--option``.

    >>> Options({"withdrawal_effective": "separation"}).withdrawal_effective
    'separation'
    >>> Options().leap_day_anniversary
    'mar1'
    """

    __slots__ = ("_explicit", "_values")

    def __init__(self, values: Mapping[str, str] | Iterable[tuple[str, str]] = ()) -> None:
        pairs = values.items() if isinstance(values, Mapping) else values
        chosen: dict[str, str] = {}
        for key, value in pairs:
            option = OPTIONS.get(key)
            if option is None:
                raise OptionError(_unknown_key(key))
            text = str(value).lower() if isinstance(value, bool) else str(value)
            if text not in option.choices:
                raise OptionError(
                    f"option {key} = {show_value(value)} is not valid; choose one of: {', '.join(option.choices)}"
                )
            chosen[key] = text
        self._explicit = chosen
        self._values = {k: chosen.get(k, o.default) for k, o in OPTIONS.items()}

    def __getattr__(self, key: str) -> str:
        try:
            return self._values[key]
        except KeyError:
            raise AttributeError(key) from None

    def merged(self, overrides: Mapping[str, str] | Iterable[tuple[str, str]]) -> Options:
        """A copy with ``overrides`` applied on top of the explicit choices."""
        pairs = overrides.items() if isinstance(overrides, Mapping) else overrides
        return Options([*self._explicit.items(), *pairs])

    def as_dict(self) -> dict[str, str]:
        """Every option and its value in force."""
        return dict(self._values)

    def non_default(self) -> dict[str, str]:
        """The options whose value differs from the default."""
        return {k: v for k, v in self._values.items() if v != OPTIONS[k].default}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Options) and self._values == other._values

    def __repr__(self) -> str:
        return f"Options({self.non_default()!r})"


def _unknown_key(key: str) -> str:
    import difflib  # only on the error path: keeps start-up fast

    close = difflib.get_close_matches(key, OPTIONS, n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    return f"unknown option {key!r}.{hint} Valid options: {', '.join(OPTIONS)}"
