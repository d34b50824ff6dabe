"""``timeline batch --engine dask``: the batch engine over a directory of Parquet files on Dask.

:func:`timeline.batch.assess_table` is partition-local: it needs only the rows of the
cases it sees. So a directory of Parquet files *partitioned by case* (every case's rows
in one file, as ``timeline table`` or ``timeline synth`` write them) is read with
``dask.dataframe`` one partition per file, each partition is assessed on a worker, and
the results, errors and gaps are gathered and written like ``timeline batch`` does.

Every input case ends up exactly once in the results or the errors: a case id found in
more than one file is moved to the errors with the reason, because its rows were
assessed apart.

The cluster is a local one (worker processes on this machine, bound to 127.0.0.1, no
dashboard) unless a scheduler address is given. Nothing else leaves the machine; the
case data goes only to the scheduler the user names.

Install with the optional extra ``dask``: ``pip install "dutch-residence-timeline[dask]"``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

__all__ = ["run_dask"]


def _assess_part(
    part: Any, first_row: int, as_of: Any, options: dict[str, str], default_as_of: Any, want_gaps: bool
) -> Any:
    """``assess_table`` on one file's rows, less the rows without a case id (counted in
    ``results.attrs["dropped"]``; they are there only with ``drop_rows_without_case``)."""
    import pyarrow as pa

    from .batch import assess_table
    from .tables import no_case_mask

    blank = no_case_mask(pa.array(part["case_id"], from_pandas=True))
    if blank.any():  # as run_batch does: null ids (rows keep their numbers), their error rows dropped
        part = part.copy()
        part.loc[blank, "case_id"] = None
    result = assess_table(
        part, as_of=as_of, options=options, default_as_of=default_as_of, first_row=first_row, gaps=want_gaps
    )
    if blank.any():
        rows = {first_row + int(i) for i in blank.nonzero()[0]}
        errors = result.errors
        left_out = errors["case_id"].isna() & errors["row"].isin(rows)
        result = result._replace(errors=errors[~left_out].reset_index(drop=True))
    result.results.attrs["dropped"] = int(blank.sum())
    return result


def _files(source: str) -> list[str]:
    from .errors import msg
    from .tables import TableError, parquet_files

    if not os.path.isdir(source):
        raise TableError(msg("dask-needs-folder", path=source))
    return parquet_files(source)


def run_dask(
    source: str,
    output: str,
    *,
    errors: str | None = None,
    gaps: str | None = None,
    as_of: date | None = None,
    default_as_of: date | None = None,
    options: Mapping[str, str] | None = None,
    drop_rows_without_case: bool = False,
    scheduler: str | None = None,
    workers: int = 2,
    progress: Callable[[str], None] | None = None,
) -> Any:
    """Assess every case of a Parquet directory on Dask and write the tables.

    Parameters
    ----------
    source
        A directory of Parquet files, each holding whole cases (the event table format).
    output, errors, gaps
        Files to write (``.csv``, ``.parquet`` or ``.jsonl``), as for ``timeline batch``.
    as_of, default_as_of, options
        As for :func:`timeline.batch.assess_table`.
    drop_rows_without_case
        Leave out rows whose ``case_id`` is empty and count them; without it such rows
        stop the run before any work, as in :func:`timeline.batch_files.run_batch`.
    scheduler
        Address of a running Dask scheduler; default: a local cluster of ``workers``
        processes on 127.0.0.1.

    Returns
    -------
    timeline.batch_files.BatchSummary
    """
    import dask
    import dask.dataframe as dd
    import pyarrow.parquet as pq

    from .batch_files import check_outputs_before_work, finish
    from .options import Options
    from .tables import check_parquet

    start = time.perf_counter()
    run_options = {k: str(v) for k, v in (options or {}).items()}
    Options(run_options)  # OptionError before any work
    check_outputs_before_work(source, output, errors, gaps)
    files = _files(source)
    check_parquet(source, "drop" if drop_rows_without_case else "stop")  # rows without a case id: stop before work
    sizes = [pq.ParquetFile(f).metadata.num_rows for f in files]
    offsets = [sum(sizes[:i]) for i in range(len(files))]
    ddf = dd.read_parquet(files, split_row_groups=False)  # one partition per file, in name order
    parts = ddf.to_delayed()
    if len(parts) != len(files):  # pragma: no cover - dask keeps one partition per file here
        raise RuntimeError("expected one partition per Parquet file")
    tasks = [
        dask.delayed(_assess_part)(part, off, as_of, run_options, default_as_of, gaps is not None)
        for part, off in zip(parts, offsets, strict=True)
    ]
    outcomes = _compute(tasks, scheduler, workers, progress, f"{len(files)} files, {sum(sizes):,} rows")
    out, err_all, gap_all, split = _gathered(outcomes)
    summary = finish(
        out,
        err_all,
        gap_all,
        dict.fromkeys(split),
        "the rows of this case are in more than one file; partition the files by case "
        "(timeline table writes whole cases per file)",
        (output, errors, gaps),
        sum(sizes),
        time.perf_counter() - start,
        sum(o.results.attrs.get("engine_cases", 0) for o in outcomes),
    )
    return summary._replace(dropped=sum(o.results.attrs.get("dropped", 0) for o in outcomes))


def _compute(tasks: list[Any], scheduler: str | None, workers: int, progress: Any, what: str) -> tuple[Any, ...]:
    """The outcomes of ``tasks`` on the scheduler at ``scheduler``, or on a local cluster of
    ``workers`` processes bound to 127.0.0.1 (closed afterwards)."""
    import dask
    from dask.distributed import Client, LocalCluster

    if scheduler:
        client = Client(scheduler)
        cluster = None
    else:
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
        )
        client = Client(cluster)
    try:
        if progress is not None:
            where = client.scheduler.address  # type: ignore[union-attr]  # set once the client is connected
            progress(f"timeline batch (dask): {what} on {where}")
        return dask.compute(*tasks)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _gathered(outcomes: tuple[Any, ...]) -> tuple[Any, Any, Any, list[str]]:
    """The results, errors and gaps of every partition, and the ids of the cases whose rows
    sit in several files (each was assessed in pieces: reported once, as an error)."""
    import pandas as pd

    from .batch import ERROR_COLUMNS, GAP_COLUMNS, RESULT_COLUMNS, empty_frame

    results = [o.results.assign(_part=i) for i, o in enumerate(outcomes)]
    errs = [o.errors.assign(_part=i) for i, o in enumerate(outcomes)]
    gap_frames = [o.gaps for o in outcomes]
    out = pd.concat(results, ignore_index=True) if results else empty_frame(RESULT_COLUMNS)
    err_all = pd.concat(errs, ignore_index=True) if errs else empty_frame(ERROR_COLUMNS)
    gap_all = pd.concat(gap_frames, ignore_index=True) if gap_frames else empty_frame(GAP_COLUMNS)
    seen = pd.concat([out[["id", "_part"]], err_all[["case_id", "_part"]].rename(columns={"case_id": "id"})])
    seen = seen.dropna(subset=["id"]).drop_duplicates()
    split = seen["id"][seen["id"].duplicated()].unique().tolist()
    return out.drop(columns="_part"), err_all.drop(columns="_part", errors="ignore"), gap_all, split
