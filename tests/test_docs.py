"""The documentation cannot rot: CLI reference, example charts, links, changelog."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import click
import numpy as np
import pytest

import timeline
from timeline.chart import chart_spec, save

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))
README = (ROOT / "README.md").read_text(encoding="utf-8")


def gen_cli():
    spec = importlib.util.spec_from_file_location("gen_cli", ROOT / "docs" / "gen_cli.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --------------------------------------------------------------------------- CLI reference


def test_cli_reference_is_current():
    committed = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert committed == gen_cli().render(), "docs/cli.md is stale: run python docs/gen_cli.py"


def test_every_command_and_option_is_in_the_cli_reference():
    docs = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    sections = dict(re.findall(r"^## `timeline (\S+)`\n\n```text\n(.*?)```", docs, flags=re.S | re.M))
    commands = gen_cli().commands()
    assert {name for name, _ in commands} == set(sections)
    for name, cmd in commands:
        assert cmd.help and cmd.help.strip(), f"timeline {name} has no help text"
        for param in cmd.params:
            if isinstance(param, click.Option):
                assert param.help, f"timeline {name} {param.opts[0]} has no help text"
                for flag in param.opts + param.secondary_opts:
                    assert re.search(rf"(^|[\s,]){re.escape(flag)}\b", sections[name]), f"{name} {flag} missing"
            else:
                assert param.human_readable_name in sections[name], f"{name} {param.human_readable_name} missing"


def test_every_command_is_in_the_readme_tour():
    for name, _ in gen_cli().commands():
        assert f"timeline {name}" in README, f"the README never mentions timeline {name}"


# --------------------------------------------------------------------------- example charts


def blocks(image: np.ndarray, k: int = 8) -> np.ndarray:
    """Grey levels averaged over k x k blocks: robust to anti-aliasing, not to moved bars or labels."""
    grey = image[..., :3].mean(axis=2)
    h, w = (grey.shape[0] // k) * k, (grey.shape[1] // k) * k
    return grey[:h, :w].reshape(h // k, k, w // k, k).mean(axis=(1, 3))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_has_a_current_chart(path, tmp_path):
    """examples/NAME.png is what `timeline chart examples/NAME.toml -o examples/NAME.png` draws today.

    Not a byte comparison (PNG bytes differ between library versions): the committed and a
    fresh rendering must have the same size and differ in at most 0.4 % of 8x8 blocks. Moving
    one gap or date label changes about 1 %; re-render with the command above when it fails.
    """
    import matplotlib.image as mpimg

    png = path.with_suffix(".png")
    assert png.exists(), f"no chart for {path.name}: run timeline chart {path} -o {png}"
    case = timeline.load_case(path)
    a = timeline.assess(case, case.as_of)
    spec = chart_spec(a, case)
    assert case.id in spec.title
    fresh = save(spec, tmp_path / "fresh.png")
    old, new = mpimg.imread(png), mpimg.imread(fresh)
    assert old.shape == new.shape
    changed = (np.abs(blocks(old) - blocks(new)) > 0.05).mean()
    assert changed < 0.004, f"{png.name} is out of date ({changed:.1%} changed): run timeline chart {path} -o {png}"


def test_readme_picture_is_the_separation_example():
    import matplotlib.image as mpimg

    picture = ROOT / "docs" / "images" / "separation-reported-early.png"
    assert f"({picture.relative_to(ROOT).as_posix()})" in README
    example = mpimg.imread(ROOT / "examples" / "separation-reported-early.png")
    assert (np.abs(blocks(mpimg.imread(picture)) - blocks(example)) > 0.05).mean() < 0.004


def test_every_example_is_in_the_readme_with_its_chart():
    for path in EXAMPLES:
        assert f"examples/{path.name}" in README and f"examples/{path.stem}.png" in README, path.name


# --------------------------------------------------------------------------- links and changelog


def test_readme_links_to_files_that_exist():
    links = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", README)
    local = [link for link in links if not re.match(r"[a-z]+:", link)]
    assert {"docs/cli.md", "docs/rules.md", "CHANGELOG.md", "notebooks/rules-walkthrough.ipynb"} <= set(local)
    for link in local:
        assert (ROOT / link).exists(), f"README links to {link}, which does not exist"
    # Nothing outside the repository (tests/test_no_outside_refs.py checks every file and output).
    assert not [link for link in local if link.startswith("../")]


def test_changelog_has_unreleased_and_the_current_version():
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [Unreleased]" in text
    assert re.search(rf"^## \[{re.escape(timeline.__version__)}\] - \d{{4}}-\d{{2}}-\d{{2}}$", text, flags=re.M)
    assert "keepachangelog.com" in text
