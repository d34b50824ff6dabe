"""Helpers of the web app's tests: a server over a folder, and requests as its pages send them."""

from __future__ import annotations

import http.client
import json
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from timeline.web import App, make_server


@contextmanager
def served(folder: Path, token: str) -> Iterator[str]:
    """``timeline serve folder`` on a free port of 127.0.0.1 with ``token``: its ``host:port``."""
    app = App(folder, token=token, lang="en")
    srv = make_server(app, "127.0.0.1", 0, quiet=True)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        yield f"127.0.0.1:{app.port}"
    finally:
        srv.shutdown()
        srv.server_close()


def call(
    address: str,
    method: str,
    path: str,
    body: Any = None,
    headers: dict[str, str | None] | None = None,
    *,
    token: str,
) -> tuple[int, Any]:
    """``method path`` with ``body`` as JSON, as the page sends it (token, origin); the JSON
    answer (or the text of one that is not JSON). A header given as ``None`` is not sent."""
    data = body if isinstance(body, bytes) else b"" if body is None else json.dumps(body).encode()
    sent: dict[str, str | None] = {
        "Authorization": f"Bearer {token}",
        "Content-Type": "application/json",
        "Origin": f"http://{address}",
        **(headers or {}),
    }
    conn = http.client.HTTPConnection(address, timeout=120)
    try:
        conn.request(method, path, body=data, headers={k: v for k, v in sent.items() if v is not None})
        r = conn.getresponse()
        raw = r.read()
    finally:
        conn.close()
    try:
        return r.status, json.loads(raw)
    except ValueError:
        return r.status, raw.decode("utf-8", "replace")


@contextmanager
def one_case_site(tmp: Path, case: Path, token: str) -> Iterator[tuple[str, Path]]:
    """``timeline serve`` over a new folder holding a copy of ``case``: its address and the folder."""
    folder = tmp / "cases"
    folder.mkdir()
    shutil.copy(case, folder / case.name)
    with served(folder, token) as address:
        yield f"http://{address}", folder


@contextmanager
def signed_in(base: str, token: str) -> Iterator[Any]:
    """A headless Chromium (tests/browser.py) that opened the address 'timeline serve' prints:
    the token is in its cookie."""
    from browser import Browser

    with Browser() as b:
        b.open(f"{base}/?token={token}")
        yield b
