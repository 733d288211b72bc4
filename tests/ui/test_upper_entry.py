"""The upper office reaches its tracking and consolidation window from the menu and Ctrl+3."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app.core.model.offices import Office
from desktop_app.core.workspace import Workspace
from desktop_app.ui.i18n import Texts
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.settings import AppSettings
from desktop_app.ui.tasks import TaskRunner
from desktop_app.ui.upper.window import UpperOfficeWindow
from tests.ui.conftest import open_window
from tests.ui.test_main_window import press


def upper_entry(window: MainWindow) -> str:
    """The Exchange menu's entry for the tracking window, as the clerk reads it."""
    action = window.actions_by_name["upper"]
    assert action in window.menus["exchange"].actions()
    return action.text().replace("&", "")


def test_ctrl_3_opens_the_tracking_window_where_there_are_units(
    window: MainWindow, qtbot: QtBot
) -> None:
    action = window.actions_by_name["upper"]
    qtbot.waitUntil(action.isEnabled)
    assert upper_entry(window).startswith("Theo dõi và tổng hợp")
    press(window, qtbot, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    tracking = window.upper_window
    assert isinstance(tracking, UpperOfficeWindow) and tracking.isVisible()
    assert not tracking.isModal()  # the consolidated report opens in a tab the clerk can reach
    qtbot.waitUntil(lambda: tracking.status_table.rowCount() > 0, timeout=10000)
    tracking.close()
    qtbot.waitUntil(lambda: window.upper_window is None)


def test_an_office_without_units_has_the_entry_greyed(
    qtbot: QtBot, tmp_path: Path, texts: Texts, settings: AppSettings, qapp: object
) -> None:
    office = Office(code="DU-14797", name="Đảng ủy xã Hòa Bình", level="commune")
    with Workspace(tmp_path / "xa", automatic_backup=False) as workspace:
        workspace.initialise(office)
        runner = TaskRunner()
        window = open_window(qtbot, workspace, runner, texts, settings)
        qtbot.waitUntil(lambda: not window.actions_by_name["upper"].isEnabled())
        assert upper_entry(window).startswith("Theo dõi và tổng hợp")
        window.close()
        runner.wait()
