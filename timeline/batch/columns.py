"""Reading the input columns (Arrow) as numpy arrays: day numbers, choice codes, booleans
and dictionary codes, each with the mask of values of the wrong type; :class:`Columns`
reads and caches them for the rows of one record kind (:class:`Rec`) at a time."""

from __future__ import annotations

import functools
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import msg
from ..fields import MAX_TEXT
from ..tables import (
    NA,
    TableError,
    check_unique_columns,
    parse_iso_dates,
    text_buffers,
    valid_mask,
)


def to_arrow(table: Any) -> pa.Table:
    """The input as an Arrow table; pandas object columns of mixed types become text."""
    if isinstance(table, pa.Table):
        return table
    if isinstance(table, pa.RecordBatch):
        return pa.Table.from_batches([table])
    if not isinstance(table, pd.DataFrame):
        raise TableError(msg("table-not-a-table"))
    check_unique_columns((str(name) for name in table.columns), "the event table")
    arrays = {}
    for name in table.columns:
        s = table[name]
        try:
            arrays[str(name)] = pa.Array.from_pandas(s)
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError):
            arrays[str(name)] = pa.array([_mixed_text(v) for v in s], pa.string())
    return pa.table(arrays)


MIXED = "\x00"  # prefix that marks a value of the wrong type (never a valid date or choice)


def _mixed_text(v: Any) -> str | None:
    if v is None or (isinstance(v, float) and v != v) or v is pd.NaT:
        return None
    if isinstance(v, str):
        return v
    if isinstance(v, datetime):
        return v.date().isoformat() if (v.hour, v.minute, v.second, v.microsecond) == (0, 0, 0, 0) else MIXED
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, (bool, np.bool_)):
        return "true" if v else "false"
    return MIXED + repr(v)


def is_text(t: pa.DataType) -> bool:
    return pa.types.is_string(t) or pa.types.is_large_string(t)


def _dates(arr: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Day numbers and a 'bad value' mask of a date column that is not text (text: :meth:`Columns.dates`)."""
    n = len(arr)
    t = arr.type
    if pa.types.is_null(t) or arr.null_count == n:
        return np.full(n, NA, dtype=np.int64), np.zeros(n, dtype=bool)
    valid = valid_mask(arr)
    if pa.types.is_date32(t) or pa.types.is_date64(t):
        raw = pc.fill_null(arr.cast(pa.date32()).cast(pa.int32()), 0).to_numpy().astype(np.int64)
        return np.where(valid, raw, NA), np.zeros(n, dtype=bool)
    if pa.types.is_timestamp(t) and t.tz is None:
        per_day = {"s": 86_400, "ms": 86_400_000, "us": 86_400_000_000, "ns": 86_400_000_000_000}[t.unit]
        raw = pc.fill_null(arr.cast(pa.int64()), 0).to_numpy()
        whole = raw % per_day == 0
        return np.where(valid & whole, raw // per_day, NA), valid & ~whole
    return np.full(n, NA, dtype=np.int64), valid  # numbers, booleans, ...: not dates


def _codes(arr: pa.Array, rows: np.ndarray, choices: tuple[str, ...]) -> np.ndarray:
    """Code of each value at ``rows`` in ``choices``: -2 absent, -1 text not in ``choices``,
    -3 not text, -4 text too long."""
    if pa.types.is_null(arr.type) or arr.null_count == len(arr):
        return np.full(len(rows), -2, dtype=np.int64)
    if not is_text(arr.type):
        return np.where(valid_mask(arr)[rows], -3, -2)
    from ..kernels.table import text

    out = np.empty(len(rows), dtype=np.int64)
    text.run_words(*text_buffers(arr), rows, *_vocabulary(choices), out)
    # The rare values that are not a choice, each distinct one once.
    other = np.flatnonzero(out == text.OTHER)
    if other.size:
        enc = pc.dictionary_encode(arr.take(pa.array(rows[other])))
        lookup = np.array([_choice_code(v, choices) for v in enc.dictionary.to_pylist()], dtype=np.int64)
        out[other] = lookup[enc.indices.to_numpy(zero_copy_only=False)]
    return out


@functools.lru_cache(maxsize=64)
def _vocabulary(words: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """``words`` as :func:`timeline.kernels.text.word` takes them: their UTF-8 bytes one
    after the other, and where each starts and ends."""
    encoded = [w.encode() for w in words]
    ends = np.zeros(len(words) + 1, dtype=np.int64)
    ends[1:] = np.cumsum([len(b) for b in encoded])
    return np.frombuffer(b"".join(encoded) or b"\0", dtype=np.uint8), ends


def _choice_code(value: str, choices: tuple[str, ...]) -> int:
    if value in choices:
        return choices.index(value)
    if value.startswith(MIXED):
        return -3
    return -4 if len(value) > MAX_TEXT else -1


def dictionary_codes(arr: pa.Array) -> tuple[np.ndarray, list[Any]]:
    """Dictionary codes (-1 for null) and the distinct values of a column."""
    n = len(arr)
    if pa.types.is_null(arr.type) or arr.null_count == n:
        return np.full(n, -1, dtype=np.int64), []
    enc = pc.dictionary_encode(arr)
    raw = pc.fill_null(enc.indices, 0).to_numpy().astype(np.int64)
    return np.where(valid_mask(arr), raw, -1), enc.dictionary.to_pylist()


def _bools(arr: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Booleans (-1 absent, 0, 1) and a bad mask; text ``true``/``false``/``1``/``0`` accepted."""
    n = len(arr)
    if pa.types.is_null(arr.type) or arr.null_count == n:
        return np.full(n, -1, dtype=np.int64), np.zeros(n, dtype=bool)
    valid = valid_mask(arr)
    if pa.types.is_boolean(arr.type):
        raw = pc.fill_null(arr, False).to_numpy(zero_copy_only=False).astype(np.int64)
        return np.where(valid, raw, -1), np.zeros(n, dtype=bool)
    if is_text(arr.type):
        codes, values = dictionary_codes(arr)
        mapped = []
        for v in values:
            low = v.strip().lower()
            mapped.append(1 if low in ("true", "1") else 0 if low in ("false", "0") else -3)
        lut = np.array(mapped or [0], dtype=np.int64)
        out = np.where(codes >= 0, lut[np.maximum(codes, 0)], -1)
        bad = out == -3
        return np.where(bad, -1, out), bad
    return np.full(n, -1, dtype=np.int64), valid


class Columns:
    """The input columns as numpy arrays, read lazily for the rows of one record kind at a time."""

    def __init__(self, at: pa.Table) -> None:
        self.at = at
        self.n = at.num_rows
        self.names = list(at.column_names)
        self._cache: dict[tuple[str, str, str], Any] = {}
        self._full: dict[str, pa.Array] = {}
        self.trace: dict[str, set[int]] | None = None  # check id -> cases it flags (for the tests)

    def arrow(self, name: str) -> pa.Array:
        if name not in self._full:
            if name not in self.at.column_names:
                self._full[name] = pa.nulls(self.n, pa.string())
            else:
                col = self.at.column(name)
                if isinstance(col, pa.ChunkedArray):
                    col = col.chunk(0) if col.num_chunks == 1 else col.combine_chunks()
                self._full[name] = col
        return self._full[name]

    def sub(self, name: str, rec: Rec) -> pa.Array:
        """The column's values for the rows of ``rec``."""
        arr = self.arrow(name)
        if pa.types.is_null(arr.type) or arr.null_count == len(arr):
            return pa.nulls(len(rec), arr.type)
        return arr.take(pa.array(rec.rows, pa.int64()))

    def cached(self, kind: str, name: str, rec: Rec, fn: Any) -> Any:
        """``fn`` (elementwise: one value in, one out) of the column's values for the rows of ``rec``.

        ``fn`` runs once per column, over all rows, and each record kind takes its rows
        from that result: cheaper than an Arrow ``take`` of the text per record kind
        (a date column serves several), and the same values.
        """
        key = (kind, name, rec.name)
        if key not in self._cache:
            whole = (kind, name, "")
            if whole not in self._cache:
                self._cache[whole] = fn(self.arrow(name))
            full = self._cache[whole]
            rows = rec.rows
            self._cache[key] = tuple(a[rows] for a in full) if isinstance(full, tuple) else full[rows]
        return self._cache[key]

    def drop_whole(self) -> None:
        """Forget the whole-column values (:meth:`cached`) once every record kind has taken its rows."""
        self._cache = {k: v for k, v in self._cache.items() if k[2]}

    def present(self, name: str) -> np.ndarray:
        key = ("valid", name, "")
        if key not in self._cache:
            self._cache[key] = valid_mask(self.arrow(name))
        return self._cache[key]

    def at_rows(self, kind: str, name: str, rec: Rec, fn: Any) -> Any:
        """``fn(column, rows)`` for the rows of ``rec``, once: a compiled reader
        (:mod:`timeline.kernels`) that reads only those rows."""
        key = (kind, name, rec.name)
        if key not in self._cache:
            self._cache[key] = fn(self.arrow(name), rec.rows)
        return self._cache[key]

    def dates(self, name: str, rec: Rec) -> tuple[np.ndarray, np.ndarray]:
        if is_text(self.arrow(name).type):
            return self.at_rows("dates", name, rec, parse_iso_dates)
        return self.cached("dates", name, rec, _dates)

    def codes(self, name: str, rec: Rec, choices: tuple[str, ...]) -> np.ndarray:
        return self.at_rows("codes:" + "|".join(choices), name, rec, lambda a, rows: _codes(a, rows, choices))

    def bools(self, name: str, rec: Rec) -> tuple[np.ndarray, np.ndarray]:
        return self.cached("bools", name, rec, _bools)

    def not_text(self, name: str, rec: Rec) -> np.ndarray:
        """Rows whose value is present but not text (or marked as a value of another type)."""

        def check(a: pa.Array) -> np.ndarray:
            if pa.types.is_null(a.type):
                return np.zeros(len(a), dtype=bool)
            if not is_text(a.type):
                return valid_mask(a)
            if a.null_count == len(a):
                return np.zeros(len(a), dtype=bool)
            return pc.fill_null(pc.starts_with(a, MIXED), False).to_numpy(zero_copy_only=False)

        return self.cached("nottext", name, rec, check)

    def too_long(self, name: str, rec: Rec) -> np.ndarray:
        """Rows whose text is longer than :data:`timeline.fields.MAX_TEXT` characters."""

        def check(a: pa.Array) -> np.ndarray:
            if not is_text(a.type) or a.null_count == len(a):
                return np.zeros(len(a), dtype=bool)
            longer = pc.greater(pc.utf8_length(a), MAX_TEXT)
            return pc.fill_null(longer, False).to_numpy(zero_copy_only=False)

        return self.cached("toolong", name, rec, check)


class Rec:
    """The rows of one record kind, sorted by (case, index): original row, case, index."""

    def __init__(self, name: str, rows: np.ndarray, case: np.ndarray, index: np.ndarray) -> None:
        self.name, self.rows, self.case, self.index = name, rows, case, index

    def __len__(self) -> int:
        return int(self.rows.size)

    def take(self, keep: np.ndarray) -> Rec:
        out = Rec(self.name + "*", self.rows[keep], self.case[keep], self.index[keep])
        for k, v in self.__dict__.items():
            if k not in ("name", "rows", "case", "index"):
                setattr(out, k, v[keep])
        return out
