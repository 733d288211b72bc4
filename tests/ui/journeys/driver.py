"""Driving the real windows as a clerk does: menus by their text, buttons by mouse, keys to the
widget that has the focus, and modal dialogs answered when they appear.

A modal dialog opened with ``exec()`` blocks the code that opened it, so its answer is
arranged before the click that opens it (``expect``); the answer runs once the dialog is the
active modal widget. A message box nobody expected is recorded and closed, so a journey fails
with its text instead of hanging."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QEvent, QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QApplication,
    QDialog,
    QFileDialog,
    QLineEdit,
    QMenu,
    QMessageBox,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)
from pytestqt.qtbot import QtBot

from desktop_app.ui.main_window import MainWindow

W = TypeVar("W", bound=QWidget)
POLL_MS = 10
TIMEOUT_MS = 20_000


def plain(text: str) -> str:
    """A menu or button text as read: no mnemonic marks, no shortcut column."""
    return text.replace("&", "").split("\t")[0].strip()


@dataclass
class Expected:
    kind: type[QWidget]
    answer: Callable[[QWidget], None]
    done: bool = False


@dataclass
class Driver:
    qtbot: QtBot
    expected: list[Expected] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    window: MainWindow | None = None

    def __post_init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self._look_for_modals)
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    # --- modal dialogs ---------------------------------------------------------------------

    def expect(self, kind: type[W], answer: Callable[[W], None]) -> Expected:
        """Answer the next modal ``kind`` with ``answer`` as soon as it is in front."""
        expected = Expected(kind, answer)  # type: ignore[arg-type]
        self.expected.append(expected)
        return expected

    def answered(self, expected: Expected) -> None:
        self.qtbot.waitUntil(lambda: expected.done, timeout=TIMEOUT_MS)

    def _look_for_modals(self) -> None:
        modal = QApplication.activeModalWidget()
        if modal is None or not modal.isVisible():
            return
        for expected in self.expected:
            if not expected.done and isinstance(modal, expected.kind):
                expected.done = True
                self.expected.remove(expected)
                try:
                    expected.answer(modal)
                except Exception as error:  # a failed answer must not leave the dialog up
                    self.unexpected.append(f"answering {type(modal).__name__}: {error!r}")
                    modal.close()
                return
        if isinstance(modal, QMessageBox):  # nobody asked for it: keep the text, go on
            self.unexpected.append(modal.text())
            modal.close()

    def modal(self, kind: type[W]) -> W:
        """The dialog of ``kind`` once it is the active modal widget (opened with ``open``)."""
        self.qtbot.waitUntil(
            lambda: isinstance(QApplication.activeModalWidget(), kind), timeout=TIMEOUT_MS
        )
        found = QApplication.activeModalWidget()
        assert isinstance(found, kind)
        return found

    def no_modal(self) -> None:
        self.qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None, timeout=TIMEOUT_MS)

    # --- menus, buttons, keys --------------------------------------------------------------

    def menu(self, menu_title: str, entry: str) -> None:
        """Trigger the menu entry ``entry`` of the menu titled ``menu_title``."""
        assert self.window is not None
        menus = {plain(a.text()): a.menu() for a in self.window.menuBar().actions()}
        menu = menus[menu_title]
        assert isinstance(menu, QMenu), f"no menu {menu_title!r} in {list(menus)}"
        menu.aboutToShow.emit()  # as opening it would: entries may update themselves
        actions = {plain(a.text()): a for a in menu.actions() if not a.isSeparator()}
        action = actions.get(entry)
        assert isinstance(action, QAction), f"no {entry!r} in menu {menu_title!r}: {list(actions)}"
        assert action.isEnabled(), f"{menu_title} → {entry} is greyed out"
        action.trigger()

    def click(self, widget: QWidget, where: QPoint | None = None) -> None:
        """A left click (the centre unless ``where``), as on screen: into a text box's or a
        list's viewport, in a window brought to the front first."""
        if isinstance(widget, QAbstractScrollArea) and where is None:
            widget = widget.viewport()
        assert widget.isVisible() and widget.isEnabled(), f"cannot click {widget}"
        if not widget.window().isActiveWindow():
            self.activate(widget)
        position = where if where is not None else widget.rect().center()
        self.qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=position)

    def button(self, parent: QWidget, text: str) -> QAbstractButton:
        """The visible button reading ``text`` inside ``parent``."""
        found = [
            b
            for b in parent.findChildren(QAbstractButton)
            if plain(b.text()) == text and b.isVisible()
        ]
        assert len(found) == 1, f"{len(found)} buttons read {text!r}"
        return found[0]

    def press_button(self, parent: QWidget, text: str) -> None:
        self.click(self.button(parent, text))

    def activate(self, widget: QWidget) -> None:
        top = widget.window()
        top.activateWindow()
        top.raise_()
        self.qtbot.waitUntil(top.isActiveWindow, timeout=TIMEOUT_MS)

    def keys(self, sequence: str) -> None:
        """A shortcut such as "Ctrl+P", to the window in front (a modal dialog, else the main
        window), where the focused widget receives it."""
        combination = QKeySequence(sequence)[0]
        front = QApplication.activeModalWidget() or self.window
        assert front is not None
        if not front.isActiveWindow():
            self.activate(front)
        target = QApplication.focusWidget() or front
        self.qtbot.keyClick(target, combination.key(), combination.keyboardModifiers())

    def type(self, text: str) -> None:
        """Type ``text`` key by key into whatever has the focus, as a keyboard does (a table
        cell opens its editor on the first key, which then takes the rest)."""
        for character in text:
            target = QApplication.focusWidget()
            assert target is not None, "nothing has the keyboard focus"
            if character.isascii():
                self.qtbot.keyClicks(target, character)
            else:  # QTest knows ASCII keys only; a Vietnamese keyboard sends the letter as text
                for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                    event = QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, character)
                    QApplication.sendEvent(target, event)

    def enter(self) -> None:
        target = QApplication.focusWidget()
        assert target is not None
        self.qtbot.keyClick(target, Qt.Key.Key_Return)

    def click_tree_item(self, tree: QTreeWidget, item: QTreeWidgetItem) -> None:
        tree.scrollToItem(item)
        self.click(tree.viewport(), tree.visualItemRect(item).center())

    def click_cell(self, view: QAbstractItemView, row: int, column: int) -> None:
        index = view.model().index(row, column)
        view.scrollTo(index)
        self.click(view.viewport(), view.visualRect(index).center())


def choose_path(path: Path) -> Callable[[QFileDialog], None]:
    """The answer to a file or folder dialog: type ``path`` as its name and confirm."""

    def answer(dialog: QFileDialog) -> None:
        name = dialog.findChild(QLineEdit, "fileNameEdit")
        assert isinstance(name, QLineEdit), "not Qt's own file dialog"
        dialog.setDirectory(str(path if path.is_dir() else path.parent))
        name.setText(str(path))
        dialog.accept()

    return answer


def confirm(button: QMessageBox.StandardButton) -> Callable[[QMessageBox], None]:
    def answer(box: QMessageBox) -> None:
        chosen = box.button(button)
        assert chosen is not None, f"the box has no {button}: {box.text()}"
        chosen.click()

    return answer


def accept_dialog(fill: Callable[[QDialog], None]) -> Callable[[QDialog], None]:
    def answer(dialog: QDialog) -> None:
        fill(dialog)
        dialog.accept()

    return answer
