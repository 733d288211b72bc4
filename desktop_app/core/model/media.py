"""What kind of file a scan is, judged by its first bytes and never by its name."""

from __future__ import annotations

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"

# The file name extension of each type, as a bundle names its att/ entries.
EXTENSIONS = {PDF: "pdf", PNG: "png", JPEG: "jpg"}

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
)


def sniff(content: bytes) -> str | None:
    """The media type of a PDF, PNG or JPEG by its first bytes; None for anything else."""
    return next((kind for magic, kind in _SIGNATURES if content.startswith(magic)), None)
