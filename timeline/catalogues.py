"""The text catalogues: read a gettext ``.po`` file and compile it to the ``.mo`` that :mod:`timeline.i18n` reads.

Every user-facing text lives in ``timeline/locale/<lang>/LC_MESSAGES/timeline.po``, one
catalogue per language; the ``.mo`` next to it is its compilation, committed so that the
package needs no build step and no dependency (:class:`timeline.i18n.Catalogue` reads it,
as the standard library's :class:`gettext.GNUTranslations` would). After editing a ``.po``
file, compile::

    python -m timeline.catalogues

tests/test_catalogues.py fails when a committed ``.mo`` is not the compilation of its ``.po``.
The format follows GNU gettext and CPython's Tools/i18n/msgfmt.py: the keys sorted (the
reader finds a text by bisection), a
``msgctxt`` joined to its ``msgid`` by ``\\x04``, plural forms joined by ``\\x00``; fuzzy
and untranslated (empty) entries are left out, as msgfmt does. This module is not imported at run time.
"""

from __future__ import annotations

import ast
import os
import struct
import sys
from typing import NamedTuple

__all__ = ["DOMAIN", "LOCALE_DIR", "CatalogueError", "Entry", "compile_all", "mo_bytes", "parse_po", "po_path"]

DOMAIN = "timeline"
LOCALE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "locale")


class CatalogueError(ValueError):
    """A ``.po`` file that cannot be read: the message names the file, the line and what is wrong."""


class Entry(NamedTuple):
    """One catalogue entry: context, key, plural key (or None) and the text or plural texts."""

    context: str | None
    msgid: str
    msgid_plural: str | None
    msgstr: tuple[str, ...]
    fuzzy: bool = False


def po_path(lang: str, locale_dir: str = LOCALE_DIR) -> str:
    """The ``.po`` file of ``lang`` under ``locale_dir``."""
    return os.path.join(locale_dir, lang, "LC_MESSAGES", f"{DOMAIN}.po")


def parse_po(text: str, name: str = "<po>") -> list[Entry]:
    """The entries of a ``.po`` file, the header (msgid ``""``) first if present.

    Raises :class:`CatalogueError` naming ``name`` and the line for a malformed file and for a
    key given twice.
    """
    entries: list[Entry] = []
    fields: dict[str, str] = {}
    current = ""
    fuzzy = False
    start = 0

    def finish(lineno: int) -> None:
        nonlocal fields, fuzzy
        if not fields:
            fuzzy = False
            return
        if "msgid" not in fields:
            raise CatalogueError(f"{name}:{start}: an entry without msgid")
        plural = fields.get("msgid_plural")
        if plural is None:
            if "msgstr" not in fields:
                raise CatalogueError(f"{name}:{start}: msgid {fields['msgid']!r} has no msgstr")
            msgstr: tuple[str, ...] = (fields["msgstr"],)
        else:
            forms = sorted((int(k[7:-1]), v) for k, v in fields.items() if k.startswith("msgstr["))
            if not forms or [i for i, _ in forms] != list(range(len(forms))):
                raise CatalogueError(f"{name}:{start}: msgid {fields['msgid']!r} needs msgstr[0], msgstr[1], ...")
            msgstr = tuple(v for _, v in forms)
        entries.append(Entry(fields.get("msgctxt"), fields["msgid"], plural, msgstr, fuzzy))
        fields, fuzzy = {}, False

    lines = text.splitlines()
    for lineno, raw in enumerate(lines, 1):
        line = raw.strip()
        if line.startswith("#"):
            if any(k.startswith("msgstr") for k in fields):
                finish(lineno)
            if line.startswith("#,") and "fuzzy" in line[2:].replace(",", " ").split():
                fuzzy = True
            continue
        if not line:
            continue
        if line.startswith('"'):
            if not current:
                raise CatalogueError(f"{name}:{lineno}: a string outside an entry")
            fields[current] += _unquote(line, name, lineno)
            continue
        keyword, _, rest = line.partition(" ")
        if keyword not in ("msgctxt", "msgid", "msgid_plural", "msgstr") and not (
            keyword.startswith("msgstr[") and keyword.endswith("]") and keyword[7:-1].isdigit()
        ):
            raise CatalogueError(f"{name}:{lineno}: unknown keyword {keyword!r}")
        if keyword in ("msgctxt", "msgid") and any(k.startswith("msgstr") for k in fields):
            finish(lineno)
        if not fields:
            start = lineno
        if keyword in fields:
            raise CatalogueError(f"{name}:{lineno}: {keyword} given twice in one entry")
        fields[keyword] = _unquote(rest.strip(), name, lineno)
        current = keyword
    finish(len(lines))
    seen: set[tuple[str | None, str]] = set()
    for e in entries:
        if (e.context, e.msgid) in seen:
            raise CatalogueError(f"{name}: msgctxt {e.context!r} msgid {e.msgid!r} is given twice")
        seen.add((e.context, e.msgid))
    return entries


def _unquote(token: str, name: str, lineno: int) -> str:
    if len(token) < 2 or not (token.startswith('"') and token.endswith('"')):
        raise CatalogueError(f"{name}:{lineno}: expected a quoted string, not {token!r}")
    try:
        value = ast.literal_eval(token)
    except (SyntaxError, ValueError) as err:
        raise CatalogueError(f"{name}:{lineno}: bad string {token!r}: {err}") from None
    if not isinstance(value, str):
        raise CatalogueError(f"{name}:{lineno}: bad string {token!r}")
    return value


def mo_bytes(entries: list[Entry]) -> bytes:
    """The GNU ``.mo`` file of ``entries`` (little-endian, revision 0, no hash table), fuzzy and empty ones left out."""
    table: dict[bytes, bytes] = {}
    for e in entries:
        if e.msgid and (e.fuzzy or not any(e.msgstr)):
            continue  # fuzzy or untranslated: left out, so that looking it up is an error
        key = e.msgid if e.msgid_plural is None else f"{e.msgid}\x00{e.msgid_plural}"
        if e.context is not None:
            key = f"{e.context}\x04{key}"
        table[key.encode("utf-8")] = "\x00".join(e.msgstr).encode("utf-8")
    keys = sorted(table)
    ids = strs = b""
    offsets = []
    for k in keys:
        offsets.append((len(ids), len(k), len(strs), len(table[k])))
        ids += k + b"\0"
        strs += table[k] + b"\0"
    n = len(keys)
    key_start = 7 * 4 + 16 * n
    value_start = key_start + len(ids)
    koffsets: list[int] = []
    voffsets: list[int] = []
    for o1, l1, o2, l2 in offsets:
        koffsets += [l1, o1 + key_start]
        voffsets += [l2, o2 + value_start]
    header = struct.pack("<Iiiiiii", 0x950412DE, 0, n, 7 * 4, 7 * 4 + n * 8, 0, 0)
    return header + struct.pack(f"<{2 * n}i", *koffsets) + struct.pack(f"<{2 * n}i", *voffsets) + ids + strs


def languages(locale_dir: str = LOCALE_DIR) -> tuple[str, ...]:
    """The languages with a ``.po`` file under ``locale_dir``, sorted."""
    return tuple(sorted(d for d in os.listdir(locale_dir) if os.path.isfile(po_path(d, locale_dir))))


def compile_all(locale_dir: str = LOCALE_DIR) -> list[str]:
    """Compile every ``<lang>/LC_MESSAGES/timeline.po`` under ``locale_dir`` to its ``.mo``; the paths written."""
    written = []
    for lang in languages(locale_dir):
        path = po_path(lang, locale_dir)
        with open(path, encoding="utf-8") as f:
            data = mo_bytes(parse_po(f.read(), path))
        mo = path[:-3] + ".mo"
        with open(mo, "wb") as f:
            f.write(data)
        written.append(mo)
    return written


def main() -> int:
    try:
        for path in compile_all():
            print(f"Wrote {os.path.relpath(path)}")
    except CatalogueError as err:
        print(f"Error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
