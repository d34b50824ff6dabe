"""The chart's banner and its "now and next" marks (issue 12): the status on the as-of date,
the next deadline with its date and time left, when to apply; deadlines ahead drawn apart
from deadlines met; the date beside each star. Tested as data (the chart spec)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from timeline import assess, case_from_dict, load_case
from timeline.chart import BannerLine, chart_spec

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))


def _spec(data: dict | Path, lang: str = "en", **kw):
    case = load_case(data) if isinstance(data, Path) else case_from_dict(data)
    return chart_spec(assess(case, **kw), case, lang=lang)


def test_banner_of_a_permit_with_the_next_window_and_a_date_to_apply() -> None:
    en = _spec(ROOT / "examples" / "separation-reported-early.toml")
    assert en.banner == (
        BannerLine("now", "Now: work permit, valid through 30 Sep 2030", "ok"),
        BannerLine("next", "Next: extension window opens, 1 Jul 2030 (in 4 y 7 m)", "info"),
        BannerLine(
            "when",
            "Apply from 1 Oct 2030 (in 4 y 10 m, expected): "
            "permanent residence, EU long-term residence, naturalisation",
            "info",
        ),
    )
    nl = _spec(ROOT / "examples" / "separation-reported-early.toml", "nl")
    assert [b.text for b in nl.banner] == [
        "Nu: vergunning arbeid, geldig tot en met 30 sep 2030",
        "Volgende: verlenging kan worden aangevraagd, 1 jul 2030 (over 4 jr 7 mnd)",
        "Aanvragen vanaf 1 okt 2030 (over 4 jr 10 mnd, verwacht): "
        "verblijf onbepaalde tijd, EU-langdurig ingezetene, naturalisatie",
    ]
    # The banner is the chart's first text after the title, in the largest type.
    assert en.labels()[1:4] == [b.text for b in en.banner]
    assert en.layout.banner_pt > en.layout.title_pt


def test_can_apply_now_in_the_banner_and_at_the_star() -> None:
    spec = _spec(ROOT / "examples" / "spouse-married-abroad.toml")
    when = spec.banner[2]
    assert when.tone == "ok"
    assert when.text == (
        "Apply now: naturalisation; from 11 Mar 2026 (in 2 y 3 m, expected): "
        "permanent residence, EU long-term residence, independent permit"
    )
    stars = sorted((b.end, b.milestone_label, b.milestone_kind) for b in spec.bars if b.milestone)
    assert stars == [
        (date(2023, 6, 15), "can apply now", "milestone-reached"),  # spouse route, 3 years from the marriage
        *[(date(2026, 3, 11), "from 11 Mar 2026", "milestone")] * 3,  # permanent, EU, standard naturalisation
    ]
    labels = [b.label for b in spec.bars if b.lane == "clocks" and b.label]
    assert "naturalisation, spouse of a Dutch citizen (3 years): 3 y served" in labels
    assert "permanent residence: 2 y 8 m of 5 y" in labels


#: Separated 10 days before the as-of date, not reported yet: the reporting deadline is ahead.
REPORT_AHEAD = {
    "id": "report-ahead",
    "as_of": "2025-07-11",
    "sponsor": {"status": "dutch"},
    "relationship": {"kind": "marriage", "married": "2020-06-15", "separated": "2025-07-01"},
    "permits": [{"purpose": "partner", "start": "2021-03-11", "end": "2026-03-11"}],
}


@pytest.mark.parametrize(
    ("lang", "next_line", "marker"),
    [
        (
            "en",
            "Next: report the end of the relationship to the IND (sponsor and foreign national), "
            "29 Jul 2025 (in 18 days)",
            "report by 29 Jul 2025 · in 18 days",
        ),
        (
            "nl",
            "Volgende: einde relatie melden bij de IND (referent en vreemdeling), 29 jul 2025 (over 18 dagen)",
            "melden uiterlijk 29 jul 2025 · over 18 dagen",
        ),
    ],
)
def test_a_deadline_ahead_stands_out_with_its_countdown(lang: str, next_line: str, marker: str) -> None:
    spec = _spec(REPORT_AHEAD, lang)
    assert spec.banner[1] == BannerLine("next", next_line, "warning")  # within 4 weeks
    (ahead,) = (m for m in spec.markers if m.kind == "deadline-ahead" and m.date == date(2025, 7, 29))
    assert ahead.label == marker
    # Once reported, the same deadline is met: drawn as such, without a countdown.
    done = {**REPORT_AHEAD, "notifications": [{"by": "sponsor", "received": "2025-07-05", "change_date": "2025-07-01"}]}
    (met,) = (m for m in _spec(done, lang).markers if m.date == date(2025, 7, 29))
    assert met.kind == "deadline" and "·" not in met.label


def test_banner_of_a_gap_and_of_an_expected_withdrawal() -> None:
    gap = {
        "id": "gap-now",
        "as_of": "2026-02-01",
        "permits": [{"purpose": "work", "start": "2022-09-01", "end": "2025-09-01"}],
    }
    now = _spec(gap).banner[0]
    assert now == BannerLine("now", "Now: no residence permit, a gap since 1 Sep 2025 (153 days)", "warning")
    assert _spec(gap, "nl").banner[0].text == "Nu: geen verblijfsvergunning, verblijfsgat sinds 1 sep 2025 (153 dagen)"
    expected = _spec(REPORT_AHEAD).banner[0]
    assert expected.tone == "warning" and "expected to be withdrawn from 1 Jul 2025" in expected.text


def test_banner_can_be_left_out() -> None:
    case = load_case(ROOT / "examples" / "separation-reported-early.toml")
    with_banner = chart_spec(assess(case), case)
    without = chart_spec(assess(case), case, banner=False)
    assert without.banner == () and without.layout.banner_lines == ()
    assert without.layout.ax_height >= with_banner.layout.ax_height


#: What must never reach a reader of the chart: record paths, option identifiers, rules.md.
CODE = re.compile(r"\b(permits|applications|notifications|absences)\[\d+\]|rules\.md|\b[a-z]+_[a-z_]+=")


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("lang", ["en", "nl"])
def test_no_code_in_the_chart(path: Path, lang: str) -> None:
    spec = _spec(path, lang)
    assert 1 <= len(spec.banner) <= 3
    for text in spec.labels():
        assert not CODE.search(text), text


@pytest.mark.parametrize(
    ("name", "received", "gap"),
    [
        ("late-extension-within-tolerance", "extension received 20 Aug 2026: late, within the tolerance", None),
        (
            "late-extension-outside-tolerance",
            "extension received 15 Sep 2026: after the tolerance",
            (date(2026, 8, 1), date(2026, 9, 15)),
        ),
    ],
)
def test_the_cause_of_a_late_extension_is_drawn(name: str, received: str, gap: tuple[date, date] | None) -> None:
    """R4.1/R4.2: the last day in time missed, the 4-week tolerance with its last day, the
    day the extension came in; a gap it did not cover runs on past the tolerance's end."""
    spec = _spec(ROOT / "examples" / f"{name}.toml")
    (tolerance,) = (b for b in spec.bars if b.colour == "tolerance")
    assert (tolerance.start, tolerance.end, tolerance.label) == (
        date(2026, 8, 1),
        date(2026, 8, 29),
        "4-week tolerance to 28 Aug 2026",
    )
    kinds = {m.label: m.kind for m in spec.markers}
    assert kinds["last day in time 31 Jul 2026: missed"] == "deadline-missed"
    assert kinds[received] == "event"
    assert [(s.start, s.end) for s in spec.spans] == ([gap] if gap else [])
    if gap:
        assert tolerance.end < gap[1]
    nl = _spec(ROOT / "examples" / f"{name}.toml", "nl")
    assert "tolerantie van 4 weken tot en met 28 aug 2026" in nl.labels()


def test_a_date_to_apply_that_needs_an_extension_says_expected():
    """Issue 12 §2: the banner's date to apply says "expected" when the permits on record end
    before it (it needs an extension), and not when a permit on record reaches it."""

    def when(end: str, lang: str = "en") -> str:
        case = case_from_dict({"id": "w", "permits": [{"purpose": "work", "start": "2022-01-01", "end": end}]})
        return chart_spec(assess(case, date(2024, 1, 1)), case, lang=lang).banner[2].text

    assert "expected" in when("2025-01-01") and "verwacht" in when("2025-01-01", "nl")
    assert "expected" not in when("2030-01-01") and "verwacht" not in when("2030-01-01", "nl")
