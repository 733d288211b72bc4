"""``ws.exchange``: what travels between offices — bundles out and in, configuration packages
and receipts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop_app.core.areas.documents import Documents
from desktop_app.core.areas.reports import Reports
from desktop_app.core.clock import now
from desktop_app.core.errors import CoreError
from desktop_app.core.exchange import config_exchange, inbox, keyring, line_requests, published
from desktop_app.core.exchange import outbox as outbox_store
from desktop_app.core.exchange.config_exchange import PackageRefused
from desktop_app.core.exchange.formats.keys import OfficeKey
from desktop_app.core.exchange.formats.packages import (
    BuiltPackage,
    ConfigPackage,
    ServiceAddress,
)
from desktop_app.core.exchange.formats.request import RequestRefused
from desktop_app.core.exchange.outbox import OutboxEntry
from desktop_app.core.model import offices
from desktop_app.core.model.offices import Office
from desktop_app.core.reports import attachment_store
from desktop_app.core.reports.installed import InstalledTemplates
from desktop_app.core.store.database import write_transaction
from desktop_app.core.store.live import LiveStore

if TYPE_CHECKING:
    from desktop_app.core.exchange import online


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
        self._folders = inbox.Folders(
            root / "quarantine", root / "archive", attachment_store.folder_of(live.path)
        )
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
        scans = {rid: self._reports.attachment_contents(rid) for rid in report_ids}
        office, actor = self._office(), self._live.actor
        return outbox_store.prepare(db, office, templates, pdfs, key, actor, scans)

    def _pdf_to_send(self, report_id: str) -> bytes:
        """The PDF signed with the token at approval when there is one (issue 15)."""
        return self._reports.signed_pdf(report_id) or self._documents.report_pdf(report_id)

    def write_export(self, entry: OutboxEntry, folder: Path) -> Path:
        written = outbox_store.write_to_folder(self._live.db, entry, folder)
        published.record_delivery(self._live.db, entry.seq, published.USB, str(folder))
        return written

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
        db = self._live.db
        lookup = self._templates.get_or_none
        return inbox.verify_files(db, paths, office_code, lookup, read_only=db.read_only)

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

    # --- online: the receiving service and sending to it (issue 16) -----------------------

    def signing_key(self, passphrase: str) -> OfficeKey:
        """This office's key, unlocked once for a long-running service to sign receipts."""
        return keyring.unlock(self._live.db, passphrase)

    def announce_service(self, service: ServiceAddress | None) -> None:
        """The service address the next configuration packages carry (upper office)."""
        with write_transaction(self._live.db):
            published.announce(self._live.db, service)

    def receive_uploads(
        self, uploads: Sequence[Upload], key: OfficeKey | None
    ) -> list[tuple[inbox.ImportOutcome, list[BuiltPackage]]]:
        """Import uploaded bundles together (one transaction per batch, as from a folder).
        Each one accepted (or already accepted) comes back with the receipts its sender is
        owed, signed with ``key`` — but only when the upload's request statement proves that
        the uploader is the sender (``formats/request.py``): a copy of a bundle in anyone
        else's hands is judged and stored the same, and earns no receipt. The statements are
        judged, and their nonces kept, in the import's own transaction: one flush for all."""
        owed: dict[str, list[BuiltPackage]] = {}
        uploaders: list[str | None] = []

        def sign_receipts(batch: Sequence[inbox.ImportOutcome]) -> None:
            start = len(uploaders)
            uploaders.extend(self._uploader(u) for u in uploads[start : start + len(batch)])
            proven = zip(batch, uploaders[start:], strict=True)
            senders = {o.sender for o, uploader in proven if _receipt_due(o, uploader)}
            for sender in sorted(senders - owed.keys()):
                owed[sender] = self._receipts_now(sender, key)

        outcomes = inbox.import_files(
            self._live.db,
            [upload.path for upload in uploads],
            self._office().code,
            self._templates.get_or_none,
            self._folders,
            self._live.actor,
            before_commit=sign_receipts,
        )
        return [
            (o, owed[o.sender] if _receipt_due(o, uploader) else [])
            for o, uploader in zip(outcomes, uploaders, strict=True)
        ]

    def _uploader(self, upload: Upload) -> str | None:
        """The office proven to have sent this upload; None when no statement came with it
        (an older client) or it proves nothing, which refuses the receipt, not the bundle."""
        if not upload.authorization:
            return None
        try:
            return self.proven_office(upload.authorization, "POST", upload.target)
        except RequestRefused:
            return None

    def _receipts_now(self, sender: str, key: OfficeKey | None) -> list[BuiltPackage]:
        """The receipts owed to ``sender``; none when they cannot be built now, which must not
        undo the import (they wait for the next upload or ``sync``)."""
        try:
            with write_transaction(self._live.db):  # a savepoint: its receipt, or nothing
                return self._receipts_owed(sender, key, newest_if_none=True)
        except CoreError:
            return []

    def published_config(self) -> published.PublishedFile | None:
        return published.newest_config(self._live.db)

    def published_receipts(
        self, unit_code: str, after: int, key: OfficeKey | None
    ) -> list[published.PublishedFile]:
        """The unit's receipts after position ``after``, signing first any it is owed."""
        self._receipts_owed(unit_code, key, newest_if_none=False)
        return published.receipts_for(self._live.db, unit_code, after)

    def proven_office(self, authorization: str, method: str, target: str) -> str:
        """The office whose key signed this request to the service (its ``Authorization``
        header, ``formats/request.py``); ``RequestRefused`` when none the trust list knows."""
        return line_requests.proven_office(self._live.db, authorization, method, target, now())

    def service(self) -> ServiceAddress | None:
        """The service above, as the newest installed configuration package gave it."""
        return published.service(self._live.db)

    def deliveries(self, seqs: Sequence[int] | None = None) -> list[published.Delivery]:
        return published.deliveries(self._live.db, seqs)

    def send(
        self,
        seqs: Sequence[int],
        url: str | None = None,
        progress: online.UploadProgress | None = None,
        retries: online.Retries | None = None,
        *,
        passphrase: str | None = None,
    ) -> list[Sent]:
        """Upload outbox entries to the service; each one delivered, refused or unreachable.
        Safe to repeat: a bundle the service already has counts as delivered. With the head's
        ``passphrase`` each upload carries a statement signed by this office's key, and the
        service answers with the receipts owed; without it they wait for ``sync``."""
        entries = {entry.seq: entry for entry in self.outbox()}
        missing = [seq for seq in seqs if seq not in entries]
        if missing:
            raise CoreError("online.no_such_entry", seq=missing[0])
        service = self._service_for(url)
        from desktop_app.core.exchange import online  # httpx and ssl load when the line is used

        asker = None
        if passphrase is not None:  # a wrong passphrase stops here, before anything is sent
            key = keyring.unlock(self._live.db, passphrase)
            asker = online.Asker(self._office().code, key)
        with online.Connection(service, retries) as line:
            return [self._send_one(line, entries[seq], progress, asker) for seq in seqs]

    def sync(
        self, passphrase: str, url: str | None = None, retries: online.Retries | None = None
    ) -> Synced:
        """Fetch and install the newer configuration package and the receipts waiting. The
        receipts are asked for with this office's key (the head's ``passphrase``): the service
        hands a unit's receipts to that unit only."""
        service = self._service_for(url)
        key = keyring.unlock(self._live.db, passphrase)
        from desktop_app.core.exchange import online

        with online.Connection(service, retries) as line:
            config_version = self._sync_config(line)
            after = published.receipts_after(self._live.db)
            fetched = line.receipts(online.Asker(self._office().code, key), after)
            for receipt in fetched:
                self.install_receipt(receipt.data)
                with write_transaction(self._live.db):
                    published.set_receipts_after(self._live.db, receipt.id)
        return Synced(config_version, len(fetched))

    def _sync_config(self, line: online.Connection) -> int | None:
        data = line.config()
        if data is None:
            return None
        try:
            package = self.read_config(data)
        except PackageRefused as refusal:
            if refusal.code == "config.E18":
                return None  # not newer than the one installed: nothing to do
            raise
        if not package.pinned:
            raise CoreError("online.config_not_pinned")
        return self.install_config(package).version

    def _send_one(
        self,
        line: online.Connection,
        entry: OutboxEntry,
        progress: online.UploadProgress | None,
        asker: online.Asker | None,
    ) -> Sent:
        from desktop_app.core.exchange.online import Unreachable

        data = outbox_store.content(self._live.db, entry.seq)
        try:
            answer = line.upload(entry.file_name, data, progress, asker)
        except Unreachable as error:
            return Sent(entry.seq, UNREACHABLE, error.code, error.params)
        if not answer.delivered:
            return Sent(entry.seq, REFUSED, answer.code, answer.params)
        with write_transaction(self._live.db):
            published.record_delivery(self._live.db, entry.seq, published.ONLINE, line.service.url)
        for receipt in answer.receipts:
            self.install_receipt(receipt)
        return Sent(entry.seq, DELIVERED, answer.code, answer.params, len(answer.receipts))

    def _service_for(self, url: str | None) -> ServiceAddress:
        known = self.service()
        if url is None:
            if known is None:
                raise CoreError("online.no_service")
            return known
        pin = known.tls_certificate_sha256 if known and known.url == url else None
        return ServiceAddress(url, pin)

    def _receipts_owed(
        self, unit_code: str, key: OfficeKey | None, *, newest_if_none: bool
    ) -> list[BuiltPackage]:
        db = self._live.db
        built = None
        if key is not None:
            built = config_exchange.build_unit_receipt(db, self._office(), unit_code, key)
        if built is not None:
            return [built]
        if not newest_if_none:
            return []
        # Already imported: the answer to the first upload may have been lost with its
        # receipt, so the newest one goes again (installing a receipt twice changes nothing).
        newest = published.newest_receipt(db, unit_code)
        return [BuiltPackage(newest.data, newest.file_name, "")] if newest else []

    def _office(self) -> Office:
        return offices.require_this_office(self._live.db)


DELIVERED, REFUSED, UNREACHABLE = "delivered", "refused", "unreachable"
_DELIVERED = frozenset({inbox.IMPORTED, inbox.ALREADY})


def _delivered(outcome: inbox.ImportOutcome) -> bool:
    return bool(outcome.sender) and outcome.status in _DELIVERED


def _receipt_due(outcome: inbox.ImportOutcome, uploader: str | None) -> bool:
    return _delivered(outcome) and uploader == outcome.sender


@dataclass(frozen=True)
class Upload:
    """A bundle file the receiving service took in, with the request statement its uploader
    sent (the ``Authorization`` header, "" when none) and the request target it was sent to."""

    path: Path
    authorization: str = ""
    target: str = ""


@dataclass(frozen=True)
class Sent:
    """How one outbox entry fared: DELIVERED (with the import's code, E12 when the service
    already had it, and the receipts installed), REFUSED by the service's import (its code),
    or UNREACHABLE (``online.unreachable`` with the reason)."""

    seq: int
    status: str
    code: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    receipts: int = 0


@dataclass(frozen=True)
class Synced:
    config_version: int | None  # the package installed, None when none was newer
    receipts: int
