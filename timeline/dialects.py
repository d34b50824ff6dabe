"""How a delimited table file is spelled: its delimiter, encoding and date format.

Case-management systems and Excel write CSV in more than one way. Dutch Excel saves
"CSV (puntkomma's)": semicolons, dates as ``31-12-2024`` (the regional short date), and
Windows-1252 (``cp1252``) or UTF-8 with a byte-order mark. A :class:`Dialect` says which:

``delimiter``
    ``,``, ``;`` or a tab; ``None`` (the default) detects it from the header line: the
    first of comma, semicolon and tab (tab first for ``.tsv``) that splits the header into
    columns holding ``case_id``. When none does, the one that splits the header into the
    most columns is assumed, and the error names it.
``encoding``
    ``utf-8`` (read with or without a byte-order mark; written without), ``utf-8-sig``
    (written with one) or ``cp1252``. Never guessed: bytes that are not valid in the
    encoding make their record an error of its case, naming the line.
``date_format``
    ``iso`` (``YYYY-MM-DD``) or ``dmy`` (``DD-MM-YYYY``; a one-digit day or month, as in
    ``1-2-2024``, is read too). Never guessed: with ``dmy``, a date that does not match
    (``2024-12-31`` included) makes its record an error of its case, naming the line and
    the field.

A plain file (comma, UTF-8, ISO dates) takes the Arrow fast path of
:mod:`timeline.tables`; any other is read here, by Arrow too, or, when Arrow refuses it (a
record with the wrong number of fields, bytes not valid in the encoding), record by record
with the ``csv`` module, which names each bad record's line. In such a file an empty value
is absent, quoted or not (as Excel writes it).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from typing import Any, NamedTuple

import numpy as np

from .errors import msg
from .tables import (
    DATE_COLUMNS,
    LIST_RECORDS,
    Malformed,
    TableError,
    check_columns,
    check_unique_columns,
    parse_iso_dates,
)

__all__ = [
    "DATE_FORMATS",
    "DELIMITERS",
    "ENCODINGS",
    "Dialect",
    "LineNumbers",
    "detect_delimiter",
    "dmy_to_iso",
    "is_plain",
    "iso_to_dmy",
    "read_delimited",
    "write_delimited",
]

#: The delimiters a table file may use, by the name a user types.
DELIMITERS = {",": ",", ";": ";", "tab": "\t", "\\t": "\t", "\t": "\t"}
#: The encodings a table file may use (``utf-8`` reads a byte-order mark too).
ENCODINGS = ("utf-8", "utf-8-sig", "cp1252")
#: ``iso``: YYYY-MM-DD; ``dmy``: DD-MM-YYYY.
DATE_FORMATS = ("iso", "dmy")
_DMY = r"^\s*(?P<d>\d{1,2})-(?P<m>\d{1,2})-(?P<y>\d{4})\s*$"
_UNDECODED = re.compile("[\udc80-\udcff]")


class Dialect(NamedTuple):
    """How a table file is spelled (see the module's docstring); the defaults are the plain CSV."""

    delimiter: str | None = None
    encoding: str = "utf-8"
    date_format: str = "iso"
    sheet: str | None = None  #: ``.xlsx``: the sheet to read (default: the first)

    def checked(self) -> Dialect:
        """This dialect with the delimiter's name resolved; :class:`TableError` for a value not allowed."""
        delimiter = self.delimiter
        if delimiter is not None:
            if delimiter not in DELIMITERS:
                raise TableError(msg("dialect-delimiter", delimiter=repr(delimiter)))
            delimiter = DELIMITERS[delimiter]
        if self.encoding.lower() not in ENCODINGS:
            raise TableError(msg("dialect-encoding", encoding=repr(self.encoding), valid=tuple(ENCODINGS)))
        if self.date_format not in DATE_FORMATS:
            raise TableError(msg("dialect-date-format", format=repr(self.date_format)))
        return self._replace(delimiter=delimiter, encoding=self.encoding.lower())


def _reading(encoding: str) -> str:
    return "utf-8-sig" if encoding.startswith("utf-8") else encoding


def is_plain(dialect: Dialect, delimiter: str) -> bool:
    """True when a file read with ``dialect`` and ``delimiter`` can take the Arrow fast path."""
    return delimiter == "," and dialect.encoding.startswith("utf-8") and dialect.date_format == "iso"


def _split_header(first: str, delimiter: str) -> list[str]:
    return next(csv.reader([first], delimiter=delimiter), [])


def detect_delimiter(path: str, dialect: Dialect, *, tsv: bool = False) -> tuple[str, list[str]]:
    """The delimiter of ``path`` (given or detected from its header line) and the header's columns.

    Raises :class:`TableError` naming the file, the columns found and the delimiter assumed
    when the header has no ``case_id`` or ``record`` column, or a column name twice.
    """
    try:
        with open(path, "rb") as f:
            raw = f.readline()
    except OSError as err:
        raise TableError(msg("table-file-unreadable", path=path, reason=err.strerror or str(err))) from None
    try:
        first = raw.decode(_reading(dialect.encoding))
    except UnicodeDecodeError:
        key = "dialect-header-encoding-cp1252" if dialect.encoding != "cp1252" else "dialect-header-encoding"
        raise TableError(msg(key, path=path, encoding=dialect.encoding)) from None
    first = first.rstrip("\r\n")
    order = ("\t", ",", ";") if tsv else (",", ";", "\t")
    candidates = (dialect.delimiter,) if dialect.delimiter else order
    # The one whose header holds case_id; else the one that splits it most (named in the error).
    chosen = next((d for d in candidates if "case_id" in _split_header(first, d)), None)
    if chosen is None:
        chosen = max(candidates, key=lambda d: (len(_split_header(first, d)), -candidates.index(d)))
    header = _split_header(first, chosen)
    check_unique_columns(header, path)
    check_columns(header, path, delimiter=chosen)
    return chosen, header


def _records(path: str, delimiter: str, encoding: str) -> Iterable[tuple[int, list[str]]]:
    """(first line, fields) of every record after the header; blank lines are skipped."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as err:
        raise TableError(msg("table-file-unreadable", path=path, reason=err.strerror or str(err))) from None
    text = data.decode(_reading(encoding), errors="surrogateescape")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    next(reader, None)
    before = reader.line_num
    for fields in reader:
        if fields:
            yield before + 1, fields
        before = reader.line_num


def read_delimited(path: str, delimiter: str, header: list[str], dialect: Dialect) -> tuple[Any, list[Malformed], Any]:
    """A delimited file as an Arrow table of text (empty is absent) and its malformed records.

    A record with the wrong number of fields, or bytes not valid in the encoding, is a
    :class:`~timeline.tables.Malformed` record and a placeholder row holding its case id;
    with ``dmy`` dates, so is each record with a date that does not match. ``Malformed.line``
    is the record's first line in the file (the header is line 1); the third value gives
    the line of rows (indexed like an array). The Arrow reader reads the file when it can
    (about 3 times faster); the record-by-record reader when it refuses the file.
    """
    lines: Any
    table = _arrow_read(path, delimiter, header, dialect)
    if table is None:
        table, malformed, lines = _python_read(path, delimiter, header, dialect)
    else:
        malformed, lines = [], LineNumbers(path, delimiter, dialect.encoding)
    if dialect.date_format == "dmy":
        table, bad = dates_from_dmy(table, lines)
        malformed = sorted(malformed + bad, key=lambda m: m.row)
    return table, malformed, lines


class LineNumbers:
    """The first line of each row of a delimited file, read only when first asked for (to
    report an error): ``lines[rows]`` as for an array."""

    def __init__(self, path: str, delimiter: str, encoding: str) -> None:
        self._source = (path, delimiter, encoding)
        self._lines: np.ndarray | None = None

    def __getitem__(self, rows: Any) -> Any:
        if self._lines is None:
            self._lines = np.asarray([line for line, _ in _records(*self._source)], dtype=np.int64)
        return self._lines[rows]


def _arrow_read(path: str, delimiter: str, header: list[str], dialect: Dialect) -> Any:
    """The file read by Arrow as text columns, or None when Arrow refuses it (a malformed record)."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    encoding = "utf8" if dialect.encoding.startswith("utf-8") else dialect.encoding
    try:
        return pcsv.read_csv(
            path,
            read_options=pcsv.ReadOptions(encoding=encoding),
            parse_options=pcsv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
            convert_options=pcsv.ConvertOptions(
                column_types={c: pa.string() for c in header},
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
                null_values=[""],
            ),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError):
        return None


def _python_read(
    path: str, delimiter: str, header: list[str], dialect: Dialect
) -> tuple[Any, list[Malformed], np.ndarray]:
    """The file read record by record with the csv module: (table, malformed records, lines)."""
    import pyarrow as pa

    ncols = len(header)
    other = "cp1252" if dialect.encoding.startswith("utf-8") else "utf-8"
    undecoded = msg("row-undecoded", encoding=dialect.encoding, other=other)
    rows: list[list[str]] = []
    lines: list[int] = []
    malformed: list[Malformed] = []
    for line, fields in _records(path, delimiter, dialect.encoding):
        joined = delimiter.join(fields)
        problem = None
        if len(fields) != ncols:
            problem = msg("row-field-count", got=len(fields), ncols=ncols)
        elif _UNDECODED.search(joined):
            problem = undecoded
        if problem is not None:
            cid = fields[0] if fields and fields[0].strip() and not _UNDECODED.search(fields[0]) else None
            shown = joined.encode("utf-8", "replace").decode("utf-8")
            malformed.append(Malformed(len(rows), line, cid, problem, shown[:80]))
            fields = [cid or ""] + [""] * (ncols - 1)
        rows.append(fields)
        lines.append(line)
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in header]
    arrays = [pa.array([v if v != "" else None for v in col], pa.string()) for col in columns]
    return pa.table(dict(zip(header, arrays, strict=True))), malformed, np.asarray(lines, dtype=np.int64)


def dates_from_dmy(table: Any, lines: Any) -> tuple[Any, list[Malformed]]:
    """``table`` with its date columns turned from DD-MM-YYYY to ISO text, and one
    :class:`~timeline.tables.Malformed` record per value that does not match (``lines``:
    the line of each row). A value that does not match is kept as it is."""
    bad_records: list[Malformed] = []
    for name in table.column_names:
        if name not in DATE_COLUMNS:
            continue
        col = table.column(name).combine_chunks()
        iso, bad = dmy_to_iso(col)
        ids = table.column("case_id")
        for row in np.flatnonzero(bad).tolist():
            value = col[row].as_py()
            cid = ids[row].as_py()
            record = _record_name(table, row)
            if re.match(_DMY, value):
                reason = msg("dmy-not-real", name=name, value=repr(value))
            else:
                reason = msg("dmy-form", name=name, value=repr(value))
            bad_records.append(Malformed(row, int(lines[row]), cid, reason, str(value)[:80], field=name, record=record))
        table = table.set_column(table.column_names.index(name), name, iso)
    return table, bad_records


def _record_name(table: Any, row: int) -> str:
    """``permits[2]`` (``person`` for a single record): the record of ``row`` as the errors table names it."""
    names = table.column_names
    record = table.column("record")[row].as_py() if "record" in names else None
    if record is None or record == "case":
        return ""
    index = table.column("index")[row].as_py() if "index" in names else None
    return f"{record}[{index}]" if record in LIST_RECORDS and index is not None else str(record)


def dmy_to_iso(arr: Any) -> tuple[Any, np.ndarray]:
    """``DD-MM-YYYY`` Arrow text as ``YYYY-MM-DD`` text, and the values that are not such a date.

    A value that does not match, or names no real day (``31-02-2024``), is kept as it was
    and flagged. Nulls stay null and are not flagged.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if len(arr) == 0 or arr.null_count == len(arr):
        return arr, np.zeros(len(arr), dtype=bool)
    arr = arr.cast(pa.string())
    parts = pc.extract_regex(arr, _DMY)
    day = pc.utf8_lpad(pc.struct_field(parts, "d"), 2, "0")
    month = pc.utf8_lpad(pc.struct_field(parts, "m"), 2, "0")
    iso = pc.binary_join_element_wise(pc.struct_field(parts, "y"), month, day, "-")
    iso = iso.combine_chunks() if isinstance(iso, pa.ChunkedArray) else iso
    _, invalid = parse_iso_dates(iso)
    present = arr.is_valid().to_numpy(zero_copy_only=False)
    matched = iso.is_valid().to_numpy(zero_copy_only=False)
    bad = present & (~matched | invalid)
    out = pc.if_else(pa.array(bad), arr, iso)
    return out, bad


def iso_to_dmy(arr: Any) -> Any:
    """``YYYY-MM-DD`` Arrow text as ``DD-MM-YYYY`` (an impossible day such as ``2024-02-30`` too,
    so that reading it back names it); anything else is kept as it is."""
    import pyarrow.compute as pc

    if len(arr) == 0 or arr.null_count == len(arr):
        return arr
    shaped = pc.match_substring_regex(arr, r"^\d{4}-\d{2}-\d{2}$")
    dmy = pc.binary_join_element_wise(
        pc.utf8_slice_codeunits(arr, 8, 10), pc.utf8_slice_codeunits(arr, 5, 7), pc.utf8_slice_codeunits(arr, 0, 4), "-"
    )
    return pc.if_else(shaped, dmy, arr)


def write_delimited(table: Any, path: str, dialect: Dialect, *, target: str | None = None) -> None:
    """Write an Arrow event table to ``path`` (a temporary file) in ``dialect``.

    Every present value is quoted (an empty text stays distinct from absent); dates are
    DD-MM-YYYY with ``dmy``. A value the encoding cannot hold is a :class:`TableError`
    naming it (``target``: the file name for messages; ``path`` is usually a temporary file).
    """
    import pyarrow as pa
    import pyarrow.csv as pcsv

    if dialect.date_format == "dmy":
        for name in table.column_names:
            col = table.column(name)
            if name in DATE_COLUMNS and (pa.types.is_date(col.type) or pa.types.is_timestamp(col.type)):
                col = col.cast(pa.date32()).cast(pa.string())  # from Parquet: dates as ISO text first
            if name in DATE_COLUMNS and (pa.types.is_string(col.type) or pa.types.is_large_string(col.type)):
                dmy = iso_to_dmy(col.cast(pa.string()).combine_chunks())  # pandas gives large_string
                table = table.set_column(table.column_names.index(name), name, dmy)
    buf = io.BytesIO()
    options = pcsv.WriteOptions(quoting_style="all_valid", delimiter=dialect.delimiter or ",")
    pcsv.write_csv(table, buf, options)
    text = buf.getvalue().decode("utf-8")
    try:
        data = text.encode(dialect.encoding)
    except UnicodeEncodeError as err:
        shown = text[err.start : err.end]
        line = text.count("\n", 0, err.start) + 1
        where = target or path
        raise TableError(
            msg("dialect-unencodable", path=where, text=repr(shown), line=line, encoding=dialect.encoding)
        ) from None
    with open(path, "wb") as f:
        f.write(data)
