"""The office key (create, passphrase, public key file, enrolment sheet) and the trust list
(enrol a unit's key after comparing its fingerprint with the paper sheet, revoke)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.errors import CoreError
from desktop_app.core.exchange.formats.keys import PublicKeyFile
from desktop_app.core.exchange.keyring import KeyInfo, TrustEntry
from desktop_app.core.store.files import write_atomic
from desktop_app.core.workspace import Workspace
from desktop_app.ui.i18n import Texts
from desktop_app.ui.preview import PreviewDialog
from desktop_app.ui.tasks import TaskRunner, describe_error


@dataclass(frozen=True)
class KeysState:
    """What the keys window shows; ``own`` is the refusal when the office has no key yet."""

    own: KeyInfo | CoreError
    trusted: list[TrustEntry]


def read_keys(workspace: Workspace) -> KeysState:
    """The office's key and the trust list (worker thread)."""
    try:
        own: KeyInfo | CoreError = workspace.keys.active()
    except CoreError as error:
        own = error
    return KeysState(own, workspace.keys.trust_list())


class PassphraseDialog(QDialog):
    """Asks for a passphrase (twice when it is a new one)."""

    def __init__(self, texts: Texts, title: str, fields: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.edits = []
        form = QFormLayout()
        for label in fields:
            edit = QLineEdit()
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            form.addRow(texts(label), edit)
            self.edits.append(edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def values(self) -> list[str]:
        return [edit.text() for edit in self.edits]


class FingerprintDialog(QDialog):
    """The clerk must tick that the fingerprint matches the paper before a key is trusted."""

    def __init__(self, texts: Texts, key_file: PublicKeyFile, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(texts("keys.confirm_title"))
        office = QLabel(
            texts("keys.confirm_office", name=key_file.office_name, code=key_file.office_code)
        )
        fingerprint = QLabel(key_file.fingerprint)
        font = QFont("monospace")
        font.setPointSize(20)
        font.setBold(True)
        fingerprint.setFont(font)
        fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.check = QCheckBox(texts("keys.confirm_check"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(False)
        self.check.toggled.connect(ok.setEnabled)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (office, QLabel(texts("keys.confirm_compare")), fingerprint, self.check):
            layout.addWidget(widget)
        layout.addWidget(self.buttons)


NOTICE_STYLE = "color: #1e4620; background: #e6f1e6; padding: 6px 10px; border-radius: 3px;"


class KeysDialog(QDialog):
    def __init__(
        self, workspace: Workspace, runner: TaskRunner, texts: Texts, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.workspace, self.runner, self.texts = workspace, runner, texts
        self.setWindowTitle(texts("keys.title"))
        self.resize(1060, 600)
        self.key_label = QLabel()
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key_label.setWordWrap(True)
        self.trust_table = QTableWidget(0, 4)
        self.trust_table.setHorizontalHeaderLabels(
            [
                texts("keys.col_office"),
                texts("keys.col_name"),
                texts("keys.col_fingerprint"),
                texts("keys.col_state"),
            ]
        )
        header = self.trust_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.trust_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.trust_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self._layout()
        self.refresh()

    def _layout(self) -> None:
        own = QGroupBox(self.texts("keys.own_group"))
        own_layout = QVBoxLayout(own)
        own_layout.addWidget(self.key_label)
        own_layout.addLayout(
            self._buttons(
                [
                    ("keys.create", self.create_key),
                    ("keys.passwd", self.change_passphrase),
                    ("keys.export_public", self.export_public),
                    ("keys.rotate", self.rotate_key),
                    ("keys.print_sheet", self.print_sheet),
                ]
            )
        )
        trust = QGroupBox(self.texts("keys.trust_group"))
        trust_layout = QVBoxLayout(trust)
        trust_layout.addWidget(self.trust_table)
        trust_layout.addLayout(
            self._buttons(
                [
                    ("keys.trust_add", self.add_trusted),
                    ("keys.accept_rotation", self.accept_rotation),
                    ("keys.trust_revoke", self.revoke_selected),
                ]
            )
        )
        self.notice = QLabel()  # what was just done: a key made, a file written
        self.notice.setWordWrap(True)
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notice.setStyleSheet(NOTICE_STYLE)
        self.notice.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(own)
        layout.addWidget(trust, 1)
        layout.addWidget(self.notice)

    def _buttons(self, specs: list[tuple[str, object]]) -> QHBoxLayout:
        row = QHBoxLayout()
        for code, slot in specs:
            button = QPushButton(self.texts(code))
            button.setMinimumHeight(36)
            button.ensurePolished()  # measure with the font it will be painted in
            words = button.fontMetrics().horizontalAdvance(button.text())
            button.setMinimumWidth(words + 32)  # never clip the words
            button.clicked.connect(slot)
            row.addWidget(button)
        row.addStretch(1)
        return row

    def _did(self, code: str, **params: object) -> None:
        self.notice.setText(self.texts(code, **params))
        self.notice.show()
        self.refresh()

    def refresh(self) -> None:
        self.runner.run(read_keys, self.workspace, on_done=self._show, on_error=self._fail)

    def _show(self, state: KeysState) -> None:
        if isinstance(state.own, CoreError):
            self.key_label.setText(describe_error(state.own, self.texts.lang))
        else:
            self.key_label.setText(
                self.texts("keys.own", key_id=state.own.key_id, fingerprint=state.own.fingerprint)
            )
        self.trust_table.setRowCount(len(state.trusted))
        for row, entry in enumerate(state.trusted):
            validity = (
                self.texts("keys.revoked_after", seq=entry.revoked_after_seq)
                if entry.revoked_after_seq is not None
                else self.texts("keys.valid")
            )
            cells = (entry.office_code, entry.office_name, entry.fingerprint, validity)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, entry.key_id)
                self.trust_table.setItem(row, column, item)

    def _fail(self, error: BaseException) -> None:
        self.runner.show_error(error, self)

    def _new_passphrase(self, title_code: str, with_old: bool) -> tuple[str, str] | None:
        """(old, new) from a dialog, the new one typed twice; None when cancelled or the two
        new ones differ (the clerk is told)."""
        fields = ["keys.new_passphrase", "keys.repeat_passphrase"]
        dialog = PassphraseDialog(
            self.texts,
            self.texts(title_code),
            ["keys.old_passphrase", *fields] if with_old else fields,
            self,
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        *old, new, again = dialog.values()
        if new != again:
            self._fail(CoreError("cli.passphrase_mismatch"))
            return None
        return (old[0] if old else "", new)

    def create_key(self) -> None:
        chosen = self._new_passphrase("keys.create", with_old=False)
        if chosen:
            self.runner.run(
                self.workspace.keys.create,
                chosen[1],
                on_done=lambda _i: self._did("keys.created"),
                on_error=self._fail,
            )

    def change_passphrase(self) -> None:
        chosen = self._new_passphrase("keys.passwd", with_old=True)
        if chosen:
            self.runner.run(
                self.workspace.keys.change_passphrase,
                *chosen,
                on_done=lambda _none: self._did("keys.passphrase_changed"),
                on_error=self._fail,
            )

    def rotate_key(self) -> None:
        chosen = self._new_passphrase("keys.rotate", with_old=True)
        if not chosen:
            return
        old, new = chosen
        folder = QFileDialog.getExistingDirectory(self, self.texts("keys.rotate_where"))
        if folder:
            self.runner.run(
                self._rotate,
                old,
                new,
                Path(folder),
                on_error=self._fail,
                on_done=lambda _path: self.refresh(),
            )

    def _rotate(self, old: str, new: str, folder: Path) -> Path:
        info, statement = self.workspace.keys.rotate(old, new)
        name = f"DOIKHOA_{self.workspace.office.code}_{info.key_id[:12]}.json"
        return write_atomic(folder / name, statement, verify=True)

    def accept_rotation(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.texts("keys.accept_rotation"), "", "*.json"
        )
        if path:
            self.runner.run(
                lambda: self.workspace.keys.accept_rotation(Path(path).read_bytes()),
                on_done=lambda _entry: self.refresh(),
                on_error=self._fail,
            )

    def export_public(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.texts("keys.export_public"))
        if folder:
            self.save_public_key(Path(folder))

    def save_public_key(self, folder: Path) -> None:
        self.runner.run(
            self._write_public_key,
            folder,
            on_done=lambda path: self._did("keys.public_saved", path=str(path)),
            on_error=self._fail,
        )

    def _write_public_key(self, folder: Path) -> Path:
        target = folder / f"KHOA_{self.workspace.office.code}.json"
        return write_atomic(target, self.workspace.keys.public_key_file(), verify=True)

    def print_sheet(self) -> None:
        self.runner.run(self._sheet, on_done=self._show_sheet, on_error=self._fail)

    def _sheet(self) -> tuple[bytes, str]:
        return self.workspace.documents.enrolment_sheet_pdf(), self.workspace.office.code

    def _show_sheet(self, sheet: tuple[bytes, str]) -> None:
        pdf, office_code = sheet
        name = f"phieu-dang-ky-khoa-{office_code}.pdf"
        PreviewDialog(
            pdf, self.texts("keys.print_sheet"), name, self.texts, self.runner, self
        ).exec()

    def add_trusted(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.texts("keys.trust_add"), "", "*.json")
        if path:
            self.trust_file(Path(path))

    def trust_file(self, path: Path, confirm: bool = True) -> None:
        try:
            key_file = self.workspace.keys.read_key_file(path.read_bytes())
        except (OSError, CoreError) as error:
            self._fail(error)
            return
        if (
            confirm
            and FingerprintDialog(self.texts, key_file, self).exec() != QDialog.DialogCode.Accepted
        ):
            return
        self.runner.run(
            self.workspace.keys.trust_unit,
            key_file,
            key_file.office_code,
            on_done=lambda _e: self.refresh(),
            on_error=self._fail,
        )

    def revoke_selected(self) -> None:
        item = self.trust_table.currentItem()
        if item is None:
            return
        seq, ok = QInputDialog.getInt(
            self, self.texts("keys.trust_revoke"), self.texts("keys.revoke_after"), 0, 0, 999999
        )
        if ok:
            key_id = item.data(Qt.ItemDataRole.UserRole)
            self.runner.run(
                self.workspace.keys.revoke,
                key_id,
                seq,
                on_done=lambda _r: self.refresh(),
                on_error=self._fail,
            )
