"""``timeline serve``'s scenarios page in a real headless Chromium (issue 13, "Scenarios").

A user moves the slider (with the mouse's value and with the keyboard) and sees the table of
scenarios change without the page reloading; the values shown are those ``timeline
scenarios`` computes. A named scenario is saved and found in the case's scenario file, which
the command line reads with the same result. Skipped, with the reason, where no
``chromium`` is installed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import Browser, chromium
from click.testing import CliRunner
from webtest import one_case_site, signed_in

import timeline
from timeline.cli import main
from timeline.scenarios import load_scenarios, scenarios

pytestmark = pytest.mark.skipif(
    chromium() is None, reason="no chromium: the browser tests need a Chromium (Debian: apt-get install chromium)"
)

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
CASE = "separation-reported-early.toml"
FILE = "separation-reported-early.scenarios.toml"
REPORT = "notifications[0].change_date"
TOKEN = "browser-token-scenarios"
TABLE = "document.getElementById('sc-table').innerHTML"
CHART_DONE = "!document.getElementById('sc-chart').classList.contains('stale')"


@pytest.fixture()
def site(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    with one_case_site(tmp_path, EXAMPLES / CASE, TOKEN) as found:
        yield found


@pytest.fixture()
def browser(site: tuple[str, Path]) -> Iterator[Browser]:
    with signed_in(site[0], TOKEN) as b:
        yield b


def _set(b: Browser, ident: str, value: str, event: str) -> None:
    b.js(
        f"(() => {{ const e = document.getElementById({json.dumps(ident)}); e.value = {json.dumps(value)};"
        f" e.dispatchEvent(new Event({json.dumps(event)}, {{bubbles: true}})); }})()"
    )


def _key(b: Browser, key: str, code: int) -> None:
    for kind in ("keyDown", "keyUp"):
        b.call("Input.dispatchKeyEvent", type=kind, key=key, code=key, windowsVirtualKeyCode=code)


def _gap_days(b: Browser, row: int) -> str:
    """The gap days cell of row ``row`` of the table (0: the base case), its number only."""
    cell = f"document.querySelectorAll('#sc-table tbody tr')[{row}].querySelectorAll('td')[1]"
    return str(b.js(f"{cell}.firstChild.textContent.trim()"))


def test_moving_the_slider_changes_the_difference_table(site: tuple[str, Path], browser: Browser) -> None:
    base, folder = site
    browser.open(f"{base}/cases/{CASE}/scenarios", "document.querySelector('#sc-table table') !== null")
    browser.js("window.notReloaded = true")
    unlabelled = "[...document.querySelectorAll('input:not([type=hidden]), select')].filter(e => !e.labels.length)"
    assert browser.js(f"{unlabelled}.map(e => e.id)") == []
    _set(browser, "sc-path", REPORT, "change")
    _set(browser, "sc-shift", "31", "input")
    browser.wait("document.getElementById('sc-shift-out').textContent.includes('1 August 2025')")
    case = timeline.load_case(folder / CASE)
    expected = scenarios(case, [f"{REPORT}=2025-08-01"], as_of=case.as_of)
    assert _gap_days(browser, 0) == str(expected.scenarios[0].outcome.gap_days) == "92"  # type: ignore[union-attr]
    assert _gap_days(browser, 1) == str(expected.scenarios[1].outcome.gap_days) == "61"  # type: ignore[union-attr]
    assert "-31" in browser.js("document.querySelectorAll('#sc-table tbody tr')[1].textContent")
    assert browser.js("document.getElementById('sc-mode-shift').checked") is True
    browser.wait(CHART_DONE)  # the chart follows the table when the slider rests
    chart = browser.js("document.querySelector('#sc-chart svg').outerHTML")
    assert "change dated 1 August 2025" in chart  # the panel's title names the date
    # the keyboard moves it too: one day later, one gap day fewer
    table = browser.js(TABLE)
    browser.js("document.getElementById('sc-shift').focus()")
    _key(browser, "ArrowRight", 39)
    browser.wait(f"{TABLE} !== {json.dumps(table)}")
    browser.wait("document.getElementById('sc-shift-out').textContent.includes('2 August 2025')")
    assert browser.js("document.getElementById('sc-shift').value") == "32"
    assert _gap_days(browser, 1) == "60"
    browser.wait(f"{CHART_DONE} && document.querySelector('#sc-chart svg').outerHTML !== {json.dumps(chart)}")
    # a period: every fortnight over two months, best and worst marked
    _set(browser, "sc-from", "2025-07-01", "input")
    _set(browser, "sc-step", "14", "input")
    _set(browser, "sc-to", "2025-08-31", "input")
    browser.wait("document.querySelectorAll('#sc-table tbody tr').length === 6")
    assert browser.js("document.querySelector('#sc-table td.best .mark.best') !== null") is True
    assert browser.js("document.querySelector('#sc-table td.worst .mark.worst') !== null") is True
    assert browser.js("window.notReloaded") is True
    # an impossible period says why, beside the form
    _set(browser, "sc-to", "2025-06-01", "input")
    browser.wait("document.getElementById('sc-errors').textContent.includes('is empty')")


def test_a_named_scenario_is_saved_into_the_scenario_file(site: tuple[str, Path], browser: Browser) -> None:
    base, folder = site
    browser.open(f"{base}/cases/{CASE}/scenarios?lang=nl", "document.querySelector('#sc-table table') !== null")
    assert browser.js("document.getElementById('save-form').hidden") is False
    assert browser.js("document.getElementById('sc-save').disabled") is True  # the slider was not moved yet
    _set(browser, "sc-path", REPORT, "change")
    _set(browser, "sc-shift", "81", "input")
    browser.wait("document.getElementById('sc-shift-out').textContent.includes('20 september 2025')")
    _set(browser, "sc-name", "gemeld per scheidingsdatum", "input")
    browser.js("document.getElementById('sc-save').click()")
    browser.wait(f"document.getElementById('sc-save-status').textContent === 'Opgeslagen in {FILE}.'")
    [named] = load_scenarios(folder / FILE)
    assert named.name == "gemeld per scheidingsdatum"
    assert [(p.text, label) for p, _, label in named.settings] == [(REPORT, "2025-09-20")]
    # the page compares it, and the command line reads the file with the same result
    browser.wait("document.querySelector('#sc-table').textContent.includes('gemeld per scheidingsdatum')")
    run = CliRunner().invoke(
        main, ["scenarios", str(folder / CASE), "--scenarios", str(folder / FILE), "--format", "json"]
    )
    assert run.exit_code == 0, run.output
    cli = json.loads(run.stdout)["scenarios"][1]
    assert cli["name"] == "gemeld per scheidingsdatum" and cli["gap_days"] == 11
    assert _gap_days(browser, 1) == "11"
    assert "gemeld per scheidingsdatum" in browser.js("document.getElementById('saved-list').textContent")
    # removed again: the file goes
    browser.js("document.querySelector('#saved-list button.remove').click()")
    browser.wait(f"document.getElementById('sc-save-status').textContent === 'Verwijderd uit {FILE}.'")
    assert not (folder / FILE).exists()
    assert browser.js("document.getElementById('none-saved').hidden") is False
