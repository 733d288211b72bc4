"""The Party committee's term: the congress date from which document numbers restart at 01.

Every Party committee began the 2025–2030 term at its own congress in 2025; until the office
enters that date, numbers run within the term label. The store is read and written on the
worker thread; a refusal (a future date, a state body) is shown in the dialog.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.workspace import Workspace
from desktop_app.ui.i18n import Texts
from desktop_app.ui.tasks import TaskRunner, describe_error


class TermDialog(QDialog):
    def __init__(
        self, workspace: Workspace, runner: TaskRunner, texts: Texts, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.workspace, self.runner, self.texts = workspace, runner, texts
        self.setWindowTitle(texts("term.title"))
        self.explanation = QLabel(texts("term.explanation"))
        self.explanation.setWordWrap(True)
        self.start = QDateEdit()
        self.start.setCalendarPopup(True)
        self.start.setDisplayFormat("dd/MM/yyyy")
        self.start.setDate(QDate(2025, 1, 1))
        self.status = QLabel()
        self.status.setWordWrap(True)
        form = QFormLayout()
        form.addRow(texts("term.start"), self.start)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.runner.run(
            lambda: self.workspace.documents.party_term_start(),
            on_done=self._show,
            on_error=self._fail,
        )

    def chosen(self) -> date:
        picked = self.start.date()
        return date(picked.year(), picked.month(), picked.day())

    def save(self) -> None:
        start = self.chosen()
        self.runner.run(self._set_and_read, start, on_done=self._saved, on_error=self._fail)

    def _set_and_read(self, start: date) -> date | None:
        self.workspace.documents.set_party_term_start(start)
        return self.workspace.documents.party_term_start()

    def _show(self, start: date | None) -> None:
        if start is None:
            self.status.setText(self.texts("term.unset"))
            return
        self.start.setDate(QDate(start.year, start.month, start.day))
        self.status.setText(self.texts("term.current", start=start.strftime("%d/%m/%Y")))

    def _saved(self, start: date | None) -> None:
        self._show(start)

    def _fail(self, error: BaseException) -> None:
        self.status.setText(describe_error(error, self.texts.lang))
