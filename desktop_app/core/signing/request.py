"""What the head brings to a token approval, and the signed PDF it produces."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from desktop_app.core.errors import CoreError
from desktop_app.core.signing.pades import Signing, sign_pdf, signer_places
from desktop_app.core.signing.token import Token

if TYPE_CHECKING:
    from pyhanko.sign.timestamps import TimeStamper

PERSONAL_FIELD, ORGANISATION_FIELD = "ChuKyCaNhan", "ChuKyCoQuan"
APPROVAL_REASON = "Phê duyệt, ban hành báo cáo"


@dataclass(frozen=True)
class TokenApproval:
    """The token to sign with. ``pin`` lives only as long as this request; nothing stores it."""

    library: str
    pin: str = field(repr=False)
    cert_id: str | None = None  # None: the token holds exactly one signing certificate
    organisation_cert_id: str | None = None
    tsa_url: str | None = None  # set: B-T (a timestamp from this service); unset: B-B


def sign_for_approval(
    pdf: bytes,
    request: TokenApproval,
    signer_name: str,
    at: datetime,
    seal: bytes | None = None,
) -> bytes:
    """The personal signature, then the organisation's when its certificate is named; both
    visible at the place of ``signer_name`` (the approver's name printed in the PDF), the
    organisation's with the office's ``seal`` image when it has one."""
    personal_place, organisation_place = signer_places(pdf, signer_name)
    with Token(request.library, request.pin) as token:
        personal = request.cert_id or _only_certificate(token)
        signings = [Signing(token, personal, PERSONAL_FIELD, APPROVAL_REASON, personal_place)]
        if request.organisation_cert_id:
            signings.append(
                Signing(
                    token,
                    request.organisation_cert_id,
                    ORGANISATION_FIELD,
                    APPROVAL_REASON,
                    organisation_place,
                    seal,
                )
            )
        return sign_pdf(pdf, signings, at, _timestamper(request.tsa_url))


def _only_certificate(token: Token) -> str:
    certificates = token.certificates()
    if len(certificates) != 1:
        raise CoreError("token.choose_certificate", count=len(certificates))
    return certificates[0].cert_id


def _timestamper(url: str | None) -> TimeStamper | None:
    if not url:
        return None
    from pyhanko.sign.timestamps import HTTPTimeStamper

    return HTTPTimeStamper(url)
