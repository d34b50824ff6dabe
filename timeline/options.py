"""User-visible choices for the discretionary points of the law (OQ-* in docs/rules.md).

Each option names the open question it settles (OQ-*), its default and its choices; what
it means, in every language, is in the text catalogues (:meth:`Option.text`).
The default is the brief's proposed default; every result that an option affects
lists the option next to it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple

from .errors import Message, OptionError, msg, show_value

__all__ = ["OPTIONS", "Option", "Options"]


class Option(NamedTuple):
    """One discretionary choice: key, open question (OQ-*), default and choices.

    What it settles is a text of the catalogues (context "option", by key): :meth:`text`.
    """

    key: str
    question: str
    default: str
    choices: tuple[str, ...]

    def text(self, lang: str = "en") -> str:
        """What the option settles, in ``lang``."""
        from .i18n import lookup

        return lookup("option", self.key, lang)

    @property
    def help(self) -> str:
        """What the option settles, in English (:meth:`text`)."""
        return self.text("en")


OPTIONS: dict[str, Option] = {
    o.key: o
    for o in (
        Option(
            "end_date_convention",
            "OQ-1",
            "exclusive",
            ("exclusive", "inclusive"),
        ),
        Option(
            "notification_trigger",
            "OQ-2",
            "separation",
            ("separation", "reported", "divorce"),
        ),
        Option(
            "withdrawal_effective",
            "OQ-3",
            "reported",
            ("reported", "separation", "notification", "decision", "divorce"),
        ),
        Option(
            "late_extension_count_from",
            "OQ-4",
            "last-valid-day",
            ("last-valid-day", "first-invalid-day"),
        ),
        Option(
            "late_extension_atw",
            "OQ-4",
            "no",
            ("no", "yes"),
        ),
        Option(
            "late_tolerance_applies_to",
            "OQ-21",
            "extension",
            ("extension", "extension-and-change"),
        ),
        Option(
            "eu_procedural_stay",
            "OQ-5",
            "bridge",
            ("bridge", "gap"),
        ),
        Option(
            "total_years_reading",
            "OQ-23",
            "calendar-days",
            ("calendar-days", "years-months-days"),
        ),
        Option(
            "eu_contested_withdrawal",
            "OQ-25",
            "gap",
            ("gap", "bridge"),
        ),
        Option(
            "eu_search_year_weight",
            "OQ-24",
            "none",
            ("none", "half"),
        ),
        Option(
            "permanent_reference_date",
            "OQ-6",
            "application",
            ("application", "decision"),
        ),
        Option(
            "national_absence_threshold",
            "OQ-7",
            "more-than-6-months",
            ("more-than-6-months", "6-months-or-more"),
        ),
        Option(
            "leap_day_anniversary",
            "OQ-8",
            "mar1",
            ("mar1", "feb28"),
        ),
        Option(
            "eu_accrual_target",
            "OQ-9",
            "calendar",
            ("calendar", "fixed"),
        ),
        Option(
            "dv_route",
            "OQ-10",
            "temporary-first",
            ("temporary-first", "direct"),
        ),
        Option(
            "relationship_permit_clip",
            "OQ-11",
            "separation",
            ("separation", "withdrawal"),
        ),
        Option(
            "naturalisation_pending_extension",
            "OQ-12",
            "not-eligible",
            ("not-eligible", "eligible"),
        ),
        Option(
            "decision_extension",
            "OQ-13",
            "6-months",
            ("6-months", "90-days"),
        ),
        Option(
            "permanent_decision_period",
            "OQ-14",
            "90-days",
            ("90-days", "6-months"),
        ),
        Option(
            "extension_window",
            "OQ-16",
            "3-months",
            ("3-months", "6-months"),
        ),
        Option(
            "naturalisation_years",
            "OQ-18",
            "5",
            ("5", "10"),
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
                raise OptionError(msg("option-invalid", key=key, value=show_value(value), choices=option.choices))
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


def _unknown_key(key: str) -> Message:
    import difflib  # only on the error path: keeps start-up fast

    close = difflib.get_close_matches(key, OPTIONS, n=1)
    if close:
        return msg("option-unknown-close", key=repr(key), close=repr(close[0]), valid=tuple(OPTIONS))
    return msg("option-unknown", key=repr(key), valid=tuple(OPTIONS))
