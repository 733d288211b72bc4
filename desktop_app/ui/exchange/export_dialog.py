"""Export to a USB stick: choose the approved reports and the drive, sign, write, read back.

The clerk is told the stick may be removed only after the file was read back from the stick
and matched what was signed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.model.periods import Period
from desktop_app.core.model.text import format_number
from desktop_app.core.reports.records import ReportSummary, report_period
from desktop_app.core.reports.status import SENT, Status
from desktop_app.core.workspace import Workspace
from desktop_app.ui.exchange.drives import removable_drives
from desktop_app.ui.i18n import Texts, close_buttons
from desktop_app.ui.screen_fit import resize_to_fit
from desktop_app.ui.tasks import TaskRunner, describe_error

EXPORTABLE = (Status.APPROVED, *SENT)


def export_reports(
    workspace: Workspace,
    report_ids: list[str],
    passphrase: str,
    folder: Path,
    progress: Callable[[int, int, str], None],
) -> Path:
    """Sign a new bundle unless these revisions already travelled together, then write it."""
    progress(0, 3, "sign")
    entry = workspace.exchange.outbox_entry_for(report_ids)
    if entry is None:
        entry = workspace.exchange.prepare_export(report_ids, passphrase)
    progress(1, 3, "write")
    path = workspace.exchange.write_export(entry, folder)
    progress(3, 3, "done")
    return path


def exportable_reports(workspace: Workspace) -> list[tuple[ReportSummary, str, Period]]:
    """This office's reports that may travel, each with its template's title and its period
    (worker thread)."""
    templates = {template.id: template for template in workspace.templates.newest()}
    found = []
    for report in workspace.reports.summaries(origin="local"):
        if report.status in EXPORTABLE:
            template = templates.get(report.template_id)
            title = template.title if template else report.template_id
            found.append((report, title, report_period(template, report.period)))
    return found


class ExportDialog(QDialog):
    exported = Signal(str)

    def __init__(
        self,
        workspace: Workspace,
        runner: TaskRunner,
        texts: Texts,
        preselected: list[str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace, self.runner, self.texts = workspace, runner, texts
        self.setWindowTitle(texts("export.title"))
        resize_to_fit(self, 720, 560)
        self.reports = QListWidget()
        self.drive = QComboBox()
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.outcome = QLabel()
        self.outcome.setWordWrap(True)
        self.start = QPushButton(texts("export.start"))
        self.start.setMinimumHeight(40)
        self.start.clicked.connect(self.run_export)
        self.refresh_drives()
        self._layout()
        wanted = set(preselected or [])
        runner.run(
            exportable_reports,
            workspace,
            on_done=lambda reports: self._fill_reports(reports, wanted),
            error_parent=self,
        )

    def _layout(self) -> None:
        browse = QPushButton(self.texts("export.other_folder"))
        browse.clicked.connect(self.choose_folder)
        refresh = QPushButton(self.texts("export.refresh"))
        refresh.clicked.connect(self.refresh_drives)
        drive_row = QHBoxLayout()
        drive_row.addWidget(self.drive, 1)
        drive_row.addWidget(refresh)
        drive_row.addWidget(browse)
        form = QFormLayout()
        form.addRow(self.texts("export.passphrase"), self.passphrase)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.texts("export.step_reports")))
        layout.addWidget(self.reports, 1)
        layout.addWidget(QLabel(self.texts("export.step_drive")))
        layout.addLayout(drive_row)
        layout.addWidget(QLabel(self.texts("export.step_sign")))
        layout.addLayout(form)
        layout.addWidget(self.start)
        layout.addWidget(self.progress)
        layout.addWidget(self.outcome)
        layout.addWidget(close_buttons(self, self.texts))

    def _fill_reports(
        self, reports: list[tuple[ReportSummary, str, Period]], preselected: set[str]
    ) -> None:
        for report, title, period in reports:
            text = self.texts(
                "export.report_line",
                title=title,
                period=self.texts.period(period),
                revision=report.revision,
                status=self.texts.status(report.status),
            )
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, report.id)
            checked = report.id in preselected or (
                not preselected and report.status == Status.APPROVED
            )
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.reports.addItem(item)

    def chosen_reports(self) -> list[str]:
        return [
            self.reports.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.reports.count())
            if self.reports.item(i).checkState() == Qt.CheckState.Checked
        ]

    def refresh_drives(self) -> None:
        self.drive.clear()
        for drive in removable_drives():
            free = format_number(drive.free_bytes // 2**20)
            self.drive.addItem(
                self.texts("export.drive_line", name=drive.name, free_mb=free), str(drive.path)
            )
        if not self.drive.count():
            self.drive.addItem(self.texts("export.no_drive"), "")

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.texts("export.other_folder"))
        if folder:
            self.set_folder(Path(folder))

    def set_folder(self, folder: Path) -> None:
        self.drive.insertItem(0, str(folder), str(folder))
        self.drive.setCurrentIndex(0)

    def run_export(self) -> None:
        folder, report_ids = self.drive.currentData(), self.chosen_reports()
        if not report_ids or not folder:
            self.outcome.setText(self.texts("export.choose_first"))
            return
        self.start.setEnabled(False)
        self.progress.setVisible(True)
        self.progress.setRange(0, 3)
        task = self.runner.run(
            export_reports,
            self.workspace,
            report_ids,
            self.passphrase.text(),
            Path(folder),
            on_done=self._done,
            on_error=self._failed,
        )
        task.progressed.connect(self._step)

    def _step(self, done: int, total: int, stage: str) -> None:
        self.progress.setValue(done)
        self.outcome.setText(self.texts(f"export.stage_{stage}"))

    def _done(self, path: Path) -> None:
        self.passphrase.clear()
        self.start.setEnabled(True)
        self.outcome.setText(self.texts("export.done", path=str(path)))
        self.outcome.setStyleSheet("color: #1b6e20; font-weight: bold;")
        self.exported.emit(str(path))

    def _failed(self, error: BaseException) -> None:
        self.start.setEnabled(True)
        self.progress.setVisible(False)
        self.outcome.setStyleSheet("color: #a40000;")
        self.outcome.setText(describe_error(error, self.texts.lang))
