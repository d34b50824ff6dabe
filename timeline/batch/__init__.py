"""Batch assessment of many cases at once: an event table in, one row per case out.

:func:`assess_table` computes, for every case of a long event table (see
:mod:`timeline.tables` and README "Batch tables"), the same gaps, reporting deadline and
eligibility dates as :func:`timeline.assess`, with no Python loop over cases. Each rule is
written once: the single case and batch run the same code. A differential test
(``tests/test_batch.py``) compares both field by field on random and example cases.

How
---
Dates are int64 day numbers (days since 1970-01-01); the records of one kind are arrays
sorted by (case, position), in CSR layout (per-case offsets into them).

- Validation (:mod:`~timeline.batch.validation`, :mod:`~timeline.batch.parsing`): the
  fields and checks of :mod:`timeline.fields`, which the case reader
  :func:`timeline.case_from_dict` applies too, as masks over whole columns. Only the cases
  a mask flags are rebuilt as dicts and read by ``case_from_dict``, which gives the error
  row its exact record, field, value and reason.
- Rules (:mod:`~timeline.batch.rules`): the kernels of :mod:`timeline.kernels` (residence
  chain and withdrawals, objection targets, procedural stay, gaps with their causes, the
  reporting duty, the clocks), the ones ``timeline assess`` runs, compiled with numba by
  :mod:`timeline.kernels.table` (interpreted without it) and run over the CSR arrays. A
  deadline that needs the ATW calendar is computed by the single case's own scalar
  function once per distinct date (never per case) and passed in as a day number
  (:mod:`~timeline.batch.parameters`).

What goes through the single-case engine
----------------------------------------
Only cases assessed on a date outside the supported range (:data:`timeline.dates.MIN_DATE`
to :data:`~timeline.dates.MAX_DATE`; a date field out of that range is a check of
:mod:`timeline.fields`, so such a case is an error row), and cases whose facts the engine
refuses (no event, ``as_of`` before the first event, a birth date after it). (Cases with
more than :data:`MAX_CASE_RECORDS` rows are errors at once, so none reaches the 50,000
records the packed sort keys hold.) They are read with :func:`timeline.case_from_dict`
and assessed with :func:`timeline.assess` one by one; any error becomes an error row.
Realistic data has none (0 of 1,000,000 cases in ``benchmarks/bench_batch.py``);
``timeline batch`` reports how many there were.

Output
------
:func:`assess_table` returns a :class:`BatchResult` ``(results, errors, gaps)``;
:data:`RESULT_COLUMNS`, :data:`ERROR_COLUMNS` and :data:`GAP_COLUMNS` give the stable
column names and dtypes. Dates are ``datetime64[us]`` (midnight; ``NaT`` when absent);
``end`` dates are exclusive (DC-1), as in ``timeline assess``.

Modules
-------
:mod:`~timeline.batch.codes` (day numbers, codes, constants),
:mod:`~timeline.batch.parameters` (legal parameters over columns),
:mod:`~timeline.batch.arrays` (per-case array helpers),
:mod:`~timeline.batch.columns` (Arrow columns as numpy arrays),
:mod:`~timeline.batch.validation` (the checks of :mod:`timeline.fields` as masks),
:mod:`~timeline.batch.parsing` (the table's structure, the records of each kind),
:mod:`~timeline.batch.rules` (the kernels' inputs built and the kernels run),
:mod:`~timeline.batch.frames` (results, errors and gaps frames),
:mod:`~timeline.batch.assess` (:func:`assess_table`).
"""

from ..kernels.residence import GAP_CAUSES
from ..tables import NA
from .assess import assess_table
from .codes import BASIS, INF, MAX_CASE_RECORDS, RK_APP, RK_PERMIT, ROUTE_NAMES, STATUS_NAMES
from .frames import (
    DATE_DTYPE,
    ERROR_COLUMNS,
    GAP_COLUMNS,
    RESULT_COLUMNS,
    BatchResult,
    cell_text,
    empty_frame,
    frame_like,
    row_from_assessment,
    typed_frame,
)
from .parsing import flagged_by_checks

__all__ = [
    "BASIS",
    "DATE_DTYPE",
    "ERROR_COLUMNS",
    "GAP_CAUSES",
    "GAP_COLUMNS",
    "INF",
    "MAX_CASE_RECORDS",
    "NA",
    "RESULT_COLUMNS",
    "RK_APP",
    "RK_PERMIT",
    "ROUTE_NAMES",
    "STATUS_NAMES",
    "BatchResult",
    "assess_table",
    "cell_text",
    "empty_frame",
    "flagged_by_checks",
    "frame_like",
    "row_from_assessment",
    "typed_frame",
]
