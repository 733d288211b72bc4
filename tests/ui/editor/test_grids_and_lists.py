"""The grids and the task list of a format-2 report (NQ 57) edited in the report window with the
keyboard and the clipboard: totals and rates follow at once, figures read the Vietnamese way,
rows are added, moved and removed, and everything reaches the store through the autosave."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.core.reports.records import ContentChanges
from desktop_app.core.workspace import Workspace
from desktop_app.ui.editor import ReportEditor
from desktop_app.ui.editor.grid_view import GridModel, GridView
from desktop_app.ui.editor.list_view import ListEditor
from tests.ui.editor.conftest import OpenEditor, focus, save, stored_content
from tests.ui.screens.unikey import type_like_unikey

STATUS_GRID = "bieu_tinh_trang"
TASKS = "nhiem_vu"
TASK_TEXT = "Số hóa hồ sơ đảng viên của Đảng bộ phường"


def _grid(editor: ReportEditor, grid_id: str) -> GridView:
    page = editor.show_section(
        "thong_ke_nhiem_vu" if grid_id == STATUS_GRID else "ket_qua_theo_nhom"
    )
    return page.grids[grid_id]


def _tasks(editor: ReportEditor) -> ListEditor:
    return editor.show_section("thong_ke_nhiem_vu").lists[TASKS]


def _shown(model: GridModel, row_id: str, column_id: str) -> str:
    return str(model.data(model.cell_index(row_id, column_id)))


def _type_in_cell(qtbot: QtBot, view: QWidget, text: str) -> None:
    """Keys as an input method sends them; the first opens the cell and is kept; Enter keeps."""
    type_like_unikey(view, text)
    editing = QApplication.focusWidget()
    assert isinstance(editing, QLineEdit), "typing opened the cell"
    qtbot.keyClick(editing, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view)  # the delegate closes it later


def test_figures_typed_in_a_grid_update_its_totals_and_reach_the_store(
    qtbot: QtBot, open_editor: OpenEditor, workspace: Workspace, nq57: str
) -> None:
    editor = open_editor(nq57)
    view = _grid(editor, STATUS_GRID)
    model = view.grid_model
    view.setCurrentIndex(model.cell_index("hoan_thanh", "cap_tren_giao"))
    focus(qtbot, view)
    _type_in_cell(qtbot, view, "1234")
    assert view.currentIndex() == model.cell_index("trong_han", "cap_tren_giao"), "Enter goes down"
    _type_in_cell(qtbot, view, "6")
    _type_in_cell(qtbot, view, "0")
    for _ in range(3):
        qtbot.keyClick(view, Qt.Key.Key_Up)
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert view.currentIndex() == model.cell_index("hoan_thanh", "tu_de_ra")
    _type_in_cell(qtbot, view, "10")
    assert _shown(model, "hoan_thanh", "cap_tren_giao") == "1.234"
    assert _shown(model, "den_han", "cap_tren_giao") == "1.240"  # the total row
    assert _shown(model, "hoan_thanh", "tong_so") == "1.244"  # the total column
    assert _shown(model, "den_han", "tong_so") == ""  # the parts' own figures are missing
    save(qtbot, editor)
    stored = stored_content(workspace, nq57).grids[STATUS_GRID]
    assert stored["hoan_thanh"] == {"cap_tren_giao": "1234", "tu_de_ra": "10"}
    assert stored["trong_han"] == {"cap_tren_giao": "6"}
    assert stored["qua_han"] == {"cap_tren_giao": "0"}
    assert "den_han" not in stored  # totals are computed wherever they are read


def test_computed_cells_cannot_be_typed_in(open_editor: OpenEditor, nq57: str) -> None:
    model = _grid(open_editor(nq57), STATUS_GRID).grid_model
    for row_id, column_id in [("den_han", "cap_tren_giao"), ("hoan_thanh", "tong_so")]:
        cell = model.cell_index(row_id, column_id)
        assert not model.flags(cell) & Qt.ItemFlag.ItemIsEditable
        assert not model.setData(cell, "5")
    entered = model.cell_index("hoan_thanh", "cap_tren_giao")
    assert model.flags(entered) & Qt.ItemFlag.ItemIsEditable


def test_a_trong_do_row_is_indented_under_its_parent(open_editor: OpenEditor, nq57: str) -> None:
    model = _grid(open_editor(nq57), STATUS_GRID).grid_model
    parent = str(model.data(model.index(0, 1)))
    part = str(model.data(model.index(1, 1)))
    assert parent == "Nhiệm vụ đến hạn trong quý"
    assert part == "    Trong đó: hoàn thành"
    assert model.data(model.index(1, 0)) == "1.1"


def test_a_block_pasted_from_a_spreadsheet_fills_the_entered_cells(
    qtbot: QtBot, open_editor: OpenEditor, workspace: Workspace, nq57: str
) -> None:
    editor = open_editor(nq57)
    view = _grid(editor, STATUS_GRID)
    model = view.grid_model
    view.setCurrentIndex(model.cell_index("hoan_thanh", "cap_tren_giao"))
    focus(qtbot, view)
    QGuiApplication.clipboard().setText("1.200\t3\t99\n4\t5\t99\n0\t0\n")
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert _shown(model, "den_han", "cap_tren_giao") == "1.204"
    assert _shown(model, "hoan_thanh", "tong_so") == "1.203"  # 99 fell on a computed cell
    assert _shown(model, "den_han", "tong_so") == "1.212"
    save(qtbot, editor)
    stored = stored_content(workspace, nq57).grids[STATUS_GRID]
    assert stored["hoan_thanh"] == {"cap_tren_giao": "1200", "tu_de_ra": "3"}
    assert stored["trong_han"] == {"cap_tren_giao": "4", "tu_de_ra": "5"}


def test_a_word_in_a_figure_cell_is_refused_and_said_why(
    qtbot: QtBot, open_editor: OpenEditor, workspace: Workspace, nq57: str
) -> None:
    editor = open_editor(nq57)
    view = _grid(editor, STATUS_GRID)
    model = view.grid_model
    view.setCurrentIndex(model.cell_index("hoan_thanh", "cap_tren_giao"))
    focus(qtbot, view)
    _type_in_cell(qtbot, view, "ba")
    assert _shown(model, "hoan_thanh", "cap_tren_giao") == ""
    assert editor.notice.isVisible()
    said = editor.notice.text()
    assert "«ba»" in said
    assert "Trong đó: hoàn thành — Cấp trên giao" in said  # the cell as the clerk sees it
    assert "hoan_thanh" not in said
    assert STATUS_GRID not in stored_content(workspace, nq57).grids


def test_the_kpi_grid_shows_the_years_target_and_takes_the_quarter(
    qtbot: QtBot, open_editor: OpenEditor, workspace: Workspace, nq57: str
) -> None:
    workspace.reports.save(nq57, ContentChanges(grids={"bieu_kpi": {"the_che": {"thuc_hien": 1}}}))
    editor = open_editor(nq57)
    model = _grid(editor, "bieu_kpi").grid_model
    assert _shown(model, "the_che", "ke_hoach") == "4"  # the target written in the template
    assert _shown(model, "the_che", "luy_ke") == "1"
    assert _shown(model, "the_che", "ty_le_luy_ke") == "25,0"
    assert model.setData(model.cell_index("the_che", "thuc_hien"), "3")
    assert _shown(model, "the_che", "luy_ke") == "3"  # follows at once
    assert _shown(model, "the_che", "ty_le_luy_ke") == "75,0"
    save(qtbot, editor)
    stored = stored_content(workspace, nq57).grids["bieu_kpi"]["the_che"]
    assert stored["thuc_hien"] == "3"
    assert stored["luy_ke"] == "3"


def test_rows_of_the_task_list_are_added_typed_moved_and_removed_with_keys(
    qtbot: QtBot, open_editor: OpenEditor, workspace: Workspace, nq57: str
) -> None:
    editor = open_editor(nq57)
    tasks = _tasks(editor)
    focus(qtbot, tasks.view)
    for text in (TASK_TEXT, "Cấp chữ ký số cho cán bộ"):
        qtbot.keyClick(tasks.view, Qt.Key.Key_Insert, Qt.KeyboardModifier.ControlModifier)
        tasks.view.setCurrentIndex(tasks.model.index(tasks.model.rowCount() - 1, 1))
        _type_in_cell(qtbot, tasks.view, text)
    assert [row["noi_dung"] for row in tasks.model.rows] == [TASK_TEXT, "Cấp chữ ký số cho cán bộ"]
    tasks.view.setCurrentIndex(tasks.model.index(1, 1))
    qtbot.keyClick(tasks.view, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert tasks.model.rows[0]["noi_dung"] == "Cấp chữ ký số cho cán bộ"
    assert tasks.view.currentIndex().row() == 0
    save(qtbot, editor)
    stored = [row["noi_dung"] for row in stored_content(workspace, nq57).lists[TASKS]]
    assert stored == ["Cấp chữ ký số cho cán bộ", TASK_TEXT]
    qtbot.keyClick(tasks.view, Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier)
    save(qtbot, editor)
    assert [row["noi_dung"] for row in stored_content(workspace, nq57).lists[TASKS]] == [TASK_TEXT]


def test_a_choice_is_picked_from_its_labels_and_a_date_reads_day_first(
    qtbot: QtBot, open_editor: OpenEditor, workspace: Workspace, nq57: str
) -> None:
    editor = open_editor(nq57)
    tasks = _tasks(editor)
    tasks.add_button.click()
    model = tasks.model
    columns = [c.id for c in model.task_list.columns]
    date_cell = model.index(0, 1 + columns.index("thoi_han"))
    assert model.setData(date_cell, "5/2/2026")
    assert model.data(date_cell) == "05/02/2026"
    choice_cell = model.index(0, 1 + columns.index("tinh_trang"))
    tasks.view.setCurrentIndex(choice_cell)
    focus(qtbot, tasks.view)
    qtbot.keyClick(tasks.view, Qt.Key.Key_F2)
    combo = QApplication.focusWidget()
    assert isinstance(combo, QComboBox)
    assert combo.itemText(3) == "Quá hạn"
    combo.setCurrentIndex(3)
    combo.activated.emit(3)
    assert model.data(choice_cell) == "Quá hạn"
    save(qtbot, editor)
    row = stored_content(workspace, nq57).lists[TASKS][0]
    assert row == {"thoi_han": "2026-02-05", "tinh_trang": "qua_han"}


def test_a_block_pasted_into_the_list_adds_its_rows(
    qtbot: QtBot, open_editor: OpenEditor, workspace: Workspace, nq57: str
) -> None:
    editor = open_editor(nq57)
    tasks = _tasks(editor)
    focus(qtbot, tasks.view)
    QGuiApplication.clipboard().setText(
        f"{TASK_TEXT}\t02-KH/BCĐTW\tVăn phòng\t30/9/2026\nLắp camera\t\tCông an\t31/12/2026\n"
    )
    qtbot.keyClick(tasks.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert tasks.model.rowCount() == 2
    assert tasks.model.data(tasks.model.index(1, 4)) == "31/12/2026"
    save(qtbot, editor)
    stored = stored_content(workspace, nq57).lists[TASKS]
    assert stored[0]["don_vi_chu_tri"] == "Văn phòng"
    assert stored[1] == {
        "noi_dung": "Lắp camera",
        "don_vi_chu_tri": "Công an",
        "thoi_han": "2026-12-31",
    }


def test_the_list_keeps_to_its_most_rows(qtbot: QtBot, open_editor: OpenEditor, nq57: str) -> None:
    editor = open_editor(nq57)
    tasks = _tasks(editor)
    limit = tasks.model.task_list.max_rows
    tasks.model.paste(QModelIndex(), "\n".join(f"Việc {n}" for n in range(limit + 5)))
    assert tasks.model.rowCount() == limit
    with qtbot.waitSignal(tasks.model.refused) as refused:
        tasks.model.setData(tasks.model.index(6, 4), "31/13/2026")
    assert "dòng 7: Thời hạn" in refused.args[0]
    assert not tasks.add_button.isEnabled()
    assert tasks.model.add() == -1


def test_closing_right_after_a_figure_keeps_it(
    qtbot: QtBot, open_editor: OpenEditor, workspace: Workspace, nq57: str
) -> None:
    editor = open_editor(nq57)
    model = _grid(editor, STATUS_GRID).grid_model
    with qtbot.waitSignal(editor.closed, timeout=10_000):
        assert model.setData(model.cell_index("qua_han", "tu_de_ra"), "2")
        editor.request_close()
    assert stored_content(workspace, nq57).grids[STATUS_GRID]["qua_han"] == {"tu_de_ra": "2"}


def test_a_grid_edit_shows_in_the_check_panel(
    qtbot: QtBot, open_editor: OpenEditor, nq57: str
) -> None:
    editor = open_editor(nq57)
    assert editor.document is not None
    model = _grid(editor, STATUS_GRID).grid_model
    model.setData(model.cell_index("den_han", "cap_tren_giao"), "1")  # a total: refused quietly
    model.setData(model.cell_index("hoan_thanh", "cap_tren_giao"), "-3")
    qtbot.waitUntil(lambda: not editor.document.cells_waiting)
    fields = {issue.field for issue in editor.document.issues}
    assert f"{STATUS_GRID}/hoan_thanh/cap_tren_giao" in fields
    editor.show_section("ket_qua_theo_nhom")
    editor.jump_to(f"{STATUS_GRID}/hoan_thanh/cap_tren_giao")
    view = editor.pages["thong_ke_nhiem_vu"].grids[STATUS_GRID]
    assert editor.page_stack.currentWidget() is editor.pages["thong_ke_nhiem_vu"]
    assert view.currentIndex() == model.cell_index("hoan_thanh", "cap_tren_giao")


def test_a_list_issue_leads_to_its_row(qtbot: QtBot, open_editor: OpenEditor, nq57: str) -> None:
    editor = open_editor(nq57)
    tasks = _tasks(editor)
    tasks.model.paste(QModelIndex(), "Việc một\nViệc hai\n")
    editor.show_section("ket_qua_theo_nhom")
    editor.jump_to(f"{TASKS}/2/don_vi_chu_tri")
    assert editor.page_stack.currentWidget() is editor.pages["thong_ke_nhiem_vu"]
    assert tasks.view.currentIndex().row() == 1
