"""Writing a chart to a file: PNG, SVG or PDF by extension, the same bytes for the same chart.

SVG ids come from the style's fixed ``svg.hashsalt``; SVG and PDF carry no dates
(:data:`METADATA`); PNG is encoded by :func:`timeline.png.encode_png` from the Agg
canvas's pixels, without a timestamp or a tool banner.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

from .. import outputs
from ..errors import msg
from ..outputs import replacing
from .draw import render
from .spec import ChartError, ChartSpec
from .style import style_context

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["FORMATS", "METADATA", "check_output", "save"]

#: Output formats :func:`save` accepts, by file extension.
FORMATS = (".png", ".svg", ".pdf")

#: Metadata that keeps output byte-identical across runs (no dates, no tool banner).
METADATA = {
    ".svg": {"Date": None},
    ".pdf": {"CreationDate": None, "ModDate": None},
}


def save(fig_or_spec: Figure | ChartSpec, path: str | Path) -> Path:
    """Write a chart to ``path`` as PNG, SVG or PDF, chosen by the extension.

    Output is deterministic: SVG is byte-identical across runs, PNG and PDF carry no
    timestamps.

    Raises
    ------
    ChartError
        For an extension other than ``.png``, ``.svg`` or ``.pdf``, or a path that
        cannot be written.
    """
    out = Path(path)
    ext = check_output(out)
    fig = render(fig_or_spec) if isinstance(fig_or_spec, ChartSpec) else fig_or_spec
    with style_context():
        try:
            if ext == ".png":
                data = png_bytes(fig)
            else:  # drawn in memory: matplotlib's PDF writer fails untidily on a write error
                buffer = io.BytesIO()
                fig.savefig(buffer, format=ext[1:], metadata=METADATA[ext])
                data = buffer.getvalue()
            with replacing(out) as tmp:
                Path(tmp).write_bytes(data)
        except OSError as err:
            raise ChartError(msg("path-write-failed", path=out, reason=str(err.strerror or err))) from None
    return out


def png_bytes(fig: Figure) -> bytes:
    """``fig`` as PNG at the style's ``savefig.dpi``, encoded by :func:`timeline.png.encode_png`.

    The figure is drawn as :meth:`~matplotlib.figure.Figure.savefig` would (same dpi, the
    raw RGBA of the Agg canvas); only the encoder differs, and the pixels are identical
    (tested against ``savefig``).
    """
    import matplotlib
    import numpy as np

    from ..png import encode_png

    dpi = float(matplotlib.rcParams["savefig.dpi"])
    buffer = io.BytesIO()
    saved_dpi = fig.dpi
    fig.dpi = dpi  # as savefig sets it while it draws
    try:
        # format="rgba" is savefig's raw Agg buffer: dpi, face colour and layout as for PNG,
        # of the size the canvas reports at that dpi.
        fig.savefig(buffer, format="rgba", dpi=dpi)
        width, height = fig.canvas.get_width_height(physical=True)
    finally:
        fig.dpi = saved_dpi
    pixels = np.frombuffer(buffer.getbuffer(), dtype=np.uint8)
    if pixels.size != width * height * 4:  # only if matplotlib changed how it sizes the canvas
        raise RuntimeError(f"raw buffer of {pixels.size} bytes is not {width}x{height} RGBA")
    return encode_png(pixels.reshape(height, width, 4), dpi)


def check_output(path: str | Path, formats: tuple[str, ...] = FORMATS, what: str = "a chart") -> str:
    """The extension of ``path`` if ``what`` can be written there, else a :class:`ChartError`.

    :func:`timeline.outputs.check_output` with the chart's formats and error (the report,
    a PDF made by matplotlib, and the scenario comparison chart use it too).
    """
    return outputs.check_output(path, formats, what, error=ChartError)
