"""Tests for timeline.report: the two-page client PDF and its texts."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import timeline.cli as cli
from timeline import CaseError, __version__, assess, case_from_dict, load_case
from timeline.chart import ChartError
from timeline.citations import RULES_VERSION
from timeline.fonts import measurer
from timeline.report import (
    A4_LANDSCAPE,
    MARGIN_IN,
    MIN_BODY_PT,
    PAGE_BOTTOM_IN,
    fit_page,
    report_content,
    report_lines,
    write_report,
)
from timeline.report.page import layout_page

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "separation-reported-early.toml"


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


@pytest.fixture(scope="module")
def example():
    case = load_case(EXAMPLE)
    return case, assess(case), EXAMPLE.read_bytes()


def test_pdf_has_two_a4_pages_and_no_timestamp(tmp_path: Path, example) -> None:
    case, a, source = example
    out = write_report(a, case, tmp_path / "report.pdf", source_bytes=source)
    pdf = out.read_bytes()
    assert pdf.startswith(b"%PDF")
    assert _pages(pdf) == 2
    assert b"CreationDate" not in pdf
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert {(round(float(w)), round(float(h))) for w, h in boxes} == {(842, 595)}  # A4 landscape in points
    again = write_report(a, case, tmp_path / "again.pdf", source_bytes=source).read_bytes()
    assert again == pdf


def test_lines_carry_sha256_versions_and_key_dates(example) -> None:
    case, a, source = example
    lines = report_lines(a, case, source_bytes=source)
    sha = hashlib.sha256(source).hexdigest()
    footers = [line for line in lines if sha in line]
    assert len(footers) == 2  # one per page
    assert all(f"timeline {__version__}" in f and f"rules {RULES_VERSION}" in f for f in footers)
    text = "\n".join(lines)
    assert "Residence gap (withdrawal) | 1 July 2025 to 1 October 2025 (last day 30 September 2025)" in text
    assert "Reporting the end of the relationship (4 weeks) | Tuesday 29 July 2025 | on time" in text
    assert "Permanent residence (national) | Tuesday 1 October 2030" in text
    assert "Objection deadline: withdrawal of 1 September 2025 | Monday 29 September 2025 | expired" in text
    assert "withdrawal_effective = reported (default)" in text
    assert "End dates are the first day without validity" in text
    # Every explanation comes with its rule and legal basis.
    assert any(line.startswith("R2.2 ") and "Vb 4.43" in line for line in lines)
    assert any(line.startswith("R3.1 ") and "ECLI:NL:RBDHA:2020:12568" in line for line in lines)


def test_dutch_report_and_changed_options() -> None:
    case = load_case(EXAMPLE)
    a = assess(case, options={"withdrawal_effective": "decision"})
    lines = report_lines(a, case, lang="nl", source_bytes=b"x")
    text = "\n".join(lines)
    assert "Belangrijke datums" in text and "Verblijfsgat" in text
    assert "withdrawal_effective = decision (gewijzigd)" in text
    assert "pagina 1 van 2" in text
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


def test_page_two_fits_even_with_much_text(tmp_path: Path) -> None:
    """Long descriptions and many explanations shrink or truncate, never run off the page."""
    case = _long_case()
    a = assess(case)
    content = report_content(a, case, source_bytes=b"case")
    measure = measurer()
    w = A4_LANDSCAPE[0]
    texts, _, _ = layout_page(content, "en", MIN_BODY_PT, len(content.explanations), measure)
    for t in texts:
        assert t.x >= MARGIN_IN - 1e-9
        assert t.x + measure(t.text, t.size, t.bold) / 72 <= w - MARGIN_IN + 0.01, t.text
    texts, _, used, shown = fit_page(content, "en", measure)
    assert used <= PAGE_BOTTOM_IN  # the body ends above the footer
    assert max(t.y + t.size * 1.32 / 72 for t in texts) <= PAGE_BOTTOM_IN + 0.01
    assert shown.key_dates == content.key_dates and shown.options == content.options
    # A description of several pages is cut with "…"; the key dates stay whole.
    huge = content.__class__(**{**content.__dict__, "description": LONG_DESCRIPTION * 6})
    _, _, used, shown = fit_page(huge, "en", measure)
    assert used <= PAGE_BOTTOM_IN
    assert shown.description.endswith("…") and 0 < len(shown.description) < len(huge.description)
    assert huge.description.startswith(shown.description[:-1])
    assert shown.key_dates == content.key_dates and shown.options == content.options
    out = write_report(a, case, tmp_path / "long-report.pdf", source_bytes=b"case")
    assert _pages(out.read_bytes()) == 2


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_long_warnings_and_description_are_cut_to_fit(lang: str) -> None:
    """When the left column (options, warnings) runs over, dropping explanations does not
    help: the description, then the warnings are cut with "…"."""
    case = _long_case("Short words " * 400)
    a = assess(case)
    content = report_content(a, case, lang=lang)
    long = content.__class__(**{**content.__dict__, "warnings": content.warnings * 40})
    _, _, used, shown = fit_page(long, lang, measurer())
    assert used <= PAGE_BOTTOM_IN
    assert shown.description in ("", "…") or shown.description.endswith("…")
    assert shown.warnings[-1] == "…" and len(shown.warnings) < len(long.warnings)
    assert shown.options == long.options and shown.key_dates == long.key_dates


def test_a_short_description_is_kept_whole(example) -> None:
    case, a, source = example
    content = report_content(a, case, source_bytes=source)
    _, _, used, shown = fit_page(content, "en", measurer())
    assert used <= PAGE_BOTTOM_IN and shown == content


def test_write_report_bad_path_and_as_of(tmp_path: Path, example) -> None:
    case, a, _ = example
    with pytest.raises(ChartError, match=r"use \.pdf"):
        write_report(a, case, tmp_path / "r.png")
    with pytest.raises(ChartError, match="does not exist"):
        write_report(a, case, tmp_path / "no" / "r.pdf")
    from datetime import date

    with pytest.raises(CaseError, match="before the first event"):  # refused by assess for every output
        write_report(assess(case, date(2000, 1, 1)), case, tmp_path / "r.pdf")
    assert not (tmp_path / "r.pdf").exists()


def test_cli_report(tmp_path: Path) -> None:
    out = tmp_path / "rapport.pdf"
    result = CliRunner().invoke(cli.main, ["report", str(EXAMPLE), "-o", str(out), "--lang", "nl"])
    assert result.exit_code == 0, result.output
    assert _pages(out.read_bytes()) == 2
    bad = CliRunner().invoke(cli.main, ["report", str(EXAMPLE), "-o", str(tmp_path / "r.docx")])
    assert bad.exit_code == 1
    assert "use .pdf" in bad.output and "Traceback" not in bad.output
    early = CliRunner().invoke(cli.main, ["report", str(EXAMPLE), "-o", str(out), "--as-of", "2001-01-01"])
    assert early.exit_code == 1 and "before the first event" in early.output
