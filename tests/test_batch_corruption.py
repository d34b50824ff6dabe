"""Corrupted batch tables (issue 11): one bad row never takes down the run, and never changes
another case silently.

Each test builds a clean table with ``timeline.synth.make_table``, corrupts one copy the way
real exports get corrupted, runs ``timeline batch`` on it, and checks the message and the
ids invariant: every case id of the input is in exactly one of the results and the errors
(rows left out with ``--drop-rows-without-case`` are counted, not lost).
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from timeline.batch import MAX_CASE_RECORDS
from timeline.batch_files import run_batch
from timeline.cli import main
from timeline.synth import make_table
from timeline.tables import TableError, read_table, scan_csv, write_table

N = 200  # cases per table: a few thousand rows, fast


@pytest.fixture(scope="module")
def clean() -> pa.Table:
    return make_table(N, seed=11)


def ids_of(table: pa.Table) -> set[str]:
    return set(table.column("case_id").to_pylist())


def write_csv(table: pa.Table, path: Path) -> list[bytes]:
    """The table as CSV (as ``timeline table`` writes it), returned as its lines."""
    write_table(table, path)
    return path.read_bytes().splitlines(keepends=True)


def batch(tmp: Path, src: Path, *extra: str) -> tuple[int, str, pd.DataFrame | None, pd.DataFrame | None]:
    """Run ``timeline batch`` on ``src``: exit code, stderr, results and errors (None when not written)."""
    out, errors = tmp / "results.csv", tmp / "errors.csv"
    r = CliRunner().invoke(main, ["batch", str(src), "-o", str(out), "--errors", str(errors), *extra])
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    res = pd.read_csv(out, dtype={"id": str}) if out.exists() else None
    err = pd.read_csv(errors, dtype={"case_id": str, "reason": str}, keep_default_na=False) if errors.exists() else None
    return r.exit_code, r.stderr, res, err


def check_invariant(input_ids: set[str], res: pd.DataFrame, err: pd.DataFrame) -> None:
    """Every input case is in exactly one of the results and the errors, and no other id is."""
    assessed = set(res["id"])
    failed = set(err.loc[err["case_id"] != "", "case_id"])
    assert len(res) == len(assessed), "a case assessed twice"
    assert not assessed & failed, "a case both assessed and in the errors"
    assert assessed | failed == input_ids


def reasons(err: pd.DataFrame, case_id: str | None) -> list[str]:
    sel = err["case_id"] == ("" if case_id is None else case_id)
    return err.loc[sel, "reason"].tolist()


def data_line(lines: list[bytes], case: str, k: int = 0) -> int:
    """Index (0-based, in ``lines``) of the k-th line of ``case``."""
    found = [i for i, line in enumerate(lines) if line.startswith(f'"{case}",'.encode())]
    return found[k]


# --------------------------------------------------------------------------- malformed CSV lines


def test_truncated_last_line(tmp_path, clean):
    lines = write_csv(clean, tmp_path / "in.csv")
    last = lines[-1]
    lines[-1] = last[: len(last) // 2]  # the file was cut in the middle of its last line
    src = tmp_path / "cut.csv"
    src.write_bytes(b"".join(lines))
    code, stderr, res, err = batch(tmp_path, src)
    assert code == 0, stderr
    last_case = clean.column("case_id")[-1].as_py()
    why = reasons(err, last_case)
    assert len(why) == 1
    assert re.fullmatch(
        rf"line {len(lines)} of the file is not a valid CSV row: \d+ fields? where the header has 37 "
        r"\(the last line: is the file cut short\?\); the case is not assessed",
        why[0],
    ), why
    check_invariant(ids_of(clean), res, err)
    assert len(res) >= N - 40  # every other case is assessed (the synth mix has some invalid cases)


@pytest.mark.parametrize("change", ["extra field", "missing fields"])
def test_row_with_wrong_number_of_fields(tmp_path, clean, change):
    lines = write_csv(clean, tmp_path / "in.csv")
    i = data_line(lines, "case-0000042", 1)
    line = lines[i].rstrip(b"\n")
    lines[i] = (line + b',"x"' if change == "extra field" else line.rsplit(b",", 5)[0]) + b"\n"
    src = tmp_path / "bad.csv"
    src.write_bytes(b"".join(lines))
    code, stderr, res, err = batch(tmp_path, src)
    assert code == 0, stderr
    got = 38 if change == "extra field" else 32
    assert reasons(err, "case-0000042") == [
        f"line {i + 1} of the file is not a valid CSV row: {got} fields where the header has 37; "
        "the case is not assessed"
    ]
    row = err.loc[err["case_id"] == "case-0000042", "row"].item()
    assert row == i - 1  # the 0-based row of the table, as for every other error
    assert "case-0000042" not in set(res["id"])
    check_invariant(ids_of(clean), res, err)


def test_latin1_byte_in_utf8_file(tmp_path, clean):
    table = clean.set_column(
        clean.column_names.index("description"),
        "description",
        pc.if_else(
            pc.and_(pc.equal(clean.column("case_id"), "case-0000007"), pc.equal(clean.column("record"), "case")),
            pa.scalar("Cafe"),
            clean.column("description"),
        ),
    )
    lines = write_csv(table, tmp_path / "in.csv")
    i = data_line(lines, "case-0000007")
    assert b'"Cafe"' in lines[i]
    lines[i] = lines[i].replace(b'"Cafe"', b'"Caf\xe9"')  # one Latin-1 byte
    src = tmp_path / "latin1.csv"
    src.write_bytes(b"".join(lines))
    code, stderr, res, err = batch(tmp_path, src)
    assert code == 0, stderr
    (why,) = reasons(err, "case-0000007")
    assert why.startswith(f"line {i + 1} of the file is not a valid CSV row: not UTF-8 text (byte 0xE9 at column ")
    assert why.endswith("re-save the file as UTF-8; the case is not assessed")
    check_invariant(ids_of(clean), res, err)


def test_latin1_byte_in_the_case_id(tmp_path, clean):
    """The id cannot be read: the case whose rows surround the line is not assessed."""
    lines = write_csv(clean, tmp_path / "in.csv")
    i = data_line(lines, "case-0000050", 1)
    lines[i] = lines[i].replace(b"case-0000050", b"case-00000\xe90", 1)
    src = tmp_path / "latin1-id.csv"
    src.write_bytes(b"".join(lines))
    code, stderr, res, err = batch(tmp_path, src)
    assert code == 0, stderr
    (why,) = reasons(err, "case-0000050")
    assert why.startswith(f"line {i + 1} of the file is not a valid CSV row: not UTF-8 text (byte 0xE9")
    check_invariant(ids_of(clean), res, err)


def test_unclosed_quote(tmp_path, clean):
    lines = write_csv(clean, tmp_path / "in.csv")
    i = data_line(lines, "case-0000100", 2)
    lines[i] = lines[i].replace(b'",', b",", 1)  # the id's closing quote is lost
    src = tmp_path / "quote.csv"
    src.write_bytes(b"".join(lines))
    code, stderr, res, err = batch(tmp_path, src)
    assert code == 0, stderr
    (why,) = reasons(err, "case-0000100")
    assert why.startswith(f"line {i + 1} of the file is not a valid CSV row: ")
    assert "(an unclosed quote?)" in why
    check_invariant(ids_of(clean), res, err)


def test_line_numbers_count_quoted_line_breaks(tmp_path, clean):
    """A value holding line breaks: the reported line is the file's physical line."""
    desc = pc.if_else(pc.equal(clean.column("record"), "case"), pa.scalar("two\nlines"), clean.column("description"))
    table = clean.set_column(clean.column_names.index("description"), "description", desc)
    write_table(table, tmp_path / "in.csv")
    raw = (tmp_path / "in.csv").read_bytes()
    lines = raw.splitlines(keepends=True)
    i = data_line(lines, "case-0000150", 1)
    lines[i] = lines[i].rstrip(b"\n") + b',"x"\n'
    src = tmp_path / "multi.csv"
    src.write_bytes(b"".join(lines))
    code, stderr, res, err = batch(tmp_path, src)
    assert code == 0, stderr
    (why,) = reasons(err, "case-0000150")
    assert why.startswith(f"line {i + 1} of the file is not a valid CSV row: 38 fields")
    check_invariant(ids_of(table), res, err)
    # read_table names the line too, instead of the reader's bare message
    with pytest.raises(TableError, match=rf"multi\.csv: line {i + 1}: not a valid row: 38 fields"):
        read_table(src)


def test_clean_file_scans_clean(tmp_path, clean):
    """The record-by-record reader agrees with the fast one on a valid file."""
    write_csv(clean, tmp_path / "in.csv")
    malformed, lines = scan_csv(str(tmp_path / "in.csv"), 37, lines_of=[0, 5])
    assert malformed == [] and lines == {0: 2, 5: 7}


# --------------------------------------------------------------------------- rows without a case


def blank_ids(table: pa.Table, rows: list[int]) -> pa.Table:
    ids = table.column("case_id").to_pylist()
    for r in rows:
        ids[r] = None
    return table.set_column(0, "case_id", pa.array(ids, pa.string()))


@pytest.mark.parametrize("ext", [".csv", ".parquet"])
def test_rows_without_case_stop_the_run(tmp_path, clean, ext):
    rows = [3, 40, 41, 500, 900, 1200, 2000]
    src = tmp_path / f"blank{ext}"
    write_table(blank_ids(clean, rows), src)
    code, stderr, res, err = batch(tmp_path, src)
    assert code == 1
    assert res is None and err is None  # nothing written
    (line,) = stderr.strip().splitlines()
    if ext == ".csv":  # lines of the file: the header is line 1, rows start on line 2
        where = "lines 5, 42, 43, 502, 902, ... (7 rows in all; lines of the file; the header is line 1)"
    else:
        where = "rows 3, 40, 41, 500, 900, ... (7 rows in all; rows counted from 0)"
    assert line.startswith(f"Error: {src}: rows without a case_id at {where}: every row needs the id of its case")
    assert "--drop-rows-without-case" in line


@pytest.mark.parametrize("ext", [".csv", ".parquet"])
def test_rows_without_case_dropped_on_request(tmp_path, clean, ext):
    rows = [3, 40, 41]
    src = tmp_path / f"blank{ext}"
    write_table(blank_ids(clean, rows), src)
    code, stderr, res, err = batch(tmp_path, src, "--drop-rows-without-case")
    assert code == 0, stderr
    assert "3 rows without a case_id" in stderr.strip().splitlines()[-1]
    assert (err["case_id"] == "").sum() == 0  # dropped, not errors
    check_invariant(ids_of(clean), res, err)
    s = run_batch(str(src), str(tmp_path / "r2.csv"), drop_rows_without_case=True)
    assert s.dropped == 3 and s.cases == N


def test_whitespace_case_id_is_no_case(tmp_path, clean):
    ids = clean.column("case_id").to_pylist()
    ids[10] = "  "
    src = tmp_path / "space.csv"
    write_table(clean.set_column(0, "case_id", pa.array(ids)), src)
    code, stderr, _, _ = batch(tmp_path, src)
    assert code == 1 and "rows without a case_id at line 12 (1 row in all;" in stderr


# --------------------------------------------------------------------------- columns and delimiter


@pytest.mark.parametrize("ext", [".csv", ".parquet"])
def test_renamed_case_id_column(tmp_path, clean, ext):
    src = tmp_path / f"renamed{ext}"
    write_table(clean.rename_columns(["CaseID", *clean.column_names[1:]]), src)
    code, stderr, res, _ = batch(tmp_path, src)
    assert code == 1 and res is None
    (line,) = stderr.strip().splitlines()
    assert line.startswith(f"Error: {src}: no column 'case_id'; an event table needs the columns case_id and record")
    assert "37 columns found: 'CaseID', 'record', 'index'," in line
    assert "rename 'CaseID' to 'case_id'" in line
    assert ("read as CSV with the delimiter ','" in line) == (ext == ".csv")
    assert len(line) < 500


def test_semicolon_separated_file(tmp_path, clean):
    """A semicolon file is detected from its header; with --delimiter ',' forced, the error
    names the file, the columns found and the delimiter assumed."""
    lines = write_csv(clean, tmp_path / "in.csv")
    src = tmp_path / "semi.csv"
    src.write_bytes(b"".join(line.replace(b",", b";") for line in lines))
    code, _, semi, _ = batch(tmp_path, src)
    assert code == 0
    code, _, comma, _ = batch(tmp_path, tmp_path / "in.csv")
    pd.testing.assert_frame_equal(semi, comma)
    code, stderr, _, _ = batch(tmp_path, src, "--delimiter", ",")
    assert code == 1
    (line,) = stderr.strip().splitlines()
    assert line.startswith(f"Error: {src}: no column 'case_id' or 'record';")
    assert "1 column found: " in line and "…" in line  # the one long name, cut short
    assert line.endswith(
        "read as CSV with the delimiter ',' (the header looks separated by ';': pass --delimiter ';', "
        "or leave --delimiter out)"
    )


# --------------------------------------------------------------------------- a case too large


@pytest.mark.parametrize("ext", [".csv", ".parquet"])
def test_case_over_the_record_limit(tmp_path, clean, ext):
    big = MAX_CASE_RECORDS + 1
    n = big - 1  # the case row plus this many absences
    extra = pa.table(
        {
            "case_id": pa.array(["case-0000099"] * n),
            "record": pa.array(["absences"] * n),
            "index": pa.array([str(k + 1000) for k in range(n)]),
        }
    )
    ids = clean.column("case_id").to_pylist()
    cut = ids.index("case-0000100")
    cols = {
        c: pa.concat_arrays(
            [
                clean.column(c).slice(0, cut).combine_chunks().cast(pa.string()),
                extra.column(c).combine_chunks() if c in extra.column_names else pa.nulls(n, pa.string()),
                clean.column(c).slice(cut).combine_chunks().cast(pa.string()),
            ]
        )
        for c in clean.column_names
    }
    table = pa.table(cols)
    big_rows = sum(1 for i in table.column("case_id").to_pylist() if i == "case-0000099")
    assert big_rows > MAX_CASE_RECORDS
    src = tmp_path / f"big{ext}"
    write_table(table, src)
    t0 = time.perf_counter()
    code, stderr, res, err = batch(tmp_path, src)
    assert time.perf_counter() - t0 < 30  # at once, not through the single-case engine
    assert code == 0, stderr
    sel = err["case_id"] == "case-0000099"
    assert err.loc[sel, "reason"].tolist() == [
        "the case has more than 10,000 rows (the limit per case; a real case has tens)"
    ]
    assert err.loc[sel, "value"].tolist() == [str(big_rows)]
    check_invariant(ids_of(clean), res, err)
    assert "through the single-case engine" not in stderr


def test_parquet_null_ids_never_assessed_without_their_rows(tmp_path, clean):
    """The Parquet form of the silent change: null ids in a case's rows stop the run."""
    src = tmp_path / "nulls.parquet"
    rows = [r for r in range(0, clean.num_rows, 15)]
    pq.write_table(blank_ids(clean, rows), src)
    with pytest.raises(TableError, match=r"nulls\.parquet: rows without a case_id at rows 0, 15, 30, 45, 60, \.\.\."):
        run_batch(str(src), str(tmp_path / "r.csv"))
    assert not (tmp_path / "r.csv").exists()


def test_large_csv_streamed_path(tmp_path, clean, monkeypatch):
    """A CSV file over CSV_WHOLE_FILE_BYTES is streamed: the same errors, the same invariant."""
    import timeline.tables as tables

    monkeypatch.setattr(tables, "CSV_WHOLE_FILE_BYTES", 0)
    lines = write_csv(clean, tmp_path / "in.csv")
    i = data_line(lines, "case-0000042", 1)
    lines[i] = lines[i].rstrip(b"\n") + b',"x"\n'
    src = tmp_path / "bad.csv"
    src.write_bytes(b"".join(lines))
    code, stderr, res, err = batch(tmp_path, src, "--chunk-rows", "500")
    assert code == 0, stderr
    assert reasons(err, "case-0000042")[0].startswith(f"line {i + 1} of the file is not a valid CSV row: 38 fields")
    check_invariant(ids_of(clean), res, err)
    blank = tmp_path / "blank.csv"
    write_table(blank_ids(clean, [1500]), blank)
    (tmp_path / "x").mkdir()
    code, stderr, res, _ = batch(tmp_path / "x", blank, "--chunk-rows", "500")
    assert code == 1 and "rows without a case_id at line 1502 (1 row in all;" in stderr and res is None


@pytest.mark.parametrize("streamed", [False, True])
def test_record_longer_than_a_block(tmp_path, clean, monkeypatch, streamed):
    """A record longer than the reader's block (a 1.2 MB description) is read, not a failed
    file: the stream starts again with larger blocks, the whole-file read takes the file as
    one block. Its case is an error naming the field, with the value cut short; every other
    case is assessed as in the file without it."""
    import timeline.tables as tables

    if streamed:
        monkeypatch.setattr(tables, "CSV_WHOLE_FILE_BYTES", 0)
        monkeypatch.setattr(tables, "CSV_BLOCK_BYTES", 1 << 16)
    lines = write_csv(clean, tmp_path / "in.csv")
    code, stderr, base_res, _ = batch(tmp_path, tmp_path / "in.csv", "--chunk-rows", "500")
    assert code == 0, stderr
    header = [h.strip(b'"') for h in lines[0].rstrip(b"\n").split(b",")]
    col = header.index(b"description")
    i = data_line(lines, "case-0000042", 0)
    cells = lines[i].rstrip(b"\n").split(b",")
    assert len(cells) == len(header)  # no quoted commas in this row
    cells[col] = b'"' + b"x" * 1_200_000 + b'"'
    lines[i] = b",".join(cells) + b"\n"
    src = tmp_path / "long.csv"
    src.write_bytes(b"".join(lines))
    (tmp_path / "out").mkdir()
    code, stderr, res, err = batch(tmp_path / "out", src, "--chunk-rows", "500")
    assert code == 0, stderr
    check_invariant(ids_of(clean), res, err)
    mine = err[err["case_id"] == "case-0000042"]
    assert list(mine["field"]) == ["description"]
    value = mine["value"].iloc[0]
    assert value.startswith("xxx") and value.endswith("…") and len(value) == 200
    others = res[res["id"] != "case-0000042"].reset_index(drop=True)
    pd.testing.assert_frame_equal(others, base_res[base_res["id"] != "case-0000042"].reset_index(drop=True))
