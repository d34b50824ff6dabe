"""``assess``: one case, one date, one set of options -> an :class:`Assessment`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from .assessment import Assessment
from .context import Context
from .dates import MAX_DATE, MIN_DATE
from .errors import CaseError, OptionError, msg
from .model import Case, first_event
from .options import Options
from .rules.clocks import eu_long_term, naturalisation, permanent_residence
from .rules.independent import independent_residence
from .rules.notification import assess_notification
from .rules.procedures import decision_periods, objection_deadlines
from .rules.residence import assess_residence

__all__ = ["assess", "resolve_options"]


def resolve_options(
    case: Case, options: Options | Mapping[str, str] | Iterable[tuple[str, str]] | None = None
) -> Options:
    """The case file's options with ``options`` (e.g. ``--option``) applied on top."""
    try:
        base = Options(case.options)
    except OptionError as err:
        raise CaseError(err.message, source=case.source, record="options") from None
    if options is None:
        return base
    if isinstance(options, Options):
        return base.merged(options.non_default())
    return base.merged(options)


def assess(
    case: Case,
    as_of: date | None = None,
    options: Options | Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
) -> Assessment:
    """Assess a case on ``as_of``: residence, gaps, reporting deadline, clocks and deadlines.

    Parameters
    ----------
    case
        The case (see :func:`timeline.load_case`).
    as_of
        The evaluation date; defaults to ``case.as_of``. The library never reads the
        clock: pass today's date explicitly if that is what you mean.
    options
        Option values (OQ-*) on top of the case file's own ``[options]``.

    Returns
    -------
    Assessment
        Every computed date with its explanation (rule ID, inputs, result).

    Raises
    ------
    CaseError
        When the case cannot be assessed (for example no ``as_of`` at all).
    OptionError
        For an unknown option or value.
    """
    when = as_of or case.as_of
    if when is None:
        raise CaseError(
            msg("as-of-missing"),
            source=case.source,
            field="as_of",
        )
    if not MIN_DATE <= when <= MAX_DATE:
        raise CaseError(
            msg("date-range", first=str(MIN_DATE), last=str(MAX_DATE)),
            source=case.source,
            field="as_of",
            value=when.isoformat(),
        )
    check_facts(case, when)
    opts = resolve_options(case, options)
    ctx = Context(case, when, opts)
    _scope_warnings(ctx)
    res = assess_residence(ctx)
    notification = assess_notification(ctx)
    pr = permanent_residence(ctx, res)
    eu = eu_long_term(ctx, res)
    nat = naturalisation(ctx, res)
    independent = independent_residence(ctx, res)
    objections = objection_deadlines(ctx)
    periods = decision_periods(ctx)
    result = Assessment(
        id=case.id,
        as_of=when,
        options=opts.as_dict(),
        residence=res.periods,
        procedural=res.procedural,
        gaps=res.gaps,
        notification=notification,
        permanent_residence=pr,
        eu_long_term=eu,
        naturalisation=nat,
        independent_residence=independent,
        objections=objections,
        decision_periods=periods,
        explanations=tuple(ctx.explanations),
        warnings=tuple(ctx.warnings),
    )
    from .actions import actions  # what to do by when (R1.4, R2.2, R3.1, R4.2, R8.2, ...)
    from .certainty import certainties  # recorded, computed or expected: each date's certainty
    from .now_next import now_and_next  # where the person stands, what comes next
    from .records import name_records  # every record path carries its name for people

    result = name_records(case, result._replace(actions=actions(case, result)))
    result = result._replace(now_and_next=now_and_next(case, result))
    return result._replace(certainty=certainties(case, result))


def check_facts(case: Case, as_of: date) -> None:
    """Refuse a case that cannot be assessed on ``as_of``: one that records no event at all,
    an ``as_of`` before its first event (records dated later would be taken as known), or
    a birth date after ``as_of``.

    Every command meets these the same way (``timeline batch`` sends such cases here).

    Raises
    ------
    CaseError
        Naming the field and what would be valid.
    """
    first = first_event(case)
    if first is None:
        raise CaseError(
            msg("nothing-to-assess"),
            source=case.source,
        )
    if as_of < first:
        raise CaseError(
            msg("as-of-before-first", first=first.isoformat()),
            source=case.source,
            field="as_of",
            value=as_of,
        )
    birth = case.person.birth_date
    if birth is not None and birth > as_of:
        raise CaseError(
            msg("birth-after-as-of", as_of=as_of.isoformat()),
            source=case.source,
            record="person",
            field="birth_date",
            value=birth,
        )


def _scope_warnings(ctx: Context) -> None:
    """Regimes with other rules: flagged, not computed (see docs/rules.md)."""
    case = ctx.case
    if case.sponsor.status == "eu-citizen":
        ctx.warn("out-of-scope-eu-sponsor")
    if case.person.turkish_national:
        ctx.warn("out-of-scope-turkish")
    if case.sponsor.status in ("fixed-term", "temporary") and case.sponsor.permit_end is None:
        ctx.warn("sponsor-permit-end-missing")
    if not case.permits and not any(a.outcome == "granted" for a in case.applications):
        ctx.warn("no-permits")
