"""A format-2 report on paper: its grids and lists as numbered appendices, landscape where the
template says so, sections hidden by their condition left out, in PDF and Word alike."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document

from desktop_app.core.documents.model import RowKind
from desktop_app.core.documents.table_appendices import list_appendix
from desktop_app.core.reports.records import ContentChanges
from desktop_app.core.reports.templates import bundled_template_files, load_template_file
from desktop_app.core.workspace import Workspace
from tests.core.documents.pdftext import page_texts
from tests.core.upper.test_nq57_end_to_end import COMMUNES, PROVINCE, file_quarter, open_office


@pytest.fixture
def commune(tmp_path: Path) -> Iterator[tuple[Workspace, str]]:
    workspace = open_office(tmp_path, COMMUNES[1], PROVINCE)
    file_quarter(workspace, 2, "2026Q1", 1)
    yield workspace, file_quarter(workspace, 2, "2026Q2", 2)
    workspace.close()


def test_grids_and_lists_follow_the_indicator_table_in_outline_order(
    commune: tuple[Workspace, str],
) -> None:
    workspace, report = commune
    document = workspace.documents.official(report)
    named = [(a.form_label, a.title) for a in document.appendices]
    assert named == [
        ("", "Thông tin chung"),
        ("Biểu 01", "Thống kê nhiệm vụ được giao theo tình trạng"),
        ("", "Danh mục nhiệm vụ được giao và tình hình thực hiện"),
        ("Biểu 02", "Chỉ tiêu thực hiện theo 8 nhóm nhiệm vụ của Kế hoạch 02-KH/BCĐTW"),
    ]
    status, tasks, kpi = document.appendices[1:]
    assert status.rows[0] == ("1", "Nhiệm vụ đến hạn trong quý", "8", "3", "11")
    assert status.row_kinds[0] == RowKind.TOTAL
    assert status.rows[1][1] == "\u00a0" * 4 + "Trong đó: hoàn thành"
    assert kpi.landscape and tasks.landscape and not status.landscape
    assert [c.label for c in kpi.columns][-1] == "Lũy kế so kế hoạch (%)"
    assert tasks.rows[-1][1:] == (
        "Kết nối mạng chuyên dùng (xã 2)",
        "",
        "Văn phòng",
        "30/04/2026",
        "",
        "Quá hạn",
        "",
        "",
    )
    leadership = document.sections[0]
    assert [s.tables_ref for s in leadership.children][:2] == [(1,), (2, 3)]


def test_a_section_hidden_by_its_condition_is_not_printed(commune: tuple[Workspace, str]) -> None:
    workspace, report = commune
    explain = "Giải trình nhiệm vụ chậm tiến độ"
    shown = [s.title for s in workspace.documents.official(report).sections[0].children]
    assert explain in shown  # rated vàng
    workspace.reports.save(report, ContentChanges(values={"danh_gia_tien_do": "xanh"}))
    shown = [s.title for s in workspace.documents.official(report).sections[0].children]
    assert explain not in shown


def test_the_pdf_and_the_word_file_print_the_cells_and_the_tasks(
    commune: tuple[Workspace, str],
) -> None:
    workspace, report = commune
    text = "\n".join(page_texts(workspace.documents.report_pdf(report)))
    assert "CHỈ TIÊU THỰC HIỆN THEO 8 NHÓM NHIỆM VỤ" in text
    assert "Lắp camera tại" in text and "375,0" in text  # the task wraps in its column
    word = Document(io.BytesIO(workspace.documents.report_docx(report)))
    cells = {cell.text for table in word.tables for row in table.rows for cell in row.cells}
    assert {"Quá hạn", "30/04/2026", "375,0", "Lũy kế từ đầu năm"} <= cells


def test_the_blank_form_has_the_grids_rows_and_columns_and_lines_for_the_list(
    commune: tuple[Workspace, str],
) -> None:
    workspace, _ = commune
    pages = page_texts(workspace.documents.blank_form_pdf("nq57-quy-xa"))
    text = " ".join(" ".join(pages).split())  # lines wrapped in narrow cells read as one
    assert "Hạ tầng số: máy tính kết nối mạng" in text
    assert "Lũy kế từ đầu năm" in text and "Văn bản giao" in text
    assert "so kế hoạch" not in text  # a formula column is worked out later


def test_a_lists_text_columns_share_the_width_by_what_they_hold() -> None:
    """A task's long content gets the room; an evidence column nobody filled shrinks."""
    template = load_template_file(
        next(p for p in bundled_template_files() if p.stem == "nq57-quy-xa")
    )
    task_list = template.task_list("nhiem_vu")
    content = "Kết nối mạng truyền số liệu chuyên dùng đến Trung tâm phục vụ hành chính công phường"
    rows = [
        {
            "noi_dung": content,
            "van_ban_giao": "28-KH/TU ngày 15/01/2026",
            "tinh_trang": "hoan_thanh",
        }
    ] * 3
    table = list_appendix(task_list, rows)
    weight = {column.label: column.weight for column in table.columns}
    assert weight["Nội dung nhiệm vụ"] > weight["Văn bản giao"] > weight["Minh chứng"]
    assert (
        weight["Minh chứng"]
        == weight["Tệp minh chứng"]
        == min(w for label, w in weight.items() if label != "STT")
    )
