"""Signing with a PKCS#11 token (SoftHSM2) and checking the result, independently too."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding
from pyhanko.pdf_utils.reader import PdfFileReader

from desktop_app.core.clock import now
from desktop_app.core.errors import CoreError
from desktop_app.core.signing import verify
from desktop_app.core.signing.pades import (
    ORGANISATION_BOX,
    SIGNER_BOX,
    Place,
    Signing,
    sign_pdf,
    signer_places,
)
from desktop_app.core.signing.token import Token, list_certificates
from tests.signing_token import (
    EXPIRED_ID,
    ORGANISATION_ID,
    PERSONAL_ID,
    SoftToken,
    revocation_list,
    timestamp_authority,
)


def _pdf(signer_at: tuple[int, int] | None = None) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    from desktop_app.core.paths import resource

    font = "LiberationSerif-Regular"  # the name the documents layer registers it under
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(font, str(resource("fonts", f"{font}.ttf"))))
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.setFont(font, 12)
    page.drawString(72, 760, "BÁO CÁO tình hình thực hiện nhiệm vụ")
    if signer_at:
        page.drawString(*signer_at, "Lê Văn Bình")
    page.save()
    return out.getvalue()


def _signed(token: SoftToken, *cert_ids: str) -> bytes:
    with Token(token.library, token.pin) as session:
        signings = [
            Signing(session, cert_id, f"Sig{n}", "Phê duyệt báo cáo", Place(-1, box))
            for n, (cert_id, box) in enumerate(
                zip(cert_ids, [SIGNER_BOX, ORGANISATION_BOX], strict=False)
            )
        ]
        return sign_pdf(_pdf(), signings, now())


def test_the_token_lists_its_signing_certificates_by_id(soft_token: SoftToken) -> None:
    listed = list_certificates(soft_token.library)
    assert [(c.cert_id, c.subject) for c in listed] == [
        (PERSONAL_ID, "Nguyễn Văn An"),
        (EXPIRED_ID, "Trần Thị Bình"),
        (ORGANISATION_ID, "Văn phòng Tỉnh ủy Thử nghiệm"),
    ]


def test_personal_then_organisation_signature_both_recognised(soft_token: SoftToken) -> None:
    signed = _signed(soft_token, PERSONAL_ID, ORGANISATION_ID)
    found = verify.verify_pdf(signed, [soft_token.pki.root_der])
    assert [(s.signer, s.organisation, s.reason) for s in found] == [
        ("Nguyễn Văn An", "Văn phòng Tỉnh ủy Thử nghiệm", verify.VALID),
        ("Văn phòng Tỉnh ủy Thử nghiệm", "Văn phòng Tỉnh ủy Thử nghiệm", verify.VALID),
    ]
    assert all(s.intact and s.trusted and s.signed_at for s in found)
    assert verify.has_recognised_signature(signed, [soft_token.pki.root_der])


def test_without_the_anchor_the_signature_is_intact_but_not_trusted(
    soft_token: SoftToken,
) -> None:
    signed = _signed(soft_token, PERSONAL_ID)
    [found] = verify.verify_pdf(signed, [])
    assert (found.intact, found.trusted, found.reason) == (True, False, verify.UNTRUSTED)
    assert not verify.has_recognised_signature(signed)  # nothing shipped trusts a test CA


def test_a_changed_byte_in_the_signed_pdf_is_reported_modified(soft_token: SoftToken) -> None:
    signed = _signed(soft_token, PERSONAL_ID)
    at = signed.index(b"BT")  # inside the page content the signature covers
    tampered = signed[:at] + b"bT" + signed[at + 2 :]
    [found] = verify.verify_pdf(tampered, [soft_token.pki.root_der])
    assert (found.intact, found.reason) == (False, verify.MODIFIED)


def test_an_expired_certificate_signs_but_is_not_recognised(soft_token: SoftToken) -> None:
    signed = _signed(soft_token, EXPIRED_ID)
    [found] = verify.verify_pdf(signed, [soft_token.pki.root_der])
    assert found.signer == "Trần Thị Bình"
    assert (found.intact, found.trusted, found.reason) == (True, False, verify.EXPIRED)


def test_a_pdf_without_signatures_has_none(soft_token: SoftToken) -> None:
    assert verify.verify_pdf(_pdf(), [soft_token.pki.root_der]) == []
    assert verify.verify_pdf(b"not a pdf", []) == []


def test_a_wrong_pin_is_refused_with_its_code(soft_token: SoftToken) -> None:
    with pytest.raises(CoreError) as refused:
        Token(soft_token.library, "000000")
    assert refused.value.code == "token.wrong_pin"


def test_a_missing_or_wrong_driver_is_refused(soft_token: SoftToken, tmp_path: Path) -> None:
    not_a_driver = tmp_path / "eTPKCS11.so"
    not_a_driver.write_bytes(b"\x7fELF not really")
    for library in (str(tmp_path / "absent.so"), str(not_a_driver)):
        with pytest.raises(CoreError) as refused:
            list_certificates(library)
        assert refused.value.code == "token.no_driver"


def test_an_unknown_certificate_id_is_refused(soft_token: SoftToken) -> None:
    with Token(soft_token.library, soft_token.pin) as session, pytest.raises(CoreError) as refused:
        session.signer("ff")
    assert refused.value.code == "token.no_certificate"


# python-pkcs11 finalises the interrupted operation in a destructor, which raises again on a
# dead session; Python can only print that, so it is not what this test is about.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.qt_no_exception_capture
def test_a_token_removed_while_signing_gives_token_removed(soft_token: SoftToken) -> None:
    with Token(soft_token.library, soft_token.pin) as session:
        signing = Signing(session, PERSONAL_ID, "Sig0", "Phê duyệt")
        session.signer(PERSONAL_ID)  # chosen while the token was there
        session.session.close()  # pulled out: the driver drops the session
        with pytest.raises(CoreError) as refused:
            sign_pdf(_pdf(), [signing], now())
    assert refused.value.code == "token.removed"
    assert list_certificates(soft_token.library)  # plugged in again, it works


@pytest.mark.skipif(
    not (shutil.which("pdfsig") and shutil.which("certutil")),
    reason="poppler-utils and libnss3-tools are not installed (.ci/run installs them)",
)
def test_poppler_pdfsig_accepts_the_signature_and_its_chain(
    soft_token: SoftToken, tmp_path: Path
) -> None:
    """An independent validator (poppler over NSS) trusting only the test root."""
    path = tmp_path / "signed.pdf"
    path.write_bytes(_signed(soft_token, PERSONAL_ID, ORGANISATION_ID))
    nss = tmp_path / "nss"
    nss.mkdir()
    root = tmp_path / "root.pem"
    root.write_bytes(soft_token.pki.root.public_bytes(Encoding.PEM))
    for command in (
        ["certutil", "-N", "--empty-password", "-d", f"sql:{nss}"],
        ["certutil", "-A", "-n", "root", "-t", "CT,CT,CT", "-i", str(root), "-d", f"sql:{nss}"],
    ):
        subprocess.run(command, capture_output=True, check=True)
    report = subprocess.run(
        ["pdfsig", "-nssdir", f"sql:{nss}", str(path)], capture_output=True, text=True, check=True
    )
    assert report.stdout.count("Signature Validation: Signature is Valid.") == 2
    assert report.stdout.count("Certificate Validation: Certificate is Trusted.") == 2
    assert "Signer Certificate Common Name: Nguyễn Văn An" in report.stdout
    assert "ETSI.CAdES.detached" in report.stdout  # PAdES, not the legacy PKCS#7 form


def test_b_t_carries_a_timestamp_that_dates_the_signature(soft_token: SoftToken) -> None:
    from asn1crypto import keys, x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    cert, key = timestamp_authority(soft_token)
    stamped_at = datetime(2026, 12, 1, 8, 30, tzinfo=UTC)
    timestamper = DummyTimeStamper(
        tsa_cert=x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
        tsa_key=keys.PrivateKeyInfo.load(
            key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        ),
        fixed_dt=stamped_at,
    )
    with Token(soft_token.library, soft_token.pin) as session:
        signing = Signing(session, PERSONAL_ID, "Sig0", "Phê duyệt")
        signed = sign_pdf(_pdf(), [signing], now(), timestamper)
    [found] = verify.verify_pdf(signed, [soft_token.pki.root_der])
    assert (found.reason, found.signed_at) == (verify.VALID, "2026-12-01T08:30:00+00:00")


def test_a_revoked_certificate_is_caught_from_revocation_data_in_the_pdf(
    soft_token: SoftToken,
) -> None:
    from asn1crypto import crl
    from cryptography.hazmat.primitives import serialization
    from pyhanko.sign.validation.dss import DocumentSecurityStore

    signed = _signed(soft_token, PERSONAL_ID)
    revoked = revocation_list(soft_token, soft_token.pki.personal)
    with_crl = io.BytesIO(signed)
    embedded = PdfFileReader(io.BytesIO(signed)).embedded_signatures[0]
    DocumentSecurityStore.add_dss(
        with_crl,
        embedded.pkcs7_content,
        crls=[crl.CertificateList.load(revoked.public_bytes(serialization.Encoding.DER))],
    )
    [found] = verify.verify_pdf(with_crl.getvalue(), [soft_token.pki.root_der])
    assert (found.intact, found.trusted, found.reason) == (True, False, verify.REVOKED)
    # The same PDF with a CRL that does not list the signer stays valid.
    clean = io.BytesIO(signed)
    DocumentSecurityStore.add_dss(
        clean,
        embedded.pkcs7_content,
        crls=[
            crl.CertificateList.load(
                revocation_list(soft_token).public_bytes(serialization.Encoding.DER)
            )
        ],
    )
    assert verify.verify_pdf(clean.getvalue(), [soft_token.pki.root_der])[0].reason == verify.VALID


def test_the_visible_signature_sits_above_the_signer_s_printed_name(
    soft_token: SoftToken,
) -> None:
    pdf = _pdf(signer_at=(400, 300))
    personal, organisation = signer_places(pdf, "Lê Văn Bình")
    assert personal.page == organisation.page == 0
    assert 300 < personal.box[1] < 320 < personal.box[3]  # just above the name's line
    assert organisation.box[3] < 300  # the organisation's below it
    with Token(soft_token.library, soft_token.pin) as session:
        signed = sign_pdf(
            pdf, [Signing(session, PERSONAL_ID, "Sig0", "Phê duyệt", personal)], now()
        )
    [field] = PdfFileReader(io.BytesIO(signed)).root["/AcroForm"]["/Fields"]
    assert [round(float(n)) for n in field.get_object()["/Rect"]] == list(personal.box)


def test_without_the_name_the_boxes_go_to_the_last_page() -> None:
    assert signer_places(_pdf(), "Lê Văn Bình") == (
        Place(-1, SIGNER_BOX),
        Place(-1, ORGANISATION_BOX),
    )
    with pytest.raises(CoreError) as refused:
        signer_places(b"not a pdf", "Lê Văn Bình")
    assert refused.value.code == "signing.not_a_pdf"
