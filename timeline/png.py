"""A small, fast PNG writer for rendered charts (PNG specification, ISO/IEC 15948).

matplotlib hands PNG encoding to Pillow, whose encoder tries every row filter on every
row. For an A4 chart at 150 dpi (1753 x 1240 pixels) that took 43.5 ms at zlib level 3,
against 16.8 ms here for a file 1 % larger (242 kB against 240 kB; measured in one run
on examples/separation-reported-early.toml). This writer uses one filter for all rows
("Up": each row minus the row above, which suits the vertical structure of a Gantt
chart) and zlib level 3.

Output is deterministic: the same pixels give the same bytes (no time or software
chunks). Pixels are written as 8-bit RGBA, as matplotlib writes them.
"""

from __future__ import annotations

import struct
import zlib
from typing import Any

__all__ = ["encode_png"]

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: PNG row filter type 2, "Up" (PNG specification, section 9.2).
_FILTER_UP = 2
#: zlib level: level 6 took twice as long (34 ms) for a file 16 % smaller (measured as above).
_LEVEL = 3


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def encode_png(rgba: Any, dpi: float) -> bytes:
    """The PNG file of an 8-bit ``(height, width, 4)`` RGBA array, with ``dpi`` recorded.

    >>> import numpy as np
    >>> png = encode_png(np.full((2, 3, 4), 255, np.uint8), 150)
    >>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n", png[12:16], png[16:24].hex()
    (True, b'IHDR', '0000000300000002')
    """
    import numpy as np

    pixels = np.asarray(rgba, dtype=np.uint8)
    if pixels.ndim != 3 or pixels.shape[2] != 4:
        raise ValueError(f"expected an RGBA image of shape (height, width, 4), got {pixels.shape}")
    height, width = pixels.shape[:2]
    rows = pixels.reshape(height, width * 4)
    raw = np.empty((height, width * 4 + 1), dtype=np.uint8)
    raw[:, 0] = _FILTER_UP
    raw[0, 0] = 0  # the first row has no row above: no filter
    raw[0, 1:] = rows[0]
    np.subtract(rows[1:], rows[:-1], out=raw[1:, 1:])  # modulo 256, as the filter is defined
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit truecolour with alpha
    per_metre = round(dpi / 0.0254)
    return b"".join(
        (
            _SIGNATURE,
            _chunk(b"IHDR", header),
            _chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
            _chunk(b"IDAT", zlib.compress(raw, _LEVEL)),  # type: ignore[arg-type]  # an ndarray is a buffer
            _chunk(b"IEND", b""),
        )
    )
