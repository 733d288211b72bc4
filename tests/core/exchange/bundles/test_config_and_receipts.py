"""Configuration packages coming down, receipts coming back: pinning, versions, returns."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from desktop_app.core.errors import CoreError
from desktop_app.core.exchange.config_exchange import PackageRefused
from desktop_app.core.reports.schedule import (
    ALL_UNITS,
    office_due_dates,
    period_of,
    periods_due,
    unit_due_dates,
)
from desktop_app.core.workspace import Workspace
from tests.core.exchange.bundles.conftest import PASSPHRASE, Offices


def _province_key(offices: Offices) -> None:
    offices.province.keys.create(PASSPHRASE)


def _install_config(ward: Workspace, data: bytes) -> None:
    ward.exchange.install_config(ward.exchange.read_config(data))


def test_first_package_pins_the_issuer_after_showing_its_fingerprint(offices: Offices) -> None:
    _province_key(offices)
    built = offices.province.exchange.build_config(PASSPHRASE)
    assert built.file_name == "CH_TU-38_000001.cauhinh"
    package = offices.ward.exchange.read_config(built.data)
    assert not package.pinned
    assert package.signer_fingerprint == offices.province.keys.active().fingerprint
    installed = offices.ward.exchange.install_config(package)
    assert installed.own_key_listed  # the province enrolled the ward's key before building
    issuer = [e for e in offices.ward.keys.trust_list() if e.role == "issuer"]
    assert [e.office_code for e in issuer] == ["TU-38"]


def test_an_older_or_same_version_is_refused_with_e18(offices: Offices) -> None:
    _province_key(offices)
    first = offices.province.exchange.build_config(PASSPHRASE).data
    second = offices.province.exchange.build_config(PASSPHRASE).data
    _install_config(offices.ward, second)
    with pytest.raises(PackageRefused) as caught:
        offices.ward.exchange.read_config(first)
    assert caught.value.code == "config.E18"


def test_a_package_from_another_key_is_refused_once_pinned(
    offices: Offices, tmp_path: Path
) -> None:
    _province_key(offices)
    _install_config(offices.ward, offices.province.exchange.build_config(PASSPHRASE).data)
    with Workspace.open(
        tmp_path / "impostor", automatic_backup=False, kdf_cost=offices.province.kdf_cost
    ) as impostor:
        impostor.initialise(offices.province.office)
        impostor.keys.create(PASSPHRASE)
        forged = impostor.exchange.build_config(PASSPHRASE).data
    with pytest.raises(PackageRefused) as caught:
        offices.ward.exchange.read_config(forged)
    assert caught.value.code == "config.E07"


def test_receipt_acknowledges_and_a_return_reopens_the_report(offices: Offices) -> None:
    _province_key(offices)
    _install_config(offices.ward, offices.province.exchange.build_config(PASSPHRASE).data)
    accepted_id = offices.approved_report("2026Q2")
    returned_id = offices.approved_report("2026Q3")
    offices.province.exchange.import_bundles(
        [offices.export(accepted_id), offices.export(returned_id)]
    )
    offices.province.upper.return_report(returned_id, "Số máy tính kết nối chưa khớp biểu 01.")

    [receipt] = offices.province.exchange.build_receipts(PASSPHRASE)
    assert receipt.file_name.startswith("BN_TU-38_DU-14797_")
    assert offices.province.exchange.build_receipts(PASSPHRASE) == []  # nothing new to tell

    installed = offices.ward.exchange.install_receipt(receipt.data)
    assert installed.acknowledged == 1
    assert installed.returned == [(returned_id, "Số máy tính kết nối chưa khớp biểu 01.")]
    assert offices.ward.reports.get(accepted_id).status == "acknowledged"
    reopened = offices.ward.reports.get(returned_id)
    assert (reopened.status, reopened.revision, reopened.supersedes) == ("draft", 2, 1)
    assert reopened.return_comment == "Số máy tính kết nối chưa khớp biểu 01."
    again = offices.ward.exchange.install_receipt(receipt.data)
    assert (again.acknowledged, again.returned) == (0, [])
    assert offices.ward.reports.get(returned_id).revision == 2


def test_receipt_without_a_pinned_issuer_is_refused(offices: Offices) -> None:
    _province_key(offices)
    offices.province.exchange.import_bundles([offices.export(offices.approved_report())])
    [receipt] = offices.province.exchange.build_receipts(PASSPHRASE)
    with pytest.raises(CoreError) as caught:
        offices.ward.exchange.install_receipt(receipt.data)
    assert caught.value.code == "receipt.no_issuer"


def test_the_issuer_rotates_its_key_and_its_next_package_installs(offices: Offices) -> None:
    _province_key(offices)
    _install_config(offices.ward, offices.province.exchange.build_config(PASSPHRASE).data)
    _info, statement = offices.province.keys.rotate(PASSPHRASE, "mật khẩu mới của Tỉnh ủy")
    next_package = offices.province.exchange.build_config("mật khẩu mới của Tỉnh ủy").data
    with pytest.raises(PackageRefused) as caught:
        offices.ward.exchange.read_config(
            next_package
        )  # signed by a key the ward does not know yet
    assert caught.value.code == "config.E07"
    entry = offices.ward.keys.accept_rotation(statement)
    assert (entry.role, entry.office_code) == ("issuer", "TU-38")
    _install_config(offices.ward, next_package)


def test_a_deadline_only_override_reaches_the_ward(offices: Offices) -> None:
    """Measured in issue 10: the province moved only the deadline and the ward received
    nothing, so the ward said 05/01/2027 where the province said 11/01/2027."""
    _province_key(offices)
    ward_code = offices.ward.office.code
    offices.province.add_unit(offices.ward.office)
    offices.province.upper.set_override("cntt-quy", "2026Q4", ward_code, None, date(2027, 1, 11))
    offices.province.upper.set_override("cntt-quy", "2026Q3", ALL_UNITS, date(2026, 9, 10), None)
    built = offices.province.exchange.build_config(PASSPHRASE)
    package = offices.ward.exchange.read_config(built.data)
    assert {(e.period, e.unit_code, e.cutoff, e.deadline) for e in package.fields.schedule} == {
        ("2026Q4", ward_code, "2026-12-14", "2027-01-11"),  # the cut-off as the province sees it
        ("2026Q3", ALL_UNITS, "2026-09-10", "2026-10-05"),
    }
    offices.ward.exchange.install_config(package)
    template = offices.ward.templates.get("cntt-quy")
    for period_code, expected in {
        "2026Q4": (date(2026, 12, 14), date(2027, 1, 11)),
        "2026Q3": (date(2026, 9, 10), date(2026, 10, 5)),
    }.items():
        period = period_of(template, period_code)
        province_says = unit_due_dates(offices.province.db, template, period, ward_code)
        ward_says = office_due_dates(offices.ward.db, template, period, ward_code)
        assert (ward_says.cutoff, ward_says.deadline) == expected
        assert (province_says.cutoff, province_says.deadline) == expected
    # The moved deadline keeps the finished quarter on the ward's list past the 5th.
    due = periods_due(offices.ward.db, template, date(2027, 1, 8), ward_code)
    assert [period.code for period in due] == ["2026Q4", "2027Q1"]
