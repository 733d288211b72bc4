"""Standard buttons speak the clerk's language: no English "Cancel" beside Vietnamese text."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialogButtonBox, QWizard
from pytestqt.qtbot import QtBot

from desktop_app.ui.qt_words import use_language


@pytest.fixture(autouse=True)
def _back_to_english() -> Iterator[None]:
    yield
    use_language("en")


def _buttons() -> QDialogButtonBox:
    return QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok
        | QDialogButtonBox.StandardButton.Cancel
        | QDialogButtonBox.StandardButton.Yes
    )


def test_standard_buttons_in_vietnamese(qtbot: QtBot) -> None:
    use_language("vi")
    box = _buttons()
    qtbot.addWidget(box)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "Hủy"
    assert box.button(QDialogButtonBox.StandardButton.Ok).text() == "Đồng ý"
    assert box.button(QDialogButtonBox.StandardButton.Yes).text() == "&Có"
    wizard = QWizard()
    qtbot.addWidget(wizard)
    assert wizard.buttonText(QWizard.WizardButton.CancelButton) == "Hủy"


def test_words_it_does_not_know_stay_as_qt_has_them() -> None:
    use_language("vi")
    native = QKeySequence.SequenceFormat.NativeText
    assert QKeySequence("Ctrl+S").toString(native) == "Ctrl+S"


def test_english_keeps_qt_words(qtbot: QtBot) -> None:
    use_language("vi")
    use_language("en")
    box = _buttons()
    qtbot.addWidget(box)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "Cancel"
