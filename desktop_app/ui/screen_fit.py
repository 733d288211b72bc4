"""Window sizes that fit the screen: offices use 1366×768 laptops, where a window asking
for 800 pixels of height hides its own buttons and messages below the task bar."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

FRAME_ALLOWANCE = QSize(16, 40)  # the window manager's title bar and borders


def available_size(widget: QWidget | None = None) -> QSize | None:
    """The screen's area without task bars, for the screen ``widget`` is on (or the primary)."""
    screen = widget.screen() if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry().size() if screen is not None else None


def fitting_size(width: int, height: int, widget: QWidget | None = None) -> QSize:
    """``width``×``height``, made smaller where the available area (frame included) is."""
    room = available_size(widget)
    if room is None:
        return QSize(width, height)
    return QSize(
        min(width, room.width() - FRAME_ALLOWANCE.width()),
        min(height, room.height() - FRAME_ALLOWANCE.height()),
    )


def resize_to_fit(widget: QWidget, width: int, height: int) -> None:
    widget.resize(fitting_size(width, height, widget))
