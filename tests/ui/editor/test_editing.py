"""Typing figures: Vietnamese numbers, refusals, computed cells, the check panel, autosave."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit
from pytestqt.qtbot import QtBot

from desktop_app.core.workspace import Workspace
from desktop_app.ui.editor import ReportEditor
from desktop_app.ui.editor.indicator_model import (
    COMMENT_COLUMN,
    ERROR_BACKGROUND,
    VALUE_COLUMN,
)
from tests.ui.editor.conftest import (
    OpenEditor,
    page_of,
    shown,
    stored_values,
    table_cell,
    type_into,
)

RULE = ("rule.violated", "ket_noi_khong_vuot_tong")


def enter_value(qtbot: QtBot, editor: ReportEditor, indicator_id: str, text: str) -> None:
    """Type as a clerk does: select the cell, Enter opens it, type, Enter commits."""
    page, table_id = page_of(editor, indicator_id)
    editor.show_section(page.section.id, table_id)
    view = page.views[table_id]
    _, index = table_cell(editor, indicator_id)
    view.setCurrentIndex(index)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    line_edit = view.viewport().findChild(QLineEdit)
    assert line_edit is not None, "Enter opens the cell for editing"
    line_edit.selectAll()
    qtbot.keyClicks(line_edit, text)
    qtbot.keyClick(line_edit, Qt.Key.Key_Return)


def test_computed_ratio_and_rule_follow_typing(
    qtbot: QtBot, open_editor: OpenEditor, report_id: str
) -> None:
    editor = open_editor(report_id)
    with qtbot.waitSignal(editor.saved):
        assert type_into(editor, "tong_may_tinh", "80")
    with qtbot.waitSignal(editor.saved):
        assert type_into(editor, "may_tinh_ket_noi", "60")

    assert shown(editor, "ty_le_may_tinh_ket_noi") in ("75", "75,0")
    assert RULE not in editor.panel.codes()

    with qtbot.waitSignal(editor.saved):
        type_into(editor, "may_tinh_ket_noi", "90")
    assert RULE in editor.panel.codes()
    assert shown(editor, "ty_le_may_tinh_ket_noi") == "112,5"
    model, index = table_cell(editor, "may_tinh_ket_noi")
    assert model.data(index, Qt.ItemDataRole.BackgroundRole).color() == ERROR_BACKGROUND
    assert "không được lớn hơn" in model.data(index, Qt.ItemDataRole.ToolTipRole)

    with qtbot.waitSignal(editor.saved):
        type_into(editor, "may_tinh_ket_noi", "70")
    assert RULE not in editor.panel.codes()
    assert model.data(index, Qt.ItemDataRole.BackgroundRole) is None


def test_computed_cells_are_read_only_and_look_different(
    open_editor: OpenEditor, report_id: str
) -> None:
    editor = open_editor(report_id)
    model, index = table_cell(editor, "ty_le_may_tinh_ket_noi")
    assert not model.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert not model.setData(index, "50")
    assert model.data(index, Qt.ItemDataRole.FontRole).italic()
    _, entered = table_cell(editor, "tong_may_tinh")
    assert model.data(index, Qt.ItemDataRole.BackgroundRole) != model.data(
        entered, Qt.ItemDataRole.BackgroundRole
    )


def test_autosave_is_visible_from_a_second_workspace(
    qtbot: QtBot, open_editor: OpenEditor, workspace: Workspace, report_id: str
) -> None:
    editor = open_editor(report_id)
    with qtbot.waitSignal(editor.saved) as saved:
        type_into(editor, "tong_may_tinh", "64")

    assert re.fullmatch(r"\d\d:\d\d:\d\d", saved.args[0])
    assert editor.save_state.text() == f"Đã lưu lúc {saved.args[0]}"
    assert stored_values(workspace, report_id)["tong_may_tinh"] == "64"
    assert not editor.has_unsaved_changes


def test_vietnamese_number_typed_with_the_keyboard_is_stored_as_a_number(
    qtbot: QtBot, open_editor: OpenEditor, workspace: Workspace, report_id: str
) -> None:
    editor = open_editor(report_id)
    with qtbot.waitSignal(editor.saved):
        enter_value(qtbot, editor, "tong_ho_so", "1.234")

    assert stored_values(workspace, report_id)["tong_ho_so"] == "1234"
    assert shown(editor, "tong_ho_so") == "1.234"


def test_bad_number_is_refused_and_the_old_value_kept(
    qtbot: QtBot, open_editor: OpenEditor, workspace: Workspace, report_id: str
) -> None:
    editor = open_editor(report_id)
    with qtbot.waitSignal(editor.saved):
        type_into(editor, "tong_ho_so", "1.234")

    model, index = table_cell(editor, "tong_ho_so")
    with qtbot.waitSignal(model.refused):  # Enter commits the cell on the next event loop turn
        enter_value(qtbot, editor, "tong_ho_so", "abc")

    assert not editor.has_unsaved_changes, "a refused input never reaches the store"

    assert shown(editor, "tong_ho_so") == "1.234"
    assert stored_values(workspace, report_id)["tong_ho_so"] == "1234"
    assert editor.notice.isVisible()
    sentence = editor.notice.text()
    assert "«abc»" in sentence and "Tổng số hồ sơ thủ tục hành chính" in sentence
    assert sentence in model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert editor.undo_stack.count() == 1


def test_decimal_and_fraction_refusals(open_editor: OpenEditor, report_id: str) -> None:
    editor = open_editor(report_id)
    assert not type_into(editor, "tong_may_tinh", "12,5")  # integer indicator
    assert "số nguyên" in editor.notice.text()
    assert not type_into(editor, "ngay_ban_hanh_ke_hoach", "31/02/2026")
    assert shown(editor, "ngay_ban_hanh_ke_hoach") == ""


def test_typed_values_of_every_kind_show_the_vietnamese_way(
    qtbot: QtBot, open_editor: OpenEditor, workspace: Workspace, report_id: str
) -> None:
    editor = open_editor(report_id)
    for indicator_id, typed in (
        ("kinh_phi_cntt", "385.500,5"),
        ("ngay_ban_hanh_ke_hoach", "5/2/2026"),
        ("co_trang_tin", "Có"),
        ("muc_do_dvc", "Một phần"),
    ):
        with qtbot.waitSignal(editor.saved):
            assert type_into(editor, indicator_id, typed)

    stored = stored_values(workspace, report_id)
    assert stored["kinh_phi_cntt"] == "385500.5"
    assert stored["ngay_ban_hanh_ke_hoach"] == "2026-02-05"
    assert stored["co_trang_tin"] == "yes"
    assert stored["muc_do_dvc"] == "mot_phan"
    assert shown(editor, "kinh_phi_cntt") == "385.500,5"
    assert shown(editor, "ngay_ban_hanh_ke_hoach") == "05/02/2026"
    assert shown(editor, "co_trang_tin") == "Có"
    assert shown(editor, "muc_do_dvc") == "Một phần"


def test_choice_cells_edit_with_a_combo_of_labels(
    qtbot: QtBot, open_editor: OpenEditor, workspace: Workspace, report_id: str
) -> None:
    editor = open_editor(report_id)
    page, table_id = page_of(editor, "muc_do_dvc")
    editor.show_section(page.section.id, table_id)
    view = page.views[table_id]
    _, index = table_cell(editor, "muc_do_dvc")
    view.setCurrentIndex(index)
    qtbot.keyClick(view, Qt.Key.Key_F2)
    combo = view.viewport().findChild(QComboBox)
    assert combo is not None
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "",
        "Toàn trình",
        "Một phần",
        "Chưa cung cấp",
    ]
    with qtbot.waitSignal(editor.saved):
        combo.setCurrentIndex(1)
        combo.activated.emit(1)
    assert stored_values(workspace, report_id)["muc_do_dvc"] == "toan_trinh"


def test_comment_explains_a_missing_value(
    qtbot: QtBot, open_editor: OpenEditor, workspace: Workspace, report_id: str
) -> None:
    editor = open_editor(report_id)
    assert ("value.required", "tong_ho_so") in editor.panel.codes()

    with qtbot.waitSignal(editor.saved):
        type_into(editor, "tong_ho_so", "Bộ phận một cửa chưa tổng hợp", COMMENT_COLUMN)

    codes = editor.panel.codes()
    assert ("value.missing_explained", "tong_ho_so") in codes
    assert ("value.required", "tong_ho_so") not in codes
    with Workspace.open(workspace.root, automatic_backup=False) as other:
        assert (
            other.reports.content(report_id).comments["tong_ho_so"]
            == "Bộ phận một cửa chưa tổng hợp"
        )


def test_clearing_a_value_removes_it_from_the_store(
    qtbot: QtBot, open_editor: OpenEditor, workspace: Workspace, report_id: str
) -> None:
    editor = open_editor(report_id)
    with qtbot.waitSignal(editor.saved):
        type_into(editor, "van_ban_di", "412")
    with qtbot.waitSignal(editor.saved):
        type_into(editor, "van_ban_di", "")
    assert "van_ban_di" not in stored_values(workspace, report_id)
    assert shown(editor, "van_ban_di", VALUE_COLUMN) == ""
