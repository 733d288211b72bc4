"""The Exchange menu reaches every step of the signed exchange from the keyboard or mouse."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from desktop_app.ui.exchange.approve import ApproveDialog
from desktop_app.ui.exchange.import_dialog import ImportDialog
from desktop_app.ui.exchange.keys_dialog import KeysDialog
from desktop_app.ui.exchange.token_settings import TokenSettingsDialog
from desktop_app.ui.main_window import MainWindow


def test_exchange_menu_lists_the_steps_in_vietnamese(window: MainWindow) -> None:
    menu = window.menus["exchange"]
    assert menu.title() == "&Trao đổi"
    texts = [action.text() for action in menu.actions() if not action.isSeparator()]
    assert texts[:4] == [
        "&Phê duyệt báo cáo đang chọn…",
        "&Xuất gói báo cáo ra USB…",
        "&Gửi trực tuyến lên cấp trên…",
        "&Nhập gói báo cáo…",
    ]
    assert len(texts) == 12
    assert "Thiết bị ký &số…" in texts  # the office's signing token (issue 15)
    assert texts[-1] == "&Theo dõi và tổng hợp báo cáo đơn vị…"  # the upper office, Ctrl+3


def test_keys_and_import_open_their_windows(window: MainWindow, qtbot: QtBot) -> None:
    window.actions_by_name["keys"].trigger()
    assert isinstance(window.job_dialog, KeysDialog)
    window.job_dialog.close()
    window.actions_by_name["import"].trigger()
    assert isinstance(window.job_dialog, ImportDialog)
    window.job_dialog.close()
    window.actions_by_name["token"].trigger()
    assert isinstance(window.job_dialog, TokenSettingsDialog)


def test_approve_acts_on_the_report_selected_in_the_list(window: MainWindow, qtbot: QtBot) -> None:
    ready = next(r.id for r in window.workspace.reports.summaries(status="ready"))
    page = window.list_page
    window.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: page.proxy.rowCount() > 0)
    row = next(r for r in range(page.proxy.rowCount()) if page.proxy.report_id(r) == ready)
    page.view.selectRow(row)
    assert page.selected_report_id() == ready
    window.actions_by_name["approve"].trigger()
    assert isinstance(window.job_dialog, ApproveDialog)
    assert window.job_dialog.report_id == ready
