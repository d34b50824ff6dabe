"""The caseload as CSV (``GET /cases.csv``): the results ``timeline batch`` writes, one row
per case file, and the files that could not be assessed as the rows ``--errors`` writes.

A result row is :func:`timeline.batch.row_from_assessment` of the file's assessment (the
batch's own row for a case the single-case engine assessed, which the differential tests
hold equal to the vectorised path); an error row has the record, field, value and reason of
the error, as ``timeline batch --errors`` reports a case that cannot be read or assessed.
One table, so that nothing is left out of the one file a user opens: the column ``file``
(the case file's name), the columns of ``timeline batch -o`` (:data:`RESULT_COLUMNS`), then
``record``, ``field``, ``value`` and ``reason`` of ``--errors`` (empty on a result row; an
error row's ``case_id`` is in ``id``, and its ``file`` replaces the input ``row``).

It is written as ``timeline batch -o results.csv`` writes (Arrow's CSV writer: UTF-8, a
header, text quoted, dates ``YYYY-MM-DD``), with one difference made for a file that is
opened in a spreadsheet with a double click: a text cell that starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return, which Excel and LibreOffice would run as a
formula (CSV injection), starts with an apostrophe (``'=HYPERLINK(...)``), as OWASP
advises. ``timeline batch``'s workbooks store such text as text; its CSV files do not
change it. Needs the ``batch`` extra (pandas, pyarrow).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from ..errors import CaseError
from .caseload import Entry

__all__ = ["ERROR_FIELDS", "FORMULA_START", "caseload_csv", "error_row", "neutral"]

#: The columns of ``timeline batch --errors`` a row of a file that could not be assessed fills.
ERROR_FIELDS = ("record", "field", "value", "reason")
#: The first characters that make a spreadsheet read a CSV cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutral(text: Any) -> Any:
    """``text`` with an apostrophe in front when a spreadsheet would run it as a formula."""
    return "'" + text if isinstance(text, str) and text.startswith(FORMULA_START) else text


def error_row(e: Entry, folder: Path) -> dict[str, Any]:
    """The ``--errors`` row of a file that could not be assessed: its ``id`` (the file's
    ``id`` when it can be read, else the file name without extension, as ``timeline
    assess`` names it), the record, field and value of the error, and its reason."""
    from ..batch import cell_text

    err = e.problem
    if isinstance(err, CaseError):
        row = {"record": err.record, "field": err.field, "value": cell_text(err.value), "reason": err.reason}
    else:
        message = str(err).replace(str(folder / e.name), e.name) if err is not None else (e.error or "")
        row = {"record": "", "field": "", "value": None, "reason": f"the case cannot be assessed: {message}"}
    return {"file": e.name, "id": _file_id(folder / e.name), **row}


def _file_id(path: Path) -> str:
    from .saving import file_data

    try:
        data, _ = file_data(path)
    except (OSError, ValueError):
        data = {}
    given = data.get("id")
    return given if isinstance(given, str) else path.name.rsplit(".", 1)[0]


def caseload_csv(entries: list[Entry], folder: Path) -> bytes:
    """The CSV of ``entries`` in their order (the assessed ones with their results, the
    others as error rows), as described in the module."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.csv as pcsv

    from ..batch import RESULT_COLUMNS, empty_frame, row_from_assessment, typed_frame

    nullable = {"int64": "Int64", "bool": "boolean"}  # empty on an error row; written as timeline batch writes them
    results = {k: nullable.get(v, v) for k, v in RESULT_COLUMNS.items()}
    columns = {"file": "str", **results, **dict.fromkeys(ERROR_FIELDS, "str")}
    rows = [
        {"file": e.name, **row_from_assessment(e.assessment)[0]} if e.assessment is not None else error_row(e, folder)
        for e in entries
    ]
    df = typed_frame(pd.DataFrame(rows, columns=list(columns)), columns) if rows else empty_frame(columns)
    for name, dtype in columns.items():
        if dtype == "str":
            df[name] = df[name].map(neutral, na_action="ignore").astype("str")
    at = pa.Table.from_pandas(df, preserve_index=False)
    at = pa.table({n: at[n].cast(pa.date32()) if pa.types.is_timestamp(at[n].type) else at[n] for n in at.column_names})
    out = io.BytesIO()
    pcsv.write_csv(at, out, pcsv.WriteOptions(delimiter=","))
    return out.getvalue()
