"""Typed errors. Every message names where the problem is and what would be valid.

A value in a message is shown as the user wrote it (:func:`show_value`): a date as
``2024-06-10``, text in double quotes, a table as ``{purpose = "partner", ...}``, never
as a Python ``repr``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

__all__ = ["SHOW_LIMIT", "CaseError", "OptionError", "TimelineError", "show_value"]

#: At most this many characters of a value in a message; longer values end in "…".
SHOW_LIMIT = 80
_BARE_KEY = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


class _Full(Exception):
    """Raised inside :func:`show_value` once the limit is passed (stops formatting huge values early)."""


def _quote(text: str) -> str:
    """``"text"`` with TOML/JSON escapes; control characters and lone surrogates as ``\\uXXXX``."""
    out = ['"']
    for c in text:
        if c in _ESCAPES:
            out.append(_ESCAPES[c])
        elif c < " " or c == "\x7f" or "\ud800" <= c <= "\udfff":
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(c)
    out.append('"')
    return "".join(out)


def _integer(n: int) -> str:
    try:
        return str(n)
    except ValueError:  # more digits than sys.get_int_max_str_digits() allows
        digits = int(n.bit_length() * 0.30103) + 1
        return f"<{'a negative' if n < 0 else 'an'} integer of about {digits:,} digits>"


def _write(value: Any, out: list[str], budget: list[int]) -> None:
    def put(text: str) -> None:
        out.append(text)
        budget[0] -= len(text)
        if budget[0] < 0:
            raise _Full

    if value is None:
        put("null")
    elif isinstance(value, bool):
        put("true" if value else "false")
    elif isinstance(value, int):
        put(_integer(value))
    elif isinstance(value, float):
        put(repr(value))
    elif isinstance(value, str):
        put(_quote(value[: budget[0] + 2]))  # a long text is cut anyway: quote only what can show
    elif isinstance(value, datetime | date | time):
        put(value.isoformat())
    elif isinstance(value, Mapping):
        put("{")
        for i, (key, item) in enumerate(value.items()):
            name = str(key) if isinstance(key, str) else _integer(key) if isinstance(key, int) else "?"
            bare = name != "" and all(c in _BARE_KEY for c in name)
            put(("" if i == 0 else ", ") + (name if bare else _quote(name[: budget[0] + 2])) + " = ")
            _write(item, out, budget)
        put("}")
    elif isinstance(value, list | tuple):
        put("[")
        for i, item in enumerate(value):
            if i:
                put(", ")
            _write(item, out, budget)
        put("]")
    elif isinstance(value, bytes | bytearray):
        put(_quote(bytes(value[: budget[0] + 2]).decode("utf-8", "backslashreplace")))
    else:
        put(f"<{type(value).__name__}>")


def show_value(value: Any, limit: int = SHOW_LIMIT) -> str:
    """``value`` as a case file writes it (TOML/JSON-like), at most ``limit`` characters.

    Dates and times in ISO form (``2024-06-10``), text in double quotes with escapes (a
    lone surrogate from a JSON file as ``\\udc80``), booleans as ``true``/``false``,
    tables as ``{key = value, ...}`` and arrays as ``[...]``. A longer result is cut to
    ``limit`` characters ending in "…". Never raises: a huge integer is described by its
    number of digits, an unknown type by its name, and deep nesting stops at the limit.
    """
    out: list[str] = []
    try:
        _write(value, out, [limit])
    except _Full:
        pass
    except RecursionError:
        out.append("…")
    text = "".join(out)
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
        The offending value, shown as the user wrote it (:func:`show_value`).
    check
        The check of :mod:`timeline.fields` that failed (``"permits.end.after-start"``);
        empty for a problem of the file's structure.
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
        check: str = "",
    ) -> None:
        self.source = source
        self.check = check
        self.record = record
        self.field = field
        self.value = value
        self.reason = message
        where = source
        path = ".".join(p for p in (record, field) if p)
        if not (where + path).isprintable():  # a field name or file name with a line break, say
            from .usertext import one_line

            where, path = one_line(where), one_line(path)
        if path:
            where += f": {path}"
        text = f"{where}: {message}"
        if has_value or value is not None:
            text = f"{where} = {show_value(value)}: {message}"
        super().__init__(text)

    @property
    def path(self) -> str:
        """``record.field`` as written in the case file."""
        return ".".join(p for p in (self.record, self.field) if p)


class OptionError(TimelineError):
    """An unknown option or an invalid option value."""
