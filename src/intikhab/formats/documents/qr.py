"""The QR code of a document's public address, as grey pixels for Typst.

One byte per module (0 dark, 255 light), row after row, with a quiet zone of one module: what
Typst's ``image(..., format: (encoding: "luma8", ...))`` draws, scaled without smoothing.
"""

from __future__ import annotations

import segno

_PIXEL = bytes.maketrans(b"\x00\x01", b"\xff\x00")


def qr_pixels(url: str) -> tuple[int, bytes]:
    """``url`` as a QR code (error correction M, ISO/IEC 18004): its width in modules and its
    pixels."""
    # A fixed mask pattern: any of the eight gives a valid code, and choosing the best one
    # (ISO/IEC 18004 §7.8.3) costs five times the rest of the encoding.
    code = segno.make(url, error="m", mask=0, boost_error=False)
    rows = [bytes(row) for row in code.matrix_iter(border=1)]
    return len(rows), b"".join(rows).translate(_PIXEL)
