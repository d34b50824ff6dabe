"""Tests for timeline.chart: the chart description as data, the drawn figure, determinism,
Dutch labels, label placement in dense cases, and the ``timeline chart`` command."""

from __future__ import annotations

import itertools
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import matplotlib
import pytest
from click.testing import CliRunner

import timeline.cli as cli
from timeline import CaseError, __version__, assess, case_from_dict, load_case
from timeline.chart import (
    FORMATS,
    MAX_SIZE_CM,
    MIN_SIZE_CM,
    SIZE_PRESETS,
    ChartError,
    ChartSpec,
    chart,
    chart_spec,
    render,
    save,
    size_error,
)
from timeline.chart.labels import Item, place_labels
from timeline.citations import RULES_VERSION
from timeline.errors import TimelineError

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "separation-reported-early.toml"

SEPARATION = {
    "id": "separation-reported-early",
    "as_of": "2025-11-23",
    "sponsor": {"status": "dutch"},
    "relationship": {
        "kind": "marriage",
        "cohabitation_start": "2019-09-01",
        "cohabitation_place": "abroad",
        "married": "2020-06-15",
        "separated": "2025-07-01",
        "divorced": "2025-09-20",
    },
    "permits": [{"purpose": "partner", "start": "2021-03-11", "end": "2026-03-11", "withdrawal_decided": "2025-09-01"}],
    "notifications": [{"by": "sponsor", "received": "2025-07-10", "change_date": "2025-07-01"}],
    "applications": [
        {
            "kind": "change-of-purpose",
            "purpose": "work",
            "received": "2025-10-01",
            "outcome": "granted",
            "decided": "2025-12-15",
            "valid_until": "2030-10-01",
        }
    ],
}

#: Many events within a few weeks (separation, two reports, withdrawal, objection,
#: a new application, a short trip abroad) on a chart spanning ten years.
DENSE = {
    "id": "dense-weeks",
    "as_of": "2025-08-20",
    "sponsor": {"status": "dutch"},
    "relationship": {"kind": "marriage", "married": "2021-01-10", "separated": "2025-06-02", "divorced": "2025-06-30"},
    "permits": [
        {
            "purpose": "partner",
            "start": "2021-03-01",
            "end": "2026-03-01",
            "withdrawal_decided": "2025-07-01",
            "withdrawn_from": "2025-06-16",
        }
    ],
    "notifications": [
        {"by": "sponsor", "received": "2025-06-05", "change_date": "2025-06-02"},
        {"by": "foreign-national", "received": "2025-06-06", "change_date": "2025-06-02"},
        {"by": "sponsor", "received": "2025-06-09", "change_date": "2025-06-02"},
    ],
    "applications": [
        {
            "kind": "change-of-purpose",
            "purpose": "work",
            "received": "2025-06-20",
            "outcome": "granted",
            "decided": "2025-07-15",
            "valid_until": "2030-06-20",
        },
        {"kind": "objection", "received": "2025-07-08", "against": "permits[0]"},
        {"kind": "permanent-residence", "received": "2025-07-09", "outcome": "refused", "decided": "2025-07-20"},
    ],
    "absences": [
        {"departed": "2025-06-06", "returned": "2025-06-18"},
        {"departed": "2023-02-01", "returned": "2023-03-15"},
    ],
}


def _spec(data: dict, lang: str = "en", **kw) -> tuple[ChartSpec, object, object]:
    case = case_from_dict(data)
    a = assess(case, **kw)
    return chart_spec(a, case, lang=lang), a, case


@pytest.fixture(scope="module")
def separation() -> ChartSpec:
    return _spec(SEPARATION)[0]


@pytest.fixture(scope="module")
def dense() -> ChartSpec:
    return _spec(DENSE)[0]


# --- the chart description as data ------------------------------------------------------


def test_lanes_top_to_bottom(separation: ChartSpec) -> None:
    keys = [lane.key for lane in separation.lanes]
    assert keys == ["permits", "relationship", "procedures", "absences", "clocks"]
    tops = [lane.top for lane in separation.lanes]
    assert tops == sorted(tops)
    for upper, lower in zip(separation.lanes, separation.lanes[1:], strict=False):
        assert upper.bottom == lower.top


def test_permit_bars_withdrawn_part_and_gap(separation: ChartSpec) -> None:
    bars = [b for b in separation.bars if b.lane == "permits"]
    partner, withdrawn, work = (b for b in bars if b.colour in ("partner", "work"))
    assert (partner.start, partner.end, partner.label, partner.faded) == (
        date(2021, 3, 11),
        date(2025, 7, 1),
        "partner permit",
        False,
    )
    # The withdrawn part of the granted period: faded and hatched (greyscale print).
    assert (withdrawn.start, withdrawn.end, withdrawn.faded) == (date(2025, 7, 1), date(2026, 3, 11), True)
    assert withdrawn.hatch and "withdrawn" in withdrawn.label
    assert (work.start, work.end, work.label) == (date(2025, 10, 1), date(2030, 10, 1), "work permit")
    (gap,) = (b for b in bars if b.colour == "gap")
    assert (gap.start, gap.end, gap.label) == (date(2025, 7, 1), date(2025, 10, 1), "gap 92 days")
    assert gap.hatch
    assert separation.colours["gap"] != separation.colours["partner"]
    (span,) = separation.spans
    assert (span.start, span.end, span.label) == (date(2025, 7, 1), date(2025, 10, 1), "gap 92 days")


def test_relationship_procedure_and_clock_lanes(separation: ChartSpec) -> None:
    rel = {b.label: b for b in separation.bars if b.lane == "relationship"}
    assert rel["cohabitation (abroad)"].end == date(2020, 6, 15)
    assert (rel["marriage"].start, rel["marriage"].end) == (date(2020, 6, 15), date(2025, 7, 1))
    assert rel["separated, still married"].end == date(2025, 9, 20)
    markers = {m.label: m for m in separation.markers}
    assert markers["separation 1 Jul 2025"].lane == "relationship"
    assert markers["divorce 20 Sep 2025"].date == date(2025, 9, 20)
    assert markers["reporting deadline 29 Jul 2025: on time"].kind == "deadline"
    assert markers["report by sponsor 10 Jul 2025"].lane == "procedures"
    assert markers["withdrawal decision 1 Sep 2025"].kind == "decision"
    assert markers["withdrawn from 1 Jul 2025"].date == date(2025, 7, 1)
    assert markers["granted 15 Dec 2025"].date == date(2025, 12, 15)
    proc = [b for b in separation.bars if b.lane == "procedures"]
    labels = {b.label for b in proc}
    assert "change of purpose: work" in labels
    assert "objection period: expired" in labels
    assert any(label.startswith("procedural stay") for label in labels)
    objection = next(b for b in proc if b.colour == "objection")
    # the deadline 29 Sep 2025 is the last day in time; bar ends are exclusive (DC-1)
    assert (objection.start, objection.end) == (date(2025, 9, 1), date(2025, 9, 30))
    # Each route: the time served (1 Oct to 23 Nov 2025) solid, the time to go outlined, the
    # label on the longer part, the date beside the star at the end.
    clocks = [b for b in separation.bars if b.lane == "clocks"]
    served = [b for b in clocks if b.state == "served"]
    to_go = [b for b in clocks if b.state == "to-go"]
    assert [(b.start, b.end, b.label) for b in served] == [(date(2025, 10, 1), date(2025, 11, 23), "")] * 3
    assert [b.label for b in to_go] == [
        "permanent residence: 1 m of 5 y",
        "EU long-term resident: 1 m of 5 y",
        "naturalisation, standard (5 years): 1 m of 5 y",
    ]
    assert all(b.start == date(2025, 11, 23) and b.end == date(2030, 10, 1) and b.milestone for b in to_go)
    assert {(b.milestone_label, b.milestone_kind) for b in to_go} == {("from 1 Oct 2030", "milestone")}
    assert all(s.row == t.row for s, t in zip(served, to_go, strict=True))
    assert not any(b.milestone for b in served)
    assert [n.text for n in separation.notes if n.lane == "clocks"] == [
        "naturalisation, spouse of a Dutch citizen (3 years): not running (relationship ended)"
    ]
    assert [n.text for n in separation.notes if n.lane == "absences"] == ["no stays abroad recorded"]


def test_title_footer_and_as_of(separation: ChartSpec) -> None:
    assert separation.title == "Residence timeline: separation-reported-early · as of 23 November 2025"
    assert separation.as_of == date(2025, 11, 23)
    assert separation.as_of_label == "as of 23 Nov 2025"
    assert f"timeline {__version__}" in separation.footer
    assert f"rules {RULES_VERSION}" in separation.footer
    assert "readings of the law: the tool's defaults" in separation.footer
    assert "End dates are the first day without validity" in separation.footer
    assert separation.start < date(2019, 9, 1) and separation.end > date(2030, 10, 1)


def test_non_default_options_in_footer() -> None:
    spec, _, _ = _spec(SEPARATION, options={"withdrawal_effective": "decision"})
    # The reading chosen, in plain words as the report's assumptions say it; no option identifier.
    assert "ends only on the date of the IND's withdrawal decision" in spec.footer
    assert "withdrawal_effective" not in spec.footer
    gap = next(b for b in spec.bars if b.colour == "gap")
    assert gap.label == "gap 30 days"  # ex nunc: from the decision of 1 Sep 2025


def test_okabe_ito_colours(separation: ChartSpec) -> None:
    okabe = {matplotlib.colors.to_hex(c).upper() for c in matplotlib.color_sequences["okabe_ito"]}
    used = {separation.colours[b.colour].upper() for b in separation.bars if b.colour in ("partner", "work", "gap")}
    assert used <= okabe


def test_open_permit_ongoing_gap_absence_and_pending() -> None:
    data = {
        "id": "open-ended",
        "as_of": "2026-02-01",
        "permits": [
            {"purpose": "study", "start": "2018-09-01", "end": "2022-09-01"},
            {"purpose": "work", "start": "2022-09-01", "end": "2025-09-01"},
        ],
        "applications": [{"kind": "extension", "purpose": "work", "received": "2025-10-15"}],
        "absences": [{"departed": "2024-01-05", "returned": "2024-02-20"}, {"departed": "2026-01-20"}],
    }
    spec, a, _ = _spec(data)
    gap = next(b for b in spec.bars if b.colour == "gap")
    assert gap.label == "gap 153 days, ongoing" and gap.end == a.as_of  # drawn up to the as-of date
    study = next(b for b in spec.bars if b.colour == "study")
    assert study.hatch  # temporary purpose: dotted as well as coloured
    pending = next(b for b in spec.bars if b.colour == "application")
    assert pending.label == "extension: work (pending)" and pending.end == date(2026, 2, 1)
    (due,) = (m for m in spec.markers if m.label.startswith("decision overdue since 13 Jan 2026"))
    assert due.kind == "deadline-missed"
    # Stays abroad with their length (R5.3's 6 months checked by eye); the ongoing one dashed.
    abroad = [(b.label, b.state) for b in spec.bars if b.lane == "absences"]
    assert abroad == [
        ("abroad 5 Jan–20 Feb 2024: 1 m 15 d", ""),
        ("abroad since 20 Jan 2026: 12 days, ongoing", "ongoing"),
    ]
    entries = {e.label for e in spec.legend}
    assert "temporary purpose (dotted)" in entries and "as-of date" in entries
    assert {"pending, not decided (dashed outline)", "still going on (dashed outline)"} <= entries
    assert pending.state == "pending" and not pending.hatch  # dashed outline, no pattern

    permanent = {"id": "permanent", "as_of": "2025-01-01", "permits": [{"purpose": "permanent", "start": "2020-01-01"}]}
    spec, _, _ = _spec(permanent)
    (bar,) = (b for b in spec.bars if b.lane == "permits")
    assert bar.end is None  # open: drawn to the chart's end with an arrow


def test_bad_inputs_raise_chart_error() -> None:
    case = case_from_dict(SEPARATION)
    with pytest.raises(CaseError, match="before the first event"):  # refused by assess for every output
        chart_spec(assess(case, date(2019, 1, 1)), case)
    a = assess(case)
    with pytest.raises(ChartError, match="language"):
        chart_spec(a, case, lang="de")
    with pytest.raises(ChartError, match="size"):
        chart_spec(a, case, size=(1, 1))
    with pytest.raises(ChartError, match=r"\.png, \.svg, \.pdf") as err:
        save(chart_spec(a, case), "/tmp/x.gif")
    assert isinstance(err.value, TimelineError)
    assert FORMATS == (".png", ".svg", ".pdf")


def test_label_placer_stacks_labels_at_one_date() -> None:
    items = [Item(100.0, 30.0, True, f"event {i}", i) for i in range(6)]
    items.append(Item(140.0, 30.0, True, "later", 9))
    placed = place_labels(items, 0.0, 400.0, r=1.0, gap=1.0, sep=2.0)
    by_row: dict[int, list[Item]] = {}
    for it in placed:
        by_row.setdefault(it.row, []).append(it)
    for row in by_row.values():
        row.sort(key=lambda it: it.lo)
        for left, right in itertools.pairwise(row):
            assert left.hi + 2.0 <= right.lo
    assert len({it.row for it in placed if it.anchor == 100.0}) == 6


def test_ticks_use_i18n_month_names_without_locale() -> None:
    short = {
        "id": "short",
        "as_of": "2025-05-20",
        "permits": [{"purpose": "work", "start": "2025-01-10", "end": "2025-04-01"}],
        "applications": [{"kind": "extension", "purpose": "work", "received": "2025-03-03"}],
    }
    nl, _, _ = _spec(short, lang="nl")
    labels = " ".join(t.label for t in nl.ticks)
    assert "maart" in labels and "april" in labels and "2025" in labels
    en, _, _ = _spec(short)
    assert "March" in " ".join(t.label for t in en.ticks)


# --- the drawn figure --------------------------------------------------------------------


def _texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(matplotlib.text.Text)]


def test_rendered_artists_match_the_spec(separation: ChartSpec) -> None:
    before = dict(matplotlib.rcParams)
    fig = render(separation)
    assert dict(matplotlib.rcParams) == before  # the style never leaks into global state
    (ax,) = fig.axes
    texts = _texts(fig)
    for b in separation.bars:
        assert b.label in texts
    for m in separation.markers:
        assert m.label in texts
    bars = [p for p in ax.patches if (p.get_gid() or "").startswith("bar-")]
    assert len(bars) == len(separation.bars)
    gap = next(p for p, b in zip(bars, separation.bars, strict=True) if b.colour == "gap")
    assert gap.get_hatch()
    assert any(line.get_linestyle() == "--" for line in ax.get_lines())  # the as-of line
    fig_texts = [t.get_text() for t in fig.texts]
    assert all(e.label in fig_texts for e in separation.legend)  # the legend, drawn directly
    assert "residence gap (band across all lanes)" in fig_texts
    assert separation.title in texts
    assert any("first day without validity" in t for t in texts)
    assert "2025" in [t.get_text() for t in ax.get_xticklabels()]


#: 4 permits, 3 applications, 2 reports and 6 stays abroad over 15 years (issue 12).
DENSE_FILE = ROOT / "tests" / "data" / "cases" / "dense-fifteen-years.toml"


def _case(data: dict | Path):
    return load_case(data) if isinstance(data, Path) else case_from_dict(data)


@pytest.mark.parametrize("lang", ["en", "nl"])
@pytest.mark.parametrize("data", [DENSE, SEPARATION, DENSE_FILE], ids=["dense-weeks", "separation", "dense-years"])
@pytest.mark.parametrize("preset", sorted(SIZE_PRESETS))
def test_labels_never_overlap_each_other_or_bars(data: dict | Path, preset: str, lang: str) -> None:
    """At every size preset, in both languages: no label over another or over a bar, none
    off the page; on a chart under 20 cm wide no text under 8 pt; the banner is the
    largest type on the page."""
    case = _case(data)
    w, h = SIZE_PRESETS[preset]
    spec = chart_spec(assess(case), case, lang=lang, size=(w / 2.54, h / 2.54))
    fig = render(spec)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    (ax,) = fig.axes
    kinds = ("bar-label-", "marker-label-", "milestone-label-")
    labels = [t for t in ax.texts if (t.get_gid() or "").startswith(kinds)]
    drawn = len([b for b in spec.bars if b.text]) + len(spec.markers) + len([b for b in spec.bars if b.milestone_text])
    assert len(labels) == drawn
    boxes = [(t.get_gid(), t.get_window_extent(renderer).shrunk(0.98, 0.9)) for t in labels]
    for i, (gid_a, a) in enumerate(boxes):
        for gid_b, b in boxes[i + 1 :]:
            assert not a.overlaps(b), (gid_a, gid_b)
    bars = {p.get_gid(): p.get_window_extent(renderer) for p in ax.patches if (p.get_gid() or "").startswith("bar-")}
    for gid, box in boxes:
        if gid.endswith("-inside"):
            own = bars["bar-" + gid.split("-")[2]]
            assert own.x0 <= box.x0 and box.x1 <= own.x1 + 0.5, gid
            assert not spec.bars[int(gid.split("-")[2])].hatch, gid  # never printed over a pattern
            continue
        for bar_gid, bar in bars.items():
            assert not box.overlaps(bar), (gid, bar_gid)
    # The as-of line passes behind every label: each sits on an opaque box drawn above it.
    (as_of_line,) = (line for line in ax.lines if line.get_gid() == "as-of-line")
    for t in labels:
        box = t.get_bbox_patch()
        assert box is not None and box.get_alpha() in (None, 1.0), t.get_gid()
        assert t.get_zorder() > as_of_line.get_zorder(), t.get_gid()
    # Every text stays on the page; the banner's lines do not touch the title or the axes.
    page = fig.bbox
    texts = [t for t in fig.findobj(matplotlib.text.Text) if t.get_text() and t.get_visible()]
    for t in texts:
        box = t.get_window_extent(renderer)
        assert page.x0 <= box.x0 and box.x1 <= page.x1 + 0.5, t.get_text()
    # The title, banner, as-of label, legend and footer keep clear of each other.
    around = [t for t in texts if t in fig.texts or t.get_text() == spec.as_of_label]
    for i, a in enumerate(around):
        for b in around[i + 1 :]:
            box_a, box_b = (t.get_window_extent(renderer).shrunk(0.98, 0.9) for t in (a, b))
            assert not box_a.overlaps(box_b), (a.get_text(), b.get_text())
    banner = [t for t in fig.texts if (t.get_gid() or "").startswith("banner-")]
    assert banner and all(t.get_window_extent(renderer).y0 > ax.get_window_extent(renderer).y1 for t in banner)
    biggest_other = max(t.get_fontsize() for t in texts if t not in banner)
    assert min(t.get_fontsize() for t in banner) > biggest_other
    if w < 20:
        assert min(t.get_fontsize() for t in texts) >= 8, preset
        assert spec.layout.width * 2.54 == pytest.approx(w)


def test_dense_case_stacks_labels(dense: ChartSpec) -> None:
    procedures = dense.lane("procedures")
    assert procedures.label_rows >= 4  # the events of a few weeks are stacked, not overprinted
    assert len([m for m in dense.markers if m.lane == "procedures"]) >= 7


def test_dutch_chart_has_dutch_labels(tmp_path: Path) -> None:
    spec, _, _ = _spec(SEPARATION, lang="nl")
    texts = " ".join(spec.labels())
    for word in (
        "verblijfsgat 92 dagen",
        "Relatie",
        "feitelijke scheiding 1 jul 2025",
        "peildatum",
        "vanaf 1 okt 2030",
        "Nu: vergunning arbeid, geldig tot en met 30 sep 2030",
    ):
        assert word in texts
    assert "Einddatums zijn de eerste dag zonder geldigheid" in spec.footer
    out = save(spec, tmp_path / "tijdlijn.svg")
    svg = out.read_text(encoding="utf-8")
    assert "verblijfsgat 92 dagen" in svg  # svg.fonttype none: real text
    assert "gap 92 days" not in svg


def test_legend_follows_the_relationship_kind() -> None:
    """A registered partnership is "still registered" in the bar and the legend, never "married"."""
    married, _, _ = _spec(SEPARATION)
    assert "separated, still married" in [e.label for e in married.legend]
    partnership = {**SEPARATION, "relationship": {**SEPARATION["relationship"], "kind": "registered-partnership"}}
    for lang, want, never in [
        ("en", "separated, still registered", "still married"),
        ("nl", "feitelijk gescheiden, nog geregistreerd", "nog gehuwd"),
    ]:
        spec, _, _ = _spec(partnership, lang=lang)
        assert want in [b.label for b in spec.bars if b.lane == "relationship"]
        assert want in [e.label for e in spec.legend]
        assert not any(never in text for text in spec.labels())


def test_kinds_and_end_convention_come_from_one_place() -> None:
    from timeline.i18n import end_convention, label

    for lang in ("en", "nl"):
        spec, _, _ = _spec(SEPARATION, lang=lang)
        kind = label("change-of-purpose", lang)
        assert f"{kind}: {label('work', lang)}" in [b.label for b in spec.bars if b.lane == "procedures"]
        assert spec.footer.endswith(end_convention(lang))
    assert label("change-of-purpose", "nl") == "wijziging verblijfsdoel"


# --- files: formats and determinism ---------------------------------------------------

SCRIPT = """
import sys
from timeline import assess, load_case
from timeline.chart import chart_spec, save
case = load_case(sys.argv[1])
save(chart_spec(assess(case), case, lang=sys.argv[3]), sys.argv[2])
print("pyplot" if "matplotlib.pyplot" in sys.modules else "no-pyplot")
"""


def test_svg_byte_identical_across_processes(tmp_path: Path) -> None:
    outs = []
    for k in range(2):
        out = tmp_path / f"run{k}.svg"
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT, str(EXAMPLE), str(out), "nl"], capture_output=True, text=True, check=True
        )
        assert done.stdout.strip() == "no-pyplot"
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    assert b"<dc:date>" not in outs[0]


def test_png_and_pdf_have_no_timestamps(tmp_path: Path) -> None:
    case = load_case(EXAMPLE)
    spec = chart_spec(assess(case), case)
    fig = render(spec)
    png = save(fig, tmp_path / "a.png").read_bytes()
    assert png.startswith(b"\x89PNG") and b"Software" not in png and b"Creation Time" not in png
    pdf = save(fig, tmp_path / "a.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and b"CreationDate" not in pdf
    assert save(fig, tmp_path / "b.pdf").read_bytes() == pdf
    assert save(fig, tmp_path / "b.png").read_bytes() == png


def test_chart_convenience_returns_a_figure() -> None:
    case = load_case(EXAMPLE)
    fig = chart(assess(case), case, lang="nl")
    assert isinstance(fig, matplotlib.figure.Figure)
    assert tuple(round(v, 2) for v in fig.get_size_inches()) == (11.69, 8.27)


# --- the command line ----------------------------------------------------------------


def _run(*args: str):
    return CliRunner().invoke(cli.main, list(args))


def test_cli_chart_writes_each_format(tmp_path: Path) -> None:
    for ext in ("png", "svg", "pdf"):
        out = tmp_path / f"t.{ext}"
        result = _run("chart", str(EXAMPLE), "-o", str(out), "--lang", "nl", "--size", "20x15")
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 1000
    result = _run("chart", str(EXAMPLE), "-o", str(tmp_path / "o.svg"), "--option", "withdrawal_effective=decision")
    assert result.exit_code == 0
    assert "date of the IND" in (tmp_path / "o.svg").read_text(encoding="utf-8")  # the reading, in words


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "{tmp}/t.gif"], "use one of .png, .svg, .pdf"),
        (["-o", "{tmp}/t"], "no extension"),
        (["-o", "{tmp}/missing/t.png"], "does not exist"),
        (["-o", "{tmp}"], "is a folder"),
        (["-o", "{tmp}/t.png", "--as-of", "2019-08-31"], "before the first event"),
        (["-o", "{tmp}/t.png", "--option", "withdrawal_effective=never"], "withdrawal_effective"),
    ],
)
def test_cli_chart_bad_input_exits_1(tmp_path: Path, args: list[str], message: str) -> None:
    result = _run("chart", str(EXAMPLE), *[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert result.output.startswith("Error: ")
    assert "Traceback" not in result.output
    assert not (tmp_path / "t.png").exists()


def test_cli_bad_size_is_a_usage_error(tmp_path: Path) -> None:
    result = _run("chart", str(EXAMPLE), "-o", str(tmp_path / "t.png"), "--size", "B5")
    assert result.exit_code == 2 and "WIDTHxHEIGHT" in result.output and "letter" in result.output


def test_one_definition_of_the_chart_size() -> None:
    """The CLI and chart_spec accept the same sizes (MIN_SIZE_CM..MAX_SIZE_CM), and the
    smallest and largest accepted sizes draw every example in both languages."""
    (w0, h0), (w1, h1) = MIN_SIZE_CM, MAX_SIZE_CM
    assert size_error(w0, h0) is None and size_error(w1, h1) is None
    for w, h in [(w0 - 0.1, h0), (w0, h0 - 0.1), (w1 + 1, h0), (w0, h1 + 1)]:
        problem = size_error(w, h)
        assert problem is not None and f"{w0:g} x {h0:g} cm to {w1:g} x {h1:g} cm" in problem
        with pytest.raises(cli.click.BadParameter, match="outside"):
            cli._parse_size(None, None, f"{w}x{h}")  # type: ignore[arg-type]
    examples = sorted(EXAMPLE.parent.glob("*.toml"))
    assert len(examples) >= 8
    for path in examples:
        case = load_case(path)
        a = assess(case)
        for size in [(w0, h0), (w0, h1), (w1, h0)]:
            inches = cli._parse_size(None, None, f"{size[0]}x{size[1]}")  # type: ignore[arg-type]
            for lang in ("en", "nl"):
                chart_spec(a, case, lang=lang, size=inches)  # no ChartError
    result = _run("chart", str(EXAMPLE), "-o", "t.png", "--size", "10x8")
    assert result.exit_code == 2 and f"outside {w0:g} x {h0:g} cm" in result.output


def test_cli_errors_in_a_real_process(tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("timeline")
    done = subprocess.run(
        [str(exe), "chart", str(EXAMPLE), "-o", str(tmp_path / "x.jpeg")], capture_output=True, text=True
    )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"Error: {tmp_path / 'x.jpeg'}: cannot write a chart with extension '.jpeg'; use one of .png, .svg, .pdf"
    ]


def test_as_of_on_the_first_event_is_allowed() -> None:
    case = case_from_dict(SEPARATION)
    spec = chart_spec(assess(case, date(2019, 9, 1)), case)
    assert spec.as_of == date(2019, 9, 1)
    assert spec.start <= date(2019, 9, 1) - timedelta(days=10)


def test_public_chart_api_survives_submodule_imports(tmp_path):
    """timeline.chart_figure etc. stay functions after timeline.chart / .presentation are imported."""
    import timeline
    import timeline.chart
    import timeline.presentation
    import timeline.scenarios

    case = load_case(Path(__file__).resolve().parents[1] / "examples" / "unmarried-partner.toml")
    a = assess(case)
    spec = timeline.chart_spec(a, case)
    fig = timeline.render_chart(spec)
    other = timeline.chart_figure(a, case)
    for f in (fig, other):  # both are the chart of this case, with its title
        assert isinstance(f, matplotlib.figure.Figure)
        assert spec.title in _texts(f)
    timeline.save_chart(fig, tmp_path / "x.svg")
    assert (tmp_path / "x.svg").read_bytes().startswith(b"<?xml")
    assert callable(timeline.compare_scenarios) and callable(timeline.write_report)


def test_r6_4_route_is_a_clock_bar_ending_on_its_date() -> None:
    case = load_case(ROOT / "examples" / "ten-years-in-total.toml")
    spec = chart_spec(assess(case), case)
    bar = next(b for b in spec.bars if "10 years in total" in b.label)
    assert (bar.start, bar.end) == (date(2023, 4, 17), date(2025, 4, 17))
    assert bar.label == "naturalisation, 10 years in total, the last 2 without a break: 2 y served"
    assert (bar.state, bar.milestone_label, bar.milestone_kind) == ("served", "can apply now", "milestone-reached")
    nl = chart_spec(assess(case), case, lang="nl")
    assert "naturalisatie, 10 jaar in totaal, de laatste 2 onafgebroken: 2 jr verstreken" in nl.labels()
    assert "kan nu aanvragen" in nl.labels()
    # The 8 years before the gap count toward the 10: a pale bar in the same row.
    earlier = [b for b in spec.bars if b.colour == "clock-earlier"]
    assert [(b.start, b.end, b.row, b.label, b.text) for b in earlier] == [
        (date(2015, 2, 1), date(2023, 2, 1), bar.row, "", None)
    ]
    assert "earlier toelating counted toward 10 years in total" in spec.labels()
    # The separation example: the standard route comes first, so no R6.4 bar.
    sep = load_case(EXAMPLE)
    assert not any("10 years in total" in x for x in chart_spec(assess(sep), sep).labels())


UNDECIDED = {
    "id": "deadline-ahead",
    "relationship": {"kind": "marriage", "married": "2020-05-01", "separated": "2026-11-19"},
    "permits": [{"purpose": "partner", "start": "2021-03-11", "end": "2031-03-11"}],
}


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_what_is_expected_is_drawn_apart_from_facts(lang):
    """Issue 12 §2: a withdrawal the IND has not decided, and the gap it opens, are drawn dashed
    and labelled expected (no 'withdrawn from' event); once decided they are facts again. A
    qualifying period is dashed beyond the permit on record (it needs an extension)."""
    case = case_from_dict(UNDECIDED)
    a = assess(case, date(2026, 12, 2))
    spec = chart_spec(a, case, lang=lang)
    withdrawn = [b for b in spec.bars if b.faded and b.lane == "permits"]
    gap = [b for b in spec.bars if b.colour == "gap"]
    assert [b.state for b in withdrawn] == ["expected"] and [b.state for b in gap] == ["expected"]
    assert [s.expected for s in spec.spans] == [True]
    assert ("expected" if lang == "en" else "verwacht") in gap[0].label
    assert not [m for m in spec.markers if m.lane == "procedures" and m.date == date(2026, 11, 19)]
    assert any(e.key == "expected" for e in spec.legend)
    decided = {**UNDECIDED, "permits": [{**UNDECIDED["permits"][0], "withdrawal_decided": "2026-11-30"}]}
    case = case_from_dict(decided)
    spec = chart_spec(assess(case, date(2026, 12, 2)), case, lang=lang)
    assert [b.state for b in spec.bars if b.colour == "gap"] == [""] and [s.expected for s in spec.spans] == [False]
    short = case_from_dict({"id": "s", "permits": [{"purpose": "work", "start": "2024-06-01", "end": "2027-06-01"}]})
    spec = chart_spec(assess(short, date(2026, 12, 2)), short, lang=lang)
    clock = [b for b in spec.bars if b.lane == "clocks"]
    assert [b.state for b in clock][:3] == ["served", "to-go", "expected"]
    assert clock[1].end == date(2027, 6, 1) == clock[2].start  # dashed from the permit's end


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_close_up_shows_the_latest_gap_and_the_next_deadline(lang, tmp_path):
    """Issue 12 §4: the 92-day gap of the separation example is a sliver of the whole history;
    the close-up spans it and the as-of date, with every bar cut to the window (one that runs on
    past it gets the open-end arrow) and no marker outside it."""
    from timeline.chart.focus import focus_window

    case = load_case(EXAMPLE)
    a = assess(case, case.as_of)
    window = focus_window(a)
    assert window is not None
    lo, hi = window
    assert lo < a.gaps[-1].start and a.gaps[-1].end < hi and lo < a.as_of < hi and (hi - lo).days < 365
    spec = chart_spec(a, case, lang=lang, window=window)
    assert ("close-up" if lang == "en" else "uitsnede") in spec.title
    assert spec.start == lo and all(lo <= b.start for b in spec.bars)
    assert all(b.end is None or b.end <= hi for b in spec.bars)
    assert all(lo <= m.date < hi for m in spec.markers)
    whole = chart_spec(a, case, lang=lang)
    gap_share = lambda s: (a.gaps[-1].days) / (s.end - s.start).days  # noqa: E731
    assert gap_share(spec) > 10 * gap_share(whole)  # from about 2 % of the width to over a third
    out = tmp_path / "focus.svg"
    assert _run("chart", str(EXAMPLE), "-o", str(out), "--focus", "--lang", lang).exit_code == 0
    assert ("close-up" if lang == "en" else "uitsnede") in out.read_text(encoding="utf-8")
    quiet = timeline_case_without_gap()
    assert focus_window(assess(quiet, date(2026, 1, 1))) is None


def timeline_case_without_gap():
    return case_from_dict({"id": "calm", "permits": [{"purpose": "work", "start": "2020-01-01", "end": "2030-01-01"}]})
