"""Every code the signing layer can produce has a clerk's sentence in Vietnamese and English."""

from __future__ import annotations

import json
import string
import unicodedata
from pathlib import Path

import pytest

from desktop_app.core.exchange.formats import keys
from desktop_app.core.exchange.formats.codes import Code
from desktop_app.core.paths import resource

REPO = Path(__file__).resolve().parents[4]
KEY_ERRORS = [
    keys.KeyFileError,
    keys.WrongPassphrase,
    keys.SealedKeyDamaged,
    keys.PublicKeyFileInvalid,
    keys.RotationInvalid,
]
CODES = [code.value for code in Code] + [error.code for error in KEY_ERRORS]


def _sentences(lang: str) -> dict[str, str]:
    path: Path = resource("messages", f"bundles.{lang}.json")
    result: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return result


def _placeholders(sentence: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(sentence) if name}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_code_has_exactly_one_sentence(lang: str) -> None:
    assert sorted(_sentences(lang)) == sorted(CODES)


@pytest.mark.parametrize("code", CODES)
def test_both_languages_take_the_same_placeholders(code: str) -> None:
    assert _placeholders(_sentences("vi")[code]) == _placeholders(_sentences("en")[code])


@pytest.mark.parametrize("code", [code.value for code in Code])
def test_vietnamese_sentence_says_what_changed_in_nfc(code: str) -> None:
    sentence = _sentences("vi")[code]
    assert unicodedata.is_normalized("NFC", sentence)
    saying_nothing_changed = ("không bị thay đổi", "Không có gì thay đổi", "giữ nguyên")
    saying_it_was_imported = ("vẫn được nhập",)
    assert any(part in sentence for part in saying_nothing_changed + saying_it_was_imported)


def test_format_document_shows_every_vietnamese_sentence_as_shipped() -> None:
    document = (REPO / "docs" / "bundle-format.md").read_text(encoding="utf-8")
    missing = [code for code, sentence in _sentences("vi").items() if sentence not in document]
    assert missing == []


def test_codes_can_be_named_by_their_number_or_their_meaning() -> None:
    assert Code.E12 is Code.ALREADY_IMPORTED and Code("W01") is Code.SEQUENCE_GAP
    assert len(list(Code)) == 22  # W04: a contradicted chain link (issue 13)
