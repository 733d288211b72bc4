"""Grids and lists of the counted units combined (format-2 templates).

A grid is consolidated cell by cell, each by its rule (the row's override, else the column's):
``sum``, ``mean``, ``min``, ``max``, ``ratio`` (sum of the row's numerator cells over sum of
its denominator cells, from the units that gave both), ``weighted_mean`` (Σ value × weight /
Σ weight), ``count_yes``, ``count_by_choice`` (how many units chose each value) and ``none``.
Each unit's cells are its full figures: entered and derived cells as received, formula cells
recomputed, exactly as the unit's own report showed them.

A list is consolidated as counts: rows per unit, rows per value of its status column (all units
and per unit), and the overdue tasks with their units — a task whose status is the overdue
value, or whose deadline fell before the cut-off while its status is not a done one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlite_utils import Database

from desktop_app.core.model.periods import Period
from desktop_app.core.reports import attachment_store
from desktop_app.core.reports.table_records import load_cells, load_lists
from desktop_app.core.reports.table_values import Figure, Figures, grid_figures, list_figures
from desktop_app.core.reports.tables import Column, Grid, Row, TaskList
from desktop_app.core.reports.templates import Template
from desktop_app.core.reports.values import decimal_text, figure_json
from desktop_app.core.upper.completeness import Received, latest_received

CellValue = Decimal | int | dict[str, int] | date | None
_PREFILLED = frozenset({"sum", "mean", "min", "max", "weighted_mean"})
MEAN_DECIMALS = 2  # a prefilled mean of a field that names no decimals


@dataclass(frozen=True)
class CellTotal:
    row_id: str
    column_id: str
    rule: str
    value: CellValue
    units_counted: int


@dataclass(frozen=True)
class GridTotals:
    grid: Grid
    cells: Mapping[tuple[str, str], CellTotal]
    by_unit: Mapping[str, Figures]

    def value(self, row_id: str, column_id: str) -> CellValue:
        return self.cells[row_id, column_id].value

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.grid.id,
            "title": self.grid.title,
            "cells": {
                row.id: {
                    column.id: _json(column, self.cells[row.id, column.id])
                    for column in self.grid.columns
                }
                for row in self.grid.rows
            },
        }


@dataclass(frozen=True)
class OverdueTask:
    unit_code: str
    unit_name: str
    row: Mapping[str, Figure]


@dataclass(frozen=True)
class ListTotals:
    task_list: TaskList
    rows_by_unit: Mapping[str, int]
    by_status: Mapping[str, int]  # every choice of the status column, zeros included
    by_unit_status: Mapping[str, Mapping[str, int]]
    overdue: tuple[OverdueTask, ...]

    def to_json(self) -> dict[str, Any]:
        columns = {c.id: c for c in self.task_list.columns}
        return {
            "id": self.task_list.id,
            "title": self.task_list.title,
            "rows_by_unit": dict(self.rows_by_unit),
            "by_status": dict(self.by_status),
            "by_unit_status": {u: dict(s) for u, s in self.by_unit_status.items()},
            "overdue": [
                {
                    "unit_code": task.unit_code,
                    "unit_name": task.unit_name,
                    "row": {k: figure_json(columns[k], v) for k, v in task.row.items()},
                }
                for task in self.overdue
            ],
        }


def consolidate_grids(
    db: Database, template: Template, counted: Mapping[str, tuple[str, int]]
) -> tuple[GridTotals, ...]:
    if not template.grids:
        return ()
    cells = {unit: load_cells(db, *report) for unit, report in sorted(counted.items())}
    return tuple(
        grid_totals(
            grid, {unit: grid_figures(grid, c.get(grid.id, {})) for unit, c in cells.items()}
        )
        for grid in template.grids
    )


def grid_totals(grid: Grid, by_unit: Mapping[str, Figures]) -> GridTotals:
    """Every cell of ``grid`` combined over ``by_unit`` (unit code → that unit's figures)."""
    units = list(by_unit.values())
    cells = {
        (row.id, column.id): _cell_total(grid, row, column, units)
        for row in grid.rows
        for column in grid.columns
    }
    return GridTotals(grid, cells, by_unit)


def grid_prefill(
    grids: Sequence[GridTotals], *, derived: bool = False
) -> dict[str, dict[str, dict[str, str]]]:
    """The consolidated report's entered cells (``derived``: its target, previous and
    cumulative cells): each summed, mean, weighted mean, min or max total as the column holds
    it, whole numbers and means rounded half up (see :func:`prefill_number`). Formula cells
    recompute from them."""
    prefill: dict[str, dict[str, dict[str, str]]] = {}
    for totals in grids:
        grid = totals.grid
        for (row_id, column_id), total in totals.cells.items():
            row, column = grid.row(row_id), grid.column(column_id)
            wanted = column.carry is not None if derived else grid.is_entered(row, column)
            if not wanted or total.rule not in _PREFILLED:
                continue
            value = total.value
            if isinstance(value, Decimal):
                text = decimal_text(prefill_number(value, column.type, column.decimals, total.rule))
            elif isinstance(value, date):
                text = value.isoformat()
            else:
                continue
            prefill.setdefault(grid.id, {}).setdefault(row_id, {})[column_id] = text
    return prefill


def prefill_number(value: Decimal, kind: str, decimals: int | None, rule: str) -> Decimal:
    """A total as a field of ``kind`` holds it: a whole number rounded half up, a mean (plain
    or weighted) to the field's decimals (else two), anything else exact."""
    if kind == "integer":
        return value.quantize(Decimal(1), ROUND_HALF_UP)
    if rule in ("mean", "weighted_mean"):
        places = decimals if decimals is not None else MEAN_DECIMALS
        return value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    return value


def _cell_total(grid: Grid, row: Row, column: Column, units: Sequence[Figures]) -> CellTotal:
    rule = grid.rule(row, column)
    present = [f[row.id, column.id] for f in units if f.get((row.id, column.id)) is not None]
    value: CellValue
    counted = len(present)
    if rule == "ratio":
        assert column.ratio is not None
        pairs = _pairs(row.id, column.ratio.numerator, column.ratio.denominator, units)
        bottom = sum((b for _, b in pairs), Decimal(0))
        top = sum((t for t, _ in pairs), Decimal(0))
        value = top / bottom * column.ratio.scale if pairs and bottom else None
        counted = len(pairs)
    elif rule == "weighted_mean":
        assert column.weight is not None
        pairs = _pairs(row.id, column.id, column.weight, units)
        weight = sum((w for _, w in pairs), Decimal(0))
        value = sum((v * w for v, w in pairs), Decimal(0)) / weight if pairs and weight else None
        counted = len(pairs)
    else:
        value = _combine(rule, present, column)
    return CellTotal(row.id, column.id, rule, value, counted)


def _combine(rule: str, present: Sequence[Figure], column: Column) -> CellValue:
    if rule == "count_yes":
        return sum(v is True for v in present)
    if rule == "count_by_choice":
        counts = Counter(v for v in present if isinstance(v, str))
        return {choice.value: counts[choice.value] for choice in column.choices}
    numbers = [v for v in present if isinstance(v, Decimal)]
    if rule in ("min", "max"):
        comparable = [v for v in present if isinstance(v, Decimal | date)]
        return (min if rule == "min" else max)(comparable) if comparable else None
    if rule == "none" or not numbers:
        return None
    total = sum(numbers, Decimal(0))
    return total if rule == "sum" else total / len(numbers)


def _pairs(
    row_id: str, first: str, second: str, units: Sequence[Figures]
) -> list[tuple[Decimal, Decimal]]:
    pairs = []
    for figures in units:
        a, b = figures.get((row_id, first)), figures.get((row_id, second))
        if isinstance(a, Decimal) and isinstance(b, Decimal):
            pairs.append((a, b))
    return pairs


@dataclass(frozen=True)
class CumulativeMismatch:
    """A unit's cumulative cell that is not its previous cumulative plus this period's figure."""

    unit_code: str
    grid_id: str
    row_id: str
    column_id: str
    expected: Decimal
    found: Decimal | None


def check_cumulatives(
    db: Database,
    template: Template,
    period: Period,
    grids: Sequence[GridTotals],
) -> tuple[CumulativeMismatch, ...]:
    """Each unit's cumulative cells against its report of the previous period of the year, as
    received here: what a unit changed after sending the earlier quarter shows up. A unit whose
    earlier report did not arrive is not judged; in the year's first period the cumulative
    is the period's own figure."""
    before = _earlier_in_year(template, period)
    first = before is None
    earlier = latest_received(db, template.id, before.code) if before else {}
    found: list[CumulativeMismatch] = []
    for totals in grids:
        grid = totals.grid
        cumulative = [c for c in grid.columns if c.carry == "cumulative"]
        for unit, figures in totals.by_unit.items():
            if not first and (unit not in earlier or earlier[unit].state != "accepted"):
                continue
            previous = {} if first else _unit_figures(db, grid, earlier[unit])
            for column, row in ((c, r) for c in cumulative for r in grid.rows):
                found += _mismatch(unit, grid, row, column, figures, previous, first)
    return tuple(found)


def _earlier_in_year(template: Template, period: Period) -> Period | None:
    before = template.previous_owed(period)
    if before is None or before.start is None or period.start is None:
        return None
    return before if before.start.year == period.start.year else None


def _unit_figures(db: Database, grid: Grid, received: Received) -> Figures:
    cells = load_cells(db, received.report_id, received.revision).get(grid.id, {})
    return grid_figures(grid, cells)


def _mismatch(
    unit: str,
    grid: Grid,
    row: Row,
    column: Column,
    figures: Figures,
    previous: Figures,
    first: bool,
) -> list[CumulativeMismatch]:
    assert column.source is not None
    own = figures.get((row.id, column.source))
    before = None if first else previous.get((row.id, column.id))
    parts = [v for v in (own, before) if isinstance(v, Decimal)]
    if not parts:
        return []
    expected = sum(parts, Decimal(0))
    value = figures.get((row.id, column.id))
    found = value if isinstance(value, Decimal) else None
    if found == expected:
        return []
    return [CumulativeMismatch(unit, grid.id, row.id, column.id, expected, found)]


def consolidate_lists(
    db: Database,
    template: Template,
    counted: Mapping[str, tuple[str, int]],
    unit_names: Mapping[str, str],
    cutoff: date | None,
) -> tuple[ListTotals, ...]:
    if not template.lists:
        return ()
    rows = {unit: load_lists(db, *report) for unit, report in sorted(counted.items())}
    names = {unit: attachment_store.names(db, *report) for unit, report in counted.items()}
    return tuple(
        list_totals(
            task_list,
            {
                unit: _named_attachments(
                    task_list, list_figures(task_list, r.get(task_list.id, [])), names[unit]
                )
                for unit, r in rows.items()
            },
            unit_names,
            cutoff,
        )
        for task_list in template.lists
    )


def _named_attachments(
    task_list: TaskList, rows: Sequence[Mapping[str, Figure]], names: Mapping[str, str]
) -> list[Mapping[str, Figure]]:
    """Rows whose attachment cells read as the document's name, not its hash: the upper
    office lists and prints overdue tasks, where a hash says nothing."""
    cited = [c.id for c in task_list.columns if c.type == "attachment"]
    if not cited:
        return list(rows)
    return [
        {**row, **{c: names.get(str(row[c]), row[c]) for c in cited if row.get(c) is not None}}
        for row in rows
    ]


def list_totals(
    task_list: TaskList,
    by_unit: Mapping[str, Sequence[Mapping[str, Figure]]],
    unit_names: Mapping[str, str],
    cutoff: date | None,
) -> ListTotals:
    status = task_list.status
    choices = [c.value for c in task_list.column(status.column).choices] if status else []
    by_unit_status: dict[str, dict[str, int]] = {}
    overdue: list[OverdueTask] = []
    for unit, rows in sorted(by_unit.items()):
        if status is None:
            continue
        counts = Counter(row.get(status.column) for row in rows)
        by_unit_status[unit] = {value: counts[value] for value in choices}
        name = unit_names.get(unit, unit)
        overdue += [
            OverdueTask(unit, name, row) for row in rows if _is_overdue(task_list, row, cutoff)
        ]
    return ListTotals(
        task_list=task_list,
        rows_by_unit={unit: len(rows) for unit, rows in sorted(by_unit.items())},
        by_status={v: sum(s[v] for s in by_unit_status.values()) for v in choices},
        by_unit_status=by_unit_status,
        overdue=tuple(overdue),
    )


def _is_overdue(task_list: TaskList, row: Mapping[str, Figure], cutoff: date | None) -> bool:
    status = task_list.status
    assert status is not None
    state = row.get(status.column)
    if status.overdue is not None and state == status.overdue:
        return True
    deadline = row.get(status.deadline) if status.deadline else None
    past = isinstance(deadline, date) and cutoff is not None and deadline < cutoff
    return past and state not in status.done


def _json(column: Column, total: CellTotal) -> object:
    if isinstance(total.value, dict):
        return dict(total.value)
    if isinstance(total.value, int) and not isinstance(total.value, bool):
        return total.value
    return figure_json(column, total.value)
