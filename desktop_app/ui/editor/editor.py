"""The report editor: outline on the left, the section's text and tables on the right, the check
panel below. Every change is an undo command, shows at once, and is saved in the background.

The shell embeds a :class:`ReportEditor`; it reads ``undo_action``/``redo_action`` for its Edit
menu and listens to ``saved`` and ``closed``. The editor touches the store only through the
task runner; validation and computed cells are pure core functions run on the in-memory report.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QHideEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.catalogue import message
from desktop_app.core.documents.model import section_label
from desktop_app.core.errors import CoreError
from desktop_app.core.reports.records import ReportSummary
from desktop_app.core.reports.status import EDITABLE, Status
from desktop_app.core.reports.templates import Section
from desktop_app.core.reports.validation import ERROR, Issue, ReportContent, has_errors
from desktop_app.core.workspace import Workspace
from desktop_app.ui.editor.attachments import AttachmentsPanel, ReportAttachments
from desktop_app.ui.editor.autosave import Autosaver
from desktop_app.ui.editor.document import (
    NARRATIVE,
    VALUE,
    LoadedReport,
    ReportDocument,
    load_report,
)
from desktop_app.ui.editor.outline import OutlineTree
from desktop_app.ui.editor.section_view import SectionPage
from desktop_app.ui.editor.texts import status_text
from desktop_app.ui.editor.undo import FieldEdit, NarrativeEdit
from desktop_app.ui.editor.validation_panel import ValidationPanel
from desktop_app.ui.i18n import period_title
from desktop_app.ui.settings import TitleLabel
from desktop_app.ui.tasks import TaskRunner, describe_error

NOTICE_STYLE = "color: #8c1d18; background: #fdecea; padding: 6px 10px; border-radius: 3px;"
INFO_STYLE = "color: #1f3b5a; background: #e8f0fa; padding: 6px 10px; border-radius: 3px;"
BANNER_STYLE = (
    "QFrame#banner { background: #fff4d6; border: 1px solid #e6c767; border-radius: 3px; }"
    " QLabel { color: #4a3800; }"
)
WINDOW_SCOPE = Qt.ShortcutContext.WidgetWithChildrenShortcut


class ReportEditor(QWidget):
    """Edits one report. ``saved("hh:mm:ss")`` after each save; ``closed`` once it may go;
    ``status_changed(status)`` when the report moved in its life (ready, back to draft)."""

    saved = Signal(str)
    closed = Signal()
    loaded = Signal()
    status_changed = Signal(str)

    def __init__(
        self,
        workspace: Workspace,
        runner: TaskRunner,
        report_id: str,
        lang: str = "vi",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.runner = runner
        self.report_id = report_id
        self.lang = lang
        self.document: ReportDocument | None = None
        self.report: LoadedReport | None = None
        self.pages: dict[str, SectionPage] = {}
        self._burst = 0
        self._closing = False
        self._after_save: list[Callable[[], None]] = []
        self.undo_stack = QUndoStack(self)
        self.autosaver = Autosaver(workspace, runner, report_id, lang)
        self._make_actions()
        self._build()
        self._connect_autosaver()
        runner.run(
            load_report, workspace, report_id, on_done=self._loaded, on_error=self._load_failed
        )

    def _t(self, code: str, **params: object) -> str:
        return message(code, self.lang, **params)

    # --- construction ------------------------------------------------------------------------

    def _make_actions(self) -> None:
        self.undo_action: QAction = self.undo_stack.createUndoAction(self, self._t("editor.undo"))
        self.undo_action.setShortcuts(QKeySequence.StandardKey.Undo)
        self.redo_action: QAction = self.undo_stack.createRedoAction(self, self._t("editor.redo"))
        redo_keys = [*QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)]
        redo_keys += [QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")]
        unique = dict.fromkeys(key.toString() for key in redo_keys)
        self.redo_action.setShortcuts([QKeySequence(key) for key in unique])
        for action in (self.undo_action, self.redo_action):
            action.setShortcutContext(WINDOW_SCOPE)
            action.triggered.connect(self._new_burst)
            self.addAction(action)
        self.save_action = QAction(self._t("editor.save_now"), self)
        self.save_action.setShortcuts(QKeySequence.StandardKey.Save)
        self.save_action.setShortcutContext(WINDOW_SCOPE)
        self.save_action.triggered.connect(self.save_now)
        self.addAction(self.save_action)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addLayout(self._header())
        layout.addWidget(self._banner())
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet(NOTICE_STYLE)
        self.notice.hide()
        layout.addWidget(self.notice)
        self.body = QStackedWidget()
        self.placeholder = QLabel(self._t("editor.loading"))
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.body.addWidget(self.placeholder)
        self.body.addWidget(self._workspace_area())
        layout.addWidget(self.body, 1)

    def _header(self) -> QHBoxLayout:
        # Sized from the application's font, so Ctrl+= and Ctrl+- scale them too.
        self.title = TitleLabel(1.27)
        self.title.setStyleSheet("color: #16324f;")
        self.period_label = QLabel()
        self.period_label.setStyleSheet("color: #16324f;")
        self.status_chip = QLabel()
        self.status_chip.setStyleSheet(
            "background: #e3ecf7; color: #16324f; padding: 2px 8px; border-radius: 8px;"
        )
        self.save_state = QLabel(self._t("editor.nothing_saved_yet"))
        self.save_state.setStyleSheet("color: #355e3b;")
        subline = QHBoxLayout()
        subline.addWidget(self.period_label)
        subline.addWidget(self.status_chip)
        subline.addSpacing(12)
        subline.addWidget(self.save_state)
        subline.addStretch(1)
        titles = QVBoxLayout()
        titles.setSpacing(2)
        titles.addWidget(self.title)
        titles.addLayout(subline)
        row = QHBoxLayout()
        row.addLayout(titles, 1)
        for button in self._header_buttons():
            row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        return row

    def _header_buttons(self) -> list[QPushButton]:
        self.copy_button = QPushButton(self._t("editor.copy_previous"))
        self.copy_button.setEnabled(False)
        self.copy_button.clicked.connect(self.copy_previous)
        self.save_button = QPushButton(self._t("editor.save_now"))
        self.save_button.setToolTip(self._t("editor.save_now.tooltip"))
        self.save_button.clicked.connect(self.save_now)
        self.ready_button = QPushButton(self._t("editor.mark_ready"))
        self.ready_button.setToolTip(self._t("editor.mark_ready.tooltip"))
        self.ready_button.setEnabled(False)
        self.ready_button.clicked.connect(self.mark_ready)
        self.close_button = QPushButton(self._t("editor.close"))
        self.close_button.clicked.connect(self.request_close)
        buttons = [self.copy_button, self.save_button, self.ready_button, self.close_button]
        for button in buttons:
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        return buttons

    def _banner(self) -> QFrame:
        self.banner = QFrame()
        self.banner.setObjectName("banner")
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner_text = QLabel()
        self.banner_text.setWordWrap(True)
        self.new_revision_button = QPushButton(self._t("editor.new_revision"))
        self.new_revision_button.setToolTip(self._t("editor.new_revision.tooltip"))
        self.new_revision_button.clicked.connect(self.start_new_revision)
        row = QHBoxLayout(self.banner)
        row.setContentsMargins(10, 6, 10, 6)
        row.addWidget(self.banner_text, 1)
        row.addWidget(self.new_revision_button)
        self.banner.hide()
        return self.banner

    def _workspace_area(self) -> QSplitter:
        self.find_box = QLineEdit()
        self.find_box.setPlaceholderText(self._t("editor.find.placeholder"))
        self.find_box.setClearButtonEnabled(True)
        self.outline = OutlineTree(self.lang)
        self.outline.picked.connect(self.show_section)
        self.find_box.textChanged.connect(self.outline.apply_filter)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.find_box)
        self.attachments_panel = AttachmentsPanel(self.lang)
        # The outline is what a clerk moves through; the attachments take what is left, and
        # the clerk can drag the line between them.
        outline_and_files = QSplitter(Qt.Orientation.Vertical)
        outline_and_files.addWidget(self.outline)
        outline_and_files.addWidget(self.attachments_panel)
        outline_and_files.setStretchFactor(0, 1)
        outline_and_files.setSizes([400, 200])
        left_layout.addWidget(outline_and_files)
        self.page_stack = QStackedWidget()
        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(left)
        top.addWidget(self.page_stack)
        top.setStretchFactor(1, 1)
        top.setSizes([370, 900])
        self.panel = ValidationPanel(self.lang)
        self.panel.jump.connect(self.jump_to)
        main = QSplitter(Qt.Orientation.Vertical)
        main.addWidget(top)
        main.addWidget(self.panel)
        main.setStretchFactor(0, 1)
        main.setSizes([640, 130])
        return main

    def _connect_autosaver(self) -> None:
        self.autosaver.saved.connect(self._saved)
        self.autosaver.failed.connect(self._save_failed)
        self.autosaver.busy_changed.connect(self._save_busy)
        self.autosaver.idle_timer.timeout.connect(self._new_burst)

    # --- loading -----------------------------------------------------------------------------

    def _loaded(self, report: LoadedReport) -> None:
        self.report = report
        document = ReportDocument(report, self)
        self.document = document
        self._follow_attachments(report, document)
        document.edited.connect(self._edited)
        document.to_store.connect(self.autosaver.record)
        document.refreshed.connect(self._refresh_panel)
        self._show_header(report)
        self.outline.show_document(document)
        self._add_pages(document.template.sections, 1)
        self._refresh_panel()
        self.body.setCurrentIndex(1)
        first = document.template.sections[0].id if document.template.sections else ""
        if first:
            self.show_section(first)
        self.loaded.emit()

    def _follow_attachments(self, report: LoadedReport, document: ReportDocument) -> None:
        attachments = ReportAttachments(
            self.workspace,
            self.runner,
            self.report_id,
            report.attachments,
            read_only=document.read_only,
            before_store=self._store_pending,
            lang=self.lang,
            parent=document,
        )
        attachments.changed.connect(lambda: document.set_attachment_names(attachments.names()))
        attachments.refused.connect(self._notify)
        document.attachments = attachments
        self.attachments_panel.show_attachments(attachments)

    def _store_pending(self) -> None:
        """Send the edits still waiting to the store now (before a removal core judges)."""
        if self.document is not None:
            self.document.settle_cells()
        self.autosaver.flush()

    def start_new_revision(self) -> None:
        """Open revision n+1 as an editable copy; the approved revision stays as it was."""
        self.new_revision_button.setEnabled(False)
        self.runner.run(
            self.workspace.reports.new_revision,
            self.report_id,
            on_done=lambda _revision: self._reload(),
            on_error=self._revision_failed,
        )

    def _revision_failed(self, error: BaseException) -> None:
        self.new_revision_button.setEnabled(True)
        self._notify(describe_error(error, self.lang))

    def reload(self) -> None:
        """Show the report as the store now has it (after approval elsewhere, a new revision).

        Edits not yet saved are dropped: they could only be refused by a report that moved on."""
        self.autosaver.discard()
        self._closing = False
        self._after_save.clear()
        self._reload()

    def _reload(self) -> None:
        while (page := self.page_stack.widget(0)) is not None:
            self.page_stack.removeWidget(page)
            page.deleteLater()
        self.pages.clear()
        self.undo_stack.clear()
        self.runner.run(
            load_report,
            self.workspace,
            self.report_id,
            on_done=self._loaded,
            on_error=self._load_failed,
        )

    def _load_failed(self, error: BaseException) -> None:
        reason = describe_error(error, self.lang)
        self.placeholder.setText(self._t("editor.load_failed", reason=reason))

    def _show_header(self, report: LoadedReport) -> None:
        template = report.template
        self.title.setText(template.title)
        self.period_label.setText(period_title(report.period, self.lang))
        status = self._show_status(report.summary)
        read_only = self.document is not None and self.document.read_only
        self.banner.setVisible(read_only)
        self.banner_text.setText(self._t("editor.read_only.banner", status=status))
        self.save_button.setEnabled(not read_only)
        self.save_action.setEnabled(not read_only)
        self.save_state.setVisible(not read_only)
        self._set_up_copy_button(report, read_only)

    def _show_status(self, summary: ReportSummary) -> str:
        status = status_text(summary.status, self.lang)
        self.status_chip.setText(status)
        self.ready_button.setEnabled(summary.status == Status.DRAFT)
        return status

    def _set_up_copy_button(self, report: LoadedReport, read_only: bool) -> None:
        period = self._previous_period_title(report)
        if period is None:
            tip = self._t("editor.copy_previous.no_period")
        elif report.previous is None:
            tip = self._t("editor.copy_previous.none", period=period)
        else:
            tip = self._t("editor.copy_previous.tooltip", period=period)
        self.copy_button.setToolTip(tip)
        self.copy_button.setEnabled(report.previous is not None and not read_only)

    def _add_pages(self, sections: tuple[Section, ...], depth: int) -> None:
        assert self.document is not None
        for position, section in enumerate(sections, start=1):
            heading = f"{section_label(depth, position)} {section.title}"
            page = SectionPage(self.document, section, heading, self.undo_stack, self.lang)
            page.typed.connect(self._typed)
            page.on_left(self._new_burst)
            for model in page.models.values():
                model.refused.connect(self._notify)
            page.refused.connect(self._notify)
            self.pages[section.id] = page
            self.page_stack.addWidget(page)
            self._add_pages(section.sections, depth + 1)

    # --- navigation --------------------------------------------------------------------------

    def show_section(self, section_id: str, table_id: str = "") -> SectionPage:
        page = self.pages[section_id]
        self.page_stack.setCurrentWidget(page)
        self.outline.select(section_id, table_id or None)
        self._chain_tab_order(page)
        if table_id:
            page.ensureWidgetVisible(page.views[table_id])
        return page

    def _chain_tab_order(self, page: SectionPage) -> None:
        chain: list[QWidget] = [self.find_box, self.outline, *page.focus_chain(), self.panel.list]
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)

    def jump_to(self, field: str) -> None:
        """Show where an issue's field (indicator, section or rule) is and focus it."""
        if self.document is None or self._jump_to_sheet(field):
            return
        section_id, indicator_id = self.document.locate(field)
        if section_id not in self.pages:
            return
        if indicator_id is None:
            page = self.show_section(section_id)
            if page.narrative is not None:
                # The page keeps its scroll position, which may be down at a table.
                page.ensureWidgetVisible(page.narrative)
                page.narrative.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        table_id = self.document.template.indicator(indicator_id).table_id
        page = self.show_section(section_id, table_id)
        view = page.views[table_id]
        view.select_indicator(page.models[table_id].row_of(indicator_id))

    def _jump_to_sheet(self, field: str) -> bool:
        """A grid cell ("grid/row/column") or a list, its row ("list/n/column"): shown, focused."""
        table_id, *rest = field.split("/")
        for section_id, page in self.pages.items():
            if table_id in page.grids and len(rest) == 2:
                self.show_section(section_id)
                page.ensureWidgetVisible(page.grids[table_id])
                page.grids[table_id].select_cell(*rest)
                return True
            if table_id in page.lists:
                self.show_section(section_id)
                page.ensureWidgetVisible(page.lists[table_id])
                row = int(rest[0]) - 1 if rest and rest[0].isdigit() else 0
                page.lists[table_id].select_row(row)
                return True
        return False

    def focus_find(self) -> None:
        self.find_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.find_box.selectAll()

    # --- editing -----------------------------------------------------------------------------

    def _typed(self, section_id: str, text: str) -> None:
        assert self.document is not None
        old = self.document.narratives.get(section_id, "")
        if text == old:
            return
        title = self.document.template.section(section_id).title
        label = self._t("editor.undo.narrative", title=title)
        self.undo_stack.push(
            NarrativeEdit(self.document, section_id, old, text, label, self._burst)
        )

    def _new_burst(self) -> None:
        """The next keystroke starts a new undo step (after a pause, leaving the text, undo)."""
        self._burst += 1

    def _edited(self, kind: str, key: str, _value: object) -> None:
        self.notice.hide()
        if kind == NARRATIVE and key in self.pages:
            self.pages[key].show_narrative()

    def _previous_period_title(self, report: LoadedReport) -> str | None:
        previous = report.template.previous_owed(report.period)
        return period_title(previous, self.lang) if previous else None

    def copy_previous(self) -> None:
        """Fill empty fields from the previous period's report, as one undo step."""
        if self.report is None or self.report.previous is None:
            return
        self.runner.run(
            self.workspace.reports.content,
            self.report.previous.id,
            on_done=self._apply_previous,
            on_error=self._copy_failed,
        )

    def _copy_failed(self, error: BaseException) -> None:
        self._notify(describe_error(error, self.lang))

    def _apply_previous(self, previous: ReportContent) -> None:
        assert self.document is not None and self.report is not None
        period = self._previous_period_title(self.report)
        edits = _fill_from(self.document, previous)
        if not edits:
            self._notify(self._t("editor.copy_previous.nothing", period=period), error=False)
            return
        self.undo_stack.beginMacro(self._t("editor.undo.copy_previous"))
        for kind, key, new in edits:
            old = self.document.current(kind, key)
            self.undo_stack.push(FieldEdit(self.document, kind, key, old, new, ""))
        self.undo_stack.endMacro()
        self._new_burst()
        self.autosaver.flush()
        self._notify(self._t("editor.copy_previous.done", count=len(edits), period=period), False)

    # --- saving ------------------------------------------------------------------------------

    @property
    def has_unsaved_changes(self) -> bool:
        waiting = self.document is not None and self.document.cells_waiting
        return waiting or self.autosaver.has_unsaved

    def save_now(self) -> None:
        """Ctrl+S: commit an open cell editor, then save everything pending."""
        self._commit_open_cell()
        self._new_burst()
        if self.document is not None:
            self.document.settle_cells()
        self.autosaver.flush()

    def _commit_open_cell(self) -> None:
        page = self.page_stack.currentWidget()
        if not isinstance(page, SectionPage):
            return
        for view in page.focus_chain():
            if not isinstance(view, QAbstractItemView):
                continue
            if view.state() == QAbstractItemView.State.EditingState:
                editor = QApplication.focusWidget()
                if editor is not None and view.isAncestorOf(editor):
                    view.itemDelegate().commitData.emit(editor)

    def _saved(self, at: str) -> None:
        self.save_state.setText(self._t("editor.saved_at", time=at))
        self.saved.emit(at)
        if self.has_unsaved_changes:
            return
        self._refresh_status()  # a ready report with a new error went back to draft
        waiting, self._after_save = self._after_save, []
        for then in waiting:
            then()
        if self._closing:
            self.closed.emit()

    def _save_failed(self, sentence: str) -> None:
        self._closing = False
        self._after_save.clear()
        self.save_state.setText("")
        if self.autosaver.last_refusal == "report.locked":
            # Approved (or sent) meanwhile: the edits can never be saved to this revision.
            self.reload()
            self._notify(self._t("editor.locked_meanwhile"))
            return
        self._notify(self._t("editor.save_failed", reason=sentence))

    def _when_saved(self, then: Callable[[], None]) -> None:
        """Run ``then`` once everything typed so far is in the store."""
        self.save_now()
        if self.has_unsaved_changes:
            self._after_save.append(then)
        else:
            then()

    def _refresh_status(self) -> None:
        self.runner.run(
            self.workspace.reports.get,
            self.report_id,
            on_done=self._status_read,
            on_error=lambda _error: None,  # the next save or reload says what went wrong
        )

    def _status_read(self, summary: ReportSummary) -> None:
        if self.report is None or summary.revision != self.report.summary.revision:
            return
        if summary.status not in EDITABLE:
            self.reload()  # approved in another window: show it read-only
            return
        if summary.status != self.report.summary.status:
            self.report = _with_summary(self.report, summary)
            self._show_status(summary)
            self.status_changed.emit(summary.status.value)

    # --- the report's life -------------------------------------------------------------------

    def mark_ready(self) -> None:
        """Save, check, and mark the report ready for the head's approval (refused on errors)."""
        self.ready_button.setEnabled(False)
        self._when_saved(self._ask_ready)

    def _ask_ready(self) -> None:
        self.runner.run(
            self.workspace.reports.mark_ready,
            self.report_id,
            on_done=self._marked_ready,
            on_error=self._mark_ready_failed,
        )

    def _marked_ready(self, issues: list[Issue]) -> None:
        if has_errors(issues):
            errors = sum(1 for issue in issues if issue.severity == ERROR)
            self.ready_button.setEnabled(True)
            self._notify(self._t("editor.mark_ready.refused", count=errors))
            self.panel.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self._notify(self._t("editor.mark_ready.done"), error=False)
        self._refresh_status()

    def _mark_ready_failed(self, error: BaseException) -> None:
        self.ready_button.setEnabled(True)
        if isinstance(error, CoreError) and error.code == "report.locked":
            self.reload()
        self._notify(describe_error(error, self.lang))

    def _save_busy(self, busy: bool) -> None:
        if busy:
            self.save_state.setText(self._t("editor.saving"))

    def hideEvent(self, event: QHideEvent) -> None:
        """Leaving the editor (another page of the window, closing) saves what is pending."""
        self.save_now()
        super().hideEvent(event)

    def request_close(self) -> None:
        """Save what is pending, then emit ``closed`` (stays open if the save fails)."""
        self.save_now()
        if self.has_unsaved_changes:
            self._closing = True
        else:
            self.closed.emit()

    @property
    def read_only(self) -> bool:
        return self.document is not None and self.document.read_only

    # --- feedback ----------------------------------------------------------------------------

    def _notify(self, sentence: str, error: bool = True) -> None:
        self.notice.setStyleSheet(NOTICE_STYLE if error else INFO_STYLE)
        self.notice.setText(sentence)
        self.notice.show()

    def _refresh_panel(self) -> None:
        if self.document is not None:
            self.panel.show_issues(self.document.issues, self.document.template)


def _fill_from(document: ReportDocument, previous: ReportContent) -> list[tuple[str, str, str]]:
    """(kind, key, value) for every empty field the previous report has something for."""
    edits: list[tuple[str, str, str]] = []
    for indicator in document.template.indicators:
        old_value = previous.values.get(indicator.id)
        if indicator.is_computed or old_value is None:
            continue
        if document.values.get(indicator.id) is None:
            edits.append((VALUE, indicator.id, old_value))
    for _, section in document.template.walk_sections():
        text = previous.narratives.get(section.id, "")
        empty = not document.narratives.get(section.id, "").strip()
        if section.narrative and text.strip() and empty:
            edits.append((NARRATIVE, section.id, text))
    return edits


def _with_summary(report: LoadedReport, summary: ReportSummary) -> LoadedReport:
    return dataclasses.replace(report, summary=summary)
