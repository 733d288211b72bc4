"""Checks a page shown or printed by the app against poppler's rendering of the same PDF.

A page passes when it carries ink and looks like ``pdftoppm``'s image of it: its mean grey
difference is small and under half of what a blank page would score against the same
reference (so a mostly white page cannot pass by being white)."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPainter

INK_LEVEL = 160  # a grey darker than this is ink
MAX_MEAN_DIFFERENCE = 6.0  # out of 255, after shrinking
SHRINK = 3  # compare 3×3 blocks: layout must match, glyph edges may differ
MIN_INKED_SHARE = 0.002  # a report page with a heading and a table inks far more than this


@dataclass(frozen=True)
class PageLikeness:
    mean_difference: float
    blank_difference: float  # what a white page of that size scores
    inked_share: float

    @property
    def acceptable(self) -> bool:
        limit = min(MAX_MEAN_DIFFERENCE, self.blank_difference / 2)
        return self.mean_difference < limit and self.inked_share > MIN_INKED_SHARE


def grey_rows(image: QImage, shrink: int = 1) -> list[bytes]:
    """The image as rows of 8-bit grey, painted on white (transparent pixels are paper),
    shrunk ``shrink`` times with smoothing (two rasterisers anti-alias glyph edges apart)."""
    assert not image.isNull()
    flat = QImage(image.size(), QImage.Format.Format_RGB32)
    flat.fill(0xFFFFFFFF)
    painter = QPainter(flat)
    painter.drawImage(0, 0, image)
    painter.end()
    if shrink > 1:
        flat = flat.scaled(
            flat.width() // shrink,
            flat.height() // shrink,
            Qt.AspectRatioMode.IgnoreAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    grey = flat.convertToFormat(QImage.Format.Format_Grayscale8)
    data = bytes(grey.constBits())
    stride, width = grey.bytesPerLine(), grey.width()
    return [data[row * stride : row * stride + width] for row in range(grey.height())]


def poppler_page(pdf: bytes, page: int, dpi: float, folder: Path) -> QImage:
    """Page ``page`` (from 1) of ``pdf`` as ``pdftoppm`` renders it at ``dpi``."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    source = folder / "page-check.pdf"
    source.write_bytes(pdf)
    target = folder / f"page-check-{page}"
    pages = ["-f", str(page), "-l", str(page)]
    command = ["pdftoppm", "-r", str(dpi), *pages, "-png", "-singlefile", str(source), str(target)]
    subprocess.run(command, check=True)
    image = QImage(str(target.with_suffix(".png")))
    assert not image.isNull()
    return image


def likeness(shown: QImage, reference: QImage) -> PageLikeness:
    """How far ``shown`` is from ``reference``, beside how far a blank page would be."""
    white = QImage(reference.size(), QImage.Format.Format_RGB32)
    white.fill(0xFFFFFFFF)
    mean, inked = _difference(shown, reference)
    blank, _ = _difference(white, reference)
    return PageLikeness(mean, blank, inked)


def _difference(shown: QImage, reference: QImage) -> tuple[float, float]:
    """Mean grey difference (a missing area counts as all wrong), and the share inked."""
    ours, theirs = grey_rows(shown, SHRINK), grey_rows(reference, SHRINK)
    height = min(len(ours), len(theirs))
    width = min(len(ours[0]), len(theirs[0])) if height else 0
    total = difference = inked = 0
    for mine, other in zip(ours[:height], theirs[:height], strict=True):
        row, reference_row = mine[:width], other[:width]
        difference += sum(abs(a - b) for a, b in zip(row, reference_row, strict=True))
        inked += sum(1 for value in row if value < INK_LEVEL)
        total += width
    # A page of a different size is a different page: count the missing area as all wrong.
    area = max(len(ours) * len(ours[0]), len(theirs) * len(theirs[0]), 1)
    difference += 255 * (area - total)
    return difference / area, inked / area


def assert_same_page(shown: QImage, pdf: bytes, page: int, dpi: float, folder: Path) -> None:
    found = likeness(shown, poppler_page(pdf, page, dpi, folder))
    assert found.acceptable, f"page {page}: {found}"
