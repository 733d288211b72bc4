"""Run in a fresh interpreter on a 1366×768 screen: opens every screen, prints their sizes.

``python -m tests.ui.screens.fit_probe FOLDER`` builds the demo workspace in FOLDER and prints
one JSON object: screen name -> [width, height, minimum width, minimum height, screen width,
screen height]. A separate process, because the test session's Qt already has its screen.
"""

from __future__ import annotations

import json
import sys
from itertools import chain
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from desktop_app.core.demo import build_demo
from desktop_app.core.workspace import Workspace
from desktop_app.ui.i18n import Texts
from desktop_app.ui.tasks import TaskRunner
from tests.ui.screens.tour import main_window, tour, wizard


def main(folder: Path) -> None:
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder / "ini"))
    app = QApplication([])
    screen = app.primaryScreen().availableGeometry()
    sizes: dict[str, list[int]] = {}
    runner = TaskRunner()
    with Workspace(folder / "demo", automatic_backup=False) as workspace:
        build_demo(workspace)
        window = main_window(workspace, runner, Texts("vi"))
        screens = chain(tour(window), wizard(folder / "new", runner, Texts("vi")))
        for name, widget in screens:  # measured while shown: a closed dialog is deleted
            hint = widget.minimumSizeHint().expandedTo(widget.minimumSize())
            found = [widget.width(), widget.height(), hint.width(), hint.height()]
            kind = name.split(" ")[0]  # the largest of the editors, of the previews
            before = sizes.get(kind, [0, 0, 0, 0])
            sizes[kind] = [max(a, b) for a, b in zip(found, before, strict=False)]
            sizes[kind] += [screen.width(), screen.height()]
        window.close()
        runner.wait()
    print(json.dumps(sizes))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
