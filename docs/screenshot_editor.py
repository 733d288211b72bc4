"""The report window's grids and task list, from the demo: python docs/screenshot_editor.py WS OUT.

Opens the demo's third quarter of NQ 57 (built in WS if it is not there) at 1366×768 and saves
gui-editor-grid.png (Biểu 01 under its section), gui-editor-list.png (the annex of tasks) and
gui-editor-kpi.png (Biểu 02) in OUT. Runs offscreen; docs/screenshots.sh calls it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication, QWidget

from desktop_app.core.demo import NQ57, build_demo
from desktop_app.core.workspace import Workspace
from desktop_app.ui.app import settle
from desktop_app.ui.editor import ReportEditor
from desktop_app.ui.settings import DEFAULT_FONT_SIZE, apply_font, install_ui_font
from desktop_app.ui.tasks import TaskRunner


def shoot(
    editor: ReportEditor, runner: TaskRunner, section: str, shown: QWidget, path: Path
) -> None:
    page = editor.show_section(section)
    settle(runner)
    top = shown.mapTo(page.widget(), QPoint(0, 0)).y()
    page.verticalScrollBar().setValue(top - 40)  # the table's title above it
    settle(runner)
    editor.grab().save(str(path), "PNG")


def main(workspace_dir: Path, out: Path) -> None:
    app = QApplication.instance() or QApplication([])
    apply_font(install_ui_font(), DEFAULT_FONT_SIZE)
    with Workspace(workspace_dir, automatic_backup=False) as workspace:
        build_demo(workspace)
        report_id = workspace.reports.summaries(template_id=NQ57, period="2026Q3")[0].id
        runner = TaskRunner()
        editor = ReportEditor(workspace, runner, report_id)
        editor.resize(1366, 768)
        editor.show()
        settle(runner)
        tasks_page = editor.pages["thong_ke_nhiem_vu"]
        shoot(
            editor,
            runner,
            "thong_ke_nhiem_vu",
            tasks_page.grids["bieu_tinh_trang"],
            out / "gui-editor-grid.png",
        )
        shoot(
            editor,
            runner,
            "thong_ke_nhiem_vu",
            tasks_page.lists["nhiem_vu"],
            out / "gui-editor-list.png",
        )
        kpi = editor.pages["ket_qua_theo_nhom"].grids["bieu_kpi"]
        shoot(editor, runner, "ket_qua_theo_nhom", kpi, out / "gui-editor-kpi.png")
        editor.close()
        runner.wait()
    del app


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
