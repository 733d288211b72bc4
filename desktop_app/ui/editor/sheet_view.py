"""What the grid and list views share: a table sized to show every row (the page scrolls, not
the table), spreadsheet keys (Enter opens a cell, and while editing keeps the value and goes
down one row; Tab moves along the row) and Ctrl+V handed to the model as a pasted block."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from desktop_app.ui.editor.indicator_delegate import ROW_PADDING, TABLE_STYLE

Index = QModelIndex | QPersistentModelIndex


class Pasting(Protocol):
    def paste(self, index: Index, text: str) -> bool: ...


class PaddedDelegate(QStyledItemDelegate):
    """Room above and below wrapped text, so stacked Vietnamese diacritics are never clipped."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return super().sizeHint(option, index) + QSize(0, ROW_PADDING)


class SheetView(QTableView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabKeyNavigation(True)
        self.setStyleSheet(TABLE_STYLE)
        self.setWordWrap(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.verticalHeader().hide()
        self.setItemDelegate(PaddedDelegate(self))
        # Stretched columns settle after the resize event, so rows are measured a moment later.
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self.fit_height)

    def fit_height(self) -> None:
        self.resizeRowsToContents()
        rows = sum(self.rowHeight(r) for r in range(self.model().rowCount()))
        frame = 2 * self.frameWidth()
        scroll = self.horizontalScrollBar()
        below = scroll.sizeHint().height() if scroll.maximum() > 0 else 0
        self.setFixedHeight(self.horizontalHeader().height() + rows + frame + below)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_timer.start()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        model = self.model()
        if event.matches(QKeySequence.StandardKey.Paste) and hasattr(model, "paste"):
            pasting: Pasting = model
            pasting.paste(self.currentIndex(), QGuiApplication.clipboard().text())
            return
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        editing = self.state() == QAbstractItemView.State.EditingState
        opening = enter and not editing and self.currentIndex().isValid()
        trigger = QAbstractItemView.EditTrigger.EditKeyPressed
        if opening and self.edit(self.currentIndex(), trigger, event):
            return
        super().keyPressEvent(event)

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        super().closeEditor(editor, hint)
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:  # Enter
            below = self.currentIndex().siblingAtRow(self.currentIndex().row() + 1)
            if below.isValid():
                self.setCurrentIndex(below)
