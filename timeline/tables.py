"""The long event table: case files as one row per record, and back, without loss.

A case file (README "Case file reference") is a tree: top-level fields, three tables
(``person``, ``sponsor``, ``relationship``), four arrays of tables (``permits``,
``notifications``, ``applications``, ``absences``) and ``options``. The event table
flattens it into one row per record:

``case_id``
    The case's ``id`` (text). Every row of a case carries it.
``record``
    ``case`` (the top-level ``as_of`` and ``description``), ``person``, ``sponsor``,
    ``relationship``, ``permits``, ``notifications``, ``applications``, ``absences`` or
    ``options``.
``index``
    Position in the record's array, from 0 in file order (``permits[2]`` is the row with
    ``record = "permits"`` and ``index = 2``); 0 for the single tables. Optional on input:
    without the column, rows are numbered in table order.
one column per field
    The union of the fields of every record (:data:`FIELD_COLUMNS`); a row fills only its
    own record's fields, the others are empty. Fields with the same name in several
    records share a column (``start``, ``end``, ``purpose``, ``received``, ``kind``,
    ``note``). An ``options`` row holds one option: ``option`` (its key) and ``value``.

Types: dates are ISO ``YYYY-MM-DD`` text in CSV and JSON, ``date32`` in Parquet (a date
column that holds a value that is not a valid date stays text, so nothing is lost);
``turkish_national`` and ``excused`` are booleans (``true``/``false`` in CSV); everything
else is text. Empty (null) means absent. In CSV every present value is quoted, so an empty
text ``""`` stays distinct from an absent value.

Every case has exactly one ``case`` row (written first), so a case without any record
still exists in the table. Rows of one case are contiguous and in file order; this is what
:func:`cases_to_table` writes and what chunked reading (``timeline batch``) relies on.

:func:`cases_to_table` and :func:`table_to_cases` are inverse: for every case-file dict
``d`` that :func:`timeline.case_from_dict` accepts,
``table_to_cases(cases_to_table([d]))[0].data`` equals ``d`` up to the representation of
dates (ISO strings) and option values (text, as the case file reader makes them).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from typing import Any, NamedTuple

import numpy as np

from .errors import Message, Number, TimelineError, msg, show_value
from .fields import BOOL
from .fields import RECORDS as DEFINITION
from .io import CASE_FIELDS, DATE_FIELDS, RECORD_FIELDS
from .outputs import check_outputs, replacing

__all__ = [
    "BOOL_COLUMNS",
    "COLUMNS",
    "DATE_COLUMNS",
    "FIELD_COLUMNS",
    "LIST_RECORDS",
    "RECORDS",
    "REQUIRED_COLUMNS",
    "SINGLE_RECORDS",
    "TABLE_FIELDS",
    "Chunk",
    "Malformed",
    "TableCase",
    "TableError",
    "cases_to_table",
    "check_columns",
    "check_unique_columns",
    "convert",
    "file_kind",
    "flatten_case",
    "iter_table_chunks",
    "parquet_files",
    "parse_iso_dates",
    "read_jsonl",
    "read_table",
    "scan_csv",
    "table_to_cases",
    "text_buffers",
    "valid_mask",
    "write_jsonl",
    "write_table",
]

#: The record kinds of the event table: one ``case`` row (id, as_of, description), then
#: the case file's tables and arrays of tables in case-file order.
RECORDS = ("case", *CASE_FIELDS[CASE_FIELDS.index("person") :])
#: Records that occur at most once per case (index 0).
SINGLE_RECORDS = ("case", "person", "sponsor", "relationship")
#: Records that form an array (index 0, 1, ...). ``options`` keeps the file's key order.
LIST_RECORDS = ("permits", "notifications", "applications", "absences", "options")
#: The fields of each record in the table.
TABLE_FIELDS: dict[str, tuple[str, ...]] = {
    "case": tuple(name for name in DEFINITION["case"].names if name != "id"),  # the id is case_id
    **RECORD_FIELDS,
    "options": ("option", "value"),
}
KEY_COLUMNS = ("case_id", "record", "index")
FIELD_COLUMNS: tuple[str, ...] = tuple(dict.fromkeys(f for fs in TABLE_FIELDS.values() for f in fs))
#: Every column of the event table, in the order :func:`cases_to_table` writes them.
COLUMNS = KEY_COLUMNS + FIELD_COLUMNS
DATE_COLUMNS = DATE_FIELDS  # the date fields of the case-file schema (timeline.io)
BOOL_COLUMNS = frozenset(f.name for r in DEFINITION.values() for f in r.fields if f.type == BOOL)
TEXT_COLUMNS = frozenset(FIELD_COLUMNS) - DATE_COLUMNS - BOOL_COLUMNS
assert DATE_COLUMNS <= set(FIELD_COLUMNS) and BOOL_COLUMNS <= set(FIELD_COLUMNS)
assert CASE_FIELDS[0] == "id"

#: File extensions of tables and the format each names.
_TABLE_EXTENSIONS = {
    ".csv": ".csv",
    ".tsv": ".tsv",
    ".xlsx": ".xlsx",
    ".parquet": ".parquet",
    ".pq": ".parquet",
    ".jsonl": ".jsonl",
    ".ndjson": ".jsonl",
}


class TableError(TimelineError):
    """A table file that cannot be read or written, or a case a table cannot hold."""


class TableCase(NamedTuple):
    """One case rebuilt from the table: its id, case-file dict and the rows it came from."""

    case_id: str | None
    data: dict[str, Any]
    rows: dict[tuple[str, int], int]


# --------------------------------------------------------------------------- case dict -> rows


def _text(err: Exception) -> str:
    """An error's message as raised (a :class:`~timeline.errors.Message` keeps its language)."""
    return err.message if isinstance(err, TimelineError) else str(err)


class _Unrepresentable(ValueError):
    """A case-file value that has no place in the table (the case itself is invalid)."""


def _cell(column: str, value: Any) -> Any:
    if column in DATE_COLUMNS:
        if isinstance(value, str):
            return value
        if isinstance(value, date) and not isinstance(value, datetime):
            return value.isoformat()
        raise _Unrepresentable(column)
    if column in BOOL_COLUMNS:
        if isinstance(value, bool):
            return value
        raise _Unrepresentable(column)
    if isinstance(value, str):
        return value
    raise _Unrepresentable(column)


def _option_text(value: Any) -> str:
    """An option value as text, exactly as the case-file reader turns it into text."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return value
    raise _Unrepresentable("value")


def flatten_case(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The rows of one case-file dict (``id`` required).

    Raises
    ------
    ValueError
        When the dict holds something a table cannot represent: no text ``id``, an
        unknown field, a table that is not a table, a value of the wrong JSON type. Such
        a case is invalid anyway; :func:`timeline.case_from_dict` says why.
    """
    if not isinstance(data, Mapping):
        raise _Unrepresentable("case")
    case_id = data.get("id")
    if not isinstance(case_id, str):
        raise _Unrepresentable("id")
    for key in data:
        if key not in CASE_FIELDS:
            raise _Unrepresentable(str(key))
    rows: list[dict[str, Any]] = []

    def row(record: str, index: int, fields: Mapping[Any, Any]) -> None:
        out: dict[str, Any] = {"case_id": case_id, "record": record, "index": index}
        valid = TABLE_FIELDS[record]
        for key, value in fields.items():
            if key not in valid:
                raise _Unrepresentable(str(key))
            if value is not None:
                out[key] = _cell(key, value)
        rows.append(out)

    row("case", 0, {k: data.get(k) for k in ("as_of", "description")})
    for name in ("person", "sponsor", "relationship"):
        value = data.get(name)
        if value is None:
            continue
        if not isinstance(value, Mapping):
            raise _Unrepresentable(name)
        row(name, 0, value)
    for name in ("permits", "notifications", "applications", "absences"):
        value = data.get(name)
        if value is None:
            continue
        if isinstance(value, Mapping) or not isinstance(value, (list, tuple)):
            raise _Unrepresentable(name)
        for i, item in enumerate(value):
            if not isinstance(item, Mapping):
                raise _Unrepresentable(name)
            row(name, i, item)
    options = data.get("options")
    if options is not None:
        if not isinstance(options, Mapping):
            raise _Unrepresentable("options")
        for i, (key, value) in enumerate(options.items()):
            if value is None:
                raise _Unrepresentable("value")
            rows.append(
                {"case_id": case_id, "record": "options", "index": i, "option": str(key), "value": _option_text(value)}
            )
    return rows


def _empty_columns() -> dict[str, list[Any]]:
    return {c: [] for c in COLUMNS}


def _append_rows(columns: dict[str, list[Any]], rows: list[dict[str, Any]]) -> None:
    for r in rows:
        for c, values in columns.items():
            values.append(r.get(c))


def _arrow_table(columns: Mapping[str, list[Any]]):
    import pyarrow as pa

    arrays = {}
    for c, values in columns.items():
        if c == "index":
            arrays[c] = pa.array(values, pa.int64())
        elif c in BOOL_COLUMNS:
            arrays[c] = pa.array(values, pa.bool_())
        else:
            arrays[c] = pa.array(values, pa.string())
    return pa.table(arrays)


def _to_pandas(table):
    """A DataFrame of an Arrow event table; boolean columns as nullable booleans when they can be."""
    import pyarrow as pa
    import pyarrow.compute as pc

    cols = {}
    for name in table.column_names:
        col = table.column(name)
        if name in BOOL_COLUMNS and not pa.types.is_boolean(col.type):
            try:  # CSV text "true"/"false"; anything else stays text (the case reader reports it)
                col = pc.cast(col, pa.bool_())
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                pass
        cols[name] = col
    df = pa.table(cols).to_pandas()
    for c in BOOL_COLUMNS & set(df.columns):
        if df[c].dtype == object and df[c].map(lambda v: v is None or isinstance(v, bool)).all():
            df[c] = df[c].astype("boolean")
    return df


def cases_to_table(cases: Iterable[Mapping[str, Any]]):
    """The event table (a :class:`pandas.DataFrame`) of case-file dicts.

    Dates become ISO text, booleans stay booleans, option values become text. Columns are
    :data:`COLUMNS`; ``index`` is int64, ``turkish_national``/``excused`` nullable
    booleans, everything else text.

    Raises
    ------
    TableError
        When a dict cannot be represented (see :func:`flatten_case`), naming its position.

    Examples
    --------
    >>> df = cases_to_table([{"id": "a", "permits": [{"purpose": "work", "start": "2021-03-11"}]}])
    >>> df[["case_id", "record", "index", "purpose", "start"]].iloc[1].to_dict()
    {'case_id': 'a', 'record': 'permits', 'index': 0, 'purpose': 'work', 'start': '2021-03-11'}
    """
    columns = _empty_columns()
    for n, data in enumerate(cases):
        try:
            rows = flatten_case(data)
        except ValueError as err:
            raise TableError(msg("table-case-unrepresentable", n=n, detail=str(err))) from None
        _append_rows(columns, rows)
    return _to_pandas(_arrow_table(columns))


# --------------------------------------------------------------------------- rows -> case dict


def _iso(value: Any) -> Any:
    if isinstance(value, datetime):
        if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0) and value.tzinfo is None:
            return value.date().isoformat()
        return value
    if isinstance(value, date):
        return value.isoformat()
    return value


def _bool_value(value: Any) -> Any:
    if isinstance(value, str):
        low = value.strip().lower()
        if low in ("true", "1"):
            return True
        if low in ("false", "0"):
            return False
    if not isinstance(value, bool) and hasattr(value, "item"):  # numpy scalars
        value = value.item()
    return value


def _is_null(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return value != value
    return type(value).__name__ in ("NaTType", "NAType")


def _records(table: Any) -> tuple[list[str], list[dict[str, Any]]]:
    """Column names and rows (dicts of the present values only) of a DataFrame or Arrow table."""
    if hasattr(table, "column_names"):  # pyarrow
        import pyarrow.compute as pc

        names = list(table.column_names)
        rows: list[dict[str, Any]] = [{} for _ in range(table.num_rows)]
        for name in names:
            col = table.column(name)
            if col.null_count == len(col):
                continue
            if col.null_count == 0:
                for row, value in zip(rows, col.to_pylist(), strict=True):
                    row[name] = value
                continue
            valid = pc.is_valid(col)  # most cells of an event table are empty: convert only the others
            at = np.flatnonzero(valid.to_numpy(zero_copy_only=False)).tolist()
            for pos, value in zip(at, col.filter(valid).to_pylist(), strict=True):
                rows[pos][name] = value
        return names, rows
    names = [str(c) for c in table.columns]
    return names, table.to_dict("records")


def table_to_cases(table) -> list[TableCase]:
    """Rebuild the case-file dicts of an event table, in order of first appearance.

    Values are kept as they are, apart from representation: dates become ISO text (a
    timestamp with a time of day is kept, so the case reader rejects it), ``"true"`` /
    ``"false"`` become booleans. Rows of one record are ordered by ``index``. Nothing is
    validated here: :func:`timeline.case_from_dict` does that.

    Parameters
    ----------
    table
        A :class:`pandas.DataFrame` or :class:`pyarrow.Table` in the event-table format.

    Returns
    -------
    list of TableCase
        ``case_id``, the dict, and ``rows``: for each ``(record, index)`` the 0-based
        position of its row in ``table`` (for error messages).
    """
    names, records = _records(table)
    if "case_id" not in names or "record" not in names:
        raise TableError(msg("table-needs-columns"))
    by_case: dict[Any, list[tuple[int, dict[str, Any]]]] = {}
    for pos, r in enumerate(records):
        cid = r.get("case_id")
        by_case.setdefault(None if _is_null(cid) else str(cid), []).append((pos, r))
    has_index = "index" in names
    return [_table_case(cid, rows, has_index) for cid, rows in by_case.items()]


def _table_case(cid: str | None, rows: list[tuple[int, dict[str, Any]]], has_index: bool) -> TableCase:
    """One case's dict from its rows (position in the table, present values)."""
    groups = _record_groups(rows, has_index)
    where: dict[tuple[str, int], int] = {}
    for rec, items in groups.items():
        for idx, pos, _ in items:
            where.setdefault((rec, idx), pos)
    data: dict[str, Any] = {"id": cid}
    for _, _, r in groups.get("case", [])[:1]:
        data.update(_fields(r))
    for name in ("person", "sponsor", "relationship"):
        for _, _, r in groups.get(name, [])[:1]:
            data[name] = _fields(r)
    for name in ("permits", "notifications", "applications", "absences"):
        if name in groups:
            data[name] = [_fields(r) for _, _, r in groups[name]]
    if "options" in groups:
        opts: dict[str, Any] = {}
        for _, _, r in groups["options"]:
            f = _fields(r)
            if "option" in f:
                opts[str(f["option"])] = f.get("value")
        data["options"] = opts
    # Restore schema order: id, as_of, description, then the tables.
    return TableCase(cid, {k: data[k] for k in CASE_FIELDS if k in data}, where)


def _record_groups(
    rows: list[tuple[int, dict[str, Any]]], has_index: bool
) -> dict[str, list[tuple[int, int, dict[str, Any]]]]:
    """The rows of each record kind as (index, position, values), ordered by index, then
    position; a row without a usable ``index`` takes its place in row order."""
    groups: dict[str, list[tuple[int, int, dict[str, Any]]]] = {}
    counters: dict[str, int] = {}
    for pos, r in rows:
        rec = str(r.get("record"))
        n = counters.get(rec, 0)
        counters[rec] = n + 1
        idx: Any = r.get("index") if has_index else None
        try:
            idx = n if _is_null(idx) else int(idx)
        except (TypeError, ValueError):
            idx = n
        groups.setdefault(rec, []).append((idx, pos, r))
    for items in groups.values():
        items.sort(key=_index_then_position)
    return groups


def _index_then_position(item: tuple[int, int, dict[str, Any]]) -> tuple[int, int]:
    return item[0], item[1]


def _fields(r: dict[str, Any]) -> dict[str, Any]:
    """The case-file fields of one row: the key columns and absent values left out, booleans
    and dates in the case file's form, numpy scalars as Python values."""
    out: dict[str, Any] = {}
    for c, v in r.items():
        if c in KEY_COLUMNS or _is_null(v):
            continue
        if c in BOOL_COLUMNS:
            v = _bool_value(v)
        elif c in DATE_COLUMNS:
            v = _iso(v)
        elif hasattr(v, "item") and not isinstance(v, str):
            v = v.item()
        out[c] = v
    return out


# --------------------------------------------------------------------------- dates in Arrow text

#: A missing date in the day-number arrays (days since 1970-01-01) of :mod:`timeline.batch`.
NA = -(1 << 31)


def valid_mask(arr: Any) -> np.ndarray:
    """The validity bitmap of an Arrow array as a bool array."""
    n = len(arr)
    if arr.null_count == 0:
        return np.ones(n, dtype=bool)
    if arr.null_count == n:
        return np.zeros(n, dtype=bool)
    bitmap = arr.buffers()[0]
    if bitmap is None:
        return arr.is_valid().to_numpy(zero_copy_only=False)
    bits = np.unpackbits(np.frombuffer(bitmap, dtype=np.uint8), bitorder="little")
    return bits[arr.offset : arr.offset + n].astype(bool)


def parse_iso_dates(arr: Any, rows: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Strict ``YYYY-MM-DD`` (as ``timeline.dates.parse_date``) on Arrow text, at ``rows``
    (default: every row): (day numbers, ``NA`` when absent or not a date; bad: present but
    not a date).

    The parsing is :func:`timeline.kernels.clocks.iso_day`, compiled (it runs outside
    Python's interpreter lock, so the reading thread of ``timeline batch`` reads dates
    while the other runs the rules) and straight from Arrow's buffers: no text is copied.
    """
    from .kernels.table import clocks

    n = len(arr)
    rows = np.arange(n, dtype=np.int64) if rows is None else rows
    days = np.empty(len(rows), dtype=np.int64)
    bad = np.empty(len(rows), dtype=bool)
    if arr.null_count == n:
        days.fill(NA)
        bad.fill(False)
        return days, bad
    clocks.run_iso_days(*text_buffers(arr), rows, days, bad)
    return days, bad


def text_buffers(arr: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """An Arrow text array as the compiled readers of :mod:`timeline.kernels` take it:
    value offsets, bytes, validity bits (empty: every value present) and the array's offset."""
    import pyarrow as pa

    bits, offsets, data = arr.buffers()[:3]
    wide = pa.types.is_large_string(arr.type)
    return (
        np.frombuffer(offsets, dtype=np.int64 if wide else np.int32),
        np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8),
        np.frombuffer(bits, dtype=np.uint8) if bits is not None and arr.null_count else np.zeros(0, np.uint8),
        arr.offset,
    )


# --------------------------------------------------------------------------- files


def file_kind(path: str, *, folder: bool = False) -> str:
    """``.csv``, ``.tsv``, ``.xlsx``, ``.parquet`` or ``.jsonl``: the format of ``path`` by its extension.

    ``.pq`` is Parquet and ``.ndjson`` JSON Lines; with ``folder``, an existing folder is a
    Parquet dataset. :class:`TableError` for any other extension.
    """
    if folder and os.path.isdir(path):
        return ".parquet"
    ext = os.path.splitext(path)[1].lower()
    if ext not in _TABLE_EXTENSIONS:
        raise TableError(msg("table-file-type", path=path, ext=repr(ext or "(none)")))
    return _TABLE_EXTENSIONS[ext]


def _extension(path: str) -> str:
    return file_kind(path, folder=True)


def _csv_read_options(columns: list[str]):
    import pyarrow as pa
    import pyarrow.csv as pcsv

    types = {c: pa.string() for c in columns}
    convert = pcsv.ConvertOptions(
        column_types=types,
        strings_can_be_null=True,
        quoted_strings_can_be_null=False,
        null_values=[""],
    )
    return convert


def _not_utf8(path: str) -> TableError:
    """The error for a file that is not UTF-8 text, naming the first line that is not."""
    try:
        with open(path, "rb") as f:
            for n, line in enumerate(f, start=1):
                try:
                    line.decode("utf-8")
                except UnicodeDecodeError:
                    return TableError(msg("table-not-utf8-line", path=path, line=n))
    except OSError:
        pass
    return TableError(msg("table-not-utf8", path=path))


def parquet_files(path: str | os.PathLike[str]) -> list[str]:
    """The Parquet files of ``path``: the file itself, or a folder's files in name order.

    In a folder, the files named ``*.parquet`` or ``*.pq`` count, except hidden ones and
    those starting with ``_`` (``_SUCCESS``, ``_metadata``). :class:`TableError` when a
    folder holds none.
    """
    path = os.fspath(path)
    if not os.path.isdir(path):
        return [path]
    try:
        names = os.listdir(path)
    except OSError as err:
        raise TableError(msg("table-folder-unreadable", path=path, reason=err.strerror or str(err))) from None
    files = sorted(
        os.path.join(path, f) for f in names if f.lower().endswith((".parquet", ".pq")) and not f.startswith((".", "_"))
    )
    if not files:
        raise TableError(msg("table-no-parquet", path=path))
    return files


def _read_failed(path: str, err: Exception) -> TableError:
    """The error for an Arrow reader's failure on ``path``."""
    if "invalid UTF8" in str(err):
        return _not_utf8(path)
    return TableError(msg("table-unreadable", path=path, detail=str(err)))


def check_unique_columns(names: Iterable[str], where: str) -> None:
    """Raise :class:`TableError` when a column name occurs twice (``where``: the file)."""
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise TableError(msg("table-column-twice", where=where, name=repr(name)))
        seen.add(name)


def _csv_header(path: str) -> list[str]:
    """The column names of a CSV file (checked to be unique)."""
    import csv

    try:
        with open(path, "rb") as f:  # the first line only: a bad byte further on is a bad row
            first = f.readline().decode("utf-8-sig")
        header = next(csv.reader([first]), [])
    except UnicodeDecodeError:
        raise _not_utf8(path) from None
    except OSError as err:
        raise TableError(msg("table-file-unreadable", path=path, reason=err.strerror or str(err))) from None
    check_unique_columns(header, path)
    return header


def read_jsonl(path: str, *, start_line: int = 1) -> tuple[Any, list[tuple[int, Any, Exception | None]]]:
    """Read a JSON Lines file of case-file dicts into an event table.

    Returns
    -------
    (DataFrame, problems)
        The table of every line that a table can hold, and for the others
        ``(line number, parsed value or None, JSON error or None)``.
    """
    table, problems, _ = _jsonl_chunk(_jsonl_lines(path), start_line)
    return _to_pandas(table), problems


def _jsonl_lines(path: str) -> Iterator[str]:
    try:
        with open(path, encoding="utf-8-sig") as f:
            yield from f
    except UnicodeDecodeError:
        raise _not_utf8(path) from None
    except OSError as err:
        raise TableError(msg("table-file-unreadable", path=path, reason=err.strerror or str(err))) from None


def _jsonl_chunk(lines: Iterable[str], first_line: int, seen: dict[str, int] | None = None):
    """Flatten JSON Lines: (arrow table, problems, line number of each row)."""
    import json

    from .io import no_duplicates

    columns = _empty_columns()
    problems: list[tuple[int, Any, Exception | None]] = []
    seen = {} if seen is None else seen
    row_lines: list[int] = []
    for n, line in enumerate(lines, start=first_line):
        if not line.strip():
            continue
        try:
            data = json.loads(line, object_pairs_hook=no_duplicates)
        except ValueError as err:  # JSONDecodeError and duplicate keys
            problems.append((n, None, err))
            continue
        try:
            rows = flatten_case(data)
        except ValueError:
            problems.append((n, data, None))
            continue
        cid = rows[0]["case_id"]
        if cid in seen:
            error = TableError(msg("table-duplicate-id", id=show_value(cid), line=seen[cid]))
            problems.append((n, data, error))
            continue
        seen[cid] = n
        _append_rows(columns, rows)
        row_lines.extend([n] * len(rows))
    return _arrow_table(columns), problems, row_lines


#: The columns every event table needs.
REQUIRED_COLUMNS = ("case_id", "record")


def _short(text: str, limit: int = 80) -> str:
    """``text`` cut to ``limit`` characters (with an ellipsis), line breaks shown as ``\\n``."""
    text = text.replace("\r", "\\r").replace("\n", "\\n")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_columns(names: list[str], where: str, *, delimiter: str | None = None) -> None:
    """:class:`TableError` naming ``where`` (the file) when ``case_id`` or ``record`` is missing.

    The message lists the columns found (cut short), a column that looks like the missing
    one (``CaseID`` for ``case_id``), and for CSV the delimiter assumed.
    """
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if not missing:
        return

    def key(s: str) -> str:
        return "".join(ch for ch in s.lower() if ch.isalnum())

    hints = []
    for m in missing:
        like = [n for n in names if key(n) == key(m)]
        if like:
            hints.append(msg("table-rename-hint", old=repr(_short(like[0], 40)), new=repr(m)))
    found: str = _short(", ".join(repr(_short(n, 30)) for n in names), 160) if names else msg("table-none")
    absent = repr(missing[0]) if len(missing) == 1 else msg("either-or", a=repr(missing[0]), b=repr(missing[1]))
    rename = msg("table-hints", hints=hints) if hints else ""
    how: str = ""
    if delimiter is not None:
        other = next((d for d in (";", "\t", "|") if d in "".join(names)), None)
        if other is None:
            how = msg("table-read-as", delimiter=repr(delimiter))
        else:
            how = msg("table-read-as-other", delimiter=repr(delimiter), other=repr(other))
    raise TableError(
        msg("table-no-column", where=where, missing=absent, count=len(names), found=found, hints=rename, how=how)
    )


class Malformed(NamedTuple):
    """A CSV record that is not a valid row of the table (see :func:`scan_csv`)."""

    row: int  #: 0-based record of the file after the header (the row it would have been)
    line: int  #: 1-based physical line of the file where it starts (the header is line 1)
    case_id: str | None  #: the id in its first field, when that field is complete and valid text
    reason: str  #: why it is not a row, e.g. "38 fields where the header has 37"
    text: str  #: the record's text, cut short
    #: without a readable id: the cases of the valid records just before and after it
    near: tuple[str, ...] = ()
    #: a value that does not match the date format asked for: its column (else empty)
    field: str = ""
    #: ... and its record as the errors table names it (``permits[2]``; else empty)
    record: str = ""


#: A quoted value may span at most this many lines; an opening quote that is not closed
#: within them makes its line a malformed record of its own (an unclosed quote).
_MAX_RECORD_LINES = 1000
_BLANK = (b"\n", b"\r\n", b"\r", b"")
_QUOTED = re.compile(rb'"[^"]*"')  # a quoted value, or a piece of one around an escaped "" (commas, line breaks)
_ID_QUOTED = None  # compiled lazily


def _first_field(text: str, delimiter: str = ",") -> str | None:
    """The first field of a CSV record when it is complete (followed by the delimiter)."""
    global _ID_QUOTED
    if _ID_QUOTED is None:
        _ID_QUOTED = re.compile(r'"((?:[^"]|"")*)"' + re.escape(delimiter))
    if text.startswith('"'):
        m = _ID_QUOTED.match(text)
        value = m.group(1).replace('""', '"') if m else None
    else:
        head, sep, _ = text.partition(delimiter)
        value = head if sep and '"' not in head and "\n" not in head else None
    if value is None or "\ufffd" in value or not value.strip():
        return None
    return value


def _record_problem(raw: bytes, ncols: int) -> tuple[str | None, str]:
    """Why ``raw`` (one CSV record, its line breaks included) is not a row, or None; and its text."""
    import csv
    import io

    try:
        text = raw.decode("utf-8")
        plain = _QUOTED.sub(b"", raw)
        if b'"' not in plain and plain.count(b",") + 1 == ncols:  # the common case, without the csv module
            return None, text
    except UnicodeDecodeError as err:
        line_start = raw.rfind(b"\n", 0, err.start) + 1
        text = raw.decode("utf-8", "replace")
        byte = f"0x{raw[err.start]:02X}"
        return msg("row-not-utf8", byte=byte, column=err.start - line_start + 1), text
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))  # as lenient as the Arrow reader
    except csv.Error as err:
        return msg("row-not-csv", detail=str(err)), text
    if len(rows) != 1:
        return msg("row-several-rows", count=len(rows)), text
    got = len(rows[0])
    if got != ncols:
        return msg("row-field-count", got=got, ncols=ncols), text
    return None, text


def _csv_records(f: Any, ncols: int) -> Iterator[tuple[int, bytes, str | None, str]]:
    """Every record of an open CSV file after its header line, as a CSV reader splits them.

    Yields ``(first physical line, raw bytes, problem or None, text)``. Blank lines are
    skipped, as the Arrow reader does. A line with an odd number of quotes opens a value
    that continues on the next lines until the quotes balance (at most
    :data:`_MAX_RECORD_LINES`); when they never balance, or the joined lines are not one
    valid row, the line alone is the (malformed) record and reading goes on at the next.
    """
    from collections import deque

    src = enumerate(f, start=2)
    back: deque[tuple[int, bytes]] = deque()

    def take() -> tuple[int, bytes] | None:
        return back.popleft() if back else next(src, None)

    while (item := (back.popleft() if back else next(src, None))) is not None:
        n, line = item
        if line in _BLANK:
            continue
        if not line.count(b'"') & 1:
            problem, text = _record_problem(line, ncols)
            yield n, line, problem, text
            continue
        parts = [item]
        closed = False
        while len(parts) < _MAX_RECORD_LINES and (nxt := take()) is not None:
            parts.append(nxt)
            if nxt[1].count(b'"') % 2:
                closed = True
                break
        if closed:
            raw = b"".join(p[1] for p in parts)
            problem, text = _record_problem(raw, ncols)
            if problem is None:
                yield n, raw, None, text
                continue
        back.extendleft(reversed(parts[1:]))
        problem, text = _record_problem(line, ncols)  # a quote inside an unquoted value is text
        yield n, line, None if problem is None else problem + " (an unclosed quote?)", text


def scan_csv(
    path: str, ncols: int, *, clean_to: Any = None, lines_of: Iterable[int] = ()
) -> tuple[list[Malformed], dict[int, int]]:
    """Read a CSV file record by record (the slow path, for files the Arrow reader refuses).

    Returns the malformed records and the first physical line of each record (0-based row)
    in ``lines_of``. With ``clean_to`` (a binary file), writes the header and every record
    to it, each malformed one replaced by a placeholder row that holds only its case id,
    so every row keeps its position. With ``lines_of`` and no ``clean_to``, reading stops
    after the last row asked for.

    A malformed record whose id cannot be read takes the id of the rows around it when
    both are of the same case (rows of a case are contiguous); otherwise its placeholder
    has no id and :attr:`Malformed.near` names the cases before and after it.
    """
    wanted = set(lines_of)
    stop = max(wanted) if wanted and clean_to is None else -1
    lines: dict[int, int] = {}
    malformed: list[Malformed] = []
    empty = b"," * (ncols - 1) + b"\n"

    def placeholder(cid: str | None) -> bytes:
        return (b"" if cid is None else b'"' + cid.replace('"', '""').encode() + b'"') + empty

    prev_text: str | None = None  # the last valid record
    unread: list[int] = []  # malformed records (positions in ``malformed``) waiting for the next id
    held: list[Any] = []  # output after the first of them, written once they are resolved

    def resolve(next_id: str | None) -> None:
        prev_id = None if prev_text is None else _first_field(prev_text)
        same = prev_id if prev_id is not None and prev_id == next_id else None
        for k in unread:
            near = tuple(dict.fromkeys(i for i in (prev_id, next_id) if i is not None))
            malformed[k] = malformed[k]._replace(case_id=same, near=() if same else near)
        if clean_to is not None:
            for item in held:
                clean_to.write(placeholder(malformed[item].case_id) if isinstance(item, int) else item)
        unread.clear()
        held.clear()

    def write(data: Any) -> None:
        if clean_to is None:
            return
        if unread:
            held.append(data)
        elif isinstance(data, int):
            clean_to.write(placeholder(malformed[data].case_id))
        else:
            clean_to.write(data)

    try:
        with open(path, "rb") as f:
            header = f.readline()
            if clean_to is not None:
                clean_to.write(header if header.endswith(b"\n") else header + b"\n")
            for row, (n, raw, problem, text) in enumerate(_csv_records(f, ncols)):
                if row in wanted:
                    lines[row] = n
                if problem is None:
                    if unread:
                        resolve(_first_field(text))
                    prev_text = text
                    if clean_to is not None:
                        write(raw if raw[-1:] in (b"\n", b"\r") else raw + b"\n")
                else:
                    cid = _first_field(text)
                    if not raw.endswith((b"\n", b"\r")) and "field" in problem:
                        problem += " (the last line: is the file cut short?)"
                    malformed.append(Malformed(row, n, cid, problem, _short(text.rstrip("\r\n"))))
                    if cid is None:
                        unread.append(len(malformed) - 1)
                    write(len(malformed) - 1)
                if row == stop:
                    break
            if unread:
                resolve(None)
    except OSError as err:
        raise TableError(msg("table-file-unreadable", path=path, reason=err.strerror or str(err))) from None
    return malformed, lines


def _where_rows(path: str, rows: np.ndarray, is_csv: bool, ncols: int) -> Message:
    """``lines 5, 17 and 230 (3 rows)``: the first few of ``rows`` (0-based) as the user finds them."""
    first = [int(r) for r in rows[:5]]
    if is_csv:
        _, found = scan_csv(path, ncols, lines_of=first)
        shown = ", ".join(str(found.get(r, "?")) for r in first)
        key = "where-file-line" if len(first) == 1 else "where-file-lines"
    else:
        shown = ", ".join(str(r) for r in first)
        key = "where-row" if len(first) == 1 else "where-rows"
    more = ", ..." if len(rows) > len(first) else ""
    return msg(key, shown=shown + more, count=len(rows))


def read_table(path: str | os.PathLike[str], *, dialect: Any = None):
    """Read an event table (``.csv``, ``.tsv``, ``.xlsx``, ``.parquet`` or ``.jsonl``) into a DataFrame.

    JSON Lines are flattened with :func:`cases_to_table`; a line that a table cannot
    hold raises :class:`TableError` (use ``timeline batch`` to get such lines as errors).
    So does a CSV record that is not a valid row (its line and why; ``timeline batch``
    reports such records per case and assesses the other cases), and with ``dmy`` dates a
    date that does not match. ``dialect``: a :class:`timeline.dialects.Dialect`.
    """
    path = os.fspath(path)
    ext = _extension(path)
    if not os.path.exists(path):
        raise TableError(msg("table-no-file", path=path))
    if ext == ".jsonl":
        df, problems = read_jsonl(path)
        if problems:
            line, _, err = problems[0]
            if err:
                raise TableError(msg("table-line-not-converted", path=path, line=line, detail=_text(err)))
            raise TableError(msg("table-line-not-a-case", path=path, line=line))
        return df
    return _to_pandas(_read_arrow(path, ext, dialect))


def _malformed_error(path: str, malformed: list[Malformed]) -> TableError:
    m = malformed[0]
    more = msg("table-malformed-count", count=Number(len(malformed))) if len(malformed) > 1 else ""
    if m.field:
        return TableError(msg("table-line-reason", path=path, line=m.line, reason=m.reason, more=more))
    return TableError(msg("table-line-malformed", path=path, line=m.line, reason=m.reason, text=m.text, more=more))


def _read_arrow(path: str, ext: str, dialect: Any = None):
    import pyarrow as pa

    whole = _read_spelled(path, ext, dialect)
    if whole is not None:
        if whole[1]:
            raise _malformed_error(path, whole[1])
        return whole[0]
    try:
        if ext == ".csv":
            table, malformed = _read_csv(path)
            if malformed:
                raise _malformed_error(path, malformed)
            return table
        import pyarrow.parquet as pq

        files = parquet_files(path)
        for f in files:
            check_unique_columns(pq.read_schema(f).names, f)
        return pq.read_table(files if os.path.isdir(path) else path)
    except (pa.ArrowInvalid, OSError) as err:
        raise _read_failed(path, err) from None


def _csv_parse_options():
    import pyarrow.csv as pcsv

    return pcsv.ParseOptions(newlines_in_values=True)


def _read_csv(path: str) -> tuple[Any, list[Malformed]]:
    """A CSV file as one Arrow table, and its malformed records.

    The fast path is one multi-threaded Arrow read. Only when the Arrow reader refuses the
    file is it read again record by record (:func:`scan_csv`): each malformed record
    becomes a placeholder row holding its case id, so every row keeps its position.
    """
    import pyarrow as pa
    import pyarrow.csv as pcsv

    header = _csv_header(path)
    convert = _csv_read_options(header)
    size = os.path.getsize(path)

    def read(source: Any) -> Any:
        try:
            return pcsv.read_csv(source, parse_options=_csv_parse_options(), convert_options=convert)
        except pa.ArrowInvalid as err:
            if "straddl" not in str(err):
                raise
        if not isinstance(source, str):
            source.seek(0)
        one_block = pcsv.ReadOptions(block_size=size + 1)  # a record longer than a block: the file is one block
        return pcsv.read_csv(
            source, read_options=one_block, parse_options=_csv_parse_options(), convert_options=convert
        )

    try:
        return read(path), []
    except pa.ArrowInvalid as err:
        first = err
    clean, malformed = _clean_csv(path, header, first)
    try:
        return read(clean), malformed
    except pa.ArrowInvalid:
        raise _read_failed(path, first) from None


def _clean_csv(path: str, header: list[str], err: Exception) -> tuple[Any, list[Malformed]]:
    """``path`` with its malformed records as placeholder rows (see :func:`scan_csv`), in memory.

    The copy is kept in memory, never written to disk: case data is sensitive, and a file
    in the temporary folder would outlive a killed run.
    """
    import io

    import pyarrow as pa

    out = io.BytesIO()
    malformed, _ = scan_csv(path, len(header), clean_to=out)
    if not malformed:  # the record reader finds nothing: report what the Arrow reader said
        raise _read_failed(path, err)
    return pa.BufferReader(out.getbuffer()), malformed


class Chunk(NamedTuple):
    """A piece of an input file holding whole cases (see :func:`iter_table_chunks`)."""

    table: Any  #: pyarrow.Table in the event-table format
    first_row: int  #: position of its first row in the file
    problems: list[tuple[int, Any, Exception | None]]  #: JSON Lines only: lines a table cannot hold
    row_lines: list[int] | None  #: JSON Lines only: the line number of each row
    #: CSV only: records that are not valid rows; each is a placeholder row of the table
    #: (holding only its case id, when readable) at position ``row``
    malformed: tuple[Malformed, ...] = ()
    #: with ``without_case="drop"``: the rows (positions in the file) that belong to no case
    no_case_rows: Any = None


#: CSV files up to this size are parsed at once (and checked for rows without a case id
#: before any work); larger ones are streamed block by block, the next block read while
#: the current chunk is assessed (:func:`timeline.batch_files.run_batch` reads ahead in a
#: thread). Streaming takes less processor time and memory than one multi-threaded read
#: of the whole file (1M cases, 960 MB: 7.5 against 9.5 CPU seconds, 1.7 against 2.4 GB),
#: and the assessment no longer waits for the whole file.
CSV_WHOLE_FILE_BYTES = 1 << 26


def iter_table_chunks(
    path: str | os.PathLike[str], rows: int = 1_000_000, *, without_case: str = "keep", dialect: Any = None
) -> Iterator[Chunk]:
    """Read a table file in chunks of whole cases, about ``rows`` rows each.

    A chunk ends at a case boundary (rows of one case must be contiguous, as
    :func:`cases_to_table` writes them). A directory is read as a Parquet dataset, one file
    after another in name order; ``.jsonl`` files are read ``rows // 10`` lines at a time.
    A CSV file up to :data:`CSV_WHOLE_FILE_BYTES` (64 MiB) is parsed in one go,
    a larger one streamed block by block, so memory stays bounded. CSV records that are
    not valid rows come in :attr:`Chunk.malformed`.

    ``without_case`` says what to do with rows whose ``case_id`` is empty (null, or only
    whitespace): ``"keep"`` them as they are; ``"stop"``: raise :class:`TableError`
    naming the file and the first few lines (CSV: lines of the file, 1-based; Parquet: rows
    counted from 0), before the first chunk when the file is read at once (a Parquet file
    or folder, a CSV file up to :data:`CSV_WHOLE_FILE_BYTES`); ``"drop"``: their ids are
    made null (``assess_table`` gives each an error row, which ``run_batch`` drops) and
    their positions come in :attr:`Chunk.no_case_rows`.

    ``dialect`` (:class:`timeline.dialects.Dialect`) says how a CSV file is spelled
    (delimiter, encoding, date format) and which sheet of an ``.xlsx`` workbook to read. A
    plain CSV file (comma, UTF-8, ISO dates) takes the Arrow fast path; ``.tsv``, ``.xlsx``
    and other dialects are read whole (:func:`timeline.dialects.read_delimited`,
    :func:`timeline.workbooks.read_workbook`).
    """
    import pyarrow as pa

    if without_case not in ("keep", "stop", "drop"):
        raise ValueError(f"without_case must be 'keep', 'stop' or 'drop', not {without_case!r}")
    path = os.fspath(path)
    ext = _extension(path)
    if not os.path.exists(path):
        raise TableError(msg("table-no-file-or-folder", path=path))
    if ext == ".jsonl":
        yield from _jsonl_chunks(path, rows)
        return
    found: list[Malformed] = []
    batches, header, checked = _open_batches(path, ext, rows, found, without_case, dialect)
    placeholders = np.zeros(0, dtype=np.int64)

    def chunk(table, offset: int) -> Chunk:
        nonlocal placeholders
        mine = tuple(m for m in found if offset <= m.row < offset + table.num_rows)
        if len(placeholders) != len(found):
            placeholders = np.array(sorted(m.row for m in found), dtype=np.int64)
        no_case = None
        if without_case != "keep" and not checked:
            table, local = _blank_ids(table, placeholders - offset)
            if local.size and without_case == "stop":
                where = _where_rows(path, local + offset, ext == ".csv", len(header))
                raise _no_case_error(path, where)
            no_case = local + offset
        return Chunk(_one_piece(table), offset, [], None, mine, no_case)

    pending: list[Any] = []
    pending_rows = 0
    offset = 0
    for batch in batches:
        if batch.num_rows == 0:
            continue
        pending.append(batch)
        pending_rows += batch.num_rows
        if pending_rows < rows:
            continue
        table = pa.Table.from_batches(pending)
        cut = _last_case_start(table)
        if cut == 0:  # one case fills the chunk: keep reading
            continue
        yield chunk(table.slice(0, cut), offset)
        offset += cut
        rest = table.slice(cut)
        pending, pending_rows = rest.to_batches(), rest.num_rows
    if pending_rows:
        yield chunk(pa.Table.from_batches(pending), offset)


def _one_piece(table: Any) -> Any:
    """``table`` with each column in one contiguous array. A streamed chunk comes in many
    blocks; joining them here, in the reading thread (Arrow releases the GIL), spares the
    assessing thread the copy (about 0.16 s per million rows)."""
    import pyarrow as pa

    columns = [c.chunk(0) if c.num_chunks == 1 else c.combine_chunks() for c in table.columns]
    return pa.Table.from_arrays(columns, schema=table.schema)


def _open_batches(
    path: str, ext: str, rows: int, found: list[Malformed], without_case: str, dialect: Any
) -> tuple[Iterator[Any], list[str], bool]:
    """The record batches of a table file, the header of a plain CSV file, and whether rows
    without a case id were checked before any work (``stop``: Parquet, a file read at once)."""
    whole = _read_spelled(path, ext, dialect)
    if whole is not None:
        return _whole_batches(path, whole, rows, found, without_case), [], without_case == "stop"
    header: list[str] = []
    if ext == ".csv":
        header = _csv_header(path)
        check_columns(header, path, delimiter=",")
    else:
        check_parquet(path, without_case)
    checked = without_case == "stop" and (ext != ".csv" or os.path.getsize(path) <= CSV_WHOLE_FILE_BYTES)
    return _arrow_batches(path, ext, rows, found, without_case), header, checked


def _read_spelled(path: str, ext: str, dialect: Any) -> tuple[Any, list[Malformed], np.ndarray] | None:
    """A table that is not plain CSV, Parquet or JSON Lines, read whole: (table, malformed
    records, line of each row); None for a plain CSV file (the Arrow fast path) and the others."""
    from .dialects import Dialect, detect_delimiter, is_plain, read_delimited

    spelled = (dialect or Dialect()).checked()
    if ext == ".xlsx":
        from .workbooks import read_workbook

        return read_workbook(path, spelled)
    if ext not in (".csv", ".tsv"):
        return None
    delimiter, header = detect_delimiter(path, spelled, tsv=ext == ".tsv")
    if is_plain(spelled, delimiter):
        return None
    return read_delimited(path, delimiter, header, spelled)


def _whole_batches(
    path: str, whole: tuple[Any, list[Malformed], np.ndarray], rows: int, found: list[Malformed], without_case: str
) -> Iterator[Any]:
    """The record batches of a table read whole; rows without a case id stop the run first (``stop``)."""
    table, malformed, lines = whole
    found.extend(malformed)
    if without_case == "stop":
        skip = np.array([m.row for m in malformed], dtype=np.int64)
        _, missing = _blank_ids(table.select(["case_id"]), skip)
        if missing.size:
            raise _no_case_error(path, _where_lines(lines[missing]))
    yield from table.to_batches(max_chunksize=rows)


def _where_lines(lines: np.ndarray) -> Message:
    """``lines 5, 17 (2 rows in all; ...)``: the first few of ``lines`` of a file."""
    first = ", ".join(str(int(n)) for n in lines[:5])
    more = ", ..." if len(lines) > 5 else ""
    return msg("where-line" if len(lines) == 1 else "where-lines", shown=first + more, count=len(lines))


def _no_case_error(path: str, where: Message) -> TableError:
    return TableError(msg("table-rows-without-case", path=path, where=where))


def no_case_mask(ids: Any) -> np.ndarray:
    """Rows whose id is null, empty or only whitespace."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(ids, pa.ChunkedArray):
        ids = ids.combine_chunks()
    missing = ~valid_mask(ids)
    if pa.types.is_string(ids.type) or pa.types.is_large_string(ids.type):
        blank = pc.or_(pc.equal(pc.binary_length(ids), 0), pc.utf8_is_space(ids))
        missing |= pc.fill_null(blank, False).to_numpy(zero_copy_only=False)
    return missing


def _blank_ids(table, skip: np.ndarray) -> tuple[Any, np.ndarray]:
    """``table`` with empty or whitespace ids made null, and the rows (but ``skip``) without a case."""
    import pyarrow as pa
    import pyarrow.compute as pc

    ids = table.column("case_id")
    missing = no_case_mask(ids)
    if not missing.any():
        return table, np.zeros(0, dtype=np.int64)
    if ids.null_count != int(missing.sum()):
        nulled = pc.if_else(pa.array(missing), pa.nulls(len(missing), ids.type), ids)
        table = table.set_column(table.column_names.index("case_id"), "case_id", nulled)
    skip = skip[(skip >= 0) & (skip < len(missing))]
    missing[skip] = False
    return table, np.flatnonzero(missing).astype(np.int64)


def check_parquet(path: str, without_case: str) -> None:
    """The columns of every Parquet file, and (``without_case="stop"``) its rows without a case id, before any work."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    for f in parquet_files(path):
        try:
            pf = pq.ParquetFile(f)
            names = pf.schema_arrow.names
            check_unique_columns(names, f)
            check_columns(names, f)
            if without_case == "stop":
                missing = np.flatnonzero(no_case_mask(pf.read(columns=["case_id"]).column("case_id")))
                if missing.size:
                    raise _no_case_error(f, _where_rows(f, missing, False, 0))
        except (pa.ArrowInvalid, OSError) as err:
            raise _read_failed(f, err) from None


def _last_case_start(table) -> int:
    """Row where the last case of ``table`` begins (0 when it holds one case only).

    Rows without an id go with the case after them (they belong to no case).
    """
    import pyarrow.compute as pc

    if "case_id" not in table.column_names:
        raise TableError(msg("table-needs-columns"))
    ids = table.column("case_id")
    last_valid = np.flatnonzero(pc.is_valid(ids).to_numpy(zero_copy_only=False))
    if last_valid.size == 0:
        return 0
    hi = int(last_valid[-1]) + 1
    last = ids[hi - 1]
    # Walk back in growing steps: the last case is short.
    step = 64
    lo = hi
    while lo > 0:
        start = max(0, lo - step)
        window = ids.slice(start, lo - start)
        same = pc.fill_null(pc.equal(window, last), True).to_numpy(zero_copy_only=False)
        if not same.all():
            k = int(np.flatnonzero(~same)[-1])
            return start + k + 1
        lo = start
        step *= 4
    return 0


def _arrow_batches(path: str, ext: str, rows: int, found: list[Malformed], without_case: str) -> Iterator[Any]:
    """The record batches of a CSV or Parquet file; CSV's malformed records are added to ``found``."""
    import pyarrow as pa

    try:
        if ext == ".csv" and os.path.getsize(path) <= CSV_WHOLE_FILE_BYTES:
            table, malformed = _read_csv(path)
            found.extend(malformed)
            if without_case == "stop":  # before any work: the whole file is read
                skip = np.array([m.row for m in malformed], dtype=np.int64)
                _, missing = _blank_ids(table.select(["case_id"]), skip)
                if missing.size:
                    raise _no_case_error(path, _where_rows(path, missing, True, table.num_columns))
            yield from table.to_batches(max_chunksize=rows)
            return
        if ext == ".csv":
            yield from _csv_stream(path, found)
            return
        import pyarrow.parquet as pq

        for f in parquet_files(path):
            pf = pq.ParquetFile(f)
            check_unique_columns(pf.schema_arrow.names, f)
            yield from pf.iter_batches(batch_size=max(1, min(rows, 1 << 20)))
    except (pa.ArrowInvalid, OSError) as err:
        raise _read_failed(path, err) from None


#: The block the streaming CSV reader parses at a time. Small blocks stay in the processor's
#: cache: 1M cases (960 MB) stream in 3.2 CPU seconds and 0.3 GB with 4 MiB blocks against
#: 7.5 s and 1.7 GB with 64 MiB (the reader parses several blocks ahead). A valid row is far
#: smaller (:data:`timeline.fields.MAX_TEXT` characters a field); a longer one makes the
#: stream start again from where it was with larger blocks (:func:`_csv_stream`).
CSV_BLOCK_BYTES = 1 << 22


def _csv_stream(path: str, found: list[Malformed]) -> Iterator[Any]:
    """A large CSV file block by block. When the Arrow reader refuses a block, the file is
    read record by record into a clean copy (:func:`scan_csv`), which is streamed from the
    first row not yet given; a record longer than a block restarts the stream there with
    blocks large enough."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    header = _csv_header(path)
    source: Any = path  # a path, or the in-memory clean copy
    block, size = CSV_BLOCK_BYTES, os.path.getsize(path)
    done = 0
    cleaned = False
    while True:
        skip = done
        if not isinstance(source, str):
            source.seek(0)
        try:
            for batch in pcsv.open_csv(
                source,
                read_options=pcsv.ReadOptions(block_size=block),
                parse_options=_csv_parse_options(),
                convert_options=_csv_read_options(header),
            ):
                if skip >= batch.num_rows:
                    skip -= batch.num_rows
                    continue
                yield batch.slice(skip) if skip else batch
                done += batch.num_rows - skip
                skip = 0
            return
        except pa.ArrowInvalid as err:
            if "straddl" in str(err) and block <= size:
                block = min(block * 16, size + 1)  # a record longer than a block: larger blocks
                continue
            if cleaned:
                raise
            first = err
        clean, malformed = _clean_csv(path, header, first)
        found.extend(malformed)
        source, cleaned = clean, True


def _jsonl_chunks(path: str, rows: int) -> Iterator[Chunk]:
    cases = max(1, rows // 10)
    buf: list[str] = []
    first = 1
    n = 0
    seen: dict[str, int] = {}
    for n, line in enumerate(_jsonl_lines(path), start=1):
        buf.append(line)
        if len(buf) >= cases:
            table, problems, row_lines = _jsonl_chunk(buf, first, seen)
            yield Chunk(table, first, problems, row_lines)
            buf, first = [], n + 1
    if buf or n == 0:
        table, problems, row_lines = _jsonl_chunk(buf, first, seen)
        yield Chunk(table, first, problems, row_lines)


def _parquet_ready(table):
    """Date columns as date32 when every value is a valid ISO date (else they stay text)."""
    import pyarrow as pa

    cols = {}
    for name in table.column_names:
        col = table.column(name)
        if name in DATE_COLUMNS and (pa.types.is_string(col.type) or pa.types.is_large_string(col.type)):
            arr = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
            days, bad = parse_iso_dates(arr)
            if not bad.any():
                col = pa.array(days.astype(np.int32), pa.date32(), mask=~valid_mask(arr))
        cols[name] = col
    return pa.table(cols)


def write_table(table, path: str | os.PathLike[str], *, dialect: Any = None) -> None:
    """Write an event table to ``.csv``, ``.tsv``, ``.xlsx``, ``.parquet`` or ``.jsonl`` (by extension).

    CSV: UTF-8, a header, every present value quoted, absent values empty; ``dialect``
    (:class:`timeline.dialects.Dialect`) may ask for another delimiter, encoding or dates as
    DD-MM-YYYY (``.tsv``: tabs). Excel: one sheet ``events``, dates as Excel dates.
    Parquet: date columns as ``date32`` when they hold only valid dates. JSON Lines: one
    case-file dict per line (:func:`table_to_cases`).
    """
    import pyarrow as pa
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    path = os.fspath(path)
    ext = _extension(path)
    if ext == ".jsonl":
        write_jsonl((c.data for c in table_to_cases(table)), path)
        return
    at = table if isinstance(table, pa.Table) else pa.Table.from_pandas(table, preserve_index=False)
    spelled = _output_dialect(ext, dialect)
    try:
        with replacing(path) as tmp:
            if ext == ".xlsx":
                from .workbooks import write_workbook

                write_workbook(tmp, [("events", at)], target=path)
            elif spelled is not None:
                from .dialects import write_delimited

                write_delimited(at, tmp, spelled, target=path)
            elif ext == ".csv":
                pcsv.write_csv(at, tmp, pcsv.WriteOptions(quoting_style="all_valid"))
            else:
                pq.write_table(_parquet_ready(at), tmp)
    except (pa.ArrowInvalid, OSError) as err:
        raise TableError(msg("table-write-failed", path=path, detail=str(err))) from None


def _output_dialect(ext: str, dialect: Any) -> Any:
    """The dialect to write a ``.csv``/``.tsv`` file in, or None for plain CSV (the Arrow writer)."""
    from .dialects import Dialect, is_plain

    if ext not in (".csv", ".tsv"):
        return None
    spelled = (dialect or Dialect()).checked()
    if ext == ".tsv" and spelled.delimiter is None:
        spelled = spelled._replace(delimiter="\t")
    if is_plain(spelled, spelled.delimiter or ",") and spelled.encoding == "utf-8":
        return None
    return spelled


def write_jsonl(cases: Iterable[Mapping[str, Any]], path: str | os.PathLike[str]) -> None:
    """Write case-file dicts as JSON Lines (UTF-8, one case per line)."""
    import json

    path = os.fspath(path)
    try:
        with replacing(path) as tmp, open(tmp, "w", encoding="utf-8", newline="\n") as f:
            for data in cases:
                f.write(json.dumps(data, ensure_ascii=False, default=_json_default) + "\n")
    except OSError as err:
        raise TableError(msg("table-file-write-failed", path=path, reason=err.strerror or str(err))) from None


def _json_default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return str(value)


def convert(
    source: str | os.PathLike[str], output: str | os.PathLike[str], *, dialect: Any = None
) -> list[tuple[int, str]]:
    """Convert between JSON Lines and the event table (CSV, TSV, Excel, Parquet), by file extension.

    Returns the lines of a JSON Lines source that could not be converted, each with the
    reason (invalid JSON, a duplicate id, or why the case reader rejects the case); the
    other cases are written. ``dialect`` (:class:`timeline.dialects.Dialect`) describes the
    spelled side: the source when it is CSV, TSV or Excel, else the output.
    """
    import json

    from .errors import CaseError
    from .io import case_from_dict

    source, output = os.fspath(source), os.fspath(output)
    src, dst = _extension(source), _extension(output)
    if not os.path.exists(source):
        raise TableError(msg("table-no-file", path=source))
    check_outputs({"-o": output}, [source])  # never over the input; the folder must exist
    problems: list[tuple[int, str]] = []
    if src == ".jsonl":
        table, found, _ = _jsonl_chunk(_jsonl_lines(source), 1)
        for line, data, err in found:
            if err is None:
                try:
                    case_from_dict(data)
                    reason: str = msg("table-value-unrepresentable")
                except CaseError as bad:
                    reason = str(bad)
            elif isinstance(err, json.JSONDecodeError):
                reason = msg("jsonl-invalid", column=err.colno, detail=err.msg)
            else:
                reason = _text(err)
            problems.append((line, reason))
        if dst == ".jsonl":
            write_jsonl((c.data for c in table_to_cases(table)), output)
        else:
            write_table(table, output, dialect=dialect)
        return problems
    spelled_source = src in (".csv", ".tsv", ".xlsx")
    table = _read_arrow(source, src, dialect if spelled_source else None)
    write_table(table, output, dialect=None if spelled_source else dialect)
    return problems
