"""The right-hand page for one section: heading, guidance, the narrative text, its tables."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.catalogue import message
from desktop_app.core.reports.templates import Section
from desktop_app.core.upper.consolidation import choice_counts_of
from desktop_app.ui.editor.document import ReportDocument
from desktop_app.ui.editor.grid_view import GridModel, GridView
from desktop_app.ui.editor.indicator_delegate import IndicatorTableView
from desktop_app.ui.editor.indicator_model import IndicatorTableModel
from desktop_app.ui.editor.list_view import ListEditor, ListModel
from desktop_app.ui.settings import TitleLabel

HEADING_SCALE = 1.45  # 16 pt on the usual 11 pt text
HEADING_COLOUR = "#16324f"
GUIDANCE_STYLE = (
    "QFrame#guidance { background: #eef4fb; border: 1px solid #c5d7ec;"
    " border-left: 4px solid #2f6db5; border-radius: 3px; }"
    " QLabel { color: #1f2d3d; background: transparent; border: none; }"
)
HISTORY_KEYS = (
    QKeySequence.StandardKey.Undo,
    QKeySequence.StandardKey.Redo,
)
CTRL_Y = QKeySequence("Ctrl+Y")


def _is_history_key(event: QKeyEvent) -> bool:
    pressed = QKeySequence(event.keyCombination())
    return any(event.matches(key) for key in HISTORY_KEYS) or pressed == CTRL_Y


class NarrativeEdit(QPlainTextEdit):
    """Plain text whose Ctrl+Z / Ctrl+Y go to the editor's undo stack, not the widget's own,
    so undo walks back through text and figures in the order the clerk changed them."""

    left = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setUndoRedoEnabled(False)
        self.setTabChangesFocus(True)

    def event(self, event: QEvent) -> bool:
        override = event.type() == QEvent.Type.ShortcutOverride
        if override and isinstance(event, QKeyEvent) and _is_history_key(event):
            event.ignore()  # let the editor's undo/redo actions take the key
            return False
        return super().event(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.left.emit()

    def text(self) -> str:
        return unicodedata.normalize("NFC", self.toPlainText())


class SectionPage(QScrollArea):
    """``typed(section_id, text)`` for every change the clerk makes to the narrative."""

    typed = Signal(str, str)
    refused = Signal(str)  # a grid or list refused what was typed or pasted

    def __init__(
        self,
        document: ReportDocument,
        section: Section,
        heading: str,
        undo_stack: QUndoStack,
        lang: str = "vi",
    ) -> None:
        super().__init__()
        self.document = document
        self.section = section
        self.lang = lang
        self.narrative: NarrativeEdit | None = None
        self.models: dict[str, IndicatorTableModel] = {}
        self.views: dict[str, IndicatorTableView] = {}
        self.grids: dict[str, GridView] = {}
        self.lists: dict[str, ListEditor] = {}
        self._showing = False
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        self.layout_ = QVBoxLayout(body)
        self.layout_.setContentsMargins(16, 12, 16, 16)
        self.layout_.setSpacing(10)
        self._add_heading(heading)
        self._add_guidance()
        self._add_narrative()
        self._add_excerpts()
        self._add_tables(undo_stack)
        self._add_grids(undo_stack)
        self._add_lists(undo_stack)
        self.layout_.addStretch(1)
        self.setWidget(body)

    def _label(self, text: str, style: str = "") -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        if style:
            label.setStyleSheet(style)
        self.layout_.addWidget(label)
        return label

    def _add_heading(self, heading: str) -> None:
        label = TitleLabel(HEADING_SCALE)
        label.setText(heading)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setStyleSheet(f"color: {HEADING_COLOUR};")
        self.layout_.addWidget(label)

    def _add_guidance(self) -> None:
        if not self.section.guidance:
            return
        box = QFrame()
        box.setObjectName("guidance")
        box.setStyleSheet(GUIDANCE_STYLE)
        inner = QVBoxLayout(box)
        inner.setContentsMargins(12, 8, 12, 8)
        title = QLabel(message("editor.guidance.title", self.lang))
        title.setStyleSheet("font-weight: 600;")
        text = QLabel(self.section.guidance)
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.PlainText)
        inner.addWidget(title)
        inner.addWidget(text)
        self.layout_.addWidget(box)

    def _add_narrative(self) -> None:
        if not self.section.narrative:
            if self.section.sections and not self.document.section_tables(self.section.id):
                self._label(message("editor.section.parent", self.lang), "color: #444;")
            return
        edit = NarrativeEdit()
        edit.setPlaceholderText(message("editor.narrative.placeholder", self.lang))
        edit.setMinimumHeight(150)
        edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        edit.setReadOnly(self.document.read_only)
        if self.document.read_only:
            edit.setStyleSheet("background: #f4f4f4; color: #333;")
        edit.setPlainText(self.document.narratives.get(self.section.id, ""))
        edit.textChanged.connect(self._text_changed)
        self.layout_.addWidget(edit)
        self.narrative = edit
        if not self.section.required:
            self._label(message("editor.narrative.optional", self.lang), "color: #555;")

    def _add_excerpts(self) -> None:
        """A consolidated report's section shows what each unit wrote, to copy from."""
        excerpts = self.document.excerpts.get(self.section.id, [])
        if not excerpts or self.narrative is None:
            return
        box = QGroupBox(message("editor.excerpts.title", self.lang, count=len(excerpts)))
        box.setCheckable(True)
        box.setChecked(False)  # folded until the clerk wants it: the page stays short
        inner = QVBoxLayout(box)
        body = QWidget()
        rows = QVBoxLayout(body)
        rows.setContentsMargins(0, 0, 0, 0)
        for _code, name, text in excerpts:
            rows.addWidget(self._excerpt_row(name, text))
        inner.addWidget(body)
        body.setVisible(False)
        box.toggled.connect(body.setVisible)
        self.layout_.addWidget(box)

    def _excerpt_row(self, unit_name: str, text: str) -> QWidget:
        row = QFrame()
        row.setStyleSheet("QFrame { background: #f7f7f2; border-radius: 4px; }")
        layout = QVBoxLayout(row)
        title = QLabel(unit_name)
        title.setStyleSheet("font-weight: 600;")
        body = QLabel(text)
        body.setWordWrap(True)
        body.setTextFormat(Qt.TextFormat.PlainText)
        body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        copy = QPushButton(message("editor.excerpts.copy", self.lang))
        copy.setEnabled(not self.document.read_only)
        copy.clicked.connect(lambda: self.append_to_narrative(text))
        for widget in (title, body, copy):
            layout.addWidget(widget)
        return row

    def append_to_narrative(self, text: str) -> None:
        """Add a unit's text at the end of the narrative, as if typed (saved, undoable)."""
        if self.narrative is None or self.document.read_only:
            return
        current = self.narrative.text()
        self.narrative.setPlainText(f"{current}\n{text}" if current.strip() else text)

    def _add_tables(self, undo_stack: QUndoStack) -> None:
        for table_id in self.document.section_tables(self.section.id):
            table = self.document.template.table(table_id)
            self._label(table.title, "font-weight: 600; margin-top: 8px;")
            if table.note:
                note = message("editor.table.note", self.lang, note=table.note)
                self._label(note, "color: #444; font-style: italic;")
            model = IndicatorTableModel(self.document, table, undo_stack, self.lang)
            view = IndicatorTableView(model)
            self.layout_.addWidget(view)
            self.models[table_id] = model
            self.views[table_id] = view

    def _add_grids(self, undo_stack: QUndoStack) -> None:
        document = self.document
        tallies = choice_counts_of(document.template, document.sources.values())
        for grid_id in self.section.grids:
            grid = document.template.grid(grid_id)
            self._table_title(grid.title, grid.note)
            cells = document.grids.get(grid_id, {})
            model = GridModel(
                document.template,
                grid,
                cells,
                document.read_only,
                self.lang,
                undo_stack,
                tallies=tallies,
            )
            model.cells_changed.connect(document.apply_cells)
            model.refused.connect(self.refused)
            view = GridView(model)
            self.layout_.addWidget(view)
            self.grids[grid_id] = view

    def _add_lists(self, undo_stack: QUndoStack) -> None:
        document = self.document
        for list_id in self.section.lists:
            task_list = document.template.task_list(list_id)
            self._table_title(task_list.title, task_list.note)
            rows = document.lists.get(list_id, [])
            model = ListModel(
                document.template,
                task_list,
                rows,
                document.read_only,
                self.lang,
                attachments=document.attachments,
                undo_stack=undo_stack,
            )
            model.rows_changed.connect(document.apply_rows)
            model.refused.connect(self.refused)
            editor = ListEditor(model)
            self.layout_.addWidget(editor)
            self.lists[list_id] = editor

    def _table_title(self, title: str, note: str) -> None:
        self._label(title, "font-weight: 600; margin-top: 8px;")
        if note:
            self._label(message("editor.table.note", self.lang, note=note), "color: #444;")

    def _text_changed(self) -> None:
        if not self._showing and self.narrative is not None:
            self.typed.emit(self.section.id, self.narrative.text())

    def show_narrative(self) -> None:
        """Put the stored text back in the box (after undo/redo or a copy)."""
        if self.narrative is None:
            return
        wanted = self.document.narratives.get(self.section.id, "")
        if self.narrative.text() == wanted:
            return
        self._showing = True
        self.narrative.setPlainText(wanted)
        self.narrative.setUndoRedoEnabled(False)
        self.narrative.moveCursor(self.narrative.textCursor().MoveOperation.End)
        self._showing = False

    def focus_chain(self) -> list[QWidget]:
        """The page's focusable parts in Tab order: text, then tables."""
        chain: list[QWidget] = [self.narrative] if self.narrative else []
        lists = [editor.view for editor in self.lists.values()]
        return chain + list(self.views.values()) + list(self.grids.values()) + lists

    def on_left(self, callback: Callable[[], None]) -> None:
        if self.narrative is not None:
            self.narrative.left.connect(callback)
