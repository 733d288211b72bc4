"""The cells of grids and the rows of lists: canonical input, figures, derived cells, checks.

Stored shapes (canonical texts, as for indicators):

- grid cells: ``{grid id: {row id: {column id: text}}}``, entered cells and *derived* ones
  (target, previous period, cumulative), which are computed when the report is saved and
  stored, so that a bundle carries them and the upper office adds them like any figure;
- list rows: ``{list id: [{column id: text}, ...]}`` in the clerk's order.

Cells computed by a formula (along the row or down the column) are never stored: like computed
indicators they are recomputed from the others wherever they are read.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from desktop_app.core.errors import CoreError
from desktop_app.core.model.expressions import Value
from desktop_app.core.reports.tables import ATTACHMENT, Column, Grid, Row, TaskList
from desktop_app.core.reports.templates import Template
from desktop_app.core.reports.values import ValueRefused, canonical, decimal_text, typed

GridCells = Mapping[str, Mapping[str, str]]  # row id → column id → stored text
CellChanges = dict[str, dict[str, dict[str, str | None]]]  # grid → row → column → text/None
ListRows = dict[str, list[dict[str, str]]]  # list id → rows
Figure = Decimal | bool | date | str | None
Figures = dict[tuple[str, str], Figure]  # (row id, column id) → figure

ERROR = "error"
WARNING = "warning"


def cell_field(grid_id: str, row_id: str, column_id: str) -> str:
    """How a cell is named in issues, refusals and the audit log."""
    return f"{grid_id}/{row_id}/{column_id}"


# --- input -----------------------------------------------------------------------------------


def canonical_cells(
    template: Template, raw: Mapping[str, Any], *, with_derived: bool = False
) -> CellChanges:
    """``{grid: {row: {column: value}}}`` as stored texts (None clears); refuses unknown or
    computed cells and values unfit for the column's type, before anything is written.
    ``with_derived`` accepts target, previous and cumulative cells (a received report's)."""
    grids = {g.id: g for g in template.grids}
    result: CellChanges = {}
    for grid_id, rows in _mapping(raw, "grids").items():
        grid = grids.get(grid_id)
        if grid is None:
            raise CoreError("value.unknown_field", field=grid_id)
        result[grid_id] = {}
        for row_id, cells in _mapping(rows, grid_id).items():
            if row_id not in {r.id for r in grid.rows}:
                raise CoreError("value.unknown_field", field=f"{grid_id}/{row_id}")
            row = grid.row(row_id)
            result[grid_id][row_id] = {}
            for column_id, value in _mapping(cells, f"{grid_id}/{row_id}").items():
                field = cell_field(grid_id, row_id, column_id)
                if column_id not in {c.id for c in grid.columns}:
                    raise CoreError("value.unknown_field", field=field)
                column = grid.column(column_id)
                blank = value is None or (isinstance(value, str) and not value.strip())
                derived = with_derived and column.carry is not None
                if not blank and not derived and not grid.is_entered(row, column):
                    raise CoreError("value.computed", field=field)
                result[grid_id][row_id][column_id] = _canonical(column, value, field)
    return result


def canonical_rows(template: Template, raw: Mapping[str, Any]) -> ListRows:
    """``{list: [{column: value}]}`` as stored rows; a list given is replaced whole, and rows
    left wholly empty are dropped (the editor's last blank line)."""
    lists = {t.id: t for t in template.lists}
    result: ListRows = {}
    for list_id, rows in _mapping(raw, "lists").items():
        task_list = lists.get(list_id)
        if task_list is None:
            raise CoreError("value.unknown_field", field=list_id)
        if rows is None:
            rows = []
        if not isinstance(rows, Sequence) or isinstance(rows, str):
            raise CoreError("value.not_text", field=list_id)
        result[list_id] = [
            row
            for n, item in enumerate(rows)
            if (row := _canonical_row(task_list, item, f"{list_id}/{n + 1}"))
        ]
    return result


def _canonical_row(task_list: TaskList, item: Any, where: str) -> dict[str, str]:
    row: dict[str, str] = {}
    for column_id, value in _mapping(item, where).items():
        field = f"{where}/{column_id}"
        if column_id not in {c.id for c in task_list.columns}:
            raise CoreError("value.unknown_field", field=field)
        text = _canonical(task_list.column(column_id), value, field)
        if text is not None:
            row[column_id] = text
    return row


def _canonical(column: Column, value: Any, field: str) -> str | None:
    if isinstance(value, str):
        value = unicodedata.normalize("NFC", value)
    try:
        return canonical(_entered(column), value)
    except ValueRefused as refused:
        raise CoreError(refused.code, **{**refused.params, "field": field}) from refused


def _entered(column: Column) -> Column:
    """The column as ``values.canonical`` reads it: derived cells are stored texts too."""
    if column.carry is None:
        return column
    return Column(column.id, column.label, column.type, column.unit, decimals=column.decimals)


def _mapping(value: Any, field: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise CoreError("value.not_text", field=field)
    return value


# --- figures ---------------------------------------------------------------------------------


def grid_figures(grid: Grid, cells: GridCells) -> Figures:
    """Every cell's figure: stored cells typed, then row formulas (totals), then column
    formulas (rates), which win where both apply."""
    figures: Figures = {}
    for row_id, row_cells in cells.items():
        for column_id, text in row_cells.items():
            figures[row_id, column_id] = typed(_entered(grid.column(column_id)), text)
    _apply_row_formulas(grid, figures)
    _apply_column_formulas(grid, figures)
    return figures


def _apply_row_formulas(grid: Grid, figures: Figures) -> None:
    for column in grid.columns:
        if not column.is_numeric or column.formula is not None:
            continue
        for row in grid.row_order:
            if figures.get((row.id, column.id)) is not None:
                continue  # a derived cell stored for this row (its own target)
            formula = grid.compiled[row.id]
            names = {name: _number(figures.get((name, column.id))) for name in formula.names}
            figures[row.id, column.id] = _decimal_or_none(formula.evaluate(names))


def _apply_column_formulas(grid: Grid, figures: Figures) -> None:
    formulas = [(column.id, grid.compiled[column.id]) for column in grid.column_order]
    for row in grid.rows:
        for column_id, formula in formulas:
            names = {name: _number(figures.get((row.id, name))) for name in formula.names}
            figures[row.id, column_id] = _decimal_or_none(formula.evaluate(names))


class LiveGrid:
    """A grid's figures kept current one edit at a time, for an editor: after ``set`` only the
    cells that depend on the edited one are recomputed (its row's rate, the totals above it),
    and the cells whose figure changed are returned, to repaint just those."""

    def __init__(self, grid: Grid, cells: GridCells) -> None:
        self.grid = grid
        self.cells: dict[str, dict[str, str]] = {r: dict(c) for r, c in cells.items()}
        self.figures = grid_figures(grid, self.cells)
        self._readers = _row_readers(grid)
        self._old: dict[tuple[str, str], Figure] = {}  # this edit's cells before it

    def set(self, row_id: str, column_id: str, text: str | None) -> set[tuple[str, str]]:
        """Store one entered cell's canonical text (None clears) and recompute what reads it."""
        self._old = {}
        row_cells = self.cells.setdefault(row_id, {})
        if text is None:
            row_cells.pop(column_id, None)
        else:
            row_cells[column_id] = text
        column = self.grid.column(column_id)
        self._put((row_id, column_id), typed(_entered(column), text))
        rows = {row_id, *self._readers.get(row_id, ())}
        for total in self.grid.row_order:
            if total.id in rows and total.id != row_id:
                self._total(total.id, column)
        for name in rows:
            self._rates(name)
        return {key for key, old in self._old.items() if self.figures.get(key) != old}

    def _put(self, key: tuple[str, str], figure: Figure) -> None:
        self._old.setdefault(key, self.figures.get(key))
        self.figures[key] = figure

    def _total(self, row_id: str, column: Column) -> None:
        if not column.is_numeric or column.formula is not None:
            return
        if self.cells.get(row_id, {}).get(column.id) is not None:
            return  # a derived cell stored for this row
        formula = self.grid.compiled[row_id]
        names = {name: _number(self.figures.get((name, column.id))) for name in formula.names}
        self._put((row_id, column.id), _decimal_or_none(formula.evaluate(names)))

    def _rates(self, row_id: str) -> None:
        for column in self.grid.column_order:
            formula = self.grid.compiled[column.id]
            names = {name: _number(self.figures.get((row_id, name))) for name in formula.names}
            self._put((row_id, column.id), _decimal_or_none(formula.evaluate(names)))


def _row_readers(grid: Grid) -> dict[str, set[str]]:
    """Row id → every total row that reads it, directly or through another total."""
    direct: dict[str, set[str]] = {}
    for row in grid.rows:
        for name in row.formula.names if row.formula else ():
            direct.setdefault(name, set()).add(row.id)
    readers: dict[str, set[str]] = {}
    for name in direct:
        found: set[str] = set()
        waiting = list(direct[name])
        while waiting:
            reader = waiting.pop()
            if reader not in found:
                found.add(reader)
                waiting += direct.get(reader, ())
        readers[name] = found
    return readers


def list_figures(task_list: TaskList, rows: Sequence[Mapping[str, str]]) -> list[dict[str, Figure]]:
    return [
        {c.id: typed(c, row.get(c.id)) for c in task_list.columns if row.get(c.id) is not None}
        for row in rows
    ]


def _number(figure: Figure) -> Value:
    if isinstance(figure, bool | Decimal):
        return figure
    return None


def _decimal_or_none(value: Value) -> Decimal | None:
    return value if isinstance(value, Decimal) and not isinstance(value, bool) else None


# --- derived cells -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Earlier:
    """What derived columns read: the previous period's figures of this office's report, and
    those of every earlier period of the same year (for cumulative columns)."""

    previous: Figures
    same_year: Sequence[Figures]


def derived_cells(
    grid: Grid, period_code: str, own: GridCells, earlier: Earlier
) -> dict[str, dict[str, str | None]]:
    """The stored texts of the grid's target, previous and cumulative cells for this period."""
    figures = grid_figures(grid, _without_derived(grid, own))
    result: dict[str, dict[str, str | None]] = {}
    for row in grid.rows:
        for column in grid.columns:
            value: Decimal | None
            if column.carry == "target":
                value = row.target(period_code)
            elif column.carry == "previous":
                value = _decimal_or_none(_number(earlier.previous.get((row.id, _src(column)))))
            elif column.carry == "cumulative":
                value = _cumulative(row.id, _src(column), figures, earlier.same_year)
            else:
                continue
            text = None if value is None else decimal_text(value)
            result.setdefault(row.id, {})[column.id] = text
    return result


def _src(column: Column) -> str:
    assert column.source is not None
    return column.source


def _without_derived(grid: Grid, cells: GridCells) -> dict[str, dict[str, str]]:
    carried = {c.id for c in grid.columns if c.carry is not None}
    return {
        row: {col: text for col, text in row_cells.items() if col not in carried}
        for row, row_cells in cells.items()
    }


def _cumulative(
    row_id: str, source: str, own: Figures, same_year: Sequence[Figures]
) -> Decimal | None:
    present = [
        number
        for figures in (own, *same_year)
        if isinstance(number := figures.get((row_id, source)), Decimal)
    ]
    return sum(present, Decimal(0)) if present else None


# --- checks --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CellIssue:
    severity: str
    code: str
    field: str
    params: Mapping[str, Any]


def check_grid(grid: Grid, cells: GridCells) -> list[CellIssue]:
    figures = grid_figures(grid, cells)
    issues: list[CellIssue] = []
    for row in grid.rows:
        for column in grid.columns:
            label = f"{grid.title}: {row.label} — {column.label}"
            field = cell_field(grid.id, row.id, column.id)
            value = figures.get((row.id, column.id))
            if value is None:
                if column.required and grid.is_entered(row, column):
                    issues.append(CellIssue(ERROR, "value.required", field, {"label": label}))
                continue
            issues += _range(column, value, field, label)
            issues += _part_of_whole(grid, row, column, value, figures, field, label)
    return issues


def check_list(
    task_list: TaskList,
    rows: Sequence[Mapping[str, str]],
    attachments: Collection[str] = (),
) -> list[CellIssue]:
    """Row counts, required cells, ranges, and attachment cells naming one of ``attachments``
    (the report's, by SHA-256)."""
    issues: list[CellIssue] = []
    params = {"title": task_list.title, "count": len(rows)}
    if len(rows) < task_list.min_rows:
        issues.append(
            CellIssue(
                ERROR, "list.too_few_rows", task_list.id, {**params, "limit": task_list.min_rows}
            )
        )
    if len(rows) > task_list.max_rows:
        issues.append(
            CellIssue(
                ERROR, "list.too_many_rows", task_list.id, {**params, "limit": task_list.max_rows}
            )
        )
    for n, row in enumerate(list_figures(task_list, rows), start=1):
        for column in task_list.columns:
            field = f"{task_list.id}/{n}/{column.id}"
            label = f"{task_list.title}, dòng {n}: {column.label}"
            value = row.get(column.id)
            if value is None:
                if column.required:
                    issues.append(CellIssue(ERROR, "value.required", field, {"label": label}))
                continue
            if column.type == ATTACHMENT and value not in attachments:
                issues.append(CellIssue(ERROR, "list.attachment_missing", field, {"label": label}))
            issues += _range(column, value, field, label)
    return issues


def _range(column: Column, value: Figure, field: str, label: str) -> list[CellIssue]:
    if not isinstance(value, Decimal):
        return []
    minimum = column.minimum
    if minimum is None and column.type == "integer":
        minimum = Decimal(0)
    params = {"label": label, "value": value}
    if minimum is not None and value < minimum:
        return [CellIssue(ERROR, "value.below_min", field, {**params, "limit": minimum})]
    if column.maximum is not None and value > column.maximum:
        return [CellIssue(ERROR, "value.above_max", field, {**params, "limit": column.maximum})]
    return []


def _part_of_whole(
    grid: Grid,
    row: Row,
    column: Column,
    value: Figure,
    figures: Figures,
    field: str,
    label: str,
) -> list[CellIssue]:
    """A "trong đó" row is part of its parent: in a summed column it cannot exceed it."""
    if row.parent is None or grid.rule(row, column) != "sum" or not isinstance(value, Decimal):
        return []
    whole = figures.get((row.parent, column.id))
    if isinstance(whole, Decimal) and value > whole:
        parent = grid.row(row.parent)
        params = {"label": label, "value": value, "whole": parent.label, "limit": whole}
        return [CellIssue(ERROR, "grid.part_exceeds_whole", field, params)]
    return []
