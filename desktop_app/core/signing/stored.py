"""The signing layer's side of the store: the office's token settings, its seal image, the
certificates the head last chose, the token-signed PDF of each approved revision, and the
signatures found on received PDFs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from desktop_app.core.clock import timestamp
from desktop_app.core.signing import trust
from desktop_app.core.signing.seal import checked_seal
from desktop_app.core.signing.verify import PdfSignature, may_be_signed, verify_pdf

_SETTING = "signing.{}"
_SETTINGS = ("library", "cert_id", "organisation_cert_id", "tsa_url")


@dataclass(frozen=True)
class TokenSettings:
    """Per office: the driver path, the certificates (by CKA_ID) and the timestamp service."""

    library: str = ""
    cert_id: str = ""
    organisation_cert_id: str = ""
    tsa_url: str = ""

    @property
    def configured(self) -> bool:
        return bool(self.library)


def token_settings(db: Database) -> TokenSettings:
    keys = [_SETTING.format(name) for name in _SETTINGS]
    rows = dict(
        db.execute(
            f"SELECT key, value FROM settings WHERE key IN ({', '.join('?' * len(keys))})", keys
        ).fetchall()
    )
    return TokenSettings(*(str(rows.get(key) or "") for key in keys))


def save_token_settings(db: Database, settings: TokenSettings) -> None:
    for name in _SETTINGS:
        value = getattr(settings, name).strip()
        db.table("settings").upsert({"key": _SETTING.format(name), "value": value}, pk="key")


@dataclass(frozen=True)
class CertificateChoice:
    """The certificates (CKA_ID) the head last signed an approval with; ``organisation_cert_id``
    "" when that approval carried no organisation's signature. Never the PIN."""

    cert_id: str
    organisation_cert_id: str


_LAST_CHOICE = ("signing.last_cert_id", "signing.last_organisation_cert_id")


def remember_choice(db: Database, cert_id: str, organisation_cert_id: str) -> None:
    for key, value in zip(_LAST_CHOICE, (cert_id, organisation_cert_id), strict=True):
        db.table("settings").upsert({"key": key, "value": value.lower()}, pk="key")


def remembered_choice(db: Database) -> CertificateChoice | None:
    rows = dict(
        db.execute("SELECT key, value FROM settings WHERE key IN (?, ?)", _LAST_CHOICE).fetchall()
    )
    if not rows.get(_LAST_CHOICE[0]):
        return None
    return CertificateChoice(str(rows[_LAST_CHOICE[0]]), str(rows.get(_LAST_CHOICE[1]) or ""))


def set_seal(db: Database, png: bytes) -> None:
    """Keep the office's seal image (checked first), replacing the one before."""
    db.table("signing_seal").upsert(
        {"id": 1, "png": checked_seal(png), "set_at": timestamp()}, pk="id"
    )


def remove_seal(db: Database) -> None:
    db.execute("DELETE FROM signing_seal")


def seal(db: Database) -> bytes | None:
    """The office's seal image (PNG), or None: the organisation's box then shows text only."""
    row = db.execute("SELECT png FROM signing_seal WHERE id = 1").fetchone()
    return bytes(row[0]) if row else None


def keep_signed_pdf(db: Database, report_id: str, revision: int, pdf: bytes) -> None:
    db.table("signed_pdfs").upsert(
        {"report_id": report_id, "revision": revision, "content": pdf, "signed_at": timestamp()},
        pk=("report_id", "revision"),
    )


def signed_pdf(db: Database, report_id: str, revision: int) -> bytes | None:
    row = db.execute(
        "SELECT content FROM signed_pdfs WHERE report_id = ? AND revision = ?",
        [report_id, revision],
    ).fetchone()
    return bytes(row[0]) if row else None


def check_carried_pdfs(db: Database, pdfs: Mapping[str, bytes]) -> dict[str, list[PdfSignature]]:
    """The signatures of each PDF a bundle carries (by path), against this office's anchors."""
    if not any(may_be_signed(pdf) for pdf in pdfs.values()):
        return {path: [] for path in pdfs}  # the usual case: no need to read the anchors
    anchors = [anchor.der for anchor in trust.anchors(db)]
    return {path: verify_pdf(pdf, anchors) for path, pdf in pdfs.items()}


def record_signatures(
    db: Database, report_id: str, revision: int, signatures: Sequence[PdfSignature]
) -> None:
    db.execute(
        "DELETE FROM pdf_signatures WHERE report_id = ? AND revision = ?", [report_id, revision]
    )
    for position, signature in enumerate(signatures):
        db.table("pdf_signatures").insert(
            {"report_id": report_id, "revision": revision, "position": position}
            | signature.as_json()
        )


def recorded_signatures(db: Database, report_id: str, revision: int) -> list[PdfSignature]:
    rows = db.execute(
        "SELECT signer, organisation, signed_at, intact, trusted, reason FROM pdf_signatures "
        "WHERE report_id = ? AND revision = ? ORDER BY position",
        [report_id, revision],
    ).fetchall()
    return [PdfSignature(s, o, at, bool(i), bool(t), r) for s, o, at, i, t, r in rows]
