"""The folder of cases: each file loaded and assessed by the single-case engine, once per
change, and the caseload as rows of data (the pages and ``/api/cases`` write them out).

The evaluation date of a case is the one asked for (``?as_of=``), else the case file's
``as_of``, else today: as ``timeline assess`` does. A file's result is kept until its
modification time or size changes, or the date changes. For 2,000 files on a 2-core
machine (benchmarks/bench_web.py): 1.6 to 1.8 s for the first caseload, of which the
engine's own loop over the files is 0.9 to 1.1 s; 0.2 s for a reload, which only looks at
the files and writes the page. ``timeline serve`` fills the cache before it prints its
address, so the first page a user opens is a reload.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from ..assessment import Assessment
from ..engine import assess
from ..errors import TimelineError
from ..i18n import phrase
from ..io import load_case
from ..model import Case
from ..now_next import now_and_next_dict
from ..report.explain import namer
from .security import case_names, case_path

__all__ = [
    "DEADLINE_KINDS",
    "SOON_DAYS",
    "URGENT_DAYS",
    "CaseRow",
    "Entry",
    "Folder",
    "case_row",
    "caseload_rows",
    "row_dict",
    "today",
]

#: The kinds of action (:data:`timeline.actions.KINDS`) that are a last day to act: the
#: caseload shows a case's next one (else its next action of any kind) and sorts by it.
DEADLINE_KINDS = ("deadline", "window-closes")
#: A deadline this many days away or fewer is urgent (marked red), within :data:`SOON_DAYS` soon.
URGENT_DAYS = 7
SOON_DAYS = 28


def today() -> date:
    """Today's civil date in the Netherlands (DC-7), the default evaluation date."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo("Europe/Amsterdam")).date()


class Entry(NamedTuple):
    """One case file: its case and assessment, or the error that stopped it (``error``: the
    command line's message; ``problem``: the exception, for the CSV's record and field)."""

    name: str
    case: Case | None
    assessment: Assessment | None
    error: str | None
    problem: Exception | None = None
    where: str = ""  #: the file's path as the error names it (replaced by ``name`` when shown)

    def error_text(self, lang: str) -> str | None:
        """The error in ``lang`` (the command line's message with ``--lang``), naming the file by ``name``."""
        if isinstance(self.problem, TimelineError):
            text = self.problem.text(lang)
            return text.replace(self.where, self.name) if self.where else text
        return self.error


class Folder:
    """The case files directly in ``root``, each assessed at most once per change.

    Safe to use from several threads (the server answers requests in threads).
    """

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root).resolve()
        self._cache: dict[str, tuple[tuple[Any, ...], Entry]] = {}
        self._rows: dict[tuple[str, str], tuple[Entry, CaseRow]] = {}
        self._lock = threading.Lock()

    def names(self) -> list[str]:
        """The case files' names, sorted."""
        return case_names(self.root)

    def path(self, name: str) -> Path | None:
        """The file ``name`` if it is a case file in the folder (see :func:`~timeline.web.security.case_path`)."""
        return case_path(self.root, name)

    def entry(self, name: str, as_of: date | None, on: date) -> Entry | None:
        """The case ``name`` assessed on ``as_of`` (else its own, else ``on``); ``None`` if not a case file."""
        path = self.path(name)
        if path is None:
            return None
        try:
            st = path.stat()
        except OSError:
            return None
        key = (st.st_mtime_ns, st.st_size, as_of, on)
        with self._lock:
            cached = self._cache.get(name)
        if cached is not None and cached[0] == key:
            return cached[1]
        found = _assess(path, name, as_of, on)
        with self._lock:
            self._cache[name] = (key, found)
        return found

    def entries(self, as_of: date | None, on: date) -> list[Entry]:
        """Every case file in the folder, assessed (files removed meanwhile are left out)."""
        names = self.names()
        with self._lock:
            for gone in set(self._cache) - set(names):
                del self._cache[gone]
            for key in [k for k in self._rows if k[0] not in names]:
                del self._rows[key]
        with collector_paused():
            return [e for n in names if (e := self.entry(n, as_of, on)) is not None]

    def rows(self, entries: Iterable[Entry], lang: str) -> list[CaseRow]:
        """:meth:`row` of each entry."""
        with collector_paused():
            return [self.row(e, lang) for e in entries]

    def row(self, e: Entry, lang: str) -> CaseRow:
        """:func:`case_row` of ``e``, kept while ``e`` is the file's current entry."""
        with self._lock:
            kept = self._rows.get((e.name, lang))
        if kept is not None and kept[0] is e:
            return kept[1]
        found = case_row(e, lang)
        with self._lock:
            self._rows[(e.name, lang)] = (e, found)
        return found


def _assess(path: Path, name: str, as_of: date | None, on: date) -> Entry:
    """Load and assess one file; its error as the command line words it, naming the file by ``name``."""
    try:
        case = load_case(path)
        return Entry(name, case, assess(case, as_of or case.as_of or on), None)
    except TimelineError as err:
        return Entry(name, None, None, str(err).replace(str(path), name), _bare(err), str(path))
    except Exception as err:
        return Entry(name, None, None, f"{name}: cannot be assessed: {type(err).__name__}: {err}", _bare(err))


def _bare(err: Exception) -> Exception:
    """``err`` without its traceback and the exceptions it was raised from: kept in the cache,
    it must not keep the reader's frames (and their data) alive."""
    err.__traceback__ = err.__context__ = err.__cause__ = None
    return err


@contextmanager
def collector_paused(collect_young: bool = False) -> Iterator[None]:
    """The cyclic garbage collector paused for the block (it stays off if it was off), and
    with ``collect_young`` its youngest generation collected afterwards.

    While the folder is assessed: every assessment kept makes each full pass longer (2,000
    files: about a third of the time, 2.8 against 1.6 s), and assessing makes no cycles to
    collect (a rejected file's are broken at once). While a chart is drawn: see
    :func:`timeline.web.downloads.drawing`.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
            if collect_young:
                gc.collect(0)


class CaseRow(NamedTuple):
    """A row of the caseload: ``status`` and ``next`` as in ``now_and_next_dict`` (``next``
    the next deadline, else the next action, with its ``kind``),
    ``when`` the earliest eligibility (with ``what``, the route's name), ``urgency``
    ``urgent``, ``soon``, ``gap`` or ``""``."""

    name: str
    id: str | None
    as_of: str | None
    status: dict[str, Any] | None
    next: dict[str, Any] | None
    ahead: int
    when: dict[str, Any] | None
    warnings: int
    urgency: str
    error: str | None


def case_row(e: Entry, lang: str) -> CaseRow:
    """The caseload row of ``e`` in ``lang``."""
    if e.assessment is None or e.assessment.now_and_next is None:
        return CaseRow(e.name, None, None, None, None, 0, None, 0, "", e.error_text(lang))
    a = e.assessment
    nn = now_and_next_dict(a.now_and_next, lang)
    kinds = [u.action.kind for u in a.now_and_next.ahead]  # in the order of nn["ahead"]
    first = next((i for i, k in enumerate(kinds) if k in DEADLINE_KINDS), 0 if kinds else None)
    nxt = None if first is None else {**nn["ahead"][first], "kind": kinds[first]}
    if nxt is not None and e.case is not None:  # "... (applications[0])" -> "... (extension application received ...)"
        names = {x["record"]: x["name"] for x in [nn["status"], nxt] if x.get("record") and x.get("name")}
        nxt = {**nxt, "what": namer(e.case, lang, names)(nxt["what"])}
    dated = [w for w in nn["eligibility"] if w["date"] is not None]
    when = min(dated, key=lambda w: (not w["can_apply_now"], w["date"])) if dated else None
    if when is not None:
        when = {**when, "what": phrase("now", f"what-{when['route']}", lang, route=_route(when, lang))}
    days = nxt["days_left"] if nxt and nxt["kind"] in DEADLINE_KINDS else None
    gap = nn["status"]["state"] == "gap" and not nn["status"]["expected"]  # an expected withdrawal is not yet a gap
    urgency = (
        "urgent"
        if days is not None and days <= URGENT_DAYS
        else "soon"
        if days is not None and days <= SOON_DAYS
        else "gap"
        if gap
        else ""
    )
    return CaseRow(e.name, a.id, nn["as_of"], nn["status"], nxt, len(nn["ahead"]), when, len(a.warnings), urgency, None)


def _route(when: dict[str, Any], lang: str) -> str:
    from ..i18n import route_label

    return route_label(when["detail"], lang) if when.get("detail") else ""


def caseload_rows(rows: list[CaseRow], query: str = "") -> tuple[list[CaseRow], list[CaseRow]]:
    """(cases, invalid files): the cases sorted by the most urgent deadline first (the fewest
    days left; then the cases with only other actions ahead, soonest first; then those with
    nothing ahead, those in a residence gap first among them),
    then by name; ``query`` keeps the rows whose name, id or status contains it (any case)."""
    q = query.strip().casefold()
    if q:
        rows = [r for r in rows if q in _haystack(r)]
    cases = [r for r in rows if r.error is None]
    cases.sort(
        key=lambda r: (
            r.next is None,
            r.next is not None and r.next["kind"] not in DEADLINE_KINDS,
            r.next["days_left"] if r.next else 0,
            not (r.status and r.status["state"] == "gap"),
            r.name,
        )
    )
    return cases, [r for r in rows if r.error is not None]


def _haystack(r: CaseRow) -> str:
    parts = [r.name, r.id or "", r.error or "", (r.status or {}).get("text", ""), (r.next or {}).get("what", "")]
    return " ".join(parts).casefold()


def row_dict(r: CaseRow) -> dict[str, Any]:
    """A row for ``GET /api/cases``: ``name``, ``id``, ``as_of``, ``status`` (state, since, until,
    text), ``next_action`` (date, days_left, what, rule), ``eligibility`` (route, date, text),
    ``warnings``, ``urgency``, ``error``."""
    status = None if r.status is None else {k: r.status[k] for k in ("state", "since", "until", "days", "text")}
    nxt = None if r.next is None else {k: r.next[k] for k in ("date", "days_left", "what", "kind", "rule", "who")}
    when = None if r.when is None else {k: r.when[k] for k in ("route", "date", "can_apply_now", "text")}
    return {
        "name": r.name,
        "id": r.id,
        "as_of": r.as_of,
        "status": status,
        "next_action": nxt,
        "eligibility": when,
        "warnings": r.warnings,
        "urgency": r.urgency,
        "error": r.error,
    }
