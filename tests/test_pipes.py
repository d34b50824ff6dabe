"""``-`` as standard input or output (issue 14): cases, tables, charts, reports; binary refused on a terminal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from timeline import case_to_dict, load_case
from timeline.cli import main
from timeline.pipes import case_format, table_format

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "separation-reported-early.toml"


def invoke(*args: str, input: bytes | str | None = None):
    return CliRunner().invoke(main, [str(a) for a in args], input=input)


def test_assess_reads_toml_or_json_from_stdin():
    by_file = invoke("assess", EXAMPLE, "--format", "json")
    toml = invoke("assess", "-", "--format", "json", input=EXAMPLE.read_bytes())
    assert toml.exit_code == 0, toml.output
    assert json.loads(toml.stdout) == json.loads(by_file.stdout)
    as_json = json.dumps(case_to_dict(load_case(EXAMPLE)))
    piped = invoke("assess", "-", "--format", "json", input=as_json)
    assert json.loads(piped.stdout) == json.loads(by_file.stdout)
    forced = invoke("assess", "-", "--input-format", "toml", input=as_json)
    assert forced.exit_code == 1 and forced.stderr.startswith("Error: <stdin>: invalid TOML")


def test_stdin_case_errors_name_stdin():
    r = invoke("assess", "-", input='{"id": "x", "permits": [{"purpose": "work", "start": "2024-02-30"}]}')
    assert r.exit_code == 1 and r.stderr.startswith("Error: <stdin>: permits[0].start = ")
    r = invoke("deadlines", "-", input="")
    assert r.exit_code == 1 and "nothing on standard input" in r.stderr
    no_id = EXAMPLE.read_text(encoding="utf-8").replace('id = "separation-reported-early"', "")
    r = invoke("assess", "-", "--format", "json", input=no_id)
    assert r.exit_code == 0 and json.loads(r.stdout)["id"] == "stdin"


def test_chart_and_report_to_stdout_equal_the_files(tmp_path):
    for command, ext, extra in (("chart", ".png", ()), ("chart", ".svg", ("--format", "svg")), ("report", ".pdf", ())):
        f = tmp_path / f"out{ext}"
        assert invoke(command, EXAMPLE, "-o", f).exit_code == 0
        piped = invoke(command, "-", "-o", "-", *extra, input=EXAMPLE.read_bytes())
        assert piped.exit_code == 0, piped.output
        assert piped.stdout_bytes == f.read_bytes(), command + ext
    r = invoke("chart", EXAMPLE, "-o", tmp_path / "c.png", "--format", "svg")
    assert r.exit_code == 2 and "--format svg is for -o -" in r.output


def test_deadlines_and_scenarios_read_stdin():
    by_file = invoke("deadlines", EXAMPLE, "-o", "-").stdout
    assert invoke("deadlines", "-", "-o", "-", input=EXAMPLE.read_bytes()).stdout == by_file
    vary = ("--vary", "relationship.separated=2025-07-01,2025-09-20", "--format", "csv")
    assert (
        invoke("scenarios", "-", *vary, input=EXAMPLE.read_bytes()).stdout == invoke("scenarios", EXAMPLE, *vary).stdout
    )


def test_batch_and_table_through_pipes(tmp_path):
    src = tmp_path / "c.jsonl"
    assert invoke("synth", "--cases", "60", "--seed", "2", "-o", src).exit_code == 0
    invoke("batch", src, "-o", tmp_path / "r.csv", "--as-of", "2026-01-01")
    piped = invoke("batch", "-", "-o", "-", "--as-of", "2026-01-01", input=src.read_bytes())
    assert piped.exit_code == 0, piped.output
    assert piped.stdout_bytes == (tmp_path / "r.csv").read_bytes()
    assert piped.stderr.startswith("Wrote standard output (")
    # A table piped in, recognised by its content (Parquet, Excel, CSV), and written back to stdout.
    for ext in (".parquet", ".xlsx", ".csv"):
        assert invoke("table", src, "-o", tmp_path / f"t{ext}").exit_code == 0
        back = invoke("table", "-", "-o", "-", input=(tmp_path / f"t{ext}").read_bytes())
        assert back.exit_code == 0, (ext, back.output)
        assert back.stdout_bytes == src.read_bytes(), ext
    book = invoke("batch", "-", "-o", "-", "--output-format", "xlsx", "--errors", input=src.read_bytes())
    (tmp_path / "piped.xlsx").write_bytes(book.stdout_bytes)
    assert pd.ExcelFile(tmp_path / "piped.xlsx").sheet_names == ["results", "errors"]
    r = invoke("batch", "-", "-o", "-", "--errors", "-", input=src.read_bytes())
    assert r.exit_code == 2 and "only -o can be '-'" in r.output


def test_stdin_errors_name_stdin_not_the_copy():
    r = invoke("table", "-", "-o", "-", input="Zaak;Soort\n1;x\n")
    assert r.exit_code == 1
    assert r.stderr.startswith("Error: <stdin>: no column 'case_id' or 'record'")
    assert "timeline-" not in r.stderr
    assert r.stdout == ""


def test_formats_recognised_from_content():
    assert table_format(b"PAR1\x15\x04") == ".parquet"
    assert table_format(b"PK\x03\x04\x14\x00") == ".xlsx"
    assert table_format(b'\xef\xbb\xbf{"id"') == ".jsonl"
    assert table_format(b'"case_id";"re') == ".csv"
    assert case_format(' \n{"id": "a"}') == "json" and case_format('id = "a"') == "toml"
    assert case_format("{}", "toml") == "toml"


def _in_a_terminal(args: list[str], stdin: bytes = b"") -> tuple[int, str]:
    """Run ``timeline`` with standard output on a pseudo-terminal: exit code and stderr."""
    import pty

    leader, follower = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    try:
        done = subprocess.run(
            [sys.executable, "-m", "timeline", *args],
            input=stdin,
            stdout=follower,
            stderr=subprocess.PIPE,
            env=env,
            timeout=120,
        )
    finally:
        os.close(follower)
        os.close(leader)
    return done.returncode, done.stderr.decode()


@pytest.mark.parametrize(
    "args",
    [
        ["chart", str(EXAMPLE), "-o", "-"],
        ["report", str(EXAMPLE), "-o", "-"],
        ["table", "-", "-o", "-", "--output-format", "parquet"],
        ["scenarios", str(EXAMPLE), "--vary", "relationship.separated=2025-07-01", "--format", "xlsx"],
    ],
)
def test_binary_output_to_a_terminal_is_refused(args):
    code, stderr = _in_a_terminal(args, stdin=json.dumps({"id": "a"}).encode())
    assert code == 1
    (line,) = stderr.strip().splitlines()
    assert line.startswith("Error: ") and "is binary and standard output is a terminal" in line


def test_subprocess_pipes(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    timeline = [sys.executable, "-m", "timeline"]
    png = subprocess.run([*timeline, "chart", "-", "-o", "-"], input=EXAMPLE.read_bytes(), capture_output=True, env=env)
    assert png.returncode == 0 and png.stdout.startswith(b"\x89PNG\r\n\x1a\n")
    text = subprocess.run([*timeline, "assess", "-"], input=EXAMPLE.read_bytes(), capture_output=True, env=env)
    assert text.returncode == 0 and b"separation-reported-early" in text.stdout


def test_synth_batch_summary_chain(tmp_path):
    """``timeline synth -o - | timeline batch - -o - | timeline summary -`` equals the same through files."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    timeline = [sys.executable, "-m", "timeline"]
    chain = (
        f"{shlex_join([*timeline, 'synth', '--cases', '40', '-o', '-'])} | "
        f"{shlex_join([*timeline, 'batch', '-', '-o', '-', '--as-of', '2026-01-01', '--quiet'])} | "
        f"{shlex_join([*timeline, 'summary', '-'])}"
    )
    piped = subprocess.run(chain, shell=True, capture_output=True, env=env, check=True)
    for args in (
        ["synth", "--cases", "40", "-o", tmp_path / "c.jsonl"],
        ["batch", tmp_path / "c.jsonl", "-o", tmp_path / "r.csv", "--as-of", "2026-01-01"],
    ):
        assert invoke(*args).exit_code == 0
    assert piped.stdout.decode() == invoke("summary", tmp_path / "r.csv").stdout
    r = invoke("summary", tmp_path / "r.csv", "-o", "-")
    assert r.exit_code == 2 and "-o takes a file" in r.output


def shlex_join(argv: list) -> str:
    import shlex

    return shlex.join(str(a) for a in argv)


def test_scenarios_chart_cannot_go_where_its_table_goes():
    """`scenarios -o -`: the table is on standard output already; a usage error says where the chart can go."""
    from click.testing import CliRunner

    from timeline.cli import main

    example = Path(__file__).resolve().parents[1] / "examples" / "separation-reported-early.toml"
    r = CliRunner().invoke(
        main, ["scenarios", str(example), "--vary", "notifications[0].change_date=2025-08-01", "-o", "-"]
    )
    assert r.exit_code == 2 and "-o FILE.png" in r.output
