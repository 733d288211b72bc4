"""Every signature a PDF carries, checked as the upper office checks it.

Each signature is checked for four things: it is intact (the signed bytes are unchanged and
nothing after it changed the document beyond adding signatures); its certificate chains to a
trust anchor; the certificate was valid when it signed (the timestamp's time for B-T, the
signer's own claim for B-B); and it is not revoked, as far as the revocation data embedded in
the PDF tells offline. Nothing is fetched from the network: offices are often offline.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from contextlib import suppress
from dataclasses import asdict, dataclass
from typing import Any

from desktop_app.core.signing.token import describe

VALID = "valid"
# The reasons a signature fails, most serious first; each has a phrase
# ``pdf_signature.<reason>`` in the catalogue.
MODIFIED = "modified"
BAD_SIGNATURE = "bad_signature"
REVOKED = "revoked"
EXPIRED = "expired"
NOT_YET_VALID = "not_yet_valid"
UNTRUSTED = "untrusted"
UNREADABLE = "unreadable"
REASONS = (VALID, MODIFIED, BAD_SIGNATURE, REVOKED, EXPIRED, NOT_YET_VALID, UNTRUSTED, UNREADABLE)


@dataclass(frozen=True)
class PdfSignature:
    signer: str
    organisation: str
    signed_at: str  # RFC 3339, or "" when the signature states no time
    intact: bool
    trusted: bool
    reason: str  # VALID, or why the signature is not recognised (one of REASONS)

    @property
    def recognised(self) -> bool:
        return self.reason == VALID

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def verify_pdf(pdf: bytes, anchors: Iterable[bytes]) -> list[PdfSignature]:
    """One entry per signature field, in the order they were signed; ``[]`` for none."""
    if not may_be_signed(pdf):
        return []
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        embedded = list(reader.embedded_regular_signatures)
    except (PdfError, ValueError, KeyError, TypeError):
        return []
    roots = list(anchors)
    return [_check(reader, signature, roots) for signature in embedded]


def may_be_signed(pdf: bytes) -> bool:
    """False when ``pdf`` surely has no signature: every signature dictionary has a /ByteRange."""
    return b"/ByteRange" in pdf


def has_recognised_signature(pdf: bytes, anchors: Iterable[bytes] | None = None) -> bool:
    """Whether ``pdf`` carries at least one signature that passes every check.

    ``anchors`` defaults to the anchors shipped with the app; the documents layer asks this
    before printing "Đã ký số".
    """
    if anchors is None:
        from desktop_app.core.signing.trust import shipped_anchors

        anchors = [anchor.der for anchor in shipped_anchors()]
    return any(signature.recognised for signature in verify_pdf(pdf, anchors))


def _check(reader: Any, embedded: Any, roots: Sequence[bytes]) -> PdfSignature:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError

    try:
        status = validate_pdf_signature(embedded, _context(reader, roots))
    except (SignatureValidationError, ValueError, KeyError, TypeError):
        return _unreadable(embedded)
    cert = describe(status.signing_cert.dump())
    when = status.timestamp_validity.timestamp if status.timestamp_validity else None
    when = when or status.signer_reported_dt
    intact = bool(status.intact and status.valid and _no_later_changes(status))
    return PdfSignature(
        signer=cert.subject,
        organisation=cert.organisation,
        signed_at=when.isoformat(timespec="seconds") if when else "",
        intact=intact,
        trusted=bool(status.trusted),
        reason=_reason(status, intact),
    )


def _context(reader: Any, roots: Sequence[bytes]) -> Any:
    from asn1crypto import x509 as asn1_x509
    from pyhanko.sign.validation.dss import DocumentSecurityStore
    from pyhanko.sign.validation.errors import NoDSSFoundError
    from pyhanko_certvalidator import ValidationContext

    settings: dict[str, Any] = {
        "trust_roots": [asn1_x509.Certificate.load(der) for der in roots],
        "allow_fetching": False,
        "revocation_mode": "soft-fail",  # revocation data used when the PDF carries it
    }
    try:
        return DocumentSecurityStore.read_dss(reader).as_validation_context(settings)
    except NoDSSFoundError:
        return ValidationContext(**settings)


def _no_later_changes(status: Any) -> bool:
    from pyhanko.sign.diff_analysis import ModificationLevel

    level = status.modification_level
    return level is None or level <= ModificationLevel.FORM_FILLING


def _reason(status: Any, intact: bool) -> str:
    from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate

    if not (status.intact and _no_later_changes(status)):
        return MODIFIED
    if not intact:
        return BAD_SIGNATURE
    if status.trusted:
        return VALID
    problem = status.trust_problem_indic
    if problem in (AdESFailure.REVOKED, AdESIndeterminate.REVOKED_NO_POE):
        return REVOKED
    if problem in (AdESIndeterminate.EXPIRED, AdESIndeterminate.OUT_OF_BOUNDS_NO_POE):
        return EXPIRED
    if problem in (AdESFailure.NOT_YET_VALID, AdESIndeterminate.NOT_YET_VALID):
        return NOT_YET_VALID
    return UNTRUSTED


def _unreadable(embedded: Any) -> PdfSignature:
    name = ""  # stays empty when not even the certificate can be read
    with suppress(ValueError, KeyError, TypeError, AttributeError):
        name = describe(embedded.signer_cert.dump()).subject
    return PdfSignature(name, "", "", False, False, UNREADABLE)
