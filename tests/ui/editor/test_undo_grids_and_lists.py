"""Ctrl+Z and Ctrl+Y in the grids and the task list of an NQ 57 report: a typed cell, a pasted
block (one step), a row added, moved or removed are taken back and put back in the window, in
the one history the narratives and indicators share, and what is stored follows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.core.workspace import Workspace
from desktop_app.ui.editor import ReportEditor
from desktop_app.ui.editor.grid_view import GridModel, GridView
from desktop_app.ui.editor.list_view import ListEditor
from tests.ui.editor.conftest import OpenEditor, focus, save, stored_content

STATUS_GRID = "bieu_tinh_trang"
TASKS = "nhiem_vu"
CTRL = Qt.KeyboardModifier.ControlModifier


def _status_grid(qtbot: QtBot, editor: ReportEditor) -> GridView:
    view = editor.show_section("thong_ke_nhiem_vu").grids[STATUS_GRID]
    focus(qtbot, view)
    return view


def _tasks(qtbot: QtBot, editor: ReportEditor) -> ListEditor:
    tasks = editor.show_section("thong_ke_nhiem_vu").lists[TASKS]
    focus(qtbot, tasks.view)
    return tasks


def _type_in_cell(qtbot: QtBot, view: QWidget, text: str) -> None:
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editing = QApplication.focusWidget()
    assert isinstance(editing, QLineEdit), "F2 opened the cell"
    editing.setText(text)
    qtbot.keyClick(editing, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view)


def _shown(model: GridModel, row_id: str, column_id: str) -> str:
    return str(model.data(model.cell_index(row_id, column_id)))


def _task_names(tasks: ListEditor) -> list[str]:
    return [row.get("noi_dung", "") for row in tasks.model.rows]


def test_ctrl_z_takes_back_typed_figures_one_by_one_and_ctrl_y_puts_them_back(
    qtbot: QtBot, open_editor: OpenEditor, workspace: Workspace, nq57: str
) -> None:
    editor = open_editor(nq57)
    view = _status_grid(qtbot, editor)
    model = view.grid_model
    view.setCurrentIndex(model.cell_index("hoan_thanh", "cap_tren_giao"))
    _type_in_cell(qtbot, view, "12")
    view.setCurrentIndex(model.cell_index("hoan_thanh", "tu_de_ra"))
    _type_in_cell(qtbot, view, "5")
    assert _shown(model, "hoan_thanh", "tong_so") == "17"

    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert _shown(model, "hoan_thanh", "tu_de_ra") == ""
    assert _shown(model, "hoan_thanh", "tong_so") == ""  # the total follows
    assert _shown(model, "hoan_thanh", "cap_tren_giao") == "12"
    save(qtbot, editor)
    assert stored_content(workspace, nq57).grids[STATUS_GRID] == {
        "hoan_thanh": {"cap_tren_giao": "12"}
    }

    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert _shown(model, "hoan_thanh", "cap_tren_giao") == ""
    qtbot.keyClick(view, Qt.Key.Key_Y, CTRL)
    qtbot.keyClick(view, Qt.Key.Key_Y, CTRL)
    assert _shown(model, "hoan_thanh", "tong_so") == "17"
    save(qtbot, editor)
    stored = stored_content(workspace, nq57).grids[STATUS_GRID]
    assert stored == {"hoan_thanh": {"cap_tren_giao": "12", "tu_de_ra": "5"}}


def test_a_pasted_block_is_taken_back_in_one_step(
    qtbot: QtBot, open_editor: OpenEditor, workspace: Workspace, nq57: str
) -> None:
    editor = open_editor(nq57)
    view = _status_grid(qtbot, editor)
    model = view.grid_model
    view.setCurrentIndex(model.cell_index("hoan_thanh", "cap_tren_giao"))
    _type_in_cell(qtbot, view, "7")
    view.setCurrentIndex(model.cell_index("hoan_thanh", "cap_tren_giao"))
    QGuiApplication.clipboard().setText("3\t1\n4\t2\n")
    qtbot.keyClick(view, Qt.Key.Key_V, CTRL)
    assert _shown(model, "trong_han", "tong_so") == "6"
    assert editor.undo_action.text() == (
        "Hoàn tác dán vào «Biểu 01. Thống kê nhiệm vụ được giao theo tình trạng»"
    )

    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert _shown(model, "hoan_thanh", "cap_tren_giao") == "7"  # as before the paste
    assert [_shown(model, "trong_han", c) for c in ("cap_tren_giao", "tu_de_ra")] == ["", ""]
    assert _shown(model, "hoan_thanh", "tu_de_ra") == ""
    save(qtbot, editor)
    assert stored_content(workspace, nq57).grids[STATUS_GRID] == {
        "hoan_thanh": {"cap_tren_giao": "7"}
    }


def test_the_cumulative_figure_follows_an_undone_quarter(
    qtbot: QtBot, open_editor: OpenEditor, workspace: Workspace, nq57: str
) -> None:
    editor = open_editor(nq57)
    view = editor.show_section("ket_qua_theo_nhom").grids["bieu_kpi"]
    focus(qtbot, view)
    model = view.grid_model
    view.setCurrentIndex(model.cell_index("the_che", "thuc_hien"))
    _type_in_cell(qtbot, view, "2")
    assert _shown(model, "the_che", "luy_ke") == "2"
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert _shown(model, "the_che", "thuc_hien") == ""
    assert _shown(model, "the_che", "luy_ke") == ""
    save(qtbot, editor)
    assert "thuc_hien" not in stored_content(workspace, nq57).grids.get("bieu_kpi", {}).get(
        "the_che", {}
    )


def test_a_row_added_and_typed_in_is_taken_back_step_by_step(
    qtbot: QtBot, open_editor: OpenEditor, workspace: Workspace, nq57: str
) -> None:
    editor = open_editor(nq57)
    tasks = _tasks(qtbot, editor)
    qtbot.keyClick(tasks.view, Qt.Key.Key_Insert, CTRL)
    assert tasks.model.rowCount() == 1
    _type_in_cell(qtbot, tasks.view, "Số hóa hồ sơ đảng viên")

    qtbot.keyClick(tasks.view, Qt.Key.Key_Z, CTRL)
    assert _task_names(tasks) == [""]  # the text goes first, the row stays
    qtbot.keyClick(tasks.view, Qt.Key.Key_Z, CTRL)
    assert tasks.model.rowCount() == 0
    qtbot.keyClick(tasks.view, Qt.Key.Key_Y, CTRL)
    qtbot.keyClick(tasks.view, Qt.Key.Key_Y, CTRL)
    assert _task_names(tasks) == ["Số hóa hồ sơ đảng viên"]
    save(qtbot, editor)
    assert stored_content(workspace, nq57).lists[TASKS] == [{"noi_dung": "Số hóa hồ sơ đảng viên"}]


def test_moved_and_removed_rows_come_back_in_their_places(
    qtbot: QtBot, open_editor: OpenEditor, workspace: Workspace, nq57: str
) -> None:
    editor = open_editor(nq57)
    tasks = _tasks(qtbot, editor)
    QGuiApplication.clipboard().setText("Việc A\nViệc B\nViệc C\n")
    qtbot.keyClick(tasks.view, Qt.Key.Key_V, CTRL)
    tasks.view.setCurrentIndex(tasks.model.index(0, 1))
    qtbot.keyClick(tasks.view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert _task_names(tasks) == ["Việc B", "Việc A", "Việc C"]
    tasks.view.setCurrentIndex(tasks.model.index(2, 1))
    qtbot.keyClick(tasks.view, Qt.Key.Key_Delete, CTRL)
    assert _task_names(tasks) == ["Việc B", "Việc A"]
    save(qtbot, editor)
    assert [r["noi_dung"] for r in stored_content(workspace, nq57).lists[TASKS]] == [
        "Việc B",
        "Việc A",
    ]

    qtbot.keyClick(tasks.view, Qt.Key.Key_Z, CTRL)
    assert _task_names(tasks) == ["Việc B", "Việc A", "Việc C"]
    qtbot.keyClick(tasks.view, Qt.Key.Key_Z, CTRL)
    assert _task_names(tasks) == ["Việc A", "Việc B", "Việc C"]
    qtbot.keyClick(tasks.view, Qt.Key.Key_Z, CTRL)  # the paste, in one step
    assert tasks.model.rowCount() == 0
    qtbot.keyClick(tasks.view, Qt.Key.Key_Y, CTRL)
    save(qtbot, editor)
    stored = [r["noi_dung"] for r in stored_content(workspace, nq57).lists[TASKS]]
    assert stored == ["Việc A", "Việc B", "Việc C"]
