"""``ws.reports``: create, fill in, check and approve this office's reports."""

from __future__ import annotations

from datetime import date
from typing import Any

from desktop_app.core.errors import CoreError
from desktop_app.core.exchange import approval
from desktop_app.core.model import offices
from desktop_app.core.model.periods import PeriodError, parse_period
from desktop_app.core.reports import records, schedule
from desktop_app.core.reports.installed import InstalledTemplates
from desktop_app.core.reports.records import ContentChanges, ReportSummary
from desktop_app.core.reports.templates import Template
from desktop_app.core.reports.validation import Issue, ReportContent, validate
from desktop_app.core.store.live import LiveStore


class Reports:
    def __init__(self, live: LiveStore, templates: InstalledTemplates) -> None:
        self._live = live
        self._templates = templates

    def new(self, template_id: str, period_code: str) -> str:
        db = self._live.db
        office = offices.require_this_office(db)
        template = self._templates.get(template_id)
        try:
            period = parse_period(period_code, template.period_type, template.period_label)
        except PeriodError as error:
            raise CoreError(error.code, period=period_code, template=template_id) from error
        return records.create_report(db, template, period, office.code, self._live.actor)

    def due(self, today: date) -> list[schedule.DueItem]:
        """What this office owes now, with the dates core resolves (home page, ``report due``)."""
        return schedule.due_list(self._live.db, self._templates, today)

    def summaries(self, **filters: str | None) -> list[ReportSummary]:
        return records.list_reports(self._live.db, **filters)

    def get(self, report_id: str) -> ReportSummary:
        return records.get_report(self._live.db, report_id)

    def template_of(self, report_id: str) -> Template:
        summary = self.get(report_id)
        return self._templates.get(summary.template_id, summary.template_version)

    def content(self, report_id: str, revision: int | None = None) -> ReportContent:
        revision = revision or self.get(report_id).revision
        return records.load_content(self._live.db, report_id, revision)

    def save(self, report_id: str, changes: ContentChanges) -> ReportContent:
        template = self.template_of(report_id)
        return records.save_content(self._live.db, template, report_id, changes, self._live.actor)

    def validate(self, report_id: str) -> list[Issue]:
        return validate(self.template_of(report_id), self.content(report_id))

    def mark_ready(self, report_id: str) -> list[Issue]:
        template = self.template_of(report_id)
        return records.mark_ready(self._live.db, template, report_id, self._live.actor)

    def approve(self, report_id: str, name: str, title: str, passphrase: str) -> int:
        """The head approves: the revision is signed with this office's key, numbered, frozen."""
        return approval.approve(
            self._live.db,
            self.template_of(report_id),
            offices.require_this_office(self._live.db),
            report_id,
            (name, title),
            passphrase,
            self._live.actor,
        )

    def new_revision(self, report_id: str) -> int:
        return approval.new_revision(self._live.db, report_id, self._live.actor)

    def search(self, query: str) -> list[tuple[str, str]]:
        return records.search_narratives(self._live.db, query)

    def history(self, report_id: str) -> list[dict[str, Any]]:
        return records.history(self._live.db, report_id)
