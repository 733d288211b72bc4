"""Writing every edit to the store, in order, without ever dropping one.

Edits wait in ``pending`` until the store confirms them. One save is in flight at a time (the
task runner has one worker, and a second save could otherwise carry a stale value); edits made
meanwhile ride on the next save. A failed save leaves everything pending: the next edit or
Ctrl+S tries again. Figures are saved at once; narrative text waits for a second of idle typing
so the audit log gets one entry per burst of writing, not one per keystroke.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from desktop_app.core.errors import CoreError
from desktop_app.core.reports.records import ContentChanges
from desktop_app.core.reports.validation import ReportContent
from desktop_app.core.workspace import Workspace
from desktop_app.ui.editor.document import CELL, COMMENT, LIST, NARRATIVE, VALUE
from desktop_app.ui.tasks import TaskRunner, describe_error

NARRATIVE_IDLE_MS = 1000
_FIELDS = {
    VALUE: "values",
    COMMENT: "comments",
    NARRATIVE: "narratives",
    CELL: "grids",
    LIST: "lists",
}


class Autosaver(QObject):
    """``saved("hh:mm:ss")`` after each confirmed save, ``failed(sentence)`` after a refusal."""

    saved = Signal(str)
    failed = Signal(str)
    busy_changed = Signal(bool)

    def __init__(
        self, workspace: Workspace, runner: TaskRunner, report_id: str, lang: str = "vi"
    ) -> None:
        super().__init__()
        self.workspace = workspace
        self.runner = runner
        self.report_id = report_id
        self.lang = lang
        self.pending: dict[str, dict[str, Any]] = {kind: {} for kind in _FIELDS}
        self.last_error: str | None = None
        self.last_refusal: str | None = None  # the core's code for the last refused save
        self._in_flight: dict[str, dict[str, Any]] | None = None
        self._again = False
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.setInterval(NARRATIVE_IDLE_MS)
        self.idle_timer.timeout.connect(self.flush)

    @property
    def has_unsaved(self) -> bool:
        return self._in_flight is not None or any(self.pending.values())

    def record(self, kind: str, key: str, value: object) -> None:
        """Remember one edit; figures are saved now, text after a pause in typing."""
        self.pending[kind][key] = value
        if kind == NARRATIVE:
            self.idle_timer.start()
        else:
            self.flush()

    def discard(self) -> None:
        """Forget what is pending (the report can no longer take it); a save in flight ends
        as it will."""
        self.idle_timer.stop()
        self.pending = {kind: {} for kind in _FIELDS}
        self._again = False

    def flush(self) -> None:
        """Save everything pending now (Ctrl+S, idle timer, closing)."""
        self.idle_timer.stop()
        if self._in_flight is not None:
            self._again = True
            return
        if not any(self.pending.values()):
            return
        self._in_flight = {kind: dict(fields) for kind, fields in self.pending.items()}
        self.busy_changed.emit(True)
        changes = _changes(self._in_flight)
        self.runner.run(
            self.workspace.reports.save,
            self.report_id,
            changes,
            on_done=self._done,
            on_error=self._failed,
        )

    def _done(self, _stored: ReportContent) -> None:
        assert self._in_flight is not None
        for kind, fields in self._in_flight.items():
            for key, value in fields.items():
                if self.pending[kind].get(key, object()) == value:
                    del self.pending[kind][key]
        self._settle()
        self.last_error = self.last_refusal = None
        self.saved.emit(time.strftime("%H:%M:%S"))

    def _failed(self, error: BaseException) -> None:
        self._settle()
        self.last_error = describe_error(error, self.lang)
        self.last_refusal = error.code if isinstance(error, CoreError) else None
        self.failed.emit(self.last_error)

    def _settle(self) -> None:
        self._in_flight = None
        again, self._again = self._again, False
        self.busy_changed.emit(False)
        if again:
            self.flush()


def _changes(pending: dict[str, dict[str, Any]]) -> ContentChanges:
    """Grid cells are recorded one by one as "grid/row/column" and sent nested, as core
    takes them; everything else goes as it was recorded."""
    fields = {_FIELDS[kind]: dict(values) for kind, values in pending.items() if kind != CELL}
    grids: dict[str, dict[str, dict[str, Any]]] = {}
    for key, text in pending[CELL].items():
        grid_id, row_id, column_id = key.split("/")
        grids.setdefault(grid_id, {}).setdefault(row_id, {})[column_id] = text
    return ContentChanges(**fields, grids=grids)
