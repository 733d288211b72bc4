"""DSSE v1 envelopes (secure-systems-lab/dsse), exactly as DESIGN §8 binds them.

An envelope is ``{"payload": b64(body), "payloadType": TYPE, "signatures": [{"keyid", "sig"}]}``
with standard base64 and padding. Each ``sig`` is Ed25519 over ``PAE(TYPE, body)``. The type is
part of what is signed, so a signature made for one type never verifies as another. ``keyid`` is
only a hint for finding the key; trust comes from the public key the caller supplies.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from desktop_app.core.errors import ReasonedError
from desktop_app.core.model import strictjson

MANIFEST_TYPE = "application/vnd.baocao.manifest+json; version=1"
CONFIG_TYPE = "application/vnd.baocao.config+json; version=1"
RECEIPT_TYPE = "application/vnd.baocao.receipt+json; version=1"
KEY_ROTATION_TYPE = "application/vnd.baocao.key-rotation+json; version=1"

MAX_ENVELOPE_BYTES = 1024 * 1024
MAX_SIGNATURES = 8
ED25519_SIGNATURE_BYTES = 64
_KEY_ID = re.compile(r"[0-9a-f]{64}")
_ENVELOPE_FIELDS = frozenset({"payload", "payloadType", "signatures"})
_SIGNATURE_FIELDS = frozenset({"keyid", "sig"})


class EnvelopeError(ReasonedError, ValueError):
    """The envelope is malformed or of the wrong type; ``reason`` says why (English)."""

    code = "envelope.invalid"


class Signer(Protocol):
    """Anything that signs with an Ed25519 key and knows that key's id (``keys.OfficeKey``)."""

    @property
    def key_id(self) -> str: ...

    def sign(self, message: bytes) -> bytes: ...


@dataclass(frozen=True)
class Signature:
    keyid: str
    sig: bytes


@dataclass(frozen=True)
class Envelope:
    payload: bytes
    payload_type: str
    signatures: tuple[Signature, ...]


def pae(payload_type: str, body: bytes) -> bytes:
    """DSSE pre-authentication encoding: ``DSSEv1 SP LEN(type) SP type SP LEN(body) SP body``."""
    type_bytes = payload_type.encode("utf-8")
    return b"DSSEv1 %d %b %d %b" % (len(type_bytes), type_bytes, len(body), body)


def sign(payload_type: str, body: bytes, signers: Sequence[Signer]) -> Envelope:
    """An envelope over ``body`` signed by every signer, in the order given."""
    if not signers:
        raise ValueError("at least one signer is needed")
    message = pae(payload_type, body)
    signatures = tuple(Signature(s.key_id, s.sign(message)) for s in signers)
    return Envelope(body, payload_type, signatures)


def to_bytes(envelope: Envelope) -> bytes:
    """The envelope as canonical JSON (the bytes written into files)."""
    return strictjson.canonical_bytes(
        {
            "payload": _b64encode(envelope.payload),
            "payloadType": envelope.payload_type,
            "signatures": [
                {"keyid": s.keyid, "sig": _b64encode(s.sig)} for s in envelope.signatures
            ],
        }
    )


def parse(data: bytes, expected_type: str, *, max_bytes: int = MAX_ENVELOPE_BYTES) -> Envelope:
    """Parse untrusted envelope bytes; exactly the three fields, and only ``expected_type``."""
    try:
        document = strictjson.parse(data, max_bytes=max_bytes, max_depth=3)
    except strictjson.StrictJSONError as error:
        raise EnvelopeError(error.reason) from error
    _require_fields(document, _ENVELOPE_FIELDS, "envelope")
    payload_type = document["payloadType"]
    if not isinstance(payload_type, str) or payload_type != expected_type:
        raise EnvelopeError("unexpected payloadType")
    payload = _b64decode(document["payload"], "payload")
    return Envelope(payload, payload_type, _parse_signatures(document["signatures"]))


def verify(envelope: Envelope, expected_type: str, keys: Mapping[str, bytes]) -> frozenset[str]:
    """Ids of the keys in ``keys`` (key id -> raw public key) whose signature verifies.

    PAE is computed with ``expected_type``, never with the type the envelope claims, so a
    signature for another type cannot verify here even if the type field was swapped.
    """
    if envelope.payload_type != expected_type:
        return frozenset()
    message = pae(expected_type, envelope.payload)
    known = (s for s in envelope.signatures if s.keyid in keys)
    return frozenset(s.keyid for s in known if _valid(keys[s.keyid], s, message))


def _valid(public_raw: bytes, signature: Signature, message: bytes) -> bool:
    # cryptography loads when a signature is first checked, not when the window starts.
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        Ed25519PublicKey.from_public_bytes(public_raw).verify(signature.sig, message)
    except (InvalidSignature, ValueError):
        return False
    return True


def _parse_signatures(value: Any) -> tuple[Signature, ...]:
    if not isinstance(value, list) or not 1 <= len(value) <= MAX_SIGNATURES:
        raise EnvelopeError(f"signatures must be a list of 1 to {MAX_SIGNATURES}")
    signatures = tuple(_parse_signature(item) for item in value)
    if len({s.keyid for s in signatures}) != len(signatures):
        raise EnvelopeError("two signatures name the same keyid")
    return signatures


def _parse_signature(item: Any) -> Signature:
    _require_fields(item, _SIGNATURE_FIELDS, "signature")
    keyid = item["keyid"]
    if not isinstance(keyid, str) or not _KEY_ID.fullmatch(keyid):
        raise EnvelopeError("keyid is not 64 lowercase hex digits")
    sig = _b64decode(item["sig"], "sig")
    if len(sig) != ED25519_SIGNATURE_BYTES:
        raise EnvelopeError("sig is not an Ed25519 signature")
    return Signature(keyid, sig)


def _require_fields(value: Any, fields: frozenset[str], what: str) -> None:
    if not isinstance(value, dict) or set(value) != fields:
        raise EnvelopeError(f"{what} must have exactly the fields {sorted(fields)}")


def _b64encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _b64decode(value: Any, what: str) -> bytes:
    """Standard base64 with padding, and only its one canonical spelling."""
    if not isinstance(value, str) or not value.isascii():
        raise EnvelopeError(f"{what} is not base64 text")
    try:
        decoded = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as error:
        raise EnvelopeError(f"{what} is not standard base64") from error
    if _b64encode(decoded) != value:
        raise EnvelopeError(f"{what} is not canonical base64")
    return decoded
