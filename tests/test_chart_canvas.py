"""The chart's canvas (timeline.chart.canvas): its SVG keeps text sizes between drawings and
is byte for byte what matplotlib's own SVG canvas writes; a chart drawn again on a figure
(render's ``figure``) is byte for byte the chart drawn on a new one."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from timeline import assess, load_case
from timeline.chart import SIZE_PRESETS, chart_spec, render, save, style_context
from timeline.chart.canvas import FONT_HEIGHTS, PATHS, TEXT_SIZES, ChartCanvas, Measures, font_key

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _matplotlib_svg(fig) -> bytes:
    """``fig`` as matplotlib's own SVG canvas writes it (the backend named, not our canvas)."""
    buffer = io.BytesIO()
    with style_context():
        fig.savefig(buffer, format="svg", backend="svg", metadata={"Date": None})
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("example", "lang", "size"),
    [
        ("separation-reported-early", "en", None),
        ("study-to-partner", "nl", None),  # dotted hatches, a long history
        ("domestic-violence", "nl", (16.0 / 2.54, 13.0 / 2.54)),  # a small chart
    ],
)
def test_svg_equals_matplotlibs_own_and_is_measured_once(tmp_path: Path, example: str, lang: str, size) -> None:
    case = load_case(EXAMPLES / f"{example}.toml")
    spec = chart_spec(assess(case), case, lang=lang, **({"size": size} if size else {}))
    fig = render(spec)
    assert isinstance(fig.canvas, ChartCanvas)
    for kept in (TEXT_SIZES, FONT_HEIGHTS, PATHS):
        kept.kept.clear()
    first = save(fig, tmp_path / "first.svg").read_bytes()
    measured, fonts, paths = dict(TEXT_SIZES.kept), dict(FONT_HEIGHTS.kept), dict(PATHS.kept)
    assert any(text == spec.as_of_label for text, _ in measured)  # the texts were measured and kept
    assert len(fonts) >= 3  # sizes and weights of the texts: labels, lane titles, banner, ...
    assert len(paths) >= 3  # markers, and the hatch patterns
    again = save(render(spec), tmp_path / "again.svg").read_bytes()  # a new figure: measures from the cache
    assert TEXT_SIZES.kept == measured and FONT_HEIGHTS.kept == fonts and PATHS.kept == paths
    assert first == again == _matplotlib_svg(fig)


def test_a_measure_is_taken_once_per_key() -> None:
    kept, calls = Measures(), []

    def measure(value: tuple[float, float, float]):
        return lambda: calls.append(value) or value

    class Font:  # FontProperties compare by their hash
        def __init__(self, h: int) -> None:
            self.h = h

        def __hash__(self) -> int:
            return self.h

    assert kept.get(font_key("abc", Font(1)), measure((1.0, 2.0, 0.5))) == (1.0, 2.0, 0.5)
    assert kept.get(font_key("abc", Font(1)), measure((9.0, 9.0, 9.0))) == (1.0, 2.0, 0.5)  # kept
    assert kept.get(font_key("abc", Font(2)), measure((3.0, 2.0, 0.5))) == (3.0, 2.0, 0.5)  # another font
    assert calls == [(1.0, 2.0, 0.5), (3.0, 2.0, 0.5)]
    kept.KEEP = 2
    kept.get(font_key("d", Font(1)), measure((4.0, 2.0, 0.5)))  # full: starts afresh
    assert list(kept.kept) == [("d", 1)]


def test_charts_drawn_again_on_one_figure_equal_charts_on_new_figures(tmp_path: Path) -> None:
    sizes = [(w / 2.54, h / 2.54) for w, h in SIZE_PRESETS.values()]  # the figure's size and the axes' place change
    figure = None
    for k, path in enumerate(sorted(EXAMPLES.glob("*.toml"))):
        case = load_case(path)
        for j, lang in enumerate(("en", "nl")):
            spec = chart_spec(assess(case), case, lang=lang, size=sizes[(k + j) % len(sizes)])
            fresh = save(spec, tmp_path / "fresh.svg").read_bytes()
            figure = render(spec, figure)
            assert save(figure, tmp_path / "again.svg").read_bytes() == fresh, (path.name, lang)
    assert figure is not None and len(figure.axes) == 1
    fresh_png = save(spec, tmp_path / "fresh.png").read_bytes()
    assert save(render(spec, figure), tmp_path / "again.png").read_bytes() == fresh_png


def test_a_matplotlib_whose_private_parts_changed_gets_its_own_renderer(tmp_path: Path, monkeypatch) -> None:
    """The canvas builds on private parts of matplotlib's SVG renderer; a version that changed
    them draws the chart with matplotlib's own renderer (the same SVG), it does not fail."""
    from matplotlib.backends.backend_svg import RendererSVG

    import timeline.chart.canvas as canvas

    def moved(self, path, transform=None, clip=None, simplify=None, sketch=None, extra=None):  # a new parameter
        return original(self, path, transform, clip, simplify, sketch)

    original = RendererSVG._convert_path
    case = load_case(EXAMPLES / "study-to-partner.toml")
    fig = render(chart_spec(assess(case), case))
    monkeypatch.setattr(RendererSVG, "_convert_path", moved)
    canvas._renderer_class.cache_clear()
    try:
        for kept in (TEXT_SIZES, FONT_HEIGHTS, PATHS):
            kept.kept.clear()
        drawn = save(fig, tmp_path / "chart.svg").read_bytes()
        assert not TEXT_SIZES.kept and not PATHS.kept  # matplotlib's own renderer measured
        assert drawn == _matplotlib_svg(fig)
    finally:
        monkeypatch.undo()
        canvas._renderer_class.cache_clear()
    assert canvas._renderer_class() is not RendererSVG  # the tested matplotlib: the keeping renderer
