"""Tests for timeline.report: the client PDF and its texts (issue 12).

Page 1 answers now, next and when; every action still ahead is listed; the explanations
are grouped by topic, each once, plain words before the legal basis and that basis a link;
the assumptions are plain words; body text is at least 9 pt; the English and the Dutch
report have the same sections and the same content; the PDF's metadata are fixed by the
case, so two runs give the same bytes.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

import timeline.cli as cli
from timeline import CaseError, __version__, assess, case_from_dict, load_case
from timeline.chart import ChartError
from timeline.chart.focus import focus_window
from timeline.citations import CITATIONS, RULES_VERSION
from timeline.i18n import lookup
from timeline.now_next import now_and_next
from timeline.options import OPTIONS
from timeline.report import SIZES_PT, report_content, report_lines, write_report
from timeline.report.explain import TOPIC_OF

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "separation-reported-early.toml"
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))
LANGS = ("en", "nl")


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def _font_sizes(pdf: bytes) -> set[float]:
    """Every font size set in the PDF's page content (the ``Tf`` operator), streams inflated."""
    sizes: set[float] = set()
    for raw in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            data = zlib.decompress(raw)
        except zlib.error:
            continue  # an image or a font file
        sizes |= {float(s) for s in re.findall(rb"/F\d+\s+([\d.]+)\s+Tf", data)}
    return sizes


@pytest.fixture(scope="module")
def example():
    case = load_case(EXAMPLE)
    return case, assess(case), EXAMPLE.read_bytes()


def test_pdf_is_a4_portrait_deterministic_with_metadata(tmp_path: Path, example) -> None:
    case, a, source = example
    out = write_report(a, case, tmp_path / "report.pdf", source_bytes=source)
    pdf = out.read_bytes()
    assert pdf.startswith(b"%PDF")
    assert _pages(pdf) >= 2
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert {(round(float(w)), round(float(h))) for w, h in boxes} == {(595, 842)}  # A4 portrait in points
    again = write_report(a, case, tmp_path / "again.pdf", source_bytes=source).read_bytes()
    assert again == pdf
    # Title, subject, language; the creation date is the as-of date, not the time of the run.
    assert b"/Title (Residence timeline report: separation-reported-early)" in pdf
    assert re.search(rb"/Subject \(Residence timeline of separation-reported-early as of 23 November 2025", pdf)
    assert b"/Lang (en)" in pdf
    assert b"/CreationDate (D:20251123000000Z)" in pdf
    # Selectable text: the font is embedded with a map back to Unicode.
    assert b"/FontFile2" in pdf and b"/ToUnicode" in pdf


def test_dutch_pdf_says_its_language_and_a_later_as_of_changes_the_date(tmp_path: Path, example) -> None:
    case, _, source = example
    a = assess(case, date(2026, 2, 1))
    pdf = write_report(a, case, tmp_path / "r.pdf", lang="nl", source_bytes=source).read_bytes()
    assert b"/Lang (nl)" in pdf and b"/CreationDate (D:20260201000000Z)" in pdf


def test_body_text_is_at_least_9_pt(tmp_path: Path, example) -> None:
    case, a, source = example
    assert min(SIZES_PT) >= 9
    for lang in LANGS:
        pdf = write_report(a, case, tmp_path / f"r-{lang}.pdf", lang=lang, source_bytes=source).read_bytes()
        sizes = _font_sizes(pdf)
        assert sizes and min(sizes) >= 9, sorted(sizes)


def test_each_legal_basis_is_a_link_to_its_public_source(tmp_path: Path, example) -> None:
    case, a, source = example
    content = report_content(a, case, source_bytes=source)
    pdf = write_report(a, case, tmp_path / "r.pdf", source_bytes=source).read_bytes()
    links = set(re.findall(rb"/URI \(([^)]*)\)", pdf))
    urls = {item.url for t in content.topics for item in t.items if item.url}
    urls |= {r.url for r in content.ahead if r.url}
    assert urls and {u.encode() for u in urls} <= links


def test_lines_carry_sha256_versions_now_next_and_key_dates(example) -> None:
    case, a, source = example
    lines = report_lines(a, case, source_bytes=source, pages=3)
    sha = hashlib.sha256(source).hexdigest()
    footers = [line for line in lines if sha in line]
    assert len(footers) == 3  # one per page
    assert all(f"timeline {__version__}" in f and f"rules {RULES_VERSION}" in f for f in footers)
    assert footers[-1].endswith("page 3 of 3")
    text = "\n".join(lines)
    assert (
        "You have a residence permit: work permit applied for on 1 October 2025, valid through 30 September 2030."
        in text
    )
    assert "Residence gap (withdrawal) | 1 July 2025 to 1 October 2025 (last day 30 September 2025)" in text
    assert "Reporting the end of the relationship (4 weeks) | Tuesday 29 July 2025 | on time" in text
    assert "Objection deadline: withdrawal of 1 September 2025 | Monday 29 September 2025 | expired" in text
    assert "Permanent residence: from 1 October 2030, in 4 years 10 months 8 days." in text
    assert "End dates are the first day without validity" in text
    # Plain words first, then the legal basis.
    i = lines.index(next(line for line in lines if "is treated as withdrawn from 1 July 2025" in line))
    assert lines[i + 1].startswith("Legal basis: Vw 19 with 18(1)(f); ECLI:NL:RBDHA:2020:12568 (rule R3.1:")


def test_every_action_ahead_is_listed_soonest_first(example) -> None:
    case, a, _ = example
    content = report_content(a, case)
    nn = now_and_next(case, a)
    assert len(content.ahead) == len(nn.ahead) > 0
    days = [u.days_left for u in nn.ahead]
    assert days == sorted(days)
    for row, u in zip(content.ahead, nn.ahead, strict=True):
        assert row.cells[4] == u.action.rule and row.url == CITATIONS[u.action.rule].url
        assert row.cells[1] in (f"{u.days_left} days", "1 day", "today")


def _report_text(path: Path, lang: str) -> tuple[str, object]:
    case = load_case(path)
    a = assess(case)
    return "\n".join(report_lines(a, case, lang=lang, source_bytes=path.read_bytes())), report_content(
        a, case, lang=lang
    )


#: A count of exactly one followed by a plural word, in either language.
WRONG_PLURAL = re.compile(r"(?<![\d.,])1 (days|dagen|years|jaren|months|maanden|weeks|weken)\b")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_no_code_in_the_words(path: Path, lang: str) -> None:
    """No option identifiers, record paths, "rules.md" or commands to run; plurals right;
    every heading once."""
    text, content = _report_text(path, lang)
    for key in OPTIONS:
        assert key not in text
    assert not re.search(r"\b(permits|applications|notifications|absences)\[\d+\]", text)
    assert "rules.md" not in text and "timeline assess" not in text and "OQ-" not in text
    assert not WRONG_PLURAL.search(text), WRONG_PLURAL.search(text)
    headings = [h for _, h, _ in content.sections()]
    assert len(headings) == len(set(headings))


@pytest.mark.parametrize("path", [*EXAMPLES, None], ids=lambda p: p.stem if p else "long")
def test_english_and_dutch_reports_have_the_same_sections_and_content(path: Path | None) -> None:
    case = load_case(path) if path else _long_case()
    a = assess(case)
    en, nl = (report_content(a, case, lang=lang) for lang in LANGS)
    assert [(k, len(lines)) for k, _, lines in en.sections()] == [(k, len(lines)) for k, _, lines in nl.sections()]
    assert [[i.rule for i in t.items] for t in en.topics] == [[i.rule for i in t.items] for t in nl.topics]
    assert [r.url for r in en.ahead] == [r.url for r in nl.ahead]
    assert len(en.assumptions) == len(nl.assumptions)


def test_explanations_each_once_under_one_heading_per_topic(example) -> None:
    case, a, _ = example
    content = report_content(a, case)
    rules = [item.rule for t in content.topics for item in t.items]
    assert len(rules) == len(set(rules))  # a rule under one topic, its texts together
    for t in content.topics:
        for item in t.items:
            assert len(item.texts) == len(set(item.texts)) > 0
            assert TOPIC_OF[item.rule] == t.key
    assert {"DC-6", "R2.2", "R3.1", "R5.1"} <= set(rules)


def test_every_rule_has_a_topic_and_every_option_value_a_sentence() -> None:
    assert set(CITATIONS) <= set(TOPIC_OF)
    for lang in LANGS:
        for key, option in OPTIONS.items():
            for value in option.choices:
                sentence = lookup("assumption", f"{key}={value}", lang)
                assert sentence.endswith(".") and key not in sentence


def test_assumptions_in_plain_words_and_a_changed_one_marked() -> None:
    case = load_case(EXAMPLE)
    a = assess(case, options={"withdrawal_effective": "decision"})
    en = report_content(a, case)
    assert any(
        s.startswith("After the relationship ends, the partner permit ends only on the date of the IND's")
        and s.endswith("(Chosen for this case; the tool's default is different.)")
        for s in en.assumptions
    )
    nl = "\n".join(report_lines(a, case, lang="nl", source_bytes=b"x", pages=2))
    assert "pas op de datum van het intrekkingsbesluit" in nl and "(Voor deze zaak gekozen" in nl
    assert "Belangrijke datums" in nl and "Verblijfsgat" in nl and "pagina 2 van 2" in nl
    assert report_content(a, case, lang="nl").sha256 is None


LONG_DESCRIPTION = "A long description. " * 60 + "https://example.org/" + "a" * 300


def _long_case(description: str = LONG_DESCRIPTION):
    return case_from_dict(
        {
            "id": "x" * 40,
            "as_of": "2026-01-01",
            "description": description,
            "person": {"turkish_national": True},
            "sponsor": {"status": "eu-citizen"},
            "relationship": {"kind": "marriage", "married": "2015-01-01", "separated": "2025-06-01"},
            "permits": [
                {"purpose": "partner", "start": f"{2015 + k}-01-01", "end": f"{2016 + k}-01-01"}
                for k in range(0, 10, 2)
            ],
            "notifications": [{"by": "sponsor", "received": "2025-08-01"}],
            "applications": [
                {
                    "kind": "extension",
                    "purpose": "partner",
                    "received": f"{2016 + k}-03-01",
                    "outcome": "refused",
                    "decided": f"{2016 + k}-06-01",
                }
                for k in range(0, 8, 2)
            ],
        }
    )


def test_a_long_case_flows_over_pages_and_keeps_every_explanation(tmp_path: Path) -> None:
    """Nothing is cut: a long description and many explanations run on to further pages."""
    case = _long_case()
    a = assess(case)
    content = report_content(a, case, source_bytes=b"case")
    pdf = write_report(a, case, tmp_path / "long-report.pdf", source_bytes=b"case").read_bytes()
    assert _pages(pdf) >= 3
    assert content.description == LONG_DESCRIPTION.strip()
    said = {t for topic in content.topics for item in topic.items for t in item.texts}
    assert len(said) >= len({e.key for e in a.explanations})


def test_write_report_bad_path_and_as_of(tmp_path: Path, example) -> None:
    case, a, _ = example
    with pytest.raises(ChartError, match=r"use \.pdf"):
        write_report(a, case, tmp_path / "r.png")
    with pytest.raises(ChartError, match="does not exist"):
        write_report(a, case, tmp_path / "no" / "r.pdf")
    with pytest.raises(CaseError, match="before the first event"):  # refused by assess for every output
        write_report(assess(case, date(2000, 1, 1)), case, tmp_path / "r.pdf")
    assert not (tmp_path / "r.pdf").exists()


def test_cli_report(tmp_path: Path) -> None:
    out = tmp_path / "rapport.pdf"
    result = CliRunner().invoke(cli.main, ["report", str(EXAMPLE), "-o", str(out), "--lang", "nl"])
    assert result.exit_code == 0, result.output
    assert _pages(out.read_bytes()) >= 2
    bad = CliRunner().invoke(cli.main, ["report", str(EXAMPLE), "-o", str(tmp_path / "r.docx")])
    assert bad.exit_code == 1
    assert "use .pdf" in bad.output and "Traceback" not in bad.output
    early = CliRunner().invoke(cli.main, ["report", str(EXAMPLE), "-o", str(out), "--as-of", "2001-01-01"])
    assert early.exit_code == 1 and "before the first event" in early.output


def test_a_gap_from_a_withdrawal_not_yet_decided_is_marked_expected() -> None:
    """Separated 13 days ago, not reported, no IND decision: the reporting deadline is ahead for
    both, and the gap is what to expect if the IND withdraws the permit, not a fact."""
    case = case_from_dict(
        {
            "id": "deadline-ahead",
            "as_of": "2025-11-23",
            "sponsor": {"status": "dutch"},
            "relationship": {"kind": "marriage", "married": "2020-06-15", "separated": "2025-11-10"},
            "permits": [{"purpose": "partner", "start": "2021-03-11", "end": "2026-03-11"}],
        }
    )
    a = assess(case)
    for lang, words in (
        ("en", "expected, if the IND withdraws the permit from 10 November 2025"),
        ("nl", "verwacht, als de IND de vergunning intrekt per 10 november 2025"),
    ):
        content = report_content(a, case, lang=lang)
        assert [r.cells[4] for r in content.ahead] == ["R2.2", "R2.2"]
        assert {r.cells[1] for r in content.ahead} == {"15 days" if lang == "en" else "15 dagen"}
        gap = content.key_dates[0].cells
        assert words in gap[2], gap
    decided = case._replace(permits=(case.permits[0]._replace(withdrawal_decided=date(2025, 11, 20)),))
    gap = report_content(assess(decided), decided).key_dates[0].cells
    assert "expected" not in gap[2]


def test_the_domestic_violence_pdfs_have_the_same_headings_in_both_languages(tmp_path: Path) -> None:
    """The English report of domestic-violence once dropped an explanation the Dutch one kept:
    now both PDFs have the same bookmarks (one per heading) and the same links."""
    path = ROOT / "examples" / "domestic-violence.toml"
    case = load_case(path)
    a = assess(case)
    pdfs = {lang: write_report(a, case, tmp_path / f"{lang}.pdf", lang=lang).read_bytes() for lang in LANGS}
    titles = {lang: len(re.findall(rb"/Title [(<]", pdf)) for lang, pdf in pdfs.items()}  # the outline and the info
    content = report_content(a, case)
    close_up = focus_window(a) is not None  # the close-up of the gap has a heading of its own
    assert titles["en"] == titles["nl"] == len(content.sections()) + 1 + close_up
    links = {lang: sorted(re.findall(rb"/URI \(([^)]*)\)", pdf)) for lang, pdf in pdfs.items()}
    assert links["en"] == links["nl"] and len(links["en"]) >= 10
    assert "R8.2" in [item.rule for t in content.topics for item in t.items]
