"""How many examples a property test draws.

``pytest --ci`` (as ``.ci/run`` runs) draws each test's full budget; the default run, which
a contributor starts often, draws a third of it (at least 10), so it stays quick while
every property is still exercised. ``tests/conftest.py`` sets :data:`FULL` from ``--ci``
before the test modules are imported.
"""

from __future__ import annotations

FULL = False


def examples(n: int) -> int:
    """``n`` with ``--ci``, else a third of it (at least 10, at most ``n``)."""
    return n if FULL else min(n, max(10, n // 3))
