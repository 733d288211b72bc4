"""Ctrl+= enlarges the report being written, not only the menus: its text, the guidance, the
headings, the tables and the check panel; Ctrl+0 brings them back."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.core.workspace import Workspace
from desktop_app.ui.editor import ReportEditor
from desktop_app.ui.i18n import Texts
from desktop_app.ui.main_window import default_editor_factory
from desktop_app.ui.settings import AppSettings
from desktop_app.ui.tasks import TaskRunner
from tests.ui.conftest import open_window


def _sizes(editor: ReportEditor) -> dict[str, float]:
    page = editor.show_section("kq_ha_tang")
    assert page.narrative is not None
    guidance = page.findChild(QWidget, "guidance")
    assert guidance is not None
    parts: dict[str, QWidget] = {
        "text": page.narrative,
        "guidance": guidance.findChildren(QLabel)[-1],
        "heading": page.findChildren(QLabel)[0],
        "table": next(iter(page.views.values())),
        "checks": editor.panel.list,
        "title": editor.title,
    }
    return {name: widget.fontInfo().pointSizeF() for name, widget in parts.items()}


def test_ctrl_plus_enlarges_the_report_being_written(
    qtbot: QtBot, workspace: Workspace, runner: TaskRunner, report_id: str
) -> None:
    window = open_window(
        qtbot, workspace, runner, Texts("vi"), AppSettings(), default_editor_factory
    )
    window.open_report(report_id)
    editor = window.editors[report_id]
    assert isinstance(editor, ReportEditor)
    qtbot.waitSignal(editor.loaded, timeout=10_000).wait()
    before = _sizes(editor)
    for _ in range(3):
        qtbot.keyClick(window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)

    def all_larger() -> None:  # Qt hands the new font to the widgets through its event queue
        larger = _sizes(editor)
        assert all(larger[part] >= before[part] + 2.5 for part in before), (before, larger)

    qtbot.waitUntil(all_larger)
    qtbot.keyClick(window, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: _sizes(editor) == before)
