"""Attaching scans and PDFs (minh chứng) to a report: add, remove, list, read back.

Only a PDF, PNG or JPEG is taken, judged by its content; a file and a report's files together
are capped (``model/limits``) so that what the clerk attaches can always travel in a bundle.
Each change is one transaction with its audit row; the file itself is written durably first
(``attachment_store``).
"""

from __future__ import annotations

import errno
import os
import stat
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path

from sqlite_utils import Database

from desktop_app.core.errors import CoreError
from desktop_app.core.model import media
from desktop_app.core.model.limits import (
    MAX_ATTACHMENT_BYTES,
    MAX_ATTACHMENTS_PER_REPORT,
    MAX_NAME,
    MAX_REPORT_ATTACHMENT_BYTES,
    MIB,
    clean_text,
)
from desktop_app.core.reports import attachment_store as store
from desktop_app.core.reports import status as report_status
from desktop_app.core.reports.attachment_store import Attachment
from desktop_app.core.reports.records import ReportSummary, audit, get_report
from desktop_app.core.reports.status import EDITABLE
from desktop_app.core.reports.table_records import load_lists
from desktop_app.core.reports.tables import ATTACHMENT
from desktop_app.core.reports.templates import Template
from desktop_app.core.store.database import write_transaction

MIN_PREFIX = 4  # hex digits of a hash a clerk types to name an attachment
_NON_BLOCKING = getattr(os, "O_NONBLOCK", 0)  # Windows has no FIFOs to wait on


def read_source(path: Path) -> bytes:
    """A file the clerk chose, read up to one byte past the cap (a bigger one is refused
    without reading it all). Only a regular file is opened, and without waiting: a pipe or a
    device named like a scan would otherwise hold the worker thread for ever."""
    try:
        _require_regular(path, path.stat())
        descriptor = os.open(path, os.O_RDONLY | _NON_BLOCKING | getattr(os, "O_BINARY", 0))
        with os.fdopen(descriptor, "rb") as handle:
            opened = os.fstat(handle.fileno())
            _require_regular(path, opened)  # another file may have taken the name meanwhile
            content = handle.read(MAX_ATTACHMENT_BYTES + 1)
    except OSError as error:
        raise _unreadable(path, error) from error
    if len(content) <= MAX_ATTACHMENT_BYTES and len(content) != opened.st_size:
        raise CoreError("attachment.changed", file=str(path))  # it shrank or grew under us
    return content


def _require_regular(path: Path, status: os.stat_result) -> None:
    if not stat.S_ISREG(status.st_mode):
        raise CoreError("attachment.not_a_file", file=str(path))


def _unreadable(path: Path, error: OSError) -> CoreError:
    if error.errno in (errno.ENOENT, errno.ENODEV, errno.ENXIO):
        return CoreError("attachment.vanished", file=str(path))
    if error.errno in (errno.EACCES, errno.EPERM):
        return CoreError("attachment.no_permission", file=str(path))
    reason = error.strerror or str(error)
    return CoreError("attachment.unreadable", file=str(path), reason=reason)


def describe(name: str, content: bytes) -> Attachment:
    """The attachment ``content`` would be, or the refusal: too big, not a PDF/PNG/JPEG."""
    shown = _clean_name(name)
    if len(content) > MAX_ATTACHMENT_BYTES:
        raise CoreError("attachment.too_big", name=shown, limit_mb=MAX_ATTACHMENT_BYTES // MIB)
    media_type = media.sniff(content)
    if media_type is None:
        raise CoreError("attachment.not_supported", name=shown)
    return Attachment(store.sha256_of(content), shown, media_type, len(content))


def attach(
    db: Database, folder: Path, report_id: str, name: str, content: bytes, actor: str
) -> Attachment:
    attachment = describe(name, content)
    _check_can_take(db, report_id, attachment)  # a refused file is not written at all
    store.keep_file(folder, attachment, content)
    with write_transaction(db):
        report = _check_can_take(db, report_id, attachment)  # again, inside the write lock
        store.insert(db, report_id, report.revision, [attachment])
        audit(
            db,
            actor,
            "attachment.added",
            report_id,
            report.revision,
            attachment.sha256,
            None,
            attachment.name,
        )
    return attachment


def detach(db: Database, template: Template, report_id: str, prefix: str, actor: str) -> Attachment:
    """Remove the attachment whose hash starts with ``prefix``; refused while a list cell
    names it (the clerk empties the cell first, so no row points at nothing)."""
    with write_transaction(db):
        report = get_report(db, report_id)
        if report.status not in EDITABLE:
            raise report_status.locked(report_id, report.status)
        attachment = find(store.listed(db, report_id, report.revision), prefix)
        _check_unused(db, template, report_id, report.revision, attachment)
        store.delete(db, report_id, report.revision, attachment.sha256)
        audit(
            db,
            actor,
            "attachment.removed",
            report_id,
            report.revision,
            attachment.sha256,
            attachment.name,
            None,
        )
    return attachment


def find(attachments: Sequence[Attachment], prefix: str) -> Attachment:
    key = prefix.strip().lower()
    matches = [a for a in attachments if len(key) >= MIN_PREFIX and a.sha256.startswith(key)]
    if not matches:
        raise CoreError("attachment.not_found", prefix=prefix)
    if len(matches) > 1:
        raise CoreError("attachment.ambiguous", prefix=prefix, count=len(matches))
    return matches[0]


def content(db: Database, folder: Path, report_id: str, revision: int, prefix: str) -> bytes:
    """The bytes of one attachment of a revision (this office's or a received one)."""
    return store.read_file(folder, find(store.listed(db, report_id, revision), prefix))


def cited(template: Template, lists: Mapping[str, Sequence[Mapping[str, str]]]) -> set[str]:
    """The hashes the list cells of a report name."""
    return {
        row[column.id]
        for task_list in template.lists
        for column in task_list.columns
        if column.type == ATTACHMENT
        for row in lists.get(task_list.id, [])
        if column.id in row
    }


def _check_can_take(db: Database, report_id: str, attachment: Attachment) -> ReportSummary:
    report = get_report(db, report_id)
    if report.status not in EDITABLE:
        raise report_status.locked(report_id, report.status)
    _check_room(store.listed(db, report_id, report.revision), attachment)
    return report


def _check_room(present: Sequence[Attachment], new: Attachment) -> None:
    same = next((a for a in present if a.sha256 == new.sha256), None)
    if same is not None:
        raise CoreError("attachment.already_attached", name=same.name)
    if len(present) >= MAX_ATTACHMENTS_PER_REPORT:
        raise CoreError("attachment.too_many", limit=MAX_ATTACHMENTS_PER_REPORT)
    if sum(a.size for a in present) + new.size > MAX_REPORT_ATTACHMENT_BYTES:
        limit_mb = MAX_REPORT_ATTACHMENT_BYTES // MIB
        raise CoreError("attachment.report_full", name=new.name, limit_mb=limit_mb)


def _check_unused(
    db: Database, template: Template, report_id: str, revision: int, attachment: Attachment
) -> None:
    lists = load_lists(db, report_id, revision)
    for task_list in template.lists:
        columns = [c for c in task_list.columns if c.type == ATTACHMENT]
        for n, row in enumerate(lists.get(task_list.id, []), 1):
            if any(row.get(c.id) == attachment.sha256 for c in columns):
                raise CoreError(
                    "attachment.in_use", name=attachment.name, list=task_list.title, row=n
                )


def _clean_name(name: str) -> str:
    base = Path(unicodedata.normalize("NFC", name)).name[:MAX_NAME]
    return clean_text("attachment.name", base, MAX_NAME, multiline=False) or "minh-chung"
