"""The one entry to the domain: a workspace folder with its store, backups and settings.

The CLI and the windows both work through a :class:`Workspace`; nothing else opens the
database. A workspace folder holds ``baocao.db`` (the live store, never on a USB stick),
``backups/``, ``attachments/`` and ``sessions/`` (one locked marker per running process, so a
marker left unlocked means that process died and the store is checked on the next start).
"""

from __future__ import annotations

import base64
import getpass
import json
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import suppress
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any

from desktop_app.core.clock import now
from desktop_app.core.errors import CoreError
from desktop_app.core.exchange import approval, config_exchange, inbox, keyring
from desktop_app.core.exchange import outbox as outbox_store
from desktop_app.core.exchange.formats.keys import DEFAULT_COST, KdfCost, PublicKeyFile
from desktop_app.core.exchange.formats.packages import BuiltPackage, ConfigPackage
from desktop_app.core.model import offices
from desktop_app.core.model.offices import Office
from desktop_app.core.model.periods import PeriodError, parse_period
from desktop_app.core.paths import workspace_dir
from desktop_app.core.reports import records as report_store
from desktop_app.core.reports import register
from desktop_app.core.reports.templates import (
    Template,
    TemplateError,
    bundled_template_files,
    load_template_bytes,
    load_template_file,
)
from desktop_app.core.reports.validation import Issue, ReportContent, validate
from desktop_app.core.store import backup as backups
from desktop_app.core.store.database import connect, integrity_ok, write_transaction

if TYPE_CHECKING:
    from desktop_app.core.documents.model import OfficialDocument

DATABASE_NAME = "baocao.db"


class Workspace:
    def __init__(
        self, root: Path, *, automatic_backup: bool = True, kdf_cost: KdfCost = DEFAULT_COST
    ) -> None:
        self.root = root
        self.kdf_cost = kdf_cost
        root.mkdir(parents=True, exist_ok=True)
        self._session = _SessionMarker(root / "sessions")
        self.recovered_from_crash = self._session.others_died()
        self.db = connect(self.db_path)
        self.integrity_ok = integrity_ok(self.db) if self.recovered_from_crash else True
        self.actor = _current_user()
        self._templates: dict[tuple[str, int], Template] = {}
        if automatic_backup and self.integrity_ok and backups.backup_due(self.backups_dir, now()):
            self.backup()

    @classmethod
    def open(cls, location: str | os.PathLike[str] | None = None, **options: Any) -> Workspace:
        return cls(workspace_dir(location), **options)

    def close(self) -> None:
        self.db.close()
        self._session.release()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def db_path(self) -> Path:
        return self.root / DATABASE_NAME

    @property
    def backups_dir(self) -> Path:
        return self.root / "backups"

    # --- this office and its units --------------------------------------------------------

    def initialise(self, office: Office, install_bundled_templates: bool = True) -> Office:
        with write_transaction(self.db):
            office = offices.set_this_office(self.db, office)
            report_store.audit(self.db, self.actor, "office.initialised", new_value=office.code)
            if install_bundled_templates:
                for path in bundled_template_files():
                    self.install_template(load_template_file(path), source="bundled")
        return office

    @property
    def office(self) -> Office:
        office = offices.this_office(self.db)
        if office is None:
            raise CoreError("office.not_initialised")
        return office

    @property
    def is_initialised(self) -> bool:
        return offices.this_office(self.db) is not None

    def add_unit(self, unit: Office) -> Office:
        with write_transaction(self.db):
            return offices.add_unit(self.db, unit)

    def units(self, on: str | None = None) -> list[Office]:
        return offices.units(self.db, self.office.code, on)

    # --- templates ------------------------------------------------------------------------

    def install_template_file(self, path: Path) -> Template:
        return self.install_template(load_template_file(path), source=path.name)

    def install_template(self, template: Template, source: str = "") -> Template:
        """Install a template version; the same version with other content is refused,
        because reports already made against it must keep meaning what they meant."""
        existing = self.db.execute(
            "SELECT content_hash FROM templates WHERE id=? AND version=?",
            [template.id, template.version],
        ).fetchone()
        if existing and existing[0] != template.content_hash:
            raise CoreError("template.version_conflict", id=template.id, version=template.version)
        if existing:
            return template
        with write_transaction(self.db):
            self.db.table("templates").insert(
                {
                    "id": template.id,
                    "version": template.version,
                    "title": template.title,
                    "period_type": template.period_type,
                    "content_hash": template.content_hash,
                    "body": json.dumps(template.raw, ensure_ascii=False),
                    "installed_at": now().isoformat(timespec="seconds"),
                    "source": source,
                }
            )
            report_store.audit(
                self.db,
                self.actor,
                "template.installed",
                new_value=f"{template.id}@{template.version}",
            )
        return template

    def templates(self) -> list[Template]:
        """The newest installed version of each template, by title."""
        rows = self.db.execute(
            "SELECT id, MAX(version) FROM templates GROUP BY id ORDER BY title"
        ).fetchall()
        return [self.template(template_id, version) for template_id, version in rows]

    def template(self, template_id: str, version: int | None = None) -> Template:
        if version is None:
            row = self.db.execute(
                "SELECT MAX(version) FROM templates WHERE id=?", [template_id]
            ).fetchone()
            version = row[0] if row else None
            if version is None:
                raise CoreError("template.not_installed", id=template_id)
        key = (template_id, version)
        if key not in self._templates:
            self._templates[key] = self._load_installed(template_id, version)
        return self._templates[key]

    def _load_installed(self, template_id: str, version: int) -> Template:
        row = self.db.execute(
            "SELECT body FROM templates WHERE id=? AND version=?", [template_id, version]
        ).fetchone()
        if row is None:
            raise CoreError("template.not_installed", id=template_id)
        try:
            return load_template_bytes(row[0].encode("utf-8"), f"{template_id}@{version}")
        except TemplateError as error:
            raise CoreError("template.damaged", id=template_id, reason=error.reason) from error

    # --- reports --------------------------------------------------------------------------

    def new_report(self, template_id: str, period_code: str) -> str:
        office = self.office
        template = self.template(template_id)
        try:
            period = parse_period(period_code, template.period_type, template.period_label)
        except PeriodError as error:
            raise CoreError(error.code, period=period_code, template=template_id) from error
        return report_store.create_report(self.db, template, period, office.code, self.actor)

    def reports(self, **filters: str | None) -> list[report_store.ReportSummary]:
        return report_store.list_reports(self.db, **filters)

    def report(self, report_id: str) -> report_store.ReportSummary:
        return report_store.get_report(self.db, report_id)

    def report_template(self, report_id: str) -> Template:
        summary = self.report(report_id)
        return self.template(summary.template_id, summary.template_version)

    def content(self, report_id: str, revision: int | None = None) -> ReportContent:
        summary = self.report(report_id)
        return report_store.load_content(self.db, report_id, revision or summary.revision)

    def save(self, report_id: str, changes: report_store.ContentChanges) -> ReportContent:
        template = self.report_template(report_id)
        return report_store.save_content(self.db, template, report_id, changes, self.actor)

    def validate(self, report_id: str) -> list[Issue]:
        return validate(self.report_template(report_id), self.content(report_id))

    def mark_ready(self, report_id: str) -> list[Issue]:
        return report_store.mark_ready(
            self.db, self.report_template(report_id), report_id, self.actor
        )

    def search(self, query: str) -> list[tuple[str, str]]:
        return report_store.search_narratives(self.db, query)

    def history(self, report_id: str) -> list[dict[str, Any]]:
        return report_store.history(self.db, report_id)

    # --- documents ------------------------------------------------------------------------

    # Printing pulls in reportlab and python-docx (about a second to import), so they load on
    # the first print, not when the window or the CLI starts.

    def official_document(self, report_id: str, kind: str | None = None) -> OfficialDocument:
        """The report as it prints: a draft until approved, then with its register number."""
        from desktop_app.core.documents.report import (
            Issuance,
            build_report_document,
            issue_date,
            profile_kind,
        )

        summary = self.report(report_id)
        office = offices.get_office(self.db, summary.office_code) or self.office
        issuance = Issuance(
            number=register.number_for(self.db, report_id, summary.revision),
            issued_on=issue_date(summary.approved_at),
            signer_name=summary.approved_by_name or "",
            digitally_signed=summary.approved_at is not None,
        )
        return build_report_document(
            self.report_template(report_id),
            office,
            summary.period,
            self.content(report_id),
            issuance,
            profile_kind(office, kind),
        )

    def report_pdf(self, report_id: str, kind: str | None = None) -> bytes:
        from desktop_app.core.documents.pdf import render_pdf
        from desktop_app.core.documents.profiles import load_profile

        document = self.official_document(report_id, kind)
        return render_pdf(document, load_profile(document.profile_id))

    def report_docx(self, report_id: str, kind: str | None = None) -> bytes:
        from desktop_app.core.documents.docx import render_docx
        from desktop_app.core.documents.profiles import load_profile

        document = self.official_document(report_id, kind)
        return render_docx(document, load_profile(document.profile_id))

    def blank_form_pdf(self, template_id: str) -> bytes:
        from desktop_app.core.documents.pages import render_blank_form
        from desktop_app.core.documents.profiles import load_profile
        from desktop_app.core.documents.report import PROFILES, blank_form, profile_kind

        office = offices.this_office(self.db)
        kind = profile_kind(office) if office else self.template(template_id).block
        form = blank_form(self.template(template_id), office)
        return render_blank_form(form, load_profile(PROFILES[kind]))

    # --- keys and trust -------------------------------------------------------------------

    def create_key(self, passphrase: str) -> keyring.KeyInfo:
        info = keyring.create(self.db, passphrase, self.kdf_cost)
        self._audit("key.created", info.key_id)
        return info

    def key_info(self) -> keyring.KeyInfo:
        return keyring.active_key(self.db)

    def change_passphrase(self, old: str, new: str) -> None:
        keyring.change_passphrase(self.db, old, new)
        self._audit("key.passphrase_changed", self.key_info().key_id)

    def rotate_key(self, old: str, new: str) -> tuple[keyring.KeyInfo, bytes]:
        info, statement = keyring.rotate(self.db, self.office, old, new, self.kdf_cost)
        self._audit("key.rotated", info.key_id)
        return info, statement

    def public_key_file(self) -> bytes:
        return keyring.public_key_file(self.db, self.office)

    def enrolment_sheet_pdf(self) -> bytes:
        from desktop_app.core.documents.pages import render_enrolment_sheet

        info, office = self.key_info(), self.office
        return render_enrolment_sheet(
            office.code,
            office.name,
            info.key_id,
            info.fingerprint,
            base64.b64encode(info.public_raw).decode("ascii"),
            datetime.fromisoformat(info.created_at),
        )

    def read_key_file(self, data: bytes) -> PublicKeyFile:
        return keyring.read_public_key_file(data)

    def trust_unit_key(self, key_file: PublicKeyFile, office_code: str) -> keyring.TrustEntry:
        """Enrol a unit's key (after the fingerprint was compared with its paper sheet)."""
        if offices.get_office(self.db, office_code) is None:
            self.add_unit(
                Office(
                    code=office_code,
                    name=key_file.office_name,
                    level="commune",
                    block=self.office.block,
                    parent_code=self.office.code,
                )
            )
        entry = keyring.trust(self.db, key_file, "unit", self.actor, office_code)
        self._audit("trust.added", f"{office_code} {entry.key_id}")
        return entry

    def accept_key_rotation(self, statement: bytes) -> keyring.TrustEntry:
        entry = keyring.accept_rotation(self.db, statement, self.actor)
        self._audit("trust.rotated", f"{entry.office_code} {entry.key_id}")
        return entry

    def trust_list(self) -> list[keyring.TrustEntry]:
        return keyring.trust_list(self.db)

    def revoke_key(self, key_id: str, after_seq: int) -> None:
        keyring.revoke(self.db, key_id, after_seq)
        self._audit("trust.revoked", f"{key_id} > {after_seq}")

    # --- approval, export, import ---------------------------------------------------------

    def approve(self, report_id: str, name: str, title: str, passphrase: str) -> int:
        return approval.approve(
            self.db,
            self.report_template(report_id),
            self.office,
            report_id,
            (name, title),
            passphrase,
            self.actor,
        )

    def new_revision(self, report_id: str) -> int:
        return approval.new_revision(self.db, report_id, self.actor)

    def outbox(self) -> list[outbox_store.OutboxEntry]:
        return outbox_store.entries(self.db)

    def outbox_entry_for(self, report_ids: Sequence[str]) -> outbox_store.OutboxEntry | None:
        return outbox_store.existing_entry(self.db, report_ids)

    def prepare_export(
        self, report_ids: Sequence[str], passphrase: str
    ) -> outbox_store.OutboxEntry:
        """Sign the approved reports into one new outbox entry (a bundle)."""
        key = keyring.unlock(self.db, passphrase)
        templates = {rid: self.report_template(rid) for rid in report_ids}
        pdfs = {rid: self.report_pdf(rid) for rid in report_ids}
        return outbox_store.prepare(self.db, self.office, templates, pdfs, key, self.actor)

    def write_export(self, entry: outbox_store.OutboxEntry, folder: Path) -> Path:
        return outbox_store.write_to_folder(self.db, entry, folder)

    def import_bundles(
        self, paths: Sequence[Path], progress: inbox.Progress | None = None
    ) -> list[inbox.ImportOutcome]:
        return inbox.import_files(
            self.db,
            paths,
            self.office.code,
            self._template_or_none,
            self._folders,
            self.actor,
            progress,
        )

    def verify_bundles(self, paths: Sequence[Path]) -> list[inbox.ImportOutcome]:
        """What importing would do, changing nothing."""
        return [
            inbox.import_file(
                self.db,
                path,
                self.office.code,
                self._template_or_none,
                self._folders,
                self.actor,
                dry_run=True,
            )
            for path in inbox.bundle_files(paths)
        ]

    # --- configuration packages and receipts -----------------------------------------------

    def build_config(self, passphrase: str) -> BuiltPackage:
        key = keyring.unlock(self.db, passphrase)
        return config_exchange.build_config(
            self.db, self.office, self.templates(), self.units(), key
        )

    def read_config(self, data: bytes) -> ConfigPackage:
        """Check a configuration package; show its issuer's fingerprint before installing."""
        return config_exchange.read_config(self.db, data)

    def install_config(self, package: ConfigPackage) -> config_exchange.InstalledConfig:
        installed = config_exchange.install_config(
            self.db, package, self.office, self.install_template, self.actor
        )
        self._templates.clear()
        return installed

    def build_receipts(self, passphrase: str) -> list[BuiltPackage]:
        """One receipt for each unit with accepted or returned reports it was not yet told of."""
        key = keyring.unlock(self.db, passphrase)
        receipts = (
            config_exchange.build_unit_receipt(self.db, self.office, unit.code, key)
            for unit in self.units()
        )
        return [receipt for receipt in receipts if receipt is not None]

    def install_receipt(self, data: bytes) -> config_exchange.InstalledReceipt:
        return config_exchange.install_receipt(self.db, data, self.office, self.actor)

    @property
    def _folders(self) -> inbox.Folders:
        return inbox.Folders(self.root / "quarantine", self.root / "archive")

    def _template_or_none(self, template_id: str, version: int) -> Template | None:
        try:
            return self.template(template_id, version)
        except CoreError:
            return None

    def _audit(self, action: str, value: str) -> None:
        with write_transaction(self.db):
            report_store.audit(self.db, self.actor, action, new_value=value)

    # --- backups --------------------------------------------------------------------------

    def backup(self, target: Path | None = None) -> Path:
        if target is None:
            return backups.rotating_backup(self.db.conn, self.backups_dir, now())
        return backups.backup_to(self.db.conn, target)

    def list_backups(self) -> list[Path]:
        return backups.backups(self.backups_dir)

    def restore(self, candidate: Path) -> Path:
        """Replace the store with ``candidate``; the current store is backed up first and
        that copy's path returned, so a restore can itself be undone."""
        backups.check_restorable(candidate)
        safety = self.backup()
        backups.restore_into(candidate, self.db.conn)
        self._templates.clear()
        self.db = connect(self.db_path)
        report_store.audit(self.db, self.actor, "workspace.restored", new_value=candidate.name)
        return safety


def _current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


class _SessionMarker:
    """A file per running process, locked while it runs.

    A marker that can be locked by someone else belongs to a process that ended without
    closing the workspace: an unclean shutdown.
    """

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.path = folder / f"{os.getpid()}-{id(self)}.lock"
        self.handle: IO[bytes] | None = open(self.path, "wb")  # noqa: SIM115 - held open
        _lock(self.handle)

    def others_died(self) -> bool:
        died = False
        for marker in self._others():
            with suppress(OSError), open(marker, "ab") as handle:
                if _try_lock(handle):
                    died = True
                    _unlock(handle)
                    handle.close()
                    marker.unlink(missing_ok=True)
        return died

    def _others(self) -> Iterator[Path]:
        return (p for p in self.folder.glob("*.lock") if p != self.path)

    def release(self) -> None:
        if self.handle is not None:
            _unlock(self.handle)
            self.handle.close()
            self.handle = None
            self.path.unlink(missing_ok=True)


if sys.platform == "win32":
    import msvcrt

    def _try_lock(handle: IO[bytes]) -> bool:
        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(handle: IO[bytes]) -> None:
        with suppress(OSError):
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(handle: IO[bytes]) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def _unlock(handle: IO[bytes]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _lock(handle: IO[bytes]) -> None:
    if not _try_lock(handle):
        raise CoreError("workspace.lock_failed")
