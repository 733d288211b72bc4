"""The signed exchange as the clerk and the head meet it in the window."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from desktop_app.core.workspace import Workspace
from desktop_app.ui.exchange.approve import ApproveDialog
from desktop_app.ui.exchange.export_dialog import ExportDialog
from desktop_app.ui.exchange.import_dialog import ImportDialog
from desktop_app.ui.exchange.keys_dialog import KeysDialog
from desktop_app.ui.i18n import Texts
from desktop_app.ui.preview import PreviewDialog, page_count
from desktop_app.ui.tasks import TaskRunner
from tests.conftest import DISTRICT
from tests.core.exchange.bundles.conftest import CHEAP, PASSPHRASE, Offices


def test_wrong_passphrase_keeps_the_approve_dialog_open(qtbot: QtBot, offices: Offices) -> None:
    report_id = offices.filled_report()
    dialog = ApproveDialog(
        offices.ward, TaskRunner(), Texts("vi"), report_id, ("Lê Văn Bình", "Bí thư")
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: "lần 1" in dialog.intro.text())  # what is signed, read off-thread
    dialog.passphrase.setText("không đúng")
    dialog.submit()
    qtbot.waitUntil(lambda: bool(dialog.message.text()))
    assert dialog.isVisible()
    assert "Mật khẩu không đúng" in dialog.message.text()
    assert offices.ward.reports.get(report_id).status == "draft"

    dialog.passphrase.setText(PASSPHRASE)
    with qtbot.waitSignal(dialog.approved) as approved:
        dialog.submit()
    assert approved.args == [1]
    assert offices.ward.reports.get(report_id).status == "approved"


def test_export_dialog_writes_and_says_the_stick_may_be_removed(
    qtbot: QtBot, offices: Offices
) -> None:
    report_id = offices.approved_report()
    dialog = ExportDialog(offices.ward, TaskRunner(), Texts("vi"), [report_id])
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.chosen_reports() == [report_id])
    dialog.set_folder(offices.stick)
    dialog.passphrase.setText(PASSPHRASE)
    with qtbot.waitSignal(dialog.exported) as exported:
        dialog.run_export()
    path = Path(exported.args[0])
    assert path.parent == offices.stick and path.exists()
    assert "Có thể rút USB" in dialog.outcome.text()


def test_import_dialog_shows_one_sentence_per_file(qtbot: QtBot, offices: Offices) -> None:
    path = offices.export(offices.approved_report())
    (offices.stick / "hong.baocao").write_bytes(b"PK\x03\x04 not really a bundle")
    dialog = ImportDialog(offices.province, TaskRunner(), Texts("vi"))
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.imported) as imported:
        dialog.import_paths([offices.stick])
    assert imported.args == [1]
    rows = {
        dialog.table.item(r, 0).text(): dialog.table.item(r, 2).text()
        for r in range(dialog.table.rowCount())
    }
    assert "Đã nhập gói số 1" in rows[path.name]
    assert "không được nhập" in rows["hong.baocao"]


def test_keys_dialog_enrols_a_unit_key(qtbot: QtBot, offices: Offices, tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "bim-son", automatic_backup=False, kdf_cost=CHEAP) as unit:
        unit.initialise(replace(DISTRICT, code="DU-14812", name="Đảng ủy phường Bỉm Sơn"))
        unit.keys.create(PASSPHRASE)
        key_path = tmp_path / "KHOA_DU-14812.json"
        key_path.write_bytes(unit.keys.public_key_file())
        fingerprint = unit.keys.active().fingerprint
    dialog = KeysDialog(offices.province, TaskRunner(), Texts("vi"))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.trust_table.rowCount() == 1)
    assert "chưa có khóa" in dialog.key_label.text()  # the province has not made its key
    dialog.trust_file(key_path, confirm=False)
    qtbot.waitUntil(lambda: dialog.trust_table.rowCount() == 2)
    shown = {
        dialog.trust_table.item(r, 0).text(): dialog.trust_table.item(r, 2).text() for r in range(2)
    }
    assert shown["DU-14812"] == fingerprint


def test_preview_renders_pages_and_saves_a_pdf(
    qtbot: QtBot, offices: Offices, tmp_path: Path
) -> None:
    pdf = offices.ward.documents.report_pdf(offices.filled_report())
    runner = TaskRunner()
    dialog = PreviewDialog(pdf, "Báo cáo", "bao-cao.pdf", Texts("vi"), runner)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: len(dialog.images) == page_count(pdf))
    dialog.step_zoom(1)
    assert dialog.zoom > 1
    dialog.save_to(tmp_path / "ban-in")
    qtbot.waitUntil(lambda: (tmp_path / "ban-in.pdf").exists())
    assert (tmp_path / "ban-in.pdf").read_bytes() == pdf
    assert dialog.result() == QDialog.DialogCode.Rejected


def test_keys_dialog_rotates_and_the_province_accepts_it(
    qtbot: QtBot, offices: Offices, tmp_path: Path
) -> None:
    ward_dialog = KeysDialog(offices.ward, TaskRunner(), Texts("vi"))
    qtbot.addWidget(ward_dialog)
    statement = ward_dialog._rotate(PASSPHRASE, "mật khẩu mới của Bí thư", tmp_path)
    assert statement.name.startswith("DOIKHOA_DU-14797_")
    province_dialog = KeysDialog(offices.province, TaskRunner(), Texts("vi"))
    qtbot.addWidget(province_dialog)
    offices.province.keys.accept_rotation(statement.read_bytes())
    province_dialog.refresh()

    def states() -> set[str]:
        table = province_dialog.trust_table
        return {table.item(r, 3).text() for r in range(table.rowCount()) if table.item(r, 3)}

    qtbot.waitUntil(lambda: states() == {"Đang dùng", "Thu hồi sau gói số 0"})
