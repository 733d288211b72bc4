"""The ZIP container against hostile files (research §7.7): each refused with its exact code,
before anything is decompressed where the design says so."""

from __future__ import annotations

import io
import struct
import time
import unicodedata
import zipfile

import pytest

from desktop_app.core.exchange.formats.codes import BundleRefused, Code
from desktop_app.core.exchange.formats.container import (
    MIMETYPE,
    Limits,
    open_container,
    write_container,
)
from tests.core.exchange.formats.factory import (
    MIMETYPE_RAW,
    PDF,
    Raw,
    entries,
    hostile,
    valid_bundle,
    zip_bytes,
)

SYMLINK = 0o120777 << 16
DIRECTORY = (0o040755 << 16) | 0x10


def refused_container(data: bytes, code: Code, limits: Limits | None = None) -> None:
    with pytest.raises(BundleRefused) as caught:
        open_container(data, limits or Limits())
    assert caught.value.code == code, caught.value.detail


# --- what is not a bundle at all (E01) ------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x00" * 100,
        PDF * 10,
        bytes(range(256)) * 4,
    ],
    ids=["empty", "zeros", "pdf-renamed", "random-bytes"],
)
def test_files_that_are_not_zips_are_not_bundles(data: bytes) -> None:
    refused_container(data, Code.NOT_A_BUNDLE)


def test_a_plain_zip_without_mimetype_is_not_a_bundle() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("data/reports.json", "{}")
    refused_container(buffer.getvalue(), Code.NOT_A_BUNDLE)


@pytest.mark.parametrize(
    "first",
    [
        Raw("bundle.dsse.json"),
        Raw("mimetype", MIMETYPE.encode(), method=8),
        Raw("mimetype", b"application/zip"),
        Raw("mimetype", MIMETYPE.encode() + b"\n"),
        Raw("mimetype", MIMETYPE.encode(), extra=b"\x55\x54\x01\x00\x00"),
        Raw("mimetype", MIMETYPE.encode(), flags=0x0800),
    ],
    ids=["missing", "compressed", "wrong-type", "trailing-newline", "extra-field", "flags"],
)
def test_mimetype_must_be_first_stored_and_exact(first: Raw) -> None:
    refused_container(zip_bytes([first, Raw("data/reports.json")]), Code.NOT_A_BUNDLE)


def test_mimetype_not_first_is_not_a_bundle() -> None:
    refused_container(zip_bytes([Raw("data/reports.json"), MIMETYPE_RAW]), Code.NOT_A_BUNDLE)


def test_data_before_the_archive_is_not_a_bundle() -> None:
    refused_container(b"MZ\x90\x00 polyglot" + valid_bundle(), Code.NOT_A_BUNDLE)


# --- too large (E02) and damaged (E03) ------------------------------------------------------


def test_file_over_the_size_cap_is_refused_first() -> None:
    with pytest.raises(BundleRefused) as caught:
        open_container(valid_bundle(), Limits(max_bundle_bytes=len(valid_bundle()) - 1))
    assert caught.value.code == Code.TOO_LARGE
    assert caught.value.params == {"limit_mb": 0}


@pytest.mark.parametrize("keep", [0.5, 0.9, -1, 60])
def test_truncated_bundle_is_damaged(keep: float) -> None:
    data = valid_bundle()
    cut = int(len(data) * keep) if isinstance(keep, float) else keep % len(data)
    refused_container(data[:cut], Code.DAMAGED)


def test_directory_pointing_past_its_end_record_is_damaged() -> None:
    data = bytearray(valid_bundle())
    end = len(data) - 22
    (size,) = struct.unpack_from("<I", data, end + 12)
    struct.pack_into("<I", data, end + 12, size + 10)
    refused_container(bytes(data), Code.DAMAGED)


def test_local_header_missing_where_the_directory_points_is_damaged() -> None:
    refused_container(hostile(Raw("data/reports.json", offset=5)), Code.DAMAGED)


def test_crc_mismatch_is_damaged_when_read() -> None:
    container = open_container(hostile(Raw("data/reports.json", b'{"a":1}', crc=1)))
    with pytest.raises(BundleRefused) as caught:
        container.read("data/reports.json", limit=100, over_limit=Code.BAD_DATA)
    assert caught.value.code == Code.DAMAGED


def test_corrupt_deflate_stream_is_damaged_when_read() -> None:
    good = Raw("data/reports.json", b"x" * 2000, method=8)
    broken = Raw("data/reports.json", b"x" * 2000, method=8)
    payload = bytearray(good.payload)
    payload[len(payload) // 2] ^= 0xFF
    data = bytearray(hostile(broken))
    start = data.index(good.payload)
    data[start : start + len(payload)] = payload
    container = open_container(bytes(data))
    with pytest.raises(BundleRefused) as caught:
        container.read("data/reports.json", limit=10**6, over_limit=Code.BAD_DATA)
    assert caught.value.code == Code.DAMAGED


# --- unsafe content (E04) -------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "../../evil.json",
        "data/../../evil.json",
        "/abs.json",
        "/data/reports.json",
        "C:\\x.json",
        "\\\\srv\\share\\x.json",
        "data\\reports.json",
        "data/reports.json\x00.pdf",
        "data/Reports.json",
        "DATA/reports.json",
        "data/báo-cáo.json",
        "data/",
        "att/" + "a" * 64 + ".exe",
        "pdf/" + "A" * 64 + ".pdf",
        "manifest.json",
        "data/reports.json ",
    ],
)
def test_names_outside_the_allowlist_are_unsafe(name: str) -> None:
    refused_container(hostile(Raw(name)), Code.UNSAFE_CONTENT)


def test_duplicate_names_are_unsafe() -> None:
    data = hostile(Raw("data/reports.json"), Raw("data/reports.json", b'{"b":2}'))
    refused_container(data, Code.UNSAFE_CONTENT)


def test_names_colliding_after_casefold_are_unsafe() -> None:
    data = hostile(Raw("data/reports.json"), Raw("data/REPORTS.json"))
    refused_container(data, Code.UNSAFE_CONTENT)


def test_names_colliding_after_nfc_are_unsafe() -> None:
    nfc, nfd = (unicodedata.normalize(form, "data/ủy.json") for form in ("NFC", "NFD"))
    data = hostile(Raw(nfc, flags=0x0800), Raw(nfd, flags=0x0800))
    refused_container(data, Code.UNSAFE_CONTENT)


@pytest.mark.parametrize(
    "entry",
    [
        Raw("data/reports.json", external_attr=SYMLINK),
        Raw("data/reports.json", external_attr=DIRECTORY),
        Raw("data/reports.json", external_attr=0x10, made_by=20),
        Raw("data/reports.json", flags=0x0001),
        Raw("data/reports.json", flags=0x0040),
        Raw("data/reports.json", method=12),
        Raw("data/reports.json", method=14),
        Raw("data/reports.json", method=99),
        Raw("data/reports.json", extra=struct.pack("<HH", 0x7075, 5) + b"\x01abcd"),
        Raw("data/reports.json", extra=struct.pack("<HH", 0x0001, 8) + bytes(8)),
        Raw("data/reports.json", extra=b"\x01\x00\x09"),
        Raw("data/reports.json", local_name=b"data/other.json"),
        Raw("data/reports.json", content=b'{"a":1}', declared_size=8, method=0),
    ],
    ids=[
        "symlink",
        "unix-directory",
        "dos-directory",
        "encrypted",
        "strong-encryption",
        "bzip2",
        "lzma",
        "aes",
        "unicode-path-extra",
        "zip64-extra",
        "malformed-extra",
        "local-name-differs",
        "stored-sizes-differ",
    ],
)
def test_links_encryption_odd_methods_and_differentials_are_unsafe(entry: Raw) -> None:
    refused_container(hostile(entry), Code.UNSAFE_CONTENT)


def test_data_after_the_archive_is_unsafe() -> None:
    refused_container(valid_bundle() + b"appended payload", Code.UNSAFE_CONTENT)


def test_archive_comment_is_unsafe() -> None:
    refused_container(hostile(Raw("data/reports.json"), comment=b"hi"), Code.UNSAFE_CONTENT)


def test_hidden_data_between_entries_and_directory_is_unsafe() -> None:
    refused_container(hostile(Raw("data/reports.json"), gap=b"hidden"), Code.UNSAFE_CONTENT)


# --- compression bombs and caps (E05) -------------------------------------------------------


def test_high_ratio_entry_is_refused_before_decompressing() -> None:
    bomb = Raw("data/reports.json", b"\x00" * (20 * 1024 * 1024), method=8)
    refused_container(hostile(bomb), Code.BOMB)


def test_lying_declared_size_is_caught_while_inflating() -> None:
    liar = Raw("data/reports.json", b"\x00" * 1_000_000, method=8, declared_size=50_000)
    container = open_container(hostile(liar))
    with pytest.raises(BundleRefused) as caught:
        container.read("data/reports.json", limit=10**7, over_limit=Code.BAD_DATA)
    assert caught.value.code == Code.BOMB


def test_huge_declared_size_is_refused() -> None:
    refused_container(
        hostile(Raw("data/reports.json", declared_size=0xFFFFFFFE, method=8)), Code.BOMB
    )


def test_too_many_entries_are_refused() -> None:
    many = [Raw(f"data/r{n}.json") for n in range(11)]
    refused_container(hostile(*many), Code.BOMB, Limits(max_entries=11))


def test_hundred_thousand_entries_claimed_are_refused_quickly() -> None:
    started = time.perf_counter()
    refused_container(hostile(Raw("data/reports.json"), count=65000), Code.BOMB)
    assert time.perf_counter() - started < 1


def test_total_declared_size_over_the_cap_is_refused() -> None:
    data = hostile(Raw("data/a.json", b"a" * 600), Raw("data/b.json", b"b" * 600))
    refused_container(data, Code.BOMB, Limits(max_total_bytes=1000))


def test_overlapping_entries_are_a_bomb() -> None:
    inner = Raw("data/b.json", b"B" * 100)
    outer_name = "data/a.json"
    outer = Raw(outer_name, inner.local_record())
    inner_offset = len(MIMETYPE_RAW.local_record()) + 30 + len(outer_name)
    data = hostile(outer, Raw("data/b.json", b"B" * 100, offset=inner_offset, write_local=False))
    refused_container(data, Code.BOMB)


def test_entry_read_twice_counts_towards_the_total_cap() -> None:
    container = open_container(
        hostile(Raw("data/a.json", b"a" * 600)), Limits(max_total_bytes=1000)
    )
    container.read("data/a.json", limit=1000, over_limit=Code.BAD_DATA)
    with pytest.raises(BundleRefused) as caught:
        container.read("data/a.json", limit=1000, over_limit=Code.BAD_DATA)
    assert caught.value.code == Code.BOMB


# --- what must keep working -----------------------------------------------------------------


def test_written_container_is_deterministic_and_readable_by_zipfile() -> None:
    files = [("data/reports.json", b'{"a":1}'), ("pdf/" + "0" * 64 + ".pdf", PDF)]
    first, second = write_container(files), write_container(list(files))
    assert first == second
    archive = zipfile.ZipFile(io.BytesIO(first))
    assert archive.testzip() is None
    assert archive.namelist() == ["mimetype", "data/reports.json", "pdf/" + "0" * 64 + ".pdf"]
    assert archive.read("mimetype") == MIMETYPE.encode()


def test_writer_refuses_names_outside_the_allowlist() -> None:
    with pytest.raises(ValueError):
        write_container([("../evil.json", b"")])
    with pytest.raises(ValueError):
        write_container([("data/a.json", b""), ("data/a.json", b"")])


def test_zip_from_another_tool_with_deflate_is_read() -> None:
    """Another implementer may write with Python's zipfile and DEFLATE the entries."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), MIMETYPE)
        for name, content in entries(valid_bundle()).items():
            archive.writestr(name, content, compress_type=zipfile.ZIP_DEFLATED)
    container = open_container(buffer.getvalue())
    assert {
        name: container.read(name, limit=10**6, over_limit=Code.BAD_DATA)
        for name in container.names
        if name != "mimetype"
    } == entries(valid_bundle())


@pytest.mark.parametrize("signature", [True, False])
def test_entries_with_data_descriptors_are_read(signature: bool) -> None:
    """Streaming writers put sizes after the data (flag bit 3), with or without a signature."""
    content = '{"tinh_hinh":"tốt"}'.encode() * 50
    entry = Raw(
        "data/reports.json", content, method=8, descriptor=True, descriptor_signature=signature
    )
    container = open_container(hostile(entry))
    assert container.read("data/reports.json", limit=10**6, over_limit=Code.BAD_DATA) == content


def test_data_descriptor_that_disagrees_with_the_directory_is_unsafe() -> None:
    entry = Raw("data/reports.json", b"x" * 100, method=8, descriptor=True, descriptor_size=99)
    refused_container(hostile(entry), Code.UNSAFE_CONTENT)


def test_mimetype_with_a_data_descriptor_is_not_a_bundle() -> None:
    first = Raw("mimetype", MIMETYPE.encode(), descriptor=True)
    refused_container(zip_bytes([first, Raw("data/reports.json")]), Code.NOT_A_BUNDLE)
