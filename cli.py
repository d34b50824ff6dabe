"""Run the ``timeline`` command from a checkout without installing it: ``python cli.py assess CASE``.

The command line lives in the package (:mod:`timeline.cli`); this script only puts the
checkout first on the import path and calls it. It is not installed: an installed
``timeline`` is run as ``timeline`` or ``python -m timeline``.
"""

import sys
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from timeline.cli import run

    run()
