"""Excel workbooks for the upper office: the completeness list and the consolidated figures.

Offices pass figures on in Excel as often as on paper, so a workbook must open ready to use:
Vietnamese headers, readable column widths, the header row frozen, numbers as numbers (never
text), dates as real dates shown dd/mm/yyyy, and landscape A4 when printed.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from desktop_app.core.catalogue import message
from desktop_app.core.reports.tables import Column
from desktop_app.core.reports.templates import Indicator
from desktop_app.core.reports.values import figure_json
from desktop_app.core.upper.aggregation import counts_text
from desktop_app.core.upper.completeness import STATES, Completeness
from desktop_app.core.upper.consolidation import Consolidation
from desktop_app.core.upper.table_consolidation import CellTotal, GridTotals, ListTotals

DATE_FORMAT = "dd/mm/yyyy"
TIME_FORMAT = "dd/mm/yyyy hh:mm"
INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0##"
COMPLETENESS_SHEET = "Tình hình báo cáo"
COUNTS_SHEET = "Tổng số"
TOTALS_SHEET = "Tổng hợp"
BREAKDOWN_SHEET = "Chi tiết theo đơn vị"
UNITS_SHEET = "Đơn vị"

_THIN = Side(style="thin", color="808080")
_HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
_HEADER_FONT = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")
_HEADER_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")


def completeness_workbook(status: Completeness, template_titles: Mapping[str, str]) -> bytes:
    """One row per expected report, and a sheet of counts and rates."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = COMPLETENESS_SHEET
    _header(
        sheet,
        [_say(f"upper.xlsx.{key}") for key in _COMPLETENESS_COLUMNS],
        [6, 14, 36, 36, 10, 16, 12, 18, 18, 8],
    )
    for number, unit in enumerate(status.units, start=1):
        _row(
            sheet,
            [
                number,
                unit.code,
                unit.name,
                template_titles.get(unit.template_id, unit.template_id),
                unit.period,
                _say(f"upper.state.{unit.state}"),
                unit.deadline,
                _local_time(unit.approved_at),
                _local_time(unit.imported_at),
                unit.revision,
            ],
        )
    counts = book.create_sheet(COUNTS_SHEET)
    _header(
        counts,
        [_say("upper.xlsx.state"), _say("upper.xlsx.count"), _say("upper.xlsx.percent")],
        [30, 12, 12],
    )
    expected = status.counts["expected"]
    for state in (*STATES, "reported", "expected"):
        number = status.counts[state]
        share = round(100 * number / expected, 1) if expected else None
        _row(counts, [_say(f"upper.state.{state}"), number, share])
    return _bytes(book)


_COMPLETENESS_COLUMNS = (
    "number",
    "unit_code",
    "unit_name",
    "template",
    "period",
    "state",
    "deadline",
    "approved_at",
    "imported_at",
    "revision",
)


def consolidation_workbook(result: Consolidation) -> bytes:
    """Totals with label, unit and rule; the breakdown units × indicators; the units sheet."""
    book = Workbook()
    totals = book.active
    assert totals is not None
    totals.title = TOTALS_SHEET
    indicators = result.template.indicator_map
    _header(
        totals, [_say(f"upper.xlsx.{key}") for key in _TOTALS_COLUMNS], [6, 28, 50, 14, 22, 16, 12]
    )
    for number, total in enumerate(result.totals, start=1):
        indicator = indicators[total.id]
        _row(
            totals,
            [
                number,
                indicator.id,
                indicator.label,
                indicator.unit,
                _say(f"upper.rule.{total.aggregation}"),
                cell_value(indicator, total.value),
                total.units_counted,
            ],
        )
    _breakdown(book.create_sheet(BREAKDOWN_SHEET), result)
    _units(book.create_sheet(UNITS_SHEET), result)
    _table_sheets(book, result)
    return _bytes(book)


_TOTALS_COLUMNS = (
    "number",
    "indicator_id",
    "indicator",
    "measure",
    "rule",
    "value",
    "units_counted",
)


def _breakdown(sheet: Worksheet, result: Consolidation) -> None:
    """Row 1 the indicators' labels, row 2 their ids; one row per included unit."""
    indicators = [result.template.indicator_map[t.id] for t in result.totals]
    _header(
        sheet,
        [_say("upper.xlsx.unit_code"), _say("upper.xlsx.unit_name")]
        + [i.label for i in indicators],
        [14, 32] + [18] * len(indicators),
    )
    sheet.append(["", ""] + [i.id for i in indicators])
    for cell in sheet[2]:
        cell.font = Font(italic=True, color="606060")
        cell.border = Border(top=_THIN, bottom=_THIN, left=_THIN, right=_THIN)
    sheet.row_dimensions[1].height = 75
    sheet.freeze_panes = "C3"
    sheet.print_title_rows = "1:2"
    for code in result.units_included:
        values = [
            cell_value(i, t.by_unit.get(code))
            for i, t in zip(indicators, result.totals, strict=True)
        ]
        _row(sheet, [code, result.unit_names.get(code, code), *values])


def _units(sheet: Worksheet, result: Consolidation) -> None:
    _header(
        sheet,
        [_say("upper.xlsx.unit_code"), _say("upper.xlsx.unit_name"), _say("upper.xlsx.state")],
        [14, 40, 24],
    )
    groups: Iterable[tuple[str, Sequence[str]]] = (
        ("included", result.units_included),
        ("returned", result.units_returned),
        ("missing", [c for c in result.units_missing if c not in result.units_returned]),
    )
    for key, codes in groups:
        for code in codes:
            _row(sheet, [code, result.unit_names.get(code, code), _say(f"upper.units.{key}")])


def cell_value(indicator: Indicator | Column, value: object) -> Any:
    """A figure as a spreadsheet cell: numbers stay numbers, yes/no reads Có/Không, a choice
    shows its label, a date is a date, counts per choice read "Xanh: 2; Vàng: 1; Đỏ: 0"."""
    if isinstance(value, Mapping):
        return counts_text(indicator.choices, value)
    if isinstance(value, bool):
        return _say("upper.yes" if value else "upper.no")
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        labels = {choice.value: choice.label for choice in indicator.choices}
        return labels.get(value, value)
    if isinstance(value, Decimal | int):
        figure = figure_json(indicator, value)
        # A cell holds a binary double; an exact decimal becomes the nearest one.
        return float(figure) if isinstance(figure, Decimal) else figure
    return None


# --- grids and lists (format 2) ------------------------------------------------------------


def _table_sheets(book: Workbook, result: Consolidation) -> None:
    """One sheet per grid as printed (STT | Chỉ tiêu | Đơn vị tính | its columns), one per list
    with each unit's rows counted by status, and one of the list's overdue tasks."""
    for grid in result.grids:
        _grid_sheet(book.create_sheet(_sheet_name(grid.grid.id)), grid)
    for tasks in result.lists:
        _list_sheet(book.create_sheet(_sheet_name(tasks.task_list.id)), tasks, result)
        _overdue_sheet(book.create_sheet(_sheet_name(f"{tasks.task_list.id}_qua_han")), tasks)


def _sheet_name(name: str) -> str:
    return name[:31]  # Excel's limit; ids hold none of the characters it forbids


def _grid_sheet(sheet: Worksheet, totals: GridTotals) -> None:
    grid = totals.grid
    titles = [_say("upper.xlsx.number"), _say("upper.xlsx.indicator"), _say("upper.xlsx.measure")]
    _header(sheet, titles + [c.label for c in grid.columns], [8, 50, 14] + [16] * len(grid.columns))
    for row in grid.rows:
        label = "    " * (row.depth - 1) + row.label
        cells = [_cell_total(column, totals.cells[row.id, column.id]) for column in grid.columns]
        _row(sheet, [row.code, label, row.unit, *cells])


def _cell_total(column: Column, total: CellTotal) -> Any:
    """A consolidated cell; counts by choice as one line "Xanh: 2; Vàng: 1"."""
    if column.type == "yesno" or total.rule == "count_yes":
        return total.value
    return cell_value(column, total.value)


def _list_sheet(sheet: Worksheet, totals: ListTotals, result: Consolidation) -> None:
    task_list = totals.task_list
    states = (
        [c for c in task_list.column(task_list.status.column).choices] if task_list.status else []
    )
    titles = [_say("upper.xlsx.unit_code"), _say("upper.xlsx.unit_name"), _say("upper.xlsx.rows")]
    _header(sheet, titles + [c.label for c in states], [14, 36, 12] + [16] * len(states))
    for code, count in totals.rows_by_unit.items():
        by_state = totals.by_unit_status.get(code, {})
        counts = [by_state.get(c.value, 0) for c in states]
        _row(sheet, [code, result.unit_names.get(code, code), count, *counts])
    every = [totals.by_status.get(c.value, 0) for c in states]
    _row(sheet, ["", _say("upper.xlsx.total"), sum(totals.rows_by_unit.values()), *every])
    for cell in sheet[sheet.max_row]:
        cell.font = _HEADER_FONT


def _overdue_sheet(sheet: Worksheet, totals: ListTotals) -> None:
    columns = totals.task_list.columns
    titles = [_say("upper.xlsx.unit_code"), _say("upper.xlsx.unit_name")]
    _header(sheet, titles + [c.label for c in columns], [14, 32] + [22] * len(columns))
    for task in totals.overdue:
        values = [cell_value(c, task.row.get(c.id)) for c in columns]
        _row(sheet, [task.unit_code, task.unit_name, *values])


# --- sheet helpers ---------------------------------------------------------------------------


def _header(sheet: Worksheet, titles: Sequence[str], widths: Sequence[float]) -> None:
    sheet.append(list(titles))
    for cell in sheet[1]:
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = _HEADER_ALIGN
        cell.border = Border(top=_THIN, bottom=_THIN, left=_THIN, right=_THIN)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _row(sheet: Worksheet, values: Sequence[Any]) -> None:
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        cell.border = Border(top=_THIN, bottom=_THIN, left=_THIN, right=_THIN)
        cell.alignment = _WRAP
        value = cell.value
        if isinstance(value, datetime):
            cell.number_format = TIME_FORMAT
        elif isinstance(value, date):
            cell.number_format = DATE_FORMAT
        elif isinstance(value, float):
            cell.number_format = DECIMAL_FORMAT
        elif isinstance(value, int) and not isinstance(value, bool):
            cell.number_format = INTEGER_FORMAT


def _local_time(stamp: str | None) -> datetime | None:
    """Excel has no time zones: the wall time where the moment was recorded."""
    return datetime.fromisoformat(stamp).replace(tzinfo=None) if stamp else None


def _say(code: str) -> str:
    return message(code, "vi")


def _bytes(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
