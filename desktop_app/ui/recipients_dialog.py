"""Who a report goes to: the addressees, the copies and the archive line, one per line.

The lists are office data (the office above it by default); a report may change its own until
it is approved, after which core refuses and the dialog says why. Every store call runs on the
worker thread.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.reports.recipients import Recipients
from desktop_app.core.workspace import Workspace
from desktop_app.ui.i18n import Texts
from desktop_app.ui.tasks import TaskRunner, describe_error


def _lines(edit: QPlainTextEdit) -> list[str]:
    return [line.strip() for line in edit.toPlainText().splitlines() if line.strip()]


class RecipientsDialog(QDialog):
    def __init__(
        self,
        workspace: Workspace,
        runner: TaskRunner,
        texts: Texts,
        report_id: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace, self.runner, self.texts, self.report_id = (
            workspace,
            runner,
            texts,
            report_id,
        )
        self.setWindowTitle(texts("recipients.title"))
        self.addressees = QPlainTextEdit()
        self.copies = QPlainTextEdit()
        self.archive = QLineEdit()
        self.status = QLabel()
        self.status.setWordWrap(True)
        form = QFormLayout()
        form.addRow(texts("recipients.addressees"), self.addressees)
        form.addRow(texts("recipients.copies"), self.copies)
        form.addRow(texts("recipients.archive"), self.archive)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(texts("recipients.explanation")))
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.runner.run(
            self.workspace.documents.recipients, report_id, on_done=self._show, on_error=self._fail
        )

    def chosen(self) -> Recipients:
        return Recipients(
            addressees=tuple(_lines(self.addressees)),
            copies=tuple(_lines(self.copies)),
            archive=self.archive.text().strip(),
        )

    def save(self) -> None:
        self.runner.run(self._save, self.chosen(), on_done=self._saved, on_error=self._fail)

    def _save(self, chosen: Recipients) -> Recipients:
        self.workspace.documents.set_recipients(self.report_id, chosen)
        return self.workspace.documents.recipients(self.report_id)

    def _show(self, recipients: Recipients) -> None:
        self.addressees.setPlainText("\n".join(recipients.addressees))
        self.copies.setPlainText("\n".join(recipients.copies))
        self.archive.setText(recipients.archive)

    def _saved(self, recipients: Recipients) -> None:
        self._show(recipients)
        self.status.setText(self.texts("recipients.saved"))

    def _fail(self, error: BaseException) -> None:
        self.status.setText(describe_error(error, self.texts.lang))
