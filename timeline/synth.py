"""Realistic random case histories (synthetic data), as an event table, generated with numpy.

One generator for the notebooks, the batch benchmark and the tests (``timeline synth``).
Each case tells a plausible story:

- **Permit chains.** A partner permit from arrival for five years (R1.3), sometimes
  after a study permit (``study_first``), sometimes recorded as a granted ``first``
  application instead of a permit (``first_application``); an extension around its end
  date (``extension``); permanent residence after the extended permit for most of those
  who stay; some naturalisation and permanent-residence requests at other times.
- **Separations** (``separation``): the relationship ends in a share of the cases (about a
  tenth of those with an end reason: separation, domestic violence or the sponsor's
  death), with a divorce for half of the married ones, a withdrawal decision for most, an
  objection against it now and then (``objection``) and a change of purpose to work
  (``change_of_purpose``).
- **Late reports** (``late_report``): the sponsor (``report_sponsor``) and the foreign
  national (``report_foreign_national``) each report the separation or not; a report
  arrives after the four weeks of R2.2 in the ``late_report`` share.
- **Late extensions** (``late_extension``): the share of extensions received after the
  last valid day, on the day after, inside the four-week tolerance of R4.2, right at its
  boundary, or well beyond it (R4.1).
- **Absences** (``absences``, ``long_absence``): on average ``absences`` stays abroad per
  case, mostly short; the ``long_absence`` share lasts two months to more than a year
  (R5.3), and a few are still ongoing.
- **Noise**: sponsors of every status, a few cases with an option set, and about 1 %
  (``typo``) with an impossible date, as exported data has.

About 10 records a case with the default :class:`Mix`. The same ``n``, ``seed`` and mix
give the same table on every run (numpy's ``default_rng``). Dates lie in 2000-2035; the
top-level ``as_of`` of 90 % of the cases falls in 2024-2026.

Examples
--------
>>> t = make_table(200, seed=1)
>>> t.num_rows > 1000 and t.column_names[:3] == ["case_id", "record", "index"]
True
>>> make_table(200, seed=1).equals(t)
True
>>> df = make_table(200, seed=1, mix={"separation": 1.0}).to_pandas()
>>> bool(df.loc[df["record"] == "relationship", "separated"].notna().all())
True

Command line::

    timeline synth --cases 5000 --seed 1 -o cases.parquet --mix separation=0.5 --mix late_report=0.4
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

import numpy as np
import pyarrow as pa

from .errors import TimelineError, msg
from .kernels import table as kt
from .model import END_REASONS, NOTIFIERS, OUTCOMES, PLACES, RELATIONSHIP_KINDS, SPONSOR_STATUSES
from .tables import BOOL_COLUMNS, COLUMNS, RECORDS, write_table

__all__ = ["MIX_HELP", "Mix", "SynthError", "make_cases", "make_table", "mix_from", "parse_mix", "write_cases"]

EPOCH = date(1970, 1, 1).toordinal()
YEAR = 365.2425


def add_years(days: np.ndarray, years: int) -> np.ndarray:
    """DC-3 over day numbers (29 February + 1 year = 28 February), by the one implementation
    (:func:`timeline.kernels.clocks.add_years`, compiled when numba is installed)."""
    days = np.asarray(days, dtype=np.int64)
    out = np.empty_like(days)
    kt.clocks.run_add_years(days, years, out)
    return out


#: Shares of the sponsor statuses and relationship kinds of the model (timeline.model).
_SPONSOR_SHARES = {"dutch": 0.7, "permanent": 0.15, "fixed-term": 0.08, "temporary": 0.05, "eu-citizen": 0.02}
_KIND_SHARES = {"marriage": 0.6, "registered-partnership": 0.1, "unmarried": 0.3}
assert set(_SPONSOR_SHARES) == set(SPONSOR_STATUSES) and set(_KIND_SHARES) == set(RELATIONSHIP_KINDS)
_OUTCOMES = np.array(OUTCOMES, dtype=object)
assert OUTCOMES == ("granted", "refused", "pending")  # the order of the shares p=[...] below


class SynthError(TimelineError):
    """A mix key or value that the generator does not know, or an output it cannot write."""


def _key(default: float, meaning: str) -> Any:
    return field(default=default, metadata={"help": meaning})


@dataclass(frozen=True)
class Mix:
    """The shares that shape the generated cases (each a probability from 0 to 1, except ``absences``).

    The defaults give the mix of the batch benchmark (about 10 records a case). Change
    them with ``timeline synth --mix KEY=VALUE`` or ``make_table(..., mix={KEY: VALUE})``.
    """

    study_first: float = _key(0.2, "a study permit before the partner permit")
    first_application: float = _key(0.25, "the partner permit recorded as a granted first application")
    separation: float = _key(0.33, "relationships that end (separation date set)")
    report_sponsor: float = _key(0.6, "after a separation, the sponsor reports it (R2.1)")
    report_foreign_national: float = _key(0.35, "after a separation, the foreign national reports it")
    late_report: float = _key(0.25, "reports that reach the IND after the four weeks (R2.2)")
    extension: float = _key(0.85, "an extension filed around the end of the partner permit (R1.4)")
    late_extension: float = _key(0.6, "extensions received after the last valid day (R4.1, R4.2)")
    objection: float = _key(0.12, "objections against a withdrawal (R3.2)")
    change_of_purpose: float = _key(0.5, "after a separation, an application to change purpose to work")
    absences: float = _key(3.5, "stays abroad per case, on average (0 to 50)")
    long_absence: float = _key(0.15, "stays abroad of two months or longer (R5.3)")
    typo: float = _key(0.01, "cases with an impossible date (they go to the errors table)")


#: ``{key: "meaning (default ...)"}`` of every mix key, for help texts.
MIX_HELP = {f.name: f"{f.metadata['help']} (default {f.default:g})" for f in fields(Mix)}


def parse_mix(items: Iterable[str]) -> dict[str, str]:
    """``{key: value}`` from ``KEY=VALUE`` texts (``--mix``), for :func:`mix_from`.

    >>> parse_mix(["separation=0.5", " late_report = 0.4"])
    {'separation': '0.5', 'late_report': '0.4'}

    Raises
    ------
    SynthError
        For an item without ``=`` or without a key (keys and values are checked by
        :func:`mix_from`).
    """
    out: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise SynthError(msg("mix-form", item=repr(item)))
        out[key.strip()] = value.strip()
    return out


def mix_from(values: Mix | Mapping[str, Any] | None = None) -> Mix:
    """A :class:`Mix` from overrides ``{key: value}`` (values may be text, as on the command line).

    Raises
    ------
    SynthError
        For an unknown key (the closest one is suggested), a value that is not a number,
        or a value out of range (0 to 1; ``absences`` 0 to 50).
    """
    if isinstance(values, Mix):
        return values
    import difflib

    keys = [f.name for f in fields(Mix)]
    out: dict[str, float] = {}
    for key, raw in (values or {}).items():
        if key not in keys:
            close = difflib.get_close_matches(str(key), keys, n=1)
            if close:
                raise SynthError(msg("mix-unknown-close", key=key, close=repr(close[0]), valid=tuple(keys)))
            raise SynthError(msg("mix-unknown", key=key, valid=tuple(keys)))
        try:
            value = float(raw)
        except (TypeError, ValueError):
            raise SynthError(msg("mix-not-number", key=key, value=raw)) from None
        top = 50.0 if key == "absences" else 1.0
        if not 0.0 <= value <= top:  # also rejects nan
            raise SynthError(msg("mix-range", key=key, value=raw, top=f"{top:g}"))
        out[key] = value
    return dataclasses.replace(Mix(), **out)


# --------------------------------------------------------------------------- generation


def _d(y: int, m: int, d: int) -> int:
    return date(y, m, d).toordinal() - EPOCH


class _Rows:
    """Records collected column-wise, one part per ``add`` (assembled by :func:`_assemble`)."""

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


def _text(value: str, n: int) -> np.ndarray:
    return np.full(n, value, dtype=object)


def make_table(
    n: int, seed: int = 0, as_of: date | None = None, mix: Mix | Mapping[str, Any] | None = None
) -> pa.Table:
    """``n`` realistic random cases as an event table (:mod:`timeline.tables`; dates as ISO text).

    Parameters
    ----------
    n
        Number of cases (ids ``case-0000000``, ``case-0000001``, ...).
    seed
        Seed of numpy's random generator: the same arguments give the same table.
    as_of
        The evaluation date the stays abroad are spread up to (default: each case's own
        ``as_of``); it does not set the cases' ``as_of``.
    mix
        A :class:`Mix` or overrides of its defaults, ``{"separation": 0.5}``.

    Returns
    -------
    pyarrow.Table
        Rows of a case contiguous, in record order; :func:`timeline.batch.assess_table`
        and :func:`timeline.tables.write_table` take it as it is.
    """
    m_ = mix_from(mix)
    if n < 0:
        raise SynthError(msg("synth-negative", n=n))
    # Every step draws from one generator, in this order: the same seed, the same table.
    rng = np.random.default_rng(seed)
    rows = _Rows()
    st = _people(rng, rows, n, as_of)
    _relationships(rng, rows, st, m_)
    _permits(rng, rows, st, m_)
    _notifications(rng, rows, st, m_)
    apps = _Applications(rows, n)
    extended = _first_and_extension(rng, apps, st, m_)
    _objection_and_change(rng, apps, st, m_)
    _permanent_after_extension(rng, apps, extended, st.permit_end)
    _later_applications(rng, apps, st)
    _absences(rng, rows, st, m_)
    _options(rng, rows, st)
    return _assemble(rows, st.ids, typo_cases=st.cases[rng.random(n) < m_.typo])


@dataclass
class _State:
    """What the steps of :func:`make_table` share, per case (arrays of length ``n``; -1: none).

    The first step sets the first five; the later fields are set by the step that draws them.
    """

    n: int
    cases: np.ndarray
    ids: np.ndarray
    arrival: np.ndarray
    as_of: np.ndarray  # the date stays abroad are spread up to
    separated: np.ndarray = field(init=False)
    permit_start: np.ndarray = field(init=False)
    permit_end: np.ndarray = field(init=False)
    via_application: np.ndarray = field(init=False)
    partner_slot: np.ndarray = field(init=False)
    withdrawal: np.ndarray = field(init=False)


def _people(rng: np.random.Generator, rows: _Rows, n: int, as_of: date | None) -> _State:
    """The case records (ids, as_of), the foreign national and the sponsor."""
    cases = np.arange(n)
    ids = np.char.add("case-", np.char.zfill(cases.astype(str), 7))
    arrival = rng.integers(_d(2010, 1, 1), _d(2024, 6, 1), n)
    # not before the arrival: a case is not assessed before its first event (engine.check_facts)
    as_of_day = np.maximum(rng.integers(_d(2024, 1, 1), _d(2026, 6, 1), n), arrival)
    has_as_of = rng.random(n) < 0.9
    rows.add("case", cases, 0, as_of=np.where(has_as_of, as_of_day, -1))
    as_of_eff = as_of_day if as_of is None else np.full(n, as_of.toordinal() - EPOCH)

    birth = arrival - rng.integers(int(10 * YEAR), int(45 * YEAR), n)
    integ = np.where(rng.random(n) < 0.4, arrival + rng.integers(300, 2000, n), -1)
    rows.add("person", cases, 0, birth_date=birth, integration_passed=integ)

    status = rng.choice(len(SPONSOR_STATUSES), n, p=[_SPONSOR_SHARES[s] for s in SPONSOR_STATUSES])
    status_names = np.array(SPONSOR_STATUSES, dtype=object)
    with_end = np.isin(status_names[status], ["fixed-term", "temporary"])
    pend = np.where(with_end & (rng.random(n) < 0.7), arrival + rng.integers(300, 3000, n), -1)
    rows.add("sponsor", cases, 0, status=status_names[status], permit_end=pend)
    return _State(n, cases, ids, arrival, as_of_eff)


def _relationships(rng: np.random.Generator, rows: _Rows, st: _State, m_: Mix) -> None:
    """Married, registered or unmarried, cohabiting from before arrival; some separate (``st.separated``)."""
    n, cases, arrival = st.n, st.cases, st.arrival
    has_rel = rng.random(n) < 0.95
    rc = cases[has_rel]
    m = rc.size
    rkind = rng.choice(len(RELATIONSHIP_KINDS), m, p=[_KIND_SHARES[k] for k in RELATIONSHIP_KINDS])
    kind_names = np.array(RELATIONSHIP_KINDS, dtype=object)
    cohab = arrival[rc] - rng.integers(0, int(3 * YEAR), m)
    place = np.array(PLACES, dtype=object)[rng.integers(0, len(PLACES), m)]
    married = np.where(kind_names[rkind] != "unmarried", cohab + rng.integers(-200, 700, m), -1)
    began = np.where(married >= 0, np.minimum(cohab, married), cohab)
    separated_flag = rng.random(m) < m_.separation
    separated = np.where(separated_flag, np.maximum(arrival[rc] + rng.integers(150, int(7 * YEAR), m), began), -1)
    divorced = np.where(
        separated_flag & (married >= 0) & (rng.random(m) < 0.5), separated + rng.integers(0, 365, m), -1
    )
    divorced = np.where(divorced >= 0, np.maximum(divorced, married), -1)
    # numpy's stubs take where(cond, x, None) for the one-argument form (hence the ignores here and below)
    reason = np.where(  # type: ignore[call-overload]
        separated_flag & (rng.random(m) < 0.1),
        np.array(END_REASONS, dtype=object)[rng.integers(0, len(END_REASONS), m)],
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
    st.separated = sep_case


def _permits(rng: np.random.Generator, rows: _Rows, st: _State, m_: Mix) -> None:
    """Sometimes a study permit before, then the partner permit (5 years, R1.3), some withdrawn."""
    n, cases, arrival, sep_case = st.n, st.cases, st.arrival, st.separated
    study = rng.random(n) < m_.study_first
    p_start = arrival
    p_end = add_years(arrival, 5)
    n_perm = np.zeros(n, dtype=np.int64)
    sc = cases[study]
    rows.add("permits", sc, 0, purpose=_text("study", sc.size), start=add_years(arrival[sc], -4), end=arrival[sc])
    n_perm[sc] += 1
    via_app = rng.random(n) < m_.first_application
    pc = cases[~via_app]
    wd = np.where((sep_case[pc] >= 0) & (rng.random(pc.size) < 0.6), sep_case[pc] + rng.integers(30, 150, pc.size), -1)
    wd = np.where((wd >= 0) & (wd < p_start[pc]), p_start[pc], wd)
    rows.add(
        "permits",
        pc,
        n_perm[pc],
        purpose=_text("partner", pc.size),
        start=p_start[pc],
        end=p_end[pc],
        withdrawal_decided=wd,
    )
    partner_slot = np.full(n, -1)
    partner_slot[pc] = n_perm[pc]
    wd_case = np.full(n, -1)
    wd_case[pc] = wd
    n_perm[pc] += 1
    st.permit_start, st.permit_end, st.via_application = p_start, p_end, via_app
    st.partner_slot, st.withdrawal = partner_slot, wd_case


def _notifications(rng: np.random.Generator, rows: _Rows, st: _State, m_: Mix) -> None:
    """Reports after a separation (R2.1): the sponsor, the foreign national, or both; some late."""
    n, cases, sep_case = st.n, st.cases, st.separated
    sep = cases[sep_case >= 0]
    n_not = np.zeros(n, dtype=np.int64)
    shares = {"sponsor": m_.report_sponsor, "foreign-national": m_.report_foreign_national}
    for who in NOTIFIERS:
        share = shares[who]
        pick = sep[rng.random(sep.size) < share]
        late = rng.random(pick.size) < m_.late_report
        recv = sep_case[pick] + np.where(late, rng.integers(29, 200, pick.size), rng.integers(0, 28, pick.size))
        change = np.where(rng.random(pick.size) < 0.7, sep_case[pick], -1)
        rows.add("notifications", pick, n_not[pick], by=_text(who, pick.size), received=recv, change_date=change)
        n_not[pick] += 1


class _Applications:
    """Application records, numbered per case in the order they are added."""

    def __init__(self, rows: _Rows, n: int) -> None:
        self.rows = rows
        self.count = np.zeros(n, dtype=np.int64)

    def add(self, sel: np.ndarray, **fields: np.ndarray) -> None:
        """One application for each case in ``sel``."""
        self.rows.add("applications", sel, self.count[sel], **fields)
        self.count[sel] += 1


def _first_and_extension(rng: np.random.Generator, apps: _Applications, st: _State, m_: Mix) -> np.ndarray:
    """The first application (for cases without a permit record) and the extension around the permit's end.

    Returns the cases whose extension was granted.
    """
    n, cases, p_start, p_end, sep_case = st.n, st.cases, st.permit_start, st.permit_end, st.separated
    app = apps.add
    via_app = st.via_application
    fc = cases[via_app]
    app(
        fc,
        kind=_text("first", fc.size),
        purpose=_text("partner", fc.size),
        received=p_start[fc],
        outcome=_text("granted", fc.size),
        decided=p_start[fc] + rng.integers(20, 120, fc.size),
        valid_until=p_end[fc],
    )
    # The extension around the end of the partner permit (before any separation): timely
    # (received by the last valid day, R1.4), or late: the day after, inside the four-week
    # tolerance (R4.2; its last day is end + 27), at its boundary, or beyond it (R4.1).
    ext = cases[(rng.random(n) < m_.extension) & ((sep_case < 0) | (sep_case > p_end))]
    late = rng.random(ext.size) < m_.late_extension
    early = rng.choice(np.array([1, 2, 5, 30, 80]), ext.size) + rng.integers(0, 4, ext.size)
    after = rng.choice(np.array([0, 1, 3, 15, 26, 27, 28, 29, 40, 120]), ext.size)
    after = after + np.where(after >= 40, rng.integers(0, 30, ext.size), 0)
    recv = p_end[ext] + np.where(late, after, -early)
    outcome = rng.choice(_OUTCOMES, ext.size, p=[0.85, 0.05, 0.1])
    decided = np.where(outcome != "pending", recv + rng.integers(10, 200, ext.size), -1)
    app(
        ext,
        kind=_text("extension", ext.size),
        received=recv,
        outcome=outcome,
        decided=decided,
        valid_until=np.where(outcome == "granted", add_years(p_end[ext], 5), -1),
    )
    return ext[outcome == "granted"]


def _permanent_after_extension(
    rng: np.random.Generator, apps: _Applications, granted: np.ndarray, p_end: np.ndarray
) -> None:
    """Permanent residence after the extended permit (``granted``: the cases), for most of those who stayed."""
    pr = granted[rng.random(granted.size) < 0.6]
    pr_recv = add_years(p_end[pr], 5) - rng.integers(0, 60, pr.size)
    apps.add(
        pr,
        kind=_text("permanent-residence", pr.size),
        received=pr_recv,
        outcome=_text("granted", pr.size),
        decided=pr_recv + rng.integers(30, 150, pr.size),
    )


def _objection_and_change(rng: np.random.Generator, apps: _Applications, st: _State, m_: Mix) -> None:
    """An objection against a withdrawal (R3.2); a change of purpose to work after a separation (R1.2)."""
    n, cases, sep_case, wd_case, partner_slot = st.n, st.cases, st.separated, st.withdrawal, st.partner_slot
    app = apps.add
    oc = cases[(wd_case >= 0) & (rng.random(n) < m_.objection)]
    o_out = rng.choice(_OUTCOMES, oc.size, p=[0.3, 0.5, 0.2])
    o_recv = wd_case[oc] + rng.integers(1, 40, oc.size)
    app(
        oc,
        kind=_text("objection", oc.size),
        received=o_recv,
        outcome=o_out,
        decided=np.where(o_out != "pending", o_recv + rng.integers(30, 180, oc.size), -1),
        against=np.char.add(np.char.add("permits[", partner_slot[oc].astype(str)), "]").astype(object),
        posted=o_recv - rng.integers(0, 3, oc.size),
    )
    # Change of purpose to work after a separation (R1.2: from receipt, or when the conditions were met).
    cp = cases[(sep_case >= 0) & (rng.random(n) < m_.change_of_purpose)]
    c_recv = sep_case[cp] + rng.integers(0, 150, cp.size)
    c_out = rng.choice(_OUTCOMES, cp.size, p=[0.8, 0.1, 0.1])
    cond = np.where(rng.random(cp.size) < 0.1, c_recv + rng.integers(1, 60, cp.size), -1)
    app(
        cp,
        kind=_text("change-of-purpose", cp.size),
        purpose=_text("work", cp.size),
        received=c_recv,
        outcome=c_out,
        decided=np.where(c_out != "pending", c_recv + rng.integers(20, 200, cp.size), -1),
        valid_until=np.where(c_out == "granted", add_years(c_recv, 5), -1),
        conditions_met=cond,
        excused=np.where(rng.random(cp.size) < 0.05, 1, -1),
    )


def _later_applications(rng: np.random.Generator, apps: _Applications, st: _State) -> None:
    """A few early requests for permanent residence, and naturalisation requests."""
    n, cases, arrival = st.n, st.cases, st.arrival
    app = apps.add
    for kind, share in (("permanent-residence", 0.03), ("naturalisation", 0.12)):
        k = cases[rng.random(n) < share]
        k_recv = arrival[k] + rng.integers(int(4 * YEAR), int(7 * YEAR), k.size)
        k_out = rng.choice(_OUTCOMES, k.size, p=[0.6, 0.15, 0.25])
        app(
            k,
            kind=_text(kind, k.size),
            received=k_recv,
            outcome=k_out,
            decided=np.where(k_out != "pending", k_recv + rng.integers(30, 250, k.size), -1),
        )


def _absences(rng: np.random.Generator, rows: _Rows, st: _State, m_: Mix) -> None:
    """Stays abroad (R5.3), in date order; the last one sometimes still ongoing."""
    n, cases, arrival, as_of_eff = st.n, st.cases, st.arrival, st.as_of
    n_abs = rng.poisson(m_.absences, n)
    owner = np.repeat(cases, n_abs)
    span = np.maximum(as_of_eff[owner] - arrival[owner], 1)
    dep = arrival[owner] + (rng.random(owner.size) * span).astype(np.int64)
    length = np.where(
        rng.random(owner.size) >= m_.long_absence,
        rng.integers(3, 60, owner.size),
        np.where(rng.random(owner.size) < 0.7, rng.integers(60, 200, owner.size), rng.integers(170, 420, owner.size)),
    )
    order = np.lexsort((dep, owner))
    owner, dep, length = owner[order], dep[order], length[order]
    starts = np.r_[0, np.cumsum(n_abs)[:-1]] if n else np.zeros(0, dtype=np.int64)
    local = np.arange(owner.size) - np.repeat(starts, n_abs)
    last = local == n_abs[owner] - 1
    ongoing = last & (rng.random(owner.size) < 0.04)
    rows.add("absences", owner, local, departed=dep, returned=np.where(ongoing, -1, dep + length))


def _options(rng: np.random.Generator, rows: _Rows, st: _State) -> None:
    """A few cases with a non-default option (OQ-*)."""
    oc = st.cases[rng.random(st.n) < 0.05]
    rows.add(
        "options",
        oc,
        0,
        option=_text("withdrawal_effective", oc.size),
        value=rng.choice(np.array(["separation", "decision", "notification"], dtype=object), oc.size),
    )


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
                    v = np.where(v < 0, None, v == 1).astype(object)  # type: ignore[attr-defined]
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


def make_cases(n: int, seed: int = 0, mix: Mix | Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """The same cases as :func:`make_table`, as case-file dicts (the JSON Lines form)."""
    from .tables import table_to_cases

    return [c.data for c in table_to_cases(make_table(n, seed, mix=mix))]


#: Output formats of :func:`write_cases`, by extension.
OUTPUTS = (".jsonl", ".csv", ".tsv", ".xlsx", ".parquet")


def write_cases(
    path: str | os.PathLike[str], n: int, seed: int = 0, mix: Mix | Mapping[str, Any] | None = None
) -> pa.Table:
    """Generate ``n`` cases and write them to ``path``; returns the table.

    ``.jsonl``: one case file per line; ``.csv``, ``.tsv``, ``.xlsx`` or ``.parquet``: the event table
    (:func:`timeline.tables.write_table`). The extension and the mix are checked before
    anything is generated.

    Raises
    ------
    SynthError
        For another extension, a folder or a missing parent folder, or a bad mix.
    """
    path = os.fspath(path)
    ext = os.path.splitext(path)[1].lower()
    if ext not in OUTPUTS:
        shown = ext or msg("synth-no-extension")
        raise SynthError(msg("synth-output-type", path=path, ext=shown, valid=tuple(OUTPUTS)))
    if os.path.isdir(path):
        raise SynthError(msg("synth-is-folder", path=path))
    parent = os.path.dirname(path) or "."
    if not os.path.isdir(parent):
        raise SynthError(msg("ics-no-folder", path=path, folder=parent))
    table = make_table(n, seed, mix=mix_from(mix))
    write_table(table, path)
    return table
