"""Benchmark: ``timeline chart EXAMPLE -o /tmp/x.png`` against importing pyplot with Agg.

The issue's target: the chart command takes at most 1.6 times as long as
``python -c "import matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot"``,
both measured in the same run (best of 5 each, fresh processes).

Run: ``python benchmarks/bench_chart.py [CASE_FILE] [--runs N]``
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = 1.6


def timed(cmd: list[str]) -> float:
    """Wall-clock seconds of one run of ``cmd`` in a fresh process."""
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("case", nargs="?", default=str(ROOT / "examples" / "separation-reported-early.toml"))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    exe = Path(sys.executable).with_name("timeline")
    timeline = [str(exe)] if exe.exists() else [sys.executable, "-m", "timeline"]
    with tempfile.TemporaryDirectory() as tmp:
        out = str(Path(tmp) / "x.png")
        chart_cmd = [*timeline, "chart", args.case, "-o", out]
        base_cmd = [sys.executable, "-c", "import matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot"]
        # Warm the font cache and the file system once; then alternate the two commands so
        # that both see the same load on a shared machine, and keep the best of each.
        timed(chart_cmd)
        timed(base_cmd)
        chart = base = float("inf")
        for _ in range(args.runs):
            chart = min(chart, timed(chart_cmd))
            base = min(base, timed(base_cmd))
    ratio = chart / base
    print(f"timeline chart {Path(args.case).name} -o x.png: {chart:.3f} s (best of {args.runs})")
    print(f"import matplotlib.pyplot (Agg):                  {base:.3f} s (best of {args.runs})")
    print(f"ratio: {ratio:.2f} (target <= {TARGET}) {'OK' if ratio <= TARGET else 'OVER TARGET'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
