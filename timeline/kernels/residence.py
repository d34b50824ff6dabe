"""Residence, written once over integer day numbers: the permit chain (R1.2, R1.4, R4.1,
R4.2), withdrawals (R3.1, R3.2) and residence gaps (DC-6).

Each rule is plain Python over one case's day numbers and per-case sequences (lists for
a single case, array slices in batch). :mod:`timeline.rules.residence` runs these
functions interpreted for one case (no numpy import) and turns their codes into
explanations; :mod:`timeline.kernels.table` runs the same functions compiled with numba
over a whole table.

Conventions of the kernels
--------------------------
- A day is ``date.toordinal() - date(1970, 1, 1).toordinal()`` (:func:`day_number`).
- :data:`NA` marks a missing date, :data:`INF` an open end (a period still running, or a
  permit without an end date).
- Periods are half-open ``[start, end)`` (DC-1).
- Codes, not strings: purposes, kinds and outcomes are positions in
  :data:`timeline.model.PURPOSES`, :data:`~timeline.model.APPLICATION_KINDS` and
  :data:`~timeline.model.OUTCOMES`; start bases are positions in :data:`BASES`, start
  outcomes in :data:`STARTS`, withdrawal bases in :data:`WITHDRAWAL_BASES`, gap causes in
  :data:`GAP_CAUSES`. Flags are 0 or 1. The caller turns codes into record names and
  explanations.
- Results go into output sequences at ``base + i`` (a list slice would be a copy).
- Only kernels call kernels, and only through module globals: the table runner loads
  this file a second time with every function compiled.

References
----------
- R1.2, R4.1 (Vw 26): a permit starts on receipt of the application, or on the day the
  conditions are shown to be met if that is later; a printed start date is a fact.
- R1.4 (Vb 3.80(1)): an extension filed before the permit ends continues it without a break.
- R4.2 (OQ-4, OQ-21): the four-week tolerance for late extensions, IND policy from 1 July 2022.
- R3.1 (OQ-3): the day a partner permit is withdrawn from; R3.2: a granted objection undoes it.
- DC-6: every day from the start of the first permit up to ``as_of`` without toelating
  is a day of a residence gap; procedural stay (R4.5, Vw 8 f-h) is shown but does not
  close a gap.
"""

from __future__ import annotations

from datetime import date

from ..model import APPLICATION_KINDS, OUTCOMES, PERMIT_APPLICATION_KINDS, PURPOSES

__all__ = [
    "BASES",
    "GAP_CAUSES",
    "INF",
    "NA",
    "STARTS",
    "WITHDRAWAL_BASES",
    "WITHDRAWAL_CHOICES",
    "day_number",
    "derive_permit",
    "find_gaps",
    "gap_cause",
    "permit_chain",
    "previous_permit",
    "procedural_days",
    "withdrawal",
]

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


#: How a derived permit's start was found, with the rule that decides it (R1.2, R1.4, R4.1,
#: R4.2); the two ``skip-*`` outcomes yield no permit. ``recorded``: a permit on record.
STARTS = (
    "recorded",
    "received",
    "printed",
    "timely",
    "timely-conditions-later",
    "tolerance",
    "excused",
    "late",
    "skip-no-purpose",
    "skip-empty",
)
S_RECORDED, S_RECEIVED, S_PRINTED, S_TIMELY, S_TIMELY_LATER = range(5)
S_TOLERANCE, S_EXCUSED, S_LATE, S_NO_PURPOSE, S_EMPTY = range(5, 10)
RECORDED, PRINTED, TIMELY, TOLERANCE, EXCUSED, RECEIVED = (
    BASES.index(b) for b in ("recorded", "printed", "timely", "tolerance", "excused", "received")
)
#: The choices of option ``withdrawal_effective`` (OQ-3), in the option's order.
WITHDRAWAL_CHOICES = ("decision", "reported", "separation", "notification", "divorce")
W_DECISION, W_REPORTED, W_SEPARATION, W_NOTIFICATION, W_DIVORCE = range(5)
#: Where a permit's withdrawal date comes from (R3.1, R3.2).
WITHDRAWAL_BASES = ("none", "recorded", "reversed", "decision", "reported", "separation", "notification", "divorce")
WB_NONE, WB_RECORDED, WB_REVERSED, WB_DECISION, WB_REPORTED, WB_SEPARATION, WB_NOTIFICATION, WB_DIVORCE = range(8)

PURPOSE_LIST = tuple(PURPOSES)
PARTNER = PURPOSE_LIST.index("partner")
PERMANENT = PURPOSE_LIST.index("permanent")
EU_LONG_TERM = PURPOSE_LIST.index("eu-long-term")
FIRST = APPLICATION_KINDS.index("first")
PERMANENT_RESIDENCE = APPLICATION_KINDS.index("permanent-residence")
EU_LONG_TERM_KIND = APPLICATION_KINDS.index("eu-long-term")


def indefinite(purpose):
    """R5.1, R5.2: permanent and EU long-term residence permits have no end."""
    return purpose == PERMANENT or purpose == EU_LONG_TERM


def previous_permit(received, purpose, slot_purpose, slot_start, slot_end, valid, lo, hi):
    """R1.4: the permit an extension or change of purpose received on ``received`` continues.

    Of the permits in slots ``lo..hi-1`` that began before ``received`` and have an end
    (``slot_end`` as granted), the latest-ending one of the application's ``purpose``; of
    any purpose if none has it or the application names none (-1). On a tie the first
    slot. Returns the slot, or -1 if there is none.
    """
    best, best_same = -1, False
    for i in range(lo, hi):
        if valid[i] == 0 or slot_start[i] >= received or slot_end[i] == INF:
            continue
        same = purpose < 0 or slot_purpose[i] == purpose
        if best < 0 or (same and not best_same) or (same == best_same and slot_end[i] > slot_end[best]):
            best, best_same = i, same
    return best


def derive_permit(
    kind, received, purpose, valid_until, conditions_met, printed_start, excused, tolerance_applies,
    prev_purpose, prev_end, prev_tolerance_end, change_has_tolerance,
):  # fmt: skip
    """The permit a granted permit application yields: ``(purpose, start, end, basis, outcome)``.

    - R1.2, R4.1 (Vw 26): it starts on receipt, or when the conditions were shown to be
      met if that is later (``conditions_met``, :data:`NA` if not recorded); a start date
      printed on the permit is a fact.
    - R1.4 (Vb 3.80(1)): an extension received before the previous permit ends continues it
      from that end. If the conditions were shown only after that end, the new permit
      starts then (R1.2, Vw 26(1)): timely, but with a break (basis ``conditions-met``,
      outcome ``timely-conditions-later``; ECLI:NL:RVS:2020:1460).
    - R4.2 (OQ-4, OQ-21): an extension received within the four-week tolerance after the
      previous end (``prev_tolerance_end``, last day) is treated as timely, if the policy
      is in force on the day of receipt (``tolerance_applies``); so is a change of purpose
      if ``change_has_tolerance``.
    - R4.1: a late application whose lateness is excused (``excused``) continues it too;
      an unexcused late one starts on receipt (outcome ``late``).

    ``prev_*`` describe the permit it continues (:func:`previous_permit`), ``prev_end`` is
    :data:`NA` if there is none or it is not an extension or change of purpose. A permit
    for permanent or EU long-term residence has no end (:data:`INF`). The outcome
    ``skip-no-purpose`` (no purpose known) or ``skip-empty`` (it would end before it
    starts) yields no permit.
    """
    if kind == PERMANENT_RESIDENCE:
        purpose = PERMANENT
    elif kind == EU_LONG_TERM_KIND:
        purpose = EU_LONG_TERM
    elif purpose < 0 and prev_end != NA:
        purpose = prev_purpose
    if purpose < 0:
        return purpose, NA, NA, RECEIVED, S_NO_PURPOSE
    end = INF if indefinite(purpose) or valid_until == NA else valid_until
    proof = received if conditions_met == NA else conditions_met
    start, basis, outcome = max(received, proof), RECEIVED, S_RECEIVED
    if proof > received:
        basis = CONDITIONS_MET
    continues = kind == EXTENSION or kind == CHANGE_OF_PURPOSE
    if printed_start != NA:
        start, basis, outcome = printed_start, PRINTED, S_PRINTED
    elif continues and prev_end != NA:
        has_tolerance = kind == EXTENSION or change_has_tolerance
        if kind == EXTENSION and received < prev_end:
            start, basis, outcome = prev_end, TIMELY, S_TIMELY
            if proof > prev_end:
                start, basis, outcome = proof, CONDITIONS_MET, S_TIMELY_LATER
        elif has_tolerance and received >= prev_end:
            if tolerance_applies and received <= prev_tolerance_end:
                start, basis, outcome = prev_end, TOLERANCE, S_TOLERANCE
            elif excused:
                start, basis, outcome = prev_end, EXCUSED, S_EXCUSED
            else:
                outcome = S_LATE
        elif kind == CHANGE_OF_PURPOSE and received >= prev_end and excused:
            start, basis, outcome = prev_end, EXCUSED, S_EXCUSED
    if end != INF and end <= start:
        return purpose, start, end, basis, S_EMPTY
    return purpose, start, end, basis, outcome


def permit_chain(
    p_purpose, p_start, p_end, p_tolerance_end,
    a_kind, a_received, a_purpose, a_valid_until, a_conditions_met, a_printed_start, a_excused, a_tolerance_end,
    a_tolerance_applies, change_has_tolerance,
    valid, purpose, start, end, basis, outcome, previous, tolerance_end, base,
):  # fmt: skip
    """R1.2, R1.4, R4.1, R4.2: one case's permits as granted, recorded ones first.

    Inputs: the recorded permits ``p_*`` in file order (``p_end`` :data:`INF` for none or an
    indefinite permit), and the granted permit applications ``a_*`` in order of receipt
    (then file order), each with the last day of the tolerance after its own end
    (``*_tolerance_end``, see :func:`timeline.rules.residence.tolerance_last_day`) and, for
    an application, whether the tolerance policy is in force on its day of receipt.
    Outputs, at ``base + i`` for recorded permit ``i`` and ``base + len(p_start) + j`` for
    application ``j``: ``valid`` (1 if a permit), its ``purpose``, ``start``, granted
    ``end``, start ``basis`` and ``outcome`` (:data:`STARTS`), the slot of the permit it
    continues (``previous``, -1 if none) and the last day of its own tolerance.
    """
    n = len(p_start)
    for i in range(n):
        k = base + i
        valid[k], purpose[k], start[k], end[k] = 1, p_purpose[i], p_start[i], p_end[i]
        basis[k], outcome[k], previous[k], tolerance_end[k] = RECORDED, S_RECORDED, -1, p_tolerance_end[i]
    for j in range(len(a_kind)):
        k = base + n + j
        prev = -1
        if a_kind[j] == EXTENSION or a_kind[j] == CHANGE_OF_PURPOSE:
            prev = previous_permit(a_received[j], a_purpose[j], purpose, start, end, valid, base, k)
        prev_purpose, prev_end, prev_tol = -1, NA, NA
        if prev >= 0:
            prev_purpose, prev_end, prev_tol = purpose[prev], end[prev], tolerance_end[prev]
        purpose[k], start[k], end[k], basis[k], outcome[k] = derive_permit(
            a_kind[j], a_received[j], a_purpose[j], a_valid_until[j], a_conditions_met[j], a_printed_start[j],
            a_excused[j], a_tolerance_applies[j], prev_purpose, prev_end, prev_tol, change_has_tolerance,
        )  # fmt: skip
        valid[k] = 0 if outcome[k] == S_NO_PURPOSE or outcome[k] == S_EMPTY else 1
        previous[k], tolerance_end[k] = prev, a_tolerance_end[j]


def relationship_ended(reports, relationship, separated, divorced):
    """R2.2, R3.1: the relationship has ended on record: a report of its end was received
    (``reports`` > 0), or a separation or a divorce is recorded (a divorce ends a marriage
    on its date at the latest, even with no separation date). 1 or 0."""
    return 1 if reports > 0 or (relationship and (separated != NA or divorced != NA)) else 0


def withdrawal(
    purpose, reversed_, recorded_from, decided, relationship_ended, separated, divorced, reported_change,
    reported_received, choice,
):  # fmt: skip
    """R3.1, R3.2: the first day without a permit after a withdrawal: ``(day, basis)``.

    - A granted objection against the withdrawal undoes it (R3.2, basis ``reversed``).
    - A withdrawal date on record is a fact (``recorded``).
    - A partner permit after the relationship ended on record is withdrawn from the date
      option ``withdrawal_effective`` chooses (OQ-3): the change date of the first report,
      else the separation (``reported``); the separation, else the reported change date
      (``separation``); the day the first report was received (``notification``); the
      decision date (``decision``); or the divorce, else the separation, else the reported
      change date (``divorce``, OQ-26). With no separation and no report, the divorce
      ends the marriage at the latest: ``reported`` and ``separation`` fall back to it.
    - Any other permit with a withdrawal decision on record: from the decision date.

    Returns :data:`NA` (basis ``none``, or the chosen basis with no date known) when
    nothing withdraws the permit.
    """
    if reversed_:
        return NA, WB_REVERSED
    if recorded_from != NA:
        return recorded_from, WB_RECORDED
    if purpose == PARTNER and relationship_ended:
        if choice == W_DIVORCE and divorced != NA:
            return divorced, WB_DIVORCE
        if choice == W_REPORTED or choice == W_SEPARATION or choice == W_DIVORCE:
            first, second = (reported_change, separated) if choice == W_REPORTED else (separated, reported_change)
            if first != NA:
                return first, WB_REPORTED if choice == W_REPORTED else WB_SEPARATION
            if second != NA:
                return second, WB_SEPARATION if choice == W_REPORTED else WB_REPORTED
            return divorced, WB_DIVORCE
        if choice == W_NOTIFICATION:
            return reported_received, WB_NOTIFICATION
        return decided, WB_DECISION
    if decided != NA:
        return decided, WB_DECISION
    return NA, WB_NONE


def withdrawn_end(start, granted_end, withdrawn_from):
    """R3.1: a permit's end after a withdrawal (never before its start; DC-1)."""
    if withdrawn_from != NA and (granted_end == INF or withdrawn_from < granted_end):
        return max(withdrawn_from, start)
    return granted_end


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


# --------------------------------------------------------------------------- table runners
# The rules above, looped over every case of a table. Per-case inputs are flat arrays with
# offsets: the rows of case ``c`` are ``off[c]:off[c + 1]``. These loops hold no rule of
# their own; they live in this file so that numba's cache, which is keyed on the source
# file, is renewed whenever a rule changes (:mod:`timeline.kernels.table`).


def run_chain(
    p_off, p_purpose, p_start, p_end, p_tolerance_end,
    a_off, a_kind, a_received, a_purpose, a_valid_until, a_conditions_met, a_printed_start, a_excused, a_tolerance_end,
    a_tolerance_applies, change_has_tolerance, slot_off,
    valid, purpose, start, end, basis, outcome, previous, tolerance_end,
):  # fmt: skip
    """:func:`permit_chain` for every case; case ``c``'s slots start at ``slot_off[c]``."""
    for c in range(len(slot_off) - 1):
        p, q, a, b = p_off[c], p_off[c + 1], a_off[c], a_off[c + 1]
        permit_chain(
            p_purpose[p:q], p_start[p:q], p_end[p:q], p_tolerance_end[p:q],
            a_kind[a:b], a_received[a:b], a_purpose[a:b], a_valid_until[a:b], a_conditions_met[a:b],
            a_printed_start[a:b], a_excused[a:b], a_tolerance_end[a:b], a_tolerance_applies[a:b],
            change_has_tolerance[c],
            valid, purpose, start, end, basis, outcome, previous, tolerance_end, slot_off[c],
        )  # fmt: skip


def run_withdrawals(
    slot_case, purpose, reversed_, recorded_from, decided, start, granted_end,
    relationship_ended, separated, divorced, reported_change, reported_received, choice,
    withdrawn_from, withdrawal_basis, end,
):  # fmt: skip
    """:func:`withdrawal` and :func:`withdrawn_end` for every slot (per-case inputs by ``slot_case``)."""
    for k in range(len(slot_case)):
        c = slot_case[k]
        withdrawn_from[k], withdrawal_basis[k] = withdrawal(
            purpose[k], reversed_[k], recorded_from[k], decided[k], relationship_ended[c], separated[c], divorced[c],
            reported_change[c], reported_received[c], choice[c],
        )  # fmt: skip
        end[k] = withdrawn_end(start[k], granted_end[k], withdrawn_from[k])


def run_relationship_ended(reports, relationship, separated, divorced, out):
    """:func:`relationship_ended` for every case."""
    for c in range(len(out)):
        out[c] = relationship_ended(reports[c], relationship[c], separated[c], divorced[c])


def run_gaps(
    as_of, first_start, cov_off, cov_start, cov_end,
    p_off, p_start, p_end, p_granted_end, p_withdrawn, p_received, p_basis, p_kind,
    a_off, a_kind, a_outcome, a_received, a_decided, b_off, b_start, b_end,
    case, start, end, days, cause, where, pos, pdays,
):  # fmt: skip
    """:func:`find_gaps`, :func:`gap_cause` and :func:`procedural_days` for every case: one
    output row per gap, in case order then date order. Returns the number of gaps.
    """
    n = 0
    for c in range(len(as_of)):
        lo, hi = cov_off[c], cov_off[c + 1]
        m = find_gaps(cov_start[lo:hi], cov_end[lo:hi], first_start[c], as_of[c], start, end, n)
        p, q, a, b, u, v = p_off[c], p_off[c + 1], a_off[c], a_off[c + 1], b_off[c], b_off[c + 1]
        for g in range(n, m):
            until = as_of[c] if end[g] == NA else end[g]
            case[g], days[g] = c, until - start[g]
            cause[g], where[g], pos[g] = gap_cause(
                start[g], end[g], as_of[c], p_start[p:q], p_end[p:q], p_granted_end[p:q], p_withdrawn[p:q],
                p_received[p:q], p_basis[p:q], p_kind[p:q], a_kind[a:b], a_outcome[a:b], a_received[a:b],
                a_decided[a:b],
            )  # fmt: skip
            pdays[g] = procedural_days(start[g], until, b_start[u:v], b_end[u:v])
        n = m
    return n
