"""The upper office's window shows a choice counted per value as how many units chose each
one, and so does the consolidated report in the editor, where the answer would be, until the
upper office gives its own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app.ui.editor import ReportEditor
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
