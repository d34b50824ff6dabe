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
from ..assessment import Clock, Condition, Naturalisation, Route
from ..context import Context
from ..dates import add_months, add_years, period_complete
from ..intervals import Span, find, merge
from ..model import Absence, eu_weight
from .residence import Residence

__all__ = ["absent_days", "eu_long_term", "naturalisation", "permanent_residence"]

DAY = timedelta(days=1)
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
    ``years``; under a row it can be requested from ``max(complete, valid_from)`` if the
    row is still in force then. The row giving the earliest such day wins. With one row
    (the law today) that row, without calling ``complete``.
    """
    rows = law.rows(name)
    if len(rows) == 1:
        return rows[0]
    best: tuple[date, law.Row] | None = None
    for row in rows:
        t = complete(row.term.amount)
        if t is None:
            continue
        if row.valid_from is not None and t < row.valid_from:
            t = row.valid_from
        if row.applies(t) and (best is None or t < best[0]):
            best = (t, row)
    return best[1] if best is not None else rows[-1]


def _from(row: law.Row, complete: date) -> date:
    """``complete``, or the day ``row`` came into force if later (:func:`law_on_request`)."""
    return complete if row.valid_from is None or complete >= row.valid_from else row.valid_from


def absent_days(a: Absence, start: date, end: date, known_until: date) -> int:
    """Days abroad of ``a`` inside ``[start, end)``; departure and return days are present (OQ-7).

    An absence with no return date counts up to ``known_until`` (the as-of date): what
    lies beyond is not known, and a departure planned after it counts nothing yet.
    """
    lo = max(a.departed + DAY, start)
    hi = min(a.returned or known_until, end)
    return max(0, (hi - lo).days)


def _national_break(ctx: Context) -> Callable[[Absence, date], bool]:
    """R5.3: main residence presumed abroad after more than (option: at least) 6 months.

    The limit (``national_absence_limit``) is the one in force on the assessment date,
    as are the other absence limits (R5.2, R5.3).
    """
    strict = ctx.opts.national_absence_threshold == "more-than-6-months"
    months = law.term("national_absence_limit", ctx.as_of)

    def breaks(a: Absence, until: date) -> bool:
        back = a.returned or until
        limit = months.after(a.departed)
        return back > limit if strict else back >= limit

    return breaks


def _eu_break(ctx: Context) -> Callable[[Absence, date], bool]:
    """R5.2 / Vw 45b(2)(b): an absence of 6 consecutive months or more (``eu_single_absence_limit``)."""
    months = law.term("eu_single_absence_limit", ctx.as_of)

    def breaks(a: Absence, until: date) -> bool:
        return (a.returned or until) >= months.after(a.departed)

    return breaks


def _apply_breaks(
    ctx: Context,
    start: date,
    years: int,
    breaks: Callable[[Absence, date], bool],
    rule: str,
    subject: str,
    until: date | None = None,
    explain: bool = True,
) -> tuple[date | None, Absence | None]:
    """Restart ``start`` at the return of every breaking absence inside the period
    (``years`` from ``start``, or up to ``until`` if that is later); ``explain=False``
    to try a term without explaining (:func:`law_on_request`)."""
    leap = ctx.opts.leap_day_anniversary
    for a in sorted(ctx.case.absences, key=lambda a: a.departed):
        # An absence with no return date is judged on what is known: its length up to as_of.
        horizon = period_complete(start, years, leap)
        if not breaks(a, ctx.as_of) or a.departed >= (until if until is not None and until > horizon else horizon):
            continue
        if a.returned is None:
            if a.departed < ctx.as_of:
                return None, a
            continue
        if a.returned > start:
            start = a.returned
            if not explain:
                continue
            ctx.explain(
                f"{subject}.clock_start",
                rule,
                "absence-break",
                start,
                options=("national_absence_threshold",) if rule == "R5.3" else (),
                departed=a.departed,
                returned=a.returned,
            )
    return start, None


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
    """National permanent residence (R5.1): 5 uninterrupted years of toelating from age 8.

    The term (``permanent_residence_years``) is the one in force on the request date
    (:func:`law_on_request`); the minimum age and the income waiver those in force on
    the assessment date.
    """
    subject = "permanent_residence"
    opts, person = ctx.opts, ctx.case.person
    run, reason = _residence_start(ctx, res, subject, res.coverage)
    if run is None:
        return Clock(None, None, None, reason)
    first = run.start
    min_age = law.term("permanent_residence_min_age", ctx.as_of)
    if person.birth_date is not None and min_age.after(person.birth_date) > first:
        first = min_age.after(person.birth_date)
        ctx.explain(f"{subject}.clock_start", "R5.1", "age-8", first, birth_date=person.birth_date)
    breaks, leap = _national_break(ctx), opts.leap_day_anniversary

    def complete_after(years: int) -> date | None:
        moved, _ = _apply_breaks(ctx, first, years, breaks, "R5.3", subject, explain=False)
        return None if moved is None else period_complete(moved, years, leap)

    row = law_on_request("permanent_residence_years", complete_after)
    years = row.term.amount
    start: date | None  # None: the clock is stopped by a stay abroad (R5.3)
    start, abroad = _apply_breaks(ctx, first, years, breaks, "R5.3", subject)
    if start is None:
        ctx.explain(subject, "R5.3", "clock-abroad", None, departed=abroad.departed if abroad else None)
        return Clock(None, None, None, "abroad")
    complete = _from(row, period_complete(start, years, leap))
    eligible = complete
    if opts.permanent_reference_date == "decision":
        eligible = (
            complete - timedelta(days=90) if opts.permanent_decision_period == "90-days" else add_months(complete, -6)
        )
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


def _eu_segments(ctx: Context, res: Residence, start: date, run: Span) -> list[tuple[date, date | None, int]]:
    """Piecewise weights (quarter days) of ``[start, ...)``: layer A by purpose, B = 0 (R5.2)."""
    sponsor = ctx.case.sponsor.status
    points = {start}
    for p in res.periods:
        points.update(d for d in (p.start, p.end) if d is not None and d > start)
    if run.end is not None:
        points.add(run.end)
    cuts = sorted(d for d in points if run.end is None or d <= run.end)
    # A sweep over the cuts: the weights of the periods covering each cut, counted by
    # weight, so that each period is added and removed once (no scan of every period
    # at every cut).
    weights = [round(4 * eu_weight(p.purpose, sponsor)) for p in res.periods]
    starts = sorted(range(len(weights)), key=lambda k: res.periods[k].start)
    ends = sorted(
        (k for k in range(len(weights)) if res.periods[k].end is not None),
        key=lambda k: res.periods[k].end,  # type: ignore[arg-type,return-value]
    )
    covering = [0] * 5  # periods covering the cut, by weight in quarter days (0, 2 or 4)
    next_start = next_end = 0
    segs: list[tuple[date, date | None, int]] = []
    for a, b in zip(cuts, [*cuts[1:], None], strict=True):
        if run.end is not None and a >= run.end:
            break
        while next_start < len(starts) and res.periods[starts[next_start]].start <= a:
            covering[weights[starts[next_start]]] += 1
            next_start += 1
        while next_end < len(ends) and res.periods[ends[next_end]].end <= a:  # type: ignore[operator]
            covering[weights[ends[next_end]]] -= 1
            next_end += 1
        w = max((weight for weight, n in enumerate(covering) if n), default=0)
        segs.append((a, b, w))
    if run.end is not None:
        # The run is assumed to go on with the last permit's purpose (its extension).
        last = max(
            (p for p in res.periods if p.start < run.end and p.start >= run.start),
            key=lambda p: p.start,
            default=None,
        )
        w = round(4 * eu_weight(last.purpose, sponsor)) if last else 0
        segs.append((run.end, None, w))
    return segs


def _accrued(segs: list[tuple[date, date | None, int]], t: date) -> int:
    """Weighted days (in quarter days) accrued in ``[start, t)``.

    A half-weighted period (own study) credits half its days rounded up to a whole
    day, so "4 years of study count as 2 years" as in the R5.2 worked example
    (1461 / 2 = 730.5 days is credited as 731).
    """
    total = 0
    for a, b, w in segs:
        if a >= t:
            break
        end = t if b is None or b > t else b
        total += -(-w * (end - a).days // 4) * 4
    return total


def eu_long_term(ctx: Context, res: Residence) -> Clock:
    """EU long-term residence (R5.2): weighted walk back from the application date.

    The term and the absence limits (``eu_long_term_years``, ``eu_single_absence_limit``,
    ``eu_total_absence_limit``) are those in force on the assessment date.
    """
    subject = "eu_long_term"
    opts = ctx.opts
    years = law.term("eu_long_term_years", ctx.as_of).amount
    total_limit = law.term("eu_total_absence_limit", ctx.as_of).amount
    least, fixed = eu_targets(years)
    layer = res.coverage
    if opts.eu_procedural_stay == "bridge":
        layer = tuple(merge([*res.coverage, *(Span(s.start, s.end) for s in res.procedural)]))
    run, reason = _residence_start(ctx, res, subject, layer)
    if run is None:
        return Clock(None, None, None, reason)
    start, abroad = _apply_breaks(ctx, run.start, years, _eu_break(ctx), "R5.2", subject)
    if start is None:
        ctx.explain(subject, "R5.2", "clock-abroad", None, departed=abroad.departed if abroad else None)
        return Clock(None, None, None, "abroad")
    segs = _eu_segments(ctx, res, start, run)
    if segs[-1][2] == 0 and segs[-1][1] is None and _accrued(segs, segs[-1][0]) < 4 * least:
        holder = res.period_on(min(ctx.as_of, segs[-1][0] - DAY)) if segs[-1][0] > start else None
        ctx.explain(subject, "R5.2", "eu-no-accrual", None, purpose=holder.purpose if holder else None)
        return Clock(start, None, None, "temporary-purpose")

    def target(t: date) -> int:
        return fixed if opts.eu_accrual_target == "fixed" else 4 * (t - add_years(t, -years)).days

    # Lower bound: the first day the accrual reaches the least target; then step to the exact T.
    t = start + timedelta(days=least)
    # A day accrues at most 4 quarter-days (plus < 4 of rounding), so this jump never overshoots.
    while (missing := 4 * least - _accrued(segs, t)) > 0:
        t += timedelta(days=max(1, (missing - 4) // 4))
    pushed = False
    for _ in range(EU_SEARCH_DAYS):
        window = add_years(t, -years)
        abroad_days = sum(absent_days(a, window, t, ctx.as_of) for a in ctx.case.absences)
        too_long = abroad_days / AVERAGE_MONTH_DAYS >= total_limit
        if _accrued(segs, t) >= target(t) and not too_long:
            break
        pushed = pushed or too_long
        t += DAY
    conds = _run_conditions(ctx, res, run, t, t)
    bridged = sum(
        max(0, ((s.end or ctx.as_of) - max(s.start, start)).days)
        for s in res.procedural
        if opts.eu_procedural_stay == "bridge"
    )
    conds.append(Condition("income", None, {}))
    conds.append(Condition("absences", True, {"total_limit_months": total_limit, "pushed": pushed}))
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
    """R6.1, R6.4: the run goes on, a non-temporary permit, integration, adult, main
    residence, and no pending extension (OQ-12), for a request on ``on``."""
    conds = _run_conditions(ctx, res, run, on, on)
    conds.append(_adult_condition(ctx, on))
    conds.append(Condition("main-residence", not _three_year_rule(ctx), {}))
    pending = _pending_extension(ctx)
    if pending is not None:
        conds.append(pending)
    return conds


def _standard_route(ctx: Context, res: Residence) -> Route:
    """R6.1: 5 uninterrupted years of toelating immediately before the request.

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
    breaks, leap = _national_break(ctx), ctx.opts.leap_day_anniversary

    def complete_after(n: int) -> date | None:
        moved, _ = _apply_breaks(ctx, run.start, n, breaks, "R5.3", subject, explain=False)
        return None if moved is None else period_complete(moved, n, leap)

    row = None if what_if else law_on_request("naturalisation_years", complete_after)
    if row is not None:
        years = row.term.amount
    start, _ = _apply_breaks(ctx, run.start, years, breaks, "R5.3", subject)
    if start is None:
        return Route("standard", "R6.1", True, Clock(None, None, None, "abroad", years=years))
    complete = period_complete(start, years, leap)
    if row is not None:
        complete = _from(row, complete)
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
    """R6.2: 3 years of marriage and cohabitation with the same Dutch citizen.

    The term is ``spouse_years`` in force on the request date (:func:`law_on_request`).
    """
    subject = "naturalisation.routes[spouse]"
    rel, sponsor = ctx.case.relationship, ctx.case.sponsor
    shown = law.term("spouse_years", ctx.as_of).amount  # for a closed route
    if rel is None:
        return _closed(ctx, "spouse", "R6.2", subject, "no-relationship", shown)
    if rel.kind == "unmarried" or rel.married is None:
        return _closed(ctx, "spouse", "R6.2", subject, "not-married", shown)
    if sponsor.status != "dutch":
        return _closed(ctx, "spouse", "R6.2", subject, "not-dutch", shown)
    ended = rel.separated or rel.divorced
    if ended is not None:
        return _closed(ctx, "spouse", "R6.2", subject, "separated", shown, ended=ended)
    start, basis = rel.married, "married"
    if rel.cohabitation_start is not None:
        if rel.cohabitation_start > rel.married:
            start, basis = rel.cohabitation_start, "cohabitation-after-marriage"
        elif rel.cohabitation_place == "kingdom":
            start, basis = rel.cohabitation_start, "cohabitation-in-kingdom"
        else:
            basis = "cohabitation-abroad"
    leap = ctx.opts.leap_day_anniversary
    row = law_on_request("spouse_years", lambda n: period_complete(start, n, leap))
    years = row.term.amount
    complete = _from(row, period_complete(start, years, leap))
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
        f"nat-spouse-{basis}",
        complete,
        options=("leap_day_anniversary",),
        start=start,
        married=rel.married,
        cohabitation_start=rel.cohabitation_start,
        eligible=complete,
    )
    return Route("spouse", "R6.2", True, Clock(start, complete, complete, None, tuple(conds), years))


def _partner_route(ctx: Context, res: Residence) -> Route:
    """R6.3: 3 years of toelating and unmarried cohabitation in the Kingdom with a Dutch partner.

    The term is ``partner_years`` in force on the request date (:func:`law_on_request`).
    """
    subject = "naturalisation.routes[partner]"
    rel, sponsor = ctx.case.relationship, ctx.case.sponsor
    shown = law.term("partner_years", ctx.as_of).amount  # for a closed route
    if rel is None:
        return _closed(ctx, "partner", "R6.3", subject, "no-relationship", shown)
    if rel.kind != "unmarried":
        return _closed(ctx, "partner", "R6.3", subject, "not-unmarried", shown)
    if sponsor.status != "dutch":
        return _closed(ctx, "partner", "R6.3", subject, "not-dutch", shown)
    if rel.separated is not None:
        return _closed(ctx, "partner", "R6.3", subject, "separated", shown, ended=rel.separated)
    run, reason = _residence_start(ctx, res, subject, res.coverage)
    if run is None:
        return Route("partner", "R6.3", True, Clock(None, None, None, reason, years=shown))
    cohab = rel.cohabitation_start
    if cohab is not None and rel.cohabitation_place == "abroad" and res.first_start is not None:
        cohab = max(cohab, res.first_start)  # cohabitation in the Kingdom began on arrival
    breaks, leap = _national_break(ctx), ctx.opts.leap_day_anniversary

    def complete_after(n: int) -> date | None:
        moved, _ = _apply_breaks(ctx, run.start, n, breaks, "R5.3", subject, explain=False)
        if moved is None:
            return None
        return period_complete(cohab if cohab is not None and cohab > moved else moved, n, leap)

    row = law_on_request("partner_years", complete_after)
    years = row.term.amount
    start, _ = _apply_breaks(ctx, run.start, years, breaks, "R5.3", subject)
    if start is None:
        return Route("partner", "R6.3", True, Clock(None, None, None, "abroad", years=years))
    if cohab is not None and cohab > start:
        start = cohab
    complete = _from(row, period_complete(start, years, leap))
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


def _qualifying_days(ctx: Context, res: Residence, run: Span, t: date) -> int:
    """R6.4: days of toelating and main residence before ``t``, all periods together.

    Every day of coverage (layer A) before ``t`` counts, the current run taken as
    continuing to ``t``; days abroad in an absence that moved the main residence abroad
    (R5.3, OQ-7) do not.
    """
    spans = [sp for sp in res.coverage if sp.start < run.start] + [Span(run.start, None)]
    total = sum(((sp.end if sp.end is not None and sp.end < t else t) - sp.start).days for sp in spans if sp.start < t)
    breaks = _national_break(ctx)
    for a in ctx.case.absences:
        if a.returned is not None and a.departed < t and breaks(a, ctx.as_of):
            total -= sum(absent_days(a, sp.start, min(sp.end or t, t), ctx.as_of) for sp in spans)
    return total


def _first_day_with(ctx: Context, res: Residence, run: Span, first: date, total_years: int) -> date:
    """R6.4: the first day from ``first`` on with ``total_years`` in total (:func:`_qualifying_days`).

    From ``first`` on (no break inside the current run any more) each day adds one
    qualifying day, and the calendar years before ``t`` gain or lose a 29 February now
    and then: the shortfall falls by 0, 1 or 2 a day. Jump by the shortfall until none
    is left, then step back over any overshoot.
    """

    def short(t: date) -> int:
        return (t - add_years(t, -total_years)).days - _qualifying_days(ctx, res, run, t)

    t = first
    while (missing := short(t)) > 0:
        t += timedelta(days=missing)
    while t > first and short(t - DAY) <= 0:
        t -= DAY
    return t


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
    run, reason = _residence_start(ctx, res, subject, res.coverage)
    if run is None:
        return Route("long-residence", "R6.4", True, Clock(None, None, None, reason, years=years))
    if not any(sp.start < run.start for sp in res.coverage):
        return _closed(ctx, "long-residence", "R6.4", subject, "no-earlier-toelating", years, run_start=run.start)
    # Breaks restart the 2 years (R5.3). The 10 years in total can end later than the 2
    # years; a break between the two restarts the 2 years again, until none is left.
    start, t = run.start, None
    while True:
        moved, _ = _apply_breaks(ctx, start, years, _national_break(ctx), "R5.3", subject, until=t)
        if moved is None:
            return Route("long-residence", "R6.4", True, Clock(None, None, None, "abroad", years=years))
        if t is not None and moved == start:
            break
        start = moved
        two_years = period_complete(start, years, ctx.opts.leap_day_anniversary)
        t = _first_day_with(ctx, res, run, two_years, total_years)
    first = standard.clock.eligible_from
    if first is not None and first <= t:
        return _closed(ctx, "long-residence", "R6.4", subject, "standard-first", years, standard=first, own=t)
    conds = _naturalisation_conditions(ctx, res, run, t)
    ctx.explain(
        f"{subject}.eligible_from",
        "R6.4",
        "nat-long-residence",
        t,
        options=("leap_day_anniversary", "national_absence_threshold"),
        start=start,
        earlier=_qualifying_days(ctx, res, run, run.start),
        total=_qualifying_days(ctx, res, run, t),
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
