"""Builders for signing tests: fixed keys, a valid bundle, forged bundles and raw hostile ZIPs."""

from __future__ import annotations

import hashlib
import json
import re
import struct
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from desktop_app.core.catalogue import message
from desktop_app.core.exchange.formats import dsse
from desktop_app.core.exchange.formats.bundle import (
    BuiltBundle,
    TrustedKey,
    VerifiedBundle,
    build_bundle,
    verify_bundle,
)
from desktop_app.core.exchange.formats.codes import BundleRefused, Code
from desktop_app.core.exchange.formats.container import (
    ENVELOPE_NAME,
    MIMETYPE,
    MIMETYPE_NAME,
    open_container,
    write_container,
)
from desktop_app.core.exchange.formats.keys import KdfCost, OfficeKey
from desktop_app.core.exchange.formats.model import (
    Approval,
    ManifestFields,
    Office,
    Person,
    ReportData,
    ReportHeader,
    reports_to_bytes,
)
from desktop_app.core.model import strictjson

FAST_COST = KdfCost(memory_kib=1024, iterations=1, lanes=1)
SENDER = Office("DU-14797", "Đảng ủy phường Hạc Thành")
RECIPIENT = Office("TU-38", "Tỉnh ủy Thanh Hóa")
NOW = datetime(2026, 2, 6, 8, 0, tzinfo=UTC)
CREATED_AT = "2026-02-05T10:00:00+07:00"
APPROVED_AT = "2026-02-05T09:00:00+07:00"
REPORT_ID = "5f0c6a1e-1d2b-4c3a-9e8f-0a1b2c3d4e5f"
PDF = b"%PDF-1.7\n% a printed report\n%%EOF\n"
SCAN = b"\xff\xd8\xff\xe0 a scanned page"


def office_key(seed: int) -> OfficeKey:
    """A fixed key per seed, so failures reproduce."""
    return OfficeKey(Ed25519PrivateKey.from_private_bytes(bytes([seed]) * 32))


KEY = office_key(1)
OTHER_KEY = office_key(2)


def trust(*entries: TrustedKey) -> Callable[[str], TrustedKey | None]:
    return {entry.key_id: entry for entry in entries}.get


def trusted(
    key: OfficeKey = KEY, office: str = SENDER.code, revoked: int | None = None
) -> TrustedKey:
    return TrustedKey(key.key_id, office, key.public_raw, revoked)


def report_data(**changes: Any) -> ReportData:
    report = ReportData(
        report_id=REPORT_ID,
        template_id="ct58-review",
        template_version=1,
        period="2026",
        revision=1,
        supersedes=None,
        office=SENDER,
        values={"so_chi_bo": 12, "ty_le_dang_vien": Decimal("97.5"), "co_ke_hoach": True},
        narratives={"tinh_hinh": "Tình hình thực hiện Chỉ thị 58-CT/TW tốt."},
        comments={"so_chi_bo": "Số liệu chốt ngày 31/12/2025."},
        approval=Approval("Nguyễn Thị Hoà", "Bí thư", APPROVED_AT),
    )
    return replace(report, **changes)


def header(**changes: Any) -> ReportHeader:
    base = ReportHeader(
        report_id=REPORT_ID,
        template_id="ct58-review",
        template_version=1,
        period="2026",
        revision=1,
        supersedes=None,
        approved_by=Person("Nguyễn Thị Hoà", "Bí thư"),
        approved_at=APPROVED_AT,
    )
    return replace(base, **changes)


def fields(**changes: Any) -> ManifestFields:
    base = ManifestFields(
        bundle_id="0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f",
        sender=SENDER,
        recipient=RECIPIENT,
        seq=1,
        prev_manifest_sha256=None,
        created_at=CREATED_AT,
        app_version="0.1.0",
        reports=(header(),),
    )
    return replace(base, **changes)


def build(signer: OfficeKey = KEY, **changes: Any) -> BuiltBundle:
    return build_bundle(
        fields(**changes),
        reports_to_bytes([report_data()]),
        {REPORT_ID: PDF},
        {REPORT_ID: [SCAN]},
        signer,
    )


@cache
def valid_bundle() -> bytes:
    return build().data


def verify(data: bytes, **options: Any) -> VerifiedBundle:
    options.setdefault("trusted_keys", trust(trusted()))
    options.setdefault("this_office_code", RECIPIENT.code)
    options.setdefault("now", NOW)
    return verify_bundle(data, **options)


def refused(data: bytes, code: Code, **options: Any) -> BundleRefused:
    """Assert the exact code, and that the refusal carries every placeholder its sentence needs."""
    with pytest.raises(BundleRefused) as caught:
        verify(data, **options)
    refusal = caught.value
    assert refusal.code == code, f"{refusal.code.value} ({refusal.detail}) instead of {code.value}"
    assert_sentence_complete(refusal)
    return refusal


def assert_sentence_complete(refusal: BundleRefused) -> None:
    for lang in ("vi", "en"):
        sentence = message(refusal.code.value, lang, **refusal.params)
        assert "{" not in sentence, sentence


# --- taking a valid bundle apart and putting it back together -------------------------------


def entries(data: bytes) -> dict[str, bytes]:
    """The entries of a bundle we trust (our own), without the mimetype."""
    container = open_container(data)
    names = [name for name in container.names if name != MIMETYPE_NAME]
    return {name: container.read(name, limit=1 << 30, over_limit=Code.BOMB) for name in names}


def manifest_of(data: bytes) -> dict[str, Any]:
    envelope = json.loads(entries(data)[ENVELOPE_NAME])
    payload = dsse._b64decode(envelope["payload"], "payload")
    result: dict[str, Any] = json.loads(payload)
    return result


def repack(files: Mapping[str, bytes]) -> bytes:
    return write_container(list(files.items()))


def signed_envelope(
    payload: bytes, signer: OfficeKey = KEY, payload_type: str = dsse.MANIFEST_TYPE
) -> bytes:
    return dsse.to_bytes(dsse.sign(payload_type, payload, [signer]))


def forge(
    mutate: Callable[[dict[str, Any]], None] | None = None,
    *,
    files: Mapping[str, bytes] | None = None,
    signer: OfficeKey = KEY,
    payload: bytes | None = None,
) -> bytes:
    """A bundle whose manifest was changed by ``mutate`` and properly re-signed by ``signer``."""
    original = entries(valid_bundle())
    manifest = manifest_of(valid_bundle())
    if mutate:
        mutate(manifest)
    body = payload if payload is not None else strictjson.canonical_bytes(manifest)
    contents = dict(files if files is not None else original)
    contents[ENVELOPE_NAME] = signed_envelope(body, signer)
    return repack(contents)


def with_reports_json(new_json: bytes) -> bytes:
    """A bundle carrying ``new_json`` as data/reports.json, with the manifest re-signed to match."""
    files = entries(valid_bundle())
    files["data/reports.json"] = new_json

    def relist(manifest: dict[str, Any]) -> None:
        relist_file(manifest, "data/reports.json", new_json)

    return forge(relist, files=files)


def relist_file(manifest: dict[str, Any], path: str, content: bytes) -> None:
    for entry in manifest["files"]:
        if entry["path"] == path:
            entry["sha256"] = hashlib.sha256(content).hexdigest()
            entry["size"] = len(content)
    manifest["totals"]["byte_count"] = sum(entry["size"] for entry in manifest["files"])


def replace_envelope(envelope: bytes) -> bytes:
    files = entries(valid_bundle())
    files[ENVELOPE_NAME] = envelope
    return repack(files)


def pdf_path(data: bytes) -> str:
    return next(name for name in entries(data) if re.fullmatch(r"pdf/.*", name))


# --- raw ZIP writer for hostile containers --------------------------------------------------


@dataclass
class Raw:
    """One entry of a hand-made ZIP; every field a hostile file might lie about is settable."""

    name: str | bytes
    content: bytes = b"{}"
    method: int = 0
    flags: int = 0
    external_attr: int = 0o100644 << 16
    made_by: int = (3 << 8) | 20
    declared_size: int | None = None
    crc: int | None = None
    extra: bytes = b""
    local_name: bytes | None = None
    offset: int | None = None  # directory offset override
    write_local: bool = True  # False: directory record only (for overlap attacks)
    descriptor: bool = False  # sizes after the data (flag bit 3), as streaming writers do
    descriptor_signature: bool = True
    descriptor_size: int | None = None

    @property
    def raw_name(self) -> bytes:
        return self.name.encode("utf-8") if isinstance(self.name, str) else self.name

    @property
    def payload(self) -> bytes:
        if self.method == 8:
            compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
            return compressor.compress(self.content) + compressor.flush()
        return self.content

    def sizes(self) -> tuple[int, int, int]:
        crc = zlib.crc32(self.content) if self.crc is None else self.crc
        size = len(self.content) if self.declared_size is None else self.declared_size
        return crc, len(self.payload), size

    @property
    def all_flags(self) -> int:
        return self.flags | (0x0008 if self.descriptor else 0)

    def local_record(self) -> bytes:
        crc, csize, size = self.sizes()
        name = self.local_name if self.local_name is not None else self.raw_name
        in_header = (0, 0, 0) if self.descriptor else (crc, csize, size)
        head = struct.pack(
            "<IHHHHHIIIHH",
            0x04034B50,
            20,
            self.all_flags,
            self.method,
            0,
            33,
            *in_header,
            len(name),
            len(self.extra),
        )
        return head + name + self.extra + self.payload + self.descriptor_record()

    def descriptor_record(self) -> bytes:
        if not self.descriptor:
            return b""
        crc, csize, size = self.sizes()
        size = size if self.descriptor_size is None else self.descriptor_size
        signature = b"PK\x07\x08" if self.descriptor_signature else b""
        return signature + struct.pack("<III", crc, csize, size)

    def central_record(self, offset: int) -> bytes:
        crc, csize, size = self.sizes()
        head = struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            self.made_by,
            20,
            self.all_flags,
            self.method,
            0,
            33,
            crc,
            csize,
            size,
            len(self.raw_name),
            len(self.extra),
            0,
            0,
            0,
            self.external_attr,
            offset,
        )
        return head + self.raw_name + self.extra


MIMETYPE_RAW = Raw(MIMETYPE_NAME, MIMETYPE.encode("ascii"))


def zip_bytes(
    items: Sequence[Raw], *, comment: bytes = b"", count: int | None = None, gap: bytes = b""
) -> bytes:
    """A ZIP of ``items`` in order; ``gap`` is hidden between the last entry and the directory."""
    body, directory = bytearray(), bytearray()
    for item in items:
        offset = len(body) if item.offset is None else item.offset
        if item.write_local:
            body += item.local_record()
        directory += item.central_record(offset)
    body += gap
    total = len(items) if count is None else count
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, total, total, len(directory), len(body), len(comment)
    )
    return bytes(body + directory + end + comment)


def hostile(*items: Raw, **options: Any) -> bytes:
    """A ZIP that starts with a correct mimetype entry, followed by ``items``."""
    return zip_bytes([MIMETYPE_RAW, *items], **options)
