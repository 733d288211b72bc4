"""Trust anchors: the CA certificates a PDF signature must chain to, kept as data.

The app ships the Ban Cơ yếu Chính phủ root and subordinate CAs in ``resources/trust/`` with
their source and SHA-256 fingerprints (``anchors.json``); a shipped file whose fingerprint does
not match is refused, so a damaged or swapped file never becomes trusted. An office adds a CA
(``baocao trust ca add FILE``): it is kept in the workspace's ``signing_trust_anchors`` table.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlite_utils import Database

from desktop_app.core.clock import timestamp
from desktop_app.core.errors import CoreError
from desktop_app.core.paths import resource
from desktop_app.core.store.database import write_transaction

if TYPE_CHECKING:
    from cryptography import x509

SHIPPED, ADDED = "shipped", "added"


@dataclass(frozen=True)
class TrustAnchor:
    subject: str
    sha256: str  # fingerprint of the DER certificate, lowercase hex
    not_after: str
    origin: str  # SHIPPED or ADDED
    source: str  # where it came from: the publisher's page, or the file an office added
    der: bytes


def shipped_anchors(folder: Path | None = None) -> list[TrustAnchor]:
    """The anchors listed in ``anchors.json`` (the app's ``resources/trust``, or a
    configuration package's copy of that folder), each checked against its fingerprint."""
    folder = folder or resource("trust")
    listed = json.loads((folder / "anchors.json").read_text(encoding="utf-8"))
    anchors = []
    for entry in listed["anchors"]:
        der = _der_of((folder / entry["file"]).read_bytes())
        if _fingerprint(der) != entry["sha256"].lower():
            raise CoreError("trust.fingerprint_mismatch", file=entry["file"])
        anchors.append(_anchor(der, SHIPPED, entry["source"]))
    return anchors


def anchors(db: Database) -> list[TrustAnchor]:
    """The shipped anchors, then those this office added, oldest first."""
    rows = db.execute(
        "SELECT der, source FROM signing_trust_anchors ORDER BY added_at, sha256"
    ).fetchall()
    return shipped_anchors() + [_anchor(bytes(der), ADDED, source) for der, source in rows]


def add_anchor(db: Database, data: bytes, source: str) -> TrustAnchor:
    """Trust one more CA certificate (PEM or DER); only a CA certificate is accepted."""
    from cryptography import x509

    der = _der_of(data)
    cert = x509.load_der_x509_certificate(der)
    try:
        is_ca = cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        is_ca = False
    if not is_ca:
        raise CoreError("trust.not_a_ca", subject=_subject(cert))
    anchor = _anchor(der, ADDED, source)
    with write_transaction(db):
        db.execute(
            "INSERT OR IGNORE INTO signing_trust_anchors (sha256, subject, der, source, added_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [anchor.sha256, anchor.subject, der, source, timestamp()],
        )
    return anchor


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


def _anchor(der: bytes, origin: str, source: str) -> TrustAnchor:
    from cryptography import x509

    cert = x509.load_der_x509_certificate(der)
    return TrustAnchor(
        subject=_subject(cert),
        sha256=_fingerprint(der),
        not_after=cert.not_valid_after_utc.date().isoformat(),
        origin=origin,
        source=source,
        der=der,
    )


def _subject(cert: x509.Certificate) -> str:
    from cryptography.x509.oid import NameOID

    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else cert.subject.rfc4514_string()


def _fingerprint(der: bytes) -> str:
    return hashlib.sha256(der).hexdigest()
