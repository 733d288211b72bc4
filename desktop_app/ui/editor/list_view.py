"""A list of template format 2 (the tasks of NQ 57: one row per task, typed columns) as a Qt
table with buttons to add, remove and move rows.

Rows are held here as stored canonical texts and sent whole (``rows_changed``) after every
change, as core replaces a list whole; blank rows stay on screen and are dropped by the store.
Choice cells open a combo of the template's labels, dates read and type as dd/mm/yyyy, and a
block pasted from a spreadsheet goes through core's ``paste_into_list``, adding rows as needed.
Given the editor's undo stack, every change of the rows (a cell, a paste, a row added, removed
or moved) is one undo step.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QBrush, QColor, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.catalogue import message
from desktop_app.core.errors import CoreError
from desktop_app.core.reports.attachment_store import Attachment
from desktop_app.core.reports.table_editing import (
    add_row,
    move_row,
    parse_block,
    paste_into_list,
    remove_row,
)
from desktop_app.core.reports.table_values import canonical_rows
from desktop_app.core.reports.tables import ATTACHMENT, Column, TaskList
from desktop_app.core.reports.templates import Template
from desktop_app.core.reports.values import display, typed
from desktop_app.ui.editor.attachments import ReportAttachments
from desktop_app.ui.editor.indicator_delegate import ChoiceDelegate
from desktop_app.ui.editor.sheet_view import PaddedDelegate, SheetView
from desktop_app.ui.editor.texts import choice_texts, describe_refusal
from desktop_app.ui.editor.undo import Rows, RowsEdit

Index = QModelIndex | QPersistentModelIndex
NUMBER_COLUMN = 0
FIRST_CELL = 1
REFUSED_BACKGROUND = QColor("#f9d6d5")
SCOPE = Qt.ShortcutContext.WidgetWithChildrenShortcut
WIDTHS = {"text": 140, "date": 96, "choice": 170, ATTACHMENT: 170}
FIRST_WIDTH = 250  # the task itself, the column read first
ADD_FILE = "+"  # the evidence combo's "Thêm tệp…" item (never a hash)


class ListModel(QAbstractTableModel):
    """``rows_changed(list_id, rows)`` after every accepted change; ``refused(sentence)``."""

    rows_changed = Signal(str, object)
    refused = Signal(str)

    def __init__(
        self,
        template: Template,
        task_list: TaskList,
        rows: list[dict[str, str]],
        read_only: bool = False,
        lang: str = "vi",
        attachments: ReportAttachments | None = None,
        undo_stack: QUndoStack | None = None,
    ) -> None:
        super().__init__()
        self.template = template
        self.task_list = task_list
        self.read_only = read_only
        self.lang = lang
        self.attachments = attachments  # what an evidence (attachment) cell may name
        if attachments is not None:
            attachments.changed.connect(self._attachments_changed)
        self.undo_stack = undo_stack
        self.rows = [dict(row) for row in rows]
        while len(self.rows) < task_list.min_rows:
            self.rows.append({})  # the slots the template asks for, to fill in
        self.refusal: tuple[int, str] | None = None

    def column(self, index: Index) -> Column | None:
        n = index.column() - FIRST_CELL
        return self.task_list.columns[n] if n >= 0 else None

    # --- shape ------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else FIRST_CELL + len(self.task_list.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if section == NUMBER_COLUMN:
                return message("editor.column.number", self.lang)
            column = self.task_list.columns[section - FIRST_CELL]
            return column.label + (" *" if column.required else "")
        if role == Qt.ItemDataRole.ToolTipRole and section >= FIRST_CELL:
            return self.task_list.columns[section - FIRST_CELL].help or None
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.read_only or self.column(index) is None:
            return base
        return base | Qt.ItemFlag.ItemIsEditable

    # --- reading ----------------------------------------------------------------------------

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = self.column(index)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column is None:
                return str(index.row() + 1)
            text = self.rows[index.row()].get(column.id)
            if column.type == ATTACHMENT:
                return self._attachment_name(text) if role == Qt.ItemDataRole.DisplayRole else text
            return display(column, typed(column, text))
        if role == Qt.ItemDataRole.TextAlignmentRole and column is None:
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.BackgroundRole and column is not None:
            refused = self.refusal == (index.row(), column.id)
            return QBrush(REFUSED_BACKGROUND) if refused else None
        return None

    def _attachment_name(self, sha256: str | None) -> str:
        """The attached document's name; a hash the report no longer carries shows its start
        (the check panel says what is wrong with it)."""
        if not sha256:
            return ""
        names = self.attachments.names() if self.attachments is not None else {}
        return names.get(sha256, f"⚠ {sha256[:12]}…")

    def _attachments_changed(self) -> None:
        columns = [
            n for n, c in enumerate(self.task_list.columns, FIRST_CELL) if c.type == ATTACHMENT
        ]
        if columns and self.rows:
            self.dataChanged.emit(
                self.index(0, min(columns)), self.index(len(self.rows) - 1, max(columns))
            )

    # --- writing ----------------------------------------------------------------------------

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        column = self.column(index)
        if role != Qt.ItemDataRole.EditRole or column is None or self.read_only:
            return False
        raw = unicodedata.normalize("NFC", str(value if value is not None else ""))
        try:
            checked = canonical_rows(self.template, {self.task_list.id: [{column.id: raw}]})
        except CoreError as error:  # checked as a list of one row: say which row it is
            field = f"{self.task_list.id}/{index.row() + 1}/{column.id}"
            self._refuse(
                index.row(), column.id, CoreError(error.code, **{**error.params, "field": field})
            )
            return False
        found = checked[self.task_list.id]
        text = found[0].get(column.id) if found else None
        self._clear_refusal()
        row = dict(self.rows[index.row()])
        if text is None:
            row.pop(column.id, None)
        else:
            row[column.id] = text
        rows = [*self.rows[: index.row()], row, *self.rows[index.row() + 1 :]]
        self._edit(rows, "editor.undo.list")
        return True

    def paste(self, index: Index, text: str) -> bool:
        column = self.column(index) or self.task_list.columns[0]
        if self.read_only:
            return False
        at = index.row() if index.isValid() else len(self.rows)
        block = parse_block(unicodedata.normalize("NFC", text))
        try:
            rows = paste_into_list(self.template, self.task_list, self.rows, at, column.id, block)
        except CoreError as error:
            self._refuse(at, column.id, error)
            return False
        self._clear_refusal()
        self._edit(rows, "editor.undo.paste")
        return True

    def can_add(self) -> bool:
        return not self.read_only and len(self.rows) < self.task_list.max_rows

    def can_remove(self) -> bool:
        return not self.read_only and len(self.rows) > self.task_list.min_rows

    def add(self, at: int | None = None) -> int:
        """A blank row after ``at`` (at the end when None); returns where it went."""
        if not self.can_add():
            return -1
        where = len(self.rows) if at is None else at + 1
        self._edit(add_row(self.rows, where), "editor.undo.row_added")
        return where

    def remove(self, at: int) -> None:
        if self.can_remove() and 0 <= at < len(self.rows):
            self._edit(remove_row(self.rows, at), "editor.undo.row_removed")

    def move(self, at: int, to: int) -> bool:
        if self.read_only or not (0 <= at < len(self.rows) and 0 <= to < len(self.rows)):
            return False
        self._edit(move_row(self.rows, at, to), "editor.undo.row_moved")
        return True

    def _edit(self, rows: Rows, label: str) -> None:
        """The clerk's change of the rows, as one undo step when something really changes."""
        if rows == self.rows:
            return
        if self.undo_stack is None:
            self.show_rows(rows)
            return
        text = message(label, self.lang, title=self.task_list.title)
        self.undo_stack.push(RowsEdit(self, self.rows, rows, text))  # shows them

    def show_rows(self, rows: Rows) -> None:
        """Show these rows and send them to be stored. As many rows as before: the changed ones
        are repainted, so the view keeps its current cell (Enter still goes down a row);
        otherwise the table is rebuilt."""
        if len(rows) == len(self.rows):
            changed = [
                n for n, (old, new) in enumerate(zip(self.rows, rows, strict=True)) if old != new
            ]
            self.rows = rows
            for n in changed:
                self._repaint_row(n)
        else:
            self.beginResetModel()
            self.rows = rows
            self.endResetModel()
        self._changed()

    def _changed(self) -> None:
        self.rows_changed.emit(self.task_list.id, [dict(row) for row in self.rows])

    def _refuse(self, row: int, column_id: str, error: CoreError) -> None:
        self.refusal = (row, column_id)
        self._repaint_row(row)
        self.refused.emit(describe_refusal(self._named(error), self.template, self.lang))

    def _named(self, error: CoreError) -> CoreError:
        """The refusal naming the cell as the clerk sees it: the list, the row, the column."""
        parts = str(error.params.get("field", "")).split("/")
        columns = {c.id: c for c in self.task_list.columns}
        if len(parts) != 3 or parts[2] not in columns or not parts[1].isdigit():
            return error
        label = message(
            "editor.list.cell",
            self.lang,
            title=self.task_list.title,
            row=parts[1],
            column=columns[parts[2]].label,
        )
        return CoreError(error.code, **{**error.params, "field": label})

    def _clear_refusal(self) -> None:
        if self.refusal is not None:
            row, self.refusal = self.refusal[0], None
            self._repaint_row(row)

    def _repaint_row(self, row: int) -> None:
        if 0 <= row < len(self.rows):
            self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))


class ListDelegate(ChoiceDelegate, PaddedDelegate):
    """A combo of the template's labels for choice cells; dd/mm/yyyy shown in empty dates."""

    def __init__(self, model: ListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list_model = model

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        column = self.list_model.column(index)
        attachments = self.list_model.attachments
        if column is not None and column.type == ATTACHMENT and attachments is not None:
            return self._attachment_editor(parent, attachments, index)
        if column is None or column.type not in ("choice", "yesno"):
            editor = super().createEditor(parent, option, index)
            if isinstance(editor, QLineEdit) and column is not None and column.type == "date":
                editor.setPlaceholderText("dd/mm/yyyy")
            return editor
        return self.choice_editor(parent, choice_texts(column, self.list_model.lang))

    def _attachment_editor(
        self, parent: QWidget, attachments: ReportAttachments, index: Index
    ) -> QComboBox:
        """The report's attachments by name, "(không có)" to empty the cell, and "Thêm tệp…"
        to attach a new file and name it here."""
        combo = AttachmentCombo(parent)
        combo.addItem(message("editor.attachments.cell_none", self.list_model.lang), "")
        for attachment in attachments.items:
            combo.addItem(attachment.name, attachment.sha256)
        combo.addItem(message("editor.attachments.cell_add", self.list_model.lang), ADD_FILE)
        target = QPersistentModelIndex(index)

        def picked(row: int) -> None:
            if combo.itemData(row) != ADD_FILE:
                self._commit(combo)
                return
            self.closeEditor.emit(combo, QStyledItemDelegate.EndEditHint.NoHint)
            QTimer.singleShot(0, lambda: self._add_file_for(attachments, target))

        combo.activated.connect(picked)
        return combo

    def _add_file_for(self, attachments: ReportAttachments, target: QPersistentModelIndex) -> None:
        owner = self.parent()
        path, _filter = QFileDialog.getOpenFileName(
            owner if isinstance(owner, QWidget) else None,
            message("editor.attachments.choose", self.list_model.lang),
            "",
            message("editor.attachments.filter", self.list_model.lang),
        )
        if not path:
            return

        def name_it(added: Attachment) -> None:
            if target.isValid():
                cell = self.list_model.index(target.row(), target.column())
                self.list_model.setData(cell, added.sha256)

        attachments.add(Path(path), name_it)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, AttachmentCombo):
            found = editor.findData(index.data(Qt.ItemDataRole.EditRole) or "")
            editor.setCurrentIndex(max(found, 0))
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, AttachmentCombo):
            chosen = editor.currentData()
            if chosen != ADD_FILE:
                model.setData(index, chosen or "", Qt.ItemDataRole.EditRole)
            return
        super().setModelData(editor, model, index)


class AttachmentCombo(QComboBox):
    """The editor of an evidence cell: each item's data is an attachment's SHA-256."""


class ListView(SheetView):
    def __init__(self, model: ListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.list_model = model
        self.delegate = ListDelegate(model, self)
        self.setItemDelegate(self.delegate)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
        header.setFixedHeight(2 * self.fontMetrics().height() + 10)
        self.setColumnWidth(NUMBER_COLUMN, 44)
        for n, column in enumerate(model.task_list.columns, start=FIRST_CELL):
            self.setColumnWidth(n, WIDTHS.get(column.type, 120))
        self.setColumnWidth(FIRST_CELL, FIRST_WIDTH)
        header.setStretchLastSection(True)
        header.sectionResized.connect(lambda *_: self._fit_timer.start())
        model.modelReset.connect(self._fit_timer.start)
        model.dataChanged.connect(lambda *_: self._fit_timer.start())


class ListEditor(QWidget):
    """The list's table with its row buttons: Thêm dòng (Ctrl+Insert), Xóa dòng (Ctrl+Delete),
    Lên (Alt+Up), Xuống (Alt+Down)."""

    def __init__(self, model: ListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.view = ListView(model)
        self.add_button = self._button("editor.list.add", "Ctrl+Insert", self.add_row)
        self.remove_button = self._button("editor.list.remove", "Ctrl+Delete", self.remove_row)
        self.up_button = self._button("editor.list.up", "Alt+Up", lambda: self.move_row(-1))
        self.down_button = self._button("editor.list.down", "Alt+Down", lambda: self.move_row(1))
        buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        layout.addLayout(buttons)
        model.modelReset.connect(self._update_buttons)
        self.view.selectionModel().currentChanged.connect(self._update_buttons)
        self._update_buttons()

    def _button(self, code: str, keys: str, slot: Any) -> QPushButton:
        text = message(code, self.model.lang)
        button = QPushButton(text)
        button.setToolTip(
            f"{text} ({QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)})"
        )
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        button.clicked.connect(slot)
        action = QAction(text, self)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(SCOPE)
        action.triggered.connect(slot)
        self.addAction(action)
        return button

    def _row(self) -> int:
        current = self.view.currentIndex()
        return current.row() if current.isValid() else -1

    def _go(self, row: int, column: int) -> None:
        self.view.setCurrentIndex(self.model.index(row, max(column, FIRST_CELL)))
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def select_row(self, row: int) -> None:
        if self.model.rows:
            self._go(max(0, min(row, len(self.model.rows) - 1)), FIRST_CELL)
        else:
            self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def add_row(self) -> None:
        column = self.view.currentIndex().column()
        where = self.model.add(self._row() if self._row() >= 0 else None)
        if where >= 0:
            self._go(where, column)

    def remove_row(self) -> None:
        row, column = self._row(), self.view.currentIndex().column()
        if row < 0:
            return
        self.model.remove(row)
        if self.model.rows:
            self._go(min(row, len(self.model.rows) - 1), column)

    def move_row(self, step: int) -> None:
        row, column = self._row(), self.view.currentIndex().column()
        if row >= 0 and self.model.move(row, row + step):
            self._go(row + step, column)

    def _update_buttons(self) -> None:
        row = self._row()
        self.add_button.setEnabled(self.model.can_add())
        self.remove_button.setEnabled(row >= 0 and self.model.can_remove())
        self.up_button.setEnabled(not self.model.read_only and row > 0)
        self.down_button.setEnabled(
            not self.model.read_only and 0 <= row < len(self.model.rows) - 1
        )
