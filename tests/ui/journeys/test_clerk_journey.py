"""The clerk's day, from an empty workspace to the receipt, through the real main window.

Setup wizard → installs the province's configuration → new report → types text and figures
the Vietnamese way → submits it for approval → creates the key and exports its public file →
the head approves from the home page → print preview (pages checked against poppler) → saves
the PDF → exports the bundle to a folder → installs the province's receipt → Ctrl+Q.
The province's side is played by core calls on its own workspace."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from desktop_app.core.demo import DEMO_OFFICE
from desktop_app.core.workspace import Workspace
from desktop_app.ui.editor import ReportEditor
from desktop_app.ui.editor.indicator_model import VALUE_COLUMN
from desktop_app.ui.editor.outline import SECTION, TABLE
from desktop_app.ui.exchange.approve import ApproveDialog
from desktop_app.ui.exchange.export_dialog import ExportDialog
from desktop_app.ui.exchange.keys_dialog import KeysDialog, PassphraseDialog
from desktop_app.ui.i18n import Texts
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.preview import PreviewDialog
from desktop_app.ui.settings import AppSettings
from desktop_app.ui.tasks import TaskRunner
from tests.core.exchange.bundles.conftest import CHEAP, PROVINCE
from tests.ui.journeys.driver import TIMEOUT_MS, Driver, choose_path, confirm
from tests.ui.journeys.steps import check_preview, new_report, open_main_window, run_wizard

PASSPHRASE = "Bí thư giữ mật khẩu này 2026"
PROVINCE_PASSPHRASE = "mật khẩu của Tỉnh ủy"
HEAD = "Lê Văn Bình"
NARRATIVES = {
    "chi_dao_dieu_hanh": "Ban Thường vụ ban hành Kế hoạch số 15-KH/ĐU về chuyển đổi số.",
    "kq_ha_tang": "Toàn phường có 64 máy tính, 61 máy kết nối Internet.",
    "kq_nhan_luc": "Có 55/58 cán bộ sử dụng thành thạo máy tính.",
    "kq_ung_dung": "Tiếp nhận 1.875 hồ sơ, trong đó 1.432 hồ sơ trực tuyến.",
    "kq_an_toan_kinh_phi": "Không xảy ra sự cố mất an toàn thông tin.",
    "ket_qua_noi_bat": "Tỷ lệ hồ sơ trực tuyến đạt trên 76%.",
    "ton_tai_han_che": "Một số cán bộ lớn tuổi còn hạn chế kỹ năng số.",
    "nhiem_vu_quy_toi": "Tiếp tục tập huấn kỹ năng số cho cán bộ.",
}
FIGURES = {  # as typed, the Vietnamese way, and as stored
    "tong_may_tinh": ("64", "64"),
    "may_tinh_ket_noi": ("61", "61"),
    "tong_can_bo": ("58", "58"),
    "can_bo_biet_su_dung": ("55", "55"),
    "tong_ho_so": ("1.875", "1875"),
    "ho_so_truc_tuyen": ("1.432", "1432"),
}


@pytest.fixture
def ward(tmp_path: Path) -> Iterator[Workspace]:
    with Workspace(tmp_path / "ward", automatic_backup=False, kdf_cost=CHEAP) as workspace:
        yield workspace


@pytest.fixture
def province(tmp_path: Path) -> Iterator[Workspace]:
    """The province, played by core calls: its key, its configuration package."""
    with Workspace(tmp_path / "province", automatic_backup=False, kdf_cost=CHEAP) as workspace:
        workspace.initialise(PROVINCE)
        workspace.keys.create(PROVINCE_PASSPHRASE)
        yield workspace


@pytest.fixture
def journey_runner(qapp: object, ward: Workspace) -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    runner.wait()


def test_the_clerks_day_from_an_empty_workspace_to_the_receipt(
    driver: Driver,
    qtbot: QtBot,
    ward: Workspace,
    province: Workspace,
    journey_runner: TaskRunner,
    texts: Texts,
    settings: AppSettings,
    tmp_path: Path,
) -> None:
    office = run_wizard(
        driver, ward, journey_runner, texts, settings, "hac thanh", DEMO_OFFICE.name
    )
    assert office.code == DEMO_OFFICE.code
    window = open_main_window(driver, ward, journey_runner, texts, settings)

    install_configuration(driver, province, tmp_path)
    editor = new_report(driver, window)
    fill_in_and_submit(driver, editor)
    key_file = create_key_and_export_it(driver, tmp_path / "khoa")
    approve_from_home(driver, window, editor)
    print_and_save(driver, window, editor, tmp_path)
    bundle = export_to_folder(driver, tmp_path / "usb")
    install_receipt(driver, province, key_file, bundle, tmp_path)
    assert ward.reports.get(editor.report_id).status == "acknowledged"

    driver.activate(window)
    driver.keys("Ctrl+Q")
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=TIMEOUT_MS)


def install_configuration(driver: Driver, province: Workspace, folder: Path) -> None:
    """The province's package pins its key; the clerk compares its fingerprint first."""
    built = province.exchange.build_config(PROVINCE_PASSPHRASE)
    package = folder / built.file_name
    package.write_bytes(built.data)
    told: list[str] = []
    driver.expect(QFileDialog, choose_path(package))
    question = driver.expect(QMessageBox, confirm(QMessageBox.StandardButton.Yes))
    info = driver.expect(QMessageBox, lambda box: (told.append(box.text()), box.accept()))
    driver.menu("Trao đổi", "Cài gói cấu hình của cấp trên…")
    driver.answered(question)
    driver.answered(info)
    assert told[0].startswith("Đã cài gói cấu hình") and PROVINCE.name in told[0]


def fill_in_and_submit(driver: Driver, editor: ReportEditor) -> None:
    driver.click(editor.ready_button)  # too early: the check panel lists what is missing
    driver.qtbot.waitUntil(lambda: "Chưa trình duyệt được" in editor.notice.text())
    assert "14 lỗi" in editor.notice.text()

    for section_id, text in NARRATIVES.items():
        driver.click_tree_item(editor.outline, editor.outline.node(SECTION, section_id))
        narrative = editor.pages[section_id].narrative
        assert narrative is not None and narrative.isVisible()
        driver.click(narrative)
        driver.type(text)
    assert editor.document is not None
    for indicator_id, (typed, _stored) in FIGURES.items():
        table_id = editor.document.template.indicator(indicator_id).table_id
        page = editor.pages[editor.document.section_of_table(table_id)]
        driver.click_tree_item(editor.outline, editor.outline.node(TABLE, table_id))
        model = page.models[table_id]
        cell = model.index(model.row_of(indicator_id), VALUE_COLUMN)
        driver.click_cell(page.views[table_id], cell.row(), cell.column())
        driver.type(typed)
        driver.enter()
        driver.qtbot.waitUntil(lambda c=cell, t=typed: c.data() == t)  # shown as typed

    driver.click(editor.ready_button)
    driver.qtbot.waitUntil(
        lambda: editor.status_chip.text() == "Sẵn sàng trình duyệt", timeout=TIMEOUT_MS
    )
    content = editor.workspace.reports.content(editor.report_id)
    assert content.narratives == NARRATIVES
    assert {key: content.values[key] for key in FIGURES} == {
        key: stored for key, (_typed, stored) in FIGURES.items()
    }


def create_key_and_export_it(driver: Driver, folder: Path) -> Path:
    folder.mkdir()
    driver.menu("Trao đổi", "Khóa ký và danh sách tin cậy…")
    keys = driver.modal(KeysDialog)

    def new_passphrase(dialog: PassphraseDialog) -> None:
        for edit in dialog.edits:
            edit.setText(PASSPHRASE)
        dialog.accept()

    asked = driver.expect(PassphraseDialog, new_passphrase)
    driver.press_button(keys, "Tạo khóa…")
    driver.answered(asked)
    driver.qtbot.waitUntil(lambda: "Đã tạo khóa ký" in keys.notice.text(), timeout=TIMEOUT_MS)
    driver.expect(QFileDialog, choose_path(folder))
    driver.press_button(keys, "Xuất tệp khóa công khai…")
    driver.qtbot.waitUntil(lambda: "Đã lưu tệp khóa công khai" in keys.notice.text())
    [key_file] = folder.glob("KHOA_*.json")
    assert str(key_file) in keys.notice.text()
    driver.keys("Escape")
    driver.no_modal()
    return key_file


def approve_from_home(driver: Driver, window: MainWindow, editor: ReportEditor) -> None:
    driver.activate(window)
    driver.keys("Ctrl+1")
    home = window.home
    ready = home.sections["ready"].tree
    driver.qtbot.waitUntil(lambda: ready.topLevelItemCount() == 1, timeout=TIMEOUT_MS)
    driver.click_tree_item(ready, ready.topLevelItem(0))
    assert home.job_buttons["approve"].isEnabled()
    driver.click(home.job_buttons["approve"])
    dialog = driver.modal(ApproveDialog)
    driver.qtbot.waitUntil(lambda: bool(dialog.intro.text()), timeout=TIMEOUT_MS)
    driver.click(dialog.name)
    driver.type(HEAD)
    driver.click(dialog.passphrase)
    driver.type(PASSPHRASE)
    told: list[str] = []
    done = driver.expect(QMessageBox, lambda box: (told.append(box.text()), box.accept()))
    driver.press_button(dialog, "Phê duyệt và ký")
    driver.answered(done)
    assert told[0].startswith("Đã phê duyệt và ký báo cáo; số văn bản")
    driver.qtbot.waitUntil(lambda: editor.status_chip.text() == "Đã phê duyệt", timeout=TIMEOUT_MS)
    assert editor.read_only and editor.banner.isVisibleTo(editor)  # its tab is behind
    narrative = editor.pages["kq_ha_tang"].narrative
    assert narrative is not None and narrative.isReadOnly()


def print_and_save(driver: Driver, window: MainWindow, editor: ReportEditor, folder: Path) -> None:
    tab_bar = window.tabs.tabBar()
    driver.click(tab_bar, tab_bar.tabRect(window.tabs.indexOf(editor)).center())
    assert window.current_editor() is editor
    driver.keys("Ctrl+P")
    preview = check_preview(driver, folder)
    target = folder / "bao-cao-quy.pdf"
    driver.expect(QFileDialog, choose_path(target))
    driver.press_button(preview, "Lưu PDF…")
    driver.qtbot.waitUntil(lambda: target.exists(), timeout=TIMEOUT_MS)
    assert target.read_bytes() == preview.pdf
    driver.qtbot.waitUntil(lambda: "Đã lưu" in preview.status.text())
    assert preview.status.isVisible() and preview.status.visibleRegion().boundingRect().height()
    driver.press_button(preview, "Đóng")
    driver.no_modal()
    assert not isinstance(window.job_dialog, PreviewDialog) or not window.job_dialog.isVisible()


def export_to_folder(driver: Driver, folder: Path) -> Path:
    folder.mkdir()
    driver.menu("Trao đổi", "Xuất gói báo cáo ra USB…")
    dialog = driver.modal(ExportDialog)
    driver.qtbot.waitUntil(lambda: dialog.reports.count() == 1, timeout=TIMEOUT_MS)
    assert len(dialog.chosen_reports()) == 1  # the approved report is ticked
    driver.expect(QFileDialog, choose_path(folder))
    driver.press_button(dialog, "Chọn thư mục khác…")
    driver.qtbot.waitUntil(lambda: dialog.drive.currentData() == str(folder))
    driver.click(dialog.passphrase)
    driver.type(PASSPHRASE)
    driver.click(dialog.start)
    driver.qtbot.waitUntil(lambda: "đọc lại khớp" in dialog.outcome.text(), timeout=TIMEOUT_MS)
    [bundle] = folder.glob("*.baocao")
    driver.keys("Escape")
    driver.no_modal()
    return bundle


def install_receipt(
    driver: Driver, province: Workspace, key_file: Path, bundle: Path, folder: Path
) -> None:
    """The province trusts the key, imports the bundle and sends a receipt back."""
    key = province.keys.read_key_file(key_file.read_bytes())
    province.keys.trust_unit(key, key.office_code)
    [outcome] = province.exchange.import_bundles([bundle])
    assert outcome.status == "imported"
    [receipt] = province.exchange.build_receipts(PROVINCE_PASSPHRASE)
    path = folder / receipt.file_name
    path.write_bytes(receipt.data)
    told: list[str] = []
    driver.expect(QFileDialog, choose_path(path))
    info = driver.expect(QMessageBox, lambda box: (told.append(box.text()), box.accept()))
    driver.menu("Trao đổi", "Nhận biên nhận của cấp trên…")
    driver.answered(info)
    assert told == ["Cấp trên đã nhận 1 báo cáo."]
