"""Reporting periods (DHIS2 codes), their Vietnamese titles, and cut-off/deadline rules."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.core.model.periods import (
    PERIOD_TYPES,
    Period,
    PeriodError,
    ScheduleError,
    current_period,
    due_dates,
    parse_period,
    resolve_schedule_date,
)

CALENDAR_TYPES = [t for t in PERIOD_TYPES if t != "once"]
# The periods that tile the calendar; the nine months (Jan–Sep) leave October–December out.
TILING_TYPES = [t for t in CALENDAR_TYPES if t != "ninemonthly"]


# --- parsing ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "period_type", "start", "end"),
    [("2026", "yearly", date(2026, 1, 1), date(2026, 12, 31)),
     ("2026S1", "sixmonthly", date(2026, 1, 1), date(2026, 6, 30)),
     ("2026S2", "sixmonthly", date(2026, 7, 1), date(2026, 12, 31)),
     ("2026Q1", "quarterly", date(2026, 1, 1), date(2026, 3, 31)),
     ("2026Q4", "quarterly", date(2026, 10, 1), date(2026, 12, 31)),
     ("202603", "monthly", date(2026, 3, 1), date(2026, 3, 31)),
     ("202402", "monthly", date(2024, 2, 1), date(2024, 2, 29)),
     ("202502", "monthly", date(2025, 2, 1), date(2025, 2, 28))],
)
def test_parse_period_gives_the_calendar_span(
    code: str, period_type: str, start: date, end: date
) -> None:
    assert parse_period(code, period_type) == Period(code, period_type, start, end)


@pytest.mark.parametrize(
    ("code", "period_type"),
    [("2026Q1", "yearly"), ("2026", "quarterly"), ("202603", "quarterly"), ("2026S1", "monthly"),
     ("2026Q2", "sixmonthly"), ("2026", "once"), ("202603", "once")],
)
def test_a_code_of_another_type_is_the_wrong_type(code: str, period_type: str) -> None:
    with pytest.raises(PeriodError) as caught:
        parse_period(code, period_type)
    assert caught.value.code == "period.wrong_type"


@pytest.mark.parametrize(
    ("code", "period_type"),
    [("", "yearly"), ("26", "yearly"), ("0999", "yearly"), ("20261", "yearly"),
     ("2026Q0", "quarterly"), ("2026Q5", "quarterly"), ("2026q1", "quarterly"),
     ("2026S3", "sixmonthly"), ("2026S0", "sixmonthly"), ("202600", "monthly"),
     ("202613", "monthly"), ("2026-03", "monthly"), (" 2026", "yearly"), ("2026\n", "yearly"),
     ("２０２６", "yearly"), ("2026W1", "quarterly"), ("2026BiW1", "monthly")],
)
def test_malformed_codes_are_invalid(code: str, period_type: str) -> None:
    with pytest.raises(PeriodError) as caught:
        parse_period(code, period_type)
    assert caught.value.code == "period.invalid"


def test_an_unknown_period_type_is_refused() -> None:
    with pytest.raises(PeriodError) as caught:
        parse_period("2026", "weekly")
    assert caught.value.code == "period.unknown_type"


def test_period_error_is_a_value_error() -> None:
    assert issubclass(PeriodError, ValueError)
    assert issubclass(ScheduleError, ValueError)


def test_a_one_off_period_is_the_templates_label() -> None:
    label = "Sơ kết 5 năm"
    period = parse_period(label, "once", once_label=label)
    assert period == Period(label, "once", None, None)
    assert period.title_vi == label
    assert period.previous() is None


def test_a_one_off_label_is_compared_in_nfc() -> None:
    decomposed = "Tô\u0309ng kê\u0301t 10 năm"
    period = parse_period(decomposed, "once", once_label="Tổng kết 10 năm")
    assert period.code == "Tổng kết 10 năm"


def test_a_one_off_code_must_match_the_label() -> None:
    with pytest.raises(PeriodError) as caught:
        parse_period("Sơ kết 3 năm", "once", once_label="Sơ kết 5 năm")
    assert caught.value.code == "period.invalid"


@pytest.mark.parametrize("label", ["", " Sơ kết", "Sơ kết ", "Sơ\x00kết", "x" * 201])
def test_a_one_off_label_without_template_label_must_be_clean(label: str) -> None:
    with pytest.raises(PeriodError) as caught:
        parse_period(label, "once")
    assert caught.value.code == "period.invalid"


# --- titles and neighbours ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "period_type", "title"),
    [("2026", "yearly", "năm 2026"), ("2026S1", "sixmonthly", "6 tháng đầu năm 2026"),
     ("2026S2", "sixmonthly", "6 tháng cuối năm 2026"), ("2026Q1", "quarterly", "quý I năm 2026"),
     ("2026Q2", "quarterly", "quý II năm 2026"), ("2026Q3", "quarterly", "quý III năm 2026"),
     ("2026Q4", "quarterly", "quý IV năm 2026"), ("202603", "monthly", "tháng 3 năm 2026"),
     ("202612", "monthly", "tháng 12 năm 2026")],
)
def test_title_vi(code: str, period_type: str, title: str) -> None:
    assert parse_period(code, period_type).title_vi == title


@pytest.mark.parametrize(
    ("code", "period_type", "previous"),
    [("2026", "yearly", "2025"), ("2026S2", "sixmonthly", "2026S1"),
     ("2026S1", "sixmonthly", "2025S2"), ("2026Q3", "quarterly", "2026Q2"),
     ("2026Q1", "quarterly", "2025Q4"), ("202603", "monthly", "202602"),
     ("202601", "monthly", "202512")],
)
def test_previous_period(code: str, period_type: str, previous: str) -> None:
    before = parse_period(code, period_type).previous()
    assert before == parse_period(previous, period_type)


def test_there_is_nothing_before_the_first_year() -> None:
    assert parse_period("1000Q1", "quarterly").previous() is None


@given(st.dates(min_value=date(1001, 1, 1)), st.sampled_from(TILING_TYPES))
def test_current_period_contains_today_and_follows_the_previous(
    today: date, period_type: str
) -> None:
    period = current_period(period_type, today)
    assert period.start is not None and period.end is not None
    assert period.start <= today <= period.end
    assert parse_period(period.code, period_type) == period
    before = period.previous()
    assert before is not None and before.end is not None
    assert before.end + timedelta(days=1) == period.start


def test_nine_months_run_from_january_to_september_once_a_year() -> None:
    period = parse_period("2026N9", "ninemonthly")
    assert (period.start, period.end) == (date(2026, 1, 1), date(2026, 9, 30))
    assert period.title_vi == "9 tháng đầu năm 2026"
    assert period.previous() == parse_period("2025N9", "ninemonthly")
    assert current_period("ninemonthly", date(2026, 11, 20)) == period
    with pytest.raises(PeriodError):
        parse_period("2026N6", "ninemonthly")


@pytest.mark.parametrize(
    ("period_type", "today", "code"),
    [("yearly", date(2026, 7, 1), "2026"), ("sixmonthly", date(2026, 6, 30), "2026S1"),
     ("sixmonthly", date(2026, 7, 1), "2026S2"), ("quarterly", date(2026, 4, 1), "2026Q2"),
     ("quarterly", date(2026, 3, 31), "2026Q1"), ("monthly", date(2026, 12, 31), "202612")],
)
def test_current_period_examples(period_type: str, today: date, code: str) -> None:
    assert current_period(period_type, today).code == code


def test_current_period_needs_a_calendar_type() -> None:
    with pytest.raises(PeriodError) as caught:
        current_period("once", date(2026, 1, 1))
    assert caught.value.code == "period.not_calendar"
    with pytest.raises(PeriodError) as caught:
        current_period("weekly", date(2026, 1, 1))
    assert caught.value.code == "period.unknown_type"


# --- schedule rules -----------------------------------------------------------------------------

Q1 = parse_period("2026Q1", "quarterly")
S1 = parse_period("2026S1", "sixmonthly")
JANUARY_2024 = parse_period("202401", "monthly")
ONCE = parse_period("Sơ kết 5 năm", "once", once_label="Sơ kết 5 năm")


@pytest.mark.parametrize(
    ("rule", "period", "expected"),
    [({"day_of_last_month": 14}, Q1, date(2026, 3, 14)),
     ({"day_of_last_month": 31}, S1, date(2026, 6, 30)),
     ({"day_of_last_month": 31}, parse_period("202402", "monthly"), date(2024, 2, 29)),
     ({"days_after_end": 0}, Q1, date(2026, 3, 31)),
     ({"days_after_end": 5}, Q1, date(2026, 4, 5)),
     ({"days_after_end": -15}, Q1, date(2026, 3, 16)),
     ({"days_after_end": 1}, parse_period("2026", "yearly"), date(2027, 1, 1)),
     ({"day_of_next_month": 5}, Q1, date(2026, 4, 5)),
     ({"day_of_next_month": 31}, JANUARY_2024, date(2024, 2, 29)),
     ({"day_of_next_month": 10}, parse_period("2026Q4", "quarterly"), date(2027, 1, 10)),
     ({"date": "2026-09-30"}, Q1, date(2026, 9, 30)),
     ({"date": "2026-09-30"}, ONCE, date(2026, 9, 30))],
)
def test_resolve_schedule_date(rule: dict[str, object], period: Period, expected: date) -> None:
    assert resolve_schedule_date(rule, period) == expected


@pytest.mark.parametrize(
    "rule",
    [{}, {"day_of_last_month": 14, "days_after_end": 2}, {"day_of_month": 14},
     {"day_of_last_month": 0}, {"day_of_last_month": 32}, {"day_of_last_month": "14"},
     {"day_of_last_month": 14.0}, {"day_of_last_month": True}, {"days_after_end": -367},
     {"days_after_end": 367}, {"days_after_end": None}, {"date": "2026-02-30"},
     {"date": "2026-2-3"}, {"date": "20260203"}, {"date": "03/02/2026"}, {"date": 20260203},
     {"DATE": "2026-02-03"}],
)
def test_malformed_rules_are_refused(rule: dict[str, object]) -> None:
    with pytest.raises(ScheduleError) as caught:
        resolve_schedule_date(rule, Q1)
    assert caught.value.code == "schedule.invalid"


@pytest.mark.parametrize(
    "rule", [{"day_of_last_month": 14}, {"days_after_end": 3}, {"day_of_next_month": 5}]
)
def test_relative_rules_need_a_calendar_period(rule: dict[str, object]) -> None:
    with pytest.raises(ScheduleError) as caught:
        resolve_schedule_date(rule, ONCE)
    assert caught.value.code == "schedule.needs_dates"


def test_rules_past_the_last_representable_day_are_refused() -> None:
    last = parse_period("9999Q4", "quarterly")
    for rule in ({"day_of_next_month": 5}, {"days_after_end": 5}):
        with pytest.raises(ScheduleError) as caught:
            resolve_schedule_date(rule, last)
        assert caught.value.code == "schedule.out_of_range"


def test_due_dates_for_the_usual_15th_to_14th_window() -> None:
    schedule = {"cutoff": {"day_of_last_month": 14}, "deadline": {"day_of_last_month": 20}}
    assert due_dates(schedule, Q1) == (date(2026, 3, 14), date(2026, 3, 20))


def test_due_dates_for_a_one_off_review() -> None:
    schedule = {"cutoff": {"date": "2026-05-31"}, "deadline": {"date": "2026-06-15"}}
    assert due_dates(schedule, ONCE) == (date(2026, 5, 31), date(2026, 6, 15))


@pytest.mark.parametrize(
    "schedule",
    [{}, {"cutoff": {"days_after_end": 0}}, {"deadline": {"days_after_end": 0}},
     {"cutoff": {"days_after_end": 0}, "deadline": {"days_after_end": 5}, "extra": {}},
     {"cutoff": 14, "deadline": {"days_after_end": 5}}, {"cutoff": None, "deadline": None}],
)
def test_malformed_schedules_are_refused(schedule: dict[str, object]) -> None:
    with pytest.raises(ScheduleError) as caught:
        due_dates(schedule, Q1)
    assert caught.value.code == "schedule.invalid"


def test_a_deadline_before_the_cutoff_is_refused() -> None:
    schedule = {"cutoff": {"days_after_end": 5}, "deadline": {"day_of_last_month": 14}}
    with pytest.raises(ScheduleError) as caught:
        due_dates(schedule, Q1)
    assert caught.value.code == "schedule.deadline_before_cutoff"


@given(st.dates(min_value=date(1001, 1, 1), max_value=date(9998, 12, 31)),
       st.sampled_from(CALENDAR_TYPES), st.integers(1, 31), st.integers(0, 366))
def test_rules_land_where_they_say(today: date, period_type: str, day: int, days: int) -> None:
    period = current_period(period_type, today)
    assert period.end is not None
    last_month = resolve_schedule_date({"day_of_last_month": day}, period)
    next_month = resolve_schedule_date({"day_of_next_month": day}, period)
    after = resolve_schedule_date({"days_after_end": days}, period)
    assert (last_month.year, last_month.month) == (period.end.year, period.end.month)
    assert last_month.day == min(day, period.end.day)
    assert period.end < next_month <= period.end + timedelta(days=31)
    assert after - period.end == timedelta(days=days)
