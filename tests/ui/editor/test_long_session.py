"""A clerk types for hours: thousands of edits must not wear anything out."""

from __future__ import annotations

import sys

from pytestqt.qtbot import QtBot

from tests.ui.editor.conftest import OpenEditor, type_into

EDITS = 60


def test_edits_do_not_use_up_references_to_none(
    qtbot: QtBot, open_editor: OpenEditor, report_id: str
) -> None:
    """On Python 3.11 None is reference counted; a binding that drops a reference on each Qt
    call (PySide6 6.12.0 does, for every method returning void) makes Python abort with
    "deallocating None" after a few thousand edits, losing the edit in flight."""
    editor = open_editor(report_id)
    with qtbot.waitSignal(editor.saved):
        type_into(editor, "tong_may_tinh", "1")
    before = sys.getrefcount(None)
    for figure in range(2, EDITS + 2):
        with qtbot.waitSignal(editor.saved):
            type_into(editor, "tong_may_tinh", str(figure))
    lost = before - sys.getrefcount(None)
    assert lost < EDITS, f"{lost} references to None lost in {EDITS} edits"
