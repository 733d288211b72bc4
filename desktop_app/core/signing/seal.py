"""The office's seal image, drawn in the organisation's visible signature (NĐ 30/2020 Phụ lục I:
the image of the organisation's seal at the signer's place, with signer, organisation, time).

The office scans its seal once and keeps it as a PNG whose background is transparent, so the
text of the signature box reads through it as it does through a red ink seal on paper. The file
is checked here before it is stored: it is untrusted input that pyHanko will later decode.
"""

from __future__ import annotations

import io

from desktop_app.core.errors import CoreError

MAX_SEAL_BYTES = 512 * 1024
MIN_SIDE, MAX_SIDE = 64, 2000  # pixels: a readable seal, and no image the PDF need not carry
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def checked_seal(data: bytes) -> bytes:
    """``data`` if it is a PNG seal image the box can show: at most 512 KiB, 64 to 2000 pixels
    a side, with transparency. Raises ``seal.*`` errors otherwise."""
    from PIL import Image, UnidentifiedImageError

    if len(data) > MAX_SEAL_BYTES:
        raise CoreError("seal.too_large", limit_kb=MAX_SEAL_BYTES // 1024)
    if not data.startswith(PNG_SIGNATURE):
        raise CoreError("seal.not_png")
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size  # read from the header, before any pixel is decoded
            if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
                raise CoreError(
                    "seal.bad_size", width=width, height=height, low=MIN_SIDE, high=MAX_SIDE
                )
            image.load()
            transparent = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        raise CoreError("seal.not_png") from error
    if not transparent:
        raise CoreError("seal.no_transparency")
    return data


def seal_size(data: bytes) -> tuple[int, int]:
    """Width and height in pixels of a seal image ``checked_seal`` accepted."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        return image.size
