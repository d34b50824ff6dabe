"""``timeline serve`` in a real headless Chromium (issue 13): the caseload, a case, the
downloads, choosing what an objection is against, and accessibility.

A folder of the examples (and a case with objections) is served on a free port of
127.0.0.1; the browser is driven over the DevTools protocol (``tests/browser.py``), with
real key presses for keyboard use. What the pages show is compared with what the library
computes. Accessibility is checked in the page itself: every form field has a label,
Tab reaches every control in the order of the page with a visible focus ring, Enter and
Space work, and every visible text has a contrast of at least 4.5:1 (3:1 for large text)
against its background (WCAG 2.1 AA, 1.4.3). The checks are shown to catch a bad element
before they are trusted.

Screenshots of the caseload and a case in English and Dutch are written to a temporary
folder, or to the folder named by ``TIMELINE_WEB_SCREENSHOTS`` (``docs/images`` for the
README's). Skipped, with the reason, where no ``chromium`` is installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import Browser, chromium
from webtest import served

import timeline
from timeline.web.caseload import DEADLINE_KINDS

pytestmark = pytest.mark.skipif(
    chromium() is None, reason="no chromium: the browser tests need a Chromium (Debian: apt-get install chromium)"
)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
DENSE = ROOT / "tests" / "data" / "cases" / "dense-fifteen-years.toml"
TOKEN = "flow-token-321"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("site") / "clients"  # its name shows in the screenshots
    folder.mkdir()
    for p in EXAMPLES.glob("*.toml"):
        shutil.copy(p, folder / p.name)
    shutil.copy(DENSE, folder / "dense-fifteen-years.toml")
    (folder / "broken.toml").write_text('id = "broken"\nas_of = 2025-13-01\n', encoding="utf-8")
    with served(folder, TOKEN) as address:
        yield f"http://{address}", folder


@pytest.fixture(scope="module")
def browser(site: tuple[str, Path]) -> Iterator[Browser]:
    with Browser(1280, 900) as b:
        b.open(f"{site[0]}/?token={TOKEN}")  # the address 'timeline serve' prints: sets the cookie
        yield b


@pytest.fixture()
def own_browser(site: tuple[str, Path]) -> Iterator[Browser]:
    """A browser of its own, for a test that leaves unsaved changes after key presses: the
    edit page then asks before it is left (beforeunload), which would stop the next page."""
    with Browser(1280, 900) as b:
        b.open(f"{site[0]}/?token={TOKEN}")
        yield b


def _open(b: Browser, url: str, ready: str = "document.readyState === 'complete'") -> None:
    b.open(url, ready)
    b.js("document.activeElement && document.activeElement.blur()")


# --------------------------------------------------------------------------- keys


_KEYS = {
    "Tab": {"key": "Tab", "code": "Tab", "windowsVirtualKeyCode": 9},
    "Enter": {"key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13, "text": "\r"},
    "Space": {"key": " ", "code": "Space", "windowsVirtualKeyCode": 32, "text": " "},
}


def press(b: Browser, key: str, shift: bool = False) -> None:
    """A real key press (down and up), as a keyboard sends it."""
    params: dict[str, Any] = dict(_KEYS[key], modifiers=8 if shift else 0)
    b.call("Input.dispatchKeyEvent", type="keyDown", **params)
    params.pop("text", None)
    b.call("Input.dispatchKeyEvent", type="keyUp", **params)


def type_text(b: Browser, text: str) -> None:
    b.call("Input.insertText", text=text)


# --------------------------------------------------------------------------- checks run in the page

#: The form fields (input, select, textarea) without a label that has text: ``<label for>``,
#: a wrapping label, ``aria-label`` or ``aria-labelledby``.
UNLABELLED = """(() => {
  const out = [];
  for (const el of document.querySelectorAll("input, select, textarea")) {
    if (el.type === "hidden") continue;
    const own = Array.from(el.labels || []).map((l) => l.textContent).join(" ");
    const by = (el.getAttribute("aria-labelledby") || "").split(/\\s+/).filter(Boolean)
      .map((id) => (document.getElementById(id) || {}).textContent || "").join(" ");
    const named = own + " " + (el.getAttribute("aria-label") || "") + " " + by;
    if (!named.trim()) out.push(el.id || el.outerHTML.slice(0, 80));
  }
  return out;
})()"""

#: The WCAG relative luminance, contrast ratio and the colour behind an element (its own
#: and its ancestors' background colours, composed), shared by the checks below.
COLOUR = """
const parse = (c) => { const m = /rgba?\\(([^)]+)\\)/.exec(c); if (!m) return null;
  const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
const over = (top, under) => [0, 1, 2].map((i) => top[i] * top[3] + under[i] * (1 - top[3])).concat([1]);
function behind(el) {
  const layers = [];
  for (let e = el; e; e = e.parentElement) {
    const c = parse(getComputedStyle(e).backgroundColor);
    if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
  }
  return layers.reverse().reduce((bg, c) => over(c, bg), [255, 255, 255, 1]);
}
const lum = (c) => {
  const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
"""

#: Every visible element with text of its own: its contrast against what is behind it
#: (opacity included), under 4.5:1 (3:1 for text of 24px, or 18.66px bold) a failure.
#: The chart is an image with its own colour checks (tests/test_chart_colours.py).
CONTRAST = (
    "(() => {"
    + COLOUR
    + """
  const fails = []; let checked = 0; const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!walker.currentNode.textContent.trim() || !el || seen.has(el) || el.closest("svg, option")) continue;
    seen.add(el);
    const s = getComputedStyle(el), box = el.getBoundingClientRect();
    if (s.visibility !== "visible" || box.width < 2 || box.height < 2) continue;  // not shown, or visually hidden
    let opacity = 1;
    for (let e = el; e; e = e.parentElement) opacity *= Number(getComputedStyle(e).opacity);
    const bg = behind(el), c = parse(s.color);
    const fg = over([c[0], c[1], c[2], c[3] * opacity], bg);
    const size = parseFloat(s.fontSize), large = size >= 24 || (size >= 18.66 && Number(s.fontWeight) >= 700);
    const value = ratio(fg, bg);
    checked += 1;
    const text = walker.currentNode.textContent.trim().slice(0, 40);
    if (value < (large ? 3 : 4.5)) fails.push(`${text}: ${value.toFixed(2)}`);
  }
  return {checked, fails};
})()"""
)

#: The focused element: a description, and whether its focus ring shows (an outline of at
#: least 2px, 3:1 against the colour behind it).
FOCUSED = (
    "(() => {"
    + COLOUR
    + """
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const ring = parse(s.outlineColor);
  const shows = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2 && ring !== null
    && ratio(ring, behind(el.parentElement || el)) >= 3;
  return {id: describe(el), shows};
})()"""
)

#: The controls Tab should reach, in the order of the page (no positive tabindex anywhere).
TAB_STOPS = """(() => Array.from(document.querySelectorAll(
  "a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]"))
  .filter((el) => !el.disabled && el.tabIndex >= 0 && el.getClientRects().length
    && getComputedStyle(el).visibility === "visible" && !el.closest("details:not([open]) > :not(summary)"))
  .map(describe))()"""

DESCRIBE = """window.describe = (el) => el.id ? "#" + el.id
  : el.tagName.toLowerCase() + ":" + (el.getAttribute("href") || el.textContent.trim().slice(0, 30));"""


def tab_through(b: Browser, limit: int) -> list[dict[str, Any]]:
    """Press Tab from the top of the page until focus leaves it; each element focused (a date
    field once: Tab also steps through its day, month and year, and its calendar button)."""
    b.js(DESCRIBE)
    b.js("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
    seen: list[dict[str, Any]] = []
    for _ in range(limit):
        press(b, "Tab")
        now = b.js(FOCUSED)
        if now is None or (seen and now["id"] == seen[0]["id"]):
            break
        if not seen or now["id"] != seen[-1]["id"]:
            seen.append(now)
    return seen


# --------------------------------------------------------------------------- the caseload and a case


def _library_order(folder: Path) -> dict[str, tuple[bool, bool, int]]:
    """Each valid case file's place by urgency, from the library's own assessment: a next last
    day to act (the fewest days left first), then cases with only other actions ahead
    (soonest first), then those with nothing ahead."""
    keys = {}
    for p in sorted(folder.glob("*.toml")):
        try:
            case = timeline.load_case(p)
        except timeline.TimelineError:
            continue
        ahead = timeline.assess(case, case.as_of).now_and_next.ahead
        first = next((u for u in ahead if u.action.kind in DEADLINE_KINDS), ahead[0] if ahead else None)
        keys[p.name] = (first is None, first is not None and first.action.kind not in DEADLINE_KINDS,
                        first.days_left if first else 0)  # fmt: skip
    return keys


def test_the_caseload_opens_sorted_by_urgency(site: tuple[str, Path], browser: Browser) -> None:
    base, folder = site
    _open(browser, base + "/")
    rows = "Array.from(document.querySelectorAll('table.caseload tbody tr"
    shown = browser.js(rows + " .file')).map((e) => e.textContent)")
    keys = _library_order(folder)
    assert sorted(shown) == sorted(keys)  # every valid case once
    order = [keys[name] for name in shown]
    assert order == sorted(order) and len(set(order)) > 3
    ids = browser.js(rows + " td:first-child a')).map((a) => a.textContent)")
    assert ids == [timeline.load_case(folder / n).id for n in shown]
    assert "broken.toml" in browser.js("document.querySelector('details.invalid').textContent")


def test_a_case_opens_from_the_caseload_and_its_report_downloads_as_a_pdf(
    site: tuple[str, Path], browser: Browser, tmp_path: Path
) -> None:
    base, folder = site
    _open(browser, base + "/")
    first = browser.js("document.querySelector('table.caseload tbody tr .file').textContent")
    browser.js("document.querySelector('table.caseload tbody tr a').click()")
    browser.wait(f"location.pathname === '/cases/{first}' && document.readyState === 'complete'")
    case = timeline.load_case(folder / first)
    expected = timeline.assess(case, case.as_of).to_dict("en")["now_and_next"]
    assert browser.js("document.querySelector('h1').textContent") == case.id
    assert browser.js("document.querySelector('.card.now p').textContent") == expected["status"]["text"]
    assert browser.js("document.querySelector('figure.chart svg') !== null") is True
    # the report, downloaded as a user downloads it: a click on its link
    browser.call("Page.setDownloadBehavior", behavior="allow", downloadPath=str(tmp_path))
    browser.js("document.querySelector('nav.downloads a[href*=\"report.pdf\"]').click()")
    pdf = _downloaded(tmp_path, ".pdf")
    assert pdf.read_bytes().startswith(b"%PDF-")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert case.id in text
    # the chart as PDF, and the caseload as CSV, from their links
    browser.js("document.querySelector('nav.downloads a[href*=\"chart.pdf\"]').click()")
    assert _downloaded(tmp_path, ".pdf", not_=pdf).read_bytes().startswith(b"%PDF-")
    _open(browser, base + "/")
    browser.js("document.querySelector('a[href^=\"/cases.csv\"]').click()")
    csv = _downloaded(tmp_path, ".csv").read_text(encoding="utf-8")
    assert csv.startswith('"file","id"') and "broken.toml" in csv and first in csv


def _downloaded(folder: Path, suffix: str, not_: Path | None = None, timeout: float = 60) -> Path:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        done = [p for p in folder.iterdir() if p.suffix == suffix and p != not_]
        if done and not any(p.suffix == ".crdownload" for p in folder.iterdir()):
            return done[0]
        time.sleep(0.2)
    raise TimeoutError(f"no {suffix} file downloaded into {folder}")


# --------------------------------------------------------------------------- 'against': a list of the entries


def test_against_is_chosen_from_the_entries_and_follows_its_entry(site: tuple[str, Path], browser: Browser) -> None:
    base, _ = site
    _open(browser, base + "/cases/dense-fifteen-years.toml/edit", "document.querySelector('#check.ok') !== null")
    select = "document.getElementById('f-applications-1-against')"
    assert browser.js(f"{select}.value") == "applications[0]"  # as in the file
    texts = browser.js(f"Array.from({select}.options).map((o) => o.value + '=' + o.textContent)")
    assert "permits[3]=Permit 4: partner permit of 20 August 2021" in texts
    assert not any(t.startswith("applications[1]=") for t in texts)  # never itself
    # choose the partner permit (a withdrawal), then remove the first permit: the choice follows it
    browser.js(f"{select}.value = 'permits[3]'; {select}.dispatchEvent(new Event('change', {{bubbles: true}}))")
    browser.js("document.querySelector('section.records[data-record=permits] fieldset.row .remove').click()")
    assert browser.js(f"{select}.value") == "permits[2]"
    assert browser.js(f"{select}.selectedOptions[0].textContent") == "Permit 3: partner permit of 20 August 2021"
    browser.wait("document.querySelector('#check.ok') !== null")
    # remove that permit too: the reference is not moved onto another entry, the reader's message shows
    browser.js("document.querySelectorAll('section.records[data-record=permits] fieldset.row .remove')[2].click()")
    assert browser.js(f"{select}.value") == "removed"
    shown = browser.js(f"{select}.selectedOptions[0].textContent")
    assert shown == "(removed) Permit 3: partner permit of 20 August 2021"  # first, where a narrow list shows it
    message = browser.wait("document.getElementById('f-applications-1-against-err').textContent")
    with pytest.raises(timeline.CaseError) as err:
        timeline.case_from_dict({"id": "x", "applications": [{"kind": "objection", "received": "2022-01-01",
                                                                   "against": "removed"}]})  # fmt: skip
    assert message == err.value.reason


# --------------------------------------------------------------------------- accessibility


PAGES = ["/", "/cases/domestic-violence.toml", "/cases/dense-fifteen-years.toml/edit"]


def _ready(path: str) -> str:
    return (
        "document.querySelector('#check.ok') !== null"
        if path.endswith("/edit")
        else "document.readyState === 'complete'"
    )


@pytest.mark.parametrize("path", PAGES)
def test_every_form_field_has_a_label(site: tuple[str, Path], browser: Browser, path: str) -> None:
    _open(browser, site[0] + path, _ready(path))
    fields = browser.js("document.querySelectorAll('input:not([type=hidden]), select, textarea').length")
    assert fields >= (1 if path in ("/", "/cases/dense-fifteen-years.toml/edit") else 0)  # the case page has none
    assert browser.js(UNLABELLED) == []
    browser.js("document.querySelector('main').insertAdjacentHTML('beforeend', '<input id=\"bare\">')")
    assert browser.js(UNLABELLED) == ["bare"]  # the check sees a field without one


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("lang", ["en", "nl"])
def test_text_contrast_is_at_least_wcag_aa(site: tuple[str, Path], browser: Browser, path: str, lang: str) -> None:
    _open(browser, f"{site[0]}{path}?lang={lang}", _ready(path))
    browser.js("document.querySelectorAll('details').forEach((d) => { d.open = true; })")  # the explanations too
    result = browser.js(CONTRAST)
    assert result["checked"] > 10 and result["fails"] == []
    if path.endswith("/edit"):  # the last valid result, kept while the case is invalid, stays readable
        browser.js("const e = document.getElementById('f-permits-0-start'); e.value = '';"
                   "e.dispatchEvent(new Event('input', {bubbles: true}))")  # fmt: skip
        browser.wait("document.querySelector('#result.stale') !== null")
        assert browser.js(CONTRAST)["fails"] == []
    browser.js("document.querySelector('main').insertAdjacentHTML('beforeend', '<p style=\"color:#999\">faint</p>')")
    assert [f.split(":")[0] for f in browser.js(CONTRAST)["fails"]] == ["faint"]  # the check sees faint text


@pytest.mark.parametrize("path", PAGES)
def test_tab_reaches_every_control_in_page_order_with_a_visible_focus(
    site: tuple[str, Path], browser: Browser, path: str
) -> None:
    _open(browser, site[0] + path, _ready(path))
    browser.js(DESCRIBE)
    expected = browser.js(TAB_STOPS)
    focused = tab_through(browser, 5 * len(expected) + 5)
    assert [f["id"] for f in focused] == expected
    assert [f["id"] for f in focused if not f["shows"]] == []
    if path == "/":
        assert expected[0].startswith("a:/?") and expected.index("#q") < expected.index("#new-name")
        assert expected.index("#q") < min(i for i, x in enumerate(expected) if x.startswith("a:/cases/"))
    press(browser, "Tab", shift=True)  # and back
    assert browser.js("describe(document.activeElement)") == expected[-1]


def test_enter_and_space_work_the_pages(site: tuple[str, Path], own_browser: Browser) -> None:
    base, _ = site
    browser = own_browser
    _open(browser, base + "/")
    browser.js(DESCRIBE)
    for _ in range(20):  # to the filter box by Tab alone
        press(browser, "Tab")
        if browser.js("document.activeElement.id") == "q":
            break
    type_text(browser, "sponsor")
    press(browser, "Enter")  # submits the filter: the server filters too
    browser.wait("location.search.includes('q=sponsor') && document.readyState === 'complete'")
    assert browser.js("document.querySelectorAll('table.caseload tbody tr').length") == 1
    browser.js("document.querySelector('table.caseload tbody tr a').focus()")
    press(browser, "Enter")  # follows the link
    browser.wait("location.pathname === '/cases/temporary-sponsor.toml' && document.readyState === 'complete'")
    browser.js("document.querySelector('#why summary').focus()")
    press(browser, "Enter")
    assert browser.js("document.querySelector('#why details').open") is True
    press(browser, "Space")
    assert browser.js("document.querySelector('#why details').open") is False
    _open(browser, base + "/cases/temporary-sponsor.toml/edit", "document.querySelector('#check.ok') !== null")
    rows = "document.querySelectorAll('section.records[data-record=absences] fieldset.row').length"
    before = browser.js(rows)
    browser.js("document.querySelector('button.add[data-record=absences]').focus()")
    press(browser, "Space")  # adds a stay abroad and puts the cursor in it
    assert browser.js(rows) == before + 1
    assert browser.js("document.activeElement.id") == f"f-absences-{before}-departed"
    browser.js("document.querySelector('button.add[data-record=absences]').focus()")
    press(browser, "Enter")
    assert browser.js(rows) == before + 2


# --------------------------------------------------------------------------- screenshots


SHOTS = {"web-caseload": "/", "web-case": "/cases/domestic-violence.toml"}
#: Every text of the page as its elements hold it (each text node, trimmed), but the choices
#: of the case file's [options]: codes, as written in the file and on the command line.
TEXTS = """Array.from(document.querySelectorAll('body *')).filter((e) => !e.closest('.field.option')).flatMap((e) =>
  Array.from(e.childNodes).filter((n) => n.nodeType === 3).map((n) => n.textContent.trim()))"""


#: The options' texts and the names given with aria-label (not the choices of the case file's
#: [options], which are its codes, as written in the file and on the command line).
NAMES = """Array.from(document.querySelectorAll('option, [aria-label]')).filter((e) => !e.closest('.field.option'))
  .map((e) => e.tagName === 'OPTION' ? e.textContent.trim() : e.getAttribute('aria-label'))"""


def _web_texts(lang: str) -> set[str]:
    from timeline.catalogues import parse_po, po_path

    entries = parse_po(Path(po_path(lang)).read_text(encoding="utf-8"))
    return {e.msgstr[0] for e in entries if e.context == "web"}


@pytest.mark.parametrize("path", PAGES)
def test_the_dutch_pages_leave_no_web_text_in_english(site: tuple[str, Path], browser: Browser, path: str) -> None:
    _open(browser, f"{site[0]}{path}?lang=nl", _ready(path))
    browser.js("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    texts = set(browser.js(TEXTS)) | set(browser.js(NAMES))
    assert len(texts) > 20
    english, dutch = _web_texts("en"), _web_texts("nl")
    assert sorted((texts & english) - dutch) == []
    assert "Opslaan" in texts or path != PAGES[2]
    assert browser.js("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scrolling


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_screenshots_of_the_caseload_and_a_case(
    site: tuple[str, Path], browser: Browser, tmp_path: Path, lang: str
) -> None:
    from PIL import Image

    out = Path(os.environ.get("TIMELINE_WEB_SCREENSHOTS") or tmp_path)
    english, dutch = _web_texts("en"), _web_texts("nl")
    for name, path in SHOTS.items():
        _open(browser, f"{site[0]}{path}?lang={lang}")
        # nothing wider than the window (no sideways scrolling), nothing cut off
        assert browser.js("document.documentElement.scrollWidth <= window.innerWidth"), (name, lang)
        texts = set(browser.js(TEXTS))
        if lang == "nl":  # no English text of the web catalogue left untranslated
            assert sorted((texts & english) - dutch) == [], name
        target = out / f"{name}-{lang}.png"
        browser.screenshot(target)
        small = Image.open(target).convert("RGB").quantize(colors=256, method=Image.Quantize.MAXCOVERAGE)
        small.save(target, optimize=True)
        width, height = Image.open(target).size
        assert width == 1280 and height > 700
