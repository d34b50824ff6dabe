"""Modules by job (issue 15): no module reaches into another's private names, the faces'
functions stay short enough to hold in one's head, and the packages' public names survive
the import of their submodules."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest

import timeline

PACKAGE = Path(timeline.__file__).resolve().parent
#: The faces split by job (chart, scenarios, report, text and JSON), their helpers, the case generator,
#: and batch (split by job too: codes, columns, validation, parsing, rules, frames, assess).
FACES = [
    "chart",
    "scenarios",
    "report",
    "presentation.py",
    "fonts.py",
    "outputs.py",
    "png.py",
    "synth.py",
    "batch",
    "web",
]
#: Lines of code in one function, its docstring not counted (STYLE: "over about 60 lines is two functions").
MAX_FUNCTION_LINES = 60


def _sources(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        out += sorted(p.rglob("*.py")) if p.is_dir() else [p]
    return out


def private_imports(source: str) -> list[str]:
    """``from X import _name`` in ``source`` (dunder names such as ``__version__`` are public)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            if node.level == 0 and not module.startswith("timeline"):
                continue  # another library's business
            found += [
                f"{module}.{a.name}" for a in node.names if a.name.startswith("_") and not a.name.startswith("__")
            ]
    return found


def long_functions(source: str, limit: int) -> list[str]:
    """Functions of ``source`` with more than ``limit`` lines, their docstring not counted."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            lines = node.end_lineno - node.lineno + 1  # type: ignore[operator]
            first = node.body[0]
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                lines -= first.end_lineno - first.lineno + 1  # type: ignore[operator]
            if lines > limit:
                found.append(f"{node.name} ({lines} lines)")
    return found


def test_no_module_imports_another_modules_private_names() -> None:
    offenders = {
        str(p.relative_to(PACKAGE)): names
        for p in _sources([PACKAGE])
        if (names := private_imports(p.read_text(encoding="utf-8")))
    }
    assert offenders == {}


def test_the_check_finds_a_private_import() -> None:
    assert private_imports("from .chart.labels import _Item, place_labels\nfrom . import __version__\n") == [
        ".chart.labels._Item"
    ]
    assert private_imports("from matplotlib.font_manager import _private\n") == []


def test_face_functions_are_short() -> None:
    offenders = {
        str(p.relative_to(PACKAGE)): names
        for p in _sources([PACKAGE / f for f in FACES])
        if (names := long_functions(p.read_text(encoding="utf-8"), MAX_FUNCTION_LINES))
    }
    assert offenders == {}


def test_the_length_check_counts_code_not_docstrings() -> None:
    body = "".join(f"    x{i} = {i}\n" for i in range(MAX_FUNCTION_LINES - 1))  # with the def line: the limit
    doc = '    """A docstring\n\n    of three lines."""\n'
    assert long_functions(f"def f():\n{doc}{body}", MAX_FUNCTION_LINES) == []
    assert long_functions(f"def f():\n{doc}{body}    return 1\n", MAX_FUNCTION_LINES) == [
        f"f ({MAX_FUNCTION_LINES + 1} lines)"
    ]


@pytest.mark.parametrize(
    ("package", "names"),
    [
        ("timeline.chart", ["chart", "chart_spec", "render", "save", "check_output", "size_error", "measurer"]),
        ("timeline.scenarios", ["scenarios", "parse_path", "parse_vary", "load_scenarios", "comparison_text"]),
        ("timeline.report", ["write_report", "report_content", "report_lines", "report_pdf"]),
        ("timeline.batch", ["assess_table", "empty_frame", "typed_frame", "frame_like", "row_from_assessment"]),
    ],
)
def test_public_names_survive_importing_every_submodule(package: str, names: list[str]) -> None:
    """A submodule named like a function would replace it on the package once imported."""
    pkg = importlib.import_module(package)
    for info in pkgutil.iter_modules(pkg.__path__):
        importlib.import_module(f"{package}.{info.name}")
    for name in names:
        assert callable(getattr(pkg, name)), f"{package}.{name} is {getattr(pkg, name)!r}"
