"""The report's attachments (minh chứng) in the editor: the list the panel and the list cells
share, and the panel "Tài liệu kèm theo" (add by dialog or by dropping files, open, save a copy,
remove).

Every store call goes through the window's task runner; the list here is what the store
answered last, so the panel, the evidence cells and the report's checks always agree with it.
"""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.catalogue import message
from desktop_app.core.model import media
from desktop_app.core.reports.attachment_store import Attachment
from desktop_app.core.workspace import Workspace
from desktop_app.ui.tasks import TaskRunner, describe_error

Added = Callable[[Attachment], None]


class ReportAttachments(QObject):
    """The attachments of the report being edited. ``changed`` after each answer from the
    store; ``refused(sentence)`` when it refused (too big, not a PDF/PNG/JPEG, in use);
    ``opened(path)`` when a copy to look at is ready (the desktop's viewer opens it)."""

    changed = Signal()
    refused = Signal(str)
    opened = Signal(str)

    def __init__(
        self,
        workspace: Workspace,
        runner: TaskRunner,
        report_id: str,
        items: list[Attachment],
        *,
        read_only: bool,
        before_store: Callable[[], None] = lambda: None,
        lang: str = "vi",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.runner = runner
        self.report_id = report_id
        self.items = list(items)
        self.read_only = read_only
        self.lang = lang
        self._before_store = before_store

    def names(self) -> dict[str, str]:
        return {a.sha256: a.name for a in self.items}

    def add(self, path: Path, then: Added | None = None) -> None:
        """Attach the file at ``path``; ``then(attachment)`` once it is stored."""
        if self.read_only:
            return

        def added(attachment: Attachment) -> None:
            self._reload()
            if then is not None:
                then(attachment)

        self.runner.run(
            self.workspace.reports.attach,
            self.report_id,
            path,
            on_done=added,
            on_error=self._refused,
        )

    def remove(self, sha256: str) -> None:
        if self.read_only:
            return
        self._before_store()  # a cell just emptied is saved before core judges the removal
        self.runner.run(
            self.workspace.reports.detach,
            self.report_id,
            sha256,
            on_done=lambda _gone: self._reload(),
            on_error=self._refused,
        )

    def save_copy(self, sha256: str, target: Path) -> None:
        self.runner.run(
            self.workspace.reports.save_attachment,
            self.report_id,
            sha256,
            target,
            on_error=self._refused,
        )

    def open(self, sha256: str) -> None:
        """A read-only copy in a private temporary folder, opened by the desktop's viewer."""
        attachment = next(a for a in self.items if a.sha256 == sha256)
        target = _viewing_folder() / f"{sha256[:12]}-{attachment.name}"
        self.runner.run(
            self.workspace.reports.save_attachment,
            self.report_id,
            sha256,
            target,
            on_done=lambda path: self.opened.emit(str(path)),
            on_error=self._refused,
        )

    def _reload(self) -> None:
        self.runner.run(
            self.workspace.reports.attachments,
            self.report_id,
            on_done=self._listed,
            on_error=self._refused,
        )

    def _listed(self, items: list[Attachment]) -> None:
        self.items = list(items)
        self.changed.emit()

    def _refused(self, error: BaseException) -> None:
        self.refused.emit(describe_error(error, self.lang))


@functools.cache
def _viewing_folder() -> Path:
    """A private folder for the copies the clerk opens, removed when the program ends."""
    folder = Path(tempfile.mkdtemp(prefix="baocao-minh-chung-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


NAME, KIND, SIZE = range(3)
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class AttachmentsPanel(QWidget):
    """ "Tài liệu kèm theo": the attached files (name, type, size) with Thêm tệp…, Mở,
    Lưu bản sao…, Gỡ; files dropped on it are attached."""

    def __init__(self, lang: str = "vi", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lang = lang
        self.attachments: ReportAttachments | None = None
        self.setAcceptDrops(True)
        self.title = QLabel(f"<b>{self._t('editor.attachments.title')}</b>")
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(
            [self._t(f"editor.attachments.{c}") for c in ("name", "kind", "size")]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # keep the ".pdf" in sight
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        for column in (KIND, SIZE):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda _item: self.open_selected())
        self.hint = QLabel(self._t("editor.attachments.hint"))
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #5b6b7b;")
        self.add_button = self._button("editor.attachments.add", self.choose_files)
        self.open_button = self._button("editor.attachments.open", self.open_selected)
        self.save_button = self._button("editor.attachments.save", self.save_selected)
        self.remove_button = self._button("editor.attachments.remove", self.remove_selected)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.open_button, self.save_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.hint)
        layout.addLayout(buttons)
        self._update_buttons()

    def _t(self, code: str, **params: object) -> str:
        return message(code, self.lang, **params)

    def _button(self, code: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(self._t(code))
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        button.clicked.connect(slot)
        return button

    def show_attachments(self, attachments: ReportAttachments) -> None:
        """Show (and follow) the attachments of the report now loaded."""
        self.attachments = attachments
        attachments.changed.connect(self._refill)
        attachments.opened.connect(self._view)
        self._refill()

    def _refill(self) -> None:
        items = self.attachments.items if self.attachments else []
        self.table.setRowCount(len(items))
        for row, attachment in enumerate(items):
            cells = (
                attachment.name,
                media.KIND_NAMES[attachment.media_type],
                media.size_text(attachment.size),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, attachment.sha256)
                item.setToolTip(attachment.name)
                if column == SIZE:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, column, item)
        self.title.setText(f"<b>{self._t('editor.attachments.title')}</b> ({len(items)})")
        self._update_buttons()

    def selected(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.table.item(rows[0].row(), NAME)
        return str(item.data(Qt.ItemDataRole.UserRole)) if item else None

    def _update_buttons(self) -> None:
        editable = self.attachments is not None and not self.attachments.read_only
        chosen = self.selected() is not None
        self.add_button.setEnabled(editable)
        self.remove_button.setEnabled(editable and chosen)
        self.open_button.setEnabled(chosen)
        self.save_button.setEnabled(chosen)
        self.hint.setVisible(editable)

    # --- the clerk's actions --------------------------------------------------------------------

    def choose_files(self) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(
            self, self._t("editor.attachments.choose"), "", self._t("editor.attachments.filter")
        )
        for path in paths:
            self.add_file(Path(path))

    def add_file(self, path: Path, then: Added | None = None) -> None:
        if self.attachments is not None:
            self.attachments.add(path, then)

    def open_selected(self) -> None:
        sha256 = self.selected()
        if sha256 and self.attachments is not None:
            self.attachments.open(sha256)

    def save_selected(self) -> None:
        sha256 = self.selected()
        if not sha256 or self.attachments is None:
            return
        name = next(a.name for a in self.attachments.items if a.sha256 == sha256)
        target, _filter = QFileDialog.getSaveFileName(
            self, self._t("editor.attachments.save_title"), name
        )
        if target:
            self.attachments.save_copy(sha256, Path(target))

    def remove_selected(self) -> None:
        sha256 = self.selected()
        if sha256 and self.attachments is not None:
            self.attachments.remove(sha256)

    def _view(self, path: str) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(path))

    # --- dropping files ------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        editable = self.attachments is not None and not self.attachments.read_only
        if editable and event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        files = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        for path in files:
            self.add_file(path)
        event.acceptProposedAction()
