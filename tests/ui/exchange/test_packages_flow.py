"""Building and installing packages from the window writes verified files the CLI would."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desktop_app.ui.exchange.packages_flow import PackagesFlow
from desktop_app.ui.i18n import Texts
from desktop_app.ui.tasks import TaskRunner
from tests.core.exchange.bundles.conftest import PASSPHRASE, Offices


def test_config_built_at_the_top_installs_below(qtbot: QtBot, offices: Offices) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    offices.province.keys.create(PASSPHRASE)
    upper = PackagesFlow(offices.province, TaskRunner(), Texts("vi"), parent)
    path = upper._build_config(PASSPHRASE, offices.stick)
    assert path.name == "CH_TU-38_000001.cauhinh"
    lower = PackagesFlow(offices.ward, TaskRunner(), Texts("vi"), parent)
    package = lower._read(path)
    assert package.signer_fingerprint == offices.province.keys.active().fingerprint
    offices.ward.exchange.install_config(package)
    offices.province.exchange.import_bundles([offices.export(offices.approved_report())])
    [receipt] = upper._build_receipts(PASSPHRASE, offices.stick)
    assert offices.ward.exchange.install_receipt(receipt.read_bytes()).acknowledged == 1
    assert upper._build_receipts(PASSPHRASE, offices.stick) == []
