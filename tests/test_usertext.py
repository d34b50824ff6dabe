"""Any id and description, in any script and with control characters, goes through every
output: chart, report, calendar and scenario chart (issue 11)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import icalendar
import pytest
from budget import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import timeline
from timeline.chart import chart_spec, render
from timeline.ics import actions_ics
from timeline.io import case_from_dict, case_to_dict
from timeline.report import write_report
from timeline.scenarios import NamedScenario, parse_path, scenarios
from timeline.scenarios.chart import comparison_figure
from timeline.usertext import REPLACEMENT, drawable, one_line, undrawable

ROOT = Path(__file__).resolve().parents[1]
BASE = case_to_dict(timeline.load_case(ROOT / "examples" / "separation-reported-early.toml"))
AS_OF = date(2025, 11, 23)

SCRIPTS = [
    "王秀英",  # Chinese
    "देवनागरी",  # Devanagari
    "สมชาย",  # Thai
    "김민준",  # Hangul
    "محمد",  # Arabic (right to left)
    "Zoë O'Brien-Łukasz",  # Latin that the font has
    "a\tb\nc\rd\x00e\x1bf",  # control characters
    "$x^2$ \\frac{1}{2}",  # would be mathematics if parsed
    "\u202eevil\u202c",  # bidirectional override
]


def _case(text: str) -> timeline.Case:
    return case_from_dict({**BASE, "id": text, "description": text})


@pytest.mark.parametrize("text", SCRIPTS)
def test_every_script_is_drawn_or_replaced_never_a_crash(text):
    case = _case(text)
    a = timeline.assess(case, AS_OF)
    spec = chart_spec(a, case, lang="nl")
    assert not set(spec.title) & set("\t\n\r\x00\x1b")
    render(spec)
    ics = actions_ics(a.actions, case_id=case.id, as_of=AS_OF, statuses=None)
    parsed = icalendar.Calendar.from_ical(ics)
    assert len(parsed.walk("VEVENT")) == len(a.actions)  # no event injected or lost
    assert b"\r" not in ics.replace(b"\r\n", b"")  # no bare CR
    named = [NamedScenario(text, ((parse_path("notifications[0].change_date"), date(2025, 9, 20), "2025-09-20"),))]
    cmp = scenarios(case, ["notifications[0].change_date=2025-07-01"], named=named, as_of=AS_OF)
    comparison_figure(cmp, "en").savefig(io.BytesIO(), format="png")


def test_a_report_with_every_script_is_written(tmp_path):
    text = " | ".join(SCRIPTS)  # one report for all (a report takes a few seconds to write)
    case = case_from_dict({**BASE, "id": SCRIPTS[0] + SCRIPTS[6] + SCRIPTS[7], "description": text})
    write_report(timeline.assess(case, AS_OF), case, tmp_path / "r.pdf", lang="nl")
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")


def test_drawable_keeps_what_the_font_has_and_marks_the_rest():
    assert drawable("Zoë O'Brien-Łukasz") == "Zoë O'Brien-Łukasz"
    assert drawable("王a") == REPLACEMENT + "a"
    assert drawable("a\tb\nc") == "a b c"
    assert drawable("$x$") == "$x$"  # drawn as text (parse_math=False), not changed
    assert undrawable("王王a\x00") == "王, U+0000"
    assert undrawable("Zoë") == ""


def test_one_line_escapes_what_could_break_or_spoof_a_line():
    assert one_line("x\ry\nBEGIN:VEVENT") == "x y BEGIN:VEVENT"
    assert one_line("a\x00b\x1b[31m") == "a\\x00b\\x1b[31m"
    assert one_line("\u202eevil") == "\\u202eevil"
    assert one_line("Łukasz 王 محمد\u200d") == "Łukasz 王 محمد\u200d"


@settings(max_examples=examples(30), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=1, max_size=40).filter(str.strip))  # an empty or blank id is refused
def test_any_text_as_id_gives_a_chart_and_a_calendar(text):
    case = _case(text)
    a = timeline.assess(case, AS_OF)
    spec = chart_spec(a, case)
    assert REPLACEMENT in spec.title or undrawable(text) == ""
    ics = actions_ics(a.actions, case_id=case.id, as_of=AS_OF)
    assert len(icalendar.Calendar.from_ical(ics).walk("VEVENT")) == sum(x.status == "ahead" for x in a.actions)


def test_a_lone_surrogate_is_refused_by_the_reader(tmp_path):
    path = tmp_path / "c.json"
    path.write_text('{"id": "\\ud800x", "permits": [{"purpose": "work", "start": "2020-01-01"}]}')
    with pytest.raises(timeline.CaseError, match="unpaired surrogate"):
        timeline.load_case(path)


def test_a_scenario_name_with_control_characters_is_refused(tmp_path):
    from timeline.scenarios import ScenarioError, load_scenarios

    path = tmp_path / "s.toml"
    path.write_text('[[scenario]]\nname = "evil\\rname"\nset = { "notifications[0].change_date" = 2025-09-20 }\n')
    with pytest.raises(ScenarioError, match="must not contain line breaks"):
        load_scenarios(path)
