"""Tệp → «Lưu bản Word của báo cáo…» and «In mẫu trắng…»: what the CLI alone offered."""

from __future__ import annotations

import zipfile
from pathlib import Path

from pytestqt.qtbot import QtBot

from desktop_app.core.workspace import Workspace
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.preview import PreviewDialog


def test_both_are_in_the_file_menu(window: MainWindow) -> None:
    texts = [action.text() for action in window.menus["file"].actions()]
    assert "Lưu bản Word của báo cáo…" in texts
    assert "In mẫu trắng…" in texts
    assert texts.index("In mẫu trắng…") < texts.index(window.actions_by_name["backup"].text())


def test_the_report_is_saved_as_a_word_file(
    qtbot: QtBot, window: MainWindow, demo_workspace: Workspace, tmp_path: Path
) -> None:
    report = demo_workspace.reports.summaries(template_id="nq57-quy-xa", period="2026Q3")[0]
    target = tmp_path / "báo cáo quý III"
    window.documents.save_word(report.id, target)
    saved = target.with_suffix(".docx")
    qtbot.waitUntil(saved.exists, timeout=20_000)
    with zipfile.ZipFile(saved) as docx:
        body = docx.read("word/document.xml").decode("utf-8")
    assert demo_workspace.office.name.upper() in body.upper()
    qtbot.waitUntil(lambda: "Đã lưu" in window.statusBar().currentMessage())


def test_a_blank_form_opens_in_the_print_preview(qtbot: QtBot, window: MainWindow) -> None:
    window.documents.blank_form("cntt-quy")
    qtbot.waitUntil(lambda: isinstance(window.job_dialog, PreviewDialog), timeout=20_000)
    preview = window.job_dialog
    assert isinstance(preview, PreviewDialog)
    assert preview.windowTitle().startswith("Xem trước — Mẫu trắng — ")
    qtbot.waitUntil(lambda: len(preview.images) > 0, timeout=20_000)
    assert preview.suggested_name.startswith("Mẫu trắng — ")
