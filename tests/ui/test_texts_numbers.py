"""Counts in the window: grouped the Vietnamese or the English way, the same with or without
the shortcut that keeps small counts from loading Babel's locale data."""

from __future__ import annotations

import pytest

from desktop_app.core.model.text import format_number
from desktop_app.ui.i18n import Texts


@pytest.mark.parametrize("value", [0, 7, -5, 999, -999, 1000, -1000, 12_345, 1_234_567])
def test_vietnamese_counts_read_as_format_number_writes_them(value: int) -> None:
    assert Texts("vi").number(value) == format_number(value)


@pytest.mark.parametrize(
    ("value", "shown"), [(0, "0"), (999, "999"), (1000, "1,000"), (-1_234_567, "-1,234,567")]
)
def test_english_counts_group_with_commas(value: int, shown: str) -> None:
    assert Texts("en").number(value) == shown


def test_vietnamese_groups_with_full_stops() -> None:
    assert Texts("vi").number(1_234_567) == "1.234.567"
