"""``timeline serve``, scenarios (issue 13): the page, ``POST /api/scenarios``, named scenarios
saved with ``PUT /api/cases/NAME/scenarios``.

The server runs in a thread on a free port and is asked as the page's script asks it. What it
answers is compared with what ``timeline scenarios`` prints for the same question (its JSON,
run through the command line itself), and the scenario file it writes is read back by the
command line. The refusals: another origin, not JSON, no token, a body too large, names and
links out of the folder, a scenario file changed on disk, a scenario file taken for a case.
"""

from __future__ import annotations

import functools
import http.client
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import webtest
from click.testing import CliRunner
from webtest import served

import timeline
from timeline.cli import main
from timeline.scenarios import comparison_dict, load_scenarios, parse_vary, scenarios
from timeline.scenarios.paths import date_paths
from timeline.scenarios.scenario_file import parse_scenarios, scenario_file_name, scenario_file_text
from timeline.web.editing import MAX_BODY

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
TOKEN = "scenario-token-321"
CASE = "separation-reported-early.toml"
FILE = "separation-reported-early.scenarios.toml"
REPORT = "notifications[0].change_date"  # the date the IND goes by here (R3.1, OQ-3): it moves the gap


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "cases"
    root.mkdir()
    for name in (CASE, "study-to-partner.toml"):
        shutil.copy(EXAMPLES / name, root / name)
    (tmp_path / "outside.scenarios.toml").write_text('[[scenario]]\nname = "x"\nset = { as_of = 2025-01-01 }\n')
    return root


@pytest.fixture()
def server(folder: Path) -> Iterator[str]:
    with served(folder, TOKEN) as address:
        yield address


#: ``call(address, method, path, body, headers)``: a request as the page sends it (token, origin).
call = functools.partial(webtest.call, token=TOKEN)


def get(address: str, path: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection(address, timeout=120)
    conn.request("GET", path, headers={"Authorization": f"Bearer {TOKEN}"})
    r = conn.getresponse()
    body = r.read().decode("utf-8")
    conn.close()
    return r.status, body


def cli_json(*args: str) -> dict[str, Any]:
    """What ``timeline scenarios ... --format json`` prints."""
    result = CliRunner().invoke(main, ["scenarios", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    value: dict[str, Any] = json.loads(result.stdout)
    return value


# --------------------------------------------------------------------------- POST /api/scenarios


def test_the_comparison_is_the_one_timeline_scenarios_prints(server: str, folder: Path) -> None:
    vary = f"{REPORT}=2025-08-01,2025-09-20"
    status, answer = call(server, "POST", "/api/scenarios?lang=nl", {"name": CASE, "vary": [vary]})
    assert status == 200 and answer["ok"] is True
    assert answer["comparison"] == cli_json(str(folder / CASE), "--vary", vary, "--lang", "nl")
    assert [s["gap_days"] for s in answer["comparison"]["scenarios"]] == [92, 61, 11]
    assert answer["chart_svg"].startswith("<svg") and answer["chart_svg"].rstrip().endswith("</svg>")
    table = answer["table_html"]
    assert table.startswith('<table class="scenarios">') and table.count("<tr") == 4  # head + 3 scenarios
    assert "basisgeval" in table and "-81" in table  # Dutch; 11 gap days is 81 fewer than the base case's 92


def test_slider_and_period_items_are_the_command_lines_values(server: str, folder: Path) -> None:
    case = timeline.load_case(folder / CASE)
    status, moved = call(server, "POST", "/api/scenarios", {"name": CASE, "vary": [{"path": REPORT, "shift": 31}]})
    assert status == 200
    assert moved["comparison"] == json.loads(
        json.dumps(comparison_dict(scenarios(case, [f"{REPORT}=2025-08-01"], as_of=case.as_of)))
    )
    assert moved["comparison"]["scenarios"][1]["delta"]["gap_days"] == -31
    # without the chart (the page asks for it when the slider rests): the same comparison and table
    spec = {"name": CASE, "vary": [{"path": REPORT, "shift": 31}], "chart": False}
    status, quick = call(server, "POST", "/api/scenarios", spec)
    assert status == 200 and quick["chart_svg"] is None
    assert (quick["comparison"], quick["table_html"]) == (moved["comparison"], moved["table_html"])
    period = {"path": REPORT, "from": "2025-07-01", "to": "2025-09-30", "step": 30}
    status, ranged = call(server, "POST", "/api/scenarios", {"name": CASE, "vary": [period]})
    assert status == 200
    assert ranged["comparison"]["varies"] == [
        {"path": REPORT, "values": ["2025-07-01", "2025-07-31", "2025-08-30", "2025-09-29"], "range": True}
    ]
    assert ranged["comparison"] == cli_json(str(folder / CASE), "--vary", f"{REPORT}=2025-07-01..2025-09-30/30")


def test_the_best_and_the_worst_are_marked_where_the_library_finds_them(server: str) -> None:
    period = {"path": REPORT, "from": "2025-06-01", "to": "2025-09-28", "step": 7}
    status, answer = call(server, "POST", "/api/scenarios", {"name": CASE, "vary": [period]})
    assert status == 200
    cmp = answer["comparison"]
    gaps = next(e for e in cmp["extremes"] if e["output"] == "gap_days")
    assert gaps["best"] < gaps["worst"]
    rows = re.findall(r"<tr[^>]*>.*?</tr>", answer["table_html"], re.S)[1:]  # the head row first
    titles = [s["title"] for s in cmp["scenarios"]]
    best_row = rows[titles.index(next(s["title"] for s in cmp["scenarios"] if s["name"] == gaps["best_scenario"]))]
    worst_row = rows[titles.index(next(s["title"] for s in cmp["scenarios"] if s["name"] == gaps["worst_scenario"]))]
    assert re.search(rf'<td class="best">{gaps["best"]}\b', best_row)
    assert re.search(rf'<td class="worst">{gaps["worst"]}\b', worst_row)
    assert answer["table_html"].count('<td class="best">') == answer["table_html"].count('<span class="mark best">')
    assert "Best and worst case" in answer["table_html"]  # the extremes in words under the table


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"vary": ["relationship.separatd=2025-01-01"]}, "vary[0]", "Did you mean 'relationship.separated'"),
        ({"vary": [f"{REPORT}=2025-02-30"]}, "vary[0]", "is not a date"),
        ({"vary": [f"{REPORT}=2025-09-01..2025-08-01"]}, "vary[0]", "is empty"),
        ({"vary": [f"{REPORT}=2025-01-01..2025-02-01/0"]}, "vary[0]", "whole number of days"),
        ({"vary": ["notifications[3].received=2025-01-01"]}, "vary[0]", "the case has no notifications[3]"),
        ({"vary": [{"path": "sponsor.status", "shift": 3}]}, "vary[0]", "not a date"),
        ({"vary": [{"path": "relationship.separated", "shift": "soon"}]}, "vary[0]", "whole number"),
        ({"vary": [{"path": REPORT, "from": "2025-01-01"}]}, "vary[0]", "needs from and to"),
        ({"vary": [{"nothing": 1}]}, "vary[0]", "PATH=V1,V2"),
        ({"vary": []}, "vary", "give a date to vary"),
        ({"vary": ["as_of=2025-01-01..2038-01-01"]}, "vary[0]", "at most 400 on the page"),
        (
            {"scenarios": [{"name": "a", "set": {"relationship.separated": "2025-08-01"}}, {"name": "a"}]},
            "scenarios[1]",
            "used twice",
        ),
        ({"scenarios": [{"name": "b", "set": {"permits[4].end": "2026-01-01"}}]}, "scenarios[0]", "no permits[4]"),
        ({"scenarios": "x"}, "scenarios", "a list"),
        ({"vary": [f"{REPORT}=2025-08-01"], "options": {"withdrawal_effective": "never"}}, "options", "never"),
    ],
)
def test_a_bad_spec_is_422_with_its_field(server: str, body: dict[str, Any], field: str, words: str) -> None:
    status, answer = call(server, "POST", "/api/scenarios", {"name": CASE, **body})
    assert status == 422 and answer["ok"] is False, answer
    assert any(e["field"] == field and words in e["message"] for e in answer["errors"]), answer["errors"]


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"vary": [f"{REPORT}=2025-02-30"]}, "vary[0]", "geen datum in de vorm"),  # the library's text
        ({"vary": [{"path": "sponsor.status", "shift": 3}]}, "vary[0]", "is geen datum"),  # the page's own
        ({"vary": [{"nothing": 1}]}, "vary[0]", "PAD=W1,W2, of een object met path en shift"),
        ({"vary": []}, "vary", "geef een datum om te variëren"),
        ({"vary": ["as_of=2025-01-01..2038-01-01"]}, "vary[0]", "hooguit 400 op de pagina"),
        ({"scenarios": "x"}, "scenarios", "een lijst"),
    ],
)
def test_a_bad_spec_is_explained_in_the_language_asked(
    server: str, body: dict[str, Any], field: str, words: str
) -> None:
    status, answer = call(server, "POST", "/api/scenarios?lang=nl", {"name": CASE, **body})
    assert status == 422 and answer["ok"] is False, answer
    assert any(e["field"] == field and words in e["message"] for e in answer["errors"]), answer["errors"]


def test_a_case_given_whole_and_its_errors(server: str, folder: Path) -> None:
    data = timeline.io.case_to_dict(timeline.load_case(folder / CASE))
    status, answer = call(server, "POST", "/api/scenarios", {"case": data, "vary": [f"{REPORT}=2025-08-01"]})
    assert status == 200 and answer["comparison"]["scenarios"][1]["gap_days"] == 61
    data["permits"][0]["end"] = "2020-01-01"
    status, answer = call(server, "POST", "/api/scenarios", {"case": data, "vary": [f"{REPORT}=2025-08-01"]})
    assert status == 422 and (answer["errors"][0]["record"], answer["errors"][0]["field"]) == ("permits[0]", "end")
    # a variant that is impossible stays in the table as invalid, with its reason (as on the command line)
    status, answer = call(server, "POST", "/api/scenarios", {"name": CASE, "vary": ["permits[0].end=2020-01-01"]})
    assert status == 200 and answer["comparison"]["scenarios"][1]["valid"] is False
    assert 'class="invalid"' in answer["table_html"]


def test_what_is_not_a_scenario_request(server: str) -> None:
    assert call(server, "POST", "/api/scenarios", b"{not json")[0] == 400
    assert call(server, "POST", "/api/scenarios", {"vary": [f"{REPORT}=2025-08-01"]})[0] == 400  # no case
    assert call(server, "POST", "/api/scenarios", {"name": CASE, "vary": [], "lang": "fr"})[0] == 400
    assert call(server, "POST", "/api/scenarios", {"name": CASE, "as_of": "2025-13-01"})[0] == 400
    for name in ("missing.toml", "../outside.toml", FILE, "/etc/passwd"):
        assert call(server, "POST", "/api/scenarios", {"name": name, "vary": ["as_of=2025-01-01"]})[0] == 404, name
    assert call(server, "GET", "/api/scenarios")[0] == 404


def test_changes_from_another_origin_not_json_too_large_or_without_token_are_refused(server: str, folder: Path) -> None:
    spec = {"name": CASE, "vary": [f"{REPORT}=2025-08-01"]}
    save = {"scenarios": [{"name": "a", "set": {REPORT: "2025-08-01"}}], "sha": None}
    for headers, code in (
        ({"Origin": "http://evil.example"}, 403),
        ({"Origin": "null"}, 403),
        ({"Content-Type": "text/plain"}, 415),
        ({"Authorization": None}, 403),
        ({"Host": "evil.example"}, 403),
    ):
        assert call(server, "POST", "/api/scenarios", spec, headers)[0] == code, headers
        assert call(server, "PUT", f"/api/cases/{CASE}/scenarios", save, headers)[0] == code, headers
    assert not (folder / FILE).exists()
    big = b'{"name": "' + CASE.encode() + b'", "vary": ["' + b"x" * MAX_BODY + b'"]}'
    assert call(server, "POST", "/api/scenarios", big)[0] == 413
    assert call(server, "PUT", f"/api/cases/{CASE}/scenarios", big)[0] == 413
    assert call(server, "POST", "/api/scenarios", spec, {"Origin": None})[0] == 200  # a tool without Origin


# --------------------------------------------------------------------------- PUT /api/cases/NAME/scenarios


def test_named_scenarios_are_saved_and_read_by_timeline_scenarios(server: str, folder: Path) -> None:
    named = [
        {"name": "reported as the divorce date", "set": {REPORT: "2025-09-20"}},
        {"name": "withdrawn from the decision", "set": {"options.withdrawal_effective": "decision"}},
    ]
    status, answer = call(server, "PUT", f"/api/cases/{CASE}/scenarios", {"scenarios": named, "sha": None})
    assert status == 200 and answer["ok"] is True and answer["file"] == FILE, answer
    first = answer["scenarios"][0]["text"]
    assert first == "report by the sponsor received 10 July 2025: change dated 20 September 2025"
    path = folder / FILE
    assert [s.name for s in load_scenarios(path)] == [n["name"] for n in named]
    assert f'"{REPORT}" = 2025-09-20' in path.read_text(encoding="utf-8")  # a TOML date, as a person writes it
    # the page's comparison with them is the command line's with --scenarios FILE
    status, web = call(server, "POST", "/api/scenarios", {"name": CASE, "scenarios": named})
    assert status == 200
    assert web["comparison"] == cli_json(str(folder / CASE), "--scenarios", str(path))
    assert [s["gap_days"] for s in web["comparison"]["scenarios"]][:2] == [92, 11]
    # the page lists them, and its case page links to it
    status, html = get(server, f"/cases/{CASE}/scenarios")
    assert status == 200 and "reported as the divorce date" in html and f'data-sha="{answer["sha"]}"' in html
    assert FILE not in get(server, "/")[1]  # not a case in the caseload
    assert get(server, f"/cases/{FILE}")[0] == 404


def test_saving_keeps_the_files_comments_and_detects_a_change_on_disk(server: str, folder: Path) -> None:
    path = folder / FILE
    path.write_text(
        "# scenarios for Mrs B, agreed with the client\n\n[[scenario]]\n"
        'name = "divorce"  # the divorce date\nset = { "notifications[0].change_date" = 2025-09-20 }\n',
        encoding="utf-8",
    )
    status, html = get(server, f"/cases/{CASE}/scenarios")
    sha = re.search(r'data-sha="([0-9a-f]{64})"', html).group(1)  # type: ignore[union-attr]
    kept = {"name": "divorce", "set": {REPORT: "2025-09-20"}}
    added = {"name": "a month later", "set": {REPORT: "2025-08-01"}}
    status, answer = call(server, "PUT", f"/api/cases/{CASE}/scenarios", {"scenarios": [kept, added], "sha": sha})
    assert status == 200, answer
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# scenarios for Mrs B") and "# the divorce date" in text
    assert [s.name for s in parse_scenarios(text)] == ["divorce", "a month later"]
    # the old version's sha no longer matches: changed since, not overwritten
    status, answer = call(server, "PUT", f"/api/cases/{CASE}/scenarios", {"scenarios": [kept], "sha": sha})
    assert status == 409 and answer["conflict"] is True and "changed on disk" in answer["errors"][0]["message"]
    status, _ = call(server, "PUT", f"/api/cases/{CASE}/scenarios", {"scenarios": [kept], "sha": None})
    assert status == 409  # there is a file now
    assert path.read_text(encoding="utf-8") == text
    # an empty list removes the file; the case file is never touched
    case_before = (folder / CASE).read_bytes()
    status, answer = call(server, "PUT", f"/api/cases/{CASE}/scenarios", {"scenarios": [], "sha": _sha(path)})
    assert status == 200 and answer["sha"] is None and not path.exists()
    assert (folder / CASE).read_bytes() == case_before


def _sha(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_an_invalid_scenario_is_not_saved(server: str, folder: Path) -> None:
    for bad, words in (
        ([{"name": "x", "set": {"permits[3].end": "2026-01-01"}}], "no permits[3]"),
        ([{"name": "x", "set": {REPORT: "2025-07-01..2025-08-01"}}], "ranges are for --vary"),
        ([{"name": "two\nlines", "set": {REPORT: "2025-07-01"}}], "line breaks"),
        ([{"name": "x", "set": {REPORT: "2025-07-01"}}, {"name": "x", "set": {REPORT: "2025-07-02"}}], "used twice"),
        ([{"name": "x", "set": {"sponsor.status": "moon"}}], "not a valid sponsor.status"),
    ):
        status, answer = call(server, "PUT", f"/api/cases/{CASE}/scenarios", {"scenarios": bad, "sha": None})
        assert status == 422 and words in answer["errors"][0]["message"], answer
    assert call(server, "PUT", f"/api/cases/{CASE}/scenarios", {"scenarios": [], "sha": 7})[0] == 400
    assert not (folder / FILE).exists()
    # a scenario file that is not TOML is reported on the page and not replaced unread
    (folder / FILE).write_text("[[scenario]\nname = ", encoding="utf-8")
    status, html = get(server, f"/cases/{CASE}/scenarios")
    assert status == 200 and f"{FILE} cannot be read" in html
    body = {"scenarios": [{"name": "x", "set": {REPORT: "2025-07-01"}}], "sha": _sha(folder / FILE)}
    status, answer = call(server, "PUT", f"/api/cases/{CASE}/scenarios", body)
    assert status == 422 and "not valid TOML" in answer["errors"][0]["message"]
    assert (folder / FILE).read_text(encoding="utf-8") == "[[scenario]\nname = "


@pytest.mark.parametrize(
    "path",
    [
        "/api/cases/..%2Foutside.toml/scenarios",
        "/api/cases/%2E%2E/outside.toml/scenarios",
        "/api/cases/..%5Coutside.toml/scenarios",
        "/api/cases/%2Ftmp%2Fx.toml/scenarios",
        f"/api/cases/{FILE}/scenarios",
        "/api/cases/missing.toml/scenarios",
        "/api/cases/.hidden.toml/scenarios",
        "/cases/..%2Foutside.toml/scenarios",
    ],
)
def test_saving_outside_the_folder_or_over_a_case_is_not_found(server: str, folder: Path, path: str) -> None:
    (folder / FILE).write_text('[[scenario]]\nname = "x"\nset = { as_of = 2025-01-01 }\n', encoding="utf-8")
    before = {p: p.read_bytes() for p in (folder / CASE, folder.parent / "outside.scenarios.toml", folder / FILE)}
    body = {"scenarios": [{"name": "y", "set": {"as_of": "2025-02-01"}}], "sha": None}
    status, _ = call(server, "PUT", path, body)
    assert status in (404, 405)  # 405: no such route (a slash in the name)
    assert status == 404 or path.count("/") > 4
    assert {p: p.read_bytes() for p in before} == before


def test_a_scenario_file_that_links_out_of_the_folder_is_not_written(server: str, folder: Path) -> None:
    outside = folder.parent / "outside.scenarios.toml"
    before = outside.read_bytes()
    (folder / FILE).symlink_to(outside)
    body = {"scenarios": [{"name": "y", "set": {"as_of": "2025-02-01"}}], "sha": _sha(outside)}
    assert call(server, "PUT", f"/api/cases/{CASE}/scenarios", body)[0] == 404
    assert outside.read_bytes() == before and (folder / FILE).is_symlink()
    status, html = get(server, f"/cases/{CASE}/scenarios")
    assert status == 200 and '"name": "x"' not in html  # its scenarios are not read either


# --------------------------------------------------------------------------- the page


def test_the_page_has_every_control_labelled_and_no_inline_script(server: str) -> None:
    status, html = get(server, f"/cases/{CASE}/scenarios?lang=nl")
    assert status == 200
    assert (
        '<script src="/static/scenarios.js" defer>' in html and "<script>" not in html and " on" + "input=" not in html
    )
    for ident in re.findall(r'<(?:input|select)[^>]* id="([^"]+)"', html):
        assert f'<label for="{ident}">' in html, ident
    assert 'type="range"' in html and 'min="-90"' in html and 'max="90"' in html
    assert 'type="date"' in html and 'name="step"' in html
    assert "Datum om te verschuiven" in html and "Scenario&#x27;s met een naam" in html and "basisgeval" in html
    assert "<svg" in html and '<table class="scenarios">' in html  # the first answer is in the page itself
    for p in date_paths(timeline.io.case_to_dict(timeline.load_case(EXAMPLES / CASE))):
        assert f'<option value="{p}"' in html.replace("&#x27;", "'")
    assert get(server, "/static/scenarios.js")[0] == 200 and get(server, "/static/scenarios.css")[0] == 200
    status, case_page = get(server, f"/cases/{CASE}?lang=nl")
    assert f'href="/cases/{CASE}/scenarios?lang=nl"' in case_page and ">Scenario&#x27;s<" in case_page


def test_the_form_works_without_script(server: str, folder: Path) -> None:
    status, html = get(
        server, f"/cases/{CASE}/scenarios?path={REPORT.replace('[', '%5B').replace(']', '%5D')}&mode=shift&shift=31"
    )
    assert status == 200
    assert "change dated 1 August 2025" in html and ">61 <span" in html and "-31" in html
    assert 'value="31"' in html and 'id="sc-mode-shift" name="mode" value="shift" checked' in html
    status, html = get(server, f"/cases/{CASE}/scenarios?mode=range&from=2025-07-01&to=2025-07-03&step=1")
    assert status == 200 and html.count("separated on") >= 3
    status, html = get(server, f"/cases/{CASE}/scenarios?mode=range&from=2025-09-01&to=2025-07-03&step=1")
    assert status == 422 and "is empty" in html


def test_everything_from_the_files_is_escaped(server: str, folder: Path) -> None:
    text = (
        (folder / CASE)
        .read_text(encoding="utf-8")
        .replace('id = "separation-reported-early"', 'id = "<script>alert(1)</script>"')
    )
    (folder / CASE).write_text(text, encoding="utf-8")
    named = [{"name": '<img src=x onerror="alert(2)">', "set": {REPORT: "2025-08-01"}}]
    assert call(server, "PUT", f"/api/cases/{CASE}/scenarios", {"scenarios": named, "sha": None})[0] == 200
    status, html = get(server, f"/cases/{CASE}/scenarios")
    assert status == 200 and "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;img src=x" in html
    status, answer = call(server, "POST", "/api/scenarios", {"name": CASE, "scenarios": named})
    assert "<img src=x" not in answer["table_html"] and "&lt;img src=x" in answer["table_html"]


def test_a_case_that_cannot_be_assessed(server: str, folder: Path) -> None:
    (folder / "broken.toml").write_text("id = \n", encoding="utf-8")
    assert get(server, "/cases/broken.toml/scenarios")[0] == 422
    assert call(server, "POST", "/api/scenarios", {"name": "broken.toml", "vary": ["as_of=2025-01-01"]})[0] == 422
    assert get(server, "/cases/..%2Foutside.toml/scenarios")[0] == 404


# --------------------------------------------------------------------------- the library parts


def test_a_range_with_a_step_and_the_scenario_file_name() -> None:
    assert parse_vary(f"{REPORT}=2025-07-01..2025-07-20/7").labels == ("2025-07-01", "2025-07-08", "2025-07-15")
    assert parse_vary(f"{REPORT}=2025-07-01..2025-07-15/7").labels[-1] == "2025-07-15"
    assert parse_vary(f"{REPORT}=2025-07-01..2025-07-03/1") == parse_vary(f"{REPORT}=2025-07-01..2025-07-03")
    assert scenario_file_name("client.toml") == scenario_file_name("client.json") == "client.scenarios.toml"


def test_the_scenario_file_text_reads_back_as_written() -> None:
    named = parse_scenarios(
        '[[scenario]]\nname = "a"\nset = { relationship.separated = 2025-08-01, "permits[0].end" = "none" }\n'
        '[[scenario]]\nname = "b \\"q\\""\nset = { "options.withdrawal_effective" = "decision", '
        '"person.turkish_national" = true }\n'
    )
    text = scenario_file_text(named)
    assert parse_scenarios(text) == named
    assert scenario_file_text(named[:1], text).count("[[scenario]]") == 1
