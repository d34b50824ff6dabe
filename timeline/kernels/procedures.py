"""Procedures, written once over integer day numbers: objections and what they are against
(R8.2, R3.2), procedural stay (R4.5, Vw 8 f/g/h, Vw 73) and the duty to report the end
of the relationship (R2.2, OQ-2, OQ-3).

The conventions are those of :mod:`timeline.kernels.residence` (day numbers, :data:`NA`
for a missing date, :data:`INF` for an open end, codes instead of strings, results
written at ``base + i``). :mod:`timeline.rules.residence` and
:mod:`timeline.rules.notification` run these functions interpreted for one case and turn
their codes into records, explanations and warnings; :mod:`timeline.kernels.table` runs
the same functions compiled with numba over a whole table.

A deadline that needs the calendar of the Algemene termijnenwet (the objection term, the
reporting term) is not computed here: the caller computes it with the one scalar function
(:func:`timeline.rules.residence.objection_deadline`, :func:`timeline.atw.deadline`) and
passes it in as a day number.

A record is named by a pair of codes: :data:`IN_PERMITS` or :data:`IN_APPLICATIONS` and
its position in that list of the case file.

References
----------
- R8.2 (Vw 69(1), Awb 6:8, 6:9): an objection within four weeks; in time when received
  by the deadline, or posted by it and received within a week after it (the week is a
  legal parameter, ``objection_posting_grace``).
- R3.2, R4.5 (Vw 73(1), Vw 8 f/g/h): waiting for a decision, and a decision suspended
  while it can be or is being objected to, is procedural stay, not toelating.
- R2.2 (Vb 4.43, 4.44a; OQ-2): the report of the end of the relationship is due four
  weeks after the change the option ``notification_trigger`` chooses.
- OQ-3: the first report the IND received, from either party.
"""

from __future__ import annotations

from ..model import APPLICATION_KINDS, OUTCOMES, PERMIT_APPLICATION_KINDS
from .residence import INF, NA

__all__ = [
    "IN_APPLICATIONS",
    "IN_PERMITS",
    "REPORT_STATUSES",
    "STAY_BASES",
    "TRIGGER_BASES",
    "contested_withdrawals",
    "first_objection",
    "first_report",
    "is_permit_application",
    "is_refusal",
    "notification_trigger",
    "objection_target",
    "objection_timely",
    "procedural_stays",
    "report_status",
    "suspended_until",
]

#: Where a record lives: ``permits[i]`` or ``applications[j]``.
IN_APPLICATIONS, IN_PERMITS = 0, 1

OBJECTION = APPLICATION_KINDS.index("objection")
FIRST = APPLICATION_KINDS.index("first")
REFUSED = OUTCOMES.index("refused")
GRANTED = OUTCOMES.index("granted")
#: PERMIT_KIND[kind] is 1 for an application for a residence permit.
PERMIT_KIND = tuple(1 if k in PERMIT_APPLICATION_KINDS else 0 for k in APPLICATION_KINDS)

#: The basis of a procedural stay (R4.5).
STAY_BASES = ("Vw 8(f)", "Vw 8(g)", "Vw 73(1), 8(h)")
WAITING_FIRST, WAITING_OTHER, SUSPENDED = range(3)

#: What starts the reporting term (R2.2, OQ-2): the choices of ``notification_trigger``.
TRIGGER_BASES = ("separation", "reported", "divorce")
T_SEPARATION, T_REPORTED, T_DIVORCE = range(3)
#: The status of a report against its deadline (R2.2).
REPORT_STATUSES = ("on-time", "late", "missing", "not-yet-due")
ON_TIME, LATE, MISSING, NOT_YET_DUE = range(4)


# --------------------------------------------------------------------------- objections (R8.2)


def is_permit_application(kind):
    """An application for a residence permit (:data:`timeline.model.PERMIT_APPLICATION_KINDS`)."""
    return kind >= 0 and PERMIT_KIND[kind] == 1


def is_refusal(kind, outcome, decided):
    """R8.2: a refusal on record that an objection can be made against: an application
    (not itself an objection) refused on a known date."""
    return kind != OBJECTION and outcome == REFUSED and decided != NA


def objection_target(received, against_where, against_pos, p_decided, a_kind, a_outcome, a_decided):
    """R8.2, R3.2: the decision an objection received on ``received`` is against:
    ``(where, position)``, or ``(-1, -1)`` if there is none.

    The decision the objection names (``against_*``, ``where`` -1 if it names none); else
    the latest withdrawal decision (``p_decided``) or refusal (:func:`is_refusal`) made on or
    before the day the objection was received. Of decisions made on the same day, a
    withdrawal goes before a refusal, and of two of the same kind the later record in the
    case file.
    """
    if against_where >= 0:
        return against_where, against_pos
    best, where, pos = NA, -1, -1
    for j in range(len(a_kind)):  # refusals first: on a tie the withdrawals below win
        d = a_decided[j]
        if is_refusal(a_kind[j], a_outcome[j], d) and best <= d <= received:
            best, where, pos = d, IN_APPLICATIONS, j
    for i in range(len(p_decided)):
        d = p_decided[i]
        if d != NA and best <= d <= received:
            best, where, pos = d, IN_PERMITS, i
    return where, pos


def first_objection(where, pos, a_kind, t_where, t_pos):
    """R8.2: the first objection in the case file against the decision ``(where, pos)``
    (``t_*``: each application's target, :func:`objection_target`); -1 if none."""
    for j in range(len(a_kind)):
        if a_kind[j] == OBJECTION and t_where[j] == where and t_pos[j] == pos:
            return j
    return -1


def reinstated(where, pos, a_kind, a_outcome, t_where, t_pos):
    """R3.2: a withdrawal or refusal ``(where, pos)`` is undone when an objection against it
    was granted (``t_*``: each application's target, :func:`objection_target`): the permit
    runs on as if never withdrawn, a refused application counts as granted. 1 or 0."""
    for j in range(len(a_kind)):
        if a_kind[j] == OBJECTION and a_outcome[j] == GRANTED and t_where[j] == where and t_pos[j] == pos:
            return 1
    return 0


def objection_timely(received, posted, deadline, posting_end):
    """R8.2, Awb 6:9: an objection is in time when it was received by the deadline, or
    posted by the deadline (``posted``, :data:`NA` if not known) and received by
    ``posting_end``, a week after it (:func:`timeline.rules.residence.objection_posting_end`)."""
    return received <= deadline or (posted != NA and posted <= deadline and received <= posting_end)


# --------------------------------------------------------------------------- procedural stay (R4.5)


def suspended_until(deadline, posting_end, objection, a_received, a_posted, a_decided):
    """Vw 73(1), R3.2: a withdrawal or refusal is suspended until the objection term has
    passed (the day after ``deadline``), or, when an objection (``objection``, a position
    in the applications; -1 for none) was lodged in time, until the objection is decided
    (:data:`INF` while it is not)."""
    if objection >= 0 and objection_timely(a_received[objection], a_posted[objection], deadline, posting_end):
        return INF if a_decided[objection] == NA else a_decided[objection]
    return deadline + 1


def procedural_stays(
    p_decided, p_deadline, p_posting, a_kind, a_outcome, a_received, a_posted, a_decided, a_deadline, a_posting,
    t_where, t_pos, start, end, basis, where, pos, base,
):  # fmt: skip
    """R4.5: one case's procedural stay (layer B): lawful stay that is not toelating.

    - Vw 8(f), 8(g): from the receipt of an application for a residence permit until it is
      decided (a first application under (f), any other under (g)); none if it was decided
      on the day it was received.
    - Vw 8(h), 73(1): from a withdrawal decision (``p_decided``), or the refusal of an
      application for a residence permit, until :func:`suspended_until`; none if that is
      not after the decision.

    ``*_deadline`` is each decision's objection deadline
    (:func:`timeline.rules.residence.objection_deadline`; :data:`NA` where there is no
    decision) and ``*_posting`` the last day a posted objection may arrive, ``t_*`` each
    application's target (:func:`objection_target`). Each stay goes
    into ``start``, ``end`` (:data:`INF`: still going on), ``basis`` (:data:`STAY_BASES`) and
    the record it comes from (``where``, ``pos``) at ``base``, ``base + 1``, ...: the
    waiting ones in file order, then the suspensions, withdrawals first: at most
    ``len(p_decided) + 2 * len(a_kind)``. Returns the number of stays.
    """
    n = base
    for j in range(len(a_kind)):
        if is_permit_application(a_kind[j]) and (a_decided[j] == NA or a_decided[j] > a_received[j]):
            start[n], end[n] = a_received[j], INF if a_decided[j] == NA else a_decided[j]
            basis[n] = WAITING_FIRST if a_kind[j] == FIRST else WAITING_OTHER
            where[n], pos[n] = IN_APPLICATIONS, j
            n += 1
    for i in range(len(p_decided)):
        if p_decided[i] != NA:
            obj = first_objection(IN_PERMITS, i, a_kind, t_where, t_pos)
            until = suspended_until(p_deadline[i], p_posting[i], obj, a_received, a_posted, a_decided)
            if until > p_decided[i]:
                start[n], end[n], basis[n], where[n], pos[n] = p_decided[i], until, SUSPENDED, IN_PERMITS, i
                n += 1
    for j in range(len(a_kind)):
        if is_permit_application(a_kind[j]) and is_refusal(a_kind[j], a_outcome[j], a_decided[j]):
            obj = first_objection(IN_APPLICATIONS, j, a_kind, t_where, t_pos)
            until = suspended_until(a_deadline[j], a_posting[j], obj, a_received, a_posted, a_decided)
            if until > a_decided[j]:
                start[n], end[n], basis[n], where[n], pos[n] = a_decided[j], until, SUSPENDED, IN_APPLICATIONS, j
                n += 1
    return n - base


def contested_withdrawals(
    p_start, p_end, p_effective, p_decided, p_deadline, p_posting, a_kind, a_received, a_posted, t_where, t_pos,
    start, end, base,
):  # fmt: skip
    """OQ-25 (R5.2, R3.2): the retroactive part of each withdrawal that an objection lodged in
    time contests (:func:`first_objection`, :func:`objection_timely`) and that stands.

    A withdrawal of permit ``i`` (granted ``[p_start, p_end)``, :data:`INF`: open) decided on
    ``p_decided[i]`` from ``p_effective[i]`` (:data:`NA`: not withdrawn, as after a granted
    objection, :func:`reinstated`) took away the days ``[effective, decided)`` of the permit
    after the fact. A reported district-court case treated them, while under objection, as
    formally limited stay for EU long-term residence: neither counting nor breaking the five
    years. Each such span goes into ``start``, ``end`` at ``base``, ``base + 1``, ...;
    returns their number.
    """
    n = base
    for i in range(len(p_decided)):
        if p_decided[i] == NA or p_effective[i] == NA:
            continue
        lo, hi = max(p_effective[i], p_start[i]), min(p_decided[i], p_end[i])
        if lo >= hi:
            continue
        obj = first_objection(IN_PERMITS, i, a_kind, t_where, t_pos)
        if obj >= 0 and objection_timely(a_received[obj], a_posted[obj], p_deadline[i], p_posting[i]):
            start[n], end[n] = lo, hi
            n += 1
    return n - base


# --------------------------------------------------------------------------- reporting (R2.2)


def first_report(received, by, party):
    """OQ-3, R2.2: the report the IND received first (by ``party``, a position in
    :data:`timeline.model.NOTIFIERS`, or by either party if -1): its position, the earlier
    in the file on a tie; -1 if none."""
    best = -1
    for k in range(len(received)):
        if (party < 0 or by[k] == party) and (best < 0 or received[k] < received[best]):
            best = k
    return best


def notification_trigger(choice, separated, divorced, change):
    """R2.2, OQ-2: the change that starts the reporting term: ``(day, basis)``.

    ``reported`` is the earliest change date in the reports (``change``). The option
    ``notification_trigger`` (``choice``, :data:`TRIGGER_BASES`) takes the separation, else
    the reported change (``separation``); the reported change, else the separation
    (``reported``); or the divorce, else the separation, else the reported change
    (``divorce``). With no separation and no report, the divorce starts it under every
    choice: it ends a marriage at the latest on its date. :data:`NA` with the chosen basis
    when none is known.
    """
    reported = NA
    for k in range(len(change)):
        if change[k] != NA and (reported == NA or change[k] < reported):
            reported = change[k]
    if choice == T_DIVORCE and divorced != NA:
        return divorced, T_DIVORCE
    if choice == T_REPORTED:
        if reported != NA:
            return reported, T_REPORTED
        if separated != NA:
            return separated, T_SEPARATION
    else:
        if separated != NA:
            return separated, T_SEPARATION
        if reported != NA:
            return reported, T_REPORTED
    if divorced != NA:
        return divorced, T_DIVORCE
    return NA, choice


def report_status(received, deadline, as_of):
    """R2.2: a report received by the deadline is on time, after it late (with the days
    late); with none received it is missing once ``as_of`` is past the deadline, else not
    yet due. Returns ``(status, days_late)`` (:data:`REPORT_STATUSES`; :data:`NA` days when
    no report was received)."""
    if received != NA:
        if received <= deadline:
            return ON_TIME, 0
        return LATE, received - deadline
    if as_of > deadline:
        return MISSING, NA
    return NOT_YET_DUE, NA


# --------------------------------------------------------------------------- table runners
# The rules above, looped over every case of a table (rows of case ``c``: ``off[c]:off[c + 1]``).
# No rule of their own; in this file so that numba's cache follows the rules' source.


def run_objections(
    p_off, p_decided, a_off, a_kind, a_outcome, a_received, a_decided, a_against_where, a_against_pos,
    t_where, t_pos,
):  # fmt: skip
    """:func:`objection_target` of every application of every case (-1 if not an objection)."""
    for c in range(len(p_off) - 1):
        p, q, a, b = p_off[c], p_off[c + 1], a_off[c], a_off[c + 1]
        for j in range(a, b):
            t_where[j], t_pos[j] = -1, -1
            if a_kind[j] == OBJECTION:
                t_where[j], t_pos[j] = objection_target(
                    a_received[j], a_against_where[j], a_against_pos[j], p_decided[p:q], a_kind[a:b],
                    a_outcome[a:b], a_decided[a:b],
                )  # fmt: skip


def run_reinstated(p_off, a_off, a_kind, a_outcome, t_where, t_pos, p_undone, a_undone):
    """:func:`reinstated` for every permit and application of every case (1 or 0)."""
    for c in range(len(p_off) - 1):
        p, q, a, b = p_off[c], p_off[c + 1], a_off[c], a_off[c + 1]
        for i in range(q - p):
            p_undone[p + i] = reinstated(IN_PERMITS, i, a_kind[a:b], a_outcome[a:b], t_where[a:b], t_pos[a:b])
        for j in range(b - a):
            a_undone[a + j] = reinstated(IN_APPLICATIONS, j, a_kind[a:b], a_outcome[a:b], t_where[a:b], t_pos[a:b])


def run_procedural(
    p_off, p_decided, p_deadline, p_posting, a_off, a_kind, a_outcome, a_received, a_posted, a_decided, a_deadline,
    a_posting, t_where, t_pos, case, start, end, basis, where, pos,
):  # fmt: skip
    """:func:`procedural_stays` of every case: one output row per stay, in case order.
    Returns the number of stays."""
    n = 0
    for c in range(len(p_off) - 1):
        p, q, a, b = p_off[c], p_off[c + 1], a_off[c], a_off[c + 1]
        m = n + procedural_stays(
            p_decided[p:q], p_deadline[p:q], p_posting[p:q], a_kind[a:b], a_outcome[a:b], a_received[a:b],
            a_posted[a:b], a_decided[a:b], a_deadline[a:b], a_posting[a:b], t_where[a:b], t_pos[a:b], start, end,
            basis, where, pos, n,
        )  # fmt: skip
        for g in range(n, m):
            case[g] = c
        n = m
    return n


def run_contested(
    p_off, p_start, p_end, p_effective, p_decided, p_deadline, p_posting, a_off, a_kind, a_received, a_posted,
    t_where, t_pos, case, start, end,
):  # fmt: skip
    """:func:`contested_withdrawals` of every case: one output row per span, in case order.
    Returns the number of spans."""
    n = 0
    for c in range(len(p_off) - 1):
        p, q, a, b = p_off[c], p_off[c + 1], a_off[c], a_off[c + 1]
        m = n + contested_withdrawals(
            p_start[p:q], p_end[p:q], p_effective[p:q], p_decided[p:q], p_deadline[p:q], p_posting[p:q],
            a_kind[a:b], a_received[a:b], a_posted[a:b], t_where[a:b], t_pos[a:b], start, end, n,
        )  # fmt: skip
        for g in range(n, m):
            case[g] = c
        n = m
    return n


def run_first_reports(n_off, n_received, n_by, first):
    """:func:`first_report` (either party) of every case, as a row of the table (-1 if none)."""
    for c in range(len(n_off) - 1):
        lo, hi = n_off[c], n_off[c + 1]
        k = first_report(n_received[lo:hi], n_by[lo:hi], -1)
        first[c] = -1 if k < 0 else lo + k


def run_triggers(choice, separated, divorced, n_off, n_change, trigger, trigger_basis):
    """:func:`notification_trigger` of every case."""
    for c in range(len(choice)):
        trigger[c], trigger_basis[c] = notification_trigger(
            choice[c], separated[c], divorced[c], n_change[n_off[c] : n_off[c + 1]]
        )


def run_report_status(received, deadline, as_of, status, days_late):
    """:func:`report_status` of every case with a deadline (status -1 where there is none)."""
    for c in range(len(received)):
        status[c], days_late[c] = -1, NA
        if deadline[c] != NA:
            status[c], days_late[c] = report_status(received[c], deadline[c], as_of[c])
