"""Who owes what: the subordinate units, the templates they report on, and by when.

Cut-off and deadline come from the template's rules (``periods.due_dates``); the upper office
may override them per template and period, for one unit or for all (``unit_code = "*"``), in
the ``schedule`` table (DESIGN §2: "overridable by the upper level's schedule"). A configuration
package fills that table later; :func:`set_override` is the one writer here.

Resolution is field by field: the unit's own row, else the ``"*"`` row, else the template rule.
A ``NULL`` cut-off or deadline in a row means "keep the date from the level below", so an
office can move only the deadline of one late unit.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from sqlite_utils import Database

from desktop_app.core.errors import CoreError
from desktop_app.core.model import offices
from desktop_app.core.model.periods import (
    Period,
    PeriodError,
    ScheduleError,
    current_period,
    due_dates,
    parse_period,
)
from desktop_app.core.reports.installed import InstalledTemplates
from desktop_app.core.reports.records import audit, list_reports
from desktop_app.core.reports.status import SENT, Status
from desktop_app.core.reports.templates import Template
from desktop_app.core.store.database import write_transaction

ALL_UNITS = "*"
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


@dataclass(frozen=True)
class DueDates:
    cutoff: date | None
    deadline: date | None
    overridden: bool = False


@dataclass(frozen=True)
class Obligation:
    """One report one unit owes: template × period, with its dates."""

    unit_code: str
    unit_name: str
    template_id: str
    period: str
    due: DueDates


def period_of(template: Template, period_code: str) -> Period:
    """The period for ``template``; raises CoreError ``period.invalid`` / ``period.wrong_type``."""
    try:
        return parse_period(
            unicodedata.normalize("NFC", period_code), template.period_type, template.period_label
        )
    except PeriodError as error:
        raise CoreError(error.code, period=period_code, template=template.id) from error


def templates_for_period(templates: InstalledTemplates, period_code: str) -> list[Template]:
    """Installed templates whose period type fits the code (``2026Q3`` → quarterly ones)."""
    return [template for template, _ in _periods_by_template(templates, period_code)]


def _periods_by_template(
    templates: InstalledTemplates, period_code: str
) -> list[tuple[Template, Period]]:
    """Each installed template the code fits, with the code parsed for it (once)."""
    fitting = []
    for template in templates.newest():
        try:
            fitting.append((template, period_of(template, period_code)))
        except CoreError:
            continue
    return fitting


def obligations(
    db: Database, templates: InstalledTemplates, period_code: str, template_id: str | None = None
) -> list[Obligation]:
    """Every (unit, template) owed for the period, units in code order.

    Units are those valid on the period's last day (a district that ceased on 01/07/2025 owes
    nothing for the third quarter of 2025); for a one-off period every registered unit.
    """
    if template_id is not None:
        template = templates.get(template_id)
        fitting = [(template, period_of(template, period_code))]
    else:
        fitting = _periods_by_template(templates, period_code)
        if not fitting:
            raise CoreError("upper.no_template_for_period", period=period_code)
    this_office = offices.require_this_office(db).code
    owed = []
    for template, period in fitting:
        if not template.owes_period(period):
            continue  # the six-month review's second half: owed as the yearly review
        on = period.end.isoformat() if period.end else None
        dates = _Dates(db, template, period)
        for unit in offices.units(db, this_office, on):
            if not template.owed_by(unit.code, unit.level, unit.block):
                continue  # not assigned to this unit: never missing
            owed.append(
                Obligation(unit.code, unit.name, template.id, period.code, dates.of(unit.code))
            )
    return owed


def unit_due_dates(db: Database, template: Template, period: Period, unit_code: str) -> DueDates:
    """Cut-off and deadline for one unit: its override, the ``*`` override, the template."""
    return _Dates(db, template, period).of(unit_code)


def office_due_dates(
    db: Database, template: Template, period: Period, office_code: str
) -> DueDates:
    """When this office's report is due: the one rule the home page, the CLI and the upper
    office's tables share. The override rows are those set here or installed from the upper
    office's configuration package; an office reads its own row, else the ``*`` row."""
    return unit_due_dates(db, template, period, office_code)


ONE_OFF_GRACE = timedelta(days=90)


def periods_due(db: Database, template: Template, today: date, office_code: str) -> list[Period]:
    """The periods a template asks this office for now: its one-off label, or the running
    period and the one before it while that one's deadline (overrides honoured) has not passed;
    a quarter is reported after it ends."""
    if template.period_type == "once":
        review = period_of(template, template.period_label or template.id)
        # A one-off review whose deadline passed long ago is history, not today's work.
        deadline = _deadline_or_min(db, template, review, office_code)
        return [review] if deadline >= today - ONE_OFF_GRACE else []
    period = running_period(template, today)
    previous = period.previous()
    due = [period]
    if previous is not None and _deadline_or_min(db, template, previous, office_code) >= today:
        due = [previous, period]
    return [owed for owed in due if template.owes_period(owed)]


def running_period(template: Template, today: date) -> Period:
    """The period being lived today for a template (a one-off template: its own label)."""
    if template.period_type == "once":
        return period_of(template, template.period_label or template.id)
    try:
        return current_period(template.period_type, today)
    except PeriodError as error:
        raise CoreError(error.code, period=today.isoformat(), template=template.id) from error


def recent_periods(template: Template, today: date, count: int) -> list[Period]:
    """Up to ``count`` periods a report is usually made for, newest first: the running period
    and the earlier ones, only those the template is owed for (a one-off: its own label)."""
    period: Period | None = running_period(template, today)
    recent: list[Period] = []
    while period is not None and len(recent) < count:
        if template.owes_period(period):
            recent.append(period)
        period = period.previous()
    return recent


def _deadline_or_min(db: Database, template: Template, period: Period, office_code: str) -> date:
    return office_due_dates(db, template, period, office_code).deadline or date.min


@dataclass(frozen=True)
class DueItem:
    """One report this office owes for a template and period, made or not yet."""

    template_id: str
    template_title: str
    period: Period
    cutoff: date | None
    deadline: date | None
    days_left: int | None
    report_id: str | None
    status: Status | None

    @property
    def sent(self) -> bool:
        return self.status in SENT


def due_list(db: Database, templates: InstalledTemplates, today: date) -> list[DueItem]:
    """What this office owes now, for every installed template: what the home page lists and
    ``baocao report due`` prints. Not yet sent first, then by deadline."""
    office = offices.require_this_office(db)
    office_code = office.code
    due = [
        _due_item(db, template, period, today, office_code)
        for template in templates.newest()
        if template.owed_by(office.code, office.level, office.block)
        for period in _periods_due_or_none(db, template, today, office_code)
    ]
    return sorted(due, key=lambda item: (item.sent, item.deadline or date.max, item.template_title))


def _periods_due_or_none(
    db: Database, template: Template, today: date, office_code: str
) -> list[Period]:
    try:
        return periods_due(db, template, today, office_code)
    except CoreError:  # a template whose period or schedule cannot be worked out owes nothing
        return []


def _due_item(
    db: Database, template: Template, period: Period, today: date, office_code: str
) -> DueItem:
    due = office_due_dates(db, template, period, office_code)
    existing = list_reports(db, template_id=template.id, period=period.code, origin="local")
    report = existing[0] if existing else None
    return DueItem(
        template_id=template.id,
        template_title=template.title,
        period=period,
        cutoff=due.cutoff,
        deadline=due.deadline,
        days_left=(due.deadline - today).days if due.deadline else None,
        report_id=report.id if report else None,
        status=report.status if report else None,
    )


class _Dates:
    """One template and period's dates, read once for every unit (a province has hundreds)."""

    def __init__(self, db: Database, template: Template, period: Period) -> None:
        self.template_id, self.period = template.id, period.code
        self.defaults = _template_dates(template, period)
        rows = db.execute(
            "SELECT unit_code, cutoff, deadline FROM schedule WHERE template_id = ? AND period = ?",
            [template.id, period.code],
        ).fetchall()
        self.overrides: dict[str, tuple[str | None, str | None]] = {
            row[0]: (row[1], row[2]) for row in rows
        }

    def of(self, unit_code: str) -> DueDates:
        cutoff, deadline = self.defaults
        overridden = False
        for row_unit in (ALL_UNITS, unit_code):  # the unit's own row wins: applied last
            row = self.overrides.get(row_unit)
            if row is None:
                continue
            overridden = True
            cutoff = self._date(row[0], row_unit) or cutoff
            deadline = self._date(row[1], row_unit) or deadline
        if cutoff and deadline and deadline < cutoff:
            raise CoreError(
                "schedule.deadline_before_cutoff", template=self.template_id, period=self.period
            )
        return DueDates(cutoff, deadline, overridden)

    def _date(self, text: str | None, unit_code: str) -> date | None:
        return _row_date(text, self.template_id, self.period, unit_code)


def _template_dates(template: Template, period: Period) -> tuple[date | None, date | None]:
    """The template's dates; none for a one-off period whose rules are relative."""
    try:
        return due_dates(template.schedule, period)
    except ScheduleError:
        return None, None


def _row_date(text: str | None, template_id: str, period: str, unit_code: str) -> date | None:
    if text is None or text == "":
        return None
    try:
        return _parse_iso(text)
    except ValueError as error:
        raise CoreError(
            "schedule.override_invalid", template=template_id, period=period, unit=unit_code
        ) from error


def _parse_iso(text: str) -> date:
    if not _ISO_DATE.fullmatch(text):
        raise ValueError(text)
    return date.fromisoformat(text)


def set_override(
    db: Database,
    templates: InstalledTemplates,
    actor: str,
    template_id: str,
    period_code: str,
    unit_code: str,
    cutoff: date | None,
    deadline: date | None,
) -> DueDates:
    """Write (or, with both dates None, remove) one override row; returns the unit's dates.

    Refused, changing nothing, when the template or unit is unknown or the resulting deadline
    falls before the cut-off.
    """
    template = templates.get(template_id)
    period = period_of(template, period_code)
    unit_code = unicodedata.normalize("NFC", unit_code).strip()
    if unit_code != ALL_UNITS and unit_code not in _unit_codes(db):
        raise CoreError("upper.unknown_unit", code=unit_code)
    key = {"template_id": template.id, "period": period.code, "unit_code": unit_code}
    with write_transaction(db):
        db.execute(
            "DELETE FROM schedule WHERE template_id = ? AND period = ? AND unit_code = ?",
            list(key.values()),
        )
        if cutoff is not None or deadline is not None:
            db.table("schedule").insert(
                {
                    **key,
                    "cutoff": cutoff.isoformat() if cutoff else None,
                    "deadline": deadline.isoformat() if deadline else None,
                }
            )
        due = _check_dates(db, template, period, unit_code)  # raises → rolled back
        audit(
            db,
            actor,
            "schedule.override",
            field=f"{template.id} {period.code} {unit_code}",
            new_value=f"{_iso(cutoff)}/{_iso(deadline)}",
        )
    return due


def _unit_codes(db: Database) -> set[str]:
    return {unit.code for unit in offices.units(db, offices.require_this_office(db).code)}


def _check_dates(db: Database, template: Template, period: Period, unit_code: str) -> DueDates:
    """The dates the changed row gives; a ``*`` row must also fit every unit's own row."""
    if unit_code != ALL_UNITS:
        return unit_due_dates(db, template, period, unit_code)
    for code in _unit_codes(db):
        unit_due_dates(db, template, period, code)
    return unit_due_dates(db, template, period, "\x00")  # a code no unit can have


def _iso(day: date | None) -> str:
    return day.isoformat() if day else "-"
