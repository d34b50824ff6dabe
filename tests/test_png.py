"""The PNG writer (timeline.png): lossless, deterministic, and pixel for pixel what
matplotlib's own PNG output of a chart holds."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from timeline import assess, load_case
from timeline.chart import chart_spec, render, save, style_context
from timeline.png import encode_png

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "separation-reported-early.toml"


def _decode(png: bytes) -> tuple[np.ndarray, tuple[float, float]]:
    with Image.open(io.BytesIO(png)) as im:
        assert im.mode == "RGBA"
        return np.asarray(im), im.info["dpi"]


def test_round_trip_any_pixels_and_the_dpi() -> None:
    rng = np.random.default_rng(7)
    for shape in ((1, 1, 4), (2, 3, 4), (37, 53, 4)):
        pixels = rng.integers(0, 256, size=shape, dtype=np.uint8)  # the Up filter wraps modulo 256
        decoded, dpi = _decode(encode_png(pixels, 150))
        assert np.array_equal(decoded, pixels)
        assert dpi == pytest.approx((150, 150), abs=0.05)


def test_same_pixels_same_bytes() -> None:
    pixels = np.zeros((4, 5, 4), np.uint8)
    assert encode_png(pixels, 96) == encode_png(pixels.copy(), 96)
    assert b"tIME" not in encode_png(pixels, 96) and b"tEXt" not in encode_png(pixels, 96)


def test_rejects_what_is_not_rgba() -> None:
    with pytest.raises(ValueError, match=r"shape \(height, width, 4\), got \(2, 3, 3\)"):
        encode_png(np.zeros((2, 3, 3), np.uint8), 100)


@pytest.mark.parametrize(
    ("size", "shape"),
    [
        (None, (1240, 1753)),  # A4 landscape at the style's 150 dpi
        ((20.3 / 2.54, 23.1 / 2.54), (1364, 1198)),  # sizes that are not whole pixels
        ((16.3 / 2.54, 25.1 / 2.54), (1482, 962)),  # a small chart (no text under 8 pt)
        ((33.3 / 2.54, 17.7 / 2.54), (1045, 1966)),
    ],
)
def test_chart_png_equals_matplotlibs_own_png(tmp_path: Path, size, shape) -> None:
    case = load_case(EXAMPLE)
    fig = render(chart_spec(assess(case), case, **({"size": size} if size else {})))
    ours, dpi = _decode(save(fig, tmp_path / "ours.png").read_bytes())
    with style_context():
        fig.savefig(tmp_path / "mpl.png")
    with Image.open(tmp_path / "mpl.png") as im:
        theirs = np.asarray(im.convert("RGBA"))
    assert ours.shape == theirs.shape == (*shape, 4)
    assert np.array_equal(ours, theirs)
    assert dpi == pytest.approx((150, 150), abs=0.05)


def test_scenario_chart_png_equals_matplotlibs_own_png(tmp_path: Path) -> None:
    from timeline.scenarios import scenarios
    from timeline.scenarios.chart import comparison_figure

    case = load_case(EXAMPLE)
    cmp = scenarios(case, ["notifications[0].change_date=2025-07-01,2025-09-20"])
    fig = comparison_figure(cmp, "en")
    ours, _ = _decode(save(fig, tmp_path / "ours.png").read_bytes())
    with style_context():
        fig.savefig(tmp_path / "mpl.png")
    with Image.open(tmp_path / "mpl.png") as im:
        assert np.array_equal(ours, np.asarray(im.convert("RGBA")))
