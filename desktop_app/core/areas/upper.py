"""``ws.upper``: the upper office's work on what its units sent — who owes what and by when,
who has reported, totals, the consolidated report, returning a report for revision."""

from __future__ import annotations

from datetime import date

from desktop_app.core.reports import schedule
from desktop_app.core.reports.installed import InstalledTemplates
from desktop_app.core.store.live import LiveStore
from desktop_app.core.upper import completeness, consolidation
from desktop_app.core.upper.completeness import Completeness


class Upper:
    def __init__(self, live: LiveStore, templates: InstalledTemplates) -> None:
        self._live = live
        self._templates = templates

    def obligations(
        self, period_code: str, template_id: str | None = None
    ) -> list[schedule.Obligation]:
        return schedule.obligations(self._live.db, self._templates, period_code, template_id)

    def set_override(
        self,
        template_id: str,
        period_code: str,
        unit_code: str,
        cutoff: date | None,
        deadline: date | None,
    ) -> schedule.DueDates:
        """Override (or, with both dates None, restore) one unit's or all units' dates."""
        return schedule.set_override(
            self._live.db,
            self._templates,
            self._live.actor,
            template_id,
            period_code,
            unit_code,
            cutoff,
            deadline,
        )

    def completeness(self, period_code: str, template_id: str | None = None) -> Completeness:
        return completeness.completeness(self._live.db, self._templates, period_code, template_id)

    def completeness_pdf(self, status: Completeness, lang: str = "vi") -> bytes:
        return completeness.completeness_pdf(self._live.db, self._templates, status, lang)

    def return_report(self, report_id: str, comment: str) -> int:
        return completeness.return_report(self._live.db, report_id, comment, self._live.actor)

    def withdraw(self, report_id: str, reason: str) -> int:
        """Stop counting a received report (see ``completeness.withdraw_report``)."""
        return completeness.withdraw_report(self._live.db, report_id, reason, self._live.actor)

    def consolidate(self, template_id: str, period_code: str) -> consolidation.Consolidation:
        return consolidation.consolidate(self._live.db, self._templates, template_id, period_code)

    def create_consolidated_report(
        self,
        template_id: str,
        period_code: str,
        *,
        result: consolidation.Consolidation | None = None,
    ) -> str:
        return consolidation.create_consolidated_report(
            self._live.db,
            self._templates,
            self._live.actor,
            template_id,
            period_code,
            result=result,
        )

    def consolidation_sources(self, report_id: str) -> list[consolidation.Source]:
        return consolidation.consolidation_sources(self._live.db, report_id)

    def section_excerpts(
        self, template_id: str, period_code: str, section_id: str
    ) -> list[tuple[str, str, str]]:
        return consolidation.section_excerpts(
            self._live.db, self._templates, template_id, period_code, section_id
        )
