"""Trao đổi → Thiết bị ký số…: the office's token driver and timestamp service."""

from __future__ import annotations

import unicodedata
from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.signing.stored import TokenSettings
from desktop_app.core.workspace import Workspace
from desktop_app.ui.i18n import Texts
from desktop_app.ui.screen_fit import resize_to_fit
from desktop_app.ui.tasks import TaskRunner, describe_error

WIDTH, HEIGHT = 620, 220


class TokenSettingsDialog(QDialog):
    """Choose the driver among those found on this machine, or any file; the certificates
    are chosen at approval, where the token is plugged in."""

    saved = Signal()

    def __init__(
        self,
        workspace: Workspace,
        runner: TaskRunner,
        texts: Texts,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace, self.runner, self.texts = workspace, runner, texts
        self.current = TokenSettings()
        self.setWindowTitle(texts("token_settings.title"))
        self.intro = QLabel(texts("token_settings.intro"))
        self.intro.setWordWrap(True)
        self.driver = QComboBox()
        self.driver.setEditable(True)
        self.browse = QPushButton(texts("token_settings.browse"))
        self.browse.clicked.connect(self.choose_file)
        self.tsa = QLineEdit()
        self.tsa.setPlaceholderText(texts("token_settings.tsa_hint"))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self._layout()
        resize_to_fit(self, WIDTH, HEIGHT)
        runner.run(self._read, on_done=self._show, error_parent=self)

    def _layout(self) -> None:
        driver_row = QHBoxLayout()
        driver_row.addWidget(self.driver, 1)
        driver_row.addWidget(self.browse)
        form = QFormLayout()
        form.addRow(self.texts("token_settings.driver"), driver_row)
        form.addRow(self.texts("token_settings.tsa"), self.tsa)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.buttons)

    def _read(self) -> tuple[TokenSettings, list[str]]:
        return self.workspace.signing.settings(), self.workspace.signing.known_drivers()

    def _show(self, read: tuple[TokenSettings, list[str]]) -> None:
        self.current, drivers = read
        self.driver.clear()
        self.driver.addItems(drivers)
        if self.current.library:
            self.set_driver(self.current.library)
        self.tsa.setText(self.current.tsa_url)
        if not drivers and not self.current.library:
            self.message.setText(self.texts("token_settings.none_found"))

    def set_driver(self, path: str) -> None:
        index = self.driver.findText(path)
        if index < 0:
            self.driver.addItem(path)
            index = self.driver.count() - 1
        self.driver.setCurrentIndex(index)

    def choose_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, self.texts("token_settings.browse_title"), "", "PKCS#11 (*.dll *.so *.dylib)"
        )
        if path:
            self.set_driver(path)

    def save(self) -> None:
        chosen = replace(
            self.current,
            library=unicodedata.normalize("NFC", self.driver.currentText().strip()),
            tsa_url=unicodedata.normalize("NFC", self.tsa.text().strip()),
        )
        self.buttons.setEnabled(False)
        self.runner.run(
            self.workspace.signing.configure,
            chosen,
            on_done=lambda _none: self._saved(),
            on_error=self._failed,
        )

    def _saved(self) -> None:
        self.saved.emit()
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.message.setText(describe_error(error, self.texts.lang))
