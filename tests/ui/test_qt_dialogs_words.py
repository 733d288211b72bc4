"""Qt's own file and print dialogs (what Linux shows without a desktop's native ones) speak
Vietnamese: their labels, buttons and column headers, not only OK and Cancel."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QFileDialog, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.ui.qt_words import use_language
from tests.ui.screens.visible import visible_texts

ENGLISH = {
    "&Look in:",
    "File &name:",
    "Files of &type:",
    "Name",
    "Size",
    "Type",
    "Date Modified",
    "Folder",
    "Computer",
    "&Save",
    "Cancel",
    "Printer",
    "&Name:",
    "Location:",
    "Type:",
    "Output &file:",
    "P&roperties",
    "&Options >>",
    "&Print",
}


@pytest.fixture(autouse=True)
def _vietnamese() -> Iterator[None]:
    use_language("vi")
    yield
    use_language("en")


def _texts(widget: QWidget) -> set[str]:
    return {text for _where, text in visible_texts(widget)}


def test_the_save_dialog(qtbot: QtBot, tmp_path: object) -> None:
    dialog = QFileDialog(None, "Lưu PDF", str(tmp_path), "PDF (*.pdf)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    qtbot.addWidget(dialog)
    dialog.show()
    texts = _texts(dialog)
    assert {"&Tìm trong:", "&Tên tệp:", "&Loại tệp:", "Tên", "Cỡ", "Loại", "Ngày sửa"} <= texts
    assert not texts & ENGLISH


def test_the_print_dialog(qtbot: QtBot) -> None:
    printer = QPrinter()
    dialog = QPrintDialog(printer)
    qtbot.addWidget(dialog)
    dialog.show()
    texts = _texts(dialog)
    assert {"&Tên:", "&Tùy chọn >>", "&In", "Hủy"} <= texts
    assert not texts & ENGLISH
