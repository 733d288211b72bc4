"""Every window and dialog of the app, opened the way the menus open them, one at a time."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from PySide6.QtWidgets import QApplication, QDialog, QWidget

from desktop_app.core.workspace import Workspace
from desktop_app.ui.app import settle
from desktop_app.ui.help import HelpDialog
from desktop_app.ui.i18n import Texts
from desktop_app.ui.main_window import LIST_TAB, MainWindow, default_editor_factory
from desktop_app.ui.report_list import NewReportDialog
from desktop_app.ui.settings import AppSettings, SettingsDialog, apply_font, install_ui_font
from desktop_app.ui.tasks import TaskRunner
from desktop_app.ui.wizard import SetupWizard

Screen = tuple[str, QWidget]


def main_window(workspace: Workspace, runner: TaskRunner, texts: Texts) -> MainWindow:
    family = install_ui_font()
    apply_font(family, 11)
    window = MainWindow(workspace, runner, texts, AppSettings(), family, default_editor_factory)
    window.show()
    settle(runner)
    return window


def tour(window: MainWindow) -> Iterator[Screen]:
    """Shows each screen in turn (closing the one before) and yields it once its data is in."""
    runner = window.runner
    yield "home", window
    window.tabs.setCurrentIndex(LIST_TAB)
    settle(runner)
    yield "list", window
    for report_id in _report_ids(window):
        window.open_report(report_id)
        settle(runner)
        yield f"editor {report_id}", window
        window.close_tab(window.tabs.currentIndex())
        settle(runner)
        yield from _dialog(
            window, f"preview {report_id}", lambda r=report_id: window.print_report(r)
        )
    dialogs: dict[str, Callable[[], None]] = {
        "approve": lambda: window.approve_report(_report_ids(window)[0]),
        "export": window.export_reports,
        "send": window.send_online,
        "import": window.import_bundles,
        "keys": window.show_keys,
        "token": window.show_token_settings,
        "upper": window.show_upper_office,
        "office": window.show_office,
        "blank": lambda: window.documents.blank_form("cntt-quy"),
    }
    for name, show in dialogs.items():
        yield from _dialog(window, name, show)
    new_report = NewReportDialog(window.workspace, runner, window.texts, parent=window)
    yield from _shown(runner, "new report", new_report)
    yield from _shown(runner, "settings", SettingsDialog(window.settings, window.texts, window))
    yield from _shown(runner, "guide", HelpDialog(window.texts, window))


def wizard(folder: Path, runner: TaskRunner, texts: Texts) -> Iterator[Screen]:
    with Workspace(folder, automatic_backup=False) as workspace:
        dialog = SetupWizard(workspace, runner, texts, AppSettings())
        yield from _shown(runner, "wizard", dialog)
        runner.wait()


def _report_ids(window: MainWindow) -> list[str]:
    return [summary.id for summary in window.workspace.reports.summaries()]


def _dialog(window: MainWindow, name: str, show: Callable[[], None]) -> Iterator[Screen]:
    window.job_dialog = None
    show()
    settle(window.runner)
    # The tracking window stands beside the main one; the others are its modal jobs.
    dialog = window.job_dialog or window.upper_window
    assert dialog is not None, f"{name}: no dialog opened"
    yield from _shown(window.runner, name, dialog)


def _shown(runner: TaskRunner, name: str, dialog: QDialog) -> Iterator[Screen]:
    dialog.show()
    settle(runner)
    yield name, dialog
    dialog.close()
    settle(runner)
    QApplication.processEvents()
