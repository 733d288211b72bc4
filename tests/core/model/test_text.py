"""Vietnamese text: normalisation, search keys, ICU-compatible sorting, numbers and dates."""

from __future__ import annotations

import json
import unicodedata
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cmp_to_key

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from desktop_app.core.model.text import (
    DateFormatError,
    NumberFormatError,
    accent_free_key,
    format_document_date,
    format_number,
    format_short_date,
    nfc,
    parse_number,
    parse_short_date,
    search_key,
    sort_key,
)
from desktop_app.core.paths import resource


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# --- Vietnamese text generators -----------------------------------------------------------------

TONES = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")
VOWELS = ("a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y")
CONSONANTS = "bcdđghklmnpqrstvx"
VIETNAMESE_LETTERS = tuple(
    sorted({nfc(nfd(vowel) + tone) for vowel in VOWELS for tone in TONES} | set(CONSONANTS))
)
ALL_LETTERS = VIETNAMESE_LETTERS + tuple(letter.upper() for letter in VIETNAMESE_LETTERS)

INITIALS = ("", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "kh", "l", "m", "n", "ng", "ngh",
            "nh", "ph", "qu", "s", "t", "th", "tr", "v", "x")
NUCLEI = ("a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "oa", "oe", "uy", "ia",
          "ươ", "uô", "ai", "ao", "oi", "ui", "ưu", "uyê", "oai")
FINALS = ("", "c", "ch", "m", "n", "ng", "nh", "p", "t")


@st.composite
def syllables(draw: st.DrawFn) -> str:
    """A Vietnamese-looking syllable with one tone on one of its vowels, in NFC."""
    nucleus = draw(st.sampled_from(NUCLEI))
    place = draw(st.integers(0, len(nucleus) - 1))
    tone = draw(st.sampled_from(TONES))
    toned = nucleus[:place] + nfc(nfd(nucleus[place]) + tone) + nucleus[place + 1 :]
    word = draw(st.sampled_from(INITIALS)) + toned + draw(st.sampled_from(FINALS))
    style = draw(st.sampled_from((str.lower, str.title, str.upper)))
    return nfc(style(word))


names = st.lists(syllables(), min_size=1, max_size=4).map(" ".join)
letter_strings = st.text(alphabet=st.sampled_from((*ALL_LETTERS, " ", "-", "1", "9")), max_size=10)


def unit_names(file_name: str, level: str) -> list[str]:
    document = json.loads(resource("units", file_name).read_text(encoding="utf-8"))
    return [row[2] for row in document[level]]


# --- nfc and search_key -------------------------------------------------------------------------


def test_nfc_composes_decomposed_input() -> None:
    decomposed = "Vie\u0323\u0302t"
    assert decomposed != "Việt"
    assert nfc(decomposed) == "Việt"


@pytest.mark.parametrize(
    ("old_style", "new_style"),
    [("uỷ", "ủy"), ("hoà", "hòa"), ("thuỷ", "thủy"), ("khoẻ", "khỏe"), ("Hoá", "hóa"),
     ("HUYỆN UỶ ĐỊNH HOÁ", "Huyện ủy Định Hóa"), ("Hoà Bình", "Hòa Bình"), ("loạ", "lọa"),
     ("Thanh Hoá", "thanh hóa"), ("tuỳ", "tùy"), ("Khánh Hoà", "KHÁNH HÒA")],
)
def test_search_key_folds_old_and_new_tone_placement(old_style: str, new_style: str) -> None:
    assert search_key(old_style) == search_key(new_style)


def test_search_key_puts_the_tone_on_the_first_vowel_of_oa_oe_uy() -> None:
    assert search_key("Uỷ ban hoà giải khoẻ") == "ủy ban hòa giải khỏe"


@pytest.mark.parametrize(
    ("one", "other"),
    [("uy", "ủy"), ("hoa", "hòa"), ("hòa", "hóa"), ("Đình", "Dinh"), ("ủy", "ưỷ"),
     ("hoàng", "hòang"), ("quý", "qúy"), ("khuya", "khúya")],
)
def test_search_key_keeps_other_differences(one: str, other: str) -> None:
    assert search_key(one) != search_key(other)


def test_search_key_leaves_fixed_placements_alone() -> None:
    # With a final consonant, after "qu", or in three-vowel clusters only one placement exists.
    for word in ("hoàng", "quý", "quỳnh", "ngoẹo", "khuỷu", "thuở", "hoạt"):
        assert search_key(word) == word


def test_search_key_collapses_whitespace_and_case() -> None:
    assert search_key("  Ủy\u00a0ban \t nhân   DÂN\n") == "ủy ban nhân dân"


def test_search_key_reads_decomposed_input() -> None:
    assert search_key(nfd("Huyện uỷ")) == search_key("huyện ủy") == "huyện ủy"


@given(st.text())
@example("HOÀ")
@example("ΐ")
def test_search_key_is_idempotent(text: str) -> None:
    key = search_key(text)
    assert search_key(key) == key


@given(st.text())
def test_search_key_ignores_the_normalisation_form(text: str) -> None:
    assert search_key(nfd(text)) == search_key(text) == search_key(nfc(text))


@given(names)
def test_search_key_of_vietnamese_names_is_nfc_and_lowercase(name: str) -> None:
    key = search_key(name)
    assert key == nfc(key)
    assert key == key.lower()


def test_accent_free_key_drops_every_diacritic() -> None:
    assert accent_free_key("  Thành phố  ĐÀ NẴNG ") == "thanh pho da nang"
    assert accent_free_key(nfd("Thừa Thiên Huế")) == "thua thien hue"


# --- sort_key against ICU -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def icu_collator() -> object:
    icu = pytest.importorskip("icu")
    return icu.Collator.createInstance(icu.Locale("vi"))


def sign(number: int) -> int:
    return (number > 0) - (number < 0)


def key_compare(one: str, other: str) -> int:
    first, second = sort_key(one), sort_key(other)
    return (first > second) - (first < second)


def icu_sorted(collator: object, words: list[str]) -> list[str]:
    compare = collator.compare  # type: ignore[attr-defined]
    return sorted(words, key=cmp_to_key(compare))


def test_sort_key_orders_the_vietnamese_alphabet() -> None:
    alphabet = ["a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "g", "h", "i", "k", "l", "m", "n",
                "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "x", "y"]
    assert sorted(reversed(alphabet), key=sort_key) == alphabet


def test_sort_key_tones_are_a_secondary_difference() -> None:
    words = ["ạnh", "án", "an", "ãnh", "ảnh", "ành", "anh", "Ăn", "Ân"]
    assert sorted(words, key=sort_key) == ["an", "án", "anh", "ành", "ảnh", "ãnh", "ạnh", "Ăn",
                                           "Ân"]


def test_sort_key_matches_the_research_example() -> None:
    # vietnam-reporting-research.md §7.3, as ICU 72 sorts it.
    expected = ["An", "Anh", "ành", "ảnh", "ãnh", "ánh", "ạnh", "Ăn", "Ân", "Ấn", "Bùi", "Dương",
                "Đào", "Đặng", "On", "Ôn", "Ơn", "Uy", "Ưu"]
    assert sorted(reversed(expected), key=sort_key) == expected


def test_sort_key_lower_case_before_upper_case_only_when_all_else_is_equal() -> None:
    assert sorted(["Ba", "ba", "bà", "Bà", "bb"], key=sort_key) == ["ba", "Ba", "bà", "Bà", "bb"]


def test_sort_key_ignores_the_normalisation_form() -> None:
    assert sort_key(nfd("Nguyễn Thị Ánh")) == sort_key("Nguyễn Thị Ánh")


def test_sort_key_puts_spaces_and_digits_before_letters() -> None:
    words = ["Phường 10", "Phường 2", "Phường An", "Phường-A", "Phường"]
    assert sorted(words, key=sort_key) == ["Phường", "Phường 10", "Phường 2", "Phường An",
                                           "Phường-A"]


@settings(max_examples=400)
@given(names, names)
def test_sort_key_agrees_with_icu_on_vietnamese_names(
    icu_collator: object, one: str, other: str
) -> None:
    compare = icu_collator.compare  # type: ignore[attr-defined]
    assert key_compare(one, other) == sign(compare(one, other))


@settings(max_examples=400)
@given(letter_strings, letter_strings)
@example("aá", "áa")
@example("Đ", "đ")
@example("ư", "ự")
def test_sort_key_agrees_with_icu_on_letter_strings(
    icu_collator: object, one: str, other: str
) -> None:
    compare = icu_collator.compare  # type: ignore[attr-defined]
    assert key_compare(one, other) == sign(compare(one, other))
    assert key_compare(nfd(one), other) == sign(compare(one, other))


@settings(max_examples=100)
@given(st.lists(names, max_size=12))
def test_sort_key_sorts_lists_like_icu(icu_collator: object, words: list[str]) -> None:
    assert sorted(words, key=sort_key) == icu_sorted(icu_collator, words)


@pytest.mark.parametrize(
    ("file_name", "level"),
    [("units-2025.json", "province"), ("units-legacy.json", "province"),
     ("units-legacy.json", "district"), ("units-2025.json", "commune")],
)
def test_sort_key_sorts_official_unit_names_like_icu(
    icu_collator: object, file_name: str, level: str
) -> None:
    words = unit_names(file_name, level)
    assert sorted(words, key=sort_key) == icu_sorted(icu_collator, words)


# --- numbers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1.234,5", "1234.5"), ("1.234.567", "1234567"), ("12,5", "12.5"), ("1234.5", "1234.5"),
     ("1.234", "1234"), ("0.500", "0.5"), ("1234", "1234"), ("0", "0"), ("-1.234,5", "-1234.5"),
     ("\u22125", "-5"), ("1 234 567", "1234567"), ("1\u00a0234,25", "1234.25"),
     ("1\u202f234", "1234"), ("87,5%", "87.5"), ("87,5 %", "87.5"), ("  42  ", "42"),
     ("12.3456", "12.3456"), ("1 234.5", "1234.5"), ("0,001", "0.001"), ("007", "7")],
)
def test_parse_number_reads_vietnamese_input(text: str, expected: str) -> None:
    assert parse_number(text) == Decimal(expected)


@pytest.mark.parametrize(
    "text",
    ["", "   ", "-", "%", "abc", "1,2,3", "1,234,567", "1.23.4", "1.234,5.6", "1,234.5", "--1",
     "- 5", "+5", "12 34", "1 234\u00a0567", "1.234 567", "1.234.", "1,", ",5", ".5", "1e5",
     "NaN", "Infinity", "0x10", "1_000", "１２", "١٢", "12%%", "5-", "1.2345.678", "0.123.456",
     "1 2", "1..2", "12,5,", "1.000,00,0"],
)
def test_parse_number_refuses_anything_else(text: str) -> None:
    with pytest.raises(NumberFormatError) as caught:
        parse_number(text)
    assert caught.value.code == "number.invalid"
    assert isinstance(caught.value, ValueError)


@given(st.text(max_size=20))
def test_parse_number_never_fails_any_other_way(text: str) -> None:
    try:
        value = parse_number(text)
    except NumberFormatError as error:
        assert error.code == "number.invalid"
    else:
        assert value.is_finite()


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [(Decimal("1234567.89"), None, "1.234.567,89"), (1234567, None, "1.234.567"),
     (Decimal("1234567.891"), 2, "1.234.567,89"), (Decimal("2.5"), 0, "3"),
     (Decimal("0.125"), 2, "0,13"), (Decimal("-1234.5"), None, "-1.234,5"),
     (0.1, None, "0,1"), (1234, 2, "1.234,00"), (Decimal("1.23456789"), None, "1,23456789"),
     (Decimal("-0.004"), 2, "0,00"), (Decimal("-0"), None, "0"), (Decimal("87.5"), 1, "87,5")],
)
def test_format_number_writes_vietnamese_digits(
    value: Decimal | int | float, decimals: int | None, expected: str
) -> None:
    assert format_number(value, decimals) == expected


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("Infinity"), float("inf")])
def test_format_number_refuses_values_that_are_not_numbers(value: Decimal | float) -> None:
    with pytest.raises(NumberFormatError):
        format_number(value)


def test_format_number_refuses_absurd_magnitudes_and_decimals() -> None:
    with pytest.raises(NumberFormatError) as caught:
        format_number(Decimal("1E+999999999"))
    assert caught.value.code == "number.out_of_range"
    with pytest.raises(ValueError):
        format_number(1, decimals=-1)


finite_decimals = st.decimals(
    min_value=Decimal("-1e15"), max_value=Decimal("1e15"), allow_nan=False, allow_infinity=False
)


@given(finite_decimals)
def test_format_then_parse_gives_the_same_number(value: Decimal) -> None:
    assert parse_number(format_number(value)) == value


@given(finite_decimals, st.integers(0, 6))
def test_fixed_decimals_round_half_up_and_read_back(value: Decimal, decimals: int) -> None:
    quantum = Decimal(1).scaleb(-decimals)
    assert parse_number(format_number(value, decimals)) == value.quantize(quantum, ROUND_HALF_UP)


@given(st.integers(-(10**18), 10**18))
def test_integers_read_back(value: int) -> None:
    assert parse_number(format_number(value)) == value


# --- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [(date(2026, 2, 5), "ngày 05 tháng 02 năm 2026"),
     (date(2026, 5, 27), "ngày 27 tháng 5 năm 2026"),
     (date(2026, 1, 10), "ngày 10 tháng 01 năm 2026"),
     (date(2025, 7, 1), "ngày 01 tháng 7 năm 2025"),
     (date(2025, 12, 31), "ngày 31 tháng 12 năm 2025"),
     (date(2024, 2, 29), "ngày 29 tháng 02 năm 2024")],
)
def test_document_date_follows_nd30_zero_padding(day: date, expected: str) -> None:
    assert format_document_date(day) == expected


def test_short_date_is_dd_mm_yyyy() -> None:
    assert format_short_date(date(2026, 2, 5)) == "05/02/2026"
    assert format_short_date(date(2025, 12, 31)) == "31/12/2025"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("5/2/2026", date(2026, 2, 5)), ("05/02/2026", date(2026, 2, 5)),
     (" 31/12/2025 ", date(2025, 12, 31)), ("29/2/2024", date(2024, 2, 29)),
     ("5.2.2026", date(2026, 2, 5)), ("5-2-2026", date(2026, 2, 5))],
)
def test_parse_short_date_reads_day_first(text: str, expected: date) -> None:
    assert parse_short_date(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "2026-02-05", "5/2/26", "32/1/2026", "29/2/2025", "0/1/2026", "5/13/2026", "5/2-2026",
     "5 / 2 / 2026", "05/02/2026 10:00", "ngày 5 tháng 2", "٥/٢/٢٠٢٦", "5/2/02026"],
)
def test_parse_short_date_refuses_anything_else(text: str) -> None:
    with pytest.raises(DateFormatError) as caught:
        parse_short_date(text)
    assert caught.value.code == "date.invalid"
    assert isinstance(caught.value, ValueError)


@given(st.dates(min_value=date(1000, 1, 1)))
def test_short_date_reads_back(day: date) -> None:
    assert parse_short_date(format_short_date(day)) == day
