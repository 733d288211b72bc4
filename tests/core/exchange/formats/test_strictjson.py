"""Strict JSON: one meaning per signed byte string, one byte string per value we write."""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from typing import Any

import pytest

from desktop_app.core.model.strictjson import StrictJSONError, canonical_bytes, parse

LIMIT = 1024 * 1024


@pytest.mark.parametrize(
    "text",
    [
        b'{"seq": 1, "seq": 999}',
        b'{"a": {"b": 1, "b": 2}}',
        b'{"x": NaN}',
        b'{"x": Infinity}',
        b"[-Infinity]",
        b'{"x": 1} trailing',
        b'\xef\xbb\xbf{"x": 1}',
        b'{"x": "\xff"}',
        b'{"x": "\\ud800"}',
        b'{"x": "a\\u0000b"}',
        b'{"x": 9223372036854775808}',
        b'{"x": 1e999999}',
        b"[" + b"1" * 10000 + b"]",
        b"[" * 100000 + b"]" * 100000,
        b"[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]",
    ],
    ids=[
        "duplicate-key",
        "nested-duplicate",
        "nan",
        "infinity",
        "minus-infinity",
        "trailing",
        "bom",
        "invalid-utf8",
        "lone-surrogate",
        "nul-escape",
        "int-over-64-bits",
        "huge-exponent",
        "10000-digit-int",
        "100000-deep",
        "20-deep",
    ],
)
def test_doubtful_json_is_refused(text: bytes) -> None:
    with pytest.raises(StrictJSONError):
        parse(text, max_bytes=LIMIT)


def test_text_not_in_nfc_is_refused_in_keys_and_values() -> None:
    nfd = unicodedata.normalize("NFD", "Hòa")
    with pytest.raises(StrictJSONError, match="NFC"):
        parse(f'{{"name": "{nfd}"}}'.encode(), max_bytes=LIMIT)
    with pytest.raises(StrictJSONError, match="NFC"):
        parse(f'{{"{nfd}": 1}}'.encode(), max_bytes=LIMIT)
    with pytest.raises(StrictJSONError, match="NFC"):
        parse(f'["{nfd}"]'.encode(), max_bytes=LIMIT)


def test_size_cap_applies_before_parsing() -> None:
    with pytest.raises(StrictJSONError, match="larger"):
        parse(b'"' + b"a" * 100 + b'"', max_bytes=50)


def test_numbers_keep_the_digits_that_were_signed() -> None:
    value = parse(b'{"a": 0.1, "b": 12, "c": -3.50}', max_bytes=LIMIT)
    assert value == {"a": Decimal("0.1"), "b": 12, "c": Decimal("-3.50")}
    assert isinstance(value["b"], int)


def test_canonical_form_is_sorted_compact_utf8() -> None:
    value = {"tên": "Hạc Thành", "a": [1, True, None], "B": Decimal("1.50")}
    assert canonical_bytes(value) == '{"B":1.50,"a":[1,true,null],"tên":"Hạc Thành"}'.encode()


def test_canonical_form_reads_back_to_the_same_value() -> None:
    value: Any = {"x": [Decimal("0.25"), -7, "Đảng ủy", {"y": None}], "z": False}
    assert parse(canonical_bytes(value), max_bytes=LIMIT) == value


@pytest.mark.parametrize(
    "value",
    [
        float("nan"),
        float("inf"),
        Decimal("NaN"),
        unicodedata.normalize("NFD", "ủy"),
        b"bytes",
        {1: "non-text key"},
        2**63,
    ],
)
def test_canonical_form_refuses_what_could_not_be_read_back(value: Any) -> None:
    with pytest.raises(StrictJSONError):
        canonical_bytes({"v": value})


def test_floats_are_written_as_their_shortest_text() -> None:
    assert canonical_bytes([0.1, 1e16]) == b"[0.1,1e+16]"
