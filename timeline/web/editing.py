"""Editing a case in the browser: the live assessment (``POST /api/assess``) and the errors
as the form shows them.

The case sent is read by the command line's own reader (:func:`timeline.case_from_dict`)
and assessed by :func:`timeline.assess`: the page shows the same errors and the same
results as ``timeline assess``. The first problem found is returned with the record and
field it concerns (``permits[2]``, ``end``), so the page can put it beside that field.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from datetime import date
from typing import Any

from ..assessment import Assessment
from ..dates import parse_date
from ..engine import assess
from ..errors import CaseError, OptionError, TimelineError, msg, show_value
from ..i18n import LANGS
from ..io import case_from_dict
from ..model import Case
from .downloads import chart_file, svg_inline

__all__ = ["MAX_BODY", "BadRequest", "assess_body", "case_errors", "chart_svg", "read_case", "read_json"]

#: The largest request body accepted, in bytes (a case file is a few kilobytes).
MAX_BODY = 1_000_000


class BadRequest(ValueError):
    """A request body that is not what the route takes (400)."""


def read_json(body: bytes) -> dict[str, Any]:
    """The JSON object of a request body (:class:`BadRequest` if it is not one)."""
    try:
        value = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise BadRequest(msg("web-body-not-json", detail=str(err))) from None
    if not isinstance(value, dict):
        raise BadRequest(msg("web-body-not-object"))
    return value


def case_errors(err: TimelineError, lang: str = "en") -> list[dict[str, str]]:
    """The error as the page shows it: the record (``permits[2]``, ``""`` for the top
    level), the field, the value as written, the message in ``lang`` and the check
    (:mod:`timeline.fields`; ``""`` for a problem of the file's structure)."""
    if isinstance(err, CaseError):
        value = "" if err.value is None else show_value(err.value)
        return [
            {
                "record": err.record,
                "field": err.field,
                "value": value,
                "message": err.reason_text(lang),
                "check": err.check,
            }
        ]
    record = "options" if isinstance(err, OptionError) else ""
    return [{"record": record, "field": "", "value": "", "message": err.text(lang), "check": ""}]


def read_case(data: Any, name: str = "<case>") -> Case:
    """The case in ``data`` (the case file's fields) read as ``timeline assess`` reads a file."""
    if not isinstance(data, dict):
        raise BadRequest(msg("web-case-not-object"))
    stem = name.rsplit(".", 1)[0] if name != "<case>" else "case"
    return case_from_dict(data, name, default_id=stem)


def request_as_of(raw: Any) -> date | None:
    """The ``as_of`` a request gives (``None``: none); :class:`BadRequest` if it is not a date."""
    if raw in (None, ""):
        return None
    try:
        return parse_date(str(raw))
    except ValueError:
        raise BadRequest(msg("web-as-of", value=repr(raw))) from None


def request_lang(request: dict[str, Any], query: dict[str, str], default: str) -> str:
    """The language a request asks for (its body's ``lang``, else the query's, else ``default``)."""
    lang = request.get("lang") or query.get("lang") or default
    if lang not in LANGS:
        raise BadRequest(msg("web-lang", value=repr(lang), valid=LANGS))
    return str(lang)


def assess_body(
    body: bytes, default_lang: str, today: date, query: dict[str, str] | None = None
) -> tuple[int, dict[str, Any]]:
    """The answer to ``POST /api/assess``: ``{"case": {...}, "lang": ..., "as_of": ...}``
    (or the case file's fields alone, with ``lang`` and ``as_of`` in the ``query``) gives
    200 with ``ok``, ``now_and_next``, ``assessment`` (``timeline assess --format json``),
    ``chart_url`` (:func:`chart_svg`'s address) and ``chart_svg`` (left out when the
    request has ``"chart_svg": false``); an invalid case 422 with ``ok`` false and ``errors``."""
    request = read_json(body)
    query = query or {}
    if "case" not in request:  # a case file's fields alone (a case has no field "case")
        request = {"case": request}
    lang = request_lang(request, query, default_lang)
    as_of = request_as_of(request.get("as_of") or query.get("as_of"))
    try:
        case = read_case(request.get("case"))
        a = assess(case, as_of or case.as_of or today)
    except TimelineError as err:
        return 422, {"ok": False, "errors": case_errors(err, lang)}
    d = a.to_dict(lang)
    key = _CHARTS.keep(case, a, lang)
    answer = {"ok": True, "now_and_next": d.get("now_and_next"), "assessment": d, "chart_url": f"/api/charts/{key}.svg"}
    if request.get("chart_svg", True) is not False:
        answer["chart_svg"] = _CHARTS.svg(key)
    return 200, answer


def chart_svg(key: str) -> str | None:
    """The chart of ``GET /api/charts/KEY.svg`` (drawn now if it was not yet), as an
    ``<svg>`` element; ``None`` for a key not kept (never given, or long replaced)."""
    return _CHARTS.svg(key)


class _Charts:
    """The last :data:`KEEP` charts of the live assessment, by the SHA-256 of their spec,
    each drawn when first asked: an edit that leaves the chart as it was (a note, an undo,
    an option without effect) has the same key, is not drawn again, and the page, which
    sees the same address, does not even ask for it."""

    KEEP = 64

    def __init__(self) -> None:
        self.kept: OrderedDict[str, tuple[Any, str | None]] = OrderedDict()
        self.lock = threading.Lock()

    def keep(self, case: Case, a: Assessment, lang: str) -> str:
        from ..chart import chart_spec

        spec = chart_spec(a, case, lang=lang)
        # The spec is plain frozen data: equal specs draw equal charts.
        key = hashlib.sha256(repr(spec).encode("utf-8")).hexdigest()[:32]
        with self.lock:
            if key not in self.kept:
                self.kept[key] = (spec, None)
            self.kept.move_to_end(key)
            while len(self.kept) > self.KEEP:
                self.kept.popitem(last=False)
        return key

    def svg(self, key: str) -> str | None:
        with self.lock:
            spec, svg = self.kept.get(key, (None, None))
        if spec is None or svg is not None:
            return svg
        svg = svg_inline(chart_file(spec, "svg"))
        with self.lock:
            if key in self.kept:
                self.kept[key] = (spec, svg)
        return svg


_CHARTS = _Charts()
