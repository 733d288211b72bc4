"""Reporting periods in DHIS2 notation, their Vietnamese titles, and cut-off/deadline rules.

Codes (DESIGN §2): ``2026`` yearly, ``2026S1`` six-monthly, ``2026Q1`` quarterly, ``202603``
monthly, and ``2026N9`` for the nine months January–September that Party committees review
("9 tháng đầu năm", template format 2; DHIS2 has no such type). A one-off review ("once") has
no calendar period: its code is the template's own label.

A schedule is data (NĐ 09/2019 leaves cut-off and deadline to the issuing body, and Party
reporting takes them from the upper level's plan), so each date is a small rule resolved
against a period; see :func:`resolve_schedule_date`.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from desktop_app.core.errors import CoreError

__all__ = [
    "PERIOD_SUFFIXES",
    "PERIOD_TYPES",
    "SCHEDULE_RULE_KINDS",
    "Period",
    "PeriodError",
    "ScheduleError",
    "current_period",
    "due_dates",
    "parse_period",
    "resolve_schedule_date",
]

PERIOD_TYPES = ("yearly", "ninemonthly", "sixmonthly", "quarterly", "monthly", "once")
SCHEDULE_RULE_KINDS = ("day_of_last_month", "days_after_end", "day_of_next_month", "date")

# The periods of a year a template may be owed for (format 2 ``owed_periods``): the code less
# its year. Yearly, nine-month and one-off templates have one period a year or none to choose.
PERIOD_SUFFIXES = {
    "sixmonthly": ("S1", "S2"),
    "quarterly": ("Q1", "Q2", "Q3", "Q4"),
    "monthly": tuple(f"{month:02d}" for month in range(1, 13)),
}

# Months per period, for the calendar types.
_SPAN = {"yearly": 12, "ninemonthly": 9, "sixmonthly": 6, "quarterly": 3, "monthly": 1}
_CODE_PATTERNS = {
    "yearly": re.compile(r"(?P<year>[1-9][0-9]{3})", re.ASCII),
    "ninemonthly": re.compile(r"(?P<year>[1-9][0-9]{3})N(?P<index>9)", re.ASCII),
    "sixmonthly": re.compile(r"(?P<year>[1-9][0-9]{3})S(?P<index>[12])", re.ASCII),
    "quarterly": re.compile(r"(?P<year>[1-9][0-9]{3})Q(?P<index>[1-4])", re.ASCII),
    "monthly": re.compile(r"(?P<year>[1-9][0-9]{3})(?P<index>0[1-9]|1[0-2])", re.ASCII),
}
_FIRST_YEAR, _LAST_YEAR = 1000, 9999
_ROMAN = ("I", "II", "III", "IV")
_LABEL_MAX_LENGTH = 200


class PeriodError(CoreError, ValueError):
    """A period code that is malformed or of another type than the template's.

    code: "period.invalid", "period.wrong_type", "period.unknown_type" or "period.not_calendar"
    (a one-off period has no calendar position); ``period`` is the code or type refused.
    """

    code = "period.invalid"


class ScheduleError(CoreError, ValueError):
    """A cut-off/deadline rule that is malformed or cannot be resolved for the period.

    code: "schedule.invalid", "schedule.needs_dates" (a relative rule on a one-off period),
    "schedule.out_of_range" or "schedule.deadline_before_cutoff".
    """

    code = "schedule.invalid"


@dataclass(frozen=True)
class Period:
    """One reporting period. Build it with :func:`parse_period` or :func:`current_period`."""

    code: str
    type: str
    start: date | None
    end: date | None

    @property
    def title_vi(self) -> str:
        """The period as written in a report title: "quý I năm 2026", "6 tháng đầu năm 2026"."""
        if self.type == "once":
            return self.code
        year, index = _year_and_index(self)
        if self.type == "yearly":
            return f"năm {year}"
        if self.type == "ninemonthly":
            return f"9 tháng đầu năm {year}"
        if self.type == "sixmonthly":
            half = "đầu" if index == 1 else "cuối"
            return f"6 tháng {half} năm {year}"
        if self.type == "quarterly":
            return f"quý {_ROMAN[index - 1]} năm {year}"
        return f"tháng {index} năm {year}"

    @property
    def suffix(self) -> str:
        """The period within its year: "S1", "Q3", "03"; empty for yearly and one-off ones."""
        if self.type in PERIOD_SUFFIXES:
            return self.code[4:]
        return ""

    def previous(self) -> Period | None:
        """The period just before, of the same type; None for one-off periods and year 1000."""
        if self.type == "once":
            return None
        year, index = _year_and_index(self)
        if index > 1:
            return _calendar_period(self.type, year, index - 1)
        if year == _FIRST_YEAR:
            return None
        return _calendar_period(self.type, year - 1, 12 // _SPAN[self.type])


def parse_period(code: str, period_type: str, once_label: str | None = None) -> Period:
    """The period a code names, checked against the template's period type.

    For "once" the code is the template's label: it must equal once_label when one is given.
    Raises PeriodError.
    """
    if period_type not in PERIOD_TYPES:
        raise PeriodError("period.unknown_type", period=period_type)
    found = _match_calendar_code(code)
    if period_type == "once":
        return _once_period(code, once_label, is_calendar_code=found is not None)
    if found is None:
        raise PeriodError("period.invalid", period=code)
    found_type, match = found
    if found_type != period_type:
        raise PeriodError("period.wrong_type", period=code)
    index = int(match.group("index")) if period_type not in ("yearly", "ninemonthly") else 1
    return _calendar_period(period_type, int(match.group("year")), index)


def current_period(period_type: str, today: date) -> Period:
    """The period of this type that contains today (the one being lived, not yet reported)."""
    if period_type == "once":
        raise PeriodError("period.not_calendar", period=period_type)
    if period_type not in _SPAN:
        raise PeriodError("period.unknown_type", period=period_type)
    if not _FIRST_YEAR <= today.year <= _LAST_YEAR:
        raise PeriodError("period.invalid", period=today.isoformat())
    # The nine months have one period a year: in October–December it is the one just ended.
    index = min((today.month - 1) // _SPAN[period_type] + 1, 12 // _SPAN[period_type])
    return _calendar_period(period_type, today.year, index)


def resolve_schedule_date(rule: Mapping[str, object], period: Period) -> date:
    """The date one schedule rule gives for a period.

    A rule is a mapping with exactly one of:
    ``{"day_of_last_month": D}`` day D of the period's last month (the usual cut-off, e.g. 14);
    ``{"days_after_end": N}`` N days after the period's last day (negative: before it);
    ``{"day_of_next_month": D}`` day D of the month after the period;
    ``{"date": "YYYY-MM-DD"}`` a fixed day (the only kind a one-off period can use).
    D is 1–31 and is clamped to the month's length (31 in February is its last day).
    """
    kind, value = _rule_parts(rule)
    if kind == "date":
        return _fixed_date(value)
    if period.end is None:
        raise ScheduleError("schedule.needs_dates")
    if kind == "days_after_end":
        return _add_days(period.end, _bounded_int(value, -366, 366))
    day = _bounded_int(value, 1, 31)
    if kind == "day_of_last_month":
        return _clamped_day(period.end.year, period.end.month, day)
    year, month = _month_after(period.end.year, period.end.month)
    return _clamped_day(year, month, day)


def due_dates(schedule: Mapping[str, object], period: Period) -> tuple[date, date]:
    """(cut-off, deadline) for a period from ``{"cutoff": rule, "deadline": rule}``."""
    if not isinstance(schedule, Mapping) or set(schedule) != {"cutoff", "deadline"}:
        raise ScheduleError("schedule.invalid")
    cutoff = resolve_schedule_date(_as_rule(schedule["cutoff"]), period)
    deadline = resolve_schedule_date(_as_rule(schedule["deadline"]), period)
    if deadline < cutoff:
        raise ScheduleError("schedule.deadline_before_cutoff")
    return cutoff, deadline


# --- helpers ------------------------------------------------------------------------------------


def _match_calendar_code(code: str) -> tuple[str, re.Match[str]] | None:
    for period_type, pattern in _CODE_PATTERNS.items():
        match = pattern.fullmatch(code)
        if match:
            return period_type, match
    return None


def _once_period(code: str, once_label: str | None, is_calendar_code: bool) -> Period:
    label = unicodedata.normalize("NFC", code)
    if once_label is not None and label == unicodedata.normalize("NFC", once_label):
        return Period(label, "once", None, None)
    if is_calendar_code:
        raise PeriodError("period.wrong_type", period=code)
    if once_label is not None or not _is_clean_label(label):
        raise PeriodError("period.invalid", period=code)
    return Period(label, "once", None, None)


def _is_clean_label(label: str) -> bool:
    printable = all(unicodedata.category(ch)[0] != "C" for ch in label)
    return (
        bool(label) and label == label.strip() and printable and (len(label) <= _LABEL_MAX_LENGTH)
    )


def _calendar_period(period_type: str, year: int, index: int) -> Period:
    span = _SPAN[period_type]
    first_month = (index - 1) * span + 1
    last_month = first_month + span - 1
    start = date(year, first_month, 1)
    end = date(year, last_month, calendar.monthrange(year, last_month)[1])
    return Period(_code(period_type, year, index), period_type, start, end)


def _code(period_type: str, year: int, index: int) -> str:
    if period_type == "yearly":
        return str(year)
    if period_type == "sixmonthly":
        return f"{year}S{index}"
    if period_type == "quarterly":
        return f"{year}Q{index}"
    if period_type == "ninemonthly":
        return f"{year}N9"
    return f"{year}{index:02d}"


def _year_and_index(period: Period) -> tuple[int, int]:
    if period.start is None:
        raise PeriodError("period.not_calendar", period=period.code)
    return period.start.year, (period.start.month - 1) // _SPAN[period.type] + 1


def _as_rule(rule: object) -> Mapping[str, object]:
    if not isinstance(rule, Mapping):
        raise ScheduleError("schedule.invalid")
    return rule


def _rule_parts(rule: Mapping[str, object]) -> tuple[str, object]:
    if not isinstance(rule, Mapping) or len(rule) != 1:
        raise ScheduleError("schedule.invalid")
    ((kind, value),) = rule.items()
    if kind not in SCHEDULE_RULE_KINDS:
        raise ScheduleError("schedule.invalid")
    return kind, value


def _bounded_int(value: object, lowest: int, highest: int) -> int:
    # bool is an int in Python; true/false in a JSON schedule is a mistake, not 1/0.
    if isinstance(value, bool) or not isinstance(value, int) or not lowest <= value <= highest:
        raise ScheduleError("schedule.invalid")
    return value


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


def _fixed_date(value: object) -> date:
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise ScheduleError("schedule.invalid")
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise ScheduleError("schedule.invalid") from error


def _add_days(day: date, days: int) -> date:
    try:
        return day + timedelta(days=days)
    except OverflowError as error:
        raise ScheduleError("schedule.out_of_range") from error


def _month_after(year: int, month: int) -> tuple[int, int]:
    if month < 12:
        return year, month + 1
    if year == _LAST_YEAR:
        raise ScheduleError("schedule.out_of_range")
    return year + 1, 1


def _clamped_day(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))
