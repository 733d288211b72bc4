"""Window tests: offscreen Qt, a real workspace in tmp_path, preferences in tmp_path too."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before Qt is imported anywhere

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.core.demo import build_demo
from desktop_app.core.workspace import Workspace
from desktop_app.ui.i18n import Texts
from desktop_app.ui.main_window import EditorFactory, MainWindow
from desktop_app.ui.settings import AppSettings, apply_font, install_ui_font
from desktop_app.ui.tasks import TaskRunner
from tests.core.upper.helpers import CHEAP


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path: Path) -> None:
    """Preferences go to an INI file under tmp_path, never the user's profile."""
    folder = tmp_path / "settings"
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))


@pytest.fixture
def settings() -> AppSettings:
    return AppSettings()


@pytest.fixture
def texts() -> Texts:
    return Texts("vi")


@pytest.fixture
def demo_workspace(tmp_path: Path) -> Iterator[Workspace]:
    """The demo as `baocao gui --demo` builds it; its key is sealed cheaply, the passphrase is the
    demo's (DEMO_PASSPHRASE)."""
    with Workspace(tmp_path / "demo", automatic_backup=False, kdf_cost=CHEAP) as workspace:
        build_demo(workspace)
        yield workspace


@pytest.fixture
def runner(qapp: object, demo_workspace: Workspace) -> Iterator[TaskRunner]:
    """Finishes its queue before the workspace closes (fixtures tear down in reverse)."""
    task_runner = TaskRunner()
    yield task_runner
    task_runner.wait()


class StandInEditor(QWidget):
    """The editor's interface (saved/closed, save_now answering Ctrl+S itself), for testing
    the shell without the real editor."""

    saved = Signal(str)
    closed = Signal()

    def __init__(
        self, workspace: Workspace, runner: TaskRunner, report_id: str, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.report_id = report_id
        self.saves = 0
        QVBoxLayout(self).addWidget(QLabel(report_id))
        self.shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, self.save_now)
        self.shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def save_now(self) -> None:
        self.saves += 1
        self.saved.emit("10:15:02")

    def request_close(self) -> None:
        self.closed.emit()


def open_window(
    qtbot: QtBot,
    workspace: Workspace,
    runner: TaskRunner,
    texts: Texts,
    settings: AppSettings,
    editor_factory: EditorFactory = StandInEditor,
) -> MainWindow:
    family = install_ui_font()
    apply_font(family, settings.font_size)  # as run_gui does; tests may have zoomed before
    window = MainWindow(workspace, runner, texts, settings, family, editor_factory)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.home.loaded):
        window.show()
    return window


@pytest.fixture
def window(
    qtbot: QtBot,
    demo_workspace: Workspace,
    runner: TaskRunner,
    texts: Texts,
    settings: AppSettings,
) -> MainWindow:
    return open_window(qtbot, demo_workspace, runner, texts, settings)
