"""Residence rules written once (timeline/kernels/residence.py), run two ways (issue 15).

- The rules at their edges, called directly as the single case calls them (plain Python);
  each test names its rule ID and checks the day before and the day after a boundary.
- The single case runs them without numpy; the table runner loads the same source a
  second time and compiles it with numba.
- The table runner compiled against the same runner interpreted (``NUMBA_DISABLE_JIT=1``):
  the same batch results and gap rows. (batch against the single case is
  tests/test_batch.py's differential tests.)
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from timeline.kernels import residence as k
from timeline.model import APPLICATION_KINDS
from timeline.options import OPTIONS

ROOT = Path(__file__).resolve().parents[1]
HAS_NUMBA = importlib.util.find_spec("numba") is not None
needs_numba = pytest.mark.skipif(not HAS_NUMBA, reason="numba not installed: only the interpreted runner is tested")

NA, INF = k.NA, k.INF
EXT, CHANGE, FIRST = (APPLICATION_KINDS.index(x) for x in ("extension", "change-of-purpose", "first"))
WORK = k.PURPOSE_LIST.index("work")
D = k.day_number


def derive(kind=EXT, received=100, purpose=-1, valid_until=500, cond=NA, printed=NA, excused=0, prev_end=110,
           prev_tol=138, change_tol=0, policy=1):  # fmt: skip
    """``derive_permit`` with a previous work permit ending on day 110 (tolerance to day 138)."""
    prev_purpose = WORK if prev_end != NA else -1
    return k.derive_permit(
        kind, received, purpose, valid_until, cond, printed, excused, policy, prev_purpose, prev_end, prev_tol,
        change_tol,
    )


def test_codes_are_batch_codes():
    from timeline import batch

    assert batch.GAP_CAUSES is k.GAP_CAUSES and batch.BASIS is k.BASES  # one list, read by both
    assert (k.NA, k.INF) == (batch.NA, batch.INF)
    assert set(k.WITHDRAWAL_CHOICES) == set(OPTIONS["withdrawal_effective"].choices)


def test_single_case_path_imports_no_numpy():
    code = (
        "import sys, timeline; from datetime import date; "
        "timeline.assess(timeline.load_case('examples/separation-reported-early.toml'), date(2026, 1, 1)); "
        "assert 'numpy' not in sys.modules and 'numba' not in sys.modules, 'numpy imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_r1_4_timely_extension_continues_from_the_previous_end():
    """R1.4: received the day before the permit ends: no break; on its end day: late (R4.2 applies)."""
    assert derive(received=109, policy=0) == (WORK, 110, 500, k.TIMELY, k.S_TIMELY)
    assert derive(received=110, policy=0) == (WORK, 110, 500, k.RECEIVED, k.S_LATE)
    # conditions shown only after the previous end: timely, but the permit starts then, with a
    # break (R1.2 within R1.4; ECLI:NL:RVS:2020:1460); shown by the end day itself: no break
    assert derive(received=109, cond=120) == (WORK, 120, 500, k.CONDITIONS_MET, k.S_TIMELY_LATER)
    assert derive(received=100, cond=110) == (WORK, 110, 500, k.TIMELY, k.S_TIMELY)
    assert derive(received=100, cond=111)[1:] == (111, 500, k.CONDITIONS_MET, k.S_TIMELY_LATER)


def test_r4_2_tolerance_last_day_and_the_day_after():
    """R4.2: the last day of the tolerance is in it, the next day is not; never before the policy began."""
    assert derive(received=138)[3:] == (k.TOLERANCE, k.S_TOLERANCE) and derive(received=138)[1] == 110
    assert derive(received=139) == (WORK, 139, 500, k.RECEIVED, k.S_LATE)
    assert derive(received=138, policy=0)[4] == k.S_LATE  # received before the tolerance policy
    assert derive(received=139, excused=1)[1:] == (110, 500, k.EXCUSED, k.S_EXCUSED)  # R4.1
    # a change of purpose has the tolerance only under late_tolerance_applies_to=extension-and-change (OQ-21)
    assert derive(kind=CHANGE, received=120, purpose=WORK)[4] == k.S_RECEIVED
    assert derive(kind=CHANGE, received=120, purpose=WORK, change_tol=1)[4] == k.S_TOLERANCE
    assert derive(kind=CHANGE, received=150, purpose=WORK, excused=1)[1:4] == (110, 500, k.EXCUSED)


def test_r1_2_start_on_receipt_printed_date_conditions_and_skips():
    """R1.2/R4.1: receipt, conditions met later, a printed start; no purpose or an empty permit yields none."""
    assert derive(kind=FIRST, received=100, purpose=WORK, prev_end=NA) == (WORK, 100, 500, k.RECEIVED, k.S_RECEIVED)
    assert derive(kind=FIRST, received=100, purpose=WORK, cond=130, prev_end=NA)[1:4] == (130, 500, k.CONDITIONS_MET)
    assert derive(received=100, printed=95)[1:] == (95, 500, k.PRINTED, k.S_PRINTED)
    assert derive(kind=FIRST, prev_end=NA)[4] == k.S_NO_PURPOSE
    assert derive(received=600)[4] == k.S_EMPTY
    assert derive(kind=k.PERMANENT_RESIDENCE, received=100, prev_end=NA)[:3] == (k.PERMANENT, 100, INF)


def test_r1_4_previous_permit_same_purpose_latest_end_first_on_tie():
    purpose, start, end, valid = [WORK, 0, WORK, WORK], [0, 0, 10, 20], [100, 300, 200, 200], [1, 1, 1, 1]
    assert k.previous_permit(50, WORK, purpose, start, end, valid, 0, 4) == 2  # same purpose, latest end, first
    assert k.previous_permit(50, -1, purpose, start, end, valid, 0, 4) == 1  # any purpose: the latest end
    assert k.previous_permit(15, WORK, purpose, start, end, valid, 0, 4) == 2  # began before receipt only
    assert k.previous_permit(5, 99, purpose, start, end, valid, 0, 4) == 1  # none of that purpose: any
    assert k.previous_permit(0, WORK, purpose, start, end, valid, 0, 4) == -1
    assert k.previous_permit(50, WORK, purpose, start, [INF] * 4, valid, 0, 4) == -1  # no end: nothing to continue


@pytest.mark.parametrize(
    ("choice", "reported", "separated", "divorced", "expected"),
    [
        ("reported", 30, 20, 60, (30, k.WB_REPORTED)),
        ("reported", NA, 20, 60, (20, k.WB_SEPARATION)),
        ("reported", NA, NA, 60, (60, k.WB_DIVORCE)),  # only a divorce: it ended the marriage
        ("separation", 30, 20, 60, (20, k.WB_SEPARATION)),
        ("separation", 30, NA, 60, (30, k.WB_REPORTED)),
        ("separation", NA, NA, 60, (60, k.WB_DIVORCE)),
        ("divorce", 30, 20, 60, (60, k.WB_DIVORCE)),  # OQ-26
        ("divorce", 30, 20, NA, (20, k.WB_SEPARATION)),
        ("notification", 30, 20, 60, (40, k.WB_NOTIFICATION)),
        ("decision", 30, 20, 60, (50, k.WB_DECISION)),
    ],
)
def test_r3_1_withdrawal_date_of_a_partner_permit(choice, reported, separated, divorced, expected):
    """R3.1 (OQ-3, OQ-26): each choice of withdrawal_effective, and its fallbacks."""
    partner, code = k.PARTNER, k.WITHDRAWAL_CHOICES.index(choice)
    assert k.withdrawal(partner, 0, NA, 50, 1, separated, divorced, reported, 40, code) == expected
    assert k.withdrawal(partner, 0, NA, 50, 0, separated, divorced, reported, 40, code) == (50, k.WB_DECISION)
    assert k.withdrawal(partner, 1, 45, 50, 1, separated, divorced, reported, 40, code) == (NA, k.WB_REVERSED)
    assert k.withdrawal(partner, 0, 45, 50, 1, separated, divorced, reported, 40, code) == (45, k.WB_RECORDED)
    assert k.withdrawal(WORK, 0, NA, NA, 1, separated, divorced, reported, 40, code) == (NA, k.WB_NONE)


def test_relationship_ended_by_a_report_a_separation_or_a_divorce():
    """R2.2, R3.1: a divorce alone ends the relationship on record; a date without a relationship does not."""
    assert k.relationship_ended(1, 0, NA, NA) and k.relationship_ended(0, 1, 20, NA)
    assert k.relationship_ended(0, 1, NA, 60) and not k.relationship_ended(0, 1, NA, NA)
    assert not k.relationship_ended(0, 0, 20, 60)


def test_withdrawn_end_never_before_start_and_never_after_granted_end():
    assert k.withdrawn_end(10, 100, 50) == 50
    assert k.withdrawn_end(10, 100, 5) == 10  # emptied: removed from the chain (DC-1)
    assert k.withdrawn_end(10, 100, 100) == 100 and k.withdrawn_end(10, INF, NA) == INF


def test_gap_ending_on_as_of_and_open_gap():
    """DC-6 edges: a permit starting on as_of closes the gap there; none leaves it open."""
    out_s, out_e = [0] * 3, [0] * 3
    assert k.find_gaps([0, 20], [10, 30], 0, 20, out_s, out_e, 0) == 1 and (out_s[0], out_e[0]) == (10, 20)
    assert k.find_gaps([0, 21], [10, 30], 0, 20, out_s, out_e, 0) == 1 and (out_s[0], out_e[0]) == (10, NA)
    assert k.find_gaps([0], [INF], 0, 20, out_s, out_e, 0) == 0
    assert k.find_gaps([5], [INF], 0, 20, out_s, out_e, 0) == 1 and (out_s[0], out_e[0]) == (0, 5)
    assert k.procedural_days(0, 100, [10, 15, 50], [20, 30, INF]) == 20 + 50


def test_cause_order():
    """DC-6 causes in order: a withdrawal before a later permit, a pending application before a refused one."""
    chain = ([0, 40], [10, 50], [20, 50], [True, False], [NA, 35], [0, 5], [-1, 0])  # withdrawn, then a new permit
    apps = ([0, 0, 0], [k.REFUSED, k.PENDING, k.OUTCOMES.index("granted")], [5, 6, 35], [12, NA, 45])
    none = ([], [], [], [], [], [], [])
    assert k.gap_cause(10, 40, 60, *chain, *apps) == (k.WITHDRAWAL, k.IN_CHAIN, 0)
    assert k.gap_cause(10, 40, 60, *none, *apps) == (k.PENDING_APP, k.IN_APPLICATIONS, 1)
    assert k.gap_cause(10, 40, 60, *none, *(a[::2] for a in apps)) == (k.REFUSED_APP, k.IN_APPLICATIONS, 0)
    later = ([0, 40], [10, 50], [10, 50], [False, False], [NA, 35], [0, 5], [-1, 0])
    assert k.gap_cause(10, 40, 60, *later, *apps) == (k.NEW_APPLICATION, k.IN_CHAIN, 1)
    assert k.gap_cause(10, NA, 60, *later, *([], [], [], [])) == (k.EXPIRED, k.IN_CHAIN, 0)


def test_day_number_is_days_since_1970():
    assert D(date(1970, 1, 1)) == 0 and D(date(2024, 2, 29)) == 19782 and D(None) == NA and D(None, INF) == INF


# --------------------------------------------------------------------------- two runners, one source

RUN = """
import hashlib, sys
from datetime import date
from timeline.synth import make_table
from timeline.batch import assess_table
from timeline.kernels import table as kt
digest = hashlib.sha256()
for seed, option in ((3, None), (4, {"withdrawal_effective": "decision"}), (5, {"late_extension_atw": "yes"})):
    res, err, gaps = assess_table(make_table(400, seed=seed), default_as_of=date(2026, 6, 1), options=option)
    for frame in (res, err, gaps):
        digest.update(frame.to_csv(index=False).encode())
print(type(kt.residence.run_gaps).__name__, len(gaps), digest.hexdigest())
"""


def _run(disable_jit: bool) -> tuple[str, int, str]:
    env = dict(os.environ)
    env.pop("NUMBA_DISABLE_JIT", None)
    if disable_jit:
        env["NUMBA_DISABLE_JIT"] = "1"
    out = subprocess.run([sys.executable, "-c", RUN], env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    kind, n, digest = out.stdout.split()
    return kind, int(n), digest


def test_table_runner_interpreted_with_numba_disable_jit():
    kind, n, _ = _run(disable_jit=True)
    assert kind == "function" and n > 50  # the plain functions ran, and found gaps


@needs_numba
def test_compiled_runner_equals_interpreted_runner():
    """The source compiled by numba gives the same results, errors and gap rows as the source interpreted."""
    kind, n, digest = _run(disable_jit=False)
    assert kind == "CPUDispatcher"
    assert (n, digest) == _run(disable_jit=True)[1:]


def test_single_case_runs_the_plain_functions():
    from timeline.kernels import table as kt

    assert kt.residence is not k or not kt.COMPILED  # the compiled copy is a module of its own
    assert type(k.derive_permit).__name__ == "function"
