"""Colour and pattern of the chart (issue 12): each meaning one visual code, readable in
greyscale print and by colour-blind readers.

Greyscale is the relative luminance (WCAG 2); colour-vision deficiency is simulated with
the Machado, Oliveira and Fernandes (2009) model at full severity, as colorspacious
implements it (deuteranomaly, protanomaly, tritanomaly at 100: the -opias). Contrast is the
WCAG ratio (L1 + 0.05) / (L2 + 0.05). Checked on the palette and on a rendered chart.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import colorspacious
import numpy as np
import pytest

from timeline import assess, load_case
from timeline.chart import COLOURS, MARKER_STYLES, chart_spec, render
from timeline.chart.style import GAP_BAND_AMOUNT, GAP_EDGE, HATCH_GAP, LANE_SHADE, YELLOW, bar_fill, mix

ROOT = Path(__file__).resolve().parents[1]
VISION = ("normal", "deuteranomaly", "protanomaly", "tritanomaly")
#: The smallest contrast at which two areas read as different greys (a 25 % step in luminance).
MIN_CONTRAST = 1.25
NON_TEMPORARY = ("partner", "work", "highly-skilled", "humanitarian-non-temporary", "permanent", "other-non-temporary")
TEMPORARY = ("study", "search-year", "humanitarian-temporary", "other-temporary")


def rgb(colour: str) -> np.ndarray:
    c = colour.lstrip("#")
    return np.array([int(c[i : i + 2], 16) / 255 for i in (0, 2, 4)])


def seen(colours: np.ndarray, vision: str) -> np.ndarray:
    """sRGB colours (values 0-1, last axis RGB) as a reader with ``vision`` sees them."""
    if vision == "normal":
        return colours
    cvd = {"name": "sRGB1+CVD", "cvd_type": vision, "severity": 100}
    return np.clip(colorspacious.cspace_convert(colours, cvd, "sRGB1"), 0, 1)


def luminance(colours: np.ndarray) -> np.ndarray:
    """Relative luminance (WCAG 2) of sRGB colours: their grey level in print."""
    c = np.clip(colours, 0, 1)
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return linear @ np.array([0.2126, 0.7152, 0.0722])


def contrast(a: np.ndarray, b: np.ndarray) -> float:
    la, lb = sorted((float(luminance(a)), float(luminance(b))))
    return (lb + 0.05) / (la + 0.05)


@pytest.mark.parametrize("vision", VISION)
@pytest.mark.parametrize("group", [NON_TEMPORARY, TEMPORARY], ids=["non-temporary", "temporary"])
def test_permit_purposes_stay_apart_in_grey(vision: str, group: tuple[str, ...]) -> None:
    """Purposes of the same kind (dotted or not) differ by a grey step, for every reader."""
    for a, b in itertools.combinations(group, 2):
        ca, cb = seen(rgb(COLOURS[a]), vision), seen(rgb(COLOURS[b]), vision)
        assert contrast(ca, cb) >= MIN_CONTRAST, (vision, a, b, round(contrast(ca, cb), 3))


@pytest.mark.parametrize("vision", VISION)
def test_gap_band_and_gap_bar_stand_out(vision: str) -> None:
    band = seen(rgb(mix(COLOURS["gap"], GAP_BAND_AMOUNT)), vision)
    for background in ("#FFFFFF", LANE_SHADE):  # the two lane shades
        assert contrast(band, seen(rgb(background), vision)) >= MIN_CONTRAST, background
    face, edge = bar_fill("gap", COLOURS, False)
    assert edge == GAP_EDGE
    # The gap bar's crossed pattern and edge are dark on its light face and on the band.
    assert contrast(seen(rgb(edge), vision), seen(rgb(face), vision)) >= 4.5
    assert contrast(seen(rgb(edge), vision), band) >= 3
    for purpose in NON_TEMPORARY + TEMPORARY:  # next to a permit, the gap bar reads apart from it
        permit = seen(rgb(COLOURS[purpose]), vision)
        assert contrast(permit, seen(rgb(face), vision)) >= MIN_CONTRAST, purpose


def test_each_meaning_has_one_code() -> None:
    """Patterns: one meaning each; yellow: only the star of a date that has come."""
    from timeline.chart import style

    hatches = {k: getattr(style, k) for k in dir(style) if k.startswith("HATCH_") and getattr(style, k)}
    assert len(set(hatches.values())) == len(hatches), hatches
    assert hatches["HATCH_GAP"] == HATCH_GAP
    assert YELLOW not in COLOURS.values()
    yellow = [k for k, (_, face, _, _) in MARKER_STYLES.items() if face == YELLOW]
    assert yellow == ["milestone-reached"]
    shapes = {k: (m, face) for k, (m, face, _, _) in MARKER_STYLES.items() if k.startswith("deadline")}
    assert len(set(shapes.values())) == 3  # met, ahead, missed: three looks


def _pixels(spec) -> tuple[np.ndarray, object]:
    fig = render(spec)
    fig.canvas.draw()
    image = np.asarray(fig.canvas.buffer_rgba())[..., :3] / 255
    return image, fig


@pytest.mark.parametrize("vision", VISION)
def test_rendered_gap_permits_and_background_differ(vision: str) -> None:
    """On the drawn chart of a 92-day gap: the band in an empty lane against that lane
    outside it, and each permit against the band, in grey and for colour-blind readers."""
    case = load_case(ROOT / "examples" / "separation-reported-early.toml")
    spec = chart_spec(assess(case), case)
    image, fig = _pixels(spec)
    (ax,) = fig.axes
    height = image.shape[0]

    def at(day: float, y: float) -> np.ndarray:
        x_px, y_px = ax.transData.transform((day, y))
        return seen(image[height - round(y_px), round(x_px)], vision)

    (gap,) = spec.spans
    middle = (gap.start.toordinal() + gap.end.toordinal()) / 2
    empty = spec.lane("absences")  # no stays abroad: only the note at the left edge
    y = (empty.top + empty.bottom) / 2
    band, outside = at(middle, y), at(gap.end.toordinal() + 200, y)
    assert contrast(band, outside) >= MIN_CONTRAST
    for b in (b for b in spec.bars if b.lane == "permits" and b.colour in ("partner", "work") and not b.faded):
        fill = _fill(image, ax, b, vision)
        assert contrast(fill, band) >= 1.5, b.colour
        assert contrast(fill, outside) >= 1.5, b.colour


def _fill(image: np.ndarray, ax, b, vision: str) -> np.ndarray:
    """The colour most pixels along bar ``b``'s middle have (its fill, not its label)."""
    height = image.shape[0]
    (x0, y_px), (x1, _) = ax.transData.transform([(b.start.toordinal(), b.y), (b.end.toordinal(), b.y)])
    row = image[height - round(y_px), round(x0) + 2 : round(x1) - 2]
    colours, counts = np.unique(np.round(row, 3), axis=0, return_counts=True)
    return seen(colours[np.argmax(counts)], vision)
