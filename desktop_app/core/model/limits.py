"""The limits every entry point applies, in one place (docs/limits.md explains them).

Whatever the store accepts must later be approved, printed, exported, imported at the level
above and added up there, so the limits are those of the narrowest step: the bundle's
``data/reports.json`` schema for lengths, and for numbers a range whose total over every unit
of a province still fits a 64-bit JSON integer and a decimal that prints exactly.
Typing, JSON files, packages and received bundles all pass through :func:`clean_text` and
:func:`check_number`, so a value refused here is refused with the same code everywhere.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from desktop_app.core.errors import CoreError

# Lengths in characters (after NFC), as the bundle schema caps them.
MAX_NAME = 256  # office names, the approver's name and title: one line
MAX_TEXT_VALUE = 10_000  # a text indicator's value
MAX_COMMENT = 10_000  # the comment beside a figure
MAX_NARRATIVE = 200_000  # one narrative section

# Numbers: |x| < 10**15 keeps the sum of 5,000 units below 2**63; ten decimals is more than any
# ratio a template prints, and together they stay well inside Decimal's 28 exact digits.
MAX_INTEGER_DIGITS = 15
MAX_FRACTION_DIGITS = 10

_CONTROL_IN_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # tab and newlines pass
_SURROGATE = re.compile("[\ud800-\udfff]")


class LimitExceeded(CoreError, ValueError):
    """Input outside the limits; ``field`` names what was refused. Nothing was stored."""

    def __init__(self, code: str, field: str, **params: object) -> None:
        super().__init__(code, field=field, **params)
        self.field = field


def clean_text(field: str, text: str, limit: int, *, multiline: bool = True) -> str:
    """``text`` in NFC and stripped, or :class:`LimitExceeded` (too long, a control character
    other than tab and line breaks, a lone surrogate; in a one-line text, any line break)."""
    if _SURROGATE.search(text):
        raise LimitExceeded("limits.surrogate", field)
    cleaned = unicodedata.normalize("NFC", text).strip()
    control = _CONTROL_IN_TEXT if multiline else _CONTROL_IN_LINE
    if control.search(cleaned):
        raise LimitExceeded("limits.control_character", field)
    if len(cleaned) > limit:
        raise LimitExceeded("limits.too_long", field, limit=limit, length=len(cleaned))
    return cleaned


def check_number(field: str, number: Decimal) -> Decimal:
    """``number`` if it lies inside the range and precision every step can carry exactly."""
    if not number.is_finite():
        raise LimitExceeded("limits.not_finite", field)
    # Not ``normalize()``: it rounds to the context's 28 digits, hiding what was typed.
    _, digits, exponent = number.as_tuple()
    assert isinstance(exponent, int)  # finite
    trailing_zeros = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    significant = len(digits) - trailing_zeros
    exponent += trailing_zeros
    whole_digits = max(0, significant + exponent) if significant else 0
    fraction_digits = max(0, -exponent) if significant else 0
    if whole_digits > MAX_INTEGER_DIGITS:
        raise LimitExceeded("limits.number_too_large", field, digits=MAX_INTEGER_DIGITS)
    if fraction_digits > MAX_FRACTION_DIGITS:
        raise LimitExceeded("limits.number_too_precise", field, decimals=MAX_FRACTION_DIGITS)
    return number


# Attachments (minh chứng): scans and PDFs beside a report, carried in its bundle. Ten reports
# at the report cap, with their printed PDFs, stay under the bundle cap of 512 MiB (E02); the
# export refuses a bigger selection (``export.too_large``) rather than write a bundle no reader
# would accept.
MIB = 1024 * 1024
MAX_ATTACHMENT_BYTES = 10 * MIB
MAX_REPORT_ATTACHMENT_BYTES = 50 * MIB
MAX_ATTACHMENTS_PER_REPORT = 50
MAX_BUNDLE_BYTES = 512 * MIB  # the reader's cap (exchange/formats/container.Limits)
