"""Independent residence after the relationship (voortgezet verblijf) and discretionary routes.

References
----------
- R7.1 (Vb 3.51(1)(a)(1), Vc B9/8.2: the relationship existed 5 years and
  the person held a permit on its basis for 5 years; sponsor with a non-temporary
  right; civic integration), OQ-11 (where permit time on the relationship ends).
- R7.2 (death of the sponsor, Vb 3.51(1)(c); domestic violence, Vb 3.48(1)(f),
  3.51(1)(j)/(k); OQ-10): flagged as possible routes, never computed.
"""

from __future__ import annotations

from datetime import date, timedelta

from .. import law
from ..assessment import Condition, IndependentResidence, PossibleRoute, ResidencePeriod
from ..context import Context
from ..dates import period_complete, ymd_between
from ..intervals import Span, clip, merge
from .clocks import explain_total_readings, years_in_total
from .residence import Residence

__all__ = ["independent_residence"]


def independent_residence(ctx: Context, res: Residence) -> IndependentResidence | None:
    """Whether and from when the 5-year independent route is open (R7.1), plus R7.2 flags.

    The term (``independent_residence_years``) is the one in force on the assessment date.
    """
    case, opts = ctx.case, ctx.opts
    rel = case.relationship
    partner = [p for p in res.periods if p.purpose == "partner"]
    if rel is None:
        # Without a relationship on record there is no "after the relationship": the route
        # needs 5 years of relationship, whose start and end are not known. Not assessed.
        if partner:
            ctx.warn("partner-permit-without-relationship", record=partner[0].record)
        return None
    years = law.term("independent_residence_years", ctx.as_of).amount
    ended = rel.separated
    spans = [Span(p.start, p.end) for p in partner]
    if ended is not None and opts.relationship_permit_clip == "separation":
        spans = clip(spans, date.min, ended)  # OQ-11 default: permit time ends at the separation
    runs = merge(spans)
    rel_start = rel.start or (runs[0].start if runs else None)
    # After the relationship ended, permit time on its basis cannot grow past the last permit day.
    limit = None if ended is None or not runs else (runs[-1].end or ended)
    permit_days = sum(s.days(ctx.as_of if limit is None else limit) for s in runs)
    conds: list[Condition] = []
    sponsor_ok = case.sponsor.status in ("dutch", "permanent", "fixed-term")
    conds.append(Condition("sponsor-non-temporary", sponsor_ok, {"status": case.sponsor.status}))
    passed = case.person.integration_passed
    conds.append(Condition("integration", None if passed is None else True, {"passed": passed}))
    eligible, reason = _term_reached(ctx, partner, runs, (rel_start, ended, limit), years, conds)
    # Permit time in years, months and days, counted as one period from the first start
    # (anniversary arithmetic; for several periods their days are added first).
    ymd = ymd_between(runs[0].start, runs[0].start + timedelta(days=permit_days)) if runs else (0, 0, 0)
    if eligible is None:
        status = "not-open"
    elif not sponsor_ok:
        status, reason = "not-open", "sponsor-temporary"
        eligible = None
    else:
        status = "open" if eligible <= ctx.as_of else "open-from"
    ctx.explain(
        "independent_residence",
        "R7.1",
        f"independent-{status}" if reason is None else f"independent-{reason}",
        eligible,
        options=("relationship_permit_clip", "leap_day_anniversary", "total_years_reading"),
        eligible=eligible,
        permit_time=ymd,
        separated=ended,
        relationship_start=rel_start,
    )
    routes = _possible_routes(ctx, res, eligible)
    return IndependentResidence(status, eligible, permit_days, ymd, rel_start, reason, tuple(conds), routes)


def _term_reached(
    ctx: Context,
    partner: list[ResidencePeriod],
    runs: list[Span],
    relationship: tuple[date | None, date | None, date | None],
    years: int,
    conds: list[Condition],
) -> tuple[date | None, str | None]:
    """R7.1: the day both the partner-permit time (``runs``) and the relationship (from its
    start) reach ``years`` years, or why there is none (``no-partner-permit``, ``too-short``:
    not before the permit time stops growing, at ``limit``); ``relationship`` is (start,
    separation, limit). Adds the conditions that still hang on the permits to ``conds``."""
    rel_start, ended, limit = relationship
    if not runs:
        return None, "no-partner-permit"
    leap = ctx.opts.leap_day_anniversary
    # The day the permit time reaches the term: the anniversary for one run; for several,
    # "5 years in total" as OQ-23 reads it, and the other reading said where it differs.
    reading = ctx.opts.total_years_reading
    permit_t = years_in_total(runs, years, leap, reading)
    other = "years-months-days" if reading == "calendar-days" else "calendar-days"
    other_t = years_in_total(runs, years, leap, other)
    if permit_t is not None and other_t is not None and other_t != permit_t:
        explain_total_readings(ctx, "independent_residence", "R7.1", years, permit_t, other_t)
    rel_t = period_complete(rel_start, years, leap) if rel_start is not None else permit_t
    candidate = max(d for d in (permit_t, rel_t) if d is not None) if permit_t else None
    if candidate is None or (limit is not None and candidate > limit):
        return None, "too-short"
    if runs[-1].end is not None and ended is None and runs[-1].end < candidate:
        last = runs[-1].end
        conds.append(
            Condition(
                "run-continues",
                False,
                {"record": None, "end": last, "last_valid": last - timedelta(days=1), "needed_until": None},
            )
        )
    withdrawal = next((p.withdrawn_from for p in partner if p.withdrawn_from), None)
    if withdrawal is not None:
        # A new permit starts on receipt (Vw 26(1), R1.2): received on the effective date is contiguous.
        conds.append(Condition("file-before-withdrawal", None, {"file_by": withdrawal}))
    return candidate, None


def _possible_routes(ctx: Context, res: Residence, eligible: date | None) -> tuple[PossibleRoute, ...]:
    """R7.2: death of the sponsor and domestic violence (discretionary; only flagged)."""
    rel = ctx.case.relationship
    if rel is None or rel.separated is None or (eligible is not None and eligible <= rel.separated):
        return ()
    withdrawal = next((p.withdrawn_from for p in res.periods if p.purpose == "partner" and p.withdrawn_from), None)
    # R3.1 + R1.2: the partner permit covers up to the day before the withdrawal's effective
    # date, and a new permit starts on the day the application is received, so receipt on
    # the effective date itself still leaves no gap.
    file_by = withdrawal
    out = []
    for route, reason in (("domestic-violence", "domestic-violence"), ("sponsor-died", "sponsor-died")):
        indicated = rel.end_reason == reason
        out.append(PossibleRoute(route, indicated, file_by))
        if indicated:
            ctx.explain(
                f"independent_residence.possible_routes[{route}]",
                "R7.2",
                f"possible-{route}",
                file_by,
                options=("dv_route",) if route == "domestic-violence" else (),
                file_by=file_by,
                path=ctx.opts.dv_route,
            )
    return tuple(out)
