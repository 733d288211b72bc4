"""The head's approval, and new revisions of approved reports.

Approving unseals the office key with the head's passphrase (the proof that the head, not the
clerk, approved), signs the revision's data, takes the document number from the register and
freezes the revision. Nothing approved is ever changed again: editing it starts revision n+1,
which names the revision it supersedes.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import datetime

from sqlite_utils import Database

from desktop_app.core.clock import now
from desktop_app.core.errors import CoreError
from desktop_app.core.exchange import keyring
from desktop_app.core.exchange.formats.model import reports_to_bytes
from desktop_app.core.exchange.report_data import report_data
from desktop_app.core.model.limits import MAX_NAME, clean_text
from desktop_app.core.model.offices import Office
from desktop_app.core.reports import attachment_store, register, table_records
from desktop_app.core.reports import status as report_status
from desktop_app.core.reports.records import audit, get_report, load_content
from desktop_app.core.reports.status import EDITABLE, FROZEN, Status
from desktop_app.core.reports.templates import Template
from desktop_app.core.reports.validation import has_errors, validate
from desktop_app.core.signing import stored as signed
from desktop_app.core.store.database import write_transaction


def approve(
    db: Database,
    template: Template,
    office: Office,
    report_id: str,
    signer: tuple[str, str],
    passphrase: str,
    actor: str,
    sign_pdf: Callable[[], bytes] | None = None,
) -> int:
    """Approve the current revision; returns its document number.

    ``sign_pdf`` (a token approval) renders and signs the approved PDF inside the transaction:
    if the token fails, nothing is approved and no number is taken.
    """
    name, title = (
        clean_text(field, part, MAX_NAME, multiline=False)
        for field, part in zip(("name", "title"), signer, strict=True)
    )
    if not name or not title:
        raise CoreError("approval.signer_missing")
    summary = get_report(db, report_id)
    if summary.status not in EDITABLE:
        raise report_status.locked(report_id, summary.status)
    if has_errors(validate(template, load_content(db, report_id, summary.revision))):
        raise CoreError("approval.has_errors")
    key = keyring.unlock(db, passphrase)
    approved_at = now().replace(microsecond=0)
    with write_transaction(db):
        summary = get_report(db, report_id)
        if summary.status not in EDITABLE:  # approved meanwhile in another window
            raise report_status.locked(report_id, summary.status)
        type_abbr = template.document.get("type_abbr", "BC")
        number = register.take_number(
            db, office, type_abbr, approved_at.date(), report_id, summary.revision
        )
        _record(db, report_id, summary.revision, name, title, approved_at)
        data = report_data(db, template, office, report_id, summary.revision)
        signature = base64.b64encode(key.sign(reports_to_bytes([data]))).decode("ascii")
        db.table("revisions").update(
            (report_id, summary.revision),
            {"approval_key_id": key.key_id, "approval_signature": signature},
        )
        if sign_pdf is not None:  # issue 15: the token-signed PDF the bundle will carry
            signed.keep_signed_pdf(db, report_id, summary.revision, sign_pdf())
        audit(
            db,
            actor,
            "report.approved",
            report_id,
            summary.revision,
            "status",
            summary.status,
            f"approved by {name} ({title}), số {number}",
        )
    return number


def _record(
    db: Database, report_id: str, revision: int, name: str, title: str, at: datetime
) -> None:
    report_status.move(
        db,
        report_id,
        revision,
        Status.APPROVED,
        approved_by_name=name,
        approved_by_title=title,
        approved_at=at.isoformat(),
    )


def new_revision(db: Database, report_id: str, actor: str) -> int:
    """Start revision n+1 as a draft copy of revision n, which stays as it was."""
    with write_transaction(db):
        summary = get_report(db, report_id)
        if summary.status not in FROZEN:
            raise CoreError("revision.not_frozen", status=summary.status)
        old, new = summary.revision, summary.revision + 1
        report_status.add_revision(
            db,
            report_id,
            new,
            Status.DRAFT,
            supersedes=old,
            return_comment=summary.return_comment,
            created_at=now().isoformat(timespec="seconds"),
        )
        _copy_content(db, report_id, old, new)
        db.table("reports").update(
            report_id, {"current_revision": new, "updated_at": now().isoformat(timespec="seconds")}
        )
        audit(db, actor, "revision.started", report_id, new, "supersedes", str(old), str(new))
    return new


def _copy_content(db: Database, report_id: str, old: int, new: int) -> None:
    for table, columns in (
        ("report_values", "indicator_id, value, comment"),
        ("narratives", "section_id, body"),
    ):
        db.execute(
            f"INSERT INTO {table} (report_id, revision, {columns}) "
            f"SELECT report_id, ?, {columns} FROM {table} WHERE report_id = ? AND revision = ?",
            [new, report_id, old],
        )
    table_records.copy_revision(db, report_id, old, new)
    attachment_store.copy_revision(db, report_id, old, new)
    db.execute(
        "INSERT INTO narrative_search (report_id, revision, section_id, search_text) "
        "SELECT report_id, ?, section_id, search_text FROM narrative_search "
        "WHERE report_id = ? AND revision = ?",
        [new, report_id, old],
    )
