"""Reports and their revisions in the store: create, list, read, save, audit.

Every save is one transaction that writes the new values, the search index and one audit row
per changed field, so the history of a figure can always be shown and a crash never leaves a
half-saved report. Input is parsed completely before the first write: a refused value changes
nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from sqlite_utils import Database

from desktop_app.core.clock import timestamp
from desktop_app.core.errors import CoreError, phrase
from desktop_app.core.model.limits import MAX_COMMENT, MAX_NARRATIVE, clean_text
from desktop_app.core.model.periods import Period, PeriodError, parse_period
from desktop_app.core.model.text import search_key
from desktop_app.core.reports import attachment_store, table_records
from desktop_app.core.reports import status as report_status
from desktop_app.core.reports.status import EDITABLE, Status
from desktop_app.core.reports.table_values import canonical_cells, canonical_rows
from desktop_app.core.reports.tables import Grid
from desktop_app.core.reports.templates import Template
from desktop_app.core.reports.validation import (
    ReportContent,
    computed_values,
    has_errors,
    validate,
)
from desktop_app.core.reports.values import ValueRefused, canonical, figure_json, to_json
from desktop_app.core.store.database import write_transaction


@dataclass(frozen=True)
class ReportSummary:
    id: str
    template_id: str
    template_version: int
    period: str
    office_code: str
    origin: str
    revision: int
    status: Status
    created_at: str
    updated_at: str
    supersedes: int | None = None
    approved_by_name: str | None = None
    approved_by_title: str | None = None
    approved_at: str | None = None
    return_comment: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "template_id": self.template_id,
            "template_version": self.template_version,
            "period": self.period,
            "office_code": self.office_code,
            "origin": self.origin,
            "status": self.status,
            "revision": self.revision,
            "supersedes": self.supersedes,
            "updated_at": self.updated_at,
        }


@dataclass(frozen=True)
class ContentChanges:
    """A partial update: only the keys present change; ``None`` or "" clears a value."""

    values: Mapping[str, Any] = field(default_factory=dict)
    narratives: Mapping[str, str | None] = field(default_factory=dict)
    comments: Mapping[str, str | None] = field(default_factory=dict)
    # Format 2: cells {grid: {row: {column: value}}} (partial, None clears) and whole lists
    # {list: [{column: value}, ...]} (a list given replaces the stored one).
    grids: Mapping[str, Any] = field(default_factory=dict)
    lists: Mapping[str, Any] = field(default_factory=dict)

    def is_empty(self) -> bool:
        return not (self.values or self.narratives or self.comments or self.grids or self.lists)


def report_period(template: Template | None, code: str) -> Period:
    """The period of a stored report, the one way to get it back from its stored code.

    The code was checked against its template when the report was made or received; one that
    no longer fits (or whose template is gone) is still shown, as a one-off label.
    """
    if template is not None:
        try:
            return parse_period(code, template.period_type, template.period_label)
        except PeriodError:
            pass
    return Period(code, "once", None, None)


# --- the report as one JSON document -------------------------------------------------------

EDITABLE_PARTS = ("values", "narratives", "comments", "grids", "lists")
_IDENTITY = ("id", "template_id", "period", "office_code")
# Follow from the content or the report's life; a document carries them for reading only.
_DERIVED = (
    "template_version",
    "origin",
    "status",
    "revision",
    "supersedes",
    "updated_at",
    "derived",
    "attachments",  # changed by attach/detach, never by a document
)


def report_document(
    summary: ReportSummary, template: Template, content: ReportContent
) -> dict[str, Any]:
    """The one shape a report has outside the app: ``report show --json`` prints it and
    ``report set --from-json`` takes it back. Figures go through ``values.figure_json``."""
    indicators = template.indicator_map
    computed = computed_values(template, content.values)
    document = {
        **summary.to_json(),
        "values": {key: to_json(indicators[key], value) for key, value in content.values.items()},
        "computed": {key: figure_json(indicators[key], value) for key, value in computed.items()},
        "narratives": dict(content.narratives),
        "comments": dict(content.comments),
    }
    if template.grids or template.lists:
        carried = tables_json(template, content)
        document["grids"] = {g.id: _cells_json(g, content, derived=False) for g in template.grids}
        document["lists"] = carried["lists"]
        document["derived"] = {g.id: _cells_json(g, content, derived=True) for g in template.grids}
    if content.attachments:
        document["attachments"] = dict(content.attachments)
    return document


def tables_json(template: Template, content: ReportContent) -> dict[str, Any]:
    """Every stored grid cell (entered and derived) and list row as JSON figures, as a bundle
    carries them; formula cells are left out, they recompute wherever they are read."""
    return {
        "grids": {grid.id: _cells_json(grid, content, derived=None) for grid in template.grids},
        "lists": {
            task_list.id: [
                {col: to_json(task_list.column(col), text) for col, text in row.items()}
                for row in content.lists.get(task_list.id, [])
            ]
            for task_list in template.lists
        },
    }


def _cells_json(grid: Grid, content: ReportContent, derived: bool | None) -> dict[str, Any]:
    """The stored cells of one grid; ``derived`` True/False keeps only derived/entered ones."""
    return {
        row_id: {
            col: to_json(grid.column(col), text)
            for col, text in cells.items()
            if derived is None or (grid.column(col).carry is not None) == derived
        }
        for row_id, cells in content.grids.get(grid.id, {}).items()
    }


def document_changes(document: object, summary: ReportSummary, source: str) -> ContentChanges:
    """The edits a report document asks for, the whole shape checked before anything is saved.

    Any part of :func:`report_document` may be given (``{"values": {...}}`` alone is an edit);
    identity keys that are present must name this report; the read-only keys and the computed
    figures are ignored, since saving recomputes them. ``source`` names the input in refusals.
    """
    if not isinstance(document, Mapping):
        raise CoreError("input.bad_shape", file=source, reason=phrase("input.reason.not_object"))
    unknown = sorted(document.keys() - {*EDITABLE_PARTS, *_IDENTITY, *_DERIVED, "computed"})
    if unknown:
        raise CoreError("input.bad_shape", file=source, reason=", ".join(unknown))
    expected = summary.to_json()
    for key in _IDENTITY:
        if key in document and document[key] != expected[key]:
            raise CoreError(
                "input.other_report",
                file=source,
                field=key,
                value=document[key],
                expected=expected[key],
            )
    parts = {key: document.get(key, {}) for key in EDITABLE_PARTS}
    for key, part in parts.items():
        if not isinstance(part, Mapping):
            reason = phrase("input.reason.part_not_object", key=key)
            raise CoreError("input.bad_shape", file=source, reason=reason)
    return ContentChanges(**parts)


_SUMMARY_SQL = """
SELECT r.id, r.template_id, r.template_version, r.period, r.office_code, r.origin,
       r.current_revision AS revision, v.status, r.created_at, r.updated_at, v.supersedes,
       v.approved_by_name, v.approved_by_title, v.approved_at, v.return_comment
FROM reports r JOIN revisions v ON v.report_id = r.id AND v.revision = r.current_revision
"""


def create_report(
    db: Database, template: Template, period: Period, office_code: str, actor: str
) -> str:
    report_id = str(uuid.uuid4())
    now = timestamp()
    with write_transaction(db):
        if _existing(db, template.id, period.code, office_code):
            raise CoreError("report.exists", template=template.id, period=period.code)
        db.table("reports").insert(
            {
                "id": report_id,
                "template_id": template.id,
                "template_version": template.version,
                "period": period.code,
                "office_code": office_code,
                "origin": "local",
                "current_revision": 1,
                "created_at": now,
                "updated_at": now,
            }
        )
        report_status.add_revision(db, report_id, 1, Status.DRAFT, created_at=now)
        audit(db, actor, "report.created", report_id, 1, new_value=f"{template.id} {period.code}")
    return report_id


def _existing(db: Database, template_id: str, period: str, office_code: str) -> bool:
    sql = (
        "SELECT 1 FROM reports "
        "WHERE template_id=? AND period=? AND office_code=? AND origin='local'"
    )
    return db.execute(sql, [template_id, period, office_code]).fetchone() is not None


def list_reports(
    db: Database,
    template_id: str | None = None,
    period: str | None = None,
    status: str | None = None,
    origin: str | None = None,
) -> list[ReportSummary]:
    filters = {
        "r.template_id": template_id,
        "r.period": period,
        "v.status": status,
        "r.origin": origin,
    }
    clauses = [f"{column} = ?" for column, value in filters.items() if value is not None]
    params = [value for value in filters.values() if value is not None]
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    sql = _SUMMARY_SQL + where + " ORDER BY r.updated_at DESC, r.id"
    return [_summary(row) for row in db.execute(sql, params).fetchall()]


def get_report(db: Database, report_id: str) -> ReportSummary:
    row = db.execute(_SUMMARY_SQL + " WHERE r.id = ?", [report_id]).fetchone()
    if row is None:
        raise CoreError("report.not_found", id=report_id)
    return _summary(row)


def _summary(row: tuple[Any, ...]) -> ReportSummary:
    summary = ReportSummary(*row)
    return replace(summary, status=Status(summary.status))


def load_content(db: Database, report_id: str, revision: int) -> ReportContent:
    key = [report_id, revision]
    value_rows = db.execute(
        "SELECT indicator_id, value, comment FROM report_values WHERE report_id=? AND revision=?",
        key,
    ).fetchall()
    narrative_rows = db.execute(
        "SELECT section_id, body FROM narratives WHERE report_id=? AND revision=?", key
    ).fetchall()
    return ReportContent(
        values={i: v for i, v, _ in value_rows if v is not None},
        narratives=dict(narrative_rows),
        comments={i: c for i, _, c in value_rows if c},
        grids=table_records.load_cells(db, report_id, revision),
        lists=table_records.load_lists(db, report_id, revision),
        attachments=attachment_store.names(db, report_id, revision),
    )


def save_content(
    db: Database, template: Template, report_id: str, changes: ContentChanges, actor: str
) -> ReportContent:
    """Apply ``changes`` to the report's current revision; returns the content after saving."""
    values = _canonical_values(template, changes.values)
    sections = {s.id for _, s in template.walk_sections()}
    narratives = _clean_texts(changes.narratives, sections, MAX_NARRATIVE)
    comments = _clean_texts(changes.comments, set(template.indicator_map), MAX_COMMENT)
    cells = canonical_cells(template, changes.grids)
    rows = canonical_rows(template, changes.lists)
    with write_transaction(db):
        report = get_report(db, report_id)
        if report.status not in EDITABLE:
            raise report_status.locked(report_id, report.status)
        before = load_content(db, report_id, report.revision)
        _write_values(db, report, before, values, comments, actor)
        _write_narratives(db, report, before, narratives, actor)
        table_records.write_cells(db, report, before.grids, cells, actor)
        table_records.write_lists(db, report, before.lists, rows, actor)
        table_records.refresh_derived(db, template, report)
        after = load_content(db, report_id, report.revision)
        if report.status == Status.READY and has_errors(validate(template, after)):
            _set_status(db, report, Status.DRAFT, actor)
        db.table("reports").update(report_id, {"updated_at": timestamp()})
    return after


def _canonical_values(template: Template, raw: Mapping[str, Any]) -> dict[str, str | None]:
    indicators = template.indicator_map
    result: dict[str, str | None] = {}
    for indicator_id, value in raw.items():
        if indicator_id not in indicators:
            raise CoreError("value.unknown_indicator", field=indicator_id)
        try:
            result[indicator_id] = canonical(indicators[indicator_id], value)
        except ValueRefused as refused:
            raise CoreError(refused.code, **refused.params) from refused
    return result


def _clean_texts(raw: Mapping[str, str | None], known: set[str], limit: int) -> dict[str, str]:
    result: dict[str, str] = {}
    for key, text in raw.items():
        if key not in known:
            raise CoreError("value.unknown_field", field=key)
        if text is not None and not isinstance(text, str):
            raise CoreError("value.not_text", field=key)
        result[key] = clean_text(key, text or "", limit)
    return result


def _write_values(
    db: Database,
    report: ReportSummary,
    before: ReportContent,
    values: Mapping[str, str | None],
    comments: Mapping[str, str],
    actor: str,
) -> None:
    for indicator_id in sorted(values.keys() | comments.keys()):
        old_value = before.values.get(indicator_id)
        old_comment = before.comments.get(indicator_id, "")
        new_value = values.get(indicator_id, old_value)
        new_comment = comments.get(indicator_id, old_comment)
        if (new_value, new_comment) == (old_value, old_comment):
            continue
        db.table("report_values").upsert(
            {
                "report_id": report.id,
                "revision": report.revision,
                "indicator_id": indicator_id,
                "value": new_value,
                "comment": new_comment,
            },
            pk=("report_id", "revision", "indicator_id"),
        )
        if new_value != old_value:
            audit(
                db,
                actor,
                "value.set",
                report.id,
                report.revision,
                indicator_id,
                old_value,
                new_value,
            )
        if new_comment != old_comment:
            audit(
                db,
                actor,
                "comment.set",
                report.id,
                report.revision,
                indicator_id,
                old_comment,
                new_comment,
            )


def _write_narratives(
    db: Database,
    report: ReportSummary,
    before: ReportContent,
    narratives: Mapping[str, str],
    actor: str,
) -> None:
    for section_id, body in sorted(narratives.items()):
        old = before.narratives.get(section_id, "")
        if body == old:
            continue
        key = [report.id, report.revision, section_id]
        db.execute(
            "DELETE FROM narrative_search WHERE report_id=? AND revision=? AND section_id=?", key
        )
        if body:
            db.table("narratives").upsert(
                {
                    "report_id": report.id,
                    "revision": report.revision,
                    "section_id": section_id,
                    "body": body,
                },
                pk=("report_id", "revision", "section_id"),
            )
            db.execute(
                "INSERT INTO narrative_search(report_id, revision, section_id, search_text) "
                "VALUES (?, ?, ?, ?)",
                [*key, search_key(body)],
            )
        else:
            db.execute(
                "DELETE FROM narratives WHERE report_id=? AND revision=? AND section_id=?", key
            )
        audit(db, actor, "narrative.set", report.id, report.revision, section_id, old, body)


def mark_ready(db: Database, template: Template, report_id: str, actor: str) -> list[Any]:
    """Mark the current revision ready for the head; refused (returns the issues) on errors."""
    with write_transaction(db):
        report = get_report(db, report_id)
        if report.status not in EDITABLE:
            raise report_status.locked(report_id, report.status)
        issues = validate(template, load_content(db, report_id, report.revision))
        if not has_errors(issues) and report.status != Status.READY:
            _set_status(db, report, Status.READY, actor)
    return issues


def _set_status(db: Database, report: ReportSummary, new: Status, actor: str) -> None:
    old = report_status.move(db, report.id, report.revision, new)
    audit(db, actor, "status.set", report.id, report.revision, "status", old, new)


def search_narratives(db: Database, query: str, limit: int = 200) -> list[tuple[str, str]]:
    """(report_id, section_id) of current revisions whose text contains the phrase ``query``,
    whatever its Unicode form or tone placement."""
    phrase = " ".join(search_key(query).split())
    if not phrase:
        return []
    match = '"' + phrase.replace('"', '""') + '"'
    sql = (
        "SELECT s.report_id, s.section_id FROM narrative_search s "
        "JOIN reports r ON r.id = s.report_id AND r.current_revision = s.revision "
        "WHERE narrative_search MATCH ? LIMIT ?"
    )
    return [(row[0], row[1]) for row in db.execute(sql, [match, limit]).fetchall()]


def audit(
    db: Database,
    actor: str,
    action: str,
    report_id: str | None = None,
    revision: int | None = None,
    field: str | None = None,
    old_value: str | None = None,
    new_value: str | None = None,
) -> None:
    db.table("audit_log").insert(
        {
            "at": timestamp(),
            "actor": actor,
            "action": action,
            "report_id": report_id,
            "revision": revision,
            "field": field,
            "old_value": old_value,
            "new_value": new_value,
        }
    )


def history(db: Database, report_id: str) -> list[dict[str, Any]]:
    return list(db.table("audit_log").rows_where("report_id = ?", [report_id], order_by="id"))
