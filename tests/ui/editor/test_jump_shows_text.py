"""Choosing an issue in the check panel shows the place to fix: a section's text box in view."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.ui.editor.conftest import OpenEditor


def test_jumping_to_a_missing_text_shows_its_box(
    qtbot: QtBot, open_editor: OpenEditor, report_id: str
) -> None:
    """Even when the clerk was down at the section's last table (the editor's share of a
    1366×768 screen)."""
    editor = open_editor(report_id)
    editor.resize(1366, 560)
    fields = [field for _code, field in editor.panel.codes()]
    section_id = next(f for f in fields if f in editor.pages and editor.pages[f].views)
    page = editor.pages[section_id]
    assert page.narrative is not None
    editor.show_section(section_id, list(page.views)[-1])
    qtbot.waitUntil(lambda: page.verticalScrollBar().value() > 0)
    editor.panel.list.setCurrentRow(fields.index(section_id))
    qtbot.keyClick(editor.panel.list, Qt.Key.Key_Return)  # "activated"
    assert editor.page_stack.currentWidget() is page
    qtbot.waitUntil(page.narrative.hasFocus)
    visible = page.narrative.visibleRegion().boundingRect()
    assert visible.height() >= 60, f"only {visible.height()} pixels of the text box show"
