"""The recipients dialog: shows the report's list, saves a changed one through the worker
thread, and says why an approved report's list cannot change."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from desktop_app.core.workspace import Workspace
from desktop_app.ui.i18n import Texts
from desktop_app.ui.recipients_dialog import RecipientsDialog
from desktop_app.ui.tasks import TaskRunner


def _report(workspace: Workspace, status: str) -> str:
    return next(r.id for r in workspace.reports.summaries(status=status))


def test_a_changed_list_is_saved_for_the_report(
    qtbot: QtBot, demo_workspace: Workspace, runner: TaskRunner, texts: Texts
) -> None:
    report_id = _report(demo_workspace, "draft")
    dialog = RecipientsDialog(demo_workspace, runner, texts, report_id)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.archive.text() != "")

    dialog.addressees.setPlainText("Ban Thường vụ Tỉnh ủy (b/c)\n\n")
    dialog.copies.setPlainText("Văn phòng Tỉnh ủy")
    dialog.save()

    qtbot.waitUntil(lambda: dialog.status.text() == texts("recipients.saved"))
    runner.wait()
    saved = demo_workspace.documents.recipients(report_id)
    assert saved.addressees == ("Ban Thường vụ Tỉnh ủy (b/c)",)
    assert saved.copies == ("Văn phòng Tỉnh ủy",)


def test_an_approved_reports_list_is_refused_with_the_reason(
    qtbot: QtBot, demo_workspace: Workspace, runner: TaskRunner, texts: Texts
) -> None:
    report_id = _report(demo_workspace, "approved")  # the demo's first quarter
    before = demo_workspace.documents.recipients(report_id)
    dialog = RecipientsDialog(demo_workspace, runner, texts, report_id)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.archive.text() != "")

    dialog.copies.setPlainText("Khác")
    dialog.save()

    qtbot.waitUntil(lambda: dialog.status.text() not in ("", texts("recipients.saved")))
    runner.wait()
    assert dialog.status.text().startswith("Báo cáo đang ở trạng thái")  # report.locked
    assert demo_workspace.documents.recipients(report_id) == before
