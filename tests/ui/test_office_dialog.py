"""File → Thông tin cơ quan…: the office's details are corrected in the window; the code stays."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from desktop_app.core.errors import CoreError
from desktop_app.core.workspace import Workspace
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.office_dialog import OfficeDialog


def test_the_office_name_is_corrected_from_the_file_menu(
    qtbot: QtBot, window: MainWindow, demo_workspace: Workspace
) -> None:
    code = demo_workspace.office.code
    action = window.actions_by_name["office"]
    assert action in window.menus["file"].actions()
    assert action.text() == "Thông tin cơ quan…"
    action.trigger()
    dialog = window.job_dialog
    assert isinstance(dialog, OfficeDialog)
    name = dialog.form.fields["name"]
    qtbot.waitUntil(lambda: name.text() == demo_workspace.office.name)
    assert dialog.form.fields["code"].isReadOnly()
    name.setText("Đảng ủy phường Hàm Rồng (mới)")
    with qtbot.waitSignal(window.home.loaded, timeout=10_000):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert demo_workspace.office.name == "Đảng ủy phường Hàm Rồng (mới)"
    assert demo_workspace.office.code == code
    assert window.windowTitle().endswith("Đảng ủy phường Hàm Rồng (mới)")
    assert window.statusBar().currentMessage() == "Đã lưu thông tin cơ quan."


def test_the_code_cannot_be_changed(demo_workspace: Workspace) -> None:
    with pytest.raises(CoreError) as refused:
        demo_workspace.update_office(replace(demo_workspace.office, code="KHAC-01"))
    assert refused.value.code == "office.already_initialised"
