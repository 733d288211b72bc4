"""File → Thông tin cơ quan…: the office's details are corrected in the window; the code stays."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog
from pytestqt.qtbot import QtBot

from desktop_app.core.errors import CoreError
from desktop_app.core.workspace import Workspace
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.office_dialog import OfficeDialog
from tests.seal_image import seal_png


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


def test_the_seal_image_is_chosen_shown_refused_and_removed(
    qtbot: QtBot,
    window: MainWindow,
    demo_workspace: Workspace,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window.actions_by_name["office"].trigger()
    dialog = window.job_dialog
    assert isinstance(dialog, OfficeDialog)
    row = dialog.seal
    assert row.choose.text() == "Ảnh con dấu (chữ ký số)…"
    qtbot.waitUntil(lambda: row.state.text().startswith("Chưa có ảnh con dấu"))
    assert not row.remove.isEnabled()

    seal = tmp_path / "con-dau.png"
    seal.write_bytes(seal_png(300))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_args: (str(seal), ""))
    row.choose.click()
    qtbot.waitUntil(lambda: row.remove.isEnabled())
    assert row.state.text().startswith("Ảnh con dấu (300 × 300 điểm ảnh)")
    assert not row.picture.pixmap().isNull()
    assert demo_workspace.signing.seal() == seal_png(300)

    opaque = tmp_path / "nen-trang.png"
    opaque.write_bytes(seal_png(300, transparent=False))
    row.set_from_file(opaque)
    qtbot.waitUntil(lambda: "nền trong suốt" in row.state.text())
    assert demo_workspace.signing.seal() == seal_png(300)  # the one before is kept

    row.remove.click()
    qtbot.waitUntil(lambda: row.state.text().startswith("Chưa có ảnh con dấu"))
    assert demo_workspace.signing.seal() is None
