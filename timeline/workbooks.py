"""Excel workbooks (``.xlsx``): tables in and out, with real dates.

Written with openpyxl's write-only mode: one sheet per table, the header row frozen and
filtered, each column as wide as its longest value (within limits), dates as Excel dates
(shown ``yyyy-mm-dd``), booleans as Excel booleans, text always as text (a value starting
with ``=`` is never a formula). A workbook is written to the temporary file the caller
gives (:func:`timeline.outputs.replacing` or :class:`timeline.outputs.OutputSet`), so it
appears whole or not at all.

Read with openpyxl's read-only mode: the first sheet (or the one named), its first row the
header. Date cells become ISO text (a cell with a time of day keeps it, so the case reader
rejects it), booleans ``true``/``false``, whole numbers their digits; empty cells and
empty rows are absent. Row ``n`` of the sheet is line ``n`` in error messages (the header
is line 1), as for CSV.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any

from .dialects import Dialect, dates_from_dmy
from .errors import Number, msg
from .tables import DATE_COLUMNS, Malformed, TableError, check_columns, check_unique_columns

__all__ = ["MAX_ROWS", "read_workbook", "write_workbook"]

#: Rows of data an Excel sheet can hold (1,048,576 less the header).
MAX_ROWS = 1_048_575
_MIN_WIDTH, _MAX_WIDTH = 8, 60


def _cell_value(value: Any, column: str, as_dates: bool) -> Any:
    """A Python value of a table cell as openpyxl writes it."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if type(value).__name__ in ("NaTType", "NAType"):
        return None
    if hasattr(value, "to_pydatetime"):  # pandas.Timestamp
        value = value.to_pydatetime()
    if isinstance(value, datetime) and value.time() == time(0) and value.tzinfo is None:
        return value.date()
    if as_dates and column in DATE_COLUMNS and isinstance(value, str):
        try:
            return date.fromisoformat(value) if len(value) == 10 and value[4] == "-" else value
        except ValueError:
            return value  # not a valid date: kept as text, so nothing is lost
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return value.item()
    return value


def _letter(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)


def _shown_width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, date):
        return 10
    return max((len(part) for part in str(value).splitlines()), default=0)


def _write_sheet(wb: Any, name: str, columns: Sequence[str], rows: list[list[Any]]) -> None:
    from openpyxl.cell import WriteOnlyCell

    ws = wb.create_sheet(title=name)
    widths = [len(c) + 3 for c in columns]  # room for the filter button
    for row in rows[:2000]:  # a sample is enough for the widths
        for i, v in enumerate(row):
            widths[i] = max(widths[i], _shown_width(v) + 1)
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[_letter(i)].width = max(_MIN_WIDTH, min(_MAX_WIDTH, w))
    ws.freeze_panes = "A2"
    if columns:
        ws.auto_filter.ref = f"A1:{_letter(len(columns))}{len(rows) + 1}"
    ws.append(list(columns))
    for row in rows:
        for i, v in enumerate(row):
            if isinstance(v, str) and v.startswith("="):  # text, never a formula
                cell = WriteOnlyCell(ws, value=v)
                cell.data_type = "s"
                row[i] = cell
        ws.append(row)


def write_workbook(path: Any, sheets: Sequence[tuple[str, Any]], *, target: str | None = None) -> None:
    """Write tables to the workbook ``path`` (a file name or a binary file), one sheet each.

    A table is a pandas DataFrame, an Arrow table, or ``(columns, rows)`` with each row a
    dict.

    ``sheets``: (sheet name, table) in order. Date columns of an event table (ISO text)
    become Excel dates; a value that is not a valid date stays text. ``target``: the file
    name for messages (``path`` is usually a temporary file).
    """
    from openpyxl import Workbook
    from openpyxl.utils.exceptions import IllegalCharacterError

    shown = target or str(path)
    wb = Workbook(write_only=True)
    for name, table in sheets:
        columns, values = _columns_and_rows(table)
        if len(values) > MAX_ROWS:
            raise TableError(
                msg("workbook-too-many-rows", path=shown, count=Number(len(values)), limit=Number(MAX_ROWS))
            )
        rows = [[_cell_value(v, c, True) for c, v in zip(columns, row, strict=True)] for row in values]
        try:
            _write_sheet(wb, name, columns, rows)
        except IllegalCharacterError as err:
            raise TableError(msg("workbook-control-character", path=shown, sheet=name, detail=str(err))) from None
    try:
        wb.save(path)
    except OSError as err:
        raise TableError(msg("workbook-write-failed", path=shown, reason=err.strerror or str(err))) from None


def _columns_and_rows(table: Any) -> tuple[list[str], list[tuple[Any, ...]]]:
    if isinstance(table, tuple):  # (columns, rows as dicts)
        names, dicts = table
        return list(names), [tuple(d.get(c) for c in names) for d in dicts]
    if hasattr(table, "column_names"):  # pyarrow
        columns = list(table.column_names)
        data = [table.column(c).to_pylist() for c in columns]
    else:
        columns = [str(c) for c in table.columns]
        data = [table[c].astype(object).tolist() for c in table.columns]
    return columns, list(zip(*data, strict=True)) if data else []


def _text(value: Any, dmy: bool) -> str | None:
    """A cell read from a workbook as table text (see the module's docstring)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        if value.time() != time(0):
            return value.isoformat(sep=" ")
        value = value.date()
    if isinstance(value, date):
        return f"{value.day:02d}-{value.month:02d}-{value.year:04d}" if dmy else value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return text if text != "" else None


def _open_sheet(path: str, sheet: str | None) -> tuple[Any, Any, str]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, KeyError, ValueError, OSError) as err:
        raise TableError(msg("workbook-unreadable", path=path, detail=str(err))) from None
    if sheet is None:
        ws = wb.worksheets[0]
    elif sheet in wb.sheetnames:
        ws = wb[sheet]
    else:
        raise TableError(msg("workbook-no-sheet", path=path, sheet=repr(sheet), sheets=tuple(map(repr, wb.sheetnames))))
    return wb, ws, ws.title


def read_workbook(path: str, dialect: Dialect | None = None) -> tuple[Any, list[Malformed], Any]:
    """The event table in a sheet of ``path`` as an Arrow table of text, and its malformed rows.

    A row with values beyond the header's columns is malformed (a placeholder row holding
    its case id takes its place); with ``dialect.date_format == "dmy"``, so is a row with a
    text date that is not DD-MM-YYYY (date cells are dates whatever the format). The third
    value holds the sheet row of every table row.
    """
    import numpy as np
    import pyarrow as pa

    dialect = dialect or Dialect()
    dmy = dialect.date_format == "dmy"
    wb, ws, title = _open_sheet(path, dialect.sheet)
    where = f"{path} (sheet {title!r})"
    try:
        it = ws.iter_rows(values_only=True)
        first = next(it, ())
        header = [_text(v, False) or "" for v in first]
        while header and header[-1] == "":
            header.pop()
        check_unique_columns(header, where)
        check_columns(header, where)
        ncols = len(header)
        rows: list[list[str | None]] = []
        lines: list[int] = []
        malformed: list[Malformed] = []
        for n, values in enumerate(it, start=2):
            cells = [_text(v, dmy) for v in values]
            if not any(c is not None for c in cells):
                continue
            cells += [None] * (ncols - len(cells))
            if any(c is not None for c in cells[ncols:]):
                extra = sum(1 for c in cells[ncols:] if c is not None)
                reason = msg("row-extra-values", extra=extra, ncols=ncols)
                malformed.append(Malformed(len(rows), n, cells[0], reason, " | ".join(c or "" for c in cells)[:80]))
                cells = [cells[0]] + [None] * (ncols - 1)
            rows.append(cells[:ncols])
            lines.append(n)
    finally:
        wb.close()
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in header]
    table = pa.table({h: pa.array(list(col), pa.string()) for h, col in zip(header, columns, strict=True)})
    at = np.asarray(lines, dtype=np.int64)
    if dmy:
        table, bad = dates_from_dmy(table, at)
        malformed = sorted(malformed + bad, key=lambda m: m.row)
    return table, malformed, at
