"""Start-up benchmark for `timeline assess` (issue 2): prints both times and the ratio.

Baseline: `python -c "import click"` measured in the same run. Target: ratio <= 1.5.
Each command runs N times, the two in turn (so that both see the same load on a shared
machine); the best (minimum) wall time is reported, the least noisy estimate of the cost
itself. Run it with the python of a non-editable install (`pip install .` in a scratch
environment): an editable install adds an import hook. The `timeline` beside that python
is measured (else the one on PATH). Then one ``timeline.assess`` of the example in a running
process (issue 15: at most 2 ms), best of 300 calls.

    python benchmarks/bench_assess.py [--runs 20] [--example examples/separation-reported-early.toml]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from startup import best_of, timeline_command, verdict

ROOT = Path(__file__).resolve().parents[1]
TARGET = 1.5
#: One ``timeline.assess`` of the example in a running process, at most this many milliseconds (issue 15).
IN_PROCESS_MS = 2.0


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
    # One assess in a running process (the case read once): best of many calls, in a child
    # of the same python, so that the package measured is the installed one.
    child = (
        "import sys, time\nfrom timeline import assess, load_case\n"
        "case = load_case(sys.argv[1]); when = case.as_of\nassess(case, when)\nbest = 1.0\n"
        "for _ in range(300):\n    t = time.perf_counter(); assess(case, when)\n"
        "    best = min(best, time.perf_counter() - t)\n"
        "print(best)\n"
    )
    done = subprocess.run([sys.executable, "-c", child, args.example], capture_output=True, text=True, check=True)
    one = float(done.stdout.split()[-1])
    print(
        f"assess in-process          best of 300: {one * 1000:7.2f} ms (target <= {IN_PROCESS_MS} ms) "
        f"{'OK' if one * 1000 <= IN_PROCESS_MS else 'OVER TARGET'}"
    )


if __name__ == "__main__":
    main()
