"""``timeline serve`` (issue 13, first slice): the HTTP interface over a folder of case files.

The server runs in a thread on a free port of 127.0.0.1 and is asked with urllib, as a
browser would: status codes, media types, the token and its cookie, escaping of a hostile
case, paths that lead out of the folder, an invalid file shown with its error.
"""

from __future__ import annotations

import http.client
import json
import shutil
import tomllib
from collections.abc import Iterator
from datetime import date
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import HTTPCookieProcessor, Request, build_opener

import pytest
from webtest import served

import timeline
from timeline.web import App, make_server
from timeline.web.caseload import DEADLINE_KINDS
from timeline.web.security import case_path, check_bind, is_loopback, known_host

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
HOSTILE = "<script>alert('id')</script>"


def _hostile_case() -> str:
    data = tomllib.loads((EXAMPLES / "study-to-partner.toml").read_text(encoding="utf-8"))
    data["id"] = HOSTILE
    data["description"] = '"><img src=x onerror=alert(1)> & more'
    return json.dumps(data, default=lambda d: d.isoformat())


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cases")
    for p in EXAMPLES.glob("*.toml"):
        shutil.copy(p, root / p.name)
    (root / "hostile.json").write_text(_hostile_case(), encoding="utf-8")
    (root / "broken.toml").write_text('id = "broken"\nas_of = 2025-13-01\n', encoding="utf-8")
    (root / "notes.txt").write_text("not a case", encoding="utf-8")
    (root / "sub").mkdir()
    shutil.copy(EXAMPLES / "study-to-partner.toml", root / "sub" / "inner.toml")
    outside = tmp_path_factory.mktemp("outside") / "secret.toml"
    shutil.copy(EXAMPLES / "study-to-partner.toml", outside)
    (root / "link.toml").symlink_to(outside)
    return root


@pytest.fixture(scope="module")
def server(folder: Path) -> Iterator[tuple[str, str]]:
    with served(folder, "test-token-123") as address:
        yield f"http://{address}", "test-token-123"


class Client:
    """A browser in miniature: keeps cookies, returns (status, headers, body) also for errors."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = build_opener(HTTPCookieProcessor(CookieJar()))

    def get(self, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
        try:
            with self.opener.open(Request(self.base + path, method=method), timeout=60) as r:
                return r.status, dict(r.headers), r.read()
        except HTTPError as err:
            return err.code, dict(err.headers), err.read()


@pytest.fixture(scope="module")
def client(server: tuple[str, str]) -> Client:
    base, token = server
    c = Client(base)
    status, _, _ = c.get(f"/?token={token}")  # the address 'timeline serve' prints: sets the cookie
    assert status == 200
    return c


def test_a_token_is_required_off_loopback_and_checked_before_binding() -> None:
    check_bind("127.0.0.1", None)
    check_bind("::1", None)
    check_bind("localhost", None)
    check_bind("0.0.0.0", "a-token")
    for host in ("0.0.0.0", "192.168.1.5", "::", "example.org"):
        with pytest.raises(ValueError, match="needs a token"):
            check_bind(host, None)
        with pytest.raises(ValueError, match="needs a token"):
            make_server(App(EXAMPLES, token=None), host, 0)
    assert is_loopback("127.0.0.2") and not is_loopback("10.0.0.1")


def test_without_the_token_every_route_is_403(server: tuple[str, str]) -> None:
    base, token = server
    stranger = Client(base)
    for path in ("/", "/api/cases", "/cases/study-to-partner.toml", "/static/app.css", f"/?token={token}x"):
        assert stranger.get(path)[0] == 403, path


def test_the_token_in_the_address_becomes_a_strict_http_only_cookie(server: tuple[str, str]) -> None:
    base, token = server
    conn = http.client.HTTPConnection(base.removeprefix("http://"), timeout=30)
    conn.request("GET", f"/?lang=nl&token={token}")
    r = conn.getresponse()
    assert r.status == 303
    assert r.getheader("Location") == "/?lang=nl"  # the token leaves the address bar
    cookie = r.getheader("Set-Cookie") or ""
    assert token in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    conn.request("GET", "//evil.example/?token=" + token)
    r2 = conn.getresponse()
    r2.read()
    assert r2.getheader("Location") == "/evil.example/"  # never a redirect to another host
    conn.close()


def test_a_dns_rebound_host_name_is_refused(server: tuple[str, str]) -> None:
    base, token = server
    conn = http.client.HTTPConnection(base.removeprefix("http://"), timeout=30)
    conn.request("GET", "/", headers={"Host": "evil.example", "Authorization": f"Bearer {token}"})
    assert conn.getresponse().status == 403
    conn.close()
    assert known_host("localhost:8765", "127.0.0.1") and known_host("[::1]:80", "::1")
    assert known_host("anything", "0.0.0.0")


def test_the_caseload_lists_every_case_most_urgent_first(client: Client, folder: Path) -> None:
    status, headers, body = client.get("/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    page = body.decode()
    for p in EXAMPLES.glob("*.toml"):
        assert f"/cases/{p.name}" in page
    status, headers, body = client.get("/api/cases")
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    rows = json.loads(body)
    assert {r["name"] for r in rows} == {p.name for p in folder.iterdir() if p.suffix in (".toml", ".json")} - {
        "link.toml"
    }
    valid = [r for r in rows if r["error"] is None]
    # the next deadline first (a last day to act), then cases with only other actions ahead
    order = [(x["kind"] not in DEADLINE_KINDS, x["days_left"]) for r in valid if (x := r["next_action"])]
    assert order == sorted(order) and len(order) >= 5
    assert any(not later for later, _ in order)
    for name in ("study-to-partner.toml", "domestic-violence.toml"):
        one = next(r for r in valid if r["name"] == name)
        case = timeline.load_case(EXAMPLES / name)
        a = timeline.assess(case, case.as_of)
        ahead = [x for x in a.now_and_next.ahead if x.action.kind in DEADLINE_KINDS] or list(a.now_and_next.ahead)
        assert one["status"]["state"] == a.now_and_next.status.state
        assert one["next_action"]["date"] == ahead[0].action.date.isoformat()
        assert one["next_action"]["days_left"] == ahead[0].days_left


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_an_invalid_file_is_listed_with_the_command_lines_error(client: Client, folder: Path, lang: str) -> None:
    """An invalid file is listed with its error as `timeline assess --lang LANG` words it."""
    with pytest.raises(timeline.TimelineError) as err:
        timeline.load_case(folder / "broken.toml")
    message = err.value.text(lang).replace(str(folder / "broken.toml"), "broken.toml")
    assert message.startswith("broken.toml: ")
    if lang == "en":
        assert message == str(err.value).replace(str(folder / "broken.toml"), "broken.toml")
    else:  # a text of its own, not the English one
        assert message != err.value.text("en").replace(str(folder / "broken.toml"), "broken.toml")
    page = client.get(f"/?lang={lang}")[2].decode()
    assert f"<code>broken.toml</code>: {_escaped(message.removeprefix('broken.toml: '))}</li>" in page
    rows = json.loads(client.get(f"/api/cases?lang={lang}")[2])
    assert next(r for r in rows if r["name"] == "broken.toml")["error"] == message
    status, _, body = client.get(f"/cases/broken.toml?lang={lang}")
    assert status == 422 and _escaped(message) in body.decode()
    status, _, body = client.get(f"/api/cases/broken.toml/assessment?lang={lang}")
    assert status == 422 and json.loads(body)["error"] == message
    assert client.get("/cases/broken.toml/report.pdf")[0] == 422


def _escaped(text: str) -> str:
    from html import escape

    return escape(text, quote=True)


def test_a_hostile_case_id_and_description_are_escaped(client: Client) -> None:
    for path in ("/", "/cases/hostile.json", "/?q=script"):
        status, _, body = client.get(path)
        page = body.decode()
        assert status == 200, path
        assert "<script>alert" not in page and "<img src=x" not in page, path
        assert "&lt;script&gt;alert(&#x27;id&#x27;)&lt;/script&gt;" in page, path
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt; &amp; more" in client.get("/cases/hostile.json")[2].decode()


@pytest.mark.parametrize(
    "path",
    [
        "/cases/../../etc/passwd",
        "/cases/..%2F..%2Fetc%2Fpasswd",
        "/cases/%2Fetc%2Fpasswd",
        "/cases/..",
        "/cases/notes.txt",
        "/cases/sub",
        "/cases/sub%2Finner.toml",
        "/cases/sub/inner.toml",
        "/cases/link.toml",
        "/cases/link.toml/file",
        "/cases/missing.toml",
        "/cases/..%2F..%2Fetc%2Fpasswd/file",
        "/static/..%2Fserver.py",
        "/static/../server.py",
        "/etc/passwd",
    ],
)
def test_only_case_files_directly_in_the_folder_are_served(client: Client, path: str) -> None:
    status, _, body = client.get(path)
    assert status == 404, path
    assert b"root:" not in body


def test_case_path_refuses_what_is_not_a_case_file_in_the_folder(folder: Path) -> None:
    assert case_path(folder, "study-to-partner.toml") == folder / "study-to-partner.toml"
    for name in (
        "",
        ".",
        "..",
        "../x.toml",
        "/etc/passwd",
        "sub/inner.toml",
        "sub\\inner.toml",
        "notes.txt",
        "link.toml",
    ):
        assert case_path(folder, name) is None, name


def test_the_case_page_answers_now_next_and_when_with_the_chart_inline(client: Client) -> None:
    status, headers, body = client.get("/cases/study-to-partner.toml")
    page = body.decode()
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert "<svg" in page and "<?xml" not in page
    assert "Content-Security-Policy" in headers and "default-src 'none'" in headers["Content-Security-Policy"]
    case = timeline.load_case(EXAMPLES / "study-to-partner.toml")
    nn = timeline.assess(case, case.as_of).to_dict()["now_and_next"]
    assert _escaped(nn["eligibility"][0]["text"]) in page
    assert "https://" in page and 'rel="noopener noreferrer"' in page  # legal bases linked
    nl = client.get("/cases/study-to-partner.toml?lang=nl")[2].decode()
    assert '<html lang="nl">' in nl
    nl_nn = timeline.assess(case, case.as_of).to_dict("nl")["now_and_next"]
    assert _escaped(nl_nn["eligibility"][0]["text"]) in nl


def test_as_of_in_the_query_assesses_on_that_date(client: Client) -> None:
    on = "2030-01-01"
    data = json.loads(client.get(f"/api/cases/study-to-partner.toml/assessment?as_of={on}")[2])
    case = timeline.load_case(EXAMPLES / "study-to-partner.toml")
    assert data == json.loads(json.dumps(timeline.assess(case, date(2030, 1, 1)).to_dict("en")))
    assert client.get("/?as_of=2030-02-30")[0] == 400
    assert client.get("/?lang=de")[0] == 400


@pytest.mark.parametrize(
    ("part", "media", "magic"),
    [
        ("file", "application/toml; charset=utf-8", b"# "),
        ("assessment.json", "application/json; charset=utf-8", b"{"),
        ("deadlines.ics", "text/calendar; charset=utf-8", b"BEGIN:VCALENDAR"),
        ("report.pdf", "application/pdf", b"%PDF-"),
        ("chart.png", "image/png", b"\x89PNG\r\n\x1a\n"),
        ("chart.svg", "image/svg+xml", b"<?xml"),
        ("chart.pdf", "application/pdf", b"%PDF-"),
    ],
)
def test_downloads(client: Client, part: str, media: str, magic: bytes) -> None:
    status, headers, body = client.get(f"/cases/study-to-partner.toml/{part}")
    assert status == 200 and headers["Content-Type"] == media
    assert body.startswith(magic)
    assert headers["Content-Disposition"].startswith('attachment; filename="study-to-partner')
    if part == "file":
        assert body == (EXAMPLES / "study-to-partner.toml").read_bytes()
    if part == "assessment.json":
        case = timeline.load_case(EXAMPLES / "study-to-partner.toml")
        assert json.loads(body) == json.loads(json.dumps(timeline.assess(case, case.as_of).to_dict("en")))


def test_read_only_methods_and_unknown_routes(client: Client) -> None:
    assert client.get("/", method="POST")[0] == 405
    assert client.get("/", method="HEAD")[0] == 200
    assert client.get("/nowhere")[0] == 404


def test_a_changed_file_is_assessed_again(client: Client, folder: Path) -> None:
    target = folder / "changed.toml"
    text = (EXAMPLES / "temporary-sponsor.toml").read_text(encoding="utf-8")
    target.write_text(text.replace('id = "temporary-sponsor"', 'id = "before-change"'), encoding="utf-8")
    assert "before-change" in client.get("/").__getitem__(2).decode()
    target.write_text(text.replace('id = "temporary-sponsor"', 'id = "after-the-change"'), encoding="utf-8")
    page = client.get("/")[2].decode()
    assert "after-the-change" in page and "before-change" not in page
    target.unlink()
    assert "after-the-change" not in client.get("/")[2].decode()


def test_the_filter_works_on_the_server_without_javascript(client: Client) -> None:
    page = client.get("/?q=sponsor")[2].decode()
    assert "/cases/temporary-sponsor.toml" in page and "/cases/study-to-partner.toml" not in page
    assert client.get("/static/caseload.js")[1]["Content-Type"].startswith("text/javascript")


def test_the_command_says_when_the_port_is_taken(tmp_path: Path) -> None:
    import socket

    from click.testing import CliRunner

    from timeline.cli import main

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", str(tmp_path), "--port", str(port)])
    assert result.exit_code == 1
    assert f"cannot serve on 127.0.0.1:{port}" in result.output
    missing = CliRunner().invoke(main, ["serve", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2


def test_the_marks_follow_the_next_deadline_and_an_expected_withdrawal_is_not_a_gap() -> None:
    from timeline.web.caseload import SOON_DAYS, URGENT_DAYS, Folder, case_row

    folder = Folder(EXAMPLES)
    on = date(2026, 1, 1)  # not used: every example has its as_of
    e = folder.entry("domestic-violence.toml", date(2024, 2, 10), on)
    assert e is not None
    row = case_row(e, "en")
    assert row.next is not None and row.next["kind"] == "deadline"
    assert URGENT_DAYS < row.next["days_left"] <= SOON_DAYS and row.urgency == "soon"
    e = folder.entry("domestic-violence.toml", date(2024, 5, 8), on)  # the objection deadline is 13 May
    assert e is not None and case_row(e, "en").urgency == "urgent"
    e = folder.entry("separation-reported-early.toml", date(2025, 8, 1), on)
    assert e is not None
    row = case_row(e, "en")
    assert row.status is not None and row.status["state"] == "gap" and row.status["expected"]
    assert row.next is not None and row.next["days_left"] > SOON_DAYS and row.urgency == ""


# --------------------------------------------------------------------------- the caseload as CSV (issue 13)


def _csv_rows(data: bytes) -> list[dict[str, str]]:
    import csv
    import io

    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def _batch_rows(folder: Path, names: list[str], tmp: Path, as_of: str | None = None) -> dict[str, dict[str, str]]:
    """The results ``timeline batch`` writes for the case files ``names`` of ``folder`` (as JSON Lines), by id."""
    from timeline.batch_files import run_batch

    lines = [json.dumps(timeline.case_to_dict(timeline.load_case(folder / n)), default=str) for n in names]
    (tmp / "cases.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    run_batch(
        str(tmp / "cases.jsonl"),
        str(tmp / "results.csv"),
        errors=str(tmp / "errors.csv"),
        as_of=date.fromisoformat(as_of) if as_of else None,
    )
    assert _csv_rows((tmp / "errors.csv").read_bytes()) == []
    return {r["id"]: r for r in _csv_rows((tmp / "results.csv").read_bytes())}


@pytest.mark.parametrize("as_of", [None, "2030-01-01"])
def test_the_caseload_csv_is_what_timeline_batch_writes(
    client: Client, folder: Path, tmp_path: Path, as_of: str | None
) -> None:
    from timeline.batch import ERROR_COLUMNS, RESULT_COLUMNS

    status, headers, body = client.get("/cases.csv" + (f"?as_of={as_of}" if as_of else ""))
    assert status == 200 and headers["Content-Type"] == "text/csv; charset=utf-8"
    assert headers["Content-Disposition"].startswith(f'attachment; filename="{folder.name}')
    rows = _csv_rows(body)
    header = body.decode().splitlines()[0].replace('"', "").split(",")
    assert header == ["file", *RESULT_COLUMNS, *[c for c in ERROR_COLUMNS if c not in ("case_id", "row")]]
    # every case file once, in the caseload's order (the API's), the symbolic link out of the folder never
    api = json.loads(client.get("/api/cases" + (f"?as_of={as_of}" if as_of else ""))[2])
    assert [r["file"] for r in rows] == [r["name"] for r in api]
    valid = [r["name"] for r in api if r["error"] is None]
    expected = _batch_rows(folder, valid, tmp_path, as_of)
    for r in rows:
        if r["file"] in valid:
            assert {k: r[k] for k in RESULT_COLUMNS} == expected[r["id"]], r["file"]
            assert r["reason"] == ""
    if as_of:
        assert {r["as_of"] for r in rows if r["file"] in valid} == {as_of}


def test_the_caseload_csv_lists_each_invalid_file_as_batch_errors_report_it(client: Client, folder: Path) -> None:
    rows = {r["file"]: r for r in _csv_rows(client.get("/cases.csv")[2])}
    with pytest.raises(timeline.TimelineError) as err:
        timeline.load_case(folder / "broken.toml")
    broken = rows["broken.toml"]
    assert isinstance(err.value, timeline.CaseError)
    assert (broken["id"], broken["record"], broken["field"], broken["reason"]) == ("broken", "", "", err.value.reason)
    assert broken["as_of"] == broken["gap_count"] == ""
    assert client.get("/")[2].decode().count('href="/cases.csv') == 1
    assert (
        'href="/cases.csv?lang=nl&amp;as_of=2030-01-01&amp;q=sponsor"'
        in client.get("/?lang=nl&as_of=2030-01-01&q=sponsor")[2].decode()
    )  # the CSV of what the page shows
    filtered = _csv_rows(client.get("/cases.csv?q=sponsor")[2])
    assert [r["file"] for r in filtered] == ["temporary-sponsor.toml"]


def test_the_caseload_csv_keeps_formula_like_text_from_running_in_a_spreadsheet(tmp_path: Path) -> None:
    from timeline.web.caseload_csv import caseload_csv, neutral

    data = tomllib.loads((EXAMPLES / "study-to-partner.toml").read_text(encoding="utf-8"))
    for i, start in enumerate(['=HYPERLINK("http://x")', "+31 6", "-1", "@SUM(A1)", "\tx", "plain = text"]):
        case = {**data, "id": start}
        (tmp_path / f"c{i}.json").write_text(json.dumps(case, default=str), encoding="utf-8")
    bad = {**data, "id": "=1+1", "permits": [{**data["permits"][0], "end": "=2+2"}]}
    (tmp_path / "bad.json").write_text(json.dumps(bad, default=str), encoding="utf-8")
    app = App(tmp_path, token=None)
    rows = {r["file"]: r for r in _csv_rows(app.respond("GET", "/cases.csv", {"Host": "127.0.0.1"}).body)}
    assert [rows[f"c{i}.json"]["id"] for i in range(6)] == [
        '\'=HYPERLINK("http://x")',
        "'+31 6",
        "'-1",
        "'@SUM(A1)",
        "'\tx",
        "plain = text",
    ]
    assert (rows["bad.json"]["id"], rows["bad.json"]["value"]) == ("'=1+1", "'=2+2")
    with pytest.raises(timeline.CaseError) as err:
        timeline.load_case(tmp_path / "bad.json")
    assert (rows["bad.json"]["record"], rows["bad.json"]["field"]) == ("permits[0]", "end")
    assert rows["bad.json"]["reason"] == err.value.reason
    assert neutral(-1) == -1 and neutral(None) is None  # numbers and empty cells stay as they are
    assert caseload_csv([], tmp_path).decode().startswith('"file","id","as_of"')
