"""User text (case ids, descriptions, scenario names) made safe for every output.

:func:`one_line` is for single-line fields of text outputs (a calendar's summary, a
terminal line): line breaks, tabs and other control characters become visible escapes or
spaces, so a line feed or a bare CR in an id can neither break the format nor inject a
line. :func:`drawable` is for charts and reports:

Names of people and places come in every script, but the chart and report font (DejaVu
Sans, shipped with matplotlib) covers Latin, Greek, Cyrillic and some others, not Chinese,
Devanagari, Thai or Hangul. Drawing must never fail on a name: :func:`drawable` keeps
every character the font has, turns line breaks and tabs into spaces, and shows every
other character (one the font lacks, a control character, a lone surrogate) as the
visible replacement character U+FFFD; :func:`undrawable` lists those characters so the
command line can warn that they are not shown. All user text is drawn as plain text
(``parse_math=False``): ``$`` never starts mathematics.
"""

from __future__ import annotations

import functools
import unicodedata

__all__ = ["REPLACEMENT", "drawable", "one_line", "undrawable"]

#: Shown in place of a character the font cannot draw.
REPLACEMENT = "\ufffd"

#: Format characters that scripts need (zero-width non-joiner and joiner, soft hyphen); other
#: format characters (bidirectional overrides, ...) are escaped: they can make a line read
#: differently from what it holds.
_JOINERS = frozenset("\u200c\u200d\u00ad")
_SPACES = frozenset("\t\n\r\v\f\x1c\x1d\x1e\x1f\x85\u2028\u2029")


@functools.cache
def _covered() -> frozenset[int]:
    """Code points that both the regular and the bold chart font can draw."""
    from matplotlib.font_manager import FontProperties, findfont
    from matplotlib.ft2font import FT2Font

    sets = []
    for weight in ("normal", "bold"):
        font = FT2Font(findfont(FontProperties(family="DejaVu Sans", weight=weight)))
        sets.append(frozenset(code for code, index in font.get_charmap().items() if index))
    return sets[0] & sets[1]


def _drawable_char(ch: str) -> str:
    if ch in _SPACES:
        return " "
    if unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") or ord(ch) not in _covered():
        return REPLACEMENT
    return ch


def drawable(text: str) -> str:
    """``text`` with every character the chart font cannot draw replaced.

    >>> drawable("Zoë\\tO'Brien")
    "Zoë O'Brien"
    >>> drawable("王秀英 (Wang)")
    '\ufffd\ufffd\ufffd (Wang)'
    """
    if text.isascii() and text.isprintable():
        return text
    return "".join(_drawable_char(ch) for ch in text)


def undrawable(text: str) -> str:
    """The distinct characters of ``text`` shown as :data:`REPLACEMENT`, escaped, in order.

    >>> undrawable("王秀英 Wang\\x00")
    '王, 秀, 英, U+0000'
    """
    seen: dict[str, None] = {}
    for ch in text:
        if ch not in _SPACES and _drawable_char(ch) == REPLACEMENT and ch != REPLACEMENT:
            seen.setdefault(ch if ch.isprintable() and unicodedata.category(ch) != "Cs" else f"U+{ord(ch):04X}")
    return ", ".join(seen)


def one_line(text: str) -> str:
    """``text`` on one line: whitespace controls become a space, other control
    characters, lone surrogates and unassigned code points a ``\\xNN`` / ``\\uNNNN`` escape.

    >>> one_line("a\\rb\\nc\\x00d 王")
    'a b c\\\\x00d 王'
    """
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch in _SPACES:
            out.append(" ")
        elif ch.isprintable() or unicodedata.category(ch) == "Zs" or ch in _JOINERS:
            out.append(ch)
        else:
            out.append(ch.encode("unicode_escape", "backslashreplace").decode("ascii"))
    return "".join(out)
