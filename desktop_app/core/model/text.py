"""Vietnamese text handling: normalisation, search keys, collation, numbers and dates.

Everything typed, pasted or imported goes through :func:`nfc` first (DESIGN §12). Search and
de-duplication use :func:`search_key`, which additionally folds the two accepted tone-mark
placements ("hoà"/"hòa", "uỷ"/"ủy"). Sorting uses :func:`sort_key`, a pure-Python version of
ICU's ``vi`` collation, because PyICU has no wheels for the Windows desktop build.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

from desktop_app.core.errors import CoreError

__all__ = [
    "DateFormatError",
    "NumberFormatError",
    "SortKey",
    "accent_free_key",
    "format_document_date",
    "format_number",
    "format_short_date",
    "nfc",
    "parse_number",
    "parse_short_date",
    "search_key",
    "sort_key",
]


def nfc(text: str) -> str:
    """The precomposed (NFC) form that every stored string uses."""
    return unicodedata.normalize("NFC", text)


# --- search keys --------------------------------------------------------------------------------

GRAVE, ACUTE, TILDE, HOOK, DOT = "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"
BREVE, CIRCUMFLEX, HORN = "\u0306", "\u0302", "\u031b"
TONE_MARKS = frozenset((GRAVE, HOOK, TILDE, ACUTE, DOT))
VOWEL_MARKS = frozenset((BREVE, CIRCUMFLEX, HORN))

# The only vowel pairs whose tone is written in two accepted places when nothing follows them:
# "hoà"/"hòa", "khoẻ"/"khỏe", "thuỷ"/"thủy". The key puts the tone on the FIRST vowel (hòa, khỏe,
# thủy), as current Party texts write "Đảng ủy" (domain research §7.2). Either choice would do:
# the key is never shown.
# Only the ending "oa", "oe" or "uy" of a syllable with a mark after it can need moving; finding
# those endings alone keeps the work off the rest of the text (an import keys every narrative).
_MOVABLE_ENDING = re.compile(
    r"(?:o[\u0300-\u036f]*[ae]|u[\u0300-\u036f]*y)[\u0300-\u036f]+(?![^\W\d_]|[\u0300-\u036f])"
)
_LETTER = re.compile(r"[^\W\d_]")


def search_key(text: str) -> str:
    """A key for finding and de-duplicating text, not for display.

    NFC, case folded, whitespace collapsed, and the tone of a final "oa", "oe" or "uy" moved to
    its first vowel, so "Uỷ ban" and "ủy ban" get one key. Other diacritics stay: "uy" is not
    "ủy".
    """
    folded = nfc(nfc(text).casefold())
    decomposed = unicodedata.normalize("NFD", folded)
    placed = _MOVABLE_ENDING.sub(_tone_on_first_vowel, decomposed)
    return " ".join(nfc(placed).split())


def accent_free_key(text: str) -> str:
    """A key that ignores every diacritic and case ("Thanh Hóa" -> "thanh hoa"), for pickers."""
    decomposed = unicodedata.normalize("NFD", nfc(text).casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.replace("đ", "d").split())


def _tone_on_first_vowel(ending: re.Match[str]) -> str:
    """An NFD ending "oa", "oe" or "uy" with its one tone mark moved to the first vowel, when
    the syllable allows it; otherwise the ending as it was."""
    text = ending.group()
    first, second_at = text[0], 1
    while unicodedata.combining(text[second_at]):
        second_at += 1
    first_marks, second, second_marks = text[1:second_at], text[second_at], text[second_at + 1 :]
    before = _base_before(ending.string, ending.start())
    if before and before in "aeiouy":
        return text  # three vowels ("ngoeo", "khuya"): one fixed placement only
    if first == "u" and before == "q":
        return text  # in "quy" the u belongs to the consonant; the tone is always on y
    if VOWEL_MARKS & {*first_marks, *second_marks} or TONE_MARKS & set(first_marks):
        return text
    tones = [mark for mark in second_marks if mark in TONE_MARKS]
    if len(tones) != 1:
        return text
    rest = "".join(mark for mark in second_marks if mark not in TONE_MARKS)
    return first + first_marks + tones[0] + second + rest


def _base_before(text: str, end: int) -> str:
    """The base character of the cluster (letter and its marks) just before ``end`` in the
    same syllable; "" at the syllable's start. Stray marks with no letter form their own."""
    start = end
    while start > 0 and unicodedata.combining(text[start - 1]):
        start -= 1
    if start > 0 and _LETTER.match(text[start - 1]):
        return text[start - 1]
    return text[start] if start < end else ""


def _clusters(syllable: str) -> list[tuple[str, list[str]]]:
    """An NFD text as (base letter, combining marks) pairs."""
    clusters: list[tuple[str, list[str]]] = []
    for ch in syllable:
        if unicodedata.combining(ch) and clusters:
            clusters[-1][1].append(ch)
        else:
            clusters.append((ch, []))
    return clusters


# --- collation ----------------------------------------------------------------------------------

# ICU 72 root order of the ASCII punctuation and symbols (all sort before digits and letters).
_ICU_PUNCTUATION = " _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$"
_LATIN_ORDER = (
    "a", "a\u0306", "a\u0302", "b", "c", "d", "đ", "e", "e\u0302", "f", "g", "h", "i", "j", "k",
    "l", "m", "n", "o", "o\u0302", "o\u031b", "p", "q", "r", "s", "t", "u", "u\u031b", "v", "w",
    "x", "y", "z",
)  # fmt: skip
_LETTER_RANK = {letter: rank for rank, letter in enumerate(_LATIN_ORDER)}
# ICU vi tailoring: "&̀<<̉<<̃<<́<<̣": no tone < huyền < hỏi < ngã < sắc < nặng.
_TONE_RANK = {GRAVE: 2, HOOK: 3, TILDE: 4, ACUTE: 5, DOT: 6}
_COMMON = 1  # the secondary weight of a letter or sign without a mark

_SPACE_GROUP = 1
_PUNCTUATION_GROUP = 100
_OTHER_SYMBOL_GROUP = 1_000
_DIGIT_GROUP = 2_000_000
_LATIN_GROUP = 3_000_000
_OTHER_LETTER_GROUP = 4_000_000

SortKey = tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]


def sort_key(text: str) -> SortKey:
    """A key that sorts like ICU's Vietnamese collation at tertiary strength.

    Base letters first (a < ă < â < b … d < đ … o < ô < ơ … u < ư …), then tones left to right
    (none < huyền < hỏi < ngã < sắc < nặng), then case (lower before upper). Spaces and
    punctuation sort before digits, digits before letters, as in ICU.
    """
    primary: list[int] = []
    secondary: list[int] = []
    tertiary: list[int] = []
    for base, marks in _clusters(unicodedata.normalize("NFD", nfc(text))):
        weight, mark_weights, case = _cluster_weights(base, tuple(marks))
        primary.append(weight)
        secondary.append(_COMMON)
        secondary.extend(mark_weights)
        tertiary.append(case)
    return tuple(primary), tuple(secondary), tuple(tertiary)


@functools.lru_cache(maxsize=4096)
def _cluster_weights(base: str, marks: tuple[str, ...]) -> tuple[int, tuple[int, ...], int]:
    """(primary, secondary weights of the marks left over, 1 if upper case) of one letter."""
    lower = base.lower()
    case = 1 if base.isupper() else 0
    for index, mark in enumerate(marks):
        if mark in VOWEL_MARKS and lower + mark in _LETTER_RANK:
            leftover = marks[:index] + marks[index + 1 :]
            return _LATIN_GROUP + _LETTER_RANK[lower + mark], _mark_weights(leftover), case
    if lower in _LETTER_RANK:
        return _LATIN_GROUP + _LETTER_RANK[lower], _mark_weights(marks), case
    return _non_latin_weight(base), _mark_weights(marks), case


def _non_latin_weight(ch: str) -> int:
    if ch.isspace():
        return _SPACE_GROUP
    if ch in _ICU_PUNCTUATION:
        return _PUNCTUATION_GROUP + _ICU_PUNCTUATION.index(ch)
    if unicodedata.decimal(ch, None) is not None:
        return _DIGIT_GROUP + unicodedata.decimal(ch)
    if ch.isalpha():
        return _OTHER_LETTER_GROUP + ord(ch.lower())
    return _OTHER_SYMBOL_GROUP + ord(ch)


def _mark_weights(marks: tuple[str, ...]) -> tuple[int, ...]:
    """Vietnamese tones in ICU's vi order; any other mark after them, by code point."""
    return tuple(_TONE_RANK.get(mark, 10 + ord(mark)) for mark in marks)


# --- numbers ------------------------------------------------------------------------------------


class NumberFormatError(CoreError, ValueError):
    """Text that is not a number written the Vietnamese (or an unambiguous) way; ``text``."""

    code = "number.invalid"


_SPACES = "\u0020\u00a0\u202f\u2009"
_DIGITS = re.compile(r"[0-9]+", re.ASCII)
# Thousands groups with ONE separator throughout: "1.234.567", "1 234 567".
_GROUPED = re.compile(
    r"[1-9][0-9]{0,2}(?P<sep>[.\u0020\u00a0\u202f\u2009])[0-9]{3}(?:(?P=sep)[0-9]{3})*",
    re.ASCII,
)
_MINUS_SIGNS = ("-", "\u2212")


def parse_number(text: str) -> Decimal:
    """A Decimal from Vietnamese input: "1.234,5", "1.234.567", "12,5", "1 234", "87,5%".

    "," is the decimal separator. "." groups thousands when it does so exactly ("1.234" is
    1234, the Vietnamese reading); otherwise a single "." is a decimal point ("1234.5", "0.500").
    Anything else raises NumberFormatError.
    """
    body = nfc(text).strip()
    if body.endswith("%"):
        body = body[:-1].rstrip(_SPACES)
    negative = body.startswith(_MINUS_SIGNS)
    if negative:
        body = body[1:]
    integer, fraction = _split_decimal(body, text)
    digits = _integer_digits(integer, text)
    if fraction is not None and not _DIGITS.fullmatch(fraction):
        raise NumberFormatError(text=text)
    value = Decimal(digits if fraction is None else f"{digits}.{fraction}")
    return value.copy_negate() if negative else value  # unary minus would round to 28 digits


def _split_decimal(body: str, text: str) -> tuple[str, str | None]:
    if "," in body:
        integer, _, fraction = body.partition(",")
        return integer, fraction
    if "." not in body or _is_grouped(body, "."):
        return body, None
    integer, _, fraction = body.partition(".")
    if "." in fraction:
        raise NumberFormatError(text=text)
    return integer, fraction


def _is_grouped(part: str, separator: str) -> bool:
    match = _GROUPED.fullmatch(part)
    return match is not None and match.group("sep") == separator


def _integer_digits(part: str, text: str) -> str:
    """The digits of an integer part, with its thousands separators (one kind only) removed."""
    if _DIGITS.fullmatch(part):
        return part
    match = _GROUPED.fullmatch(part)
    if match is None:
        raise NumberFormatError(text=text)
    return part.replace(match.group("sep"), "")


_LARGEST_EXPONENT = 1000  # far beyond any report figure; stops "1E+999999999" eating memory


def format_number(value: Decimal | int | float, decimals: int | None = None) -> str:
    """Vietnamese digits: "1.234.567,89". decimals fixes the fraction digits (rounded half up).

    Without decimals every significant fraction digit is kept, so parse_number reads back the
    same value. Raises NumberFormatError for NaN, infinities and absurd magnitudes.
    """
    from babel.numbers import format_decimal  # Babel's locale data loads on the first figure

    number = _as_decimal(value)
    if decimals is not None and not 0 <= decimals <= _LARGEST_EXPONENT:
        raise ValueError("decimals must be between 0 and 1000")
    with localcontext() as context:
        # Babel quantizes in the current context; give it room for every digit.
        context.prec = len(number.as_tuple().digits) + 2 * _LARGEST_EXPONENT + 2
        if decimals is None:
            return format_decimal(
                number, format="#,##0.###", locale="vi_VN", decimal_quantization=False
            )
        rounded = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        rounded = abs(rounded) if rounded.is_zero() else rounded
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        return format_decimal(rounded, format=pattern, locale="vi_VN")


def _as_decimal(value: Decimal | int | float) -> Decimal:
    try:
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError) as error:
        raise NumberFormatError(text=str(value)) from error
    if not number.is_finite():
        raise NumberFormatError(text=str(value))
    if number.is_zero():
        return abs(number)  # never print "-0"
    if abs(number.adjusted()) > _LARGEST_EXPONENT:
        raise NumberFormatError("number.out_of_range", text=str(value))
    return number


# --- dates --------------------------------------------------------------------------------------


class DateFormatError(CoreError, ValueError):
    """Text that is not a d/m/yyyy date, or names a day that does not exist; ``text``."""

    code = "date.invalid"


_SHORT_DATE = re.compile(r"([0-9]{1,2})([/.-])([0-9]{1,2})\2([0-9]{4})", re.ASCII)


def format_document_date(day: date) -> str:
    """The date line of an official document: "ngày 05 tháng 02 năm 2026".

    NĐ 30/2020 (Phụ lục I): days below 10 and the months 1 and 2 take a leading zero, the other
    months do not ("ngày 27 tháng 5 năm 2026").
    """
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def format_short_date(day: date) -> str:
    """dd/mm/yyyy for tables and body text: "05/02/2026"."""
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def parse_short_date(text: str) -> date:
    """A date from "5/2/2026", "05/02/2026", "5.2.2026" or "5-2-2026" (day first, 4-digit year)."""
    match = _SHORT_DATE.fullmatch(nfc(text).strip())
    if match is None:
        raise DateFormatError(text=text)
    day, _, month, year = match.groups()
    try:
        return date(int(year), int(month), int(day))
    except ValueError as error:
        raise DateFormatError(text=text) from error
