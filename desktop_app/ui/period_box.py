"""A period chooser that shows periods by name («Quý IV năm 2026») and hands out their codes.

The running period and the ones before it are listed; a code typed by hand (2025Q1) is taken
as it is, so an older period is still reachable.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QWidget

from desktop_app.core.reports.schedule import recent_periods
from desktop_app.core.reports.templates import Template
from desktop_app.ui.i18n import Texts

OFFERED = 8  # two years of quarters


class PeriodBox(QComboBox):
    """``returnPressed`` when Enter is pressed in it; ``text()`` is the chosen period's code."""

    returnPressed = Signal()

    def __init__(self, texts: Texts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.texts = texts
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMinimumContentsLength(16)
        edit = self.lineEdit()
        assert edit is not None
        edit.returnPressed.connect(self.returnPressed)

    def offer(self, template: Template | None, today: date) -> None:
        """The running period of ``template`` first, then the earlier ones, only those it is
        owed for; the first chosen."""
        self.clear()
        if template is None:
            return
        for period in recent_periods(template, today, OFFERED):
            self.addItem(self.texts.period(period), period.code)
        self.setCurrentIndex(0)

    def text(self) -> str:
        """The code of the listed period whose name is shown, else what was typed."""
        typed = self.currentText().strip()
        index = self.findText(typed)
        return str(self.itemData(index)) if index >= 0 else typed

    def setText(self, code: str) -> None:
        index = self.findData(code)
        if index >= 0:
            self.setCurrentIndex(index)
        else:
            self.setEditText(code)

    def title(self) -> str:
        """The chosen period as shown: its name, or the typed code."""
        return self.currentText().strip()
