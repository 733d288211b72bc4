"""One indicator table as a Qt table model over the in-memory report.

Columns: STT | Chỉ tiêu | Đơn vị | Giá trị | Ghi chú. Values are shown and typed the Vietnamese
way; what the clerk types goes through the core's ``canonical`` before anything changes, so a
refused input leaves the cell as it was and says why. Accepted edits become undo commands.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QUndoStack

from desktop_app.core.catalogue import message
from desktop_app.core.reports.tables import counts_text
from desktop_app.core.reports.templates import Indicator, Table
from desktop_app.core.reports.validation import ERROR, Issue
from desktop_app.core.reports.values import ValueRefused, canonical
from desktop_app.core.upper.consolidation import choice_counts_of
from desktop_app.ui.editor.document import COMMENT, VALUE, ReportDocument
from desktop_app.ui.editor.texts import (
    computed_text,
    describe,
    describe_refusal,
    stored_text,
)
from desktop_app.ui.editor.undo import FieldEdit

NUMBER_COLUMN, LABEL_COLUMN, UNIT_COLUMN, VALUE_COLUMN, COMMENT_COLUMN = range(5)
_HEADERS = ("number", "label", "unit", "value", "comment")
INDICATOR_ROLE = Qt.ItemDataRole.UserRole + 1
WRAPPING_TYPES = frozenset({"text", "choice"})

COMPUTED_BACKGROUND = QColor("#ececec")
COMPUTED_FOREGROUND = QColor("#3c3c3c")
ERROR_BACKGROUND = QColor("#f9d6d5")
WARNING_BACKGROUND = QColor("#fdf0c8")

Index = QModelIndex | QPersistentModelIndex


class IndicatorTableModel(QAbstractTableModel):
    """``refused(sentence)`` fires when typed input cannot be a value of the indicator;
    ``row_edited(row)`` when a row's own text changed (its height may have to change)."""

    refused = Signal(str)
    row_edited = Signal(int)

    def __init__(
        self,
        document: ReportDocument,
        table: Table,
        undo_stack: QUndoStack,
        lang: str = "vi",
    ) -> None:
        super().__init__()
        self.document = document
        self.table = table
        self.undo_stack = undo_stack
        self.lang = lang
        self.refusals: dict[str, str] = {}
        self._rows = {indicator.id: row for row, indicator in enumerate(table.indicators)}
        document.refreshed.connect(self._refresh)
        document.edited.connect(self._field_edited)

    def indicator(self, row: int) -> Indicator:
        return self.table.indicators[row]

    def row_of(self, indicator_id: str) -> int:
        return self._rows[indicator_id]

    # --- shape ------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.table.indicators)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return message(f"editor.column.{_HEADERS[section]}", self.lang)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._editable(index):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def _editable(self, index: Index) -> bool:
        if self.document.read_only or index.column() not in (VALUE_COLUMN, COMMENT_COLUMN):
            return False
        return not self.indicator(index.row()).is_computed

    # --- reading ----------------------------------------------------------------------------

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        indicator = self.indicator(index.row())
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole and column == VALUE_COLUMN:
            # A consolidated choice left unanswered shows how many units chose each value.
            return self._text(indicator, column, index.row()) or self._tally_text(indicator)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._text(indicator, column, index.row())
        if role == INDICATOR_ROLE:
            return indicator.id
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(indicator, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._alignment(indicator, column)
        if column in (VALUE_COLUMN, COMMENT_COLUMN):
            return self._look(indicator, column, role)
        return None

    def _text(self, indicator: Indicator, column: int, row: int) -> str:
        if column == NUMBER_COLUMN:
            return str(row + 1)
        if column == LABEL_COLUMN:
            return indicator.label + (" *" if indicator.required else "")
        if column == UNIT_COLUMN:
            return indicator.unit
        if column == COMMENT_COLUMN:
            return self.document.comments.get(indicator.id, "")
        if indicator.is_computed:
            return computed_text(indicator, self.document.computed.get(indicator.id))
        return stored_text(indicator, self.document.values.get(indicator.id), self.lang)

    def _tooltip(self, indicator: Indicator, column: int) -> str | None:
        lines: list[str] = []
        if column == LABEL_COLUMN:
            lines = [indicator.label, indicator.help]
            if indicator.required:
                lines.append(message("editor.cell.required", self.lang))
        elif column == VALUE_COLUMN:
            lines = [self.refusals.get(indicator.id, "")]
            template = self.document.template
            lines += [describe(i, template, self.lang) for i in self._issues(indicator)]
            if indicator.is_computed:
                lines.append(message("editor.cell.computed", self.lang))
            lines.append(self._provenance(indicator))
        elif column == COMMENT_COLUMN and indicator.required:
            lines = [message("editor.cell.comment_hint", self.lang)]
        text = "\n".join(line for line in lines if line)
        return text or None

    def _tally_text(self, indicator: Indicator) -> str:
        tally = self._tally(indicator)
        return counts_text(indicator.choices, tally[0]) if tally else ""

    def _tally(self, indicator: Indicator) -> tuple[dict[str, int], int] | None:
        if indicator.aggregation != "count_by_choice" or not self.document.sources:
            return None
        found = choice_counts_of(self.document.template, self.document.sources.values())
        return found.get(indicator.id)

    def _provenance(self, indicator: Indicator) -> str:
        """For a consolidated report: where the prefilled total came from, and whether the
        clerk has changed it since; for a choice, how many units chose each value."""
        tally = self._tally(indicator)
        if tally is not None:
            counts = counts_text(indicator.choices, tally[0])
            return message("editor.cell.tallied", self.lang, counts=counts, units=tally[1])
        source = self.document.sources.get(indicator.id)
        if source is None:
            return ""
        original = stored_text(indicator, source.original_value, self.lang)
        code = (
            "editor.cell.consolidated"
            if self.document.values.get(indicator.id) == source.original_value
            else "editor.cell.consolidated_edited"
        )
        return message(code, self.lang, units=source.units_count, original=original)

    def _alignment(self, indicator: Indicator, column: int) -> Qt.AlignmentFlag:
        vertical = Qt.AlignmentFlag.AlignVCenter
        if column in (NUMBER_COLUMN, UNIT_COLUMN):
            return Qt.AlignmentFlag.AlignCenter
        if column == VALUE_COLUMN and indicator.is_numeric:
            return Qt.AlignmentFlag.AlignRight | vertical
        return Qt.AlignmentFlag.AlignLeft | vertical

    def _look(self, indicator: Indicator, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._background(indicator, column)
        # The units' counts in an unanswered choice read as information, like a computed cell.
        shaded = indicator.is_computed or (
            column == VALUE_COLUMN
            and not self.document.values.get(indicator.id)
            and self._tally(indicator) is not None
        )
        if shaded and role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(COMPUTED_FOREGROUND)
        if shaded and column == VALUE_COLUMN and role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setItalic(True)
            return font
        return None

    def _background(self, indicator: Indicator, column: int) -> QBrush | None:
        if indicator.is_computed:
            return QBrush(COMPUTED_BACKGROUND)
        if column != VALUE_COLUMN:
            return None
        issues = self._issues(indicator)
        if indicator.id in self.refusals or any(i.severity == ERROR for i in issues):
            return QBrush(ERROR_BACKGROUND)
        if issues:
            return QBrush(WARNING_BACKGROUND)
        return None

    def _issues(self, indicator: Indicator) -> list[Issue]:
        return self.document.issues_for_indicator(indicator.id)

    # --- writing ----------------------------------------------------------------------------

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not self._editable(index):
            return False
        indicator = self.indicator(index.row())
        if index.column() == COMMENT_COLUMN:
            return self._set_comment(indicator, value)
        return self._set_value(indicator, value)

    def _set_value(self, indicator: Indicator, raw: Any) -> bool:
        try:
            stored = canonical(indicator, raw)
        except ValueRefused as refused:
            self._refuse(indicator, describe_refusal(refused, self.document.template, self.lang))
            return False
        self.refusals.pop(indicator.id, None)
        old = self.document.values.get(indicator.id)
        if stored != old:
            text = message("editor.undo.value", self.lang, label=indicator.label)
            self.undo_stack.push(FieldEdit(self.document, VALUE, indicator.id, old, stored, text))
        else:
            self._refresh()
        return True

    def _set_comment(self, indicator: Indicator, raw: Any) -> bool:
        new = unicodedata.normalize("NFC", str(raw or "")).strip()
        old = self.document.comments.get(indicator.id, "")
        if new != old:
            text = message("editor.undo.comment", self.lang, label=indicator.label)
            self.undo_stack.push(FieldEdit(self.document, COMMENT, indicator.id, old, new, text))
        return True

    def _refuse(self, indicator: Indicator, sentence: str) -> None:
        self.refusals[indicator.id] = sentence
        self._refresh()
        self.refused.emit(sentence)

    def _field_edited(self, kind: str, key: str, _value: object) -> None:
        """Only text can wrap onto a second line; a figure never changes the row's height."""
        if key not in self._rows:
            return
        wraps = self.document.template.indicator(key).type in WRAPPING_TYPES
        if kind == COMMENT or (kind == VALUE and wraps):
            self.row_edited.emit(self._rows[key])

    def _refresh(self) -> None:
        if self.table.indicators:
            first = self.index(0, VALUE_COLUMN)
            last = self.index(len(self.table.indicators) - 1, COMMENT_COLUMN)
            self.dataChanged.emit(first, last)
