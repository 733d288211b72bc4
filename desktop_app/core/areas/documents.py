"""``ws.documents``: reports, blank forms and key sheets as the documents they print as.

Printing pulls in reportlab and python-docx (about a second to import), so they load on the
first print, not when the window or the CLI starts.
"""

from __future__ import annotations

import base64
from datetime import date, datetime
from typing import TYPE_CHECKING

from desktop_app.core.areas.reports import Reports
from desktop_app.core.exchange import keyring, received_pdfs
from desktop_app.core.model import offices
from desktop_app.core.reports import recipients as recipient_lists
from desktop_app.core.reports import register
from desktop_app.core.reports.installed import InstalledTemplates
from desktop_app.core.reports.recipients import Recipients
from desktop_app.core.reports.records import report_period
from desktop_app.core.store.live import LiveStore

if TYPE_CHECKING:
    from desktop_app.core.documents.model import OfficialDocument
    from desktop_app.core.documents.profiles import Profile

PROFILES_FOLDER = "profiles"  # an office's edited copies of the bundled layout profiles


class Documents:
    def __init__(self, live: LiveStore, templates: InstalledTemplates, reports: Reports) -> None:
        self._live = live
        self._templates = templates
        self._reports = reports

    def official(self, report_id: str, kind: str | None = None) -> OfficialDocument:
        """The report as it prints: a draft until approved, then with its register number.

        A received report is rendered afresh only on request (``report_pdf(fresh=True)``); it
        is never a draft, though its number is the sender's and is not known here."""
        from desktop_app.core.documents.report import (
            ChoiceTally,
            Issuance,
            PooledRate,
            build_report_document,
            document_profile,
            issue_date,
            profile_kind,
        )
        from desktop_app.core.upper.consolidation import (  # imports reportlab
            choice_counts_of,
            consolidation_sources,
            pooled_ratios,
        )

        db = self._live.db
        summary = self._reports.get(report_id)
        office = offices.get_office(db, summary.office_code) or offices.require_this_office(db)
        issuance = Issuance(
            number=register.number_for(db, report_id, summary.revision),
            issued_on=issue_date(summary.approved_at),
            signer_name=summary.approved_by_name or "",
            signer_title=summary.approved_by_title or "",
            received=summary.origin == "received",
        )
        template = self._reports.template_of(report_id)
        content = self._reports.content(report_id)
        pooled = {
            key: PooledRate(rate.value, rate.units_count)
            for key, rate in pooled_ratios(db, template, report_id, content.values).items()
        }
        tallies = {
            key: ChoiceTally(counts, units)
            for key, (counts, units) in choice_counts_of(
                template, consolidation_sources(db, report_id)
            ).items()
        }
        chosen_kind = profile_kind(office, kind)
        bundled = document_profile(chosen_kind, issuance.issued_on)
        return build_report_document(
            template,
            office,
            report_period(template, summary.period),
            content,
            issuance,
            chosen_kind,
            pooled,
            recipient_lists.for_report(db, report_id),
            self.profile(bundled.id),
            attachments=self._reports.attachments(report_id),
            tallies=tallies,
        )

    def profile(self, profile_id: str) -> Profile:
        """The layout profile: the office's edited copy ``<workspace>/profiles/<id>.json`` when
        there is one (values whose source is secondary may need correcting), else the bundled
        one. A copy must keep its id and kind."""
        from desktop_app.core.documents.profiles import (
            ProfileError,
            load_profile,
            load_profile_file,
        )

        bundled = load_profile(profile_id)
        own = self._live.path.parent / PROFILES_FOLDER / f"{profile_id}.json"
        if not own.is_file():
            return bundled
        edited = load_profile_file(own)
        if (edited.id, edited.kind) != (bundled.id, bundled.kind):
            raise ProfileError("document.profile.invalid", detail=f"{own}: id or kind changed")
        return edited

    def recipients(self, report_id: str) -> Recipients:
        """Who the report goes to: its own list, else this office's defaults."""
        return recipient_lists.for_report(self._live.db, report_id)

    def set_recipients(self, report_id: str, chosen: Recipients) -> None:
        """Change who the report goes to; refused once it is approved."""
        recipient_lists.set_for_report(self._live.db, report_id, chosen, self._live.actor)

    def default_recipients(self) -> Recipients:
        """This office's list for reports going up (the office above unless changed)."""
        db = self._live.db
        return recipient_lists.office_defaults(db, offices.require_this_office(db))

    def set_default_recipients(self, chosen: Recipients) -> None:
        db = self._live.db
        recipient_lists.set_office_defaults(
            db, offices.require_this_office(db), chosen, self._live.actor
        )

    def report_pdf(self, report_id: str, kind: str | None = None, *, fresh: bool = False) -> bytes:
        """The report as PDF; a received one as its sender signed it unless ``fresh``."""
        from desktop_app.core.documents.pdf import render_pdf

        if not fresh:
            sent = self.sent_pdf(report_id)
            if sent is not None:
                return sent
        document = self.official(report_id, kind)
        return render_pdf(document, self.profile(document.profile_id))

    def sent_pdf(self, report_id: str) -> bytes | None:
        """The PDF its sender signed, byte for byte, for a received report; None otherwise."""
        summary = self._reports.get(report_id)
        if summary.origin != "received":
            return None
        return received_pdfs.sent_pdf(self._live.db, report_id, summary.revision)

    def report_docx(self, report_id: str, kind: str | None = None) -> bytes:
        from desktop_app.core.documents.docx import render_docx

        document = self.official(report_id, kind)
        return render_docx(document, self.profile(document.profile_id))

    def party_term_start(self) -> date | None:
        """When this Party committee's current term began (numbers run from 01 since then)."""
        db = self._live.db
        return register.party_term_start(db, offices.require_this_office(db))

    def set_party_term_start(self, start: date) -> None:
        """The congress date of the current term: documents dated from it are numbered from 01."""
        db = self._live.db
        office = offices.require_this_office(db)
        register.set_party_term_start(db, office, start, self._live.actor)

    def blank_form_pdf(self, template_id: str) -> bytes:
        from desktop_app.core.documents.pages import render_blank_form
        from desktop_app.core.documents.report import blank_form, document_profile, profile_kind

        office = offices.this_office(self._live.db)
        template = self._templates.get(template_id)
        kind = profile_kind(office) if office else template.block
        profile = self.profile(document_profile(kind, None).id)
        return render_blank_form(blank_form(template, office), profile)

    def enrolment_sheet_pdf(self) -> bytes:
        """The paper the upper office compares a key's fingerprint with before trusting it."""
        from desktop_app.core.documents.pages import render_enrolment_sheet

        db = self._live.db
        info, office = keyring.active_key(db), offices.require_this_office(db)
        return render_enrolment_sheet(
            office.code,
            office.name,
            info.key_id,
            info.fingerprint,
            base64.b64encode(info.public_raw).decode("ascii"),
            datetime.fromisoformat(info.created_at),
        )
