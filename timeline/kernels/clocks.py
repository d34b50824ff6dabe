"""Clocks, written once over integer day numbers: date arithmetic (DC-3, DC-5, OQ-8),
absences that break a clock (R5.3, R5.2), national permanent residence (R5.1) and the
naturalisation routes (R6.1-R6.4).

Each rule is plain Python over one case's day numbers and per-case sequences (lists for
a single case, array slices in batch), with the conventions of
:mod:`timeline.kernels.residence` (``NA`` a missing date, ``INF`` an open end, codes not
strings, flags 0 or 1, results into output sequences at ``base + i``).
:mod:`timeline.rules.clocks` runs these functions interpreted for one case and turns
their codes into clocks, routes and explanations; :mod:`timeline.kernels.table` runs the
same functions compiled with numba over a whole table. Legal terms (years, months,
days) are arguments: the callers pass the constants of :mod:`timeline.rules.clocks`.

The date arithmetic lives in this file, not a file of its own, because numba caches a
compiled function keyed on its own source file: a clock compiled against the date
functions of another file would keep a stale copy of them after an edit there.
:mod:`timeline.dates` is the date-object face of the same functions.

References
----------
- DC-3: a term of months or years ends on the same day-number; a day that does not exist
  in the target month becomes that month's last day (29 February + 1 year = 28 February).
- DC-5, OQ-8: "X years immediately preceding T" holds iff every day of ``[T - X years, T)``
  qualifies; for a run starting on 29 February the earliest T is 1 March, or 28 February.
- R5.3 (OQ-7): main residence presumed abroad after more than (option: at least) 6 months
  abroad; R5.2 (Vw 45b(2)(b)): an absence of 6 consecutive months or more.
- R5.1 (Vw 21(1), 21(5)): 5 uninterrupted years, counted from age 8; OQ-6, OQ-14.
- R5.2 (Vw 45b): 5 years of residence weighted by purpose (temporary purposes 0, own
  study 1/2), absences of 10 months or more in total push the date; OQ-9 target.
- R6.1 (RWN 8(1)(c), OQ-18), R6.2 (RWN 8(2)), R6.3 (RWN 8(4)), R6.4 (RWN 8(3)).
"""

from __future__ import annotations

from .residence import INF, NA

__all__ = [
    "ROUTE_REASONS",
    "SPOUSE_BASES",
    "add_months",
    "add_years",
    "apply_breaks",
    "breaks_residence",
    "civil_from_days",
    "days_from_civil",
    "eu_accrued",
    "eu_days_abroad",
    "eu_long_term",
    "eu_segments",
    "eu_still_abroad",
    "first_day_with",
    "iso_day",
    "long_residence_route",
    "partner_applies",
    "partner_route",
    "period_complete",
    "permanent_residence",
    "qualifying_days",
    "spouse_route",
    "standard_route",
]

#: Why a route is closed (R6.2-R6.4); ``open`` when it runs. Same words as the single
#: case's route reasons.
ROUTE_REASONS = ("open", "no-relationship", "not-married", "not-unmarried", "not-dutch", "separated",
                 "no-earlier-toelating", "abroad", "standard-first")  # fmt: skip
OPEN, NO_RELATIONSHIP, NOT_MARRIED, NOT_UNMARRIED, NOT_DUTCH, SEPARATED, NO_EARLIER, ABROAD, STANDARD_FIRST = range(9)
#: OQ-23: how "N years in total" adds several periods (R6.4, R7.1): the choices of the option
#: ``total_years_reading``: days against the calendar length of the N years before the date,
#: or the periods' years, months and days added up.
TOTAL_READINGS = ("calendar-days", "years-months-days")
CALENDAR_DAYS, YEARS_MONTHS_DAYS = range(2)
#: OQ-23: no month has more days; fewer days added up are not yet a month.
LONGEST_MONTH = 31
#: From which date the 3 years of the spouse route run (R6.2).
SPOUSE_BASES = ("married", "cohabitation-after-marriage", "cohabitation-in-kingdom", "cohabitation-abroad")
MARRIED, COHABITATION_AFTER_MARRIAGE, COHABITATION_IN_KINGDOM, COHABITATION_ABROAD = range(4)


# --------------------------------------------------------------------------- day arithmetic


def civil_from_days(day):
    """Year, month and day of a day number (proleptic Gregorian; H. Hinnant's algorithm)."""
    z = day + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return yoe + era * 400 + (1 if m <= 2 else 0), m, d


def days_from_civil(year, month, day):
    """The day number of ``year``-``month``-``day`` (H. Hinnant's algorithm)."""
    y = year - 1 if month <= 2 else year
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (month - 3 if month > 2 else month + 9) + 2) // 5 + day - 1
    return era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468


def month_length(year, month):
    """Days in ``month`` of ``year`` (Gregorian)."""
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    if month == 4 or month == 6 or month == 9 or month == 11:
        return 30
    return 31


def add_months(day, n):
    """DC-3: ``n`` calendar months after ``day``, clamped to the month's last day."""
    y, m, d = civil_from_days(day)
    month0 = m - 1 + n
    year = y + month0 // 12
    month = month0 % 12 + 1
    return days_from_civil(year, month, min(d, month_length(year, month)))


def add_years(day, n):
    """DC-3: ``n`` years after ``day`` as a term (29 February + 1 year = 28 February).
    Always add to the anchor date; never chain."""
    return add_months(day, 12 * n)


def period_complete(start, years, mar1):
    """DC-5, OQ-8: the first day T on which every day of ``[T - years, T)`` lies on or
    after ``start``: the anniversary, except for a run that starts on 29 February in a
    year whose anniversary has none: then 1 March (``mar1`` = 1) or 28 February (0)."""
    y, m, d = civil_from_days(start)
    month0 = m - 1 + 12 * years
    year = y + month0 // 12
    month = month0 % 12 + 1
    day = min(d, month_length(year, month))
    return days_from_civil(year, month, day) + (1 if mar1 and day != d else 0)


def iso_day(text, start, end):
    """The day number of ``text[start:end]`` (bytes) if it is a date written strictly
    ``YYYY-MM-DD`` (year 1 or later, a day the month has), as :func:`timeline.dates.parse_date`
    reads a date; else ``NA``."""
    if end - start != 10 or text[start + 4] != 45 or text[start + 7] != 45:  # 45: "-"
        return NA
    number = 0
    for k in (0, 1, 2, 3, 5, 6, 8, 9):
        c = int(text[start + k])
        if c < 48 or c > 57:  # not a digit 0-9
            return NA
        number = number * 10 + c - 48
    year, month, day = number // 10000, number // 100 % 100, number % 100
    if year < 1 or month < 1 or month > 12 or day < 1 or day > month_length(year, month):
        return NA
    return days_from_civil(year, month, day)


# --------------------------------------------------------------------------- absences


def breaks_residence(departed, returned, as_of, months, strict):
    """R5.3 (OQ-7: ``strict`` = more than, else at least ``months``) and R5.2 (6 months or
    more, ``strict`` = 0): whether an absence is long enough to break a residence clock.
    An absence with no return date is judged on its length up to ``as_of``."""
    back = as_of if returned == NA else returned
    limit = add_months(departed, months)
    return back > limit if strict else back >= limit


def apply_breaks(start, years, until, mar1, months, strict, as_of, departed, returned, moved, base):
    """R5.3, R5.2: the clock restarts on the return of every breaking absence (absences
    sorted by departure) that begins inside the period: ``years`` from the (moved)
    start, or up to ``until`` if that is later.

    An absence still going on (no return date) that began before ``as_of`` stops the
    clock. Returns ``(start, abroad, count)``: the new start, the position of the absence
    that stops the clock (-1: none) and how many absences moved the start; their positions
    go to ``moved[base:base + count]`` in order.
    """
    count = 0
    for i in range(len(departed)):
        horizon = period_complete(start, years, mar1)
        if until != NA and until > horizon:
            horizon = until
        if departed[i] >= horizon or not breaks_residence(departed[i], returned[i], as_of, months, strict):
            continue
        if returned[i] == NA:
            if departed[i] < as_of:
                return start, i, count
            continue
        if returned[i] > start:
            start = returned[i]
            moved[base + count] = i
            count += 1
    return start, -1, count


# --------------------------------------------------------------------------- R5.1


def permanent_residence(run_start, birth, mar1, min_age, years, months, strict, as_of, departed, returned,
                        decision, decision_days, decision_months, not_before, moved, base):  # fmt: skip
    """R5.1 (Vw 21(1), 21(5)): 5 (``years``) uninterrupted years of toelating, counted from
    age 8 (``min_age``); an absence that moves the main residence abroad restarts them (R5.3).

    The request can be made when the years are complete (OQ-6 ``application``), or, when
    only the decision date must see them complete (``decision`` = 1), a decision period
    earlier: ``decision_days`` days, or ``decision_months`` months if that is 0 (OQ-14).
    A term that came into force later (``not_before``, its first day; NA: none) completes
    on that day at the earliest (DC-5 under the law on the request date).
    Returns ``(age_start, start, abroad, count, complete, eligible)``; ``start`` is NA when
    an absence stops the clock (see :func:`apply_breaks`).
    """
    start = run_start
    if birth != NA and add_years(birth, min_age) > start:
        start = add_years(birth, min_age)
    age_start = start
    start, abroad, count = apply_breaks(start, years, NA, mar1, months, strict, as_of, departed, returned, moved, base)
    if abroad >= 0:
        return age_start, NA, abroad, count, NA, NA
    complete = max(period_complete(start, years, mar1), not_before)
    eligible = complete
    if decision:
        eligible = complete - decision_days if decision_days > 0 else add_months(complete, -decision_months)
    return age_start, start, abroad, count, complete, eligible


# --------------------------------------------------------------------------- R6.1-R6.3


def row_on_request(complete, valid_from, valid_to):
    """R6.5 (DC-5): the row of a dated term that governs the earliest request: ``(row, day)``.

    Under row ``k`` the run completes the row's term on ``complete[k]`` (NA: not while the
    clock stops) and can be requested from that day, or the row's first day if that is
    later (``valid_from[k]``, NA: none), if the row is still in force then (before
    ``valid_to[k]``, INF: open). The term is the one in force on the day of the request, with
    no transitional rule: the row giving the earliest such day wins. With none, the last
    row, from its first day at the earliest (NA if the clock stops under it).
    """
    best, best_day = -1, NA
    last = len(complete) - 1
    for k in range(last + 1):
        if complete[k] == NA:
            continue
        day = max(complete[k], valid_from[k])
        if day < valid_to[k] and (best < 0 or day < best_day):
            best, best_day = k, day
    if best >= 0:
        return best, best_day
    return last, NA if complete[last] == NA else max(complete[last], valid_from[last])


def standard_route(run_start, years, mar1, months, strict, as_of, departed, returned, not_before, moved, base):
    """R6.1 (RWN 8(1)(c), OQ-18): ``years`` uninterrupted years of toelating immediately
    before the request; a break restarts them (R5.3); not before ``not_before`` (as in
    :func:`permanent_residence`). Returns ``(start, abroad, count, eligible)`` (NA dates
    when an absence stops the clock)."""
    start, abroad, count = apply_breaks(run_start, years, NA, mar1, months, strict, as_of, departed, returned, moved,
                                        base)  # fmt: skip
    if abroad >= 0:
        return NA, abroad, count, NA
    return start, abroad, count, max(period_complete(start, years, mar1), not_before)


def spouse_route(has_relationship, unmarried, married, dutch, separated, divorced, cohabitation, in_kingdom, years,
                 mar1, not_before):  # fmt: skip
    """R6.2 (RWN 8(2)): 3 (``years``) years of marriage and cohabitation with the same
    Dutch citizen; a residence gap does not reset them. They run from the marriage, or
    from the cohabitation if that began later, or earlier in the Kingdom.

    Returns ``(reason, start, basis, eligible)``: a :data:`ROUTE_REASONS` code (for
    ``separated``, ``start`` is the day the relationship ended) and a :data:`SPOUSE_BASES` code.
    """
    if not has_relationship:
        return NO_RELATIONSHIP, NA, MARRIED, NA
    if unmarried or married == NA:
        return NOT_MARRIED, NA, MARRIED, NA
    if not dutch:
        return NOT_DUTCH, NA, MARRIED, NA
    if separated != NA or divorced != NA:
        return SEPARATED, separated if separated != NA else divorced, MARRIED, NA
    start, basis = married, MARRIED
    if cohabitation != NA:
        if cohabitation > married:
            start, basis = cohabitation, COHABITATION_AFTER_MARRIAGE
        elif in_kingdom:
            start, basis = cohabitation, COHABITATION_IN_KINGDOM
        else:
            basis = COHABITATION_ABROAD
    return OPEN, start, basis, max(period_complete(start, years, mar1), not_before)


def partner_applies(has_relationship, unmarried, dutch, separated):
    """R6.3 (RWN 8(4)): the route is for an unmarried partner of a Dutch citizen whose
    relationship goes on; returns a :data:`ROUTE_REASONS` code."""
    if not has_relationship:
        return NO_RELATIONSHIP
    if not unmarried:
        return NOT_UNMARRIED
    if not dutch:
        return NOT_DUTCH
    if separated != NA:
        return SEPARATED
    return OPEN


def partner_route(run_start, first_start, cohabitation, abroad_cohabitation, years, mar1, months, strict, as_of,
                  departed, returned, not_before, moved, base):  # fmt: skip
    """R6.3 (RWN 8(4)): 3 (``years``) years of uninterrupted toelating (a break restarts
    them, R5.3) and of cohabitation in the Kingdom; cohabitation that began abroad counts
    in the Kingdom from the first day of toelating (``first_start``).

    Returns ``(start, abroad, count, cohabitation, eligible)`` (NA dates when an absence
    stops the clock; ``cohabitation`` as counted).
    """
    start, abroad, count = apply_breaks(run_start, years, NA, mar1, months, strict, as_of, departed, returned, moved,
                                        base)  # fmt: skip
    if abroad >= 0:
        return NA, abroad, count, cohabitation, NA
    if cohabitation != NA and abroad_cohabitation and first_start != NA and first_start > cohabitation:
        cohabitation = first_start
    if cohabitation != NA and cohabitation > start:
        start = cohabitation
    return start, abroad, count, cohabitation, max(period_complete(start, years, mar1), not_before)


# --------------------------------------------------------------------------- R6.4


def qualifying_days(earlier_start, earlier_end, run_start, t, months, strict, as_of, departed, returned):
    """R6.4: days of toelating and main residence before ``t``, all periods together.

    Every day of the earlier periods of coverage and of the current run (from
    ``run_start``, taken as continuing to ``t``) counts, except the days abroad of a
    finished absence that moved the main residence abroad (R5.3, OQ-7); departure and
    return days are present.
    """
    total = t - run_start if run_start < t else 0
    for k in range(len(earlier_start)):
        if earlier_start[k] < t:
            total += min(earlier_end[k], t) - earlier_start[k]
    for i in range(len(departed)):
        if returned[i] == NA or departed[i] >= t:
            continue
        if not breaks_residence(departed[i], returned[i], as_of, months, strict):
            continue
        for k in range(len(earlier_start) + 1):
            lo = earlier_start[k] if k < len(earlier_start) else run_start
            hi = min(earlier_end[k], t) if k < len(earlier_start) else t
            total -= max(0, min(returned[i], hi) - max(departed[i] + 1, lo))
    return total


def first_day_with(earlier_start, earlier_end, run_start, first, total_years, months, strict, as_of, departed,
                   returned):  # fmt: skip
    """R6.4: the first day from ``first`` on with ``total_years`` in total (:func:`qualifying_days`):
    at least as many qualifying days as the ``total_years`` calendar years before it have.

    From ``first`` on each day adds one qualifying day and the calendar years before ``t``
    gain or lose a 29 February now and then: the shortfall falls by 0, 1 or 2 a day. Jump
    by the shortfall until none is left, then step back over any overshoot.
    """
    t = first
    while True:
        missing = (t - add_years(t, -total_years)) - qualifying_days(
            earlier_start, earlier_end, run_start, t, months, strict, as_of, departed, returned
        )
        if missing <= 0:
            break
        t += missing
    while t > first:
        back = t - 1
        if (back - add_years(back, -total_years)) > qualifying_days(
            earlier_start, earlier_end, run_start, back, months, strict, as_of, departed, returned
        ):
            break
        t = back
    return t


def months_and_days(start, end):
    """The length of ``[start, end)`` as whole calendar months counted from ``start`` (month
    ends clamped, as :func:`add_months` does, DC-3) and the days left over: ``(months, days)``."""
    y1, m1, _ = civil_from_days(start)
    y2, m2, _ = civil_from_days(end)
    months = (y2 - y1) * 12 + m2 - m1
    if add_months(start, months) > end:
        months -= 1
    return months, end - add_months(start, months)


def ymd_total(earlier_start, earlier_end, run_start, t, months, strict, as_of, departed, returned):
    """OQ-23 (``years-months-days``): the periods :func:`qualifying_days` counts before ``t``, each
    as calendar months and days (:func:`months_and_days`; a breaking absence splits a period),
    added up: ``(months, days)``."""
    total_m, total_d = 0, 0
    n = len(earlier_start)
    for k in range(n + 1):
        lo = earlier_start[k] if k < n else run_start
        hi = min(earlier_end[k], t) if k < n else t
        cursor = lo
        for i in range(len(departed)):
            if returned[i] == NA or departed[i] >= t or returned[i] <= cursor or departed[i] + 1 >= hi:
                continue
            if not breaks_residence(departed[i], returned[i], as_of, months, strict):
                continue
            if departed[i] + 1 > cursor:
                m, d = months_and_days(cursor, departed[i] + 1)
                total_m, total_d = total_m + m, total_d + d
            cursor = returned[i]
        if cursor < hi:
            m, d = months_and_days(cursor, hi)
            total_m, total_d = total_m + m, total_d + d
    return total_m, total_d


def ymd_reaches(total_months, total_days, total_years):
    """OQ-23 (``years-months-days``): whether months and days added up make ``total_years``:
    12 months make a year; days make a month only from :data:`LONGEST_MONTH` on, as no month
    is longer (so 5 years + 4 years 11 months 30 days is not yet 10 years)."""
    return total_months + total_days // LONGEST_MONTH >= 12 * total_years


def first_day_with_ymd(earlier_start, earlier_end, run_start, first, total_years, months, strict, as_of, departed,
                       returned):  # fmt: skip
    """R6.4 under OQ-23's ``years-months-days`` reading: the first day from ``first`` on on which
    the qualifying periods, added as years, months and days (:func:`ymd_total`, :func:`ymd_reaches`),
    make ``total_years``. Jump ahead by the months still missing (a month has at least 28 days,
    so a jump of that many days never passes the day), then step back over any overshoot."""
    t = first
    while True:
        m, d = ymd_total(earlier_start, earlier_end, run_start, t, months, strict, as_of, departed, returned)
        if ymd_reaches(m, d, total_years):
            break
        t += max(1, 28 * (12 * total_years - m - d // LONGEST_MONTH) - 31)
    while t > first:
        m, d = ymd_total(earlier_start, earlier_end, run_start, t - 1, months, strict, as_of, departed, returned)
        if not ymd_reaches(m, d, total_years):
            break
        t -= 1
    return t


def long_residence_route(earlier_start, earlier_end, run_start, years, total_years, mar1, months, strict, as_of,
                         departed, returned, standard, moved, base, reading):  # fmt: skip
    """R6.4 (RWN 8(3)): ``years`` (2) years of toelating immediately before the request,
    after at least ``total_years`` (10) years of toelating and main residence in total.

    The length of earlier interruptions does not matter, so the route needs toelating
    before the current run (``earlier_*``). Breaks restart the 2 years (R5.3); the total
    can end later than the 2 years, and a break between the two restarts the 2 years
    again, until none is left. "In total" is read as ``reading`` says (OQ-23,
    :data:`TOTAL_READINGS`): :func:`first_day_with` or :func:`first_day_with_ymd`. Shown only
    when it comes before the standard route's date (``standard``). Returns ``(reason, start,
    eligible, abroad, count)`` with a :data:`ROUTE_REASONS` code; moved absences as in
    :func:`apply_breaks`, every restart's in order.
    """
    if len(earlier_start) == 0:
        return NO_EARLIER, NA, NA, -1, 0
    start, t, count = run_start, NA, 0
    while True:
        moved_start, abroad, k = apply_breaks(start, years, t, mar1, months, strict, as_of, departed, returned, moved,
                                              base + count)  # fmt: skip
        count += k
        if abroad >= 0:
            return ABROAD, NA, NA, abroad, count
        if t != NA and moved_start == start:
            break
        start = moved_start
        first = period_complete(start, years, mar1)
        if reading == YEARS_MONTHS_DAYS:
            t = first_day_with_ymd(earlier_start, earlier_end, run_start, first, total_years, months, strict, as_of,
                                   departed, returned)  # fmt: skip
        else:
            t = first_day_with(earlier_start, earlier_end, run_start, first, total_years, months, strict, as_of,
                               departed, returned)  # fmt: skip
    if standard != NA and standard <= t:
        return STANDARD_FIRST, start, t, -1, count
    return OPEN, start, t, -1, count


# --------------------------------------------------------------------------- R5.2


def eu_segments(start, run_end, p_start, p_end, p_weight, end_order, seg_start, seg_end, seg_weight, base):
    """R5.2: the weights (quarter days: 4 for a day that counts in full, 2 for own study)
    of ``[start, run_end)`` piece by piece: on each piece the largest weight of the
    periods that cover it (``p_*`` sorted by start, ``end_order`` their positions in order
    of end). A sweep: each period is added and removed once.

    Writes pieces ``(seg_start, seg_end, seg_weight)`` at ``base`` on (``seg_end`` INF: open)
    and returns their number; none when the clock starts on or after the run's end.
    """
    if run_end != INF and start >= run_end:
        return 0
    covering = [0, 0, 0, 0, 0]  # periods covering the piece, by weight
    n, i, j, count, a = len(p_start), 0, 0, 0, start
    while True:
        while i < n and p_start[i] <= a:
            covering[p_weight[i]] += 1
            i += 1
        while j < n and p_end[end_order[j]] <= a:
            covering[p_weight[end_order[j]]] -= 1
            j += 1
        w = 0
        for weight in range(5):
            if covering[weight] > 0:
                w = weight
        b = p_start[i] if i < n else INF
        if j < n and p_end[end_order[j]] < b:
            b = p_end[end_order[j]]
        if run_end < b:
            b = run_end
        seg_start[base + count], seg_end[base + count], seg_weight[base + count] = a, b, w
        count += 1
        if b == INF or b >= run_end:
            return count
        a = b


def eu_accrued(seg_start, seg_end, seg_weight, base, count, t):
    """R5.2: weighted days (quarter days) accrued before ``t``. A half-weighted period (own
    study) credits half its days rounded up to a whole day, so "4 years of study count as
    2 years" as in the R5.2 worked example (1461 / 2 = 730.5 days is credited as 731)."""
    total = 0
    for k in range(base, base + count):
        if seg_start[k] >= t:
            break
        end = t if seg_end[k] == INF or seg_end[k] > t else seg_end[k]
        total += -(-seg_weight[k] * (end - seg_start[k]) // 4) * 4
    return total


def eu_days_abroad(window, t, as_of, departed, returned, shift):
    """R5.2: days abroad in ``[window + shift, t)``; departure and return days are present and
    an absence with no return date counts up to ``as_of`` (what is known)."""
    total = 0
    for i in range(len(departed)):
        lo = max(departed[i] + 1, window + shift)
        hi = min(as_of if returned[i] == NA else returned[i], t)
        total += max(0, hi - lo)
    return total


def eu_still_abroad(window, t, as_of, departed, returned, total_months, month_days, cap):
    """R5.2: days (1 to ``cap``) the date moves on while the absences in the ``window`` ending
    on ``t`` stay at ``total_months`` or more: every day before the result is still too long.

    Over ``j`` days the window's start moves at most ``j + 2`` days (the 5 years are 1825 to
    1827 days long) and no absence's end moves back, so the days abroad stay at least
    ``eu_days_abroad(window, t, ..., j + 2)``; the smallest ``j`` at which that bound falls
    below the limit is found by bisection.
    """
    limit = int(total_months * month_days)  # the most days abroad that stay below the limit
    if limit / month_days >= total_months:
        limit -= 1
    low, high = 1, max(cap, 1)
    while low < high:
        mid = (low + high) // 2
        if eu_days_abroad(window, t, as_of, departed, returned, mid + 2) <= limit:
            high = mid
        else:
            low = mid + 1
    return low


def eu_long_term(start, run_start, run_end, p_start, p_end, p_weight, end_order, as_of, departed, returned, fixed,
                 years, target_days, fixed_target, search_days, total_months, month_days, seg_start, seg_end,
                 seg_weight, base):  # fmt: skip
    """R5.2 (Vw 45b): the first day T on which the ``years`` (5) years before it hold enough
    weighted residence, from the clock's ``start`` on, and the absences in those years stay
    below ``total_months`` (10) months in total (days abroad / ``month_days``).

    Enough: the calendar length of the years before T (OQ-9; never below ``target_days``
    days), or a fixed ``fixed_target`` quarter days (``fixed`` = 1). A run that ends
    (``run_end``) is assumed to go on with its last permit's purpose (the first of the
    latest-starting periods in it), its extension. The search steps at most
    ``search_days`` days past the first day with ``target_days`` accrued, over the days on
    which the absences are too long at once (:func:`eu_still_abroad`).

    Returns ``(accrues, eligible, pushed, count)``: ``accrues`` 0 when the run goes on in a
    purpose that does not count and too little has accrued (no date); ``pushed`` 1 when
    the absences moved the date; ``count`` pieces written as :func:`eu_segments`.
    """
    count = eu_segments(start, run_end, p_start, p_end, p_weight, end_order, seg_start, seg_end, seg_weight, base)
    if run_end != INF:
        last = -1
        for k in range(len(p_start)):
            if run_start <= p_start[k] < run_end and (last < 0 or p_start[k] > p_start[last]):
                last = k
        seg_start[base + count], seg_end[base + count] = run_end, INF
        seg_weight[base + count] = p_weight[last] if last >= 0 else 0
        count += 1
    end = base + count - 1
    if seg_weight[end] == 0 and seg_end[end] == INF:
        if eu_accrued(seg_start, seg_end, seg_weight, base, count, seg_start[end]) < 4 * target_days:
            return 0, NA, 0, count
    # Lower bound: the first day the accrual reaches target_days; a day accrues at most 4
    # quarter days (plus < 4 of rounding), so the jump never overshoots.
    t = start + target_days
    while True:
        missing = 4 * target_days - eu_accrued(seg_start, seg_end, seg_weight, base, count, t)
        if missing <= 0:
            break
        t += max(1, (missing - 4) // 4)
    pushed, last = 0, t + search_days
    while t < last:
        window = add_years(t, -years)
        too_long = eu_days_abroad(window, t, as_of, departed, returned, 0) / month_days >= total_months
        target = fixed_target if fixed else 4 * (t - window)
        if eu_accrued(seg_start, seg_end, seg_weight, base, count, t) >= target and not too_long:
            break
        step = 1
        if too_long:
            pushed = 1
            step = eu_still_abroad(window, t, as_of, departed, returned, total_months, month_days, last - t)
        t += step
    return 1, t, pushed, count


# --------------------------------------------------------------------------- table runners


def run_eu(
    run_start, run_end, p_off, p_start, p_end, p_weight, end_order, as_of, ab_off, departed, returned, mar1, fixed,
    years, months, target_days, fixed_target, search_days, total_months, month_days,
    moved, seg_start, seg_end, seg_weight, eligible,
):  # fmt: skip
    """R5.2 for every case with a run (``run_start`` not NA): :func:`apply_breaks` (an absence
    of ``months[c]`` or more) then :func:`eu_long_term`; ``eligible`` NA when there is no date.
    Periods of case ``c`` at ``p_off[c]:p_off[c + 1]`` in the order of the single case's
    residence periods (``end_order`` local to the case); absences as in :func:`run_clocks`;
    the ``seg_*`` scratch holds one case's pieces. The terms (``years``, ``months``,
    ``target_days``, ``fixed_target``, ``total_months``) are each case's own, in force on
    its date."""
    for c in range(len(run_start)):
        eligible[c] = NA
        if run_start[c] == NA:
            continue
        lo, hi, p, q = ab_off[c], ab_off[c + 1], p_off[c], p_off[c + 1]
        start, stop, _ = apply_breaks(
            run_start[c], years[c], NA, mar1[c], months[c], 0, as_of[c], departed[lo:hi], returned[lo:hi], moved, lo
        )
        if stop >= 0:
            continue
        accrues, t, _, _ = eu_long_term(
            start, run_start[c], run_end[c], p_start[p:q], p_end[p:q], p_weight[p:q], end_order[p:q], as_of[c],
            departed[lo:hi], returned[lo:hi], fixed[c], years[c], target_days[c], fixed_target[c], search_days,
            total_months[c], month_days, seg_start, seg_end, seg_weight, 0,
        )  # fmt: skip
        if accrues:
            eligible[c] = t


def run_rows_on_request(complete, valid_from, valid_to, row, day):
    """:func:`row_on_request` for every case: ``complete[k, c]`` is case ``c``'s completion
    under row ``k``."""
    for c in range(complete.shape[1]):
        row[c], day[c] = row_on_request(complete[:, c], valid_from, valid_to)


def run_standard(run_start, years, not_before, mar1, months, strict, as_of, ab_off, departed, returned, moved,
                 eligible, abroad):  # fmt: skip
    """:func:`standard_route` for every case with a run (``run_start`` not NA; else NA), under
    the term ``years[c]`` from ``not_before[c]`` and the absence limit ``months[c]``; ``abroad[c]`` 1 when an
    absence stops the clock."""
    for c in range(len(run_start)):
        eligible[c], abroad[c] = NA, 0
        if run_start[c] == NA:
            continue
        lo, hi = ab_off[c], ab_off[c + 1]
        _, stop, _, eligible[c] = standard_route(
            run_start[c], years[c], mar1[c], months[c], strict[c], as_of[c], departed[lo:hi], returned[lo:hi],
            not_before[c], moved, lo,
        )  # fmt: skip
        abroad[c] = 1 if stop >= 0 else 0


def run_clocks(
    as_of, run_start, run_index, cov_off, cov_start, cov_end, first_start, birth, ab_off, departed, returned,
    mar1, strict, decision, decision_days, standard,
    has_relationship, unmarried, married, dutch, separated, divorced, cohabitation, in_kingdom, abroad_cohabitation,
    min_age, pr_years, pr_from, months, decision_months, spouse_years, spouse_from, partner_years, partner_from,
    long_years, long_total_years, reading, moved, permanent_complete, permanent, spouse, partner, long_residence,
):  # fmt: skip
    """R5.1, R6.2-R6.4 for every case: the earliest dates (NA: none); the standard route's
    (R6.1, :func:`run_standard`) is given. ``run_start`` is the start of the span of coverage
    that holds ``as_of`` (NA: none), ``run_index`` its position in ``cov_*``; absences of case
    ``c`` at ``ab_off[c]:ab_off[c + 1]``, sorted by departure. The terms are each case's own
    (``min_age[c]``, ...); a term chosen on the request date (R6.5: permanent residence, spouse,
    partner) counts from its row's first day (``*_from[c]``, NA: none); ``reading[c]`` is the
    OQ-23 reading of R6.4's total (:data:`TOTAL_READINGS`). ``permanent_complete``
    is the day the permanent-residence years are complete (before the decision period)."""
    for c in range(len(as_of)):
        lo, hi = ab_off[c], ab_off[c + 1]
        dep, ret = departed[lo:hi], returned[lo:hi]
        reason, _, _, day = spouse_route(
            has_relationship[c], unmarried[c], married[c], dutch[c], separated[c], divorced[c], cohabitation[c],
            in_kingdom[c], spouse_years[c], mar1[c], spouse_from[c],
        )  # fmt: skip
        spouse[c] = day if reason == OPEN else NA
        permanent_complete[c], permanent[c], partner[c], long_residence[c] = NA, NA, NA, NA
        if run_start[c] == NA:
            continue
        _, _, _, _, permanent_complete[c], permanent[c] = permanent_residence(
            run_start[c], birth[c], mar1[c], min_age[c], pr_years[c], months[c], strict[c], as_of[c], dep, ret,
            decision[c], decision_days[c], decision_months, pr_from[c], moved, lo,
        )  # fmt: skip
        if partner_applies(has_relationship[c], unmarried[c], dutch[c], separated[c]) == OPEN:
            partner[c] = partner_route(
                run_start[c], first_start[c], cohabitation[c], abroad_cohabitation[c], partner_years[c], mar1[c],
                months[c], strict[c], as_of[c], dep, ret, partner_from[c], moved, lo,
            )[4]  # fmt: skip
        e = cov_off[c]
        reason, _, day, _, _ = long_residence_route(
            cov_start[e:run_index[c]], cov_end[e:run_index[c]], run_start[c], long_years[c], long_total_years[c],
            mar1[c], months[c], strict[c], as_of[c], dep, ret, standard[c], moved, lo, reading[c],
        )  # fmt: skip
        long_residence[c] = day if reason == OPEN else NA


def run_add_years(days, years, out):
    """:func:`add_years` over an array (the synthetic case generator's terms)."""
    for k in range(len(days)):
        out[k] = add_years(days[k], years)


def run_iso_days(offsets, text, valid, first, rows, days, bad):
    """:func:`iso_day` over the ``rows`` of an Arrow text column (its buffers: value offsets,
    bytes, validity bits, ``first`` the array's offset; no bits: every value present): the
    day numbers into ``days`` (``NA``: absent or not a date) and ``bad`` (present, not a date)."""
    for j in range(len(rows)):
        i = first + rows[j]
        if len(valid) and not (valid[i >> 3] >> (i & 7)) & 1:
            days[j] = NA
            bad[j] = False
            continue
        day = iso_day(text, offsets[i], offsets[i + 1])
        days[j] = day
        bad[j] = day == NA
