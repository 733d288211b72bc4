"""The upper office sees who has reported, the totals, and builds its consolidated report."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app.ui.i18n import Texts
from desktop_app.ui.tasks import TaskRunner
from desktop_app.ui.upper.window import STATE_COLOURS, UpperOfficeWindow
from tests.core.exchange.bundles.conftest import Offices


def _window(qtbot: QtBot, offices: Offices, period: str = "2026Q3") -> UpperOfficeWindow:
    offices.province.exchange.import_bundles([offices.export(offices.approved_report(period))])
    window = UpperOfficeWindow(offices.province, TaskRunner(), Texts("vi"))
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.template.count() > 0)  # read on the worker thread
    window.template.setCurrentIndex(window.template.findData("cntt-quy"))
    window.period.setText(period)
    window.refresh()
    qtbot.waitUntil(
        lambda: window.consolidation is not None and window.consolidation.period == period
    )
    return window


def test_status_tab_colours_each_unit_by_its_state(qtbot: QtBot, offices: Offices) -> None:
    window = _window(qtbot, offices)
    table = window.status_table
    assert table.rowCount() == 1
    assert table.item(0, 0).text() == "DU-14797"
    state = window.status.units[0].state
    assert table.item(0, 2).background().color().name() == STATE_COLOURS[state]
    assert "Phải nộp 1 báo cáo; đã nộp 1 (100,0%)" in window.summary.text()
    assert "Chỉ tính 1 đơn vị đã đăng ký" in window.summary.text()  # not the whole province


def test_totals_with_breakdown_and_drill_down(qtbot: QtBot, offices: Offices) -> None:
    window = _window(qtbot, offices)
    table = window.totals_table
    rows = {table.item(r, 0).data(Qt.ItemDataRole.UserRole): r for r in range(table.rowCount())}
    assert window.totals_table.item(rows["tong_ho_so"], 3).text() == "1.875"
    window.totals_table.selectRow(rows["tong_ho_so"])
    assert window.breakdown.rowCount() == 1
    assert window.breakdown.item(0, 2).text() == "1.875"
    with qtbot.waitSignal(window.open_report) as opened:
        window.breakdown.setCurrentCell(0, 0)
        window._open_selected_report(window.breakdown)
    assert offices.province.reports.get(opened.args[0]).office_code == "DU-14797"


def test_consolidated_report_is_created_and_opened(qtbot: QtBot, offices: Offices) -> None:
    window = _window(qtbot, offices)
    with qtbot.waitSignal(window.open_report) as opened:
        window.make_consolidated_report()
    report = offices.province.reports.get(opened.args[0])
    assert (report.origin, report.office_code, report.period) == ("local", "TU-38", "2026Q3")
    assert offices.province.reports.content(report.id).values["tong_ho_so"] == "1875"


def test_returning_a_report_turns_its_row_purple(qtbot: QtBot, offices: Offices) -> None:
    window = _window(qtbot, offices)
    report_id = window.status.units[0].report_id
    window.return_report(report_id, "Bổ sung số liệu biểu 03.")
    qtbot.waitUntil(
        lambda: window.status is not None and window.status.units[0].state == "returned"
    )
    assert window.status_table.item(0, 2).background().color().name() == STATE_COLOURS["returned"]


def test_it_opens_on_the_newest_report_a_unit_sent(qtbot: QtBot, offices: Offices) -> None:
    offices.province.exchange.import_bundles([offices.export(offices.approved_report("2026Q2"))])
    window = UpperOfficeWindow(offices.province, TaskRunner(), Texts("vi"))
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.status is not None)
    assert window.template.currentData() == "cntt-quy"
    assert window.period.text() == "2026Q2"
    assert window.period.title() == "Quý II năm 2026"
    assert window.status_table.item(0, 1).text() == offices.ward.office.name
