"""The user guide (docs/huong-dan-su-dung.md) in a window, readable without a browser."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from desktop_app.core.paths import resources_dir
from desktop_app.ui.i18n import Texts
from desktop_app.ui.screen_fit import resize_to_fit

GUIDE_NAME = "huong-dan-su-dung.md"


def guide_path() -> Path:
    """docs/ sits beside resources/ in the source tree and in the frozen build."""
    return resources_dir().parent / "docs" / GUIDE_NAME


def guide_text(texts: Texts) -> str:
    try:
        return guide_path().read_text(encoding="utf-8")
    except OSError:
        return texts("shell.help.missing", path=str(guide_path()))


class HelpDialog(QDialog):
    def __init__(self, texts: Texts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(texts("shell.help.title"))
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        self.browser.setSearchPaths([str(guide_path().parent)])  # for the screenshots
        self.browser.setMarkdown(guide_text(texts))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(texts("shell.close"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        resize_to_fit(self, 900, 700)
