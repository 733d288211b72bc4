"""Export: approved reports become one signed bundle in the outbox, then a file on the stick.

The bundle's bytes are built once, inside the transaction that reserves its sequence number,
and kept in the outbox until a receipt lists it; writing to a stick copies those bytes, so
exporting the same entry again gives an identical file. The write is ``.partial`` → fsync →
rename → read back and compare, and is refused before it starts when the stick lacks space or
the file would pass FAT32's 4 GiB limit.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

import desktop_app
from desktop_app.core.clock import timestamp
from desktop_app.core.errors import CoreError
from desktop_app.core.exchange import keyring
from desktop_app.core.exchange.formats.bundle import BuiltBundle, InvalidBundleInput, build_bundle
from desktop_app.core.exchange.formats.keys import OfficeKey
from desktop_app.core.exchange.formats.model import (
    ManifestFields,
    Person,
    ReportData,
    ReportHeader,
    reports_to_bytes,
)
from desktop_app.core.exchange.formats.model import Office as BundleOffice
from desktop_app.core.exchange.report_data import report_data
from desktop_app.core.model.limits import MAX_BUNDLE_BYTES, MIB
from desktop_app.core.model.offices import Office, get_office
from desktop_app.core.reports import status as report_status
from desktop_app.core.reports.records import audit, get_report
from desktop_app.core.reports.status import SENT, Status
from desktop_app.core.reports.templates import Template
from desktop_app.core.store import failpoints
from desktop_app.core.store.database import write_transaction
from desktop_app.core.store.files import write_atomic

FAT32_LIMIT = 4 * 1024**3 - 1
SPACE_MARGIN = 1024 * 1024  # room for the folder entry and the .partial rename
_BUNDLE_MARGIN = 40 * MIB  # data/reports.json (at most 32 MiB), the manifest, ZIP headers


@dataclass(frozen=True)
class OutboxEntry:
    seq: int
    file_name: str
    sha256: str
    recipient_code: str
    created_at: str
    report_ids: tuple[str, ...]
    receipt_status: str | None


def recipient_of(db: Database, office: Office) -> BundleOffice:
    if not office.parent_code:
        raise CoreError("export.no_recipient")
    parent = get_office(db, office.parent_code)
    return BundleOffice(office.parent_code, parent.name if parent else office.parent_code)


def existing_entry(db: Database, report_ids: Sequence[str]) -> OutboxEntry | None:
    """The outbox entry that carries exactly these reports' current revisions, if any."""
    wanted = {(rid, get_report(db, rid).revision) for rid in report_ids}
    for entry in entries(db):
        carried = set(
            db.execute(
                "SELECT report_id, revision FROM outbox_reports WHERE seq = ?", [entry.seq]
            ).fetchall()
        )
        if carried == wanted:
            return entry
    return None


def prepare(
    db: Database,
    office: Office,
    templates: Mapping[str, Template],
    pdfs: Mapping[str, bytes],
    key: OfficeKey,
    actor: str,
    attachments: Mapping[str, Sequence[bytes]] | None = None,
) -> OutboxEntry:
    """Build and sign one bundle for the reports in ``templates`` (report id → template), with
    each report's PDF and its attachments (report id → their bytes)."""
    report_ids = list(templates)
    attachments = attachments or {}
    _check_size(pdfs, attachments)
    with write_transaction(db):
        for report_id in report_ids:
            current = get_report(db, report_id).status
            if current in SENT:  # signed meanwhile by another window or process
                raise CoreError("export.already_exported", id=report_id)
            if current != Status.APPROVED:
                raise CoreError("export.not_approved", id=report_id, status=current.value)
        data = [
            report_data(db, templates[rid], office, rid, get_report(db, rid).revision)
            for rid in report_ids
        ]
        seq = keyring.next_outbox_seq(db)
        fields = ManifestFields(
            bundle_id=str(uuid.uuid4()),
            sender=BundleOffice(office.code, office.name),
            recipient=recipient_of(db, office),
            seq=seq,
            prev_manifest_sha256=_last_manifest(db),
            created_at=timestamp(),
            app_version=desktop_app.__version__,
            reports=tuple(_header(d) for d in data),
        )
        try:
            built = build_bundle(fields, reports_to_bytes(data), pdfs, attachments, key)
        except InvalidBundleInput as error:
            raise CoreError("export.invalid", reason=error.reason) from error
        _store(db, fields, built, actor)
        failpoints.hit(failpoints.EXPORT_BEFORE_COMMIT)
    return next(e for e in entries(db) if e.seq == seq)


def _check_size(pdfs: Mapping[str, bytes], attachments: Mapping[str, Sequence[bytes]]) -> None:
    """A selection whose files would pass the reader's cap (E02) is refused before signing;
    the margin leaves room for the data, the manifest and the container's headers."""
    size = sum(map(len, pdfs.values())) + sum(
        len(a) for scans in attachments.values() for a in scans
    )
    if size > MAX_BUNDLE_BYTES - _BUNDLE_MARGIN:
        raise CoreError("export.too_large", size_mb=size // MIB, limit_mb=MAX_BUNDLE_BYTES // MIB)


def _header(data: ReportData) -> ReportHeader:
    return ReportHeader(
        report_id=data.report_id,
        template_id=data.template_id,
        template_version=data.template_version,
        period=data.period,
        revision=data.revision,
        supersedes=data.supersedes,
        approved_by=Person(data.approval.name, data.approval.title),
        approved_at=data.approval.approved_at,
    )


def _last_manifest(db: Database) -> str | None:
    row = db.execute("SELECT manifest_sha256 FROM outbox ORDER BY seq DESC LIMIT 1").fetchone()
    return str(row[0]) if row else None


def _store(db: Database, fields: ManifestFields, built: BuiltBundle, actor: str) -> None:
    db.table("outbox").insert(
        {
            "seq": fields.seq,
            "bundle_id": fields.bundle_id,
            "file_name": built.file_name,
            "sha256": built.sha256,
            "manifest_sha256": built.manifest_sha256,
            "prev_manifest_sha256": fields.prev_manifest_sha256,
            "recipient_code": fields.recipient.code,
            "created_at": fields.created_at,
            "content": built.data,
        }
    )
    for header in fields.reports:
        db.table("outbox_reports").insert(
            {"seq": fields.seq, "report_id": header.report_id, "revision": header.revision}
        )
        report_status.move(db, header.report_id, header.revision, Status.EXPORTED)
        audit(
            db,
            actor,
            "report.exported",
            header.report_id,
            header.revision,
            "seq",
            None,
            str(fields.seq),
        )


def entries(db: Database) -> list[OutboxEntry]:
    rows = db.execute(
        "SELECT o.seq, o.file_name, o.sha256, o.recipient_code, o.created_at, o.receipt_status, "
        "group_concat(r.report_id) FROM outbox o LEFT JOIN outbox_reports r ON r.seq = o.seq "
        "GROUP BY o.seq ORDER BY o.seq"
    ).fetchall()
    return [
        OutboxEntry(seq, name, sha, recipient, created, tuple((ids or "").split(",")), receipt)
        for seq, name, sha, recipient, created, receipt, ids in rows
    ]


def content(db: Database, seq: int) -> bytes:
    row = db.execute("SELECT content FROM outbox WHERE seq = ?", [seq]).fetchone()
    if row is None:
        raise CoreError("export.no_entry", seq=seq)
    return bytes(row[0])


def write_to_folder(db: Database, entry: OutboxEntry, folder: Path) -> Path:
    data = content(db, entry.seq)
    check_room(folder, len(data))
    return write_atomic(folder / entry.file_name, data, verify=True)


def check_room(folder: Path, size: int) -> None:
    if not folder.is_dir():
        raise CoreError("export.no_folder", folder=str(folder))
    if size > FAT32_LIMIT:
        raise CoreError("export.too_large_for_stick", size_mb=size // 1024**2)
    free = shutil.disk_usage(folder).free
    if free < size + SPACE_MARGIN:
        raise CoreError(
            "export.no_space",
            need_mb=max(1, (size + SPACE_MARGIN) // 1024**2),
            free_mb=free // 1024**2,
        )
