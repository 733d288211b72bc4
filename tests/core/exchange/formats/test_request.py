"""The request statement (bundle-format §11.4): what the reader accepts and what it refuses,
byte by byte, before any store is involved."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest

from desktop_app.core.exchange.formats import dsse, request
from desktop_app.core.exchange.formats.bundle import TrustedKey, TrustLookup
from desktop_app.core.exchange.formats.keys import OfficeKey
from desktop_app.core.model import strictjson

NOW = datetime(2026, 12, 7, 8, 30, tzinfo=UTC)
TARGET = "/api/v1/receipts/DU-14797?after=0"
KEY = OfficeKey.generate()


def trust(revoked_after_seq: int | None = None, office: str = "DU-14797") -> TrustLookup:
    entry = TrustedKey(KEY.key_id, office, KEY.public_raw, revoked_after_seq)
    return lambda key_id: entry if key_id == entry.key_id else None


def header(payload: dict[str, object], key: OfficeKey = KEY) -> str:
    envelope = dsse.sign(request.REQUEST_TYPE, strictjson.canonical_bytes(payload), [key])
    return f"{request.SCHEME} {base64.b64encode(dsse.to_bytes(envelope)).decode()}"


def payload(**changes: object) -> dict[str, object]:
    fields: dict[str, object] = {
        "format": "baocao-request",
        "format_version": 1,
        "method": "GET",
        "target": TARGET,
        "office": "DU-14797",
        "time": "2026-12-07T08:30:00Z",
        "nonce": "9f1c0d4a7be2435c8e61f0a2b3c4d5e6",
    }
    fields.update(changes)
    return {key: value for key, value in fields.items() if value is not None}


def refusal(authorization: str, lookup: TrustLookup | None = None) -> str:
    with pytest.raises(request.RequestRefused) as caught:
        request.read(authorization, "GET", TARGET, lookup or trust(), NOW)
    return caught.value.code


def test_the_writer_and_the_reader_agree() -> None:
    written = request.sign("GET", TARGET, "DU-14797", KEY, NOW)
    statement = request.read(written, "GET", TARGET, trust(), NOW + timedelta(minutes=5))
    assert (statement.office, statement.target, statement.time) == ("DU-14797", TARGET, NOW)
    token = base64.b64decode(written.split(" ", 1)[1])
    document = json.loads(base64.b64decode(json.loads(token)["payload"]))
    assert sorted(document) == ["format", "format_version", "method", "nonce", "office",
                                "target", "time"]  # fmt: skip
    assert document["time"] == "2026-12-07T08:30:00Z"
    assert len(document["nonce"]) == 32
    assert request.sign("GET", TARGET, "DU-14797", KEY, NOW) != written  # a new nonce each time


def test_an_offset_time_is_read_as_the_same_moment() -> None:
    stated = header(payload(time="2026-12-07T15:33:00+07:00"))
    assert request.read(stated, "GET", TARGET, trust(), NOW).time == NOW + timedelta(minutes=3)


@pytest.mark.parametrize(
    "changes",
    [
        {"format": "baocao-receipt"},
        {"format_version": 2},
        {"method": "get"},
        {"target": "api/v1/receipts/DU-14797"},
        {"target": "/api/v1/receipts/Đ"},
        {"office": "DU 14797"},
        {"time": "2026-12-07 08:30:00"},
        {"time": "2026-02-30T08:30:00Z"},
        {"nonce": "9F1C0D4A7BE2435C8E61F0A2B3C4D5E6"},
        {"nonce": None},
        {"extra": True},
    ],
)
def test_a_payload_out_of_shape_is_malformed(changes: dict[str, object]) -> None:
    assert refusal(header(payload(**changes))) == request.MALFORMED


def test_each_check_has_its_own_refusal() -> None:
    assert refusal("") == request.MISSING
    assert refusal("Bearer abc") == request.MISSING
    assert refusal(f"{request.SCHEME} " + "A" * 5000) == request.MALFORMED
    assert refusal(header(payload(), OfficeKey.generate())) == request.UNKNOWN_KEY
    assert refusal(header(payload()), trust(revoked_after_seq=40)) == request.REVOKED
    assert refusal(header(payload()), trust(office="DU-1")) == request.WRONG_OFFICE
    assert refusal(header(payload(target=TARGET + "1"))) == request.OTHER_REQUEST
    assert refusal(header(payload(time="2026-12-07T08:35:01Z"))) == request.STALE
    assert refusal(header(payload(time="2026-12-07T08:24:59Z"))) == request.STALE


def test_a_signature_over_other_bytes_does_not_verify() -> None:
    good = json.loads(base64.b64decode(header(payload()).split(" ", 1)[1]))
    other = strictjson.canonical_bytes(payload(target="/api/v1/receipts/DU-14797?after=9"))
    good["payload"] = base64.b64encode(other).decode()
    forged = base64.b64encode(strictjson.canonical_bytes(good)).decode()
    assert refusal(f"{request.SCHEME} {forged}") == request.BAD_SIGNATURE
