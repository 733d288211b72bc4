"""An appendix is numbered by the document ("Phụ lục 02", as the text's "(Chi tiết tại Phụ lục
02)" says); a table the template names as a form ("Biểu 01. …") keeps that name, printed at the
top right like a form's number, and its title no longer repeats it: no line of the heading
carries two numbers, and "Phụ lục" is never printed twice."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from desktop_app.core.documents.table_appendices import form_label_and_title
from desktop_app.core.workspace import Workspace
from tests.core.documents.pdftext import PageLayout, page_layouts
from tests.core.upper.test_nq57_end_to_end import COMMUNES, PROVINCE, file_quarter, open_office


@pytest.mark.parametrize(
    ("title", "label", "rest"),
    [
        (
            "Biểu 02. Tự đánh giá theo loại hình chi bộ",
            "Biểu 02",
            "Tự đánh giá theo loại hình chi bộ",
        ),
        ("BIỂU 3: Kinh phí", "Biểu 3", "Kinh phí"),
        ("Biểu số 04 – Nhân lực", "Biểu 04", "Nhân lực"),
        ("Phụ lục. Danh mục nhiệm vụ", "", "Danh mục nhiệm vụ"),
        ("Phụ lục II. Danh mục văn bản", "", "Danh mục văn bản"),
        ("Biểu: Tổng hợp", "", "Tổng hợp"),
        ("Biểu mẫu tổng hợp ý kiến", "", "Biểu mẫu tổng hợp ý kiến"),
        ("Thông tin chung", "", "Thông tin chung"),
        ("Biểu 01.", "", "Biểu 01."),  # nothing else to call it
    ],
)
def test_the_form_name_is_read_off_the_title(title: str, label: str, rest: str) -> None:
    assert form_label_and_title(title) == (label, rest)


@pytest.fixture
def report(tmp_path: Path) -> Iterator[tuple[Workspace, str]]:
    workspace = open_office(tmp_path, COMMUNES[0], PROVINCE)
    yield workspace, file_quarter(workspace, 1, "2026Q1", 1)
    workspace.close()


def _appendix_page(pages: list[PageLayout], label: str) -> PageLayout:
    return next(page for page in pages if label in page.lines())


def test_the_pdf_prints_the_appendix_number_and_the_form_name_apart(
    report: tuple[Workspace, str],
) -> None:
    workspace, report_id = report
    pages = page_layouts(workspace.documents.report_pdf(report_id))
    status = _appendix_page(pages, "Phụ lục 02")
    label, form = status.find("Phụ lục 02"), status.find("Biểu 01")
    assert form.text == "Biểu 01" and form.italic
    assert form.bottom <= label.top  # above the number, as a form carries its own
    margin = status.width - form.right
    assert margin < 25 and form.left > status.width / 2  # at the right margin
    lines = status.lines()
    title = lines[lines.index("Phụ lục 02") + 1]
    assert title.startswith("THỐNG KÊ NHIỆM VỤ ĐƯỢC GIAO")
    assert abs(label.centre - status.find(title).centre) < 2  # the number stays centred
    heading = lines[: lines.index("Phụ lục 02") + 3]
    assert not any("BIỂU" in line.upper() and "PHỤ LỤC" in line.upper() for line in heading)
    assert not any("BIỂU 01" in line for line in lines)  # the title does not repeat it

    tasks = _appendix_page(pages, "Phụ lục 03")
    lines = tasks.lines()
    assert lines[lines.index("Phụ lục 03") + 1].startswith("DANH MỤC NHIỆM VỤ")
    assert sum("PHỤ LỤC" in line.upper() for line in lines) == 1
    assert not any(line.startswith("Biểu") for line in lines)  # no form name of its own

    kpi = _appendix_page(pages, "Phụ lục 04")
    assert kpi.find("Biểu 02").right > kpi.width / 2
    assert kpi.width > kpi.height  # landscape, the form name still at its right margin
    assert kpi.width - kpi.find("Biểu 02").right < 25


def test_the_word_file_prints_the_same_heading(report: tuple[Workspace, str]) -> None:
    workspace, report_id = report
    word = Document(io.BytesIO(workspace.documents.report_docx(report_id)))
    paragraphs = [p for p in word.paragraphs if p.text.strip()]
    texts = [p.text for p in paragraphs]
    at = texts.index("Phụ lục 02")
    assert texts[at - 1] == "Biểu 01"
    assert paragraphs[at - 1].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert texts[at + 1].upper().startswith("THỐNG KÊ NHIỆM VỤ ĐƯỢC GIAO")
    after = texts.index("Phụ lục 03")
    assert texts[after - 1] != "Biểu 02" and texts[after + 1].upper().startswith("DANH MỤC")
    assert not any(t.upper().startswith(("BIỂU 01.", "PHỤ LỤC.")) for t in texts)


def test_the_blank_form_calls_the_tables_by_the_templates_names(
    report: tuple[Workspace, str],
) -> None:
    workspace, _ = report
    pages = page_layouts(workspace.documents.blank_form_pdf("nq57-quy-xa"))
    lines = [line for page in pages for line in page.lines()]
    headings = [line for line in lines if line.startswith(("Biểu", "Phụ lục", "Thông tin chung"))]
    assert headings[0] == "Thông tin chung"  # unnamed: not a third "Biểu 01"
    assert "Biểu 01: Thống kê nhiệm vụ được giao theo tình trạng" in headings
    assert any(line.startswith("Biểu 02: Chỉ tiêu thực hiện theo 8 nhóm") for line in headings)
    assert not any(line.startswith("Phụ lục") for line in headings)
    assert any(line.startswith("Danh mục nhiệm vụ được giao") for line in lines)
    assert not any("Biểu 01." in line or ": Biểu" in line for line in lines)
