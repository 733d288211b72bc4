"""The report as a Word file and the blank forms, from the File menu (the CLI had them alone).

«Lưu bản Word…» saves the report in front (its editor tab, else the one chosen in the list)
as a .docx to finish in Word; «In mẫu trắng…» shows a template's blank form in the print
preview, from which it prints or is saved as PDF.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from desktop_app.core.catalogue import message
from desktop_app.core.reports.templates import Template
from desktop_app.core.store.files import write_atomic
from desktop_app.core.workspace import Workspace
from desktop_app.ui.i18n import Texts
from desktop_app.ui.main_window import MainWindow, document_file_name, report_title
from desktop_app.ui.preview import PreviewDialog
from desktop_app.ui.tasks import TaskRunner


def word_job(workspace: Workspace, report_id: str, lang: str) -> tuple[bytes, str]:
    """The report as DOCX and a file name for it (worker thread)."""
    title = report_title(workspace, report_id, lang)
    revision = workspace.reports.get(report_id).revision
    name = document_file_name(
        title, message("screens.revision", lang, revision=revision), suffix=".docx"
    )
    return workspace.documents.report_docx(report_id), name


class DocumentsFlow:
    def __init__(
        self, workspace: Workspace, runner: TaskRunner, texts: Texts, window: MainWindow
    ) -> None:
        self.workspace, self.runner, self.texts, self.window = workspace, runner, texts, window

    # --- Word -------------------------------------------------------------------------------

    def save_word(self, report_id: str, target: Path | None = None) -> None:
        """Ask where (unless ``target`` is given) and save the report as a Word file."""
        if not report_id:
            QMessageBox.information(
                self.window, self.texts("shell.app_name"), self.texts("screens.word.choose")
            )
            return
        self.runner.run(
            word_job,
            self.workspace,
            report_id,
            self.texts.lang,
            on_done=lambda job: self._write_word(job, target),
            error_parent=self.window,
        )

    def _write_word(self, job: tuple[bytes, str], target: Path | None) -> None:
        docx, name = job
        if target is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self.window, self.texts("shell.action.save_word"), name, "Word (*.docx)"
            )
            if not chosen:
                return
            target = Path(chosen)
        if target.suffix.lower() != ".docx":
            target = target.with_suffix(".docx")
        self.runner.run(
            write_atomic,
            target,
            docx,
            on_done=self._saved,
            error_parent=self.window,
        )

    def _saved(self, path: Path) -> None:
        self.window.statusBar().showMessage(self.texts("preview.saved", path=str(path)), 10_000)

    # --- blank forms ------------------------------------------------------------------------

    def blank_form(self, template_id: str | None = None) -> None:
        """The blank form of ``template_id`` (asked for when not given) in the print preview."""
        if template_id is None:
            self.runner.run(
                self.workspace.templates.newest,
                on_done=self._choose_template,
                error_parent=self.window,
            )
            return
        self.runner.run(
            blank_form_job,
            self.workspace,
            template_id,
            on_done=self._preview,
            error_parent=self.window,
        )

    def _choose_template(self, templates: list[Template]) -> None:
        titles = [template.title for template in templates]
        title, ok = QInputDialog.getItem(
            self.window,
            self.texts("shell.action.blank_form"),
            self.texts("screens.blank_form.choose"),
            titles,
            0,
            False,
        )
        if ok and title in titles:
            self.blank_form(templates[titles.index(title)].id)

    def _preview(self, job: tuple[bytes, str]) -> None:
        pdf, title = job
        heading = self.texts("screens.blank_form.title", title=title)
        dialog = PreviewDialog(
            pdf, heading, document_file_name(heading), self.texts, self.runner, self.window
        )
        self.window.open_job_dialog(dialog)


def blank_form_job(workspace: Workspace, template_id: str) -> tuple[bytes, str]:
    """The blank form as PDF and its template's title (worker thread)."""
    title = workspace.templates.get(template_id).title
    return workspace.documents.blank_form_pdf(template_id), title
