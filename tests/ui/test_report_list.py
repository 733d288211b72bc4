"""The report list: filters, full-text search in any Unicode form, Vietnamese order, opening."""

from __future__ import annotations

import json
import unicodedata

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from desktop_app.core.model.text import sort_key
from desktop_app.core.paths import resource
from desktop_app.core.reports.templates import load_template_bytes
from desktop_app.core.workspace import Workspace
from desktop_app.ui.i18n import Texts
from desktop_app.ui.main_window import LIST_TAB, MainWindow, default_editor_factory
from desktop_app.ui.report_list import TEMPLATE, ReportListPage
from desktop_app.ui.settings import AppSettings
from desktop_app.ui.tasks import TaskRunner
from tests.ui.conftest import open_window


def show_list(window: MainWindow, qtbot: QtBot) -> ReportListPage:
    with qtbot.waitSignal(window.list_page.loaded):
        window.tabs.setCurrentIndex(LIST_TAB)
    return window.list_page


def shown_ids(page: ReportListPage) -> set[str]:
    return {page.proxy.report_id(row) for row in range(page.proxy.rowCount())}


def search(page: ReportListPage, qtbot: QtBot, text: str) -> None:
    with qtbot.waitSignal(page.searched, timeout=5000):
        page.search.setText(text)


def test_list_shows_every_report_and_filters(window: MainWindow, qtbot: QtBot) -> None:
    page = show_list(window, qtbot)
    workspace = window.workspace
    assert page.proxy.rowCount() == len(workspace.reports.summaries()) == 5
    page.template_filter.setCurrentIndex(page.template_filter.findData("nq57-quy-xa"))
    nq57 = {r.id for r in workspace.reports.summaries(template_id="nq57-quy-xa")}
    assert shown_ids(page) == nq57 and len(nq57) == 4
    page.status_filter.setCurrentIndex(page.status_filter.findData("ready"))
    assert shown_ids(page) == {
        r.id for r in workspace.reports.summaries(template_id="nq57-quy-xa", status="ready")
    }
    page.period_filter.setCurrentIndex(page.period_filter.findData("2026Q3"))
    assert shown_ids(page) == {r.id for r in workspace.reports.summaries(period="2026Q3")}
    assert page.count.text().startswith("Đang hiện 1 trong số 5 báo cáo")
    page.template_filter.setCurrentIndex(0)
    page.status_filter.setCurrentIndex(0)
    page.period_filter.setCurrentIndex(0)
    assert page.proxy.rowCount() == 5


def test_period_filter_lists_periods_by_their_vietnamese_title(
    window: MainWindow, qtbot: QtBot
) -> None:
    page = show_list(window, qtbot)
    labels = [page.period_filter.itemText(i) for i in range(page.period_filter.count())]
    assert labels[:4] == ["Tất cả các kỳ", "Quý IV năm 2026", "Quý III năm 2026", "Quý II năm 2026"]


@pytest.mark.parametrize(
    "typed",
    [
        "Đảng uỷ phường ban hành",  # old tone placement
        unicodedata.normalize("NFD", "Đảng ủy phường ban hành"),  # decomposed, as some IMEs send
        "ĐẢNG ỦY PHƯỜNG BAN HÀNH",
    ],
)
def test_search_finds_the_phrase_whatever_its_form(
    window: MainWindow, qtbot: QtBot, typed: str
) -> None:
    page = show_list(window, qtbot)
    summaries = window.workspace.reports.summaries
    it_report = {r.id for r in summaries(template_id="cntt-quy")}  # its «Chỉ đạo» section
    second_quarter = {r.id for r in summaries(template_id="nq57-quy-xa", period="2026Q2")}
    expected = it_report | second_quarter
    search(page, qtbot, typed)
    assert shown_ids(page) == expected
    assert len(expected) == 2


def test_search_narrows_to_the_reports_containing_the_phrase(
    window: MainWindow, qtbot: QtBot
) -> None:
    page = show_list(window, qtbot)
    search(page, qtbot, unicodedata.normalize("NFD", "sổ tay đảng viên điện tử"))
    nq57 = window.workspace.reports.summaries(template_id="nq57-quy-xa")
    written = {r.id for r in nq57 if r.period != "2026Q4"}  # the fourth is only begun
    assert shown_ids(page) == written and len(written) == 3
    search(page, qtbot, "không có cụm từ này ở đâu")
    assert page.proxy.rowCount() == 0
    search(page, qtbot, "")
    assert page.proxy.rowCount() == 5


def test_search_also_matches_template_titles(window: MainWindow, qtbot: QtBot) -> None:
    page = show_list(window, qtbot)
    search(page, qtbot, "đảng ủy xã")  # in the NQ 57 template's title, in none of its texts
    expected = {r.id for r in window.workspace.reports.summaries(template_id="nq57-quy-xa")}
    assert shown_ids(page) == expected and len(expected) == 4


TITLES = ["Zalo và mạng xã hội", "Đề án chuyển đổi số", "Dự án hạ tầng", "Ảnh hưởng của bão"]


def install_titled_templates(workspace: Workspace) -> None:
    base = json.loads(resource("templates", "cntt-quy.json").read_text(encoding="utf-8"))
    for number, title in enumerate(TITLES):
        raw = {**base, "id": f"thu-{number}", "title": title}
        data = json.dumps(raw, ensure_ascii=False).encode("utf-8")
        workspace.templates.install(load_template_bytes(data, f"thu-{number}.json"))
        workspace.reports.new(f"thu-{number}", "2025Q1")  # a quarter the demo has no report in


def test_sorting_by_template_follows_vietnamese_order(
    qtbot: QtBot,
    demo_workspace: Workspace,
    runner: TaskRunner,
    texts: Texts,
    settings: AppSettings,
) -> None:
    install_titled_templates(demo_workspace)
    window = open_window(qtbot, demo_workspace, runner, texts, settings)
    page = show_list(window, qtbot)
    page.template_filter.setCurrentIndex(0)
    page.period_filter.setCurrentIndex(page.period_filter.findData("2025Q1"))
    page.view.sortByColumn(TEMPLATE, Qt.SortOrder.AscendingOrder)
    shown = [page.proxy.index(row, TEMPLATE).data() for row in range(page.proxy.rowCount())]
    assert shown == [
        "Ảnh hưởng của bão",
        "Dự án hạ tầng",
        "Đề án chuyển đổi số",
        "Zalo và mạng xã hội",
    ]
    assert shown == sorted(TITLES, key=sort_key)
    assert shown != sorted(TITLES)  # code-point order would put Ả and Đ after Z
    page.view.sortByColumn(TEMPLATE, Qt.SortOrder.DescendingOrder)
    assert page.proxy.index(0, TEMPLATE).data() == "Zalo và mạng xã hội"


def double_click_row(view: QTableView, qtbot: QtBot, row: int) -> None:
    centre = view.visualRect(view.model().index(row, 0)).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)


def test_double_click_opens_the_report_in_a_tab(window: MainWindow, qtbot: QtBot) -> None:
    page = show_list(window, qtbot)
    report_id = page.proxy.report_id(0)
    with qtbot.waitSignal(window.editor_opened) as opened:
        double_click_row(page.view, qtbot, 0)
    assert opened.args == [report_id]
    assert window.current_editor() is window.editors[report_id]
    qtbot.waitUntil(lambda: window.tabs.tabText(window.tabs.currentIndex()) != "Đang mở…")
    assert window.tabs.tabToolTip(window.tabs.currentIndex()).startswith("Báo cáo")
    window.open_report(report_id)  # a second open goes to the same tab
    assert len(window.editors) == 1


def test_enter_in_the_list_opens_the_selected_report(window: MainWindow, qtbot: QtBot) -> None:
    page = show_list(window, qtbot)
    page.view.setCurrentIndex(page.proxy.index(1, 0))
    page.view.setFocus()
    with qtbot.waitSignal(window.editor_opened) as opened:
        qtbot.keyClick(page.view, Qt.Key.Key_Return)
    assert opened.args == [page.proxy.report_id(1)]


def test_the_real_editor_opens_from_the_list(
    qtbot: QtBot,
    demo_workspace: Workspace,
    runner: TaskRunner,
    texts: Texts,
    settings: AppSettings,
) -> None:
    editor_module = pytest.importorskip("desktop_app.ui.editor")
    window = open_window(qtbot, demo_workspace, runner, texts, settings, default_editor_factory)
    page = show_list(window, qtbot)
    report_id = page.proxy.report_id(0)
    with qtbot.waitSignal(window.editor_opened):
        double_click_row(page.view, qtbot, 0)
    editor = window.current_editor()
    assert isinstance(editor, editor_module.ReportEditor)
    runner.wait()
    qtbot.waitUntil(lambda: window.tabs.tabText(window.tabs.currentIndex()) != "Đang mở…")
    with qtbot.waitSignal(editor.closed):
        window.close_tab(window.tabs.currentIndex())
    qtbot.waitUntil(lambda: report_id not in window.editors)
    assert window.tabs.count() == 2
