"""The windows' words: catalogue look-ups in the chosen language, switchable while running.

Every window keeps a ``retranslate`` method that sets all its texts and connects it to
:attr:`Texts.changed`, so choosing English (or Vietnamese) in the settings relabels the open
windows at once. An editor already open keeps its language until it is opened again.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from desktop_app.core.catalogue import DEFAULT_LANGUAGE, LANGUAGES, message
from desktop_app.core.model.periods import Period
from desktop_app.core.model.text import format_number, format_short_date
from desktop_app.core.reports.status import Status

STATUSES = tuple(Status)  # in the order of a report's life
ONE_OFF_LABEL = re.compile(r"(?P<kind>SK|TK)(?P<year>\d{4})")


class Texts(QObject):
    """``texts("code", name=...)`` gives the sentence in the current language."""

    changed = Signal(str)

    def __init__(self, lang: str = DEFAULT_LANGUAGE, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE

    @property
    def lang(self) -> str:
        return self._lang

    def set_language(self, lang: str) -> None:
        if lang in LANGUAGES and lang != self._lang:
            self._lang = lang
            self.changed.emit(lang)

    def __call__(self, code: str, /, **params: object) -> str:
        return message(code, self._lang, **params)

    def in_language(self, lang: str, code: str, /, **params: object) -> str:
        return message(code, lang, **params)

    def status(self, status: str) -> str:
        return self(f"shell.status.{status}")

    def period(self, period: Period) -> str:
        return period_title(period, self._lang)

    def date(self, day: date | None) -> str:
        return format_short_date(day) if day else "—"

    def number(self, value: int) -> str:
        """1.234 in Vietnamese, 1,234 in English."""
        if -1000 < value < 1000:
            # Nothing to group; the counts on the first screen then need no Babel locale data,
            # which takes tens of milliseconds to load before the window could paint.
            return str(value)
        return format_number(value) if self._lang == "vi" else f"{value:,}"

    def days_left(self, days: int) -> str:
        if days > 0:
            return self("shell.days.left", days=self.number(days))
        if days == 0:
            return self("shell.days.today")
        return self("shell.days.overdue", days=self.number(-days))

    def saved_time(self, stamp: str) -> str:
        return self("shell.saved_at", time=clock_time(stamp))


def period_title(period: Period, lang: str) -> str:
    """A period as the windows name it, «Quý IV năm 2026» / «Q4 2026», «9 tháng đầu năm 2026» /
    «First nine months of 2026», «Sơ kết năm 2019»."""
    if period.type == "once" or period.start is None:
        return one_off_title(period.code, lang)
    if lang == "vi":
        title = period.title_vi
        return title[:1].upper() + title[1:]
    year, month = period.start.year, period.start.month
    if period.type == "yearly":
        return str(year)
    if period.type == "ninemonthly":
        return message("screens.period.ninemonthly", lang, year=year)
    if period.type == "sixmonthly":
        return f"H{1 if month <= 6 else 2} {year}"
    if period.type == "quarterly":
        return f"Q{(month - 1) // 3 + 1} {year}"
    return f"{period.start:%B} {year}"


def close_buttons(dialog: QDialog, texts: Texts) -> QDialogButtonBox:
    """A «Đóng» button row for a window of tools, which has no OK: Esc does the same."""
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    box.button(QDialogButtonBox.StandardButton.Close).setText(texts("screens.close"))
    box.rejected.connect(dialog.reject)
    return box


def one_off_title(label: str, lang: str) -> str:
    """A one-off review's label in words: SK2019 is «Sơ kết năm 2019», TK2025 «Tổng kết năm
    2025» (the convention of the shipped templates); any other label is the template's own."""
    match = ONE_OFF_LABEL.fullmatch(label)
    if match is None:
        return label
    return message(f"screens.period.{match['kind'].lower()}", lang, year=match["year"])


def clock_time(stamp: str) -> str:
    """hh:mm:ss of an ISO timestamp; any other text is shown as it came."""
    try:
        return datetime.fromisoformat(stamp).strftime("%H:%M:%S")
    except ValueError:
        return stamp


def short_time(stamp: str) -> str:
    """An ISO timestamp as the lists show it: 2026-11-24T09:15:02+07:00 -> 24/11/2026 09:15."""
    if len(stamp) < 16:
        return stamp
    return f"{stamp[8:10]}/{stamp[5:7]}/{stamp[0:4]} {stamp[11:16]}"
