"""A report prints as an official document: header, numbered outline, appendices, draft marks."""

from __future__ import annotations

import dataclasses
import io
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import docx
import pypdfium2 as pdfium
import pytest

from desktop_app.core.demo import IT_FIGURES, IT_NARRATIVES, build_demo
from desktop_app.core.documents.pdf import load_profile, render_pdf
from desktop_app.core.documents.report import Issuance, build_report_document
from desktop_app.core.errors import CoreError
from desktop_app.core.reports.records import ContentChanges, report_period
from desktop_app.core.workspace import Workspace
from tests.core.documents.pdftext import page_texts
from tests.core.upper.helpers import CHEAP


@pytest.fixture
def demo(workspace_dir: Path) -> Iterator[Workspace]:
    """The demo ward, with its IT report of the third quarter written in full (format 1: its
    indicator tables become the appendices); the demo's own IT report, the fourth quarter's,
    is only begun."""
    with Workspace.open(workspace_dir, automatic_backup=False, kdf_cost=CHEAP) as ws:
        build_demo(ws)
        report_id = ws.reports.new("cntt-quy", "2026Q3")
        ws.reports.save(report_id, ContentChanges(values=IT_FIGURES, narratives=IT_NARRATIVES))
        yield ws


def _it_report(ws: Workspace, period: str = "2026Q3") -> str:
    return next(r.id for r in ws.reports.summaries(template_id="cntt-quy", period=period))


def test_draft_first_page_has_the_party_header_elements(demo: Workspace) -> None:
    pages = page_texts(demo.documents.report_pdf(_it_report(demo)))
    first = pages[0]
    for element in (
        "ĐẢNG BỘ TỈNH THANH HÓA",
        "ĐẢNG ỦY PHƯỜNG\nHẠC THÀNH",  # wrapped before the place name, never inside it
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "-BC/ĐU",
        "Hạc Thành, ngày",
        "BÁO CÁO",
        "quý III năm 2026",
        "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH",
    ):
        assert element in first, element
    assert all(text == unicodedata.normalize("NFC", text) for text in pages)


def test_indicator_tables_become_numbered_appendices_with_vietnamese_numbers(
    demo: Workspace,
) -> None:
    text = "\n".join(page_texts(demo.documents.report_pdf(_it_report(demo))))
    assert "Phụ lục 01" in text and "Phụ lục 04" in text
    assert "1.875" in text  # tong_ho_so, grouped the Vietnamese way
    assert "94,8" in text  # a computed ratio, 55 / 58
    assert "(Chi tiết tại Phụ lục 01)" in text


def test_a_party_office_cannot_print_in_the_state_format(demo: Workspace) -> None:
    with pytest.raises(CoreError) as refused:
        demo.documents.report_pdf(_it_report(demo), "state")
    assert refused.value.code == "document.profile.block_mismatch"
    first = page_texts(demo.documents.report_pdf(_it_report(demo), "party"))[0]
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in first


def test_unwritten_sections_are_marked_in_a_draft(demo: Workspace) -> None:
    text = "\n".join(page_texts(demo.documents.report_pdf(_it_report(demo, "2026Q4"))))
    assert "(chưa viết)" in text


def test_word_export_keeps_header_and_tables(demo: Workspace) -> None:
    document = docx.Document(io.BytesIO(demo.documents.report_docx(_it_report(demo))))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert any("ĐẢNG CỘNG SẢN VIỆT NAM" in text for text in cells)
    assert "1.875" in cells
    paragraphs = [p.text for p in document.paragraphs]
    assert any("BÁO CÁO" in text for text in paragraphs)


def test_blank_form_lists_guidance_and_indicators(demo: Workspace) -> None:
    template = demo.templates.get("cntt-quy")
    text = "\n".join(page_texts(demo.documents.blank_form_pdf("cntt-quy")))
    assert template.indicator("tong_may_tinh").label in text
    first_guidance = template.sections[0].guidance.split()[:3]
    assert " ".join(first_guidance) in text.replace("\n", " ")


def test_unknown_report_is_refused(demo: Workspace) -> None:
    with pytest.raises(CoreError):
        demo.documents.report_pdf("khong-co")


def test_table_numbers_are_printed_once_and_notes_kept(demo: Workspace) -> None:
    report = " ".join(" ".join(page_texts(demo.documents.report_pdf(_it_report(demo)))).split())
    form = " ".join(" ".join(page_texts(demo.documents.blank_form_pdf("cntt-quy"))).split())

    assert "Phụ lục 01 HẠ TẦNG KỸ THUẬT CÔNG NGHỆ THÔNG TIN" in report
    assert "BIỂU 01" not in report
    assert "Biểu 01: Hạ tầng kỹ thuật công nghệ thông tin" in form
    assert "Biểu 01: Biểu 01" not in form
    assert "Ghi chú: Kinh phí ghi theo số đã thực chi trong quý" in form


def test_landscape_tables_turn_every_appendix_page(demo: Workspace) -> None:
    report_id = _it_report(demo)
    template = demo.reports.template_of(report_id)
    raw = {**template.raw, "layout": {**template.layout, "landscape_tables": True}}
    turned = dataclasses.replace(template, raw=raw)
    office = demo.office
    document = build_report_document(
        turned,
        office,
        report_period(template, "2026Q3"),
        demo.reports.content(report_id),
        Issuance(),
        "party",
    )
    pdf = pdfium.PdfDocument(render_pdf(document, load_profile(document.profile_id)))
    sizes = [page.get_size() for page in pdf]
    pdf.close()

    assert all(document.appendices[i].landscape for i in range(len(document.appendices)))
    assert sizes[0][0] < sizes[0][1] and sizes[-1][0] > sizes[-1][1]
