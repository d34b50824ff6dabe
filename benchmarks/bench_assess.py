"""Start-up benchmark for `timeline assess` (issue 2): prints both times and the ratio.

Baseline: `python -c "import click"` measured in the same run. Target: ratio <= 1.5.
Each command runs N times; the best (minimum) wall time is reported, which is the
least noisy estimate of the cost itself on a shared machine.

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


def best_of(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env={**os.environ, "PYTHONDONTWRITEBYTECODE": ""})
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--example", default=str(ROOT / "examples" / "separation-reported-early.toml"))
    args = ap.parse_args()
    exe = shutil.which("timeline") or str(Path(sys.executable).with_name("timeline"))
    base_cmd = [sys.executable, "-c", "import click"]
    cmd = [exe, "assess", args.example]
    best_of(base_cmd, 2)  # warm caches (bytecode, page cache) for both
    best_of(cmd, 2)
    base = best_of(base_cmd, args.runs)
    ours = best_of(cmd, args.runs)
    print(f"python -c 'import click'   best of {args.runs}: {base * 1000:7.1f} ms")
    print(f"timeline assess <example>  best of {args.runs}: {ours * 1000:7.1f} ms")
    print(f"ratio: {ours / base:.2f} (target <= 1.5)")


if __name__ == "__main__":
    main()
