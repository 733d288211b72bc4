"""Period titles as the windows show them, in both languages, for every kind of period."""

from __future__ import annotations

import pytest

from desktop_app.core.model.periods import parse_period
from desktop_app.ui.i18n import period_title


@pytest.mark.parametrize(
    ("code", "period_type", "vi", "en"),
    [
        ("2026N9", "ninemonthly", "9 tháng đầu năm 2026", "First nine months of 2026"),
        ("2026S1", "sixmonthly", "6 tháng đầu năm 2026", "H1 2026"),
        ("2026S2", "sixmonthly", "6 tháng cuối năm 2026", "H2 2026"),
        ("2026Q3", "quarterly", "Quý III năm 2026", "Q3 2026"),
        ("2026Q4", "quarterly", "Quý IV năm 2026", "Q4 2026"),
        ("2026", "yearly", "Năm 2026", "2026"),
        ("202603", "monthly", "Tháng 3 năm 2026", "March 2026"),
    ],
)
def test_each_period_reads_in_words(code: str, period_type: str, vi: str, en: str) -> None:
    period = parse_period(code, period_type)
    assert period_title(period, "vi") == vi
    assert period_title(period, "en") == en
