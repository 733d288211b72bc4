"""When the store cannot be opened (damaged, empty, foreign): say so and offer a backup.

The main window cannot exist without a store, so the offer comes before it: the newest good
backup core found, or one the clerk picks; core moves the unusable file aside (never deleting
it) and puts the backup in its place, and the app starts again.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from desktop_app.core.catalogue import describe, message
from desktop_app.core.errors import CoreError
from desktop_app.core.workspace import Workspace

UNUSABLE_STORE = frozenset({"store.damaged", "store.empty", "store.foreign"})


def offer_restore(error: CoreError, root: Path, lang: str) -> bool:
    """Offer the newest good backup (when core found one) or another the clerk picks; True once
    a backup has been put in place of the unusable store."""
    box = QMessageBox(QMessageBox.Icon.Critical, message("shell.app_name", lang), "")
    box.setText(describe(error, lang))
    newest = str(error.params.get("backup") or "")
    restore_newest = (
        box.addButton(message("shell.rescue.newest", lang), box.ButtonRole.AcceptRole)
        if newest
        else None
    )
    choose = box.addButton(message("shell.rescue.restore", lang), box.ButtonRole.ActionRole)
    box.addButton(message("shell.dismiss", lang), box.ButtonRole.RejectRole)
    box.exec()
    clicked = box.clickedButton()
    if restore_newest is not None and clicked is restore_newest:
        return _restore(root, Path(newest), lang)
    if clicked is choose:
        path, _filter = QFileDialog.getOpenFileName(
            None,
            message("shell.restore.choose", lang),
            str(root / "backups"),
            message("shell.restore.filter", lang),
        )
        return bool(path) and _restore(root, Path(path), lang)
    return False


def _restore(root: Path, backup: Path, lang: str) -> bool:
    try:
        aside = Workspace.restore_unusable(root, backup)
    except CoreError as refused:
        QMessageBox.critical(None, message("shell.app_name", lang), describe(refused, lang))
        return False
    done = message("shell.rescue.done", lang, name=backup.name, aside=str(aside))
    QMessageBox.information(None, message("shell.app_name", lang), done)
    return True
