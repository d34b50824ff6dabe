"""Routing and the HTTP server of ``timeline serve``.

The standard library's :class:`~http.server.ThreadingHTTPServer` serves it: the app is a
handful of routes over local files, for one user on their own machine (editing adds three
JSON routes, which read a body of at most :data:`~timeline.web.editing.MAX_BODY` bytes),
so a framework (Starlette with uvicorn, Jinja2) would add three dependencies and an event
loop for no gain; :class:`App` keeps routing apart from the HTTP machinery, so it can move
under another server if it ever needs one.

Routes (see README "Web app"): ``/``, ``/cases/NAME``, ``/cases/NAME/file``,
``/cases/NAME/edit``, ``/cases/NAME/{assessment.json,deadlines.ics,report.pdf,chart.svg,chart.png,chart.pdf}``,
``/cases/NAME/scenarios``, ``/cases.csv``, ``/api/cases``, ``/api/cases/NAME/assessment``,
``/api/charts/KEY.svg`` (a chart of ``POST /api/assess``), ``/static/...``;
``POST /api/assess``, ``PUT /cases/NAME`` (also ``/api/cases/NAME``), ``POST /cases``;
``POST /api/scenarios``, ``PUT /api/cases/NAME/scenarios`` (also ``/cases/NAME/scenarios``,
the case's scenario file ``NAME.scenarios.toml``); the query takes
``lang=en|nl``, ``as_of=YYYY-MM-DD`` and, on ``/``, ``q=`` (the filter).
"""

from __future__ import annotations

import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

from ..errors import Number, TimelineError, error_text, msg, text_in
from ..i18n import LANGS
from .caseload import Entry, Folder, caseload_rows, row_dict, today
from .casepage import case_page, invalid_case_page
from .downloads import DOWNLOADS, download, svg_inline
from .editing import (
    MAX_BODY,
    BadRequest,
    assess_body,
    case_errors,
    chart_svg,
    read_json,
    request_as_of,
    request_lang,
)
from .editpage import edit_page
from .pages import View, caseload_page, error_page
from .saving import Conflict, file_data, new_case, save_case
from .scenarioapi import SpecError, save_scenarios
from .scenariopage import scenario_answer, scenario_page
from .security import authorised, change_refused, check_bind, cookie_header, known_host, new_token

__all__ = ["App", "Response", "make_server", "serve"]

#: Headers on every response: nothing from elsewhere may load (no CDN, no font service, no
#: telemetry), no inline script, no framing, no referrer, nothing cached (clients' files).
#: Inline styles are allowed for the chart (matplotlib's SVG styles its elements inline).
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self' 'unsafe-inline'; script-src 'self'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
}
#: The static files, by name, with their media types (only these are served).
STATIC = {
    "app.css": "text/css; charset=utf-8",
    "caseload.js": "text/javascript; charset=utf-8",
    "edit.js": "text/javascript; charset=utf-8",
    "scenarios.js": "text/javascript; charset=utf-8",
    "scenarios.css": "text/css; charset=utf-8",
}
HTML = "text/html; charset=utf-8"
MEDIA = {".toml": "application/toml; charset=utf-8", ".json": "application/json; charset=utf-8"}


class Response(NamedTuple):
    """A status, a body and its headers."""

    status: int
    body: bytes
    headers: dict[str, str]


def _html(status: int, text: str) -> Response:
    return Response(status, text.encode("utf-8"), {"Content-Type": HTML})


def _json(status: int, value: Any) -> Response:
    data = json.dumps(value, indent=2, ensure_ascii=False).encode("utf-8")
    return Response(status, data, {"Content-Type": "application/json; charset=utf-8"})


def _attachment(filename: str) -> str:
    """A ``Content-Disposition`` that offers ``filename`` whatever characters it has (RFC 6266)."""
    plain = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else "_" for ch in filename)
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename, safe='')}"


class App:
    """The web app over the case files in ``cases_dir``: :meth:`respond` maps a request to a
    :class:`Response`. ``token`` (``None``: none needed, loopback only) guards every route."""

    def __init__(self, cases_dir: str | Path, *, token: str | None, lang: str = "en", port: int = 0) -> None:
        self.folder = Folder(cases_dir)
        self.token, self.lang, self.port, self.host = token, lang, port, "127.0.0.1"
        self._charts: dict[tuple[str, str], tuple[Entry, str]] = {}
        self._lock = threading.Lock()
        self._saving = threading.Lock()  # one save at a time: the check for a change on disk, then the write

    def respond(self, method: str, target: str, headers: Any, body: bytes | None = b"") -> Response:
        """The response to ``method target`` with the request's ``headers`` (a mapping) and
        ``body`` (``None``: longer than :data:`~timeline.web.editing.MAX_BODY`)."""
        url = urlsplit(target)
        query = {k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        asked = query.get("lang")
        view = View(asked if asked in LANGS else self.lang, None, today())
        if not known_host(headers.get("Host"), self.host):
            return _html(403, error_page(403, msg("web-unknown-host"), view))
        if not authorised(
            self.token,
            self.port,
            query=query.get("token"),
            cookies=headers.get("Cookie"),
            auth=headers.get("Authorization"),
        ):
            return _html(403, error_page(403, msg("web-token-needed"), view))
        if method in ("POST", "PUT"):
            return self._change(method, url.path, query, headers, body)
        if "token" in query and self.token:  # keep it in a cookie, and out of the address bar and history
            rest = urlencode({k: v for k, v in query.items() if k != "token"})
            location = "/" + url.path.lstrip("/") + ("?" + rest if rest else "")  # never "//host"
            return Response(303, b"", {"Location": location, "Set-Cookie": cookie_header(self.port, self.token)})
        if method not in ("GET", "HEAD"):
            return Response(405, b"not allowed\n", {"Allow": "GET, HEAD", "Content-Type": "text/plain"})
        try:
            view = _view(query, self.lang)
        except ValueError as err:
            return _html(400, error_page(400, error_text(err, view.lang), view))
        return self._route([unquote(p) for p in url.path.split("/")[1:]], view, query)

    def _change(self, method: str, path: str, query: dict[str, str], headers: Any, body: bytes | None) -> Response:
        """A ``POST`` or ``PUT``: the live assessment, saving a case, a new case (405 elsewhere)."""
        match method, [unquote(p) for p in path.split("/")[1:]]:
            case "POST", ["api", "assess"]:
                kind, name = "assess", ""
            case "PUT", ["cases", name] | ["api", "cases", name]:
                kind = "save"
            case "POST", ["cases"]:
                kind, name = "new", ""
            case "POST", ["api", "scenarios"]:
                kind, name = "scenarios", ""
            case "PUT", ["cases", name, "scenarios"] | ["api", "cases", name, "scenarios"]:
                kind = "save-scenarios"
            case _:
                return Response(405, b"not allowed\n", {"Allow": "GET, HEAD", "Content-Type": "text/plain"})
        lang = query["lang"] if query.get("lang") in LANGS else self.lang
        refused = change_refused(headers.get("Origin"), headers.get("Host"), headers.get("Content-Type"))
        if refused is not None:
            return _refuse(*refused, lang)
        if body is None:
            return _refuse(413, msg("web-body-too-large", limit=Number(MAX_BODY)), lang)
        try:
            if kind == "assess":
                return _json(*assess_body(body, self.lang, today(), query))
            request = read_json(body)
            if kind == "scenarios":
                return _json(*scenario_answer(request, self.folder, self.lang, today(), query))
            if kind == "save-scenarios":
                return self._save_scenarios(name, request, query)
            return self._save(name, request) if kind == "save" else self._new(request)
        except BadRequest as err:
            return _refuse(400, error_text(err, lang), lang)

    def _save(self, name: str, request: dict[str, Any]) -> Response:
        lang = str(request.get("lang")) if request.get("lang") in LANGS else self.lang
        path = self.folder.path(name)
        if path is None:
            return _refuse(404, msg("web-not-found"), lang)
        with self._saving:
            try:
                sha = save_case(path, request.get("case"), request.get("sha"))
            except Conflict as err:
                return _json(409, {"ok": False, "conflict": True, "errors": [_error(error_text(err, lang))]})
            except TimelineError as err:
                return _json(422, {"ok": False, "errors": case_errors(err, lang)})
        return _json(200, {"ok": True, "name": name, "sha": sha})

    def _save_scenarios(self, name: str, request: dict[str, Any], query: dict[str, str]) -> Response:
        """``PUT /api/cases/NAME/scenarios``: the named scenarios into the case's scenario file."""
        lang = request_lang(request, query, self.lang)
        e = self.folder.entry(name, None, today())
        if e is None:
            return _refuse(404, msg("web-not-found"), lang)
        if e.case is None:
            return _json(422, {"ok": False, "errors": [_error(e.error_text(lang) or "")]})
        with self._saving:
            try:
                return _json(200, save_scenarios(self.folder.root, name, e.case, request, lang))
            except LookupError:
                return _refuse(404, msg("web-not-found"), lang)
            except Conflict as err:
                return _json(409, {"ok": False, "conflict": True, "errors": [_error(error_text(err, lang))]})
            except SpecError as err:
                return _json(422, {"ok": False, "errors": err.errors})

    def _new(self, request: dict[str, Any]) -> Response:
        lang = str(request.get("lang")) if request.get("lang") in LANGS else self.lang
        try:
            path = new_case(self.folder.root, request.get("name"), today())
        except Conflict as err:
            return _json(409, {"ok": False, "conflict": True, "errors": [_error(error_text(err, lang))]})
        location = f"/cases/{quote(path.name, safe='')}/edit"
        return Response(
            201,
            _json(201, {"ok": True, "name": path.name, "url": location}).body,
            {"Content-Type": "application/json; charset=utf-8", "Location": location},
        )

    def _route(self, parts: list[str], view: View, query: dict[str, str] | None = None) -> Response:
        """``parts``: the path's segments, each decoded on its own (an encoded slash stays inside its segment)."""
        match parts:
            case [""]:
                return self._caseload(view)
            case ["api", "cases"]:
                return self._api_cases(view)
            case ["cases.csv"]:  # web caseload csv: the batch results of the folder
                return self._csv(view)
            case ["api", "cases", name, "assessment"]:
                return self._download(name, "api", view)
            case ["api", "charts", file] if file.endswith(".svg") and (svg := chart_svg(file[:-4])) is not None:
                return Response(200, svg.encode("utf-8"), {"Content-Type": DOWNLOADS["chart.svg"]})
            case ["cases", name]:
                return self._case(name, view)
            case ["cases", name, "edit"]:
                return self._edit(name, view)
            case ["cases", name, "file"]:
                return self._file(name, view)
            case ["cases", name, "scenarios"]:
                return self._scenarios(name, view, query or {})
            case ["cases", name, part] if part in DOWNLOADS:
                return self._download(name, part, view)
            case ["static", name] if name in STATIC:
                data = resources.files(__package__).joinpath("static", name).read_bytes()
                return Response(200, data, {"Content-Type": STATIC[name]})
        return _html(404, error_page(404, msg("web-not-found"), view))

    def _caseload(self, view: View) -> Response:
        entries = self.folder.entries(view.as_of, view.today)
        cases, invalid = caseload_rows(self.folder.rows(entries, view.lang), view.query)
        return _html(200, caseload_page(cases, invalid, len(entries), self.folder.root.name, view))

    def _api_cases(self, view: View) -> Response:
        entries = self.folder.entries(view.as_of, view.today)
        cases, invalid = caseload_rows(self.folder.rows(entries, view.lang), view.query)
        return _json(200, [row_dict(r) for r in [*cases, *invalid]])

    def _csv(self, view: View) -> Response:
        """``GET /cases.csv``: the rows of the caseload (filtered by ``q``, in its order) as
        ``timeline batch`` writes them (:mod:`~timeline.web.caseload_csv`)."""
        from .caseload_csv import caseload_csv

        entries = {e.name: e for e in self.folder.entries(view.as_of, view.today)}
        cases, invalid = caseload_rows(self.folder.rows(entries.values(), view.lang), view.query)
        try:
            data = caseload_csv([entries[r.name] for r in [*cases, *invalid]], self.folder.root)
        except ModuleNotFoundError as err:  # pandas or pyarrow: the batch extra
            text = f'the CSV needs the batch extra: pip install "dutch-residence-timeline[batch]" ({err.name})'
            return _html(501, error_page(501, text, view))
        name = f"{self.folder.root.name or 'cases'}{'-' + view.as_of.isoformat() if view.as_of else ''}.csv"
        return Response(
            200, data, {"Content-Type": "text/csv; charset=utf-8", "Content-Disposition": _attachment(name)}
        )

    def _entry(self, name: str, view: View) -> Entry | Response:
        e = self.folder.entry(name, view.as_of, view.today)
        return _html(404, error_page(404, msg("web-not-found"), view)) if e is None else e

    def _case(self, name: str, view: View) -> Response:
        e = self._entry(name, view)
        if isinstance(e, Response):
            return e
        if e.error is not None:
            return _html(422, invalid_case_page(e, view))
        return _html(200, case_page(e, self._svg(e, view.lang), view))

    def _scenarios(self, name: str, view: View, query: dict[str, str]) -> Response:
        e = self._entry(name, view)
        if isinstance(e, Response):
            return e
        if e.error is not None:
            return _html(422, invalid_case_page(e, view))
        return _html(*scenario_page(e, view, query, self.folder))

    def _svg(self, e: Entry, lang: str) -> str:
        """The chart of ``e`` as an inline ``<svg>``, drawn once per change of the file."""
        with self._lock:
            kept = self._charts.get((e.name, lang))
        if kept is not None and kept[0] is e:
            return kept[1]
        assert e.case is not None and e.assessment is not None
        path = self.folder.path(e.name)
        assert path is not None
        svg = svg_inline(download("chart.svg", e.case, e.assessment, path, lang).data)
        with self._lock:
            self._charts[(e.name, lang)] = (e, svg)
        return svg

    def _edit(self, name: str, view: View) -> Response:
        path = self.folder.path(name)
        if path is None:
            return _html(404, error_page(404, msg("web-not-found"), view))
        try:
            data, sha = file_data(path)
        except ValueError as err:  # not TOML or JSON (the decoders' errors are ValueErrors)
            return _html(422, error_page(422, f"{name}: {error_text(err, view.lang)}", view))
        return _html(200, edit_page(name, data, sha, view))

    def _file(self, name: str, view: View) -> Response:
        path = self.folder.path(name)
        if path is None:
            return _html(404, error_page(404, msg("web-not-found"), view))
        media = MEDIA[path.suffix.lower()]
        return Response(200, path.read_bytes(), {"Content-Type": media, "Content-Disposition": _attachment(name)})

    def _download(self, name: str, part: str, view: View) -> Response:
        e = self._entry(name, view)
        if isinstance(e, Response):
            return e
        if e.error is not None or e.case is None or e.assessment is None:
            return _json(422, {"name": name, "error": e.error_text(view.lang)})
        if part == "api":
            return _json(200, e.assessment.to_dict(view.lang))
        path = self.folder.path(name)
        assert path is not None
        d = download(part, e.case, e.assessment, path, view.lang)
        return Response(200, d.data, {"Content-Type": d.media_type, "Content-Disposition": _attachment(d.filename)})


def _error(message: str) -> dict[str, str]:
    return {"record": "", "field": "", "value": "", "message": message}


def _refuse(status: int, message: str, lang: str = "en") -> Response:
    """A refused change, in the shape of ``POST /api/assess``'s errors, in ``lang``."""
    return _json(status, {"ok": False, "errors": [_error(text_in(message, lang))]})


def _view(query: dict[str, str], default_lang: str) -> View:
    """The page's language, evaluation date and filter from the query (:class:`ValueError` if invalid)."""
    lang = request_lang({}, query, default_lang)
    return View(lang, request_as_of(query.get("as_of")), today(), query.get("q", "")[:200])


class Handler(BaseHTTPRequestHandler):
    """Hands each request to the server's :class:`App` and writes its :class:`Response`."""

    server: Server
    server_version = "timeline"
    sys_version = ""

    def _body(self) -> bytes | None:
        """The request's body; ``None`` (and the connection closed) when it is too large."""
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            self.close_connection = True
            left = length if 0 < length <= 8 * MAX_BODY else 0
            while left > 0:  # read what a client sends anyway, so that it gets the 413 rather than a reset
                chunk = self.rfile.read(min(left, 65536))
                if not chunk:
                    break
                left -= len(chunk)
            return None
        return self.rfile.read(length) if length else b""

    def _answer(self) -> None:
        try:
            body = self._body() if self.command in ("POST", "PUT") else b""
            r = self.server.app.respond(self.command, self.path, self.headers, body)
        except Exception as err:
            print(f"timeline serve: {self.command} {self.path.split('?')[0]}: {err!r}", file=sys.stderr)
            r = Response(500, b"internal error\n", {"Content-Type": "text/plain; charset=utf-8"})
        try:
            self.send_response(r.status)
            for k, v in {**SECURITY_HEADERS, **r.headers, "Content-Length": str(len(r.body))}.items():
                self.send_header(k, v)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(r.body)
        except (BrokenPipeError, ConnectionResetError):  # the page gave up the request (a newer edit): fine
            self.close_connection = True

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = _answer

    def log_message(self, format: str, *args: Any) -> None:
        """One line per request on stderr, without the query (it may hold the token)."""
        if not self.server.quiet:
            sys.stderr.write(f"{self.command} {self.path.split('?')[0]} {args[1] if len(args) > 1 else ''}\n")


class Server(ThreadingHTTPServer):
    """A threading HTTP server holding its :class:`App`."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], app: App, quiet: bool = False) -> None:
        self.app, self.quiet = app, quiet
        super().__init__(address, Handler)


def make_server(app: App, host: str = "127.0.0.1", port: int = 8765, *, quiet: bool = False) -> Server:
    """A server for ``app`` bound to ``host:port`` (``port`` 0: a free one), not yet serving.

    Raises :class:`ValueError` for an address other than loopback when ``app`` has no token.
    """
    check_bind(host, app.token)
    server = Server((host, port), app, quiet)
    app.host, app.port = host, server.server_address[1]
    return server


def serve(
    cases_dir: str | Path, *, host: str = "127.0.0.1", port: int = 8765, lang: str = "en", open_browser: bool = False
) -> None:
    """Serve the cases in ``cases_dir`` until interrupted (Ctrl-C), printing the address with its token."""
    app = App(cases_dir, token=new_token(), lang=lang)
    server = make_server(app, host, port)
    started = time.perf_counter()
    entries = app.folder.entries(None, today())  # the first page then comes from the cache
    app.folder.rows(entries, lang)
    print(f"Assessed {len(entries)} case files in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    shown = f"[{host}]" if ":" in host else host
    address = f"http://{shown}:{app.port}/?token={app.token}"
    print(f"Serving the cases in {app.folder.root} at {address}", flush=True)
    print("Press Ctrl-C to stop.", file=sys.stderr, flush=True)
    if open_browser:
        import webbrowser

        webbrowser.open(address)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
