"""Qt's own words (OK, Cancel, Yes, No, Save… on standard buttons and message boxes) in
Vietnamese.

Qt ships no Vietnamese translation of its base library, so without this every dialog would
mix Vietnamese sentences with English buttons. The words are looked up in the one catalogue
(``qt.<source text>``), so English needs nothing and other languages can be added as data.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTranslator

from desktop_app.core.catalogue import message

# The Qt contexts whose standard texts the windows show.
_CONTEXTS = frozenset(
    {
        "QPlatformTheme",
        "QDialogButtonBox",
        "QMessageBox",
        "QWizard",
        "QFileDialog",
        "QFileSystemModel",
        "QAbstractFileIconProvider",
        "QPrintDialog",
        "QPrintSettingsOutput",
        "QPrintWidget",
        "QInputDialog",
        "QLineEdit",
        "QWidgetTextControl",
    }
)


class QtWords(QTranslator):
    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        # None becomes a null QString, which tells Qt "no translation here"; an empty string
        # would be taken as a translation and blank out words such as "Ctrl".
        if context not in _CONTEXTS or not source:
            return None
        code = f"qt.{source}"
        text = message(code, self.lang)
        return None if text == code else text


_installed: QtWords | None = None


def use_language(lang: str) -> None:
    """Install (or replace) the translator for ``lang``; English uses Qt's own words."""
    global _installed
    app = QCoreApplication.instance()
    if app is None:
        return
    if _installed is not None:
        app.removeTranslator(_installed)
        _installed = None
    if lang != "en":
        _installed = QtWords(lang)
        app.installTranslator(_installed)
