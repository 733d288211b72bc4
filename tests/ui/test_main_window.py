"""The main window: keyboard, text size, language, remembered geometry, saved time, data safety."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from desktop_app.core.reports.templates import bundled_template_files, load_template_file
from desktop_app.core.workspace import Workspace
from desktop_app.ui.help import HelpDialog
from desktop_app.ui.i18n import Texts
from desktop_app.ui.main_window import HOME_TAB, LIST_TAB, MainWindow
from desktop_app.ui.settings import DEFAULT_FONT_SIZE, AppSettings
from desktop_app.ui.tasks import TaskRunner
from tests.conftest import DISTRICT
from tests.ui.conftest import StandInEditor, open_window


def press(window: MainWindow, qtbot: QtBot, key: Qt.Key, modifiers: Qt.KeyboardModifier) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    target = QApplication.focusWidget() or window
    qtbot.keyClick(target, key, modifiers)


def test_ctrl_f_goes_to_the_list_search_box(window: MainWindow, qtbot: QtBot) -> None:
    press(window, qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentIndex() == LIST_TAB
    assert window.list_page.search.hasFocus()


def test_ctrl_n_opens_the_new_report_dialog(window: MainWindow, qtbot: QtBot) -> None:
    press(window, qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = window.new_report_dialog
    assert dialog.isVisible()
    current = [p for p in bundled_template_files() if not load_template_file(p).is_history]
    qtbot.waitUntil(lambda: dialog.template_box.count() == len(current))
    dialog.reject()


def test_f1_opens_the_vietnamese_user_guide(window: MainWindow, qtbot: QtBot) -> None:
    press(window, qtbot, Qt.Key.Key_F1, Qt.KeyboardModifier.NoModifier)
    dialog = window.help_dialog
    assert isinstance(dialog, HelpDialog) and dialog.isVisible()
    text = dialog.browser.toPlainText()
    assert "Hướng dẫn sử dụng" in text and "Việc cần làm" in text
    dialog.close()


def test_zoom_keys_change_the_text_size_everywhere_and_are_remembered(
    window: MainWindow, qtbot: QtBot, settings: AppSettings
) -> None:
    assert QApplication.font().pointSize() == DEFAULT_FONT_SIZE
    heading_before = window.home.heading.font().pointSizeF()
    press(window, qtbot, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    press(window, qtbot, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.font().pointSize() == DEFAULT_FONT_SIZE + 2
    assert window.home.heading.font().pointSizeF() > heading_before
    assert AppSettings().font_size == DEFAULT_FONT_SIZE + 2
    press(window, qtbot, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.font().pointSize() == DEFAULT_FONT_SIZE + 1
    window.zoom(0)
    assert QApplication.font().pointSize() == DEFAULT_FONT_SIZE


def test_switching_to_english_relabels_the_open_window(window: MainWindow, qtbot: QtBot) -> None:
    window.set_language("en")
    assert window.tabs.tabText(HOME_TAB) == "To do"
    assert window.home.heading.text() == "To do"
    assert window.home.sections["drafts"].title.text() == "Drafts in progress (2)"
    assert window.list_page.model.headerData(0, Qt.Orientation.Horizontal) == "Template"
    assert window.runner.lang == "en"
    assert window.texts.days_left(-2658) == "2,658 days overdue"
    assert AppSettings().language == "en"
    window.set_language("vi")
    assert window.tabs.tabText(HOME_TAB) == "Việc cần làm"


def test_window_geometry_is_remembered(
    qtbot: QtBot,
    demo_workspace: Workspace,
    runner: TaskRunner,
    texts: Texts,
    settings: AppSettings,
) -> None:
    first = open_window(qtbot, demo_workspace, runner, texts, settings)
    first.setGeometry(QRect(30, 40, 700, 500))  # the offscreen screen is 800 × 600
    first.close()
    assert settings.geometry is not None
    second = open_window(qtbot, demo_workspace, runner, texts, AppSettings())
    assert (second.width(), second.height()) == (700, 500)


def test_saved_signal_shows_the_time_in_the_status_bar(window: MainWindow, qtbot: QtBot) -> None:
    report_id = window.workspace.reports.summaries()[0].id
    window.open_report(report_id)
    editor = window.editors[report_id]
    assert isinstance(editor, StandInEditor)
    editor.setFocus()
    press(window, qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert editor.saves == 1  # Ctrl+S reached the editor once (no ambiguous shortcut)
    assert window.saved_label.text() == "Đã lưu lúc 10:15:02"
    editor.saved.emit("2026-11-24T09:05:07+07:00")
    assert window.saved_label.text() == "Đã lưu lúc 09:05:07"


def test_edit_menu_routes_to_the_editor_in_front(window: MainWindow, qtbot: QtBot) -> None:
    save = window.editor_proxies["save"]
    assert not save.isEnabled()
    report_id = window.workspace.reports.summaries()[0].id
    window.open_report(report_id)
    assert save.isEnabled() and save.shortcuts() == []  # the editor owns Ctrl+S itself
    assert save.text().endswith("\tCtrl+S")
    save.trigger()
    assert window.editors[report_id].saves == 1  # type: ignore[attr-defined]
    assert window.editor_proxies["print"].isEnabled()  # the shell prints the open report
    window.tabs.setCurrentIndex(HOME_TAB)
    assert not save.isEnabled() and not window.editor_proxies["print"].isEnabled()


def test_closing_an_editor_tab_asks_the_editor(window: MainWindow, qtbot: QtBot) -> None:
    report_id = window.workspace.reports.summaries()[0].id
    window.open_report(report_id)
    with qtbot.waitSignal(window.editors[report_id].closed):  # type: ignore[attr-defined]
        window.tabs.tabCloseRequested.emit(window.tabs.currentIndex())
    assert report_id not in window.editors and window.tabs.count() == 2


def leave_a_dead_session(folder: Path) -> None:
    """What a power cut leaves: a session marker nobody holds a lock on."""
    (folder / "sessions").mkdir(parents=True, exist_ok=True)
    (folder / "sessions" / "4242-1.lock").write_bytes(b"")


def test_after_a_crash_the_window_says_the_data_was_checked(
    qtbot: QtBot, tmp_path: Path, texts: Texts, settings: AppSettings
) -> None:
    folder = tmp_path / "crashed"
    with Workspace(folder, automatic_backup=False) as workspace:
        workspace.initialise(DISTRICT)
    leave_a_dead_session(folder)
    with Workspace(folder, automatic_backup=False) as workspace:
        assert workspace.recovered_from_crash and workspace.integrity_ok
        runner = TaskRunner()
        window = open_window(qtbot, workspace, runner, texts, settings)
        window.show_start_checks()
        assert window.info_bar.isVisible()
        assert "nguyên vẹn" in window.info_bar.text.text()
        assert not window.info_bar.action.isVisible()
        window.close()
        runner.wait()


def test_damaged_store_offers_the_newest_backup(
    qtbot: QtBot,
    demo_workspace: Workspace,
    runner: TaskRunner,
    texts: Texts,
    settings: AppSettings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    demo_workspace.backups_dir.mkdir(parents=True, exist_ok=True)
    demo_workspace.backup(demo_workspace.backups_dir / "baocao-20261101-080000.db")
    demo_workspace.reports.new("cntt-quy", "2025Q1")  # made after the backup
    assert len(demo_workspace.reports.summaries()) == 6
    demo_workspace.integrity_ok = False  # what the start-up check reports for a damaged file
    monkeypatch.setattr(QMessageBox, "question", lambda *_args: QMessageBox.StandardButton.Yes)
    window = open_window(qtbot, demo_workspace, runner, texts, settings)
    window.show_start_checks()
    assert window.info_bar.action.isVisible()
    with qtbot.waitSignal(window.home.loaded, timeout=10000):
        window.info_bar.action.click()
    assert len(demo_workspace.reports.summaries()) == 5
    assert "Đã khôi phục" in window.info_bar.text.text()
