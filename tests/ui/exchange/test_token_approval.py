"""Issue 15 in the window: the head approves with the Ban Cơ yếu token (SoftHSM2 here)."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.core.signing import stored
from desktop_app.core.signing.stored import CertificateChoice, TokenSettings
from desktop_app.core.store.database import write_transaction
from desktop_app.ui.exchange.approve import ApproveDialog
from desktop_app.ui.exchange.token_settings import TokenSettingsDialog
from desktop_app.ui.i18n import Texts
from desktop_app.ui.tasks import TaskRunner
from tests.core.exchange.bundles.conftest import PASSPHRASE, Offices
from tests.signing_token import EXPIRED_ID, ORGANISATION_ID, PERSONAL_ID, SoftToken

SIGNER = ("Lê Văn Bình", "Bí thư")


def _open(qtbot: QtBot, offices: Offices, report_id: str) -> ApproveDialog:
    dialog = ApproveDialog(offices.ward, TaskRunner(), Texts("vi"), report_id, SIGNER)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: "lần 1" in dialog.intro.text())
    return dialog


@pytest.fixture
def with_token(offices: Offices, soft_token: SoftToken) -> Offices:
    offices.ward.signing.configure(TokenSettings(library=soft_token.library))
    return offices


def _ready(qtbot: QtBot, dialog: ApproveDialog) -> None:
    qtbot.waitUntil(lambda: dialog.token.personal.count() > 0)


def test_approve_with_the_token_signs_the_pdf(
    qtbot: QtBot, with_token: Offices, soft_token: SoftToken
) -> None:
    report_id = with_token.filled_report()
    dialog = _open(qtbot, with_token, report_id)
    _ready(qtbot, dialog)
    assert dialog.token.isVisible()
    assert "sai mã PIN 3 lần" in dialog.token.pin_warning.text()
    choices = [dialog.token.personal.itemText(i) for i in range(dialog.token.personal.count())]
    assert any(text.startswith("Nguyễn Văn An — Văn phòng Tỉnh ủy") for text in choices)
    assert dialog.token.personal.currentData() == PERSONAL_ID  # a person's, not the office's
    dialog.token.organisation.setCurrentIndex(dialog.token.organisation.findData(ORGANISATION_ID))
    dialog.passphrase.setText(PASSPHRASE)
    dialog.token.pin.setText(soft_token.pin)

    with qtbot.waitSignal(dialog.approved, timeout=30_000):
        dialog.submit()

    assert with_token.ward.reports.get(report_id).status == "approved"
    pdf = with_token.ward.reports.signed_pdf(report_id)
    assert pdf is not None
    signatures = with_token.ward.signing.verify_pdf(pdf)
    assert [(s.signer, s.intact) for s in signatures] == [
        ("Nguyễn Văn An", True),
        ("Văn phòng Tỉnh ủy Thử nghiệm", True),
    ]
    assert dialog.token.pin.text() == ""  # the PIN is not kept


def test_wrong_pin_says_so_and_approves_nothing(qtbot: QtBot, with_token: Offices) -> None:
    report_id = with_token.filled_report()
    dialog = _open(qtbot, with_token, report_id)
    _ready(qtbot, dialog)
    dialog.passphrase.setText(PASSPHRASE)
    dialog.token.pin.setText("000000")

    dialog.submit()
    qtbot.waitUntil(lambda: bool(dialog.message.text()), timeout=30_000)

    assert dialog.isVisible()
    assert "Mã PIN của thiết bị ký số không đúng" in dialog.message.text()
    assert "Chưa có gì được phê duyệt" in dialog.message.text()
    assert with_token.ward.reports.get(report_id).status == "draft"
    assert with_token.ward.reports.signed_pdf(report_id) is None
    assert dialog.buttons.isEnabled()


def test_a_missing_pin_is_asked_for_before_the_token(qtbot: QtBot, with_token: Offices) -> None:
    report_id = with_token.filled_report()
    dialog = _open(qtbot, with_token, report_id)
    _ready(qtbot, dialog)
    dialog.passphrase.setText(PASSPHRASE)
    dialog.submit()
    assert dialog.message.text() == "Hãy nhập mã PIN của thiết bị ký số."
    assert with_token.ward.reports.get(report_id).status == "draft"


def test_no_driver_says_what_failed(qtbot: QtBot, offices: Offices) -> None:
    offices.ward.signing.configure(TokenSettings(library="/không/có/libbcy.so"))
    dialog = _open(qtbot, offices, offices.filled_report())
    qtbot.waitUntil(lambda: "trình điều khiển" in dialog.token.state.text())
    assert dialog.token.personal.count() == 0
    dialog.token.use.setChecked(False)  # the head may still approve without the token
    dialog.passphrase.setText(PASSPHRASE)
    with qtbot.waitSignal(dialog.approved):
        dialog.submit()


def test_no_token_configured_keeps_todays_dialog(qtbot: QtBot, offices: Offices) -> None:
    report_id = offices.filled_report()
    dialog = _open(qtbot, offices, report_id)
    qtbot.waitUntil(lambda: not dialog.runner.busy)  # the settings' answer has arrived
    assert not dialog.token.isVisible()
    dialog.passphrase.setText(PASSPHRASE)
    with qtbot.waitSignal(dialog.approved):
        dialog.submit()
    assert offices.ward.reports.signed_pdf(report_id) is None


def test_settings_dialog_saves_the_driver(
    qtbot: QtBot, offices: Offices, soft_token: SoftToken
) -> None:
    dialog = TokenSettingsDialog(offices.ward, TaskRunner(), Texts("vi"))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: not dialog.runner.busy)
    dialog.set_driver(soft_token.library)
    dialog.tsa.setText("http://tsa.example.vn")
    with qtbot.waitSignal(dialog.saved):
        dialog.save()
    settings = offices.ward.signing.settings()
    assert (settings.library, settings.tsa_url) == (soft_token.library, "http://tsa.example.vn")


def _approve(qtbot: QtBot, dialog: ApproveDialog, pin: str) -> None:
    dialog.passphrase.setText(PASSPHRASE)
    dialog.token.pin.setText(pin)
    with qtbot.waitSignal(dialog.approved, timeout=30_000):
        dialog.submit()


def test_the_next_approval_offers_the_certificates_chosen_last(
    qtbot: QtBot, with_token: Offices, soft_token: SoftToken
) -> None:
    assert with_token.ward.signing.remembered_certificates() is None
    dialog = _open(qtbot, with_token, with_token.filled_report("2026Q2"))
    _ready(qtbot, dialog)
    dialog.token.personal.setCurrentIndex(dialog.token.personal.findData(EXPIRED_ID))
    dialog.token.organisation.setCurrentIndex(dialog.token.organisation.findData(ORGANISATION_ID))
    _approve(qtbot, dialog, soft_token.pin)
    remembered = with_token.ward.signing.remembered_certificates()
    assert remembered == CertificateChoice(EXPIRED_ID, ORGANISATION_ID)
    assert soft_token.pin not in repr(remembered)

    following = _open(qtbot, with_token, with_token.filled_report("2026Q3"))
    _ready(qtbot, following)
    assert following.token.personal.currentData() == EXPIRED_ID
    assert following.token.organisation.currentData() == ORGANISATION_ID
    assert following.token.pin.text() == ""  # the PIN never is


def test_a_choice_no_longer_on_the_token_is_not_offered(qtbot: QtBot, with_token: Offices) -> None:
    with write_transaction(with_token.ward.db):
        stored.remember_choice(with_token.ward.db, "ee", "ff")  # another token's certificates
    dialog = _open(qtbot, with_token, with_token.filled_report())
    _ready(qtbot, dialog)
    assert dialog.token.personal.currentData() == PERSONAL_ID  # the first person's, as before
    assert dialog.token.organisation.currentData() == ""


def test_a_failed_approval_remembers_nothing(qtbot: QtBot, with_token: Offices) -> None:
    dialog = _open(qtbot, with_token, with_token.filled_report())
    _ready(qtbot, dialog)
    dialog.token.personal.setCurrentIndex(dialog.token.personal.findData(EXPIRED_ID))
    dialog.passphrase.setText(PASSPHRASE)
    dialog.token.pin.setText("000000")
    dialog.submit()
    qtbot.waitUntil(lambda: bool(dialog.message.text()), timeout=30_000)
    assert with_token.ward.signing.remembered_certificates() is None
