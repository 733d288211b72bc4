"""Windows sized for the screen they open on: a laptop's 1366×768 is the smallest the offices
use, and a window taller than its screen hides its own buttons and messages."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

# What the window manager draws around a window (title bar and borders, Windows at 100 %):
# the screen's free area must hold the window and its frame.
FRAME = QSize(16, 40)


def free_room(window: QWidget) -> QSize:
    """The largest window (without its frame) that fits the free area of its screen."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry().size() - FRAME


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """Resize ``window`` to ``width`` × ``height``, or less where its screen is smaller."""
    room = free_room(window)
    window.resize(min(width, room.width()), min(height, room.height()))
