"""Configuration packages and receipts: what the province signs, the district reads; every forged,
damaged or misaddressed file is refused with its exact code and a complete clerk's sentence."""

from __future__ import annotations

import base64
import copy
import json
import string
import unicodedata
from collections.abc import Callable
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from securesystemslib.dsse import Envelope as SslibEnvelope
from securesystemslib.signer import SSlibKey  # type: ignore[attr-defined]

from desktop_app.core.exchange.formats import dsse
from desktop_app.core.exchange.formats.bundle import TrustedKey
from desktop_app.core.exchange.formats.codes import BundleRefused, Code
from desktop_app.core.exchange.formats.container import ENVELOPE_NAME
from desktop_app.core.exchange.formats.keys import OfficeKey
from desktop_app.core.exchange.formats.model import Office
from desktop_app.core.exchange.formats.packages import (
    ACCEPTED,
    CONFIG_KIND,
    CONFIRM_ISSUER_MESSAGE,
    EVERY_UNIT,
    MAX_CONFIG_BYTES,
    MAX_RECEIPT_BYTES,
    RECEIPT_KIND,
    RETURNED,
    ConfigFields,
    InvalidPackageInput,
    PackageKey,
    ReceiptFields,
    ReceiptItem,
    ScheduleEntry,
    Unit,
    build_config_package,
    build_receipt,
    catalogue_key,
    read_config_package,
    read_receipt,
)
from desktop_app.core.model import strictjson
from desktop_app.core.paths import resource
from desktop_app.core.reports.templates import load_template_bytes
from tests.core.exchange.formats.factory import KEY, OTHER_KEY, entries, office_key, valid_bundle

REPO = Path(__file__).resolve().parents[4]
ISSUER = Office("TU-38", "Tỉnh ủy Thanh Hóa")
DISTRICT = Office("DU-14797", "Đảng ủy phường Hạc Thành")
ISSUER_KEY = office_key(3)
PINNED = TrustedKey(ISSUER_KEY.key_id, ISSUER.code, ISSUER_KEY.public_raw)
CREATED_AT = "2026-02-05T10:00:00+07:00"
MANIFEST_SHA = "ab" * 32
OTHER_MANIFEST_SHA = "cd" * 32
REPORT_ID = "5f0c6a1e-1d2b-4c3a-9e8f-0a1b2c3d4e5f"
OTHER_REPORT_ID = "6a1b2c3d-4e5f-4a1b-8c2d-3e4f5a6b7c8d"
CONFIG_CODES = ["E02", "E06", "E07", "E08", "E09", "E11", "E16", "E17", "E18"]
RECEIPT_CODES = ["E02", "E06", "E07", "E08", "E09", "E10", "E15", "E17"]

Mutation = Callable[[dict[str, Any]], None]


# --- builders -------------------------------------------------------------------------------


@cache
def _shipped_template(name: str) -> dict[str, Any]:
    data = resource("templates", name).read_bytes()
    document: dict[str, Any] = strictjson.parse(data, max_bytes=len(data))
    return document


def template(name: str = "cntt-quy.json") -> dict[str, Any]:
    """A shipped template as strict JSON reads it (exact decimals), safe to change."""
    return copy.deepcopy(_shipped_template(name))


def config_fields(**changes: Any) -> ConfigFields:
    base = ConfigFields(
        package_id="3c9d2e1f-0a4b-4c5d-9e6f-7a8b9c0d1e2f",
        issuer=ISSUER,
        version=7,
        created_at=CREATED_AT,
        templates=(template(), template("nq36-so-ket.json")),
        schedule=(
            ScheduleEntry("cntt-quy", "2026Q1", EVERY_UNIT, "2026-03-20", "2026-04-05"),
            ScheduleEntry("cntt-quy", "2026Q1", DISTRICT.code, "2026-03-20", "2026-04-10"),
        ),
        units=(
            Unit(DISTRICT.code, DISTRICT.name, "commune", "party", ISSUER.code, "2025-07-01"),
            Unit("DU-99", "Đảng ủy huyện cũ", "district", "party", ISSUER.code, None, "2025-06-30"),
        ),
        trusted_keys=(
            PackageKey(DISTRICT.code, DISTRICT.name, KEY.public_raw),
            PackageKey("DU-99", "Đảng ủy huyện cũ", OTHER_KEY.public_raw, revoked_after_seq=4),
        ),
    )
    return replace(base, **changes)


def receipt_fields(**changes: Any) -> ReceiptFields:
    base = ReceiptFields(
        receipt_id="9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
        issuer=ISSUER,
        recipient=DISTRICT,
        created_at=CREATED_AT,
        items=(
            ReceiptItem(1, MANIFEST_SHA, REPORT_ID, 1, ACCEPTED),
            ReceiptItem(1, MANIFEST_SHA, OTHER_REPORT_ID, 2, RETURNED, "Bổ sung số liệu quý I."),
        ),
    )
    return replace(base, **changes)


@cache
def config_data() -> bytes:
    return build_config_package(config_fields(), ISSUER_KEY).data


@cache
def receipt_data() -> bytes:
    return build_receipt(receipt_fields(), ISSUER_KEY).data


def payload_of(data: bytes) -> bytes:
    return dsse._b64decode(json.loads(data)["payload"], "payload")


def document_of(data: bytes) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(payload_of(data))
    return result


def signed(body: bytes, payload_type: str, *signers: OfficeKey) -> bytes:
    return dsse.to_bytes(dsse.sign(payload_type, body, signers or [ISSUER_KEY]))


def forged_config(mutate: Mutation, signer: OfficeKey = ISSUER_KEY) -> bytes:
    """The valid package with its payload changed by ``mutate`` and properly re-signed."""
    document = document_of(config_data())
    mutate(document)
    return signed(strictjson.canonical_bytes(document), dsse.CONFIG_TYPE, signer)


def forged_receipt(mutate: Mutation, signer: OfficeKey = ISSUER_KEY) -> bytes:
    document = document_of(receipt_data())
    mutate(document)
    return signed(strictjson.canonical_bytes(document), dsse.RECEIPT_TYPE, signer)


def with_payload(data: bytes, payload: bytes) -> bytes:
    """The same envelope and signature over another payload."""
    envelope = json.loads(data)
    envelope["payload"] = base64.b64encode(payload).decode("ascii")
    return strictjson.canonical_bytes(envelope)


# --- refusal assertions ---------------------------------------------------------------------


def _sentences(lang: str) -> dict[str, str]:
    path: Path = resource("messages", f"packages.{lang}.json")
    result: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return result


def assert_sentence_complete(kind: str, refusal: BundleRefused) -> None:
    """The kind's own sentence exists in both languages and every placeholder is filled."""
    for lang in ("vi", "en"):
        sentence = _sentences(lang)[catalogue_key(kind, refusal.code)]
        sentence.format(**refusal.params)  # KeyError if a placeholder has no value


def config_refused(data: bytes, code: Code, pinned: TrustedKey | None = PINNED) -> BundleRefused:
    with pytest.raises(BundleRefused) as caught:
        read_config_package(data, pinned)
    refusal = caught.value
    assert refusal.code == code, f"{refusal.code.value} ({refusal.detail}) instead of {code.value}"
    assert_sentence_complete(CONFIG_KIND, refusal)
    return refusal


def receipt_refused(
    data: bytes, code: Code, issuer: TrustedKey = PINNED, office: str = DISTRICT.code
) -> BundleRefused:
    with pytest.raises(BundleRefused) as caught:
        read_receipt(data, issuer, office)
    refusal = caught.value
    assert refusal.code == code, f"{refusal.code.value} ({refusal.detail}) instead of {code.value}"
    assert_sentence_complete(RECEIPT_KIND, refusal)
    return refusal


# --- configuration package: the happy path --------------------------------------------------


def test_config_package_reads_back_exactly_what_was_signed() -> None:
    built = build_config_package(config_fields(), ISSUER_KEY)
    package = read_config_package(built.data, PINNED)
    assert package.fields == config_fields()
    assert package.pinned and package.version == 7 and package.issuer == ISSUER
    assert package.signer_key_id == ISSUER_KEY.key_id
    assert package.sha256 == built.sha256
    assert built.file_name == "CH_TU-38_000007.cauhinh"


def test_config_package_bytes_are_the_same_for_the_same_fields_and_key() -> None:
    first = build_config_package(config_fields(), ISSUER_KEY)
    again = build_config_package(config_fields(), ISSUER_KEY)
    assert first == again
    assert build_config_package(config_fields(version=8), ISSUER_KEY).data != first.data


def test_first_install_verifies_with_the_carried_key_and_shows_its_fingerprint() -> None:
    package = read_config_package(config_data(), None)
    assert not package.pinned
    assert package.signer_fingerprint == ISSUER_KEY.fingerprint
    assert package.issuer_key == PINNED
    assert read_config_package(config_data(), package.issuer_key).pinned


def test_trust_list_entries_become_keys_the_bundle_verifier_accepts() -> None:
    keys = read_config_package(config_data(), PINNED).fields.trusted_keys
    trusted = [key.trusted_key() for key in keys]
    assert trusted[0] == TrustedKey(KEY.key_id, DISTRICT.code, KEY.public_raw, None)
    assert trusted[1].revoked_after_seq == 4 and keys[1].fingerprint == OTHER_KEY.fingerprint


def test_templates_inside_load_with_the_template_loader() -> None:
    package = read_config_package(config_data(), PINNED)
    loaded = [load_template_bytes(data, "package") for data in package.template_bytes()]
    assert [(t.id, t.version) for t in loaded] == [("cntt-quy", 1), ("nq36-so-ket", 2)]


def test_empty_lists_are_a_valid_package_for_a_key_only_update() -> None:
    fields = config_fields(templates=(), schedule=(), units=())
    package = read_config_package(build_config_package(fields, ISSUER_KEY).data, PINNED)
    assert package.fields == fields


def test_config_envelope_verifies_with_an_independent_dsse_library() -> None:
    parsed = SslibEnvelope.from_dict(json.loads(config_data()))
    key = SSlibKey(ISSUER_KEY.key_id, "ed25519", "ed25519", {"public": ISSUER_KEY.public_raw.hex()})
    assert parsed.payload_type == dsse.CONFIG_TYPE
    assert set(parsed.verify([key], 1)) == {ISSUER_KEY.key_id}


# --- configuration package: signature and signer --------------------------------------------


@pytest.mark.parametrize("pinned", [PINNED, None], ids=["pinned", "first-install"])
def test_config_with_a_changed_payload_byte_is_refused_as_bad_signature(
    pinned: TrustedKey | None,
) -> None:
    tampered = payload_of(config_data()).replace(b'"version":7', b'"version":9')
    config_refused(with_payload(config_data(), tampered), Code.E08, pinned)


def test_config_signed_by_another_key_than_the_pinned_one_is_an_unknown_signer() -> None:
    refusal = config_refused(forged_config(lambda d: None, signer=OTHER_KEY), Code.E07)
    assert refusal.params["fingerprint"] == OTHER_KEY.fingerprint
    assert refusal.params["key_id"] == OTHER_KEY.key_id


def test_first_install_refuses_a_package_signed_by_another_key_than_it_carries() -> None:
    data = forged_config(lambda d: None, signer=OTHER_KEY)
    assert config_refused(data, Code.E07, None).params["fingerprint"] == OTHER_KEY.fingerprint


def test_pinned_package_must_carry_the_signing_key() -> None:
    def carry_other(document: dict[str, Any]) -> None:
        document["issuer_public_key"] = base64.b64encode(OTHER_KEY.public_raw).decode()

    config_refused(forged_config(carry_other), Code.E06)
    config_refused(forged_config(carry_other), Code.E07, None)


def test_config_with_two_signatures_is_refused() -> None:
    body = payload_of(config_data())
    config_refused(signed(body, dsse.CONFIG_TYPE, ISSUER_KEY, OTHER_KEY), Code.E06)


def test_issuer_named_in_the_package_must_be_the_pinned_office() -> None:
    pinned = TrustedKey(ISSUER_KEY.key_id, "TU-01", ISSUER_KEY.public_raw)
    refusal = config_refused(config_data(), Code.E09, pinned)
    assert refusal.params == {"key_office": "TU-01", "claimed_office": ISSUER.code}


def test_issuer_key_revoked_before_this_version_is_refused() -> None:
    refusal = config_refused(config_data(), Code.E11, replace(PINNED, revoked_after_seq=6))
    assert refusal.params == {"revoked_after_seq": 6, "version": 7}
    assert read_config_package(config_data(), replace(PINNED, revoked_after_seq=7)).version == 7


# --- payload types never cross --------------------------------------------------------------


def test_a_bundle_manifest_envelope_is_neither_a_package_nor_a_receipt() -> None:
    manifest_envelope = entries(valid_bundle())[ENVELOPE_NAME]
    config_refused(manifest_envelope, Code.E06)
    config_refused(manifest_envelope, Code.E06, None)
    receipt_refused(manifest_envelope, Code.E06)


def test_a_package_is_not_a_receipt_and_a_receipt_is_not_a_package() -> None:
    receipt_refused(config_data(), Code.E06)
    config_refused(receipt_data(), Code.E06)
    config_refused(receipt_data(), Code.E06, None)


@pytest.mark.parametrize(
    ("signed_as", "claimed"),
    [(dsse.RECEIPT_TYPE, dsse.CONFIG_TYPE), (dsse.MANIFEST_TYPE, dsse.CONFIG_TYPE)],
)
def test_a_signature_made_for_another_type_does_not_verify_after_relabelling(
    signed_as: str, claimed: str
) -> None:
    envelope = json.loads(signed(payload_of(config_data()), signed_as))
    envelope["payloadType"] = claimed
    relabelled = strictjson.canonical_bytes(envelope)
    config_refused(relabelled, Code.E08)
    config_refused(relabelled, Code.E08, None)


def test_a_receipt_signed_as_a_package_does_not_verify_as_a_receipt() -> None:
    envelope = json.loads(signed(payload_of(receipt_data()), dsse.CONFIG_TYPE))
    envelope["payloadType"] = dsse.RECEIPT_TYPE
    receipt_refused(strictjson.canonical_bytes(envelope), Code.E08)


# --- configuration package: strict content -------------------------------------------------


def _add_unknown(path: tuple[str | int, ...]) -> Mutation:
    def mutate(document: dict[str, Any]) -> None:
        target: Any = document
        for step in path:
            target = target[step]
        target["ghi_chu"] = "không được phép"

    return mutate


@pytest.mark.parametrize(
    "path",
    [(), ("issuer",), ("schedule", 0), ("units", 1), ("trusted_keys", 0)],
    ids=["top", "issuer", "schedule", "unit", "trusted-key"],
)
def test_config_with_an_unknown_key_is_refused(path: tuple[str | int, ...]) -> None:
    config_refused(forged_config(_add_unknown(path)), Code.E06)


def test_config_with_a_duplicate_key_is_refused_even_when_signed() -> None:
    body = payload_of(config_data()).replace(b'"version":7', b'"version":7,"version":1')
    config_refused(signed(body, dsse.CONFIG_TYPE), Code.E06)
    config_refused(signed(body, dsse.CONFIG_TYPE), Code.E06, None)


def test_config_with_text_not_in_nfc_is_refused_even_when_signed() -> None:
    decomposed = unicodedata.normalize("NFD", ISSUER.name)
    body = payload_of(config_data()).replace(ISSUER.name.encode(), decomposed.encode())
    assert body != payload_of(config_data())
    config_refused(signed(body, dsse.CONFIG_TYPE), Code.E06)


def test_builder_refuses_text_not_in_nfc() -> None:
    decomposed = Office(ISSUER.code, unicodedata.normalize("NFD", ISSUER.name))
    with pytest.raises(InvalidPackageInput) as caught:
        build_config_package(config_fields(issuer=decomposed), ISSUER_KEY)
    assert caught.value.refusal == Code.E06


def test_trusted_key_whose_key_id_is_not_its_hash_is_refused() -> None:
    def swap_id(document: dict[str, Any]) -> None:
        document["trusted_keys"][0]["key_id"] = OTHER_KEY.key_id

    refusal = config_refused(forged_config(swap_id), Code.E06)
    assert refusal.params["field"] == "trusted_keys/0/key_id"


def test_trusted_key_in_non_canonical_base64_is_refused() -> None:
    alphabet = string.ascii_uppercase + string.ascii_lowercase + string.digits + "+/"

    def loosen(document: dict[str, Any]) -> None:
        # 32 bytes leave 2 unused bits in the last character; setting one decodes the same.
        text = document["trusted_keys"][0]["public_key"]
        loose = text[:42] + alphabet[alphabet.index(text[42]) ^ 1] + "="
        assert base64.b64decode(loose) == base64.b64decode(text)
        document["trusted_keys"][0]["public_key"] = loose

    config_refused(forged_config(loosen), Code.E06)


def test_the_same_key_listed_twice_is_refused() -> None:
    def duplicate(document: dict[str, Any]) -> None:
        document["trusted_keys"].append(dict(document["trusted_keys"][0]))

    config_refused(forged_config(duplicate), Code.E06)


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d["units"].append(dict(d["units"][0])),
        lambda d: d["units"][0].update(parent_code=d["units"][0]["code"]),
        lambda d: d["units"][1].update(valid_from="2025-07-01", valid_to="2025-06-30"),
        lambda d: d["units"][0].update(valid_from="2025-02-30"),
        lambda d: d["units"][0].update(level="hamlet"),
        lambda d: d["schedule"][0].update(cutoff="2026-04-06"),
        lambda d: d["schedule"][0].update(deadline="2026-04-31"),
        lambda d: d["schedule"].append(dict(d["schedule"][0])),
        lambda d: d["schedule"][0].update(unit_code="**"),
        lambda d: d.update(created_at="2026-02-30T10:00:00+07:00"),
        lambda d: d.update(version=0),
        lambda d: d.update(package_id="not-a-uuid"),
        lambda d: d.update(templates=["cntt-quy"]),
    ],
    ids=[
        "unit-twice",
        "unit-own-parent",
        "unit-ends-before-start",
        "unit-unreal-date",
        "unit-unknown-level",
        "cutoff-after-deadline",
        "unreal-deadline",
        "schedule-row-twice",
        "bad-unit-code",
        "unreal-created-at",
        "version-zero",
        "bad-package-id",
        "template-not-an-object",
    ],
)
def test_config_content_that_breaks_a_rule_is_refused(mutate: Mutation) -> None:
    config_refused(forged_config(mutate), Code.E06)


def test_package_over_the_size_cap_is_refused_before_reading() -> None:
    refusal = config_refused(b"{" + b" " * MAX_CONFIG_BYTES, Code.E02, None)
    assert refusal.params == {"limit_mb": 4}


@pytest.mark.parametrize("pinned", [PINNED, None], ids=["pinned", "first-install"])
def test_package_of_a_newer_format_asks_for_an_update(pinned: TrustedKey | None) -> None:
    def newer(document: dict[str, Any]) -> None:
        document["format_version"] = 2
        document["something_new"] = True

    config_refused(forged_config(newer), Code.E17, pinned)


def test_package_of_another_format_is_a_bad_envelope() -> None:
    config_refused(forged_config(lambda d: d.update(format="baocao-receipt")), Code.E06)


def test_template_that_breaks_the_template_schema_names_the_template() -> None:
    def break_template(document: dict[str, Any]) -> None:
        document["templates"][1]["sections"] = []

    refusal = config_refused(forged_config(break_template), Code.E16)
    assert refusal.params == {"template_id": "nq36-so-ket", "field": "sections"}


def test_template_with_an_unknown_key_or_hostile_id_is_named_by_position() -> None:
    def hostile_id(document: dict[str, Any]) -> None:
        document["templates"][0]["id"] = "<script>"

    refusal = config_refused(forged_config(hostile_id), Code.E16)
    assert refusal.params["template_id"] == "templates[0]"


def test_the_same_template_version_twice_is_refused() -> None:
    refusal = config_refused(
        forged_config(lambda d: d["templates"].append(d["templates"][0])), Code.E16
    )
    assert refusal.params["template_id"] == "cntt-quy"


def test_builder_refuses_a_template_an_installer_would_refuse() -> None:
    broken = template()
    broken["period_type"] = "weekly"
    with pytest.raises(InvalidPackageInput) as caught:
        build_config_package(config_fields(templates=(broken,)), ISSUER_KEY)
    assert caught.value.refusal == Code.E16


# --- receipts -------------------------------------------------------------------------------


def test_receipt_reads_back_exactly_what_was_signed() -> None:
    built = build_receipt(receipt_fields(), ISSUER_KEY)
    receipt = read_receipt(built.data, PINNED, DISTRICT.code)
    assert receipt.fields == receipt_fields()
    assert [item.report_id for item in receipt.accepted] == [REPORT_ID]
    assert [item.comment for item in receipt.returned] == ["Bổ sung số liệu quý I."]
    assert receipt.signer_key_id == ISSUER_KEY.key_id and receipt.sha256 == built.sha256
    assert built.file_name == "BN_TU-38_DU-14797_20260205100000.biennhan"


def test_receipt_bytes_are_the_same_for_the_same_fields_and_key() -> None:
    first = build_receipt(receipt_fields(), ISSUER_KEY)
    assert build_receipt(receipt_fields(), ISSUER_KEY) == first
    assert (
        build_receipt(receipt_fields(created_at="2026-02-05T10:00:01+07:00"), ISSUER_KEY) != first
    )


def test_receipt_with_a_changed_payload_byte_is_refused_as_bad_signature() -> None:
    tampered = payload_of(receipt_data()).replace(b'"accepted"', b'"returned"')
    receipt_refused(with_payload(receipt_data(), tampered), Code.E08)


def test_receipt_signed_by_another_key_is_an_unknown_signer() -> None:
    refusal = receipt_refused(forged_receipt(lambda d: None, signer=OTHER_KEY), Code.E07)
    assert refusal.params["fingerprint"] == OTHER_KEY.fingerprint


def test_receipt_for_another_office_is_refused() -> None:
    refusal = receipt_refused(receipt_data(), Code.E10, office="DU-1")
    assert refusal.params == {"recipient": DISTRICT.name, "recipient_code": DISTRICT.code}


def test_receipt_naming_another_issuer_than_the_key_office_is_refused() -> None:
    refusal = receipt_refused(forged_receipt(lambda d: d["issuer"].update(code="TU-01")), Code.E09)
    assert refusal.params == {"key_office": ISSUER.code, "claimed_office": "TU-01"}


@pytest.mark.parametrize("comment", ["", "  \n\t"], ids=["empty", "blank"])
def test_returned_report_without_a_comment_is_refused(comment: str) -> None:
    refusal = receipt_refused(
        forged_receipt(lambda d: d["items"][1].update(comment=comment)), Code.E06
    )
    assert refusal.params["field"] == "items/1/comment"


def test_builder_refuses_a_returned_report_without_a_comment() -> None:
    items = (ReceiptItem(1, MANIFEST_SHA, REPORT_ID, 1, RETURNED),)
    with pytest.raises(InvalidPackageInput) as caught:
        build_receipt(receipt_fields(items=items), ISSUER_KEY)
    assert caught.value.refusal == Code.E06


def test_accepted_report_may_carry_a_note() -> None:
    items = (ReceiptItem(1, MANIFEST_SHA, REPORT_ID, 1, ACCEPTED, "Đã tiếp nhận."),)
    data = build_receipt(receipt_fields(items=items), ISSUER_KEY).data
    assert read_receipt(data, PINNED, DISTRICT.code).accepted == items


def _item(seq: int, report_id: str, revision: int = 1, sha: str = MANIFEST_SHA) -> dict[str, Any]:
    return {
        "seq": seq,
        "manifest_sha256": sha,
        "report_id": report_id,
        "revision": revision,
        "status": ACCEPTED,
        "comment": "",
    }


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d["items"][1].update(comment="x" * 4001),
        lambda d: d.update(items=[]),
        lambda d: d.update(items=[_item(1, f"r{i}") for i in range(1001)]),
        lambda d: d["items"].append(dict(d["items"][0])),
        lambda d: d["items"].append(_item(1, "r-other", sha=OTHER_MANIFEST_SHA)),
        lambda d: d["items"].append(_item(2, "r-other")),
        lambda d: d["items"][0].update(status="pending"),
        lambda d: d["items"][0].update(seq=0),
        lambda d: d["items"][0].update(revision=True),
        lambda d: d["items"][0].update(manifest_sha256="AB" * 32),
        lambda d: d.update(created_at="2026-13-01T10:00:00+07:00"),
        lambda d: d["recipient"].update(name=" "),
    ],
    ids=[
        "comment-too-long",
        "no-items",
        "too-many-items",
        "item-twice",
        "one-seq-two-manifests",
        "one-manifest-two-seqs",
        "unknown-status",
        "seq-zero",
        "revision-boolean",
        "uppercase-hash",
        "unreal-created-at",
        "blank-recipient-name",
    ],
)
def test_receipt_content_that_breaks_a_rule_is_refused(mutate: Mutation) -> None:
    receipt_refused(forged_receipt(mutate), Code.E06)


def test_exactly_a_thousand_items_is_still_a_receipt() -> None:
    items = tuple(ReceiptItem(1, MANIFEST_SHA, f"r{i}", 1, ACCEPTED) for i in range(1000))
    data = build_receipt(receipt_fields(items=items), ISSUER_KEY).data
    assert len(read_receipt(data, PINNED, DISTRICT.code).accepted) == 1000


@pytest.mark.parametrize(
    "path", [(), ("recipient",), ("items", 0)], ids=["top", "recipient", "item"]
)
def test_receipt_with_an_unknown_key_is_refused(path: tuple[str | int, ...]) -> None:
    receipt_refused(forged_receipt(_add_unknown(path)), Code.E06)


def test_receipt_with_a_duplicate_key_or_non_nfc_text_is_refused() -> None:
    body = payload_of(receipt_data())
    duplicated = body.replace(b'"seq":1', b'"seq":1,"seq":2', 1)
    name = ISSUER.name.encode()
    decomposed = body.replace(name, unicodedata.normalize("NFD", ISSUER.name).encode())
    receipt_refused(signed(duplicated, dsse.RECEIPT_TYPE), Code.E06)
    receipt_refused(signed(decomposed, dsse.RECEIPT_TYPE), Code.E06)


def test_receipt_over_the_size_cap_is_refused_before_reading() -> None:
    refusal = receipt_refused(b"{" + b" " * MAX_RECEIPT_BYTES, Code.E02)
    assert refusal.params == {"limit_mb": 1}


def test_receipt_of_a_newer_format_asks_for_an_update() -> None:
    receipt_refused(forged_receipt(lambda d: d.update(format_version=2)), Code.E17)


# --- hostile bytes: a code, never another exception -----------------------------------------

Flips = list[tuple[int, int]]
FLIPS = st.lists(st.tuples(st.integers(0, 2**31), st.integers(1, 255)), min_size=1, max_size=3)
ISSUER_KEYS = st.sampled_from([PINNED, None])
FUZZ = settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)


def flipped(original: bytes, flips: Flips) -> bytes:
    """``original`` with bytes changed by XOR (never changed back to itself)."""
    data = bytearray(original)
    for position, mask in flips:
        data[position % len(data)] ^= mask
    assume(data != original)
    return bytes(data)


@FUZZ
@given(FLIPS, ISSUER_KEYS, FLIPS)
def test_damaged_files_are_refused_with_a_code(
    config_flips: Flips, pinned: TrustedKey | None, receipt_flips: Flips
) -> None:
    with pytest.raises(BundleRefused) as caught:
        read_config_package(flipped(config_data(), config_flips), pinned)
    assert_sentence_complete(CONFIG_KIND, caught.value)
    with pytest.raises(BundleRefused) as caught:
        read_receipt(flipped(receipt_data(), receipt_flips), PINNED, DISTRICT.code)
    assert_sentence_complete(RECEIPT_KIND, caught.value)


@FUZZ
@given(FLIPS, ISSUER_KEYS, FLIPS)
def test_signed_but_garbled_payloads_are_read_or_refused_with_a_code(
    config_flips: Flips, pinned: TrustedKey | None, receipt_flips: Flips
) -> None:
    """Even the trusted issuer's own bugs must end in a code, not a crash."""
    config_body = flipped(payload_of(config_data()), config_flips)
    receipt_body = flipped(payload_of(receipt_data()), receipt_flips)
    try:
        read_config_package(signed(config_body, dsse.CONFIG_TYPE), pinned)
    except BundleRefused as refusal:
        assert_sentence_complete(CONFIG_KIND, refusal)
    try:
        read_receipt(signed(receipt_body, dsse.RECEIPT_TYPE), PINNED, DISTRICT.code)
    except BundleRefused as refusal:
        assert_sentence_complete(RECEIPT_KIND, refusal)


# --- catalogue ------------------------------------------------------------------------------


def _placeholders(sentence: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(sentence) if name}


def test_every_package_code_has_a_sentence_in_both_languages_with_the_same_placeholders() -> None:
    expected = {catalogue_key(CONFIG_KIND, Code(code)) for code in CONFIG_CODES}
    expected |= {catalogue_key(RECEIPT_KIND, Code(code)) for code in RECEIPT_CODES}
    expected.add(CONFIRM_ISSUER_MESSAGE)
    vi, en = _sentences("vi"), _sentences("en")
    assert set(vi) == set(en) == expected
    assert all(_placeholders(vi[key]) == _placeholders(en[key]) for key in expected)


def test_vietnamese_sentences_are_nfc_and_say_nothing_was_changed() -> None:
    for sentence in _sentences("vi").values():
        assert unicodedata.is_normalized("NFC", sentence)
        assert "không bị thay đổi" in sentence or "Chưa có gì bị thay đổi" in sentence


def test_format_document_shows_every_package_sentence_as_shipped() -> None:
    document = (REPO / "docs" / "bundle-format.md").read_text(encoding="utf-8")
    assert [key for key, text in _sentences("vi").items() if text not in document] == []


def test_catalogue_key_refuses_an_unknown_kind() -> None:
    with pytest.raises(ValueError):
        catalogue_key("bundle", Code.E06)
