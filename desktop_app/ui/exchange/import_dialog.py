"""Import bundles: drop files or a folder (several sticks' worth at once), see one Vietnamese
sentence per file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.exchange.inbox import ALREADY, IMPORTED, PENDING, ImportOutcome, sentence
from desktop_app.core.workspace import Workspace
from desktop_app.ui.i18n import Texts, close_buttons
from desktop_app.ui.screen_fit import resize_to_fit
from desktop_app.ui.tasks import TaskRunner

STATUS_COLOURS = {IMPORTED: "#e3f4e1", ALREADY: "#eef2f7", PENDING: "#fff4d6"}
REFUSED_COLOUR = "#fbe3e1"


class ImportDialog(QDialog):
    imported = Signal(int)  # how many bundles were imported

    def __init__(
        self, workspace: Workspace, runner: TaskRunner, texts: Texts, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.workspace, self.runner, self.texts = workspace, runner, texts
        self.setWindowTitle(texts("import.title"))
        self.setAcceptDrops(True)
        resize_to_fit(self, 900, 560)
        self.drop_hint = QLabel(texts("import.drop_hint"))
        self.drop_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.drop_hint.setStyleSheet(
            "border: 2px dashed #7a8899; border-radius: 8px; padding: 24px; font-size: 14pt;"
        )
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(
            [texts("import.col_file"), texts("import.col_status"), texts("import.col_message")]
        )
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self._layout()

    def _layout(self) -> None:
        files = QPushButton(self.texts("import.choose_files"))
        files.clicked.connect(self.choose_files)
        folder = QPushButton(self.texts("import.choose_folder"))
        folder.clicked.connect(self.choose_folder)
        buttons = QHBoxLayout()
        for button in (files, folder):
            button.setMinimumHeight(40)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.drop_hint)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addWidget(self.table, 1)
        layout.addWidget(close_buttons(self, self.texts))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            self.import_paths(paths)

    def choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self, self.texts("import.choose_files"), "", "Báo cáo (*.baocao)"
        )
        if names:
            self.import_paths([Path(n) for n in names])

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.texts("import.choose_folder"))
        if folder:
            self.import_paths([Path(folder)])

    def import_paths(self, paths: list[Path]) -> None:
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)
        task = self.runner.run(
            self.workspace.exchange.import_bundles,
            paths,
            on_done=self.show_outcomes,
            error_parent=self,
        )
        task.progressed.connect(self._step)

    def _step(self, done: int, total: int, _name: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def show_outcomes(self, outcomes: list[ImportOutcome]) -> None:
        self.progress.setVisible(False)
        for outcome in outcomes:
            self._add_row(outcome)
        self.table.resizeRowsToContents()
        self.imported.emit(sum(o.status == IMPORTED for o in outcomes))

    def _add_row(self, outcome: ImportOutcome) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        cells = (
            outcome.file,
            self.texts(f"import.status_{outcome.status}"),
            sentence(outcome, self.texts.lang),
        )
        colour = QColor(STATUS_COLOURS.get(outcome.status, REFUSED_COLOUR))
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setBackground(colour)
            item.setToolTip(text)
            self.table.setItem(row, column, item)
