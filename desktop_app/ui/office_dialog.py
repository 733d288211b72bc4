"""«Thông tin cơ quan…»: the office's details as the wizard took them, corrected later.

The same form as the wizard's (with the unit search to fill it in again); the office code is
shown but fixed, since every report, key and bundle already made carries it. Below it, the
seal image of the organisation's digital signature (kept at once, apart from «Lưu»).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from desktop_app.core.model.offices import Office
from desktop_app.core.workspace import Workspace
from desktop_app.ui.exchange.seal_row import SealRow
from desktop_app.ui.i18n import Texts
from desktop_app.ui.screen_fit import resize_to_fit
from desktop_app.ui.settings import AppSettings
from desktop_app.ui.tasks import TaskRunner, describe_error
from desktop_app.ui.wizard import OfficePage


class OfficeDialog(QDialog):
    """``saved`` carries the office as stored."""

    saved = Signal(object)

    def __init__(
        self,
        workspace: Workspace,
        runner: TaskRunner,
        texts: Texts,
        settings: AppSettings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace, self.runner, self.texts, self.settings = (
            workspace,
            runner,
            texts,
            settings,
        )
        self.setWindowTitle(texts("screens.office.title"))
        self.form = OfficePage(texts, runner, settings)
        self.form.fields["code"].setReadOnly(True)
        self.form.fields["code"].setToolTip(texts("screens.office.code_fixed"))
        self.seal = SealRow(workspace, runner, texts)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #a40000;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(
            texts("screens.office.save")
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(texts("screens.close"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.form.completeChanged.connect(self._update_save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form, 1)
        layout.addWidget(self.seal)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        resize_to_fit(self, 820, 640)
        self._update_save()
        runner.run(lambda: self.workspace.office, on_done=self._show, error_parent=self)

    def _show(self, office: Office) -> None:
        self.form.fill(office)
        button = self.form.profile_buttons.get(office.block)
        if button is not None:
            button.setChecked(True)

    def _update_save(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(self.form.isComplete())

    def save(self) -> None:
        self.buttons.setEnabled(False)
        self.message.clear()
        self.runner.run(
            self.workspace.update_office,
            self.form.office(),
            on_done=self._saved,
            on_error=self._refused,
        )

    def _saved(self, office: Office) -> None:
        self.settings.document_profile = self.form.profile()
        self.buttons.setEnabled(True)
        self.saved.emit(office)
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.message.setText(describe_error(error, self.texts.lang))
