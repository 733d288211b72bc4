"""The report being edited, held in memory: what the clerk sees is always what is here.

Edits land here first (so the table, the outline and the check panel react at once, without a
round trip to the store), then travel to the store through the autosaver. Computed cells and the
issue list are recomputed from the in-memory content with the same pure core functions the
store uses, so the window never disagrees with a later ``baocao validate``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from PySide6.QtCore import QObject, QTimer, Signal

from desktop_app.core.model.periods import Period
from desktop_app.core.reports.attachment_store import Attachment
from desktop_app.core.reports.records import ReportSummary, report_period
from desktop_app.core.reports.status import EDITABLE
from desktop_app.core.reports.templates import Indicator, Section, Template
from desktop_app.core.reports.validation import (
    ERROR,
    Issue,
    ReportContent,
    computed_values,
    validate,
)
from desktop_app.core.upper.consolidation import Source
from desktop_app.core.workspace import Workspace
from desktop_app.ui.editor.attachments import ReportAttachments

VALUE = "value"
COMMENT = "comment"
NARRATIVE = "narrative"
CELL = "cell"  # a grid cell, keyed "grid/row/column"
LIST = "list"  # a whole list, keyed by its id
# Grid edits are checked and saved this long after the last one: after the grid has repainted,
# and once for a burst (a pasted block, quick typing); far below what a clerk would notice.
CHECK_AFTER_MS = 60
EMPTINESS_CODES = frozenset({"value.required", "narrative.required"})


@dataclass(frozen=True)
class LoadedReport:
    """Everything the editor needs, read in one background call."""

    summary: ReportSummary
    template: Template
    period: Period  # parsed once here; the window takes the value
    content: ReportContent
    previous: ReportSummary | None
    previous_period: str | None
    # A consolidated report: each prefilled total with the units behind it, and the units'
    # own texts per section to draw on.
    sources: dict[str, Source] = field(default_factory=dict)
    excerpts: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    attachments: list[Attachment] = field(default_factory=list)


def load_report(workspace: Workspace, report_id: str) -> LoadedReport:
    """Runs on the worker thread: the report, its template, content and previous period."""
    summary = workspace.reports.get(report_id)
    template = workspace.templates.get(summary.template_id, summary.template_version)
    period = report_period(template, summary.period)
    previous_period = _previous_period_code(template, period)
    previous = _find_report(workspace, summary, previous_period) if previous_period else None
    sources = {s.indicator_id: s for s in workspace.upper.consolidation_sources(report_id)}
    excerpts = _excerpts(workspace, summary, template) if sources else {}
    return LoadedReport(
        summary,
        template,
        period,
        workspace.reports.content(report_id),
        previous,
        previous_period,
        sources,
        excerpts,
        workspace.reports.attachments(report_id),
    )


def _excerpts(
    workspace: Workspace, summary: ReportSummary, template: Template
) -> dict[str, list[tuple[str, str, str]]]:
    found = {}
    for _, section in template.walk_sections():
        if section.narrative:
            texts = workspace.upper.section_excerpts(template.id, summary.period, section.id)
            if texts:
                found[section.id] = texts
    return found


def _previous_period_code(template: Template, period: Period) -> str | None:
    previous = template.previous_owed(period)  # a first-half review: last year's first half
    return previous.code if previous else None


def _find_report(workspace: Workspace, summary: ReportSummary, period: str) -> ReportSummary | None:
    for candidate in workspace.reports.summaries(template_id=summary.template_id, period=period):
        if candidate.origin == summary.origin and candidate.office_code == summary.office_code:
            return candidate
    return None


class ReportDocument(QObject):
    """In-memory content of one report revision with its computed cells and issues.

    After every change: ``refreshed`` (computed cells and issues are new), ``edited(kind, key,
    value)`` for the views, and last ``to_store(kind, key, value)`` for the autosaver, so the
    window's own work is done before the save starts on the worker thread and the two do not
    contend for the interpreter.
    """

    edited = Signal(str, str, object)
    refreshed = Signal()
    to_store = Signal(str, str, object)

    def __init__(self, loaded: LoadedReport, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.summary = loaded.summary
        self.template = loaded.template
        self.values: dict[str, str | None] = dict(loaded.content.values)
        self.narratives: dict[str, str] = dict(loaded.content.narratives)
        self.comments: dict[str, str] = dict(loaded.content.comments)
        self.grids: dict[str, dict[str, dict[str, str]]] = {
            grid: {row: dict(cells) for row, cells in rows.items()}
            for grid, rows in loaded.content.grids.items()
        }
        self.lists: dict[str, list[dict[str, str]]] = {
            list_id: [dict(row) for row in rows] for list_id, rows in loaded.content.lists.items()
        }
        self.read_only = loaded.summary.status not in EDITABLE
        self.computed: dict[str, Decimal] = {}
        self.issues: list[Issue] = []
        self._issues_by_field: dict[str, list[Issue]] = {}
        self._states: dict[str, tuple[bool, bool]] | None = None
        self._rule_fields = {r.id: sorted(r.expression.names) for r in self.template.rules}
        self._table_section = _table_sections(self.template)
        self.sections = {s.id: s for _, s in self.template.walk_sections()}
        self.sources = loaded.sources
        self.excerpts = loaded.excerpts
        # The attachments an evidence cell may name: names for the checks here, and the
        # editor's live list (set before the pages are built) for the list cells.
        self.attachment_names: dict[str, str] = dict(loaded.content.attachments)
        self.attachments: ReportAttachments | None = None
        self._cells_waiting: dict[str, str | None] = {}
        self._cells_timer = QTimer(self)
        self._cells_timer.setSingleShot(True)
        self._cells_timer.setInterval(CHECK_AFTER_MS)
        self._cells_timer.timeout.connect(self._cells_settled)
        self._recompute()

    # --- reading ----------------------------------------------------------------------------

    def current(self, kind: str, key: str) -> str | None:
        if kind == VALUE:
            return self.values.get(key)
        if kind == COMMENT:
            return self.comments.get(key, "")
        return self.narratives.get(key, "")

    def content(self) -> ReportContent:
        return ReportContent(dict(self.values), dict(self.narratives), dict(self.comments))

    def issues_for_indicator(self, indicator_id: str) -> list[Issue]:
        """Issues about this cell, including violated rules that read it."""
        return self._issues_by_field.get(indicator_id, [])

    def issues_for_section(self, section_id: str) -> list[Issue]:
        section = self.sections[section_id]
        found = list(self._issues_by_field.get(section_id, []))
        for indicator in self.section_indicators(section):
            found.extend(self.issues_for_indicator(indicator.id))
        return found

    def section_tables(self, section_id: str) -> list[str]:
        """Tables shown on the section's page (a table no section lists goes on the last)."""
        return [t for t, s in self._table_section.items() if s == section_id]

    def section_indicators(self, section: Section) -> Iterator[Indicator]:
        for table_id in self.section_tables(section.id):
            yield from self.template.table(table_id).indicators

    def section_of_table(self, table_id: str) -> str:
        return self._table_section[table_id]

    def locate(self, field: str) -> tuple[str, str | None]:
        """(section id, indicator id or None) where an issue's field can be fixed."""
        indicators = self.template.indicator_map
        if field in self._rule_fields:
            names = self._rule_fields[field]
            entered = [n for n in names if n in indicators and not indicators[n].is_computed]
            field = (entered or names or [field])[0]
        if field in indicators:
            return self.section_of_table(indicators[field].table_id), field
        return field, None

    # --- changing ---------------------------------------------------------------------------

    def apply(self, kind: str, key: str, value: str | None) -> None:
        """Set one field (already canonical) and tell the autosaver and the views."""
        if kind == VALUE:
            self.values[key] = value
        elif kind == COMMENT:
            self.comments[key] = value or ""
        else:
            self.narratives[key] = unicodedata.normalize("NFC", value or "")
        self._recompute()
        current = self.current(kind, key)
        self.edited.emit(kind, key, current)
        self.to_store.emit(kind, key, current)

    def apply_cells(self, grid_id: str, changes: dict[str, dict[str, str | None]]) -> None:
        """Cells of a grid (canonical texts, None clears) changed in its view, which already
        shows them with their totals. The report's checks and the save follow a moment later,
        after the grid has repainted, and once for a burst of edits (a pasted block)."""
        rows = self.grids.setdefault(grid_id, {})
        for row_id, cells in changes.items():
            for column_id, text in cells.items():
                if text is None:
                    rows.setdefault(row_id, {}).pop(column_id, None)
                else:
                    rows.setdefault(row_id, {})[column_id] = text
                self._cells_waiting[f"{grid_id}/{row_id}/{column_id}"] = text
        self._cells_timer.start()

    @property
    def cells_waiting(self) -> bool:
        return bool(self._cells_waiting)

    def settle_cells(self) -> None:
        """Check and send now the grid cells still waiting (Ctrl+S, closing)."""
        self._cells_timer.stop()
        if self._cells_waiting:
            self._cells_settled()

    def _cells_settled(self) -> None:
        waiting, self._cells_waiting = self._cells_waiting, {}
        self._recompute()
        for key, text in waiting.items():
            self.to_store.emit(CELL, key, text)

    def set_attachment_names(self, names: dict[str, str]) -> None:
        """The report's attachments changed (added, removed): check the evidence cells again."""
        self.attachment_names = dict(names)
        self._recompute()

    def apply_rows(self, list_id: str, rows: list[dict[str, str]]) -> None:
        """A list's rows changed in its view (blank rows included: the store drops them)."""
        self.lists[list_id] = [dict(row) for row in rows]
        self._recompute()
        self.to_store.emit(LIST, list_id, [dict(row) for row in rows])

    def _recompute(self) -> None:
        entered = {k: v for k, v in self.values.items() if v is not None}
        self.computed = computed_values(self.template, entered)
        clean = ReportContent(
            entered,
            {k: v for k, v in self.narratives.items() if v.strip()},
            {k: v for k, v in self.comments.items() if v.strip()},
            self.grids,
            {k: [row for row in rows if row] for k, rows in self.lists.items()},
            self.attachment_names,
        )
        self.issues = validate(self.template, clean)
        self._issues_by_field = self._group_issues(self.issues)
        self._states = None
        self.refreshed.emit()

    def _group_issues(self, issues: list[Issue]) -> dict[str, list[Issue]]:
        grouped: dict[str, list[Issue]] = {}
        for issue in issues:
            for name in self._rule_fields.get(issue.field, [issue.field]):
                grouped.setdefault(name, []).append(issue)
        return grouped

    # --- completion marks --------------------------------------------------------------------

    def has_errors(self, section: Section) -> bool:
        """Wrong content (not mere emptiness) in the section or below it."""
        return self._section_states()[section.id][0]

    def is_complete(self, section: Section) -> bool:
        """Required text written, no required figure missing, and every subsection complete."""
        return self._section_states()[section.id][1]

    def _section_states(self) -> dict[str, tuple[bool, bool]]:
        """(has errors, is complete) of every section, worked out once per change."""
        if self._states is None:
            states: dict[str, tuple[bool, bool]] = {}
            for section in self.template.sections:
                self._visit(section, states)
            self._states = states
        return self._states

    def _visit(self, section: Section, states: dict[str, tuple[bool, bool]]) -> tuple[bool, bool]:
        issues = self.issues_for_section(section.id)
        errors = any(i.severity == ERROR and i.code not in EMPTINESS_CODES for i in issues)
        complete = not any(i.code in EMPTINESS_CODES for i in issues)
        for child in section.sections:
            child_errors, child_complete = self._visit(child, states)
            errors, complete = errors or child_errors, complete and child_complete
        states[section.id] = (errors, complete)
        return errors, complete

    def table_has_errors(self, table_id: str) -> bool:
        return any(
            i.severity == ERROR and i.code not in EMPTINESS_CODES
            for indicator in self.template.table(table_id).indicators
            for i in self.issues_for_indicator(indicator.id)
        )

    def table_is_complete(self, table_id: str) -> bool:
        return not any(
            i.code == "value.required"
            for indicator in self.template.table(table_id).indicators
            for i in self.issues_for_indicator(indicator.id)
        )


def _table_sections(template: Template) -> dict[str, str]:
    """The section each table is shown in (the first that lists it)."""
    placed: dict[str, str] = {}
    for _, section in template.walk_sections():
        for table_id in section.tables:
            placed.setdefault(table_id, section.id)
    fallback = template.sections[-1].id if template.sections else ""
    return {table.id: placed.get(table.id, fallback) for table in template.tables}
