"""Undo/redo reaching the store, narrative text, copying from the previous period."""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app.core.reports.records import ContentChanges
from desktop_app.core.workspace import Workspace
from desktop_app.ui.editor import ReportEditor
from tests.ui.editor.conftest import OpenEditor, shown, stored_values, type_into

NARRATIVE_NFC = "Đảng ủy phường ban hành Kế hoạch số 15-KH/ĐU về ứng dụng công nghệ thông tin."


def stored_narratives(workspace: Workspace, report_id: str) -> dict[str, str]:
    with Workspace.open(workspace.root, automatic_backup=False) as other:
        return dict(other.reports.content(report_id).narratives)


def flush_typing(qtbot: QtBot, editor: ReportEditor) -> None:
    """What one second without typing does: save the narrative now."""
    assert editor.autosaver.idle_timer.isActive(), "typing waits for a pause before saving"
    with qtbot.waitSignal(editor.saved):
        editor.autosaver.idle_timer.timeout.emit()


def test_undo_and_redo_restore_the_stored_value(
    qtbot: QtBot, open_editor: OpenEditor, workspace: Workspace, report_id: str
) -> None:
    editor = open_editor(report_id)
    with qtbot.waitSignal(editor.saved):
        type_into(editor, "tong_may_tinh", "10")
    with qtbot.waitSignal(editor.saved):
        type_into(editor, "tong_may_tinh", "20")

    with qtbot.waitSignal(editor.saved):
        editor.undo_action.trigger()
    assert shown(editor, "tong_may_tinh") == "10"
    assert stored_values(workspace, report_id)["tong_may_tinh"] == "10"

    with qtbot.waitSignal(editor.saved):
        editor.redo_action.trigger()
    assert stored_values(workspace, report_id)["tong_may_tinh"] == "20"
    assert editor.undo_action.text().startswith("Hoàn tác")


def test_undo_of_the_first_value_clears_it_in_the_store(
    qtbot: QtBot, open_editor: OpenEditor, workspace: Workspace, report_id: str
) -> None:
    editor = open_editor(report_id)
    with qtbot.waitSignal(editor.saved):
        type_into(editor, "tong_can_bo", "58")
    with qtbot.waitSignal(editor.saved):
        editor.undo_stack.undo()
    assert "tong_can_bo" not in stored_values(workspace, report_id)


def test_narrative_typed_in_nfd_is_stored_in_nfc(
    qtbot: QtBot, open_editor: OpenEditor, workspace: Workspace, report_id: str
) -> None:
    editor = open_editor(report_id)
    page = editor.show_section("chi_dao_dieu_hanh")
    assert page.narrative is not None
    decomposed = unicodedata.normalize("NFD", NARRATIVE_NFC)
    assert decomposed != NARRATIVE_NFC

    page.narrative.setPlainText(decomposed)
    flush_typing(qtbot, editor)

    assert stored_narratives(workspace, report_id)["chi_dao_dieu_hanh"] == NARRATIVE_NFC
    assert ("narrative.required", "chi_dao_dieu_hanh") not in editor.panel.codes()


def test_a_burst_of_typing_is_one_undo_step(
    qtbot: QtBot, open_editor: OpenEditor, workspace: Workspace, report_id: str
) -> None:
    editor = open_editor(report_id)
    page = editor.show_section("ket_qua_noi_bat")
    assert page.narrative is not None
    qtbot.keyClicks(page.narrative, "Ky so")  # QTest types ASCII only; one command per key
    flush_typing(qtbot, editor)  # the pause ends the burst
    qtbot.keyClicks(page.narrative, " dat 96%")
    flush_typing(qtbot, editor)
    assert editor.undo_stack.count() == 2
    assert stored_narratives(workspace, report_id)["ket_qua_noi_bat"] == "Ky so dat 96%"

    with qtbot.waitSignal(editor.saved):
        editor.undo_action.trigger()
        editor.save_now()
    assert page.narrative.toPlainText() == "Ky so"
    assert stored_narratives(workspace, report_id)["ket_qua_noi_bat"] == "Ky so"


def test_ctrl_z_in_the_text_box_uses_the_editor_history(
    qtbot: QtBot, open_editor: OpenEditor, report_id: str
) -> None:
    editor = open_editor(report_id)
    with qtbot.waitSignal(editor.saved):
        type_into(editor, "tong_may_tinh", "64")
    page = editor.show_section("ket_qua_noi_bat")
    assert page.narrative is not None
    editor.activateWindow()
    page.narrative.setFocus()
    qtbot.waitUntil(page.narrative.hasFocus)
    qtbot.keyClicks(page.narrative, "abc")

    qtbot.keyClick(page.narrative, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert page.narrative.toPlainText() == ""
    qtbot.keyClick(page.narrative, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert shown(editor, "tong_may_tinh") == "", "the next Ctrl+Z undoes the figure before"
    qtbot.keyClick(page.narrative, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert shown(editor, "tong_may_tinh") == "64"


def test_ctrl_s_saves_pending_text_at_once(
    qtbot: QtBot, open_editor: OpenEditor, workspace: Workspace, report_id: str
) -> None:
    editor = open_editor(report_id)
    page = editor.show_section("nhiem_vu_quy_toi")
    assert page.narrative is not None
    editor.activateWindow()
    page.narrative.setFocus()
    qtbot.waitUntil(page.narrative.hasFocus)
    page.narrative.insertPlainText("Thay máy tính cũ")  # as an input method commits it
    with qtbot.waitSignal(editor.saved):
        qtbot.keyClick(page.narrative, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert stored_narratives(workspace, report_id)["nhiem_vu_quy_toi"] == "Thay máy tính cũ"


def _previous_report(workspace: Workspace) -> str:
    previous = workspace.reports.new("cntt-quy", "2026Q2")
    workspace.reports.save(
        previous,
        ContentChanges(
            values={"tong_may_tinh": 64, "may_tinh_ket_noi": 61, "tong_can_bo": 58},
            narratives={"chi_dao_dieu_hanh": "Kỳ trước: chỉ đạo", "kq_ha_tang": "Kỳ trước"},
        ),
    )
    return previous


def test_copy_from_previous_period_fills_only_empty_fields(
    qtbot: QtBot, open_editor: OpenEditor, workspace: Workspace, report_id: str
) -> None:
    _previous_report(workspace)
    workspace.reports.save(
        report_id,
        ContentChanges(values={"tong_may_tinh": 70}, narratives={"kq_ha_tang": "Quý này"}),
    )
    editor = open_editor(report_id)
    assert editor.copy_button.isEnabled()
    assert "Quý II năm 2026" in editor.copy_button.toolTip()

    editor.copy_button.click()
    qtbot.waitUntil(lambda: editor.undo_stack.count() == 1)
    qtbot.waitUntil(lambda: not editor.has_unsaved_changes)

    values = stored_values(workspace, report_id)
    assert values["tong_may_tinh"] == "70", "a filled value is kept"
    assert values["may_tinh_ket_noi"] == "61"
    assert values["tong_can_bo"] == "58"
    narratives = stored_narratives(workspace, report_id)
    assert narratives == {"kq_ha_tang": "Quý này", "chi_dao_dieu_hanh": "Kỳ trước: chỉ đạo"}
    assert "3 mục" in editor.notice.text()

    editor.undo_action.trigger()  # the whole copy is one step
    qtbot.waitUntil(lambda: not editor.has_unsaved_changes)
    assert stored_values(workspace, report_id) == {"tong_may_tinh": "70"}
    assert stored_narratives(workspace, report_id) == {"kq_ha_tang": "Quý này"}


def test_copy_is_disabled_without_a_previous_report(
    open_editor: OpenEditor, report_id: str
) -> None:
    editor = open_editor(report_id)
    assert not editor.copy_button.isEnabled()
    assert "Quý II năm 2026" in editor.copy_button.toolTip()
