"""The README's commands work and print what the README shows, so the quick start cannot silently break.

The fenced ``bash`` blocks of the "Quick start" and "Tour of the commands" sections are
parsed out of README.md. Each ``timeline ...`` command among them (also after ``&&``, and
as ``.venv/bin/timeline``) is run with this environment's ``timeline`` in a scratch folder
that links to ``examples/``; installing and ``pytest`` are left to CI, which runs them as
they are. A command must exit with 0. The next ``text`` block after a bash block (past
bash blocks without a ``timeline`` command, like the quick start's pytest) is what its
commands print together (stdout and stderr): each of its lines must be a line of that
output, except ``...`` (lines left out); a line ending in ``...`` must match up to there.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
TIMELINE = Path(sys.executable).with_name("timeline")
SECTIONS = ("Quick start", "Tour of the commands")


def section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## )", README, flags=re.S | re.M)
    assert match, f"README.md has no section '## {title}'"
    return match.group(1)


def blocks() -> list[tuple[list[list[str]], list[str]]]:
    """``(commands, expected lines)`` of every bash block of the sections, with the text block after it."""
    out = []
    for title in SECTIONS:
        fences = re.findall(r"```(\w*)\n(.*?)```", section(title), flags=re.S)
        for i, (lang, body) in enumerate(fences):
            if lang != "bash":
                continue
            commands = []
            for line in body.splitlines():
                for part in line.split("&&"):
                    argv = shlex.split(part)
                    if argv and argv[0] in ("timeline", ".venv/bin/timeline"):
                        commands.append([str(TIMELINE), *argv[1:]])
            if not commands:
                continue
            # The output is the next text block; bash blocks between without a timeline command
            # (the quick start's pytest) are passed over.
            expected: list[str] = []
            for next_lang, next_body in fences[i + 1 :]:
                if next_lang == "text":
                    expected = next_body.splitlines()
                    break
                if next_lang != "bash" or any(w in next_body for w in ("timeline ", "timeline\n")):
                    break
            out.append((commands, expected))
    return out


BLOCKS = blocks()


def test_the_sections_have_commands_to_run():
    names = {argv[1] for commands, _ in BLOCKS for argv in commands}
    assert all(expected for _, expected in BLOCKS), "every block of commands shows its output"
    # the quick start's output
    assert "  1 July 2025 - 1 October 2025 (last day 30 September 2025): 92 days (withdrawal)" in BLOCKS[0][1]
    expected = {"assess", "chart", "report", "deadlines", "scenarios", "synth", "batch", "summary", "table", "options"}
    assert expected <= names
    quick = section("Quick start")
    # (1) the tool alone, (2) the test extra and the suite (issue 10: a lawyer needs the tool, not the tests)
    tool = "python3 -m venv .venv && .venv/bin/pip install -q . && "
    assert f"```bash\n{tool}.venv/bin/timeline assess examples/separation-reported-early.toml\n```" in quick
    assert '```bash\n.venv/bin/pip install -q ".[test]" && .venv/bin/pytest\n```' in quick


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """A scratch folder with examples/ linked in (each block makes the files it reads)."""
    work = tmp_path_factory.mktemp("readme")
    (work / "examples").symlink_to(ROOT / "examples", target_is_directory=True)
    return work


@pytest.mark.parametrize(("commands", "expected"), BLOCKS, ids=[" && ".join(c[1] for c in cmds) for cmds, _ in BLOCKS])
def test_readme_block(commands, expected, workdir):
    output = []
    for argv in commands:
        done = subprocess.run(argv, cwd=workdir, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
        shown = " ".join(shlex.quote(a) for a in ["timeline", *argv[1:]])
        assert done.returncode == 0, f"{shown} exited with {done.returncode}:\n{done.stderr}"
        assert "Traceback" not in done.stderr
        output.append(done.stdout + done.stderr)
    printed = "\n".join(output)
    lines = printed.splitlines()
    for line in expected:
        want = line.rstrip()
        if want in ("", "..."):
            continue
        if want.endswith("..."):
            head = want[:-3].rstrip()
            assert any(head in got for got in lines), f"README shows {want!r}, the command printed:\n{printed}"
        else:
            assert want in (got.rstrip() for got in lines), f"README shows {want!r}, the command printed:\n{printed}"
