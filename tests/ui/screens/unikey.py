"""Typing the way Unikey and EVKey do on Windows: each tone or hat mark is a Backspace that
removes the letter just typed, then the composed letter sent as text (no key code).

"Việt" arrives as V, i, e, ⌫ ẹ, ⌫ ệ, t: every state a clerk's text passes through on screen.
"""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

BACKSPACE = "\b"
STROKED = {"đ": "d", "Đ": "D"}


def keystrokes(text: str) -> list[str]:
    """The characters and Backspaces an input method sends for ``text``."""
    strokes: list[str] = []
    for letter in unicodedata.normalize("NFC", text):
        base, *marks = unicodedata.normalize("NFD", letter)
        if base in STROKED:  # "dd" gives đ
            strokes += [STROKED[base], BACKSPACE]
        strokes.append(base)
        built = base
        for mark in marks:
            built = unicodedata.normalize("NFC", built + mark)
            strokes += [BACKSPACE, built]
    return strokes


def type_like_unikey(target: QWidget, text: str) -> None:
    """Send ``text`` to whichever widget has the focus (``target`` when none has)."""
    for stroke in keystrokes(text):
        widget = QApplication.focusWidget() or target
        if stroke == BACKSPACE:
            _key(widget, Qt.Key.Key_Backspace, "\b")
        else:
            _key(widget, _key_code(stroke), stroke)


def _key_code(stroke: str) -> Qt.Key:
    """Letters and digits carry their key; a composed letter comes as text alone (VK_PACKET)."""
    if stroke.isascii() and stroke.isalnum():
        return Qt.Key(ord(stroke.upper()))
    if stroke == " ":
        return Qt.Key.Key_Space
    if stroke.isascii():
        return Qt.Key(ord(stroke))
    return Qt.Key.Key_unknown


def _key(widget: QWidget, key: Qt.Key, text: str) -> None:
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, text))
