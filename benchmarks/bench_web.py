"""Benchmark: ``timeline serve``'s caseload page over 2,000 case files, and a case page.

Issue 13 asks the caseload of a folder of 2,000 cases to load in under 2 s. The folder is
made by ``timeline synth`` (JSON Lines of case files) split into one ``.json`` file per
case. The baseline, measured in the same run, is the single-case engine's plain loop over
the same files (``load_case`` + ``assess`` per file, nothing else): the ratio says what the
page adds (now and next's texts, the sort, the HTML). The first request assesses every file;
later requests reuse each file's result until its modification time or size changes, so
they only look at the files and write the page.

Each page is then asked ``--runs`` times more and the 50th and 95th percentiles printed,
on the examples and on the synthetic folder, with the caseload as CSV (``/cases.csv``).

A scenario slider step (issue 13: p95 at most 250 ms) is ``POST /api/scenarios`` with the
comparison chart, on the examples, the slider moved one day at a time to a day not asked
before (no answer kept from an earlier step); its baseline is the library's own work for the
same step (``scenarios`` + ``comparison_figure`` saved as SVG), measured in the same run.
The page asks for the table first (``"chart": false``) and the chart when the slider rests:
that first answer is timed too.

Run: ``python benchmarks/bench_web.py [--cases 2000] [--runs 20] [--steps 40]``
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.request import Request, urlopen

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from timeline.engine import assess  # noqa: E402 (after the path)
from timeline.errors import TimelineError  # noqa: E402
from timeline.io import load_case  # noqa: E402
from timeline.synth import write_cases  # noqa: E402
from timeline.web import App, make_server  # noqa: E402

#: The issue's figure for the caseload of 2,000 cases on a 2-core machine, in seconds.
TARGET_S = 2.0
#: The issue's figure for a scenario slider step (p95), in seconds.
SLIDER_TARGET_S = 0.25
SLIDER_CASE, SLIDER_PATH = "separation-reported-early.toml", "notifications[0].change_date"


def make_folder(root: Path, cases: int, seed: int) -> Path:
    """``cases`` synthetic case files, one ``.json`` per case, in ``root/cases``."""
    jsonl = root / "cases.jsonl"
    write_cases(str(jsonl), cases, seed, {})
    folder = root / "cases"
    folder.mkdir()
    for line in jsonl.read_text(encoding="utf-8").splitlines():
        if line.strip():
            data = json.loads(line)
            (folder / f"{data['id']}.json").write_text(line, encoding="utf-8")
    return folder


def engine_loop(folder: Path) -> float:
    """Seconds for load_case + assess over every file (today for files without as_of)."""
    from timeline.web.caseload import today

    on = today()
    start = time.perf_counter()
    for p in sorted(folder.iterdir()):
        try:
            case = load_case(p)
            assess(case, case.as_of or on)
        except TimelineError:
            pass
    return time.perf_counter() - start


def get(url: str, token: str) -> tuple[float, int]:
    start = time.perf_counter()
    with urlopen(Request(url, headers={"Authorization": f"Bearer {token}"}), timeout=120) as r:
        size = len(r.read())
    return time.perf_counter() - start, size


def pct(values: list[float], q: float) -> float:
    """The ``q`` quantile of ``values`` (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(folder: Path, runs: int) -> dict[str, Any]:
    """Seconds for the caseload page (first request, then ``runs`` more), the caseload CSV and
    the first case's page (first request, chart drawn; then ``runs`` more) over ``folder``."""
    app = App(folder, token="bench", lang="en")
    server = make_server(app, "127.0.0.1", 0, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{app.port}"
    try:
        cold, size = get(url + "/", "bench")
        warm = [get(url + "/", "bench")[0] for _ in range(runs)]
        csv = [get(url + "/cases.csv", "bench")[0] for _ in range(max(3, runs // 4))]
        first = sorted(p for p in folder.iterdir() if p.suffix in (".toml", ".json"))[0].name
        case_cold = get(f"{url}/cases/{first}", "bench")[0]
        case_warm = [get(f"{url}/cases/{first}", "bench")[0] for _ in range(runs)]
    finally:
        server.shutdown()
        server.server_close()
    return {"cold": cold, "size": size, "warm": warm, "csv": csv, "case_cold": case_cold, "case": case_warm}


def report(label: str, files: int, base: float, m: dict[str, Any]) -> None:
    """The figures of :func:`measure` for ``files`` case files, with the engine loop ``base``."""
    warm, case = m["warm"], m["case"]
    print(f"{label}: {files:,} case files; engine loop (load_case + assess per file): {base:.3f} s (baseline)")
    print(f"  caseload, first request (every file assessed): {m['cold']:.3f} s = {m['cold'] / base:.2f} x baseline")
    print(
        f"  caseload, again (cached by modification time): p50 {pct(warm, 0.5) * 1000:.0f} ms, "
        f"p95 {pct(warm, 0.95) * 1000:.0f} ms = {pct(warm, 0.5) / base:.2f} x baseline ({m['size']:,} bytes)"
    )
    print(f"  caseload as CSV (GET /cases.csv): p50 {pct(m['csv'], 0.5) * 1000:.0f} ms")
    print(
        f"  case page: first {m['case_cold'] * 1000:.0f} ms (chart drawn), again p50 {pct(case, 0.5) * 1000:.0f} ms, "
        f"p95 {pct(case, 0.95) * 1000:.0f} ms"
    )


def p95(times: list[float]) -> float:
    return sorted(times)[max(0, round(0.95 * len(times)) - 1)]


def slider_steps(steps: int) -> tuple[list[float], list[float], list[float]]:
    """Seconds per slider step through the server, for the library's work alone (the baseline),
    and through the server without the chart (the table the page shows first)."""
    import tempfile as tf
    from datetime import timedelta

    from timeline.chart import save
    from timeline.scenarios import scenarios
    from timeline.scenarios.chart import comparison_figure

    examples = ROOT / "examples"
    case = load_case(examples / SLIDER_CASE)
    app = App(examples, token="bench", lang="en")
    server = make_server(app, "127.0.0.1", 0, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{app.port}/api/scenarios"
    headers = {"Authorization": "Bearer bench", "Content-Type": "application/json"}
    web, lib, table = [], [], []
    for i in range(steps + 1):  # the first step warms up (imports, fonts)
        shift = i - steps // 2
        spec = {"name": SLIDER_CASE, "vary": [{"path": SLIDER_PATH, "shift": shift}], "chart": False}
        start = time.perf_counter()
        with urlopen(Request(url, data=json.dumps(spec).encode(), headers=headers, method="POST"), timeout=120) as r:
            assert r.status == 200 and b"<svg" not in r.read()
        quick = time.perf_counter() - start
        start = time.perf_counter()
        body = json.dumps({**spec, "chart": True}).encode()
        with urlopen(Request(url, data=body, headers=headers, method="POST"), timeout=120) as r:
            assert r.status == 200 and b"<svg" in r.read()
        took = time.perf_counter() - start
        start = time.perf_counter()
        day = case.notifications[0].change_date + timedelta(days=shift)  # type: ignore[operator]
        cmp = scenarios(case, [f"{SLIDER_PATH}={day}"], as_of=case.as_of)
        with tf.TemporaryDirectory() as tmp:
            save(comparison_figure(cmp), Path(tmp) / "c.svg")
        if i:
            web.append(took)
            lib.append(time.perf_counter() - start)
            table.append(quick)
    server.shutdown()
    server.server_close()
    return web, lib, table


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--steps", type=int, default=40, help="scenario slider steps")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        examples = Path(tmp) / "examples"
        examples.mkdir()
        for p in sorted((ROOT / "examples").glob("*.toml")):
            shutil.copy(p, examples / p.name)
        report("examples", len(list(examples.iterdir())), engine_loop(examples), measure(examples, args.runs))
        folder = make_folder(Path(tmp), args.cases, args.seed)
        base = engine_loop(folder)
        m = measure(folder, args.runs)
        report("synthetic", args.cases, base, m)
    met = "met" if m["cold"] < TARGET_S else "NOT met"
    print(f"target: caseload of {args.cases:,} cases under {TARGET_S} s: {met} on the first request")
    web, lib, table = slider_steps(args.steps)
    print(
        f"a scenario slider step p95 (goal: at most {SLIDER_TARGET_S * 1000:.0f} ms): {p95(web) * 1000:.0f} ms "
        f"(p50 {pct(web, 0.5) * 1000:.0f} ms, {len(web)} steps, POST /api/scenarios with the SVG); "
        f"library alone p95 {p95(lib) * 1000:.0f} ms (baseline) = {p95(web) / p95(lib):.2f} x baseline: "
        f"{'met' if p95(web) <= SLIDER_TARGET_S else 'NOT met'}"
    )
    print(
        f"the same step without the chart (the table, which the page shows first): p95 {p95(table) * 1000:.0f} ms, "
        f"p50 {pct(table, 0.5) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
