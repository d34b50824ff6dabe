"""Writing a case file back from the edit page, and a new case from a template.

- The file is written whole or not at all (:func:`timeline.outputs.replacing`: a temporary
  file beside it, then a rename), only when it is a case file directly in the folder
  (:func:`~timeline.web.security.case_path`), and only when the case is valid (the
  command line's reader).
- The file is changed, not rewritten: TOML through tomlkit, which keeps the comments, the
  blank lines and the user's order of fields; JSON with the file's own key order. A value
  that did not change is not touched; new fields come after the existing ones.
- The page sends the SHA-256 of the file as it loaded it; a file changed on disk since then
  is not overwritten (:class:`Conflict`, 409).
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from collections.abc import MutableMapping, MutableSequence
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import Number, msg
from ..fields import RECORDS
from ..io import MAX_FILE_BYTES, no_duplicates
from ..outputs import replacing
from .editing import BadRequest, read_case

__all__ = ["NAME_PATTERN", "Conflict", "file_data", "merge", "new_case", "save_case", "sha256"]

#: A new case file's name: letters, digits, ``.``, ``_``, ``-``, ending in ``.toml``.
NAME_PATTERN = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,95}\.toml")
_DATE_TYPES = ("date", "end")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


class Conflict(Exception):
    """The file changed on disk since the page loaded it, or a new case's name is taken."""


def sha256(data: bytes) -> str:
    """The SHA-256 of ``data`` in hex: the version of a file the page edits."""
    return hashlib.sha256(data).hexdigest()


def file_data(path: Path) -> tuple[dict[str, Any], str]:
    """The fields of the case file at ``path`` as the page edits them (dates as ``YYYY-MM-DD``),
    and the file's :func:`sha256`; :class:`ValueError` when it is not TOML or JSON."""
    raw = path.read_bytes()
    if len(raw) > MAX_FILE_BYTES:
        raise ValueError(msg("web-file-too-large", limit=Number(MAX_FILE_BYTES)))
    text = raw.decode("utf-8-sig")
    data = tomllib.loads(text) if path.suffix.lower() == ".toml" else json.loads(text, object_pairs_hook=no_duplicates)
    if not isinstance(data, dict):
        raise ValueError(msg("web-top-level"))
    plain = json.loads(json.dumps(data, default=lambda v: v.isoformat() if isinstance(v, date) else str(v)))
    return plain, sha256(raw)


def _dated(record: str, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` (a record) with its date fields as :class:`date` (for TOML's date literals)."""
    r = RECORDS[record]
    out = {}
    for k, v in data.items():
        typed = k in r.names and r.field(k).type in _DATE_TYPES
        out[k] = date.fromisoformat(v) if typed and isinstance(v, str) and _ISO.fullmatch(v) else v
    return out


def _toml_values(data: dict[str, Any]) -> dict[str, Any]:
    """The case's fields with dates as :class:`date`, record by record."""
    out = _dated("case", data)
    for name in RECORDS:
        value = out.get(name)
        if name == "case" or value is None:
            continue
        if isinstance(value, dict):
            out[name] = _dated(name, value)
        elif isinstance(value, list):
            out[name] = [_dated(name, v) if isinstance(v, dict) else v for v in value]
    return out


def _same(have: Any, value: Any) -> bool:
    """Whether the file's value ``have`` already says ``value`` (a date written as text counts)."""
    unwrap = getattr(have, "unwrap", None)
    plain = unwrap() if unwrap is not None else have
    if isinstance(value, date) and isinstance(plain, str):
        return plain == value.isoformat()
    return bool(plain == value)


def merge(old: MutableMapping[str, Any], new: dict[str, Any]) -> None:
    """Change ``old`` in place to hold ``new``: keys gone are removed, changed values set,
    new keys added after the others; tables and lists of tables are changed entry by entry."""
    for key in [k for k in old if k not in new]:
        del old[key]
    for key, value in new.items():
        have = old.get(key)
        if isinstance(value, dict) and isinstance(have, MutableMapping):
            merge(have, value)
        elif _tables(value) and isinstance(have, MutableSequence) and all(isinstance(x, MutableMapping) for x in have):
            _merge_list(have, value)
        elif key not in old or not _same(have, value):
            old[key] = value


def _tables(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(x, dict) for x in value)


def _merge_list(old: MutableSequence[Any], new: list[dict[str, Any]]) -> None:
    for i, value in enumerate(new):
        if i < len(old):
            merge(old[i], value)
        else:
            old.append(value)
    while len(old) > len(new):
        del old[len(old) - 1]


def _new_text(path: Path, current: bytes, data: dict[str, Any]) -> str:
    text = current.decode("utf-8-sig")
    if path.suffix.lower() == ".toml":
        import tomlkit

        doc = tomlkit.parse(text)
        merge(doc, _toml_values(data))
        return tomlkit.dumps(doc)
    old = json.loads(text)
    if not isinstance(old, dict):
        old = {}
    merge(old, data)
    return json.dumps(old, indent=2, ensure_ascii=False) + "\n"


def save_case(path: Path, data: Any, loaded_sha: Any) -> str:
    """Write the case ``data`` to ``path`` if the file is still the one the page loaded
    (``loaded_sha``); returns the new file's SHA-256. Raises :class:`Conflict`, the
    reader's :class:`~timeline.CaseError` for an invalid case, :class:`BadRequest`."""
    if not isinstance(loaded_sha, str):
        raise BadRequest(msg("web-sha-required"))
    current = path.read_bytes()
    if sha256(current) != loaded_sha:
        raise Conflict(msg("web-changed-on-disk", name=path.name))
    read_case(data, path.name)  # the reader's error if the case is not valid
    text = _new_text(path, current, data)
    with replacing(path) as tmp:
        Path(tmp).write_text(text, encoding="utf-8")
    return sha256(text.encode("utf-8"))


def _template(case_id: str, today: date) -> str:
    return (
        f"# A new case, made by timeline serve on {today.isoformat()}.\n"
        f"id = {json.dumps(case_id, ensure_ascii=False)}\n\n"
        "[[permits]]\n"
        'purpose = "partner"\n'
        f"start = {today.isoformat()}\n"
    )


def new_case(root: Path, name: Any, today: date) -> Path:
    """Create ``name`` (see :data:`NAME_PATTERN`) in ``root`` from a minimal valid case.
    Raises :class:`BadRequest` for a name not allowed, :class:`Conflict` when it exists."""
    if not isinstance(name, str) or not NAME_PATTERN.fullmatch(name):
        raise BadRequest(msg("web-new-name"))
    path = root / name
    text = _template(name.removesuffix(".toml"), today)
    read_case(tomllib.loads(text), name)  # the template is a valid case
    try:
        with open(path, "x", encoding="utf-8") as handle:  # never replaces a file
            handle.write(text)
    except FileExistsError:
        raise Conflict(msg("web-exists", name=name)) from None
    return path
