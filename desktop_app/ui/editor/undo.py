"""Undo commands: every change to the report is one of these, pushed on the editor's stack.

A command only moves a field between two canonical values through the document, so undoing
goes through the same path as typing: the views refresh and the autosaver stores the old value.
Typing in a narrative pushes a command per keystroke; consecutive ones in the same burst merge,
so one Ctrl+Z takes back a burst of writing, not a letter.

Grids and lists undo through their own models in the same way: a typed cell or a pasted block
is one ``CellsEdit`` (old and new texts of the cells it touched), a change to a list's rows (a
cell, a paste, a row added, removed or moved) one ``RowsEdit`` (the whole list before and after,
as core stores a list whole). The model shows the texts again and sends them to the autosaver.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtGui import QUndoCommand

from desktop_app.ui.editor.document import NARRATIVE, ReportDocument

NARRATIVE_COMMAND_ID = 1

Cells = dict[str, dict[str, str | None]]  # row id → column id → canonical text (None: empty)
Rows = list[dict[str, str]]


class ShowsCells(Protocol):
    def apply(self, changes: Cells) -> bool: ...


class ShowsRows(Protocol):
    def show_rows(self, rows: Rows) -> None: ...


class FieldEdit(QUndoCommand):
    """One field of the report from ``old`` to ``new``."""

    def __init__(
        self,
        document: ReportDocument,
        kind: str,
        key: str,
        old: str | None,
        new: str | None,
        text: str,
    ) -> None:
        super().__init__(text)
        self.document = document
        self.kind = kind
        self.key = key
        self.old = old
        self.new = new

    def redo(self) -> None:
        self.document.apply(self.kind, self.key, self.new)

    def undo(self) -> None:
        self.document.apply(self.kind, self.key, self.old)


class NarrativeEdit(FieldEdit):
    """Typing in a section; merges with the previous keystroke of the same burst."""

    def __init__(
        self,
        document: ReportDocument,
        key: str,
        old: str,
        new: str,
        text: str,
        burst: int,
    ) -> None:
        super().__init__(document, NARRATIVE, key, old, new, text)
        self.burst = burst

    def id(self) -> int:
        return NARRATIVE_COMMAND_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, NarrativeEdit):
            return False
        if (other.key, other.burst) != (self.key, self.burst):
            return False
        self.new = other.new
        self.setObsolete(self.old == self.new)
        return True


class CellsEdit(QUndoCommand):
    """Cells of one grid from their ``before`` to their ``after`` texts."""

    def __init__(self, model: ShowsCells, before: Cells, after: Cells, text: str) -> None:
        super().__init__(text)
        self.model = model
        self.before = before
        self.after = after

    def redo(self) -> None:
        self.model.apply(self.after)

    def undo(self) -> None:
        self.model.apply(self.before)


class RowsEdit(QUndoCommand):
    """A list's rows, whole, from ``before`` to ``after``."""

    def __init__(self, model: ShowsRows, before: Rows, after: Rows, text: str) -> None:
        super().__init__(text)
        self.model = model
        self.before = [dict(row) for row in before]
        self.after = [dict(row) for row in after]

    def redo(self) -> None:
        self.model.show_rows([dict(row) for row in self.after])

    def undo(self) -> None:
        self.model.show_rows([dict(row) for row in self.before])
