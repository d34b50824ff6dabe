"""Issue 15 prototype: DC-6 written once (timeline/kernels/gaps.py), run three ways.

- interpreted on lists for one case (timeline.kernels.case), against ``timeline.assess``:
  the kernel put in place of ``rules.residence._gaps`` gives the same Assessment (gaps,
  causes, records, procedural days and the explanations);
- compiled with numba over a table (timeline.kernels.table), against the gap rows of
  ``timeline.batch.assess_table``, and against ``assess`` case by case;
- the same table runner under ``NUMBA_DISABLE_JIT=1`` (the same source interpreted).

Without numba the compiled half is skipped (numba is not a dependency yet).
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from batch_strategies import case_dicts
from budget import examples
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

import timeline.rules.residence as residence
from timeline import CaseError, assess, case_from_dict
from timeline.kernels import gaps as k
from timeline.kernels.case import residence_gaps
from timeline.options import OPTIONS
from timeline.synth import make_table
from timeline.tables import cases_to_table, table_to_cases

ROOT = Path(__file__).resolve().parents[1]
HAS_NUMBA = importlib.util.find_spec("numba") is not None
needs_numba = pytest.mark.skipif(not HAS_NUMBA, reason="numba not installed: only the interpreted kernels are tested")
WITHDRAWAL = sorted(OPTIONS["withdrawal_effective"].choices)


def _both(case, as_of, options, monkeypatch):
    """The Assessment from today's engine and from the engine with the DC-6 kernel in place of ``_gaps``."""
    a = assess(case, as_of, options)
    with monkeypatch.context() as m:
        m.setattr(residence, "_gaps", residence_gaps)
        b = assess(case, as_of, options)
    return a, b


def _cases(table):
    for tc in table_to_cases(table):
        try:
            yield case_from_dict(tc.data, tc.case_id)
        except CaseError:
            continue


def test_codes_are_batch_codes():
    from timeline import batch

    assert batch.GAP_CAUSES is k.GAP_CAUSES and batch.BASIS is k.BASES  # one list, read by both
    assert (k.NA, k.INF) == (batch.NA, batch.INF)


def test_single_case_path_imports_no_numpy():
    code = "import sys, timeline, timeline.kernels.case; assert 'numpy' not in sys.modules, 'numpy imported'"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_gap_ending_on_as_of_and_open_gap():
    """DC-6 edges: a permit starting on as_of closes the gap there; none leaves it open."""
    out_s, out_e = [0] * 3, [0] * 3
    assert k.find_gaps([0, 20], [10, 30], 0, 20, out_s, out_e, 0) == 1 and (out_s[0], out_e[0]) == (10, 20)
    assert k.find_gaps([0, 21], [10, 30], 0, 20, out_s, out_e, 0) == 1 and (out_s[0], out_e[0]) == (10, k.NA)
    assert k.find_gaps([0], [k.INF], 0, 20, out_s, out_e, 0) == 0
    assert k.find_gaps([5], [k.INF], 0, 20, out_s, out_e, 0) == 1 and (out_s[0], out_e[0]) == (0, 5)
    assert k.procedural_days(0, 100, [10, 15, 50], [20, 30, k.INF]) == 20 + 50


def test_cause_order():
    """DC-6 causes in order: a withdrawal before a later permit, a pending application before a refused one."""
    chain = ([0, 40], [10, 50], [20, 50], [True, False], [k.NA, 35], [0, 5], [-1, 0])  # withdrawn, then a new permit
    apps = ([0, 0, 0], [k.REFUSED, k.PENDING, k.OUTCOMES.index("granted")], [5, 6, 35], [12, k.NA, 45])
    none = ([], [], [], [], [], [], [])
    assert k.gap_cause(10, 40, 60, *chain, *apps) == (k.WITHDRAWAL, k.IN_CHAIN, 0)
    assert k.gap_cause(10, 40, 60, *none, *apps) == (k.PENDING_APP, k.IN_APPLICATIONS, 1)
    assert k.gap_cause(10, 40, 60, *none, *(a[::2] for a in apps)) == (k.REFUSED_APP, k.IN_APPLICATIONS, 0)
    later = ([0, 40], [10, 50], [10, 50], [False, False], [k.NA, 35], [0, 5], [-1, 0])
    assert k.gap_cause(10, 40, 60, *later, *apps) == (k.NEW_APPLICATION, k.IN_CHAIN, 1)
    assert k.gap_cause(10, k.NA, 60, *later, *([], [], [], [])) == (k.EXPIRED, k.IN_CHAIN, 0)


def test_interpreted_kernel_equals_assess_on_synthetic_cases(monkeypatch):
    seen_causes = set()
    for case in list(_cases(make_table(300, seed=11))):
        for option in (None, {"withdrawal_effective": "decision"}):
            a, b = _both(case, case.as_of or date(2026, 6, 1), option, monkeypatch)
            assert a == b, case.source
            seen_causes |= {g.cause for g in a.gaps}
    assert len(seen_causes) >= 4, seen_causes  # the test reaches several branches of the rule


@settings(max_examples=examples(60), deadline=None, suppress_health_check=list(HealthCheck))
@given(case_dicts(valid_only=True), st.dates(date(2016, 1, 1), date(2031, 12, 31)), st.sampled_from(WITHDRAWAL))
def test_interpreted_kernel_equals_assess_on_random_cases(monkeypatch, data, as_of, withdrawal):
    try:
        case = case_from_dict({"id": "c", **data})
        a, b = _both(case, as_of, {"withdrawal_effective": withdrawal}, monkeypatch)
    except (CaseError, ValueError):  # refused by the engine either way
        reject()
    assert a == b


def _kernel_rows(table, **kwargs):
    """Gap rows ``(id, start, end, days, cause, record, procedural_days)`` from the table runner, and batch's."""
    from timeline.kernels import table as kt

    result, seen = kt.batch_internals(table, **kwargs)
    c = seen["c"]
    x = kt.from_batch(c, seen["s"], seen["cov"], seen["proc"], seen["first_start"])
    rows = kt.run_gaps(x)
    names = kt.record_names(x, rows, seen["s"], c.ap)
    day = lambda n: None if n == k.NA else date.fromordinal(int(n) + k.EPOCH)  # noqa: E731
    ids = seen["ids"]
    mine = [
        (ids[cc], day(s), day(e), int(d), k.GAP_CAUSES[ca], r, int(p))
        for cc, s, e, d, ca, r, p in zip(
            rows.case, rows.start, rows.end, rows.days, rows.cause, names, rows.procedural_days, strict=True
        )
    ]
    vectorised = {ids[i] for i in np.flatnonzero(c.as_of != k.NA)}
    g = result.gaps
    theirs = [
        (i, s.date(), None if e != e else e.date(), int(d), ca, r, int(p))  # NaT != NaT
        for i, s, e, d, ca, r, p in zip(
            g["id"], g["start"], g["end"], g["days"], g["cause"], g["record"], g["procedural_days"], strict=True
        )
        if i in vectorised
    ]
    return mine, theirs, kt.COMPILED


@needs_numba
def test_compiled_kernel_equals_batch_and_assess():
    table = make_table(1000, seed=5)
    mine, theirs, compiled = _kernel_rows(table, default_as_of=date(2026, 6, 1))
    assert compiled
    assert len(mine) > 300 and mine == [tuple(None if v is np.nan else v for v in t) for t in theirs]
    by_id = {}
    for row in mine:
        by_id.setdefault(row[0], []).append(row[1:])
    for case in list(_cases(table))[:300]:
        a = assess(case, case.as_of or date(2026, 6, 1))
        gaps = [(g.start, g.end, g.days, g.cause, g.record, g.procedural_days) for g in a.gaps]
        assert by_id.get(case.source[1:-1] if case.source.startswith("<") else case.source, []) == gaps


@needs_numba
@settings(max_examples=examples(30), deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(case_dicts(valid_only=True), min_size=1, max_size=8), st.sampled_from(WITHDRAWAL))
def test_compiled_kernel_equals_batch_on_random_cases(cases, withdrawal):
    table = cases_to_table([{"id": f"c{i}", **c} for i, c in enumerate(cases)])
    mine, theirs, _ = _kernel_rows(table, as_of=date(2027, 1, 1), options={"withdrawal_effective": withdrawal})
    assert mine == theirs


RUN = """
from timeline.synth import make_table
from timeline.kernels import table as kt
_, seen = kt.batch_internals(make_table(300, seed=9))
x = kt.from_batch(seen["c"], seen["s"], seen["cov"], seen["proc"], seen["first_start"])
rows = kt.run_gaps(x)
print(kt._drive.__class__.__name__, [a.tolist() for a in rows])
"""


def test_table_runner_interpreted_with_numba_disable_jit():
    """``NUMBA_DISABLE_JIT=1``: the driver and kernels are the plain functions, same answers."""
    env = dict(os.environ, NUMBA_DISABLE_JIT="1")
    out = subprocess.run([sys.executable, "-c", RUN], env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    kind, rows = out.stdout.split(" ", 1)
    assert kind == "function", kind  # not a numba dispatcher
    assert rows.count(",") > 100  # gaps were found
    if HAS_NUMBA:  # the same rows, compiled, in this process
        printed: list[str] = []
        exec(RUN, {"print": lambda *a: printed.append(" ".join(map(str, a)))})
        kind2, rows2 = printed[0].split(" ", 1)
        assert kind2 == "CPUDispatcher" and rows2 == rows.rstrip("\n")
