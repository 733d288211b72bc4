"""The main window: home, the report list and one tab per open report, over one Workspace.

Menus carry every command with its shortcut (Ctrl+N new report, Ctrl+F search, F1 help, Ctrl+=
and Ctrl+- text size). Save, undo, redo and print belong to the report being edited: while an
editor tab is in front the Edit menu holds that editor's own actions, so each shortcut has one
owner and reaches the editor.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QKeySequence,
    QShortcut,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

import desktop_app
from desktop_app.core.catalogue import DEFAULT_LANGUAGE, LANGUAGES, message
from desktop_app.core.reports.records import report_period
from desktop_app.core.workspace import Workspace
from desktop_app.ui.home import HomePage
from desktop_app.ui.i18n import Texts, period_title
from desktop_app.ui.report_list import NewReportDialog, ReportListPage
from desktop_app.ui.screen_fit import resize_to_fit
from desktop_app.ui.settings import DEFAULT_FONT_SIZE, AppSettings, SettingsDialog, apply_font
from desktop_app.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from desktop_app.ui.documents_flow import DocumentsFlow
    from desktop_app.ui.exchange.packages_flow import PackagesFlow
    from desktop_app.ui.upper.window import UpperOfficeWindow

EditorFactory = Callable[[Workspace, TaskRunner, str, QWidget], QWidget]
EDITOR_COMMANDS = ("save", "undo", "redo", "print")
# The editor method each command calls when the editor offers no ``<command>_action``.
EDITOR_METHODS = {
    "save": ("save_now", "save"),
    "undo": ("undo",),
    "redo": ("redo",),
    "print": ("print_report", "print_now"),
}
SHORTCUTS = {
    "save": [QKeySequence.StandardKey.Save],
    "undo": [QKeySequence.StandardKey.Undo],
    "redo": [QKeySequence.StandardKey.Redo],
    "print": [QKeySequence.StandardKey.Print],
}
HOME_TAB, LIST_TAB = 0, 1
UNSAFE_IN_FILE_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
DEFAULT_SIZE = (1280, 800)


def default_editor_factory(
    workspace: Workspace, runner: TaskRunner, report_id: str, parent: QWidget
) -> QWidget:
    from desktop_app.ui.editor import ReportEditor  # built beside the shell, loaded when needed

    extra = {"lang": runner.lang} if "lang" in inspect.signature(ReportEditor).parameters else {}
    editor: QWidget = ReportEditor(workspace, runner, report_id, parent=parent, **extra)
    return editor


def unique_keys(keys: tuple[Any, ...]) -> list[QKeySequence]:
    """Each key once: a standard key (F1 for help) may repeat one given by name."""
    found: dict[str, QKeySequence] = {}
    for key in keys:
        bindings = (
            QKeySequence.keyBindings(key)
            if isinstance(key, QKeySequence.StandardKey)
            else [QKeySequence(key)]
        )
        for binding in bindings:
            found.setdefault(binding.toString(), binding)
    return [binding for text, binding in found.items() if text]


def claimed_keys(widget: QWidget) -> set[str]:
    """Key sequences the widget or its children already answer to (their own shortcuts)."""
    keys: set[str] = set()
    for action in {*widget.actions(), *widget.findChildren(QAction)}:
        keys.update(key.toString() for key in action.shortcuts())
    for shortcut in widget.findChildren(QShortcut):
        keys.update(key.toString() for key in shortcut.keys())  # noqa: SIM118 - a Qt method
    return keys - {""}


def report_title(workspace: Workspace, report_id: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """The editor tab title, «Báo cáo tình hình … — Quý IV năm 2026» (worker thread)."""
    summary = workspace.reports.get(report_id)
    template = workspace.templates.get(summary.template_id, summary.template_version)
    return f"{template.title} — {period_title(report_period(template, summary.period), lang)}"


def print_job(
    workspace: Workspace, report_id: str, lang: str = DEFAULT_LANGUAGE
) -> tuple[bytes, str, str]:
    """The report's PDF, the preview's title and a file name to save it under (worker)."""
    title = report_title(workspace, report_id, lang)
    revision = workspace.reports.get(report_id).revision
    file_name = document_file_name(title, message("screens.revision", lang, revision=revision))
    return workspace.documents.report_pdf(report_id), title, file_name


def document_file_name(*parts: str, suffix: str = ".pdf") -> str:
    """«Báo cáo … — Quý IV năm 2026 (lần 1).pdf»: what the clerk reads in the title, without
    the characters Windows refuses in a file name."""
    name = " ".join(part for part in parts if part)
    return UNSAFE_IN_FILE_NAMES.sub("-", name).strip(" .") + suffix


def backup_into(workspace: Workspace, folder: Path | None) -> Path:
    """A copy in the chosen folder (made if missing), else in the workspace's rotation."""
    if folder is None:
        return workspace.backup()
    folder.mkdir(parents=True, exist_ok=True)
    return workspace.backup(folder / f"baocao-{datetime.now():%Y%m%d-%H%M%S}.db")


class InfoBar(QFrame):
    """A coloured band above the tabs for news about the data (crash check, restore)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("infoBar")
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.action = QPushButton()
        self.dismiss = QPushButton()
        self.dismiss.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.action)
        layout.addWidget(self.dismiss)
        self.hide()

    def show_message(
        self, text: str, dismiss: str, action: str | None = None, warning: bool = False
    ) -> None:
        colour = "#fde7e4" if warning else "#e6f1e6"
        border = "#b3261e" if warning else "#2e7d32"
        self.setStyleSheet(
            f"#infoBar {{ background: {colour}; border: 1px solid {border}; border-radius: 4px; }}"
        )
        self.text.setText(text)
        self.dismiss.setText(dismiss)
        self.action.setVisible(action is not None)
        self.action.setText(action or "")
        self.show()


class MainWindow(QMainWindow):
    """``editor_opened`` carries the report id once its editor tab is in front."""

    editor_opened = Signal(str)

    def __init__(
        self,
        workspace: Workspace,
        runner: TaskRunner,
        texts: Texts,
        settings: AppSettings,
        font_family: str,
        editor_factory: EditorFactory = default_editor_factory,
    ) -> None:
        super().__init__()
        self.workspace, self.runner, self.texts, self.settings = workspace, runner, texts, settings
        self.font_family = font_family
        self.editor_factory = editor_factory
        self.editors: dict[str, QWidget] = {}
        self.stale = {HOME_TAB: True, LIST_TAB: True}
        self.office_name = ""
        self.quit_when_closed = False
        self._shown_once = False
        self._list_page: ReportListPage | None = None
        self.job_dialog: QDialog | None = None
        self.upper_window: UpperOfficeWindow | None = None
        self._documents: DocumentsFlow | None = None
        self._build_pages()
        self._build_actions()
        self._build_menus()
        self._build_status_bar()
        self._restore_geometry()
        texts.changed.connect(self.retranslate)
        self.retranslate()
        self.tabs.currentChanged.connect(self._tab_changed)

    @property
    def list_page(self) -> ReportListPage:
        if self._list_page is None:
            self._list_page = ReportListPage(self.workspace, self.runner, self.texts)
            self._list_page.open_requested.connect(self.open_report)
            layout = self.list_holder.layout()
            assert layout is not None
            layout.addWidget(self._list_page)
        return self._list_page

    def showEvent(self, event: QShowEvent) -> None:
        """Data is asked for once the window has painted: the worker thread would otherwise
        compete with the first paint for the interpreter."""
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            QTimer.singleShot(0, lambda: self._tab_changed(self.tabs.currentIndex()))

    # --- building ---------------------------------------------------------------------------

    def _build_pages(self) -> None:
        self.home = HomePage(self.workspace, self.runner, self.texts)
        self.home.open_requested.connect(self.open_report)
        self.home.create_requested.connect(self.new_report)
        self.home.new_requested.connect(self.new_report)
        self.home.job_requested.connect(self.run_job)
        self.home.loaded.connect(self._home_loaded)
        self.list_holder = QWidget()  # the list is built when first shown: a quicker start
        QVBoxLayout(self.list_holder).setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setTabsClosable(True)
        self.tabs.tabCloseRequested.connect(self.close_tab)
        for page in (self.home, self.list_holder):
            self.tabs.addTab(page, "")
            self.tabs.tabBar().setTabButton(
                self.tabs.indexOf(page), self.tabs.tabBar().ButtonPosition.RightSide, None
            )
        self.info_bar = InfoBar()
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(self.info_bar)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

    def _action(self, handler: Callable[[], Any], *keys: Any) -> QAction:
        action = QAction(self)
        action.triggered.connect(lambda _checked=False: handler())
        if keys:
            action.setShortcuts(unique_keys(keys))
        return action

    def _build_actions(self) -> None:
        self.actions_by_name: dict[str, QAction] = {
            "new": self._action(self.new_report, QKeySequence.StandardKey.New),
            "backup": self._action(self.backup_now),
            "restore": self._action(self.restore_from_file),
            "settings": self._action(self.show_settings, "Ctrl+,"),
            "office": self._action(self.show_office),
            "save_word": self._action(lambda: self.documents.save_word(self._chosen_report())),
            "blank_form": self._action(lambda: self.documents.blank_form()),
            # Some Linux desktops bind no key to the standard Quit: Ctrl+Q is what clerks know.
            "quit": self._action(self.close, QKeySequence.StandardKey.Quit, "Ctrl+Q"),
            "find": self._action(self.focus_search, QKeySequence.StandardKey.Find),
            "home": self._action(lambda: self.tabs.setCurrentIndex(HOME_TAB), "Ctrl+1"),
            "list": self._action(lambda: self.tabs.setCurrentIndex(LIST_TAB), "Ctrl+2"),
            "zoom_in": self._action(lambda: self.zoom(+1), "Ctrl+=", "Ctrl++"),
            "zoom_out": self._action(lambda: self.zoom(-1), "Ctrl+-"),
            "zoom_reset": self._action(lambda: self.zoom(0), "Ctrl+0"),
            "guide": self._action(self.show_help, QKeySequence.StandardKey.HelpContents, "F1"),
            "about": self._action(self.show_about),
            "approve": self._action(lambda: self.approve_report(self._chosen_report())),
            "export": self._action(lambda: self.export_reports(self.current_report_id())),
            "send": self._action(self.send_online),
            "import": self._action(self.import_bundles, "Ctrl+I"),
            "keys": self._action(self.show_keys),
            "token": self._action(self.show_token_settings),
            "term": self._action(self.show_term),
            "recipients": self._action(lambda: self.show_recipients(self._chosen_report())),
            "upper": self._action(self.show_upper_office, "Ctrl+3"),
            "install_config": self._action(lambda: self.packages.install_config()),
            "install_receipt": self._action(lambda: self.packages.install_receipt()),
            "build_config": self._action(lambda: self.packages.build_config()),
            "build_receipts": self._action(lambda: self.packages.build_receipts()),
        }
        self.actions_by_name["upper"].setEnabled(False)  # until the units are counted
        self.editor_proxies = {
            name: self._action(self._editor_command(name)) for name in EDITOR_COMMANDS
        }
        self.edit_separator = QAction(self)
        self.edit_separator.setSeparator(True)
        self.language_actions = QActionGroup(self)
        for lang in LANGUAGES:
            action = QAction(self.texts.in_language(lang, "shell.language.name"), self)
            action.setCheckable(True)
            action.setChecked(lang == self.texts.lang)
            action.triggered.connect(lambda _checked=False, lang=lang: self.set_language(lang))
            self.language_actions.addAction(action)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.menus: dict[str, QMenu] = {}
        layout = {
            "file": ["new", None, "backup", "restore", None, "settings", "term", None, "quit"],
            "edit": [],
            "view": ["home", "list", "find", None, "zoom_in", "zoom_out", "zoom_reset"],
            "exchange": [
                "approve",
                "export",
                "send",
                "import",
                "recipients",
                None,
                "keys",
                "token",
                None,
                "install_config",
                "install_receipt",
                None,
                "build_config",
                "build_receipts",
                None,
                "upper",  # where the guide sends the upper office (Ctrl+3)
            ],
            "help": ["guide", None, "about"],
        }
        for menu_name, names in layout.items():
            menu = bar.addMenu("")
            self.menus[menu_name] = menu
            for name in names:
                if name is None:
                    menu.addSeparator()
                else:
                    menu.addAction(self.actions_by_name[name])
        file_menu = self.menus["file"]
        file_menu.insertAction(self.actions_by_name["settings"], self.actions_by_name["office"])
        before_backup = file_menu.insertSeparator(self.actions_by_name["backup"])
        for name in ("save_word", "blank_form"):
            file_menu.insertAction(before_backup, self.actions_by_name[name])
        self.language_menu = QMenu(self)
        self.language_menu.addActions(self.language_actions.actions())
        self.menus["view"].addSeparator()
        self.menus["view"].addMenu(self.language_menu)

    def _build_status_bar(self) -> None:
        self.saved_label = QLabel()
        self.busy_label = QLabel()
        self.statusBar().addPermanentWidget(self.busy_label)
        self.statusBar().addPermanentWidget(self.saved_label)
        self.runner.busy_changed.connect(self._show_busy)

    def retranslate(self) -> None:
        tr = self.texts
        self._update_title()
        self.tabs.setTabText(HOME_TAB, tr("shell.tab.home"))
        self.tabs.setTabText(LIST_TAB, tr("shell.tab.list"))
        for name, menu in self.menus.items():
            menu.setTitle(tr(f"shell.menu.{name}"))
        self.language_menu.setTitle(tr("shell.menu.language"))
        for name, action in self.actions_by_name.items():
            action.setText(tr(f"shell.action.{name}"))
        self.info_bar.dismiss.setText(tr("shell.dismiss"))
        self._route_editor_commands()

    # --- pages ------------------------------------------------------------------------------

    def _tab_changed(self, index: int) -> None:
        self.quit_when_closed = False  # the clerk went on working after a refused close
        if self.stale.get(index):
            self.stale[index] = False
            (self.home if index == HOME_TAB else self.list_page).reload()
        self._route_editor_commands()

    def mark_stale(self) -> None:
        """Reports changed: reload the page in front now, the other one when shown."""
        self.stale = {HOME_TAB: True, LIST_TAB: True}
        current = self.tabs.currentIndex()
        if current in self.stale:
            self._tab_changed(current)
        else:
            self._offer_upper_office()  # a trusted key or an import may have added units

    def _home_loaded(self) -> None:
        if self.home.data:
            self.office_name = self.home.data.office_name
        self._update_title()
        self._offer_upper_office()

    def _update_title(self) -> None:
        title = self.texts("shell.app_name")
        self.setWindowTitle(f"{title} — {self.office_name}" if self.office_name else title)

    def focus_search(self) -> None:
        """Ctrl+F: the open report's own search box, else the report list's."""
        focus_find = getattr(self.current_editor(), "focus_find", None)
        if callable(focus_find):
            focus_find()
            return
        self.tabs.setCurrentIndex(LIST_TAB)
        self.list_page.focus_search()

    # --- reports ----------------------------------------------------------------------------

    def new_report(self, template_id: str | None = None, period_code: str | None = None) -> None:
        dialog = NewReportDialog(
            self.workspace, self.runner, self.texts, template_id, period_code, self
        )
        dialog.created.connect(self._report_created)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.new_report_dialog = dialog

    def _report_created(self, report_id: str, is_new: bool) -> None:
        self.mark_stale()
        code = "shell.new.created" if is_new else "shell.new.existed"
        self.statusBar().showMessage(self.texts(code), 8000)
        self.open_report(report_id)

    def open_report(self, report_id: str) -> None:
        if report_id in self.editors:
            self.tabs.setCurrentWidget(self.editors[report_id])
            self.editor_opened.emit(report_id)
            return
        try:
            editor = self.editor_factory(self.workspace, self.runner, report_id, self)
        except Exception as error:  # a report that cannot be shown must not close the app
            self.runner.show_error(error, self)
            return
        self.editors[report_id] = editor
        self._connect_editor(report_id, editor)
        index = self.tabs.addTab(editor, self.texts("shell.tab.loading"))
        self.tabs.setCurrentIndex(index)
        self.runner.run(
            report_title,
            self.workspace,
            report_id,
            self.texts.lang,
            on_done=lambda title: self._set_editor_title(editor, title),
            on_error=lambda _error: None,
        )
        self.editor_opened.emit(report_id)

    def _connect_editor(self, report_id: str, editor: QWidget) -> None:
        saved = getattr(editor, "saved", None)
        if saved is not None:
            saved.connect(self._editor_saved)
        closed = getattr(editor, "closed", None)
        if closed is not None:
            closed.connect(lambda: self._forget_editor(report_id))
        status_changed = getattr(editor, "status_changed", None)
        if status_changed is not None:
            status_changed.connect(lambda _status: self.mark_stale())

    def _set_editor_title(self, editor: QWidget, title: str) -> None:
        if not (shiboken6.isValid(self) and shiboken6.isValid(editor)):
            return  # closed before its title came back from the worker
        index = self.tabs.indexOf(editor)
        if index >= 0:
            short = title if len(title) <= 48 else title[:45] + "…"
            self.tabs.setTabText(index, short)
            self.tabs.setTabToolTip(index, title)

    def _editor_saved(self, stamp: str) -> None:
        self.saved_label.setText(self.texts.saved_time(stamp))
        self.stale = {HOME_TAB: True, LIST_TAB: True}

    def current_editor(self) -> QWidget | None:
        widget = self.tabs.currentWidget()
        return widget if widget in self.editors.values() else None

    def current_report_id(self) -> str:
        """The report whose editor tab is in front, or ""."""
        editor = self.current_editor()
        return next((key for key, value in self.editors.items() if value is editor), "")

    # --- the daily jobs: print, approve, export, import -------------------------------------

    def run_job(self, job: str, report_id: str) -> None:
        jobs: dict[str, Callable[[str], None]] = {
            "print": self.print_report,
            "approve": self.approve_report,
            "export": self.export_reports,
            "import": lambda _report_id: self.import_bundles(),
        }
        jobs[job](report_id)

    def print_report(self, report_id: str) -> None:
        """The official document in a preview window, from which it prints (no PDF reader)."""
        if report_id:
            self.runner.run(
                print_job,
                self.workspace,
                report_id,
                self.texts.lang,
                on_done=self._show_preview,
                error_parent=self,
            )

    def _show_preview(self, job: tuple[bytes, str, str]) -> None:
        from desktop_app.ui.preview import PreviewDialog

        pdf, title, file_name = job
        self._open_dialog(PreviewDialog(pdf, title, file_name, self.texts, self.runner, self))

    def approve_report(self, report_id: str) -> None:
        from desktop_app.ui.exchange.approve import ApproveDialog

        if not report_id:
            self.tell(self.texts("shell.approve.choose"))
            return
        save_now = getattr(self.editors.get(report_id), "save_now", None)
        if callable(save_now):
            save_now()  # queued before the approval: the head signs what is on screen
        dialog = ApproveDialog(self.workspace, self.runner, self.texts, report_id, parent=self)
        dialog.approved.connect(lambda number: self._approved(report_id, number))
        self._open_dialog(dialog)

    def _approved(self, report_id: str, number: int) -> None:
        """The open editor shows the signed, read-only report; the head is told it is done."""
        reload = getattr(self.editors.get(report_id), "reload", None)
        if callable(reload):
            reload()
        self.mark_stale()
        self.tell(self.texts("shell.approve.done", number=number))

    def tell(self, sentence: str) -> None:
        """A short confirmation or hint in a small window the clerk closes with Enter."""
        box = QMessageBox(QMessageBox.Icon.Information, self.texts("shell.app_name"), sentence)
        box.setParent(self, box.windowFlags())
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.message_box = box

    def export_reports(self, report_id: str = "") -> None:
        from desktop_app.ui.exchange.export_dialog import ExportDialog

        chosen = [report_id] if report_id else None
        dialog = ExportDialog(self.workspace, self.runner, self.texts, chosen, parent=self)
        dialog.finished.connect(lambda _result: self.mark_stale())
        self._open_dialog(dialog)

    def send_online(self) -> None:
        from desktop_app.ui.exchange.send_online import SendDialog

        dialog = SendDialog(self.workspace, self.runner, self.texts, parent=self)
        dialog.usb_requested.connect(lambda ids: self.export_reports(ids[0] if ids else ""))
        dialog.finished.connect(lambda _result: self.mark_stale())
        self._open_dialog(dialog)

    def import_bundles(self) -> None:
        from desktop_app.ui.exchange.import_dialog import ImportDialog

        dialog = ImportDialog(self.workspace, self.runner, self.texts, parent=self)
        dialog.finished.connect(lambda _result: self.mark_stale())
        self._open_dialog(dialog)

    def _chosen_report(self) -> str:
        """The report in front: its editor tab, else the one chosen on the page in front."""
        if editor_report := self.current_report_id():
            return editor_report
        if self.tabs.currentIndex() == HOME_TAB:
            return self.home.selected[0]
        return self.list_page.selected_report_id()

    def show_upper_office(self) -> None:
        """The units' reports: who is late, the totals, returning, the consolidated report.

        A window beside the main one (not modal): a report opened from it, such as the
        consolidated report just made, comes up in a tab the clerk can reach at once."""
        from desktop_app.ui.upper.window import UpperOfficeWindow

        if self.upper_window is not None:
            self.upper_window.refresh()
            self.upper_window.raise_()
            self.upper_window.activateWindow()
            return
        window = UpperOfficeWindow(self.workspace, self.runner, self.texts, self)
        window.open_report.connect(self._open_from_upper)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.destroyed.connect(self._upper_closed)
        window.show()
        self.upper_window = window

    def _upper_closed(self) -> None:
        self.upper_window = None

    def _open_from_upper(self, report_id: str) -> None:
        self.mark_stale()
        self.open_report(report_id)
        self.raise_()
        self.activateWindow()

    def _offer_upper_office(self) -> None:
        """Ctrl+3 and its menu entry work where there are units to follow (worker thread)."""
        self.runner.run(
            self.workspace.units,
            on_done=self._show_upper_entry,
            on_error=lambda _error: None,
        )

    def _show_upper_entry(self, units: list[object]) -> None:
        if shiboken6.isValid(self):  # the window may have closed while the units were read
            self.actions_by_name["upper"].setEnabled(bool(units))

    def show_keys(self) -> None:
        from desktop_app.ui.exchange.keys_dialog import KeysDialog

        dialog = KeysDialog(self.workspace, self.runner, self.texts, self)
        dialog.finished.connect(lambda _result: self.mark_stale())  # trusting adds a unit
        self._open_dialog(dialog)

    def show_token_settings(self) -> None:
        from desktop_app.ui.exchange.token_settings import TokenSettingsDialog

        dialog = TokenSettingsDialog(self.workspace, self.runner, self.texts, self)
        dialog.saved.connect(
            lambda: self.statusBar().showMessage(self.texts("token_settings.saved"), 5000)
        )
        self._open_dialog(dialog)

    @property
    def documents(self) -> DocumentsFlow:
        """Kept by the window: Qt holds a plain object's methods given as callbacks weakly."""
        if self._documents is None:
            from desktop_app.ui.documents_flow import DocumentsFlow

            self._documents = DocumentsFlow(self.workspace, self.runner, self.texts, self)
        return self._documents

    def show_term(self) -> None:
        from desktop_app.ui.term_dialog import TermDialog

        self._open_dialog(TermDialog(self.workspace, self.runner, self.texts, self))

    def show_recipients(self, report_id: str) -> None:
        from desktop_app.ui.recipients_dialog import RecipientsDialog

        if report_id:
            self._open_dialog(
                RecipientsDialog(self.workspace, self.runner, self.texts, report_id, self)
            )

    @property
    def packages(self) -> PackagesFlow:
        from desktop_app.ui.exchange.packages_flow import PackagesFlow

        return PackagesFlow(self.workspace, self.runner, self.texts, self)

    def open_job_dialog(self, dialog: QDialog) -> None:
        """Open ``dialog`` over the window as the job in front (``job_dialog``)."""
        self._open_dialog(dialog)

    def _open_dialog(self, dialog: QDialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.job_dialog = dialog

    def close_tab(self, index: int) -> None:
        """Ask the editor to close: it saves what is pending first and says ``closed``."""
        widget = self.tabs.widget(index)
        report_id = next((key for key, value in self.editors.items() if value is widget), None)
        if report_id is None or widget is None:
            return
        request_close = getattr(widget, "request_close", None)
        if callable(request_close):
            request_close()
        elif widget.close():
            self._forget_editor(report_id)

    def _forget_editor(self, report_id: str) -> None:
        editor = self.editors.pop(report_id, None)
        if editor is None:
            return
        quitting = self.quit_when_closed  # removing the tab changes tabs, which clears the flag
        index = self.tabs.indexOf(editor)
        if index >= 0:
            self.tabs.removeTab(index)
        editor.deleteLater()
        self.mark_stale()
        self.quit_when_closed = quitting
        if quitting and not self.editors:
            QTimer.singleShot(0, self.close)

    # --- editor commands --------------------------------------------------------------------

    def _route_editor_commands(self) -> None:
        """Put the front editor's own actions in the Edit menu, or stand-ins that call it.

        A stand-in drops its shortcut when the editor already answers to that key itself,
        because two owners of one key make Qt ignore the key altogether."""
        menu = self.menus["edit"]
        for action in menu.actions():  # not clear(): PySide would delete the editor's actions
            menu.removeAction(action)
        editor = self.current_editor()
        taken = claimed_keys(editor) if editor else set()
        for name in EDITOR_COMMANDS:
            own = getattr(editor, f"{name}_action", None) if editor else None
            proxy = self.editor_proxies[name]
            if isinstance(own, QAction):
                self.removeAction(proxy)
                menu.addAction(own)
                continue
            keys = [QKeySequence(key) for key in SHORTCUTS[name]]
            free = [key for key in keys if key.toString() not in taken]
            proxy.setShortcuts(free)
            proxy.setText(self._command_text(name, keys if len(free) < len(keys) else []))
            shell_prints = name == "print" and editor is not None
            proxy.setEnabled(shell_prints or self._editor_method(editor, name) is not None)
            self.addAction(proxy)
            menu.addAction(proxy)
        menu.addAction(self.edit_separator)
        menu.addAction(self.actions_by_name["find"])

    def _command_text(self, name: str, shown_keys: list[QKeySequence]) -> str:
        text = self.texts(f"shell.action.{name}")
        if shown_keys:  # the editor handles the key; the menu still tells the clerk about it
            text += "\t" + shown_keys[0].toString(QKeySequence.SequenceFormat.NativeText)
        return text

    @staticmethod
    def _editor_method(editor: QWidget | None, name: str) -> Callable[[], Any] | None:
        for attribute in EDITOR_METHODS[name] if editor else ():
            method = getattr(editor, attribute, None)
            if callable(method):
                return method  # type: ignore[no-any-return]
        return None

    def _editor_command(self, name: str) -> Callable[[], None]:
        def run() -> None:
            method = self._editor_method(self.current_editor(), name)
            if method is not None:
                method()
            elif name == "print":
                self.print_report(self.current_report_id())

        return run

    # --- comfort ----------------------------------------------------------------------------

    def zoom(self, step: int) -> None:
        """Ctrl+= / Ctrl+- change the text size everywhere; 0 goes back to the default."""
        size = DEFAULT_FONT_SIZE if step == 0 else self.settings.font_size + step
        self.settings.font_size = size
        apply_font(self.font_family, self.settings.font_size)
        self.statusBar().showMessage(
            self.texts("shell.zoom.size", size=self.settings.font_size), 4000
        )

    def set_language(self, lang: str) -> None:
        self.settings.language = lang
        self.runner.lang = lang
        self.texts.set_language(lang)
        for action in self.language_actions.actions():
            action.setChecked(action.text() == self.texts.in_language(lang, "shell.language.name"))

    def show_settings(self) -> None:
        dialog = SettingsDialog(self.settings, self.texts, self)
        if dialog.exec() != SettingsDialog.DialogCode.Accepted:
            return
        self.settings.backup_folder = dialog.backup.folder
        self.settings.font_size = dialog.font_size.value()
        apply_font(self.font_family, self.settings.font_size)
        self.set_language(dialog.chosen_language())

    def show_office(self) -> None:
        """The office's details, to correct what the wizard took."""
        from desktop_app.ui.office_dialog import OfficeDialog

        dialog = OfficeDialog(self.workspace, self.runner, self.texts, self.settings, self)
        dialog.saved.connect(self._office_saved)
        self._open_dialog(dialog)

    def _office_saved(self, _office: object) -> None:
        self.mark_stale()
        self.statusBar().showMessage(self.texts("screens.office.saved"), 8000)

    def show_help(self) -> None:
        from desktop_app.ui.help import HelpDialog  # the guide loads when first asked for

        dialog = HelpDialog(self.texts, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        self.help_dialog = dialog

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            self.texts("shell.action.about"),
            self.texts("shell.about", version=desktop_app.__version__),
        )

    def _show_busy(self, busy: bool) -> None:
        self.busy_label.setText(self.texts("shell.busy") if busy else "")

    # --- data safety ------------------------------------------------------------------------

    def show_start_checks(self) -> None:
        """After an unclean shutdown: say the data was checked, or offer the newest backup."""
        tr = self.texts
        if not self.workspace.integrity_ok:
            self.info_bar.show_message(
                tr("shell.integrity.damaged"),
                tr("shell.dismiss"),
                tr("shell.integrity.restore"),
                warning=True,
            )
            self.info_bar.action.clicked.connect(self.restore_newest)
        elif self.workspace.recovered_from_crash:
            self.info_bar.show_message(tr("shell.integrity.checked"), tr("shell.dismiss"))
            self.statusBar().showMessage(tr("shell.integrity.checked_short"), 15000)

    def restore_newest(self) -> None:
        self.runner.run(
            self.workspace.newest_good_backup, on_done=self._offer_newest, error_parent=self
        )

    def _offer_newest(self, backup: Path | None) -> None:
        if backup is None:
            QMessageBox.warning(
                self, self.texts("shell.app_name"), self.texts("shell.integrity.no_backup")
            )
            return
        self.restore(backup)

    def restore_from_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self,
            self.texts("shell.restore.choose"),
            str(self.workspace.backups_dir),
            self.texts("shell.restore.filter"),
        )
        if path:
            self.restore(Path(path))

    def restore(self, backup: Path) -> None:
        question = self.texts("shell.restore.confirm", name=backup.name)
        answer = QMessageBox.question(self, self.texts("shell.app_name"), question)
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.runner.run(
            self.workspace.restore,
            backup,
            on_done=lambda safety: self._restored(backup, safety),
            error_parent=self,
        )

    def _restored(self, backup: Path, safety: Path) -> None:
        self.info_bar.show_message(
            self.texts("shell.restore.done", name=backup.name, safety=str(safety)),
            self.texts("shell.dismiss"),
        )
        self.mark_stale()

    def backup_now(self) -> None:
        self.runner.run(
            backup_into,
            self.workspace,
            self.settings.backup_folder,
            error_parent=self,
            on_done=lambda path: self.statusBar().showMessage(
                self.texts("shell.backup.done", path=str(path)), 10000
            ),
        )

    # --- geometry and closing ---------------------------------------------------------------

    def _restore_geometry(self) -> None:
        geometry = self.settings.geometry
        if geometry is None or not self.restoreGeometry(geometry):
            resize_to_fit(self, *DEFAULT_SIZE)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Editors save what is pending first; the window closes when the last one has."""
        for editor in list(self.editors.values()):
            self.close_tab(self.tabs.indexOf(editor))
        if self.editors:
            self.quit_when_closed = True
            self.statusBar().showMessage(self.texts("shell.closing"), 10000)
            event.ignore()
            return
        self.settings.geometry = self.saveGeometry()
        self.settings.sync()
        self.runner.wait()
        event.accept()
