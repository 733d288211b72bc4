"""«Gửi trực tuyến»: send approved reports to the upper office's receiving service, with
progress; when the line is down, offer the USB export instead. The outbox below says how each
bundle left (online or on a stick) and what its receipt said.

«Nhận biên nhận trực tuyến» fetches the receipts waiting at the service (a return for revision,
for instance) and any newer configuration package. Both buttons use the head's passphrase typed
here, never stored: the office's key signs each request, and the service hands a unit's receipts
to that unit only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.areas.exchange import DELIVERED, UNREACHABLE, Sent, Synced
from desktop_app.core.errors import CoreError
from desktop_app.core.exchange.formats.packages import ServiceAddress
from desktop_app.core.exchange.online import Retries
from desktop_app.core.exchange.outbox import OutboxEntry
from desktop_app.core.exchange.published import Delivery
from desktop_app.core.model.periods import Period
from desktop_app.core.reports.records import ReportSummary
from desktop_app.core.reports.status import Status
from desktop_app.core.workspace import Workspace
from desktop_app.ui.exchange.export_dialog import exportable_reports
from desktop_app.ui.i18n import Texts
from desktop_app.ui.screen_fit import resize_to_fit
from desktop_app.ui.tasks import TaskRunner, describe_error

OK_STYLE, WARN_STYLE = "color: #1b6e20; font-weight: bold;", "color: #a40000;"


@dataclass(frozen=True)
class SendView:
    """What the dialog shows, read on the worker thread."""

    service: ServiceAddress | None
    reports: list[tuple[ReportSummary, str, Period]]
    outbox: list[OutboxEntry]
    deliveries: list[Delivery]


def load_view(workspace: Workspace) -> SendView:
    exchange = workspace.exchange
    return SendView(
        exchange.service(), exportable_reports(workspace), exchange.outbox(), exchange.deliveries()
    )


def send_reports(
    workspace: Workspace,
    report_ids: list[str],
    passphrase: str,
    retries: Retries | None,
    progress: Callable[[int, int, str], None],
) -> Sent:
    """Sign a bundle unless these revisions already travelled together, then upload it."""
    entry = workspace.exchange.outbox_entry_for(report_ids)
    if entry is None:
        entry = workspace.exchange.prepare_export(report_ids, passphrase)
    [sent] = workspace.exchange.send(
        [entry.seq],
        progress=lambda done, total: progress(done, total, ""),
        retries=retries,
        passphrase=passphrase,  # the upload proves this office, so the receipt comes back
    )
    return sent


def sync_receipts(workspace: Workspace, passphrase: str, retries: Retries | None) -> Synced:
    """The receipts and the configuration package waiting at the service, installed."""
    return workspace.exchange.sync(passphrase, retries=retries)


class SendDialog(QDialog):
    sent = Signal(int)  # the outbox number delivered
    synced = Signal(int)  # the receipts installed
    usb_requested = Signal(list)  # the report ids, for the USB export

    def __init__(
        self,
        workspace: Workspace,
        runner: TaskRunner,
        texts: Texts,
        parent: QWidget | None = None,
        retries: Retries | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace, self.runner, self.texts = workspace, runner, texts
        self.retries = retries
        self.setWindowTitle(texts("send.title"))
        resize_to_fit(self, 760, 600)
        self.service = QLabel()
        self.service.setWordWrap(True)
        self.reports = QListWidget()
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.outcome = QLabel()
        self.outcome.setWordWrap(True)
        self.start = QPushButton(texts("send.start"))
        self.start.setMinimumHeight(40)
        self.start.clicked.connect(self.run_send)
        self.fetch = QPushButton(texts("send.sync"))
        self.fetch.setMinimumHeight(40)
        self.fetch.setToolTip(texts("send.sync.tip"))
        self.fetch.clicked.connect(self.run_sync)
        self.usb = QPushButton(texts("send.usb"))
        self.usb.setMinimumHeight(40)
        self.usb.setVisible(False)
        self.usb.clicked.connect(lambda: self.usb_requested.emit(self.chosen_reports()))
        self.outbox = QTreeWidget()
        self.outbox.setHeaderLabels([texts(f"send.outbox.{c}") for c in OUTBOX_COLUMNS])
        self._layout()
        self.reload()

    def _layout(self) -> None:
        form = QFormLayout()
        form.addRow(self.texts("export.passphrase"), self.passphrase)
        buttons = QHBoxLayout()
        buttons.addWidget(self.start, 1)
        buttons.addWidget(self.fetch)
        buttons.addWidget(self.usb)
        layout = QVBoxLayout(self)
        layout.addWidget(self.service)
        layout.addWidget(QLabel(self.texts("export.step_reports")))
        layout.addWidget(self.reports, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addWidget(self.outcome)
        layout.addWidget(QLabel(self.texts("send.outbox")))
        layout.addWidget(self.outbox, 1)

    def reload(self) -> None:
        self.runner.run(load_view, self.workspace, on_done=self._show, error_parent=self)

    def _show(self, view: SendView) -> None:
        if view.service is None:
            self.service.setText(self.texts("send.no_service"))
            self.start.setEnabled(False)
            self.fetch.setEnabled(False)
            self.usb.setVisible(True)
        else:
            self.service.setText(self.texts("send.service", url=view.service.url))
        self._fill_reports(view.reports)
        self._fill_outbox(view.outbox, view.deliveries)

    def _fill_reports(self, reports: list[tuple[ReportSummary, str, Period]]) -> None:
        """The reports that may travel; a reload keeps what the clerk had ticked."""
        kept = set(self.chosen_reports()) if self.reports.count() else None
        self.reports.clear()
        for report, title, period in reports:
            text = self.texts(
                "export.report_line",
                title=title,
                period=self.texts.period(period),
                revision=report.revision,
                status=self.texts.status(report.status),
            )
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, report.id)
            checked = report.id in kept if kept is not None else report.status == Status.APPROVED
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.reports.addItem(item)

    def _fill_outbox(self, entries: list[OutboxEntry], deliveries: list[Delivery]) -> None:
        self.outbox.clear()
        for entry in entries:
            ways = [d for d in deliveries if d.seq == entry.seq]
            left = "; ".join(self._delivery_text(d) for d in ways) or self.texts("send.not_sent")
            receipt = self.texts(f"send.receipt.{entry.receipt_status or 'none'}")
            self.outbox.addTopLevelItem(
                QTreeWidgetItem([str(entry.seq), entry.file_name, left, receipt])
            )
        for column in range(len(OUTBOX_COLUMNS)):
            self.outbox.resizeColumnToContents(column)

    def _delivery_text(self, delivery: Delivery) -> str:
        at = f"{delivery.at[8:10]}/{delivery.at[5:7]}/{delivery.at[:4]} {delivery.at[11:16]}"
        return self.texts(f"send.left.{delivery.how}", at=at, target=delivery.target)

    def chosen_reports(self) -> list[str]:
        return [
            self.reports.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.reports.count())
            if self.reports.item(i).checkState() == Qt.CheckState.Checked
        ]

    def run_send(self) -> None:
        report_ids = self.chosen_reports()
        if not report_ids:
            self.outcome.setText(self.texts("export.choose_first"))
            return
        self._working(self.texts("send.sending"))
        task = self.runner.run(
            send_reports,
            self.workspace,
            report_ids,
            self.passphrase.text(),
            self.retries,
            on_done=self._done,
            on_error=self._failed,
        )
        task.progressed.connect(self._step)

    def run_sync(self) -> None:
        self._working(self.texts("send.syncing"))
        self.runner.run(
            sync_receipts,
            self.workspace,
            self.passphrase.text(),
            self.retries,
            on_done=self._synced,
            on_error=self._failed,
        )

    def _working(self, text: str) -> None:
        self.start.setEnabled(False)
        self.fetch.setEnabled(False)
        self.usb.setVisible(False)
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)
        self.outcome.setStyleSheet("")
        self.outcome.setText(text)

    def _idle(self) -> None:
        self.start.setEnabled(True)
        self.fetch.setEnabled(True)
        self.progress.setVisible(False)

    def _step(self, done: int, total: int, _stage: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _done(self, sent: Sent) -> None:
        self.passphrase.clear()
        self._idle()
        if sent.status == DELIVERED:
            self.outcome.setStyleSheet(OK_STYLE)
            self.outcome.setText(self.texts("send.delivered", seq=sent.seq, receipts=sent.receipts))
            self.sent.emit(sent.seq)
        else:
            reason = describe_error(CoreError(sent.code, **sent.params), self.texts.lang)
            self.outcome.setStyleSheet(WARN_STYLE)
            self.outcome.setText(reason)
            self.usb.setVisible(sent.status == UNREACHABLE)
        self.reload()

    def _synced(self, synced: Synced) -> None:
        self.passphrase.clear()
        self._idle()
        said = [self.texts("send.synced", receipts=synced.receipts)]
        if synced.config_version is not None:
            said.append(self.texts("send.synced.config", version=synced.config_version))
        self.outcome.setStyleSheet(OK_STYLE)
        self.outcome.setText(" ".join(said))
        self.synced.emit(synced.receipts)
        self.reload()

    def _failed(self, error: BaseException) -> None:
        self._idle()
        self.outcome.setStyleSheet(WARN_STYLE)
        self.outcome.setText(describe_error(error, self.texts.lang))
        if isinstance(error, CoreError) and error.code == "key.wrong_passphrase":
            self.passphrase.selectAll()
            self.passphrase.setFocus()


OUTBOX_COLUMNS = ("seq", "file", "left", "receipt")
