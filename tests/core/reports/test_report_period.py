"""A stored report's period code back as a Period: parsed in one place for every caller."""

from __future__ import annotations

from datetime import date

from desktop_app.core.model.periods import Period
from desktop_app.core.reports.records import report_period
from tests.core.upper.helpers import CNTT


def test_a_code_that_fits_its_template_is_its_calendar_period() -> None:
    period = report_period(CNTT, "2026Q4")
    assert period == Period("2026Q4", "quarterly", date(2026, 10, 1), date(2026, 12, 31))
    assert period.title_vi == "quý IV năm 2026"


def test_a_code_without_its_template_or_not_fitting_it_is_shown_as_a_label() -> None:
    assert report_period(None, "2026Q4") == Period("2026Q4", "once", None, None)
    assert report_period(CNTT, "2026") == Period("2026", "once", None, None)
