"""Issue 15: the CAs an office trusts for PDF signatures come down in its issuer's
configuration package, replacing those of the issuer's earlier packages."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.core.exchange import inbox
from desktop_app.core.exchange.formats import dsse
from desktop_app.core.model.offices import Office
from desktop_app.core.signing import trust
from desktop_app.core.signing.request import TokenApproval
from desktop_app.core.signing.verify import VALID
from desktop_app.core.workspace import Workspace
from tests.core.exchange.bundles.conftest import PASSPHRASE, Offices
from tests.signing_token import ORGANISATION_ID, PERSONAL_ID, SoftToken, make_pki

CENTRAL = Office(code="VPTW", name="Văn phòng Trung ương Đảng", level="central", block="party")
OTHER_PKI, _ = make_pki()


def _payload(data: bytes) -> dict[str, object]:
    document = json.loads(dsse.parse(data, dsse.CONFIG_TYPE).payload)
    assert isinstance(document, dict)
    return document


def _received(ws: Workspace) -> list[tuple[str, str, str]]:
    return [
        (a.subject, a.issuer, a.source)
        for a in ws.signing.trust_anchors()
        if a.origin == trust.RECEIVED
    ]


@pytest.fixture
def central(offices: Offices, tmp_path: Path) -> Iterator[Workspace]:
    """The province's own issuer; the province pinned its key with the first package."""
    with Workspace.open(
        tmp_path / "central", automatic_backup=False, kdf_cost=offices.province.kdf_cost
    ) as central:
        central.initialise(CENTRAL)
        central.keys.create(PASSPHRASE)
        yield central


def _install(ws: Workspace, data: bytes) -> None:
    ws.exchange.install_config(ws.exchange.read_config(data))


def test_a_package_without_cas_carries_no_key(offices: Offices) -> None:
    offices.province.keys.create(PASSPHRASE)
    built = offices.province.exchange.build_config(PASSPHRASE)
    assert "trust_anchors" not in _payload(built.data)


def test_the_province_passes_on_the_cas_it_added_and_the_ward_trusts_them(
    offices: Offices,
) -> None:
    offices.province.keys.create(PASSPHRASE)
    offices.province.signing.add_trust_anchor(OTHER_PKI.root_der, "root-bcy.cer")
    built = offices.province.exchange.build_config(PASSPHRASE)
    [carried] = _payload(built.data)["trust_anchors"]  # type: ignore[misc]
    assert (carried["name"], carried["source"]) == ("Root CA thử nghiệm", "root-bcy.cer")

    _install(offices.ward, built.data)
    assert _received(offices.ward) == [("Root CA thử nghiệm", "TU-38", "root-bcy.cer")]


def test_the_next_package_replaces_the_issuer_s_set(offices: Offices) -> None:
    offices.province.keys.create(PASSPHRASE)
    offices.province.signing.add_trust_anchor(OTHER_PKI.root_der, "root.cer")
    _install(offices.ward, offices.province.exchange.build_config(PASSPHRASE).data)
    offices.ward.signing.add_trust_anchor(OTHER_PKI.subordinate_der, "ward-own.cer")
    offices.province.signing.remove_trust_anchor(trust.fingerprint(OTHER_PKI.root_der))

    _install(offices.ward, offices.province.exchange.build_config(PASSPHRASE).data)
    assert _received(offices.ward) == []
    kept = [(a.subject, a.origin) for a in offices.ward.signing.trust_anchors()]
    assert kept == [("CA phục vụ các cơ quan Đảng (thử)", trust.ADDED)]  # its own stays


def test_an_import_recognises_a_signature_under_a_ca_from_the_package(
    offices: Offices, central: Workspace, soft_token: SoftToken
) -> None:
    central.signing.add_trust_anchor(soft_token.pki.root_der, "https://ca.gov.vn/root.cer")
    package = offices.province.exchange.read_config(central.exchange.build_config(PASSPHRASE).data)
    assert not package.pinned
    offices.province.exchange.install_config(package)

    report_id = offices.filled_report()
    token = TokenApproval(soft_token.library, soft_token.pin, PERSONAL_ID, ORGANISATION_ID)
    offices.ward.reports.approve(report_id, "Lê Văn Bình", "Bí thư", PASSPHRASE, token)
    [outcome] = offices.province.exchange.import_bundles([offices.export(report_id)])

    assert (outcome.status, outcome.warnings) == ("imported", ())
    assert "Ký số hợp lệ: Nguyễn Văn An" in inbox.sentence(outcome, "vi")
    signatures = offices.province.signing.signatures_of(report_id, 1)
    assert [s.reason for s in signatures] == [VALID, VALID]


def test_a_ca_received_from_above_is_passed_on_below(offices: Offices, central: Workspace) -> None:
    central.signing.add_trust_anchor(OTHER_PKI.root_der, "https://ca.gov.vn/root.cer")
    _install(offices.province, central.exchange.build_config(PASSPHRASE).data)
    offices.province.keys.create(PASSPHRASE)

    _install(offices.ward, offices.province.exchange.build_config(PASSPHRASE).data)
    assert _received(offices.ward) == [
        ("Root CA thử nghiệm", "TU-38", "https://ca.gov.vn/root.cer")
    ]
