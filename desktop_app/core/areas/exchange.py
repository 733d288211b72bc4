"""``ws.exchange``: what travels between offices — bundles out and in, configuration packages
and receipts."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from desktop_app.core.areas.documents import Documents
from desktop_app.core.areas.reports import Reports
from desktop_app.core.exchange import config_exchange, inbox, keyring
from desktop_app.core.exchange import outbox as outbox_store
from desktop_app.core.exchange.formats.packages import BuiltPackage, ConfigPackage
from desktop_app.core.exchange.outbox import OutboxEntry
from desktop_app.core.model import offices
from desktop_app.core.model.offices import Office
from desktop_app.core.reports.installed import InstalledTemplates
from desktop_app.core.store.live import LiveStore


class Exchange:
    def __init__(
        self,
        live: LiveStore,
        root: Path,
        templates: InstalledTemplates,
        reports: Reports,
        documents: Documents,
    ) -> None:
        self._live = live
        self._folders = inbox.Folders(root / "quarantine", root / "archive")
        self._templates = templates
        self._reports = reports
        self._documents = documents

    # --- bundles out ----------------------------------------------------------------------

    def outbox(self) -> list[OutboxEntry]:
        return outbox_store.entries(self._live.db)

    def outbox_entry_for(self, report_ids: Sequence[str]) -> OutboxEntry | None:
        return outbox_store.existing_entry(self._live.db, report_ids)

    def prepare_export(self, report_ids: Sequence[str], passphrase: str) -> OutboxEntry:
        """Sign the approved reports into one new outbox entry (a bundle)."""
        db = self._live.db
        key = keyring.unlock(db, passphrase)
        templates = {rid: self._reports.template_of(rid) for rid in report_ids}
        pdfs = {rid: self._pdf_to_send(rid) for rid in report_ids}
        return outbox_store.prepare(db, self._office(), templates, pdfs, key, self._live.actor)

    def _pdf_to_send(self, report_id: str) -> bytes:
        """The PDF signed with the token at approval when there is one (issue 15)."""
        return self._reports.signed_pdf(report_id) or self._documents.report_pdf(report_id)

    def write_export(self, entry: OutboxEntry, folder: Path) -> Path:
        return outbox_store.write_to_folder(self._live.db, entry, folder)

    # --- bundles in -----------------------------------------------------------------------

    def import_bundles(
        self, paths: Sequence[Path], progress: inbox.Progress | None = None
    ) -> list[inbox.ImportOutcome]:
        return inbox.import_files(
            self._live.db,
            paths,
            self._office().code,
            self._templates.get_or_none,
            self._folders,
            self._live.actor,
            progress,
        )

    def verify_bundles(self, paths: Sequence[Path]) -> list[inbox.ImportOutcome]:
        """What importing would do, changing nothing."""
        office_code = self._office().code
        return [
            inbox.import_file(
                self._live.db,
                path,
                office_code,
                self._templates.get_or_none,
                self._folders,
                self._live.actor,
                dry_run=True,
            )
            for path in inbox.bundle_files(paths)
        ]

    # --- configuration packages and receipts ----------------------------------------------

    def build_config(self, passphrase: str) -> BuiltPackage:
        db = self._live.db
        key = keyring.unlock(db, passphrase)
        office = self._office()
        units = offices.units(db, office.code)
        return config_exchange.build_config(db, office, self._templates.newest(), units, key)

    def read_config(self, data: bytes) -> ConfigPackage:
        """Check a configuration package; show its issuer's fingerprint before installing."""
        return config_exchange.read_config(self._live.db, data)

    def install_config(self, package: ConfigPackage) -> config_exchange.InstalledConfig:
        installed = config_exchange.install_config(
            self._live.db, package, self._office(), self._templates.install, self._live.actor
        )
        self._templates.forget_parsed()
        return installed

    def build_receipts(self, passphrase: str) -> list[BuiltPackage]:
        """One receipt for each unit with accepted or returned reports it was not yet told of."""
        db = self._live.db
        key = keyring.unlock(db, passphrase)
        office = self._office()
        receipts = (
            config_exchange.build_unit_receipt(db, office, unit.code, key)
            for unit in offices.units(db, office.code)
        )
        return [receipt for receipt in receipts if receipt is not None]

    def install_receipt(self, data: bytes) -> config_exchange.InstalledReceipt:
        return config_exchange.install_receipt(
            self._live.db, data, self._office(), self._live.actor
        )

    def _office(self) -> Office:
        return offices.require_this_office(self._live.db)
