"""Grids and lists of a format-2 report as numbered appendices of its official document.

A grid prints as it reads on screen: STT (the row's code) | Chỉ tiêu | Đơn vị tính | its
columns, "trong đó" parts indented under their whole and total rows (a row formula) set as
totals; a list prints STT | its columns, one line per row. Each is landscape when the template
marks it so; the renderer repeats the header row on every page.

A template may name a table as its form ("Biểu 02. Tự đánh giá …"). The document numbers its
appendices itself ("Phụ lục 02", the number the text's "(Chi tiết tại Phụ lục 02)" gives), so
the form's name leaves the title and prints apart, at the top right of the appendix like a
form's number: the reader finds "Biểu 02" the narrative names, and no line carries two numbers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from desktop_app.core.documents.model import Align, AppendixTable, Column, RowKind
from desktop_app.core.documents.pages import FormIndicator, FormTable
from desktop_app.core.model import media
from desktop_app.core.reports.attachment_store import Attachment
from desktop_app.core.reports.table_values import cell_field, grid_figures, list_figures
from desktop_app.core.reports.tables import ATTACHMENT, Grid, TaskList
from desktop_app.core.reports.tables import Column as TableColumn
from desktop_app.core.reports.templates import Template
from desktop_app.core.reports.validation import ReportContent
from desktop_app.core.reports.values import Typed, display

_INDENT = "\u00a0" * 4  # a "trong đó" part, per level below its whole (kept by the renderer)
# "Biểu 02." / "Biểu số 2:" / "Phụ lục." / "Phụ lục III -" at the start of a template's title.
_FORM_NAME = re.compile(
    r"^\s*(?P<kind>Biểu|Phụ lục)(?:\s+(?:số\s+)?(?P<number>[0-9]+|[IVXLC]+))?\s*[.:\-–]\s*",
    re.IGNORECASE,
)


def form_label_and_title(title: str) -> tuple[str, str]:
    """("Biểu 02", "Tự đánh giá …") from "Biểu 02. Tự đánh giá …"; ("", title) when the title
    names no form. A "Phụ lục" the template wrote is dropped: the document numbers those."""
    found = _FORM_NAME.match(title)
    rest = title[found.end() :].strip() if found else ""
    if found is None or not rest:
        return "", title.strip()
    kind, number = found["kind"], found["number"]
    if kind.casefold() != "biểu" or number is None:
        return "", rest
    return f"{kind[0].upper()}{kind[1:].lower()} {number.upper()}", rest


def appendices(
    template: Template, content: ReportContent, counted: Mapping[str, str] | None = None
) -> dict[str, AppendixTable]:
    """Grid and list id → its appendix, in the order of the outline. ``counted``: a
    consolidated report's choice cells by field (``grid/row/column``), as counts per choice."""
    found: dict[str, AppendixTable] = {}
    for _, section in template.walk_sections():
        for grid_id in section.grids:
            grid = template.grid(grid_id)
            found[grid_id] = grid_appendix(grid, content.grids.get(grid_id, {}), counted or {})
        for list_id in section.lists:
            task_list = template.task_list(list_id)
            rows = content.lists.get(list_id, [])
            found[list_id] = list_appendix(task_list, rows, content.attachments)
    return found


def grid_appendix(
    grid: Grid, cells: Mapping[str, Mapping[str, str]], counted: Mapping[str, str] | None = None
) -> AppendixTable:
    """``counted``: text for cells left empty (a consolidated choice's counts), by field."""
    figures = grid_figures(grid, cells)
    counted = counted or {}
    units = any(row.unit for row in grid.rows)  # else the columns name their units
    columns = [
        Column("STT", 0.7, Align.CENTER),
        Column("Chỉ tiêu", 4.0),
        *([Column("Đơn vị tính", 1.2, Align.CENTER)] if units else []),
        *(Column(_heading(c), 1.3, _align(c)) for c in grid.columns),
    ]
    rows = [
        (
            row.code,
            _INDENT * (row.depth - 1) + row.label,
            *([row.unit] if units else []),
            *(
                display(c, figures.get((row.id, c.id)))
                or counted.get(cell_field(grid.id, row.id, c.id), "")
                for c in grid.columns
            ),
        )
        for row in grid.rows
    ]
    kinds = [RowKind.TOTAL if row.formula else RowKind.NORMAL for row in grid.rows]
    notes = [grid.note] if grid.note else []
    label, title = form_label_and_title(grid.title)
    return AppendixTable(
        title, columns, rows, kinds, notes=notes, landscape=grid.landscape, form_label=label
    )


def list_appendix(
    task_list: TaskList,
    rows: Sequence[Mapping[str, str]],
    attachments: Mapping[str, str] | None = None,
) -> AppendixTable:
    """One line per row; an attachment cell prints the name of the document it names
    (``attachments``: SHA-256 → name), listed in full in "Tài liệu kèm theo"."""
    names = attachments or {}

    def cell(column: TableColumn, value: Typed) -> str:
        if column.type == ATTACHMENT and isinstance(value, str):
            return names.get(value, value[:12])
        return display(column, value)

    printed = [
        (str(n), *(cell(c, row.get(c.id)) for c in task_list.columns))
        for n, row in enumerate(list_figures(task_list, rows), start=1)
    ]
    columns = [
        Column("STT", 0.8, Align.CENTER),
        *(
            Column(c.label, _list_weight(c, [row[i] for row in printed]), _align(c))
            for i, c in enumerate(task_list.columns, start=1)
        ),
    ]
    notes = [task_list.note] if task_list.note else []
    label, title = form_label_and_title(task_list.title)
    return AppendixTable(
        title, columns, printed, notes=notes, landscape=task_list.landscape, form_label=label
    )


ATTACHMENTS_TITLE = "Tài liệu kèm theo"


def attachments_appendix(attachments: Sequence[Attachment]) -> AppendixTable | None:
    """The list of documents attached to the report (name, type, size); the documents
    themselves travel beside the report and are not printed."""
    if not attachments:
        return None
    columns = [
        Column("STT", 0.7, Align.CENTER),
        Column("Tên tài liệu", 5.0),
        Column("Loại", 1.3, Align.CENTER),
        Column("Dung lượng", 1.3, Align.RIGHT),
    ]
    rows = [
        (str(n), a.name, media.KIND_NAMES[a.media_type], media.size_text(a.size))
        for n, a in enumerate(attachments, start=1)
    ]
    return AppendixTable(ATTACHMENTS_TITLE, columns, rows)


_BLANK_LIST_ROWS = 8  # lines left for handwriting under a list's headings


def form_tables(template: Template) -> list[FormTable]:
    """Grids and lists of a blank form, in outline order: a grid's rows with a box per column
    (formula columns left out: they are worked out later), a list's headings over blank lines."""
    tables: list[FormTable] = []
    for _, section in template.walk_sections():
        for grid_id in section.grids:
            grid = template.grid(grid_id)
            rows = [FormIndicator(_INDENT * (r.depth - 1) + r.label, r.unit) for r in grid.rows]
            columns = [_heading(c) for c in grid.columns if c.formula is None]
            label, title = form_label_and_title(grid.title)
            tables.append(FormTable(title, rows, columns, form_label=label))
        for list_id in section.lists:
            task_list = template.task_list(list_id)
            lines = [FormIndicator("") for _ in range(_BLANK_LIST_ROWS)]
            headings = [c.label for c in task_list.columns]
            label, title = form_label_and_title(task_list.title)
            tables.append(FormTable(title, lines, headings, form_label=label))
    return tables


def _heading(column: TableColumn) -> str:
    return f"{column.label} ({column.unit})" if column.unit else column.label


def _align(column: TableColumn) -> Align:
    if column.is_numeric:
        return Align.RIGHT
    return Align.CENTER if column.type in ("date", "yesno") else Align.LEFT


def _weight(column: TableColumn) -> float:
    """Text columns (a task's content, its product) take the width; dates and states less."""
    return {"text": 3.0, "date": 1.7, "choice": 1.8}.get(column.type, 1.3)


def _list_weight(column: TableColumn, cells: Sequence[str]) -> float:
    """A list's text columns share the width by what they hold: a task's long content gets
    more than a short document number, and an evidence column left empty shrinks to its
    heading (a list of ten columns on one landscape page has no width to give away)."""
    if column.type not in ("text", ATTACHMENT) or not cells:
        return _weight(column)
    mean = sum(len(text) for text in cells) / len(cells)
    return min(5.0, max(1.3, mean / 12))
