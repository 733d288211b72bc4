"""A report with attachments on paper: the appendix "Tài liệu kèm theo" lists each document
(name, type, size) in PDF and Word, the task's evidence cell prints the document's name, and
the attachments themselves are not printed."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document

from desktop_app.core.workspace import Workspace
from tests.attachment_files import photo_jpeg, scan_pdf
from tests.attachment_network import JPEG_NAME, PDF_NAME, Pair, open_pair
from tests.core.documents.pdftext import page_texts


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    pair = open_pair(tmp_path)
    yield pair
    pair.commune.close()
    pair.province.close()


def test_the_last_appendix_lists_the_attachments(pair: Pair) -> None:
    document = pair.commune.documents.official(pair.report_id)
    listed = document.appendices[-1]
    assert listed.title == "Tài liệu kèm theo"
    assert [c.label for c in listed.columns] == ["STT", "Tên tài liệu", "Loại", "Dung lượng"]
    rows = {row[1]: row for row in listed.rows}
    assert rows[PDF_NAME][2:] == ("PDF", f"{max(1, round(len(scan_pdf()) / 1024))} KB")
    assert rows[JPEG_NAME][2] == "Ảnh JPEG"
    [tasks] = [a for a in document.appendices if a.title.startswith("Danh mục nhiệm vụ")]
    evidence = [c.label for c in tasks.columns].index("Tệp minh chứng")
    assert tasks.rows[0][evidence] == PDF_NAME


def test_pdf_and_docx_print_the_list_not_the_files(pair: Pair) -> None:
    pdf = pair.commune.documents.report_pdf(pair.report_id)
    text = "\n".join(page_texts(pdf))
    assert "TÀI LIỆU KÈM THEO" in text
    assert "Biên bản nghiệm thu.pdf" in text and "Ảnh hiện trường.jpg" in text
    assert "Biên bản nghiệm thu" in text
    assert scan_pdf()[-200:] not in pdf and photo_jpeg()[100:200] not in pdf
    docx = Document(io.BytesIO(pair.commune.documents.report_docx(pair.report_id)))
    cells = {cell.text for table in docx.tables for row in table.rows for cell in row.cells}
    assert {PDF_NAME, JPEG_NAME, "Ảnh JPEG"} <= cells


def test_a_report_without_attachments_has_no_such_appendix(tmp_path: Path) -> None:
    from tests.attachment_files import nq57_with_evidence
    from tests.attachment_network import COMMUNE
    from tests.core.upper.helpers import CHEAP

    with Workspace.open(tmp_path / "x", automatic_backup=False, kdf_cost=CHEAP) as workspace:
        workspace.initialise(COMMUNE, install_bundled_templates=False)
        workspace.templates.install(nq57_with_evidence())
        report = workspace.reports.new("nq57-quy-xa", "2026Q1")
        titles = [a.title for a in workspace.documents.official(report).appendices]
    assert "Tài liệu kèm theo" not in titles
