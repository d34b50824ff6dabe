"""``timeline serve``, editing (issue 13): the live assessment, saving, a new case.

The server runs in a thread on a free port of 127.0.0.1 and is asked with urllib as the
edit page's script asks it: ``POST /api/assess`` (its answer and its error shape),
``PUT /cases/NAME`` (a round trip that keeps a comment, a conflict, paths out of the
folder), ``POST /cases`` (names), and the refusals of changes from another origin, not
sent as JSON, or too large.
"""

from __future__ import annotations

import functools
import hashlib
import http.client
import json
import shutil
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import webtest
from webtest import served

import timeline
from timeline.fields import RECORDS
from timeline.web.editing import MAX_BODY
from timeline.web.saving import file_data

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
TOKEN = "edit-token-456"
CASE = "separation-reported-early.toml"


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "cases"
    root.mkdir()
    for name in (CASE, "study-to-partner.toml"):
        shutil.copy(EXAMPLES / name, root / name)
    (root / "client.json").write_text(
        json.dumps({"id": "json-client", "permits": [{"purpose": "work", "start": "2021-03-11"}], "description": "x"}),
        encoding="utf-8",
    )
    outside = tmp_path / "outside.toml"
    shutil.copy(EXAMPLES / CASE, outside)
    (root / "link.toml").symlink_to(outside)
    return root


@pytest.fixture()
def server(folder: Path) -> Iterator[str]:
    with served(folder, TOKEN) as address:
        yield address


#: ``call(address, method, path, body, headers)``: a request as the page sends it (token, origin).
call = functools.partial(webtest.call, token=TOKEN)


def loaded(folder: Path, name: str) -> tuple[dict[str, Any], str]:
    return file_data(folder / name)


def test_assess_answers_what_timeline_assess_says(server: str, folder: Path) -> None:
    data, _ = loaded(folder, CASE)
    status, answer = call(server, "POST", "/api/assess", {"case": data, "lang": "nl"})
    assert status == 200 and answer["ok"] is True
    expected = timeline.assess(timeline.load_case(folder / CASE)).to_dict("nl")
    assert answer["assessment"] == json.loads(json.dumps(expected))
    assert answer["now_and_next"] == answer["assessment"]["now_and_next"]
    assert answer["now_and_next"]["status"]["text"].startswith("U ")  # Dutch
    assert answer["chart_svg"].startswith("<svg") and "</svg>" in answer["chart_svg"]
    # another evaluation date moves the countdowns
    status, later = call(server, "POST", "/api/assess", {"case": data, "as_of": "2026-01-01"})
    assert status == 200 and later["now_and_next"]["as_of"] == "2026-01-01"


def test_assess_names_the_record_and_field_of_an_error(server: str, folder: Path) -> None:
    data, _ = loaded(folder, CASE)
    data["permits"][0]["end"] = "2020-01-01"  # before its start
    status, answer = call(server, "POST", "/api/assess", {"case": data})
    assert status == 422 and answer["ok"] is False
    [error] = answer["errors"]
    assert (error["record"], error["field"], error["value"]) == ("permits[0]", "end", '"2020-01-01"')
    assert "must be after the start" in error["message"]
    data, _ = loaded(folder, CASE)
    data["relationship"]["married"] = "2025-02-30"
    error = call(server, "POST", "/api/assess", {"case": data})[1]["errors"][0]
    assert (error["record"], error["field"]) == ("relationship", "married")
    error = call(server, "POST", "/api/assess", {"case": {"permits": [{"purpose": "moon", "start": "2020-01-01"}]}})[1]
    assert error["errors"][0]["field"] == "purpose" and "moon" in error["errors"][0]["value"]
    error = call(server, "POST", "/api/assess", {"case": {"id": "x", "options": {"no_such_option": "1"}}})[1]
    assert error["errors"][0]["record"] == "options"


def test_assess_refuses_what_is_not_a_case_request(server: str) -> None:
    assert call(server, "POST", "/api/assess", b"{not json")[0] == 400
    assert call(server, "POST", "/api/assess", [1, 2])[0] == 400
    assert call(server, "POST", "/api/assess", {"case": "text"})[0] == 400
    assert call(server, "POST", "/api/assess", {"case": {}, "lang": "fr"})[0] == 400
    assert call(server, "POST", "/api/assess", {"case": {}, "as_of": "2025-13-01"})[0] == 400


def test_changes_from_another_origin_or_not_json_or_without_token_are_refused(server: str, folder: Path) -> None:
    data, sha = loaded(folder, CASE)
    before = (folder / CASE).read_bytes()
    for headers, code in (
        ({"Origin": "http://evil.example"}, 403),
        ({"Origin": "null"}, 403),
        ({"Origin": f"http://{server}.evil.example"}, 403),
        ({"Content-Type": "text/plain"}, 415),
        ({"Content-Type": "application/x-www-form-urlencoded"}, 415),
        ({"Authorization": None}, 403),
        ({"Host": "evil.example"}, 403),
    ):
        status, _ = call(server, "PUT", f"/cases/{CASE}", {"case": data, "sha": sha}, headers)
        assert status == code, headers
        assert call(server, "POST", "/api/assess", {"case": data}, headers)[0] == code, headers
    assert (folder / CASE).read_bytes() == before
    # without an Origin header (a tool, not a browser) the change is taken
    assert call(server, "POST", "/api/assess", {"case": data}, {"Origin": None})[0] == 200


def test_a_body_over_the_limit_is_refused_unread(server: str) -> None:
    big = b'{"case": {"description": "' + b"x" * MAX_BODY + b'"}}'
    status, answer = call(server, "POST", "/api/assess", big)
    assert status == 413 and answer["ok"] is False
    assert call(server, "POST", "/api/assess", {"case": {"description": "x" * 20_000}})[0] == 422  # under it: read


def test_saving_keeps_comments_and_order_and_is_read_back(server: str, folder: Path) -> None:
    path = folder / CASE
    original = path.read_text(encoding="utf-8")
    comment = next(line for line in original.splitlines() if "#" in line and "=" in line)
    data, sha = loaded(folder, CASE)
    data["relationship"]["separated"] = "2025-07-15"
    data["absences"] = [{"departed": "2024-01-10", "returned": "2024-02-01", "note": "visit"}]
    status, answer = call(server, "PUT", f"/cases/{CASE}", {"case": data, "sha": sha})
    assert status == 200 and answer["ok"] is True
    text = path.read_text(encoding="utf-8")
    assert answer["sha"] == hashlib.sha256(text.encode()).hexdigest()
    assert comment in text  # a comment after a value that did not change
    assert text.splitlines()[0] == original.splitlines()[0]  # the file's opening comment
    assert "separated = 2025-07-15" in text  # a TOML date, not a string
    keys = [line.split("=")[0].strip() for line in text.splitlines() if "=" in line and not line.startswith("#")]
    old_keys = [
        line.split("=")[0].strip() for line in original.splitlines() if "=" in line and not line.startswith("#")
    ]
    assert keys[: len(old_keys)][:5] == old_keys[:5]  # the user's order of fields
    case = timeline.load_case(path)
    assert str(case.relationship.separated) == "2025-07-15" and len(case.absences) == 1
    assert [p.name for p in folder.iterdir() if p.name.endswith(".partial")] == []  # no temporary file left
    # the saved file is assessed as the page showed it
    status, live = call(server, "POST", "/api/assess", {"case": data})
    assert live["assessment"] == json.loads(json.dumps(timeline.assess(case).to_dict("en")))


def test_saving_json_keeps_its_key_order(server: str, folder: Path) -> None:
    data, sha = loaded(folder, "client.json")
    data["permits"][0]["end"] = "2026-03-11"
    data["as_of"] = "2025-06-01"
    status, answer = call(server, "PUT", "/api/cases/client.json", {"case": data, "sha": sha})
    assert status == 200, answer
    saved = json.loads((folder / "client.json").read_text(encoding="utf-8"))
    assert list(saved) == ["id", "permits", "description", "as_of"]
    assert saved["permits"][0] == {"purpose": "work", "start": "2021-03-11", "end": "2026-03-11"}


def test_a_file_changed_on_disk_is_not_overwritten(server: str, folder: Path) -> None:
    data, sha = loaded(folder, CASE)
    changed = (folder / CASE).read_text(encoding="utf-8") + "\n# a colleague's note\n"
    (folder / CASE).write_text(changed, encoding="utf-8")
    data["description"] = "mine"
    status, answer = call(server, "PUT", f"/cases/{CASE}", {"case": data, "sha": sha})
    assert status == 409 and answer["conflict"] is True and "changed on disk" in answer["errors"][0]["message"]
    status, answer = call(server, "PUT", f"/cases/{CASE}", {"case": data, "sha": sha, "lang": "nl"})
    assert status == 409 and "op schijf gewijzigd" in answer["errors"][0]["message"]  # a Dutch page: in Dutch
    assert (folder / CASE).read_text(encoding="utf-8") == changed
    assert call(server, "PUT", f"/cases/{CASE}", {"case": data})[0] == 400  # no sha: refused too


def test_an_invalid_case_is_not_saved(server: str, folder: Path) -> None:
    data, sha = loaded(folder, CASE)
    before = (folder / CASE).read_bytes()
    data["permits"][0]["start"] = "2021-02-30"
    status, answer = call(server, "PUT", f"/cases/{CASE}", {"case": data, "sha": sha})
    assert status == 422 and answer["errors"][0]["record"] == "permits[0]"
    english = answer["errors"][0]["message"]
    status, answer = call(server, "PUT", f"/cases/{CASE}", {"case": data, "sha": sha, "lang": "nl"})
    assert status == 422 and answer["errors"][0]["record"] == "permits[0]"
    assert answer["errors"][0]["message"].startswith("is geen bestaande kalenderdatum") and english.startswith("is not")
    assert (folder / CASE).read_bytes() == before


@pytest.mark.parametrize(
    "path",
    [
        "/cases/..%2Foutside.toml",
        "/cases/%2E%2E/outside.toml",
        "/cases/link.toml",
        "/cases/%2Ftmp%2Fx.toml",
        "/cases/notes.txt",
        "/cases/.hidden.toml",
        "/cases/missing.toml",
        "/api/cases/..%5Coutside.toml",
    ],
)
def test_put_outside_the_folder_is_not_found(server: str, folder: Path, path: str) -> None:
    outside = folder.parent / "outside.toml"
    before = outside.read_bytes()
    data, sha = file_data(outside)
    status, _ = call(server, "PUT", path, {"case": data, "sha": sha})
    assert status == (405 if path.count("/") > 2 and path.startswith("/cases/") else 404)  # 405: no such route
    assert outside.read_bytes() == before


def test_a_new_case_starts_from_a_valid_template(server: str, folder: Path) -> None:
    status, answer = call(server, "POST", "/cases", {"name": "new-client_2026.toml"})
    assert status == 201 and answer["url"] == "/cases/new-client_2026.toml/edit"
    case = timeline.load_case(folder / "new-client_2026.toml")
    assert case.id == "new-client_2026" and len(case.permits) == 1
    assert call(server, "POST", "/cases", {"name": "new-client_2026.toml"})[0] == 409  # never replaced
    assert call(server, "POST", "/cases", {"name": CASE})[0] == 409
    for bad in ("../x.toml", "a/b.toml", ".hidden.toml", "x.json", "x", "", "x y.toml", "é.toml", 7, "x.toml\n"):
        assert call(server, "POST", "/cases", {"name": bad})[0] == 400, bad
    assert sorted(p.name for p in folder.iterdir() if p.suffix == ".toml") == sorted(
        ["link.toml", CASE, "study-to-partner.toml", "new-client_2026.toml"]
    )


def _get(address: str, path: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection(address, timeout=60)
    conn.request("GET", path, headers={"Authorization": f"Bearer {TOKEN}"})
    r = conn.getresponse()
    body = r.read().decode("utf-8")
    conn.close()
    return r.status, body


def test_the_edit_page_has_a_labelled_input_for_every_field(server: str, folder: Path) -> None:
    status, html = _get(server, f"/cases/{CASE}/edit?lang=nl")
    assert status == 200 and '<script src="/static/edit.js" defer>' in html and "<script>" not in html
    for r in RECORDS.values():
        for f in r.fields:
            assert f'data-field="{f.name}"' in html, (r.name, f.name)
            if r.name in ("case", "person", "sponsor", "relationship"):
                ident = f"f-{r.name}-{f.name}"
                assert f'<label for="{ident}">' in html and f'id="{ident}"' in html
        if r.many:
            assert f'id="tpl-{r.name}"' in html and f'class="add" data-record="{r.name}"' in html
    assert 'type="date"' in html and 'value="2025-07-01"' in html  # the file's values, dates for the picker
    assert "Geboortedatum" in html and "Opslaan" in html and ">Nederlander<" in html and ">huwelijk<" in html
    sha = hashlib.sha256((folder / CASE).read_bytes()).hexdigest()
    assert f'data-sha="{sha}"' in html
    assert _get(server, "/static/edit.js")[0] == 200
    assert _get(server, "/cases/link.toml/edit")[0] == 404
    assert tomllib.loads((folder / CASE).read_text(encoding="utf-8"))  # untouched by reading


def test_a_date_written_as_text_stays_text_unless_it_changes(server: str, folder: Path) -> None:
    path = folder / "quoted.toml"
    path.write_text(
        'id = "q"\n\n[[permits]]\npurpose = "work"  # as on the card\nstart = "2021-03-11"\n', encoding="utf-8"
    )
    data, sha = loaded(folder, "quoted.toml")
    data["permits"][0]["end"] = "2026-03-11"
    assert call(server, "PUT", "/cases/quoted.toml", {"case": data, "sha": sha})[0] == 200
    assert path.read_text(encoding="utf-8") == (
        'id = "q"\n\n[[permits]]\npurpose = "work"  # as on the card\nstart = "2021-03-11"\nend = 2026-03-11\n'
    )


def test_the_case_page_and_the_caseload_lead_to_editing(server: str) -> None:
    status, html = _get(server, f"/cases/{CASE}?lang=nl")
    assert status == 200 and f'href="/cases/{CASE}/edit?lang=nl"' in html and "Dossier bewerken" in html
    status, html = _get(server, "/")
    assert 'id="new-case"' in html and '<label for="new-name">' in html


def test_a_file_the_form_cannot_show_whole_is_not_opened_for_editing(server: str, folder: Path) -> None:
    (folder / "twice.json").write_text('{"id": "a", "id": "b"}', encoding="utf-8")
    (folder / "broken.toml").write_text("id = \n", encoding="utf-8")
    for name in ("twice.json", "broken.toml"):
        status, html = _get(server, f"/cases/{name}/edit")
        assert status == 422 and name in html


def test_assess_takes_a_case_file_alone_with_lang_and_as_of_in_the_query(server: str, folder: Path) -> None:
    data, _ = loaded(folder, CASE)
    status, answer = call(server, "POST", "/api/assess?lang=nl&as_of=2026-01-01", data)
    assert status == 200 and answer["now_and_next"]["as_of"] == "2026-01-01"
    assert answer["now_and_next"]["status"]["text"].startswith("U ")
    status, answer = call(server, "POST", "/api/assess", {"permits": [{"purpose": "work"}]})
    assert status == 422 and answer["errors"][0]["field"] == "start"


# --------------------------------------------------------------------------- 'against': a list of the case's entries

DENSE = Path(__file__).resolve().parent / "data" / "cases" / "dense-fifteen-years.toml"


def _options(html: str, ident: str) -> list[tuple[str, str, bool]]:
    """(value, text, selected) of the options of the select ``ident`` in ``html``."""
    import re
    from html import unescape

    select = re.search(rf'<select id="{re.escape(ident)}"[^>]*>(.*?)</select>', html, re.S)
    assert select is not None, ident
    return [
        (unescape(m[1]), unescape(m[3]), bool(m[2]))
        for m in re.finditer(r'<option value="([^"]*)"( selected)?[^>]*>(.*?)</option>', select[1])
    ]


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_against_is_chosen_from_the_cases_entries_named_for_people(server: str, folder: Path, lang: str) -> None:
    from timeline.records import record_name

    shutil.copy(DENSE, folder / "dense.toml")
    case = timeline.load_case(folder / "dense.toml")
    data, _ = loaded(folder, "dense.toml")
    status, html = _get(server, f"/cases/dense.toml/edit?lang={lang}")
    assert status == 200
    for i, app in enumerate(data["applications"]):
        options = _options(html, f"f-applications-{i}-against")
        assert options[0][0] == ""  # not given: the engine's own choice (R3.2)
        paths = [f"permits[{j}]" for j in range(len(case.permits))]
        paths += [f"applications[{j}]" for j in range(len(case.applications)) if j != i]  # never itself
        assert [v for v, _, _ in options[1:]] == paths
        for value, text, _ in options[1:]:
            assert text.endswith(": " + str(record_name(case, value, lang))), (value, text)
        assert [v for v, _, chosen in options if chosen] == ([app["against"]] if app.get("against") else [])
    assert 'for="f-applications-1-against"' in html


def test_an_against_naming_no_entry_stays_visible_and_the_reader_names_it(server: str, folder: Path) -> None:
    shutil.copy(DENSE, folder / "dense.toml")
    text = (
        (folder / "dense.toml")
        .read_text(encoding="utf-8")
        .replace('against = "applications[0]"', 'against = "permits[9]"')
    )
    (folder / "dense.toml").write_text(text, encoding="utf-8")
    html = _get(server, "/cases/dense.toml/edit")[1]
    chosen = [(v, t) for v, t, s in _options(html, "f-applications-1-against") if s]
    assert chosen == [("permits[9]", "permits[9] (no such entry in this case)")]
    data, _ = loaded(folder, "dense.toml")
    status, answer = call(server, "POST", "/api/assess", {"case": data})
    assert status == 422
    [error] = answer["errors"]
    assert (error["record"], error["field"]) == ("applications[1]", "against")
    with pytest.raises(timeline.CaseError) as err:
        timeline.load_case(folder / "dense.toml")
    assert error["message"] == err.value.reason  # the command line's reader, word for word


def test_refusals_are_worded_in_the_language_asked(server: str) -> None:
    """The web app's own refusals come from the catalogues: a Dutch page gets them in Dutch."""
    status, answer = call(server, "POST", "/api/assess?lang=nl", {"case": {}}, {"Content-Type": "text/plain"})
    assert status == 415 and answer["errors"][0]["message"].startswith("een wijziging moet als JSON")
    status, answer = call(server, "POST", "/api/assess", {"case": {}}, {"Content-Type": "text/plain"})
    assert status == 415 and answer["errors"][0]["message"].startswith("a change must be sent as JSON")
    status, answer = call(server, "PUT", "/cases/missing.toml", {"case": {}, "sha": "x", "lang": "nl"})
    assert status == 404 and answer["errors"][0]["message"] == "niet gevonden"
    status, page = call(server, "GET", "/cases/missing.toml?lang=nl")
    assert status == 404 and "niet gevonden" in page and 'lang="nl"' in page
