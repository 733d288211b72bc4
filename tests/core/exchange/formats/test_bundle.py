"""Bundles end to end: what the district builds, the province verifies; every forged or damaged
bundle is refused with its exact code (research §7.7, the cases that need no database)."""

from __future__ import annotations

import base64
import hashlib
import json
import unicodedata
from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from securesystemslib.dsse import Envelope as SslibEnvelope
from securesystemslib.signer import CryptoSigner, SSlibKey  # type: ignore[attr-defined]

from desktop_app.core.exchange.formats import dsse
from desktop_app.core.exchange.formats.bundle import (
    BundleFileName,
    InvalidBundleInput,
    build_bundle,
    bundle_file_name,
    parse_bundle_file_name,
)
from desktop_app.core.exchange.formats.codes import Code, Notice
from desktop_app.core.exchange.formats.container import ENVELOPE_NAME, Limits
from desktop_app.core.exchange.formats.model import Office, Supersedes, reports_to_bytes
from desktop_app.core.model import strictjson
from desktop_app.core.model.offices import OFFICE_CODE
from tests.core.exchange.formats.factory import (
    KEY,
    MIMETYPE_RAW,
    OTHER_KEY,
    PDF,
    RECIPIENT,
    REPORT_ID,
    SCAN,
    SENDER,
    Raw,
    build,
    entries,
    fields,
    forge,
    header,
    manifest_of,
    pdf_path,
    refused,
    relist_file,
    repack,
    replace_envelope,
    report_data,
    signed_envelope,
    trust,
    trusted,
    valid_bundle,
    verify,
    with_reports_json,
    zip_bytes,
)

OTHER_TYPES = [dsse.CONFIG_TYPE, dsse.RECEIPT_TYPE, dsse.KEY_ROTATION_TYPE]

# --- the happy path -------------------------------------------------------------------------


def test_built_bundle_verifies_and_carries_everything() -> None:
    built = build()
    verified = verify(built.data)
    assert verified.reports == (report_data(),)
    assert verified.sender_code == SENDER.code and verified.seq == 1
    assert verified.prev_manifest_sha256 is None
    assert verified.sha256 == hashlib.sha256(built.data).hexdigest() == built.sha256
    assert verified.manifest_sha256 == built.manifest_sha256
    assert verified.manifest_sha256 == hashlib.sha256(verified.manifest_bytes).hexdigest()
    assert verified.signer_key_id == KEY.key_id
    assert sorted(verified.files.values()) == sorted([PDF, SCAN, reports_to_bytes([report_data()])])
    assert verified.notices == ()


def test_manifest_lists_every_file_with_hash_size_and_type() -> None:
    manifest = manifest_of(valid_bundle())
    listed = {item["path"]: item for item in manifest["files"]}
    pdf = listed[pdf_path(valid_bundle())]
    assert pdf == {
        "path": pdf["path"],
        "sha256": hashlib.sha256(PDF).hexdigest(),
        "size": len(PDF),
        "media_type": "application/pdf",
    }
    assert listed[f"att/{hashlib.sha256(SCAN).hexdigest()}.jpg"]["media_type"] == "image/jpeg"
    assert manifest["totals"] == {
        "file_count": 3,
        "byte_count": sum(item["size"] for item in manifest["files"]),
    }
    assert manifest["reports"][0]["files"][0] == "data/reports.json"


def test_same_inputs_give_byte_identical_bundles() -> None:
    assert build().data == build().data


def test_file_name_follows_the_design() -> None:
    assert build().file_name == "BC_DU-14797_000001_20260205.baocao"
    assert bundle_file_name("TU-38", 42, "2026-12-31T23:59:00+07:00") == (
        "BC_TU-38_000042_20261231.baocao"
    )


@given(
    code=st.from_regex(OFFICE_CODE, fullmatch=True),
    seq=st.integers(1, 999999),
    day=st.dates(date(2000, 1, 1), date(2999, 12, 31)),
)
def test_a_file_name_reads_back_as_what_it_was_made_from(code: str, seq: int, day: date) -> None:
    name = bundle_file_name(code, seq, f"{day.isoformat()}T10:00:00+07:00")
    assert parse_bundle_file_name(name) == BundleFileName(code, seq, day.strftime("%Y%m%d"))


@pytest.mark.parametrize(
    "name",
    [
        "BC_TU-38_42_20261231.baocao",
        "BC_TU-38_000042_20261231.zip",
        "BC__000042_20261231.baocao",
        "XX_TU-38_000042_20261231.baocao",
        "BC_TU 38_000042_20261231.baocao",
        "quarantined.baocao",
    ],
)
def test_other_names_are_not_read_as_bundle_names(name: str) -> None:
    assert parse_bundle_file_name(name) is None


def test_second_bundle_links_to_the_first() -> None:
    first = build()
    second = build(seq=2, prev_manifest_sha256=first.manifest_sha256)
    verified = verify(second.data)
    assert (verified.seq, verified.prev_manifest_sha256) == (2, first.manifest_sha256)


def test_revision_that_supersedes_another_round_trips() -> None:
    supersedes = Supersedes(1, "ab" * 32)
    built = build_bundle(
        fields(reports=(header(revision=2, supersedes=supersedes),)),
        reports_to_bytes([report_data(revision=2, supersedes=supersedes)]),
        {},
        {},
        KEY,
    )
    assert verify(built.data).reports[0].supersedes == supersedes


def test_bundle_envelope_verifies_with_securesystemslib() -> None:
    envelope = json.loads(entries(valid_bundle())[ENVELOPE_NAME])
    parsed = SslibEnvelope.from_dict(envelope)
    key = SSlibKey(KEY.key_id, "ed25519", "ed25519", {"public": KEY.public_raw.hex()})
    assert parsed.payload_type == dsse.MANIFEST_TYPE
    assert set(parsed.verify([key], 1)) == {KEY.key_id}


def test_envelope_signed_by_securesystemslib_verifies_here() -> None:
    key = SSlibKey(OTHER_KEY.key_id, "ed25519", "ed25519", {"public": OTHER_KEY.public_raw.hex()})
    signer = CryptoSigner(OTHER_KEY._private, key)
    envelope = SslibEnvelope(b'{"a":1}', dsse.RECEIPT_TYPE, {})
    envelope.sign(signer)
    parsed = dsse.parse(json.dumps(envelope.to_dict()).encode(), dsse.RECEIPT_TYPE)
    keys = {OTHER_KEY.key_id: OTHER_KEY.public_raw}
    assert dsse.verify(parsed, dsse.RECEIPT_TYPE, keys) == {OTHER_KEY.key_id}


# --- the builder refuses what an importer would refuse -------------------------------------


def test_builder_refuses_report_data_that_disagrees_with_the_manifest() -> None:
    with pytest.raises(InvalidBundleInput) as caught:
        build_bundle(fields(), reports_to_bytes([report_data(period="2025")]), {}, {}, KEY)
    assert caught.value.refusal == Code.BAD_DATA


def test_builder_refuses_a_chain_link_on_the_first_bundle() -> None:
    with pytest.raises(InvalidBundleInput) as caught:
        build(prev_manifest_sha256="00" * 32)
    assert caught.value.refusal == Code.BAD_ENVELOPE


def test_builder_refuses_files_that_are_not_pdf_png_or_jpeg() -> None:
    with pytest.raises(InvalidBundleInput):
        build_bundle(fields(), reports_to_bytes([report_data()]), {REPORT_ID: b"MZ exe"}, {}, KEY)
    with pytest.raises(InvalidBundleInput):
        build_bundle(fields(), reports_to_bytes([report_data()]), {}, {REPORT_ID: [b"GIF89a"]}, KEY)


def test_builder_refuses_files_for_unknown_reports() -> None:
    with pytest.raises(InvalidBundleInput):
        build_bundle(fields(), reports_to_bytes([report_data()]), {"other": PDF}, {}, KEY)


def test_builder_refuses_text_not_in_nfc() -> None:
    nfd_office = Office(SENDER.code, unicodedata.normalize("NFD", SENDER.name))
    with pytest.raises(InvalidBundleInput):
        build(sender=nfd_office)


def test_builder_refuses_a_bundle_over_the_size_cap() -> None:
    with pytest.raises(InvalidBundleInput) as caught:
        build_bundle(
            fields(),
            reports_to_bytes([report_data()]),
            {REPORT_ID: PDF * 10},
            {},
            KEY,
            limits=Limits(max_bundle_bytes=2000),
        )
    assert caught.value.refusal == Code.TOO_LARGE


# --- envelope (E06) -------------------------------------------------------------------------


def _envelope_document(**changes: Any) -> bytes:
    document = json.loads(entries(valid_bundle())[ENVELOPE_NAME])
    document.update(changes)
    return json.dumps(document).encode()


@pytest.mark.parametrize(
    "envelope",
    [
        _envelope_document(extra="field"),
        json.dumps(
            {k: v for k, v in json.loads(_envelope_document()).items() if k != "signatures"}
        ).encode(),
        _envelope_document(payload="not base64!"),
        _envelope_document(payload=json.loads(_envelope_document())["payload"].rstrip("=") + "$"),
        _envelope_document().replace(b'{"payload"', b'{"payloadType": "x", "payload"', 1),
        _envelope_document().replace(b'"signatures"', b'"n": NaN, "signatures"', 1),
        _envelope_document(note=unicodedata.normalize("NFD", "ủy")),
        _envelope_document(padding="x" * (1024 * 1024)),
        b"\x00\x01 not json",
    ],
    ids=[
        "extra-field",
        "missing-field",
        "bad-base64",
        "bad-base64-char",
        "duplicate-key",
        "nan",
        "non-nfc",
        "oversized",
        "binary",
    ],
)
def test_malformed_envelope_is_refused(envelope: bytes) -> None:
    refused(replace_envelope(envelope), Code.BAD_ENVELOPE)


def test_bundle_without_an_envelope_is_refused() -> None:
    files = entries(valid_bundle())
    del files[ENVELOPE_NAME]
    refused(repack(files), Code.BAD_ENVELOPE)


def test_envelope_with_two_signatures_is_refused() -> None:
    payload = base64.b64decode(json.loads(_envelope_document())["payload"])
    envelope = dsse.to_bytes(dsse.sign(dsse.MANIFEST_TYPE, payload, [KEY, OTHER_KEY]))
    refused(replace_envelope(envelope), Code.BAD_ENVELOPE)


@pytest.mark.parametrize("other_type", OTHER_TYPES)
def test_signature_for_another_file_kind_is_refused(other_type: str) -> None:
    payload = base64.b64decode(json.loads(_envelope_document())["payload"])
    refused(replace_envelope(signed_envelope(payload, KEY, other_type)), Code.BAD_ENVELOPE)


def test_envelope_declaring_a_small_size_but_inflating_more_is_a_bomb() -> None:
    envelope = entries(valid_bundle())[ENVELOPE_NAME] + b" " * 200_000
    liar = Raw(ENVELOPE_NAME, envelope, method=8, declared_size=len(envelope) - 200_000)
    refused(zip_bytes([MIMETYPE_RAW, liar]), Code.BOMB)


# --- signer and signature (E07, E08) --------------------------------------------------------


def test_unknown_signer_is_refused_with_its_fingerprint() -> None:
    refusal = refused(forge(signer=OTHER_KEY), Code.UNKNOWN_SIGNER)
    assert refusal.params == {"key_id": OTHER_KEY.key_id, "fingerprint": OTHER_KEY.fingerprint}


def test_manifest_changed_after_signing_is_refused() -> None:
    document = json.loads(_envelope_document())
    manifest = manifest_of(valid_bundle())
    manifest["seq"] = 2
    manifest["prev_manifest_sha256"] = "00" * 32
    document["payload"] = base64.b64encode(strictjson.canonical_bytes(manifest)).decode()
    refused(replace_envelope(json.dumps(document).encode()), Code.BAD_SIGNATURE)


def test_signature_made_for_another_type_relabelled_as_manifest_is_refused() -> None:
    payload = base64.b64decode(json.loads(_envelope_document())["payload"])
    document = json.loads(signed_envelope(payload, KEY, dsse.CONFIG_TYPE))
    document["payloadType"] = dsse.MANIFEST_TYPE
    refused(replace_envelope(json.dumps(document).encode()), Code.BAD_SIGNATURE)


def test_signature_by_another_key_under_the_trusted_keyid_is_refused() -> None:
    document = json.loads(
        signed_envelope(base64.b64decode(json.loads(_envelope_document())["payload"]), OTHER_KEY)
    )
    document["signatures"][0]["keyid"] = KEY.key_id
    refused(replace_envelope(json.dumps(document).encode()), Code.BAD_SIGNATURE)


# --- the signed manifest (E06, E17) ---------------------------------------------------------


def _set(path: str, value: Any) -> Any:
    def mutate(manifest: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = manifest
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[last] = value

    return mutate


@pytest.mark.parametrize(
    "mutate",
    [
        _set("surprise", 1),
        _set("reports.0.title", "extra"),
        _set("sender.region", "x"),
        _set("seq", 0),
        _set("seq", "1"),
        _set("bundle_id", "not-a-uuid"),
        _set("created_at", "05/02/2026"),
        _set("created_at", "2026-02-30T10:00:00+07:00"),
        _set("prev_manifest_sha256", "ab" * 32),
        _set("totals.byte_count", 1),
        _set("files.0.media_type", "application/pdf"),
        _set("files.0.sha256", "ab" * 32),
        _set("reports.0.files", ["pdf/" + "0" * 64 + ".pdf"]),
        _set("format", "vnrb-manifest"),
    ],
    ids=[
        "unknown-key",
        "unknown-report-key",
        "unknown-office-key",
        "seq-zero",
        "seq-text",
        "bad-uuid",
        "bad-date-format",
        "impossible-date",
        "chain-on-first",
        "totals",
        "media-type",
        "name-not-hash",
        "report-file-unlisted",
        "other-format",
    ],
)
def test_manifest_that_breaks_the_schema_is_refused(mutate: Any) -> None:
    refused(forge(mutate), Code.BAD_ENVELOPE)


def test_signed_manifest_not_in_nfc_is_refused() -> None:
    manifest = manifest_of(valid_bundle())
    manifest["recipient"]["name"] = unicodedata.normalize("NFD", RECIPIENT.name)
    refused(forge(payload=json.dumps(manifest, ensure_ascii=False).encode()), Code.BAD_ENVELOPE)


def test_signed_manifest_with_a_duplicate_key_is_refused() -> None:
    body = strictjson.canonical_bytes(manifest_of(valid_bundle()))
    refused(forge(payload=body.replace(b'"seq":1', b'"seq":1,"seq":999')), Code.BAD_ENVELOPE)


def test_signed_manifest_with_nan_is_refused() -> None:
    body = strictjson.canonical_bytes(manifest_of(valid_bundle()))
    refused(forge(payload=body.replace(b'"seq":1', b'"seq":NaN')), Code.BAD_ENVELOPE)


def test_manifest_of_a_newer_format_version_is_kept_for_later() -> None:
    def newer(manifest: dict[str, Any]) -> None:
        manifest["format_version"] = 2
        manifest["new_field_of_version_2"] = {"x": 1}

    refused(forge(newer), Code.UNSUPPORTED_VERSION)


def test_format_version_not_known_to_the_caller_is_refused() -> None:
    refused(valid_bundle(), Code.UNSUPPORTED_VERSION, known_format_versions=frozenset())


# --- authorisation and addressing (E09, E10, E11) -------------------------------------------


def test_key_of_one_office_signing_for_another_is_refused() -> None:
    refusal = refused(forge(_set("sender.code", "DU-99999")), Code.WRONG_OFFICE)
    assert refusal.params == {"key_office": SENDER.code, "claimed_office": "DU-99999"}


def test_trusted_key_of_another_office_is_refused() -> None:
    lookup = trust(trusted(), trusted(OTHER_KEY, office="DU-00001"))
    refused(forge(signer=OTHER_KEY), Code.WRONG_OFFICE, trusted_keys=lookup)


def test_bundle_for_another_office_is_refused() -> None:
    refusal = refused(valid_bundle(), Code.NOT_FOR_US, this_office_code="TU-01")
    assert refusal.params["recipient"] == RECIPIENT.name


def test_key_revoked_before_this_sequence_number_is_refused() -> None:
    refusal = refused(valid_bundle(), Code.KEY_REVOKED, trusted_keys=trust(trusted(revoked=0)))
    assert refusal.params == {"revoked_after_seq": 0, "seq": 1}


def test_key_revoked_after_this_sequence_number_still_verifies() -> None:
    assert verify(valid_bundle(), trusted_keys=trust(trusted(revoked=1))).seq == 1


# --- files against the signed list (E15) ----------------------------------------------------


def test_file_changed_with_a_fresh_crc_is_refused() -> None:
    files = entries(valid_bundle())
    path = pdf_path(valid_bundle())
    files[path] = PDF.replace(b"printed", b"PRINTED")
    refusal = refused(repack(files), Code.FILE_MISMATCH)
    assert refusal.params == {"path": path}


def test_one_byte_flipped_in_the_report_data_is_refused() -> None:
    data = bytearray(valid_bundle())
    data[data.index(b'"so_chi_bo":12') + len('"so_chi_bo":1')] = ord("9")
    refused(bytes(data), Code.FILE_MISMATCH)


def test_file_listed_but_missing_is_refused() -> None:
    files = entries(valid_bundle())
    del files[pdf_path(valid_bundle())]
    refused(repack(files), Code.FILE_MISMATCH)


def test_extra_file_not_in_the_signed_list_is_refused() -> None:
    files = entries(valid_bundle())
    files["att/" + "f" * 64 + ".png"] = b"\x89PNG\r\n\x1a\n"
    refusal = refused(repack(files), Code.FILE_MISMATCH)
    assert refusal.params == {"path": "att/" + "f" * 64 + ".png"}


def test_envelope_moved_to_other_files_is_refused() -> None:
    other = build_bundle(
        fields(reports=(header(period="2025"),)),
        reports_to_bytes([report_data(period="2025")]),
        {REPORT_ID: PDF + b"v2"},
        {},
        KEY,
    )
    files = entries(other.data)
    files[ENVELOPE_NAME] = entries(valid_bundle())[ENVELOPE_NAME]
    refused(repack(files), Code.FILE_MISMATCH)


# --- report data (E16) ----------------------------------------------------------------------


def _reports_document(**report_changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(reports_to_bytes([report_data()]))
    document["reports"][0].update(report_changes)
    return document


def _raw_json(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode()


@pytest.mark.parametrize(
    "reports_json",
    [
        _raw_json(
            _reports_document(
                narratives={"tinh_hinh": unicodedata.normalize("NFD", "Tình hình tốt")}
            )
        ),
        _raw_json(_reports_document(note="unknown field")),
        _raw_json(_reports_document(values={"Bad Id": 1})),
        _raw_json(_reports_document(values={"so_chi_bo": [1, 2]})),
        _raw_json(_reports_document(period="2025")),
        _raw_json(_reports_document(office={"code": "DU-99999", "name": "Khác"})),
        _raw_json(
            _reports_document(
                approval={
                    "name": "Người khác",
                    "title": "Bí thư",
                    "approved_at": "2026-02-05T09:00:00+07:00",
                }
            )
        ),
        _raw_json(_reports_document(report_id="another-report")),
        _raw_json(_reports_document(revision=0)),
        reports_to_bytes([report_data()]).replace(
            b'"so_chi_bo":12', b'"so_chi_bo":12,"so_chi_bo":13', 1
        ),
        reports_to_bytes([report_data()]).replace(b'"so_chi_bo":12', b'"so_chi_bo":NaN', 1),
        b'{"format":"baocao-reports","format_version":1,"reports":[]}',
        b"\xff\xfe not UTF-8",
    ],
    ids=[
        "non-nfc",
        "unknown-field",
        "bad-indicator-id",
        "list-value",
        "period-differs",
        "office-differs",
        "approval-differs",
        "report-not-in-manifest",
        "revision-zero",
        "duplicate-key",
        "nan",
        "no-reports",
        "not-utf8",
    ],
)
def test_bad_report_data_is_refused_even_when_signed(reports_json: bytes) -> None:
    refusal = refused(with_reports_json(reports_json), Code.BAD_DATA)
    assert refusal.params["field"]


def test_listed_pdf_that_is_not_a_pdf_is_refused() -> None:
    files = entries(valid_bundle())
    fake = b"MZ this is a program"
    fake_path = f"pdf/{hashlib.sha256(fake).hexdigest()}.pdf"
    del files[pdf_path(valid_bundle())]
    files[fake_path] = fake

    def relist(manifest: dict[str, Any]) -> None:
        old = pdf_path(valid_bundle())
        for item in manifest["files"]:
            if item["path"] == old:
                item["path"] = fake_path
        manifest["reports"][0]["files"] = [
            fake_path if p == old else p for p in manifest["reports"][0]["files"]
        ]
        relist_file(manifest, fake_path, fake)

    refused(forge(relist, files=files), Code.BAD_DATA)


# --- damaged on the way (E03) and clocks (W02) ----------------------------------------------


def test_truncated_bundle_is_refused_as_damaged() -> None:
    refused(valid_bundle()[: len(valid_bundle()) * 2 // 3], Code.DAMAGED)


@pytest.mark.parametrize("created_at", ["2036-02-05T10:00:00+07:00", "1970-01-01T00:00:00Z"])
def test_sender_clock_far_off_is_only_a_warning(created_at: str) -> None:
    verified = verify(build(created_at=created_at).data)
    assert verified.notices == (Notice(Code.CLOCK_OFF, {"created_at": created_at}),)


def test_creation_time_in_another_time_zone_is_not_a_clock_warning() -> None:
    verified = verify(
        build(created_at="2026-02-05T03:00:00Z").data, now=datetime(2026, 2, 5, 4, 0, tzinfo=UTC)
    )
    assert verified.notices == ()


def test_report_data_round_trips_through_its_canonical_form() -> None:
    report = report_data(comments={}, values={"a": None, "b": "2026-02-05", "c": False})
    document = reports_to_bytes([report])
    assert verify(build_bundle(fields(), document, {}, {}, KEY).data).reports == (report,)
