"""«Ảnh con dấu (chữ ký số)…» in the office dialog: the seal image the organisation's visible
signature shows (NĐ 30 Phụ lục I), chosen from a PNG file, shown small, or removed."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QWidget

from desktop_app.core.workspace import Workspace
from desktop_app.ui.i18n import Texts
from desktop_app.ui.tasks import TaskRunner, describe_error

THUMBNAIL = 48  # pixels: enough to recognise the seal, small beside the form
MAX_READ = 1024 * 1024  # more than core allows: its refusal names the limit


class SealRow(QWidget):
    def __init__(
        self, workspace: Workspace, runner: TaskRunner, texts: Texts, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.workspace, self.runner, self.texts = workspace, runner, texts
        self.picture = QLabel()
        self.picture.setFixedSize(THUMBNAIL, THUMBNAIL)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.choose = QPushButton(texts("token_ui.seal_button"))
        self.choose.clicked.connect(self._choose)
        self.remove = QPushButton(texts("token_ui.seal_remove"))
        self.remove.clicked.connect(self._remove)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.picture)
        layout.addWidget(self.state, 1)
        layout.addWidget(self.choose)
        layout.addWidget(self.remove)
        self._show(None)
        runner.run(workspace.signing.seal, on_done=self._show, error_parent=self)

    def _show(self, png: bytes | None) -> None:
        pixmap = QPixmap()
        if png is not None and pixmap.loadFromData(png, "PNG"):
            self.picture.setPixmap(
                pixmap.scaled(
                    THUMBNAIL,
                    THUMBNAIL,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
            self.state.setText(
                self.texts("token_ui.seal_set", width=pixmap.width(), height=pixmap.height())
            )
        else:
            self.picture.clear()
            self.state.setText(self.texts("token_ui.seal_none"))
        self.state.setStyleSheet("")
        self.remove.setEnabled(png is not None)

    def _choose(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, self.texts("token_ui.seal_title"), "", self.texts("token_ui.seal_filter")
        )
        if path:
            self.set_from_file(Path(path))

    def set_from_file(self, path: Path) -> None:
        """Read the chosen file and keep it as the seal (core checks it on the worker)."""
        try:
            with path.open("rb") as file:
                data = file.read(MAX_READ)
        except OSError as error:
            self._refused(error)
            return
        self.runner.run(self._keep, data, on_done=self._show, on_error=self._refused)

    def _keep(self, data: bytes) -> bytes | None:
        self.workspace.signing.set_seal(data)
        return self.workspace.signing.seal()

    def _remove(self) -> None:
        self.runner.run(
            self.workspace.signing.remove_seal,
            on_done=lambda _none: self._show(None),
            on_error=self._refused,
        )

    def _refused(self, error: BaseException) -> None:
        self.state.setText(describe_error(error, self.texts.lang))
        self.state.setStyleSheet("color: #a40000;")
