"""Home, "Việc cần làm": what is due, what is half done, what came back, and the daily jobs.

The figures are gathered by :func:`load_home` on the task runner's worker thread (it only reads
through the Workspace) and shown by :class:`HomePage`; each list shows the newest
:data:`LIST_LIMIT` entries and says how many more the report list holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.model.periods import Period
from desktop_app.core.reports.records import ReportSummary, report_period
from desktop_app.core.reports.schedule import DueItem
from desktop_app.core.reports.status import Status
from desktop_app.core.reports.templates import Template
from desktop_app.core.workspace import Workspace
from desktop_app.ui.i18n import Texts, short_time
from desktop_app.ui.settings import TitleLabel, icon
from desktop_app.ui.signed_text import Signatures, recognised_signatures, signature_text
from desktop_app.ui.tasks import TaskRunner

LIST_LIMIT = 50
SOON_DAYS = 7
OVERDUE_COLOUR = QColor("#b3261e")
SOON_COLOUR = QColor("#8a5300")
ID_ROLE = Qt.ItemDataRole.UserRole
PERIOD_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS_ROLE = Qt.ItemDataRole.UserRole + 2
JOBS = ("print", "approve", "export", "import")


@dataclass(frozen=True)
class ReportItem:
    id: str
    template_title: str
    period: Period
    status: Status
    updated_at: str
    return_comment: str | None
    office_name: str = ""  # the unit that sent it, for a received report
    signatures: Signatures = ()  # the recognised signatures on its PDF, for a received report


@dataclass(frozen=True)
class HomeData:
    office_name: str
    due: list[DueItem]
    lists: dict[str, list[ReportItem]]  # drafts, ready, returned, exported
    totals: dict[str, int]
    received: list[ReportItem] = field(default_factory=list)  # newest first
    received_total: int = 0


LIST_STATUSES = {
    "drafts": Status.DRAFT,
    "ready": Status.READY,
    "returned": Status.RETURNED,
    "exported": Status.EXPORTED,
}


def load_home(workspace: Workspace, today: date) -> HomeData:
    """Everything the home page shows, in a few queries (worker thread)."""
    templates = {template.id: template for template in workspace.templates.newest()}
    due = workspace.reports.due(today)
    lists: dict[str, list[ReportItem]] = {}
    totals: dict[str, int] = {}
    for name, status in LIST_STATUSES.items():
        summaries = workspace.reports.summaries(status=status, origin="local")
        totals[name] = len(summaries)
        lists[name] = [_report_item(s, templates) for s in summaries[:LIST_LIMIT]]
    received = _received(workspace, templates)
    newest = received[:LIST_LIMIT]
    return HomeData(workspace.office.name, due, lists, totals, newest, len(received))


def _received(workspace: Workspace, templates: dict[str, Template]) -> list[ReportItem]:
    """The reports the units sent (an upper office's inbox), newest first."""
    summaries = workspace.reports.summaries(origin="received")
    if not summaries:
        return []
    units = {unit.code: unit.name for unit in workspace.units()}
    summaries.sort(key=lambda summary: summary.updated_at, reverse=True)
    # only the rows shown ask for their signatures: an inbox may hold thousands
    return [
        _report_item(
            summary,
            templates,
            units.get(summary.office_code, summary.office_code),
            recognised_signatures(workspace, summary.id, summary.revision)
            if position < LIST_LIMIT
            else (),
        )
        for position, summary in enumerate(summaries)
    ]


def _report_item(
    summary: ReportSummary,
    templates: dict[str, Template],
    office_name: str = "",
    signatures: Signatures = (),
) -> ReportItem:
    template = templates.get(summary.template_id)
    title = template.title if template else summary.template_id
    return ReportItem(
        id=summary.id,
        template_title=title,
        period=report_period(template, summary.period),
        status=summary.status,
        updated_at=summary.updated_at,
        return_comment=summary.return_comment,
        office_name=office_name,
        signatures=signatures,
    )


# --- widgets ----------------------------------------------------------------------------------


class BigButton(QToolButton):
    """A daily job: large icon over a short label, reachable with Tab and Space."""

    def __init__(self, icon_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setIcon(icon(icon_name))
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
        self.setIconSize(QSize(40, 40))
        self.setMinimumSize(QSize(150, 96))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAutoRaise(False)


class ReportTree(QTreeWidget):
    """A short read-only list; Enter or double-click opens the row."""

    activated_row = Signal(QTreeWidgetItem)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRootIsDecorated(False)
        self.setMinimumHeight(110)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QTreeWidget.SelectionMode.SingleSelection)
        self.itemActivated.connect(lambda item, _column: self.activated_row.emit(item))

    def sizeHint(self) -> QSize:
        """Small by default; the page's layout gives the lists the room there is, so the home
        page fits a 1280 × 800 screen without scrolling."""
        return QSize(300, 110)

    def selected_item(self) -> QTreeWidgetItem | None:
        items = self.selectedItems()
        return items[0] if items else None


class Section(QFrame):
    """A titled list with a sentence in place of the list when it is empty."""

    def __init__(self, texts: Texts, title_code: str, empty_code: str, columns: int) -> None:
        super().__init__()
        self.texts = texts
        self.title_code, self.empty_code = title_code, empty_code
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = TitleLabel(1.15)
        self.tree = ReportTree()
        self.tree.setColumnCount(columns)
        _fit_columns(self.tree)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.more = QLabel()
        layout = QVBoxLayout(self)
        for widget in (self.title, self.tree, self.empty, self.more):
            layout.addWidget(widget)
        self.show_count(0, 0)

    def show_count(self, shown: int, total: int) -> None:
        self.title.setText(self.texts(self.title_code, count=self.texts.number(total)))
        self.empty.setText(self.texts(self.empty_code))
        self.tree.setVisible(shown > 0)
        self.empty.setVisible(shown == 0)
        self.more.setVisible(total > shown)
        self.more.setText(self.texts("shell.home.more", count=self.texts.number(total - shown)))


class HomePage(QWidget):
    """The first screen. Signals carry report ids or (template id, period code)."""

    open_requested = Signal(str)
    create_requested = Signal(str, str)
    new_requested = Signal()
    job_requested = Signal(str, str)  # ("print" | "approve" | "export" | "import", report id)
    loaded = Signal()

    def __init__(
        self, workspace: Workspace, runner: TaskRunner, texts: Texts, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.workspace, self.runner, self.texts = workspace, runner, texts
        self.data: HomeData | None = None
        self.today = date.today()
        self.selected = ("", "")  # (report id, status) of the row chosen in any list
        self._build()
        texts.changed.connect(self.retranslate)
        self.retranslate()

    # building

    def _build(self) -> None:
        self.heading = TitleLabel(1.6)
        self.office = QLabel()
        self.buttons = self._build_buttons()
        self.due = Section(self.texts, "shell.home.due", "shell.home.due_empty", columns=6)
        self.sections = {
            name: Section(self.texts, f"shell.home.{name}", f"shell.home.{name}_empty", columns=3)
            for name in LIST_STATUSES
        }
        self.received = Section(
            self.texts, "shell.home.received", "shell.home.received_empty", columns=5
        )
        self.received.hide()  # shown at an office that receives its units' reports
        for section in (self.due, self.received, *self.sections.values()):
            section.tree.activated_row.connect(self._activate)
            section.tree.itemSelectionChanged.connect(
                lambda tree=section.tree: self._selection_changed(tree)
            )
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(self.heading)
        layout.addWidget(self.office)
        layout.addLayout(self.buttons)
        layout.addWidget(self.due, 3)
        layout.addWidget(self.received, 2)
        layout.addLayout(self._build_grid(), 2)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def _build_buttons(self) -> QHBoxLayout:
        self.new_button = BigButton("new")
        self.new_button.clicked.connect(self.new_requested)
        self.continue_button = BigButton("continue")
        self.continue_button.clicked.connect(self._continue)
        self.job_buttons = {name: BigButton(name) for name in JOBS}
        row = QHBoxLayout()
        row.addWidget(self.new_button)
        row.addWidget(self.continue_button)
        for name, button in self.job_buttons.items():
            button.clicked.connect(lambda _checked=False, job=name: self._run_job(job))
            row.addWidget(button)
        return row

    def _build_grid(self) -> QGridLayout:
        grid = QGridLayout()
        for index, section in enumerate(self.sections.values()):
            grid.addWidget(section, index // 2, index % 2)
        return grid

    def retranslate(self) -> None:
        tr = self.texts
        self.heading.setText(tr("shell.home.title"))
        self.new_button.setText(tr("shell.job.new"))
        self.new_button.setToolTip(tr("shell.job.new_tip", keys=_keys("Ctrl+N")))
        self.continue_button.setText(tr("shell.job.continue"))
        self.continue_button.setToolTip(tr("shell.job.continue_tip"))
        for name, button in self.job_buttons.items():
            button.setText(tr(f"shell.job.{name}"))
        self._update_buttons()
        self.due.tree.setHeaderLabels(
            [
                tr(f"shell.column.{name}")
                for name in ("template", "period", "cutoff", "deadline", "time_left", "state")
            ]
        )
        for section in self.sections.values():
            section.tree.setHeaderLabels(
                [tr(f"shell.column.{name}") for name in ("template", "period", "updated")]
            )
        self.received.tree.setHeaderLabels(
            [
                tr(f"shell.column.{name}")
                for name in ("office", "template", "period", "received", "signed")
            ]
        )
        if self.data:
            self.show_data(self.data)

    # data

    def reload(self) -> None:
        self.today = date.today()
        self.runner.run(
            load_home, self.workspace, self.today, on_done=self.show_data, error_parent=self
        )

    def show_data(self, data: HomeData) -> None:
        self.data = data
        self.office.setText(data.office_name)
        self._fill_due(data.due)
        for name, section in self.sections.items():
            self._fill_list(section, data.lists[name], data.totals[name])
        self._fill_received(data.received, data.received_total)
        self.selected = ("", "")
        self._update_buttons()
        self.loaded.emit()

    def _fill_due(self, items: list[DueItem]) -> None:
        tree = self.due.tree
        tree.clear()
        for item in items:
            tree.addTopLevelItem(self._due_row(item))
        self.due.show_count(len(items), len(items))

    def _due_row(self, item: DueItem) -> QTreeWidgetItem:
        tr = self.texts
        state = tr.status(item.status) if item.status else tr("shell.home.not_started")
        left = tr.days_left(item.days_left) if item.days_left is not None else "—"
        row = QTreeWidgetItem(
            [
                item.template_title,
                tr.period(item.period),
                tr.date(item.cutoff),
                tr.date(item.deadline),
                left,
                state,
            ]
        )
        row.setData(0, ID_ROLE, item.report_id or "")
        row.setData(0, STATUS_ROLE, item.status or "")
        row.setData(0, PERIOD_ROLE, (item.template_id, item.period.code))
        row.setToolTip(0, item.template_title)
        colour = _urgency_colour(item)
        if colour is not None:
            row.setForeground(4, QBrush(colour))
        return row

    def _fill_list(self, section: Section, items: list[ReportItem], total: int) -> None:
        section.tree.clear()
        for item in items:
            row = QTreeWidgetItem(
                [item.template_title, self.texts.period(item.period), short_time(item.updated_at)]
            )
            row.setData(0, ID_ROLE, item.id)
            row.setData(0, STATUS_ROLE, item.status)
            tip = item.template_title
            if item.return_comment:
                tip += "\n" + self.texts("shell.home.return_comment", comment=item.return_comment)
            row.setToolTip(0, tip)
            section.tree.addTopLevelItem(row)
        section.show_count(len(items), total)

    def _fill_received(self, items: list[ReportItem], total: int) -> None:
        tree = self.received.tree
        tree.clear()
        for item in items:
            row = QTreeWidgetItem(
                [
                    item.office_name,
                    item.template_title,
                    self.texts.period(item.period),
                    short_time(item.updated_at),
                    signed := signature_text(item.signatures, self.texts.lang),
                ]
            )
            row.setData(0, ID_ROLE, item.id)
            row.setData(0, STATUS_ROLE, item.status)
            row.setToolTip(1, item.template_title)
            row.setToolTip(4, signed)
            tree.addTopLevelItem(row)
        self.received.show_count(len(items), total)
        self.received.setVisible(total > 0)

    # actions

    def _activate(self, row: QTreeWidgetItem) -> None:
        report_id = row.data(0, ID_ROLE)
        if report_id:
            self.open_requested.emit(str(report_id))
            return
        key = row.data(0, PERIOD_ROLE)
        if key:
            self.create_requested.emit(str(key[0]), str(key[1]))

    def _continue(self) -> None:
        tree = self.sections["drafts"].tree
        row = tree.selected_item() or tree.topLevelItem(0)
        if row is not None:
            self._activate(row)

    def _selection_changed(self, tree: ReportTree) -> None:
        """One report is chosen at a time, whichever list it is in."""
        row = tree.selected_item()
        if row is None:
            return
        trees = (self.due.tree, self.received.tree, *(s.tree for s in self.sections.values()))
        for other in trees:
            if other is not tree:
                other.blockSignals(True)
                other.clearSelection()
                other.blockSignals(False)
        self.selected = (str(row.data(0, ID_ROLE)), str(row.data(0, STATUS_ROLE)))
        self._update_buttons()

    def _run_job(self, job: str) -> None:
        self.job_requested.emit(job, self.selected[0])

    def _update_buttons(self) -> None:
        """Print needs a chosen report, approving a report waiting for approval."""
        tr = self.texts
        report_id, status = self.selected
        self.continue_button.setEnabled(self.sections["drafts"].tree.topLevelItemCount() > 0)
        ready = {"print": bool(report_id), "approve": status == Status.READY}
        for job, button in self.job_buttons.items():
            enabled = ready.get(job, True)
            button.setEnabled(enabled)
            button.setToolTip(tr(f"shell.job.{job}_tip" if enabled else f"shell.job.{job}_why"))


def _urgency_colour(item: DueItem) -> QColor | None:
    if item.days_left is None or item.sent:
        return None
    if item.days_left < 0:
        return OVERDUE_COLOUR
    return SOON_COLOUR if item.days_left <= SOON_DAYS else None


def _keys(sequence: str) -> str:
    return QKeySequence(sequence).toString(QKeySequence.SequenceFormat.NativeText)


def _fit_columns(tree: QTreeWidget) -> None:
    """The title takes the room left by the short columns, which fit their text."""
    header = tree.header()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(0, header.ResizeMode.Stretch)
    for column in range(1, tree.columnCount()):
        header.setSectionResizeMode(column, header.ResizeMode.ResizeToContents)
