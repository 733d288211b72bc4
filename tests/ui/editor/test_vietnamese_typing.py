"""Vietnamese typed as Unikey and EVKey type it (Backspace, then the composed letter) arrives
whole in every editing widget: the report's text, its table cells, the outline search, the setup
wizard, the office details, the approval and export passphrases and the list's search box; the
first key typed into a cell is kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from desktop_app.core.workspace import Workspace
from desktop_app.ui.editor import ReportEditor
from desktop_app.ui.editor.indicator_delegate import IndicatorTableView
from desktop_app.ui.editor.indicator_model import COMMENT_COLUMN, VALUE_COLUMN
from desktop_app.ui.exchange.approve import ApproveDialog
from desktop_app.ui.exchange.export_dialog import ExportDialog
from desktop_app.ui.i18n import Texts
from desktop_app.ui.office_dialog import OfficeDialog
from desktop_app.ui.report_list import ReportListPage
from desktop_app.ui.settings import AppSettings
from desktop_app.ui.tasks import TaskRunner
from desktop_app.ui.wizard import SetupWizard
from tests.ui.editor.conftest import OpenEditor, focus, page_of, shown, stored_values, table_cell
from tests.ui.screens.unikey import keystrokes, type_like_unikey

SENTENCE = "Đã triển khai phần mềm quản lý văn bản ở 100% phường, xã; người dùng đều hài lòng."


def test_the_keystrokes_are_those_of_an_input_method() -> None:
    assert keystrokes("Việt đủ") == [
        *["V", "i", "e", "\b", "ẹ", "\b", "ệ", "t", " "],
        *["d", "\b", "đ", "u", "\b", "ủ"],
    ]


def _cell(qtbot: QtBot, editor: ReportEditor, indicator_id: str, column: int) -> QModelIndex:
    """The cell chosen with the keyboard, not yet open for editing."""
    page, table_id = page_of(editor, indicator_id)
    editor.show_section(page.section.id, table_id)
    view: IndicatorTableView = page.views[table_id]
    _, index = table_cell(editor, indicator_id, column)
    view.setCurrentIndex(index)
    focus(qtbot, view)
    return index


def _commit_cell(qtbot: QtBot) -> None:
    editing = QApplication.focusWidget()
    assert isinstance(editing, QLineEdit), "typing opened the cell"
    qtbot.keyClick(editing, Qt.Key.Key_Return)


def test_the_report_text(
    qtbot: QtBot, open_editor: OpenEditor, workspace: Workspace, report_id: str
) -> None:
    editor = open_editor(report_id)
    page = editor.show_section("kq_ha_tang")
    assert page.narrative is not None
    focus(qtbot, page.narrative)
    with qtbot.waitSignal(editor.saved, timeout=10_000):
        type_like_unikey(page.narrative, SENTENCE)
        editor.save_now()
    assert page.narrative.text() == SENTENCE
    assert workspace.reports.content(report_id).narratives["kq_ha_tang"] == SENTENCE


@pytest.mark.parametrize(
    ("indicator_id", "column", "typed", "expected"),
    [
        ("tong_may_tinh", VALUE_COLUMN, "1.234", "1.234"),
        ("he_thong_qlvb", VALUE_COLUMN, "Hệ thống điều hành tác nghiệp", None),
        ("tong_may_tinh", COMMENT_COLUMN, "Số liệu đến ngày cuối quý", None),
    ],
)
def test_a_table_cell_keeps_the_first_key_and_every_letter(
    qtbot: QtBot,
    open_editor: OpenEditor,
    report_id: str,
    indicator_id: str,
    column: int,
    typed: str,
    expected: str | None,
) -> None:
    editor = open_editor(report_id)
    _cell(qtbot, editor, indicator_id, column)
    with qtbot.waitSignal(editor.saved, timeout=10_000):
        type_like_unikey(editor, typed)
        _commit_cell(qtbot)
        editor.save_now()
    assert shown(editor, indicator_id, column) == (expected or typed)


def test_a_figure_typed_in_a_cell_is_stored(
    qtbot: QtBot, open_editor: OpenEditor, workspace: Workspace, report_id: str
) -> None:
    editor = open_editor(report_id)
    _cell(qtbot, editor, "tong_may_tinh", VALUE_COLUMN)
    with qtbot.waitSignal(editor.saved, timeout=10_000):
        type_like_unikey(editor, "75")
        _commit_cell(qtbot)
        editor.save_now()
    assert stored_values(workspace, report_id)["tong_may_tinh"] == "75"


def test_the_setup_wizard_fields(qtbot: QtBot, tmp_path: Path, qapp: object) -> None:
    runner = TaskRunner()
    try:
        with Workspace(tmp_path / "new", automatic_backup=False) as workspace:
            wizard = SetupWizard(workspace, runner, Texts("vi"), AppSettings())
            qtbot.addWidget(wizard)
            wizard.show()
            wizard.next()
            fields = [wizard.office_page.search, *wizard.office_page.fields.values()]
            for field in fields:
                field.show()
                focus(qtbot, field)
                type_like_unikey(field, "Đảng ủy phường Điện Biên")
                assert field.text() == "Đảng ủy phường Điện Biên"
            runner.wait()
    finally:
        runner.wait()


def test_the_approval_dialog_and_the_search_box(
    qtbot: QtBot, workspace: Workspace, runner: TaskRunner, report_id: str
) -> None:
    texts = Texts("vi")
    dialog = ApproveDialog(workspace, runner, texts, report_id)
    qtbot.addWidget(dialog)
    dialog.show()
    for field in (dialog.name, dialog.job_title):
        field.clear()
        focus(qtbot, field)
        type_like_unikey(field, "Nguyễn Thị Hường")
        assert field.text() == "Nguyễn Thị Hường"
    page = ReportListPage(workspace, runner, texts)
    qtbot.addWidget(page)
    page.show()
    focus(qtbot, page.search)
    type_like_unikey(page.search, "hạ tầng")
    assert page.search.text() == "hạ tầng"


def test_passphrases_and_the_outline_search(
    qtbot: QtBot,
    open_editor: OpenEditor,
    workspace: Workspace,
    runner: TaskRunner,
    report_id: str,
) -> None:
    """A passphrase may be Vietnamese; a hidden field must take the Backspace too."""
    texts = Texts("vi")
    approve = ApproveDialog(workspace, runner, texts, report_id)
    export = ExportDialog(workspace, runner, texts)
    for dialog in (approve, export):
        qtbot.addWidget(dialog)
        dialog.show()
        focus(qtbot, dialog.passphrase)
        type_like_unikey(dialog.passphrase, "mật khẩu của Bí thư")
        assert dialog.passphrase.text() == "mật khẩu của Bí thư"
    editor = open_editor(report_id)
    focus(qtbot, editor.find_box)
    type_like_unikey(editor.find_box, "hạ tầng")
    assert editor.find_box.text() == "hạ tầng"


def test_the_office_details(
    qtbot: QtBot, workspace: Workspace, runner: TaskRunner, qapp: object
) -> None:
    dialog = OfficeDialog(workspace, runner, Texts("vi"), AppSettings())
    qtbot.addWidget(dialog)
    dialog.show()
    name = dialog.form.fields["name"]
    qtbot.waitUntil(lambda: name.text() == workspace.office.name)
    name.clear()
    focus(qtbot, name)
    type_like_unikey(name, "Đảng ủy xã Quảng Phú")
    assert name.text() == "Đảng ủy xã Quảng Phú"
