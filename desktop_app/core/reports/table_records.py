"""Grid cells and list rows in the store, per report revision (tables ``report_cells`` and
``report_list_rows``).

Called inside the caller's write transaction: saving a report, starting a new revision,
importing a received one. Each changed cell and each replaced list leaves one audit row, as an
indicator does; derived cells (target, previous period, cumulative) are recomputed from this
office's earlier reports on every save and are not edits, so they leave none.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from sqlite_utils import Database

from desktop_app.core.clock import timestamp
from desktop_app.core.model.periods import Period, PeriodError, parse_period
from desktop_app.core.reports.table_values import (
    CellChanges,
    Earlier,
    Figures,
    ListRows,
    cell_field,
    derived_cells,
    grid_figures,
)
from desktop_app.core.reports.templates import Template

Cells = dict[str, dict[str, dict[str, str]]]


class Revision(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def revision(self) -> int: ...

    @property
    def period(self) -> str: ...

    @property
    def office_code(self) -> str: ...

    @property
    def origin(self) -> str: ...


def load_cells(db: Database, report_id: str, revision: int) -> Cells:
    cells: Cells = {}
    rows = db.execute(
        "SELECT grid_id, row_id, column_id, value FROM report_cells "
        "WHERE report_id = ? AND revision = ?",
        [report_id, revision],
    ).fetchall()
    for grid_id, row_id, column_id, value in rows:
        cells.setdefault(grid_id, {}).setdefault(row_id, {})[column_id] = value
    return cells


def load_lists(db: Database, report_id: str, revision: int) -> ListRows:
    lists: ListRows = {}
    rows = db.execute(
        "SELECT list_id, row_json FROM report_list_rows "
        "WHERE report_id = ? AND revision = ? ORDER BY list_id, position",
        [report_id, revision],
    ).fetchall()
    for list_id, row_json in rows:
        lists.setdefault(list_id, []).append(json.loads(row_json))
    return lists


def write_cells(
    db: Database,
    report: Revision,
    before: Mapping[str, Mapping[str, Mapping[str, str]]],
    changes: CellChanges,
    actor: str,
) -> None:
    for grid_id, rows in sorted(changes.items()):
        for row_id, cells in sorted(rows.items()):
            for column_id, new in sorted(cells.items()):
                old = before.get(grid_id, {}).get(row_id, {}).get(column_id)
                if new == old:
                    continue
                _put_cell(db, (report.id, report.revision), (grid_id, row_id, column_id), new)
                field = cell_field(grid_id, row_id, column_id)
                _audit(db, actor, "cell.set", report, field, old, new)


def write_lists(
    db: Database,
    report: Revision,
    before: Mapping[str, Sequence[Mapping[str, str]]],
    changes: ListRows,
    actor: str,
) -> None:
    for list_id, rows in sorted(changes.items()):
        old = before.get(list_id, [])
        if rows == old:
            continue
        db.execute(
            "DELETE FROM report_list_rows WHERE report_id = ? AND revision = ? AND list_id = ?",
            [report.id, report.revision, list_id],
        )
        insert_lists(db, report.id, report.revision, {list_id: rows})
        _audit(db, actor, "list.set", report, list_id, _json(old), _json(rows))


def insert_cells(db: Database, report_id: str, revision: int, cells: Mapping[str, Any]) -> None:
    """Cells of a new revision (a received one): every cell given, nothing before."""
    db.conn.executemany(
        "INSERT INTO report_cells (report_id, revision, grid_id, row_id, column_id, value) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [
            (report_id, revision, grid_id, row_id, column_id, value)
            for grid_id, rows in sorted(cells.items())
            for row_id, row_cells in sorted(rows.items())
            for column_id, value in sorted(row_cells.items())
            if value is not None
        ],
    )


def insert_lists(
    db: Database, report_id: str, revision: int, lists: Mapping[str, Sequence[Mapping[str, str]]]
) -> None:
    db.conn.executemany(
        "INSERT INTO report_list_rows (report_id, revision, list_id, position, row_json) "
        "VALUES (?, ?, ?, ?, ?)",
        [
            (report_id, revision, list_id, position, _json(row))
            for list_id, rows in sorted(lists.items())
            for position, row in enumerate(rows, start=1)
        ],
    )


def copy_revision(db: Database, report_id: str, old: int, new: int) -> None:
    for table, columns in (
        ("report_cells", "grid_id, row_id, column_id, value"),
        ("report_list_rows", "list_id, position, row_json"),
    ):
        db.execute(
            f"INSERT INTO {table} (report_id, revision, {columns}) "
            f"SELECT report_id, ?, {columns} FROM {table} WHERE report_id = ? AND revision = ?",
            [new, report_id, old],
        )


# --- derived cells -----------------------------------------------------------------------------


def put_cells(
    db: Database,
    report_id: str,
    revision: int,
    cells: Mapping[str, Mapping[str, Mapping[str, str]]],
) -> None:
    """Store these cells as they are (a consolidated report's totals), replacing any there."""
    for grid_id, rows in sorted(cells.items()):
        for row_id, row_cells in sorted(rows.items()):
            for column_id, value in sorted(row_cells.items()):
                _put_cell(db, (report_id, revision), (grid_id, row_id, column_id), value)


def refresh_derived(db: Database, template: Template, report: Revision) -> None:
    """Targets, previous-period and cumulative cells recomputed for the report as it now is.

    A consolidated report keeps the ones it was made with: its cumulative cells are the units'
    cumulative totals, its targets the sum of theirs (``consolidation_sources`` names it)."""
    grids = [g for g in template.grids if any(c.carry for c in g.columns)]
    if not grids or _is_consolidated(db, report.id):
        return
    try:
        period = parse_period(report.period, template.period_type, template.period_label)
    except PeriodError:
        return
    earlier = _earlier_reports(db, template, report, period)
    own = load_cells(db, report.id, report.revision)
    for grid in grids:
        previous, same_year = _earlier_figures(db, template, grid.id, earlier, period)
        derived = derived_cells(
            grid, period.code, own.get(grid.id, {}), Earlier(previous, same_year)
        )
        for row_id, cells in derived.items():
            for column_id, value in cells.items():
                if own.get(grid.id, {}).get(row_id, {}).get(column_id) != value:
                    _put_cell(db, (report.id, report.revision), (grid.id, row_id, column_id), value)


def _is_consolidated(db: Database, report_id: str) -> bool:
    sql = "SELECT 1 FROM consolidation_sources WHERE report_id = ? LIMIT 1"
    return db.execute(sql, [report_id]).fetchone() is not None


def _earlier_reports(
    db: Database, template: Template, report: Revision, period: Period
) -> dict[str, tuple[str, int]]:
    """Period code → (report id, current revision) of this office's earlier reports."""
    rows = db.execute(
        "SELECT period, id, current_revision FROM reports "
        "WHERE template_id = ? AND office_code = ? AND origin = ? AND id != ?",
        [template.id, report.office_code, report.origin, report.id],
    ).fetchall()
    return {code: (report_id, revision) for code, report_id, revision in rows}


def _earlier_figures(
    db: Database,
    template: Template,
    grid_id: str,
    earlier: Mapping[str, tuple[str, int]],
    period: Period,
) -> tuple[Figures, list[Figures]]:
    grid = template.grid(grid_id)

    def figures(code: str) -> Figures:
        report_id, revision = earlier[code]
        return grid_figures(grid, load_cells(db, report_id, revision).get(grid_id, {}))

    before = template.previous_owed(period)
    previous = figures(before.code) if before and before.code in earlier else {}
    same_year: list[Figures] = []
    step = period.previous()
    while step is not None and period.start and step.start and step.start.year == period.start.year:
        if step.code in earlier:
            same_year.append(figures(step.code))
        step = step.previous()
    return previous, same_year


def _put_cell(
    db: Database, revision: tuple[str, int], cell: tuple[str, str, str], value: str | None
) -> None:
    key = [*revision, *cell]
    if value is None:
        db.execute(
            "DELETE FROM report_cells WHERE report_id = ? AND revision = ? AND grid_id = ? "
            "AND row_id = ? AND column_id = ?",
            key,
        )
        return
    db.execute(
        "INSERT INTO report_cells (report_id, revision, grid_id, row_id, column_id, value) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (report_id, revision, grid_id, row_id, column_id) "
        "DO UPDATE SET value = excluded.value",
        [*key, value],
    )


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _audit(
    db: Database,
    actor: str,
    action: str,
    report: Revision,
    field: str,
    old: str | None,
    new: str | None,
) -> None:
    db.table("audit_log").insert(
        {
            "at": timestamp(),
            "actor": actor,
            "action": action,
            "report_id": report.id,
            "revision": report.revision,
            "field": field,
            "old_value": old,
            "new_value": new,
        }
    )
