"""A return that follows an acceptance reopens the report instead of leaving the outbox and the
report saying two different things."""

from __future__ import annotations

import pytest

from desktop_app.core.catalogue import describe
from desktop_app.core.errors import CoreError
from tests.core.exchange.bundles.conftest import PASSPHRASE, Offices, offices
from tests.hostile.store_dump import dump

__all__ = ["offices"]  # the fixture, used by name below


def test_a_return_after_an_acceptance_reopens_the_report(offices: Offices) -> None:
    offices.province.keys.create(PASSPHRASE)
    package = offices.province.exchange.build_config(PASSPHRASE).data
    offices.ward.exchange.install_config(offices.ward.exchange.read_config(package))
    report_id = offices.approved_report("2026Q3")
    offices.province.exchange.import_bundles([offices.export(report_id)])
    [accepted] = offices.province.exchange.build_receipts(PASSPHRASE)
    offices.ward.exchange.install_receipt(accepted.data)
    assert offices.ward.reports.get(report_id).status == "acknowledged"

    offices.province.upper.return_report(report_id, "Số liệu quý 3 cần đối chiếu lại.")
    [returned] = offices.province.exchange.build_receipts(PASSPHRASE)
    installed = offices.ward.exchange.install_receipt(returned.data)
    assert installed.returned == [(report_id, "Số liệu quý 3 cần đối chiếu lại.")]
    reopened = offices.ward.reports.get(report_id)
    assert (reopened.status, reopened.revision) == ("draft", 2)
    [entry] = offices.ward.exchange.outbox()
    assert entry.receipt_status == "returned"

    again = offices.ward.exchange.install_receipt(accepted.data)  # an old receipt again
    assert (again.acknowledged, again.returned) == (0, [])
    assert offices.ward.reports.get(report_id).status == "draft"


def test_a_receipt_about_a_report_never_sent_is_refused_in_a_sentence(offices: Offices) -> None:
    offices.province.keys.create(PASSPHRASE)
    package = offices.province.exchange.build_config(PASSPHRASE).data
    offices.ward.exchange.install_config(offices.ward.exchange.read_config(package))
    report_id = offices.approved_report("2026Q3")
    offices.province.exchange.import_bundles([offices.export(report_id)])
    [receipt] = offices.province.exchange.build_receipts(PASSPHRASE)
    offices.ward.db.execute("DELETE FROM outbox_reports")  # as if the ward never sent it
    before = dump(offices.ward)
    with pytest.raises(CoreError) as refused:
        offices.ward.exchange.install_receipt(receipt.data)
    assert refused.value.code == "receipt.E15"
    for lang in ("vi", "en"):
        said = describe(refused.value, lang)
        assert "receipt.E15" not in said and report_id in said
    assert dump(offices.ward) == before


def test_exporting_a_report_already_signed_says_so(offices: Offices) -> None:
    report_id = offices.approved_report("2026Q3")
    offices.ward.exchange.prepare_export([report_id], PASSPHRASE)
    before = dump(offices.ward)
    with pytest.raises(CoreError) as refused:  # the second window, a moment later
        offices.ward.exchange.prepare_export([report_id], PASSPHRASE)
    assert refused.value.code == "export.already_exported"
    assert dump(offices.ward) == before
