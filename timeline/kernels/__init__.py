"""Rules written once as per-case kernels over integer day numbers (issue 15).

:mod:`timeline.kernels.residence` holds the residence rules (the permit chain, withdrawals,
gaps) as plain Python, no numpy: the single case (:mod:`timeline.rules.residence`) runs
them interpreted. :mod:`timeline.kernels.table` loads the same source a second time and
compiles it with numba for whole tables (:mod:`timeline.batch`); ``NUMBA_DISABLE_JIT=1``
runs it interpreted.
"""
