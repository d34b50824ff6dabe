"""Text columns read straight from Arrow's buffers, for the column checks of
:mod:`timeline.batch`: which of a few words (a field's choices) each value is.

An Arrow text column is three buffers: the validity bits (bit ``i`` of byte ``i >> 3``;
none when every value is present), the offsets (value ``i`` is ``text[offsets[i]:offsets[i + 1]]``)
and the bytes. :mod:`timeline.kernels.table` compiles these functions with numba, so a
column is read outside Python's interpreter lock, at the rows of one record kind only.
The ISO dates are read by :func:`timeline.kernels.clocks.iso_day`, next to the date
arithmetic it uses (numba caches a function per source file).
"""

from __future__ import annotations

__all__ = ["ABSENT", "OTHER", "run_words", "word"]

#: :func:`run_words`' code for an absent value, and :func:`word`'s for a value that is none of the words.
ABSENT, OTHER = -2, -1


def word(text, start, end, words, ends):
    """Which of ``words`` (word ``k`` is ``words[ends[k]:ends[k + 1]]``, bytes) the bytes
    ``text[start:end]`` are, exactly; ``OTHER`` when none."""
    length = end - start
    for k in range(len(ends) - 1):
        if ends[k + 1] - ends[k] != length:
            continue
        j = 0
        while j < length and text[start + j] == words[ends[k] + j]:
            j += 1
        if j == length:
            return k
    return OTHER


def run_words(offsets, text, valid, first, rows, words, ends, out):
    """:func:`word` of each of the ``rows`` of an Arrow text column (``first``: the array's
    offset; ``valid`` empty: every value present) into ``out``; ``ABSENT`` for no value."""
    for j in range(len(rows)):
        i = first + rows[j]
        if len(valid) and not (valid[i >> 3] >> (i & 7)) & 1:
            out[j] = ABSENT
        else:
            out[j] = word(text, offsets[i], offsets[i + 1], words, ends)
