"""Cell editors for indicator tables and the table view that holds them.

Yes/no and choice cells get a combo box with the labels the clerk knows; other cells a line
edit. The view edits on Enter or F2, moves with the arrows, and leaves Tab to move between the
parts of the editor (outline → text → table → check panel) instead of trapping it in the grid.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
)
from PySide6.QtGui import QBrush, QKeyEvent, QPainter, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from desktop_app.ui.editor.indicator_model import (
    COMMENT_COLUMN,
    LABEL_COLUMN,
    NUMBER_COLUMN,
    UNIT_COLUMN,
    VALUE_COLUMN,
    IndicatorTableModel,
)
from desktop_app.ui.editor.texts import choice_texts

Index = QModelIndex | QPersistentModelIndex
COMBO_TYPES = frozenset({"yesno", "choice"})
TABLE_STYLE = (
    "QTableView { gridline-color: #c8c8c8; }"
    " QHeaderView::section { background: #e9eef4; color: #16324f; padding: 4px;"
    " border: none; border-right: 1px solid #c8c8c8; border-bottom: 1px solid #c8c8c8;"
    " font-weight: 600; }"
)
ROW_PADDING = 10
TEXT_INSET = 5
COLUMN_WIDTHS = {NUMBER_COLUMN: 48, UNIT_COLUMN: 96, VALUE_COLUMN: 150, COMMENT_COLUMN: 190}


class ChoiceDelegate(QStyledItemDelegate):
    """Yes/no and choice cells edited in a combo box, committed as soon as one is picked."""

    def choice_editor(self, parent: QWidget, texts: list[str]) -> QComboBox:
        combo = QComboBox(parent)
        combo.addItems(texts)
        combo.activated.connect(lambda _row: self._commit(combo))
        return combo

    def _commit(self, combo: QComboBox) -> None:
        self.commitData.emit(combo)
        self.closeEditor.emit(combo, QStyledItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, QComboBox):
            editor.setCurrentText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)
            return
        super().setModelData(editor, model, index)


class IndicatorDelegate(ChoiceDelegate):
    def __init__(self, model: IndicatorTableModel) -> None:
        super().__init__()
        self.table_model = model

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        """Room around wrapped Vietnamese text so stacked diacritics are never clipped."""
        return super().sizeHint(_inset(option), index) + QSize(2 * TEXT_INSET, ROW_PADDING)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        """The cell's background on the whole cell, its text a little away from the grid."""
        background = QStyleOptionViewItem(option)
        self.initStyleOption(background, index)
        background.text = ""
        style = option.widget.style() if option.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, background, painter, option.widget)
        text = QStyleOptionViewItem(option)
        self.initStyleOption(text, index)
        text.rect = _inset(option).rect
        text.backgroundBrush = QBrush()
        text.state &= ~QStyle.StateFlag.State_HasFocus
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, text, painter, option.widget)

    def _combo_indicator(self, index: Index) -> bool:
        if index.column() != VALUE_COLUMN:
            return False
        return self.table_model.indicator(index.row()).type in COMBO_TYPES

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        if not self._combo_indicator(index):
            editor = super().createEditor(parent, option, index)
            if isinstance(editor, QLineEdit) and index.column() == VALUE_COLUMN:
                indicator = self.table_model.indicator(index.row())
                editor.setPlaceholderText("dd/mm/yyyy" if indicator.type == "date" else "")
            return editor
        indicator = self.table_model.indicator(index.row())
        return self.choice_editor(parent, choice_texts(indicator, self.table_model.lang))


def _inset(option: QStyleOptionViewItem) -> QStyleOptionViewItem:
    inset = QStyleOptionViewItem(option)
    inset.rect = option.rect.adjusted(TEXT_INSET, 0, -TEXT_INSET, 0)
    return inset


class IndicatorTableView(QTableView):
    """A table sized to show every row, so the page scrolls rather than the table.

    Measuring wrapped rows is the costly part of a repaint, so a row is measured again only
    when its own text changed, and the whole table only when its width changed."""

    def __init__(self, model: IndicatorTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.delegate = IndicatorDelegate(model)
        self.setItemDelegate(self.delegate)
        self.setTabKeyNavigation(False)
        self.setStyleSheet(TABLE_STYLE)
        self.setWordWrap(True)
        self.setAlternatingRowColors(False)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.verticalHeader().hide()
        # Stretched columns settle after the resize event, so rows are measured a moment later.
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self.fit_height)
        self._size_columns()
        model.row_edited.connect(self._fit_row)

    def _size_columns(self) -> None:
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        for column, width in COLUMN_WIDTHS.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.setColumnWidth(column, width)
        header.setSectionResizeMode(LABEL_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.sectionResized.connect(lambda *_: self._fit_timer.start())

    def fit_height(self) -> None:
        self.resizeRowsToContents()
        self._fit_to_rows()

    def _fit_row(self, row: int) -> None:
        self.resizeRowToContents(row)
        self._fit_to_rows()

    def _fit_to_rows(self) -> None:
        rows = sum(self.rowHeight(r) for r in range(self.model().rowCount()))
        frame = 2 * self.frameWidth()
        self.setFixedHeight(self.horizontalHeader().height() + rows + frame)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_timer.start()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._is_enter(event) and self.edit(
            self.currentIndex(), QAbstractItemView.EditTrigger.EditKeyPressed, event
        ):
            return
        super().keyPressEvent(event)

    def _is_enter(self, event: QKeyEvent) -> bool:
        """Enter on a cell that is not being edited opens it, as F2 does."""
        editing = self.state() == QAbstractItemView.State.EditingState
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        return enter and not editing and self.currentIndex().isValid()

    def select_indicator(self, row: int) -> None:
        index = self.model().index(row, VALUE_COLUMN)
        self.setCurrentIndex(index)
        self.scrollTo(index)
        self.setFocus(Qt.FocusReason.OtherFocusReason)
