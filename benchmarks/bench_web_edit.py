"""Benchmark: an edit on ``timeline serve``'s edit page, as the page sends it, for each example case and a long case.

Issue 13 asks an edit (the check, the assessment and the SVG chart) to answer in at most
150 ms at the 95th percentile on a 2-core machine, so that typing feels live. The edit
page asks ``POST /api/assess`` with ``"chart_svg": false`` (the numbers), then
``GET chart_url`` when the chart changed; "numbers + chart" (both requests, one after the
other) is the issue's figure. Also timed: the numbers alone, one request with the SVG in
the answer (``chart_svg``, as the page asked before), and an edit whose chart is unchanged.
The baseline, measured in the same run on the same cases, is the engine alone
(``case_from_dict`` + ``assess`` + ``to_dict``: no chart, no HTTP).

Each timed edit moves the evaluation date by a day, so that every chart differs and is
drawn. The cases: the examples and a long one (the synthetic case with the most records of
200, 34 stays abroad). Besides the wall-clock time, the CPU time of the process (server
and client, one edit at a time) is printed: on a shared machine it moves less with the load.

Run it on an installed package (``pip install '.[batch]'`` in a fresh virtual environment;
the long case needs ``batch``), from outside the checkout::

    python benchmarks/bench_web_edit.py [--runs 20]

Without an installed ``timeline`` it imports the checkout's. Against an older server that
has no ``chart_url``, only the one-request row is measured.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import sys
import threading
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
try:
    import timeline
except ImportError:  # not installed: the checkout's
    sys.path.insert(0, str(ROOT))
    import timeline

from timeline.engine import assess  # noqa: E402 (after the checkout's path, if needed)
from timeline.io import case_from_dict  # noqa: E402
from timeline.web import App, make_server  # noqa: E402
from timeline.web.saving import file_data  # noqa: E402

#: The issue's figure for an edit, at the 95th percentile, in seconds.
TARGET_S = 0.150
Case = dict[str, Any]


def p(values: list[float], q: float) -> float:
    """The ``q`` quantile of ``values`` (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def long_case() -> Case | None:
    """The valid synthetic case with the most records of 200 with many stays abroad (None without ``batch``)."""
    try:
        from timeline.synth import make_cases
    except ImportError:
        return None
    mix = {"absences": 20, "separation": 1.0, "objection": 0.5, "change_of_purpose": 1.0}
    best: tuple[int, Case] | None = None
    for data in make_cases(200, seed=3, mix=mix):
        try:
            case = case_from_dict(data)
            assess(case, case.as_of or date(2025, 11, 23))
        except timeline.TimelineError:
            continue
        records = sum(len(v) for v in data.values() if isinstance(v, list))
        if best is None or records > best[0]:
            best = (records, data)
    return None if best is None else best[1]


class Client:
    """One HTTP connection to the server, as the page's: token, origin, JSON."""

    def __init__(self, address: str) -> None:
        self.conn = http.client.HTTPConnection(address, timeout=120)
        self.headers = {
            "Authorization": "Bearer bench",
            "Content-Type": "application/json",
            "Origin": f"http://{address}",
        }

    def send(self, method: str, path: str, body: bytes | None = None) -> bytes:
        self.conn.request(method, path, body=body, headers=self.headers)
        r = self.conn.getresponse()
        data = r.read()
        assert r.status == 200, (r.status, data[:200])
        return data

    def assess(self, case: Case, shift: int, inline: bool) -> dict[str, Any]:
        as_of = date.fromisoformat(str(case.get("as_of") or "2025-11-23")) + timedelta(days=shift)
        request: dict[str, Any] = {"case": case, "lang": "nl", "as_of": as_of.isoformat()}
        if not inline:
            request["chart_svg"] = False
        return json.loads(self.send("POST", "/api/assess", json.dumps(request).encode("utf-8")))


def timed(edit: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and process CPU seconds of ``edit()``."""
    wall, cpu = time.perf_counter(), time.process_time()
    edit()
    return time.perf_counter() - wall, time.process_time() - cpu


def measure(cases: list[Case], runs: int, client: Client, split: bool) -> dict[str, list[tuple[float, float]]]:
    """Each way of editing, ``runs`` times per case, each edit a day later than the last (a new chart)."""
    rows: dict[str, list[tuple[float, float]]] = {k: [] for k in ("numbers + chart", "numbers", "one request", "same")}
    shift = 0

    def numbers_then_chart(case: Case, shift: int) -> None:
        client.send("GET", client.assess(case, shift, inline=False)["chart_url"])

    for _ in range(runs):
        for case in cases:
            shift += 1
            rows["one request"].append(timed(lambda: client.assess(case, shift, inline=True)))  # noqa: B023
            if split:
                shift += 1
                rows["numbers"].append(timed(lambda: client.assess(case, shift, inline=False)))  # noqa: B023
                shift += 1
                rows["numbers + chart"].append(timed(lambda: numbers_then_chart(case, shift)))  # noqa: B023
                rows["same"].append(timed(lambda: client.assess(case, shift, inline=False)))  # noqa: B023
    return {k: v for k, v in rows.items() if v}


def engine(cases: list[Case], runs: int) -> list[tuple[float, float]]:
    def one(case: Case) -> None:
        c = case_from_dict(case)
        assess(c, c.as_of or date(2025, 11, 23)).to_dict("nl")

    return [timed(lambda: one(case)) for _ in range(runs) for case in cases]  # noqa: B023


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="edits per case and way of editing")
    args = parser.parse_args()
    cases = [file_data(path)[0] for path in sorted((ROOT / "examples").glob("*.toml"))]
    long = long_case()
    if long is not None:
        cases.append(long)
    app = App(ROOT / "examples", token="bench", lang="en")
    server = make_server(app, "127.0.0.1", 0, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    client = Client(f"127.0.0.1:{app.port}")
    split = "chart_url" in client.assess(cases[0], 0, inline=True)
    for case in cases:  # warm up: imports, fonts, the first drawings
        client.assess(case, 0, inline=True)
    rows = measure(cases, args.runs, client, split)
    rows["engine alone (baseline)"] = engine(cases, args.runs)
    server.shutdown()
    print(f"timeline {timeline.__version__} from {Path(timeline.__file__).parent}")
    print(f"{len(cases)} cases ({'with' if long else 'without'} the long one) x {args.runs} edits; ", end="")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    names = {
        "numbers + chart": "numbers + chart (the page)",
        "numbers": "numbers alone",
        "one request": "one request, SVG inline",
        "same": "numbers, chart unchanged",
    }
    base = statistics.median(w for w, _ in rows["engine alone (baseline)"])
    for key, values in rows.items():
        wall, cpu = [w for w, _ in values], [c for _, c in values]
        print(
            f"{names.get(key, key):28s} p50 {statistics.median(wall) * 1000:6.1f} ms  p95 {p(wall, 0.95) * 1000:6.1f}"
            f" ms  = {statistics.median(wall) / base:5.1f} x baseline   CPU p50 {statistics.median(cpu) * 1000:6.1f}"
            f"  p95 {p(cpu, 0.95) * 1000:6.1f} ms"
        )
    page = rows["numbers + chart" if split else "one request"]
    met = p([w for w, _ in page], 0.95) <= TARGET_S
    print(f"goal: an edit with its chart at p95 <= {TARGET_S * 1000:.0f} ms: {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
