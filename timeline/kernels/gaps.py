"""Residence gaps (DC-6, verblijfsgat), written once over integer day numbers.

A prototype for issue 15, option (c): the rule is plain Python over one case's day
numbers and per-case sequences (lists for a single case, array slices in batch). The
single case runs it interpreted (no numpy import); :mod:`timeline.kernels.table` runs the
same functions compiled with numba over a whole table.

Conventions of the kernels
--------------------------
- A day is ``date.toordinal() - date(1970, 1, 1).toordinal()`` (:func:`day_number`).
- :data:`NA` marks a missing date, :data:`INF` an open end (a period still running).
- Periods are half-open ``[start, end)`` (DC-1).
- Codes, not strings: the kinds and outcomes are positions in
  :data:`timeline.model.APPLICATION_KINDS` and :data:`timeline.model.OUTCOMES`, the start
  bases positions in :data:`BASES`, the causes positions in :data:`GAP_CAUSES`. The
  caller turns codes into record names and explanations.

References
----------
- DC-6: every day from the start of the first permit up to ``as_of`` without toelating
  is a day of a residence gap; procedural stay (R4.5, Vw 8 f-h) is shown but does not
  close a gap.
"""

from __future__ import annotations

from datetime import date

from ..model import APPLICATION_KINDS, OUTCOMES, PERMIT_APPLICATION_KINDS

__all__ = ["BASES", "GAP_CAUSES", "INF", "NA", "day_number", "find_gaps", "gap_cause", "procedural_days"]

NA = -(1 << 31)  #: a missing date
INF = (1 << 31) - 1  #: an open end
EPOCH = date(1970, 1, 1).toordinal()

#: Why a gap begins (DC-6), in the order the rule tries them.
GAP_CAUSES = (
    "withdrawal",
    "conditions-met-later",
    "late-application",
    "new-application",
    "application-pending",
    "application-refused",
    "expired",
)
WITHDRAWAL, CONDITIONS_MET_LATER, LATE_APPLICATION, NEW_APPLICATION, PENDING_APP, REFUSED_APP, EXPIRED = range(7)
#: How a permit's start was found (R1.2, R1.4, R4.1, R4.2).
BASES = ("recorded", "printed", "timely", "tolerance", "excused", "received", "conditions-met")
CONDITIONS_MET = BASES.index("conditions-met")

EXTENSION = APPLICATION_KINDS.index("extension")
CHANGE_OF_PURPOSE = APPLICATION_KINDS.index("change-of-purpose")
PERMIT_KINDS = tuple(APPLICATION_KINDS.index(k) for k in PERMIT_APPLICATION_KINDS)
PENDING = OUTCOMES.index("pending")
REFUSED = OUTCOMES.index("refused")
#: Where the record a cause names lives: the permit chain or the applications.
IN_CHAIN, IN_APPLICATIONS, NOWHERE = 0, 1, -1


def day_number(d: date | None, missing: int = NA) -> int:
    """A date as a kernel day number; ``None`` as ``missing`` (:data:`NA` or :data:`INF`)."""
    return missing if d is None else d.toordinal() - EPOCH


def find_gaps(cov_start, cov_end, first_start, as_of, gap_start, gap_end, n):
    """DC-6: the days from ``first_start`` up to ``as_of`` that no permit covers.

    ``cov_start``/``cov_end`` are the merged coverage of the permit chain, sorted and
    disjoint. Each gap goes into ``gap_start[n]``, ``gap_end[n]``, ``n + 1``, ...; a gap
    still going on at ``as_of`` gets the end :data:`NA` (it has no end yet), a gap
    closed by a permit starting on ``as_of`` keeps that end. Returns the new ``n``.
    """
    if first_start == NA or as_of <= first_start:
        return n
    day = first_start  # the first day not yet known to be covered
    for k in range(len(cov_start)):
        if cov_start[k] > as_of or day >= as_of:
            break
        if cov_end[k] <= day:
            continue
        if cov_start[k] > day:  # toelating stops on `day` and resumes on cov_start[k]
            gap_start[n], gap_end[n] = day, cov_start[k]
            n += 1
        day = cov_end[k]
    if day < as_of:  # no permit on as_of: the gap is still going on
        gap_start[n], gap_end[n] = day, NA
        n += 1
    return n


def gap_cause(
    start, end, as_of, p_start, p_end, p_granted_end, p_withdrawn, p_received, p_basis, p_kind,
    a_kind, a_outcome, a_received, a_decided,
):  # fmt: skip
    """DC-6: why toelating stops on ``start``; returns ``(cause, where, position)``.

    The permit chain ``p_*`` is in the order it was built (recorded permits, then the
    derived ones), including permits a withdrawal emptied; ``p_end`` is the end after
    withdrawal, ``p_granted_end`` the end as granted (:data:`INF`: indefinite). The
    applications ``a_*`` are in file order. ``end`` is :data:`NA` for a gap still going on.
    The first answer that applies:

    1. a withdrawal ended a permit early on ``start``;
    2. the next permit, derived from an application, starts on ``end``: its conditions
       were shown later, it came from a late extension or change of purpose, or from a
       new application;
    3. a permit application still pending, then one refused, touches the gap;
    4. else the permit simply expired on ``start`` (``NOWHERE`` if no permit ended then).
    """
    for i in range(len(p_start)):
        if p_withdrawn[i] and p_end[i] == start and p_end[i] < p_granted_end[i]:
            return WITHDRAWAL, IN_CHAIN, i
    if end != NA:
        for i in range(len(p_start)):
            if p_start[i] == end and p_received[i] != NA:
                if p_basis[i] == CONDITIONS_MET:
                    return CONDITIONS_MET_LATER, IN_CHAIN, i
                if p_kind[i] == EXTENSION or p_kind[i] == CHANGE_OF_PURPOSE:
                    return LATE_APPLICATION, IN_CHAIN, i
                return NEW_APPLICATION, IN_CHAIN, i
    until = as_of if end == NA else end
    for outcome, cause in ((PENDING, PENDING_APP), (REFUSED, REFUSED_APP)):
        for j in range(len(a_kind)):
            touches = a_received[j] < until and (a_decided[j] == NA or a_decided[j] >= start)
            if a_outcome[j] == outcome and touches and a_kind[j] in PERMIT_KINDS:
                return cause, IN_APPLICATIONS, j
    for i in range(len(p_start)):
        if p_end[i] == start:
            return EXPIRED, IN_CHAIN, i
    return EXPIRED, NOWHERE, -1


def procedural_days(start, until, b_start, b_end):
    """R4.5: the days of ``[start, until)`` with procedural stay (``b_*`` sorted by start).

    Overlapping stays count once; the days are shown with the gap but do not close it.
    """
    total = 0
    day = start  # the first day not yet counted
    for k in range(len(b_start)):
        lo = max(b_start[k], day)
        hi = min(b_end[k], until)
        if hi > lo:
            total += hi - lo
            day = hi
    return total
