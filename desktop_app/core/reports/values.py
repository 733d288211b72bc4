"""Indicator values: from what a clerk typed (or a JSON file said) to what the store keeps.

The store keeps one canonical text per value ("1234.5", "yes", "2026-02-05") whatever the
input looked like ("1.234,5", "có", "05/02/2026"), so figures compare and add up the same way
in every office. Input that cannot be a value of the indicator's type is refused here, before
anything is written; values of the right type but out of range are kept and flagged by
validation, because the clerk may be typing a figure that is about to be explained.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from desktop_app.core.errors import CoreError
from desktop_app.core.model.limits import MAX_TEXT_VALUE, LimitExceeded, check_number, clean_text
from desktop_app.core.model.text import (
    NumberFormatError,
    format_number,
    format_short_date,
    parse_number,
    parse_short_date,
)
from desktop_app.core.reports.tables import Column
from desktop_app.core.reports.templates import Indicator

_T = TypeVar("_T")
# An indicator, or a column of a grid or list: both hold figures of the same types.
Field = Indicator | Column

Typed = Decimal | bool | str | date | None

_SHA256 = re.compile("[0-9a-f]{64}")
_YES = {"có", "co", "yes", "y", "true", "1", "x", "đúng"}
_NO = {"không", "khong", "no", "n", "false", "0", "sai"}


class ValueRefused(CoreError, ValueError):
    """Input that cannot be a value of ``field`` (an indicator id); nothing was stored."""

    def __init__(self, code: str, field: str, **params: object) -> None:
        super().__init__(code, field=field, **params)
        self.field = field


def canonical(indicator: Field, raw: Any) -> str | None:
    """The stored text for ``raw``, ``None`` for an empty value; raises :class:`ValueRefused`."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if indicator.is_computed:
        raise ValueRefused("value.computed", indicator.id)
    if indicator.is_numeric:
        return _canonical_number(indicator, raw)
    if indicator.type == "yesno":
        return "yes" if _yes_no(indicator, raw) else "no"
    if isinstance(raw, date) and indicator.type == "date":
        return raw.isoformat()
    if not isinstance(raw, str):
        raise ValueRefused("value.not_text", indicator.id)
    text = _within_limits(lambda: clean_text(indicator.id, str(raw), MAX_TEXT_VALUE))
    if indicator.type == "choice":
        return _choice(indicator, text)
    if indicator.type == "attachment":
        return _attachment(indicator, text)
    if indicator.type == "date":
        return _date(indicator, text).isoformat()
    return text


def typed(indicator: Field, stored: str | None) -> Typed:
    """The stored text as a value formulas and rules can use."""
    if stored is None:
        return None
    if indicator.is_numeric:
        return Decimal(stored)
    if indicator.type == "yesno":
        return stored == "yes"
    if indicator.type == "date":
        return date.fromisoformat(stored)
    return stored


JsonFigure = int | Decimal | bool | str | None


def figure_json(indicator: Field, value: object) -> JsonFigure:
    """A figure as JSON: the one encoder for every outside shape (``report show``, the bundle's
    ``data/reports.json``, totals and their workbook). Whole numbers of an integer indicator
    (and counts) as ints, other numbers as exact decimals in plain notation, yes/no as
    booleans, dates as ISO text, text as it is."""
    if isinstance(value, Decimal):
        if indicator.type == "integer" and value == value.to_integral_value():
            return int(value)
        return Decimal(decimal_text(value))
    if isinstance(value, date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | str):
        return value
    raise TypeError(f"not a figure: {type(value).__name__}")


def to_json(indicator: Field, stored: str | None) -> JsonFigure:
    """A stored value as JSON (see :func:`figure_json`)."""
    return figure_json(indicator, typed(indicator, stored))


def display(indicator: Field, value: Typed) -> str:
    """A value as printed and shown: "1.234,5", "Có", the choice's label, "05/02/2026"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, Decimal):
        decimals = indicator.decimals
        if decimals is None and indicator.type == "integer":
            decimals = 0
        return format_number(value, decimals if decimals is not None else _natural_decimals(value))
    if isinstance(value, date):
        return format_short_date(value)
    labels = {choice.value: choice.label for choice in indicator.choices}
    return labels.get(value, value)


def _natural_decimals(number: Decimal, most: int = 2) -> int:
    """Computed ratios print with at most two decimals; entered figures as typed."""
    exponent = number.normalize().as_tuple().exponent
    return min(most, max(0, -exponent)) if isinstance(exponent, int) else 0


def decimal_text(number: Decimal) -> str:
    normalised = number.normalize()
    text = format(normalised, "f")
    return "0" if text in ("-0", "0") else text


def _canonical_number(indicator: Field, raw: Any) -> str:
    number = _to_decimal(indicator, raw)
    if not number.is_finite():
        raise ValueRefused("value.not_number", indicator.id, text=_shown(raw))
    _within_limits(lambda: check_number(indicator.id, number))
    if indicator.type == "integer" and number != number.to_integral_value():
        raise ValueRefused("value.not_integer", indicator.id)
    return decimal_text(number)


def _within_limits(check: Callable[[], _T]) -> _T:
    """The limits' refusal as a :class:`ValueRefused`, which every caller already handles."""
    try:
        return check()
    except LimitExceeded as exceeded:
        params = {k: v for k, v in exceeded.params.items() if k != "field"}
        raise ValueRefused(exceeded.code, exceeded.field, **params) from exceeded


def _to_decimal(indicator: Field, raw: Any) -> Decimal:
    if isinstance(raw, bool):
        raise ValueRefused("value.not_number", indicator.id, text=_shown(raw))
    if isinstance(raw, Decimal):
        return raw
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        return Decimal(repr(raw))
    try:
        return parse_number(str(raw))
    except (NumberFormatError, InvalidOperation) as error:
        raise ValueRefused("value.not_number", indicator.id, text=_shown(raw)) from error


def _shown(raw: Any, most: int = 40) -> str:
    """What was typed, quoted back in a refusal: cut short, so a 5,000-digit paste does not
    become a 5,000-character message."""
    text = str(raw)
    return text if len(text) <= most else text[: most - 1] + "…"


def _yes_no(indicator: Field, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    key = unicodedata.normalize("NFC", str(raw)).strip().casefold()
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise ValueRefused("value.not_yes_no", indicator.id, text=str(raw))


def _choice(indicator: Field, text: str) -> str:
    for choice in indicator.choices:
        if text in (choice.value, choice.label):
            return choice.value
    allowed = ", ".join(c.label for c in indicator.choices)
    raise ValueRefused("value.not_a_choice", indicator.id, text=text, allowed=allowed)


def _attachment(indicator: Field, text: str) -> str:
    """An attachment cell holds the SHA-256 of one of the report's attachments."""
    digest = text.lower()
    if not _SHA256.fullmatch(digest):
        raise ValueRefused("value.not_attachment", indicator.id, text=_shown(text))
    return digest


def _date(indicator: Field, text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return parse_short_date(text)
    except ValueError as error:
        raise ValueRefused("value.not_a_date", indicator.id, text=text) from error
