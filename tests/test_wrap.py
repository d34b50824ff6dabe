"""timeline.report.text_wrap.wrap, made linear (each character measured once), wraps exactly as the old
quadratic version did: every text of every example's report and of a long case, at the
widths and sizes the layout uses, in both languages, with both kinds of measurer."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_report import _long_case

from timeline import assess, load_case
from timeline.fonts import measurer
from timeline.report import A4_LANDSCAPE, BODY_PT, FOOTER_PT, MARGIN_IN, MIN_BODY_PT, report_content
from timeline.report.text_wrap import wrap

ROOT = Path(__file__).resolve().parents[1]


def old_measurer():
    """timeline.fonts.measurer as it was before the kerning cache and ``advance``."""
    from matplotlib.font_manager import FontProperties, findfont
    from matplotlib.ft2font import FT2Font, Kerning, LoadFlags

    scale = 100.0
    fonts = {}
    advances = {}

    def glyph(bold, ch):
        key = (bold, ch)
        if key not in advances:
            if bold not in fonts:
                prop = FontProperties(family="DejaVu Sans", weight="bold" if bold else "normal")
                font = FT2Font(findfont(prop))
                font.set_size(scale, 72)
                fonts[bold] = font
            font = fonts[bold]
            g = font.load_char(ord(ch), flags=LoadFlags.NO_HINTING)
            advances[key] = (g.linearHoriAdvance / 65536, font.get_char_index(ord(ch)))
        return advances[key]

    def width(text, size, bold=False):
        best = 0.0
        for line in text.split("\n"):
            total, prev = 0.0, None
            for ch in line:
                adv, index = glyph(bold, ch)
                total += adv
                if prev is not None:
                    total += fonts[bold].get_kerning(prev, index, Kerning.UNFITTED) / 64
                prev = index
            best = max(best, total * size / scale)
        return best

    return width


def old_wrap(text, width_pt, size, measure, bold=False):
    """The report's wrap before: the whole line measured again per word, long words cut one character at a time."""
    out = []
    for para in text.split("\n"):
        current = ""
        for word in para.split():
            while measure(word, size, bold) > width_pt:
                cut = len(word)
                while cut > 1 and measure(word[:cut], size, bold) > width_pt:
                    cut -= 1
                if current:
                    out.append(current)
                    current = ""
                out.append(word[:cut])
                word = word[cut:]
            trial = f"{current} {word}" if current else word
            if current and measure(trial, size, bold) > width_pt:
                out.append(current)
                current = word
            else:
                current = trial
        out.append(current)
    return out


def _texts(content) -> list[str]:
    c = content
    return [
        c.title,
        c.subtitle,
        c.description,
        *(cell for row in c.key_dates for cell in row),
        *(part for pair in c.explanations for part in pair),
        *c.options,
        *c.warnings,
        c.convention,
        c.footer,
    ]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return all_texts()


def all_texts() -> list[str]:
    """The texts of the examples' reports and a long case's, in both languages, and some odd ones."""
    out: list[str] = []
    for path in sorted((ROOT / "examples").glob("*.toml")):
        case = load_case(path)
        a = assess(case)
        for lang in ("en", "nl"):
            out += _texts(report_content(a, case, lang=lang, source_bytes=path.read_bytes()))
    case = _long_case()
    a = assess(case)
    for lang in ("en", "nl"):
        out += _texts(report_content(a, case, lang=lang, source_bytes=b"case"))
    out += [
        "",
        "\n\n",
        "  leading and  double  spaces ",
        "one\nparagraph per line\n\nand an empty one",
        "W" * 120,  # cut several times
        "short " + "x" * 150 + " after",
    ]
    return list(dict.fromkeys(out))


W = A4_LANDSCAPE[0]
COL_W = (W - 2 * MARGIN_IN - 0.35) / 2
#: The widths the layout wraps at (page, column, indented column, table cells), and narrow ones.
WIDTHS = [(W - 2 * MARGIN_IN) * 72, COL_W * 72, (COL_W - 0.15) * 72]
WIDTHS += [(f * COL_W - 0.08) * 72 for f in (0.38, 0.29, 0.33)] + [30.0]


def test_measurer_equals_the_old_measurer(texts) -> None:
    """The kerning cache and ``advance`` change no width: the same floats as before."""
    new, old = measurer(), old_measurer()
    for text in texts:
        for size, bold in ((BODY_PT, False), (FOOTER_PT, True)):
            assert new(text, size, bold) == old(text, size, bold), (text[:60], size, bold)
            t, _ = new.advance(0.0, None, text.replace("\n", " "), bold)
            assert t * size / new.scale == old(text.replace("\n", " "), size, bold)


def test_wrap_equals_the_old_wrap(texts) -> None:
    """The same lines as the old wrap (which measures with the same, old-equal, measurer):
    regular text at every width, bold (the explanations' heads) at the column's width, at
    the smallest size. The long description (1,800 characters) is wrapped at the page's and
    a cell's width only: the old wrap takes a second for the narrow ones."""
    measure = measurer()
    checked = 0
    for text in texts:
        for width in WIDTHS if len(text) < 600 else (WIDTHS[0], WIDTHS[3]):
            want = old_wrap(text, width, BODY_PT, measure)
            assert wrap(text, width, BODY_PT, measure) == want, (text[:60], width)
            checked += 1
        want = old_wrap(text, WIDTHS[1], MIN_BODY_PT, measure, True)
        assert wrap(text, WIDTHS[1], MIN_BODY_PT, measure, True) == want, (text[:60], "bold")
    assert checked > 2000


def test_wrap_with_any_measure_equals_the_old_wrap(texts) -> None:
    """A measure without ``advance`` (here a monospaced one) takes the other path, same lines."""

    def mono(text: str, size: float, bold: bool = False) -> float:
        return max(len(line) for line in text.split("\n")) * size * (0.62 if bold else 0.55)

    assert not hasattr(mono, "advance")
    for text in texts:
        for width in (500.0, 120.0, 33.0):
            assert wrap(text, width, 7.5, mono, True) == old_wrap(text, width, 7.5, mono, True), (text[:60], width)


def test_wrap_cuts_long_words_and_keeps_lines_within_the_width() -> None:
    measure = measurer()
    text = "see https://example.org/" + "a" * 200 + " for more"
    lines = wrap(text, 150.0, 7.5, measure)
    assert lines[0] == "see" and lines[1].startswith("https://example.org/aaa")
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(measure(line, 7.5) <= 150.0 for line in lines)
    assert len(lines) >= 4
    # Narrower than one character: a character a line (and, as before, an empty last line
    # after a word cut to its end).
    assert wrap("ab WW", 3.0, 7.5, measure) == old_wrap("ab WW", 3.0, 7.5, measure) == ["a", "b", "W", "W", ""]
    assert wrap("W" * 30 + " i", 3.0, 7.5, measure) == ["W"] * 30 + ["i"]
