"""Pages per second of ``render_pdf`` against plain reportlab setting the same content.

Run: ``.venv/bin/python bench/bench_pdf.py``. The large document has about 30 pages of text and a
200-row indicator table. The baseline is a bare ``SimpleDocTemplate`` with the same paragraphs
and the same table cells (as Paragraphs, header repeated), in the same fonts, so the ratio shows
what the profile layout (header table, page decorations, styles) costs. Target: ratio >= 0.5.
"""

from __future__ import annotations

import io
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pypdfium2 as pdfium
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table

from desktop_app.core.documents.fonts import register_fonts
from desktop_app.core.documents.model import OfficialDocument, Section
from desktop_app.core.documents.pdf import load_profile, render_pdf
from tests.core.documents.samples import large_document

TARGET_RATIO = 0.5
RUNS = 3


def plain_reportlab(doc: OfficialDocument) -> bytes:
    """The same words and table cells, set with reportlab defaults and no profile."""
    fonts = register_fonts(load_profile(doc.profile_id).fonts)
    body = ParagraphStyle("body", fontName=fonts.regular, fontSize=14, leading=16.8)
    cell = ParagraphStyle("cell", fontName=fonts.regular, fontSize=12, leading=14.4)
    story: list[object] = [
        Paragraph(doc.header.type_name, body),
        Paragraph(doc.header.summary, body),
    ]
    story += [Paragraph(text, body) for text in doc.intro]

    def add(sections: tuple[Section, ...]) -> None:
        for section in sections:
            story.append(Paragraph(section.title, body))
            story.extend(Paragraph(text, body) for text in section.paragraphs)
            add(tuple(section.children))

    add(tuple(doc.sections))
    for table in doc.appendices:
        story.append(PageBreak())
        rows = [[Paragraph(column.label, cell) for column in table.columns]]
        rows += [[Paragraph(text, cell) for text in row] for row in table.rows]
        story.append(Table(rows, repeatRows=1))
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer).build(story)
    return buffer.getvalue()


def pages_per_second(render: Callable[[], bytes]) -> tuple[float, int]:
    best = float("inf")
    pages = 0
    for _ in range(RUNS):
        start = time.perf_counter()
        pdf = render()
        best = min(best, time.perf_counter() - start)
        document = pdfium.PdfDocument(pdf)
        pages = len(document)
        document.close()
    return pages / best, pages


def main() -> int:
    doc = large_document(indicator_rows=200, text_pages=30)
    profile = load_profile(doc.profile_id)
    render_pdf(doc, profile)  # warm-up: font registration and parsing happen once per process
    ours, our_pages = pages_per_second(lambda: render_pdf(doc, profile))
    plain, plain_pages = pages_per_second(lambda: plain_reportlab(doc))
    ratio = ours / plain
    print(f"render_pdf:      {our_pages} pages, {ours:7.1f} pages/s")
    print(f"plain reportlab: {plain_pages} pages, {plain:7.1f} pages/s")
    verdict = "OK" if ratio >= TARGET_RATIO else "BELOW TARGET"
    print(f"ratio:           {ratio:.2f}   (target >= {TARGET_RATIO})  {verdict}")
    return 0 if ratio >= TARGET_RATIO else 1


if __name__ == "__main__":
    raise SystemExit(main())
