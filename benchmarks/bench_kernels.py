"""Issue 15 prototype benchmark: DC-6 (residence gaps) vectorised vs written once as a kernel.

On N synthetic cases (``timeline.synth.make_table``, default 1,000,000), measured in one run,
each timing repeated ``--runs`` times (min and max printed):

- baseline: ``pandas.read_parquet`` of the same cases written as Parquet (the issue's
  targets are stated against it), and ``timeline.batch.assess_table`` on the table in memory;
- today's vectorised DC-6 step of batch.py, isolated: ``_gap_spans`` + ``_gap_causes``
  (gap spans, causes, records, procedural days) on batch's own internals;
- the kernel (``timeline/kernels/gaps.py``) compiled with numba over the whole table: the
  input preparation (flat arrays, CSR offsets) apart from the driver; the first call with
  compilation (empty cache) apart from the next calls; the first call in a fresh process
  with the cache filled;
- the same kernel as plain Python on per-case lists (the single-case path) on a subsample
  of ``--sample`` cases, extrapolated to N (the list building is not counted);
- ``import numba`` and ``import numpy`` in a fresh interpreter;
- peak memory (tracemalloc) of the vectorised step and of the kernel (preparation + run).

    python benchmarks/bench_kernels.py                  # 1,000,000 cases
    python benchmarks/bench_kernels.py --cases 100000 --runs 3
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CACHE = tempfile.mkdtemp(prefix="bench-kernels-numba-")
os.environ["NUMBA_CACHE_DIR"] = CACHE  # an empty cache: the first call compiles

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

from timeline import batch as bt  # noqa: E402
from timeline.kernels import gaps as k  # noqa: E402
from timeline.kernels import table as kt  # noqa: E402
from timeline.synth import make_table  # noqa: E402


def timed(fn: Any, runs: int) -> tuple[list[float], Any]:
    out, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        out.append(time.perf_counter() - t0)
    return out, result


def span(ts: list[float], n: int | None = None) -> str:
    s = f"{min(ts):8.3f} s .. {max(ts):8.3f} s"
    if n:
        s += f"   ({min(ts) / n * 1e9:8.1f} .. {max(ts) / n * 1e9:8.1f} ns a case)"
    return s


def fresh(code: str, runs: int, env: dict[str, str] | None = None) -> list[float]:
    """Seconds printed by ``code`` in a fresh interpreter, ``runs`` times."""
    out = []
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
        out.append(float(done.stdout.split()[-1]))
    return out


def interpreted(x: kt.GapInputs, cases: np.ndarray) -> float:
    """Seconds for the plain-Python kernels on per-case lists (list building not counted)."""
    per_case = []
    for c in cases.tolist():
        def part(off: np.ndarray, *arrays: np.ndarray, c: int = c) -> list[list[int]]:
            return [a[off[c] : off[c + 1]].tolist() for a in arrays]

        cov = part(x.cov_off, x.cov_start, x.cov_end)
        chain = part(x.p_off, x.p_start, x.p_end, x.p_granted_end, x.p_withdrawn, x.p_received, x.p_basis, x.p_kind)
        apps = part(x.a_off, x.a_kind, x.a_outcome, x.a_received, x.a_decided)
        lb = part(x.b_off, x.b_start, x.b_end)
        per_case.append((cov, int(x.first_start[c]), int(x.as_of[c]), chain, apps, lb))
    t0 = time.perf_counter()
    for cov, first, as_of, chain, apps, lb in per_case:
        starts, ends = [0] * (len(cov[0]) + 1), [0] * (len(cov[0]) + 1)
        n = k.find_gaps(cov[0], cov[1], first, as_of, starts, ends, 0)
        for g in range(n):
            until = as_of if ends[g] == k.NA else ends[g]
            k.gap_cause(starts[g], ends[g], as_of, *chain, *apps)
            k.procedural_days(starts[g], until, lb[0], lb[1])
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--sample", type=int, default=50_000, help="cases for the interpreted kernel")
    args = ap.parse_args()
    n, runs = args.cases, args.runs
    print(f"# {n:,} cases, {runs} runs each (min .. max); python {sys.version.split()[0]}, {os.cpu_count()} cores")

    t0 = time.perf_counter()
    table = make_table(n, seed=15)
    print(f"make_table: {time.perf_counter() - t0:.1f} s, {table.num_rows:,} rows")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cases.parquet"
        pq.write_table(table, path)
        ts, _ = timed(lambda: pd.read_parquet(path), runs)
        read = min(ts)
        print(f"baseline pandas.read_parquet          {span(ts, n)}")
    ts, _ = timed(lambda: bt.assess_table(table, gaps=True), runs)
    print(f"assess_table (in memory, all rules)   {span(ts, n)}   {min(ts) / read:5.1f} x read_parquet")

    result, seen = kt.batch_internals(table)
    c, s, cov, proc, first = seen["c"], seen["s"], seen["cov"], seen["proc"], seen["first_start"]
    del result

    def vectorised() -> Any:
        g = bt._gap_spans(c, cov, first)
        return g, bt._gap_causes(c, s, g, proc)

    ts, (g, causes) = timed(vectorised, runs)
    vec = min(ts)
    print(f"vectorised DC-6 (_gap_spans+causes)   {span(ts, n)}   {vec / read:5.2f} x read_parquet")

    ts, x = timed(lambda: kt.from_batch(c, s, cov, proc, first), runs)
    prep = min(ts)
    print(f"kernel inputs (from_batch, numpy)     {span(ts, n)}")
    t0 = time.perf_counter()
    rows = kt.run_gaps(x)
    first_call = time.perf_counter() - t0
    ts, rows = timed(lambda: kt.run_gaps(x), runs)
    print(f"numba kernel, first call (compiles)   {first_call:8.3f} s   (compiled: {kt.COMPILED})")
    print(f"numba kernel, next calls              {span(ts, n)}   {min(ts) / read:5.2f} x read_parquet")
    both = min(ts) + prep
    print(f"numba kernel + inputs                 {both:8.3f} s   ({both / n * 1e9:.1f} ns a case)")
    same = (
        np.array_equal(rows.case, g["case"])
        and np.array_equal(rows.start, g["start"])
        and np.array_equal(rows.end, g["end"])
        and np.array_equal(rows.cause, causes[0])
        and np.array_equal(rows.procedural_days, causes[3])
    )
    print(f"same gaps, causes, procedural days as the vectorised step: {same} ({rows.case.size:,} gaps)")

    sample = np.random.default_rng(0).choice(n, size=min(args.sample, n), replace=False)
    ts = [interpreted(x, sample) for _ in range(runs)]
    scale = n / sample.size
    print(
        f"plain-Python kernel on lists, {sample.size:,} cases  {span(ts, sample.size)}"
        f"   -> {min(ts) * scale:.1f} .. {max(ts) * scale:.1f} s for {n:,} (extrapolated)"
    )

    code = "import time; t=time.perf_counter(); import {m}; print(time.perf_counter()-t)"
    print(f"import numpy (fresh interpreter)      {span(fresh(code.format(m='numpy'), runs))}")
    print(f"import numba (fresh interpreter)      {span(fresh(code.format(m='numba'), runs))}")
    warm = (
        "import time; t=time.perf_counter()\n"
        "import numpy as np; from timeline.kernels import table as kt\n"
        "z = np.zeros(2, dtype=np.int64); e = np.zeros(0, dtype=np.int64); no = np.zeros(0, dtype=bool)\n"
        "chain = [e, e, e, no, e, e, e]\n"
        "x = kt.GapInputs(np.array([9]), np.array([0]), z[:1], e, e, z[:1], *chain, z[:1], *[e] * 4, z[:1], e, e)\n"
        "kt.run_gaps(x); print(time.perf_counter()-t)"
    )
    env = dict(os.environ, NUMBA_CACHE_DIR=CACHE)
    print(f"import runner + first call, cache full {span(fresh(warm, runs, env))}")
    cold = fresh(warm, 1, dict(os.environ, NUMBA_CACHE_DIR=tempfile.mkdtemp(prefix="bench-kernels-cold-")))
    print(f"import runner + first call, no cache   {span(cold)}")

    tracemalloc.start()
    vectorised()
    vec_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.reset_peak()
    kt.run_gaps(kt.from_batch(c, s, cov, proc, first))
    ker_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"peak memory (tracemalloc): vectorised DC-6 {vec_peak / 1e6:.0f} MB, "
          f"kernel inputs + run {ker_peak / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
