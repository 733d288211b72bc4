"""At the province: the home page lists what the units sent, the report list says who sent
each report; an office that only sends sees neither."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app.core.workspace import Workspace
from desktop_app.ui.home import HomePage
from desktop_app.ui.i18n import Texts
from desktop_app.ui.report_list import OFFICE, ReportListPage
from desktop_app.ui.tasks import TaskRunner
from tests.core.exchange.bundles.conftest import Offices


def _home(qtbot: QtBot, workspace: Workspace, runner: TaskRunner) -> HomePage:
    home = HomePage(workspace, runner, Texts("vi"))
    qtbot.addWidget(home)
    home.show()
    with qtbot.waitSignal(home.loaded):
        home.reload()
    return home


def _list(qtbot: QtBot, workspace: Workspace, runner: TaskRunner) -> ReportListPage:
    page = ReportListPage(workspace, runner, Texts("vi"))
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.loaded):
        page.reload()
    return page


def test_the_province_sees_what_its_units_sent(qtbot: QtBot, offices: Offices) -> None:
    offices.province.exchange.import_bundles([offices.export(offices.approved_report("2026Q3"))])
    unit = offices.ward.office.name
    runner = TaskRunner()
    try:
        home = _home(qtbot, offices.province, runner)
        assert home.received.isVisible()
        assert home.received.title.text() == "Báo cáo các đơn vị đã gửi lên (1)"
        row = home.received.tree.topLevelItem(0)
        assert [row.text(0), row.text(2)] == [unit, "Quý III năm 2026"]
        page = _list(qtbot, offices.province, runner)
        assert not page.view.isColumnHidden(OFFICE)
        assert page.proxy.index(0, OFFICE).data() == unit
        assert page.model.headerData(OFFICE, Qt.Orientation.Horizontal) == "Đơn vị"
    finally:
        runner.wait()


def test_an_office_that_only_sends_sees_no_received_list(
    qtbot: QtBot, demo_workspace: Workspace, runner: TaskRunner
) -> None:
    home = _home(qtbot, demo_workspace, runner)
    assert not home.received.isVisible()
    page = _list(qtbot, demo_workspace, runner)
    assert page.view.isColumnHidden(OFFICE)
