"""Typed errors. Every message names where the problem is and what would be valid.

Every message a user reads comes from the text catalogues (context ``error``): it is a
:class:`Message`, a ``str`` whose text is the English one (so ``str(err)``, logs and
callers that match English text keep working) and which keeps its catalogue key and
parameters, so that :meth:`TimelineError.text` gives it in any language of
:data:`timeline.i18n.LANGS`. A parameter that is itself a :class:`Message` (the kind of a
value, an option's own error) is given in the same language; a :class:`Number` is grouped
by thousands with the language's separator; a list or tuple is joined by ", ".

A value in a message is shown as the user wrote it (:func:`show_value`): a date as
``2024-06-10``, text in double quotes, a table as ``{purpose = "partner", ...}``, never
as a Python ``repr``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

__all__ = [
    "SHOW_LIMIT",
    "CaseError",
    "Message",
    "Number",
    "OptionError",
    "TimelineError",
    "kind_of",
    "msg",
    "show_value",
    "text_in",
]

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


class Number(int):
    """A count written with the language's thousands separator ("10,000" / "10.000")."""

    __slots__ = ()


def _param(value: Any, lang: str) -> Any:
    if isinstance(value, Message):
        return value.text(lang)
    if isinstance(value, Number):
        from .i18n import lookup

        return f"{int(value):,d}".replace(",", lookup("number", "thousands-separator", lang))
    if isinstance(value, list | tuple):
        return ", ".join(str(_param(v, lang)) for v in value)
    return value


#: (lang, key) -> the template and whether it counts in units (``{n:day}``), read once.
_TEMPLATES: dict[tuple[str, str], tuple[str, bool]] = {}


def _render(key: str, params: Mapping[str, Any], lang: str) -> str:
    found = _TEMPLATES.get((lang, key))
    if found is None:
        import string

        from .i18n import lookup  # here, not at import: the start-up budget of `timeline assess`

        template = lookup("error", key, lang)
        units = any(spec for _, name, spec, _ in string.Formatter().parse(template) if name is not None)
        found = _TEMPLATES[(lang, key)] = (template, units)
    template, units = found
    values = {k: (v if type(v) is str else _param(v, lang)) for k, v in params.items()}
    if not units:  # no count to pluralise: the built-in formatter (faster for a batch's rejected cases)
        try:
            return template.format_map(values)
        except KeyError:
            pass  # fill names the placeholder without a value
    from .i18n import fill

    return fill(template, values, lang)


class Message(str):
    """A text of the catalogues (context ``error``) with its parameters; as a ``str``, its English text.

    >>> m = Message("field-required-top", field="id")
    >>> m.key, str(m)
    ('field-required-top', 'id is required at the top level of the case')
    >>> m.text("nl")
    'id is verplicht op het hoogste niveau van het dossier'
    """

    key: str
    params: dict[str, Any]

    def __new__(cls, key: str, /, **params: Any) -> Message:
        self = super().__new__(cls, _render(key, params, "en"))
        self.key, self.params = key, params
        return self

    def text(self, lang: str = "en") -> str:
        """The message in ``lang`` (:class:`KeyError` naming a placeholder without a value)."""
        return str.__str__(self) if lang == "en" else _render(self.key, self.params, lang)

    def __getnewargs_ex__(self) -> tuple[tuple[str], dict[str, Any]]:
        return (self.key,), self.params


def msg(key: str, /, **params: Any) -> Message:
    """The catalogue's error text ``key`` filled with ``params`` (:class:`Message`)."""
    return Message(key, **params)


def text_in(message: str, lang: str) -> str:
    """``message`` in ``lang`` when it is a :class:`Message`, else as it is (a text not from the catalogues)."""
    return message.text(lang) if isinstance(message, Message) else str(message)


def error_text(err: BaseException, lang: str) -> str:
    """The message ``err`` was raised with, in ``lang`` (any exception: one raised with a
    :class:`Message` is given in ``lang``, any other as it is)."""
    message = err.args[0] if len(err.args) == 1 and isinstance(err.args[0], str) else str(err)
    return text_in(message, lang)


def kind_of(value: object) -> Message:
    """The type of a parsed TOML/JSON value, for a message: "a string", "a date with a time", ..."""
    if value is None:
        return msg("kind-null")
    if isinstance(value, bool):
        return msg("kind-boolean")
    if isinstance(value, int):
        return msg("kind-integer")
    if isinstance(value, float):
        return msg("kind-number")
    if isinstance(value, str):
        return msg("kind-string")
    if isinstance(value, datetime):
        return msg("kind-datetime")
    if isinstance(value, date):
        return msg("kind-date")
    if isinstance(value, Mapping):
        return msg("kind-table")
    if isinstance(value, list | tuple):
        return msg("kind-array")
    return msg("kind-other", name=type(value).__name__)


class TimelineError(Exception):
    """Base class of every error the library raises on bad input.

    Raised with a :class:`Message` (``raise TableError(msg("key", path=...))``), ``str(err)``
    is the English text and :meth:`text` the text in another language.
    """

    @property
    def message(self) -> str:
        """The message as raised: a :class:`Message` (or a plain ``str`` not from the catalogues)."""
        return self.args[0] if self.args and isinstance(self.args[0], str) else str(self)

    def text(self, lang: str = "en") -> str:
        """The message in ``lang``; English for a message that is not from the catalogues."""
        return error_text(self, lang)


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
        if has_value or value is not None:
            where = f"{where} = {show_value(value)}"
        self.where = where  #: ``file: record.field = value``, the same in every language
        super().__init__(f"{where}: {message}")

    @property
    def message(self) -> str:
        """The reason (:attr:`reason`), without the file, record, field and value."""
        return self.reason

    def text(self, lang: str = "en") -> str:
        """``file: record.field = value: reason``, the reason in ``lang``."""
        return f"{self.where}: {self.reason_text(lang)}"

    def reason_text(self, lang: str = "en") -> str:
        """What is wrong and what would be valid, in ``lang``."""
        return text_in(self.reason, lang)

    @property
    def path(self) -> str:
        """``record.field`` as written in the case file."""
        return ".".join(p for p in (self.record, self.field) if p)


class OptionError(TimelineError):
    """An unknown option or an invalid option value."""
