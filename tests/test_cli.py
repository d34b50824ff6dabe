"""The CLI on every example, and every class of bad input: exit code 1, one message, no traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from timeline.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_assess_every_example_text_and_json(path):
    r = CliRunner().invoke(main, ["assess", str(path)])
    assert r.exit_code == 0, r.output
    assert "Why (rules and legal basis)" in r.output
    j = CliRunner().invoke(main, ["assess", str(path), "--format", "json"])
    data = json.loads(j.output)
    for key in (
        "id",
        "as_of",
        "options",
        "residence",
        "gaps",
        "notification",
        "permanent_residence",
        "eu_long_term",
        "naturalisation",
        "explanations",
    ):
        assert key in data
    assert data["id"] == path.stem
    for route in data["naturalisation"]["routes"]:
        assert {"route", "clock_start", "eligible_from", "reason"} <= set(route)
    assert all(e["rule"] and e["text"] for e in data["explanations"])


def test_assess_dutch_and_as_of_and_option():
    path = ROOT / "examples" / "separation-reported-early.toml"
    r = CliRunner().invoke(
        main,
        [
            "assess",
            str(path),
            "--lang",
            "nl",
            "--as-of",
            "2026-01-31",
            "--option",
            "withdrawal_effective=decision",
            "--format",
            "json",
        ],
    )
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["as_of"] == "2026-01-31"
    assert data["options"]["withdrawal_effective"] == "decision"
    # Ex nunc from the decision date (1 Sept 2025); the work permit starts 1 Oct: 30 days instead of 92.
    assert [(g["start"], g["end"], g["days"]) for g in data["gaps"]] == [("2025-09-01", "2025-10-01", 30)]
    text = CliRunner().invoke(main, ["assess", str(path), "--lang", "nl"]).output
    assert "Verblijfsgaten" in text and "juli" in text


def test_json_explanations_cover_the_gap_and_deadline():
    path = ROOT / "examples" / "separation-reported-early.toml"
    data = json.loads(CliRunner().invoke(main, ["assess", str(path), "--format", "json"]).output)
    subjects = {e["subject"]: e for e in data["explanations"]}
    assert subjects["gaps[0]"]["rule"] == "DC-6" and subjects["gaps[0]"]["result"] == 92
    assert subjects["notification.deadline"]["result"] == "2025-07-29"
    assert subjects["permits[0].withdrawn_from"]["options"] == {"withdrawal_effective": "reported"}


BAD = {
    "missing file": (["assess", "nope.toml"], "nope.toml"),
    "unknown option": (["assess", "{ex}", "--option", "withdrawl_effective=x"], "withdrawal_effective"),
    "bad option value": (["assess", "{ex}", "--option", "withdrawal_effective=never"], "reported"),
}


@pytest.mark.parametrize("name", BAD)
def test_bad_input_exit_1_no_traceback(name):
    args, expect = BAD[name]
    ex = str(ROOT / "examples" / "separation-reported-early.toml")
    r = CliRunner().invoke(main, [a.replace("{ex}", ex) for a in args])
    assert r.exit_code == 1, r.output
    assert expect in r.output and "Traceback" not in r.output


@pytest.mark.parametrize(
    ("content", "expect"),
    [
        ('id = "x"\n[[permits]]\npurpose = "partnr"\nstart = 2020-01-01\n', "permits[0].purpose"),
        ('id = "x"\n[[permits]]\npurpose = "work"\nstart = 2020-01-01\nend = 2019-01-01\n', "permits[0].end"),
        ('id = "x"\n[[permits]]\npurpose = "work"\nstart = "2020-02-30"\n', "2020-02-30"),
        ('id = "x"\n[[permit]]\npurpose = "work"\n', "Did you mean 'permits'"),
        (
            'id = "x"\n[relationship]\ncohabitation_start = 2020-01-01\n[[notifications]]\n'
            'by = "sponsor"\nreceived = 2019-01-01\n',
            "notifications[0]",
        ),
        ("id = \n", "invalid TOML"),
    ],
)
def test_bad_case_files(tmp_path, content, expect):
    f = tmp_path / "case.toml"
    f.write_text(content)
    r = CliRunner().invoke(main, ["assess", str(f), "--as-of", "2025-01-01"])
    assert r.exit_code == 1
    assert expect in r.output and "case.toml" in r.output and "Traceback" not in r.output


def test_usage_error_exit_2():
    r = CliRunner().invoke(main, ["assess"])
    assert r.exit_code == 2


def test_bad_as_of_is_usage_error():
    r = CliRunner().invoke(main, ["assess", "x.toml", "--as-of", "2025-13-01"])
    assert r.exit_code == 2 and "YYYY-MM-DD" in r.output


def test_assess_does_not_import_pandas_or_matplotlib():
    code = (
        "import sys; import timeline.cli as cli; from click.testing import CliRunner; "
        f"CliRunner().invoke(cli.main, ['assess', r'{EXAMPLES[0]}']); "
        "print(sorted(m for m in ('pandas', 'matplotlib', 'numpy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_every_command_has_help():
    for name, cmd in main.commands.items():
        assert cmd.help, f"command {name} has no help text"


# The console command `timeline` (cli.run) in a real process: SHORT_COMMANDS end with
# os._exit, so what they print must still arrive whole, and exit codes must survive.
TIMELINE = [str(Path(sys.executable).with_name("timeline"))]


def _process(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*TIMELINE, *args], capture_output=True, text=True, timeout=120)


def test_console_assess_prints_everything_through_a_pipe():
    done = _process("assess", str(EXAMPLES[0]), "--format", "json")
    in_process = CliRunner().invoke(main, ["assess", str(EXAMPLES[0]), "--format", "json"])
    assert done.returncode == 0, done.stderr
    assert done.stdout == in_process.output  # flushed before os._exit, all of it
    assert done.stderr == ""


def test_console_chart_writes_the_file_and_says_so(tmp_path):
    out = tmp_path / "t.png"
    done = _process("chart", str(EXAMPLES[0]), "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert f"Wrote {out}" in done.stdout + done.stderr
    assert out.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["assess", "missing.toml"], 1),  # a short command, bad input
        (["assess"], 2),  # a short command, usage error
        (["options", "--bogus"], 2),  # a command that exits the normal way
        (["options"], 0),
    ],
)
def test_console_exit_codes(args, code):
    done = _process(*args)
    assert done.returncode == code, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    if code:
        assert done.stderr.strip(), "an error needs a message"
