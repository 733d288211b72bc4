"""Editor tests: a real workspace in tmp_path, the real task runner, Qt offscreen."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desktop_app.core.reports.validation import ReportContent
from desktop_app.core.workspace import Workspace
from desktop_app.ui.editor import ReportEditor
from desktop_app.ui.editor.indicator_model import (
    VALUE_COLUMN,
    IndicatorTableModel,
)
from desktop_app.ui.editor.section_view import SectionPage
from desktop_app.ui.tasks import TaskRunner

OpenEditor = Callable[..., ReportEditor]


@pytest.fixture
def runner(qapp: object, workspace: Workspace) -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    runner.wait()  # before the workspace closes its connection


@pytest.fixture
def report_id(workspace: Workspace) -> str:
    return workspace.reports.new("cntt-quy", "2026Q3")


@pytest.fixture
def open_editor(qtbot: QtBot, workspace: Workspace, runner: TaskRunner) -> OpenEditor:
    def open_(report_id: str, lang: str = "vi") -> ReportEditor:
        editor = ReportEditor(workspace, runner, report_id, lang)
        qtbot.addWidget(editor)
        editor.resize(1280, 800)
        editor.show()
        with qtbot.waitSignal(editor.loaded, timeout=10_000):
            pass
        return editor

    return open_


def table_cell(
    editor: ReportEditor, indicator_id: str, column: int = VALUE_COLUMN
) -> tuple[IndicatorTableModel, QModelIndex]:
    """The model and index of an indicator's cell, wherever its table is shown."""
    page, table_id = page_of(editor, indicator_id)
    model = page.models[table_id]
    return model, model.index(model.row_of(indicator_id), column)


def page_of(editor: ReportEditor, indicator_id: str) -> tuple[SectionPage, str]:
    assert editor.document is not None
    table_id = editor.document.template.indicator(indicator_id).table_id
    return editor.pages[editor.document.section_of_table(table_id)], table_id


def type_into(
    editor: ReportEditor, indicator_id: str, text: str, column: int = VALUE_COLUMN
) -> bool:
    model, index = table_cell(editor, indicator_id, column)
    return model.setData(index, text)


def shown(editor: ReportEditor, indicator_id: str, column: int = VALUE_COLUMN) -> str:
    model, index = table_cell(editor, indicator_id, column)
    return str(model.data(index))


def stored_content(workspace: Workspace, report_id: str) -> ReportContent:
    """What a second process opening the folder would read."""
    with Workspace.open(workspace.root, automatic_backup=False) as other:
        return other.reports.content(report_id)


def stored_values(workspace: Workspace, report_id: str) -> dict[str, str | None]:
    return dict(stored_content(workspace, report_id).values)


def focus(qtbot: QtBot, widget: QWidget) -> None:
    """Keyboard focus as a click gives it (offscreen windows are not active by themselves)."""
    widget.window().activateWindow()
    widget.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(widget.hasFocus)


def save(qtbot: QtBot, editor: ReportEditor) -> None:
    """Figures are saved as they are typed; wait until none is left on the way."""
    editor.save_now()
    qtbot.waitUntil(lambda: not editor.autosaver.has_unsaved, timeout=10_000)


@pytest.fixture
def nq57(workspace: Workspace) -> str:
    """A new NQ 57 report: its grids and its task list."""
    return workspace.reports.new("nq57-quy-xa", "2026Q3")
