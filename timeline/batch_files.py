"""``timeline batch``: event-table files in, results, errors and gaps files out.

:func:`run_batch` reads a CSV, Parquet or JSONL event table (or a folder of Parquet
files) in chunks of whole cases, assesses each chunk with
:func:`timeline.batch.assess_table` in two halves: a reading thread reads the next chunk and
checks its columns (:func:`~timeline.batch.assess.read_table_columns`) while this one runs
the rules on the current one (:func:`~timeline.batch.assess.assess_read`),
and writes the results, errors and gaps together or not at all
(:class:`timeline.outputs.OutputSet`). Malformed lines become error rows of their case;
nothing is lost and no case is changed by another row. Needs the ``batch`` extra.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa

from .batch import (
    ERROR_COLUMNS,
    GAP_COLUMNS,
    RESULT_COLUMNS,
    cell_text,
    empty_frame,
    frame_like,
    row_from_assessment,
    typed_frame,
)
from .batch.assess import ReadTable, assess_read, read_table_columns
from .engine import assess
from .errors import CaseError, TimelineError, msg
from .io import case_from_dict
from .options import Options
from .outputs import OutputSet, check_outputs
from .tables import TableError, file_kind

__all__ = ["BatchSummary", "check_outputs_before_work", "finish", "run_batch"]


class BatchSummary(NamedTuple):
    """What :func:`run_batch` did."""

    cases: int
    results: int
    errors: int
    gaps: int
    rows: int
    seconds: float
    engine: int = 0  #: cases read and assessed one by one (dates outside the supported range)
    dropped: int = 0  #: rows without a case_id left out (``drop_rows_without_case``)


def _write_frame(df: pd.DataFrame, path: str, into: str) -> None:
    """Write a result table to the file ``into`` in the format of ``path``'s extension.

    Dates are ``YYYY-MM-DD`` in CSV and JSON Lines, Excel dates in ``.xlsx``. ``into`` is the temporary file that
    :class:`timeline.outputs.OutputSet` renames to ``path`` when the run succeeds.
    """
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    ext = file_kind(path)
    if ext == ".xlsx":
        from .workbooks import write_workbook

        write_workbook(into, [("results", df)], target=path)
        return
    at = pa.Table.from_pandas(df, preserve_index=False)
    try:
        if ext == ".parquet":
            pq.write_table(at, into)
            return
        cols = {}
        for name in at.column_names:
            col = at.column(name)
            cols[name] = col.cast(pa.date32()) if pa.types.is_timestamp(col.type) else col
        at = pa.table(cols)
        if ext in (".csv", ".tsv"):
            pcsv.write_csv(at, into, pcsv.WriteOptions(delimiter="\t" if ext == ".tsv" else ","))
        else:
            with open(into, "w", encoding="utf-8", newline="\n") as f:
                for rec in at.to_pylist():
                    f.write(json.dumps(rec, ensure_ascii=False, default=str) + "\n")
    except (pa.ArrowInvalid, OSError) as err:
        raise TableError(msg("results-write-failed", path=path, reason=str(err))) from None


def _jsonl_problem_rows(
    problems: list[tuple[int, Any, Exception | None]],
    as_of: date | None,
    options: Mapping[str, str],
    default_as_of: date | None,
) -> tuple[list[dict[str, Any]], list[tuple[dict[str, Any], list[dict[str, Any]]]]]:
    """Error rows for JSON Lines that a table cannot hold (each is checked by the case reader)."""
    errors: list[dict[str, Any]] = []
    assessed: list[tuple[dict[str, Any], list[dict[str, Any]]]] = []
    for line, data, err in problems:
        cid = data.get("id") if isinstance(data, Mapping) and isinstance(data.get("id"), str) else None
        row = {"case_id": cid, "row": line, "record": "", "field": "", "value": None}
        if isinstance(err, json.JSONDecodeError):
            errors.append({**row, "reason": f"invalid JSON at column {err.colno}: {err.msg}"})
            continue
        if err is not None:
            errors.append({**row, "field": "id" if cid else "", "value": cid, "reason": str(err)})
            continue
        try:
            case = case_from_dict(data, f"<line {line}>", options=options or None)
            a = assess(case, as_of or case.as_of or default_as_of, options or None)
        except CaseError as bad:
            errors.append(
                {**row, "record": bad.record, "field": bad.field, "value": cell_text(bad.value), "reason": bad.reason}
            )
            continue
        except (TimelineError, ValueError, OverflowError, ArithmeticError) as bad:
            errors.append({**row, "reason": f"the case cannot be assessed: {bad}"})
            continue
        assessed.append(row_from_assessment(a))
    return errors, assessed


def run_batch(
    source: str,
    output: str,
    *,
    errors: str | None = None,
    gaps: str | None = None,
    as_of: date | None = None,
    default_as_of: date | None = None,
    options: Mapping[str, str] | None = None,
    chunk_rows: int = 1_000_000,
    progress: Any = None,
    drop_rows_without_case: bool = False,
    dialect: Any = None,
) -> BatchSummary:
    """``timeline batch``: assess every case of a file, chunk by chunk, and write the tables.

    ``source`` is ``.jsonl``, ``.csv``, ``.parquet`` or a directory of Parquet files (read in
    name order). Tables are read in chunks of whole cases (about ``chunk_rows`` rows), so
    inputs larger than memory work as long as the rows of each case are contiguous; a case
    whose rows are split across the file is reported in ``errors`` (sort the table by
    ``case_id``). A JSON Lines id used twice: the later line is an error. ``output``,
    ``errors`` and ``gaps`` are written by extension (``.csv``, ``.parquet``, ``.jsonl``,
    ``.xlsx``); ``errors`` or ``gaps`` the same ``.xlsx`` file as ``output`` are sheets of one
    workbook (``results``, ``errors``, ``gaps``). ``progress`` is called with a message after
    each chunk. ``dialect`` (:class:`timeline.dialects.Dialect`): how a CSV source is spelled
    (delimiter, encoding, date format), or the sheet of an ``.xlsx`` source.

    A CSV record that is not a valid row (wrong number of fields, bytes that are not
    UTF-8, an unclosed quote) becomes one error of its case (the line of the file, 1-based,
    in the reason); the case is not assessed, every other case is. Rows without a
    ``case_id`` stop the run with :class:`~timeline.tables.TableError` naming their lines,
    before any work when the file is read at once; with ``drop_rows_without_case`` they
    are left out and counted in :attr:`BatchSummary.dropped`.
    """
    import time

    from .tables import iter_table_chunks

    start = time.perf_counter()
    run_options = {k: str(v) for k, v in (options or {}).items()}
    Options(run_options)
    check_outputs_before_work(source, output, errors, gaps)
    run = _Run(file_kind(source, folder=True) == ".jsonl", gaps is not None, (as_of, run_options, default_as_of))
    without_case = "drop" if drop_rows_without_case else "stop"
    chunks = iter_table_chunks(source, chunk_rows, without_case=without_case, dialect=dialect)
    # The reading thread reads each chunk and checks its columns; this one runs the rules.
    for chunk, read in _prefetch((c, read_table_columns(c.table, run_options)) for c in chunks):
        run.add(chunk, read)
        if progress is not None:
            progress(run.progress(time.perf_counter() - start))
    out, err_all, gap_all = run.tables()
    return finish(
        out,
        err_all,
        gap_all,
        run.split,
        "the rows of this case are not contiguous in the input; sort the table by case_id "
        "(timeline table writes it so)",
        (output, errors, gaps),
        run.rows,
        time.perf_counter() - start,
        run.engine,
    )._replace(dropped=run.dropped)


class _Run:
    """The tables of a batch run so far, chunk by chunk, and the case ids seen (a case whose
    rows are split across chunks is found here: its id came in an earlier chunk)."""

    def __init__(self, is_jsonl: bool, gaps: bool, settings: tuple[date | None, dict[str, str], date | None]) -> None:
        self.is_jsonl, self.gaps = is_jsonl, gaps
        self.as_of, self.options, self.default_as_of = settings
        self.results: list[pd.DataFrame] = []
        self.errors: list[pd.DataFrame] = []
        self.gap_frames: list[pd.DataFrame] = []
        self.seen = np.zeros(0, dtype=np.int64)  # sorted hashes of the case ids of earlier chunks
        self.split: dict[str, int] = {}
        self.malformed: list[Any] = []  # CSV records that are not valid rows (timeline.tables.Malformed)
        self.rows = self.engine = self.dropped = 0

    def add(self, chunk: Any, read: ReadTable) -> None:
        """Assess one chunk (:class:`timeline.tables.Chunk`, its columns ``read``) and keep its tables."""
        res, err, gp = assess_read(read, self.as_of, self.default_as_of, int(chunk.first_row), self.gaps)
        self.engine += res.attrs.get("engine_cases", 0)
        if chunk.no_case_rows is not None and len(chunk.no_case_rows):
            left_out = err["case_id"].isna() & err["row"].isin(chunk.no_case_rows.tolist())
            err = err[~left_out].reset_index(drop=True)
            self.dropped += len(chunk.no_case_rows)
        self.malformed.extend(chunk.malformed)
        if chunk.row_lines is not None:  # JSON Lines: rows are reported as line numbers
            lines = np.asarray(chunk.row_lines, dtype=np.int64)
            mapped = err["row"].astype("Int64") - chunk.first_row
            err["row"] = pd.array([None if pd.isna(v) else int(lines[int(v)]) for v in mapped], dtype="Int64")
        if chunk.problems:
            res, err, gp = self._jsonl_problems(chunk.problems, res, err, gp)
        if not self.is_jsonl:  # JSON Lines: the reader already reports a repeated id as an error of the later line
            self._note_split(res, err, int(chunk.first_row))
        self.results.append(res)
        self.errors.append(err)
        if self.gaps:
            self.gap_frames.append(gp)
        self.rows += chunk.table.num_rows

    def _jsonl_problems(
        self, problems: Any, res: pd.DataFrame, err: pd.DataFrame, gp: pd.DataFrame
    ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """The tables with the JSON Lines that a table cannot hold, each read by the case reader."""
        extra_err, extra_res = _jsonl_problem_rows(problems, self.as_of, self.options, self.default_as_of)
        if extra_err:
            err = pd.concat([err, typed_frame(pd.DataFrame(extra_err), ERROR_COLUMNS)], ignore_index=True)
        if extra_res:
            rows = frame_like(pd.DataFrame([r for r, _ in extra_res]), RESULT_COLUMNS)
            res = pd.concat([res, typed_frame(rows, RESULT_COLUMNS)], ignore_index=True)
            g_rows = [g for _, gr in extra_res for g in gr]
            if self.gaps and g_rows:
                gp = pd.concat([gp, typed_frame(frame_like(pd.DataFrame(g_rows), GAP_COLUMNS), GAP_COLUMNS)])
        return res, err, gp

    def _note_split(self, res: pd.DataFrame, err: pd.DataFrame, first_row: int) -> None:
        """A case id of this chunk seen in an earlier chunk: the rows of that case are split."""
        ids = res["id"].tolist() + err["case_id"].dropna().tolist()
        # Python's own hash of each id (the same within a run): several times faster than pandas' hashing.
        hashes = np.fromiter(map(hash, ids), dtype=np.int64, count=len(ids))
        if self.seen.size:
            pos = np.minimum(np.searchsorted(self.seen, hashes), self.seen.size - 1)
            maybe = [ids[i] for i in np.flatnonzero(self.seen[pos] == hashes).tolist()]
            if maybe:  # confirm on the ids themselves (hashes may collide)
                earlier = pd.concat([r["id"] for r in self.results] + [e["case_id"].dropna() for e in self.errors])
                seen_before = set(earlier.tolist())
                for cid in dict.fromkeys(c for c in maybe if c in seen_before):  # in order of appearance
                    self.split.setdefault(cid, first_row)
        self.seen = np.sort(np.concatenate((self.seen, hashes)))

    def progress(self, seconds: float) -> str:
        """The progress line after a chunk."""
        from .i18n import count

        done = sum(len(r) for r in self.results)
        bad = sum(len(e) for e in self.errors)
        return (
            f"timeline batch: {count(self.rows, 'row', sep=True)} read, {count(done, 'case', sep=True)} assessed, "
            f"{bad:,} not assessed ({seconds:.1f} s)"
        )

    def tables(self) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """The results, errors and gaps of every chunk; malformed CSV records take their cases out."""
        out = pd.concat(self.results, ignore_index=True) if self.results else empty_frame(RESULT_COLUMNS)
        err_all = pd.concat(self.errors, ignore_index=True) if self.errors else empty_frame(ERROR_COLUMNS)
        gap_all = pd.concat(self.gap_frames, ignore_index=True) if self.gap_frames else empty_frame(GAP_COLUMNS)
        if self.malformed:
            out, err_all, gap_all = _malformed_cases(self.malformed, out, err_all, gap_all)
            for cid in {m.case_id for m in self.malformed} | {c for m in self.malformed for c in m.near}:
                self.split.pop(cid, None)
        return out, err_all, gap_all


def _malformed_cases(
    malformed: Any, res: pd.DataFrame, err: pd.DataFrame, gp: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The cases of CSV records that are not valid rows leave the results: one error each.

    Each malformed record is a placeholder row holding its case id when it could be read
    (:func:`timeline.tables.scan_csv`); the case's other rows are not enough to trust it.
    A record whose id cannot be read takes the cases just before and after it out (it
    belongs to one of them); alone in the file, it is an error with no case.
    """
    hit: dict[str | None, list[tuple[Any, str]]] = {}
    for m in malformed:
        line = (
            f"line {m.line} of the file: {m.reason}"
            if m.field
            else f"line {m.line} of the file is not a valid CSV row: {m.reason}"
        )
        if m.case_id is not None:
            hit.setdefault(m.case_id, []).append((m, f"{line}; the case is not assessed"))
        elif m.near:
            why = f"{line}; its case id cannot be read and it lies next to this case's rows: the case is not assessed"
            for cid in m.near:
                hit.setdefault(cid, []).append((m, why))
        else:
            hit.setdefault(None, []).append((m, f"{line}; its case id cannot be read"))
    ids = {cid for cid in hit if cid is not None}
    blank_rows = {m.row for m in malformed if m.case_id is None}
    res = res[~res["id"].isin(ids)]
    gp = gp[~gp["id"].isin(ids)]
    err = err[~(err["case_id"].isin(ids) | (err["case_id"].isna() & err["row"].isin(blank_rows)))]
    extra = []
    for cid, found in hit.items():
        for m, why in found if cid is None else found[:1]:
            more = len(found) - 1 if cid is not None else 0
            also = f" ({more:,} more such line{'s' if more > 1 else ''} in the case)" if more else ""
            extra.append(
                {
                    "case_id": cid,
                    "row": m.row,
                    "record": m.record,
                    "field": m.field,
                    "value": m.text,
                    "reason": why + also,
                }
            )
    err = pd.concat([err, typed_frame(pd.DataFrame(extra), ERROR_COLUMNS)], ignore_index=True)
    err = err.sort_values("row", kind="stable").reset_index(drop=True)
    return res.reset_index(drop=True), err, gp.reset_index(drop=True)


def finish(
    out: pd.DataFrame,
    err_all: pd.DataFrame,
    gap_all: pd.DataFrame,
    split: Mapping[str, int | None],
    reason: str,
    targets: tuple[str, str | None, str | None],
    rows: int,
    seconds: float,
    engine: int,
) -> BatchSummary:
    """The end of a batch run: cases in ``split`` (id: input row) become one error each, with
    ``reason`` (their rows were assessed apart); then the results, errors and gaps go to
    ``targets`` (output, errors, gaps; None: not written).
    """
    if split:
        ids = set(split)
        out = out[~out["id"].isin(ids)]
        err_all = err_all[~err_all["case_id"].isin(ids)]
        gap_all = gap_all[~gap_all["id"].isin(ids)]
        extra = [
            {"case_id": cid, "row": row, "record": "", "field": "case_id", "value": cid, "reason": reason}
            for cid, row in split.items()
        ]
        err_all = pd.concat([err_all, typed_frame(pd.DataFrame(extra), ERROR_COLUMNS)], ignore_index=True)
    out = typed_frame(out.reset_index(drop=True), RESULT_COLUMNS)
    err_all = typed_frame(err_all.reset_index(drop=True), ERROR_COLUMNS)
    output, errors, gaps = targets
    tables = [("results", output, out)]
    if errors is not None:
        tables.append(("errors", errors, err_all))
    if gaps is not None:
        tables.append(("gaps", gaps, typed_frame(gap_all.reset_index(drop=True), GAP_COLUMNS)))
    _write_tables(tables)
    return BatchSummary(len(out) + len(err_all), len(out), len(err_all), len(gap_all), rows, seconds, engine)


def _write_tables(tables: list[tuple[str, str, pd.DataFrame]]) -> None:
    """Write (sheet name, path, table) all together or none; tables with the same ``.xlsx``
    path are the sheets of one workbook."""
    from .workbooks import write_workbook

    files: dict[str, list[tuple[str, pd.DataFrame]]] = {}
    for name, path, df in tables:
        files.setdefault(_key(path), []).append((name, df))
    paths = {_key(path): path for _, path, _ in tables}
    with OutputSet() as out:  # every file appears together, or none
        for key, sheets in files.items():
            path = paths[key]
            if file_kind(path) == ".xlsx":
                write_workbook(out.add(path), sheets, target=path)
            else:
                _write_frame(sheets[0][1], path, out.add(path))


def _key(path: str) -> str:
    import os

    return os.path.normcase(os.path.abspath(path))


def _prefetch(chunks: Any) -> Any:
    """Read the next chunk in a thread while the current one is assessed (Arrow readers release the GIL)."""
    import queue
    import threading

    box: queue.Queue[Any] = queue.Queue(maxsize=1)
    done = object()

    def work() -> None:
        try:
            for item in chunks:
                box.put(item)
        except BaseException as err:  # re-raised in the caller's thread
            box.put(err)
            return
        box.put(done)

    threading.Thread(target=work, daemon=True).start()
    while True:
        item = box.get()
        if item is done:
            return
        if isinstance(item, BaseException):
            raise item
        yield item


def check_outputs_before_work(source: str, output: str, errors: str | None, gaps: str | None) -> None:
    """Refuse, before any work, outputs with a wrong extension, in a missing or read-only
    folder, or that are the input or each other (:func:`timeline.outputs.check_outputs`);
    ``errors`` and ``gaps`` may be the ``.xlsx`` file of ``output`` (sheets of one workbook)."""
    targets = {"-o": output, "--errors": errors, "--gaps": gaps}
    for target in targets.values():
        if target is not None:
            file_kind(target)
    if file_kind(output) == ".xlsx":  # sheets of the same workbook
        for name in ("--errors", "--gaps"):
            other = targets[name]
            if other is not None and _key(other) == _key(output):
                targets[name] = None
    check_outputs(targets, inputs=[source])
