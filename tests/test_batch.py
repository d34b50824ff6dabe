"""Batch path (issue 5): the event table, its conversions, and `assess_table` == `assess` field by field.

The differential tests build each expected row from the single-case engine's Assessment
here, independently of :mod:`timeline.batch` (which has its own mapping for the cases it
routes to the engine).
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from batch_strategies import batches, case_dicts
from budget import examples
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline import CaseError, assess, case_from_dict, case_to_dict, load_case
from timeline.batch import (
    ERROR_COLUMNS,
    GAP_COLUMNS,
    RESULT_COLUMNS,
    ROUTE_NAMES,
    STATUS_NAMES,
    assess_table,
)
from timeline.batch_summary import summarise
from timeline.cli import main
from timeline.options import OPTIONS
from timeline.synth import make_cases, make_table
from timeline.tables import (
    COLUMNS,
    TableError,
    cases_to_table,
    flatten_case,
    parquet_files,
    read_table,
    table_to_cases,
    write_table,
)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))


#: One event, so that a case is assessed (a case that records none is refused: engine.check_facts).
WORK_PERMIT = {"purpose": "work", "start": "2020-01-01"}


def fast(n: int) -> settings:
    """``n`` examples with ``pytest --ci``, a third in the default run (tests/budget.py)."""
    return settings(max_examples=examples(n), deadline=None, suppress_health_check=list(HealthCheck))


# --------------------------------------------------------------------------- helpers


def expected_row(a) -> dict[str, Any]:
    """The batch columns, read straight off a single-case Assessment."""
    n = a.notification
    routes = {r.route: r.clock.eligible_from for r in a.naturalisation.routes}
    last = a.gaps[-1] if a.gaps else None
    return {
        "as_of": a.as_of,
        "gap_count": len(a.gaps),
        "gap_days": sum(g.days for g in a.gaps),
        "gap_ongoing": last is not None and last.end is None,
        "first_gap_start": a.gaps[0].start if a.gaps else None,
        "last_gap_end": last.end if last else None,
        "notification_trigger": n.trigger if n else None,
        "notification_deadline": n.deadline if n else None,
        "notification_received": n.received if n else None,
        "notification_status": n.status if n else None,
        "notification_days_late": n.days_late if n else None,
        "permanent_residence_eligible_from": a.permanent_residence.eligible_from,
        "eu_long_term_eligible_from": a.eu_long_term.eligible_from,
        "naturalisation_eligible_from": a.naturalisation.eligible_from,
        "naturalisation_route": a.naturalisation.route,
        "naturalisation_standard_eligible_from": routes["standard"],
        "naturalisation_spouse_eligible_from": routes["spouse"],
        "naturalisation_partner_eligible_from": routes["partner"],
        "naturalisation_long_residence_eligible_from": routes["long-residence"],
    }


def plain(v: Any) -> Any:
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, float) and v != v:
        return None
    if isinstance(v, pd.Timestamp):
        return v.date()
    if hasattr(v, "item"):
        return v.item()
    return v


def check_equal(
    cases: list[dict[str, Any]], as_of: date | None = None, options: dict[str, str] | None = None, layout: Any = None
):
    """Run both paths on ``cases``; every case once, results and gaps equal field by field.
    ``layout``: a change of the table's column types (the values stay)."""
    table = cases_to_table(cases)
    res, err, gaps = assess_table(table if layout is None else layout(table), as_of=as_of, options=options)
    rows = {r["id"]: r for r in res.to_dict("records")}
    errors = {r["case_id"]: r for r in err.to_dict("records")}
    assert len(rows) == len(res) and len(errors) == len(err)
    for c in cases:
        cid = c["id"]
        assert (cid in rows) != (cid in errors), cid
        try:
            case = case_from_dict(c, options=options)
        except CaseError as e:
            got = errors.get(cid)
            assert got is not None, (c, e)
            assert (got["record"], got["field"], got["reason"]) == (e.record, e.field, e.reason)
            continue
        when = as_of or case.as_of
        if when is None:
            assert errors[cid]["field"] == "as_of"
            continue
        try:
            a = assess(case, when, options)
        except CaseError as e:  # facts the engine refuses (engine.check_facts): the same error in batch
            got = errors.get(cid)
            assert got is not None, (c, e)
            assert (got["record"], got["field"], got["reason"]) == (e.record, e.field, e.reason)
            continue
        except (OverflowError, ValueError):  # the engine fails on dates near year 1 (see report)
            assert errors[cid]["reason"].startswith("the case cannot be assessed")
            continue
        assert cid in rows, (c, errors.get(cid))
        got = {k: plain(v) for k, v in rows[cid].items() if k != "id"}
        want = expected_row(a)
        assert got == want, {k: (got[k], want[k]) for k in want if got[k] != want[k]}
        g = gaps[gaps["id"] == cid]
        assert [
            (plain(x.start), plain(x.end), x.days, x.cause, plain(x.record), x.procedural_days) for x in g.itertuples()
        ] == [(y.start, y.end, y.days, y.cause, y.record, y.procedural_days) for y in a.gaps]
        assert list(g["gap"]) == list(range(len(a.gaps)))
    return res, err, gaps


def without_empty_arrays(d: dict[str, Any]) -> dict[str, Any]:
    """An empty array or options table has no rows: the same as absent (for the case reader too)."""
    lists = ("permits", "notifications", "applications", "absences", "options")
    return {k: v for k, v in d.items() if not (k in lists and not v)}


def representable(cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Cases a table can hold; the others must be invalid for the case reader too."""
    out = []
    for c in cases:
        try:
            flatten_case(c)
        except ValueError:
            with pytest.raises(CaseError):
                case_from_dict(c)
            continue
        out.append(c)
    return out


option_sets = st.dictionaries(st.sampled_from(sorted(OPTIONS)), st.integers(0, 3), max_size=3).map(
    lambda d: {k: OPTIONS[k].choices[i % len(OPTIONS[k].choices)] for k, i in d.items()}
)


# --------------------------------------------------------------------------- differential tests


@pytest.mark.parametrize("options", [None, {"withdrawal_effective": "decision"}, {"leap_day_anniversary": "feb28"}])
def test_every_example_equals_assess(options):
    cases = [case_to_dict(load_case(p)) for p in EXAMPLES]
    res, err, _ = check_equal(cases, options=options)
    assert len(res) == len(EXAMPLES) and err.empty


def test_examples_on_other_dates():
    cases = [case_to_dict(load_case(p)) for p in EXAMPLES]
    for when in (date(2024, 2, 29), date(2026, 4, 6), date(2030, 1, 1)):
        check_equal(cases, as_of=when)


@fast(70)
@given(batches(), st.one_of(st.none(), st.dates(date(2016, 1, 1), date(2031, 12, 31))), option_sets)
def test_random_cases_equal_assess(cases, as_of, options):
    """All record kinds, boundaries, leap days, holidays, invalid values, options: both paths agree."""
    check_equal(representable(cases), as_of=as_of, options=options or None)


def categorical(table: pd.DataFrame) -> pd.DataFrame:
    """Every text column as pandas' category, as a Parquet export from pandas keeps them."""
    return table.astype({name: "category" for name in table.columns if pd.api.types.is_string_dtype(table[name])})


@fast(40)
@given(batches(), st.one_of(st.none(), st.dates(date(2016, 1, 1), date(2031, 12, 31))))
def test_random_cases_in_categorical_columns_equal_assess(cases, as_of):
    """The same, with every text column categorical: both paths agree (they did not before)."""
    check_equal(representable(cases), as_of=as_of, layout=categorical)


#: The readings of issue 16 §3 together (OQ-23, OQ-24, OQ-25), each off its default.
READINGS = {
    "total_years_reading": "years-months-days",
    "eu_search_year_weight": "half",
    "eu_contested_withdrawal": "bridge",
}


@fast(60)
@given(batches(), st.one_of(st.none(), st.dates(date(2016, 1, 1), date(2031, 12, 31))))
def test_random_cases_equal_assess_under_the_other_readings(cases, as_of):
    """OQ-23, OQ-24, OQ-25 off their defaults at once: both paths agree."""
    check_equal(representable(cases), as_of=as_of, options=READINGS)


def test_objection_posted_in_time_and_first_objection_count_as_in_assess():
    """R8.2, Awb 6:9: an objection received the day after the deadline but posted before
    it keeps the withdrawal suspended (procedural stay, Vw 73(1)); with two objections
    against one decision, the first in file order counts (found by hypothesis, seed 85)."""
    withdrawn = {"purpose": "partner", "start": "2013-05-02", "end": "2018-05-02", "withdrawal_decided": "2014-05-24"}
    work = {"purpose": "work", "start": "2014-05-24", "end": "2019-04-22"}
    # Deadline: 24 May + 4 weeks = Saturday 21 June 2014, rolled to Monday 23 June (ATW).
    late_but_posted = {"kind": "objection", "received": "2014-06-24", "posted": "2014-06-22", "against": "permits[0]"}
    late = {"kind": "objection", "received": "2014-06-24", "against": "permits[0]"}
    on_time = {
        "kind": "objection",
        "received": "2014-06-20",
        "outcome": "refused",
        "decided": "2015-01-10",
        "against": "permits[0]",
    }
    cases = [
        {"id": "posted", "permits": [withdrawn, work], "applications": [late_but_posted]},
        {"id": "late", "permits": [withdrawn, work], "applications": [late]},
        {"id": "first-counts", "permits": [withdrawn, work], "applications": [late, on_time]},
        {"id": "first-counts-2", "permits": [withdrawn, work], "applications": [on_time, late]},
    ]
    _, _, gaps = check_equal(cases, as_of=date(2020, 1, 1))
    days = {cid: int(g["procedural_days"].sum()) for cid, g in gaps.groupby("id")}
    assert days["posted"] == 254 and days["late"] == 0  # 22 Apr 2019 - 1 Jan 2020, still suspended


def _long_history_cases(count: int, seed: int) -> list[dict[str, Any]]:
    """Long first stays, a gap, a second stay, and absences of every length in and
    between them: the cases where R6.4 (10 years in total) matters."""
    rng = np.random.default_rng(seed)
    day = date(2005, 1, 1).toordinal()
    cases = []
    for i in range(count):
        s1 = day + int(rng.integers(0, 2500))
        e1 = s1 + int(rng.integers(300, 4600))
        s2 = e1 + int(rng.integers(1, 700))
        iso = lambda d: date.fromordinal(int(d)).isoformat()  # noqa: E731
        absences = []
        for _ in range(int(rng.integers(0, 3))):
            dep = int(rng.integers(s1, s2 + 1500))
            back = dep + int(rng.choice([30, 150, 182, 183, 184, 240, 400]))
            absences.append({"departed": iso(dep), "returned": iso(back)})
        cases.append(
            {
                "id": f"long-{i}",
                "as_of": iso(s2 + int(rng.integers(0, 3000))),
                "permits": [
                    {"purpose": "work", "start": iso(s1), "end": iso(e1)},
                    {"purpose": "partner", "start": iso(s2)},
                ],
                "absences": sorted(absences, key=lambda a: a["departed"]),
            }
        )
    return cases


@pytest.mark.parametrize(
    "options",
    [
        None,
        {"national_absence_threshold": "6-months-or-more"},
        {"naturalisation_years": "10", "leap_day_anniversary": "feb28"},
    ],
)
def test_long_histories_equal_assess_r6_4(options):
    """R6.4 in batch equals the engine, and the cases really exercise it."""
    res, _, _ = check_equal(_long_history_cases(300, seed=64), options=options)
    won = (res["naturalisation_route"] == "long-residence").sum()
    assert won >= 30, won


def test_realistic_generated_cases_equal_assess():
    table = make_table(400, seed=7)
    res, err, _ = assess_table(table, default_as_of=date(2026, 1, 1))
    rows = res.set_index("id")
    assert len(res) + len(err) == 400
    for tc in table_to_cases(table):
        try:
            case = case_from_dict(tc.data)
        except CaseError:
            assert tc.case_id in set(err["case_id"])
            continue
        a = assess(case, case.as_of or date(2026, 1, 1))
        got = {k: plain(v) for k, v in rows.loc[tc.case_id].items()}
        assert got == expected_row(a), tc.case_id


mixes = st.fixed_dictionaries(
    {},
    optional={
        k: st.sampled_from([0.0, 1.0, 0.5]) if k != "absences" else st.sampled_from([0.0, 1.0, 8.0])
        for k in ("separation", "late_report", "late_extension", "first_application", "absences", "long_absence")
    },
)


@fast(12)
@given(st.integers(0, 2**32 - 1), mixes, st.dates(date(2020, 1, 1), date(2031, 12, 31)))
def test_synthetic_cases_of_any_mix_equal_assess(seed, mix, as_of):
    """The synthetic generator at its extremes (everyone separated, every report late, ...): both paths agree."""
    cases = [c.data for c in table_to_cases(make_table(25, seed=seed, mix=mix))]
    check_equal(cases, as_of=as_of)


# --------------------------------------------------------------------------- the table format


@fast(80)
@given(case_dicts(valid_only=True))
def test_jsonl_table_jsonl_is_the_identity(data):
    d = {"id": "x", **data}
    back = table_to_cases(cases_to_table([d]))
    assert len(back) == 1 and back[0].data == without_empty_arrays(d)
    try:
        case = case_from_dict(d)
    except CaseError:
        return
    assert case_to_dict(case_from_dict(back[0].data)) == case_to_dict(case)


@fast(15)
@given(st.lists(case_dicts(valid_only=True), min_size=1, max_size=6))
def test_files_round_trip_through_csv_parquet_and_jsonl(tmp_path_factory, cases):
    cases = [{"id": f"c{i}", **c} for i, c in enumerate(cases)]
    folder = tmp_path_factory.mktemp("rt")
    table = cases_to_table(cases)
    for ext in (".csv", ".parquet", ".jsonl"):
        path = folder / f"t{ext}"
        write_table(table, path)
        assert [c.data for c in table_to_cases(read_table(path))] == [without_empty_arrays(c) for c in cases], ext


def test_table_columns_and_a_small_example():
    df = cases_to_table([case_to_dict(load_case(EXAMPLES[0]))])
    assert tuple(df.columns) == COLUMNS
    assert df["record"].iloc[0] == "case" and df["index"].dtype == "int64"
    assert str(df["excused"].dtype) == "boolean"


def test_empty_text_and_absent_values_stay_distinct_in_csv(tmp_path):
    permit = [{"purpose": "work", "start": "2020-01-01"}]  # an event: a case without one is not assessed
    cases = [{"id": "a", "sponsor": {"status": ""}, "permits": permit}, {"id": "b", "sponsor": {}, "permits": permit}]
    write_table(cases_to_table(cases), tmp_path / "t.csv")
    assert [c.data for c in table_to_cases(read_table(tmp_path / "t.csv"))] == cases
    res, err, _ = assess_table(read_table(tmp_path / "t.csv"), as_of=date(2025, 1, 1))
    assert list(res["id"]) == ["b"] and list(err["field"]) == ["status"]


def test_notes_with_newlines_and_quotes_survive_csv(tmp_path):
    cases = [{"id": "a", "permits": [{"purpose": "work", "start": "2020-01-01", "note": 'line 1\nsaid "x", ok'}]}]
    write_table(cases_to_table(cases), tmp_path / "t.csv")
    assert [c.data for c in table_to_cases(read_table(tmp_path / "t.csv"))] == cases


# --------------------------------------------------------------------------- validation and errors


def test_every_case_once_and_errors_name_row_record_field_value():
    cases = [
        {"id": "ok", "as_of": "2025-01-01", "permits": [{"purpose": "work", "start": "2020-01-01"}]},
        {"id": "bad-date", "as_of": "2025-01-01", "permits": [{"purpose": "work", "start": "2020-02-30"}]},
        {"id": "bad-choice", "as_of": "2025-01-01", "sponsor": {"status": "dutchh"}},
        {"id": "no-as-of"},
        {"id": "  "},
    ]
    res, err, _ = assess_table(cases_to_table(cases))
    assert list(res["id"]) == ["ok"]
    by = err.set_index("case_id")
    assert by.loc["bad-date", "record"] == "permits[0]" and by.loc["bad-date", "field"] == "start"
    assert by.loc["bad-date", "value"] == "2020-02-30" and by.loc["bad-date", "row"] == 3
    assert by.loc["bad-choice", "value"] == "dutchh" and "choose one of" in by.loc["bad-choice", "reason"]
    assert by.loc["no-as-of", "field"] == "as_of"
    assert by.loc["  ", "field"] == "id"
    assert list(err.columns) == list(ERROR_COLUMNS)


def test_table_structure_errors():
    base = cases_to_table(
        [{"id": "a", "as_of": "2025-01-01", "person": {"birth_date": "1990-01-01"}, "permits": [WORK_PERMIT]}]
    )
    dup = pd.concat([base, base.iloc[[1]]], ignore_index=True)  # two person rows
    res, err, _ = assess_table(dup)
    assert res.empty and "more than one person" in err["reason"].iloc[0]

    gap = cases_to_table([{"id": "a", "permits": [{"purpose": "work", "start": "2020-01-01"}] * 2}])
    gap.loc[2, "index"] = 5
    assert "numbered 0, 1, 2" in assess_table(gap, as_of=date(2025, 1, 1)).errors["reason"].iloc[0]

    unknown = base.copy()
    unknown.loc[1, "record"] = "persons"
    assert assess_table(unknown).errors["field"].iloc[0] == "record"

    stray = base.copy()
    stray.loc[1, "purpose"] = "work"  # a permit field on a person row
    e = assess_table(stray).errors
    assert (e["record"].iloc[0], e["field"].iloc[0]) == ("person", "purpose")

    no_id = base.copy()
    no_id.loc[1, "case_id"] = None
    r = assess_table(no_id)
    assert len(r.results) == 1 and r.errors["case_id"].isna().all() and r.errors["row"].iloc[0] == 1


def test_dates_as_datetime_or_date_columns_and_bad_types():
    df = cases_to_table([{"id": "a", "as_of": "2025-01-01", "permits": [{"purpose": "work", "start": "2020-01-01"}]}])
    typed = df.copy()
    typed["start"] = pd.to_datetime(typed["start"])
    typed["as_of"] = pd.to_datetime(typed["as_of"]).dt.date
    r1, r2 = assess_table(df), assess_table(typed)
    assert r2.errors.empty and r1.results.equals(r2.results)
    timed = df.copy()
    timed["start"] = pd.to_datetime(timed["start"]) + pd.Timedelta(hours=3)
    assert assess_table(timed).errors["field"].tolist() == ["start"]
    mixed = df.copy().astype({"start": object})
    mixed.loc[1, "start"] = 20200101
    assert assess_table(mixed).errors["field"].tolist() == ["start"]


def test_csv_booleans_true_false_one_zero():
    case = {"id": "a", "as_of": "2025-01-01", "person": {"turkish_national": True}, "permits": [WORK_PERMIT]}
    df = cases_to_table([case])
    for text, ok in (("true", True), ("False", True), ("1", True), ("yes", False)):
        t = df.astype({"turkish_national": object})
        t.loc[1, "turkish_national"] = text
        assert assess_table(t).errors.empty is ok, text


def test_far_dates_go_through_the_engine_and_become_errors():
    cases = [
        {"id": "old", "as_of": "0950-06-01", "permits": [{"purpose": "work", "start": "0940-01-01"}]},
        {
            "id": "crash",
            "as_of": "2025-01-01",
            "permits": [{"purpose": "work", "start": "2020-01-01", "withdrawal_decided": "0001-01-01"}],
        },
    ]
    res, err, _ = check_equal(cases)
    assert list(res["id"]) == [] and sorted(err["case_id"]) == ["crash", "old"]
    assert all("supported range" in r for r in err["reason"])


def test_options_apply_to_every_case_and_bad_options_stop_the_run():
    cases = [case_to_dict(load_case(p)) for p in EXAMPLES]
    check_equal(cases, options={"end_date_convention": "inclusive", "notification_trigger": "divorce"})
    from timeline import OptionError

    with pytest.raises(OptionError):
        assess_table(cases_to_table(cases), options={"withdrawal_effective": "never"})


def test_result_dtypes_are_stable():
    res, _, gaps = assess_table(cases_to_table([case_to_dict(load_case(p)) for p in EXAMPLES]))
    assert {k: str(v) for k, v in res.dtypes.items()} == RESULT_COLUMNS
    assert {k: str(v) for k, v in gaps.dtypes.items()} == GAP_COLUMNS
    empty = assess_table(cases_to_table([]))
    assert {k: str(v) for k, v in empty.results.dtypes.items()} == RESULT_COLUMNS
    assert {k: str(v) for k, v in empty.errors.dtypes.items()} == ERROR_COLUMNS


def test_index_column_is_optional():
    df = cases_to_table([case_to_dict(load_case(p)) for p in EXAMPLES])
    a = assess_table(df).results
    assert a.equals(assess_table(df.drop(columns="index")).results)


def test_numeric_case_ids_become_text():
    df = cases_to_table([{"id": "7", "as_of": "2025-01-01", "permits": [WORK_PERMIT]}])
    df["case_id"] = df["case_id"].astype(float)
    res, err, _ = assess_table(df)
    assert list(res["id"]) == ["7.0"] and err.empty


def test_arrow_input_and_unsorted_rows():
    cases = [case_to_dict(load_case(p)) for p in EXAMPLES]
    df = cases_to_table(cases)
    shuffled = df.sample(frac=1, random_state=3).reset_index(drop=True)
    a = assess_table(df).results.sort_values("id").reset_index(drop=True)
    b = assess_table(pa.Table.from_pandas(shuffled, preserve_index=False)).results
    assert a.equals(b.sort_values("id").reset_index(drop=True))


# --------------------------------------------------------------------------- command line


def example_assessments() -> list[Any]:
    """The single-case engine's assessment of each example, on its own as_of."""
    return [assess(c, c.as_of) for c in map(load_case, EXAMPLES)]


def expected_summary(assessments: list[Any]) -> dict[tuple[str, str], float]:
    """The figures of ``summarise``, computed from single-case assessments."""
    nan = float("nan")

    def quantile(values: list[float], q: float) -> float:
        return float(np.quantile(values, q)) if values else nan

    def years(a: Any, eligible: date | None) -> float:
        return max(0, (eligible - a.as_of).days) / 365.25

    gapped = [a for a in assessments if a.gaps]
    out: dict[tuple[str, str], float] = {
        ("cases", ""): len(assessments),
        ("share with a gap", ""): len(gapped) / len(assessments),
        ("share with a gap on as_of", ""): sum(a.gaps[-1].end is None for a in gapped) / len(assessments),
    }
    gap_days = [sum(g.days for g in a.gaps) for a in gapped]
    for q, label in ((0.25, "p25"), (0.5, "median"), (0.75, "p75"), (0.9, "p90")):
        out["gap days (cases with a gap)", label] = quantile(gap_days, q)
    status = [a.notification.status for a in assessments if a.notification is not None]
    for s in STATUS_NAMES:
        out["reporting status", s] = status.count(s)
    due = [s for s in status if s != "not-yet-due"]
    out["late-reporting rate (late or missing, of those due)", ""] = (
        sum(s in ("late", "missing") for s in due) / len(due) if due else nan
    )
    for label, clock in (("permanent residence", "permanent_residence"), ("EU long-term residence", "eu_long_term")):
        y = [years(a, getattr(a, clock).eligible_from) for a in assessments if getattr(a, clock).eligible_from]
        out[f"years to {label}", "cases"] = len(y)
        out[f"years to {label}", "median"] = quantile(y, 0.5)
    for route in ROUTE_NAMES:
        nat = [a for a in assessments if a.naturalisation.route == route and a.naturalisation.eligible_from]
        y = [years(a, a.naturalisation.eligible_from) for a in nat]
        out[f"years to naturalisation ({route})", "cases"] = len(y)
        for q, label in ((0.25, "p25"), (0.5, "median"), (0.75, "p75")):
            out[f"years to naturalisation ({route})", label] = quantile(y, q)
    return out


def assert_summary(table: pd.DataFrame, assessments: list[Any]) -> None:
    """``summarise``'s table holds exactly the figures of :func:`expected_summary`."""
    got = {(m, "" if pd.isna(g) else g): v for m, g, v in table[["measure", "group", "value"]].itertuples(index=False)}
    want = expected_summary(assessments)
    assert got.keys() == want.keys()
    for key, value in want.items():
        assert got[key] == pytest.approx(value, nan_ok=True), key


def test_summarise_equals_figures_from_single_case_assessments():
    as_of = date(2026, 1, 1)
    cases = make_cases(400, seed=5, mix={"separation": 0.6, "late_report": 0.5})
    res, _, _ = assess_table(cases_to_table(cases), as_of=as_of)
    by_id = {c["id"]: c for c in cases}
    assessments = [assess(case_from_dict(by_id[cid]), as_of) for cid in res["id"]]
    statuses = {a.notification.status for a in assessments if a.notification is not None}
    assert {"on-time", "late", "missing"} <= statuses  # the late-reporting rate is a real fraction
    assert_summary(summarise(res), assessments)
    assert_summary(summarise(res.iloc[::-1].reset_index(drop=True)), assessments)


@pytest.fixture
def example_files(tmp_path):
    lines = [json.dumps(case_to_dict(load_case(p))) for p in EXAMPLES]
    lines += ['{"id": "bad", "permits": [{"purpose": "work", "start": "2024-02-30"}]}', "not json", '{"id": "bad"}']
    src = tmp_path / "cases.jsonl"
    src.write_text("\n".join(lines) + "\n")
    return tmp_path, src


def test_cli_table_converts_both_ways(example_files):
    tmp, src = example_files
    r = CliRunner().invoke(main, ["table", str(src), "-o", str(tmp / "t.parquet")])
    bad, not_json, duplicate = len(EXAMPLES) + 1, len(EXAMPLES) + 2, len(EXAMPLES) + 3  # 1-based lines
    assert r.exit_code == 1
    assert f"line {not_json}: not converted: invalid JSON" in r.output
    assert f'line {duplicate}: not converted: duplicate case id "bad": first used on line {bad}' in r.output
    for out in ("t.csv", "back.jsonl"):
        prev = tmp / ("t.parquet" if out == "t.csv" else "t.csv")
        assert CliRunner().invoke(main, ["table", str(prev), "-o", str(tmp / out)]).exit_code == 0
    back = [json.loads(line) for line in (tmp / "back.jsonl").read_text().splitlines()]
    assert back[: len(EXAMPLES)] == [case_to_dict(load_case(p)) for p in EXAMPLES]


def test_cli_batch_results_errors_gaps(example_files):
    tmp, src = example_files
    args = ["batch", str(src), "-o", str(tmp / "r.csv"), "--errors", str(tmp / "e.csv"), "--gaps", str(tmp / "g.csv")]
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 0, r.output
    assert "cases assessed" in r.output
    res = pd.read_csv(tmp / "r.csv")
    err = pd.read_csv(tmp / "e.csv")
    assert list(res.columns) == list(RESULT_COLUMNS) and len(res) == len(EXAMPLES)
    n = len(EXAMPLES)
    assert err["row"].tolist() == [n + 1, n + 2, n + 3]  # JSON Lines: line numbers of the bad lines
    causes = [g.cause for a in example_assessments() for g in a.gaps]
    assert causes and pd.read_csv(tmp / "g.csv")["cause"].tolist() == causes
    quiet = CliRunner().invoke(main, [*args, "--quiet"])
    assert quiet.exit_code == 0 and quiet.output == ""


def test_cli_batch_chunks_equal_one_run_and_split_cases_are_errors(tmp_path):
    cases = [case_to_dict(load_case(p)) for p in EXAMPLES]
    write_table(cases_to_table(cases), tmp_path / "t.parquet")
    for chunk in ("7", "1000"):
        out = tmp_path / f"r{chunk}.parquet"
        r = CliRunner().invoke(main, ["batch", str(tmp_path / "t.parquet"), "-o", str(out), "--chunk-rows", chunk])
        assert r.exit_code == 0, r.output
    assert pd.read_parquet(tmp_path / "r7.parquet").equals(pd.read_parquet(tmp_path / "r1000.parquet"))
    df = cases_to_table(cases)
    split = pd.concat([df, df[df["case_id"] == cases[0]["id"]].iloc[-1:]], ignore_index=True)
    split = split.drop(index=df.index[(df["case_id"] == cases[0]["id"])][-1])
    write_table(split, tmp_path / "s.csv")
    args = ["batch", str(tmp_path / "s.csv"), "-o", str(tmp_path / "s.parquet"), "--errors", str(tmp_path / "se.csv")]
    assert CliRunner().invoke(main, [*args, "--chunk-rows", "5"]).exit_code == 0
    err = pd.read_csv(tmp_path / "se.csv")
    assert err["case_id"].tolist() == [cases[0]["id"]] and "not contiguous" in err["reason"].iloc[0]
    assert len(pd.read_parquet(tmp_path / "s.parquet")) == len(cases) - 1
    # Two cases split, their last rows moved to the end of the file in the opposite order:
    # one error each, in the order their stray rows come (the run's output does not vary).
    a, b = cases[1]["id"], cases[2]["id"]
    last = [df.index[df["case_id"] == cid][-1] for cid in (b, a)]
    two = pd.concat([df.drop(index=last), df.loc[last]], ignore_index=True)
    write_table(two, tmp_path / "two.csv")
    args = ["batch", str(tmp_path / "two.csv"), "-o", str(tmp_path / "two.parquet")]
    args += ["--errors", str(tmp_path / "te.csv")]
    assert CliRunner().invoke(main, [*args, "--chunk-rows", str(len(two) - 3)]).exit_code == 0  # both in chunk 2
    err = pd.read_csv(tmp_path / "te.csv")
    assert err["case_id"].tolist() == [b, a] and err["reason"].str.contains("not contiguous").all()
    assert len(pd.read_parquet(tmp_path / "two.parquet")) == len(cases) - 2


def test_cli_batch_reads_a_folder_of_parquet_files(tmp_path):
    cases = [case_to_dict(load_case(p)) for p in EXAMPLES]
    (tmp_path / "parts").mkdir()
    write_table(cases_to_table(cases[:3]), tmp_path / "parts" / "part-0.parquet")
    write_table(cases_to_table(cases[3:]), tmp_path / "parts" / "part-1.parquet")
    out = tmp_path / "r.jsonl"
    r = CliRunner().invoke(main, ["batch", str(tmp_path / "parts"), "-o", str(out), "--quiet"])
    assert r.exit_code == 0, r.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [x["id"] for x in rows] == [c["id"] for c in cases]
    expected = [a.gaps[0].start.isoformat() if a.gaps else None for a in example_assessments()]
    assert any(expected) and [x["first_gap_start"] for x in rows] == expected


def test_cli_batch_bad_input_exits_1(tmp_path):
    r = CliRunner().invoke(main, ["batch", str(tmp_path / "missing.csv"), "-o", str(tmp_path / "r.csv")])
    assert r.exit_code == 1 and "no such file" in r.output
    (tmp_path / "c.jsonl").write_text('{"id": "a"}\n')
    r = CliRunner().invoke(main, ["batch", str(tmp_path / "c.jsonl"), "-o", str(tmp_path / "r.txt")])
    assert r.exit_code == 1 and "unknown file type" in r.output
    r = CliRunner().invoke(
        main, ["batch", str(tmp_path / "c.jsonl"), "-o", str(tmp_path / "r.csv"), "--option", "leap_day_anniversary=x"]
    )
    assert r.exit_code == 1 and "leap_day_anniversary" in r.output


def cli_fails(args: list[str], message: str) -> None:
    """The CLI exits 1 with an error naming ``message``, not a traceback."""
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 1 and isinstance(r.exception, SystemExit), r.output
    assert message in r.output and "Traceback" not in r.output, r.output


@pytest.mark.parametrize("name", ["t.csv", "t.jsonl"])
def test_cli_non_utf8_input_is_an_error_naming_the_file(tmp_path, name):
    src = tmp_path / name
    head = b"case_id,record\n" if name.endswith(".csv") else b""
    body = b'"a\xff","case"\n' if name.endswith(".csv") else b'{"id": "a\xff"}\n'
    src.write_bytes(head + body)
    if name.endswith(".csv"):  # a bad row, not a bad file (issue 11): batch reports it, table refuses
        cli_fails(["table", str(src), "-o", str(tmp_path / "r.jsonl")], f"{src}: line 2: not a valid row: not UTF-8")
        r = CliRunner().invoke(
            main, ["batch", str(src), "-o", str(tmp_path / "r.csv"), "--errors", str(tmp_path / "e.csv")]
        )
        assert r.exit_code == 0, r.output
        assert (
            "line 2 of the file is not a valid CSV row: not UTF-8 text (byte 0xFF" in (tmp_path / "e.csv").read_text()
        )
        return
    for command in ("batch", "table"):
        out = tmp_path / ("r.csv" if command == "batch" or name.endswith(".jsonl") else "r.jsonl")
        cli_fails([command, str(src), "-o", str(out)], f"{src}: not UTF-8 text (line 1); re-save it as UTF-8")


def test_cli_non_utf8_deep_in_a_csv_is_an_error_of_its_row(tmp_path):
    src = tmp_path / "t.csv"
    src.write_bytes(b"case_id,record\n" + b'"a","case"\n' * 20_000 + b'"\xff","case"\n')
    r = CliRunner().invoke(
        main, ["batch", str(src), "-o", str(tmp_path / "r.csv"), "--errors", str(tmp_path / "e.csv")]
    )
    assert r.exit_code == 0, r.output
    assert "line 20002 of the file is not a valid CSV row: not UTF-8 text" in (tmp_path / "e.csv").read_text()


def test_repeated_column_names_are_an_error_naming_the_column(tmp_path):
    (tmp_path / "t.csv").write_text("case_id,record,case_id\nx,case,y\n")
    pa_table = pa.Table.from_arrays(
        [pa.array(["x"]), pa.array(["case"]), pa.array(["y"])], ["case_id", "record", "case_id"]
    )
    import pyarrow.parquet as pq

    (tmp_path / "parts").mkdir()
    pq.write_table(pa_table, tmp_path / "t.parquet")
    pq.write_table(pa_table, tmp_path / "parts" / "p.parquet")
    for src in ("t.csv", "t.parquet", "parts"):
        for command, out in (("batch", "r.csv"), ("table", "r.jsonl")):
            cli_fails(
                [command, str(tmp_path / src), "-o", str(tmp_path / out)], "the column 'case_id' occurs more than once"
            )
    df = pd.DataFrame([["x", "case", "y"]], columns=["case_id", "record", "case_id"])
    with pytest.raises(TableError, match="'case_id' occurs more than once"):
        assess_table(df)


def test_folder_without_parquet_files_is_an_error(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "_SUCCESS").write_text("")
    (tmp_path / "empty" / "notes.txt").write_text("")
    for command in ("batch", "table"):
        cli_fails([command, str(tmp_path / "empty"), "-o", str(tmp_path / "r.csv")], "no .parquet files in this folder")
    with pytest.raises(TableError, match=r"no \.parquet files"):
        parquet_files(tmp_path / "empty")
    write_table(cases_to_table([{"id": "a"}]), tmp_path / "empty" / "b.pq")
    write_table(cases_to_table([{"id": "b"}]), tmp_path / "empty" / "a.parquet")
    write_table(cases_to_table([{"id": "c"}]), tmp_path / "empty" / ".hidden.parquet")
    assert parquet_files(tmp_path / "empty") == [str(tmp_path / "empty" / n) for n in ("a.parquet", "b.pq")]
    assert read_table(tmp_path / "empty")["case_id"].tolist() == ["b", "a"]


@pytest.mark.parametrize(
    ("column", "value", "kind"),
    [
        ("as_of", "notadate", "a date"),
        ("gap_count", "many", "a whole number"),
        ("notification_days_late", "x", "a whole number"),
        ("gap_ongoing", "maybe", "true or false"),
    ],
)
def test_cli_summary_bad_value_names_file_and_column(tmp_path, column, value, kind):
    write_table(cases_to_table([case_to_dict(load_case(p)) for p in EXAMPLES]), tmp_path / "t.parquet")
    assert (
        CliRunner().invoke(main, ["batch", str(tmp_path / "t.parquet"), "-o", str(tmp_path / "r.csv")]).exit_code == 0
    )
    df = pd.read_csv(tmp_path / "r.csv", dtype=str)
    df.loc[1, column] = value
    df.to_csv(tmp_path / "bad.csv", index=False)
    cli_fails(["summary", str(tmp_path / "bad.csv")], f"bad.csv: the column {column!r} holds {value!r}")
    cli_fails(["summary", str(tmp_path / "bad.csv")], f"(case {df.loc[1, 'id']}), which is not {kind}")


def test_cli_module_import_does_not_load_pandas():
    code = "import sys; import timeline.cli as cli; print('pandas' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == (
        "False"
    )


def test_cli_summary_table_and_chart(tmp_path):
    write_table(cases_to_table([case_to_dict(load_case(p)) for p in EXAMPLES]), tmp_path / "t.parquet")
    assert (
        CliRunner().invoke(main, ["batch", str(tmp_path / "t.parquet"), "-o", str(tmp_path / "r.csv")]).exit_code == 0
    )
    r = CliRunner().invoke(main, ["summary", str(tmp_path / "r.csv"), "-o", str(tmp_path / "s.svg")])
    assert r.exit_code == 0, r.output
    assert "share with a gap" in r.output and "late-reporting rate" in r.output
    assert (tmp_path / "s.svg").read_text().startswith("<?xml")
    table = (
        pd.read_csv(tmp_path / "s.csv")
        if CliRunner().invoke(main, ["summary", str(tmp_path / "r.csv"), "-o", str(tmp_path / "s.csv")]).exit_code == 0
        else None
    )
    assert_summary(table, example_assessments())
    bad = CliRunner().invoke(main, ["summary", str(tmp_path / "t.parquet")])
    assert bad.exit_code == 1 and "not a timeline batch results table" in bad.output


def _panel_texts(fig) -> list[str]:
    return [ax.get_title(loc="left") for ax in fig.axes] + [
        t.get_text() for ax in fig.axes for t in (*ax.texts, *ax.get_yticklabels())
    ]


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_summary_figure_says_rates_with_their_counts_in_the_language(lang):
    """Issue 12 §4: the summary charts are titled with the source and the as-of date, show
    rates as rates with the counts behind them, in ``lang``, and draw no box plots (which
    collapse to a line when most cases can already apply)."""
    from timeline.batch_summary import summary_figure

    res, _, _ = assess_table(cases_to_table([case_to_dict(load_case(p)) for p in EXAMPLES]), as_of=date(2026, 12, 2))
    fig = summary_figure(res, lang=lang, source="/data/results.parquet")
    title = fig.get_suptitle()
    assert "results.parquet" in title and "/data" not in title
    assert ("2 December 2026" if lang == "en" else "2 december 2026") in title
    n, gaps = len(res), int((res["gap_count"] > 0).sum())
    gap_bar = fig.axes[0].patches[0]
    assert gap_bar.get_width() == pytest.approx(100 * gaps / n)  # a rate, in per cent
    of = "of" if lang == "en" else "van"
    labels = [t.get_text() for t in fig.axes[0].texts]
    assert f"{100 * gaps / n:.0f} % ({gaps} {of} {n})" in labels
    texts = " ".join(_panel_texts(fig))
    assert ("Residence gaps" in texts) == (lang == "en") and ("Verblijfsgaten" in texts) == (lang == "nl")
    for ax in fig.axes[3:4]:  # naturalisation: 100 % per route, no box plot
        widths = {}
        for p in ax.patches:
            y = round(p.get_y(), 3)
            widths[y] = widths.get(y, 0) + p.get_width()
        assert all(w == pytest.approx(100) for w in widths.values())
    assert not any(line.get_label().startswith("_child") and len(line.get_xdata()) == 2 for line in fig.axes[3].lines)


def test_iso_dates_of_a_column_agree_with_the_case_reader():
    """The batch date parser (timeline.tables.parse_iso_dates) accepts exactly what
    timeline.dates.parse_date accepts and gives the same day, on every day of 1899-2101
    (leap days of 1900, 2000, 2100 included), the ends of the range and malformed text."""
    from datetime import timedelta

    from timeline.tables import parse_iso_dates

    days = [date(1899, 1, 1) + timedelta(days=k) for k in range((date(2102, 1, 1) - date(1899, 1, 1)).days)]
    texts: list[str | None] = [d.isoformat() for d in days]
    texts += ["0001-01-01", "9999-12-31", "0000-01-01", "1900-02-29", "2100-02-29", "2023-02-29", "2024-04-31"]
    texts += ["2024-13-01", "2024-00-10", "2024-01-00", "2024-1-01", "2024/01/01", "2024-01-011", " 2024-01-01"]
    texts += ["２０２４-01-01", "abcd-ef-gh", "2024-01-0a", "", None]
    got_days, got_bad = parse_iso_dates(pa.array(texts, pa.string()))
    check_iso_days(texts, got_days, got_bad)
    # A slice of a large_string column (Arrow's offset), at some of its rows, in any order.
    sliced = pa.array(["x", *texts], pa.large_string()).slice(1)
    rows = np.arange(len(texts))[::-7][::-1].copy()
    rows[:2] = rows[:2][::-1]
    got_days, got_bad = parse_iso_dates(sliced, rows)
    check_iso_days([texts[r] for r in rows], got_days, got_bad)
    # The single source interpreted (timeline.kernels.clocks), as without numba.
    from timeline.kernels import clocks

    some = np.arange(0, len(texts), 13)
    arr = pa.array(texts, pa.string())
    days, bad = np.empty(len(some), np.int64), np.empty(len(some), bool)
    bits = np.frombuffer(arr.buffers()[0], np.uint8)
    offsets, text = np.frombuffer(arr.buffers()[1], np.int32), np.frombuffer(arr.buffers()[2], np.uint8)
    clocks.run_iso_days(offsets, text, bits, 0, some, days, bad)
    check_iso_days([texts[r] for r in some], days, bad)


def check_iso_days(texts: list[str | None], got_days: np.ndarray, got_bad: np.ndarray) -> None:
    from timeline.dates import parse_date
    from timeline.tables import NA

    epoch = date(1970, 1, 1)
    assert len(got_days) == len(got_bad) == len(texts)
    for text, day, bad in zip(texts, got_days.tolist(), got_bad.tolist(), strict=True):
        if text is None:
            assert day == NA and not bad
            continue
        try:
            expected = (parse_date(text) - epoch).days
        except ValueError:
            assert bad and day == NA, text
        else:
            assert not bad and day == expected, text


def test_choice_codes_of_a_column_at_rows():
    """A field's choices read from Arrow's buffers (timeline.kernels.text.word), compiled and
    interpreted: the position of the choice, -2 absent, -1 another text (case and spaces
    count, a prefix is not a choice), -3 a value of another type, -4 text too long."""
    from timeline.batch.columns import MIXED, _codes, _vocabulary
    from timeline.fields import MAX_TEXT
    from timeline.kernels import text
    from timeline.tables import text_buffers

    choices = ("partner", "work", "study", "bijzonder/ö")
    values = ["work", None, "partner", "Work", "work ", "wor", "partners", "", "bijzonder/ö", MIXED + "3"]
    values += ["x" * (MAX_TEXT + 1), "study"]
    expected = [1, -2, 0, -1, -1, -1, -1, -1, 3, -3, -4, 2]
    arr = pa.array(["skipped", *values], pa.string()).slice(1)
    rows = np.array([11, 0, 5, 3, 9, 10, 1, 2, 4, 6, 7, 8])
    assert _codes(arr, rows, choices).tolist() == [expected[r] for r in rows]
    assert _codes(pa.array(values, pa.large_string()), np.arange(len(values)), choices).tolist() == expected
    out = np.empty(len(values), dtype=np.int64)
    text.run_words(*text_buffers(pa.array(values)), np.arange(len(values)), *_vocabulary(choices), out)
    assert out.tolist() == [-1 if e < -2 else e for e in expected]  # -3 and -4 are the caller's


def test_categorical_and_string_view_columns_give_the_same_answers():
    """Text columns in other Arrow layouts are read as their values: pandas' category
    (Arrow's dictionary, which a Parquet export from pandas keeps) and string_view
    (polars). Before, a categorical column gave other answers without a word."""
    plain = make_table(300, 5)
    res, err, _ = assess_table(plain, as_of=date(2026, 12, 2))
    df = plain.to_pandas()
    for name in ("record", "purpose", "kind", "by", "outcome", "end_reason"):
        df[name] = df[name].astype("category")
    views = pa.table(
        {
            n: c.cast(pa.string_view()) if pa.types.is_string(c.type) else c
            for n, c in zip(plain.column_names, plain.columns, strict=True)
        }
    )
    for table in (df, pa.Table.from_pandas(df, preserve_index=False), views):
        got, got_err, _ = assess_table(table, as_of=date(2026, 12, 2))
        pd.testing.assert_frame_equal(got, res)
        pd.testing.assert_frame_equal(got_err, err)
        assert got.attrs["engine_cases"] == 0  # read by the columns, not one by one


def test_a_flagged_case_the_reader_accepts_is_assessed_by_the_engine(monkeypatch):
    """A case the column checks flag but the case reader accepts is assessed by the
    single-case engine, not by the columns: a value the checks could not read must not
    reach the rules as missing. Here the checks are made to misread one case's permit starts."""
    from timeline.batch import columns
    from timeline.tables import NA

    table = make_table(60, 7)
    res, err, _ = assess_table(table, as_of=date(2026, 12, 2))
    first = res["id"].iloc[0]
    rows_of_first = np.flatnonzero(np.asarray(table.column("case_id").to_pylist(), dtype=object) == first)
    real = columns.Columns.dates

    def misread(self, name, rec, *args):
        days, bad = (a.copy() for a in real(self, name, rec, *args))
        if name == "start" and rec.name.startswith("permits"):
            hit = np.isin(rec.rows, rows_of_first) & (days != NA)
            days[hit], bad[hit] = NA, True  # unreadable: the case is flagged
        return days, bad

    monkeypatch.setattr(columns.Columns, "dates", misread)
    got, got_err, _ = assess_table(table, as_of=date(2026, 12, 2))
    pd.testing.assert_frame_equal(got, res)
    pd.testing.assert_frame_equal(got_err, err)
    assert got.attrs["engine_cases"] == 1
