import unicodedata
from datetime import date

import pytest

from desktop_app.core.documents.model import (
    AppendixTable,
    Column,
    DocumentHeader,
    DocumentModelError,
    OfficialDocument,
    RowKind,
    Section,
    SignatureBlock,
    letter,
    number_sections,
    roman,
)


def _header(**changes: object) -> DocumentHeader:
    values: dict[str, object] = dict(
        issuing_body="HUYỆN ỦY ĐÔNG SƠN", type_abbr="BC", office_abbr="HU", place="Đông Sơn",
        type_name="BÁO CÁO", number=12, issued_on=date(2026, 2, 5),
    )
    values.update(changes)
    return DocumentHeader(**values)  # type: ignore[arg-type]


def test_sections_are_numbered_roman_arabic_letter_by_depth() -> None:
    tree = (
        Section("Kết quả", children=(
            Section("Lãnh đạo", children=(Section("Ban hành"), Section("Quán triệt"))),
            Section("Ứng dụng"),
        )),
        Section("Hạn chế"),
    )
    numbered = number_sections(tree)
    assert [s.number_label for s in numbered] == ["I.", "II."]
    assert [s.number_label for s in numbered[0].children] == ["1.", "2."]
    assert [s.number_label for s in numbered[0].children[0].children] == ["a)", "b)"]
    assert tree[0].number_label == ""  # the input is left untouched


def test_fifth_letter_is_d_with_stroke_as_in_vietnamese_legal_lists() -> None:
    assert [letter(n) for n in range(1, 8)] == ["a", "b", "c", "d", "đ", "e", "g"]


def test_roman_numerals() -> None:
    assert [roman(n) for n in (1, 4, 9, 14, 40, 1999)] == ["I", "IV", "IX", "XIV", "XL", "MCMXCIX"]
    with pytest.raises(DocumentModelError):
        roman(0)


def test_decomposed_input_is_stored_as_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "HUYỆN ỦY ĐÔNG SƠN")
    header = _header(issuing_body=decomposed)
    assert header.issuing_body == "HUYỆN ỦY ĐÔNG SƠN"
    section = Section(unicodedata.normalize("NFD", "Kết quả"), paragraphs=["Việt"])
    assert section.title == "Kết quả"
    assert section.paragraphs == ("Việt",)


def test_table_row_with_wrong_width_is_refused() -> None:
    with pytest.raises(DocumentModelError) as error:
        AppendixTable("Bảng", (Column("A"), Column("B")), rows=(("1", "2"), ("3",)))
    assert error.value.code == "document.table.row_width"
    assert error.value.params["row"] == 2


def test_row_kinds_default_to_normal_and_must_match_rows() -> None:
    table = AppendixTable("Bảng", (Column("A"),), rows=(("1",), ("2",)))
    assert table.row_kinds == (RowKind.NORMAL, RowKind.NORMAL)
    with pytest.raises(DocumentModelError) as error:
        AppendixTable("Bảng", (Column("A"),), rows=(("1",),), row_kinds=(RowKind.TOTAL,) * 2)
    assert error.value.code == "document.table.row_kinds_length"


def test_column_weight_must_be_positive() -> None:
    with pytest.raises(DocumentModelError):
        Column("A", 0)


def test_header_requires_issuing_body_and_type_and_a_positive_number() -> None:
    with pytest.raises(DocumentModelError):
        _header(issuing_body="  ")
    with pytest.raises(DocumentModelError):
        _header(type_name="")
    with pytest.raises(DocumentModelError):
        _header(number=0)


def test_section_pointing_to_a_missing_appendix_is_refused() -> None:
    with pytest.raises(DocumentModelError) as error:
        OfficialDocument(
            profile_id="party-hd36", header=_header(),
            sections=(Section("A", tables_ref=(2,)),),
            signature=SignatureBlock("T/M BAN THƯỜNG VỤ", "BÍ THƯ", "Nguyễn Văn An"),
            appendices=(AppendixTable("B", (Column("A"),)),),
        )
    assert error.value.code == "document.section.table_ref_missing"


def test_documents_are_immutable_values() -> None:
    header = _header()
    with pytest.raises(AttributeError):
        header.number = 13  # type: ignore[misc]
    assert _header() == header
