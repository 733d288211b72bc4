"""The clerk's preferences (language, text size, window layout, backup folder) and their dialog.

Preferences belong to the person at the computer, not to the office's data, so they live in
QSettings (an INI file in the user's profile) rather than in the workspace database. The INI
format is used on every platform so tests can point the whole store at a temporary folder with
``QSettings.setPath``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Signal
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.catalogue import DEFAULT_LANGUAGE, LANGUAGES
from desktop_app.core.paths import resource
from desktop_app.ui.i18n import Texts

ORGANISATION = "BaoCao"
APPLICATION = "BaoCao"
DEFAULT_FONT_SIZE = 11
SMALLEST_FONT_SIZE = 8
LARGEST_FONT_SIZE = 28
UI_FONT_FILES = tuple(f"LiberationSans-{style}.ttf" for style in ("Regular", "Bold", "Italic"))
PROFILES = ("party", "state")
ROLES = ("clerk", "head", "upper_clerk")


class AppSettings:
    """Typed access to the stored preferences; bad stored values fall back to defaults."""

    def __init__(self, store: QSettings | None = None) -> None:
        self.store = store or QSettings(
            QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION
        )

    def _text(self, key: str, default: str, allowed: tuple[str, ...] | None = None) -> str:
        value = self.store.value(key, default)
        text = value if isinstance(value, str) else default
        return text if allowed is None or text in allowed else default

    @property
    def language(self) -> str:
        return self._text("language", DEFAULT_LANGUAGE, LANGUAGES)

    @language.setter
    def language(self, lang: str) -> None:
        self.store.setValue("language", lang if lang in LANGUAGES else DEFAULT_LANGUAGE)

    @property
    def font_size(self) -> int:
        try:
            size = int(str(self.store.value("font_size", DEFAULT_FONT_SIZE)))
        except ValueError:
            return DEFAULT_FONT_SIZE
        return clamp_font_size(size)

    @font_size.setter
    def font_size(self, size: int) -> None:
        self.store.setValue("font_size", clamp_font_size(size))

    @property
    def geometry(self) -> QByteArray | None:
        value = self.store.value("window/geometry")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self.store.setValue("window/geometry", value)

    @property
    def backup_folder(self) -> Path | None:
        text = self._text("backup_folder", "")
        return Path(text) if text else None

    @backup_folder.setter
    def backup_folder(self, folder: Path | None) -> None:
        self.store.setValue("backup_folder", str(folder) if folder else "")

    @property
    def document_profile(self) -> str:
        return self._text("document_profile", "party", PROFILES)

    @document_profile.setter
    def document_profile(self, profile: str) -> None:
        self.store.setValue("document_profile", profile if profile in PROFILES else "party")

    @property
    def role(self) -> str:
        return self._text("role", "clerk", ROLES)

    @role.setter
    def role(self, role: str) -> None:
        self.store.setValue("role", role if role in ROLES else "clerk")

    def sync(self) -> None:
        self.store.sync()


def clamp_font_size(size: int) -> int:
    return max(SMALLEST_FONT_SIZE, min(LARGEST_FONT_SIZE, size))


class BackupFolderField(QWidget):
    """A path box with a "Chọn…" button; empty means the workspace's own backups folder."""

    changed = Signal()

    def __init__(self, texts: Texts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.texts = texts
        self.edit = QLineEdit()
        self.edit.textChanged.connect(self.changed)
        self.button = QPushButton()
        self.button.clicked.connect(self._choose)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.button)
        texts.changed.connect(self.retranslate)
        self.retranslate()

    def retranslate(self) -> None:
        self.edit.setPlaceholderText(self.texts("shell.backup.default_folder"))
        self.button.setText(self.texts("shell.choose_folder"))

    @property
    def folder(self) -> Path | None:
        text = self.edit.text().strip()
        return Path(text) if text else None

    @folder.setter
    def folder(self, value: Path | None) -> None:
        self.edit.setText(str(value) if value else "")

    def _choose(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, self.texts("shell.backup.choose_title"))
        if chosen:
            self.edit.setText(chosen)


class SettingsDialog(QDialog):
    """Language, text size and backup folder. Applying is left to the caller."""

    def __init__(self, settings: AppSettings, texts: Texts, parent: QWidget | None = None):
        super().__init__(parent)
        self.texts = texts
        self.language = language_combo(texts, settings.language)
        self.font_size = QSpinBox()
        self.font_size.setRange(SMALLEST_FONT_SIZE, LARGEST_FONT_SIZE)
        self.font_size.setValue(settings.font_size)
        self.backup = BackupFolderField(texts)
        self.backup.folder = settings.backup_folder
        self.note = QLabel()
        self.note.setWordWrap(True)
        self._build()
        self.retranslate()

    def _build(self) -> None:
        self.form = QFormLayout()
        self.form_labels = [QLabel() for _ in range(3)]
        for label, field in zip(
            self.form_labels, (self.language, self.font_size, self.backup), strict=True
        ):
            label.setBuddy(field)
            self.form.addRow(label, field)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.note)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    def retranslate(self) -> None:
        self.setWindowTitle(self.texts("shell.settings.title"))
        labels = ("shell.settings.language", "shell.settings.font_size", "shell.settings.backup")
        for label, code in zip(self.form_labels, labels, strict=True):
            label.setText(self.texts(code))
        self.font_size.setSuffix(self.texts("shell.settings.points"))
        self.note.setText(self.texts("shell.settings.note"))

    def chosen_language(self) -> str:
        return str(self.language.currentData())


def language_combo(texts: Texts, current: str) -> QComboBox:
    """Each language named in itself, so a clerk who cannot read the other one finds theirs."""
    combo = QComboBox()
    for lang in LANGUAGES:
        combo.addItem(texts.in_language(lang, "shell.language.name"), lang)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    return combo


# --- text size and look --------------------------------------------------------------------------


def install_ui_font() -> str:
    """Register the bundled Liberation Sans (all Vietnamese letters, same look on every
    computer) and return its family; the platform's font only if the files are missing."""
    families: list[str] = []
    for name in UI_FONT_FILES:
        font_id = QFontDatabase.addApplicationFont(str(resource("fonts", name)))
        if font_id >= 0:
            families += QFontDatabase.applicationFontFamilies(font_id)
    return families[0] if families else QApplication.font().family()


def apply_font(family: str, size: int) -> None:
    """Set the text size of the whole application; titles keep their proportion."""
    font = QFont(family)
    font.setPointSize(clamp_font_size(size))
    QApplication.setFont(font)
    for widget in QApplication.allWidgets():
        if widget.styleSheet():
            # A widget with a style sheet took its font when polished and keeps it: the
            # report's text, the guidance and the tables would stay small after Ctrl+=.
            widget.setStyleSheet(widget.styleSheet())
        if isinstance(widget, TitleLabel):
            widget.refresh_font()


class TitleLabel(QLabel):
    """A bold heading sized relative to the application font, so zoom scales it too."""

    def __init__(self, scale: float = 1.3, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scale = scale
        self.setWordWrap(True)
        self.refresh_font()

    def refresh_font(self) -> None:
        font = QFont(QApplication.font())
        font.setPointSizeF(font.pointSizeF() * self.scale)
        font.setBold(True)
        self.setFont(font)


def icon(name: str) -> QIcon:
    return QIcon(str(resource("icons", f"{name}.svg")))
