"""The preview and the printer show the document's pages, checked against poppler's images."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QPageSize
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from desktop_app.core.workspace import Workspace
from desktop_app.ui.i18n import Texts
from desktop_app.ui.preview import PREVIEW_DPI, PreviewDialog, page_count, print_pdf
from desktop_app.ui.tasks import TaskRunner
from tests.ui.page_check import assert_same_page, poppler_page

PRINT_DPI = 150


@pytest.fixture
def report_pdf(demo_workspace: Workspace) -> bytes:
    report = demo_workspace.reports.summaries()[0]
    return demo_workspace.documents.report_pdf(report.id)


def test_every_previewed_page_shows_the_document(
    qtbot: QtBot, runner: TaskRunner, report_pdf: bytes, tmp_path: Path
) -> None:
    dialog = PreviewDialog(report_pdf, "Báo cáo", "bao-cao.pdf", Texts("vi"), runner)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: len(dialog.images) == page_count(report_pdf), timeout=20000)
    for number, image in enumerate(dialog.images, start=1):
        assert_same_page(image, report_pdf, number, PREVIEW_DPI, tmp_path)


def test_the_key_sheet_previews_with_ink(
    qtbot: QtBot, runner: TaskRunner, demo_workspace: Workspace, tmp_path: Path
) -> None:
    sheet = demo_workspace.documents.enrolment_sheet_pdf()
    dialog = PreviewDialog(sheet, "Khóa", "khoa.pdf", Texts("vi"), runner)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: len(dialog.images) == page_count(sheet), timeout=20000)
    assert_same_page(dialog.images[0], sheet, 1, PREVIEW_DPI, tmp_path)


def test_printed_pages_match_the_document(qapp: object, report_pdf: bytes, tmp_path: Path) -> None:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setFullPage(True)
    printer.setResolution(PRINT_DPI)
    assert print_pdf(report_pdf, printer) == page_count(report_pdf)
    printed = (tmp_path / "printed.pdf").read_bytes()
    assert page_count(printed) == page_count(report_pdf)
    for number in range(1, page_count(report_pdf) + 1):
        paper = poppler_page(printed, number, PREVIEW_DPI, tmp_path)
        assert_same_page(paper, report_pdf, number, PREVIEW_DPI, tmp_path)
