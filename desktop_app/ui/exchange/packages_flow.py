"""Configuration packages and receipts from the window: build (upper office) and install
(lower office). The first package's issuer fingerprint is shown for comparison with paper
before anything is installed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from desktop_app.core.exchange.config_exchange import InstalledReceipt
from desktop_app.core.exchange.formats.packages import CONFIRM_ISSUER_MESSAGE, ConfigPackage
from desktop_app.core.store.files import write_atomic
from desktop_app.core.workspace import Workspace
from desktop_app.ui.exchange.keys_dialog import PassphraseDialog
from desktop_app.ui.i18n import Texts
from desktop_app.ui.tasks import TaskRunner


class PackagesFlow:
    def __init__(
        self, workspace: Workspace, runner: TaskRunner, texts: Texts, parent: QWidget
    ) -> None:
        self.workspace, self.runner, self.texts, self.parent = workspace, runner, texts, parent

    def _info(self, text: str) -> None:
        QMessageBox.information(self.parent, self.texts("shell.app_name"), text)

    def _passphrase(self, title_code: str) -> str | None:
        dialog = PassphraseDialog(
            self.texts, self.texts(title_code), ["export.passphrase"], self.parent
        )
        return dialog.values()[0] if dialog.exec() else None

    def _folder(self, title_code: str) -> Path | None:
        folder = QFileDialog.getExistingDirectory(self.parent, self.texts(title_code))
        return Path(folder) if folder else None

    # --- lower office ---------------------------------------------------------------------

    def install_config(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.parent, self.texts("packages.install_config"), "", "*.cauhinh"
        )
        if path:
            self.runner.run(
                self._read, Path(path), on_done=self._confirm_config, error_parent=self.parent
            )

    def _read(self, path: Path) -> ConfigPackage:
        return self.workspace.exchange.read_config(path.read_bytes())

    def _confirm_config(self, package: ConfigPackage) -> None:
        if not package.pinned:
            question = self.texts(
                CONFIRM_ISSUER_MESSAGE,
                issuer=package.issuer.name,
                fingerprint=package.signer_fingerprint,
            )
            answer = QMessageBox.question(
                self.parent, self.texts("packages.install_config"), question
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.runner.run(
            self.workspace.exchange.install_config,
            package,
            error_parent=self.parent,
            on_done=lambda done: self._info(
                self.texts(
                    "packages.config_installed",
                    version=done.version,
                    issuer=done.issuer,
                    templates=done.templates,
                )
            ),
        )

    def install_receipt(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.parent, self.texts("packages.install_receipt"), "", "*.biennhan"
        )
        if path:
            self.runner.run(
                lambda: self.workspace.exchange.install_receipt(Path(path).read_bytes()),
                on_done=self._receipt_installed,
                error_parent=self.parent,
            )

    def _receipt_installed(self, installed: InstalledReceipt) -> None:
        lines = [self.texts("packages.receipt_acknowledged", count=installed.acknowledged)]
        lines += [
            self.texts("packages.receipt_returned", comment=comment)
            for _report, comment in installed.returned
        ]
        self._info("\n".join(lines))

    # --- upper office ---------------------------------------------------------------------

    def _with_own_key(self, then: Callable[[], None]) -> None:
        """Say at once that there is no key to sign with, before asking for its passphrase."""
        self.runner.run(
            self.workspace.keys.active, on_done=lambda _key: then(), error_parent=self.parent
        )

    def build_config(self) -> None:
        self._with_own_key(self._build_config_asked)

    def _build_config_asked(self) -> None:
        secret = self._passphrase("packages.build_config")
        folder = self._folder("packages.build_config") if secret else None
        if secret and folder:
            self.runner.run(
                self._build_config,
                secret,
                folder,
                error_parent=self.parent,
                on_done=lambda path: self._info(self.texts("packages.written", path=str(path))),
            )

    def _build_config(self, secret: str, folder: Path) -> Path:
        built = self.workspace.exchange.build_config(secret)
        return write_atomic(folder / built.file_name, built.data, verify=True)

    def build_receipts(self) -> None:
        self._with_own_key(self._build_receipts_asked)

    def _build_receipts_asked(self) -> None:
        secret = self._passphrase("packages.build_receipts")
        folder = self._folder("packages.build_receipts") if secret else None
        if secret and folder:
            self.runner.run(
                self._build_receipts,
                secret,
                folder,
                error_parent=self.parent,
                on_done=self._receipts_written,
            )

    def _build_receipts(self, secret: str, folder: Path) -> list[Path]:
        return [
            write_atomic(folder / r.file_name, r.data, verify=True)
            for r in self.workspace.exchange.build_receipts(secret)
        ]

    def _receipts_written(self, paths: list[Path]) -> None:
        if not paths:
            self._info(self.texts("packages.nothing_to_acknowledge"))
            return
        self._info("\n".join(self.texts("packages.written", path=str(p)) for p in paths))
