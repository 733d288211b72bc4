"""One running app per workspace: a second start asks the first to come forward and ends."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desktop_app.ui.app import bring_forward, run_gui
from desktop_app.ui.single_instance import InstanceServer, ask_running_to_raise, server_name


def test_a_second_start_on_the_same_workspace_asks_the_first_to_come_forward(
    tmp_path: Path, qtbot: QtBot
) -> None:
    first = InstanceServer(tmp_path / "ws")
    assert first.listen()
    try:
        with qtbot.waitSignal(first.raise_requested, timeout=5000):
            assert ask_running_to_raise(tmp_path / "ws")
    finally:
        first.close()


def test_run_gui_ends_at_once_when_the_workspace_is_already_open(
    tmp_path: Path, qtbot: QtBot, capsys: object
) -> None:
    first = InstanceServer(tmp_path / "ws")
    assert first.listen()
    try:
        with qtbot.waitSignal(first.raise_requested, timeout=5000):
            assert run_gui(tmp_path / "ws") == 0
    finally:
        first.close()
    assert not (tmp_path / "ws").exists()  # the second start opened nothing
    assert "đang mở" in capsys.readouterr().err  # type: ignore[attr-defined]


def test_another_workspace_is_not_taken_for_the_running_one(tmp_path: Path, qapp: object) -> None:
    first = InstanceServer(tmp_path / "one")
    assert first.listen()
    try:
        assert server_name(tmp_path / "one") != server_name(tmp_path / "two")
        assert not ask_running_to_raise(tmp_path / "two")
    finally:
        first.close()


def test_the_name_is_free_again_once_the_first_app_has_ended(tmp_path: Path, qapp: object) -> None:
    first = InstanceServer(tmp_path / "ws")
    assert first.listen()
    first.close()
    assert not ask_running_to_raise(tmp_path / "ws")
    second = InstanceServer(tmp_path / "ws")
    assert second.listen()
    second.close()


def test_bring_forward_restores_a_minimised_window(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    window.showMinimized()
    qtbot.waitUntil(window.isMinimized)
    bring_forward(window)
    qtbot.waitUntil(lambda: not window.isMinimized())
    assert window.isVisible()
