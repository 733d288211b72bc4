"""When the store cannot be opened (damaged, empty, foreign): say so and offer a backup.

The main window cannot exist without a store, so the offer comes before it: the clerk picks a
backup, core moves the unusable file aside (never deleting it) and puts the backup in its place,
and the app starts again.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from desktop_app.core.catalogue import describe, message
from desktop_app.core.errors import CoreError
from desktop_app.core.workspace import Workspace

UNUSABLE_STORE = frozenset({"store.damaged", "store.empty", "store.foreign"})


def offer_restore(error: CoreError, root: Path, lang: str) -> bool:
    """Ask whether to restore a backup into ``root``; True once one has been put in place."""
    box = QMessageBox(QMessageBox.Icon.Critical, message("shell.app_name", lang), "")
    box.setText(describe(error, lang))
    restore = box.addButton(message("shell.rescue.restore", lang), box.ButtonRole.AcceptRole)
    box.addButton(message("shell.dismiss", lang), box.ButtonRole.RejectRole)
    box.exec()
    if box.clickedButton() is not restore:
        return False
    path, _filter = QFileDialog.getOpenFileName(
        None,
        message("shell.restore.choose", lang),
        str(root / "backups"),
        message("shell.restore.filter", lang),
    )
    if not path:
        return False
    try:
        safety = Workspace.restore_unusable(root, Path(path))
    except CoreError as refused:
        QMessageBox.critical(None, message("shell.app_name", lang), describe(refused, lang))
        return False
    done = message("shell.rescue.done", lang, name=Path(path).name, aside=str(safety))
    QMessageBox.information(None, message("shell.app_name", lang), done)
    return True
