"""Starting the windows on a damaged store: the clerk is offered the newest good backup, and
the damaged file is moved aside, never deleted."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from desktop_app.core.workspace import Workspace
from desktop_app.ui import app as ui_app
from tests.conftest import DISTRICT


def damaged_workspace(root: Path) -> bytes:
    with Workspace(root) as ws:
        ws.initialise(DISTRICT)
        ws.reports.new("cntt-quy", "2026Q3")
        ws.backup()
    (root / "baocao.db-wal").unlink(missing_ok=True)
    (root / "baocao.db").write_bytes(b"")
    return b""


def answering(answer: QMessageBox.StandardButton, asked: list[str]) -> object:
    def question(
        parent: object, title: str, text: str, *rest: object
    ) -> QMessageBox.StandardButton:
        asked.append(text)
        return answer

    return question


def test_yes_restores_the_newest_good_backup_and_the_window_opens(
    tmp_path: Path, qapp: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "ws"
    damaged_workspace(root)
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", answering(QMessageBox.StandardButton.Yes, asked))
    code = ui_app.run_gui(root, screenshot=tmp_path / "home.png", lang="en")
    assert code == 0 and len(asked) == 1 and "empty file" in asked[0]
    [aside] = (root / "damaged").glob("*.db")
    assert aside.read_bytes() == b""
    with Workspace(root, automatic_backup=False) as ws:
        assert [r.period for r in ws.reports.summaries()] == ["2026Q3"]


def test_no_leaves_everything_as_it_was(
    tmp_path: Path, qapp: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "ws"
    damaged_workspace(root)
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", answering(QMessageBox.StandardButton.No, asked))
    with pytest.raises(ui_app.StoreUnusable):
        ui_app.run_gui(root, screenshot=tmp_path / "home.png", lang="vi")
    assert (root / "baocao.db").read_bytes() == b"" and not (root / "damaged").exists()
