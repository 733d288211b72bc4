"""The province's day through the real main window.

Setup wizard → trusts two communes' keys, comparing each fingerprint → imports the USB folder
→ Ctrl+3, the tracking window → returns one report with a comment → makes the consolidated
report → prints it (every previewed page checked against poppler). The communes' side is
played by core calls on their own workspaces."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QInputDialog, QLabel
from pytestqt.qtbot import QtBot

from desktop_app.core.demo import DEMO_OFFICE
from desktop_app.core.model.offices import Office
from desktop_app.core.reports.schedule import running_period
from desktop_app.core.workspace import Workspace
from desktop_app.ui.editor import ReportEditor
from desktop_app.ui.exchange.import_dialog import ImportDialog
from desktop_app.ui.exchange.keys_dialog import FingerprintDialog, KeysDialog
from desktop_app.ui.i18n import Texts
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.settings import AppSettings
from desktop_app.ui.tasks import TaskRunner
from desktop_app.ui.upper.window import UpperOfficeWindow
from tests.core.upper.helpers import CNTT, figures_for, narratives_for, open_office, submit, today
from tests.ui.journeys.driver import TIMEOUT_MS, Driver, choose_path
from tests.ui.journeys.steps import check_preview, open_main_window, run_wizard

PROVINCE = Office(code="TU-38", name="Tỉnh ủy Thanh Hóa", level="province", abbreviation="TU")
SECOND_WARD = Office(
    code="DU-14812",
    name="Đảng ủy phường Quảng Phú",
    level="commune",
    abbreviation="ĐU",
    parent_code="TU-38",
    superior_name="ĐẢNG BỘ TỈNH THANH HÓA",
    place="Quảng Phú",
)
RETURN_COMMENT = "Số máy tính kết nối chưa khớp biểu 01, đề nghị rà soát lại."


@dataclass(frozen=True)
class Commune:
    office: Office
    key_file: Path
    fingerprint: str
    report_id: str


@pytest.fixture
def usb(tmp_path: Path) -> Path:
    folder = tmp_path / "usb"
    folder.mkdir()
    return folder


@pytest.fixture
def communes(tmp_path: Path, usb: Path) -> list[Commune]:
    """Two wards that filled in, approved and exported this quarter's report to the stick."""
    period = running_period(CNTT, today()).code
    made = []
    for index, office in enumerate((DEMO_OFFICE, SECOND_WARD), start=1):
        with open_office(tmp_path / "communes", office, PROVINCE) as ward:
            key_file = usb / f"KHOA_{office.code}.json"
            key_file.write_bytes(ward.keys.public_key_file())
            report_id, _bundle = _submit(ward, index, office.name, usb, period)
            made.append(Commune(office, key_file, ward.keys.active().fingerprint, report_id))
    return made


def _submit(ward: Workspace, index: int, name: str, usb: Path, period: str) -> tuple[str, Path]:
    import tests.core.upper.helpers as helpers

    helpers_period, helpers.PERIOD = helpers.PERIOD, period
    try:
        return submit(ward, figures_for(index), narratives_for(name), usb)
    finally:
        helpers.PERIOD = helpers_period


@pytest.fixture
def province(tmp_path: Path) -> Iterator[Workspace]:
    with Workspace(tmp_path / "province", automatic_backup=False) as workspace:
        yield workspace


@pytest.fixture
def province_runner(qapp: object, province: Workspace) -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    runner.wait()


def test_the_provinces_day_from_an_empty_workspace_to_the_printed_consolidation(
    driver: Driver,
    qtbot: QtBot,
    province: Workspace,
    province_runner: TaskRunner,
    communes: list[Commune],
    usb: Path,
    texts: Texts,
    settings: AppSettings,
    tmp_path: Path,
) -> None:
    office = run_wizard(
        driver, province, province_runner, texts, settings, "thanh hoa", PROVINCE.name
    )
    assert (office.code, office.level) == (PROVINCE.code, "province")
    window = open_main_window(driver, province, province_runner, texts, settings)
    qtbot.waitUntil(lambda: not province_runner.busy, timeout=TIMEOUT_MS)
    assert not window.actions_by_name["upper"].isEnabled()  # no units to follow yet

    trust_keys(driver, communes)
    import_folder(driver, usb)
    tracking = open_tracking(driver, window)
    return_one(driver, tracking, communes[1])
    editor = consolidate(driver, window, tracking)
    print_consolidation(driver, window, editor, tmp_path)


def trust_keys(driver: Driver, communes: list[Commune]) -> None:
    driver.menu("Trao đổi", "Khóa ký và danh sách tin cậy…")
    keys = driver.modal(KeysDialog)
    for count, commune in enumerate(communes, start=1):
        shown: list[str] = []

        def compare(dialog: FingerprintDialog, shown: list[str] = shown) -> None:
            """Read the fingerprint against the paper sheet, tick, confirm."""
            shown.extend(label.text() for label in dialog.findChildren(QLabel))
            ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
            assert not ok.isEnabled()  # nothing is trusted before the tick
            dialog.check.click()
            ok.click()

        driver.expect(QFileDialog, choose_path(commune.key_file))
        compared = driver.expect(FingerprintDialog, compare)
        driver.press_button(keys, "Thêm khóa đơn vị…")
        driver.answered(compared)
        assert commune.fingerprint in shown
        driver.qtbot.waitUntil(lambda c=count: keys.trust_table.rowCount() == c)
        fingerprints = {
            keys.trust_table.item(row, 2).text() for row in range(keys.trust_table.rowCount())
        }
        assert commune.fingerprint in fingerprints
    driver.keys("Escape")
    driver.no_modal()


def import_folder(driver: Driver, usb: Path) -> None:
    driver.keys("Ctrl+I")
    dialog = driver.modal(ImportDialog)
    driver.expect(QFileDialog, choose_path(usb))
    driver.press_button(dialog, "Chọn thư mục (USB)…")
    driver.qtbot.waitUntil(lambda: dialog.table.rowCount() == 2, timeout=TIMEOUT_MS)
    states = [dialog.table.item(row, 1).text() for row in range(2)]
    assert states == ["Đã nhập", "Đã nhập"]
    driver.keys("Escape")
    driver.no_modal()


def open_tracking(driver: Driver, window: MainWindow) -> UpperOfficeWindow:
    driver.qtbot.waitUntil(window.actions_by_name["upper"].isEnabled, timeout=TIMEOUT_MS)
    driver.activate(window)
    driver.keys("Ctrl+3")
    driver.qtbot.waitUntil(lambda: window.upper_window is not None, timeout=TIMEOUT_MS)
    tracking = window.upper_window
    assert isinstance(tracking, UpperOfficeWindow)
    driver.qtbot.waitUntil(
        lambda: tracking.template.findData("cntt-quy") >= 0, timeout=TIMEOUT_MS
    )
    tracking.template.setCurrentIndex(tracking.template.findData("cntt-quy"))
    period = running_period(CNTT, today()).code
    assert tracking.period.text() == period
    driver.press_button(tracking, "Xem")
    driver.qtbot.waitUntil(
        lambda: tracking.status is not None and tracking.status.period == period,
        timeout=TIMEOUT_MS,
    )
    assert tracking.status_table.rowCount() == 2
    states = {tracking.status_table.item(row, 2).text() for row in range(2)}
    assert states <= {"Đúng hạn", "Nộp muộn"}
    assert "2" in tracking.summary.text()
    return tracking


def return_one(driver: Driver, tracking: UpperOfficeWindow, commune: Commune) -> None:
    table = tracking.status_table
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == commune.office.code)
    driver.click_cell(table, row, 1)

    def comment(dialog: QInputDialog) -> None:
        dialog.setTextValue(RETURN_COMMENT)
        dialog.accept()

    asked = driver.expect(QInputDialog, comment)
    driver.press_button(tracking, "Trả lại để bổ sung…")
    driver.answered(asked)

    def returned() -> bool:
        rows = {table.item(r, 0).text(): table.item(r, 2).text() for r in range(table.rowCount())}
        return rows.get(commune.office.code) == "Đã trả lại, chờ nộp lại"

    driver.qtbot.waitUntil(returned, timeout=TIMEOUT_MS)


def consolidate(driver: Driver, window: MainWindow, tracking: UpperOfficeWindow) -> ReportEditor:
    tab_bar = tracking.tabs.tabBar()
    driver.click(tab_bar, tab_bar.tabRect(1).center())
    driver.qtbot.waitUntil(lambda: tracking.totals_table.rowCount() > 0, timeout=TIMEOUT_MS)
    with driver.qtbot.waitSignal(window.editor_opened, timeout=TIMEOUT_MS):
        driver.press_button(tracking, "Tạo báo cáo tổng hợp")
    editor = window.current_editor()
    assert isinstance(editor, ReportEditor)
    driver.qtbot.waitUntil(lambda: editor.document is not None, timeout=TIMEOUT_MS)
    assert editor.report_id in window.editors
    return editor


def print_consolidation(
    driver: Driver, window: MainWindow, editor: ReportEditor, folder: Path
) -> None:
    driver.activate(window)
    assert window.current_editor() is editor
    driver.keys("Ctrl+P")
    preview = check_preview(driver, folder)
    assert len(preview.images) >= 1
    driver.press_button(preview, "Đóng")
    driver.no_modal()
