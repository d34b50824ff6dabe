"""Typed errors. Every message names where the problem is and what would be valid."""

from __future__ import annotations

__all__ = ["CaseError", "OptionError", "TimelineError"]


class TimelineError(Exception):
    """Base class of every error the library raises on bad input."""


class CaseError(TimelineError):
    """A case file or record that cannot be used.

    Parameters
    ----------
    message
        What is wrong and what would be valid.
    source
        The file name (or ``"<case>"`` for in-memory data).
    record
        The record, e.g. ``"permits[2]"``; empty for the top level.
    field
        The field name, e.g. ``"end"``.
    value
        The offending value, shown with ``repr``.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str = "<case>",
        record: str = "",
        field: str = "",
        value: object = None,
        has_value: bool = False,
    ) -> None:
        self.source = source
        self.record = record
        self.field = field
        self.value = value
        self.reason = message
        where = source
        path = ".".join(p for p in (record, field) if p)
        if path:
            where += f": {path}"
        text = f"{where}: {message}"
        if has_value or value is not None:
            text = f"{where} = {value!r}: {message}"
        super().__init__(text)

    @property
    def path(self) -> str:
        """``record.field`` as written in the case file."""
        return ".".join(p for p in (self.record, self.field) if p)


class OptionError(TimelineError):
    """An unknown option or an invalid option value."""
