"""A SoftHSM2 token holding a CA hierarchy made in the test: root → subordinate → the head's
personal certificate, the organisation's certificate and an expired one.

Loaded as a pytest plugin (tests/conftest.py). The keys go on the token as a Ban Cơ yếu token
holds them: the private key's label empty, found only by CKA_ID.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

SOFTHSM = next(
    (
        path
        for path in (
            "/usr/lib/softhsm/libsofthsm2.so",
            "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
        )
        if Path(path).is_file()
    ),
    "",
)
PIN, SO_PIN, LABEL = "123456", "87654321", "BCY-TEST"
PERSONAL_ID, ORGANISATION_ID, EXPIRED_ID = "a1", "b2", "c3"
needs_softhsm = pytest.mark.skipif(
    not SOFTHSM, reason="softhsm2 is not installed (.ci/run installs it)"
)


@dataclass(frozen=True)
class Pki:
    root: x509.Certificate
    subordinate: x509.Certificate
    personal: x509.Certificate
    organisation: x509.Certificate
    expired: x509.Certificate

    @property
    def root_der(self) -> bytes:
        return self.root.public_bytes(serialization.Encoding.DER)

    @property
    def subordinate_der(self) -> bytes:
        return self.subordinate.public_bytes(serialization.Encoding.DER)


@dataclass(frozen=True)
class SoftToken:
    library: str
    pin: str
    pki: Pki
    ca_key: rsa.RSAPrivateKey  # the subordinate CA's: it signs CRLs and the TSA certificate


def _name(common: str, organisation: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _certificate(
    subject: x509.Name,
    key: rsa.RSAPrivateKey,
    issuer: x509.Certificate | None,
    issuer_key: rsa.RSAPrivateKey,
    *,
    ca: bool,
    valid: tuple[datetime, datetime],
) -> x509.Certificate:
    usage = {name: False for name in ("key_encipherment", "data_encipherment", "key_agreement")}
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(valid[0])
        .not_valid_after(valid[1])
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=not ca,
                content_commitment=not ca,
                key_cert_sign=ca,
                crl_sign=ca,
                encipher_only=False,
                decipher_only=False,
                **usage,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
    )
    if not ca:  # as issued: revocation is published (never fetched here: tests are offline)
        builder = builder.add_extension(
            x509.CRLDistributionPoints(
                [
                    x509.DistributionPoint(
                        [x509.UniformResourceIdentifier("http://crl.ca.gov.vn.invalid/sub.crl")],
                        None,
                        None,
                        None,
                    )
                ]
            ),
            critical=False,
        )
    return builder.sign(issuer_key, hashes.SHA256())


def _store(session: object, cert: x509.Certificate, key: rsa.RSAPrivateKey, cert_id: str) -> None:
    from pkcs11 import Attribute, CertificateType, ObjectClass
    from pkcs11.util.rsa import decode_rsa_private_key

    private = decode_rsa_private_key(
        key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    ident = bytes.fromhex(cert_id)
    private.update(
        {Attribute.ID: ident, Attribute.LABEL: "", Attribute.TOKEN: True, Attribute.SIGN: True}
    )
    session.create_object(private)  # type: ignore[attr-defined]
    session.create_object(  # type: ignore[attr-defined]
        {
            Attribute.CLASS: ObjectClass.CERTIFICATE,
            Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
            Attribute.TOKEN: True,
            Attribute.ID: ident,
            Attribute.LABEL: f"cert {cert_id}",
            Attribute.SUBJECT: cert.subject.public_bytes(),
            Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER),
        }
    )


def make_pki() -> tuple[Pki, dict[str, rsa.RSAPrivateKey]]:
    now = datetime.now(UTC)
    years = (now - timedelta(days=365), now + timedelta(days=3 * 365))
    root_key, sub_key, personal_key, org_key, expired_key = (_key() for _ in range(5))
    bcy = "Ban Cơ yếu Chính phủ"
    root = _certificate(
        _name("Root CA thử nghiệm", bcy), root_key, None, root_key, ca=True, valid=years
    )
    sub = _certificate(
        _name("CA phục vụ các cơ quan Đảng (thử)", bcy),
        sub_key,
        root,
        root_key,
        ca=True,
        valid=years,
    )
    office = "Văn phòng Tỉnh ủy Thử nghiệm"
    months = (now - timedelta(days=30), now + timedelta(days=365))
    personal = _certificate(
        _name("Nguyễn Văn An", office), personal_key, sub, sub_key, ca=False, valid=months
    )
    organisation = _certificate(
        _name(office, office), org_key, sub, sub_key, ca=False, valid=months
    )
    expired = _certificate(
        _name("Trần Thị Bình", office),
        expired_key,
        sub,
        sub_key,
        ca=False,
        valid=(now - timedelta(days=400), now - timedelta(days=35)),
    )
    keys = {
        PERSONAL_ID: personal_key,
        ORGANISATION_ID: org_key,
        EXPIRED_ID: expired_key,
        "ca": sub_key,
    }
    return Pki(root, sub, personal, organisation, expired), keys


@pytest.fixture(scope="session")
def soft_token(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SoftToken]:
    """One token for the whole run (SoftHSM reads its configuration once per process)."""
    if not SOFTHSM:
        pytest.skip("softhsm2 is not installed (.ci/run installs it)")
    folder = tmp_path_factory.mktemp("softhsm")
    (folder / "tokens").mkdir()
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\n")
    previous = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    subprocess.run(
        [
            "softhsm2-util",
            "--init-token",
            "--free",
            "--label",
            LABEL,
            "--pin",
            PIN,
            "--so-pin",
            SO_PIN,
        ],
        check=True,
        capture_output=True,
    )
    pki, keys = make_pki()
    _fill(pki, keys)
    yield SoftToken(SOFTHSM, PIN, pki, keys["ca"])
    if previous is None:
        os.environ.pop("SOFTHSM2_CONF", None)
    else:
        os.environ["SOFTHSM2_CONF"] = previous


def _fill(pki: Pki, keys: dict[str, rsa.RSAPrivateKey]) -> None:
    from desktop_app.core.signing.token import load_library

    token = load_library(SOFTHSM).get_token(token_label=LABEL)
    with token.open(rw=True, user_pin=PIN) as session:
        _store(session, pki.personal, keys[PERSONAL_ID], PERSONAL_ID)
        _store(session, pki.organisation, keys[ORGANISATION_ID], ORGANISATION_ID)
        _store(session, pki.expired, keys[EXPIRED_ID], EXPIRED_ID)
        from pkcs11 import Attribute, CertificateType, ObjectClass

        session.create_object(
            {
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True,
                Attribute.ID: b"\xca",
                Attribute.LABEL: "subordinate CA",
                Attribute.SUBJECT: pki.subordinate.subject.public_bytes(),
                Attribute.VALUE: pki.subordinate.public_bytes(serialization.Encoding.DER),
            }
        )


def revocation_list(token: SoftToken, *revoked: x509.Certificate) -> x509.CertificateRevocationList:
    """A CRL from the subordinate CA listing ``revoked``, as an office might receive offline."""
    now = datetime.now(UTC)
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(token.pki.subordinate.subject)
        .last_update(now - timedelta(hours=1))
        .next_update(now + timedelta(days=7))
    )
    for cert in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(cert.serial_number)
            .revocation_date(now - timedelta(days=1))
            .build()
        )
    return builder.sign(token.ca_key, hashes.SHA256())


def timestamp_authority(token: SoftToken) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    """A TSA certificate from the subordinate CA (extended key usage: time stamping only)."""
    key = _key()
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("TSA thử nghiệm", "Ban Cơ yếu Chính phủ"))
        .issuer_name(token.pki.subordinate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(
            x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
        )
        .sign(token.ca_key, hashes.SHA256())
    )
    return cert, key
