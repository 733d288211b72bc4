"""The new-report dialog offers the periods a template is owed for: the six-month review
(owed for the first half only) offers first halves, the newest chosen."""

from __future__ import annotations

from datetime import date

from pytestqt.qtbot import QtBot

from desktop_app.core.model.periods import current_period
from desktop_app.core.workspace import Workspace
from desktop_app.ui.i18n import Texts
from desktop_app.ui.report_list import NewReportDialog
from desktop_app.ui.tasks import TaskRunner


def offered(dialog: NewReportDialog) -> list[str]:
    return [str(dialog.period_box.itemData(i)) for i in range(dialog.period_box.count())]


def test_the_six_month_review_is_offered_its_first_halves(
    qtbot: QtBot, demo_workspace: Workspace, runner: TaskRunner, texts: Texts
) -> None:
    dialog = NewReportDialog(demo_workspace, runner, texts, "so-ket-6-thang")
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.period_box.count() > 0)
    year = date.today().year
    assert offered(dialog)[:2] == [f"{year}S1", f"{year - 1}S1"]
    assert all(code.endswith("S1") for code in offered(dialog))
    assert dialog.chosen() == ("so-ket-6-thang", f"{year}S1")
    assert dialog.period_box.currentText() == f"6 tháng đầu năm {year}"


def test_a_template_owed_every_quarter_is_offered_the_running_one_first(
    qtbot: QtBot, demo_workspace: Workspace, runner: TaskRunner, texts: Texts
) -> None:
    dialog = NewReportDialog(demo_workspace, runner, texts, "nq57-quy-xa")
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.period_box.count() > 0)
    running = current_period("quarterly", date.today())
    before = running.previous()
    assert before is not None
    assert offered(dialog)[:2] == [running.code, before.code]
