"""What kind of file a scan is, judged by its first bytes and never by its name."""

from __future__ import annotations

from decimal import Decimal

from desktop_app.core.model.text import format_number

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


# What the clerk reads in lists and in the printed appendix.
KIND_NAMES = {PDF: "PDF", PNG: "Ảnh PNG", JPEG: "Ảnh JPEG"}


def size_text(size: int) -> str:
    """A file size as a clerk reads it: "820 KB", "1,4 MB" (Vietnamese decimal comma)."""
    if size < 1024 * 1024:
        return f"{format_number(max(1, round(size / 1024)), 0)} KB"
    return f"{format_number(Decimal(size) / (1024 * 1024), 1)} MB"
