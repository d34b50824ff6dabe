"""Day numbers and the codes of batch's arrays: dates as int64 days since 1970-01-01
(:data:`NA` absent, :data:`INF` an open end), the packed sort keys, the choice codes of
:mod:`timeline.model` and the names of the result codes (report status, naturalisation route)."""

from __future__ import annotations

from datetime import date

import numpy as np

from ..assessment import NATURALISATION_ROUTES
from ..dates import MAX_DATE, MIN_DATE
from ..kernels import procedures as kp
from ..kernels.residence import BASES
from ..model import (
    APPLICATION_KINDS,
    INDEFINITE_PURPOSES,
    OUTCOMES,
    PERMIT_APPLICATION_KINDS,
    PLACES,
    PURPOSES,
    RELATIONSHIP_KINDS,
    SPONSOR_STATUSES,
    eu_weight,
)
from ..tables import RECORDS

INF = (1 << 31) - 1  # an open end ("None" for end dates)
BIAS = 1 << 31  # day + BIAS >= 0 for sort keys
SHIFT = 33  # key = case << SHIFT | (day + BIAS)
_EPOCH = date(1970, 1, 1).toordinal()
MAX_RECORDS = 50_000
#: Rows (records) a case of a batch table may have. A real case has tens; the limit leaves
#: a wide margin (a stay abroad every week for 40 years is about 2,000 rows). A case with
#: more is a data error (ids merged by an export), reported at once instead of stalling
#: the run in the checks of the single-case engine.
MAX_CASE_RECORDS = 10_000


def day_number(d: date) -> int:
    return d.toordinal() - _EPOCH


def date_of(n: int) -> date:
    return date.fromordinal(int(n) + _EPOCH)


# Dates outside the supported range (timeline.dates.MIN_DATE .. MAX_DATE) go to the
# single-case path, where case_from_dict rejects them with the exact message.
SAFE_LO = day_number(MIN_DATE)
SAFE_HI = day_number(MAX_DATE)
DATE_MAX = day_number(date.max)

PURPOSE_LIST = tuple(PURPOSES)
KINDS = APPLICATION_KINDS
K = {k: i for i, k in enumerate(KINDS)}
PERMIT_KIND = np.array([k in PERMIT_APPLICATION_KINDS for k in KINDS])
O_GRANTED, O_REFUSED = OUTCOMES.index("granted"), OUTCOMES.index("refused")
S_DUTCH = SPONSOR_STATUSES.index("dutch")
R_UNMARRIED = RELATIONSHIP_KINDS.index("unmarried")
PL_KINGDOM, PL_ABROAD = PLACES.index("kingdom"), PLACES.index("abroad")
INDEFINITE = np.array([p in INDEFINITE_PURPOSES for p in PURPOSE_LIST])
#: R5.2's weight in quarter days by [OQ-24 choice, purpose, sponsor status] (model.eu_weight).
WEIGHT = np.array(
    [[[round(4 * eu_weight(p, s, y)) for s in SPONSOR_STATUSES] for p in PURPOSE_LIST] for y in ("none", "half")],
    dtype=np.int64,
)
REC = {r: i for i, r in enumerate(RECORDS)}
RK_APP, RK_PERMIT = 0, 1  # "applications[j]" sorts before "permits[i]"

# The gap causes (DC-6) and permit-start bases (R1.2, R1.4, R4.1, R4.2): one list, kept
# with the rule's kernel (timeline.kernels.residence).
BASIS = BASES
B = {b: i for i, b in enumerate(BASIS)}


STATUS_NAMES = kp.REPORT_STATUSES  #: R2.2, the kernels' codes
ROUTE_NAMES = NATURALISATION_ROUTES
