"""Excel workbooks and CSV dialects (issue 14): round trips, batch equality, dates never guessed."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from timeline import case_to_dict, load_case
from timeline.cli import main
from timeline.dialects import Dialect, dmy_to_iso, iso_to_dmy
from timeline.synth import make_table
from timeline.tables import TableError, cases_to_table, convert, read_table, write_table

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))
DUTCH = Dialect(";", "cp1252", "dmy")
NOTE = 'Café in Zaandam; "quoted", a line\nbreak, =1+1 and €'  # text Excel and cp1252 must keep as text


def invoke(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def cases_jsonl(tmp_path) -> Path:
    """Synthetic cases (no impossible dates) plus every example, one with a note full of delimiters."""
    synth = tmp_path / "synth.jsonl"
    write_table(make_table(150, 7, mix={"typo": "0"}), synth)
    lines = synth.read_text(encoding="utf-8").splitlines()
    examples = [case_to_dict(load_case(p)) for p in EXAMPLES]
    examples[0]["permits"][0]["note"] = NOTE
    lines += [json.dumps(d, ensure_ascii=False) for d in examples]
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def same_cases(a: Path, b: Path) -> None:
    """The same case-file dicts in the same order (the key order of a record is not kept by a table)."""
    read = [[json.loads(line) for line in p.read_text(encoding="utf-8").splitlines()] for p in (a, b)]
    assert read[0] == read[1]


# --------------------------------------------------------------------------- round trips


def test_jsonl_xlsx_jsonl_is_the_identity(tmp_path, cases_jsonl):
    assert convert(cases_jsonl, tmp_path / "c.xlsx") == []
    assert convert(tmp_path / "c.xlsx", tmp_path / "back.jsonl") == []
    same_cases(tmp_path / "back.jsonl", cases_jsonl)


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig"])
def test_jsonl_dutch_csv_jsonl_is_the_identity(tmp_path, cases_jsonl, encoding):
    dutch = DUTCH._replace(encoding=encoding)
    assert convert(cases_jsonl, tmp_path / "nl.csv", dialect=dutch) == []
    raw = (tmp_path / "nl.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf" if encoding == "utf-8-sig" else b'"case_id";"record"')
    assert ("Caf\xe9".encode("cp1252") in raw) == (encoding == "cp1252")
    birth = load_case(EXAMPLES[0]).person.birth_date
    assert f'"{birth:%d-%m-%Y}"'.encode() in raw  # dates as 31-12-2024
    # Read back with the delimiter detected, as a user who only says how dates are written.
    assert convert(tmp_path / "nl.csv", tmp_path / "back.jsonl", dialect=Dialect(None, encoding, "dmy")) == []
    same_cases(tmp_path / "back.jsonl", cases_jsonl)


def test_parquet_to_dutch_csv_and_back(tmp_path, cases_jsonl):
    """Parquet holds dates as date32: they are written as DD-MM-YYYY too."""
    convert(cases_jsonl, tmp_path / "c.parquet")
    r = invoke("table", tmp_path / "c.parquet", "-o", tmp_path / "nl.csv", "--date-format", "dmy", "--delimiter", ";")
    assert r.exit_code == 0, r.output
    assert b'"2025-' not in (tmp_path / "nl.csv").read_bytes()
    r = invoke("table", tmp_path / "nl.csv", "-o", tmp_path / "back.jsonl", "--date-format", "dmy")
    assert r.exit_code == 0, r.output
    same_cases(tmp_path / "back.jsonl", cases_jsonl)


def test_tsv_by_extension(tmp_path, cases_jsonl):
    assert convert(cases_jsonl, tmp_path / "c.tsv") == []
    assert (tmp_path / "c.tsv").read_bytes().startswith(b'"case_id"\t"record"\t')
    convert(tmp_path / "c.tsv", tmp_path / "back.jsonl")
    same_cases(tmp_path / "back.jsonl", cases_jsonl)


# --------------------------------------------------------------------------- batch: the same answers


def batch_frames(tmp: Path, src: Path, name: str, *extra: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    out, err = tmp / f"{name}.parquet", tmp / f"{name}-errors.parquet"
    r = invoke("batch", src, "-o", out, "--errors", err, "--as-of", "2026-01-01", "--quiet", *extra)
    assert r.exit_code == 0, r.output
    return pd.read_parquet(out), pd.read_parquet(err)


def test_batch_from_xlsx_and_dutch_csv_equals_batch_from_parquet(tmp_path):
    table = make_table(400, 11)  # with its impossible dates: they must be errors the same way
    write_table(table, tmp_path / "c.parquet")
    write_table(table, tmp_path / "c.xlsx")
    write_table(table, tmp_path / "nl.csv", dialect=DUTCH)
    res, err = batch_frames(tmp_path, tmp_path / "c.parquet", "pq")
    assert len(err) > 0 and len(res) > 300
    res_x, err_x = batch_frames(tmp_path, tmp_path / "c.xlsx", "xlsx")
    pd.testing.assert_frame_equal(res_x, res)
    pd.testing.assert_frame_equal(err_x, err)
    res_nl, err_nl = batch_frames(tmp_path, tmp_path / "nl.csv", "nl", "--encoding", "cp1252", "--date-format", "dmy")
    pd.testing.assert_frame_equal(res_nl, res)
    # The same cases fail; an impossible day is named with its line and field, in the user's format.
    assert err_nl["case_id"].tolist() == err["case_id"].tolist()
    assert err_nl["row"].tolist() == err["row"].tolist()
    first = err_nl.iloc[0]
    assert first["field"] == "birth_date" and first["reason"].startswith(f"line {first['row'] + 2} of the file: ")
    assert "is not a real calendar date" in first["reason"]


def test_a_date_not_in_the_chosen_format_is_an_error_with_its_line(tmp_path):
    rows = [
        '"case_id";"record";"index";"birth_date";"purpose";"start";"end"',
        '"a";"case";"0";;;;',
        '"a";"person";"0";"2-4-1990";;;',
        '"a";"permits";"0";;"work";"1-3-2021";"01-03-2026"',
        '"b";"case";"0";;;;',
        '"b";"permits";"0";;"work";"2021-03-11";',  # ISO in a dmy file: never taken silently
        '"c";"case";"0";;;;',
        '"c";"permits";"0";;"work";"11/03/2021";',
    ]
    src = tmp_path / "nl.csv"
    src.write_text("\n".join(rows) + "\n", encoding="utf-8")
    res, err = batch_frames(tmp_path, src, "r", "--date-format", "dmy")
    assert res["id"].tolist() == ["a"]
    assert err["case_id"].tolist() == ["b", "c"]
    assert err["field"].tolist() == ["start", "start"]
    assert err["record"].tolist() == ["permits[0]", "permits[0]"]
    assert err["reason"].iloc[0] == (
        "line 6 of the file: start '2021-03-11' is not a date in the form DD-MM-YYYY (--date-format dmy); "
        "the case is not assessed"
    )
    assert err["reason"].iloc[1].startswith("line 8 of the file: start '11/03/2021'")
    with pytest.raises(TableError, match=r"nl.csv: line 6: start '2021-03-11' is not a date in the form DD-MM-YYYY"):
        read_table(src, dialect=Dialect(date_format="dmy"))
    # Without --date-format dmy the same file is read as ISO: the d-m-y dates are errors of their cases.
    res, err = batch_frames(tmp_path, src, "iso")
    assert res["id"].tolist() == ["b"] and "YYYY-MM-DD" in err["reason"].iloc[0]


@pytest.mark.parametrize("broken", [False, True])
def test_lines_count_the_line_breaks_in_values(tmp_path, broken):
    """The line named is the record's first line of the file, whether Arrow reads the file or,
    when it refuses a record (too many fields), the csv module does."""
    rows = [
        "case_id;record;index;purpose;note;start",
        'a;permits;0;work;"two\nlines";1-3-2021',
        "",
        "b;permits;0;work;;2021-03-11",
        "c;permits;0;work;;1-3-2021;extra" if broken else "c;permits;0;work;;1-3-2021",
    ]
    src = tmp_path / "nl.csv"
    src.write_text("\n".join(rows) + "\n", encoding="utf-8")
    res, err = batch_frames(tmp_path, src, "r", "--date-format", "dmy")
    assert res["id"].tolist() == ["a"] + ([] if broken else ["c"])
    assert err["reason"].iloc[0].startswith("line 5 of the file: start '2021-03-11' is not a date")
    if broken:
        assert err["reason"].iloc[1].startswith("line 6 of the file is not a valid CSV row: 7 fields where the header")


def test_dmy_and_iso_conversions():
    import pyarrow as pa

    arr = pa.array(["31-12-2024", "1-2-2024", " 05-06-2023 ", "29-02-2023", "2024-12-31", None, "", "31/12/2024"])
    iso, bad = dmy_to_iso(arr)
    assert iso.to_pylist()[:3] == ["2024-12-31", "2024-02-01", "2023-06-05"]
    assert bad.tolist() == [False, False, False, True, True, False, True, True]
    assert iso.to_pylist()[3:] == arr.to_pylist()[3:]  # kept as they were
    assert iso_to_dmy(pa.array(["2024-12-31", "2023-02-30", "x", None])).to_pylist() == [
        "31-12-2024",
        "30-02-2023",
        "x",
        None,
    ]


# --------------------------------------------------------------------------- dialects: encodings and delimiters


def test_cp1252_read_as_utf8_names_the_encoding_and_line(tmp_path, cases_jsonl):
    convert(cases_jsonl, tmp_path / "nl.csv", dialect=DUTCH)
    with pytest.raises(TableError, match=r"line \d+: not a valid row: not valid text in the encoding utf-8 "):
        read_table(tmp_path / "nl.csv", dialect=Dialect(date_format="dmy"))
    with pytest.raises(TableError, match=r"cannot be written in cp1252; use --encoding utf-8-sig"):
        write_table(cases_to_table([{"id": "a", "description": "名前"}]), tmp_path / "x.csv", dialect=DUTCH)
    assert not (tmp_path / "x.csv").exists()


def test_a_file_without_case_id_names_file_columns_and_delimiter(tmp_path):
    src = tmp_path / "export.csv"
    src.write_text("Zaaknummer;Soort;Begin\n1;permits;1-1-2024\n", encoding="utf-8")
    r = invoke("batch", src, "-o", tmp_path / "r.csv")
    assert r.exit_code == 1
    assert f"{src}: no column 'case_id' or 'record'" in r.output
    assert "3 columns found: 'Zaaknummer', 'Soort', 'Begin'" in r.output
    assert r.output.rstrip().endswith("read as CSV with the delimiter ';'")
    r = invoke("batch", src, "-o", tmp_path / "r.csv", "--delimiter", ",")
    assert "1 column found: 'Zaaknummer;Soort;Begin'" in r.output and "delimiter ','" in r.output
    assert "(the header looks separated by ';': pass --delimiter ';', or leave --delimiter out)" in r.output
    assert not (tmp_path / "r.csv").exists()


# --------------------------------------------------------------------------- workbooks


def test_workbook_has_real_dates_frozen_filtered_sized_header(tmp_path, cases_jsonl):
    out = tmp_path / "r.xlsx"
    r = invoke("batch", cases_jsonl, "-o", out, "--errors", "--gaps", "--as-of", "2026-01-01")
    assert r.exit_code == 0, r.output
    assert "sheet errors (0 cases not assessed), sheet gaps (" in r.output
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["results", "errors", "gaps"]
    res = wb["results"]
    assert res.freeze_panes == "A2" and res.auto_filter.ref == f"A1:T{res.max_row}"
    header = [c.value for c in res[1]]
    as_of = res.cell(2, header.index("as_of") + 1)
    assert as_of.is_date and as_of.value.date() == date(2026, 1, 1) and as_of.number_format == "yyyy-mm-dd"
    assert res.cell(2, header.index("gap_ongoing") + 1).data_type == "b"
    assert 10 <= res.column_dimensions["B"].width <= 60
    events = tmp_path / "c.xlsx"
    convert(cases_jsonl, events)
    sheet = openpyxl.load_workbook(events)["events"]
    cols = [c.value for c in sheet[1]]
    notes = [row[cols.index("note")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert NOTE in notes  # text stays text: no formula, nothing lost
    starts = [row[cols.index("start")] for row in sheet.iter_rows(min_row=2, values_only=True) if row[1] == "permits"]
    assert starts and all(isinstance(v, datetime) for v in starts)


def test_batch_results_workbook_equals_parquet_and_summary_reads_it(tmp_path, cases_jsonl):
    invoke("batch", cases_jsonl, "-o", tmp_path / "r.parquet", "--as-of", "2026-01-01", "--quiet")
    invoke("batch", cases_jsonl, "-o", tmp_path / "r.xlsx", "--as-of", "2026-01-01", "--quiet")
    r = invoke("summary", tmp_path / "r.xlsx", "-o", tmp_path / "s.xlsx")
    assert r.exit_code == 0, r.output
    assert r.stdout == invoke("summary", tmp_path / "r.parquet").stdout
    summary = pd.read_excel(tmp_path / "s.xlsx", sheet_name="summary")
    assert summary["measure"].iloc[0] == "cases" and summary["value"].iloc[0] == 150 + len(EXAMPLES)


def test_a_named_sheet_and_a_missing_one(tmp_path, cases_jsonl):
    table = read_table(cases_jsonl)
    path = tmp_path / "book.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "notes"
    wb.active.append(["this sheet is not the table"])
    sheet = wb.create_sheet("export")
    sheet.append(list(table.columns))
    for row in table.astype(object).where(table.notna(), None).itertuples(index=False):
        sheet.append([date.fromisoformat(v) if isinstance(v, str) and len(v) == 10 and v[4] == "-" else v for v in row])
    wb.save(path)
    r = invoke("table", path, "-o", tmp_path / "back.jsonl", "--sheet", "export")
    assert r.exit_code == 0, r.output
    same_cases(tmp_path / "back.jsonl", cases_jsonl)
    r = invoke("table", path, "-o", tmp_path / "x.jsonl", "--sheet", "Blad1")
    assert r.exit_code == 1 and "no sheet 'Blad1'; the workbook has 'notes', 'export'" in r.output
    r = invoke("table", path, "-o", tmp_path / "x.jsonl")
    assert r.exit_code == 1 and "(sheet 'notes'): no column 'case_id'" in r.output


def test_workbook_outputs_never_over_an_input_and_sheets_need_a_workbook(tmp_path, cases_jsonl):
    convert(cases_jsonl, tmp_path / "c.xlsx")
    before = (tmp_path / "c.xlsx").read_bytes()
    r = invoke("batch", tmp_path / "c.xlsx", "-o", tmp_path / "c.xlsx")
    assert r.exit_code == 1 and "this is an input of the same run" in r.output
    assert (tmp_path / "c.xlsx").read_bytes() == before
    r = invoke("batch", tmp_path / "c.xlsx", "-o", tmp_path / "r.csv", "--errors")
    assert r.exit_code == 2 and "unless -o is an .xlsx workbook" in r.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.xlsx", "cases.jsonl", "synth.jsonl"]


def test_scenarios_as_a_workbook(tmp_path):
    example = ROOT / "examples" / "separation-reported-early.toml"
    r = invoke("scenarios", example, "--vary", "relationship.separated=2025-07-01,2025-09-20", "--format", "xlsx")
    assert r.exit_code == 0, r.output
    (tmp_path / "s.xlsx").write_bytes(r.stdout_bytes)
    sheet = openpyxl.load_workbook(tmp_path / "s.xlsx")["scenarios"]
    cols = [c.value for c in sheet[1]]
    assert sheet.cell(2, 1).value == "base"
    deadline = sheet.cell(2, cols.index("reporting_deadline") + 1)
    assert deadline.is_date and sheet.cell(2, cols.index("valid") + 1).value is True


@pytest.mark.parametrize("ext", [".xlsx", ".csv"])
def test_rows_without_a_case_id_stop_the_run_naming_their_line(tmp_path, ext):
    table = cases_to_table([{"id": "a", "permits": [{"purpose": "work", "start": "2021-03-01"}] * 2}])
    table.loc[2, "case_id"] = None  # the second permit: line 4 of the file, row 4 of the sheet
    src = tmp_path / f"c{ext}"
    write_table(table, src, dialect=DUTCH if ext == ".csv" else None)
    extra = ("--date-format", "dmy", "--encoding", "cp1252") if ext == ".csv" else ()
    r = invoke("batch", src, "-o", tmp_path / "r.csv", *extra)
    assert r.exit_code == 1 and f"{src}: rows without a case_id at line 4 (1 row in all;" in r.output
    assert not (tmp_path / "r.csv").exists()
    r = invoke("batch", src, "-o", tmp_path / "r.csv", "--drop-rows-without-case", *extra)
    assert r.exit_code == 0 and "1 row without a case_id dropped" in r.output
