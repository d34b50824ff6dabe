"""Mutation fuzzer over the examples: a broken case file gives one of the project's typed
errors or a correct answer, never another exception (issue 11).

Each example is read as the user wrote it (TOML), then hypothesis changes it: a field
gets a value of another type or shape (huge integers, deep nesting, control characters,
dates out of range, times, empty strings), a field is removed or misspelt, a record is
duplicated or emptied. The result goes through the reader, the engine, the actions, the
JSON and text renderers, the calendar and the chart description; a few also through the
drawing. The budget grows in CI (``pytest --ci``, tests/budget.py): 300 examples by default, 900 there.
"""

from __future__ import annotations

import tomllib
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from budget import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import timeline
from timeline.chart import ChartError, chart_spec, render
from timeline.errors import TimelineError
from timeline.ics import actions_ics
from timeline.presentation import assessment_dict, assessment_text

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = {p.stem: tomllib.loads(p.read_text()) for p in sorted((ROOT / "examples").glob("*.toml"))}
AS_OF = date(2026, 6, 1)

values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.just(10**5000),  # a 5,000-digit integer
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zl", "Zp"]), max_size=5),
    st.dates(),
    st.datetimes(),
    st.sampled_from(["", " ", "2025-02-29", "2025-13-01", "0001-01-01", "9999-12-31", "permits[99]", "$x$"]),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    st.builds(lambda: [[[[[[[[[[[]]]]]]]]]]]),  # a fresh object: mutations must not change the strategy
)


def _paths(data: Any, prefix: tuple = ()) -> list[tuple]:
    """Every place in ``data`` a mutation can touch: keys of tables, items of arrays."""
    out = []
    if isinstance(data, dict):
        for k, v in data.items():
            out.append((*prefix, k))
            out += _paths(v, (*prefix, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out.append((*prefix, i))
            out += _paths(v, (*prefix, i))
    return out


def _parent(data: Any, path: tuple) -> Any:
    for step in path[:-1]:
        data = data[step]
    return data


@st.composite
def mutated_cases(draw) -> tuple[str, dict]:
    name = draw(st.sampled_from(sorted(EXAMPLES)))
    data = tomllib.loads((ROOT / "examples" / f"{name}.toml").read_text())  # a fresh copy
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(data)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent, key = _parent(data, path), path[-1]
        action = draw(st.sampled_from(["set", "set", "set", "delete", "misspell", "duplicate", "empty"]))
        if action == "set":
            parent[key] = draw(values)
        elif action == "delete":
            del parent[key]
        elif action == "misspell" and isinstance(key, str):
            parent[key + draw(st.sampled_from(["s", "_", "X"]))] = parent.pop(key)
        elif action == "duplicate" and isinstance(parent, list):
            parent.append(parent[key])
        elif action == "empty":
            parent[key] = {} if isinstance(parent[key], dict) else []
    return name, data


def _through_everything(data: dict, lang: str, draw_it: bool) -> None:
    case = timeline.case_from_dict(data, "fuzz.toml", default_id="fuzz")
    a = timeline.assess(case, None if case.as_of else AS_OF)
    assessment_dict(a, lang)
    assessment_text(a, lang)
    actions_ics(a.actions, case_id=case.id, as_of=a.as_of, lang=lang, statuses=None)
    try:
        spec = chart_spec(a, case, lang=lang)
    except ChartError:
        return
    if draw_it:
        render(spec)


@settings(max_examples=examples(900), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_cases(), st.sampled_from(["en", "nl"]))
def test_a_mutated_case_gives_a_typed_error_or_an_answer(case, lang):
    _, data = case
    try:
        _through_everything(data, lang, draw_it=False)
    except TimelineError as err:
        message = str(err)
        assert "\n" not in message and len(message) < 600, message  # one line, values cut short
        assert "datetime.date(" not in message and "Traceback" not in message


@settings(max_examples=examples(30), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_cases())
def test_a_mutated_case_that_assesses_can_be_drawn(case):
    _, data = case
    try:
        _through_everything(data, "en", draw_it=True)
    except TimelineError:
        pass


def test_the_mutations_reach_the_engine():
    """The fuzzer is not stuck at the reader: unchanged examples assess, and a mutated
    value of the right type is accepted (so later stages are exercised too)."""
    for data in EXAMPLES.values():
        _through_everything(data, "en", draw_it=False)
    data = dict(EXAMPLES["separation-reported-early"])
    data["description"] = "\x00 王 $x$"
    _through_everything(data, "nl", draw_it=False)
    data["as_of"] = datetime(2025, 1, 1, 12, tzinfo=UTC)  # a datetime is a date in Python: refused
    try:
        _through_everything(data, "en", draw_it=False)
    except timeline.CaseError as err:
        assert "without time" in str(err)
    else:
        raise AssertionError("a date with a time was accepted")


def test_found_by_the_fuzzer_a_huge_option_value_and_a_field_named_line_feed():
    huge = dict(EXAMPLES["separation-reported-early"], options={"naturalisation_years": 10**5000})
    try:
        _through_everything(huge, "en", draw_it=False)
    except timeline.CaseError as err:
        assert "an integer of about 5,001 digits" in str(err)
    else:
        raise AssertionError("a 5,001-digit option value was accepted")
    odd = dict(EXAMPLES["separation-reported-early"], person={"\n": 0})
    try:
        _through_everything(odd, "en", draw_it=False)
    except timeline.CaseError as err:
        assert "\n" not in str(err) and "unknown field" in str(err)
    else:
        raise AssertionError("an unknown field was accepted")
