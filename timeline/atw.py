"""Dutch statutory deadlines: holidays and the Algemene termijnenwet (ATW).

A term set in a *wet* or an *AMvB* (for example the four-week notification duty of
Vb 4.43/4.44a or the four-week objection term of Vw 69(1)) that ends on a Saturday,
Sunday or "algemeen erkende feestdag" is extended to the next day that is none of
those (ATW art. 1), and a term of at least three days must contain at least two such
working days (ATW art. 2). This module holds the holiday calendar of ATW art. 3 and
the deadline computation of DC-4 / R8.1 (docs/rules.md).

The holiday set is the current text of ATW art. 3: New Year's Day, Good Friday
(art. 3(2)), Easter Monday, King's Day, 5 May (every year), Ascension Day, Whit
Monday, Christmas Day and Boxing Day, plus the days equated with a holiday by Royal
Decree (art. 3(3)), which are kept in the data table ``rules/equated_days.csv``.
Easter Sunday and Whit Sunday are not listed: they are Sundays anyway. Each day carries
its English name, which is also its key in the text catalogues (context "holiday",
:func:`timeline.i18n.holiday_name` gives it in any language).

Equated days are published roughly every three years, one decree per three-year
period (2023-2025, 2026-2028). For a year outside the recorded periods the calendar
may miss a bridge day; :func:`decree_covers` and :attr:`Deadline.decree_covered` say
so, and callers warn.

References
----------
- Algemene termijnenwet (ATW), arts. 1-5
  <https://wetten.overheid.nl/BWBR0002448>: art. 1 roll-forward (1(2): not for terms
  counted backwards), art. 2 two working days, art. 3 holidays and equated days,
  art. 4(a) exclusions (hours; more than 90 days / 12 weeks / 3 months; one or more
  years), art. 5 AMvB terms. In force since 1 April 1965 (art. 7).
- DC-4 (ATW roll-forward as a global date convention) and R8.1 (ATW text,
  holiday set, equated-days decrees, 2025-2027 table); worked examples R2.2, R8.2.
- Besluit gelijkstelling van 28 april 2023, 19 mei 2023, 10 mei 2024, 27 december
  2024 en 30 mei 2025 met een algemeen erkende feestdag; Besluit gelijkstelling van
  2 januari 2026, 15 mei 2026, 7 mei 2027, 28 april 2028 en 26 mei 2028 met een
  algemeen erkende feestdag (decree titles)
  <https://sterfgeval.nl/juridisch/overige/vragen-van-uitvaartondernemers/gemeentelijke-feestdag-bij-lijkbezorging-feestdagen-in-2026-2028/70745>
- King's Day on 27 April, the day before when 27 April is a Sunday
  <http://www.koninklijkhuis.nl/encyclopedie/monarchie/koningsdag/>
- Queen's Day before 2014 (30 April; when a Sunday: 1 May until 1979, 29 April from
  1980) <https://overzicht-feestdagen.nl/feestdagen/Koningsdag.html>
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

from .dates import UNITS, Term

__all__ = [
    "DECREE_CYCLE_START",
    "DECREE_CYCLE_YEARS",
    "Deadline",
    "deadline",
    "decree_covers",
    "decree_years",
    "easter",
    "is_non_working_day",
    "non_working_reason",
    "roll_forward",
    "statutory_holidays",
]

#: The equated-days decrees (ATW art. 3(3)) each cover a whole three-year period;
#: the periods are aligned on 2023 (2023-2025, 2026-2028, ...). A year counts as
#: covered when the CSV holds a day of a decree whose period contains that year,
#: even if that decree equated no day in that particular year.
DECREE_CYCLE_START = 2023
DECREE_CYCLE_YEARS = 3

_ONE_DAY = timedelta(days=1)

_WEEKEND = {5: "Saturday", 6: "Sunday"}

# The lazily loaded equated-days table: {date: English name} and covered years.
_equated: dict[date, str] | None = None
_covered_years: frozenset[int] = frozenset()
# statutory_holidays() per year; read-only internally, copied for callers.
_holiday_cache: dict[int, dict[date, str]] = {}


def easter(year: int) -> date:
    """Easter Sunday in the Gregorian calendar (python-dateutil's :func:`dateutil.easter.easter`).

    dateutil.easter imports only datetime and math (about 1 ms of the start-up of
    ``timeline assess``); tests/test_atw.py checks it against the Meeus/Jones/Butcher
    computus and a hand list.

    Parameters
    ----------
    year : int
        Gregorian calendar year.

    Returns
    -------
    datetime.date
        Easter Sunday of ``year``.

    Examples
    --------
    >>> easter(2026)
    datetime.date(2026, 4, 5)
    >>> easter(2024)
    datetime.date(2024, 3, 31)
    """
    import dateutil.easter

    return dateutil.easter.easter(year, dateutil.easter.EASTER_WESTERN)


def _load_equated() -> dict[date, str]:
    """Read ``rules/equated_days.csv`` once and derive the covered decree years."""
    global _equated, _covered_years
    if _equated is not None:
        return _equated
    # Not importlib.resources: importing it costs about 18 ms, and the CLI has a
    # start-up budget. The table sits next to this module, so a path relative to
    # __file__ finds it in a source checkout and in an installed (unzipped) wheel.
    # csv is imported here, on first use, for the same reason; os.path (already loaded by
    # the interpreter) instead of pathlib, which costs about 4 ms more.
    import csv
    import os.path

    table: dict[date, str] = {}
    periods: dict[str, set[int]] = {}
    path = os.path.join(os.path.dirname(__file__), "rules", "equated_days.csv")
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            day = date.fromisoformat(row["date"])
            table[day] = row["name_en"]
            start = DECREE_CYCLE_START + (day.year - DECREE_CYCLE_START) // DECREE_CYCLE_YEARS * DECREE_CYCLE_YEARS
            periods.setdefault(row["decree"], set()).add(start)
    covered: set[int] = set()
    for decree, starts in periods.items():
        if len(starts) != 1:
            raise ValueError(
                f"{path}: decree {decree!r} equates days in more than one "
                f"{DECREE_CYCLE_YEARS}-year period starting {sorted(starts)}; "
                "fix the table or DECREE_CYCLE_START"
            )
        start = starts.pop()
        covered.update(range(start, start + DECREE_CYCLE_YEARS))
    _covered_years = frozenset(covered)
    _equated = table
    return table


def decree_covers(year: int) -> bool:
    """Whether the equated-days decree for ``year`` is recorded (ATW art. 3(3)).

    True for the years of every three-year decree period that has a row in
    ``rules/equated_days.csv`` (currently 2023 to 2028). For other years
    :func:`statutory_holidays` lists only the days of ATW art. 3(1)-(2), and a
    bridge day equated by an unrecorded decree may be missing.

    Examples
    --------
    >>> decree_covers(2026), decree_covers(2029)
    (True, False)
    """
    _load_equated()
    return year in _covered_years


def decree_years() -> tuple[int, int]:
    """The first and last year covered by a recorded equated-days decree.

    Derived from ``rules/equated_days.csv`` and :data:`DECREE_CYCLE_YEARS`; see
    :func:`decree_covers` (which also handles a future hole between periods).

    Examples
    --------
    >>> decree_years()
    (2023, 2028)
    """
    _load_equated()
    return min(_covered_years), max(_covered_years)


def _monarchs_day(year: int) -> tuple[date, str]:
    """King's Day, or Queen's Day before 2014 (ATW art. 3(1) "verjaardag van de Koning")."""
    if year >= 2014:
        # 27 April; celebrated on Saturday 26 April when 27 April is a Sunday [S9].
        day = date(year, 4, 27)
        if day.weekday() == 6:
            day -= _ONE_DAY
        return day, "King's Day"
    # Queen's Day, 30 April from 1949; when a Sunday: Monday 1 May until 1979,
    # Saturday 29 April from 1980. Earlier years (31 August) predate the ATW.
    day = date(year, 4, 30)
    if day.weekday() == 6:
        day += _ONE_DAY if year < 1980 else -_ONE_DAY
    return day, "Queen's Day"


def _holidays(year: int) -> dict[date, str]:
    """The cached holiday mapping of ``year`` (do not mutate)."""
    cached = _holiday_cache.get(year)
    if cached is not None:
        return cached
    sunday = easter(year)
    entries = [
        (date(year, 1, 1), "New Year's Day"),
        (sunday - timedelta(days=2), "Good Friday"),
        (sunday + _ONE_DAY, "Easter Monday"),
        _monarchs_day(year),
        (date(year, 5, 5), "Liberation Day"),
        (sunday + timedelta(days=39), "Ascension Day"),
        (sunday + timedelta(days=50), "Whit Monday"),
        (date(year, 12, 25), "Christmas Day"),
        (date(year, 12, 26), "Boxing Day"),
    ]
    entries += [(d, name) for d, name in _load_equated().items() if d.year == year]
    result: dict[date, str] = {}
    for day, name in entries:
        # Two holidays on one day: 5 May was also Ascension Day in 2005 and 2016.
        result[day] = f"{result[day]}; {name}" if day in result else name
    result = dict(sorted(result.items()))
    _holiday_cache[year] = result
    return result


def statutory_holidays(year: int) -> dict[date, str]:
    """The ATW "algemeen erkende feestdagen" and equated days of ``year``.

    ATW art. 3(1): New Year's Day, Easter Monday (tweede Paasdag), Whit Monday
    (tweede Pinksterdag), Christmas Day and Boxing Day (beide Kerstdagen),
    Ascension Day, the day on which the King's birthday is celebrated and 5 May
    (every year). Art. 3(2): Good Friday. Art. 3(3): days equated by Royal Decree,
    from ``rules/equated_days.csv`` (see :func:`decree_covers`).

    King's Day is 27 April, or Saturday 26 April when 27 April is a Sunday. Before
    2014 the day is Queen's Day, 30 April, moved to Monday 1 May (until 1979) or
    Saturday 29 April (from 1980) when 30 April was a Sunday. Historical amendments
    of the list in art. 3(1) itself are not modelled.

    Parameters
    ----------
    year : int
        Calendar year.

    Returns
    -------
    dict of datetime.date to str
        Each day, in date order, mapped to its English name (the key of its name in
        every language, :func:`timeline.i18n.holiday_name`). Two holidays on one day
        share an entry with both names joined by "; ".

    Examples
    --------
    >>> statutory_holidays(2025)[date(2025, 4, 26)]
    "King's Day"
    >>> len(statutory_holidays(2026))
    11
    """
    return dict(_holidays(year))


def non_working_reason(d: date) -> str | None:
    """Why ``d`` is not a working day in the sense of the ATW, or ``None``.

    A holiday name wins over the weekday: Saturday 26 December 2026 gives
    ``"Boxing Day"``.

    Parameters
    ----------
    d : datetime.date
        The day.

    Returns
    -------
    str or None
        The English name of the holiday (:func:`timeline.i18n.holiday_name` gives it
        in any language), or ``"Saturday"`` / ``"Sunday"``; ``None`` for a working day.

    Examples
    --------
    >>> non_working_reason(date(2026, 4, 6))
    'Easter Monday'
    >>> non_working_reason(date(2026, 4, 4))
    'Saturday'
    >>> non_working_reason(date(2026, 4, 7)) is None
    True
    """
    name = _holidays(d.year).get(d)
    if name is not None:
        return name
    return _WEEKEND.get(d.weekday())


def is_non_working_day(d: date) -> bool:
    """Whether ``d`` is a Saturday, Sunday or ATW holiday / equated day (ATW arts. 1, 3).

    Examples
    --------
    >>> is_non_working_day(date(2025, 5, 5)), is_non_working_day(date(2025, 5, 6))
    (True, False)
    """
    return d.weekday() >= 5 or d in _holidays(d.year)


def roll_forward(d: date) -> date:
    """ATW art. 1(1) alone: ``d`` itself or the next day that is not a non-working day.

    Examples
    --------
    >>> roll_forward(date(2026, 4, 3))
    datetime.date(2026, 4, 7)
    """
    while is_non_working_day(d):
        d += _ONE_DAY
    return d


class Deadline(NamedTuple):
    """A computed deadline with its explanation (DC-2, DC-3, DC-4).

    Attributes
    ----------
    event : datetime.date
        The triggering event; the term starts the day after (DC-2).
    term : Term
        The term.
    raw : datetime.date
        ``term.after(event)``: the last day on which the act is in time before any
        ATW extension (DC-2, DC-3).
    deadline : datetime.date
        The last day on which the act is in time, after the ATW (``raw`` when the
        ATW does not apply).
    atw_applied : bool
        Whether ATW arts. 1-2 were applied.
    atw_reason : str
        Why the ATW does or does not apply, citing the article.
    skipped : tuple of (datetime.date, str)
        Each non-working day in ``[raw, deadline)``, with its English name
        (:func:`non_working_reason`): the days the deadline was moved past.
    art2_extended : bool
        Whether ATW art. 2 (two working days) moved the deadline beyond the art. 1
        roll-forward.
    decree_covered : bool
        False when a day whose status decided the result lies in a year with no
        recorded equated-days decree (see :func:`decree_covers`): the deadline may
        then miss a bridge day. Always True when the ATW is not applied, since the
        result then does not depend on the holiday calendar.
    """

    event: date
    term: Term
    raw: date
    deadline: date
    atw_applied: bool
    atw_reason: str
    skipped: tuple[tuple[date, str], ...]
    art2_extended: bool
    decree_covered: bool


def _art4_exclusion(term: Term) -> str | None:
    """The ATW art. 4(a) clause that excludes ``term`` ("terms of ..."), or ``None``."""
    if term.unit == "years":
        return "terms of one or more years" if term.amount >= 1 else None
    limit, words = {"days": (90, "90 days"), "weeks": (12, "twelve weeks"), "months": (3, "three months")}[term.unit]
    return f"terms of more than {words}" if term.amount > limit else None


def _atw_decision(term: Term, statutory: bool, atw: bool | None) -> tuple[bool, str]:
    """Whether ATW arts. 1-2 apply to ``term``, and why."""
    if term.amount < 0:
        return False, "ATW art. 1(2): terms counted backwards are excluded"
    excluded = _art4_exclusion(term)
    if atw is False:
        return False, "ATW not applied: switched off by the caller (atw=False)"
    if atw is True:
        notes = []
        if not statutory:
            notes.append("the term is not set in a wet or AMvB")
        if excluded:
            notes.append(f"art. 4(a) excludes {excluded}")
        note = f", although {' and '.join(notes)}" if notes else ""
        return True, f"ATW arts. 1-2 applied by choice (atw=True){note}"
    if not statutory:
        return False, "ATW not applied: not a term set in a wet or AMvB (ATW arts. 1(1), 5)"
    if excluded:
        return False, f"ATW art. 4(a): {excluded} are excluded"
    return True, (
        f"ATW arts. 1-2 apply (art. 5 for AMvB terms): a statutory term of {term} is not excluded by art. 4(a)"
    )


def _working_days_back(first: date, last: date) -> tuple[int, date]:
    """Count working days in ``[first, last]`` from the end, stopping at two.

    Returns the count (0, 1 or 2) and the earliest day examined.
    """
    count, d = 0, last
    while d >= first:
        if not is_non_working_day(d):
            count += 1
            if count == 2:
                return count, d
        d -= _ONE_DAY
    return count, first


def deadline(event: date, term: Term, *, statutory: bool = True, atw: bool | None = None) -> Deadline:
    """The last day on which an act is in time: ``event`` plus ``term``, after the ATW.

    ``raw = term.after(event)`` (DC-2, DC-3). ATW arts. 1-2 (DC-4, R8.1) apply
    when ``atw`` is True, or when ``atw`` is None, ``statutory`` is True and ATW
    art. 4(a) does not exclude the term (more than 90 days, more than twelve weeks,
    more than three months, or one or more years; exactly 90 days, 12 weeks or
    3 months are not excluded). Terms counted backwards (``term.amount < 0``, ATW
    art. 1(2)) are never extended, whatever ``atw`` says.

    When the ATW applies:

    1. Art. 1: a term ending on a Saturday, Sunday or holiday is extended to the next
       day that is none of those.
    2. Art. 2: a term of at least three days (``raw - event``, counted from the day
       after the event) must contain at least two working days in
       ``[event + 1, deadline]``; otherwise it is extended day by day until it does.

    Parameters
    ----------
    event : datetime.date
        The triggering event; the term runs from the day after (DC-2).
    term : Term
        The term; unit days, weeks, months or years.
    statutory : bool, default True
        Whether the term is set in a *wet* or an *AMvB* (ATW arts. 1(1), 5). Policy
        terms (e.g. the 4-week late-extension tolerance, R4.2) are not.
    atw : bool or None, default None
        Force the ATW on (e.g. by analogy, OQ-4) or off; None decides by
        ``statutory`` and art. 4.

    Returns
    -------
    Deadline
        The deadline with the raw date, the days skipped and the reasons.

    Raises
    ------
    ValueError
        If ``term.unit`` is not one of days, weeks, months, years (terms in hours,
        excluded by art. 4(a), are not representable).

    Examples
    --------
    R2.2 example 1: separation on Friday 6 March 2026, four weeks, raw deadline Good
    Friday 3 April 2026:

    >>> d = deadline(date(2026, 3, 6), Term(4, "weeks"))
    >>> d.raw, d.deadline
    (datetime.date(2026, 4, 3), datetime.date(2026, 4, 7))
    >>> [name for _, name in d.skipped]
    ['Good Friday', 'Saturday', 'Sunday', 'Easter Monday']
    """
    if term.unit not in UNITS:
        raise ValueError(f"unknown term unit {term.unit!r}; valid: {', '.join(UNITS)}")
    raw = term.after(event)
    applies, reason = _atw_decision(term, statutory, atw)
    if not applies:
        return Deadline(event, term, raw, raw, False, reason, (), False, True)

    end = roll_forward(raw)
    earliest_examined = raw
    art2_extended = False
    if (raw - event).days >= 3:
        count, earliest = _working_days_back(event + _ONE_DAY, end)
        earliest_examined = min(earliest_examined, earliest)
        while count < 2:
            end += _ONE_DAY
            art2_extended = True
            if not is_non_working_day(end):
                count += 1

    skipped = []
    d = raw
    while d < end:
        name = non_working_reason(d)
        if name is not None:
            skipped.append((d, name))
        d += _ONE_DAY
    covered = all(decree_covers(y) for y in range(earliest_examined.year, end.year + 1))
    return Deadline(event, term, raw, end, True, reason, tuple(skipped), art2_extended, covered)
