"""Realistic random case histories for the benchmarks: a thin wrapper of :mod:`timeline.synth`.

The generator itself (plausible permit chains, separations, late reports, late extensions,
absences; the mix configurable) lives in ``timeline/synth.py`` and is also the
``timeline synth`` command; this script only keeps the benchmark's interface, which can
write several formats from one generated table:

    python benchmarks/make_cases.py --cases 100000 -o cases.parquet -o cases.csv   # or .jsonl
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from timeline.errors import TimelineError
from timeline.synth import make_table, mix_from, parse_mix
from timeline.tables import file_kind, write_table

__all__ = ["make_table"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--mix", action="append", default=[], metavar="KEY=VALUE", help="see timeline synth --help")
    ap.add_argument("-o", "--output", required=True, action="append", help=".csv, .parquet or .jsonl (repeatable)")
    args = ap.parse_args()
    try:
        mix = mix_from(parse_mix(args.mix))
        for output in args.output:
            file_kind(output)
    except TimelineError as err:  # SynthError, TableError: before generating anything
        ap.error(str(err))
    table = make_table(args.cases, args.seed, mix=mix)
    for output in args.output:
        try:
            write_table(table, output)
        except TimelineError as err:
            sys.exit(f"make_cases.py: {err}")
        print(f"{args.cases:,} cases, {table.num_rows:,} rows -> {output}", file=sys.stderr)


if __name__ == "__main__":
    main()
