"""Steps both journeys take: the setup wizard, opening the window, checking printed pages."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWizard

from desktop_app.core.model.offices import Office
from desktop_app.core.workspace import Workspace
from desktop_app.ui.editor import ReportEditor
from desktop_app.ui.i18n import Texts
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.preview import PREVIEW_DPI, PreviewDialog, page_count
from desktop_app.ui.report_list import NewReportDialog
from desktop_app.ui.settings import AppSettings, apply_font, install_ui_font
from desktop_app.ui.tasks import TaskRunner
from desktop_app.ui.wizard import SetupWizard
from tests.ui.journeys.driver import TIMEOUT_MS, Driver
from tests.ui.page_check import assert_same_page


def run_wizard(
    driver: Driver,
    workspace: Workspace,
    runner: TaskRunner,
    texts: Texts,
    settings: AppSettings,
    search: str,
    wanted_name: str,
) -> Office:
    """First start: search the office in the official list, take the first match, finish."""
    wizard = SetupWizard(workspace, runner, texts, settings)
    driver.qtbot.addWidget(wizard)
    wizard.show()
    driver.activate(wizard)
    driver.click(wizard.button(QWizard.WizardButton.NextButton))
    page = wizard.office_page
    driver.click(page.search)
    driver.type(search)
    driver.qtbot.waitUntil(lambda: page.results.count() > 0, timeout=TIMEOUT_MS)
    first = page.results.item(0)
    driver.click(page.results.viewport(), page.results.visualItemRect(first).center())
    assert page.fields["name"].text() == wanted_name
    driver.click(wizard.button(QWizard.WizardButton.NextButton))
    with driver.qtbot.waitSignal(wizard.initialised, timeout=TIMEOUT_MS) as done:
        driver.click(wizard.button(QWizard.WizardButton.FinishButton))
    office = done.args[0]
    assert isinstance(office, Office) and workspace.is_initialised
    return office


def open_main_window(
    driver: Driver, workspace: Workspace, runner: TaskRunner, texts: Texts, settings: AppSettings
) -> MainWindow:
    """The window as ``run_gui`` builds it after the wizard, with the real report editor."""
    family = install_ui_font()
    apply_font(family, settings.font_size)
    window = MainWindow(workspace, runner, texts, settings, family)
    driver.qtbot.addWidget(window)
    with driver.qtbot.waitSignal(window.home.loaded, timeout=TIMEOUT_MS):
        window.show()
    driver.window = window
    driver.activate(window)
    return window


def check_preview(driver: Driver, folder: Path) -> PreviewDialog:
    """The print preview in front shows every page of its PDF as poppler renders it."""
    preview = driver.modal(PreviewDialog)
    driver.qtbot.waitUntil(
        lambda: len(preview.images) == page_count(preview.pdf) > 0, timeout=TIMEOUT_MS
    )
    for number, image in enumerate(preview.images, start=1):
        assert_same_page(image, preview.pdf, number, PREVIEW_DPI, folder)
    assert preview.status.text() == f"{len(preview.images)} trang"
    return preview


def new_report(driver: Driver, window: MainWindow, template_id: str = "cntt-quy") -> ReportEditor:
    """Ctrl+N, the template, «Lập báo cáo»: the new report's editor in front."""
    driver.activate(window)
    driver.keys("Ctrl+N")
    dialog = driver.modal(NewReportDialog)
    driver.qtbot.waitUntil(lambda: dialog.template_box.count() > 0, timeout=TIMEOUT_MS)
    dialog.template_box.setCurrentIndex(dialog.template_box.findData(template_id))
    assert dialog.period_box.currentText()  # the running quarter, offered first
    with driver.qtbot.waitSignal(window.editor_opened, timeout=TIMEOUT_MS):
        driver.press_button(dialog, "Lập báo cáo")
    editor = window.current_editor()
    assert isinstance(editor, ReportEditor)
    driver.qtbot.waitUntil(lambda: editor.document is not None, timeout=TIMEOUT_MS)
    assert editor.status_chip.text() == "Bản nháp"
    return editor
