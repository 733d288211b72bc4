"""What the window tells the clerk: whole sentences, real menu paths, confirmations."""

from __future__ import annotations

import json
import re
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from desktop_app.core.paths import resource
from desktop_app.core.workspace import Workspace
from desktop_app.ui.exchange.approve import ApproveDialog
from desktop_app.ui.exchange.keys_dialog import KeysDialog, PassphraseDialog
from desktop_app.ui.exchange.packages_flow import PackagesFlow
from desktop_app.ui.i18n import Texts
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.tasks import TaskRunner
from tests.core.exchange.bundles.conftest import Offices

MENU_PATH = re.compile(r"menu ([^→]+?) → ([^→.,)]+…)")
COMMAND_LINE = re.compile(r"«baocao [a-z]")


def window_sentences(lang: str) -> dict[str, str]:
    """Every sentence the windows can show (the command line's own ones left out)."""
    sentences: dict[str, str] = {}
    for path in sorted(resource("messages").glob(f"*.{lang}.json")):
        if not path.name.startswith("cli."):
            sentences.update(json.loads(path.read_text(encoding="utf-8")))
    return {code: text for code, text in sentences.items() if not code.startswith("cli.")}


def plain(text: str) -> str:
    return text.replace("&", "").split("\t")[0]


def test_menu_paths_in_sentences_exist_and_none_sends_the_clerk_to_the_command_line(
    window: MainWindow,
) -> None:
    for lang in ("vi", "en"):
        window.set_language(lang)
        menus = {
            plain(menu.title()): {plain(action.text()) for action in menu.actions()}
            for menu in window.menus.values()
        }
        named = 0
        for code, text in window_sentences(lang).items():
            assert not COMMAND_LINE.search(text), f"{code} points to the command line: {text}"
            for menu, entry in MENU_PATH.findall(text):
                named += 1
                assert menu in menus, f"{code}: no menu «{menu}»"
                assert entry in menus[menu], f"{code}: no «{entry}» in menu «{menu}»"
        assert named >= 2
    window.set_language("vi")


def test_the_wrong_passphrase_message_shows_whole(qtbot: QtBot, offices: Offices) -> None:
    report_id = offices.filled_report()
    dialog = ApproveDialog(
        offices.ward, TaskRunner(), Texts("vi"), report_id, ("Lê Văn Bình", "Bí thư")
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: "lần 1" in dialog.intro.text())
    dialog.passphrase.setText("không đúng")
    dialog.submit()
    qtbot.waitUntil(lambda: bool(dialog.message.text()))
    label = dialog.message
    qtbot.waitUntil(lambda: label.height() >= label.heightForWidth(label.width()))
    bottom = label.mapTo(dialog, label.rect().bottomLeft()).y()
    assert bottom <= dialog.height()
    assert dialog.buttons.geometry().top() >= bottom


def test_exporting_the_public_key_says_where_it_went(
    qtbot: QtBot, offices: Offices, tmp_path: Path
) -> None:
    dialog = KeysDialog(offices.ward, TaskRunner(), Texts("vi"))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.save_public_key(tmp_path)
    qtbot.waitUntil(dialog.notice.isVisible)
    written = tmp_path / f"KHOA_{offices.ward.office.code}.json"
    assert written.exists()
    assert "Đã lưu tệp khóa công khai" in dialog.notice.text()
    assert str(written) in dialog.notice.text()


def test_receipts_without_a_key_say_so_before_asking_anything(
    qtbot: QtBot, workspace: Workspace, runner: TaskRunner, texts: Texts
) -> None:
    """The ward before it made its key (the demo's ward has one)."""
    seen: list[str] = []

    def answer() -> None:
        modal = QApplication.activeModalWidget()
        if modal is None:
            QTimer.singleShot(20, answer)
            return
        seen.append(type(modal).__name__)
        if isinstance(modal, QMessageBox):
            seen.append(modal.text())
        modal.close()

    flow = PackagesFlow(workspace, runner, texts, parent=None)  # type: ignore[arg-type]
    QTimer.singleShot(0, answer)
    flow.build_receipts()
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=10000)
    assert seen[0] == "QMessageBox" and PassphraseDialog.__name__ not in seen
    assert "chưa có khóa ký" in seen[1] and "Tạo khóa…" in seen[1]
