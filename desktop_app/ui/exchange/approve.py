"""The head's approval: name, title and passphrase sign the current revision."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.errors import CoreError
from desktop_app.core.workspace import Workspace
from desktop_app.ui.i18n import Texts
from desktop_app.ui.tasks import TaskRunner, describe_error

MIN_WIDTH = 520  # wide enough that the intro and a refusal wrap to a few lines


class ApproveDialog(QDialog):
    """Stays open on a wrong passphrase so the head can try again; nothing changes meanwhile."""

    approved = Signal(int)  # the document number taken from the register

    def __init__(
        self,
        workspace: Workspace,
        runner: TaskRunner,
        texts: Texts,
        report_id: str,
        signer: tuple[str, str] = ("", ""),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace, self.runner, self.texts, self.report_id = (
            workspace,
            runner,
            texts,
            report_id,
        )
        self.setWindowTitle(texts("approve.title"))
        self.setMinimumWidth(MIN_WIDTH)
        self.name = QLineEdit(signer[0])
        self.job_title = QLineEdit(signer[1] or texts("approve.default_title"))
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #a40000;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(texts("approve.sign"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self._layout()
        runner.run(self._what_is_signed, on_done=self._show_intro, error_parent=self)

    def _what_is_signed(self) -> tuple[str, str, int]:
        """(template title, period, revision), read on the worker thread."""
        summary = self.workspace.reports.get(self.report_id)
        template = self.workspace.reports.template_of(self.report_id)
        return template.title, summary.period, summary.revision

    def _show_intro(self, signed: tuple[str, str, int]) -> None:
        title, period, revision = signed
        self.intro.setText(
            self.texts("approve.intro", title=title, period=period, revision=revision)
        )
        self._fit_text()

    def _layout(self) -> None:
        form = QFormLayout()
        form.addRow(self.texts("approve.name"), self.name)
        form.addRow(self.texts("approve.job_title"), self.job_title)
        form.addRow(self.texts("approve.passphrase"), self.passphrase)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        (self.passphrase if self.name.text() else self.name).setFocus()

    def submit(self) -> None:
        self.buttons.setEnabled(False)
        self.message.clear()
        self.runner.run(
            self.workspace.reports.approve,
            self.report_id,
            self.name.text(),
            self.job_title.text(),
            self.passphrase.text(),
            on_done=self._done,
            on_error=self._failed,
        )

    def _fit_text(self) -> None:
        """Grow to show a wrapped sentence whole: a dialog keeps the height it opened with,
        which cut the wrong-passphrase message off."""
        layout = self.layout()
        if layout is not None:
            layout.activate()
        self.resize(self.width(), max(self.height(), self.sizeHint().height()))

    def _done(self, number: int) -> None:
        self.passphrase.clear()
        self.approved.emit(number)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.message.setText(describe_error(error, self.texts.lang))
        self._fit_text()
        if isinstance(error, CoreError) and error.code == "key.wrong_passphrase":
            self.passphrase.selectAll()
            self.passphrase.setFocus()
