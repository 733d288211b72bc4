"""The Party term dialog: shows that no start is set, saves the congress date through the worker
thread, and says why a future date is refused."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from desktop_app.core.workspace import Workspace
from desktop_app.ui.i18n import Texts
from desktop_app.ui.tasks import TaskRunner
from desktop_app.ui.term_dialog import TermDialog


def test_the_congress_date_is_saved_and_shown(
    qtbot: QtBot, demo_workspace: Workspace, runner: TaskRunner, texts: Texts
) -> None:
    dialog = TermDialog(demo_workspace, runner, texts)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.status.text() == texts("term.unset"))

    dialog.start.setDate(QDate(2025, 10, 15))
    dialog.save()

    qtbot.waitUntil(lambda: "15/10/2025" in dialog.status.text())
    runner.wait()
    assert demo_workspace.documents.party_term_start() == date(2025, 10, 15)


def test_a_future_date_is_refused_with_the_reason(
    qtbot: QtBot, demo_workspace: Workspace, runner: TaskRunner, texts: Texts
) -> None:
    dialog = TermDialog(demo_workspace, runner, texts)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.status.text() == texts("term.unset"))

    dialog.start.setDate(QDate(2999, 1, 1))
    dialog.save()

    qtbot.waitUntil(lambda: "2999-01-01" in dialog.status.text())
    runner.wait()
    assert demo_workspace.documents.party_term_start() is None
