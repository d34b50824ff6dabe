"""Every user-facing text, from one gettext catalogue per language; dates and counts in words.

The texts live in ``timeline/locale/<lang>/LC_MESSAGES/timeline.po`` (edited by people) and
its compilation ``timeline.mo`` (read here, :class:`Catalogue`, as the standard library's
:class:`gettext.GNUTranslations` would; ``python -m timeline.catalogues`` compiles). Each entry is
found by a context (``msgctxt``: "message", "label", "chart", ...) and a stable key
(``msgid``, the same in every language); its text is a ``str.format`` template. The
languages are the catalogues present (:data:`LANGS`): adding a language is adding its
catalogue. A catalogue is read once, on first use.

Dates are formatted here, never through the machine's locale. A date parameter ``x`` is
available as ``{x}`` ("11 March 2021") and ``{x_wd}`` ("Thursday 11 March 2021"); a ``None``
value renders as "-". A placeholder without a value is an error (:class:`KeyError`), never
a silent "-".

Counts are pluralised here too, never by appending a plural word: a template writes a
count with its unit as the format spec, ``{days:day}``, which renders as "1 day" / "92
days" / "1 dag" / "92 dagen" from the catalogue's plural entries (``msgid_plural``) and its
``Plural-Forms`` header (:func:`count`, :func:`fill`).
"""

from __future__ import annotations

import functools
import os
import string
import sys
from datetime import date
from typing import Any

__all__ = [
    "DOMAIN",
    "LANGS",
    "LOCALE_DIR",
    "Catalogue",
    "MissingText",
    "catalogue",
    "citation_title",
    "count",
    "duration",
    "end_convention",
    "fill",
    "format_date",
    "has_label",
    "holiday_name",
    "label",
    "languages",
    "lookup",
    "month_name",
    "ngettext",
    "phrase",
    "route_label",
    "text",
]

DOMAIN = "timeline"
#: Where the catalogues are: ``<LOCALE_DIR>/<lang>/LC_MESSAGES/timeline.mo``. Read with
#: os.path relative to this file (no importlib.resources or pathlib: start-up budget).
LOCALE_DIR = os.path.join(os.path.dirname(__file__), "locale")

_MONTH_KEYS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_WEEKDAY_KEYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def languages(locale_dir: str | None = None) -> tuple[str, ...]:
    """The languages with a compiled catalogue under ``locale_dir`` (default :data:`LOCALE_DIR`), sorted."""
    base = LOCALE_DIR if locale_dir is None else locale_dir
    try:
        names = os.listdir(base)
    except OSError:
        return ()
    return tuple(sorted(n for n in names if os.path.isfile(os.path.join(base, n, "LC_MESSAGES", f"{DOMAIN}.mo"))))


#: The languages of the texts: one per catalogue present, sorted ("en", "nl").
LANGS = languages()


class MissingText(KeyError):
    """A key that the language's catalogue does not have."""


class Catalogue:
    """One language's compiled catalogue (``timeline.mo``), looked up where it lies.

    The keys of a ``.mo`` file are sorted (:func:`timeline.catalogues.mo_bytes` writes them
    so, as GNU ``msgfmt`` does): a text is found by bisection over the bytes and decoded
    when first asked for. Reading the whole file into a dictionary, as the standard
    library's :class:`gettext.GNUTranslations` does, cost about 2 ms of every command's
    start-up for some 1,200 texts, of which a command uses a few dozen. The same lookups:
    :meth:`pgettext` and :meth:`npgettext` (the ``Plural-Forms`` of the header); a key the
    catalogue lacks is :class:`MissingText`, never the key echoed back.
    """

    def __init__(self, lang: str, data: bytes) -> None:
        from array import array

        self.lang = lang
        head = array("I", data[:20] if len(data) >= 28 else bytes(20))
        if sys.byteorder == "big":
            head.byteswap()
        if head[0] != 0x950412DE or head[1] >> 16 != 0:
            raise ValueError(f"the {lang!r} catalogue is not a little-endian .mo file of revision 0")
        n, orig, trans = head[2], head[3], head[4]
        self._keys, self._texts = array("I", data[orig : orig + 8 * n]), array("I", data[trans : trans + 8 * n])
        if sys.byteorder == "big":
            self._keys.byteswap()
            self._texts.byteswap()
        self._data, self._n = data, n
        self._found: dict[tuple[str, str], Any] = {}
        self._plural: Any = None

    def _key(self, i: int) -> bytes:
        return self._data[self._keys[2 * i + 1] : self._keys[2 * i + 1] + self._keys[2 * i]]

    def _text(self, i: int) -> str:
        return self._data[self._texts[2 * i + 1] : self._texts[2 * i + 1] + self._texts[2 * i]].decode("utf-8")

    def _first(self, key: bytes) -> int:
        """The position of the first key not below ``key`` (bisection)."""
        lo, hi = 0, self._n
        while lo < hi:
            mid = (lo + hi) // 2
            if self._key(mid) < key:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def pgettext(self, context: str, message: str) -> str:
        """The text of ``message`` in ``context``."""
        found = self._found.get((context, message))
        if found is None:
            key = f"{context}\x04{message}".encode()
            i = self._first(key)
            if i == self._n or self._key(i) != key:
                raise MissingText(f"no text {context}/{message} in the {self.lang!r} catalogue")
            found = self._found[(context, message)] = self._text(i)
        return str(found)

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        """The form of the plural entry ``msgid1`` in ``context`` for the count ``n``."""
        forms = self._found.get((context, msgid1 + "\x00"))
        if forms is None:
            prefix = f"{context}\x04{msgid1}\x00".encode()
            i = self._first(prefix)
            if i == self._n or not self._key(i).startswith(prefix):
                raise MissingText(f"no text {context}/{msgid1} (plural) in the {self.lang!r} catalogue")
            forms = self._found[(context, msgid1 + "\x00")] = tuple(self._text(i).split("\x00"))
        form = self.plural()(n)
        if not 0 <= form < len(forms):
            raise MissingText(f"no form {form} of {context}/{msgid1} in the {self.lang!r} catalogue")
        return str(forms[form])

    def plural(self) -> Any:
        """The plural rule of the header's ``Plural-Forms`` (a count -> the form's number)."""
        if self._plural is None:
            from gettext import c2py

            rule = "n != 1"  # gettext's default
            if self._n and not self._key(0):  # the header: the entry with the empty key
                for line in self._text(0).split("\n"):
                    name, _, value = line.partition(":")
                    if name.strip().lower() == "plural-forms":
                        rule = value.split("plural=")[1].split(";")[0].strip()
            self._plural = c2py(rule)
        return self._plural


_catalogues: dict[str, Catalogue] = {}
_dates: dict[str, tuple[str, str, tuple[str, ...], tuple[str, ...]]] = {}


def catalogue(lang: str) -> Catalogue:
    """The catalogue of ``lang``, read on first use; :class:`ValueError` for a language without one."""
    found = _catalogues.get(lang)
    if found is not None:
        return found
    if lang not in LANGS:
        raise ValueError(f"language must be one of {', '.join(LANGS)}, not {lang!r}")
    with open(os.path.join(LOCALE_DIR, lang, "LC_MESSAGES", f"{DOMAIN}.mo"), "rb") as f:
        found = Catalogue(lang, f.read())
    _catalogues[lang] = found
    return found


def lookup(context: str, key: str, lang: str = "en") -> str:
    """The text of ``key`` in ``context`` in ``lang``; :class:`MissingText` when the catalogue lacks it."""
    return catalogue(lang).pgettext(context, key)


def phrase(context: str, key: str, lang: str = "en", /, **params: Any) -> str:
    """The text of ``key`` in ``context``, filled with ``params`` (:func:`fill`)."""
    return fill(lookup(context, key, lang), params, lang)


def _date_parts(lang: str) -> tuple[str, str, tuple[str, ...], tuple[str, ...]]:
    parts = _dates.get(lang)
    if parts is None:
        parts = (
            lookup("date", "date", lang),
            lookup("date", "date-with-weekday", lang),
            tuple(lookup("month", k, lang) for k in _MONTH_KEYS),
            tuple(lookup("weekday", k, lang) for k in _WEEKDAY_KEYS),
        )
        _dates[lang] = parts
    return parts


def month_name(month: int, lang: str = "en", short: bool = False) -> str:
    """The name of ``month`` (1-12): "March" / "maart"; ``short``: "Mar" / "mrt"."""
    if short:
        return lookup("month-short", _MONTH_KEYS[month - 1], lang)
    return _date_parts(lang)[2][month - 1]


def format_date(d: date | None, lang: str = "en", weekday: bool = False) -> str:
    """``11 March 2021`` / ``11 maart 2021``; with ``weekday`` the day name first."""
    if d is None:
        return "-"
    plain, with_weekday, months, weekdays = _date_parts(lang)
    text = plain.format(day=d.day, month=months[d.month - 1], year=d.year)
    return with_weekday.format(weekday=weekdays[d.weekday()], date=text) if weekday else text


def ngettext(singular: str, plural: str, n: int) -> str:
    """The English and Dutch plural choice: the singular for exactly 1 (or -1), else the plural.

    The catalogues' ``Plural-Forms`` header says the same for both (``nplurals=2;
    plural=(n != 1)``); :func:`count` asks the catalogue, with the absolute value of the
    count so that "-1 day" reads like "1 day".
    """
    return singular if abs(n) == 1 else plural


def count(n: int, unit: str, lang: str = "en", *, signed: bool = False, sep: bool = False) -> str:
    """``n`` with its unit in ``lang``: ``count(1, "day")`` is "1 day", ``count(3, "day", "nl")`` "3 dagen".

    ``signed`` writes "+3 days" / "-1 day"; ``sep`` groups thousands ("2,000 cases", "2.000
    gevallen": the separator is the catalogue's).
    """
    number = f"{n:+,d}" if signed and sep else f"{n:+d}" if signed else f"{n:,d}" if sep else f"{n:d}"
    if sep:
        number = number.replace(",", lookup("number", "thousands-separator", lang))
    return f"{number} {catalogue(lang).npgettext('unit', unit, unit, abs(n))}"


def duration(years: int, months: int, days: int, lang: str = "en") -> str:
    """``1 year 4 months 0 days`` / ``1 jaar 4 maanden 0 dagen``."""
    return " ".join(count(n, unit, lang) for n, unit in ((years, "year"), (months, "month"), (days, "day")))


def _is_unit(format_spec: str) -> bool:
    """Whether a format spec names a unit of the catalogue ("day", "more-overlap"), not a number format ("d")."""
    return len(format_spec) > 1 and format_spec[0].isalpha() and format_spec.replace("-", "").isalpha()


class _Formatter(string.Formatter):
    """``str.format`` with the catalogue's units as format specs: ``{days:day}``."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        if _is_unit(format_spec):
            if isinstance(value, int) and not isinstance(value, bool):
                return count(value, format_spec, self.lang)
            # Not a count (for example "-"): the unit's plural form.
            return f"{value} {catalogue(self.lang).npgettext('unit', format_spec, format_spec, 2)}"
        return super().format_field(value, format_spec)


@functools.lru_cache(maxsize=4096)
def _has_units(template: str) -> bool:
    """Whether ``template`` writes a count with its unit (``{days:day}``), read once per template."""
    return any(spec and _is_unit(spec) for _, _, spec, _ in string.Formatter().parse(template))


def fill(template: str, params: dict[str, Any], lang: str = "en") -> str:
    """Format ``template`` with ``params``; ``{n:day}`` (a unit of the catalogue) pluralises ``n``.

    A placeholder that ``params`` does not fill raises :class:`KeyError` naming it.
    """
    try:
        if not _has_units(template):  # str.format's own, several times faster
            return template.format_map(params)
        return _Formatter(lang).vformat(template, (), params)
    except KeyError as err:
        if isinstance(err, MissingText):
            raise
        raise KeyError(f"no value for {{{err.args[0]}}} in {template!r} ({lang})") from None


def label(key: str | None, lang: str = "en") -> str:
    """The short label for ``key`` in ``lang`` (the key itself when unknown)."""
    if key is None:
        return "-"
    try:
        return lookup("label", key, lang)
    except MissingText:
        return key


def has_label(key: str, lang: str = "en") -> bool:
    """Whether ``key`` has a short label (:func:`label`)."""
    try:
        lookup("label", key, lang)
    except MissingText:
        return False
    return True


def route_label(route: str, lang: str = "en") -> str:
    """The long name of a naturalisation route: "standard (5 years)", "10 years in total, ..."."""
    return lookup("route", route, lang)


def end_convention(lang: str = "en") -> str:
    """The sentence on end dates that every output carries (DC-1)."""
    return lookup("heading", "end-date-convention", lang)


def holiday_name(name: str, lang: str = "en") -> str:
    """A non-working day's name (:mod:`timeline.atw` gives the English one) in ``lang``; "A; B" name by name."""
    return "; ".join(lookup("holiday", part, lang) for part in name.split("; "))


def citation_title(rule_id: str, lang: str = "en") -> str:
    """The title of rule ``rule_id`` (:data:`timeline.citations.CITATIONS`) in ``lang``."""
    return lookup("citation", rule_id, lang)


def _value(value: Any, lang: str) -> str:
    named = getattr(value, "name", None) if isinstance(value, str) else None
    if named is not None:  # a record path that knows its name (timeline.records.Record)
        return str(named.text(lang))
    if isinstance(value, date):
        return format_date(value, lang)
    if value is None:
        return "-"
    return str(value)


def text(key: str, params: dict[str, Any], lang: str = "en") -> str:
    """Render message ``key`` with ``params`` in ``lang``; a record path that knows its name
    (:class:`timeline.records.Record`, as :func:`timeline.assess` gives them) is written as
    that name ("partner permit of 11 March 2021"), never as ``permits[0]``."""
    template = lookup("message", key, lang)
    values: dict[str, Any] = {}
    for name, value in params.items():
        # Counts stay numbers so that a template can pluralise them ({days:day}).
        values[name] = value if isinstance(value, int) and not isinstance(value, bool) else _value(value, lang)
        if isinstance(value, date) or value is None:
            values[f"{name}_wd"] = format_date(value, lang, weekday=True)
    for name in ("basis", "by", "purpose", "status", "path", "kind", "decision"):
        if name in params:
            values[f"{name}_text"] = label(params[name], lang)
    if "permit_time" in params and isinstance(params["permit_time"], tuple):
        years, months, days = params["permit_time"]
        values["permit_time_text"] = duration(years, months, days, lang)
    if "non_working" in params:
        # (day, English name) pairs (timeline.atw.Deadline.skipped): "2026-04-03 (Good Friday), ...".
        values["non_working_text"] = (
            ", ".join(f"{d.isoformat()} ({holiday_name(n, lang)})" for d, n in params["non_working"]) or "-"
        )
    try:
        out = fill(template, values, lang)
    except KeyError as err:
        if isinstance(err, MissingText):
            raise
        raise KeyError(f"message {key!r}: {err.args[0]}") from None
    # A sentence that opens with a record's name ("partner permit of ...") opens with a capital.
    return out[:1].upper() + out[1:] if template.startswith("{") else out
