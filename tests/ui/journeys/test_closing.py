"""Closing right after typing: the window and the tab close once the text is saved, at the
first request (Ctrl+Q, the tab's ✕), and the text is in the store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QTabBar
from pytestqt.qtbot import QtBot

from desktop_app.core.demo import DEMO_OFFICE
from desktop_app.core.workspace import Workspace
from desktop_app.ui.editor import ReportEditor
from desktop_app.ui.i18n import Texts
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.settings import AppSettings
from desktop_app.ui.tasks import TaskRunner
from tests.ui.journeys.driver import TIMEOUT_MS, Driver
from tests.ui.journeys.steps import new_report, open_main_window

TEXT = "Đảng ủy phường đã triển khai kế hoạch chuyển đổi số."


@pytest.fixture
def office(tmp_path: Path) -> Iterator[Workspace]:
    with Workspace(tmp_path / "ward", automatic_backup=False) as workspace:
        workspace.initialise(DEMO_OFFICE)
        yield workspace


@pytest.fixture
def window(
    driver: Driver, office: Workspace, texts: Texts, settings: AppSettings, qapp: object
) -> Iterator[MainWindow]:
    runner = TaskRunner()
    yield open_main_window(driver, office, runner, texts, settings)
    runner.wait()


def type_a_narrative(driver: Driver, window: MainWindow) -> ReportEditor:
    editor = new_report(driver, window)
    narrative = editor.pages["chi_dao_dieu_hanh"].narrative
    assert narrative is not None
    driver.click(narrative)
    driver.type(TEXT)
    assert editor.has_unsaved_changes  # text waits for a pause in typing before it is saved
    return editor


def stored_text(office: Workspace, report_id: str) -> str:
    with Workspace.open(office.root, automatic_backup=False) as other:
        return other.reports.content(report_id).narratives.get("chi_dao_dieu_hanh", "")


def test_ctrl_q_right_after_typing_saves_and_closes_the_window(
    driver: Driver, qtbot: QtBot, window: MainWindow, office: Workspace
) -> None:
    editor = type_a_narrative(driver, window)
    driver.keys("Ctrl+Q")
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=TIMEOUT_MS)
    assert stored_text(office, editor.report_id) == TEXT


def test_the_tab_closes_at_the_first_click_right_after_typing(
    driver: Driver, qtbot: QtBot, window: MainWindow, office: Workspace
) -> None:
    editor = type_a_narrative(driver, window)
    report_id = editor.report_id
    bar = window.tabs.tabBar()
    close = bar.tabButton(window.tabs.indexOf(editor), QTabBar.ButtonPosition.RightSide)
    assert close is not None
    driver.click(close)
    qtbot.waitUntil(lambda: report_id not in window.editors, timeout=TIMEOUT_MS)
    assert window.tabs.count() == 2 and window.isVisible()
    assert stored_text(office, report_id) == TEXT


def test_closing_the_window_after_typing_closes_it_once_saved(
    driver: Driver, qtbot: QtBot, window: MainWindow, office: Workspace
) -> None:
    editor = type_a_narrative(driver, window)
    window.close()  # the window's ✕
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=TIMEOUT_MS)
    assert stored_text(office, editor.report_id) == TEXT
