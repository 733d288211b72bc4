"""What an editor of grids and lists needs from core, without Qt: a block pasted from Excel or
LibreOffice placed onto cells, and a list's rows added, removed and moved.

Spreadsheets put a copied block on the clipboard as tab-separated lines; a cell holding a tab,
a line break or a quote is written between double quotes, with quotes doubled. The block is
placed from the cell the clerk pasted into, rightwards and downwards, and every piece goes
through the same parsing as a typed value (``1.234,5`` and ``Có`` alike); cells that are
computed are skipped, so a block copied from a whole printed table lands on the entered cells
only. Nothing is stored here: the result is a ``ContentChanges`` part for ``ws.reports.save``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence

from desktop_app.core.reports.table_values import canonical_cells, canonical_rows
from desktop_app.core.reports.tables import Grid, TaskList
from desktop_app.core.reports.templates import Template

Block = list[list[str]]


def parse_block(text: str) -> Block:
    """The clipboard's text as rows of cells; a final line break adds no empty row."""
    if not text:
        return []
    reader = csv.reader(io.StringIO(text.removesuffix("\n").replace("\r\n", "\n")), delimiter="\t")
    return [list(row) for row in reader]


def paste_into_grid(
    template: Template, grid: Grid, row_id: str, column_id: str, block: Block
) -> dict[str, dict[str, str | None]]:
    """The cell changes (row → column → text) of pasting ``block`` from (row, column).

    Pieces that fall on computed cells or outside the grid are left out; an empty piece clears
    its cell. Raises ``CoreError`` naming the cell when a piece is not a value of its column.
    """
    rows = list(grid.rows)
    columns = list(grid.columns)
    top = next(n for n, r in enumerate(rows) if r.id == row_id)
    left = next(n for n, c in enumerate(columns) if c.id == column_id)
    raw: dict[str, dict[str, str]] = {}
    for down, pieces in enumerate(block):
        if top + down >= len(rows):
            break
        row = rows[top + down]
        for across, piece in enumerate(pieces):
            if left + across >= len(columns):
                break
            column = columns[left + across]
            if grid.is_entered(row, column):
                raw.setdefault(row.id, {})[column.id] = piece
    if not raw:
        return {}
    return canonical_cells(template, {grid.id: raw})[grid.id]


def paste_into_list(
    template: Template,
    task_list: TaskList,
    rows: Sequence[Mapping[str, str]],
    at: int,
    column_id: str,
    block: Block,
) -> list[dict[str, str]]:
    """The list after pasting ``block`` from row ``at`` (0-based) and the given column: pasted
    pieces replace the cells they fall on, rows are added below as needed (up to the list's
    maximum), and the result is checked as a whole list would be."""
    columns = [c.id for c in task_list.columns]
    left = columns.index(column_id)
    result: list[dict[str, object]] = [dict(row) for row in rows]
    for down, pieces in enumerate(block):
        index = at + down
        if index >= task_list.max_rows:
            break
        while len(result) <= index:
            result.append({})
        for across, piece in enumerate(pieces[: len(columns) - left]):
            result[index][columns[left + across]] = piece
    return canonical_rows(template, {task_list.id: result})[task_list.id]


def add_row(rows: Sequence[Mapping[str, str]], at: int | None = None) -> list[dict[str, str]]:
    """A blank row at ``at`` (at the end when None); blank rows are dropped when saved."""
    result = [dict(row) for row in rows]
    result.insert(len(result) if at is None else at, {})
    return result


def remove_row(rows: Sequence[Mapping[str, str]], at: int) -> list[dict[str, str]]:
    return [dict(row) for n, row in enumerate(rows) if n != at]


def move_row(rows: Sequence[Mapping[str, str]], at: int, to: int) -> list[dict[str, str]]:
    """The row at ``at`` moved to position ``to`` (both 0-based, within the list)."""
    result = [dict(row) for row in rows]
    row = result.pop(at)
    result.insert(max(0, min(to, len(result))), row)
    return result
