"""The attachments a received bundle carries for each report (``att/`` entries), judged and
kept at the upper office.

The reader has already checked every listed file against its size and SHA-256 in the signed
manifest and its first bytes against its media type (E15, E16). Here each report's att/ files
are held to the caps a clerk's attaching meets, the names in ``data/reports.json`` must name
att/ files of that report, and the files are stored under their hash beside the store, as this
office's own attachments are.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from sqlite_utils import Database

from desktop_app.core.exchange.formats.bundle import VerifiedBundle
from desktop_app.core.exchange.formats.codes import BundleRefused, Code
from desktop_app.core.exchange.formats.model import FileEntry, ReportData
from desktop_app.core.model.limits import (
    MAX_ATTACHMENT_BYTES,
    MAX_ATTACHMENTS_PER_REPORT,
    MAX_NAME,
    MAX_REPORT_ATTACHMENT_BYTES,
    LimitExceeded,
    clean_text,
)
from desktop_app.core.reports import attachment_store
from desktop_app.core.reports.attachment_store import Attachment


def carried(bundle: VerifiedBundle, report: ReportData) -> list[Attachment]:
    """The report's attachments as the bundle carries them, or E16 naming the fault."""
    entries = _att_entries(bundle, report.report_id)
    by_hash = {entry.sha256: entry for entry in entries}
    for sha256, name in sorted(report.attachments.items()):
        if sha256 not in by_hash:
            raise BundleRefused(Code.BAD_DATA, "attachment not carried", _field(sha256))
        if _one_line(name) != name:  # as a clerk's attaching would have left it
            raise BundleRefused(Code.BAD_DATA, "attachment name", _field(sha256))
    if len(entries) > MAX_ATTACHMENTS_PER_REPORT:
        raise BundleRefused(Code.BAD_DATA, "too many attachments", _field(""))
    for entry in entries:
        if entry.size > MAX_ATTACHMENT_BYTES:
            raise BundleRefused(Code.BAD_DATA, "attachment too big", {"field": entry.path})
    if sum(entry.size for entry in entries) > MAX_REPORT_ATTACHMENT_BYTES:
        raise BundleRefused(Code.BAD_DATA, "attachments too big", _field(""))
    return [
        Attachment(
            e.sha256, report.attachments.get(e.sha256) or _file_name(e), e.media_type, e.size
        )
        for e in entries
    ]


def keep(db: Database, folder: Path, bundle: VerifiedBundle) -> None:
    """Store every report's attachments (inside the import's transaction)."""
    for report in bundle.reports:
        attachments = carried(bundle, report)
        paths = {entry.sha256: entry.path for entry in _att_entries(bundle, report.report_id)}
        for attachment in attachments:
            attachment_store.keep_file(folder, attachment, bundle.files[paths[attachment.sha256]])
        attachment_store.insert(db, report.report_id, report.revision, attachments)


def names(attachments: list[Attachment]) -> Mapping[str, str]:
    return {a.sha256: a.name for a in attachments}


def _att_entries(bundle: VerifiedBundle, report_id: str) -> list[FileEntry]:
    listed = next(r for r in bundle.manifest.reports if r.header.report_id == report_id)
    entries = {entry.path: entry for entry in bundle.manifest.files}
    return [entries[path] for path in listed.files if path.startswith("att/")]


def _one_line(name: str) -> str | None:
    try:
        return clean_text("attachment.name", name, MAX_NAME, multiline=False)
    except LimitExceeded:
        return None


def _file_name(entry: FileEntry) -> str:
    return entry.path.removeprefix("att/")


def _field(sha256: str) -> dict[str, str]:
    return {"field": f"attachments/{sha256}" if sha256 else "attachments"}
