"""``ws.reports``: create, fill in, check and approve this office's reports."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from desktop_app.core.clock import now
from desktop_app.core.errors import CoreError
from desktop_app.core.exchange import approval
from desktop_app.core.model import offices
from desktop_app.core.model.periods import PeriodError, parse_period
from desktop_app.core.reports import attachment_store, attachments, records, schedule
from desktop_app.core.reports.attachment_store import Attachment
from desktop_app.core.reports.installed import InstalledTemplates
from desktop_app.core.reports.records import ContentChanges, ReportSummary
from desktop_app.core.reports.templates import Template
from desktop_app.core.reports.validation import Issue, ReportContent, validate
from desktop_app.core.signing import stored as signed
from desktop_app.core.signing.request import TokenApproval, sign_for_approval
from desktop_app.core.store.database import write_transaction
from desktop_app.core.store.files import write_atomic
from desktop_app.core.store.live import LiveStore


class Reports:
    def __init__(self, live: LiveStore, templates: InstalledTemplates) -> None:
        self._live = live
        self._templates = templates
        self._render_pdf: Callable[[str], bytes] | None = None

    def print_with(self, render_pdf: Callable[[str], bytes]) -> None:
        """How a report becomes its PDF (the documents area, wired by the Workspace)."""
        self._render_pdf = render_pdf

    def new(self, template_id: str, period_code: str, *, allow_history: bool = True) -> str:
        """A new draft. ``allow_history=False``: refuse a template of the history group
        (``report.history_template``), as ``baocao report new`` does unless ``--history``."""
        db = self._live.db
        office = offices.require_this_office(db)
        template = self._templates.get(template_id)
        if template.is_history and not allow_history:
            raise CoreError("report.history_template", id=template.id, title=template.title)
        try:
            period = parse_period(period_code, template.period_type, template.period_label)
        except PeriodError as error:
            raise CoreError(error.code, period=period_code, template=template_id) from error
        return records.create_report(db, template, period, office.code, self._live.actor)

    def due(self, today: date) -> list[schedule.DueItem]:
        """What this office owes now, with the dates core resolves (home page, ``report due``)."""
        return schedule.due_list(self._live.db, self._templates, today)

    def summaries(self, **filters: str | None) -> list[ReportSummary]:
        return records.list_reports(self._live.db, **filters)

    def get(self, report_id: str) -> ReportSummary:
        return records.get_report(self._live.db, report_id)

    def template_of(self, report_id: str) -> Template:
        summary = self.get(report_id)
        return self._templates.get(summary.template_id, summary.template_version)

    def content(self, report_id: str, revision: int | None = None) -> ReportContent:
        revision = revision or self.get(report_id).revision
        return records.load_content(self._live.db, report_id, revision)

    def save(self, report_id: str, changes: ContentChanges) -> ReportContent:
        template = self.template_of(report_id)
        return records.save_content(self._live.db, template, report_id, changes, self._live.actor)

    def validate(self, report_id: str) -> list[Issue]:
        return validate(self.template_of(report_id), self.content(report_id))

    def mark_ready(self, report_id: str) -> list[Issue]:
        template = self.template_of(report_id)
        return records.mark_ready(self._live.db, template, report_id, self._live.actor)

    def approve(
        self,
        report_id: str,
        name: str,
        title: str,
        passphrase: str,
        token: TokenApproval | None = None,
    ) -> int:
        """The head approves: the revision is signed with this office's key, numbered, frozen;
        with a ``token``, its PDF is also signed as PAdES and kept for the bundle, and the
        certificates it named are remembered for the next approval (never the PIN)."""
        number = approval.approve(
            self._live.db,
            self.template_of(report_id),
            offices.require_this_office(self._live.db),
            report_id,
            (name, title),
            passphrase,
            self._live.actor,
            self._pdf_signer(report_id, name, token) if token else None,
        )
        if token is not None and token.cert_id:
            with write_transaction(self._live.db):
                signed.remember_choice(
                    self._live.db, token.cert_id, token.organisation_cert_id or ""
                )
        return number

    def _pdf_signer(self, report_id: str, name: str, token: TokenApproval) -> Callable[[], bytes]:
        render = self._render_pdf
        if render is None:
            raise RuntimeError("the Workspace wires print_with before any approval")
        signer = unicodedata.normalize("NFC", name).strip()
        seal = signed.seal(self._live.db)
        return lambda: sign_for_approval(render(report_id), token, signer, now(), seal)

    def signed_pdf(self, report_id: str, revision: int | None = None) -> bytes | None:
        """The token-signed PDF of an approved revision, if it was approved with a token."""
        revision = revision or self.get(report_id).revision
        return signed.signed_pdf(self._live.db, report_id, revision)

    def new_revision(self, report_id: str) -> int:
        return approval.new_revision(self._live.db, report_id, self._live.actor)

    def search(self, query: str) -> list[tuple[str, str]]:
        return records.search_narratives(self._live.db, query)

    def history(self, report_id: str) -> list[dict[str, Any]]:
        return records.history(self._live.db, report_id)

    # --- attachments (minh chứng) --------------------------------------------------------------

    def attach(self, report_id: str, path: Path) -> Attachment:
        """Attach the file at ``path`` (a PDF, PNG or JPEG, judged by its content)."""
        return self.attach_bytes(report_id, path.name, attachments.read_source(path))

    def attach_bytes(self, report_id: str, name: str, content: bytes) -> Attachment:
        folder = attachment_store.folder_of(self._live.path)
        db, actor = self._live.db, self._live.actor
        return attachments.attach(db, folder, report_id, name, content, actor)

    def detach(self, report_id: str, sha256_prefix: str) -> Attachment:
        template = self.template_of(report_id)
        db, actor = self._live.db, self._live.actor
        return attachments.detach(db, template, report_id, sha256_prefix, actor)

    def attachments(self, report_id: str, revision: int | None = None) -> list[Attachment]:
        revision = revision or self.get(report_id).revision
        return attachment_store.listed(self._live.db, report_id, revision)

    def attachment_content(
        self, report_id: str, sha256_prefix: str, revision: int | None = None
    ) -> bytes:
        """An attachment's bytes, checked against its hash (to open or save a copy)."""
        revision = revision or self.get(report_id).revision
        folder = attachment_store.folder_of(self._live.path)
        return attachments.content(self._live.db, folder, report_id, revision, sha256_prefix)

    def attachment_contents(self, report_id: str, revision: int | None = None) -> list[bytes]:
        """The bytes of every attachment of the revision, as its bundle carries them."""
        folder = attachment_store.folder_of(self._live.path)
        listed = self.attachments(report_id, revision)
        return list(attachment_store.read_all(folder, listed).values())

    def save_attachment(
        self, report_id: str, sha256_prefix: str, target: Path, revision: int | None = None
    ) -> Path:
        """Write a copy of an attachment to ``target`` (a file the clerk chose)."""
        return write_atomic(target, self.attachment_content(report_id, sha256_prefix, revision))
