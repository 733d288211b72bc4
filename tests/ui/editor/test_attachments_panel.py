"""The clerk attaches scans in the report window: the panel "Tài liệu kèm theo" (the file
dialog, dropped files, removal) and a task's evidence cell that picks one of them or adds a
file. Everything reaches the store through the worker; what the clerk sees is checked against
what a second process reads back."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QObject, QPointF, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.qtbot import QtBot

from desktop_app.core.workspace import Workspace
from desktop_app.ui.editor import ReportEditor
from desktop_app.ui.editor.list_view import AttachmentCombo, ListEditor
from desktop_app.ui.tasks import TaskRunner
from tests.attachment_files import nq57_with_evidence, photo_jpeg, scan_pdf
from tests.attachment_network import JPEG_NAME, PDF_NAME, export, open_pair
from tests.core.upper.helpers import imported
from tests.ui.editor.conftest import OpenEditor
from tests.ui.journeys.driver import Driver, choose_path

TEMPLATE = "nq57-minh-chung"
TASKS = "nhiem_vu"


@pytest.fixture
def report(workspace: Workspace) -> str:
    workspace.templates.install(nq57_with_evidence(TEMPLATE))
    return workspace.reports.new(TEMPLATE, "2026Q3")


@pytest.fixture
def driver(qtbot: QtBot) -> Iterator[Driver]:
    driver = Driver(qtbot)
    yield driver
    driver.stop()
    assert driver.unexpected == []


@pytest.fixture
def scans(tmp_path: Path) -> dict[str, Path]:
    files = {"Biên bản nghiệm thu.pdf": scan_pdf(), "Ảnh hiện trường.jpg": photo_jpeg()}
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    return {name: tmp_path / name for name in files}


def stored_names(workspace: Workspace, report: str) -> list[str]:
    with Workspace.open(workspace.root, automatic_backup=False) as other:
        return [a.name for a in other.reports.attachments(report)]


def shown_names(editor: ReportEditor) -> list[str]:
    table = editor.attachments_panel.table
    return [table.item(row, 0).text() for row in range(table.rowCount())]


def drop_files(editor: ReportEditor, *paths: Path) -> None:
    """Files dragged from the file manager and let go over the panel."""
    panel = editor.attachments_panel
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    where = QPointF(panel.rect().center())
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(where.toPoint(), Qt.DropAction.CopyAction, data, buttons, keys)
    QApplication.sendEvent(panel, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(panel, QDropEvent(where, Qt.DropAction.CopyAction, data, buttons, keys))


def evidence_cell(
    qtbot: QtBot, driver: Driver, editor: ReportEditor
) -> tuple[ListEditor, AttachmentCombo]:
    """A new task's evidence cell, opened for editing: the clerk clicks "Thêm dòng", then
    double-clicks the cell."""
    tasks = editor.show_section("thong_ke_nhiem_vu").lists[TASKS]
    model = tasks.model
    driver.click(tasks.add_button)
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    column = 1 + [c.id for c in model.task_list.columns].index("tep_minh_chung")
    index = model.index(0, column)
    tasks.view.setCurrentIndex(index)
    tasks.view.edit(index)
    qtbot.waitUntil(lambda: tasks.view.findChild(AttachmentCombo) is not None)
    combo = tasks.view.findChild(AttachmentCombo)
    assert combo is not None
    return tasks, combo


def pick(qtbot: QtBot, combo: AttachmentCombo, text: str) -> None:
    """Choose ``text`` in the open combo with the keyboard, as the clerk does."""
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    while combo.currentText() != text:
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    qtbot.keyClick(combo, Qt.Key.Key_Return)


def test_attach_by_dialog_and_by_drop_then_name_one_in_a_task(
    qtbot: QtBot,
    open_editor: OpenEditor,
    workspace: Workspace,
    report: str,
    driver: Driver,
    scans: dict[str, Path],
) -> None:
    editor = open_editor(report)
    panel = editor.attachments_panel
    assert shown_names(editor) == [] and panel.add_button.isEnabled()
    answered = driver.expect(QFileDialog, choose_path(scans["Biên bản nghiệm thu.pdf"]))
    driver.click(panel.add_button)
    driver.answered(answered)
    qtbot.waitUntil(lambda: shown_names(editor) == ["Biên bản nghiệm thu.pdf"])
    drop_files(editor, scans["Ảnh hiện trường.jpg"])
    qtbot.waitUntil(lambda: len(shown_names(editor)) == 2)
    assert panel.table.item(1, 1).text() == "Ảnh JPEG"
    assert "(2)" in panel.title.text()
    assert stored_names(workspace, report) == ["Biên bản nghiệm thu.pdf", "Ảnh hiện trường.jpg"]

    tasks, combo = evidence_cell(qtbot, driver, editor)
    items = [combo.itemText(n) for n in range(combo.count())]
    assert items == ["(không có)", "Biên bản nghiệm thu.pdf", "Ảnh hiện trường.jpg", "Thêm tệp…"]
    pick(qtbot, combo, "Biên bản nghiệm thu.pdf")
    cell = tasks.view.currentIndex()
    qtbot.waitUntil(lambda: cell.data() == "Biên bản nghiệm thu.pdf")
    editor.save_now()
    qtbot.waitUntil(lambda: not editor.autosaver.has_unsaved)
    with Workspace.open(workspace.root, automatic_backup=False) as other:
        [task] = other.reports.content(report).lists[TASKS]
        pdf = next(a for a in other.reports.attachments(report) if a.media_type.endswith("pdf"))
    assert task["tep_minh_chung"] == pdf.sha256
    assert not [i for i in editor.document.issues if i.code == "list.attachment_missing"]

    # Removing the named document is refused, and the sentence says where it is used.
    panel.table.selectRow(0)
    driver.click(panel.remove_button)
    qtbot.waitUntil(editor.notice.isVisible)
    assert "đang được dùng làm minh chứng" in editor.notice.text()
    assert len(shown_names(editor)) == 2


def test_a_cell_adds_a_file_and_names_it(
    qtbot: QtBot,
    open_editor: OpenEditor,
    workspace: Workspace,
    report: str,
    driver: Driver,
    scans: dict[str, Path],
) -> None:
    editor = open_editor(report)
    tasks, combo = evidence_cell(qtbot, driver, editor)
    answered = driver.expect(QFileDialog, choose_path(scans["Ảnh hiện trường.jpg"]))
    pick(qtbot, combo, "Thêm tệp…")
    driver.answered(answered)
    cell = tasks.view.currentIndex()
    qtbot.waitUntil(lambda: cell.data() == "Ảnh hiện trường.jpg")
    assert shown_names(editor) == ["Ảnh hiện trường.jpg"]
    editor.save_now()
    qtbot.waitUntil(lambda: not editor.autosaver.has_unsaved)
    assert stored_names(workspace, report) == ["Ảnh hiện trường.jpg"]


def test_a_refused_file_is_said_and_nothing_is_attached(
    qtbot: QtBot, open_editor: OpenEditor, workspace: Workspace, report: str, tmp_path: Path
) -> None:
    editor = open_editor(report)
    sheet = tmp_path / "bang-tinh.pdf"
    sheet.write_bytes(b"PK\x03\x04 a spreadsheet")
    drop_files(editor, sheet)
    qtbot.waitUntil(editor.notice.isVisible)
    assert "không phải PDF, PNG hoặc JPEG" in editor.notice.text()
    assert shown_names(editor) == [] and stored_names(workspace, report) == []


def test_removing_and_saving_a_copy(
    qtbot: QtBot,
    open_editor: OpenEditor,
    workspace: Workspace,
    report: str,
    driver: Driver,
    scans: dict[str, Path],
    tmp_path: Path,
) -> None:
    workspace.reports.attach(report, scans["Ảnh hiện trường.jpg"])
    workspace.reports.attach(report, scans["Biên bản nghiệm thu.pdf"])
    editor = open_editor(report)
    panel = editor.attachments_panel
    assert len(shown_names(editor)) == 2
    panel.table.selectRow(1)
    copy = tmp_path / "ban-sao.jpg"
    answered = driver.expect(QFileDialog, choose_path(copy))
    driver.click(panel.save_button)
    driver.answered(answered)
    qtbot.waitUntil(copy.exists)
    assert copy.read_bytes() == photo_jpeg()
    driver.click(panel.remove_button)
    qtbot.waitUntil(lambda: shown_names(editor) == ["Biên bản nghiệm thu.pdf"])
    assert stored_names(workspace, report) == ["Biên bản nghiệm thu.pdf"]


def test_the_province_opens_a_received_report_and_saves_its_attachment(
    qtbot: QtBot, qapp: object, tmp_path: Path, driver: Driver
) -> None:
    """Received reports are read-only: nothing can be added or removed, but each attachment
    can be saved as the commune sent it."""
    pair = open_pair(tmp_path / "offices")
    runner = TaskRunner()
    try:
        imported(pair.province, export(pair))
        editor = ReportEditor(pair.province, runner, pair.report_id)
        qtbot.addWidget(editor)
        editor.show()
        qtbot.waitUntil(lambda: editor.document is not None, timeout=10_000)
        panel = editor.attachments_panel
        qtbot.waitUntil(lambda: panel.table.rowCount() == 2)
        assert not panel.add_button.isEnabled() and not panel.hint.isVisible()
        row = shown_names(editor).index(JPEG_NAME)
        panel.table.selectRow(row)
        assert panel.save_button.isEnabled() and not panel.remove_button.isEnabled()
        copy = tmp_path / "tu-xa.jpg"
        answered = driver.expect(QFileDialog, choose_path(copy))
        driver.click(panel.save_button)
        driver.answered(answered)
        qtbot.waitUntil(copy.exists)
        assert copy.read_bytes() == photo_jpeg()
        tasks = editor.show_section("thong_ke_nhiem_vu").lists[TASKS]
        column = 1 + [c.id for c in tasks.model.task_list.columns].index("tep_minh_chung")
        assert tasks.model.index(0, column).data() == PDF_NAME
    finally:
        runner.wait()
        pair.commune.close()
        pair.province.close()


class Viewer(QObject):
    """Stands in for the desktop's viewer: Qt hands it the file URLs it would open."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[Path] = []

    @Slot(QUrl)
    def show_file(self, url: QUrl) -> None:
        self.opened.append(Path(url.toLocalFile()))


def test_open_hands_a_copy_to_the_viewer(
    qtbot: QtBot,
    open_editor: OpenEditor,
    workspace: Workspace,
    report: str,
    driver: Driver,
    scans: dict[str, Path],
) -> None:
    workspace.reports.attach(report, scans["Biên bản nghiệm thu.pdf"])
    editor = open_editor(report)
    viewer = Viewer()
    QDesktopServices.setUrlHandler("file", viewer, "show_file")
    try:
        editor.attachments_panel.table.selectRow(0)
        driver.click(editor.attachments_panel.open_button)
        qtbot.waitUntil(lambda: len(viewer.opened) == 1)
    finally:
        QDesktopServices.unsetUrlHandler("file")
    [copy] = viewer.opened
    assert copy.name.endswith("Biên bản nghiệm thu.pdf")
    assert copy.read_bytes() == scan_pdf()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_dropped_pipe_is_said_at_once_and_the_window_stays_usable(
    qtbot: QtBot, open_editor: OpenEditor, workspace: Workspace, report: str, tmp_path: Path
) -> None:
    pipe = tmp_path / "Biên bản.pdf"
    os.mkfifo(pipe)  # nothing ever writes to it: opening it for reading would wait for ever
    editor = open_editor(report)
    drop_files(editor, pipe)
    qtbot.waitUntil(editor.notice.isVisible)
    assert "không phải một tệp" in editor.notice.text()
    (tmp_path / "scan.pdf").write_bytes(scan_pdf())
    drop_files(editor, tmp_path / "scan.pdf")  # the worker is free for the next file
    qtbot.waitUntil(lambda: shown_names(editor) == ["scan.pdf"])
    assert stored_names(workspace, report) == ["scan.pdf"]
