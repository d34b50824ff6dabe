"""Realistic random case histories as an event table (README "Batch tables"), generated with numpy.

Each case tells a plausible story: a partner permit from arrival for five years (sometimes
after a study permit, sometimes granted through a ``first`` application), an extension
filed around the end date (on time, within the four-week tolerance, or late), a separation
in about a third of the cases with reports by one or both partners, a withdrawal decision,
sometimes an objection, a change of purpose to work, applications for permanent residence
or naturalisation, and stays abroad (mostly short, a few long or still ongoing). About 1 %
of cases carry a typo (an impossible date), as exported data does. About 10 records a case.

    python benchmarks/make_cases.py --cases 100000 -o cases.parquet   # or .csv / .jsonl

The library function :func:`make_table` returns a :class:`pyarrow.Table`.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from timeline.tables import BOOL_COLUMNS, COLUMNS, RECORDS, write_table

EPOCH = date(1970, 1, 1).toordinal()
YEAR = 365.2425


def _d(y: int, m: int, d: int) -> int:
    return date(y, m, d).toordinal() - EPOCH


def _years(days: np.ndarray, n: int) -> np.ndarray:
    """Add whole years (29 February -> 28 February), as the case files would print them."""
    dt = days.astype("M8[D]")
    y = dt.astype("M8[Y]").astype(np.int64) + n
    md = (dt - dt.astype("M8[Y]")).astype(np.int64)  # day of year
    start = y.astype("M8[Y]").astype("M8[D]").astype(np.int64)
    nxt = (y + 1).astype("M8[Y]").astype("M8[D]").astype(np.int64)
    leap_src = ((dt.astype("M8[Y]") + 1).astype("M8[D]") - dt.astype("M8[Y]").astype("M8[D]")).astype(np.int64) == 366
    leap_dst = nxt - start == 366
    # After 28 Feb in a leap source year, drop a day when the target is not leap (and vice versa).
    adj = np.where(leap_src & ~leap_dst & (md >= 59), -1, np.where(~leap_src & leap_dst & (md >= 59), 1, 0))
    out = start + md + adj
    return np.minimum(out, nxt - 1)


class _Rows:
    def __init__(self) -> None:
        self.parts: list[dict[str, np.ndarray]] = []

    def add(self, record: str, case: np.ndarray, index: np.ndarray | int, **fields: np.ndarray) -> None:
        part = {
            "_case": case,
            "_rec": np.full(case.size, RECORDS.index(record)),
            "index": np.broadcast_to(index, case.shape),
        }
        part.update(fields)
        self.parts.append(part)


def make_table(n: int, seed: int = 0, as_of: date | None = None) -> pa.Table:
    """``n`` realistic cases as an event table (dates as ISO text)."""
    rng = np.random.default_rng(seed)
    rows = _Rows()
    cases = np.arange(n)
    ids = np.char.add("case-", np.char.zfill(cases.astype(str), 7))
    arrival = rng.integers(_d(2010, 1, 1), _d(2024, 6, 1), n)
    as_of_day = rng.integers(_d(2024, 1, 1), _d(2026, 6, 1), n)
    has_as_of = rng.random(n) < 0.9
    rows.add("case", cases, 0, as_of=np.where(has_as_of, as_of_day, -1))
    as_of_eff = as_of_day if as_of is None else np.full(n, as_of.toordinal() - EPOCH)

    birth = arrival - rng.integers(int(10 * YEAR), int(45 * YEAR), n)
    integ = np.where(rng.random(n) < 0.4, arrival + rng.integers(300, 2000, n), -1)
    rows.add("person", cases, 0, birth_date=birth, integration_passed=integ)

    status = rng.choice(5, n, p=[0.7, 0.15, 0.08, 0.05, 0.02])  # dutch permanent fixed-term temporary eu
    status_names = np.array(["dutch", "permanent", "fixed-term", "temporary", "eu-citizen"], dtype=object)
    pend = np.where(np.isin(status, [2, 3]) & (rng.random(n) < 0.7), arrival + rng.integers(300, 3000, n), -1)
    rows.add("sponsor", cases, 0, status=status_names[status], permit_end=pend)

    has_rel = rng.random(n) < 0.95
    rc = cases[has_rel]
    m = rc.size
    rkind = rng.choice(3, m, p=[0.6, 0.1, 0.3])
    kind_names = np.array(["marriage", "registered-partnership", "unmarried"], dtype=object)
    cohab = arrival[rc] - rng.integers(0, int(3 * YEAR), m)
    place = np.array(["kingdom", "abroad"], dtype=object)[rng.integers(0, 2, m)]
    married = np.where(rkind < 2, cohab + rng.integers(-200, 700, m), -1)
    began = np.where(married >= 0, np.minimum(cohab, married), cohab)
    separated_flag = rng.random(m) < 0.33
    separated = np.where(separated_flag, np.maximum(arrival[rc] + rng.integers(150, int(7 * YEAR), m), began), -1)
    divorced = np.where(
        separated_flag & (married >= 0) & (rng.random(m) < 0.5), separated + rng.integers(0, 365, m), -1
    )
    divorced = np.where(divorced >= 0, np.maximum(divorced, married), -1)
    reason = np.where(
        separated_flag & (rng.random(m) < 0.1),
        np.array(["separation", "domestic-violence", "sponsor-died"], dtype=object)[rng.integers(0, 3, m)],
        None,
    )
    rows.add(
        "relationship",
        rc,
        0,
        kind=kind_names[rkind],
        cohabitation_start=cohab,
        cohabitation_place=place,
        married=married,
        separated=separated,
        divorced=divorced,
        end_reason=reason,
    )
    sep_case = np.full(n, -1)
    sep_case[rc] = separated

    # Permits: sometimes a study permit before, then the partner permit (5 years).
    study = rng.random(n) < 0.2
    p_start = arrival
    p_end = _years(arrival, 5)
    n_perm = np.zeros(n, dtype=np.int64)
    sc = cases[study]
    s_start = _years(arrival[sc], -4)
    rows.add("permits", sc, 0, purpose=np.full(sc.size, "study", dtype=object), start=s_start, end=arrival[sc])
    n_perm[sc] += 1
    via_app = rng.random(n) < 0.25  # the partner permit recorded as a granted first application
    pc = cases[~via_app]
    wd = np.where((sep_case[pc] >= 0) & (rng.random(pc.size) < 0.6), sep_case[pc] + rng.integers(30, 150, pc.size), -1)
    wd = np.where((wd >= 0) & (wd < p_start[pc]), p_start[pc], wd)
    rows.add(
        "permits",
        pc,
        n_perm[pc],
        purpose=np.full(pc.size, "partner", dtype=object),
        start=p_start[pc],
        end=p_end[pc],
        withdrawal_decided=wd,
    )
    partner_slot = np.full(n, -1)
    partner_slot[pc] = n_perm[pc]
    wd_case = np.full(n, -1)
    wd_case[pc] = wd
    n_perm[pc] += 1

    # Notifications after a separation: the sponsor, the foreign national, or both.
    sep = cases[sep_case >= 0]
    n_not = np.zeros(n, dtype=np.int64)
    for who in ("sponsor", "foreign-national"):
        pick = sep[rng.random(sep.size) < (0.6 if who == "sponsor" else 0.35)]
        late = rng.random(pick.size) < 0.25
        recv = sep_case[pick] + np.where(late, rng.integers(29, 200, pick.size), rng.integers(0, 28, pick.size))
        change = np.where(rng.random(pick.size) < 0.7, sep_case[pick], -1)
        rows.add(
            "notifications",
            pick,
            n_not[pick],
            by=np.full(pick.size, who, dtype=object),
            received=recv,
            change_date=change,
        )
        n_not[pick] += 1

    # Applications.
    n_app = np.zeros(n, dtype=np.int64)

    def app(sel: np.ndarray, **fields: np.ndarray) -> None:
        rows.add("applications", sel, n_app[sel], **fields)
        n_app[sel] += 1

    fc = cases[via_app]
    app(
        fc,
        kind=np.full(fc.size, "first", dtype=object),
        purpose=np.full(fc.size, "partner", dtype=object),
        received=p_start[fc],
        outcome=np.full(fc.size, "granted", dtype=object),
        decided=p_start[fc] + rng.integers(20, 120, fc.size),
        valid_until=p_end[fc],
    )
    # The extension around the end of the partner permit (before any separation).
    ext = cases[(rng.random(n) < 0.85) & ((sep_case < 0) | (sep_case > p_end))]
    off = rng.choice(np.array([-80, -30, -5, 0, 3, 15, 27, 28, 29, 40, 120]), ext.size)
    recv = p_end[ext] + off + rng.integers(-3, 4, ext.size)
    outcome = rng.choice(np.array(["granted", "refused", "pending"], dtype=object), ext.size, p=[0.85, 0.05, 0.1])
    decided = np.where(outcome != "pending", recv + rng.integers(10, 200, ext.size), -1)
    app(
        ext,
        kind=np.full(ext.size, "extension", dtype=object),
        received=recv,
        outcome=outcome,
        decided=decided,
        valid_until=np.where(outcome == "granted", _years(p_end[ext], 5), -1),
    )
    # Objection against a withdrawal.
    oc = cases[(wd_case >= 0) & (rng.random(n) < 0.12)]
    o_out = rng.choice(np.array(["granted", "refused", "pending"], dtype=object), oc.size, p=[0.3, 0.5, 0.2])
    o_recv = wd_case[oc] + rng.integers(1, 40, oc.size)
    app(
        oc,
        kind=np.full(oc.size, "objection", dtype=object),
        received=o_recv,
        outcome=o_out,
        decided=np.where(o_out != "pending", o_recv + rng.integers(30, 180, oc.size), -1),
        against=np.char.add(np.char.add("permits[", partner_slot[oc].astype(str)), "]").astype(object),
        posted=o_recv - rng.integers(0, 3, oc.size),
    )
    # Change of purpose to work after a separation.
    cp = cases[(sep_case >= 0) & (rng.random(n) < 0.5)]
    c_recv = sep_case[cp] + rng.integers(0, 150, cp.size)
    c_out = rng.choice(np.array(["granted", "refused", "pending"], dtype=object), cp.size, p=[0.8, 0.1, 0.1])
    cond = np.where(rng.random(cp.size) < 0.1, c_recv + rng.integers(1, 60, cp.size), -1)
    app(
        cp,
        kind=np.full(cp.size, "change-of-purpose", dtype=object),
        purpose=np.full(cp.size, "work", dtype=object),
        received=c_recv,
        outcome=c_out,
        decided=np.where(c_out != "pending", c_recv + rng.integers(20, 200, cp.size), -1),
        valid_until=np.where(c_out == "granted", _years(c_recv, 5), -1),
        conditions_met=cond,
        excused=np.where(rng.random(cp.size) < 0.05, 1, -1),
    )
    # Permanent residence after the extended permit, for most of those who stayed.
    ext_granted = ext[outcome == "granted"]
    pr = ext_granted[rng.random(ext_granted.size) < 0.6]
    pr_recv = _years(p_end[pr], 5) - rng.integers(0, 60, pr.size)
    app(
        pr,
        kind=np.full(pr.size, "permanent-residence", dtype=object),
        received=pr_recv,
        outcome=np.full(pr.size, "granted", dtype=object),
        decided=pr_recv + rng.integers(30, 150, pr.size),
    )
    for kind, share in (("permanent-residence", 0.03), ("naturalisation", 0.12)):
        k = cases[rng.random(n) < share]
        k_recv = arrival[k] + rng.integers(int(4 * YEAR), int(7 * YEAR), k.size)
        k_out = rng.choice(np.array(["granted", "refused", "pending"], dtype=object), k.size, p=[0.6, 0.15, 0.25])
        app(
            k,
            kind=np.full(k.size, kind, dtype=object),
            received=k_recv,
            outcome=k_out,
            decided=np.where(k_out != "pending", k_recv + rng.integers(30, 250, k.size), -1),
        )

    # Stays abroad: about 3.5 per case, in date order.
    n_abs = rng.poisson(3.5, n)
    owner = np.repeat(cases, n_abs)
    span = np.maximum(as_of_eff[owner] - arrival[owner], 1)
    dep = arrival[owner] + (rng.random(owner.size) * span).astype(np.int64)
    length = np.where(
        rng.random(owner.size) < 0.85,
        rng.integers(3, 60, owner.size),
        np.where(rng.random(owner.size) < 0.7, rng.integers(60, 200, owner.size), rng.integers(170, 420, owner.size)),
    )
    order = np.lexsort((dep, owner))
    owner, dep, length = owner[order], dep[order], length[order]
    starts = np.r_[0, np.cumsum(n_abs)[:-1]]
    local = np.arange(owner.size) - np.repeat(starts, n_abs)
    last = local == n_abs[owner] - 1
    ongoing = last & (rng.random(owner.size) < 0.04)
    rows.add("absences", owner, local, departed=dep, returned=np.where(ongoing, -1, dep + length))

    # A few options, and a few typos.
    oc = cases[rng.random(n) < 0.05]
    rows.add(
        "options",
        oc,
        0,
        option=np.full(oc.size, "withdrawal_effective", dtype=object),
        value=rng.choice(np.array(["separation", "decision", "notification"], dtype=object), oc.size),
    )
    return _assemble(rows, ids, typo_cases=cases[rng.random(n) < 0.01])


def _iso(days: np.ndarray) -> np.ndarray:
    out = days.astype("M8[D]").astype(str).astype(object)
    out[days < 0] = None
    return out


def _assemble(rows: _Rows, ids: np.ndarray, typo_cases: np.ndarray) -> pa.Table:
    total = sum(p["_case"].size for p in rows.parts)
    case = np.concatenate([p["_case"] for p in rows.parts])
    rec = np.concatenate([p["_rec"] for p in rows.parts])
    index = np.concatenate([np.asarray(p["index"], dtype=np.int64) for p in rows.parts])
    order = np.lexsort((index, rec, case))
    cols: dict[str, pa.Array] = {}
    cols["case_id"] = pa.array(ids[case[order]].astype(object), pa.string())
    cols["record"] = pa.array(np.array(RECORDS, dtype=object)[rec[order]], pa.string())
    cols["index"] = pa.array(index[order], pa.int64())
    typo_row = None
    if typo_cases.size:
        is_typo = np.zeros(case.max() + 1 if case.size else 0, dtype=bool)
        is_typo[typo_cases] = True
        typo_row = is_typo[case[order]] & (rec[order] == RECORDS.index("person"))
    for name in COLUMNS[3:]:
        values = np.full(total, None, dtype=object)
        pos = 0
        present = False
        for p in rows.parts:
            k = p["_case"].size
            if name in p:
                v = p[name]
                if v.dtype.kind in "iu" and name not in BOOL_COLUMNS:
                    v = _iso(v)
                elif name in BOOL_COLUMNS:
                    v = np.where(v < 0, None, v == 1).astype(object)
                values[pos : pos + k] = v
                present = True
            pos += k
        values = values[order]
        if name == "birth_date" and typo_row is not None:
            values[typo_row] = "1985-02-30"
        if name in BOOL_COLUMNS:
            cols[name] = pa.array(values, pa.bool_())
        else:
            cols[name] = pa.array(values, pa.string()) if present else pa.nulls(total, pa.string())
    return pa.table(cols)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("-o", "--output", required=True, action="append", help=".csv, .parquet or .jsonl (repeatable)")
    args = ap.parse_args()
    table = make_table(args.cases, args.seed)
    for output in args.output:
        write_table(table, output)
        print(f"{args.cases:,} cases, {table.num_rows:,} rows -> {output}", file=sys.stderr)


if __name__ == "__main__":
    main()
