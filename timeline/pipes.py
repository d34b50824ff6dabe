"""``-`` as a file name: standard input and standard output for the commands.

A case read from standard input is TOML or JSON: the format given (``--input-format``),
else JSON when the text starts with ``{``, else TOML. Its id defaults to ``stdin`` and its
messages name ``<stdin>``. A table read from standard input is recognised by its content:
Parquet (``PAR1``), an Excel workbook (a zip file), JSON Lines (``{``), else CSV.

Tables and charts are written and read by functions that take a file name, so standard
input is copied to, and standard output read back from, a file in a private temporary
folder (mode 0700) that is removed when the command ends (a SIGKILL can leave it behind;
it holds the data that was piped). Binary output (PNG, PDF, Excel, Parquet) is refused
when standard output is a terminal, before any work.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator, Mapping
from typing import Any

from .errors import CaseError, Number, msg
from .io import MAX_FILE_BYTES, case_from_dict, case_problems, load_case, parse_case_bytes
from .outputs import OutputError

__all__ = [
    "BINARY",
    "STDIN",
    "case_format",
    "read_case",
    "refuse_terminal",
    "stdin_file",
    "stdin_problems",
    "stdout_file",
    "table_format",
]

#: The file name that means standard input or output.
STDIN = "-"
#: Output formats that are binary (never written to a terminal).
BINARY = frozenset({".png", ".pdf", ".xlsx", ".parquet"})
_SOURCE = "<stdin>"


def case_format(text: str, given: str | None = None) -> str:
    """``toml`` or ``json``: ``given``, else JSON when ``text`` starts with ``{``."""
    if given:
        return given
    return "json" if text.lstrip("\ufeff \t\r\n").startswith("{") else "toml"


def read_case(path: str, *, options: Mapping[str, str] | None = None, fmt: str | None = None) -> tuple[Any, bytes]:
    """The case of ``path`` (``-``: standard input, TOML or JSON) and the bytes it was read from."""
    if path != STDIN:
        case = load_case(path, options=options)
        with open(path, "rb") as handle:
            return case, handle.read()
    data, raw = _stdin_data(fmt)
    return case_from_dict(data, _SOURCE, default_id="stdin", options=options), raw


def stdin_problems(fmt: str | None = None) -> list[CaseError]:
    """Every problem of the case file on standard input (``timeline check -``), as
    :func:`timeline.io.file_problems` gives them for a file: one when it cannot be read or
    parsed, else those of :func:`timeline.io.case_problems`."""
    try:
        data, _ = _stdin_data(fmt)
    except CaseError as err:
        return [err]
    return case_problems(data, _SOURCE, default_id="stdin")


def _stdin_data(fmt: str | None) -> tuple[Mapping[str, Any], bytes]:
    """The parsed case-file data on standard input, and its bytes."""
    raw = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        raise CaseError(msg("stdin-too-large", limit=Number(MAX_FILE_BYTES)), source=_SOURCE)
    if not raw.strip():
        raise CaseError(msg("stdin-empty-case"), source=_SOURCE)
    text = raw.decode("utf-8-sig", errors="replace")  # only to see whether it is JSON
    return parse_case_bytes(raw, case_format(text, fmt), _SOURCE), raw


def table_format(head: bytes) -> str:
    """The extension of a table from its first bytes: ``.parquet``, ``.xlsx``, ``.jsonl`` or ``.csv``."""
    if head.startswith(b"PAR1"):
        return ".parquet"
    if head.startswith(b"PK\x03\x04"):
        return ".xlsx"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return ".jsonl"
    return ".csv"


@contextlib.contextmanager
def stdin_file() -> Iterator[str]:
    """Standard input copied to a private temporary file named by its format (see :func:`table_format`)."""
    import shutil
    import tempfile

    source = sys.stdin.buffer
    with tempfile.TemporaryDirectory(prefix="timeline-") as folder:
        head = source.read(8)
        if not head:
            from .tables import TableError

            raise TableError(msg("stdin-empty-table"))
        path = os.path.join(folder, "stdin" + table_format(head))
        with open(path, "wb") as f:
            f.write(head)
            shutil.copyfileobj(source, f, 1 << 20)
        yield path


def refuse_terminal(ext: str) -> None:
    """:class:`~timeline.outputs.OutputError` when ``ext`` is binary and standard output is a terminal."""
    if ext in BINARY and sys.stdout.isatty():
        raise OutputError(msg("stdout-binary-terminal", format=ext[1:].upper(), ext=ext))


@contextlib.contextmanager
def stdout_file(ext: str) -> Iterator[str]:
    """A private temporary file named ``stdout{ext}`` to write; copied to standard output when
    the block ends without an exception (refused on a terminal for binary ``ext``)."""
    import shutil
    import tempfile

    refuse_terminal(ext)
    with tempfile.TemporaryDirectory(prefix="timeline-") as folder:
        path = os.path.join(folder, "stdout" + ext)
        yield path
        sys.stdout.flush()
        with open(path, "rb") as f:
            shutil.copyfileobj(f, sys.stdout.buffer, 1 << 20)
        sys.stdout.buffer.flush()
