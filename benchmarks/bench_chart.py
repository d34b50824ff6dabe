"""Benchmark: ``timeline chart EXAMPLE -o /tmp/x.png`` against importing pyplot with Agg.

The issue's target: the chart command takes at most 1.6 times as long as
``python -c "import matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot"``,
both measured in the same run (best of 5 each, fresh processes).

Run: ``python benchmarks/bench_chart.py [CASE_FILE] [--runs N]``
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from startup import best_of, timeline_command, verdict

ROOT = Path(__file__).resolve().parents[1]
TARGET = 1.6
PYPLOT = "import matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("case", nargs="?", default=str(ROOT / "examples" / "separation-reported-early.toml"))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        chart_cmd = [*timeline_command(), "chart", args.case, "-o", str(Path(tmp) / "x.png")]
        chart, base = best_of(chart_cmd, [sys.executable, "-c", PYPLOT], args.runs, warm=1)
    print(f"timeline chart {Path(args.case).name} -o x.png: {chart:.3f} s (best of {args.runs})")
    print(f"import matplotlib.pyplot (Agg):                  {base:.3f} s (best of {args.runs})")
    print(verdict(chart / base, TARGET))
    return 0


if __name__ == "__main__":
    sys.exit(main())
