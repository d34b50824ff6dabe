"""``timeline serve``, the live chart of the edit page (issue 13, speed): ``POST /api/assess``
with ``"chart_svg": false`` answers without drawing, and the chart comes from
``GET /api/charts/KEY.svg``, KEY the hash of its chart spec; a figure's garbage is freed
when its drawing ends."""

from __future__ import annotations

import gc
import http.client
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import timeline
from timeline.chart import chart_spec, render
from timeline.web import App, make_server
from timeline.web.downloads import chart_file, drawing, svg_inline
from timeline.web.saving import file_data

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
TOKEN = "chart-token-789"
CASE = EXAMPLES / "separation-reported-early.toml"


@pytest.fixture()
def server() -> Iterator[str]:
    app = App(EXAMPLES, token=TOKEN, lang="en")
    srv = make_server(app, "127.0.0.1", 0, quiet=True)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"127.0.0.1:{app.port}"
    srv.shutdown()
    srv.server_close()


def call(address: str, method: str, path: str, body: Any = None, token: str | None = TOKEN) -> tuple[int, str, bytes]:
    """``method path`` (``body`` as JSON) as the edit page sends it: the status, media type and body."""
    headers = {"Content-Type": "application/json", "Origin": f"http://{address}"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn = http.client.HTTPConnection(address, timeout=60)
    try:
        conn.request(method, path, body=None if body is None else json.dumps(body).encode(), headers=headers)
        r = conn.getresponse()
        return r.status, r.getheader("Content-Type") or "", r.read()
    finally:
        conn.close()


def assess(address: str, request: dict[str, Any]) -> dict[str, Any]:
    status, _, body = call(address, "POST", "/api/assess", request)
    assert status == 200, body
    return json.loads(body)


def test_the_chart_comes_from_its_own_address(server: str) -> None:
    data, _ = file_data(CASE)
    inline = assess(server, {"case": data, "lang": "nl"})
    answer = assess(server, {"case": data, "lang": "nl", "chart_svg": False})
    assert "chart_svg" not in answer and answer["assessment"] == inline["assessment"]
    assert answer["chart_url"] == inline["chart_url"]
    status, media, svg = call(server, "GET", answer["chart_url"])
    assert (status, media) == (200, "image/svg+xml")
    assert svg.decode("utf-8") == inline["chart_svg"]
    case = timeline.load_case(CASE)  # the chart of `timeline chart`, in Dutch
    assert inline["chart_svg"] == svg_inline(chart_file(chart_spec(timeline.assess(case), case, lang="nl"), "svg"))


def test_the_address_changes_with_the_chart_only(server: str) -> None:
    data, _ = file_data(CASE)
    first = assess(server, {"case": data, "chart_svg": False})["chart_url"]
    assert assess(server, {"case": {**data, "description": "a note"}, "chart_svg": False})["chart_url"] == first
    assert assess(server, {"case": data, "lang": "nl", "chart_svg": False})["chart_url"] != first
    later = assess(server, {"case": data, "as_of": "2026-01-01", "chart_svg": False})["chart_url"]
    assert later != first and call(server, "GET", later)[0] == 200  # drawn when asked


def test_unknown_charts_and_strangers_are_refused(server: str) -> None:
    data, _ = file_data(CASE)
    url = assess(server, {"case": data, "chart_svg": False})["chart_url"]
    assert call(server, "GET", url, token=None)[0] == 403
    assert call(server, "GET", "/api/charts/" + "0" * 32 + ".svg")[0] == 404
    assert call(server, "GET", url.removesuffix(".svg") + ".png")[0] == 404
    assert call(server, "GET", "/api/charts/../cases.svg")[0] == 404


def test_a_drawing_leaves_no_garbage_and_the_collector_as_it_was() -> None:
    case = timeline.load_case(CASE)
    spec = chart_spec(timeline.assess(case), case)
    gc.collect()
    with drawing():
        render(spec)  # a new figure, dropped: thousands of objects in reference cycles
    assert gc.collect() < 100  # already freed when the drawing ended
    chart_file(spec, "svg")
    gc.collect()
    chart_file(spec, "svg")  # on the figure of the last chart: little to free
    assert gc.collect() < 500
    gc.disable()
    try:
        with drawing():
            pass
        assert not gc.isenabled()  # left off, as it was
    finally:
        gc.enable()
    with drawing():
        assert not gc.isenabled()
    assert gc.isenabled()
