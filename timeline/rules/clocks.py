"""Clocks toward permanent residence and naturalisation.

References
----------
- DC-5 (X years immediately preceding: every day of ``[T - X years, T)``),
  OQ-8 (runs starting on 29 February).
- R5.1 national permanent residence (Vw 21(1), 21(5): 5 years, all purposes count,
  years from age 8; OQ-6 reference date, OQ-14 decision period).
- R5.2 EU long-term residence (Vw 45b: temporary purposes 0, own study 1/2, procedural
  stay bridges without counting (OQ-5), absences of 6+ months or 10+ months in total
  break it; OQ-9 target).
- R5.3 main residence (absences; OQ-7 thresholds).
- R6.1 naturalisation (RWN 8(1)(c): 5 years of toelating; OQ-18), R6.2 spouse of a
  Dutch citizen (RWN 8(2): 3 years of marriage and cohabitation, a gap does not reset
  it), R6.3 unmarried partner (RWN 8(4): 3 years of toelating and cohabitation in the
  Kingdom), R6.4 (RWN 8(3): 2 years before the request after 10 years in total),
  OQ-12 (request while an extension is pending).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from .. import law
from ..assessment import Clock, Condition, Gap, Naturalisation, Route
from ..context import Context
from ..dates import period_complete
from ..intervals import Span, clip, complement, find, merge, total_days
from ..kernels import clocks as kc
from ..kernels.residence import INF, NA
from ..model import eu_weight
from .residence import Residence

__all__ = ["eu_long_term", "naturalisation", "permanent_residence"]

DAY = timedelta(days=1)
_EPOCH = date(1970, 1, 1).toordinal()
#: R5.3: total months abroad from days (UNCONFIRMED method): the average month.
AVERAGE_MONTH_DAYS = 365.25 / 12
#: R5.2: days the search for T steps past the first day with the minimum target accrued.
EU_SEARCH_DAYS = 4000


def eu_targets(years: int) -> tuple[int, int]:
    """R5.2, OQ-9: the least length in days of ``years`` calendar years, and the "fixed"
    target in quarter days (365.25 days a year, x 4).

    The accrual is counted in quarter days (eu_weight: 4 for a day that counts in full).
    The calendar target, the length of the years before T, is never below the first
    (1826 or 1827 days for 5 years); the fixed target is 1826.25 days x 4 = 7305.

    >>> eu_targets(5)
    (1826, 7305)
    """
    return 365 * years + years // 4, 1461 * years


def law_on_request(name: str, complete: Callable[[int], date | None]) -> law.Row:
    """The row of the term ``name`` that governs the earliest request date (DC-5).

    A residence term is the one in force on the day of the request (R5.1, R6.1-R6.3; no
    transitional rule, see R6.5). ``complete(years)`` is the day a run completes
    ``years``; under a row it can be requested from ``max(complete, valid_from)`` (the
    kernels' ``not_before``) if the row is still in force then. The row giving the
    earliest such day wins (:func:`timeline.kernels.clocks.row_on_request`, which batch runs
    too). With one row (the law today) that row, without calling ``complete``.
    """
    rows = law.rows(name)
    if len(rows) == 1:
        return rows[0]
    completes = [complete(row.term.amount) for row in rows]
    k, _ = kc.row_on_request(
        [NA if t is None else _day(t) for t in completes],
        [NA if row.valid_from is None else _day(row.valid_from) for row in rows],
        [INF if row.valid_to is None else _day(row.valid_to) for row in rows],
    )
    return rows[k]


def _day(d: date | None) -> int:
    return NA if d is None else d.toordinal() - _EPOCH


def _date(n: int) -> date:
    return date.fromordinal(n + _EPOCH)


class _Absences:
    """The case's absences sorted by departure, as the clock kernels take them (day numbers),
    with a buffer for the positions of the absences that restart a clock."""

    __slots__ = ("absences", "departed", "moved", "returned")

    def __init__(self, ctx: Context) -> None:
        self.absences = sorted(ctx.case.absences, key=lambda a: a.departed)
        self.departed = [_day(a.departed) for a in self.absences]
        self.returned = [_day(a.returned) for a in self.absences]
        self.moved = [0] * len(self.absences)


def _national_strict(ctx: Context) -> int:
    """The R5.3 threshold chosen by option OQ-7: more than (1), or at least (0), 6 months abroad."""
    return 1 if ctx.opts.national_absence_threshold == "more-than-6-months" else 0


def _months(name: str, ctx: Context) -> int:
    """An absence limit in months (R5.2, R5.3), the one in force on the assessment date."""
    term = law.term(name, ctx.as_of)
    assert term.unit == "months", f"{name} is a term of months"
    return term.amount


def _explain_breaks(ctx: Context, ab: _Absences, count: int, rule: str, subject: str, first: int = 0) -> None:
    """One explanation per absence that restarted the clock (R5.3, R5.2; :func:`kc.apply_breaks`)."""
    for i in ab.moved[first:count]:
        a = ab.absences[i]
        ctx.explain(
            f"{subject}.clock_start",
            rule,
            "absence-break",
            a.returned,
            options=("national_absence_threshold",) if rule == "R5.3" else (),
            departed=a.departed,
            returned=a.returned,
        )


def _gap_before(res: Residence, run: Span) -> Gap | None:
    """The residence gap (DC-6) that ended on the day ``run`` starts: the gap that restarted a clock."""
    return next((g for g in res.gaps if g.end == run.start), None)


def _flag_short_gap(ctx: Context, res: Residence, run: Span) -> None:
    """Discretion to flag, not decide (issue 16): a gap shorter than the absence that would
    break the EU clock (``eu_single_absence_limit``, R5.2) restarted it. In reported cases
    the IND granted EU long-term residence despite such a gap on grounds of proportionality
    (Directive 2003/109/EC); the dates stay as the law gives them."""
    gap = _gap_before(res, run)
    months = _months("eu_single_absence_limit", ctx)
    if gap is not None and gap.end is not None and _day(gap.end) < kc.add_months(_day(gap.start), months):
        ctx.warn("eu-short-gap", start=gap.start, last_day=gap.end - DAY, days=gap.days, months=months)


def _flag_hardship(ctx: Context, res: Residence, run: Span, eligible: date, years: int) -> None:
    """Discretion to flag, not decide (issue 16): a gap restarted the naturalisation term and
    the request must wait (``eligible`` after ``as_of``). RWN art. 10 lets the Minister
    naturalise despite the term in special cases (hardship clause); the dates stay as the
    law gives them."""
    gap = _gap_before(res, run)
    if gap is not None and gap.end is not None and eligible > ctx.as_of:
        last_day = gap.end - DAY
        ctx.warn(
            "naturalisation-hardship", start=gap.start, last_day=last_day, days=gap.days, years=years, eligible=eligible
        )


def _three_year_rule(ctx: Context) -> bool:
    """R5.3: more than 4 consecutive months abroad in each of 3 consecutive years."""
    months = law.term("three_year_absence_limit", ctx.as_of)
    years = {a.departed.year for a in ctx.case.absences if (a.returned or ctx.as_of) > months.after(a.departed)}
    return any({y, y + 1, y + 2} <= years for y in years)


def _run_conditions(ctx: Context, res: Residence, run: Span, complete: date, eligible: date) -> list[Condition]:
    """Conditions shared by the residence clocks: the run must go on; a non-temporary permit."""
    conds: list[Condition] = []
    if run.end is not None and run.end < complete:
        last = res.period_on(run.end - DAY)
        conds.append(
            Condition(
                "run-continues",
                False,
                {
                    "record": last.record if last else None,
                    "end": run.end,
                    "last_valid": run.end - DAY,
                    "needed_until": complete,
                },
            )
        )
    probe = eligible if (run.end is None or eligible < run.end) else run.end - DAY
    holder = res.period_on(max(probe, run.start))
    if holder is not None:
        conds.append(
            Condition(
                "non-temporary-permit",
                not holder.temporary,
                {"record": holder.record, "purpose": holder.purpose, "on": probe},
            )
        )
    passed = ctx.case.person.integration_passed
    conds.append(Condition("integration", None if passed is None else passed <= eligible, {"passed": passed}))
    return conds


def _residence_start(
    ctx: Context, res: Residence, subject: str, layer: tuple[Span, ...]
) -> tuple[Span | None, str | None]:
    run = find(layer, ctx.as_of)
    if run is None:
        gap = next((g for g in res.gaps if g.end is None), None)
        reason = (
            "in-gap"
            if gap is not None
            else ("not-yet-admitted" if res.first_start is None or ctx.as_of < res.first_start else "in-gap")
        )
        ctx.explain(subject, "DC-6", f"clock-{reason}", None, as_of=ctx.as_of, gap_start=gap.start if gap else None)
        return None, reason
    return run, None


def permanent_residence(ctx: Context, res: Residence) -> Clock:
    """National permanent residence (R5.1): 5 uninterrupted years of toelating from age 8
    (:func:`kc.permanent_residence`).

    The term (``permanent_residence_years``) is the one in force on the request date
    (:func:`law_on_request`); the minimum age and the income waiver those in force on
    the assessment date.
    """
    subject = "permanent_residence"
    opts, person = ctx.opts, ctx.case.person
    run, reason = _residence_start(ctx, res, subject, res.coverage)
    if run is None:
        return Clock(None, None, None, reason)
    min_age = law.term("permanent_residence_min_age", ctx.as_of)
    assert min_age.unit == "years", "permanent_residence_min_age is a term of years"
    ab, leap = _Absences(ctx), opts.leap_day_anniversary
    ninety = opts.permanent_decision_period == "90-days"

    def clock(years: int, not_before: int) -> tuple[int, int, int, int, int, int]:
        return kc.permanent_residence(
            _day(run.start), _day(person.birth_date), leap == "mar1", min_age.amount, years,
            _months("national_absence_limit", ctx), _national_strict(ctx), _day(ctx.as_of), ab.departed, ab.returned,
            opts.permanent_reference_date == "decision", 90 if ninety else 0, 6, not_before, ab.moved, 0,
        )  # fmt: skip

    def complete_after(years: int) -> date | None:
        complete = clock(years, NA)[4]
        return None if complete == NA else _date(complete)

    row = law_on_request("permanent_residence_years", complete_after)
    years = row.term.amount
    age_start, start_day, abroad, count, complete_day, eligible_day = clock(years, _day(row.valid_from))
    if age_start != _day(run.start):
        ctx.explain(f"{subject}.clock_start", "R5.1", "age-8", _date(age_start), birth_date=person.birth_date)
    _explain_breaks(ctx, ab, count, "R5.3", subject)
    if abroad >= 0:
        ctx.explain(subject, "R5.3", "clock-abroad", None, departed=ab.absences[abroad].departed)
        return Clock(None, None, None, "abroad")
    start, complete, eligible = _date(start_day), _date(complete_day), _date(eligible_day)
    conds = _run_conditions(ctx, res, run, complete, eligible)
    waiver = law.term("permanent_residence_income_waiver", ctx.as_of).amount
    conds.append(Condition("income", None, {"waived_from": period_complete(run.start, waiver, leap)}))
    conds.append(Condition("main-residence", not _three_year_rule(ctx), {}))
    ctx.explain(
        f"{subject}.eligible_from",
        "R5.1",
        "pr-eligible" if eligible == complete else "pr-eligible-decision",
        eligible,
        options=("leap_day_anniversary", "permanent_reference_date", "permanent_decision_period"),
        start=start,
        complete=complete,
        eligible=eligible,
    )
    return Clock(start, complete, eligible, None, tuple(conds), years)


def _eu_bridges(ctx: Context, res: Residence) -> list[Span]:
    """R5.2 (Vw 45b(3)): the stay that keeps the EU clock going without counting toward it.

    Procedural stay (R4.5) under ``eu_procedural_stay = bridge`` (OQ-5, the default); with
    it, under ``eu_contested_withdrawal = bridge`` (OQ-25), the days a retroactive
    withdrawal contested by an objection in time took away (``res.contested``), which a
    reported district-court case treated as formally limited stay. Under the default
    ``gap`` those days are a residence gap for this clock too.
    """
    if ctx.opts.eu_procedural_stay != "bridge":
        return []
    out = [Span(s.start, s.end) for s in res.procedural]
    if ctx.opts.eu_contested_withdrawal == "bridge":
        out += res.contested
    return out


def eu_long_term(ctx: Context, res: Residence) -> Clock:
    """EU long-term residence (R5.2): weighted walk back from the application date
    (:func:`kc.apply_breaks`, :func:`kc.eu_long_term`).

    The term and the absence limits (``eu_long_term_years``, ``eu_single_absence_limit``,
    ``eu_total_absence_limit``) are those in force on the assessment date.
    """
    subject = "eu_long_term"
    opts = ctx.opts
    years = law.term("eu_long_term_years", ctx.as_of).amount
    total_limit = law.term("eu_total_absence_limit", ctx.as_of).amount
    least, fixed = eu_targets(years)
    bridges = _eu_bridges(ctx, res)
    layer = tuple(merge([*res.coverage, *bridges])) if bridges else res.coverage
    if res.contested:
        ctx.explain(subject, "R5.2", f"eu-contested-{opts.eu_contested_withdrawal}", None,
                    options=("eu_contested_withdrawal", "eu_procedural_stay"))  # fmt: skip
    run, reason = _residence_start(ctx, res, subject, layer)
    if run is None:
        return Clock(None, None, None, reason)
    _flag_short_gap(ctx, res, run)
    ab = _Absences(ctx)
    start_day, abroad, count = kc.apply_breaks(
        _day(run.start), years, NA, opts.leap_day_anniversary == "mar1", _months("eu_single_absence_limit", ctx), 0,
        _day(ctx.as_of), ab.departed, ab.returned, ab.moved, 0,
    )  # fmt: skip
    _explain_breaks(ctx, ab, count, "R5.2", subject)
    if abroad >= 0:
        ctx.explain(subject, "R5.2", "clock-abroad", None, departed=ab.absences[abroad].departed)
        return Clock(None, None, None, "abroad")
    start = _date(start_day)
    periods = res.periods  # in order of start (then record): the order R5.2's "last permit" reads
    if any(p.purpose == "search-year" for p in periods):  # OQ-24: the reading is before the EU Court
        weight = opts.eu_search_year_weight
        ctx.explain(subject, "R5.2", f"eu-search-year-{weight}", None, options=("eu_search_year_weight",))
    sponsor = ctx.case.sponsor.status
    end_days = [_day(p.end) if p.end is not None else INF for p in periods]
    size = 2 * len(periods) + 3
    seg_start, seg_end, seg_weight = [0] * size, [0] * size, [0] * size
    accrues, t_day, pushed, count = kc.eu_long_term(
        start_day, _day(run.start), INF if run.end is None else _day(run.end), [_day(p.start) for p in periods],
        end_days, [round(4 * eu_weight(p.purpose, sponsor, opts.eu_search_year_weight)) for p in periods],
        sorted(range(len(periods)), key=end_days.__getitem__), _day(ctx.as_of), ab.departed, ab.returned,
        opts.eu_accrual_target == "fixed", years, least, fixed, EU_SEARCH_DAYS, total_limit, AVERAGE_MONTH_DAYS,
        seg_start, seg_end, seg_weight, 0,
    )  # fmt: skip
    if not accrues:
        last = _date(seg_start[count - 1])
        holder = res.period_on(min(ctx.as_of, last - DAY)) if last > start else None
        ctx.explain(subject, "R5.2", "eu-no-accrual", None, purpose=holder.purpose if holder else None)
        return Clock(start, None, None, "temporary-purpose")
    t = _date(t_day)
    conds = _run_conditions(ctx, res, run, t, t)
    # The days between the start and T that only a bridge holds together (each day once).
    bridged = sum(total_days(clip(bridges, u.start, u.end), t) for u in complement(res.coverage, start, t))
    conds.append(Condition("income", None, {}))
    conds.append(Condition("absences", True, {"total_limit_months": total_limit, "pushed": bool(pushed)}))
    ctx.explain(
        f"{subject}.eligible_from",
        "R5.2",
        "eu-eligible",
        t,
        options=("eu_procedural_stay", "eu_accrual_target"),
        start=start,
        eligible=t,
        bridged=bridged,
    )
    return Clock(start, t, t, None, tuple(conds), years)


def _adult_condition(ctx: Context, on: date) -> Condition:
    """R6.1 (RWN 8(1)(a)): of age on the request date ``on`` (``adult_age`` in force on ``on``)."""
    birth = ctx.case.person.birth_date
    if birth is None:
        return Condition("adult", None, {"from": None})
    adult = law.term("adult_age", on).after(birth)
    return Condition("adult", adult <= on, {"from": adult})


def _pending_extension(ctx: Context) -> Condition | None:
    pending = [
        f"applications[{j}]"
        for j, a in enumerate(ctx.case.applications)
        if a.kind == "extension" and a.outcome == "pending" and a.received <= ctx.as_of
    ]
    if not pending:
        return None
    ok = ctx.opts.naturalisation_pending_extension == "eligible"
    return Condition("pending-extension", ok, {"record": pending[0]})


def _naturalisation_conditions(ctx: Context, res: Residence, run: Span, on: date) -> list[Condition]:
    """The conditions of R6.1 and R6.4: the run goes on, a non-temporary permit, integration, adult, main
    residence, and no pending extension (OQ-12), for a request on ``on``."""
    conds = _run_conditions(ctx, res, run, on, on)
    conds.append(_adult_condition(ctx, on))
    conds.append(Condition("main-residence", not _three_year_rule(ctx), {}))
    pending = _pending_extension(ctx)
    if pending is not None:
        conds.append(pending)
    return conds


def _standard_route(ctx: Context, res: Residence) -> Route:
    """The R6.1 route for one case: 5 uninterrupted years before the request, by :func:`kc.standard_route`.

    The term is ``naturalisation_years`` in force on the request date
    (:func:`law_on_request`; R6.5: a change in the law is a new row). The option
    ``naturalisation_years = "10"`` (OQ-18) puts the draft's ten years in its place for
    every date; the default ``"5"`` follows the table.
    """
    subject = "naturalisation.routes[standard]"
    what_if = ctx.opts.naturalisation_years != "5"
    years = int(ctx.opts.naturalisation_years) if what_if else law.term("naturalisation_years", ctx.as_of).amount
    run, reason = _residence_start(ctx, res, subject, res.coverage)
    if run is None:
        return Route("standard", "R6.1", True, Clock(None, None, None, reason, years=years))
    ab = _Absences(ctx)

    def clock(n: int, not_before: int) -> tuple[int, int, int, int]:
        return kc.standard_route(
            _day(run.start), n, ctx.opts.leap_day_anniversary == "mar1", _months("national_absence_limit", ctx),
            _national_strict(ctx), _day(ctx.as_of), ab.departed, ab.returned, not_before, ab.moved, 0,
        )  # fmt: skip

    def complete_after(n: int) -> date | None:
        complete = clock(n, NA)[3]
        return None if complete == NA else _date(complete)

    row = None if what_if else law_on_request("naturalisation_years", complete_after)
    if row is not None:
        years = row.term.amount
    start_day, abroad, count, complete_day = clock(years, NA if row is None else _day(row.valid_from))
    _explain_breaks(ctx, ab, count, "R5.3", subject)
    if abroad >= 0:
        return Route("standard", "R6.1", True, Clock(None, None, None, "abroad", years=years))
    start, complete = _date(start_day), _date(complete_day)
    _flag_hardship(ctx, res, run, complete, years)
    conds = _naturalisation_conditions(ctx, res, run, complete)
    ctx.explain(
        f"{subject}.eligible_from",
        "R6.1",
        "nat-standard",
        complete,
        options=("naturalisation_years", "leap_day_anniversary"),
        start=start,
        years=years,
        eligible=complete,
    )
    return Route("standard", "R6.1", True, Clock(start, complete, complete, None, tuple(conds), years))


#: Reasons for which a naturalisation route is not shown (text, chart, report, actions):
#: it does not apply to the person, or (R6.4) it adds nothing to the standard route. A
#: route that applies but is not running is shown with its reason.
NOT_APPLICABLE = frozenset(
    {"not-dutch", "not-married", "not-unmarried", "no-relationship", "no-earlier-toelating", "standard-first"}
)


def _closed(ctx: Context, route: str, rule: str, subject: str, reason: str, years: int, **params) -> Route:
    ctx.explain(subject, rule, f"route-{reason}", None, **params)
    return Route(
        route,
        rule,
        reason not in NOT_APPLICABLE,
        Clock(None, None, None, reason, years=years),
    )


def _spouse_route(ctx: Context, res: Residence) -> Route:
    """The R6.2 route for one case: 3 years of marriage and cohabitation, by :func:`kc.spouse_route`.

    The term is ``spouse_years`` in force on the request date (:func:`law_on_request`).
    """
    subject = "naturalisation.routes[spouse]"
    rel, sponsor = ctx.case.relationship, ctx.case.sponsor
    shown = law.term("spouse_years", ctx.as_of).amount  # for a closed route

    def route(n: int, not_before: int) -> tuple[int, int, int, int]:
        return kc.spouse_route(
            rel is not None, rel is not None and rel.kind == "unmarried", _day(rel and rel.married),
            sponsor.status == "dutch", _day(rel and rel.separated), _day(rel and rel.divorced),
            _day(rel and rel.cohabitation_start), rel is not None and rel.cohabitation_place == "kingdom", n,
            ctx.opts.leap_day_anniversary == "mar1", not_before,
        )  # fmt: skip

    reason, start_day, basis, _ = route(shown, NA)
    if reason != kc.OPEN:
        ended = {"ended": _date(start_day)} if reason == kc.SEPARATED else {}
        return _closed(ctx, "spouse", "R6.2", subject, kc.ROUTE_REASONS[reason], shown, **ended)
    assert rel is not None
    row = law_on_request("spouse_years", lambda n: _date(route(n, NA)[3]))
    years = row.term.amount
    start, complete = _date(start_day), _date(route(years, _day(row.valid_from))[3])
    conds: list[Condition] = [
        Condition("spouse-dutch", True, {}),
        Condition("relationship-continues", None, {}),
    ]
    holder = res.period_on(complete) or res.period_on(ctx.as_of)
    conds.append(
        Condition(
            "non-temporary-permit",
            None if holder is None else not holder.temporary,
            {
                "record": holder.record if holder else None,
                "purpose": holder.purpose if holder else None,
                "on": complete,
            },
        )
    )
    conds.append(_adult_condition(ctx, complete))
    ctx.explain(
        f"{subject}.eligible_from",
        "R6.2",
        f"nat-spouse-{kc.SPOUSE_BASES[basis]}",
        complete,
        options=("leap_day_anniversary",),
        start=start,
        married=rel.married,
        cohabitation_start=rel.cohabitation_start,
        eligible=complete,
    )
    return Route("spouse", "R6.2", True, Clock(start, complete, complete, None, tuple(conds), years))


def _partner_route(ctx: Context, res: Residence) -> Route:
    """The R6.3 route for one case: 3 years of toelating and unmarried cohabitation in the Kingdom with a Dutch
    partner (:func:`kc.partner_applies`, :func:`kc.partner_route`).

    The term is ``partner_years`` in force on the request date (:func:`law_on_request`).
    """
    subject = "naturalisation.routes[partner]"
    rel, sponsor = ctx.case.relationship, ctx.case.sponsor
    shown = law.term("partner_years", ctx.as_of).amount  # for a closed route
    reason = kc.partner_applies(
        rel is not None, rel is not None and rel.kind == "unmarried", sponsor.status == "dutch",
        _day(rel and rel.separated),
    )  # fmt: skip
    if reason != kc.OPEN:
        ended = {"ended": rel.separated} if rel is not None and reason == kc.SEPARATED else {}
        return _closed(ctx, "partner", "R6.3", subject, kc.ROUTE_REASONS[reason], shown, **ended)
    assert rel is not None
    run, why = _residence_start(ctx, res, subject, res.coverage)
    if run is None:
        return Route("partner", "R6.3", True, Clock(None, None, None, why, years=shown))
    ab = _Absences(ctx)

    def clock(n: int, not_before: int) -> tuple[int, int, int, int, int]:
        return kc.partner_route(
            _day(run.start), _day(res.first_start), _day(rel.cohabitation_start), rel.cohabitation_place == "abroad", n,
            ctx.opts.leap_day_anniversary == "mar1", _months("national_absence_limit", ctx), _national_strict(ctx),
            _day(ctx.as_of), ab.departed, ab.returned, not_before, ab.moved, 0,
        )  # fmt: skip

    def complete_after(n: int) -> date | None:
        complete = clock(n, NA)[4]
        return None if complete == NA else _date(complete)

    row = law_on_request("partner_years", complete_after)
    years = row.term.amount
    start_day, abroad, count, cohab_day, complete_day = clock(years, _day(row.valid_from))
    _explain_breaks(ctx, ab, count, "R5.3", subject)
    if abroad >= 0:
        return Route("partner", "R6.3", True, Clock(None, None, None, "abroad", years=years))
    start, complete = _date(start_day), _date(complete_day)
    cohab = None if cohab_day == NA else _date(cohab_day)
    conds = _run_conditions(ctx, res, run, complete, complete)
    conds.append(Condition("partner-dutch", True, {}))
    conds.append(Condition("relationship-continues", None, {}))
    conds.append(_adult_condition(ctx, complete))
    ctx.explain(
        f"{subject}.eligible_from",
        "R6.3",
        "nat-partner",
        complete,
        options=("leap_day_anniversary",),
        start=start,
        run_start=run.start,
        cohabitation_start=cohab,
        eligible=complete,
    )
    return Route("partner", "R6.3", True, Clock(start, complete, complete, None, tuple(conds), years))


def _earlier(res: Residence, run: Span) -> tuple[list[int], list[int]]:
    """The spans of coverage before the current run (R6.4 counts them), as day numbers."""
    earlier = [sp for sp in res.coverage if sp.start < run.start]
    return [_day(sp.start) for sp in earlier], [_day(sp.end) for sp in earlier]


def _long_residence_route(ctx: Context, res: Residence, standard: Route) -> Route:
    """R6.4 (RWN 8(3)): 2 years of toelating immediately before the request, after at
    least 10 years of toelating and main residence in total.

    The length of earlier interruptions does not matter (HRWN), so the route helps after
    a residence gap: the 2 years restart, the 10 years keep what was built before it.
    "10 years in total" is read as OQ-9 reads the EU target: at least as many days as
    the 10 calendar years before the request date have. Shown only when it comes before
    the standard route (``standard``): without toelating before the current run it
    cannot, and a later date adds nothing (the explanation still gives it).
    """
    subject = "naturalisation.routes[long-residence]"
    # The terms in force on the assessment date (R6.4).
    years = law.term("long_residence_years", ctx.as_of).amount
    total_years = law.term("long_residence_total_years", ctx.as_of).amount
    run, why = _residence_start(ctx, res, subject, res.coverage)
    if run is None:
        return Route("long-residence", "R6.4", True, Clock(None, None, None, why, years=years))
    earlier_start, earlier_end = _earlier(res, run)
    ab = _Absences(ctx)
    first = standard.clock.eligible_from
    strict, as_of, run_start = _national_strict(ctx), _day(ctx.as_of), _day(run.start)
    months = _months("national_absence_limit", ctx)
    reason, start_day, t_day, _, count = kc.long_residence_route(
        earlier_start, earlier_end, run_start, years, total_years, ctx.opts.leap_day_anniversary == "mar1", months,
        strict, as_of, ab.departed, ab.returned, _day(first), ab.moved, 0,
    )  # fmt: skip
    if reason == kc.NO_EARLIER:
        return _closed(ctx, "long-residence", "R6.4", subject, "no-earlier-toelating", years, run_start=run.start)
    _explain_breaks(ctx, ab, count, "R5.3", subject)
    if reason == kc.ABROAD:
        return Route("long-residence", "R6.4", True, Clock(None, None, None, "abroad", years=years))
    start, t = _date(start_day), _date(t_day)
    if reason == kc.STANDARD_FIRST:
        return _closed(ctx, "long-residence", "R6.4", subject, "standard-first", years, standard=first, own=t)

    def qualifying(day: int) -> int:
        return kc.qualifying_days(
            earlier_start, earlier_end, run_start, day, months, strict, as_of, ab.departed, ab.returned
        )

    conds = _naturalisation_conditions(ctx, res, run, t)
    ctx.explain(
        f"{subject}.eligible_from",
        "R6.4",
        "nat-long-residence",
        t,
        options=("leap_day_anniversary", "national_absence_threshold"),
        start=start,
        earlier=qualifying(run_start),
        total=qualifying(t_day),
        eligible=t,
    )
    # The clock's years are the unbroken part (DC-5: the 2 years immediately before t).
    return Route("long-residence", "R6.4", True, Clock(start, t, t, None, tuple(conds), years))


def naturalisation(ctx: Context, res: Residence) -> Naturalisation:
    """The earliest request date over the standard, spouse, unmarried-partner and
    long-residence routes (R6.1-R6.4); on a tie the route listed first."""
    standard = _standard_route(ctx, res)
    routes = (standard, _spouse_route(ctx, res), _partner_route(ctx, res), _long_residence_route(ctx, res, standard))
    open_routes = [(r.clock.eligible_from, i) for i, r in enumerate(routes) if r.clock.eligible_from is not None]
    if not open_routes:
        return Naturalisation(None, None, routes)
    best = routes[min(open_routes)[1]]
    return Naturalisation(best.clock.eligible_from, best.route, routes)
