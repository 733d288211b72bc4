"""A very long paragraph is set in pieces that continue one another, losing no character."""

from __future__ import annotations

import io

import pypdfium2 as pdfium

from desktop_app.core.documents.pdf import _pieces
from desktop_app.core.reports.records import ContentChanges
from desktop_app.core.workspace import Workspace

SENTENCE = "Đảng ủy phường tiếp tục chỉ đạo chuyển đổi số. "


def test_pieces_keep_every_word_in_order_and_cut_at_spaces() -> None:
    text = (SENTENCE * 400).strip()
    pieces = _pieces(text)
    assert len(pieces) > 5 and all(len(piece) <= 2000 for piece in pieces)
    assert " ".join(pieces) == text


def test_a_word_longer_than_a_piece_is_cut_rather_than_lost() -> None:
    text = "x" * 4500
    assert "".join(_pieces(text)) == text


def test_a_narrative_pasted_without_line_breaks_prints_whole(workspace: Workspace) -> None:
    report_id = workspace.reports.new("cntt-quy", "2026Q3")
    marker = "CUỐI-VĂN-BẢN"
    text = SENTENCE * 1500 + marker
    workspace.reports.save(report_id, ContentChanges(narratives={"chi_dao_dieu_hanh": text}))
    pdf = pdfium.PdfDocument(io.BytesIO(workspace.documents.report_pdf(report_id)))
    words = "".join(page.get_textpage().get_text_range() for page in pdf)
    pdf.close()
    assert marker in words.replace("\r\n", "").replace("\n", "")
