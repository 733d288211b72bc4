"""The request statement: how a lower office proves who asks the receiving service for its
receipts (DESIGN: ``docs/bundle-format.md`` §11.4), pure bytes in and out.

The office signs, with the key its upper office enrolled, a short statement naming the request
(method and target), itself, the time and a random nonce. It travels as the HTTP header
``Authorization: Baocao-Signed <base64 of the DSSE envelope>``. The service judges it against its
trust list like a bundle's signature: an unknown key, a revoked key or a bad signature is
refused, and so is a statement for another request, a time away from the service's clock by more
than ``MAX_SKEW`` and a nonce already seen (the stored side, ``exchange/line_requests.py``).
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from desktop_app.core.errors import CoreError
from desktop_app.core.exchange.formats import dsse
from desktop_app.core.exchange.formats.bundle import TrustLookup
from desktop_app.core.model import strictjson
from desktop_app.core.model.offices import OFFICE_CODE

REQUEST_TYPE = "application/vnd.baocao.request+json; version=1"
SCHEME = "Baocao-Signed"
FORMAT = "baocao-request"
MAX_HEADER_CHARS = 4096
MAX_TARGET_CHARS = 512
MAX_SKEW = timedelta(minutes=5)
_FIELDS = frozenset({"format", "format_version", "method", "target", "office", "time", "nonce"})
_METHOD = re.compile(r"[A-Z]{1,10}")
_NONCE = re.compile(r"[0-9a-f]{32}")
_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?([+-]\d\d:\d\d|Z)")

# Who is refused, and how the service answers: 401 when the asker is not proven (it may try
# again with a proper statement), 403 when a known office asks for what is not its own.
MISSING, MALFORMED = "online.auth.missing", "online.auth.malformed"
UNKNOWN_KEY, BAD_SIGNATURE = "online.auth.unknown_key", "online.auth.bad_signature"
OTHER_REQUEST, STALE, REPLAYED = (
    "online.auth.other_request",
    "online.auth.stale",
    "online.auth.replayed",
)
REVOKED, WRONG_OFFICE = "online.auth.revoked", "online.auth.wrong_office"
FORBIDDEN = frozenset({REVOKED, WRONG_OFFICE})
REFUSALS = frozenset(
    {MISSING, MALFORMED, UNKNOWN_KEY, BAD_SIGNATURE, OTHER_REQUEST, STALE, REPLAYED} | FORBIDDEN
)


class RequestRefused(CoreError):
    """The statement does not prove the request; ``code`` is one of ``REFUSALS``."""

    @property
    def http_status(self) -> int:
        return 403 if self.code in FORBIDDEN else 401


@dataclass(frozen=True)
class RequestStatement:
    method: str
    target: str  # the path and query exactly as sent: "/api/v1/receipts/DU-14797?after=0"
    office: str
    time: datetime
    nonce: str


def sign(
    method: str,
    target: str,
    office: str,
    key: dsse.Signer,
    now: datetime | None = None,
    nonce: str | None = None,
) -> str:
    """The ``Authorization`` header value for one request (a fresh nonce unless given)."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    payload = strictjson.canonical_bytes(
        {
            "format": FORMAT,
            "format_version": 1,
            "method": method,
            "target": target,
            "office": office,
            "time": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "nonce": nonce or os.urandom(16).hex(),
        }
    )
    envelope = dsse.to_bytes(dsse.sign(REQUEST_TYPE, payload, [key]))
    return f"{SCHEME} {base64.b64encode(envelope).decode('ascii')}"


def read(
    authorization: str, method: str, target: str, trusted_keys: TrustLookup, now: datetime
) -> RequestStatement:
    """The statement in ``authorization``, proven to come from the office it names and to ask
    for exactly this request, now. The caller still checks the nonce is new and that the office
    may have what it asks for."""
    envelope = _envelope(authorization)
    [signature] = envelope.signatures
    signer = trusted_keys(signature.keyid)
    if signer is None:
        raise RequestRefused(UNKNOWN_KEY)
    if not dsse.verify(envelope, REQUEST_TYPE, {signer.key_id: signer.public_raw}):
        raise RequestRefused(BAD_SIGNATURE)
    if signer.revoked_after_seq is not None:  # a revoked key asks for nothing, whatever its seq
        raise RequestRefused(REVOKED, office=signer.office_code)
    statement = _statement(envelope.payload)
    if statement.office != signer.office_code:
        raise RequestRefused(WRONG_OFFICE, office=signer.office_code)
    if (statement.method, statement.target) != (method, target):
        raise RequestRefused(OTHER_REQUEST)
    if abs(statement.time - now) > MAX_SKEW:
        raise RequestRefused(STALE, minutes=int(MAX_SKEW.total_seconds() // 60))
    return statement


def _envelope(authorization: str) -> dsse.Envelope:
    scheme, _, value = authorization.strip().partition(" ")
    if scheme != SCHEME or not value:
        raise RequestRefused(MISSING)
    if len(value) > MAX_HEADER_CHARS:
        raise RequestRefused(MALFORMED)
    try:
        data = base64.b64decode(value.strip(), validate=True)
        envelope = dsse.parse(data, REQUEST_TYPE, max_bytes=MAX_HEADER_CHARS)
    except (binascii.Error, ValueError, dsse.EnvelopeError) as error:
        raise RequestRefused(MALFORMED) from error
    if len(envelope.signatures) != 1:
        raise RequestRefused(MALFORMED)
    return envelope


def _statement(payload: bytes) -> RequestStatement:
    try:
        document = strictjson.parse(payload, max_bytes=MAX_HEADER_CHARS, max_depth=2)
    except strictjson.StrictJSONError as error:
        raise RequestRefused(MALFORMED) from error
    if not isinstance(document, dict) or set(document) != _FIELDS:
        raise RequestRefused(MALFORMED)
    if document["format"] != FORMAT or document["format_version"] != 1:
        raise RequestRefused(MALFORMED)
    return RequestStatement(
        method=_text(document, "method", _METHOD),
        target=_target(document["target"]),
        office=_text(document, "office", OFFICE_CODE),
        time=_time(document["time"]),
        nonce=_text(document, "nonce", _NONCE),
    )


def _text(document: Mapping[str, Any], name: str, pattern: re.Pattern[str]) -> str:
    value = document[name]
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise RequestRefused(MALFORMED)
    return value


def _target(value: Any) -> str:
    if (
        not isinstance(value, str)
        or not value.startswith("/")
        or len(value) > MAX_TARGET_CHARS
        or not value.isascii()
        or not value.isprintable()
    ):
        raise RequestRefused(MALFORMED)
    return value


def _time(value: Any) -> datetime:
    if not isinstance(value, str) or not _TIME.fullmatch(value):
        raise RequestRefused(MALFORMED)
    try:
        return datetime.fromisoformat(value)
    except ValueError as error:  # not a real calendar time: 2026-02-30
        raise RequestRefused(MALFORMED) from error
