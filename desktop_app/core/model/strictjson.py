"""Strict JSON for signed files: one meaning per byte string, one byte string per value written.

Reading refuses what the standard library lets through silently — duplicate keys (the last one
would win, so two parsers could disagree about a signed document), ``NaN``/``Infinity``, text
that is not NFC, control characters, lone surrogates, integers outside 64 bits — and caps the size
and nesting depth before anything is built. Non-integer numbers are read as ``Decimal`` so that
figures keep the digits that were signed.

Writing (``canonical_bytes``) is compact UTF-8 with keys sorted by code point, no insignificant
white space, and no escaping of non-ASCII letters; a ``Decimal`` is written in plain notation and
a float as its shortest round-trip text. Verifiers never re-serialise: signatures and hashes
always cover the bytes exactly as they arrived.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from desktop_app.core.errors import ReasonedError

DEFAULT_MAX_DEPTH = 16
INT_MIN = -(2**63)
INT_MAX = 2**63 - 1
MAX_DECIMAL_DIGITS = 40
MAX_DECIMAL_EXPONENT = 100
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")  # all but tab, line feed, return
_SURROGATE = re.compile("[\ud800-\udfff]")


# What kind of refusal a StrictJSONError is, for callers that explain it in their own words.
SYNTAX, DUPLICATE_KEY, CONSTANT, OTHER = "syntax", "duplicate_key", "constant", "other"


class StrictJSONError(ReasonedError, ValueError):
    """The bytes are not strict JSON; ``reason`` says why (English: it names JSON details),
    ``kind`` what sort of refusal it is, ``subject`` the key, constant or syntax message
    concerned, and ``position`` where in the text, when known."""

    code = "json.invalid"

    def __init__(
        self, reason: str, *, kind: str = OTHER, subject: str = "", position: int | None = None
    ) -> None:
        super().__init__(reason)
        self.kind = kind
        self.subject = subject
        self.position = position


def parse(data: bytes, *, max_bytes: int, max_depth: int = DEFAULT_MAX_DEPTH) -> Any:
    """Parse ``data`` strictly; raise ``StrictJSONError`` on anything doubtful."""
    if len(data) > max_bytes:
        raise StrictJSONError(f"larger than {max_bytes} bytes")
    return parse_text(_decode_utf8(data), max_depth=max_depth)


def parse_text(text: str, *, max_depth: int = DEFAULT_MAX_DEPTH) -> Any:
    """``parse`` for text already decoded (and size-checked) by the caller."""
    try:
        value = json.loads(
            text,
            object_pairs_hook=_object_without_duplicates,
            parse_constant=_refuse_constant,
            parse_float=_parse_decimal,
            parse_int=_parse_int,
        )
    except RecursionError as error:
        raise StrictJSONError("nested too deeply") from error
    except json.JSONDecodeError as error:
        raise StrictJSONError(
            f"not JSON: {error}", kind=SYNTAX, subject=error.msg, position=error.pos
        ) from error
    _check_tree(value, max_depth)
    return value


def locate(text: str, path: Sequence[str | int]) -> int:
    """Where in ``text`` (a JSON document) the member or item at ``path`` starts: its key for
    a member of an object. Where the path stops existing, the last place found; for error
    messages that name a line, so it assumes nothing about the text being valid further on."""
    found = position = _skip_space(text, 0)
    for step in path:
        try:
            entry = _find(text, position, step)
        except (ValueError, IndexError):
            break
        if entry is None:
            break
        found, position = entry
    return found


def canonical_bytes(value: Any) -> bytes:
    """The one serialisation we write and sign. Refuses NaN, infinity and text that is not NFC."""
    return _encode(value).encode("utf-8")


def check_text(text: str) -> None:
    """Refuse text that is not NFC, holds control characters or lone surrogates."""
    if not unicodedata.is_normalized("NFC", text):
        raise StrictJSONError("text is not NFC")
    if _CONTROL.search(text):
        raise StrictJSONError("text holds a control character")
    if _SURROGATE.search(text):
        raise StrictJSONError("text holds a lone surrogate")


_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\n\r]*")


def _find(text: str, start: int, step: str | int) -> tuple[int, int] | None:
    """The start of the member (or item) ``step`` of the container at ``start``, and of its
    value; None when it has none."""
    opening = text[start]
    if (opening, isinstance(step, str)) not in (("{", True), ("[", False)):
        return None
    position, index = _skip_space(text, start + 1), 0
    while text[position] not in "]}":
        entry = value = position
        if opening == "{":
            key, position = _DECODER.raw_decode(text, position)
            value = _skip_space(text, _skip_space(text, position) + 1)  # past the colon
            if key == step:
                return entry, value
        elif index == step:
            return entry, value
        _, position = _DECODER.raw_decode(text, value)
        position = _skip_space(text, position)
        if text[position] == ",":
            position = _skip_space(text, position + 1)
        index += 1
    return None


def _skip_space(text: str, position: int) -> int:
    match = _SPACE.match(text, position)
    return match.end() if match else position


def _decode_utf8(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        raise StrictJSONError("starts with a byte order mark")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise StrictJSONError("not UTF-8") from error


def _object_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise StrictJSONError(f"duplicate key {key!r}", kind=DUPLICATE_KEY, subject=key)
        result[key] = value
    return result


def _refuse_constant(name: str) -> Any:
    raise StrictJSONError(f"{name} is not a number", kind=CONSTANT, subject=name)


def _parse_int(digits: str) -> int:
    if len(digits) > 20:
        raise StrictJSONError("integer too long")
    value = int(digits)
    if not INT_MIN <= value <= INT_MAX:
        raise StrictJSONError("integer outside 64 bits")
    return value


def _parse_decimal(text: str) -> Decimal:
    if len(text) > MAX_DECIMAL_DIGITS + 8:
        raise StrictJSONError("number too long")
    value = Decimal(text)
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int) or abs(exponent) > MAX_DECIMAL_EXPONENT:
        raise StrictJSONError("number exponent out of range")
    return value


def _check_tree(root: Any, max_depth: int) -> None:
    """Walk iteratively (no recursion on hostile input): depth cap and text rules."""
    stack: list[tuple[Any, int]] = [(root, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            check_text(value)
            continue
        if not isinstance(value, dict | list):
            continue
        if depth > max_depth:
            raise StrictJSONError(f"nested deeper than {max_depth}")
        if isinstance(value, dict):
            stack.extend((key, depth) for key in value)
            stack.extend((item, depth + 1) for item in value.values())
        else:
            stack.extend((item, depth + 1) for item in value)


def _encode(value: Any) -> str:
    if isinstance(value, str):
        check_text(value)
        return json.dumps(value, ensure_ascii=False)
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, int):
        if not INT_MIN <= value <= INT_MAX:
            raise StrictJSONError("integer outside 64 bits")
        return str(value)
    if isinstance(value, Decimal):
        return _encode_decimal(value)
    if isinstance(value, float):
        return _encode_float(value)
    if isinstance(value, Mapping):
        return _encode_object(value)
    if isinstance(value, Sequence) and not isinstance(value, bytes | bytearray):
        return "[" + ",".join(_encode(item) for item in value) + "]"
    raise StrictJSONError(f"cannot write {type(value).__name__} as canonical JSON")


def _encode_object(value: Mapping[Any, Any]) -> str:
    if not all(isinstance(key, str) for key in value):
        raise StrictJSONError("object keys must be text")
    items = sorted(value.items())
    return "{" + ",".join(f"{_encode(key)}:{_encode(item)}" for key, item in items) + "}"


def _encode_float(value: float) -> str:
    if not math.isfinite(value):
        raise StrictJSONError("NaN and infinity cannot be written")
    return repr(value)  # the shortest text that reads back as the same float


def _encode_decimal(value: Decimal) -> str:
    if not value.is_finite():
        raise StrictJSONError("NaN and infinity cannot be written")
    return format(value, "f")
