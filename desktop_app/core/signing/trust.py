"""Trust anchors: the CA certificates a PDF signature must chain to, kept as data.

The app ships the Ban Cơ yếu Chính phủ root and subordinate CAs in ``resources/trust/`` with
their source and SHA-256 fingerprints (``anchors.json``); a shipped file whose fingerprint does
not match is refused, so a damaged or swapped file never becomes trusted. An office adds a CA
(``baocao trust ca add FILE``), or receives them in its issuer's configuration package (each
package replaces the set the issuer gave before); both are kept in the workspace's
``signing_trust_anchors`` table, and an office passes on both in the packages it builds.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from sqlite_utils import Database

from desktop_app.core.clock import timestamp
from desktop_app.core.errors import CoreError
from desktop_app.core.paths import resource
from desktop_app.core.store.database import write_transaction

if TYPE_CHECKING:
    from cryptography import x509

SHIPPED, ADDED, RECEIVED = "shipped", "added", "received"


@dataclass(frozen=True)
class TrustAnchor:
    subject: str
    sha256: str  # fingerprint of the DER certificate, lowercase hex
    not_after: str
    origin: str  # SHIPPED, ADDED or RECEIVED
    source: str  # where it came from: the publisher's page, or the file an office added
    der: bytes
    name: str = ""  # the issuer's name for a RECEIVED one
    issuer: str = ""  # the office whose package gave a RECEIVED one


class CarriedCa(Protocol):
    """A CA as a configuration package carries it (the issuer's name for it, its source)."""

    @property
    def name(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def der(self) -> bytes: ...


def shipped_anchors(folder: Path | None = None) -> list[TrustAnchor]:
    """The anchors listed in ``anchors.json`` (the app's ``resources/trust``, or a
    configuration package's copy of that folder), each checked against its fingerprint."""
    folder = folder or resource("trust")
    listed = json.loads((folder / "anchors.json").read_text(encoding="utf-8"))
    anchors = []
    for entry in listed["anchors"]:
        der = _der_of((folder / entry["file"]).read_bytes())
        if fingerprint(der) != entry["sha256"].lower():
            raise CoreError("trust.fingerprint_mismatch", file=entry["file"])
        anchors.append(_anchor(der, SHIPPED, entry["source"]))
    return anchors


def anchors(db: Database) -> list[TrustAnchor]:
    """The shipped anchors, then those this office added or received, oldest first."""
    return shipped_anchors() + kept_anchors(db)


def kept_anchors(db: Database) -> list[TrustAnchor]:
    """The anchors in the store: added by this office or received in a package. These are
    the ones its own packages pass on (every office has the shipped ones)."""
    rows = db.execute(
        "SELECT der, source, name, COALESCE(issuer_code, '') FROM signing_trust_anchors "
        "ORDER BY added_at, sha256"
    ).fetchall()
    return [
        _anchor(bytes(der), RECEIVED if issuer else ADDED, source, name, issuer)
        for der, source, name, issuer in rows
    ]


def add_anchor(db: Database, data: bytes, source: str) -> TrustAnchor:
    """Trust one more CA certificate (PEM or DER); only a CA certificate is accepted."""
    der = _der_of(data)
    checked_ca(der)
    anchor = _anchor(der, ADDED, source)
    with write_transaction(db):
        db.execute(
            "INSERT OR IGNORE INTO signing_trust_anchors (sha256, subject, der, source, added_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [anchor.sha256, anchor.subject, der, source, timestamp()],
        )
    return anchor


def remove_added(db: Database, sha256: str) -> TrustAnchor:
    """Stop trusting a CA this office added (its packages stop passing it on); one received
    from the issuer goes only with the issuer's next package, a shipped one never."""
    row = db.execute(
        "SELECT der, source FROM signing_trust_anchors WHERE sha256 = ? AND issuer_code IS NULL",
        [sha256.strip().lower()],
    ).fetchone()
    if row is None:
        raise CoreError("trust.not_added", sha256=sha256)
    anchor = _anchor(bytes(row[0]), ADDED, row[1])
    with write_transaction(db):
        db.execute("DELETE FROM signing_trust_anchors WHERE sha256 = ?", [anchor.sha256])
    return anchor


def replace_received(db: Database, issuer_code: str, carried: Iterable[CarriedCa]) -> None:
    """The issuer's package sets the CAs it gives this office: those of its earlier packages
    go, these come (each checked with ``checked_ca`` before). A CA this office added itself
    stays as it is. Call inside the installing transaction."""
    db.execute("DELETE FROM signing_trust_anchors WHERE issuer_code = ?", [issuer_code])
    for item in carried:
        anchor = _anchor(item.der, RECEIVED, item.source, item.name, issuer_code)
        db.execute(
            "INSERT OR IGNORE INTO signing_trust_anchors "
            "(sha256, subject, der, source, added_at, issuer_code, name) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                anchor.sha256,
                anchor.subject,
                item.der,
                item.source,
                timestamp(),
                issuer_code,
                item.name,
            ],
        )


def checked_ca(der: bytes, at: datetime | None = None) -> x509.Certificate:
    """The certificate in ``der`` if it is a CA certificate (not expired ``at``, when given):
    ``trust.not_a_certificate``, ``trust.not_a_ca`` or ``trust.ca_expired`` otherwise."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    try:
        cert = x509.load_der_x509_certificate(der)
        exact = cert.public_bytes(Encoding.DER) == der
    except ValueError as error:
        raise CoreError("trust.not_a_certificate") from error
    if not exact:  # trailing bytes or a non-canonical encoding: not the DER it claims
        raise CoreError("trust.not_a_certificate")
    try:
        is_ca = cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except (x509.ExtensionNotFound, ValueError):
        is_ca = False
    if not is_ca:
        raise CoreError("trust.not_a_ca", subject=_subject(cert))
    if at is not None and at > cert.not_valid_after_utc:
        raise CoreError(
            "trust.ca_expired",
            subject=_subject(cert),
            not_after=cert.not_valid_after_utc.date().isoformat(),
        )
    return cert


def _der_of(data: bytes) -> bytes:
    # cryptography loads when a certificate is read, not at start-up
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    try:
        if data.lstrip().startswith(b"-----BEGIN"):
            return x509.load_pem_x509_certificate(data).public_bytes(Encoding.DER)
        return x509.load_der_x509_certificate(data).public_bytes(Encoding.DER)
    except ValueError as error:
        raise CoreError("trust.not_a_certificate") from error


def _anchor(der: bytes, origin: str, source: str, name: str = "", issuer: str = "") -> TrustAnchor:
    from cryptography import x509

    cert = x509.load_der_x509_certificate(der)
    return TrustAnchor(
        subject=_subject(cert),
        sha256=fingerprint(der),
        not_after=cert.not_valid_after_utc.date().isoformat(),
        origin=origin,
        source=source,
        der=der,
        name=name,
        issuer=issuer,
    )


def _subject(cert: x509.Certificate) -> str:
    from cryptography.x509.oid import NameOID

    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else cert.subject.rfc4514_string()


def fingerprint(der: bytes) -> str:
    return hashlib.sha256(der).hexdigest()
