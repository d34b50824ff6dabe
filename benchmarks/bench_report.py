"""Benchmark: ``timeline report`` of a long case against ``timeline chart`` of the same case.

The issue's target (issue 12): the report of a long case takes at most 1.5 s (the old
matplotlib layout's ``fit_page`` alone took 3.2 s). The report draws the chart and lays out
the text around it, so the chart command of the same case, measured in the same run, is
the baseline: the ratio says what the report adds to the chart (best of N each, fresh
processes, run in turn). In-process, the report's parts are timed too: the texts, the chart
as PNG and the PDF layout.

Run: ``python benchmarks/bench_report.py [--runs N]``
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from startup import best_of, timeline_command, verdict

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
#: The report may take this many times as long as the chart of the same case: 1.5 s when
#: the chart command takes 0.57 s, as it did on the 2-core machine this target was set on.
TARGET = 2.6
#: And at most this many seconds (the issue's figure, for a 2-core machine).
TARGET_S = 1.5


def long_case() -> dict:
    """A dense case of 15 years: 5 permits, 4 refused extensions, a separation, reports, stays abroad."""
    return {
        "id": "long-case",
        "as_of": "2026-01-01",
        "description": "A long history for the benchmark. " * 20,
        "person": {"turkish_national": True},
        "sponsor": {"status": "eu-citizen"},
        "relationship": {"kind": "marriage", "married": "2011-01-01", "separated": "2025-06-01"},
        "permits": [
            {"purpose": "partner", "start": f"{2011 + k}-01-01", "end": f"{2013 + k}-01-01"} for k in range(0, 15, 3)
        ],
        "notifications": [
            {"by": "sponsor", "received": "2025-06-20"},
            {"by": "foreign-national", "received": "2025-08-01"},
        ],
        "applications": [
            {
                "kind": "extension",
                "purpose": "partner",
                "received": f"{2013 + k}-03-01",
                "outcome": "refused",
                "decided": f"{2013 + k}-06-01",
            }
            for k in range(0, 12, 3)
        ],
        "absences": [{"departed": f"{2012 + 2 * k}-07-01", "returned": f"{2012 + 2 * k}-09-15"} for k in range(6)],
    }


def parts(path: Path, out: Path) -> dict[str, float]:
    """Seconds per part of one report, in this process (after a warm-up run)."""
    from timeline import assess, load_case
    from timeline.chart import chart_spec, render, style_context
    from timeline.chart.saving import png_bytes
    from timeline.report import report_content, report_pdf, write_report
    from timeline.report.pdf import CHART_CM

    case = load_case(path)
    a = assess(case)
    write_report(a, case, out)  # warm: fonts, imports
    t0 = time.perf_counter()
    content = report_content(a, case)
    t1 = time.perf_counter()
    with style_context():
        png = png_bytes(render(chart_spec(a, case, size=(CHART_CM[0] / 2.54, CHART_CM[1] / 2.54))))
    t2 = time.perf_counter()
    report_pdf(content, a.as_of, png, "chart")
    t3 = time.perf_counter()
    return {"texts": t1 - t0, "chart (PNG)": t2 - t1, "PDF layout": t3 - t2}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        case = Path(tmp) / "long-case.json"
        case.write_text(json.dumps(long_case()), encoding="utf-8")
        report_cmd = [*timeline_command(), "report", str(case), "-o", str(Path(tmp) / "r.pdf")]
        chart_cmd = [*timeline_command(), "chart", str(case), "-o", str(Path(tmp) / "c.png")]
        report, chart = best_of(report_cmd, chart_cmd, args.runs, warm=1)
        inside = parts(case, Path(tmp) / "p.pdf")
    print(f"timeline report long-case -o r.pdf: {report:.3f} s (best of {args.runs}; target <= {TARGET_S} s)")
    print(f"timeline chart long-case -o c.png:  {chart:.3f} s (best of {args.runs})")
    print("in process: " + ", ".join(f"{k} {v:.3f} s" for k, v in inside.items()))
    print(verdict(report / chart, TARGET))
    return 0


if __name__ == "__main__":
    sys.exit(main())
