"""The rules for whole tables: the inputs of the compiled kernels of :mod:`timeline.kernels`
(per-case CSR arrays of day numbers and codes) built from the parsed records, the kernels
run (:mod:`timeline.kernels.table`), and their outputs gathered into the result columns.

Each rule is written once, in :mod:`timeline.kernels`; nothing here decides a rule. A
deadline that needs the ATW calendar comes from the single case's own scalar function,
once per distinct date (:func:`timeline.batch.parameters.per_day`)."""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from ..kernels import procedures as kp
from ..kernels import residence as kr
from ..kernels import table as kt
from ..options import OPTIONS
from ..rules.clocks import AVERAGE_MONTH_DAYS, EU_SEARCH_DAYS, eu_targets
from ..rules.notification import notification_deadline
from ..rules.residence import objection_deadline, objection_posting_end, tolerance_last_day
from ..tables import NA
from .arrays import RecordRank, Spans, find_span, group_starts, merge_spans, offsets, reduce_per_case
from .codes import (
    BIAS,
    INDEFINITE,
    INF,
    O_GRANTED,
    O_REFUSED,
    PERMIT_KIND,
    PL_ABROAD,
    PL_KINGDOM,
    R_UNMARRIED,
    RK_APP,
    RK_PERMIT,
    S_DUTCH,
    SHIFT,
    WEIGHT,
    B,
    K,
    date_of,
    day_number,
)
from .columns import Rec
from .parameters import amounts_on, per_day, row_bounds, rows_on


class Ctx:
    """Per-case inputs of the assessable cases (arrays of length ``n``) and their records."""

    def __init__(self, n: int, cx: dict[str, Any], recs: dict[str, Rec], keep: np.ndarray, as_of: np.ndarray):
        self.n = n
        self.as_of = as_of
        self.opts = cx["opts"]
        defaults = {"sponsor": S_DUTCH, "rel": False, "rel_kind": 0, "place": PL_KINGDOM}
        for k in ("birth", "sponsor", "rel", "rel_kind", "cohab", "place", "married", "separated", "divorced"):
            setattr(self, k, np.where(keep, cx[k], defaults.get(k, NA)))
        self.pm = recs["permits"].take(keep[recs["permits"].case])
        self.ap = recs["applications"].take(keep[recs["applications"].case])
        self.nt = recs["notifications"].take(keep[recs["notifications"].case])
        self.ab = recs["absences"].take(keep[recs["absences"].case])
        mar1 = self.opt("leap_day_anniversary", "mar1")
        self.mar1 = mar1
        max_index = max([0] + [int(r.index.max()) for r in (self.pm, self.ap) if len(r)])
        self.rank = RecordRank(max_index)

    def opt(self, key: str, value: str) -> np.ndarray:
        return self.opts[key] == OPTIONS[key].choices.index(value)


class _Slots:
    """The permit list of every case in CSR layout: recorded permits, then derived ones in order."""

    def __init__(self, size: int) -> None:
        self.valid = np.zeros(size, dtype=bool)
        self.start = np.full(size, NA, dtype=np.int64)
        self.gend = np.full(size, INF, dtype=np.int64)
        self.purpose = np.full(size, -1, dtype=np.int64)
        self.rk = np.full(size, RK_PERMIT, dtype=np.int64)
        self.ridx = np.full(size, -1, dtype=np.int64)
        self.kind = np.full(size, -1, dtype=np.int64)
        self.received = np.full(size, NA, dtype=np.int64)
        self.basis = np.full(size, B["recorded"], dtype=np.int64)
        self.wd = np.full(size, NA, dtype=np.int64)
        self.wf = np.full(size, NA, dtype=np.int64)
        self.reversed = np.zeros(size, dtype=bool)


def _objections(c: Ctx) -> dict[str, np.ndarray]:
    """The decision each objection is against (R8.2, R3.2), by
    :func:`timeline.kernels.procedures.objection_target` (``where``/``pos`` per application,
    -1 if none; ``case``/``rk``/``idx``/``granted`` for the objections that have one).
    """
    ap, pm, i64 = c.ap, c.pm, np.int64
    _, p_off = offsets(pm.case, c.n)
    _, a_off = offsets(ap.case, c.n)
    where, pos = np.empty(len(ap), dtype=i64), np.empty(len(ap), dtype=i64)
    kt.procedures.run_objections(
        p_off, pm.wd.astype(i64), a_off, ap.kind.astype(i64), ap.outcome.astype(i64), ap.received.astype(i64),
        ap.decided.astype(i64), ap.tgt_rk.astype(i64), ap.tgt_idx.astype(i64), where, pos,
    )  # fmt: skip
    has = where >= 0
    return {
        "where": where, "pos": pos, "case": ap.case[has], "rk": where[has], "idx": pos[has],
        "granted": ap.outcome[has] == O_GRANTED,
    }  # fmt: skip


assert (RK_APP, RK_PERMIT) == (kp.IN_APPLICATIONS, kp.IN_PERMITS)  # one code for where a record lives


def _residence(c: Ctx, targets: dict[str, np.ndarray]) -> tuple[_Slots, np.ndarray]:
    """``assess_residence`` over the table: the permit chain and its withdrawals (R1.2, R1.4,
    R4.1, R4.2, R3.1, R3.2), by the kernels of :mod:`timeline.kernels.residence`.

    Slots in CSR layout per case: the recorded permits, then one per granted (or, after a
    granted objection, reinstated) permit application in order of receipt.
    """
    pm, ap, n = c.pm, c.ap, c.n
    i64 = np.int64
    pm_rev, ap_rev = _reinstated(c, targets)
    derivable = np.flatnonzero(
        PERMIT_KIND[np.maximum(ap.kind, 0)]
        & ((ap.outcome == O_GRANTED) | ((ap.outcome == O_REFUSED) & ap_rev))
        & (ap.kind >= 0)
    )
    drows = derivable[np.lexsort((ap.index[derivable], ap.received[derivable], ap.case[derivable]))]
    dcase = ap.case[drows]
    n_perm, p_off = offsets(pm.case, n)
    n_der, a_off = offsets(dcase, n)
    size = n_perm + n_der
    off = np.concatenate(([0], np.cumsum(size)))
    total = int(off[-1])
    is_permit = np.zeros(total, dtype=bool)
    is_permit[off[pm.case] + pm.index] = True
    slot_case = np.repeat(np.arange(n), size)

    # R4.2: the last day of the tolerance after each possible previous end (atw, one call a date).
    change_too = c.opt("late_tolerance_applies_to", "extension-and-change")
    dkind = ap.kind[drows]
    late_kind = (dkind == K["extension"]) | ((dkind == K["change-of-purpose"]) & change_too[dcase])
    latest = reduce_per_case(np.maximum, dcase[late_kind], ap.received[drows][late_kind], n, NA)
    p_end = np.where(INDEFINITE[pm.purpose] | (pm.end == NA), INF, pm.end).astype(i64)
    vu = ap.valid_until[drows]
    a_end = np.where(vu == NA, INF, vu).astype(i64)
    tolerance_applies = rows_on("late_extension_tolerance", ap.received[drows]) >= 0  # by the day of receipt

    out = {name: np.empty(total, dtype=i64) for name in ("valid", "purpose", "start", "end", "basis", "outcome")}
    previous, tol_end = np.empty(total, dtype=i64), np.empty(total, dtype=i64)
    kt.residence.run_chain(
        p_off, pm.purpose.astype(i64), pm.start.astype(i64), p_end, _tolerance_ends(c, pm.case, p_end, latest),
        a_off, dkind.astype(i64), ap.received[drows].astype(i64), ap.purpose[drows].astype(i64), vu.astype(i64),
        ap.cond[drows].astype(i64), ap.start[drows].astype(i64), ap.excused[drows].astype(i64),
        _tolerance_ends(c, dcase, a_end, latest), tolerance_applies.astype(i64), change_too.astype(i64),
        off.astype(i64),
        out["valid"], out["purpose"], out["start"], out["end"], out["basis"], out["outcome"], previous, tol_end,
    )  # fmt: skip
    s = _Slots(total)
    s.valid, s.start, s.gend = out["valid"] == 1, out["start"], out["end"]
    s.purpose, s.basis = out["purpose"], out["basis"]
    s.rk = np.where(is_permit, RK_PERMIT, RK_APP)
    s.ridx[is_permit], s.ridx[~is_permit] = pm.index, ap.index[drows]
    s.kind[~is_permit], s.received[~is_permit] = dkind, ap.received[drows]
    s.wd[is_permit], s.wf[is_permit], s.reversed[is_permit] = pm.wd, pm.wf, pm_rev

    _withdrawals(c, s, slot_case)
    s.case = slot_case
    s.off = off
    s.size = size
    removed = (s.end != INF) & (s.end <= s.start)
    final = s.valid & ~removed
    return s, final


def _withdrawals(c: Ctx, s: _Slots, slot_case: np.ndarray) -> None:
    """The withdrawal of each slot (R3.1, OQ-3, R3.2) by
    :func:`timeline.kernels.residence.run_withdrawals` (sets ``s.wf``, ``s.end``, ``s.withdrawn``)."""
    i64, total = np.int64, slot_case.size
    first = _first_report(c)
    ended = np.empty(c.n, dtype=i64)
    kt.residence.run_relationship_ended(
        np.bincount(c.nt.case, minlength=c.n).astype(i64),
        c.rel.astype(i64),
        c.separated.astype(i64),
        c.divorced.astype(i64),
        ended,
    )
    choice = np.array([kr.WITHDRAWAL_CHOICES.index(ch) for ch in OPTIONS["withdrawal_effective"].choices])
    recorded_from = s.wf  # NA except on recorded permits
    s.wf, wbasis, s.end = np.empty(total, dtype=i64), np.empty(total, dtype=i64), np.empty(total, dtype=i64)
    kt.residence.run_withdrawals(
        slot_case, s.purpose, s.reversed.astype(i64), recorded_from, s.wd, s.start,
        s.gend, ended, c.separated.astype(i64), c.divorced.astype(i64), first["change"], first["received"],
        choice[c.opts["withdrawal_effective"]].astype(i64), s.wf, wbasis, s.end,
    )  # fmt: skip
    s.withdrawn = s.wf != NA


def _reinstated(c: Ctx, targets: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The permits whose withdrawal, and the applications whose refusal, a granted objection
    undid (R3.2), by :func:`timeline.kernels.procedures.reinstated`: masks over ``c.pm`` and ``c.ap``.
    """
    pm, ap, i64 = c.pm, c.ap, np.int64
    _, p_off = offsets(pm.case, c.n)
    _, a_off = offsets(ap.case, c.n)
    p_undone, a_undone = np.empty(len(pm), dtype=i64), np.empty(len(ap), dtype=i64)
    kt.procedures.run_reinstated(
        p_off, a_off, ap.kind.astype(i64), ap.outcome.astype(i64), targets["where"], targets["pos"], p_undone, a_undone
    )
    return p_undone == 1, a_undone == 1


def _tolerance_ends(c: Ctx, cases: np.ndarray, ends: np.ndarray, latest: np.ndarray) -> np.ndarray:
    """The tolerance (R4.2), :func:`timeline.rules.residence.tolerance_last_day`, of each end, where a late
    extension (or change of purpose) of the case could need it (:data:`NA` elsewhere).

    The rule is called once per distinct (end, option choices), not once per case.
    """
    out = np.full(ends.size, NA, dtype=np.int64)
    need = np.flatnonzero((ends != INF) & (ends != NA) & (latest[cases] >= ends))
    if need.size == 0:
        return out
    from_last = c.opt("late_extension_count_from", "last-valid-day")[cases[need]]
    roll = c.opt("late_extension_atw", "yes")[cases[need]]
    key = (ends[need] << 2) | (from_last.astype(np.int64) << 1) | roll.astype(np.int64)
    uniq, inverse = np.unique(key, return_inverse=True)
    days = [
        day_number(tolerance_last_day(date_of(k >> 2), from_last_valid_day=bool(k & 2), roll=bool(k & 1)))
        for k in uniq.tolist()
    ]
    out[need] = np.array(days, dtype=np.int64)[inverse]
    return out


def _first_report(c: Ctx) -> dict[str, np.ndarray]:
    """The report the IND received first, from either party (R2.2, OQ-3), by
    :func:`timeline.kernels.procedures.first_report`: its ``received`` date starts the
    withdrawal under ``withdrawal_effective=notification`` and its ``change`` date under
    ``reported`` (OQ-3); the reporting status (R2.2) compares the deadline with ``received``.
    """
    nt, i64 = c.nt, np.int64
    _, n_off = offsets(nt.case, c.n)
    first = np.empty(c.n, dtype=i64)
    kt.procedures.run_first_reports(n_off, nt.received.astype(i64), nt.by.astype(i64), first)
    has = first >= 0
    k = np.maximum(first, 0)
    received = np.where(has, nt.received[k], NA) if len(nt) else np.full(c.n, NA, dtype=i64)
    change = np.where(has, nt.change[k], NA) if len(nt) else np.full(c.n, NA, dtype=i64)
    return {"received": received.astype(i64), "change": change.astype(i64)}


def _procedural(c: Ctx, targets: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The procedural stay, layer B (R4.5, Vw 8, Vw 73): waiting for a decision, and suspended decisions, by
    :func:`timeline.kernels.procedures.procedural_stays`: ``(case, start, end)`` per stay.
    """
    ap, pm, i64 = c.ap, c.pm, np.int64
    _, p_off = offsets(pm.case, c.n)
    _, a_off = offsets(ap.case, c.n)
    # R8.2: the objection deadline of every decision that may need it (the ATW calendar).
    p_deadline = per_day(pm.wd, objection_deadline)
    a_deadline = per_day(np.where(ap.outcome == O_REFUSED, ap.decided, NA), objection_deadline)
    p_posting, a_posting = per_day(p_deadline, objection_posting_end), per_day(a_deadline, objection_posting_end)
    size = len(pm) + 2 * len(ap)  # at most a stay per withdrawal and two per application
    case, start, end, basis, where, pos = (np.empty(size, dtype=i64) for _ in range(6))
    count = kt.procedures.run_procedural(
        p_off, pm.wd.astype(i64), p_deadline, p_posting, a_off, ap.kind.astype(i64), ap.outcome.astype(i64),
        ap.received.astype(i64), ap.posted.astype(i64), ap.decided.astype(i64), a_deadline, a_posting,
        targets["where"], targets["pos"], case, start, end, basis, where, pos,
    )  # fmt: skip
    return case[:count], start[:count], end[:count]


def _contested(c: Ctx, s: _Slots, targets: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """OQ-25: the days each recorded permit lost to a withdrawal an objection in time contests, by
    :func:`timeline.kernels.procedures.contested_withdrawals`: ``(case, start, end)`` per span."""
    ap, pm, i64 = c.ap, c.pm, np.int64
    _, p_off = offsets(pm.case, c.n)
    _, a_off = offsets(ap.case, c.n)
    slot = (s.off[pm.case] + pm.index).astype(i64)
    p_deadline = per_day(pm.wd, objection_deadline)
    case, start, end = (np.empty(len(pm), dtype=i64) for _ in range(3))
    count = kt.procedures.run_contested(
        p_off, s.start[slot].astype(i64), s.gend[slot].astype(i64), np.where(s.valid[slot], s.wf[slot], NA),
        pm.wd.astype(i64), p_deadline, per_day(p_deadline, objection_posting_end), a_off, ap.kind.astype(i64),
        ap.received.astype(i64), ap.posted.astype(i64), targets["where"], targets["pos"], case, start, end,
    )  # fmt: skip
    return case[:count], start[:count], end[:count]


def _eu(
    c: Ctx, s: _Slots, final: np.ndarray, cov: Spans, bridges: tuple[np.ndarray, ...], ab: _AbsenceRows
) -> np.ndarray:
    """``eu_long_term`` (R5.2) over the table, by the kernels of :mod:`timeline.kernels.clocks`:
    the run that holds ``as_of`` (``bridges``, ``(case, start, end)``, keeping it going as
    :func:`timeline.rules.clocks._eu_bridges` says), breaks, then the weighted accrual."""
    n, i64 = c.n, np.int64
    bcase, bstart, bend = bridges
    layer = merge_spans(
        np.concatenate((cov.case, bcase)), np.concatenate((cov.start, bstart)), np.concatenate((cov.end, bend)), n
    )
    hit = find_span(layer, np.arange(n), c.as_of)
    h = np.maximum(hit, 0)
    run_start = np.where(hit >= 0, layer.start[h] if layer.start.size else NA, NA).astype(i64)
    run_end = np.where(hit >= 0, layer.end[h] if layer.end.size else INF, INF).astype(i64)
    # The final periods in the single case's order: by start, then record name as a string.
    fi = np.flatnonzero(final)
    fi = fi[np.lexsort((c.rank(s.rk[fi], s.ridx[fi]), (s.case[fi].astype(i64) << SHIFT) | (s.start[fi] + BIAS)))]
    fcase = s.case[fi]
    _, p_off = offsets(fcase, n)
    p_end = s.end[fi].astype(i64)
    end_order = np.argsort((fcase.astype(i64) << SHIFT) | (p_end + BIAS)) - p_off[fcase]
    scratch = 2 * int(np.diff(p_off).max(initial=0)) + 3
    seg = [np.empty(scratch, dtype=i64) for _ in range(3)]
    out = np.empty(n, dtype=i64)
    as_of = c.as_of.astype(i64)
    years = amounts_on("eu_long_term_years", as_of)  # the terms in force on the assessment date, as in the single case
    least, fixed_target = eu_targets(years)
    weight = WEIGHT[c.opt("eu_search_year_weight", "half")[fcase].astype(i64), s.purpose[fi], c.sponsor[fcase]]
    kt.clocks.run_eu(
        run_start, run_end, p_off, s.start[fi].astype(i64), p_end, weight,
        end_order.astype(i64), as_of, ab.off, ab.departed, ab.returned, c.mar1.astype(i64),
        c.opt("eu_accrual_target", "fixed").astype(i64), years, amounts_on("eu_single_absence_limit", as_of), least,
        fixed_target, EU_SEARCH_DAYS, amounts_on("eu_total_absence_limit", as_of), AVERAGE_MONTH_DAYS, ab.moved, *seg,
        out,
    )  # fmt: skip
    return out


def _gaps(
    c: Ctx, s: _Slots, cov: Spans, first_start: np.ndarray, proc: tuple[np.ndarray, ...]
) -> dict[str, np.ndarray]:
    """The gaps (DC-6) over the table by the kernels of :mod:`timeline.kernels.residence`: every residence
    gap with its cause, the record that cause names and its procedural days (R4.5).
    """
    n, ap, i64 = c.n, c.ap, np.int64
    v = np.flatnonzero(s.valid)  # the chain as the single case builds it: valid slots in order
    _, p_off = offsets(s.case[v], n)
    _, a_off = offsets(ap.case, n)
    pcase, pstart, pend = proc
    order = np.lexsort((pstart, pcase))
    _, b_off = offsets(pcase[order], n)
    size = cov.start.size + n  # at most one gap more than spans of coverage
    rows = [np.empty(size, dtype=i64) for _ in range(8)]
    count = kt.residence.run_gaps(
        c.as_of.astype(i64), first_start.astype(i64), cov.off.astype(i64), cov.start.astype(i64),
        cov.end.astype(i64), p_off, s.start[v], s.end[v], s.gend[v], s.withdrawn[v].astype(i64), s.received[v],
        s.basis[v], s.kind[v], a_off, ap.kind.astype(i64), ap.outcome.astype(i64), ap.received.astype(i64),
        ap.decided.astype(i64), b_off, pstart[order].astype(i64), pend[order].astype(i64), *rows,
    )  # fmt: skip
    gc, gs, ge, days, cause, where, pos, pdays = (r[:count] for r in rows)
    in_chain, in_apps = where == kr.IN_CHAIN, where == kr.IN_APPLICATIONS
    slot = v[np.where(in_chain, p_off[gc] + pos, 0)] if v.size else np.zeros(count, dtype=i64)
    app = np.where(in_apps, a_off[gc] + pos, 0)
    rk = np.where(in_chain, s.rk[slot] if v.size else -1, np.where(in_apps, RK_APP, -1))
    ridx = np.where(in_chain, s.ridx[slot] if v.size else -1, np.where(in_apps, ap.index[app] if len(ap) else -1, -1))
    return {
        "case": gc, "start": gs, "end": ge, "days": days, "cause": cause, "rk": rk, "ridx": ridx,
        "procedural_days": pdays,
    }  # fmt: skip


def _eu_bridges(c: Ctx, proc: tuple[np.ndarray, ...], contested: tuple[np.ndarray, ...]) -> tuple[np.ndarray, ...]:
    """The spans that keep the EU clock going without counting, as the single case's
    ``_eu_bridges`` chooses them: procedural stay under ``eu_procedural_stay = bridge`` (OQ-5),
    and with it the contested withdrawals under ``eu_contested_withdrawal = bridge`` (OQ-25)."""
    bridge = c.opt("eu_procedural_stay", "bridge")
    keep_p = bridge[proc[0]]
    keep_c = (bridge & c.opt("eu_contested_withdrawal", "bridge"))[contested[0]]
    return tuple(np.concatenate((p[keep_p], q[keep_c])) for p, q in zip(proc, contested, strict=True))


def compute(c: Ctx, want_gaps: bool) -> tuple[dict[str, np.ndarray], dict[str, Any] | None]:
    """Every result column for the cases of ``c`` (day numbers, codes)."""
    n = c.n
    targets = _objections(c)
    s, final = _residence(c, targets)
    first_start = reduce_per_case(np.minimum, s.case[s.valid], s.start[s.valid], n, INF)
    first_start = np.where(first_start == INF, NA, first_start)
    cov = merge_spans(s.case[final], s.start[final], s.end[final], n)
    proc = _procedural(c, targets)
    g = _gaps(c, s, cov, first_start, proc)
    res: dict[str, np.ndarray] = {}
    gcount = np.bincount(g["case"], minlength=n)
    res["gap_count"] = gcount
    res["gap_days"] = np.bincount(g["case"], weights=g["days"], minlength=n).astype(np.int64)
    gst = group_starts(g["case"])
    first_gap = np.full(n, NA, dtype=np.int64)
    first_gap[g["case"][gst]] = g["start"][gst]
    last_idx = np.r_[gst[1:] - 1, g["case"].size - 1] if gst.size else gst
    last_end = np.full(n, NA, dtype=np.int64)
    last_end[g["case"][last_idx]] = g["end"][last_idx]
    ongoing = np.zeros(n, dtype=bool)
    ongoing[g["case"][last_idx]] = g["end"][last_idx] == NA
    res["first_gap_start"] = first_gap
    res["last_gap_end"] = last_end
    res["gap_ongoing"] = ongoing

    _notification(c, res)

    ab = _absence_rows(c)
    clocks = _clocks(c, cov, first_start, ab)
    standard, spouse, partner, long = (clocks[k] for k in ("standard", "spouse", "partner", "long"))
    res["permanent_residence_eligible_from"] = clocks["permanent"]
    res["naturalisation_standard_eligible_from"] = standard
    res["naturalisation_spouse_eligible_from"] = spouse
    res["naturalisation_partner_eligible_from"] = partner
    res["naturalisation_long_residence_eligible_from"] = long
    best = np.full(n, INF, dtype=np.int64)
    route = np.full(n, -1, dtype=np.int64)
    for code, values in enumerate((standard, spouse, partner, long)):
        better = (values != NA) & (values < best)
        best = np.where(better, values, best)
        route = np.where(better, code, route)
    res["naturalisation_eligible_from"] = np.where(route >= 0, best, NA)
    res["naturalisation_route"] = route

    res["eu_long_term_eligible_from"] = _eu(c, s, final, cov, _eu_bridges(c, proc, _contested(c, s, targets)), ab)

    return res, g if want_gaps else None


class _AbsenceRows(NamedTuple):
    """The absences of every case sorted by departure (file order on a tie), in CSR layout."""

    off: np.ndarray
    departed: np.ndarray
    returned: np.ndarray
    moved: np.ndarray  #: scratch for the kernels (positions of the absences that restart a clock)


def _absence_rows(c: Ctx) -> _AbsenceRows:
    ab = c.ab  # sorted by (case, index): a stable sort by (case, departed) keeps file order on a tie
    order = np.argsort((ab.case.astype(np.int64) << SHIFT) | (ab.departed + BIAS), kind="stable")
    _, off = offsets(ab.case[order], c.n)
    i64 = np.int64
    return _AbsenceRows(off, ab.departed[order].astype(i64), ab.returned[order].astype(i64), np.empty(len(ab), i64))


def _clocks(c: Ctx, cov: Spans, first_start: np.ndarray, ab: _AbsenceRows) -> dict[str, np.ndarray]:
    """The clocks of ``permanent_residence`` (R5.1) and ``naturalisation``'s routes (R6.1-R6.4) over the
    table, by the kernels of :mod:`timeline.kernels.clocks`: the earliest dates, NA for none.

    The terms as the single case takes them: the age, the absence limit and R6.4's terms in
    force on each case's assessment date; permanent residence's, the spouse's and the partner's
    in force on the request date (:func:`_terms_on_request`); the standard route's by
    :func:`_standard_route`."""
    n, i64 = c.n, np.int64
    run = find_span(cov, np.arange(n), c.as_of)
    run_start = np.where(run >= 0, cov.start[np.maximum(run, 0)] if cov.start.size else NA, NA).astype(i64)
    strict = c.opt("national_absence_threshold", "more-than-6-months").astype(i64)
    as_of = c.as_of.astype(i64)
    months = amounts_on("national_absence_limit", as_of)
    standard = _standard_route(c, run_start, ab, strict, months)
    ninety = c.opt("permanent_decision_period", "90-days")

    def clocks(terms: dict[str, tuple[np.ndarray, np.ndarray]]) -> dict[str, np.ndarray]:
        out = {k: np.empty(n, dtype=i64) for k in ("complete", "permanent", "spouse", "partner", "long")}
        kt.clocks.run_clocks(
            as_of, run_start, run.astype(i64), cov.off.astype(i64), cov.start.astype(i64),
            cov.end.astype(i64), first_start.astype(i64), c.birth.astype(i64), ab.off, ab.departed, ab.returned,
            c.mar1.astype(i64), strict, c.opt("permanent_reference_date", "decision").astype(i64),
            np.where(ninety, 90, 0).astype(i64), standard,
            c.rel.astype(i64), (c.rel_kind == R_UNMARRIED).astype(i64), c.married.astype(i64),
            (c.sponsor == S_DUTCH).astype(i64), c.separated.astype(i64), c.divorced.astype(i64), c.cohab.astype(i64),
            (c.place == PL_KINGDOM).astype(i64), (c.place == PL_ABROAD).astype(i64),
            amounts_on("permanent_residence_min_age", as_of), *terms["permanent_residence_years"], months, 6,
            *terms["spouse_years"], *terms["partner_years"], amounts_on("long_residence_years", as_of),
            amounts_on("long_residence_total_years", as_of), ab.moved,
            out["complete"], out["permanent"], out["spouse"], out["partner"], out["long"],
        )  # fmt: skip
        return out

    out = clocks(_terms_on_request(n, clocks))
    out["standard"] = standard
    return out


#: The terms of a clock chosen on the request date (R6.5, :func:`timeline.rules.clocks.law_on_request`),
#: with the clock each one's row is chosen by.
ON_REQUEST = {"permanent_residence_years": "complete", "spouse_years": "spouse", "partner_years": "partner"}


def _terms_on_request(n: int, clocks: Any) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Each case's term of :data:`ON_REQUEST` and the first day of its row (NA: open), chosen as
    the single case chooses it (:func:`timeline.rules.clocks.law_on_request`): with one row,
    that row; with several, one pass of ``clocks`` per row, then the row that governs the
    earliest request (the kernel :func:`timeline.kernels.clocks.row_on_request`)."""
    i64 = np.int64
    bounds = {name: row_bounds(name) for name in ON_REQUEST}
    terms = {name: (np.full(n, b[0][0], i64), np.full(n, b[1][0], i64)) for name, b in bounds.items()}
    passes = max(b[0].size for b in bounds.values())
    if passes == 1:
        return terms
    complete = {name: np.empty((b[0].size, n), dtype=i64) for name, b in bounds.items()}
    for k in range(passes):
        row = {name: min(k, b[0].size - 1) for name, b in bounds.items()}
        got = clocks({name: (np.full(n, b[0][row[name]], i64), np.full(n, NA, i64)) for name, b in bounds.items()})
        for name, b in bounds.items():
            if k < b[0].size:
                complete[name][k] = got[ON_REQUEST[name]]
    for name, (amount, valid_from, valid_to) in bounds.items():
        if amount.size > 1:
            chosen, day = np.empty(n, dtype=i64), np.empty(n, dtype=i64)
            kt.clocks.run_rows_on_request(complete[name], valid_from, valid_to, chosen, day)
            terms[name] = (amount[chosen], valid_from[chosen])
    return terms


def _standard_route(
    c: Ctx, run_start: np.ndarray, ab: _AbsenceRows, strict: np.ndarray, months: np.ndarray
) -> np.ndarray:
    """The R6.1 route for every case (NA without a run), by :func:`kt.clocks.run_standard`.

    The term is the row of ``naturalisation_years`` in force on the request date, chosen by
    the kernel :func:`timeline.kernels.clocks.row_on_request` as in the single case: one
    pass of the route per row of the table, then the choice. The option's ten years
    (OQ-18) apply to every date.
    """
    n, i64 = c.n, np.int64
    what_if = c.opt("naturalisation_years", "10")
    amount, valid_from, valid_to = row_bounds("naturalisation_years")
    complete = np.empty((amount.size, n), dtype=i64)
    abroad = np.empty(n, dtype=i64)
    for k in range(amount.size):
        years = np.where(what_if, 10, amount[k]).astype(i64)
        kt.clocks.run_standard(
            run_start, years, np.full(n, NA, dtype=i64), c.mar1.astype(i64), months, strict, c.as_of.astype(i64),
            ab.off, ab.departed, ab.returned, ab.moved, complete[k], abroad,
        )  # fmt: skip
        complete[k] = np.where(abroad == 1, NA, complete[k])
    chosen, day = np.empty(n, dtype=i64), np.empty(n, dtype=i64)
    kt.clocks.run_rows_on_request(complete, valid_from, valid_to, chosen, day)
    day = np.where(what_if, complete[-1], day)  # OQ-18: the same ten years under every row
    return np.where(run_start == NA, NA, day).astype(i64)


def _notification(c: Ctx, res: dict[str, np.ndarray]) -> None:
    """``assess_notification`` (R2.2, OQ-2) by the kernels of :mod:`timeline.kernels.procedures`:
    trigger, ATW deadline (:func:`timeline.rules.notification.notification_deadline`), status
    of the first report.
    """
    n, nt, i64 = c.n, c.nt, np.int64
    _, n_off = offsets(nt.case, n)
    choice = np.array([kp.TRIGGER_BASES.index(ch) for ch in OPTIONS["notification_trigger"].choices])
    trigger, basis = np.empty(n, dtype=i64), np.empty(n, dtype=i64)
    kt.procedures.run_triggers(
        choice[c.opts["notification_trigger"]].astype(i64), np.where(c.rel, c.separated, NA).astype(i64),
        np.where(c.rel, c.divorced, NA).astype(i64), n_off, nt.change.astype(i64), trigger, basis,
    )  # fmt: skip
    deadline = per_day(trigger, notification_deadline)
    received = np.where(trigger != NA, _first_report(c)["received"], NA)
    status, days_late = np.empty(n, dtype=i64), np.empty(n, dtype=i64)
    kt.procedures.run_report_status(received, deadline, c.as_of.astype(i64), status, days_late)
    res["notification_trigger"] = trigger
    res["notification_deadline"] = deadline
    res["notification_received"] = received
    res["notification_status"] = status
    res["notification_days_late"] = days_late
