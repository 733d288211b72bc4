"""Strict JSON: one meaning per signed byte string, one byte string per value we write."""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from typing import Any

import pytest

from desktop_app.core.model import strictjson
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


LOCATED = '{\n  "a": 1,\n  "b": [\n    {"c": "x"},\n    {"c": [1, {"d": null}]}\n  ],\n  "e": {}\n}'


@pytest.mark.parametrize(
    ("path", "line"),
    [
        ((), 1),
        (("a",), 2),
        (("b",), 3),
        (("b", 0), 4),
        (("b", 1, "c", 1, "d"), 5),
        (("e",), 7),
        (("b", 1, "missing"), 5),  # as far as the path exists
        (("b", 7), 3),
        (("a", 0), 2),  # a step into a number stops there
    ],
)
def test_locate_finds_the_line_of_a_path(path: tuple[str | int, ...], line: int) -> None:
    assert LOCATED.count("\n", 0, strictjson.locate(LOCATED, path)) + 1 == line


def test_a_syntax_error_says_where() -> None:
    with pytest.raises(strictjson.StrictJSONError) as caught:
        strictjson.parse_text('{\n  "a": 1,\n  "b": \n}')
    assert caught.value.kind == strictjson.SYNTAX
    assert caught.value.position == '{\n  "a": 1,\n  "b": \n}'.index("}")


def test_a_duplicate_key_is_named() -> None:
    with pytest.raises(strictjson.StrictJSONError) as caught:
        strictjson.parse_text('{"a": 1, "a": 2}')
    assert (caught.value.kind, caught.value.subject) == (strictjson.DUPLICATE_KEY, "a")
