"""Hostile sizes give a clear error at once, and large valid cases stay fast (issue 11).

The limits are documented in timeline.io (MAX_FILE_BYTES, MAX_RECORDS, MAX_TEXT, MAX_ID);
the overlap warnings come from a sweep, checked here against every pair.
"""

from __future__ import annotations

import json
import os
from datetime import date, timedelta

import pytest
from budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st

import timeline
from timeline.io import MAX_FILE_BYTES, MAX_ID, MAX_RECORDS, MAX_TEXT
from timeline.rules.residence import MAX_OVERLAP_WARNINGS

D0 = date(2000, 1, 1)


def _permits(n: int, step: int = 20, length: int = 30) -> list[dict[str, str]]:
    """``n`` work permits of ``length`` days, one starting every ``step`` days."""
    day = [D0 + timedelta(days=step * i) for i in range(n)]
    return [{"purpose": "work", "start": str(d), "end": str(d + timedelta(days=length))} for d in day]


def _write(tmp_path, data) -> str:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(data))
    return str(path)


def test_a_device_is_refused_without_reading_it(tmp_path):
    link = tmp_path / "zero.toml"
    os.symlink("/dev/zero", link)
    with pytest.raises(timeline.CaseError, match="is not a regular file"):
        timeline.load_case(link)


def test_a_file_over_the_size_limit_is_refused(tmp_path):
    path = tmp_path / "big.toml"
    path.write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    with pytest.raises(timeline.CaseError, match="larger than 5,000,000 bytes"):
        timeline.load_case(path)


def test_records_per_kind_are_limited(tmp_path):
    ok = timeline.load_case(_write(tmp_path, {"id": "x", "permits": _permits(MAX_RECORDS)}))
    assert len(ok.permits) == MAX_RECORDS
    absences = [{"departed": "2001-01-01", "returned": "2001-01-02"}] * (MAX_RECORDS + 1)
    with pytest.raises(timeline.CaseError, match=r"absences: has 1,001 entries; at most 1,000"):
        timeline.load_case(_write(tmp_path, {"id": "x", "permits": _permits(1), "absences": absences}))


def test_texts_are_limited_and_the_value_is_cut_in_the_message(tmp_path):
    with pytest.raises(timeline.CaseError) as err:
        timeline.load_case(_write(tmp_path, {"id": "x", "description": "y" * (MAX_TEXT + 1)}))
    assert "10,001 characters long" in str(err.value) and len(str(err.value)) < 250
    with pytest.raises(timeline.CaseError, match="longer than 200 characters"):
        timeline.load_case(_write(tmp_path, {"id": "i" * (MAX_ID + 1), "permits": _permits(1)}))


def test_a_thousand_overlapping_permits_assess_with_the_overlaps_counted(tmp_path):
    case = timeline.load_case(_write(tmp_path, {"id": "x", "permits": _permits(MAX_RECORDS, step=1, length=3)}))
    a = timeline.assess(case, date(2026, 1, 1))
    overlaps = [w for w in a.warnings if w.key == "overlap"]
    more = [w for w in a.warnings if w.key == "overlap-more"]
    # permit i overlaps permits i+1 and i+2 (each runs 3 days, one starts every day)
    assert len(overlaps) == MAX_OVERLAP_WARNINGS
    assert more[0].params["n"] == (MAX_RECORDS - 1) + (MAX_RECORDS - 2) - MAX_OVERLAP_WARNINGS
    # one gap only: after the last permit (no day between the overlapping ones is lost)
    assert [(g.start, g.end) for g in a.gaps] == [(D0 + timedelta(days=MAX_RECORDS - 1 + 3), None)]


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 40) | st.none()), min_size=2, max_size=6))
def test_the_overlap_sweep_finds_exactly_the_overlapping_pairs(spans):
    permits = [
        {"purpose": "work", "start": str(D0 + timedelta(days=s))}
        | ({} if n is None else {"end": str(D0 + timedelta(days=s + max(n, 1)))})
        for s, n in spans
    ]
    case = timeline.case_from_dict({"id": "x", "permits": permits})
    a = timeline.assess(case, date(2026, 1, 1))
    periods = [(r.record, r.start, r.end) for r in a.residence]  # the permits as granted, in the engine's order
    expected = []
    for i in range(len(periods)):  # every pair, as the days they share
        for j in range(i + 1, len(periods)):
            start = max(periods[i][1], periods[j][1])
            ends = [e for e in (periods[i][2], periods[j][2]) if e is not None]
            if not ends or min(ends) > start:
                expected.append((frozenset((periods[i][0], periods[j][0])), start))
    found = [
        (frozenset((w.params["first"], w.params["second"])), w.params["start"])
        for w in a.warnings
        if w.key == "overlap"
    ]
    assert len(expected) <= MAX_OVERLAP_WARNINGS  # 6 permits: at most 15 pairs, all listed
    assert sorted(found, key=repr) == sorted(expected, key=repr)
