import unicodedata

import pytest
from reportlab.pdfbase.ttfonts import TTFontFile

from desktop_app.core.documents.fonts import font_path, fonts_dir

FACES = ("Regular", "Bold", "Italic", "BoldItalic")
VOWELS = "aăâeêioôơuưy"
TONES = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")


def vietnamese_letters() -> set[str]:
    letters = {"đ", "Đ"}
    for vowel in VOWELS:
        for tone in TONES:
            composed = unicodedata.normalize("NFC", vowel + tone)
            letters |= {composed, composed.upper()}
    return letters


def test_there_are_146_vietnamese_letters_to_cover() -> None:
    assert len(vietnamese_letters()) == 146


@pytest.mark.parametrize("face", FACES)
def test_bundled_face_covers_every_vietnamese_letter(face: str) -> None:
    font = TTFontFile(str(font_path(f"LiberationSerif-{face}.ttf")))
    missing = sorted(c for c in vietnamese_letters() if ord(c) not in font.charToGlyph)
    assert missing == []  # Liberation 1.x would miss 92 of them


@pytest.mark.parametrize("face", FACES)
def test_bundled_face_is_liberation_2(face: str) -> None:
    data = font_path(f"LiberationSerif-{face}.ttf").read_bytes()
    assert "Version 2.".encode("utf-16-be") in data


def test_licence_and_readme_ship_with_the_fonts() -> None:
    licence = (fonts_dir() / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence
    assert "fonts-liberation2" in (fonts_dir() / "README.md").read_text(encoding="utf-8")
