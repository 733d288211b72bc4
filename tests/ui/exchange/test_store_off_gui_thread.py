"""The windows never query the store on the GUI thread: reads and writes go through the task
runner's one worker thread, so a slow query never freezes the window.

A trace callback on the workspace's connection notes every statement run on the GUI thread (the
test's main thread) while a window opens and shows its data.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from pytestqt.qtbot import QtBot

from desktop_app.core.workspace import Workspace
from desktop_app.ui.editor import ReportEditor
from desktop_app.ui.exchange.approve import ApproveDialog
from desktop_app.ui.exchange.export_dialog import ExportDialog
from desktop_app.ui.exchange.keys_dialog import KeysDialog
from desktop_app.ui.i18n import Texts
from desktop_app.ui.settings import AppSettings
from desktop_app.ui.tasks import TaskRunner
from desktop_app.ui.upper.window import UpperOfficeWindow
from tests.core.exchange.bundles.conftest import Offices
from tests.ui.conftest import open_window


@contextmanager
def gui_thread_statements(workspace: Workspace) -> Iterator[list[str]]:
    """The SQL the GUI thread runs on ``workspace``'s connection inside the block."""
    seen: list[str] = []

    def note(statement: str) -> None:
        if threading.current_thread() is threading.main_thread():
            seen.append(statement)

    workspace.db.conn.set_trace_callback(note)
    try:
        yield seen
    finally:
        workspace.db.conn.set_trace_callback(None)


def test_the_trace_sees_a_read_made_on_the_gui_thread(offices: Offices) -> None:
    with gui_thread_statements(offices.ward) as seen:
        offices.ward.reports.summaries()
    assert any("FROM reports" in statement for statement in seen)


def test_approve_dialog_reads_off_the_gui_thread(qtbot: QtBot, offices: Offices) -> None:
    report_id, runner = offices.filled_report(), TaskRunner()
    with gui_thread_statements(offices.ward) as seen:
        dialog = ApproveDialog(offices.ward, runner, Texts("vi"), report_id)
        qtbot.addWidget(dialog)
        qtbot.waitUntil(lambda: "lần 1" in dialog.intro.text())
        runner.wait()
    assert seen == []


def test_export_dialog_reads_off_the_gui_thread(qtbot: QtBot, offices: Offices) -> None:
    report_id, runner = offices.approved_report(), TaskRunner()
    with gui_thread_statements(offices.ward) as seen:
        dialog = ExportDialog(offices.ward, runner, Texts("vi"), [report_id])
        qtbot.addWidget(dialog)
        qtbot.waitUntil(lambda: dialog.chosen_reports() == [report_id])
        runner.wait()
    assert seen == []


def test_keys_dialog_reads_off_the_gui_thread(qtbot: QtBot, offices: Offices) -> None:
    runner = TaskRunner()
    with gui_thread_statements(offices.province) as seen:
        dialog = KeysDialog(offices.province, runner, Texts("vi"))
        qtbot.addWidget(dialog)
        qtbot.waitUntil(lambda: dialog.trust_table.rowCount() == 1)
        runner.wait()
    assert seen == []


def test_upper_office_window_reads_off_the_gui_thread(qtbot: QtBot, offices: Offices) -> None:
    offices.province.exchange.import_bundles([offices.export(offices.approved_report())])
    runner = TaskRunner()
    with gui_thread_statements(offices.province) as seen:
        window = UpperOfficeWindow(offices.province, runner, Texts("vi"))
        qtbot.addWidget(window)
        qtbot.waitUntil(lambda: window.consolidation is not None)
        runner.wait()
    assert seen == []


def test_main_window_reads_off_the_gui_thread(
    qtbot: QtBot, demo_workspace: Workspace, runner: TaskRunner, settings: AppSettings
) -> None:
    with gui_thread_statements(demo_workspace) as seen:
        open_window(qtbot, demo_workspace, runner, Texts("vi"), settings)  # until home loaded
        runner.wait()
    assert seen == []


def test_report_editor_reads_off_the_gui_thread(
    qtbot: QtBot, demo_workspace: Workspace, runner: TaskRunner
) -> None:
    report_id = demo_workspace.reports.summaries(status="draft")[0].id
    with gui_thread_statements(demo_workspace) as seen:
        editor = ReportEditor(demo_workspace, runner, report_id)
        qtbot.addWidget(editor)
        with qtbot.waitSignal(editor.loaded, timeout=10_000):
            editor.show()
        runner.wait()
    assert seen == []
