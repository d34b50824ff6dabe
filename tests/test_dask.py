"""``--engine dask``: a local cluster of several processes gives the single-process answers (issue 5).

Each test that runs the engine starts a local cluster (about 5 s of CPU): the default run
keeps one (through the CLI); the other two are marked ``ci`` (``pytest --ci``, .ci/run).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("dask.distributed")

from timeline import case_to_dict, load_case
from timeline.batch_files import run_batch
from timeline.dask_engine import run_dask
from timeline.tables import cases_to_table, write_table

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = [case_to_dict(load_case(p)) for p in sorted((ROOT / "examples").glob("*.toml"))]


def _cases(n: int) -> list[dict]:
    out = []
    for i in range(n):
        c = dict(EXAMPLES[i % len(EXAMPLES)])
        c["id"] = f"{c['id']}-{i}"
        out.append(c)
    bad = dict(EXAMPLES[0], id="bad-date")
    bad["permits"] = [dict(bad["permits"][0], end="2019-01-01")]  # end before start
    return [*out, bad]


@pytest.mark.ci
def test_dask_local_cluster_equals_single_process(tmp_path):
    cases = _cases(40)
    folder = tmp_path / "parts"
    folder.mkdir()
    for k in range(3):  # whole cases per file
        write_table(cases_to_table(cases[k::3]), folder / f"part-{k}.parquet")
    whole = tmp_path / "all.parquet"
    write_table(cases_to_table(cases), whole)
    as_of = date(2026, 1, 31)
    run_batch(str(whole), str(tmp_path / "single.csv"), errors=str(tmp_path / "single-err.csv"), as_of=as_of)
    summary = run_dask(
        str(folder), str(tmp_path / "dask.csv"), errors=str(tmp_path / "dask-err.csv"), as_of=as_of, workers=2
    )
    single = pd.read_csv(tmp_path / "single.csv").sort_values("id").reset_index(drop=True)
    dasked = pd.read_csv(tmp_path / "dask.csv").sort_values("id").reset_index(drop=True)
    pd.testing.assert_frame_equal(single, dasked)
    errs = pd.read_csv(tmp_path / "dask-err.csv")
    assert list(errs["case_id"]) == ["bad-date"]
    assert summary.cases == len(cases) and summary.results == len(cases) - 1


@pytest.mark.ci
def test_dask_reports_a_case_split_across_files(tmp_path):
    cases = _cases(4)[:4]
    folder = tmp_path / "parts"
    folder.mkdir()
    table = cases_to_table(cases)
    first = table[table["case_id"] == cases[0]["id"]]
    write_table(first.iloc[: len(first) // 2], folder / "a.parquet")
    write_table(
        pd.concat([first.iloc[len(first) // 2 :], table[table["case_id"] != cases[0]["id"]]]), folder / "b.parquet"
    )
    run_dask(str(folder), str(tmp_path / "r.csv"), errors=str(tmp_path / "e.csv"), as_of=date(2026, 1, 31), workers=2)
    errs = pd.read_csv(tmp_path / "e.csv")
    assert cases[0]["id"] in set(errs["case_id"])
    assert "more than one file" in errs.loc[errs["case_id"] == cases[0]["id"], "reason"].iloc[0]
    res = pd.read_csv(tmp_path / "r.csv")
    assert set(res["id"]) == {c["id"] for c in cases[1:]}


def test_cli_engine_dask(tmp_path):
    from click.testing import CliRunner

    from timeline.cli import main

    folder = tmp_path / "parts"
    folder.mkdir()
    cases = _cases(6)
    for k in range(2):
        write_table(cases_to_table(cases[k::2]), folder / f"p{k}.parquet")
    r = CliRunner().invoke(
        main,
        [
            "batch",
            str(folder),
            "--engine",
            "dask",
            "--workers",
            "2",
            "-o",
            str(tmp_path / "r.csv"),
            "--errors",
            str(tmp_path / "e.csv"),
            "--as-of",
            "2026-01-31",
        ],
    )
    assert r.exit_code == 0, r.output
    assert len(pd.read_csv(tmp_path / "r.csv")) + len(pd.read_csv(tmp_path / "e.csv")) == len(cases)
    bad = CliRunner().invoke(
        main, ["batch", str(tmp_path / "r.csv"), "--engine", "dask", "-o", str(tmp_path / "x.csv")]
    )
    assert bad.exit_code == 1 and "directory of Parquet files" in bad.output and "Traceback" not in bad.output


def test_both_engines_read_the_same_files_of_a_folder(tmp_path):
    from timeline.dask_engine import _files
    from timeline.tables import TableError, parquet_files

    folder = tmp_path / "parts"
    folder.mkdir()
    (folder / "_SUCCESS").write_text("")
    (folder / "notes.txt").write_text("")
    write_table(cases_to_table(EXAMPLES[:1]), folder / ".hidden.parquet")
    for run in (run_batch, run_dask):
        with pytest.raises(TableError, match=r"no \.parquet files in this folder"):
            run(str(folder), str(tmp_path / "r.csv"))
    write_table(cases_to_table(EXAMPLES[1:2]), folder / "b.pq")
    write_table(cases_to_table(EXAMPLES[2:3]), folder / "a.parquet")
    assert _files(str(folder)) == parquet_files(folder) == [str(folder / "a.parquet"), str(folder / "b.pq")]


def _with_blank_ids(tmp_path: Path) -> Path:
    folder = tmp_path / "parts"
    folder.mkdir()
    df = cases_to_table(_cases(4))
    first, second = df.index[df["record"] == "permits"][:2]
    df.loc[first, "case_id"] = None
    df.loc[second, "case_id"] = "  "
    write_table(df, folder / "part-0.parquet")
    return folder


def test_dask_stops_before_any_work_on_rows_without_a_case_id(tmp_path):
    from timeline.tables import TableError

    folder = _with_blank_ids(tmp_path)
    with pytest.raises(TableError, match="rows without a case_id"):
        run_dask(str(folder), str(tmp_path / "r.csv"))  # raised before a cluster is started
    assert not (tmp_path / "r.csv").exists()


def test_dask_part_drops_and_counts_rows_without_a_case_id(tmp_path):
    from timeline.dask_engine import _assess_part

    folder = _with_blank_ids(tmp_path)
    part = pd.read_parquet(folder / "part-0.parquet")
    result = _assess_part(part, 0, date(2026, 1, 1), {}, None, False)
    assert result.results.attrs["dropped"] == 2
    assert result.errors["case_id"].notna().all()  # no error row for the dropped rows
    # the same as run_batch with the flag, on the same file
    summary = run_batch(str(folder), str(tmp_path / "r.csv"), as_of=date(2026, 1, 1), drop_rows_without_case=True)
    assert summary.dropped == 2 and summary.results == len(result.results)
