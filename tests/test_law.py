"""Legal parameters in a dated table (timeline/rules/parameters.csv, timeline.law; issue 15).

A change in the law is a new row with its date: a case whose relevant date is the day
before keeps the old value, the day after gets the new one, in the single case and in
batch. The tables here are written to temporary files and applied with ``law.using``;
the date arithmetic itself is never replaced.
"""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from batch_strategies import batches
from hypothesis import given
from hypothesis import strategies as st
from test_batch import EXAMPLES, check_equal, fast, option_sets, representable

from timeline import ParameterError, TimelineError, assess, case_from_dict, case_to_dict, law, load_case
from timeline.dates import Term

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "timeline" / "rules" / "parameters.csv"
RULES_MD = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")


def shipped_rows() -> list[dict[str, str]]:
    with SHIPPED.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def table(tmp_path: Path, changes: dict[str, list[tuple[str, str, int, str]]], name: str = "law.csv") -> str:
    """The shipped table with the rows of each parameter in ``changes`` replaced by
    ``(valid_from, valid_to, value, unit)`` rows (a change in the law, or a broken table)."""
    out = []
    for row in shipped_rows():
        if row["name"] not in changes:
            out.append(row)
        elif all(r["name"] != row["name"] for r in out):
            for start, end, value, unit in changes[row["name"]]:
                out.append({**row, "valid_from": start, "valid_to": end, "value": str(value), "unit": unit})
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=law.COLUMNS)
        writer.writeheader()
        writer.writerows(out)
    return str(path)


# --------------------------------------------------------------------------- the shipped table


def test_the_shipped_table_has_every_parameter_with_its_rule_and_an_official_source():
    loaded = law.load()
    assert set(loaded.rows) == set(law.PARAMETERS)
    for name, rows in loaded.rows.items():
        for row in rows:
            # The rule exists in the rules reference, and the source's URL is one it cites.
            assert f"### {row.rule} " in RULES_MD, (name, row.rule)
            url = re.search(r"https://\S+", row.source)
            assert url is not None and url.group(0) in RULES_MD, (name, row.source)


def test_the_shipped_values_are_todays_law():
    """The numbers the rules used as constants before the table (docs/rules.md)."""
    on = date(2026, 1, 1)
    assert law.term("notification_term", on) == Term(4, "weeks")  # R2.2
    assert law.term("objection_term", on) == Term(4, "weeks")  # R8.2
    assert law.term("regular_decision_period", on) == Term(90, "days")  # R8.3
    assert law.term("naturalisation_years", on) == Term(5, "years")  # R6.1
    assert law.term("eu_total_absence_limit", on) == Term(10, "months")  # R5.2
    # R4.2: the tolerance is IND policy from 1 July 2022, not before.
    assert law.find("late_extension_tolerance", date(2022, 6, 30)) is None
    assert law.term("late_extension_tolerance", date(2022, 7, 1)) == Term(4, "weeks")


def test_every_parameter_is_documented_in_the_rules_reference():
    section = RULES_MD.split("## Legal parameters", 1)[1].split("\n## ", 1)[0]
    for name in law.PARAMETERS:
        assert f"`{name}`" in section, name


# --------------------------------------------------------------------------- a broken table


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"notification_term": [("", "", 4, "fortnights")]}, "unit = 'fortnights'"),
        ({"eu_total_absence_limit": [("", "", 300, "days")]}, "valid for this parameter: months"),
        ({"notification_term": [("", "", -4, "weeks")]}, "value = '-4'"),
        ({"notification_term": [("2026-13-01", "", 4, "weeks")]}, "valid_from = '2026-13-01'"),
        ({"notification_term": [("2027-01-01", "2026-01-01", 4, "weeks")]}, "is not after valid_from"),
        ({"notification_term": [("", "2027-01-01", 4, "weeks"), ("2026-06-01", "", 6, "weeks")]}, "overlap"),
        ({"notification_term": [("", "", 4, "weeks"), ("2026-06-01", "", 6, "weeks")]}, "overlap"),
        ({"adult_age": []}, "no row for adult_age"),
    ],
)
def test_a_broken_table_is_one_clear_line(tmp_path, changes, message):
    path = table(tmp_path, changes)
    with pytest.raises(ParameterError) as err:
        law.load(path)
    text = str(err.value)
    assert message in text and text.startswith(path) and "\n" not in text


def test_an_unknown_name_and_wrong_columns(tmp_path):
    path = tmp_path / "law.csv"
    path.write_text(SHIPPED.read_text(encoding="utf-8") + "reporting_term,,,4,weeks,R2.2,x\n", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"line 27: name = 'reporting_term': not a parameter"):
        law.load(str(path))
    path.write_text("name,from,value\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="expected name, valid_from, valid_to, value, unit, rule, source"):
        law.load(str(path))
    with pytest.raises(ParameterError, match="cannot read"):
        law.load(str(tmp_path / "missing.csv"))
    assert issubclass(ParameterError, TimelineError)


def test_a_date_with_no_value_in_force_is_an_error_not_a_guess(tmp_path):
    path = table(tmp_path, {"notification_term": [("2020-01-01", "", 4, "weeks")]})
    case = case_from_dict(
        {
            "id": "x",
            "permits": [{"purpose": "partner", "start": "2015-01-01"}],
            "relationship": {"kind": "marriage", "separated": "2019-12-31"},
        }
    )
    with law.using(path), pytest.raises(ParameterError, match="no value of notification_term in force on 2019-12-31"):
        assess(case, date(2026, 1, 1))


# --------------------------------------------------------------------------- a change takes effect on its date

SEPARATED_CASE = {
    "id": "sep",
    "permits": [{"purpose": "partner", "start": "2022-03-01", "end": "2027-03-01"}],
    "relationship": {"kind": "marriage", "married": "2021-06-01"},
    "sponsor": {"status": "dutch"},
}


def _separated(day: date) -> dict:
    case = {**SEPARATED_CASE, "id": day.isoformat()}
    case["relationship"] = {**case["relationship"], "separated": day.isoformat()}
    return case


def test_r2_2_a_new_reporting_term_applies_from_its_date_single_case_and_batch(tmp_path):
    """R2.2: the term in force on the day of the change (the separation) sets the deadline."""
    change = date(2026, 7, 1)
    path = table(
        tmp_path, {"notification_term": [("", change.isoformat(), 4, "weeks"), (change.isoformat(), "", 6, "weeks")]}
    )
    before, after = change - timedelta(days=1), change
    cases = [_separated(before), _separated(after)]
    with law.using(path):
        got = {c["id"]: assess(case_from_dict(c), date(2026, 12, 1)).notification for c in cases}
        res, err, _ = check_equal(cases, as_of=date(2026, 12, 1))
    assert err.empty
    # Tuesday 30 June 2026 + 4 weeks = Tuesday 28 July; Wednesday 1 July + 6 weeks = Wednesday 12 August.
    assert got[before.isoformat()].deadline == date(2026, 7, 28)
    assert got[after.isoformat()].deadline == date(2026, 8, 12)
    assert list(res["notification_deadline"].dt.date) == [date(2026, 7, 28), date(2026, 8, 12)]
    # And with the shipped table both get four weeks.
    shipped = [assess(case_from_dict(c), date(2026, 12, 1)).notification.deadline for c in cases]
    assert shipped == [date(2026, 7, 28), date(2026, 7, 29)]


def _work(start: str) -> dict:
    return {"id": start, "permits": [{"purpose": "work", "start": start}]}


def _standard(start: str, as_of: date = date(2026, 1, 1)) -> date | None:
    """The standard route's date in the single case, checked against batch."""
    route = assess(case_from_dict(_work(start)), as_of).naturalisation.routes[0]
    assert route.route == "standard"
    res, err, _ = check_equal([_work(start)], as_of=as_of)
    assert err.empty and res["naturalisation_standard_eligible_from"].dt.date[0] == route.clock.eligible_from
    return route.clock.eligible_from


def test_r6_5_a_ten_year_naturalisation_term_from_a_date(tmp_path):
    """R6.5 as a row: ten years from 1 January 2027 (a made-up date; the bill is a draft).

    The term is the one in force on the request date: five years completed on 31 December
    2026 are enough; five years completing on 1 January 2027 are not, and the request
    waits for ten.
    """
    change = "2027-01-01"
    path = table(tmp_path, {"naturalisation_years": [("", change, 5, "years"), (change, "", 10, "years")]})
    assert _standard("2021-12-31") == date(2026, 12, 31)
    assert _standard("2022-01-01") == date(2027, 1, 1)
    with law.using(path):
        assert _standard("2021-12-31") == date(2026, 12, 31)
        assert _standard("2022-01-01") == date(2032, 1, 1)
    # The option still shows the draft's ten years for every date (OQ-18).
    case = case_from_dict(
        {"id": "n", "permits": [{"purpose": "work", "start": "2021-12-31"}], "options": {"naturalisation_years": "10"}}
    )
    assert assess(case, date(2026, 1, 1)).naturalisation.routes[0].clock.eligible_from == date(2031, 12, 31)


def test_r6_5_a_shorter_term_counts_from_its_first_day(tmp_path):
    """A term that shortens: a run that has the new term before the law changes may
    request on the day the change takes effect, not earlier."""
    path = table(tmp_path, {"naturalisation_years": [("", "2028-01-01", 5, "years"), ("2028-01-01", "", 3, "years")]})
    with law.using(path):
        assert _standard("2024-06-01") == date(2028, 1, 1)  # 3 years on 1 June 2027; the law from 2028
        assert _standard("2025-06-01") == date(2028, 6, 1)
        assert _standard("2022-06-01") == date(2027, 6, 1)  # 5 years under the old law come first


def _ages(start: str, birth: str, as_of: date) -> tuple[date | None, date | None]:
    """Permanent residence's and EU long-term residence's dates for a work permit from
    ``start`` of a person born on ``birth``, in the single case, checked against batch."""
    case = {**_work(start), "person": {"birth_date": birth}}
    a = assess(case_from_dict(case), as_of)
    res, err, _ = check_equal([case], as_of=as_of)
    assert err.empty
    assert res["permanent_residence_eligible_from"].dt.date[0] == a.permanent_residence.eligible_from
    assert res["eu_long_term_eligible_from"].dt.date[0] == a.eu_long_term.eligible_from
    return a.permanent_residence.eligible_from, a.eu_long_term.eligible_from


def test_r5_1_terms_by_date_single_case_and_batch(tmp_path):
    """R5.1 in batch as in the single case: the minimum age in force on the assessment date,
    the five years in force on the request date (R6.5's reading), each case by its own date."""
    change = "2027-01-01"
    path = table(
        tmp_path,
        {
            "permanent_residence_min_age": [("", change, 8, "years"), (change, "", 12, "years")],
            "permanent_residence_years": [("", change, 5, "years"), (change, "", 7, "years")],
        },
    )
    # Born 1 June 2010: 8 on 1 June 2018, 12 on 1 June 2022; permit from 2015.
    with law.using(path):
        before, _ = _ages("2015-01-01", "2010-06-01", date(2026, 12, 31))
        after, _ = _ages("2015-01-01", "2010-06-01", date(2027, 1, 1))
        late, _ = _ages("2022-06-01", "1990-01-01", date(2026, 1, 1))
    assert before == date(2023, 6, 1)  # age 8 on 1 June 2018, + 5 years
    assert after == date(2029, 6, 1)  # age 12 on 1 June 2022, + 7 years (the request falls after the change)
    assert late == date(2029, 6, 1)  # 5 years would complete on 1 June 2027, under the 7-year law: 1 June 2029


def test_r5_2_terms_on_the_assessment_date_single_case_and_batch(tmp_path):
    """R5.2's term in force on each case's assessment date, in batch as in the single case."""
    change = "2026-06-01"
    path = table(tmp_path, {"eu_long_term_years": [("", change, 5, "years"), (change, "", 4, "years")]})
    with law.using(path):
        _, before = _ages("2020-01-01", "1990-01-01", date(2026, 5, 31))
        _, after = _ages("2020-01-01", "1990-01-01", date(2026, 6, 1))
    assert (before, after) == (date(2025, 1, 1), date(2024, 1, 1))


# --------------------------------------------------------------------------- batch looks terms up by date

#: The reporting, objection and tolerance terms, each its own parameter, all different, and
#: each changing on a date inside the range the random cases cover (issue 15: batch must
#: not depend on their being equal); the naturalisation term, longer then shorter; and
#: every other term batch applies, changing inside the range of the assessment dates and
#: request dates the random cases have.
CHANGED = {
    "permanent_residence_years": [("", "2026-01-01", 5, "years"), ("2026-01-01", "", 4, "years")],
    "permanent_residence_min_age": [("", "2022-01-01", 8, "years"), ("2022-01-01", "", 10, "years")],
    "eu_long_term_years": [("", "2025-01-01", 5, "years"), ("2025-01-01", "", 6, "years")],
    "eu_single_absence_limit": [("", "2024-01-01", 6, "months"), ("2024-01-01", "", 4, "months")],
    "eu_total_absence_limit": [("", "2024-06-01", 10, "months"), ("2024-06-01", "", 8, "months")],
    "national_absence_limit": [("", "2025-01-01", 6, "months"), ("2025-01-01", "", 3, "months")],
    "spouse_years": [("", "2027-01-01", 3, "years"), ("2027-01-01", "", 5, "years")],
    "partner_years": [("", "2025-06-01", 3, "years"), ("2025-06-01", "", 2, "years")],
    "long_residence_years": [("", "2024-01-01", 2, "years"), ("2024-01-01", "", 3, "years")],
    "long_residence_total_years": [("", "2026-01-01", 10, "years"), ("2026-01-01", "", 8, "years")],
    "notification_term": [("", "2024-03-01", 5, "weeks"), ("2024-03-01", "", 3, "months")],
    "objection_term": [("", "2025-05-06", 6, "weeks"), ("2025-05-06", "", 4, "weeks")],
    "objection_posting_grace": [("", "2024-01-01", 1, "weeks"), ("2024-01-01", "", 10, "days")],
    "late_extension_tolerance": [("2022-07-01", "2025-01-01", 4, "weeks"), ("2025-01-01", "", 8, "weeks")],
    "naturalisation_years": [
        ("", "2027-01-01", 5, "years"),
        ("2027-01-01", "2030-01-01", 10, "years"),
        ("2030-01-01", "", 3, "years"),
    ],
}


@pytest.fixture(scope="module")
def changed_law(tmp_path_factory):
    path = table(tmp_path_factory.mktemp("law"), CHANGED)
    with law.using(path) as t:
        yield t


def test_examples_equal_assess_under_changed_event_terms(changed_law):
    cases = [case_to_dict(load_case(p)) for p in EXAMPLES]
    for when in (None, date(2024, 2, 29), date(2026, 4, 6)):
        check_equal(cases, as_of=when)


def test_the_changed_table_changes_answers(changed_law):
    """The differential test above would pass with a table that changed nothing: this case
    shows the new rows at work (a 3-month reporting term from 1 March 2024)."""
    a = assess(case_from_dict(_separated(date(2024, 3, 1))), date(2026, 1, 1))
    assert a.notification.raw_deadline == date(2024, 6, 1)
    assert a.notification.deadline == date(2024, 6, 3)  # Saturday 1 June 2024, rolled to Monday


@fast(40)
@given(batches(), st.one_of(st.none(), st.dates(date(2016, 1, 1), date(2031, 12, 31))), option_sets)
def test_random_cases_equal_assess_under_changed_event_terms(changed_law, cases, as_of, options):
    check_equal(representable(cases), as_of=as_of, options=options or None)


def test_import_timeline_does_not_read_the_table():
    """The table is read on first use, not by ``import timeline`` (start-up)."""
    code = "import sys, timeline, timeline.law as l; print(l._table is None, 'csv' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["True", "False"]
