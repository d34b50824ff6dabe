"""Batch benchmark (issue 5): `timeline batch` end to end against pandas just reading the same file.

Generates N realistic random cases (``make_cases.py``, about 10 records a case) as CSV and
Parquet in a temporary folder (deleted afterwards), then measures in the same run:

- ``pandas.read_csv(cases.csv)`` vs ``timeline batch cases.csv -o results.csv`` (target <= 2.5 x),
- ``pandas.read_parquet(cases.parquet)`` vs ``timeline batch cases.parquet -o results.parquet``
  (target <= 10 x),
- the peak memory (``ru_maxrss``) of each ``timeline batch`` process (target <= 4 GB for 1M cases),
- the first run after an install, which compiles the rules (numba caches them), on a small
  table before the runs above, so that the runs compared are warm,
- the speed-up over a loop of the single-case engine (``case_from_dict`` + ``assess``), timed on
  a sample of cases and scaled to N.

Each command runs in a fresh process (imports and start-up included); the times are
wall-clock, best of ``--runs``.

    python benchmarks/bench_batch.py                    # 1,000,000 cases
    python benchmarks/bench_batch.py --cases 100000 --runs 3
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Run in a child: prints wall seconds and the child's own peak RSS (KiB).
CHILD = """
import resource, sys, time
t0 = time.perf_counter()
kind, path = sys.argv[1], sys.argv[2]
if kind == "read_csv":
    import pandas as pd
    pd.read_csv(path)
elif kind == "read_parquet":
    import pandas as pd
    pd.read_parquet(path)
else:
    from timeline.cli import main
    try:
        main(sys.argv[3:], standalone_mode=False)
    except SystemExit as err:
        if err.code:
            raise
print(time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def child(kind: str, path: Path, *args: str) -> tuple[float, float, str]:
    """Wall time (including interpreter start), peak RSS in GB and stderr of one run."""
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, kind, str(path), *args],
        check=True,
        capture_output=True,
        text=True,
        cwd=path.parent,  # not the checkout: `python -c` puts its folder first, and timeline must be the installed one
    )
    return time.perf_counter() - t0, int(done.stdout.split()[-1]) / 1024**2, done.stderr


def best(runs: int, kind: str, path: Path, *args: str) -> tuple[float, float, str]:
    results = [child(kind, path, *args) for _ in range(runs)]
    return min(r[0] for r in results), max(r[1] for r in results), results[-1][2]


def engine_loop_seconds(table, sample: int) -> tuple[float, int]:
    """Seconds to validate and assess ``sample`` cases one by one with the single-case engine."""
    from datetime import date

    from timeline import CaseError, assess, case_from_dict
    from timeline.tables import table_to_cases

    cases = table_to_cases(table)[:sample]
    t0 = time.perf_counter()
    for tc in cases:
        try:
            case = case_from_dict(tc.data)
            assess(case, case.as_of or date(2026, 1, 1))
        except CaseError:
            pass
    return time.perf_counter() - t0, len(cases)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=1, help="runs of each command; the best time is reported")
    ap.add_argument("--sample", type=int, default=3000, help="cases timed in the single-case loop")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench_batch_"))
    try:
        # Generate in a child process: this process stays small, so the children's peak
        # memory (which Linux carries over from the parent across fork/exec) is their own.
        t0 = time.perf_counter()
        csv, parquet = tmp / "cases.csv", tmp / "cases.parquet"
        gen = [sys.executable, str(ROOT / "benchmarks" / "make_cases.py"), "--cases", str(args.cases)]
        subprocess.run([*gen, "--seed", str(args.seed), "-o", str(csv), "-o", str(parquet)], check=True, cwd=tmp)
        import pyarrow.parquet as pq

        n_rows = pq.ParquetFile(parquet).metadata.num_rows
        print(
            f"{args.cases:,} cases, {n_rows:,} rows ({n_rows / args.cases:.1f} a case); "
            f"CSV {csv.stat().st_size / 1e6:,.0f} MB, Parquet {parquet.stat().st_size / 1e6:,.0f} MB "
            f"(generated in {time.perf_counter() - t0:.0f} s)"
        )
        sample = next(pq.ParquetFile(parquet).iter_batches(batch_size=args.sample * 12))
        import pyarrow as pa

        sample = pa.Table.from_batches([sample])

        # The first batch run after an install compiles the rules (numba, cached after it):
        # timed once on a small table, apart from the runs compared below.
        small = tmp / "small.parquet"
        subprocess.run([*gen[:-1], "200", "--seed", "1", "-o", str(small)], check=True, cwd=tmp)
        first, _, _ = child("batch", small, "batch", str(small), "-o", str(tmp / "small-results.csv"))
        again, _, _ = child("batch", small, "batch", str(small), "-o", str(tmp / "small-results.csv"))
        print(f"first run after install (compiles the rules, once): {first:.1f} s; the next run: {again:.1f} s")

        rows = []
        for label, src, out, reader in (
            ("CSV", csv, tmp / "results.csv", "read_csv"),
            ("Parquet", parquet, tmp / "results.parquet", "read_parquet"),
        ):
            base, _, _ = best(args.runs, reader, src)
            cmd = ["batch", str(src), "-o", str(out), "--errors", str(tmp / "errors.csv")]
            ours, mem, log = best(args.runs, "batch", src, *cmd)
            rows.append((label, reader, base, ours, mem))
            last = log.strip().splitlines()[-1] if log.strip() else ""
        for label, reader, base, ours, mem in rows:
            target = 2.5 if label == "CSV" else 10
            print(
                f"{label:8s} pandas.{reader:13s} {base:7.2f} s | timeline batch {ours:7.2f} s | "
                f"ratio {ours / base:5.2f} (target <= {target}) | peak memory {mem:.2f} GB"
            )
        import pandas as pd

        res = pd.read_parquet(tmp / "results.parquet")
        err = pd.read_csv(tmp / "errors.csv")
        print(f"results {len(res):,} cases, errors {len(err):,} (every case once: {len(res) + len(err) == args.cases})")

        loop, n = engine_loop_seconds(sample, args.sample)
        scaled = loop / n * args.cases
        batch_parquet = rows[1][3]
        print(
            f"single-case engine loop: {loop:.2f} s for {n:,} cases -> {scaled:,.0f} s for {args.cases:,} "
            f"(scaled); batch from Parquet {batch_parquet:.1f} s: speed-up {scaled / batch_parquet:,.0f} x"
        )
        routed = re.search(r"([\d,]+) through the single-case engine", last)
        n_routed = int(routed.group(1).replace(",", "")) if routed else 0
        print(f"cases routed through the single-case engine: {n_routed:,} of {args.cases:,} ({last})")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if os.path.exists(tmp):
            print(f"could not delete {tmp}", file=sys.stderr)


if __name__ == "__main__":
    main()
