"""Tests for timeline.report: the two-page client PDF and its texts."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
from timeline import __version__, assess, case_from_dict, load_case
from timeline.chart import ChartError, _measurer
from timeline.citations import RULES_VERSION
from timeline.report import (
    A4_LANDSCAPE,
    MARGIN_IN,
    _layout_page,
    report_content,
    report_lines,
    write_report,
)

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
    assert 1 <= _pages(pdf) <= 2
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


def test_page_two_fits_even_with_much_text() -> None:
    """Long descriptions and many explanations shrink or truncate, never run off the page."""
    case = case_from_dict(
        {
            "id": "x" * 40,
            "as_of": "2026-01-01",
            "description": "A long description. " * 60 + "https://example.org/" + "a" * 300,
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
    a = assess(case)
    content = report_content(a, case, source_bytes=b"case")
    measure = _measurer()
    w = A4_LANDSCAPE[0]
    texts, _, _ = _layout_page(content, "en", 6.0, len(content.explanations), measure)
    for t in texts:
        assert t.x >= MARGIN_IN - 1e-9
        assert t.x + measure(t.text, t.size, t.bold) / 72 <= w - MARGIN_IN + 0.01, t.text
    out = write_report(a, case, Path("/tmp") / "timeline-test-long-report.pdf", source_bytes=b"case")
    assert 1 <= _pages(out.read_bytes()) <= 2
    out.unlink()


def test_write_report_bad_path_and_as_of(tmp_path: Path, example) -> None:
    case, a, _ = example
    with pytest.raises(ChartError, match=r"use \.pdf"):
        write_report(a, case, tmp_path / "r.png")
    with pytest.raises(ChartError, match="does not exist"):
        write_report(a, case, tmp_path / "no" / "r.pdf")
    from datetime import date

    with pytest.raises(ChartError, match="before the first event"):
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
