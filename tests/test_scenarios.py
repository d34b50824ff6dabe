"""Scenarios side by side (timeline.scenarios): the separation example computed by hand,
a property of the default withdrawal option, ranges, and every class of bad input."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import D
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline import assess, case_from_dict, load_case
from timeline.cli import main
from timeline.scenarios import (
    NamedScenario,
    ScenarioError,
    comparison_csv,
    comparison_dict,
    comparison_text,
    load_scenarios,
    parse_path,
    parse_vary,
    scenarios,
)
from timeline.scenarios.chart import MAX_PANELS, panels

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "separation-reported-early.toml"


@pytest.fixture(scope="module")
def case():
    return load_case(EXAMPLE)


def row(cmp, name):
    return next(s for s in cmp.scenarios if s.name == name)


# ------------------------------------------------------------------ the separation example by hand

VARIANTS = """
[[scenario]]
name = "reported 1 July"
set = { "notifications[0].change_date" = 2025-07-01, "notifications[0].received" = 2025-07-10 }

[[scenario]]
name = "reported 20 September"
set = { "notifications[0].change_date" = 2025-09-20, "notifications[0].received" = 2025-09-25 }

[[scenario]]
name = "work permit filed on the reported date"
[scenario.set]
"notifications[0].change_date" = 2025-09-20
"notifications[0].received" = 2025-09-25
"applications[0].received" = 2025-09-20
"""


def test_separation_example_reported_1_july_vs_20_september(case, tmp_path):
    f = tmp_path / "variants.toml"
    f.write_text(VARIANTS, encoding="utf-8")
    cmp = scenarios(case, named=f)
    assert [s.name for s in cmp.scenarios] == [
        "base",
        "reported 1 July",
        "reported 20 September",
        "work permit filed on the reported date",
    ]
    base = cmp.base.outcome
    # Base (the case file): withdrawn back to the reported 1 July (R3.1, OQ-3 "reported"); the work
    # permit starts on receipt, 1 October 2025 (R1.2). Gap 1 July - 30 Sept: 31 + 31 + 30 = 92 days.
    assert (base.gap_days, [(g.start, g.end) for g in base.gaps]) == (92, [(D("2025-07-01"), D("2025-10-01"))])
    # Reporting: separation 1 July + 28 days = Tuesday 29 July 2025 (R2.2), report received 10 July.
    assert (base.reporting_deadline, base.reporting_status) == (D("2025-07-29"), "on-time")
    # The 5-year clocks restart on 1 October 2025 (DC-6): naturalisation 1 October 2030 (R6.1).
    assert (base.naturalisation, base.naturalisation_route) == (D("2030-10-01"), "standard")

    july = row(cmp, "reported 1 July")
    assert july.outcome.gap_days == 92 and all(d == 0 for d in july.delta.values() if d is not None)

    sept = row(cmp, "reported 20 September")
    # Withdrawn from 20 September: gap 20 - 30 September = 11 days, 81 fewer than the base.
    assert sept.outcome.gap_days == 11 and sept.delta["gap_days"] == 11 - 92 == -81
    assert [(g.start, g.end, g.days) for g in sept.outcome.gaps] == [(D("2025-09-20"), D("2025-10-01"), 11)]
    # But the report is late: 25 Sept - 29 July = 2 + 31 + 25 = 58 days (R2.2, fine risk R2.3).
    assert (sept.outcome.reporting_status, sept.outcome.reporting_days_late) == ("late", 58)
    # Still a gap, so the clock still restarts on 1 October: naturalisation unchanged, +0 days.
    assert sept.outcome.naturalisation == D("2030-10-01") and sept.delta["naturalisation"] == 0

    filed = row(cmp, "work permit filed on the reported date")
    # Work permit received on 20 September = the withdrawal's effective date: no gap (R1.2, R3.1), so
    # toelating runs on from 11 March 2021: naturalisation 11 March 2026.
    assert filed.outcome.gaps == () and filed.delta["gap_days"] == -92
    assert filed.outcome.naturalisation == D("2026-03-11")
    # 11 March 2026 -> 11 March 2030: 4 * 365 + 1 (29 Feb 2028) = 1461 days; 11 March -> 1 October 2030:
    # 20 + 30 + 31 + 30 + 31 + 31 + 31 = 204 days. 1461 + 204 = 1665 days earlier.
    assert filed.delta["naturalisation"] == -(4 * 365 + 1 + 204) == -1665
    assert filed.delta["permanent_residence"] == -1665

    text = comparison_text(cmp)
    assert "gap days -81" in text and "naturalisation -1665 days" in text


def test_separation_example_vary_the_reported_date(case):
    cmp = scenarios(case, ["notifications[0].change_date=2025-07-01,2025-09-20"])
    assert [s.name for s in cmp.scenarios] == [
        "base",
        "notifications[0].change_date=2025-07-01",
        "notifications[0].change_date=2025-09-20",
    ]
    assert [s.outcome.gap_days for s in cmp.scenarios] == [92, 92, 11]


def test_a_later_work_application_moves_naturalisation(case):
    cmp = scenarios(case, ["applications[0].received=2025-12-01"], as_of=D("2026-01-31"))
    s = cmp.scenarios[1]
    # Gap 1 July - 30 November: 31 + 31 + 30 + 31 + 30 = 153 days; the clock restarts on 1 December.
    assert s.outcome.gap_days == 153 and s.delta["gap_days"] == 61
    assert s.outcome.naturalisation == D("2030-12-01")
    assert s.delta["naturalisation"] == 31 + 30 == 61  # October + November
    assert "naturalisation +61 days" in comparison_text(cmp)


def test_combinations_and_option_paths(case):
    cmp = scenarios(
        case,
        ["notifications[0].change_date=2025-07-01,2025-09-20", "options.withdrawal_effective=reported,decision"],
    )
    assert len(cmp.scenarios) == 1 + 2 * 2
    gaps = {s.settings: s.outcome.gap_days for s in cmp.scenarios[1:]}
    # Ex nunc from the decision of 1 September: 1 - 30 September = 30 days, whatever the report says.
    assert gaps[(("notifications[0].change_date", "2025-07-01"), ("options.withdrawal_effective", "decision"))] == 30
    assert gaps[(("notifications[0].change_date", "2025-09-20"), ("options.withdrawal_effective", "reported"))] == 11


def test_option_override_is_applied_and_scenario_option_wins(case):
    cmp = scenarios(case, ["options.withdrawal_effective=reported"], options={"withdrawal_effective": "decision"})
    assert cmp.base.outcome.gap_days == 30  # --option decision
    assert cmp.scenarios[1].outcome.gap_days == 92  # the scenario's own option


def test_inclusive_end_dates_round_trip(tmp_path):
    f = tmp_path / "c.toml"
    f.write_text(
        'id = "c"\nas_of = 2026-06-01\n[[permits]]\npurpose = "work"\nstart = 2021-03-11\nend = 2026-03-10\n'
        '[[applications]]\nkind = "extension"\npurpose = "work"\nreceived = 2026-03-20\noutcome = "granted"\n',
        encoding="utf-8",
    )
    opts = {"end_date_convention": "inclusive"}
    c = load_case(f, options=opts)
    direct = assess(c, None, opts)
    cmp = scenarios(c, ["permits[0].end=2026-03-10"], options=opts)
    assert cmp.base.outcome.gaps == direct.gaps
    assert cmp.scenarios[1].outcome.gaps == direct.gaps  # the same value, in the file's convention


# --------------------------------------------------------------------------- property (R3.1, OQ-3 default)

SINGLE_REPORT = {
    "id": "p",
    "sponsor": {"status": "dutch"},
    "relationship": {"kind": "marriage", "cohabitation_start": "2019-09-01", "married": "2020-06-15"},
    "permits": [{"purpose": "partner", "start": "2021-03-11", "end": "2026-03-11"}],
}
REL_START = D("2019-09-01")


@settings(max_examples=40, deadline=None)
@given(
    separation=st.integers(0, 1700),
    reported=st.integers(-30, 90),
    work=st.one_of(st.none(), st.integers(-60, 300)),
    moves=st.lists(st.integers(-900, 400), min_size=1, max_size=5),
)
def test_moving_the_reports_received_date_never_changes_the_gaps(separation, reported, work, moves):
    sep = D("2021-03-11") + timedelta(days=separation)
    change = max(sep + timedelta(days=reported), REL_START)
    data = {
        **SINGLE_REPORT,
        "relationship": {**SINGLE_REPORT["relationship"], "separated": sep.isoformat()},
        "notifications": [
            {"by": "sponsor", "received": (change + timedelta(days=10)).isoformat(), "change_date": change.isoformat()}
        ],
    }
    if work is not None:
        w = sep + timedelta(days=work)
        data["applications"] = [
            {
                "kind": "change-of-purpose",
                "purpose": "work",
                "received": w.isoformat(),
                "outcome": "granted",
                "valid_until": (w + timedelta(days=1826)).isoformat(),
            }
        ]
    as_of = sep + timedelta(days=400)
    received = sorted({change + timedelta(days=m) for m in moves})
    cmp = scenarios(
        case_from_dict(data),
        [f"notifications[0].received={','.join(d.isoformat() for d in received)}"],
        as_of=as_of,
    )
    base_gaps = cmp.base.outcome.gaps
    for s, r in zip(cmp.scenarios[1:], received, strict=True):
        assert s.valid == (r >= REL_START), s.error  # only a report before the relationship is invalid
        if s.valid:
            assert s.outcome.gaps == base_gaps
            assert s.delta["gap_days"] == 0


# --------------------------------------------------------------------------- ranges: best and worst


def test_range_best_and_worst(case):
    cmp = scenarios(case, ["relationship.separated=2025-06-25..2025-07-03", "options.withdrawal_effective=separation"])
    assert cmp.ranged and len(cmp.scenarios) == 1 + 9
    ext = {e.output: e for e in cmp.extremes}
    # Gap = separation day .. 30 September (the work permit starts 1 October):
    # 3 July: 29 + 31 + 30 = 90 days (best); 25 June: 6 + 31 + 31 + 30 = 98 days (worst).
    g = ext["gap_days"]
    assert (g.best, dict(g.best_settings)["relationship.separated"]) == (90, "2025-07-03")
    assert (g.worst, dict(g.worst_settings)["relationship.separated"]) == (98, "2025-06-25")
    assert ext["naturalisation"].best == ext["naturalisation"].worst == D("2030-10-01")
    text = comparison_text(cmp)
    assert "Best and worst case" in text and "best 90" in text and "worst 98" in text


def test_parse_vary_ranges_and_values():
    v = parse_vary("relationship.separated=2025-07-01..2025-07-15")
    assert len(v.values) == 15 and v.values[0] == D("2025-07-01") and v.values[-1] == D("2025-07-15") and v.ranged
    one = parse_vary("relationship.separated=2025-07-01..2025-07-01, 2025-07-01")
    assert one.values == (D("2025-07-01"),)
    assert parse_vary("applications[0].excused=true,no").values == (True, False)
    assert parse_vary("relationship.divorced=none").labels == ("none",)
    assert parse_path("options.withdrawal_effective").table == "options"


# --------------------------------------------------------------------------- bad input

BAD_VARIES = [
    ("relationship.seperated=2025-07-01", "Did you mean 'relationship.separated'"),
    ("permit[0].end=2026-01-01", "Did you mean 'permits[0].end'"),
    ("permits[3].end=2026-01-01", "no permits[3]"),
    ("options.withdrawl_effective=decision", "Did you mean 'options.withdrawal_effective'"),
    ("notifications.received=2025-07-01", "notifications[0].received"),
    ("relationship.separated=early July", "not a date"),
    ("relationship.separated=2025-02-30", "not a date"),
    ("applications[0].excused=maybe", "true or false"),
    ("options.withdrawal_effective=never", "choose one of"),
    ("permits[0].purpose=partnr", "Did you mean 'partner'"),
    ("relationship.separated=2025-07-15..2025-07-01", "empty"),
    ("sponsor.status=dutch..permanent", "only for date fields"),
    ("relationship.separated", "PATH=VALUE"),
    ("relationship.separated=", "empty value"),
]


@pytest.mark.parametrize(("vary", "expect"), BAD_VARIES)
def test_bad_varies_raise_scenario_error(case, vary, expect):
    with pytest.raises(ScenarioError, match=None) as err:
        scenarios(case, [vary])
    assert expect in str(err.value)


@pytest.mark.parametrize(
    ("vary", "expect"),
    [
        ("notifications[7].received=2025-07-01", "Did you mean 'notifications[0].received'"),
        ("relationship.separated=2025-13-01", "not a date"),
        ("relationship.separated=2025-07-10..2025-07-01", "is empty"),
    ],
)
def test_cli_bad_input_exit_1_one_message(vary, expect):
    r = CliRunner().invoke(main, ["scenarios", str(EXAMPLE), "--vary", vary])
    assert r.exit_code == 1, r.output
    assert r.output.startswith("Error: ") and expect in r.output and "Traceback" not in r.output
    assert r.output.count("\n") == 1


def test_cli_without_vary_is_usage_error():
    assert CliRunner().invoke(main, ["scenarios", str(EXAMPLE)]).exit_code == 2


def test_invalid_scenario_stays_in_the_table(case):
    cmp = scenarios(case, ["notifications[0].received=2019-01-01,2025-07-11"])
    bad, good = cmp.scenarios[1], cmp.scenarios[2]
    assert not bad.valid and "before the relationship began" in bad.error and "notifications[0].received" in bad.error
    assert good.valid and good.outcome.gap_days == 92
    assert "invalid" in comparison_text(cmp)
    assert comparison_dict(cmp)["scenarios"][1]["valid"] is False


def test_duplicate_vary_and_too_many(case):
    with pytest.raises(ScenarioError, match="twice"):
        scenarios(case, ["relationship.separated=2025-07-01", "relationship.separated=2025-07-02"])
    with pytest.raises(ScenarioError, match="at most"):  # 1828 days x 3 options
        scenarios(
            case,
            [
                "relationship.separated=2020-01-01..2025-01-01",
                "options.withdrawal_effective=reported,decision,separation",
            ],
        )
    with pytest.raises(ScenarioError, match="at most"):
        parse_vary("relationship.separated=2000-01-01..2025-01-01")


@pytest.mark.parametrize(
    ("content", "expect"),
    [
        ('[[scenario]]\nset = { "relationship.separated" = 2025-07-01 }\n', "name is required"),
        ('[[scenario]]\nname = "a"\n', "set is required"),
        ('[[scenario]]\nname = "a"\nset = { "relationship.seperated" = 2025-07-01 }\n', "relationship.separated"),
        ('[[scenario]]\nname = "a"\nset = { "relationship.separated" = "x" }\n', "not a date"),
        ('[[scenarios]]\nname = "a"\n', "Did you mean 'scenario'"),
        ("[[scenario]\n", "invalid TOML"),
    ],
)
def test_bad_scenario_files(tmp_path, content, expect):
    f = tmp_path / "s.toml"
    f.write_text(content, encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load_scenarios(f)
    assert expect in str(err.value) and "s.toml" in str(err.value)
    r = CliRunner().invoke(main, ["scenarios", str(EXAMPLE), "--scenarios", str(f)])
    assert r.exit_code == 1 and "Traceback" not in r.output


def test_named_scenarios_in_code(case):
    path = parse_path("relationship.separated")
    cmp = scenarios(case, named=[NamedScenario("late", ((path, D("2025-07-15"), "2025-07-15"),))])
    assert cmp.scenarios[1].name == "late" and cmp.scenarios[1].outcome.reporting_deadline == D("2025-08-12")


# --------------------------------------------------------------------------- output formats and chart


def test_json_and_csv(case):
    r = CliRunner().invoke(
        main,
        ["scenarios", str(EXAMPLE), "--vary", "notifications[0].change_date=2025-07-01,2025-09-20", "--format", "json"],
    )
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert [s["gap_days"] for s in data["scenarios"]] == [92, 92, 11]
    assert data["scenarios"][2]["delta"]["gap_days"] == -81
    assert data["scenarios"][2]["gaps"] == [
        {"start": "2025-09-20", "end": "2025-10-01", "days": 11, "cause": "withdrawal", "cause_text": "withdrawal"}
    ]
    assert data["scenarios"][0]["naturalisation"]["routes"]["standard"] == "2030-10-01"
    c = CliRunner().invoke(
        main, ["scenarios", str(EXAMPLE), "--vary", "notifications[0].change_date=2025-09-20", "--format", "csv"]
    )
    rows = list(csv.DictReader(io.StringIO(c.output)))
    assert [r["scenario"] for r in rows] == ["base", "notifications[0].change_date=2025-09-20"]
    assert rows[1]["gap_days"] == "11" and rows[1]["delta_gap_days"] == "-81"
    assert rows[1]["notifications[0].change_date"] == "2025-09-20"
    assert comparison_csv(scenarios(case, [])).count("\n") == 2  # header + base


def test_dutch_text(case):
    text = comparison_text(scenarios(case, ["notifications[0].change_date=2025-09-20"]), "nl")
    assert "basisgeval" in text and "dagen verblijfsgat -81" in text


def test_chart_png(tmp_path):
    out = tmp_path / "comparison.png"
    r = CliRunner().invoke(
        main,
        ["scenarios", str(EXAMPLE), "--vary", "notifications[0].change_date=2025-07-01,2025-09-20", "-o", str(out)],
    )
    assert r.exit_code == 0, r.output
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    bad = CliRunner().invoke(
        main, ["scenarios", str(EXAMPLE), "--vary", "relationship.separated=2025-07-01", "-o", str(tmp_path / "c.txt")]
    )
    assert bad.exit_code == 1 and "Traceback" not in bad.output


def test_chart_panels_for_many_scenarios(case):
    cmp = scenarios(case, ["relationship.separated=2025-06-01..2025-07-03", "options.withdrawal_effective=separation"])
    shown, subset = panels(cmp)
    assert subset and len(shown) <= MAX_PANELS and shown[0] is cmp.base
    names = {s.name for s in shown}
    ext = {e.output: e for e in cmp.extremes}
    assert ext["gap_days"].best_scenario in names and ext["gap_days"].worst_scenario in names


def test_as_of_can_be_varied(case):
    cmp = scenarios(case, ["as_of=2025-08-01"], as_of=date(2025, 11, 23))
    # On 1 August 2025 the gap runs from 1 July and is still open: 31 days so far.
    assert cmp.scenarios[1].outcome.gap_days == 31 and cmp.scenarios[1].outcome.gaps[0].end is None


# --------------------------------------------------------------------------- reporting deadline and gaps in the outputs


def test_a_moved_reporting_deadline_is_a_difference(case):
    """The reporting deadline (R2.2) is compared: moving it is not "no difference"."""
    cmp = scenarios(case, ["relationship.separated=2025-07-01,2025-09-20"])
    same, moved = cmp.scenarios[1], cmp.scenarios[2]
    assert same.delta["reporting_deadline"] == 0 and same.reporting_change is None
    # separated 20 Sep 2025: deadline 18 Oct 2025 (a Saturday) rolls to Monday 20 Oct (ATW)
    assert moved.outcome.reporting_deadline == date(2025, 10, 20)
    assert moved.delta["reporting_deadline"] == (date(2025, 10, 20) - date(2025, 7, 29)).days == 83
    text = comparison_text(cmp)
    diffs = text.split("Difference against the base case")[1].split("Residence gaps")[0]
    assert "separated on 1 July 2025: no difference" in diffs
    assert "separated on 20 September 2025: reporting deadline +83 days" in diffs
    data = comparison_dict(cmp)
    assert data["scenarios"][2]["delta"]["reporting_deadline"] == 83
    assert data["scenarios"][2]["reporting_status_change"] is None
    rows = list(csv.DictReader(io.StringIO(comparison_csv(cmp))))
    assert rows[2]["delta_reporting_deadline"] == "83" and rows[2]["delta_reporting_status"] == ""
    # a moving deadline has no best or worst case: it is not among the extremes
    ranged = scenarios(case, ["relationship.separated=2025-07-01..2025-07-03"])
    assert "reporting_deadline" not in {e.output for e in ranged.extremes}


def test_on_time_turning_late_is_a_difference(case):
    cmp = scenarios(case, ["notifications[0].received=2025-07-10,2025-08-20"])
    late = cmp.scenarios[2]
    assert late.delta["reporting_deadline"] == 0 and late.outcome.reporting_status == "late"
    assert late.reporting_change == ("on-time", "late")
    assert "report by the sponsor received 20 August 2025: reporting: on time -> late" in comparison_text(cmp)
    assert "melding: op tijd -> te laat" in comparison_text(cmp, "nl")
    data = comparison_dict(cmp)
    assert data["scenarios"][2]["reporting_status_change"] == {"from": "on-time", "to": "late"}
    assert data["scenarios"][1]["reporting_status_change"] is None
    rows = list(csv.DictReader(io.StringIO(comparison_csv(cmp))))
    assert rows[2]["delta_reporting_status"] == "on-time -> late"


def test_gaps_state_their_last_day(case):
    """CSV: first..last day, both inclusive (as a --vary range); text: the last day too."""
    cmp = scenarios(case, ["notifications[0].change_date=2025-09-20"])
    rows = list(csv.DictReader(io.StringIO(comparison_csv(cmp))))
    assert rows[0]["gaps_first_to_last_day"] == "2025-07-01..2025-09-30 (92 days)"
    assert rows[1]["gaps_first_to_last_day"] == "2025-09-20..2025-09-30 (11 days)"
    text = comparison_text(cmp)
    assert "base case: 1 July 2025 - 1 October 2025 (last day 30 September 2025, 92 days)" in text
    nl = comparison_text(cmp, "nl")
    assert "1 juli 2025 - 1 oktober 2025 (laatste dag 30 september 2025, 92 dagen)" in nl


def test_an_ongoing_gap_is_ongoing_in_dutch_too(case):
    cmp = scenarios(case, ["as_of=2025-08-01"], as_of=date(2025, 11, 23))
    nl = comparison_text(cmp, "nl")
    assert "1 juli 2025 - loopt nog (31 dagen)" in nl and "ongoing" not in nl
    rows = list(csv.DictReader(io.StringIO(comparison_csv(cmp))))
    assert rows[1]["gaps_first_to_last_day"] == "2025-07-01..ongoing (31 days)"


def test_r6_4_filing_before_the_permit_ended_removes_the_gap_and_the_route():
    """examples/ten-years-in-total: filed on time, there is no gap, no earlier run, and
    the standard route (5 years from 2015) is the earliest; with the gap, R6.4 is."""
    case = load_case(ROOT / "examples" / "ten-years-in-total.toml")
    cmp = scenarios(case, ["applications[0].received=2023-01-31"])
    base, on_time = (s.outcome for s in cmp.scenarios)
    assert (base.gap_days, base.naturalisation_route, base.naturalisation) == (75, "long-residence", D("2025-04-17"))
    assert dict(base.routes)["long-residence"] == D("2025-04-17")
    assert (on_time.gap_days, on_time.naturalisation_route, on_time.naturalisation) == (0, "standard", D("2020-02-01"))
    assert "long-residence" not in dict(on_time.routes)  # no toelating before the run: not applicable
    row = next(csv.DictReader(io.StringIO(comparison_csv(cmp))))
    assert row["naturalisation_long_residence"] == "2025-04-17"


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_scenarios_are_titled_in_words_and_json_keeps_the_paths(case, lang):
    """Issue 12: "report by the sponsor received 10 July 2025: change dated 20 September 2025",
    never ``notifications[0].change_date=...``; the JSON keeps the path in ``settings``."""
    cmp = scenarios(
        case,
        [
            "notifications[0].change_date=2025-09-20",
            "applications[0].received=2025-09-20,2025-10-01",
            "as_of=2025-12-01",
        ],
    )
    text = comparison_text(cmp, lang)
    assert not re.search(r"\w\[\d+\]", text), text
    data = comparison_dict(cmp, lang)
    first = data["scenarios"][1]
    assert first["settings"]["notifications[0].change_date"] == "2025-09-20"
    assert not re.search(r"\[\d+\]", " ".join(r["title"] for r in data["scenarios"]))
    if lang == "en":
        assert first["title"] == (
            "report by the sponsor received 10 July 2025: change dated 20 September 2025; "
            "change-of-purpose application received 20 September 2025; as of 1 December 2025"
        )
    else:
        assert first["title"].startswith("melding door de referent van 10 juli 2025: wijziging per 20 september 2025; ")


def test_the_scenario_chart_marks_the_date_each_scenario_sets(case):
    """Issue 12 §4: each scenario's panel marks the date it sets (a triangle on its axis, in the
    legend); the base case, which sets nothing, has none."""
    from timeline.scenarios.chart import comparison_figure

    cmp = scenarios(case, ["notifications[0].change_date=2025-08-01,2025-09-20"])
    fig = comparison_figure(cmp, "en")
    marked = [
        [round(x) for line in ax.lines if line.get_marker() == "^" for x in line.get_xdata()] for ax in fig.axes[::2]
    ]
    assert marked[:3] == [[], [date(2025, 8, 1).toordinal()], [date(2025, 9, 20).toordinal()]]
    legend = [t.get_text() for leg in fig.legends for t in leg.get_texts()]
    assert "the date this scenario sets" in legend
