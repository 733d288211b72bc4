"""Reading rendered PDFs back in tests, with pypdfium2 (a wheel; no Debian poppler-utils needed).

pdftotext / pdffonts from poppler-utils give the same answers; ``test_pdf.py`` has one check
with them that is skipped when they are not installed.
"""

from __future__ import annotations

import ctypes
import re
import unicodedata
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw

MM = 72 / 25.4


def page_texts(pdf: bytes) -> list[str]:
    """The text of every page, lines joined by "\\n"."""
    document = pdfium.PdfDocument(pdf)
    try:
        return [_clean(page.get_textpage().get_text_range()) for page in document]
    finally:
        document.close()


def top_band_texts(pdf: bytes, band_mm: float = 18) -> list[str]:
    """The text within ``band_mm`` of the top edge of each page (where page numbers go)."""
    document = pdfium.PdfDocument(pdf)
    try:
        texts = []
        for page in document:
            width, height = page.get_size()
            band = page.get_textpage().get_text_bounded(0, height - band_mm * MM, width, height)
            texts.append(_clean(band).strip())
        return texts
    finally:
        document.close()


def used_fonts(pdf: bytes) -> set[tuple[str, bool]]:
    """(base font name, embedded) for every font a text object on any page uses."""
    document = pdfium.PdfDocument(pdf)
    fonts = set()
    try:
        for page in document:
            for item in page.get_objects(filter=(pdfium_raw.FPDF_PAGEOBJ_TEXT,)):
                font = pdfium_raw.FPDFTextObj_GetFont(item.raw)
                size = pdfium_raw.FPDFFont_GetBaseFontName(font, None, 0)
                buffer = ctypes.create_string_buffer(size)
                pdfium_raw.FPDFFont_GetBaseFontName(font, buffer, size)
                embedded = bool(pdfium_raw.FPDFFont_GetIsEmbedded(font))
                fonts.add((buffer.value.decode("ascii"), embedded))
    finally:
        document.close()
    return fonts


def declared_base_fonts(pdf: bytes) -> list[str]:
    """Every /BaseFont in the file (reportlab writes font dictionaries uncompressed)."""
    return [match.decode("ascii") for match in re.findall(rb"/BaseFont\s*/([^\s/<>\[\]]+)", pdf)]


def _clean(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def is_nfc(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text)


@dataclass(frozen=True)
class TextRun:
    """One run of text as drawn: its box in millimetres from the page's top-left corner, its
    font size in points and its font's name (bold and italic show in the name)."""

    text: str
    left: float
    top: float
    right: float
    bottom: float
    size: float
    font: str

    @property
    def bold(self) -> bool:
        return "Bold" in self.font

    @property
    def italic(self) -> bool:
        return "Italic" in self.font

    @property
    def centre(self) -> float:
        return (self.left + self.right) / 2


@dataclass(frozen=True)
class PageLayout:
    width: float  # mm
    height: float
    runs: tuple[TextRun, ...]
    rules: tuple[tuple[float, float, float], ...]  # horizontal lines: (left, right, y) in mm

    def find(self, text: str) -> TextRun:
        """The first run containing ``text`` (runs are in drawing order)."""
        return next(run for run in self.runs if text in run.text)

    def lines(self) -> list[str]:
        return [run.text for run in self.runs]


def page_layouts(pdf: bytes) -> list[PageLayout]:
    """What each page draws: text runs with boxes, sizes and fonts; horizontal rules."""
    document = pdfium.PdfDocument(pdf)
    try:
        return [_layout(page) for page in document]
    finally:
        document.close()


def _layout(page: pdfium.PdfPage) -> PageLayout:
    width, height = page.get_size()
    textpage = page.get_textpage()
    runs, rules = [], []
    kinds = (pdfium_raw.FPDF_PAGEOBJ_TEXT, pdfium_raw.FPDF_PAGEOBJ_PATH)
    for item in page.get_objects(filter=kinds, textpage=textpage):
        left, bottom, right, top = item.get_bounds()
        if item.type == pdfium_raw.FPDF_PAGEOBJ_PATH:
            if top - bottom < 2 and right - left > 2:
                rules.append((left / MM, right / MM, (height - (top + bottom) / 2) / MM))
            continue
        text = _clean(item.extract()).strip()
        if not text:
            continue
        runs.append(
            TextRun(
                text=text,
                left=left / MM,
                top=(height - top) / MM,
                right=right / MM,
                bottom=(height - bottom) / MM,
                size=round(item.get_font_size(), 2),
                font=item.get_font().get_base_name(),
            )
        )
    return PageLayout(width / MM, height / MM, tuple(runs), tuple(rules))
