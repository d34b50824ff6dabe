"""``timeline serve``'s edit page in a real headless Chromium (issue 13).

The page is driven as a user drives it: a date changed in the form, an end before its
start, an entry added, Save, a file changed on disk meanwhile. What the page shows is
compared with what the library computes for the same case. Skipped, with the reason,
where no ``chromium`` is installed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import Browser, chromium
from webtest import one_case_site, signed_in

import timeline
from timeline.web.saving import file_data

pytestmark = pytest.mark.skipif(
    chromium() is None, reason="no chromium: the browser tests need a Chromium (Debian: apt-get install chromium)"
)

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
CASE = "separation-reported-early.toml"
TOKEN = "browser-token-789"


@pytest.fixture()
def site(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    with one_case_site(tmp_path, EXAMPLES / CASE, TOKEN) as found:
        yield found


@pytest.fixture()
def browser(site: tuple[str, Path]) -> Iterator[Browser]:
    with signed_in(site[0], TOKEN) as b:
        yield b


def _type(b: Browser, ident: str, value: str) -> None:
    b.js(
        f"(() => {{ const e = document.getElementById({json.dumps(ident)}); e.value = {json.dumps(value)};"
        " e.dispatchEvent(new Event('input', {bubbles: true})); })()"
    )


VALID = "document.querySelector('#check.ok') !== null"
NOW = "document.querySelector('#now p').textContent"


def test_the_page_shows_what_the_library_computes_as_you_type(site: tuple[str, Path], browser: Browser) -> None:
    base, folder = site
    browser.open(f"{base}/cases/{CASE}/edit", VALID)
    data, _ = file_data(folder / CASE)
    expected = timeline.assess(timeline.load_case(folder / CASE)).to_dict("en")["now_and_next"]
    assert browser.js(NOW) == expected["status"]["text"]
    chart = browser.wait(
        "!document.querySelector('#chart[aria-busy]') && document.querySelector('#chart svg')?.outerHTML"
    )
    # the relationship ends later: the page follows, without reloading
    browser.js("window.notReloaded = true")
    _type(browser, "f-relationship-separated", "2025-09-01")
    browser.wait(f"document.querySelector('#chart svg').outerHTML !== {json.dumps(chart)} && {VALID}")
    data["relationship"]["separated"] = "2025-09-01"
    case = timeline.case_from_dict(data)
    moved = timeline.assess(case, case.as_of).to_dict("en")["now_and_next"]
    assert browser.js(NOW) == moved["status"]["text"]
    first = browser.js("document.querySelector('#ahead li').textContent")
    assert moved["ahead"][0]["what"] in first
    assert browser.js("window.notReloaded") is True


def test_an_error_appears_beside_its_field_and_a_save_writes_the_file(site: tuple[str, Path], browser: Browser) -> None:
    base, folder = site
    browser.open(f"{base}/cases/{CASE}/edit?lang=nl", VALID)
    _type(browser, "f-permits-0-end", "2020-01-01")  # before the permit's start
    message = browser.wait("document.getElementById('f-permits-0-end-err').textContent")
    assert "moet na de begindatum" in message  # a Dutch page shows the error in Dutch
    assert browser.js("document.getElementById('f-permits-0-end').getAttribute('aria-invalid')") == "true"
    assert browser.js("document.querySelector('#check').textContent").startswith("Het dossier kan nog niet")
    _type(browser, "f-permits-0-end", "2026-03-11")
    browser.wait(VALID)
    assert browser.js("document.getElementById('f-permits-0-end-err').hidden") is True
    # a stay abroad added, then saved
    browser.js("document.querySelector('button.add[data-record=absences]').click()")
    assert browser.js("document.activeElement.id") == "f-absences-0-departed"
    _type(browser, "f-absences-0-departed", "2024-05-01")
    _type(browser, "f-absences-0-returned", "2024-06-01")
    browser.wait(VALID)
    before = (folder / CASE).read_text(encoding="utf-8")
    browser.js("document.getElementById('save').click()")
    browser.wait("document.getElementById('saved').textContent === 'Opgeslagen.'")
    after = (folder / CASE).read_text(encoding="utf-8")
    assert after.startswith(before.split("\n", 1)[0])  # the opening comment kept
    case = timeline.load_case(folder / CASE)
    assert [(str(a.departed), str(a.returned)) for a in case.absences] == [("2024-05-01", "2024-06-01")]
    # changed on disk meanwhile: not overwritten
    (folder / CASE).write_text(after + "\n# changed elsewhere\n", encoding="utf-8")
    _type(browser, "f-case-description", "mine")
    browser.js("document.getElementById('save').click()")
    browser.wait("document.getElementById('saved').textContent.startsWith('Niet opgeslagen')")
    assert (folder / CASE).read_text(encoding="utf-8").endswith("# changed elsewhere\n")


def test_nothing_ahead_is_said_not_left_blank(site: tuple[str, Path], browser: Browser) -> None:
    """With every date past (as_of far ahead), the card 'What to do, by when' says so."""
    base, _ = site
    for lang in ("en", "nl"):
        browser.open(f"{base}/cases/{CASE}/edit?lang={lang}", VALID)
        _type(browser, "f-case-as_of", "2045-01-01")
        said = browser.wait(f"{VALID} && document.querySelector('#ahead li.quiet')?.textContent")
        assert said == timeline.i18n.phrase("now", "nothing-ahead", lang)
        assert browser.js("document.querySelectorAll('#ahead li').length") == 1
