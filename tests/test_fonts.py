"""The text measurer (timeline.fonts): one per thread, kept, giving the same widths as a new one."""

from __future__ import annotations

import threading

import pytest

from timeline import fonts
from timeline.fonts import measurer

TEXTS = ["Verblijfsvergunning partner", "gap 75 days\nuntil 17 Apr 2023", "AVAWAY Ťěšť", "", "x" * 300]


def test_one_measurer_per_thread() -> None:
    width = measurer()
    assert measurer() is width
    other: list[object] = []
    thread = threading.Thread(target=lambda: other.append(measurer()))
    thread.start()
    thread.join()
    assert other[0] is not width and callable(other[0])


@pytest.mark.parametrize("bold", [False, True])
def test_kept_widths_are_the_widths_measured_afresh(bold: bool) -> None:
    fresh = fonts._new_measurer()
    width = measurer()
    for size in (7.5, 8.0, 15.0):
        for text in TEXTS:
            first = width(text, size, bold)
            assert first == width(text, size, bold) == fresh(text, size, bold)  # kept, and equal to a new measure
    assert width("AV", 10) < width("A", 10) + width("V", 10)  # kerning counted
    lines = max(width(line, 10) for line in TEXTS[1].split("\n"))
    assert width(TEXTS[1], 10) == lines  # the widest line


def test_the_kept_widths_start_afresh_when_full(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "KEEP_LINES", 3)
    width = fonts._new_measurer()
    sizes = [width(f"text {n}", 10) for n in range(10)]  # more lines than it keeps: still measured right
    assert sizes == [fonts._new_measurer()(f"text {n}", 10) for n in range(10)]
