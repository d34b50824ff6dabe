"""Rules written once as per-case kernels over integer day numbers (issue 15, prototype).

:mod:`timeline.kernels.residence` holds the rule (plain Python, no numpy);
:mod:`timeline.kernels.case` runs it for one case on lists; :mod:`timeline.kernels.table`
runs the same functions compiled with numba over a whole table (numba optional:
``NUMBA_DISABLE_JIT=1`` runs them interpreted).
"""
