"""The upper office's window shows a choice counted per value as how many units chose each
one, and so does the consolidated report in the editor, where the answer would be, until the
upper office gives its own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox
from pytestqt.qtbot import QtBot

from desktop_app.ui.editor import ReportEditor
from desktop_app.ui.editor.grid_view import GridModel, GridView
from desktop_app.ui.editor.indicator_model import VALUE_COLUMN, IndicatorTableModel
from desktop_app.ui.i18n import Texts
from desktop_app.ui.tasks import TaskRunner
from desktop_app.ui.upper.window import UpperOfficeWindow
from tests.core.upper.choice_network import PERIOD, TEMPLATE, Network, build_network


@pytest.fixture
def network(tmp_path: Path) -> Iterator[Network]:
    network = build_network(tmp_path)
    yield network
    for workspace in (network.province, *network.communes):
        workspace.close()


def _model(editor: ReportEditor, indicator_id: str) -> tuple[IndicatorTableModel, int]:
    for page in editor.pages.values():
        for model in page.models.values():
            for row, indicator in enumerate(model.table.indicators):
                if indicator.id == indicator_id:
                    return model, row
    raise AssertionError(indicator_id)


def test_the_choice_shows_the_units_counts_until_the_office_answers(
    qtbot: QtBot, network: Network
) -> None:
    province = network.province
    report_id = province.upper.create_consolidated_report(TEMPLATE.id, PERIOD)
    editor = ReportEditor(province, TaskRunner(), report_id)
    qtbot.addWidget(editor)
    qtbot.waitUntil(lambda: editor.document is not None)
    model, row = _model(editor, "muc_do")
    index = model.index(row, VALUE_COLUMN)
    assert model.data(index, Qt.ItemDataRole.DisplayRole) == "Xanh: 2; Vàng: 1; Đỏ: 0"
    assert model.data(index, Qt.ItemDataRole.EditRole) == ""  # the field itself is empty
    assert model.data(index, Qt.ItemDataRole.FontRole).italic()  # information, not an answer
    tooltip = str(model.data(index, Qt.ItemDataRole.ToolTipRole))
    assert "Số đơn vị chọn từng mức: Xanh: 2; Vàng: 1; Đỏ: 0 (3 đơn vị trả lời)." in tooltip
    score, score_row = _model(editor, "diem_ky_nang_so")
    assert "Số tổng hợp từ 3 đơn vị" in str(
        score.data(score.index(score_row, VALUE_COLUMN), Qt.ItemDataRole.ToolTipRole)
    )

    with qtbot.waitSignal(editor.saved):
        model.setData(index, "vang", Qt.ItemDataRole.EditRole)
        editor.save_now()
    assert model.data(index, Qt.ItemDataRole.DisplayRole) == "Vàng"
    assert model.data(index, Qt.ItemDataRole.FontRole) is None  # the office's own answer
    assert "Xanh: 2; Vàng: 1; Đỏ: 0" in str(model.data(index, Qt.ItemDataRole.ToolTipRole))
    assert province.reports.content(report_id).values["muc_do"] == "vang"


def _grid_view(qtbot: QtBot, editor: ReportEditor) -> GridView:
    view = editor.show_section("danh_gia").grids["bieu_chi_bo"]
    view.window().activateWindow()
    view.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(view.hasFocus)
    return view


def _read(model: GridModel, row_id: str, role: Qt.ItemDataRole) -> object:
    return model.data(model.cell_index(row_id, "xep_loai"), role)


def test_a_grid_choice_cell_shows_the_units_counts_until_the_office_picks_one(
    qtbot: QtBot, network: Network
) -> None:
    """Cell by cell: "nong_thon" was rated by all four communes (xanh, đỏ, xanh, vàng),
    "co_quan" by three (vàng, xanh, xanh; phường Hạc Thành left it empty)."""
    province = network.province
    report_id = province.upper.create_consolidated_report(TEMPLATE.id, PERIOD)
    editor = ReportEditor(province, TaskRunner(), report_id)
    qtbot.addWidget(editor)
    editor.resize(1280, 800)
    with qtbot.waitSignal(editor.loaded, timeout=10_000):
        editor.show()
    view = _grid_view(qtbot, editor)
    model = view.grid_model
    display, edit = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole
    assert _read(model, "nong_thon", display) == "Xanh: 2; Vàng: 1; Đỏ: 1"
    assert _read(model, "co_quan", display) == "Xanh: 2; Vàng: 1; Đỏ: 0"
    assert _read(model, "co_quan", edit) == ""  # the cell itself is empty
    font = _read(model, "co_quan", Qt.ItemDataRole.FontRole)
    assert font is not None and font.italic()  # information, not an answer
    assert _read(model, "co_quan", Qt.ItemDataRole.ForegroundRole) is not None  # greyed
    tooltip = str(_read(model, "co_quan", Qt.ItemDataRole.ToolTipRole))
    assert "Số đơn vị chọn từng mức: Xanh: 2; Vàng: 1; Đỏ: 0 (3 đơn vị trả lời)." in tooltip
    assert "(4 đơn vị trả lời)" in str(_read(model, "nong_thon", Qt.ItemDataRole.ToolTipRole))
    # Counted figures of the other columns are not counts of a choice.
    assert "trả lời" not in str(
        model.data(model.cell_index("co_quan", "dang_vien"), Qt.ItemDataRole.ToolTipRole) or ""
    )

    view.setCurrentIndex(model.cell_index("co_quan", "xep_loai"))
    qtbot.keyClick(view, Qt.Key.Key_F2)
    combo = QApplication.focusWidget()
    assert isinstance(combo, QComboBox), "the choice is picked from the column's labels"
    assert [combo.itemText(n) for n in range(combo.count())] == ["", "Xanh", "Vàng", "Đỏ"]
    combo.setCurrentIndex(2)
    combo.activated.emit(2)
    assert _read(model, "co_quan", display) == "Vàng"
    assert _read(model, "co_quan", Qt.ItemDataRole.FontRole) is None  # the office's own answer
    assert _read(model, "co_quan", Qt.ItemDataRole.ForegroundRole) is None
    assert "Xanh: 2; Vàng: 1; Đỏ: 0" in str(_read(model, "co_quan", Qt.ItemDataRole.ToolTipRole))
    assert _read(model, "nong_thon", display) == "Xanh: 2; Vàng: 1; Đỏ: 1"  # still unanswered
    with qtbot.waitSignal(editor.saved):
        editor.save_now()
    stored = province.reports.content(report_id).grids["bieu_chi_bo"]
    assert stored.get("co_quan", {}).get("xep_loai") == "vang"
    assert "xep_loai" not in stored.get("nong_thon", {})


def test_the_totals_tab_names_each_choice_with_its_count_and_the_rules(
    qtbot: QtBot, network: Network
) -> None:
    window = UpperOfficeWindow(network.province, TaskRunner(), Texts("vi"))
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.template.count() > 0)
    window.template.setCurrentIndex(window.template.findData(TEMPLATE.id))
    window.period.setText(PERIOD)
    window.refresh()
    qtbot.waitUntil(lambda: window.consolidation is not None)
    table = window.totals_table
    rows = {table.item(r, 0).data(Qt.ItemDataRole.UserRole): r for r in range(table.rowCount())}
    assert table.item(rows["muc_do"], 2).text() == "Đếm theo lựa chọn"
    assert table.item(rows["muc_do"], 3).text() == "Xanh: 2; Vàng: 1; Đỏ: 0"
    assert table.item(rows["muc_do"], 4).text() == "3"
    assert table.item(rows["diem_ky_nang_so"], 2).text() == "Bình quân gia quyền"
    assert table.item(rows["diem_ky_nang_so"], 3).text() == "7,16"
