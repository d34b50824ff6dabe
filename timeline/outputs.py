"""Writing output files safely: whole or not at all, and never over an input.

Every file the tool writes goes first to a hidden temporary file in the same folder
(``.NAME.XXXXXXXX.partial``) and is renamed over the target only once it is complete, so
a full disk, an error or an interrupted run leaves the earlier file untouched and no
partial file behind. A rename within one folder is atomic on POSIX and Windows
(:func:`os.replace`).

Several outputs of one run (a batch run's results, errors and gaps) are written with
:class:`OutputSet`: all are written to temporary files first and renamed into place
together at the end, so either every new file appears or none does. (Only a kill between
two renames, a few microseconds, can leave some renamed; a SIGKILL also cannot remove the
hidden temporary files it interrupts.)

Before any work starts, :func:`check_outputs` refuses an output that is one of the inputs
or the same file as another output, a folder that does not exist or cannot be written,
and a wrong extension; :func:`check_output` checks one output file (a chart, a report) for
the last three.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence

from .errors import Message, TimelineError, msg

__all__ = ["OutputError", "OutputSet", "check_output", "check_outputs", "replacing", "terminate_cleanly"]


class OutputError(TimelineError):
    """An output location that cannot or must not be written."""


def _same_file(a: str, b: str) -> bool:
    """Whether paths ``a`` and ``b`` name the same file (existing or not)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b))


def check_outputs(
    outputs: Mapping[str, str | None],
    inputs: Iterable[str] = (),
    extensions: Mapping[str, Sequence[str]] | None = None,
) -> None:
    """Refuse outputs that would overwrite an input, each other, or cannot be written.

    Parameters
    ----------
    outputs
        Option name (as the user typed it, e.g. ``"-o"``, ``"--errors"``) to path; ``None``
        entries are skipped.
    inputs
        The paths read by the same run.
    extensions
        Option name to the allowed extensions (lower case, with the dot).

    Raises
    ------
    OutputError
        Naming the option, the path and what would be valid.
    """
    given = [(name, os.fspath(path)) for name, path in outputs.items() if path is not None]
    sources = [os.fspath(p) for p in inputs]
    for i, (name, path) in enumerate(given):
        allowed = (extensions or {}).get(name)
        ext = os.path.splitext(path)[1].lower()
        if allowed and ext not in allowed:
            shown = msg("output-ext", ext=ext) if ext else msg("output-no-ext")
            raise OutputError(msg("output-wrong-ext", name=name, path=path, shown=shown, valid=tuple(allowed)))
        for source in sources:
            if _same_file(path, source):
                raise OutputError(msg("output-is-input", name=name, path=path))
        for other_name, other in given[:i]:
            if _same_file(path, other):
                raise OutputError(msg("output-same-file", name=name, path=path, other=other_name))
        if os.path.isdir(path):
            raise OutputError(msg("output-is-folder", name=name, path=path))
        folder = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(folder):
            raise OutputError(msg("output-no-folder", name=name, path=path, folder=folder))
        if not os.access(folder, os.W_OK | os.X_OK):
            raise OutputError(msg("output-folder-read-only", name=name, path=path, folder=folder))
        if os.path.exists(path) and not os.access(path, os.W_OK):
            raise OutputError(msg("output-read-only", name=name, path=path))


def check_output(
    path: str | os.PathLike[str], formats: Sequence[str], what: str, *, error: type[TimelineError] = OutputError
) -> str:
    """The extension of ``path`` if ``what`` can be written there, else ``error``.

    One output file named on its own (a chart, a report): checks the extension against
    ``formats`` (lower case, with the dot), that ``path`` is not a folder, and that its
    folder exists and is writable, before any work is done. ``error`` is the caller's
    error class (a chart command raises :class:`timeline.chart.ChartError`).
    """
    from pathlib import Path  # not at import: pathlib costs `timeline assess` about 5 ms

    out = Path(path)
    ext = out.suffix.lower()
    thing = what if isinstance(what, Message) or what not in _WHAT else msg(_WHAT[what])
    if out.is_dir():
        raise error(msg("output-folder-not-file", path=str(out), ext=formats[0]))
    if ext not in formats:
        shown = msg("output-extension", ext=repr(out.suffix)) if ext else msg("output-no-extension")
        key = "output-cannot-write-one-of" if len(formats) > 1 else "output-cannot-write-only"
        raise error(msg(key, path=str(out), what=thing, shown=shown, valid=tuple(formats)))
    parent = out.parent
    if not parent.is_dir():
        raise error(msg("output-missing-folder", path=str(out), what=thing, folder=str(parent)))
    if not os.access(parent, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise error(msg("output-permission", path=str(out), what=thing))
    return ext


#: What the callers of :func:`check_output` write, to its text in the catalogues.
_WHAT = {
    "a chart": "output-what-chart",
    "a report": "output-what-report",
    "a JSON Schema": "output-what-schema",
    "a case file": "output-what-case-file",
}


def _final_mode(path: str) -> int:
    """The permission bits the file gets: those of the file it replaces, else 0o666 less the umask."""
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o666 & ~umask


def _temporary(path: str) -> str:
    import tempfile  # here: `import timeline` (and so `timeline assess`) has a start-up budget

    folder, name = os.path.split(os.path.abspath(path))
    handle, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".partial", dir=folder)
    os.close(handle)
    return tmp


def _discard(tmp: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(tmp)


@contextlib.contextmanager
def replacing(path: str | os.PathLike[str]) -> Iterator[str]:
    """Write ``path`` whole or not at all.

    Yields the name of a temporary file beside ``path``; write the output there. When the
    block ends without an exception the temporary file replaces ``path``; otherwise it is
    deleted and ``path`` is left as it was.

    >>> import os, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> target = os.path.join(folder, "out.txt")
    >>> with replacing(target) as tmp:
    ...     _ = open(tmp, "w").write("whole")
    >>> open(target).read(), os.listdir(folder)
    ('whole', ['out.txt'])
    """
    target = os.fspath(path)
    with OutputSet() as outputs:
        yield outputs.add(target)


class OutputSet:
    """Several outputs of one run, renamed into place together when the run succeeds.

    Use as a context manager; :meth:`add` gives the temporary name to write each output
    to. On an exception (including :class:`KeyboardInterrupt` and the
    :class:`SystemExit` raised by :func:`terminate_cleanly` on SIGTERM) every temporary
    file is deleted and no target is touched.
    """

    def __init__(self) -> None:
        self._pending: list[tuple[str, str]] = []  # (temporary, target)

    def add(self, path: str | os.PathLike[str]) -> str:
        """Reserve a temporary file for ``path`` and return its name."""
        target = os.fspath(path)
        tmp = _temporary(target)
        self._pending.append((tmp, target))
        return tmp

    def __enter__(self) -> OutputSet:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        pending, self._pending = self._pending, []
        if kind is not None:
            for tmp, _ in pending:
                _discard(tmp)
            return
        try:
            for tmp, target in pending:
                os.chmod(tmp, _final_mode(target))
            for tmp, target in pending:
                os.replace(tmp, target)
        except OSError as err:
            for tmp, _ in pending:
                _discard(tmp)
            raise OutputError(msg("output-write-failed", path=target, reason=err.strerror or str(err))) from None


def terminate_cleanly() -> None:
    """Turn SIGTERM into :class:`SystemExit` (exit status 143), so a killed run cleans up.

    Python's default for SIGTERM ends the process at once, leaving temporary files; with
    this handler the ``finally`` blocks and context managers of :class:`OutputSet` run.
    Call it only from the main thread of a command-line run.
    """

    import signal

    def _exit(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, _exit)
