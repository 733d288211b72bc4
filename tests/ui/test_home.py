"""Home ("Việc cần làm"): what is due with its dates, what is half done, and starting a report."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QTreeWidget
from pytestqt.qtbot import QtBot

from desktop_app.core.model.periods import current_period, due_dates
from desktop_app.core.reports.schedule import periods_due
from desktop_app.core.workspace import Workspace
from desktop_app.ui.home import load_home
from desktop_app.ui.i18n import Texts
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.report_list import NewReportDialog
from desktop_app.ui.settings import AppSettings
from desktop_app.ui.tasks import TaskRunner
from tests.ui.conftest import open_window


def test_due_lists_each_template_with_its_dates_and_report(demo_workspace: Workspace) -> None:
    data = load_home(demo_workspace, date(2026, 11, 24))
    quarterly = [item for item in data.due if item.template_id == "cntt-quy"]
    assert [item.period.code for item in quarterly] == ["2026Q4"]
    item = quarterly[0]
    assert (item.cutoff, item.deadline) == (date(2026, 12, 14), date(2027, 1, 5))
    assert item.days_left == 42
    assert item.status == "draft" and item.report_id is not None
    assert not [item for item in data.due if item.period.type == "once"]  # long past: history
    # Đề án 06's review was due on 10/12/2025, but it is in the history group: owed by nobody.
    earlier = load_home(demo_workspace, date(2025, 12, 1))
    assert "de-an-06-tong-ket" not in {item.template_id for item in earlier.due}


def test_a_quarter_stays_due_after_it_ends_until_its_deadline(demo_workspace: Workspace) -> None:
    """On 3 January the finished quarter (deadline 5 January) is still due; the new quarter has
    no report yet and says so."""
    data = load_home(demo_workspace, date(2027, 1, 3))
    quarterly = {item.period.code: item for item in data.due if item.template_id == "cntt-quy"}
    assert set(quarterly) == {"2026Q4", "2027Q1"}
    assert quarterly["2026Q4"].days_left == 2 and quarterly["2026Q4"].report_id
    assert quarterly["2027Q1"].report_id is None and quarterly["2027Q1"].status is None
    after_deadline = load_home(demo_workspace, date(2027, 1, 6))
    codes = [item.period.code for item in after_deadline.due if item.template_id == "cntt-quy"]
    assert codes == ["2027Q1"]


def test_periods_due_for_a_one_off_template_is_its_label(demo_workspace: Workspace) -> None:
    template = demo_workspace.templates.get("ct58-tongket-10nam")
    db, office = demo_workspace.db, demo_workspace.office.code
    assert [p.code for p in periods_due(db, template, date(2010, 8, 1), office)] == ["TK2010"]
    assert periods_due(db, template, date(2026, 11, 24), office) == []  # finished 16 years ago


def test_lists_of_drafts_and_reports_waiting_for_approval(demo_workspace: Workspace) -> None:
    data = load_home(demo_workspace, date(2026, 11, 24))
    assert data.office_name == "Đảng ủy phường Hạc Thành"
    assert data.totals == {"drafts": 2, "ready": 1, "returned": 0, "exported": 1}
    nq57 = demo_workspace.templates.get("nq57-quy-xa").title
    it = demo_workspace.templates.get("cntt-quy").title
    ready = [(item.template_title, item.period.code) for item in data.lists["ready"]]
    assert ready == [(nq57, "2026Q3")]
    drafts = {(item.template_title, item.period.code) for item in data.lists["drafts"]}
    assert drafts == {(nq57, "2026Q4"), (it, "2026Q4")}


def test_home_page_shows_the_demo_reports_due(window: MainWindow) -> None:
    home = window.home
    today = date.today()
    period = current_period("quarterly", today)
    cutoff, deadline = due_dates(window.workspace.templates.get("cntt-quy").schedule, period)
    rows = [home.due.tree.topLevelItem(i) for i in range(home.due.tree.topLevelItemCount())]
    texts = [[row.text(column) for column in range(6)] for row in rows]
    it_rows = [t for t in texts if t[0] == "Báo cáo tình hình ứng dụng công nghệ thông tin"]
    assert [
        window.texts.period(period),
        cutoff.strftime("%d/%m/%Y"),
        deadline.strftime("%d/%m/%Y"),
    ] == it_rows[-1][1:4]
    assert len(texts) == len(home.data.due) >= 1
    nq57_rows = [t for t in texts if t[0] == window.workspace.templates.get("nq57-quy-xa").title]
    assert [row[1] for row in nq57_rows][-1:] == [window.texts.period(period)]
    assert home.sections["drafts"].title.text() == "Bản nháp đang soạn (2)"
    assert home.sections["returned"].empty.isVisibleTo(home)
    assert home.continue_button.isEnabled()
    assert window.windowTitle() == "Báo cáo — Đảng ủy phường Hạc Thành"


def test_continue_opens_the_newest_draft(window: MainWindow, qtbot: QtBot) -> None:
    newest = window.home.data.lists["drafts"][0].id
    with qtbot.waitSignal(window.editor_opened) as opened:
        qtbot.mouseClick(window.home.continue_button, Qt.MouseButton.LeftButton)
    assert opened.args == [newest]
    assert window.current_editor() is window.editors[newest]


def test_starting_a_due_report_from_home(
    qtbot: QtBot, workspace: Workspace, texts: Texts, settings: AppSettings
) -> None:
    """An office without reports: every due row says "Chưa lập"; activating one opens the new
    report dialog on that template and period, and creating it opens the report."""
    runner = TaskRunner()
    window = open_window(qtbot, workspace, runner, texts, settings)
    tree = window.home.due.tree
    states = {tree.topLevelItem(i).text(5) for i in range(tree.topLevelItemCount())}
    assert states == {"Chưa lập"}
    row = next(
        tree.topLevelItem(i)
        for i in range(tree.topLevelItemCount())
        if tree.topLevelItem(i).text(0).startswith("Báo cáo tình hình ứng dụng")
    )
    tree.itemActivated.emit(row, 0)
    dialog = window.new_report_dialog
    qtbot.waitUntil(lambda: dialog.period_box.count() > 0)
    period = current_period("quarterly", date.today())
    assert dialog.chosen() == ("cntt-quy", period.code)
    with qtbot.waitSignal(window.editor_opened):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    runner.wait()
    qtbot.waitUntil(lambda: tree.topLevelItem(0) is not None and "Bản nháp" in _states(tree))
    assert [r.period for r in workspace.reports.summaries(template_id="cntt-quy")] == [period.code]
    window.close()
    runner.wait()


def _states(tree: QTreeWidget) -> set[str]:
    return {tree.topLevelItem(i).text(5) for i in range(tree.topLevelItemCount())}


def test_new_report_dialog_defaults_to_the_current_period(
    qtbot: QtBot, demo_workspace: Workspace, runner: TaskRunner, texts: Texts
) -> None:
    dialog = NewReportDialog(demo_workspace, runner, texts, "cntt-quy")
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.period_box.count() > 0)
    assert dialog.chosen() == ("cntt-quy", current_period("quarterly", date.today()).code)
    assert dialog.template_box.findData("nq36-so-ket") == -1  # an old template: hidden
    dialog.show_history.setChecked(True)
    dialog.template_box.setCurrentIndex(dialog.template_box.findData("nq36-so-ket"))
    assert dialog.chosen() == ("nq36-so-ket", "SK2019")
    assert dialog.template_box.currentText().endswith("(mẫu cũ)")
    assert not dialog.period_box.isEnabled()
    dialog.show_history.setChecked(False)
    assert not dialog.templates[dialog.chosen()[0]].is_history  # back to a current one


def test_the_new_report_dialog_offers_only_current_templates_unless_asked(
    qtbot: QtBot, demo_workspace: Workspace, runner: TaskRunner, texts: Texts
) -> None:
    dialog = NewReportDialog(demo_workspace, runner, texts)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.template_box.count() > 0)
    offered = {dialog.template_box.itemData(i) for i in range(dialog.template_box.count())}
    history = {"ct58-tongket-10nam", "nq36-so-ket", "de-an-06-tong-ket"}
    assert "cntt-quy" in offered and not offered & history
    assert dialog.show_history.text() == "Hiện cả mẫu cũ (lịch sử)"
    dialog.show_history.setChecked(True)
    offered = {dialog.template_box.itemData(i) for i in range(dialog.template_box.count())}
    assert history <= offered
    # Reopening an old report by name ticks the box by itself.
    reopened = NewReportDialog(demo_workspace, runner, texts, "ct58-tongket-10nam", "TK2010")
    qtbot.addWidget(reopened)
    qtbot.waitUntil(lambda: reopened.template_box.count() > 0)
    assert reopened.show_history.isChecked()
    assert reopened.chosen() == ("ct58-tongket-10nam", "TK2010")


def test_creating_an_existing_report_opens_it_instead(
    qtbot: QtBot, demo_workspace: Workspace, runner: TaskRunner, texts: Texts
) -> None:
    existing = demo_workspace.reports.summaries(template_id="nq57-quy-xa", period="2026Q2")[0].id
    dialog = NewReportDialog(demo_workspace, runner, texts, "nq57-quy-xa", "2026Q2")
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.period_box.count() > 0)
    with qtbot.waitSignal(dialog.created) as created:
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert created.args == [existing, False]
    assert len(demo_workspace.reports.summaries(template_id="nq57-quy-xa")) == 4


def test_job_buttons_follow_the_chosen_report(window: MainWindow) -> None:
    jobs = window.home.job_buttons
    assert not jobs["print"].isEnabled() and not jobs["approve"].isEnabled()
    assert "Chọn một báo cáo" in jobs["print"].toolTip()
    assert jobs["export"].isEnabled() and jobs["import"].isEnabled()
    drafts = window.home.sections["drafts"].tree
    drafts.setCurrentItem(drafts.topLevelItem(0))
    assert jobs["print"].isEnabled() and not jobs["approve"].isEnabled()
    ready = window.home.sections["ready"].tree
    ready.setCurrentItem(ready.topLevelItem(0))
    assert jobs["approve"].isEnabled()
    assert drafts.selectedItems() == []  # one report is chosen at a time


def choose_ready_report(window: MainWindow) -> str:
    ready = window.home.sections["ready"].tree
    ready.setCurrentItem(ready.topLevelItem(0))
    return window.home.selected[0]


def test_print_shows_the_official_document(window: MainWindow, qtbot: QtBot) -> None:
    from desktop_app.ui.preview import PreviewDialog

    choose_ready_report(window)
    qtbot.mouseClick(window.home.job_buttons["print"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(window.job_dialog, PreviewDialog), timeout=20000)
    dialog = window.job_dialog
    assert isinstance(dialog, PreviewDialog) and dialog.pdf.startswith(b"%PDF")
    dialog.close()


def test_approve_opens_for_the_chosen_report(window: MainWindow, qtbot: QtBot) -> None:
    from desktop_app.ui.exchange.approve import ApproveDialog

    report_id = choose_ready_report(window)
    qtbot.mouseClick(window.home.job_buttons["approve"], Qt.MouseButton.LeftButton)
    dialog = window.job_dialog
    assert isinstance(dialog, ApproveDialog) and dialog.report_id == report_id
    dialog.reject()


def test_export_and_import_open_their_dialogs(window: MainWindow, qtbot: QtBot) -> None:
    from desktop_app.ui.exchange.export_dialog import ExportDialog
    from desktop_app.ui.exchange.import_dialog import ImportDialog

    qtbot.mouseClick(window.home.job_buttons["export"], Qt.MouseButton.LeftButton)
    assert isinstance(window.job_dialog, ExportDialog) and window.job_dialog.isVisible()
    window.job_dialog.reject()
    qtbot.mouseClick(window.home.job_buttons["import"], Qt.MouseButton.LeftButton)
    assert isinstance(window.job_dialog, ImportDialog) and window.job_dialog.isVisible()
    window.job_dialog.reject()
