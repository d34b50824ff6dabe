"""No reference leaves the repository: a user who clones it has nothing beside it.

The rules reference is ``docs/rules.md``. Files a user gets (README, changelog, docs,
notebooks, examples, the package with its data) and everything the command line prints
(help, ``timeline options``, ``assess``, ``deadlines``, the report's and chart's texts) may
name rule IDs and that reference, but never a file outside the repository: no ``../``
path that leaves it, no research material (``shared/domain``, ``sources/00N``,
``STYLE.md``, ``peers.md``), no bare ``rules.md`` (which one?), and no relative link,
Markdown or HTML, to a file (or heading) that does not exist in the repository.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner

import timeline
from timeline.chart import chart_spec
from timeline.cli import main
from timeline.report import report_lines

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))

#: What a user gets: whole folders and single files, relative to the repository.
SHIPPED = ("README.md", "CHANGELOG.md", "pyproject.toml", "cli.py", "docs", "notebooks", "examples", "timeline")
SKIP_PARTS = {"__pycache__", ".ipynb_checkpoints"}
#: Files whose Markdown/HTML links are checked (elsewhere ``a[i](x)`` is code, not a link).
LINKED = {".md", ".ipynb", ".html", ".txt", ".rst", ".toml"}

#: Research material beside the repository, and the unqualified name of the brief.
OUTSIDE = re.compile(r"shared/domain|\.\./shared|sources/0\d|STYLE\.md|peers\.md|(?<![\w/.-])rules\.md")
UP = re.compile(r"(?:\.\./)+[^\s)\]\"'`<>,;]*")
MD_LINK = re.compile(r"!?\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REF_LINK = re.compile(r"^ {0,3}\[[^\]\n]+\]:\s*<?(\S+?)>?(?:\s|$)", re.M)
HTML_LINK = re.compile(r"\b(?:href|src)\s*=\s*[\"']([^\"']+)[\"']", re.I)
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def shipped_files() -> list[Path]:
    files = []
    for name in SHIPPED:
        path = ROOT / name
        candidates = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        files += [p for p in candidates if not SKIP_PARTS & set(p.relative_to(ROOT).parts)]
    return files


def is_text(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\0" not in data


def notebook_text(path: Path) -> str:
    """The sources and text outputs of a notebook's cells (not its base64 pictures)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    parts = []
    for cell in nb["cells"]:
        parts.append("".join(cell.get("source", "")))
        for out in cell.get("outputs", []):
            parts.append("".join(out.get("text", "")))
            for kind, value in out.get("data", {}).items():
                if kind.startswith("text/") or kind.endswith("json"):
                    parts.append(value if isinstance(value, str) else json.dumps(value))
    return "\n".join(parts)


def slug(heading: str) -> str:
    """GitHub's anchor for a Markdown heading: lower case, punctuation dropped, spaces to dashes."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading).strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


@cache
def anchors(path: Path) -> frozenset[str]:
    """The heading anchors of a Markdown file (headings in code fences do not count)."""
    seen: dict[str, int] = {}
    out = set()
    fenced = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if re.match(r"^ {0,3}(```|~~~)", line):
            fenced = not fenced
        m = None if fenced else re.match(r"^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$", line)
        if m:
            base = slug(m.group(1))
            n = seen.get(base, 0)
            seen[base] = n + 1
            out.add(base if n == 0 else f"{base}-{n}")
        out.update(re.findall(r"<a\s+(?:name|id)=[\"']([^\"']+)[\"']", line))
    return frozenset(out)


def link_problem(target: str, base: Path) -> str | None:
    """Why a link target written in a file in ``base`` does not stay in the repository (None: it does)."""
    if SCHEME.match(target) or target.startswith("//"):
        return None  # a URL (https:, mailto:); not a file of the clone
    path_part, _, anchor = target.partition("#")
    path_part = path_part.split("?", 1)[0]
    if path_part.startswith("/"):
        return "an absolute path"
    dest = (base / path_part).resolve() if path_part else None
    if dest is not None:
        if not dest.is_relative_to(ROOT):
            return "outside the repository"
        if not dest.exists():
            return "no such file in the repository"
    md = dest if dest is not None else None
    if anchor and md is not None and md.suffix == ".md" and anchor not in anchors(md):
        return f"no heading #{anchor} in {md.relative_to(ROOT).as_posix()}"
    return None


def problems_in(text: str, base: Path | None, links: bool, own: Path | None = None) -> list[str]:
    """Every reference in ``text`` that leaves the repository.

    ``base`` is the folder relative links are resolved from; None for command output,
    where any ``../`` and any relative link is a problem (output has no location).
    Without ``links`` (code), only Markdown links to a ``.md`` file count as links (a
    generator's template); ``a[i](x)`` is a call.
    """
    found = []
    rest = text
    if links:
        targets = MD_LINK.findall(text) + REF_LINK.findall(text) + HTML_LINK.findall(text)
    else:
        targets = [t for t in MD_LINK.findall(text) if re.search(r"\.md(#|$)", t)]
    if targets:
        for target in targets:
            if base is None:
                why = None if SCHEME.match(target) else "a relative link in command output"
            elif target.startswith("#") and own is not None and own.suffix == ".md":
                why = None if target[1:] in anchors(own) else f"no heading {target}"
            elif target.startswith("#"):
                why = None
            else:
                why = link_problem(target, base)
            if why:
                found.append(f"link {target!r}: {why}")
        # The targets are judged; the words around them are checked below.
        rest = MD_LINK.sub(" ", REF_LINK.sub(" ", HTML_LINK.sub(" ", text))) if links else text
        for target in targets:
            rest = rest.replace(f"]({target})", "]()")
    for m in UP.finditer(rest):
        if base is None:
            found.append(f"{m.group(0)!r}: a path outside the repository")
        else:
            dest = (base / m.group(0)).resolve()
            if not dest.is_relative_to(ROOT) or not dest.exists():
                found.append(f"{m.group(0)!r}: not a file in the repository")
    for m in OUTSIDE.finditer(rest):
        line = rest[: m.start()].count("\n") + 1
        found.append(f"line {line}: {m.group(0)!r} (outside the repository; name docs/rules.md or the rule ID)")
    return found


# --------------------------------------------------------------------------- files


FILES = shipped_files()


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_shipped_file_refers_only_to_the_repository(path):
    data = path.read_bytes()
    if path.suffix == ".ipynb":
        found = problems_in(notebook_text(path), path.parent, links=True)
    elif is_text(data):
        text = data.decode("utf-8")
        found = problems_in(text, path.parent, links=path.suffix in LINKED, own=path)
    else:
        # A picture, a font: only the long names could occur there, never by chance.
        text = data.decode("latin-1")
        found = [m for m in ("shared/domain", "sources/00", "STYLE.md", "peers.md") if m in text]
    assert not found, f"{path.relative_to(ROOT)}: " + "; ".join(found)


def test_the_files_checked_include_the_package_data_and_the_rules_reference():
    names = {p.relative_to(ROOT).as_posix() for p in FILES}
    assert {"README.md", "CHANGELOG.md", "docs/cli.md", "timeline/styles/timeline.mplstyle"} <= names
    assert {"timeline/rules/equated_days.csv", "notebooks/rules-walkthrough.ipynb"} <= names
    assert {f"examples/{p.name}" for p in EXAMPLES} <= names


def test_readme_points_to_the_rules_reference_inside_the_repository():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "](docs/rules.md" in readme


# --------------------------------------------------------------------------- the checker itself


def test_the_checker_catches_what_leaves_the_repository():
    docs = ROOT / "docs"
    assert problems_in("see [rules](../shared/domain/rules.md)", ROOT, links=True)
    assert problems_in("see [cli](cli.md)", ROOT, links=True)  # README is at the top: no ./cli.md
    assert not problems_in("see [cli](cli.md)", docs, links=True)
    assert not problems_in("see [README](../README.md)", docs, links=True)
    assert problems_in("see [x](../../x.md)", docs, links=True)
    assert not problems_in("[law](https://wetten.overheid.nl/BWBR0011823)", ROOT, links=True)
    assert problems_in("# the example of sources/001", ROOT, links=False)
    assert problems_in("rules.md DC-1", ROOT, links=False)
    assert not problems_in("docs/rules.md DC-1", ROOT, links=False)
    assert problems_in("(STYLE.md section 6)", ROOT, links=False)
    assert problems_in("Options (rules.md OQ-*) not at their default", None, links=True)
    assert problems_in("read ../shared/x", None, links=False)
    assert problems_in('<a href="../elsewhere.html">x</a>', ROOT, links=True)
    assert problems_in("[gone](docs/no-such-file.md)", ROOT, links=True)
    assert problems_in("[cli](docs/cli.md#no-such-heading)", ROOT, links=True)
    assert not problems_in("[cli](docs/cli.md#timeline-options)", ROOT, links=True)
    assert not problems_in("x = funcs[k](arg)", ROOT, links=False)  # code, not a link
    assert not problems_in('HEADER = "(DC-1 in the [rules reference](rules.md))"', docs, links=False)
    assert problems_in('HEADER = "(DC-1 in the [rules reference](rules.md))"', ROOT, links=False)
    assert slug("R2.2 Reporting deadline") == "r22-reporting-deadline"
    assert slug("`timeline options`") == "timeline-options"


# --------------------------------------------------------------------------- command output


def invoke(*args: str) -> str:
    r = CliRunner().invoke(main, list(args))
    assert r.exit_code == 0, f"timeline {' '.join(args)} failed: {r.output}"
    return r.output


def command_outputs() -> dict[str, str]:
    outputs = {"--help": invoke("--help")}
    for name in main.commands:
        outputs[f"{name} --help"] = invoke(name, "--help")
    for lang in ("en", "nl"):
        outputs[f"options --lang {lang}"] = invoke("options", "--lang", lang)
        for path in EXAMPLES:
            for fmt in ("text", "json"):
                for command in ("assess", "deadlines"):
                    args = (command, str(path), "--format", fmt, "--lang", lang)
                    outputs[" ".join(args)] = invoke(*args)
    sample = str(ROOT / "examples" / "separation-reported-early.toml")
    outputs["deadlines -o -"] = invoke("deadlines", sample, "-o", "-", "--all")
    outputs["scenarios"] = invoke("scenarios", sample, "--vary", "relationship.separated=2025-07-01,2025-09-20")
    return outputs


def test_command_output_refers_only_to_the_repository():
    outputs = command_outputs()
    assert len(outputs) >= 1 + len(main.commands) + 2 + 8 * len(EXAMPLES)
    bad = {cmd: found for cmd, out in outputs.items() if (found := problems_in(out, None, links=True))}
    assert not bad, "\n".join(f"timeline {cmd}: {'; '.join(found)}" for cmd, found in sorted(bad.items()))


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_report_and_chart_texts_refer_only_to_the_repository(lang):
    """Every line of the client report, and every text of the chart (title, labels, footer)."""
    bad = []
    for path in EXAMPLES:
        case = timeline.load_case(path)
        a = timeline.assess(case, case.as_of)
        texts = report_lines(a, case, lang=lang, source_bytes=path.read_bytes())
        texts.append(repr(chart_spec(a, case, lang=lang, footer_note="note")))
        bad += [f"{path.name}: {p}" for p in problems_in("\n".join(texts), None, links=True)]
    assert not bad, "\n".join(bad)


def test_every_explanation_has_the_public_url_of_its_rule():
    for path in EXAMPLES:
        data = json.loads(invoke("assess", str(path), "--format", "json"))
        for e in data["explanations"]:
            assert e.get("url", "").startswith("https://"), f"{path.name}: {e['rule']} has no url"
