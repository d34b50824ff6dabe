"""A headless Chromium driven over the DevTools protocol, with the standard library only.

For the browser tests of ``timeline serve``: open a page, run JavaScript in it, wait for a
condition. No Selenium or Playwright and no browser download: the system's ``chromium``
(Debian's package) is started with a fresh profile and a free debugging port.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import struct
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

__all__ = ["Browser", "chromium"]


def chromium() -> str | None:
    """The path of a Chromium to drive, or ``None``."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


class Browser:
    """One headless Chromium with one page; use as a context manager."""

    def __init__(self, width: int = 1280, height: int = 1400) -> None:
        exe = chromium()
        if exe is None:
            raise RuntimeError("no chromium on PATH")
        self.profile = tempfile.mkdtemp(prefix="timeline-chromium-")
        args = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-port=0"]
        args += [f"--user-data-dir={self.profile}", f"--window-size={width},{height}", "about:blank"]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.sock = self._connect()
        self.pending = b""
        self.ids = 0
        self.call("Page.enable")
        self.call("Runtime.enable")

    def _connect(self) -> socket.socket:
        port_file = Path(self.profile) / "DevToolsActivePort"
        for _ in range(300):
            if port_file.exists() and len(port_file.read_text().splitlines()) >= 2:
                break
            time.sleep(0.1)
        port, browser_path = port_file.read_text().splitlines()[:2]
        sock = socket.create_connection(("127.0.0.1", int(port)), timeout=60)
        self._handshake(sock, browser_path)
        self.sock = sock
        self.pending, self.ids = b"", 0
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        sock.close()
        page = socket.create_connection(("127.0.0.1", int(port)), timeout=60)
        self._handshake(page, f"/devtools/page/{target}")
        return page

    @staticmethod
    def _handshake(sock: socket.socket, path: str) -> None:
        key = base64.b64encode(os.urandom(16)).decode()
        sock.sendall(
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode()
        )
        answer = b""
        while b"\r\n\r\n" not in answer:
            answer += sock.recv(4096)
        if b" 101 " not in answer.split(b"\r\n", 1)[0]:
            raise RuntimeError(f"no websocket: {answer[:80]!r}")

    def _send(self, obj: dict[str, Any]) -> None:
        data = json.dumps(obj).encode()
        mask = os.urandom(4)
        n = len(data)
        head = bytes([0x81]) + (
            bytes([0x80 | n])
            if n < 126
            else bytes([0x80 | 126]) + struct.pack(">H", n)
            if n < 65536
            else bytes([0x80 | 127]) + struct.pack(">Q", n)
        )
        self.sock.sendall(head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def _exactly(self, n: int) -> bytes:
        while len(self.pending) < n:
            chunk = self.sock.recv(1 << 16)
            if not chunk:
                raise RuntimeError("the browser closed the connection")
            self.pending += chunk
        out, self.pending = self.pending[:n], self.pending[n:]
        return out

    def _receive(self) -> dict[str, Any]:
        message = b""
        while True:
            first, second = self._exactly(2)
            n = second & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._exactly(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._exactly(8))[0]
            message += self._exactly(n)
            if first & 0x80:
                value: dict[str, Any] = json.loads(message)
                return value

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        """Send a DevTools command and return its result."""
        self.ids += 1
        self._send({"id": self.ids, "method": method, "params": params})
        while True:
            m = self._receive()
            if m.get("id") == self.ids:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                result: dict[str, Any] = m.get("result", {})
                return result

    def js(self, expression: str) -> Any:
        """The value of ``expression`` in the page (promises awaited)."""
        r = self.call("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in r:
            raise RuntimeError(f"{expression[:60]}: {r['exceptionDetails'].get('text')}")
        return r.get("result", {}).get("value")

    def open(self, url: str, ready: str = "document.readyState === 'complete'") -> None:
        """Open ``url`` and wait until ``ready`` holds."""
        self.call("Page.navigate", url=url)
        time.sleep(0.2)
        self.wait(ready)

    def wait(self, condition: str, timeout: float = 30.0) -> Any:
        """Wait until the JavaScript ``condition`` is truthy; its value."""
        end = time.monotonic() + timeout
        while True:
            try:
                value = self.js(condition)
            except RuntimeError:
                value = None
            if value:
                return value
            if time.monotonic() > end:
                raise TimeoutError(f"not true after {timeout} s: {condition}")
            time.sleep(0.1)

    def screenshot(self, path: Path) -> None:
        """The page as it is now, as PNG."""
        path.write_bytes(base64.b64decode(self.call("Page.captureScreenshot", format="png")["data"]))

    def close(self) -> None:
        """Stop the browser and remove its profile."""
        try:
            self.sock.close()
        finally:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
            shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
