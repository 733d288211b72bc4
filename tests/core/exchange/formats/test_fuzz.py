"""Mutated bundles: the reader either verifies (and then the content is exactly what was signed)
or refuses with a code — never another exception, whatever the bytes."""

from __future__ import annotations

import io
import zipfile
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.core.exchange.formats.codes import BundleRefused, Code
from desktop_app.core.exchange.formats.container import MIMETYPE
from tests.core.exchange.formats.factory import (
    assert_sentence_complete,
    entries,
    report_data,
    valid_bundle,
    verify,
)

RECORD_SIGNATURES = (b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06")


@cache
def deflated_bundle() -> bytes:
    """The same bundle as another tool might write it: DEFLATE after a stored mimetype."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), MIMETYPE)
        for name, content in entries(valid_bundle()).items():
            archive.writestr(name, content, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def record_starts(data: bytes) -> list[int]:
    starts = []
    for signature in RECORD_SIGNATURES:
        position = data.find(signature)
        while position >= 0:
            starts.append(position)
            position = data.find(signature, position + 1)
    return sorted(starts)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from([valid_bundle(), deflated_bundle()])))
    for _ in range(draw(st.integers(1, 3))):
        data = draw(st.sampled_from(MUTATIONS))(draw, data)
    return bytes(data)


def flip_anywhere(draw: st.DrawFn, data: bytearray) -> bytearray:
    if not data:
        return data
    index = draw(st.integers(0, len(data) - 1))
    data[index] ^= draw(st.integers(1, 255))
    return data


def overwrite_header_field(draw: st.DrawFn, data: bytearray) -> bytearray:
    """Aim at the structure (sizes, offsets, flags, name lengths) rather than the content."""
    starts = record_starts(bytes(data)) or [0]
    index = draw(st.sampled_from(starts)) + draw(st.integers(4, 45))
    value = draw(st.sampled_from([0, 1, 0xFF, 0xFFFF, 0xFFFFFFFF, draw(st.integers(0, 2**32 - 1))]))
    width = draw(st.sampled_from([1, 2, 4]))
    chunk = (value % (1 << (8 * width))).to_bytes(width, "little")
    data[index : index + width] = chunk
    return data


def truncate(draw: st.DrawFn, data: bytearray) -> bytearray:
    return data[: draw(st.integers(0, len(data)))]


def insert(draw: st.DrawFn, data: bytearray) -> bytearray:
    index = draw(st.integers(0, len(data)))
    data[index:index] = draw(st.binary(min_size=1, max_size=64))
    return data


def delete(draw: st.DrawFn, data: bytearray) -> bytearray:
    start = draw(st.integers(0, len(data)))
    del data[start : start + draw(st.integers(1, 64))]
    return data


MUTATIONS = [flip_anywhere, overwrite_header_field, truncate, insert, delete]
REFUSALS = {code for code in Code if code.value.startswith("E")}


@settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(mutated())
def test_mutated_bundles_verify_to_the_signed_content_or_are_refused(data: bytes) -> None:
    try:
        verified = verify(data)
    except BundleRefused as refusal:
        assert refusal.code in REFUSALS
        assert_sentence_complete(refusal)
        return
    assert verified.reports == (report_data(),)
    assert verified.files == {
        name: content for name, content in entries(valid_bundle()).items() if "/" in name
    }
