"""Outputs are written whole or not at all, never over an input (timeline.outputs).

The failures are real: a file-size limit (RLIMIT_FSIZE, as a full disk: the write fails
with EFBIG) and a SIGTERM sent to a running batch, each in a child process.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from timeline.cli import main
from timeline.outputs import OutputError, OutputSet, check_outputs, replacing

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "separation-reported-early.toml"


def _listing(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_replacing_writes_the_whole_file(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")
    with replacing(target) as tmp:
        assert Path(tmp).parent == tmp_path and Path(tmp).name.startswith(".out.txt.")
        Path(tmp).write_text("new")
        assert target.read_text() == "old"  # not touched until the block ends
    assert _listing(tmp_path) == {"out.txt": b"new"}


def test_replacing_keeps_the_old_file_on_error(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError), replacing(target) as tmp:
        Path(tmp).write_text("half")
        raise RuntimeError("disk full")
    assert _listing(tmp_path) == {"out.txt": b"old"}


def test_replacing_keeps_the_permissions_of_the_file_it_replaces(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")
    target.chmod(0o640)
    with replacing(target) as tmp:
        Path(tmp).write_text("new")
    assert target.stat().st_mode & 0o777 == 0o640


def test_output_set_renames_all_or_nothing(tmp_path):
    a, b = tmp_path / "results.csv", tmp_path / "errors.csv"
    a.write_text("old results")
    b.write_text("old errors")
    with pytest.raises(OSError), OutputSet() as files:
        Path(files.add(a)).write_text("new results")
        files.add(b)
        raise OSError(28, "No space left on device")
    assert _listing(tmp_path) == {"errors.csv": b"old errors", "results.csv": b"old results"}
    with OutputSet() as files:
        Path(files.add(a)).write_text("new results")
        Path(files.add(b)).write_text("new errors")
    assert _listing(tmp_path) == {"errors.csv": b"new errors", "results.csv": b"new results"}


def test_check_outputs_refuses_an_input_another_output_and_a_missing_folder(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("x")
    link = tmp_path / "link.csv"
    link.symlink_to(source)
    for spelling in (str(source), str(tmp_path / "." / "in.csv"), str(link)):
        with pytest.raises(OutputError, match=r"^-o .*\.csv: this is an input"):
            check_outputs({"-o": spelling}, [str(source)])
    with pytest.raises(OutputError, match="the same file as -o"):
        check_outputs({"-o": str(tmp_path / "r.csv"), "--errors": str(tmp_path / "r.csv")})
    with pytest.raises(OutputError, match="does not exist"):
        check_outputs({"-o": str(tmp_path / "nope" / "r.csv")})
    with pytest.raises(OutputError, match="is a folder"):
        check_outputs({"-o": str(tmp_path)})
    with pytest.raises(OutputError, match=r"cannot write \.xlsx; use \.csv, \.png"):
        check_outputs({"-o": str(tmp_path / "s.xlsx")}, extensions={"-o": (".csv", ".png")})
    check_outputs({"-o": str(tmp_path / "r.csv"), "--errors": None}, [str(source)])  # fine


@pytest.fixture(scope="module")
def cases_csv(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cases")
    path = folder / "cases.csv"
    result = CliRunner().invoke(main, ["synth", "--cases", "200", "--seed", "3", "-o", str(path)])
    assert result.exit_code == 0, result.output
    return path


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "{in}"], "-o {in}: this is an input of the same run"),
        (["-o", "{d}/r.csv", "--errors", "{in}"], "--errors {in}: this is an input"),
        (["-o", "{d}/r.csv", "--errors", "{d}/r.csv", "--gaps", "{d}/g.csv"], "--errors {d}/r.csv: the same file"),
        (["-o", "{d}/r.csv", "--gaps", "{d}/nope/g.csv"], "--gaps {d}/nope/g.csv: the folder {d}/nope does not exist"),
    ],
)
def test_batch_refuses_before_any_work_and_writes_nothing(cases_csv, tmp_path, args, message):
    source = tmp_path / "in.csv"
    source.write_bytes(cases_csv.read_bytes())
    fill = {"in": str(source), "d": str(tmp_path)}
    before = _listing(tmp_path)
    result = CliRunner().invoke(main, ["batch", str(source), *[a.format(**fill) for a in args]])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {message.format(**fill)}"), result.output
    assert _listing(tmp_path) == before


def test_summary_refuses_to_overwrite_its_input_and_names_a_missing_folder(cases_csv, tmp_path):
    results = tmp_path / "r.csv"
    done = CliRunner().invoke(main, ["batch", str(cases_csv), "-o", str(results), "--quiet"])
    assert done.exit_code == 0, done.output
    before = results.read_bytes()
    same = CliRunner().invoke(main, ["summary", str(results), "-o", str(results)])
    assert same.exit_code == 1 and "this is an input" in same.output
    assert results.read_bytes() == before
    missing = CliRunner().invoke(main, ["summary", str(results), "-o", str(tmp_path / "nope" / "s.csv")])
    assert missing.exit_code == 1 and "does not exist" in missing.output and "Traceback" not in missing.output


def _limit_file_size(limit: int):
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write then fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def _timeline(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "timeline", *args], capture_output=True, text=True, timeout=300, **kwargs
    )


@pytest.mark.parametrize("ext", [".png", ".pdf", ".svg"])
def test_a_chart_that_cannot_be_written_whole_leaves_the_old_file(tmp_path, ext):
    out = tmp_path / f"chart{ext}"
    out.write_bytes(b"the chart of yesterday")
    run = _timeline("chart", str(EXAMPLE), "-o", str(out), preexec_fn=_limit_file_size(20_000))
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr and len(run.stderr.strip().splitlines()) == 1
    assert _listing(tmp_path) == {out.name: b"the chart of yesterday"}


def test_a_report_and_a_calendar_that_cannot_be_written_leave_nothing(tmp_path):
    for args in (["report", str(EXAMPLE), "-o", str(tmp_path / "r.pdf")],
                 ["deadlines", str(EXAMPLE), "-o", str(tmp_path / "d.ics"), "--all"]):
        run = _timeline(*args, preexec_fn=_limit_file_size(200))
        assert run.returncode == 1, run.stderr
        assert "Traceback" not in run.stderr
    assert _listing(tmp_path) == {}


def test_a_batch_that_cannot_write_keeps_every_earlier_output(cases_csv, tmp_path):
    names = {"-o": "r.csv", "--errors": "e.csv", "--gaps": "g.csv"}
    for name in names.values():
        (tmp_path / name).write_text(f"earlier {name}")
    args = [a for opt, name in names.items() for a in (opt, str(tmp_path / name))]
    run = _timeline("batch", str(cases_csv), *args, "--quiet", preexec_fn=_limit_file_size(5_000))
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr
    assert _listing(tmp_path) == {name: f"earlier {name}".encode() for name in names.values()}


def test_a_terminated_batch_leaves_all_old_or_all_new_outputs_and_no_partial_file(tmp_path):
    source = tmp_path / "in" / "cases.csv"
    source.parent.mkdir()
    made = CliRunner().invoke(main, ["synth", "--cases", "20000", "--seed", "5", "-o", str(source)])
    assert made.exit_code == 0, made.output
    out = tmp_path / "out"
    out.mkdir()
    names = ("r.csv", "e.csv", "g.csv")
    for name in names:
        (out / name).write_text(f"earlier {name}")
    args = ["-o", str(out / "r.csv"), "--errors", str(out / "e.csv"), "--gaps", str(out / "g.csv")]
    child = subprocess.Popen(
        [sys.executable, "-m", "timeline", "batch", str(source), *args, "--chunk-rows", "20000"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stderr is not None
    child.stderr.readline()  # the first progress line: the run is under way, its handler installed
    child.send_signal(signal.SIGTERM)
    _, err = child.communicate(timeout=300)
    listing = _listing(out)
    assert sorted(listing) == sorted(names), listing.keys()  # no hidden partial file
    if child.returncode == 0:  # finished before the signal: every file new and whole
        assert all(not v.startswith(b"earlier") for v in listing.values())
    else:
        assert child.returncode == 128 + signal.SIGTERM, err
        assert listing == {name: f"earlier {name}".encode() for name in names}
    assert "Traceback" not in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write to a read-only folder")
def test_a_read_only_folder_is_refused_before_the_work(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(OutputError, match="is not writable"):
            check_outputs({"-o": str(folder / "r.csv")})
    finally:
        folder.chmod(0o755)


def test_table_refuses_to_write_over_its_input(cases_csv, tmp_path):
    source = tmp_path / "in.csv"
    source.write_bytes(cases_csv.read_bytes())
    result = CliRunner().invoke(main, ["table", str(source), "-o", str(source)])
    assert result.exit_code == 1 and "this is an input" in result.output
    assert source.read_bytes() == cases_csv.read_bytes()
