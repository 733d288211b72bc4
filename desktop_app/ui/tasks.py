"""The one way the windows call the core: off the GUI thread, one call at a time, in order.

A single worker thread keeps every write to the store in the order the clerk made it (an
autosave never overtakes the edit before it) and leaves the window responsive during long work
such as importing a folder of bundles. Results and errors come back to the GUI thread through
queued signals; a refusal from the core becomes one Vietnamese sentence in a message box.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from desktop_app.core.catalogue import describe, hint, message

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]


def describe_error(error: BaseException, lang: str = "vi") -> str:
    """The sentence a clerk sees for ``error``, with where to go in the window about it."""
    return " ".join(part for part in (describe(error, lang), hint("window", error, lang)) if part)


class Task(QObject):
    """One queued core call. ``finished`` carries the result, ``failed`` the exception."""

    finished = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int, str)

    def __init__(self, function: Callable[..., Any], args: tuple[Any, ...]) -> None:
        super().__init__()
        self.function = function
        self.args = args

    def execute(self) -> None:
        try:
            if "progress" in inspect.signature(self.function).parameters:
                result = self.function(*self.args, progress=self.progressed.emit)
            else:
                result = self.function(*self.args)
        except Exception as error:  # every failure reaches the window, never the void
            log.exception("task failed: %s", getattr(self.function, "__name__", self.function))
            self.failed.emit(error)
        else:
            self.finished.emit(result)


class _Runnable(QRunnable):
    def __init__(self, task: Task) -> None:
        super().__init__()
        self.task = task
        self.setAutoDelete(True)

    def run(self) -> None:
        self.task.execute()


class TaskRunner(QObject):
    """Queue of core calls for one window. ``busy_changed`` drives the wait cursor."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, lang: str = "vi") -> None:
        super().__init__(parent)
        self.lang = lang
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        # The one thread lives as long as the runner: the store gives each thread its own
        # connection, and a thread retired when idle would leave a new one to open another.
        self._pool.setExpiryTimeout(-1)
        self._pending: set[Task] = set()

    def run(
        self,
        function: Callable[..., Any],
        *args: Any,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        error_parent: QWidget | None = None,
        progress_label: str | None = None,
    ) -> Task:
        """Queue ``function(*args)``. Without ``on_error`` a failure opens a message box.

        The answer for a window (``error_parent``) closed in the meantime is dropped: there is
        nothing left to show it in."""
        task = Task(function, args)
        if on_done:
            task.finished.connect(_while_open(error_parent, on_done))
        shown = on_error or (lambda error: self.show_error(error, error_parent))
        task.failed.connect(_while_open(error_parent, shown))
        if progress_label is not None:
            self._attach_progress(task, progress_label, error_parent)
        task.finished.connect(lambda _result: self._forget(task))
        task.failed.connect(lambda _error: self._forget(task))
        self._pending.add(task)
        self.busy_changed.emit(True)
        self._pool.start(_Runnable(task))
        return task

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def wait(self, milliseconds: int = -1) -> bool:
        """Block until the queue is empty (closing the window, tests)."""
        return self._pool.waitForDone(milliseconds)

    @Slot(object)
    def show_error(self, error: BaseException, parent: QWidget | None = None) -> None:
        title = message("ui.error_title", self.lang)
        QMessageBox.warning(parent, title, describe_error(error, self.lang))

    def _forget(self, task: Task) -> None:
        self._pending.discard(task)
        if not self._pending:
            self.busy_changed.emit(False)

    def _attach_progress(self, task: Task, label: str, parent: QWidget | None) -> None:
        dialog = QProgressDialog(label, "", 0, 0, parent)
        dialog.setCancelButton(None)
        dialog.setMinimumDuration(400)  # quick jobs finish before anyone sees a dialog
        dialog.setWindowTitle(message("ui.progress_title", self.lang))

        def update(done: int, total: int, text: str) -> None:
            dialog.setMaximum(max(total, 0))
            dialog.setValue(done)
            if text:
                dialog.setLabelText(f"{label}\n{text}")

        task.progressed.connect(update)
        task.finished.connect(lambda _result: dialog.close())
        task.failed.connect(lambda _error: dialog.close())


def _while_open(window: QWidget | None, callback: Callable[[Any], None]) -> Callable[[Any], None]:
    if window is None:
        return callback

    def deliver(value: Any) -> None:
        if shiboken6.isValid(window):
            callback(value)

    return deliver
