"""A store that cannot be opened: the window offers a backup before anything else, and the app
starts on it (the unusable file kept aside)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from desktop_app.core.store import backup as backups
from desktop_app.core.store.health import StoreUnusable
from desktop_app.core.workspace import Workspace
from desktop_app.ui.store_rescue import offer_restore
from tests.hostile.test_store_and_secrets import made


def answer_boxes(clicks: list[str], role: QMessageBox.ButtonRole) -> QTimer:
    """Click the button of ``role`` in each message box as it appears (the accepting one when
    it has none, as an information box), noting the box's text."""

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.isVisible():
            clicks.append(box.text())
            buttons = box.buttons()
            wanted = [button for button in buttons if box.buttonRole(button) == role]
            accepting = [
                button
                for button in buttons
                if box.buttonRole(button) == QMessageBox.ButtonRole.AcceptRole
            ]
            (wanted or accepting or buttons)[0].click()

    timer = QTimer()
    timer.timeout.connect(answer)
    timer.start(20)
    return timer


def damaged(tmp_path: Path) -> tuple[Path, Path, StoreUnusable]:
    root = made(tmp_path / "ws")
    [newest, *_] = backups.backups(root / "backups")
    (root / "baocao.db-wal").unlink(missing_ok=True)
    (root / "baocao.db").write_bytes(b"")  # an empty store: core names the newest good backup
    with pytest.raises(StoreUnusable) as refused:
        Workspace.open(root)
    return root, newest, refused.value


def assert_restored(root: Path) -> None:
    assert [path.parent.name for path in (root / "damaged").iterdir()] == ["damaged"]
    with Workspace.open(root, automatic_backup=False) as ws:
        assert [r.period for r in ws.reports.summaries()] == ["2026Q3"]


def test_the_newest_good_backup_is_offered_and_put_in_place(qtbot: QtBot, tmp_path: Path) -> None:
    root, newest, error = damaged(tmp_path)
    shown: list[str] = []
    timer = answer_boxes(shown, QMessageBox.ButtonRole.AcceptRole)
    try:
        assert offer_restore(error, root, "vi")
    finally:
        timer.stop()
    assert newest.name in shown[0] and newest.name in shown[1]
    assert_restored(root)


def test_a_damaged_store_is_replaced_by_the_chosen_backup(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, newest, error = damaged(tmp_path)
    chosen: list[str] = []

    def choose(_parent: object, _title: str, folder: str, _filter: str) -> tuple[str, str]:
        chosen.append(folder)
        return str(newest), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", choose)
    shown: list[str] = []
    timer = answer_boxes(shown, QMessageBox.ButtonRole.ActionRole)
    try:
        assert offer_restore(error, root, "vi")
    finally:
        timer.stop()
    assert chosen == [str(root / "backups")]
    assert "Đã khôi phục" in shown[1]
    assert_restored(root)


def test_declining_changes_nothing(qtbot: QtBot, tmp_path: Path) -> None:
    root = made(tmp_path / "ws")
    (root / "baocao.db").write_bytes(b"")
    with pytest.raises(StoreUnusable) as refused:
        Workspace.open(root)

    def decline() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            box.reject()

    timer = QTimer()
    timer.timeout.connect(decline)
    timer.start(20)
    try:
        assert not offer_restore(refused.value, root, "vi")
    finally:
        timer.stop()
    assert (root / "baocao.db").read_bytes() == b""
    assert not (root / "damaged").exists()
