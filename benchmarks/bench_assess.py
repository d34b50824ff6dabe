"""Start-up benchmark for `timeline assess` (issue 2): prints both times and the ratio.

Baseline: `python -c "import click"` measured in the same run. Target: ratio <= 1.5.
Each command runs N times, the two in turn (so that both see the same load on a shared
machine); the best (minimum) wall time is reported, the least noisy estimate of the cost
itself. Run it with the python of a non-editable install (`pip install .` in a scratch
environment): an editable install adds an import hook. The `timeline` beside that python
is measured (else the one on PATH).

    python benchmarks/bench_assess.py [--runs 20] [--example examples/separation-reported-early.toml]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


TARGET = 1.5


def timed(cmd: list[str]) -> float:
    """Wall-clock seconds of one run of ``cmd`` in a fresh process."""
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env={**os.environ, "PYTHONDONTWRITEBYTECODE": ""})
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--example", default=str(ROOT / "examples" / "separation-reported-early.toml"))
    args = ap.parse_args()
    beside = Path(sys.executable).with_name("timeline")
    exe = str(beside) if beside.exists() else shutil.which("timeline") or "timeline"
    base_cmd = [sys.executable, "-c", "import click"]
    cmd = [exe, "assess", args.example]
    for _ in range(2):  # warm caches (bytecode, page cache) for both
        timed(base_cmd)
        timed(cmd)
    base = ours = float("inf")
    for _ in range(args.runs):
        base = min(base, timed(base_cmd))
        ours = min(ours, timed(cmd))
    ratio = ours / base
    print(f"python -c 'import click'   best of {args.runs}: {base * 1000:7.1f} ms")
    print(f"timeline assess <example>  best of {args.runs}: {ours * 1000:7.1f} ms")
    print(f"ratio: {ratio:.2f} (target <= {TARGET}) {'OK' if ratio <= TARGET else 'OVER TARGET'}")


if __name__ == "__main__":
    main()
