"""Issue 15 end to end: approve with the token, export, import at the province."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest

from desktop_app.core.errors import CoreError
from desktop_app.core.exchange import inbox
from desktop_app.core.signing.request import TokenApproval
from desktop_app.core.signing.verify import MODIFIED, UNTRUSTED, VALID
from tests.core.exchange.bundles.conftest import PASSPHRASE, Offices
from tests.signing_token import ORGANISATION_ID, PERSONAL_ID, SoftToken


def _approve_with_token(offices: Offices, token: SoftToken, pin: str | None = None) -> str:
    report_id = offices.filled_report()
    request = TokenApproval(token.library, pin or token.pin, PERSONAL_ID, ORGANISATION_ID)
    offices.ward.reports.approve(report_id, "Lê Văn Bình", "Bí thư", PASSPHRASE, request)
    return report_id


def _trust_test_root(offices: Offices, token: SoftToken) -> None:
    offices.province.signing.add_trust_anchor(token.pki.root_der, "root-thu-nghiem.cer")


def _pdf_in(bundle: Path) -> tuple[str, bytes]:
    with zipfile.ZipFile(bundle) as archive:
        [name] = [n for n in archive.namelist() if n.startswith("pdf/")]
        return name, archive.read(name)


def test_the_bundle_carries_the_token_signed_pdf(offices: Offices, soft_token: SoftToken) -> None:
    report_id = _approve_with_token(offices, soft_token)
    signed = offices.ward.reports.signed_pdf(report_id)
    assert signed is not None
    assert not offices.ward.signing.has_recognised_signature(signed)  # the test CA: untrusted
    offices.ward.signing.add_trust_anchor(soft_token.pki.root_der, "root.cer")
    assert offices.ward.signing.has_recognised_signature(signed)
    name, carried = _pdf_in(offices.export(report_id))
    assert carried == signed
    assert name == f"pdf/{hashlib.sha256(signed).hexdigest()}.pdf"  # its hash in the manifest


def test_the_province_sees_who_signed(offices: Offices, soft_token: SoftToken) -> None:
    _trust_test_root(offices, soft_token)
    report_id = _approve_with_token(offices, soft_token)
    [outcome] = offices.province.exchange.import_bundles([offices.export(report_id)])
    assert (outcome.status, outcome.warnings) == ("imported", ())
    assert "Ký số hợp lệ: Nguyễn Văn An, Văn phòng Tỉnh ủy Thử nghiệm" in inbox.sentence(
        outcome, "vi"
    )
    recorded = offices.province.signing.signatures_of(report_id, 1)
    assert [(s.signer, s.reason) for s in recorded] == [
        ("Nguyễn Văn An", VALID),
        ("Văn phòng Tỉnh ủy Thử nghiệm", VALID),
    ]


def test_an_unknown_ca_gives_w03_with_its_reason(offices: Offices, soft_token: SoftToken) -> None:
    report_id = _approve_with_token(offices, soft_token)  # the province trusts no test CA
    [outcome] = offices.province.exchange.import_bundles([offices.export(report_id)])
    assert outcome.status == "imported"
    assert [code for code, _ in outcome.warnings] == ["W03", "W03"]
    assert "không do CA tin cậy" in inbox.sentence(outcome, "vi")
    assert {s.reason for s in offices.province.signing.signatures_of(report_id, 1)} == {UNTRUSTED}


def test_a_pdf_changed_after_signing_gives_w03_modified(
    offices: Offices, soft_token: SoftToken
) -> None:
    _trust_test_root(offices, soft_token)
    report_id = _approve_with_token(offices, soft_token)
    signed = offices.ward.reports.signed_pdf(report_id)
    assert signed is not None
    at = signed.index(b"/Contents") - 40  # inside the signed range, before the signature
    tampered = signed[:at] + b" " + signed[at + 1 :]
    found = offices.province.signing.verify_pdf(tampered)
    assert found and found[0].reason == MODIFIED and not found[0].intact


def test_verify_reports_w03_without_importing(offices: Offices, soft_token: SoftToken) -> None:
    report_id = _approve_with_token(offices, soft_token)
    [outcome] = offices.province.exchange.verify_bundles([offices.export(report_id)])
    assert outcome.status == "imported" and outcome.warnings[0][0] == "W03"
    with pytest.raises(CoreError):
        offices.province.reports.get(report_id)  # nothing was imported


def test_a_wrong_pin_approves_nothing(offices: Offices, soft_token: SoftToken) -> None:
    with pytest.raises(CoreError) as refused:
        _approve_with_token(offices, soft_token, pin="111111")
    assert refused.value.code == "token.wrong_pin"
    [report] = offices.ward.reports.summaries()
    assert report.status == "draft" and offices.ward.reports.signed_pdf(report.id) is None


def test_without_a_token_the_bundle_carries_the_plain_pdf(offices: Offices) -> None:
    report_id = offices.approved_report()
    assert offices.ward.reports.signed_pdf(report_id) is None
    _, carried = _pdf_in(offices.export(report_id))
    assert offices.province.signing.verify_pdf(carried) == []
    assert io.BytesIO(carried).read(5) == b"%PDF-"
