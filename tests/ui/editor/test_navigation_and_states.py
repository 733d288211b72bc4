"""Outline marks, jumping from the check panel, approved reports, failed saves, closing."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidgetItem
from pytestqt.qtbot import QtBot

from desktop_app.core.reports.records import ContentChanges
from desktop_app.core.workspace import Workspace
from desktop_app.ui.editor import ReportEditor
from desktop_app.ui.editor.indicator_model import VALUE_COLUMN
from desktop_app.ui.editor.outline import DONE_MARK, ERROR_MARK, SECTION, TABLE
from tests.ui.editor.conftest import OpenEditor, page_of, stored_values, table_cell, type_into

HA_TANG_TEXT = "Toàn phường có 64 máy tính phục vụ công tác."


def set_status(workspace: Workspace, report_id: str, status: str) -> None:
    """What approval (or export) does to the revision, done from another connection."""
    with Workspace.open(workspace.root, automatic_backup=False) as other:
        other.db.execute("UPDATE revisions SET status=? WHERE report_id=?", [status, report_id])


def panel_item(editor: ReportEditor, code: str, field: str) -> QListWidgetItem:
    items = (editor.panel.list.item(row) for row in range(editor.panel.list.count()))
    pairs = zip(items, editor.panel.codes(), strict=True)
    return next(item for item, shown in pairs if shown == (code, field))


def test_outline_numbers_sections_and_lists_tables(open_editor: OpenEditor, report_id: str) -> None:
    editor = open_editor(report_id)
    titles = [item.text(0) for item in editor.outline.items()]
    assert titles[:3] == [
        "I. Công tác chỉ đạo, điều hành",
        "II. Kết quả ứng dụng công nghệ thông tin trong quý",
        "1. Hạ tầng kỹ thuật",
    ]
    assert titles[3] == "Biểu 01. Hạ tầng kỹ thuật công nghệ thông tin"
    assert "V. Đề xuất, kiến nghị" in titles


def test_outline_marks_follow_the_content(
    qtbot: QtBot, open_editor: OpenEditor, report_id: str
) -> None:
    editor = open_editor(report_id)
    assert editor.outline.mark_of(SECTION, "kq_ha_tang") == ""

    page = editor.show_section("kq_ha_tang")
    assert page.narrative is not None
    page.narrative.setPlainText(HA_TANG_TEXT)
    type_into(editor, "tong_may_tinh", "64")
    with qtbot.waitSignal(editor.saved):
        type_into(editor, "may_tinh_ket_noi", "61")
    assert editor.outline.mark_of(SECTION, "kq_ha_tang") == DONE_MARK
    assert editor.outline.mark_of(TABLE, "ha_tang") == DONE_MARK

    with qtbot.waitSignal(editor.saved):
        type_into(editor, "may_tinh_ket_noi", "65")
    assert editor.outline.mark_of(SECTION, "kq_ha_tang") == ERROR_MARK
    assert editor.outline.mark_of(SECTION, "ket_qua_thuc_hien") == ERROR_MARK


def test_double_click_on_an_issue_goes_to_the_cell(
    qtbot: QtBot, open_editor: OpenEditor, report_id: str
) -> None:
    editor = open_editor(report_id)
    type_into(editor, "tong_may_tinh", "10")
    with qtbot.waitSignal(editor.saved):
        type_into(editor, "may_tinh_ket_noi", "12")
    editor.show_section("chi_dao_dieu_hanh")

    item = panel_item(editor, "rule.violated", "ket_noi_khong_vuot_tong")
    editor.panel.list.itemActivated.emit(item)

    page, table_id = page_of(editor, "may_tinh_ket_noi")
    assert editor.page_stack.currentWidget() is page
    _, index = table_cell(editor, "may_tinh_ket_noi")
    current = page.views[table_id].currentIndex()
    assert (current.row(), current.column()) == (index.row(), VALUE_COLUMN)
    assert editor.outline.currentItem().text(0).startswith("Biểu 01.")


def test_double_click_on_a_missing_text_goes_to_its_section(
    open_editor: OpenEditor, report_id: str
) -> None:
    editor = open_editor(report_id)
    item = panel_item(editor, "narrative.required", "nhiem_vu_quy_toi")
    editor.panel.list.itemActivated.emit(item)
    assert editor.page_stack.currentWidget() is editor.pages["nhiem_vu_quy_toi"]


def test_approved_report_opens_read_only_with_a_banner(
    open_editor: OpenEditor, workspace: Workspace, report_id: str
) -> None:
    workspace.reports.save(report_id, ContentChanges(values={"tong_may_tinh": 64}))
    set_status(workspace, report_id, "approved")
    editor = open_editor(report_id)

    assert editor.banner.isVisible()
    assert "Đã phê duyệt" in editor.banner_text.text()
    assert "lần sửa đổi mới" in editor.banner_text.text()
    assert editor.new_revision_button.isEnabled()
    assert not editor.copy_button.isEnabled()
    assert not type_into(editor, "tong_may_tinh", "65")
    page = editor.pages["chi_dao_dieu_hanh"]
    assert page.narrative is not None and page.narrative.isReadOnly()
    assert editor.undo_stack.count() == 0
    assert stored_values(workspace, report_id)["tong_may_tinh"] == "64"


def test_editing_an_approved_report_starts_a_new_revision(
    qtbot: QtBot, open_editor: OpenEditor, workspace: Workspace, report_id: str
) -> None:
    workspace.reports.save(report_id, ContentChanges(values={"tong_may_tinh": 64}))
    set_status(workspace, report_id, "approved")
    editor = open_editor(report_id)
    with qtbot.waitSignal(editor.loaded):
        editor.new_revision_button.click()
    assert not editor.banner.isVisible()
    assert workspace.reports.get(report_id).revision == 2
    with qtbot.waitSignal(editor.saved):
        assert type_into(editor, "tong_may_tinh", "65")
    assert workspace.reports.content(report_id, 1).values["tong_may_tinh"] == "64"
    assert workspace.reports.content(report_id, 2).values["tong_may_tinh"] == "65"


def test_draft_report_has_no_banner(open_editor: OpenEditor, report_id: str) -> None:
    editor = open_editor(report_id)
    assert not editor.banner.isVisible()
    assert editor.status_chip.text() == "Bản nháp"


def test_an_edit_refused_because_the_report_was_approved_meanwhile_shows_it_read_only(
    qtbot: QtBot, open_editor: OpenEditor, workspace: Workspace, report_id: str
) -> None:
    editor = open_editor(report_id)
    set_status(workspace, report_id, "approved")  # approved in another window

    with qtbot.waitSignal(editor.loaded, timeout=10000):
        type_into(editor, "tong_may_tinh", "64")
    assert "vừa được phê duyệt" in editor.notice.text()
    assert "approved" not in editor.notice.text()
    assert editor.read_only and editor.status_chip.text() == "Đã phê duyệt"
    assert not editor.has_unsaved_changes
    assert "tong_may_tinh" not in stored_values(workspace, report_id)
    with qtbot.waitSignal(editor.closed, timeout=2000):
        editor.close_button.click()


def test_mark_ready_refuses_a_report_with_errors_then_accepts_it(
    qtbot: QtBot, open_editor: OpenEditor, workspace: Workspace, report_id: str
) -> None:
    editor = open_editor(report_id)
    assert editor.ready_button.isEnabled()
    editor.ready_button.click()
    qtbot.waitUntil(lambda: "Chưa trình duyệt được" in editor.notice.text(), timeout=10000)
    assert workspace.reports.get(report_id).status == "draft"
    assert editor.ready_button.isEnabled()


def test_close_waits_for_the_last_save(
    qtbot: QtBot, open_editor: OpenEditor, workspace: Workspace, report_id: str
) -> None:
    editor = open_editor(report_id)
    page = editor.show_section("de_xuat_kien_nghi")
    assert page.narrative is not None
    page.narrative.setPlainText("Đề nghị cấp thêm kinh phí.")
    with qtbot.waitSignal(editor.closed):
        editor.request_close()
    with Workspace.open(workspace.root, automatic_backup=False) as other:
        assert other.reports.content(report_id).narratives["de_xuat_kien_nghi"] == (
            "Đề nghị cấp thêm kinh phí."
        )


def test_english_texts_come_from_the_catalogue(open_editor: OpenEditor, report_id: str) -> None:
    editor = open_editor(report_id, lang="en")
    model, _ = table_cell(editor, "tong_may_tinh")
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(5)]
    assert headers == ["No.", "Indicator", "Unit", "Value", "Note"]
    assert editor.status_chip.text() == "Draft"
    assert editor.copy_button.text() == "Copy from previous period"


def test_find_box_filters_the_outline_ignoring_accents(
    open_editor: OpenEditor, report_id: str
) -> None:
    editor = open_editor(report_id)
    editor.focus_find()
    editor.find_box.setText("ha tang")
    visible = [item.text(0) for item in editor.outline.items() if not item.isHidden()]
    assert "1. Hạ tầng kỹ thuật" in visible
    assert "II. Kết quả ứng dụng công nghệ thông tin trong quý" in visible  # its parent
    assert "IV. Nhiệm vụ trọng tâm quý tới" not in visible
    editor.find_box.clear()
    assert not any(item.isHidden() for item in editor.outline.items())


def test_tab_goes_outline_text_table_panel(
    qtbot: QtBot, open_editor: OpenEditor, report_id: str
) -> None:
    editor = open_editor(report_id)
    page = editor.show_section("kq_ha_tang")
    editor.activateWindow()
    editor.outline.setFocus()
    qtbot.waitUntil(editor.outline.hasFocus)

    reached = []
    for _ in range(3):
        qtbot.keyClick(editor.focusWidget(), Qt.Key.Key_Tab)
        reached.append(editor.focusWidget())
    assert reached == [page.narrative, page.views["ha_tang"], editor.panel.list]


def test_leaving_the_editor_saves_text_still_waiting_for_a_pause(
    qtbot: QtBot, open_editor: OpenEditor, workspace: Workspace, report_id: str
) -> None:
    editor = open_editor(report_id)
    page = editor.show_section("ton_tai_han_che")
    assert page.narrative is not None
    page.narrative.setPlainText("Máy tính cũ, cấu hình thấp.")
    assert editor.autosaver.idle_timer.isActive()
    with qtbot.waitSignal(editor.saved):
        editor.hide()  # the main window shows another page
    with Workspace.open(workspace.root, automatic_backup=False) as other:
        assert other.reports.content(report_id).narratives["ton_tai_han_che"] == (
            "Máy tính cũ, cấu hình thấp."
        )
