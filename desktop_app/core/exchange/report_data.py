"""A stored report revision as the bundle's ``data/reports.json`` carries it, and back.

The same conversion serves the approval signature, the export and (in reverse) the import, so
the figures an upper office receives are exactly the figures the head approved.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlite_utils import Database

from desktop_app.core.errors import CoreError
from desktop_app.core.exchange.formats.model import Approval, ReportData, Scalar, Supersedes
from desktop_app.core.exchange.formats.model import Office as BundleOffice
from desktop_app.core.model.offices import Office
from desktop_app.core.reports.records import get_report, load_content, tables_json
from desktop_app.core.reports.table_values import (
    CellChanges,
    ListRows,
    canonical_cells,
    canonical_rows,
)
from desktop_app.core.reports.templates import Template
from desktop_app.core.reports.validation import ReportContent
from desktop_app.core.reports.values import ValueRefused, canonical, to_json


def report_data(
    db: Database, template: Template, office: Office, report_id: str, revision: int
) -> ReportData:
    summary = get_report(db, report_id)
    row = db.execute(
        "SELECT supersedes, approved_by_name, approved_by_title, approved_at "
        "FROM revisions WHERE report_id = ? AND revision = ?",
        [report_id, revision],
    ).fetchone()
    supersedes, name, title, approved_at = row
    if approved_at is None:
        raise CoreError("export.not_approved", id=report_id)
    content = load_content(db, report_id, revision)
    return ReportData(
        report_id=report_id,
        template_id=template.id,
        template_version=template.version,
        period=summary.period,
        revision=revision,
        supersedes=_supersedes(db, report_id, supersedes),
        office=BundleOffice(office.code, office.name),
        values=_values(template, content.values),
        narratives=dict(content.narratives),
        comments=dict(content.comments),
        approval=Approval(name, title, approved_at),
        attachments=dict(content.attachments),
        **_tables(template, content),
    )


def _tables(template: Template, content: ReportContent) -> dict[str, Any]:
    """Cells and rows as the bundle carries them; nothing for a template without them, so a
    format-1 report's data stays byte for byte what it was."""
    if not (content.grids or content.lists):
        return {}
    carried = tables_json(template, content)
    grids = {grid: rows for grid, rows in carried["grids"].items() if rows}
    lists = {name: rows for name, rows in carried["lists"].items() if rows}
    return {"grids": grids, "lists": lists}


def _supersedes(db: Database, report_id: str, revision: int | None) -> Supersedes | None:
    if revision is None:
        return None
    row = db.execute(
        "SELECT o.manifest_sha256 FROM outbox o JOIN outbox_reports r ON r.seq = o.seq "
        "WHERE r.report_id = ? AND r.revision = ? ORDER BY o.seq DESC LIMIT 1",
        [report_id, revision],
    ).fetchone()
    return Supersedes(revision, row[0] if row else None)


def _values(template: Template, stored: Mapping[str, str | None]) -> dict[str, Scalar]:
    result: dict[str, Scalar] = {}
    for indicator in template.indicators:
        value = to_json(indicator, stored.get(indicator.id))
        if value is not None:
            result[indicator.id] = value
    return result


def stored_values(template: Template, values: Mapping[str, Scalar]) -> dict[str, str | None]:
    """Received values back to canonical store text; anything unfit raises ``ValueRefused``."""
    indicators = template.indicator_map
    result: dict[str, str | None] = {}
    for indicator_id, value in values.items():
        indicator = indicators.get(indicator_id)
        if indicator is None or indicator.is_computed:
            raise ValueRefused("value.unknown_indicator", indicator_id)
        result[indicator_id] = canonical(indicator, value)
    return result


def stored_tables(template: Template, report: ReportData) -> tuple[CellChanges, ListRows]:
    """Received cells and rows back to store texts; anything unfit raises ``CoreError`` with
    the cell named in ``field``, before anything is written."""
    cells = canonical_cells(template, report.grids, with_derived=True)
    return cells, canonical_rows(template, report.lists)
