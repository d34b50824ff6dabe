"""``assess_table``: an event table in, one row per case out (see :mod:`timeline.batch`)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa

from ..engine import assess
from ..errors import CaseError, TimelineError, msg
from ..io import case_from_dict
from ..options import Options
from ..tables import (
    NA,
    TableError,
    check_unique_columns,
    table_to_cases,
)
from .codes import SAFE_HI, SAFE_LO, day_number
from .columns import Columns, is_text, to_arrow
from .frames import (
    GAP_COLUMNS,
    RESULT_COLUMNS,
    BatchResult,
    cell_text,
    empty_frame,
    error_row,
    errors_frame,
    frame_like,
    gaps_frame,
    results_frame,
    row_from_assessment,
    typed_frame,
)
from .parsing import Parsed, parse
from .rules import Ctx, compute


def assess_table(
    table: Any,
    as_of: date | None = None,
    options: Mapping[str, str] | None = None,
    *,
    default_as_of: date | None = None,
    first_row: int = 0,
    gaps: bool = True,
) -> BatchResult:
    """Assess every case of an event table: one row per case, same answers as :func:`timeline.assess`.

    Parameters
    ----------
    table : pandas.DataFrame or pyarrow.Table
        The long event table (README "Batch tables", :mod:`timeline.tables`): columns
        ``case_id``, ``record``, ``index`` and the case-file fields. Dates may be ISO text,
        dates, or midnight timestamps. Rows of a case need not be contiguous.
    as_of : datetime.date, optional
        Evaluation date for every case. Default: each case's own ``as_of``, else
        ``default_as_of``; a case with neither is an error.
    options : mapping, optional
        Rules options (OQ-*) on top of each case's own ``options``, as
        ``timeline assess --option``.
    default_as_of : datetime.date, optional
        The date for cases without ``as_of`` when ``as_of`` is not given (the CLI passes
        today).
    first_row : int
        Added to the row numbers in ``errors`` (for tables read in chunks).
    gaps : bool
        Whether to compute the per-gap table (causes, procedural days).

    Returns
    -------
    BatchResult
        ``(results, errors, gaps)`` data frames; see :data:`RESULT_COLUMNS`,
        :data:`ERROR_COLUMNS`, :data:`GAP_COLUMNS`. Each input case is in exactly one of
        ``results`` and ``errors``.

    Raises
    ------
    OptionError
        For an unknown option or value in ``options`` (it applies to every case).
    TableError
        When ``table`` lacks the ``case_id`` or ``record`` column.

    Examples
    --------
    >>> from timeline.tables import cases_to_table
    >>> df = cases_to_table([{"id": "a", "permits": [{"purpose": "work", "start": "2021-03-11", "end": "2022-03-11"}]}])
    >>> res, err, gaps = assess_table(df, as_of=date(2022, 6, 1))
    >>> res.loc[0, "gap_count"], res.loc[0, "gap_days"], str(res.loc[0, "first_gap_start"].date())
    (np.int64(1), np.int64(82), '2022-03-11')
    """
    return assess_read(read_table_columns(table, options), as_of, default_as_of, first_row, gaps)


class ReadTable(NamedTuple):
    """An event table read and checked column by column (:func:`read_table_columns`), ready
    for the rules (:func:`assess_read`)."""

    table: Any  #: the input as given (a DataFrame keeps its values for the case reader)
    at: pa.Table
    cols: Columns
    parsed: Parsed
    run_options: dict[str, str]


def read_table_columns(table: Any, options: Mapping[str, str] | None = None) -> ReadTable:
    """The first half of :func:`assess_table`: the columns read and every field checked.
    ``timeline batch`` runs it in its reading thread, on the next chunk, while the rules run
    on this one (Arrow and numpy release the GIL for most of it)."""
    run_options = {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in (options or {}).items()}
    Options(run_options)  # an invalid option stops the run: it applies to every case
    at = _event_table(table)
    cols = Columns(at)
    return ReadTable(table, at, cols, parse(cols, run_options), run_options)


def assess_read(
    read: ReadTable, as_of: date | None, default_as_of: date | None, first_row: int, gaps: bool
) -> BatchResult:
    """The second half of :func:`assess_table`: the rules over a table :func:`read_table_columns` read."""
    table, at, cols, parsed, run_options = read
    when = _evaluation_days(parsed, as_of, default_as_of)
    far = _for_the_engine(parsed, when)
    error_rows = _structural_errors(parsed, cols, first_row)
    engine = _SingleCases(run_options, as_of, default_as_of, first_row)
    engine.read(table, at, parsed, far, when, error_rows)
    good = ~parsed.bad & ~far & (when != NA)
    no_date = ~parsed.bad & ~far & (when == NA)
    error_rows += _undated_errors(parsed, np.flatnonzero(no_date), first_row)

    ctx = Ctx(parsed.n_cases, parsed.cx, parsed.recs, good, np.where(good, when, NA))
    res, gap_data = compute(ctx, gaps)
    keep = np.flatnonzero(good)
    results = results_frame(parsed.ids, keep, when, res)
    gap_frame = gaps_frame(parsed.ids, gap_data, good) if gaps else empty_frame(GAP_COLUMNS)
    if engine.results:
        results, gap_frame = _with_single_cases(results, gap_frame, engine.results, keep, parsed.ids, gaps)
    errors = errors_frame(error_rows)
    results.attrs["engine_cases"] = len(engine.results)
    return BatchResult(results, errors, gap_frame)


def _event_table(table: Any) -> pa.Table:
    """The input as an Arrow table with the ``case_id`` and ``record`` columns, ids as text.

    Raises
    ------
    TableError
        When a column is named twice, or ``case_id`` or ``record`` is missing.
    """
    at = to_arrow(table)
    check_unique_columns(at.column_names, "the event table")
    for name in ("case_id", "record"):
        if name not in at.column_names:
            raise TableError(msg("table-needs-column", column=name))
    for i, field in enumerate(at.schema):
        # Categorical columns (pandas' category, Parquet's dictionary) as their values; text
        # in Arrow's string_view layout (polars) as plain text, which every reader takes.
        if pa.types.is_dictionary(field.type):
            at = at.set_column(i, field.name, at.column(i).cast(field.type.value_type))
        elif str(field.type) == "string_view":
            at = at.set_column(i, field.name, at.column(i).cast(pa.large_string()))
    ids = at.column("case_id")
    if not (is_text(ids.type) or pa.types.is_null(ids.type)):  # numbers as ids: their text, as str() gives
        at = at.set_column(
            at.column_names.index("case_id"),
            "case_id",
            pa.array([None if v is None else str(v) for v in ids.to_pylist()], pa.string()),
        )
    return at


def _evaluation_days(parsed: Parsed, as_of: date | None, default_as_of: date | None) -> np.ndarray:
    """Each case's evaluation date as a day number: ``as_of``, else its own, else ``default_as_of`` (NA: none)."""
    case_as_of = parsed.cx["as_of"]
    if as_of is not None:
        return np.full(parsed.n_cases, day_number(as_of), dtype=np.int64)
    fallback = NA if default_as_of is None else day_number(default_as_of)
    return np.where(case_as_of != NA, case_as_of, fallback)


def _for_the_engine(parsed: Parsed, when: np.ndarray) -> np.ndarray:
    """The cases the single-case engine assesses (or refuses, with its message): a date out of
    the supported range, too many records for the packed keys, facts ``engine.check_facts`` refuses."""
    cx = parsed.cx
    far = ((when != NA) & ((when < SAFE_LO) | (when > SAFE_HI))) | parsed.huge
    far |= (when != NA) & (when < cx["first_event"])  # INF: no event at all
    far |= (when != NA) & (cx["birth"] != NA) & (cx["birth"] > when)
    return far


def _structural_errors(parsed: Parsed, cols: Columns, first_row: int) -> list[dict[str, Any]]:
    """Error rows for the problems of the table's structure, and for an option given twice."""
    error_rows: list[dict[str, Any]] = []
    for p in parsed.structural:
        error_rows.append(
            {
                "case_id": parsed.ids[p.case] if p.case >= 0 else None,
                "row": p.row + first_row,
                "record": p.record,
                "field": p.field,
                "value": cell_text(p.value),
                "reason": p.reason,
                "_case": p.case,
            }
        )
    for r in parsed.cx["option_dup_rows"].tolist():
        c = int(parsed.row_case[r])
        if not parsed.struct[c]:
            parsed.struct[c] = True
            opt_name = cols.arrow("option")[r].as_py()
            error_rows.append(
                {
                    "case_id": parsed.ids[c],
                    "row": r + first_row,
                    "record": "options",
                    "field": str(opt_name),
                    "value": None,
                    "reason": "the option is given twice",
                    "_case": c,
                }
            )
    return error_rows


def _undated_errors(parsed: Parsed, cases: np.ndarray, first_row: int) -> list[dict[str, Any]]:
    """Error rows for the ``cases`` that have no evaluation date."""
    return [
        {
            "case_id": parsed.ids[c],
            "row": int(parsed.first_row[c]) + first_row,
            "record": "",
            "field": "as_of",
            "value": None,
            "reason": "no evaluation date: give as_of in the case file or as an argument",
            "_case": c,
        }
        for c in cases.tolist()
    ]


class _SingleCases:
    """The cases the column checks flagged, and the cases for the engine, read one by one by
    :func:`timeline.case_from_dict` (for the exact error) and assessed by :func:`timeline.assess`."""

    def __init__(
        self, run_options: dict[str, str], as_of: date | None, default_as_of: date | None, first_row: int
    ) -> None:
        self.run_options, self.as_of, self.default_as_of, self.first_row = run_options, as_of, default_as_of, first_row
        self.results: list[tuple[int, dict[str, Any], list[dict[str, Any]]]] = []  # (case, row, gap rows)

    def read(
        self, table: Any, at: pa.Table, parsed: Parsed, far: np.ndarray, when: np.ndarray, error_rows: list[Any]
    ) -> None:
        """Rebuild the dicts of the flagged and the engine's cases and read and assess each; errors
        go to ``error_rows``. A flagged case that the reader accepts is assessed here too, not
        by the columns: a value the column checks could not read (a column of another type)
        would otherwise reach the rules as missing and change the answer without a word."""
        check = np.flatnonzero((parsed.bad & ~parsed.struct) | (far & ~parsed.bad))
        if not check.size:
            return
        rows = np.flatnonzero(np.isin(parsed.row_case, check))
        sub: Any = at.take(pa.array(rows))
        if isinstance(table, pd.DataFrame):  # its values as given: a number in a text column stays a number
            sub = table.iloc[rows].rename(columns=str)
        code_of = {parsed.ids[i]: i for i in check.tolist()}
        for tc in table_to_cases(sub):
            c = code_of.get(tc.case_id, -1) if tc.case_id is not None else -1
            try:
                case = case_from_dict(tc.data, f"<{tc.case_id}>", options=self.run_options or None)
            except CaseError as err:
                error_rows.append(error_row(tc, err, rows, self.first_row, c))
                continue
            self._assess(tc, case, c, when[c], rows, error_rows)

    def _assess(self, tc: Any, case: Any, c: int, cw: int, rows: np.ndarray, error_rows: list[Any]) -> None:
        """One case by :func:`timeline.assess`: its result row, or its error row."""
        try:
            if cw == NA:
                raise CaseError(
                    "no evaluation date: give as_of in the case file or as an argument",
                    source=case.source,
                    field="as_of",
                )
            as_of = self.as_of if self.as_of is not None else (case.as_of or self.default_as_of)
            a = assess(case, as_of, self.run_options or None)
        except (TimelineError, ValueError, OverflowError, ArithmeticError) as err:
            error_rows.append(error_row(tc, err, rows, self.first_row, c))
            return
        row, gap_rows = row_from_assessment(a)
        self.results.append((c, row, gap_rows))


def _with_single_cases(
    results: pd.DataFrame,
    gap_frame: pd.DataFrame,
    engine_results: list[tuple[int, dict[str, Any], list[dict[str, Any]]]],
    keep: np.ndarray,
    ids: list[str],
    gaps: bool,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The results (and gaps) with the engine's rows in case order."""
    extra = pd.DataFrame([r for _, r, _ in engine_results])
    extra["_case"] = [cc for cc, _, _ in engine_results]
    results["_case"] = keep
    results = pd.concat([results, frame_like(extra, RESULT_COLUMNS)], ignore_index=True)
    results = results.sort_values("_case", kind="stable").drop(columns="_case").reset_index(drop=True)
    if gaps:
        g_extra = [dict(g, _case=cc) for cc, _, gr in engine_results for g in gr]
        if g_extra:
            gap_frame["_case"] = gap_frame["id"].map({v: i for i, v in enumerate(ids)})
            gx = pd.DataFrame(g_extra)
            gap_frame = pd.concat([gap_frame, frame_like(gx, GAP_COLUMNS)], ignore_index=True)
            gap_frame = (
                gap_frame.sort_values(["_case", "gap"], kind="stable").drop(columns="_case").reset_index(drop=True)
            )
    return typed_frame(results, RESULT_COLUMNS), typed_frame(gap_frame, GAP_COLUMNS)
