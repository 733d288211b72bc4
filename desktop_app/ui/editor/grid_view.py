"""A grid of template format 2 (rows × typed columns) as a Qt table over core's ``LiveGrid``.

The first columns are the row's code and label ("trong đó" rows indented under their parent);
then one column per grid column. Entered cells are typed the Vietnamese way and go through
core's ``canonical_cells``; computed cells (totals down the rows, rates along them) and derived
ones (target, previous period, cumulative) are read-only and repainted as soon as an edit
changes them. A block pasted from Excel or LibreOffice lands through core's ``paste_into_grid``.
The model never writes to the store: it emits ``cells_changed`` for the editor's autosave path.
Given the editor's undo stack, each typed cell and each pasted block is one undo step.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QUndoStack
from PySide6.QtWidgets import QHeaderView, QStyleOptionViewItem, QWidget

from desktop_app.core.catalogue import message
from desktop_app.core.errors import CoreError
from desktop_app.core.reports.table_editing import parse_block, paste_into_grid
from desktop_app.core.reports.table_values import Figure, LiveGrid, canonical_cells, cell_field
from desktop_app.core.reports.tables import Column, Grid, Row, counts_text
from desktop_app.core.reports.templates import Template
from desktop_app.core.reports.values import decimal_text, display
from desktop_app.ui.editor.indicator_delegate import ChoiceDelegate
from desktop_app.ui.editor.sheet_view import PaddedDelegate, SheetView
from desktop_app.ui.editor.texts import choice_texts, describe_refusal
from desktop_app.ui.editor.undo import Cells, CellsEdit

Index = QModelIndex | QPersistentModelIndex
CODE_COLUMN, LABEL_COLUMN = 0, 1
FIRST_CELL = 2
INDENT = "    "
COMPUTED_BACKGROUND = QColor("#ececec")
COMPUTED_FOREGROUND = QColor("#3c3c3c")
REFUSED_BACKGROUND = QColor("#f9d6d5")
CELL_WIDTH = 118
Tally = tuple[dict[str, int], int]  # value → units that chose it, units that answered


class GridModel(QAbstractTableModel):
    """``cells_changed(grid_id, {row: {column: text or None}})`` after every accepted edit or
    paste; ``refused(sentence)`` when what was typed or pasted is not a value of its column.
    ``tallies`` are a consolidated report's counts per choice by cell field, as core's
    ``choice_counts_of`` gives them (any other grid's are ignored)."""

    cells_changed = Signal(str, object)
    refused = Signal(str)

    def __init__(
        self,
        template: Template,
        grid: Grid,
        cells: Mapping[str, Mapping[str, str]],
        read_only: bool = False,
        lang: str = "vi",
        undo_stack: QUndoStack | None = None,
        tallies: Mapping[str, Tally] | None = None,
    ) -> None:
        super().__init__()
        self.template = template
        self.grid = grid
        self.read_only = read_only
        self.lang = lang
        self.undo_stack = undo_stack
        self.live = LiveGrid(grid, cells)
        self.refusals: set[tuple[str, str]] = set()
        self._row_index = {row.id: n for n, row in enumerate(grid.rows)}
        self._column_index = {c.id: n + FIRST_CELL for n, c in enumerate(grid.columns)}
        self._cumulative = [c for c in grid.columns if c.carry == "cumulative"]
        self._tallies: dict[tuple[str, str], Tally] = {
            (row.id, column.id): tally
            for row in grid.rows
            for column in grid.columns
            if (tally := (tallies or {}).get(cell_field(grid.id, row.id, column.id)))
        }

    def row(self, index: Index) -> Row:
        return self.grid.rows[index.row()]

    def column(self, index: Index) -> Column | None:
        n = index.column() - FIRST_CELL
        return self.grid.columns[n] if n >= 0 else None

    def cell_index(self, row_id: str, column_id: str) -> QModelIndex:
        return self.index(self._row_index[row_id], self._column_index[column_id])

    # --- shape ------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.grid.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else FIRST_CELL + len(self.grid.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if section == CODE_COLUMN:
            return message("editor.column.number", self.lang)
        if section == LABEL_COLUMN:
            return message("editor.column.label", self.lang)
        column = self.grid.columns[section - FIRST_CELL]
        return f"{column.label} ({column.unit})" if column.unit else column.label

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsEditable if self.is_entered(index) else base

    def is_entered(self, index: Index) -> bool:
        column = self.column(index)
        if self.read_only or column is None or not index.isValid():
            return False
        return self.grid.is_entered(self.row(index), column)

    # --- reading ----------------------------------------------------------------------------

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self.row(index), self.column(index)
        displayed = role == Qt.ItemDataRole.DisplayRole
        if displayed and column is not None and self._counts_shown(row, column):
            return self._counts_text(row, column)  # in place of the empty answer
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._text(row, column, index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._alignment(column, index.column())
        if role == Qt.ItemDataRole.FontRole:
            return self._font(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if column is not None and role == Qt.ItemDataRole.BackgroundRole:
            return self._background(row, column)
        if column is not None and role == Qt.ItemDataRole.ForegroundRole:
            plain = self.grid.is_entered(row, column) and not self._counts_shown(row, column)
            return None if plain else QBrush(COMPUTED_FOREGROUND)
        return None

    def tally(self, row: Row, column: Column | None) -> Tally | None:
        return None if column is None else self._tallies.get((row.id, column.id))

    def _counts_shown(self, row: Row, column: Column) -> bool:
        """The units' counts stand in a counted choice cell the office has not answered."""
        if (row.id, column.id) not in self._tallies:
            return False
        return self.live.cells.get(row.id, {}).get(column.id) is None

    def _counts_text(self, row: Row, column: Column) -> str:
        return counts_text(column.choices, self._tallies[(row.id, column.id)][0])

    def _text(self, row: Row, column: Column | None, position: int) -> str:
        if position == CODE_COLUMN:
            return row.code
        if column is None:
            label = INDENT * (row.depth - 1) + row.label
            return f"{label} ({row.unit})" if row.unit else label
        return display(column, self.live.figures.get((row.id, column.id)))

    def _alignment(self, column: Column | None, position: int) -> Qt.AlignmentFlag:
        vertical = Qt.AlignmentFlag.AlignVCenter
        if position == CODE_COLUMN:
            return Qt.AlignmentFlag.AlignCenter
        if column is not None and column.is_numeric:
            return Qt.AlignmentFlag.AlignRight | vertical
        return Qt.AlignmentFlag.AlignLeft | vertical

    def _font(self, row: Row, column: Column | None) -> QFont | None:
        """Total rows in bold, their "trong đó" parts in italics, computed figures in italics."""
        font = QFont()
        if column is None:
            font.setBold(row.formula is not None or bool(self.grid.parts_of(row.id)))
            font.setItalic(row.depth > 1)
            return font
        if not self.grid.is_entered(row, column) or self._counts_shown(row, column):
            font.setItalic(True)  # worked out or counted: information, not the office's answer
            return font
        return None

    def _background(self, row: Row, column: Column) -> QBrush | None:
        if (row.id, column.id) in self.refusals:
            return QBrush(REFUSED_BACKGROUND)
        return None if self.grid.is_entered(row, column) else QBrush(COMPUTED_BACKGROUND)

    def _tooltip(self, row: Row, column: Column | None) -> str | None:
        if column is None:
            return row.label
        lines = [column.help]
        if not self.grid.is_entered(row, column):
            lines.append(message("editor.grid.computed", self.lang))
        tally = self.tally(row, column)
        if tally is not None:
            counts = counts_text(column.choices, tally[0])
            lines.append(message("editor.cell.tallied", self.lang, counts=counts, units=tally[1]))
        text = "\n".join(line for line in lines if line)
        return text or None

    # --- writing ----------------------------------------------------------------------------

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        column = self.column(index)
        if role != Qt.ItemDataRole.EditRole or column is None or not self.is_entered(index):
            return False
        row = self.row(index)
        raw = unicodedata.normalize("NFC", str(value if value is not None else ""))
        try:
            changes = canonical_cells(self.template, {self.grid.id: {row.id: {column.id: raw}}})
        except CoreError as error:
            self._refuse({(row.id, column.id)}, error)
            return False
        return self._edit(changes[self.grid.id], "editor.undo.grid")

    def paste(self, index: Index, text: str) -> bool:
        """Place a block copied from a spreadsheet from ``index`` rightwards and downwards."""
        column = self.column(index)
        if self.read_only or column is None or not index.isValid():
            return False
        block = parse_block(unicodedata.normalize("NFC", text))
        try:
            changes = paste_into_grid(
                self.template, self.grid, self.row(index).id, column.id, block
            )
        except CoreError as error:
            self._refuse(set(), error)
            return False
        return self._edit(changes, "editor.undo.paste")

    def _edit(self, changes: Cells, label: str) -> bool:
        """The clerk's change, as one undo step when something really changes."""
        before: Cells = {
            row_id: {
                column_id: self.live.cells.get(row_id, {}).get(column_id) for column_id in cells
            }
            for row_id, cells in changes.items()
        }
        if self.undo_stack is None or before == changes:
            return self.apply(changes)
        text = message(label, self.lang, title=self.grid.title)
        self.undo_stack.push(CellsEdit(self, before, changes, text))  # applies it
        return True

    def apply(self, changes: Cells) -> bool:
        """Canonical cell texts into the live grid; repaint exactly the cells whose figure moved."""
        changed: dict[str, dict[str, str | None]] = {}
        repaint: set[tuple[str, str]] = set()
        for row_id, cells in changes.items():
            for column_id, text in cells.items():
                self.refusals.discard((row_id, column_id))
                repaint.add((row_id, column_id))
                if self.live.cells.get(row_id, {}).get(column_id) != text:
                    changed.setdefault(row_id, {})[column_id] = text
                    before = dict(self.live.figures) if self._cumulative else {}
                    moved = self.live.set(row_id, column_id, text)
                    repaint |= moved
                    if self._cumulative:
                        repaint |= self._carry_cumulative(moved, before)
        for row_id, column_id in repaint:
            cell = self.cell_index(row_id, column_id)
            self.dataChanged.emit(cell, cell)
        if changed:
            self.cells_changed.emit(self.grid.id, changed)
        return True

    def _carry_cumulative(
        self, moved: set[tuple[str, str]], before: Mapping[tuple[str, str], Figure]
    ) -> set[tuple[str, str]]:
        """Cumulative cells follow this period's figure at once. They were stored as this
        period's figure plus the earlier periods' (worked out when the report was saved), so
        the earlier part is what remains without the old figure. The store works them out
        again from the reports themselves at the next save; nothing derived is sent."""
        repaint: set[tuple[str, str]] = set()
        for column in self._cumulative:
            for row_id, source in moved:
                if source != column.source:
                    continue
                key = (row_id, column.id)
                total = _decimal(before.get(key))
                earlier = (
                    None if total is None else total - (_decimal(before.get((row_id, source))) or 0)
                )
                own = _decimal(self.live.figures.get((row_id, source)))
                if own is None and not earlier:
                    earlier = None  # nothing before and nothing now: blank, as the store says
                parts = [n for n in (earlier, own) if n is not None]
                text = decimal_text(sum(parts, Decimal(0))) if parts else None
                repaint |= {key} | self.live.set(row_id, column.id, text)
        return repaint

    def _refuse(self, cells: set[tuple[str, str]], error: CoreError) -> None:
        self.refusals |= cells
        for row_id, column_id in cells:
            cell = self.cell_index(row_id, column_id)
            self.dataChanged.emit(cell, cell)
        self.refused.emit(describe_refusal(self._named(error), self.template, self.lang))

    def _named(self, error: CoreError) -> CoreError:
        """The refusal naming the cell as the clerk sees it, not by its ids."""
        parts = str(error.params.get("field", "")).split("/")
        if len(parts) != 3 or parts[1] not in self._row_index:
            return error
        row, column = self.grid.row(parts[1]), self.grid.column(parts[2])
        label = f"{self.grid.title}: {row.label} — {column.label}"
        return CoreError(error.code, **{**error.params, "field": label})


def _decimal(figure: Figure) -> Decimal | None:
    return figure if isinstance(figure, Decimal) else None


class GridDelegate(ChoiceDelegate, PaddedDelegate):
    """A combo of the column's labels for choice and yes/no cells; a line edit for the rest."""

    def __init__(self, model: GridModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid_model = model

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        column = self.grid_model.column(index)
        if column is None or column.type not in ("choice", "yesno"):
            return super().createEditor(parent, option, index)
        return self.choice_editor(parent, choice_texts(column, self.grid_model.lang))


class GridView(SheetView):
    """The grid, every row shown, the row labels stretched, the figures in even columns."""

    def __init__(self, model: GridModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setItemDelegate(GridDelegate(model, self))
        self.grid_model = model
        self._size_columns()

    def _size_columns(self) -> None:
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
        for column in range(self.grid_model.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.setColumnWidth(column, CELL_WIDTH)
        self.setColumnWidth(CODE_COLUMN, 48)
        header.setSectionResizeMode(LABEL_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(48)
        header.setFixedHeight(3 * self.fontMetrics().height() + 8)
        header.sectionResized.connect(lambda *_: self._fit_timer.start())

    def select_cell(self, row_id: str, column_id: str) -> None:
        self.setCurrentIndex(self.grid_model.cell_index(row_id, column_id))
        self.setFocus(Qt.FocusReason.OtherFocusReason)
