"""The export, import, key and tracking windows each end with «Đóng», which closes them."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton
from pytestqt.qtbot import QtBot

from desktop_app.ui.main_window import MainWindow


@pytest.mark.parametrize(
    "open_it", ["export_reports", "import_bundles", "show_keys", "show_upper_office"]
)
def test_each_tool_window_closes_with_dong(qtbot: QtBot, window: MainWindow, open_it: str) -> None:
    getattr(window, open_it)()
    # The tracking window stands beside the main one; the others are its modal jobs.
    dialog = window.upper_window if open_it == "show_upper_office" else window.job_dialog
    assert isinstance(dialog, QDialog)
    closes = [
        button
        for box in dialog.findChildren(QDialogButtonBox)
        for button in box.buttons()
        if box.buttonRole(button) == QDialogButtonBox.ButtonRole.RejectRole
    ]
    assert [button.text() for button in closes] == ["Đóng"]
    assert isinstance(closes[0], QPushButton) and closes[0].isVisible()
    with qtbot.waitSignal(dialog.finished):
        closes[0].click()
    assert dialog.result() == QDialog.DialogCode.Rejected
