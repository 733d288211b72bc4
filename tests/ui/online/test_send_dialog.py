"""«Gửi trực tuyến» in the window: progress, the receipt, the outbox saying how each bundle
left, and the USB export offered when the line is down."""

from __future__ import annotations

import os
from pathlib import Path

from pytestqt.qtbot import QtBot

from desktop_app.core.exchange.online import Retries
from desktop_app.core.reports.records import ContentChanges
from desktop_app.core.reports.status import Status
from desktop_app.ui.exchange.send_online import SendDialog
from desktop_app.ui.i18n import Texts
from desktop_app.ui.tasks import TaskRunner
from tests.core.upper.helpers import PASSPHRASE, PERIOD, TEMPLATE_ID, figures_for, narratives_for
from tests.server.conftest import Certificate, Offices, RunningService


def _approved(offices: Offices, code: str, number: int) -> str:
    unit = offices.communes[code]
    report_id = unit.reports.new(TEMPLATE_ID, PERIOD)
    unit.reports.save(
        report_id, ContentChanges(figures_for(number), narratives_for(unit.office.name))
    )
    unit.reports.approve(report_id, "Nguyễn Văn An", "Bí thư", PASSPHRASE)
    return report_id


def _open(qtbot: QtBot, offices: Offices, code: str) -> SendDialog:
    quick = Retries(attempts=2, first_delay=0.01, timeout=10.0)
    dialog = SendDialog(offices.communes[code], TaskRunner(), Texts("vi"), retries=quick)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.reports.count() == 1)
    return dialog


def _screenshot(dialog: SendDialog, name: str) -> None:
    folder = os.environ.get("BAOCAO_SCREENSHOTS")
    if folder:
        dialog.grab().save(str(Path(folder) / name))


def test_send_dialog_delivers_and_the_outbox_says_online(
    qtbot: QtBot,
    offices: Offices,
    certificate: Certificate,
) -> None:
    report_id = _approved(offices, "DU-01", 1)
    with RunningService(offices.province, offices.options(certificate)) as service:
        offices.install_config_by_usb()
        dialog = _open(qtbot, offices, "DU-01")
        assert service.url in dialog.service.text()
        dialog.passphrase.setText(PASSPHRASE)
        with qtbot.waitSignal(dialog.sent, timeout=60_000) as sent:
            dialog.run_send()
        qtbot.waitUntil(lambda: dialog.outbox.topLevelItemCount() == 1)
    assert sent.args == [1]
    assert dialog.outcome.text() == "Đã gửi gói số 1 đến cấp trên; đã nhận 1 biên nhận."
    row = dialog.outbox.topLevelItem(0)
    assert row.text(2).startswith("Trực tuyến lúc ")
    assert row.text(3) == "Đã tiếp nhận"
    assert offices.communes["DU-01"].reports.get(report_id).status == Status.ACKNOWLEDGED
    _screenshot(dialog, "send-dialog-delivered.png")


def test_when_the_line_is_down_the_usb_export_is_offered(
    qtbot: QtBot,
    offices: Offices,
    certificate: Certificate,
) -> None:
    report_id = _approved(offices, "DU-02", 2)
    with RunningService(offices.province, offices.options(certificate)):
        offices.install_config_by_usb()
    # The service has stopped: the line is down.
    dialog = _open(qtbot, offices, "DU-02")
    dialog.passphrase.setText(PASSPHRASE)
    dialog.run_send()
    qtbot.waitUntil(lambda: dialog.usb.isVisible(), timeout=60_000)
    assert dialog.outcome.text().startswith("Không kết nối được với máy nhận của cấp trên")
    assert "không mở được kết nối (máy nhận chưa chạy" in dialog.outcome.text()
    qtbot.waitUntil(lambda: dialog.outbox.topLevelItemCount() == 1)
    assert dialog.outbox.topLevelItem(0).text(2) == "Chưa gửi"
    with qtbot.waitSignal(dialog.usb_requested) as requested:
        dialog.usb.click()
    assert requested.args == [[report_id]]
    _screenshot(dialog, "send-dialog-offline.png")


def test_receipts_come_back_by_the_button_with_the_heads_passphrase(
    qtbot: QtBot,
    offices: Offices,
    certificate: Certificate,
) -> None:
    report_id = _approved(offices, "DU-03", 3)
    unit = offices.communes["DU-03"]
    with RunningService(offices.province, offices.options(certificate)):
        offices.install_config_by_usb()
        dialog = _open(qtbot, offices, "DU-03")
        dialog.passphrase.setText(PASSPHRASE)
        with qtbot.waitSignal(dialog.sent, timeout=60_000):
            dialog.run_send()
        [received] = offices.province.reports.summaries(origin="received")
        offices.province.upper.return_report(received.id, "Bổ sung số liệu quý III.")

        dialog.passphrase.setText("not the head's passphrase")
        dialog.fetch.click()
        qtbot.waitUntil(lambda: dialog.fetch.isEnabled(), timeout=60_000)
        assert dialog.outcome.text().startswith("Mật khẩu không đúng nên không mở được khóa ký")
        assert dialog.passphrase.hasSelectedText()
        assert unit.reports.get(report_id).status == Status.ACKNOWLEDGED  # nothing changed
        assert dialog.outbox.topLevelItem(0).text(3) == "Đã tiếp nhận"

        dialog.passphrase.setText(PASSPHRASE)
        with qtbot.waitSignal(dialog.synced, timeout=60_000) as synced:
            dialog.fetch.click()
        # The acknowledgement the upload brought, again (installing it twice changes nothing),
        # and the return for revision.
        assert synced.args == [2]
        assert dialog.outcome.text() == "Đã nhận 2 biên nhận từ cấp trên."
        assert dialog.passphrase.text() == ""  # never kept
        qtbot.waitUntil(lambda: dialog.outbox.topLevelItem(0).text(3) == "Trả lại để bổ sung")
    returned = unit.reports.get(report_id)
    assert (returned.revision, returned.status) == (2, Status.DRAFT)
    _screenshot(dialog, "send-dialog-synced.png")
