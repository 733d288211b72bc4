"""Starting the windows: ``baocao-desktop`` (no console) and ``baocao gui``.

``run_gui`` opens the workspace, builds the demo if asked, runs the setup wizard on a workspace
without an office, then shows the main window. With ``screenshot`` it renders the window in
front (wizard, home, list, an open report, a report's print preview or the upper office's
tracking window) to a PNG once every queued core call has finished,
and returns without entering the event loop, so it works offscreen and inside tests.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from desktop_app.core.catalogue import LANGUAGES, describe, message
from desktop_app.core.errors import CoreError
from desktop_app.core.paths import workspace_dir
from desktop_app.core.workspace import Workspace
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
from desktop_app.ui.single_instance import InstanceServer, ask_running_to_raise
from desktop_app.ui.store_rescue import UNUSABLE_STORE, offer_restore
from desktop_app.ui.tasks import TaskRunner

# Windows opened over the main one by --page, with the MainWindow method that opens each.
DIALOG_PAGES = {
    "upper": "show_upper_office",
    "keys": "show_keys",
    "export": "export_reports",
    "import": "import_bundles",
    "office": "show_office",
}
PAGES = ("home", "list", "preview", *DIALOG_PAGES)
SCREENSHOT_SIZE = (1366, 768)
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
        lang = args.lang or "vi"
        root = workspace_dir(args.workspace)
        if error.code in UNUSABLE_STORE and offer_restore(error, root, lang):
            return main(argv)  # the backup is in place: start again on it
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
    instance = None if screenshot else _claim_workspace(workspace_dir, texts)
    if instance is False:
        return 0
    use_language(texts.lang)
    texts.changed.connect(use_language)
    family = install_ui_font()
    apply_font(family, DEFAULT_FONT_SIZE if screenshot else settings.font_size)
    app.setWindowIcon(icon("app"))
    workspace = Workspace(workspace_dir)
    runner = TaskRunner(lang=texts.lang)
    try:
        if demo:
            from desktop_app.core.demo import build_demo

            build_demo(workspace)
        if not workspace.is_initialised:
            # Loaded only for a new workspace: every later start goes straight to the window.
            from desktop_app.ui.wizard import SetupWizard

            wizard = SetupWizard(workspace, runner, texts, settings)
            if instance:
                instance.raise_requested.connect(lambda: bring_forward(wizard))
            if screenshot:
                return _screenshot(wizard, runner, screenshot)
            if wizard.exec() != SetupWizard.DialogCode.Accepted:
                return 0
        window = MainWindow(workspace, runner, texts, settings, family)
        if instance:
            instance.raise_requested.connect(lambda: bring_forward(window))
            instance.raise_requested.connect(
                lambda: window.statusBar().showMessage(texts("screens.opened_again"), 10_000)
            )
        return _show(app, window, screenshot, open_report, page)
    finally:
        runner.wait()
        workspace.close()
        if instance:
            instance.close()


def _claim_workspace(folder: Path, texts: Texts) -> InstanceServer | Literal[False]:
    """Listen as the one app on ``folder``; False when one already runs there (it was asked
    to come forward, and the clerk is told on the console when there is one)."""
    if ask_running_to_raise(folder):
        if sys.stderr is not None:  # none when started without a console
            print(texts("screens.already_running"), file=sys.stderr)
        return False
    instance = InstanceServer(folder)
    instance.listen()
    return instance


def bring_forward(window: QWidget) -> None:
    """The window of this workspace, in front of the clerk (a dialog open over it comes too)."""
    front = QApplication.activeModalWidget() or window
    for widget in (window, front):
        if widget.isMinimized():
            widget.showNormal()
        widget.raise_()
        widget.activateWindow()
    QApplication.alert(window)


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
    if page in DIALOG_PAGES:
        getattr(window, DIALOG_PAGES[page])()
    elif page == "preview" and open_report:
        window.print_report(open_report)
    elif open_report:
        window.open_report(open_report)
    if screenshot:
        settle(window.runner)
        front: QWidget | None = None
        if page == "upper":
            front = window.upper_window  # beside the main window, not one of its jobs
        elif page == "preview" or page in DIALOG_PAGES:
            front = window.job_dialog
        code = _screenshot(front or window, window.runner, screenshot)
        window.close()
        return code
    return app.exec()


def _application(screenshot: Path | None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    if screenshot and sys.platform.startswith("linux") and not _has_display():
        os.environ.setdefault("QT_QPA_PLATFORM", f"offscreen:configfile={_laptop_screen()}")
    return QApplication(sys.argv[:1])


def _laptop_screen() -> Path:
    """An offscreen screen of 1366×768, the smallest the offices use: windows are sized for
    their screen, and Qt's offscreen default is 800×600."""
    width, height = SCREENSHOT_SIZE
    screen = {"name": "laptop", "x": 0, "y": 0, "width": width, "height": height}
    config = Path(tempfile.gettempdir()) / f"baocao-screen-{width}x{height}.json"
    config.write_text(json.dumps({"screens": [{**screen, "logicalDpi": 96, "dpr": 1}]}))
    return config


def _has_display() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _screenshot(widget: QWidget, runner: TaskRunner, path: Path) -> int:
    """Render ``widget`` once everything it asked of the core has come back."""
    if not widget.isVisible():
        widget.show()  # at the size it asked for (the wizard's fits the screen)
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
