"""Word wrap by measured width, for the report's text page.

:func:`wrap` breaks a text into lines that fit a width in points, measured with
:func:`timeline.fonts.measurer` (linear in the text: each character is measured once).
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["longest", "wrap"]


def wrap(text: str, width_pt: float, size: float, measure: Callable[..., float], bold: bool = False) -> list[str]:
    """Greedy word wrap by measured width; words longer than a line are split.

    Each paragraph (``\\n``) starts a line. A line takes words while it fits in
    ``width_pt``; a word wider than a line (a hash, a URL) is cut into the longest pieces
    that fit, at least one character each.

    With a measurer from :func:`timeline.fonts.measurer` (it has ``advance``), each
    character is measured once: a line's width grows by the word added, and a long word's
    piece is read off the widths of its prefixes. Any other ``measure(text, size, bold)``
    is called per trial line, with a binary search for the pieces of a long word.
    """
    advance = getattr(measure, "advance", None)
    if advance is None:
        return _wrap_measured(text, width_pt, size, measure, bold)
    scale = measure.scale  # type: ignore[attr-defined]
    out: list[str] = []
    for para in text.split("\n"):
        current, total, prev = "", 0.0, None
        for word in para.split():
            w_total, w_prev = advance(0.0, None, word, bold)
            while w_total * size / scale > width_pt:  # e.g. a hash or a URL
                cut, t, p = 1, 0.0, None
                for k, ch in enumerate(word, 1):  # the longest prefix that fits, at least 1 character
                    t, p = advance(t, p, ch, bold)
                    if k < len(word) and t * size / scale <= width_pt:
                        cut = k
                if current:
                    out.append(current)
                    current = ""
                out.append(word[:cut])
                word = word[cut:]
                w_total, w_prev = advance(0.0, None, word, bold)
            if current:
                t, p = advance(total, prev, " " + word, bold)
                if t * size / scale > width_pt:
                    out.append(current)
                    current, total, prev = word, w_total, w_prev
                else:
                    current, total, prev = f"{current} {word}", t, p
            else:
                current, total, prev = word, w_total, w_prev
        out.append(current)
    return out


def _wrap_measured(text: str, width_pt: float, size: float, measure: Callable[..., float], bold: bool) -> list[str]:
    """:func:`wrap` for a ``measure`` without ``advance``: each trial line is measured whole."""
    out: list[str] = []
    for para in text.split("\n"):
        current = ""
        for word in para.split():
            while measure(word, size, bold) > width_pt:

                def fits(n: int, w: str = word) -> bool:  # a def: mypy cannot type a lambda with a default
                    return measure(w[:n], size, bold) <= width_pt

                cut = max(1, longest(len(word) - 1, fits))
                if current:
                    out.append(current)
                    current = ""
                out.append(word[:cut])
                word = word[cut:]
            trial = f"{current} {word}" if current else word
            if current and measure(trial, size, bold) > width_pt:
                out.append(current)
                current = word
            else:
                current = trial
        out.append(current)
    return out


def longest(n_max: int, fits: Callable[[int], bool]) -> int:
    """The largest ``n`` in ``0..n_max`` with ``fits(n)`` (0 when none); ``fits`` holds up to some ``n``."""
    lo, hi = 0, n_max
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if fits(mid):
            lo = mid
        else:
            hi = mid - 1
    return lo
