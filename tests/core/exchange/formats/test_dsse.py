"""DSSE v1 envelopes: PAE, signing, strict parsing, and domain separation between types."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from desktop_app.core.exchange.formats import dsse
from tests.core.exchange.formats.factory import KEY, OTHER_KEY

OTHER_TYPES = [dsse.CONFIG_TYPE, dsse.RECEIPT_TYPE, dsse.KEY_ROTATION_TYPE]
BODY = '{"seq":1,"tên":"Đảng ủy"}'.encode()


def _document(**changes: Any) -> bytes:
    document = json.loads(dsse.to_bytes(dsse.sign(dsse.MANIFEST_TYPE, BODY, [KEY])))
    document.update(changes)
    return json.dumps(document).encode()


def test_pae_known_answer_from_the_dsse_specification() -> None:
    expected = b"DSSEv1 29 http://example.com/HelloWorld 11 hello world"
    assert dsse.pae("http://example.com/HelloWorld", b"hello world") == expected


def test_pae_counts_bytes_not_characters() -> None:
    assert dsse.pae("t", "ủy".encode()) == b"DSSEv1 1 t 4 " + "ủy".encode()  # ủ is 3 bytes


def test_signed_envelope_round_trips_and_verifies() -> None:
    envelope = dsse.parse(
        dsse.to_bytes(dsse.sign(dsse.MANIFEST_TYPE, BODY, [KEY])), dsse.MANIFEST_TYPE
    )
    assert envelope.payload == BODY
    assert dsse.verify(envelope, dsse.MANIFEST_TYPE, {KEY.key_id: KEY.public_raw}) == {KEY.key_id}


def test_envelope_bytes_are_the_documented_field_order_and_padding() -> None:
    data = dsse.to_bytes(dsse.sign(dsse.MANIFEST_TYPE, b"ab", [KEY]))
    assert data.startswith(b'{"payload":"YWI=","payloadType":"application/vnd.baocao.manifest')
    assert b'"signatures":[{"keyid":"' + KEY.key_id.encode() in data


def test_several_signers_each_verify() -> None:
    envelope = dsse.sign(dsse.KEY_ROTATION_TYPE, BODY, [KEY, OTHER_KEY])
    keys = {KEY.key_id: KEY.public_raw, OTHER_KEY.key_id: OTHER_KEY.public_raw}
    assert dsse.verify(envelope, dsse.KEY_ROTATION_TYPE, keys) == set(keys)


def test_signature_from_another_key_does_not_verify() -> None:
    envelope = dsse.sign(dsse.MANIFEST_TYPE, BODY, [OTHER_KEY])
    forged = dsse.Envelope(
        BODY, dsse.MANIFEST_TYPE, (dsse.Signature(KEY.key_id, envelope.signatures[0].sig),)
    )
    assert dsse.verify(forged, dsse.MANIFEST_TYPE, {KEY.key_id: KEY.public_raw}) == frozenset()


@pytest.mark.parametrize("other_type", OTHER_TYPES)
def test_a_signature_for_one_type_never_verifies_as_another(other_type: str) -> None:
    envelope = dsse.sign(other_type, BODY, [KEY])
    with pytest.raises(dsse.EnvelopeError, match="payloadType"):
        dsse.parse(dsse.to_bytes(envelope), dsse.MANIFEST_TYPE)
    relabelled = dsse.Envelope(BODY, dsse.MANIFEST_TYPE, envelope.signatures)
    assert dsse.verify(relabelled, dsse.MANIFEST_TYPE, {KEY.key_id: KEY.public_raw}) == frozenset()


@pytest.mark.parametrize(
    "data",
    [
        _document(extra="x"),
        _document(payload=base64.b64encode(BODY).decode().rstrip("=")),
        _document(payload=base64.urlsafe_b64encode(b"\xfb\xff").decode()),
        _document(payload="YWJ="),
        _document(payload="Y W I="),
        _document(payload=42),
        _document(signatures=[]),
        _document(signatures=[{"keyid": KEY.key_id}]),
        _document(signatures=[{"keyid": KEY.key_id, "sig": "AAAA"}]),
        _document(
            signatures=[{"keyid": KEY.key_id.upper(), "sig": base64.b64encode(bytes(64)).decode()}]
        ),
        _document(
            signatures=[
                {"keyid": KEY.key_id, "sig": base64.b64encode(bytes(64)).decode(), "note": "x"}
            ]
        ),
        json.dumps({"payload": "YWI=", "payloadType": dsse.MANIFEST_TYPE}).encode(),
        b'{"payload":"YWI=","payload":"YWI=","payloadType":"x","signatures":[]}',
        b"[]",
        b"",
    ],
    ids=[
        "extra-field",
        "no-padding",
        "urlsafe-alphabet",
        "non-canonical-bits",
        "white-space",
        "payload-not-text",
        "no-signatures",
        "signature-without-sig",
        "short-sig",
        "uppercase-keyid",
        "signature-extra-field",
        "missing-signatures",
        "duplicate-key",
        "not-an-object",
        "empty",
    ],
)
def test_malformed_envelopes_are_refused(data: bytes) -> None:
    with pytest.raises(dsse.EnvelopeError):
        dsse.parse(data, dsse.MANIFEST_TYPE)


def test_two_signatures_with_one_keyid_are_refused() -> None:
    envelope = dsse.sign(dsse.MANIFEST_TYPE, BODY, [KEY, KEY])
    with pytest.raises(dsse.EnvelopeError, match="same keyid"):
        dsse.parse(dsse.to_bytes(envelope), dsse.MANIFEST_TYPE)


def test_oversized_envelope_is_refused_before_parsing() -> None:
    big = _document(payload=base64.b64encode(b"x" * dsse.MAX_ENVELOPE_BYTES).decode())
    with pytest.raises(dsse.EnvelopeError, match="larger"):
        dsse.parse(big, dsse.MANIFEST_TYPE)
