"""The check panel under the editor: every error and warning as a sentence; double-click (or
Enter, Qt's "activated") takes the clerk to the field that needs fixing."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from desktop_app.core.catalogue import message
from desktop_app.core.reports.templates import Template
from desktop_app.core.reports.validation import ERROR, Issue
from desktop_app.ui.editor.texts import describe

FIELD_ROLE = Qt.ItemDataRole.UserRole + 1
CODE_ROLE = Qt.ItemDataRole.UserRole + 2
SEVERITY_COLOURS = {ERROR: QColor("#b3261e"), "warning": QColor("#8a5a00")}


class ValidationPanel(QWidget):
    """``jump(field)`` with the issue's field: an indicator, a section or a rule id."""

    jump = Signal(str)

    def __init__(self, lang: str = "vi", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lang = lang
        self._shown: list[Issue] | None = None
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-weight: 600;")
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.itemActivated.connect(self._activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(4)
        layout.addWidget(self.summary)
        layout.addWidget(self.list)
        self.setFocusProxy(self.list)

    def show_issues(self, issues: list[Issue], template: Template) -> None:
        if issues == self._shown:
            return  # most keystrokes change no issue; keep the list (and its selection) still
        self._shown = list(issues)
        ordered = sorted(issues, key=lambda i: i.severity != ERROR)  # errors first, stable
        self.list.clear()
        for issue in ordered:
            self.list.addItem(self._item(issue, template))
        errors = sum(1 for i in issues if i.severity == ERROR)
        if issues:
            self.summary.setText(
                message(
                    "editor.issues.summary",
                    self.lang,
                    errors=errors,
                    warnings=len(issues) - errors,
                )
            )
        else:
            self.summary.setText(message("editor.issues.none", self.lang))

    def _item(self, issue: Issue, template: Template) -> QListWidgetItem:
        label = message(f"editor.issues.{issue.severity}", self.lang)
        item = QListWidgetItem(f"{label}: {describe(issue, template, self.lang)}")
        item.setData(FIELD_ROLE, issue.field)
        item.setData(CODE_ROLE, issue.code)
        item.setForeground(QBrush(SEVERITY_COLOURS.get(issue.severity, QColor("#333"))))
        return item

    def codes(self) -> list[tuple[str, str]]:
        """(code, field) of every line shown, for tests and the shell."""
        return [
            (str(item.data(CODE_ROLE)), str(item.data(FIELD_ROLE)))
            for item in (self.list.item(row) for row in range(self.list.count()))
        ]

    def _activated(self, item: QListWidgetItem) -> None:
        self.jump.emit(str(item.data(FIELD_ROLE)))
