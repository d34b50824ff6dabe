"""Packaging (issue 10): what a user installs is the package, its data and its licence, nothing else.

``test_wheel_and_sdist`` builds the sdist and, from it, the wheel with ``python -m build``
(an isolated build: pip fetches the declared build requirements, so it needs the package
index; about 15-30 s). It is marked ``ci``: ``.ci/run`` runs it. The other tests are quick
and run everywhere.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest

import timeline
from timeline.citations import RULES_VERSION

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
NAME = "dutch-residence-timeline"
# What a build would leave in a copy of the checkout, and what is not the project's source.
NOT_SOURCE = shutil.ignore_patterns(
    ".git",
    ".venv",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    "*.pyc",
    ".pytest_cache",
    ".hypothesis",
    ".ruff_cache",
)


def package_files() -> set[str]:
    """Every file of the import package in the checkout, as a path inside the wheel."""
    return {
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "timeline").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    }


def test_metadata_declares_the_name_version_licence_and_extras() -> None:
    project = PYPROJECT["project"]
    assert project["name"] == NAME
    assert project["dynamic"] == ["version"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "timeline.__version__"}
    assert re.fullmatch(r"\d+\.\d+\.\d+", timeline.__version__)
    # The SPDX string form of `license` and `license-files` need setuptools 77 (PEP 639).
    assert project["license"] == "MIT" and project["license-files"] == ["LICENSE"]
    assert "setuptools>=77" in PYPROJECT["build-system"]["requires"]
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert (ROOT / "timeline" / "py.typed").exists()
    assert "Typing :: Typed" in project["classifiers"]
    # The core install has no table libraries; the extras name the distribution itself.
    core = " ".join(project["dependencies"])
    assert not re.search(r"\b(pandas|pyarrow|dask)\b", core)
    extras = project["optional-dependencies"]
    assert {"batch", "dask", "test"} <= set(extras)
    assert f"{NAME}[batch]" in extras["dask"]
    assert f"{NAME}[batch,dask]" in extras["test"]
    assert PYPROJECT["project"]["scripts"] == {"timeline": "timeline.cli:run"}


def test_version_prints_the_tool_and_the_rules_version(tmp_path: Path) -> None:
    """``python -m timeline --version``, run from a folder with its own cli.py (issue 10, point 2)."""
    (tmp_path / "cli.py").write_text("raise SystemExit('the wrong cli module was imported')\n")
    done = subprocess.run(
        [sys.executable, "-m", "timeline", "--version"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"timeline {timeline.__version__} (rules {RULES_VERSION})\n"


# ------------------------------------------------------------------ a command without its extra

BROKEN = "raise ImportError('{name} is broken on purpose, as if it were not installed')\n"


def run_without(modules: tuple[str, ...], args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run ``timeline ARGS`` with each of ``modules`` replaced by a package that cannot be imported."""
    fake = tmp_path / "fake"
    for name in modules:
        (fake / name).mkdir(parents=True, exist_ok=True)
        (fake / name / "__init__.py").write_text(BROKEN.format(name=name))
    return subprocess.run(
        [sys.executable, "-m", "timeline", *args],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(fake)},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("missing", "args", "extra", "command"),
    [
        (("pyarrow",), ["table", "cases.jsonl", "-o", "cases.csv"], "batch", "timeline table"),
        (("pyarrow",), ["synth", "--cases", "3", "-o", "cases.jsonl"], "batch", "timeline synth"),
        (("pandas",), ["batch", "cases.csv", "-o", "results.csv"], "batch", "timeline batch"),
        (("pandas", "pyarrow"), ["summary", "results.csv"], "batch", "timeline summary"),
        (
            ("dask",),
            ["batch", "parts", "-o", "results.csv", "--engine", "dask"],
            "dask",
            "timeline batch --engine dask",
        ),
    ],
)
def test_a_command_without_its_extra_says_which_to_install(missing, args, extra, command, tmp_path) -> None:
    done = run_without(missing, args, tmp_path)
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr  # one line, no traceback
    assert lines[0].startswith(f"Error: {command} needs the '{extra}' extra (")
    assert lines[0].endswith(f'pip install "{NAME}[{extra}]"')
    assert not list(tmp_path.glob("results.csv")) and not list(tmp_path.glob("cases.*"))


def test_synth_help_without_the_batch_extra(tmp_path: Path) -> None:
    """``timeline synth --help`` still works, and says how to get the mix keys."""
    done = run_without(("pyarrow",), ["synth", "--help"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert f'pip install "{NAME}[batch]"' in done.stdout


def test_core_commands_need_no_extra(tmp_path: Path) -> None:
    """assess, chart, report, deadlines, scenarios and options run without pandas, pyarrow or Dask."""
    example = ROOT / "examples" / "separation-reported-early.toml"
    for args in (
        ["assess", str(example)],
        ["deadlines", str(example)],
        ["scenarios", str(example), "--vary", "relationship.separated=2025-06-01,2025-09-01"],
        ["options"],
    ):
        done = run_without(("pandas", "pyarrow", "dask"), args, tmp_path)
        assert done.returncode == 0, (args, done.stderr)
        assert "Traceback" not in done.stderr


# ------------------------------------------------------------------ the built distributions


@pytest.mark.ci
def test_wheel_and_sdist(tmp_path: Path) -> None:
    """The sdist builds, the wheel builds from it, and the wheel holds exactly the package.

    Built from a copy of the checkout, so the build's own files (build/, *.egg-info) never
    land in the working tree.
    """
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCE, symlinks=True)
    out = tmp_path / "dist"
    done = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(source)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    version = timeline.__version__
    stem = f"dutch_residence_timeline-{version}"
    wheel = out / f"{stem}-py3-none-any.whl"
    sdist = out / f"{stem}.tar.gz"
    assert wheel.exists() and sdist.exists(), sorted(p.name for p in out.iterdir())

    names = set(zipfile.ZipFile(wheel).namelist())
    dist_info = f"{stem}.dist-info"
    installed = {n for n in names if not n.startswith(dist_info + "/")}
    # Every file of the package, the data included (rules CSVs, styles, py.typed, ...), and nothing else.
    assert installed == package_files()
    assert {"timeline/py.typed", "timeline/rules/equated_days.csv", "timeline/styles/timeline.mplstyle"} <= installed
    assert {n.split("/")[0] for n in installed} == {"timeline"}  # no top-level cli.py, tests, notebooks, examples
    assert f"{dist_info}/licenses/LICENSE" in names
    assert "MIT License" in zipfile.ZipFile(wheel).read(f"{dist_info}/licenses/LICENSE").decode()
    metadata = zipfile.ZipFile(wheel).read(f"{dist_info}/METADATA").decode()
    assert f"Name: {NAME}\n" in metadata and f"Version: {version}\n" in metadata
    assert "License-Expression: MIT\n" in metadata
    assert "Provides-Extra: batch\n" in metadata and 'Requires-Dist: pyarrow>=15; extra == "batch"' in metadata
    entry_points = zipfile.ZipFile(wheel).read(f"{dist_info}/entry_points.txt").decode()
    assert "timeline = timeline.cli:run" in entry_points

    # The sdist is the whole source: the wheel above was built from it, and its tests can run.
    with tarfile.open(sdist) as tar:
        members = {m.name.split("/", 1)[1] for m in tar.getmembers() if "/" in m.name}
    for path in ("LICENSE", "pyproject.toml", "README.md", "cli.py", "tests/conftest.py", "examples", "docs/cli.md"):
        assert path in members, path
    assert {f for f in package_files() if not f.endswith(".pyc")} <= members


def test_the_public_api_exports_assess_table_and_every_error() -> None:
    """``import timeline`` stays free of numpy and pandas; every name in ``__all__`` resolves,
    among them ``assess_table`` and every error class the package defines (issue 15)."""
    # tempfile too (about 12 ms): timeline.outputs, imported by the package, loads it only to write
    heavy = "('numpy', 'pandas', 'matplotlib', 'tempfile')"
    code = f"import sys, timeline; print(sorted(m for m in {heavy} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
    import importlib
    import pkgutil

    for module in pkgutil.walk_packages(timeline.__path__, "timeline."):
        if module.name not in {"timeline.__main__", "timeline.dask_engine"}:
            importlib.import_module(module.name)
    errors, todo = set(), [timeline.TimelineError]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("timeline.") and not sub.__name__.startswith("_"):
                errors.add(sub.__name__)
    assert {"ChartError", "TableError", "ScenarioError", "IcsError", "OutputError", "SynthError"} <= errors
    assert errors <= set(timeline.__all__)
    for name in timeline.__all__:
        assert getattr(timeline, name) is not None, name
    assert timeline.assess_table.__module__ == "timeline.batch.assess"
