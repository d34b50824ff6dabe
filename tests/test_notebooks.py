"""The notebooks run top to bottom on a fresh install, and the committed files are stripped.

Each notebook is executed with nbclient in a kernel of *this* interpreter (the virtual
environment that has ``timeline`` installed): a kernel spec is written to a temporary
folder at the front of ``JUPYTER_PATH``, so a ``python3`` kernel registered elsewhere on
the machine (a user's, another environment's) is never picked up. The scenario explorer
runs twice: with ipywidgets, and with ipywidgets hidden, as on a machine without them.
Executing them takes about 20 s: those tests are marked ``ci`` (``pytest --ci``, .ci/run).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
NAMES = ["scenario-explorer.ipynb", "batch-analysis.ipynb", "rules-walkthrough.ipynb"]
TIMEOUT = 120  # seconds per cell; the whole set takes about 30 s


@pytest.fixture(scope="module")
def kernel_env(tmp_path_factory):
    """Environment for the kernel: JUPYTER_PATH with a python3 spec that runs sys.executable."""
    import os

    share = tmp_path_factory.mktemp("jupyter")
    spec = share / "kernels" / "python3"
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "timeline", "language": "python"}))
    old = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = os.pathsep.join([str(share), *([old] if old else [])])
    yield share
    if old is None:
        del os.environ["JUPYTER_PATH"]
    else:
        os.environ["JUPYTER_PATH"] = old


def execute(name: str, env: dict[str, str] | None = None) -> nbformat.NotebookNode:
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=TIMEOUT,
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    client.execute(**({"env": env} if env else {}))  # raises CellExecutionError on the first failing cell
    return nb


def outputs(nb: nbformat.NotebookNode, kind: str) -> list:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if kind in o.get("data", {})]


def text_of(nb: nbformat.NotebookNode) -> str:
    parts = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            parts.append(o.get("text", "") + str(o.get("data", {}).get("text/plain", "")))
    return "\n".join(parts)


@pytest.fixture(scope="module")
def build_check() -> subprocess.CompletedProcess:
    """``build.py --check`` (it compares every notebook), run once for the module."""
    return subprocess.run([sys.executable, str(NOTEBOOKS / "build.py"), "--check"], capture_output=True, text=True)


@pytest.mark.parametrize("name", NAMES)
def test_committed_notebook_is_stripped_and_built_by_build_py(name, build_check):
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{name}: outputs not stripped"
    assert build_check.returncode == 0, build_check.stderr


@pytest.mark.ci
def test_scenario_explorer(kernel_env):
    nb = execute("scenario-explorer.ipynb")
    assert len(outputs(nb, "image/png")) >= 2  # the chart of the case, the comparison
    assert outputs(nb, "application/vnd.jupyter.widget-view+json"), "the sliders were not built"
    # What the sliders drew went into the Output widget's state: the chart, and no error.
    state = json.dumps(nb.metadata["widgets"])
    assert "image/png" in state and "traceback" not in state
    text = text_of(nb)
    assert "separation-reported-early: as of 2025-11-23, 92 days of residence gap" in text
    assert "report gives the divorce date" in text and "new application received 1 July" in text


@pytest.mark.ci
def test_scenario_explorer_without_ipywidgets(kernel_env, tmp_path):
    """On a machine without ipywidgets the notebook still runs and shows the dates on file."""
    import os

    hidden = tmp_path / "hide"
    (hidden / "ipywidgets").mkdir(parents=True)
    (hidden / "ipywidgets" / "__init__.py").write_text("raise ImportError('ipywidgets hidden by the test')\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(hidden), os.environ.get("PYTHONPATH", "")])}
    nb = execute("scenario-explorer.ipynb", env=env)
    assert not outputs(nb, "application/vnd.jupyter.widget-view+json")
    assert "ipywidgets is not installed" in text_of(nb)
    assert len(outputs(nb, "image/png")) >= 3  # the case, the dates on file, the comparison


@pytest.mark.ci
def test_batch_analysis(kernel_env):
    nb = execute("batch-analysis.ipynb")
    assert len(outputs(nb, "image/png")) == 3  # gap lengths, reporting, years per route
    assert "4,000 cases" in text_of(nb)


@pytest.mark.ci
def test_rules_walkthrough(kernel_env):
    nb = execute("rules-walkthrough.ipynb")
    text = text_of(nb)
    assert "every worked example agrees with the engine" in text
    for rule in ("R2.2", "R3.1", "R4.2", "R5.2", "R6.2", "R6.3", "R7.1", "R8.2"):
        assert f"{rule} (" in text, f"no explanation printed for {rule}"
