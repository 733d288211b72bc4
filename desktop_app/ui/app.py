"""Starting the windows: ``baocao-desktop`` (no console) and ``baocao gui``.

``run_gui`` opens the workspace, builds the demo if asked, runs the setup wizard on a workspace
without an office, then shows the main window. With ``screenshot`` it renders the window in
front (wizard, home, list or an open report) to a PNG once every queued core call has finished,
and returns without entering the event loop, so it works offscreen and inside tests.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from desktop_app.core.catalogue import LANGUAGES, describe, message
from desktop_app.core.errors import CoreError
from desktop_app.core.paths import workspace_dir
from desktop_app.core.workspace import StoreUnusable, Workspace
from desktop_app.ui.i18n import Texts
from desktop_app.ui.main_window import LIST_TAB, MainWindow
from desktop_app.ui.qt_words import use_language
from desktop_app.ui.settings import (
    DEFAULT_FONT_SIZE,
    AppSettings,
    apply_font,
    icon,
    install_ui_font,
)
from desktop_app.ui.tasks import TaskRunner

PAGES = ("home", "list")
SCREENSHOT_SIZE = (1280, 800)
SETTLE_TIMEOUT_MS = 60_000
SETTLE_ROUNDS = 3


def main(argv: Sequence[str] | None = None) -> int:
    """The ``baocao-desktop`` launcher."""
    parser = argparse.ArgumentParser(prog="baocao-desktop")
    parser.add_argument("--workspace", metavar="DIR")
    parser.add_argument("--demo", action="store_true")
    parser.add_argument("--screenshot", type=Path, metavar="FILE")
    parser.add_argument("--open", dest="open_report", metavar="REPORT_ID")
    parser.add_argument("--page", choices=PAGES, default="home")
    parser.add_argument("--lang", choices=LANGUAGES)
    args = parser.parse_args(argv)
    try:
        return run_gui(
            workspace_dir(args.workspace),
            args.demo,
            args.screenshot,
            args.open_report,
            args.lang,
            page=args.page,
        )
    except CoreError as error:  # no console to print to: say it in a box
        _application(None)
        QMessageBox.critical(
            None,
            message("shell.app_name", args.lang or "vi"),
            describe(error, args.lang or "vi"),
        )
        return 2


def run_gui(
    workspace_dir: Path,
    demo: bool = False,
    screenshot: Path | None = None,
    open_report: str | None = None,
    lang: str | None = None,
    *,
    page: str = "home",
) -> int:
    """Show the app on ``workspace_dir``; returns the exit code."""
    app = _application(screenshot)
    settings = AppSettings()
    texts = Texts(lang or settings.language)
    use_language(texts.lang)
    texts.changed.connect(use_language)
    family = install_ui_font()
    apply_font(family, DEFAULT_FONT_SIZE if screenshot else settings.font_size)
    app.setWindowIcon(icon("app"))
    workspace = _open_or_recover(workspace_dir, texts)
    runner = TaskRunner(lang=texts.lang)
    try:
        if demo:
            from desktop_app.core.demo import build_demo

            build_demo(workspace)
        if not workspace.is_initialised:
            # Loaded only for a new workspace: every later start goes straight to the window.
            from desktop_app.ui.wizard import SetupWizard

            wizard = SetupWizard(workspace, runner, texts, settings)
            if screenshot:
                return _screenshot(wizard, runner, screenshot)
            if wizard.exec() != SetupWizard.DialogCode.Accepted:
                return 0
        window = MainWindow(workspace, runner, texts, settings, family)
        return _show(app, window, screenshot, open_report, page)
    finally:
        runner.wait()
        workspace.close()


def _open_or_recover(workspace_dir: Path, texts: Texts) -> Workspace:
    """The workspace; if its store is damaged, empty or foreign, offer to restore the newest
    good backup (the store is moved aside, never deleted) and open again."""
    try:
        return Workspace(workspace_dir)
    except StoreUnusable as error:
        backup = str(error.params.get("backup") or "")
        if not backup:
            raise
        question = f"{describe(error, texts.lang)}\n\n{texts('shell.restore_unusable_question')}"
        answer = QMessageBox.question(None, texts("shell.app_name"), question)
        if answer != QMessageBox.StandardButton.Yes:
            raise
        Workspace.restore_unusable(workspace_dir, Path(backup))
        return Workspace(workspace_dir)


def _show(
    app: QApplication,
    window: MainWindow,
    screenshot: Path | None,
    open_report: str | None,
    page: str,
) -> int:
    if screenshot:
        window.resize(*SCREENSHOT_SIZE)
    window.show()
    window.show_start_checks()
    if page == "list":
        window.tabs.setCurrentIndex(LIST_TAB)
    if open_report:
        window.open_report(open_report)
    if screenshot:
        code = _screenshot(window, window.runner, screenshot)
        window.close()
        return code
    return app.exec()


def _application(screenshot: Path | None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    if screenshot and sys.platform.startswith("linux") and not _has_display():
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    return QApplication(sys.argv[:1])


def _has_display() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _screenshot(widget: QWidget, runner: TaskRunner, path: Path) -> int:
    """Render ``widget`` once everything it asked of the core has come back."""
    if not widget.isVisible():
        widget.resize(*SCREENSHOT_SIZE)
        widget.show()
    settle(runner)
    path.parent.mkdir(parents=True, exist_ok=True)
    return 0 if widget.grab().save(str(path), "PNG") else 1


def settle(runner: TaskRunner, timeout_ms: int = SETTLE_TIMEOUT_MS) -> None:
    """Run the event loop until the runner is idle for a few rounds (no sleeping): results are
    shown, layouts done, and any work those results queued has finished too."""
    loop = QEventLoop()
    timeout = QTimer()
    timeout.setSingleShot(True)
    timeout.timeout.connect(loop.quit)
    timeout.start(timeout_ms)
    quiet_rounds = 0

    def check() -> None:
        nonlocal quiet_rounds
        quiet_rounds = 0 if runner.busy else quiet_rounds + 1
        if quiet_rounds >= SETTLE_ROUNDS or not timeout.isActive():
            loop.quit()
        elif not runner.busy:
            QTimer.singleShot(0, check)

    def busy_changed(busy: bool) -> None:
        if not busy:
            QTimer.singleShot(0, check)

    runner.busy_changed.connect(busy_changed)
    QTimer.singleShot(0, check)
    loop.exec()
    runner.busy_changed.disconnect(busy_changed)
    timeout.stop()
