"""Shared by the start-up benchmarks: time a command against its baseline in the same run.

Each command runs in a fresh process; the two run in turn, so that both see the same load
on a shared machine, and the best (minimum) wall time of each is kept: the least noisy
estimate of the cost itself.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path


def timed(cmd: list[str]) -> float:
    """Wall-clock seconds of one run of ``cmd`` in a fresh process."""
    start = time.perf_counter()
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": ""}
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def timeline_command() -> list[str]:
    """The ``timeline`` beside this python (a non-editable install), else the one on PATH."""
    beside = Path(sys.executable).with_name("timeline")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("timeline")
    return [found] if found else [sys.executable, "-m", "timeline"]


def best_of(cmd: list[str], base: list[str], runs: int, warm: int = 2) -> tuple[float, float]:
    """Best wall times of ``cmd`` and ``base`` over ``runs`` alternating runs, after ``warm``
    untimed runs of each (bytecode, page and font caches)."""
    for _ in range(warm):
        timed(cmd)
        timed(base)
    ours = theirs = float("inf")
    for _ in range(runs):
        ours = min(ours, timed(cmd))
        theirs = min(theirs, timed(base))
    return ours, theirs


def verdict(ratio: float, target: float) -> str:
    """``ratio: 1.36 (target <= 1.5) OK``."""
    return f"ratio: {ratio:.2f} (target <= {target}) {'OK' if ratio <= target else 'OVER TARGET'}"
