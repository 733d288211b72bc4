"""The head's approval: name, title and passphrase sign the current revision; where the
office has a signing token, its PIN also signs the PDF (PAdES)."""

from __future__ import annotations

from functools import partial

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
from desktop_app.core.reports.records import report_period
from desktop_app.core.signing.stored import TokenSettings
from desktop_app.core.workspace import Workspace
from desktop_app.ui.exchange.token_choice import TokenChoice
from desktop_app.ui.i18n import Texts, period_title
from desktop_app.ui.tasks import TaskRunner, describe_error

MIN_WIDTH = 520  # wide enough that the intro and a refusal wrap to a few lines
TOKEN_MIN_WIDTH = 800  # a certificate reads «name — organisation (valid until …)» whole


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
        self.token = TokenChoice(workspace, runner, texts)
        self.token.hide()  # until the office's settings say there is a token
        self.token.changed.connect(self._fit_text)
        self._layout()
        runner.run(self._what_is_signed, on_done=self._show_intro, error_parent=self)
        runner.run(workspace.signing.settings, on_done=self._offer_token, error_parent=self)

    def _what_is_signed(self) -> tuple[str, str, int]:
        """(template title, period, revision), read on the worker thread."""
        summary = self.workspace.reports.get(self.report_id)
        template = self.workspace.reports.template_of(self.report_id)
        period = period_title(report_period(template, summary.period), self.texts.lang)
        return template.title, period, summary.revision

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
        layout.addWidget(self.token)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        (self.passphrase if self.name.text() else self.name).setFocus()

    def _offer_token(self, settings: TokenSettings) -> None:
        if not settings.configured:
            return
        self.token.show()
        self.token.start(settings)
        self.setMinimumWidth(TOKEN_MIN_WIDTH)
        self.adjustSize()
        self._centre_on_parent()  # grown after it opened: the window manager left it where it was

    def _centre_on_parent(self) -> None:
        parent = self.parentWidget()
        if parent is None:
            return
        frame = self.frameGeometry()
        frame.moveCenter(parent.frameGeometry().center())
        self.move(max(frame.left(), 0), max(frame.top(), 0))

    def submit(self) -> None:
        approve = self.workspace.reports.approve
        if self.token.signs:
            if missing := self.token.missing():
                self.message.setText(missing)
                self._fit_text()
                return
            approve = partial(approve, token=self.token.approval())
        self.buttons.setEnabled(False)
        self.message.clear()
        self.token.forget_pin()
        self.runner.run(
            approve,
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
        self.message.setText(self._failure_text(error))
        self._fit_text()
        code = error.code if isinstance(error, CoreError) else ""
        if code == "key.wrong_passphrase":
            self.passphrase.selectAll()
            self.passphrase.setFocus()
        elif code.startswith("token."):
            self.token.pin.setFocus()

    def _failure_text(self, error: BaseException) -> str:
        """A token failure also says that nothing was approved: the head must not wonder."""
        text = describe_error(error, self.texts.lang)
        if isinstance(error, CoreError) and error.code.startswith("token."):
            settled = self.texts("token_ui.not_approved")
            if settled.rstrip(".") not in text:
                text = f"{text} {settled}"
        return text
