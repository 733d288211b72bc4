"""The outline on the left: the template's sections numbered as in the printed report
(I., 1., a)), their tables beneath them, and a mark for each: ✓ done, ! something to fix."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from desktop_app.core.catalogue import message
from desktop_app.core.documents.model import section_label as section_number
from desktop_app.core.model.text import accent_free_key
from desktop_app.core.reports.templates import Section
from desktop_app.ui.editor.document import ReportDocument

SECTION, TABLE = "section", "table"
KIND_ROLE = Qt.ItemDataRole.UserRole + 1
KEY_ROLE = Qt.ItemDataRole.UserRole + 2
SECTION_ROLE = Qt.ItemDataRole.UserRole + 3
DONE_MARK, ERROR_MARK = "✓", "!"
DONE_COLOUR, ERROR_COLOUR = QColor("#1b7a35"), QColor("#b3261e")


class OutlineTree(QTreeWidget):
    """``picked(section_id, table_id)`` when the clerk selects a node ("" for no table)."""

    picked = Signal(str, str)

    def __init__(self, lang: str = "vi", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lang = lang
        self.document: ReportDocument | None = None
        self.setColumnCount(2)
        self.setHeaderHidden(True)
        self.setRootIsDecorated(True)
        self.setUniformRowHeights(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(1, 26)
        self.currentItemChanged.connect(self._current_changed)

    def show_document(self, document: ReportDocument) -> None:
        self.document = document
        self.clear()
        self._add_sections(self.invisibleRootItem(), document.template.sections, 1)
        self.expandAll()
        self.refresh_marks()
        document.refreshed.connect(self.refresh_marks)

    def _add_sections(
        self, parent: QTreeWidgetItem, sections: tuple[Section, ...], depth: int
    ) -> None:
        assert self.document is not None
        for position, section in enumerate(sections, start=1):
            title = f"{section_number(depth, position)} {section.title}"
            item = self._item(parent, title, SECTION, section.id, section.id)
            if depth == 1:
                font = QFont(item.font(0))
                font.setBold(True)
                item.setFont(0, font)
            for table_id in self.document.section_tables(section.id):
                table = self.document.template.table(table_id)
                self._item(item, table.title, TABLE, table_id, section.id)
            self._add_sections(item, section.sections, depth + 1)

    def _item(
        self, parent: QTreeWidgetItem, title: str, kind: str, key: str, section_id: str
    ) -> QTreeWidgetItem:
        item = QTreeWidgetItem(parent, [title, ""])
        item.setToolTip(0, title)
        item.setData(0, KIND_ROLE, kind)
        item.setData(0, KEY_ROLE, key)
        item.setData(0, SECTION_ROLE, section_id)
        item.setTextAlignment(1, Qt.AlignmentFlag.AlignCenter)
        return item

    def items(self) -> list[QTreeWidgetItem]:
        """Every node in outline order (parents before their children)."""
        found: list[QTreeWidgetItem] = []

        def walk(node: QTreeWidgetItem) -> None:
            for child in _children(node):
                found.append(child)
                walk(child)

        walk(self.invisibleRootItem())
        return found

    def refresh_marks(self) -> None:
        for item in self.items():
            errors, complete = self._state(item)
            mark, colour, tip = "", QColor(), "editor.outline.incomplete"
            if errors:
                mark, colour, tip = ERROR_MARK, ERROR_COLOUR, "editor.outline.errors"
            elif complete:
                mark, colour, tip = DONE_MARK, DONE_COLOUR, "editor.outline.complete"
            if item.text(1) != mark or not item.toolTip(1):
                item.setText(1, mark)
                item.setForeground(1, QBrush(colour))
                item.setToolTip(1, message(tip, self.lang))

    def _state(self, item: QTreeWidgetItem) -> tuple[bool, bool]:
        assert self.document is not None
        key = str(item.data(0, KEY_ROLE))
        if item.data(0, KIND_ROLE) == TABLE:
            return self.document.table_has_errors(key), self.document.table_is_complete(key)
        section = self.document.sections[key]
        return self.document.has_errors(section), self.document.is_complete(section)

    def mark_of(self, kind: str, key: str) -> str:
        return self.node(kind, key).text(1)

    def node(self, kind: str, key: str) -> QTreeWidgetItem:
        return next(
            i for i in self.items() if (i.data(0, KIND_ROLE), i.data(0, KEY_ROLE)) == (kind, key)
        )

    def select(self, section_id: str, table_id: str | None = None) -> None:
        item = self.node(TABLE, table_id) if table_id else self.node(SECTION, section_id)
        self.blockSignals(True)
        self.setCurrentItem(item)
        self.blockSignals(False)

    def _current_changed(self, item: QTreeWidgetItem | None, _previous: object) -> None:
        if item is None:
            return
        table_id = str(item.data(0, KEY_ROLE)) if item.data(0, KIND_ROLE) == TABLE else ""
        self.picked.emit(str(item.data(0, SECTION_ROLE)), table_id)

    def apply_filter(self, text: str) -> None:
        """Show only the sections and tables whose title holds ``text`` (accents ignored)."""
        wanted = accent_free_key(text)
        for item in reversed(self.items()):  # children before parents
            own = not wanted or wanted in accent_free_key(item.text(0))
            child_shown = any(not child.isHidden() for child in _children(item))
            item.setHidden(not (own or child_shown))


def _children(node: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    children = (node.child(i) for i in range(node.childCount()))
    return [child for child in children if child is not None]
