"""What a clerk can read on a window, and the raw codes that must never be among it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractListModel,
    QAbstractTableModel,
    QModelIndex,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QTabWidget,
    QWidget,
)

from desktop_app.core.paths import resource
from desktop_app.core.reports.status import Status
from desktop_app.ui.period_box import PeriodBox

ROW_LIMIT = 200
# Fields whose hint teaches the codes one may type (2025Q1 for an older quarter).
TEACHES_CODES = (PeriodBox,)

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
PERIOD_CODE = re.compile(
    r"\b(?:\d{4}(?:Q[1-4]|S[12])|(?:SK|TK)\d{4}|(?:19|20)\d{2}(?:0[1-9]|1[0-2]))\b"
)
STATUS_WORD = re.compile(r"\b(?:" + "|".join(status.value for status in Status) + r")\b")


@cache
def _catalogue_key() -> re.Pattern[str]:
    codes: set[str] = set()
    for path in resource("messages").glob("*.json"):
        codes.update(json.loads(path.read_text(encoding="utf-8")))
    spaces = sorted({code.split(".", 1)[0] for code in codes if "." in code})
    return re.compile(
        r"\b(?:" + "|".join(map(re.escape, spaces)) + r")\.[a-z0-9_]+(?:\.[a-z0-9_]+)*"
    )


def raw_codes(text: str) -> list[str]:
    """The pieces of ``text`` a clerk should never be shown."""
    found: list[str] = []
    for pattern in (_catalogue_key(), ISO_DATE, PERIOD_CODE, STATUS_WORD):
        found.extend(match.group(0) for match in pattern.finditer(text))
    return found


def visible_texts(window: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for every text shown by ``window`` and the widgets in it that are shown:
    titles, labels, buttons, fields, lists, tables, tabs, menus and tooltips."""
    yield type(window).__name__ + " title", window.windowTitle()
    for widget in [window, *window.findChildren(QWidget)]:
        if not widget.isVisibleTo(window) and widget is not window:
            continue
        where = f"{type(widget).__name__} {widget.objectName()}".strip()
        yield from ((where, text) for text in _texts_of(widget))
        if not isinstance(widget, TEACHES_CODES):
            yield where + " tooltip", widget.toolTip()


def _texts_of(widget: QWidget) -> Iterator[str]:
    if isinstance(widget, QLabel | QAbstractButton):
        yield widget.text()
    elif isinstance(widget, QLineEdit):
        yield widget.text()
        yield widget.placeholderText()
    elif isinstance(widget, QComboBox):
        yield from (widget.itemText(index) for index in range(widget.count()))
    elif isinstance(widget, QGroupBox):
        yield widget.title()
    elif isinstance(widget, QTabWidget):
        yield from (widget.tabText(index) for index in range(widget.count()))
    elif isinstance(widget, QMenu):
        yield widget.title()
        yield from (action.text() for action in widget.actions())
    elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
        yield from _model_texts(widget.model())


def _model_texts(model: QAbstractItemModel, parent: QModelIndex | None = None) -> Iterator[str]:
    parent = parent or QModelIndex()
    display = Qt.ItemDataRole.DisplayRole
    # Flat models keep columnCount/hasChildren private in PySide.
    flat = isinstance(model, (QAbstractListModel, QAbstractTableModel))
    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(parent)
    for column in range(columns):
        if not parent.isValid():
            yield str(model.headerData(column, Qt.Orientation.Horizontal, display) or "")
    for row in range(min(model.rowCount(parent), ROW_LIMIT)):
        for column in range(columns):
            index = model.index(row, column, parent)
            yield str(model.data(index, display) or "")
            if column == 0 and not flat and model.hasChildren(index):
                yield from _model_texts(model, index)


def raw_codes_on(window: QWidget) -> list[tuple[str, str, list[str]]]:
    """(where, text, codes) for every visible text holding a raw code."""
    found = []
    for where, text in visible_texts(window):
        codes = raw_codes(text)
        if codes:
            found.append((where, text, codes))
    return found
