"""The upper office's reporting week: who has reported (with colours and filters), the
consolidated figures with a per-unit breakdown, and the consolidated report built on them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.model.text import format_number
from desktop_app.core.reports.templates import Indicator, Template
from desktop_app.core.reports.values import display
from desktop_app.core.store.files import write_atomic
from desktop_app.core.upper import completeness as status_core
from desktop_app.core.upper import consolidation as totals_core
from desktop_app.core.upper import xlsx_export
from desktop_app.core.upper.aggregation import counts_text
from desktop_app.core.workspace import Workspace
from desktop_app.ui.i18n import Texts, close_buttons
from desktop_app.ui.period_box import PeriodBox
from desktop_app.ui.screen_fit import resize_to_fit
from desktop_app.ui.tasks import TaskRunner

STATE_COLOURS = {
    "on_time": "#dff3df",
    "late": "#fff0cc",
    "missing": "#fbdcdc",
    "returned": "#e9defa",
    "conflict": "#f4b7b7",
}
ALL = ""


def _table(headers: list[str], stretch: int = 1) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    table.verticalHeader().setVisible(False)
    return table


def _fill_row(
    table: QTableWidget,
    row: int,
    cells: list[str],
    colour: str = "",
    key: str = "",
    numeric: frozenset[int] = frozenset(),
) -> None:
    right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    for column, text in enumerate(cells):
        item = QTableWidgetItem(text)
        if column in numeric:
            item.setTextAlignment(right)
        if colour:
            item.setBackground(QColor(colour))
        item.setData(Qt.ItemDataRole.UserRole, key)
        table.setItem(row, column, item)


def opening_choice(workspace: Workspace) -> tuple[list[Template], tuple[str, str] | None]:
    """The installed templates, and (template id, period) of the newest received report."""
    received = workspace.reports.summaries(origin="received")
    newest = max(received, key=lambda summary: summary.updated_at, default=None)
    choice = (newest.template_id, newest.period) if newest is not None else None
    return workspace.templates.newest(), choice


class UpperOfficeWindow(QDialog):
    open_report = Signal(str)

    def __init__(
        self, workspace: Workspace, runner: TaskRunner, texts: Texts, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.workspace, self.runner, self.texts = workspace, runner, texts
        self.setWindowTitle(texts("upper_ui.title"))
        resize_to_fit(self, 1200, 760)
        self.status: status_core.Completeness | None = None
        self.registered_units = 0
        self.consolidation: totals_core.Consolidation | None = None
        self.templates: dict[str, Template] = {}
        self.template = QComboBox()
        self.period = PeriodBox(texts)
        self.period.setToolTip(texts("upper_ui.period_hint"))
        self.state = QComboBox()
        self.state.addItem(texts("upper_ui.all_states"), ALL)
        for state in status_core.STATES:
            self.state.addItem(texts(f"upper.state.{state}"), state)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._status_tab(), texts("upper_ui.tab_status"))
        self.tabs.addTab(self._totals_tab(), texts("upper_ui.tab_totals"))
        self._layout()
        runner.run(opening_choice, workspace, on_done=self._show_templates, error_parent=self)

    def _show_templates(self, choice: tuple[list[Template], tuple[str, str] | None]) -> None:
        """The installed templates, current ones first, then the history group's; shown first,
        the template and period of the newest report a unit sent (else the first template and
        its running period)."""
        templates, newest = choice
        self.templates = {template.id: template for template in templates}
        with QSignalBlocker(self.template):
            for template in sorted(templates, key=lambda t: t.is_history):  # stable: by title
                self.template.addItem(self._chooser_title(template), template.id)
            if newest is not None:
                self.template.setCurrentIndex(max(0, self.template.findData(newest[0])))
        self.period.offer(self._template(), date.today())
        if newest is not None and newest[0] == self.template.currentData():
            self.period.setText(newest[1])
        self.refresh()

    def _chooser_title(self, template: Template) -> str:
        """Marked «(mẫu cũ)» for the history group, as in the new-report dialog."""
        if template.is_history:
            return self.texts("shell.new.history_title", title=template.title)
        return template.title

    def _template(self) -> Template | None:
        return self.templates.get(self.template.currentData())

    def _layout(self) -> None:
        show = QPushButton(self.texts("upper_ui.show"))
        show.clicked.connect(self.refresh)
        self.period.returnPressed.connect(self.refresh)
        self.template.currentIndexChanged.connect(
            lambda _i: self.period.offer(self._template(), date.today())
        )
        self.state.currentIndexChanged.connect(lambda _i: self._show_status())
        bar = QHBoxLayout()
        for label, widget in (
            ("upper_ui.template", self.template),
            ("upper_ui.period", self.period),
            ("upper_ui.state", self.state),
        ):
            bar.addWidget(QLabel(self.texts(label)))
            bar.addWidget(widget, 1 if widget is self.template else 0)
        bar.addWidget(show)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(close_buttons(self, self.texts))

    # --- completeness ---------------------------------------------------------------------

    def _status_tab(self) -> QWidget:
        tr = self.texts
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.status_table = _table(
            [
                tr("upper_ui.col_code"),
                tr("upper_ui.col_unit"),
                tr("upper_ui.col_state"),
                tr("upper_ui.col_deadline"),
                tr("upper_ui.col_approved"),
                tr("upper_ui.col_imported"),
            ]
        )
        self.status_table.doubleClicked.connect(
            lambda _index: self._open_selected_report(self.status_table)
        )
        return self._page(
            self.summary,
            self.status_table,
            [
                ("upper_ui.print_list", self.print_status),
                ("upper_ui.export_xlsx", self.save_status_xlsx),
                ("upper_ui.return", self.return_selected),
            ],
        )

    def _page(
        self, caption: QLabel, body: QWidget, buttons: list[tuple[str, Callable[[], None]]]
    ) -> QWidget:
        """A tab: a caption line, the body, and a row of buttons under it."""
        row = QHBoxLayout()
        for code, slot in buttons:
            button = QPushButton(self.texts(code))
            button.clicked.connect(slot)
            row.addWidget(button)
        row.addStretch(1)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(caption)
        layout.addWidget(body, 1)
        layout.addLayout(row)
        return page

    def refresh(self) -> None:
        template_id, period = self.template.currentData(), self.period.text().strip()
        if not template_id or not period:
            return
        self.runner.run(self._load, template_id, period, on_done=self._loaded, error_parent=self)

    def _load(
        self, template_id: str, period: str
    ) -> tuple[status_core.Completeness, totals_core.Consolidation, int]:
        return (
            self.workspace.upper.completeness(period, template_id),
            self.workspace.upper.consolidate(template_id, period),
            len(self.workspace.units()),
        )

    def _loaded(
        self, loaded: tuple[status_core.Completeness, totals_core.Consolidation, int]
    ) -> None:
        self.status, self.consolidation, self.registered_units = loaded
        self._show_status()
        self._show_totals()

    def _show_status(self) -> None:
        if self.status is None:
            return
        wanted = self.state.currentData()
        units = [u for u in self.status.units if not wanted or u.state == wanted]
        self.status_table.setRowCount(len(units))
        for row, unit in enumerate(units):
            cells = [
                unit.code,
                unit.name,
                self.texts(f"upper.state.{unit.state}"),
                self.texts.date(unit.deadline),
                status_core.display_time(unit.approved_at),
                status_core.display_time(unit.imported_at),
            ]
            _fill_row(
                self.status_table, row, cells, STATE_COLOURS[unit.state], unit.report_id or ""
            )
        counts, rates = self.status.counts, self.status.rates
        self.summary.setText(
            self.texts(
                "upper_ui.summary",
                expected=counts["expected"],
                reported=counts["reported"],
                on_time=counts["on_time"],
                late=counts["late"],
                missing=counts["missing"],
                returned=counts["returned"],
                conflict=counts["conflict"],
                percent=format_number(Decimal(str(rates["reported"] or 0)), 1),
            )
            # Only the units this office knows are counted: say so, or "1/1" looks complete.
            + " "
            + self.texts("screens.upper.registered_only", count=self.registered_units)
        )

    def _selected_key(self, table: QTableWidget) -> str:
        item = table.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole) or "") if item else ""

    def _open_selected_report(self, table: QTableWidget) -> None:
        report_id = self._selected_key(table)
        if report_id:
            self.open_report.emit(report_id)

    def print_status(self) -> None:
        if self.status is None:
            return
        status = self.status
        self.runner.run(
            self.workspace.upper.completeness_pdf,
            status,
            self.texts.lang,
            on_done=self._preview_status,
            error_parent=self,
        )

    def _preview_status(self, pdf: bytes) -> None:
        from desktop_app.ui.preview import PreviewDialog

        name = f"{self.texts('upper_ui.tab_status')} — {self.period.title()}.pdf"
        PreviewDialog(
            pdf, self.texts("upper_ui.tab_status"), name, self.texts, self.runner, self
        ).exec()

    def save_status_xlsx(self) -> None:
        if self.status is None:
            return
        status = self.status
        titles = {template.id: template.title for template in self.templates.values()}
        self._save_xlsx(
            f"{self.texts('upper_ui.tab_status')} — {self.period.title()}.xlsx",
            lambda: xlsx_export.completeness_workbook(status, titles),
        )

    def _save_xlsx(self, name: str, build: Callable[[], bytes]) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.texts("upper_ui.export_xlsx"), name, "Excel (*.xlsx)"
        )
        if path:
            self.runner.run(lambda: write_atomic(Path(path), build()), error_parent=self)

    def return_selected(self) -> None:
        report_id = self._selected_key(self.status_table)
        if not report_id:
            return
        comment, ok = QInputDialog.getMultiLineText(
            self, self.texts("upper_ui.return"), self.texts("upper_ui.return_prompt")
        )
        if ok:
            self.return_report(report_id, comment)

    def return_report(self, report_id: str, comment: str) -> None:
        self.runner.run(
            self.workspace.upper.return_report,
            report_id,
            comment,
            on_done=lambda _r: self.refresh(),
            error_parent=self,
        )

    # --- consolidation --------------------------------------------------------------------

    def _totals_tab(self) -> QWidget:
        tr = self.texts
        self.units_label = QLabel()
        self.units_label.setWordWrap(True)
        self.totals_table = _table(
            [
                tr("upper_ui.col_indicator"),
                tr("upper_ui.col_unit_of_measure"),
                tr("upper_ui.col_rule"),
                tr("upper_ui.col_total"),
                tr("upper_ui.col_counted"),
            ],
            stretch=0,
        )
        self.totals_table.itemSelectionChanged.connect(self._show_breakdown)
        self.breakdown = _table(
            [tr("upper_ui.col_code"), tr("upper_ui.col_unit"), tr("upper_ui.col_value")]
        )
        self.breakdown.doubleClicked.connect(
            lambda _index: self._open_selected_report(self.breakdown)
        )
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.totals_table)
        split.addWidget(self.breakdown)
        split.setSizes([760, 420])
        return self._page(
            self.units_label,
            split,
            [
                ("upper_ui.consolidate", self.make_consolidated_report),
                ("upper_ui.export_xlsx", self.save_totals_xlsx),
            ],
        )

    def _show_totals(self) -> None:
        if self.consolidation is None:
            return
        result, indicators = self.consolidation, self.consolidation.template.indicator_map
        missing = ", ".join(result.unit_names.get(c, c) for c in result.units_missing) or "—"
        self.units_label.setText(
            self.texts("upper_ui.units_line", included=len(result.units_included), missing=missing)
        )
        self.totals_table.setRowCount(len(result.totals))
        for row, total in enumerate(result.totals):
            indicator = indicators[total.id]
            cells = [
                indicator.label,
                indicator.unit,
                self.texts(f"upper_ui.rule.{total.aggregation}"),
                self._figure(indicator, total.value),
                str(total.units_counted),
            ]
            _fill_row(self.totals_table, row, cells, key=total.id, numeric=frozenset({3, 4}))

    @staticmethod
    def _figure(indicator: Indicator, value: object) -> str:
        """Totals the Vietnamese way; a count of "yes" answers is a plain number, counts per
        choice one line by label."""
        if isinstance(value, Mapping):
            return counts_text(indicator.choices, value)
        if isinstance(value, int) and not isinstance(value, bool):
            return format_number(value)
        if value is None or isinstance(value, Decimal | bool | date | str):
            return display(indicator, value)
        return str(value)

    def _show_breakdown(self) -> None:
        indicator_id = self._selected_key(self.totals_table)
        if self.consolidation is None or not indicator_id:
            return
        result = self.consolidation
        total = result.total(indicator_id)
        indicator = result.template.indicator(indicator_id)
        units = list(total.by_unit.items())
        self.breakdown.setRowCount(len(units))
        for row, (code, value) in enumerate(units):
            report = result.counted.get(code, ("", 0))[0]
            cells = [code, result.unit_names.get(code, code), self._figure(indicator, value)]
            _fill_row(self.breakdown, row, cells, key=report, numeric=frozenset({2}))

    def make_consolidated_report(self) -> None:
        if self.consolidation is None:
            return
        result = self.consolidation
        self.runner.run(
            self.workspace.upper.create_consolidated_report,
            result.template.id,
            result.period,
            on_done=self.open_report.emit,
            error_parent=self,
        )

    def save_totals_xlsx(self) -> None:
        if self.consolidation is not None:
            result = self.consolidation
            self._save_xlsx(
                f"{self.texts('upper_ui.tab_totals')} — {self.period.title()}.xlsx",
                lambda: xlsx_export.consolidation_workbook(result),
            )
