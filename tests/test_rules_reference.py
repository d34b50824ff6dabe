"""docs/rules.md, the project's own rules reference, stays complete and self-contained.

- Every rule ID the project cites (code, docstrings and tables in ``timeline/``, the
  command line, README, changelog, docs, examples, notebooks) and every key of
  ``timeline.citations.CITATIONS`` has an entry: a heading that starts with the ID.
- Every citation's URL appears in that rule's entry.
- No link leaves the repository except an absolute https URL; every relative link and
  every anchor resolves; no reference to research files that a clone does not have.
- Every option of ``timeline.options.OPTIONS`` is described under its open question
  with its choices and its default, and listed in the options table with that default.
- The table of contents lists every entry.

The checks are functions of the document's text, so ``test_each_check_can_fail`` can
show that each of them fails on a damaged copy.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from timeline.citations import CITATIONS
from timeline.options import OPTIONS

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "rules.md"

RULE_ID = re.compile(r"\b(DC-\d+|R\d+\.\d+|OQ-\d+[a-z]?)\b")
HEADING = re.compile(r"^(#{1,6}) +(.+?) *$", re.M)
FENCE = re.compile(r"^```.*?^```", re.M | re.S)
#: Inline links and images ``[text](target)``, autolinks ``<scheme:...>``, reference
#: definitions ``[label]: target``, HTML ``href``/``src``, and bare URLs.
LINK_PATTERNS = (
    re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)"),
    re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]*:[^>\s]+)>"),
    re.compile(r"^\s*\[[^\]]+\]:\s*<?(\S+?)>?\s*$", re.M),
    re.compile(r"""(?:href|src)\s*=\s*["']([^"']+)["']"""),
    re.compile(r"(?<![(<\w])((?:https?|ftp|file)://[^\s)>\]]+)"),
)
#: Research material beside the repository that a clone does not have.
OUTSIDE = ("../shared", "shared/domain", "sources/0", "STYLE.md", "peers.md")


def slug(title: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", title.strip().lower()).replace(" ", "-")


def headings(text: str) -> list[tuple[int, str]]:
    """(level, title) of every heading outside code blocks."""
    return [(len(m[1]), m[2]) for m in HEADING.finditer(FENCE.sub("", text))]


def entries(text: str) -> dict[str, str]:
    """Rule ID -> its entry: the heading that starts with the ID and the text up to the
    next heading of the same or a higher level."""
    body = FENCE.sub(lambda m: m[0].replace("#", "\0"), text)  # keep offsets, hide # in code
    found = list(HEADING.finditer(body))
    out: dict[str, str] = {}
    for i, m in enumerate(found):
        first = m[2].split()[0]
        if not RULE_ID.fullmatch(first):
            continue
        level = len(m[1])
        end = next((n.start() for n in found[i + 1 :] if len(n[1]) <= level), len(text))
        out[first] = text[m.start() : end]
    return out


def cited_ids() -> dict[str, set[str]]:
    """Rule ID -> the files (relative to the root) that cite it."""
    files = [p for p in (ROOT / "timeline").rglob("*") if p.is_file() and p.suffix in (".py", ".csv", ".toml", ".txt")]
    files += [ROOT / "cli.py", ROOT / "README.md", ROOT / "CHANGELOG.md", ROOT / "notebooks" / "build.py"]
    files += sorted((ROOT / "examples").glob("*.toml"))
    files += [p for p in sorted((ROOT / "docs").glob("*.md")) if p != DOC]
    out: dict[str, set[str]] = {}
    for path in files:
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        for rule in RULE_ID.findall(text):
            out.setdefault(rule, set()).add(str(path.relative_to(ROOT)))
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        for rule in RULE_ID.findall("\n".join("".join(c["source"]) for c in cells)):
            out.setdefault(rule, set()).add(str(path.relative_to(ROOT)))
    for key in CITATIONS:
        out.setdefault(key, set()).add("timeline/citations.py")
    return out


def missing_entries(text: str, cited: dict[str, set[str]]) -> list[str]:
    have = entries(text)
    return [
        f"{rule} (cited in {', '.join(sorted(where))})" for rule, where in sorted(cited.items()) if rule not in have
    ]


def citation_problems(text: str) -> list[str]:
    have = entries(text)
    problems = []
    for rule, cit in sorted(CITATIONS.items()):
        if rule not in have:
            problems.append(f"{rule}: no entry")
        elif cit.url not in have[rule]:
            problems.append(f"{rule}: the citation's URL {cit.url} is not in its entry")
    return problems


def links(text: str) -> list[str]:
    out: list[str] = []
    for pattern in LINK_PATTERNS:
        out += [m[1] for m in pattern.finditer(text)]
    return out


def link_problems(text: str, base: Path = DOC) -> list[str]:
    """Links that leave the repository (other than https), or do not resolve."""
    anchors = {slug(t) for _, t in headings(text)}
    problems = [f"refers to {word!r}, which is outside the repository" for word in OUTSIDE if word in text]
    for target in links(text):
        if target.startswith("https://"):
            continue
        if re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:", target) or target.startswith("//"):
            problems.append(f"{target}: only https links may leave the repository")
            continue
        path, _, anchor = target.partition("#")
        if not path:
            if anchor not in anchors:
                problems.append(f"{target}: no heading with that anchor")
            continue
        resolved = (base.parent / path).resolve()
        if not resolved.is_relative_to(ROOT):
            problems.append(f"{target}: points outside the repository")
        elif not resolved.exists():
            problems.append(f"{target}: no such file in the repository")
        elif anchor and resolved.suffix == ".md":
            other = {slug(t) for _, t in headings(resolved.read_text(encoding="utf-8"))}
            if anchor not in other:
                problems.append(f"{target}: no heading with that anchor in {path}")
    return problems


def option_problems(text: str) -> list[str]:
    have = entries(text)
    flat = {rule: " ".join(entry.split()) for rule, entry in have.items()}
    problems = []
    for key, opt in OPTIONS.items():
        entry = flat.get(opt.question)
        if entry is None:
            problems.append(f"{key}: no entry for {opt.question}")
            continue
        for needed in (f"`{key}`", f"default `{opt.default}`", *(f"`{c}`" for c in opt.choices)):
            if needed not in entry:
                problems.append(f"{key}: {opt.question} does not say {needed}")
        row = re.search(rf"^\| `{re.escape(key)}` \| {re.escape(opt.question)} \|(.*)\|\s*$", text, re.M)
        if row is None or row[1].split("|")[-1].strip() != f"`{opt.default}`":
            problems.append(f"{key}: not in the options table with {opt.question} and default `{opt.default}`")
    return problems


def toc_problems(text: str) -> list[str]:
    start = text.index("## Contents")
    toc_end = text.index("\n## ", start + 1)
    listed = set(re.findall(r"\]\(#([^)]+)\)", text[start:toc_end]))
    rest = headings(text[toc_end:])
    return [f"{title}: not in the contents" for level, title in rest if level <= 3 and slug(title) not in listed]


@pytest.fixture(scope="module")
def doc() -> str:
    return DOC.read_text(encoding="utf-8")


def test_every_cited_rule_id_has_an_entry(doc):
    cited = cited_ids()
    assert {"DC-1", "R2.2", "R5.2", "OQ-3"} <= cited.keys()  # the scan finds citations at all
    assert missing_entries(doc, cited) == []


def test_every_citation_url_is_in_its_entry(doc):
    assert citation_problems(doc) == []


def test_links_stay_in_the_repository_and_resolve(doc):
    assert len(links(doc)) > 50
    assert link_problems(doc) == []


def test_every_option_is_described_with_its_default(doc):
    assert option_problems(doc) == []


def test_open_questions_are_numbered_without_holes(doc):
    numbers = {int(m[1]) for m in re.finditer(r"^### OQ-(\d+)", doc, re.M)}
    assert numbers == set(range(1, max(numbers) + 1))


def test_contents_lists_every_entry(doc):
    assert toc_problems(doc) == []


def test_each_check_can_fail(doc):
    """A damaged copy of the reference fails each check."""
    no_heading = doc.replace("### R2.2 ", "### Reporting ", 1)
    assert any(p.startswith("R2.2 ") for p in missing_entries(no_heading, cited_ids()))
    url = CITATIONS["R8.2"].url
    assert "R8.2: the citation's URL" in " ".join(citation_problems(doc.replace(url, "https://example.org/")))
    for bad in ("[brief](../shared/domain/rules.md)", "[x](http://example.org)", "[y](nowhere.md)", "[z](#nowhere)"):
        assert link_problems(doc + f"\n{bad}\n"), bad
    default = OPTIONS["withdrawal_effective"].default
    damaged = doc.replace(f"default `{default}`", "default `separation`")
    assert any(p.startswith("withdrawal_effective:") for p in option_problems(damaged))
    assert toc_problems(doc.replace("- [R8.4 ", "- [R8.4x ", 1).replace("(#r84-", "(#r84x-", 1))
