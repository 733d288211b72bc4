"""Editing a consolidated report: each total says where it came from, and the units' texts
are there to copy from."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app.ui.editor import ReportEditor
from desktop_app.ui.editor.indicator_model import VALUE_COLUMN
from desktop_app.ui.tasks import TaskRunner
from tests.core.exchange.bundles.conftest import Offices


def _consolidated_editor(qtbot: QtBot, offices: Offices) -> ReportEditor:
    offices.province.exchange.import_bundles([offices.export(offices.approved_report("2026Q3"))])
    report_id = offices.province.upper.create_consolidated_report("cntt-quy", "2026Q3")
    editor = ReportEditor(offices.province, TaskRunner(), report_id)
    qtbot.addWidget(editor)
    qtbot.waitUntil(lambda: editor.document is not None)
    return editor


def _value_tooltip(editor: ReportEditor, indicator_id: str) -> str:
    for page in editor.pages.values():
        for model in page.models.values():
            for row, indicator in enumerate(model.table.indicators):
                if indicator.id == indicator_id:
                    index = model.index(row, VALUE_COLUMN)
                    return str(model.data(index, Qt.ItemDataRole.ToolTipRole))
    raise AssertionError(indicator_id)


def test_totals_say_how_many_units_they_come_from(qtbot: QtBot, offices: Offices) -> None:
    editor = _consolidated_editor(qtbot, offices)
    assert "Số tổng hợp từ 1 đơn vị: 1.875" in _value_tooltip(editor, "tong_ho_so")


def test_units_texts_can_be_copied_into_a_section(qtbot: QtBot, offices: Offices) -> None:
    editor = _consolidated_editor(qtbot, offices)
    page = editor.show_section("kq_ha_tang")
    excerpts = editor.document.excerpts["kq_ha_tang"]
    assert [name for _code, name, _text in excerpts] == ["Đảng ủy phường Hạc Thành"]
    with qtbot.waitSignal(editor.saved):
        page.append_to_narrative(excerpts[0][2])
        editor.save_now()
    stored = offices.province.reports.content(editor.report_id).narratives["kq_ha_tang"]
    assert stored == excerpts[0][2]
