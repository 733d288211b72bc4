"""An editor, offscreen, that saves a new figure and text in a loop and prints each figure the
store confirmed. ``test_crash.py`` runs it as a child process and kills it mid-edit.

Usage: python -m tests.ui.editor.editing_child WORKSPACE_FOLDER REPORT_ID
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from desktop_app.core.workspace import Workspace
from desktop_app.ui.editor import ReportEditor
from desktop_app.ui.tasks import TaskRunner

FIGURE = "tong_may_tinh"
SECTION = "kq_ha_tang"


def narrative_for(figure: int) -> str:
    return f"Lần lưu thứ {figure}: toàn phường có {figure} máy tính."


def main(folder: str, report_id: str) -> int:
    app = QApplication([])
    workspace = Workspace.open(Path(folder), automatic_backup=False)
    runner = TaskRunner()
    editor = ReportEditor(workspace, runner, report_id)
    loop = QEventLoop()
    editor.loaded.connect(loop.quit)
    editor.saved.connect(loop.quit)
    editor.autosaver.failed.connect(lambda _sentence: app.exit(2))
    loop.exec()
    page = editor.pages[SECTION]
    model = page.models["ha_tang"]
    index = model.index(model.row_of(FIGURE), 3)
    figure = 0
    while True:
        figure += 1
        assert page.narrative is not None
        page.narrative.setPlainText(narrative_for(figure))
        model.setData(index, str(figure))  # saves the figure and the pending text together
        while editor.has_unsaved_changes:
            QTimer.singleShot(5_000, loop.quit)  # never hang on a lost signal
            loop.exec()
        print(figure, flush=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
