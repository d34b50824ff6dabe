"""The table runner: the rules of :mod:`timeline.kernels` (``residence``, ``procedures``,
``clocks``), compiled with numba and run over every case of a table, and the readers of
text columns (``text``, and the ISO dates of ``clocks``) that check a table's columns.

Each source file of the rules is loaded a second time, as a module of its own
(:data:`residence`, :data:`procedures`, :data:`clocks` here), and every function in it is
replaced by its numba-compiled self before the first call. The rules call each other
through their module's globals, so in this copy a rule calls the compiled rules; the
single case keeps the plain functions of the first copy. One source,
two runners: the differential tests compare them.

numba caches the compiled code (``cache=True``) keyed on the source file, which holds
the rules and the loops over the table (``run_*``): an edit of a rule renews the cache.
Without numba, or with ``NUMBA_DISABLE_JIT=1``, the same functions run interpreted (a
few microseconds a case: about 100 times slower, still right).
"""

from __future__ import annotations

import importlib.util
import os
import sys
from types import FunctionType, ModuleType
from typing import Any

from . import clocks as _clocks
from . import procedures as _procedures
from . import residence as _residence
from . import text as _text

__all__ = ["COMPILED", "clocks", "procedures", "residence", "text"]


def _numba_jit() -> Any:
    if os.environ.get("NUMBA_DISABLE_JIT") == "1":
        return None
    try:
        import numba  # type: ignore[import-not-found, unused-ignore]
    except ImportError:  # the interpreted fallback
        return None
    return numba.njit


def _load(jit: Any, source: ModuleType) -> ModuleType:
    """A second copy of the kernels module ``source``, its functions compiled with ``jit``."""
    name = f"{source.__package__}._compiled_{source.__name__.rpartition('.')[2]}"
    spec = importlib.util.spec_from_file_location(name, source.__file__)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # numba finds a function's globals through its module's name
    spec.loader.exec_module(module)
    if jit is not None:
        for name, value in list(vars(module).items()):
            if isinstance(value, FunctionType) and value.__module__ == module.__name__ and name != "day_number":
                setattr(module, name, jit(cache=True, nogil=True)(value))
    return module


_JIT = _numba_jit()
#: Whether the rules run compiled (numba installed and not disabled).
COMPILED = _JIT is not None
#: The residence rules (:mod:`timeline.kernels.residence`) for tables: compiled when
#: :data:`COMPILED`, else the plain functions.
residence: Any = _load(_JIT, _residence) if COMPILED else _residence
#: The procedural rules (:mod:`timeline.kernels.procedures`) for tables, the same way.
procedures: Any = _load(_JIT, _procedures) if COMPILED else _procedures
#: The clock rules of :mod:`timeline.kernels.clocks` for tables, the same way.
clocks: Any = _load(_JIT, _clocks) if COMPILED else _clocks
#: Text columns read from Arrow's buffers (:mod:`timeline.kernels.text`), the same way.
text: Any = _load(_JIT, _text) if COMPILED else _text
