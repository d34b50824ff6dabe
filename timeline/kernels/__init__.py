"""Rules written once as per-case kernels over integer day numbers (issue 15).

:mod:`timeline.kernels.residence` (the permit chain, withdrawals, gaps),
:mod:`timeline.kernels.procedures` (objection targets, procedural stay, the reporting duty)
and :mod:`timeline.kernels.clocks` (the clocks) hold the rules as plain Python, no numpy:
the single case (:mod:`timeline.rules`) runs them interpreted. :mod:`timeline.kernels.table`
loads the same source a second time and compiles it with numba for whole tables, which
:mod:`timeline.batch.rules` runs over per-case CSR arrays; ``NUMBA_DISABLE_JIT=1`` runs it
interpreted.
"""
