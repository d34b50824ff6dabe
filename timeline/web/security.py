"""Who may ask, and which files may be read (issue 13, security).

- The server binds to 127.0.0.1 unless told otherwise; any other address needs a token
  (:func:`check_bind`). :func:`timeline.web.serve` makes one on every start, for the
  loopback address too: a web page open in the same browser can reach 127.0.0.1 (by a
  form, or by DNS rebinding of its own host name to 127.0.0.1), and other users of the
  machine can reach its ports; without the token they get 403 and read nothing.
- The token is accepted once in the query (``?token=``, the address printed at start)
  and then from a cookie (``HttpOnly``, ``SameSite=Strict``, named after the port so two
  servers do not overwrite each other's), or from an ``Authorization: Bearer`` header.
- A request that changes something (``POST``, ``PUT``) must say it sends JSON (a form of
  another site cannot, without the browser asking first) and, when it has an ``Origin``
  header, come from the server's own origin (:func:`change_refused`).
- Only files directly in the cases folder, with a case file's extension, are read
  (:func:`case_path`): ``..``, slashes (encoded or not), absolute paths, hidden files and
  symbolic links that lead out of the folder are not found.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from http.cookies import CookieError, SimpleCookie
from pathlib import Path

from ..errors import msg
from ..scenarios.scenario_file import is_scenario_file

__all__ = [
    "CASE_SUFFIXES",
    "authorised",
    "case_names",
    "case_path",
    "change_refused",
    "check_bind",
    "cookie_header",
    "cookie_name",
    "is_loopback",
    "known_host",
    "new_token",
]

#: The extensions of case files (compared without regard to case).
CASE_SUFFIXES = (".toml", ".json")


def new_token() -> str:
    """A fresh random token (32 URL-safe characters, 192 bits)."""
    return secrets.token_urlsafe(24)


def is_loopback(host: str) -> bool:
    """Whether ``host`` (an address or ``localhost``) is this machine only."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(host: str, token: str | None) -> None:
    """Raise :class:`ValueError` when ``host`` is not a loopback address and there is no token."""
    if not token and not is_loopback(host):
        raise ValueError(f"binding to {host} makes the cases reachable from other machines: it needs a token")


def cookie_name(port: int) -> str:
    """The token's cookie for the server on ``port`` (cookies do not tell ports apart)."""
    return f"timeline_token_{port}"


def cookie_header(port: int, token: str) -> str:
    """The ``Set-Cookie`` value that keeps ``token`` for the session (not readable by scripts)."""
    return f"{cookie_name(port)}={token}; Path=/; HttpOnly; SameSite=Strict"


def _same(given: str | None, token: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), token.encode())


def authorised(token: str | None, port: int, *, query: str | None, cookies: str | None, auth: str | None) -> bool:
    """Whether a request carries ``token`` (in the query, the cookie or the header); any
    request is authorised when there is no token (loopback only, :func:`check_bind`)."""
    if not token:
        return True
    if _same(query, token):
        return True
    if auth and auth.startswith("Bearer ") and _same(auth[len("Bearer ") :].strip(), token):
        return True
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(cookies or "")
    except CookieError:
        return False
    morsel = jar.get(cookie_name(port))
    return morsel is not None and _same(morsel.value, token)


def known_host(host_header: str | None, bound: str) -> bool:
    """Whether the ``Host`` header names this machine when the server is bound to loopback
    (a DNS-rebound name does not); any host is accepted on another address."""
    if not is_loopback(bound):
        return True
    if not host_header:
        return False
    name = host_header.rsplit(":", 1)[0] if not host_header.endswith("]") else host_header
    return is_loopback(name)


def case_names(root: Path) -> list[str]:
    """The case files directly in ``root``, sorted by name (those :func:`case_path` serves)."""
    try:
        entries = list(root.iterdir())
    except OSError:
        return []
    return sorted(p.name for p in entries if case_path(root, p.name) is not None)


def case_path(root: Path, name: str) -> Path | None:
    """The file ``name`` directly in ``root`` if it may be read, else ``None``.

    ``name`` is a single, already decoded path segment: a slash or backslash in it, a
    leading dot, a NUL, another extension, a case's scenario file (``client.scenarios.toml``),
    a missing file or a link leading out of ``root`` give ``None``.
    """
    if not name or name.startswith(".") or any(c in name for c in "/\\\x00"):
        return None
    if not name.lower().endswith(CASE_SUFFIXES) or is_scenario_file(name):  # client.scenarios.toml: not a case
        return None
    path = root / name
    try:
        if not path.is_file() or path.resolve().parent != root.resolve():
            return None
    except OSError:
        return None
    return path


def change_refused(origin: str | None, host_header: str | None, content_type: str | None) -> tuple[int, str] | None:
    """Why a request that changes something is refused, as (status, message), or ``None``:
    its body must be JSON (415), and its ``Origin``, when given, this server's (403)."""
    if origin is not None and (not host_header or origin.rstrip("/") != f"http://{host_header}"):
        return 403, msg("web-origin")
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media != "application/json":
        return 415, msg("web-not-json")
    return None
