"""Templates of case files for the common situations (``timeline new``).

Each template is a commented TOML case file in ``timeline/templates/`` (package data):
every field it sets, or leaves commented out, is explained in a plain-English comment with
the rule IDs it feeds. Every template reads and assesses as written and validates against
the schema (``tests/test_new.py``).
"""

from __future__ import annotations

import os

from .errors import msg
from .outputs import OutputError

__all__ = ["TEMPLATES", "template_text", "write_template"]

#: The templates, by kind, with what each is for (``timeline new --kind``).
TEMPLATES: dict[str, str] = {
    "partner-of-dutch": "partner of a Dutch citizen; lists every field of a case file",
    "partner-of-resident": "partner of a resident with a fixed-term permit (the permit ends with theirs)",
    "work": "a work or highly skilled migrant permit, with its extension",
    "study-then-work": "study, a search year, then work",
    "domestic-violence": "the relationship ended because of domestic violence",
}


def template_text(kind: str) -> str:
    """The text of the template ``kind`` (a key of :data:`TEMPLATES`; else ``ValueError``)."""
    if kind not in TEMPLATES:
        raise ValueError(msg("template-kind", kind=kind, valid=tuple(TEMPLATES)))
    folder = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")
    with open(os.path.join(folder, f"{kind}.toml"), encoding="utf-8") as handle:
        return handle.read()


def write_template(kind: str, path: str, *, force: bool = False) -> None:
    """Write the template ``kind`` to ``path`` (a ``.toml`` file), whole or not at all.

    Raises
    ------
    OutputError
        When ``path`` exists and ``force`` is false, does not end in ``.toml``, or its
        folder does not exist or cannot be written.
    """
    from .outputs import check_output, replacing

    text = template_text(kind)
    if os.path.exists(path) and not force:
        raise OutputError(msg("template-exists", path=path))
    check_output(path, (".toml",), "a case file")
    with replacing(path) as tmp, open(tmp, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
