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
import sys
from pathlib import Path

from startup import best_of, timeline_command, verdict

ROOT = Path(__file__).resolve().parents[1]
TARGET = 1.5


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--example", default=str(ROOT / "examples" / "separation-reported-early.toml"))
    args = ap.parse_args()
    assess = [*timeline_command(), "assess", args.example]
    ours, base = best_of(assess, [sys.executable, "-c", "import click"], args.runs)
    print(f"python -c 'import click'   best of {args.runs}: {base * 1000:7.1f} ms")
    print(f"timeline assess <example>  best of {args.runs}: {ours * 1000:7.1f} ms")
    print(verdict(ours / base, TARGET))


if __name__ == "__main__":
    main()
