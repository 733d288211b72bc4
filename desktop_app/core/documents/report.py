"""A report as an official document: the template's outline, the narratives, the indicator
tables as numbered appendices, and the office's header and signature.

The renderer (``documents``) knows nothing of templates or the store; this module is the one
place that decides how a report reads on paper. Until a revision is approved the document
prints as a draft with a blank number and date, because the number belongs to the register
and is taken only when the head signs.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from desktop_app.core.clock import now
from desktop_app.core.documents import table_appendices
from desktop_app.core.documents.model import (
    Align,
    AppendixTable,
    Column,
    DocumentHeader,
    OfficialDocument,
    Section,
    SignatureBlock,
    number_sections,
)
from desktop_app.core.documents.pages import BlankForm, FormIndicator, FormSection, FormTable
from desktop_app.core.documents.profiles import Profile, profile_for
from desktop_app.core.documents.signer import signature, signing_body
from desktop_app.core.errors import CoreError
from desktop_app.core.model.expressions import Value
from desktop_app.core.model.offices import Office
from desktop_app.core.model.periods import Period
from desktop_app.core.reports.attachment_store import Attachment
from desktop_app.core.reports.recipients import Recipients, derived_defaults
from desktop_app.core.reports.tables import Choice, counts_text
from desktop_app.core.reports.templates import Section as TemplateSection
from desktop_app.core.reports.templates import Table, Template
from desktop_app.core.reports.validation import ReportContent, evaluation_values, shown_sections
from desktop_app.core.reports.values import Typed, display, typed

DEFAULT_SIGNATURES = {
    "party": {"authority": "T/M BAN THƯỜNG VỤ", "title": "BÍ THƯ"},
    "state": {"authority": "TM. ỦY BAN NHÂN DÂN", "title": "CHỦ TỊCH"},
}
POOLED_NOTE = "Tỷ lệ chung của {units} đơn vị báo cáo đủ hai số liệu"
TALLY_NOTE = "Số đơn vị chọn từng mức, trên {units} đơn vị trả lời"
APPENDIX_COLUMNS = (
    Column("STT", 0.8, Align.CENTER),
    Column("Chỉ tiêu", 5.0),
    Column("Đơn vị tính", 1.4, Align.CENTER),
    Column("Số liệu", 1.6, Align.RIGHT),
    Column("Ghi chú", 2.4),
)


@dataclass(frozen=True)
class Issuance:
    """What the paper says about who issued it and when (empty for a draft)."""

    number: int | None = None
    issued_on: date | None = None
    signer_name: str = ""
    signer_title: str = ""  # as in the approval record: "Phó Bí thư"
    # Only a PDF carrying a recognised PAdES signature (a Ban Cơ yếu certificate) is "Đã ký số";
    # the office's Ed25519 key signs the bundle for transport, not the document in law.
    digitally_signed: bool = False
    received: bool = False  # approved by the sender: never a draft, even without a number here


def profile_kind(office: Office, requested: str | None = None) -> str:
    """A Party body issues Party documents, every other body the state format; asking for the
    other format is refused rather than printing a header and signature that do not match."""
    kind = "party" if office.block == "party" else "state"
    if requested and requested != kind:
        raise CoreError(
            "document.profile.block_mismatch", requested=requested, office=office.name, kind=kind
        )
    return kind


@dataclass(frozen=True)
class PooledRate:
    """A consolidated rate over the units that gave both its parts (``aggregate``'s answer),
    printed instead of the formula on the totals, with the number of units behind it."""

    value: Decimal
    units_count: int


@dataclass(frozen=True)
class ChoiceTally:
    """A consolidated choice (``count_by_choice``) of an indicator or a grid cell: how many
    units chose each value, out of ``units_count`` that answered; printed where the choice's
    answer would be."""

    counts: Mapping[str, int]
    units_count: int


def build_report_document(
    template: Template,
    office: Office,
    period: Period,
    content: ReportContent,
    issue: Issuance,
    kind: str,
    pooled: Mapping[str, PooledRate] | None = None,
    recipients: Recipients | None = None,
    profile: Profile | None = None,
    attachments: Sequence[Attachment] = (),
    tallies: Mapping[str, ChoiceTally] | None = None,
) -> OfficialDocument:
    """The report as an official document. ``recipients`` are the report's (office data); a
    caller without a store gets the office's derived defaults. ``profile`` is the one in force
    on the document's date (an office's edited copy); by default the bundled one. ``pooled``
    and ``tallies`` are a consolidated report's rates over the units and counts per choice;
    ``attachments`` are listed last, as the appendix "Tài liệu kèm theo"."""
    recipients = recipients or derived_defaults(office, None)
    tables = _tables_in_outline_order(template)
    counted_cells = {  # a consolidated grid's choice cells: how many units chose each value
        key: counts_text(_cell_choices(template, key), tally.counts)
        for key, tally in (tallies or {}).items()
        if key not in template.indicator_map
    }
    grids_and_lists = table_appendices.appendices(template, content, counted_cells)  # format 2
    appendix_numbers = {
        item_id: number
        for number, item_id in enumerate([*(t.id for t in tables), *grids_and_lists], start=1)
    }
    evaluated = {
        **evaluation_values(template, content.values),
        **{key: rate.value for key, rate in (pooled or {}).items()},
    }
    notes = {
        key: POOLED_NOTE.format(units=rate.units_count) for key, rate in (pooled or {}).items()
    }
    tallied = _tallied(template, content, tallies or {})
    notes |= {key: note for key, (_, note) in tallied.items()}
    draft = issue.number is None and not issue.received
    shown = shown_sections(template, content.values)
    profile = profile or document_profile(kind, issue.issued_on)
    header = _header(template, office, period, issue)
    sections = [
        _section(s, content, appendix_numbers, draft, shown)
        for s in template.sections
        if s.id in shown  # a section hidden by its show_when is not printed
    ]
    landscape = bool(template.layout.get("landscape_tables"))
    return OfficialDocument(
        profile_id=profile.id,
        header=header,
        intro=_intro(template, header),
        sections=number_sections([s for s in sections if draft or _has_content(s)]),
        closing_text=_closing(header),
        signature=_signature(template, kind, profile, issue),
        appendices=[_appendix(t, content, evaluated, notes, landscape, tallied) for t in tables]
        + list(grids_and_lists.values())
        + [a for a in [table_appendices.attachments_appendix(attachments)] if a is not None],
        addressees=recipients.addressees,
        recipients=recipients.copies,
        archive_line=recipients.archive,
        draft=draft,
    )


def _header(template: Template, office: Office, period: Period, issue: Issuance) -> DocumentHeader:
    document = template.document
    summary = document.get("summary", template.title).format(
        period_title=period.title_vi, office_name=office.name
    )
    summary = summary[:1].upper() + summary[1:]  # a trích yếu begins with a capital
    return DocumentHeader(
        issuing_body=office.name.upper(),
        type_abbr=document.get("type_abbr", "BC"),
        office_abbr=office.abbreviation,
        place=office.place,
        type_name=document.get("type_name", "BÁO CÁO"),
        summary=summary,
        superior_body=office.superior_name.upper(),
        number=issue.number,
        issued_on=issue.issued_on,
        issuing_body_name=office.name,
    )


def _intro(template: Template, header: DocumentHeader) -> list[str]:
    """ "Thực hiện Chỉ thị số 58-CT/TW ngày 17/10/2000 của Bộ Chính trị về …, Huyện ủy … báo
    cáo …" from the template's directive: the opening every report of this kind carries."""
    directive = template.raw.get("directive")
    if not directive:
        return []
    kind, rest = _directive_kind(directive["title"])
    issued = directive.get("issued_on")
    when = f" ngày {_running_date(date.fromisoformat(issued))}" if issued else ""
    about = f" {rest}" if rest else ""
    return [
        f"Thực hiện {kind} số {directive['code']}{when} của {directive['issuer']}{about}, "
        f"{header.issuer_in_text} báo cáo {_lower_first(header.summary)} như sau:"
    ]


def _closing(header: DocumentHeader) -> list[str]:
    return [f"Trên đây là báo cáo {_lower_first(header.summary)} của {header.issuer_in_text}./."]


_DIRECTIVE_KINDS = (
    "Nghị quyết",
    "Chỉ thị",
    "Kết luận",
    "Quy định",
    "Quy chế",
    "Nghị định",
    "Quyết định",
    "Thông tư",
    "Kế hoạch",
    "Đề án",
    "Luật",
)


def _directive_kind(title: str) -> tuple[str, str]:
    """("Chỉ thị", "về đẩy mạnh …") from "Chỉ thị về đẩy mạnh …"."""
    for kind in _DIRECTIVE_KINDS:
        if title.startswith(kind):
            return kind, title[len(kind) :].strip()
    return "văn bản", title


def _running_date(day: date) -> str:
    """ "17/10/2000", "10/4/2007": dates in running text carry no leading zeros."""
    return f"{day.day}/{day.month}/{day.year}"


def _lower_first(text: str) -> str:
    """The summary inside a sentence: its first letter lowered unless it starts a name."""
    text = " ".join(text.split())
    first = text.split(" ", 1)[0]
    return text if first.isupper() else text[:1].lower() + text[1:]


def _has_content(section: Section) -> bool:
    """A signed report leaves out a heading with nothing under it."""
    return bool(
        section.paragraphs or section.tables_ref or any(map(_has_content, section.children))
    )


def _tables_in_outline_order(template: Template) -> list[Table]:
    by_id = {table.id: table for table in template.tables}
    return [by_id[t] for _, section in template.walk_sections() for t in section.tables]


def _section(
    section: TemplateSection,
    content: ReportContent,
    appendix: Mapping[str, int],
    draft: bool,
    shown: Collection[str],
) -> Section:
    text = content.narratives.get(section.id, "")
    paragraphs = _paragraphs(text)
    if not paragraphs and draft and section.narrative:
        paragraphs = ["(chưa viết)"]
    children = [
        _section(child, content, appendix, draft, shown)
        for child in section.sections
        if child.id in shown  # a section hidden by its show_when is not printed
    ]
    return Section(
        title=section.title,
        paragraphs=paragraphs,
        tables_ref=[appendix[t] for t in (*section.tables, *section.grids, *section.lists)],
        children=[child for child in children if draft or _has_content(child)],
    )


def _paragraphs(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"\n+", text) if part.strip()]


def _tallied(
    template: Template, content: ReportContent, tallies: Mapping[str, ChoiceTally]
) -> dict[str, tuple[str, str]]:
    """Indicator id → (value text, note) of each tallied choice. The counts stand in the value
    column while the report gives no answer of its own; once it does, they move to the note."""
    shown = {}
    for indicator_id, tally in tallies.items():
        if indicator_id not in template.indicator_map:
            continue  # a grid cell's: printed by ``table_appendices``
        indicator = template.indicator(indicator_id)
        counts = counts_text(indicator.choices, tally.counts)
        note = TALLY_NOTE.format(units=tally.units_count)
        own = typed(indicator, content.values.get(indicator_id))
        if own is None:
            shown[indicator_id] = (counts, note)
        else:
            shown[indicator_id] = (display(indicator, own), f"{counts} ({note.lower()})")
    return shown


def _cell_choices(template: Template, field: str) -> tuple[Choice, ...]:
    grid_id, _row_id, column_id = field.split("/")
    return template.grid(grid_id).column(column_id).choices


def _appendix(
    table: Table,
    content: ReportContent,
    evaluated: Mapping[str, Value],
    notes: Mapping[str, str],
    landscape: bool = False,
    tallied: Mapping[str, tuple[str, str]] | None = None,
) -> AppendixTable:
    rows = []
    for position, indicator in enumerate(table.indicators, start=1):
        value: Typed = (
            evaluated.get(indicator.id)
            if indicator.is_computed
            else typed(indicator, content.values.get(indicator.id))
        )
        text = (tallied or {}).get(indicator.id, (display(indicator, value), ""))[0]
        rows.append(
            (
                str(position),
                indicator.label,
                indicator.unit,
                text,
                content.comments.get(indicator.id) or notes.get(indicator.id, ""),
            )
        )
    table_notes = [table.note] if table.note else []
    label, title = table_appendices.form_label_and_title(table.title)
    return AppendixTable(
        title, APPENDIX_COLUMNS, rows, notes=table_notes, landscape=landscape, form_label=label
    )


def document_profile(kind: str, issued_on: date | None) -> Profile:
    """The profile in force on the document's date; a draft is dated today."""
    return profile_for(kind, issued_on or now().date())


def _signature(template: Template, kind: str, profile: Profile, issue: Issuance) -> SignatureBlock:
    """Authority, title and name from the approval record, worded as the profile says."""
    block = template.layout.get("signature", {}).get(kind) or DEFAULT_SIGNATURES[kind]
    body = signing_body(block.get("authority", ""), block["title"], profile)
    return signature(
        profile,
        body,
        title=issue.signer_title,
        name=issue.signer_name,
        signed_note="Đã ký số" if issue.digitally_signed else "",
    )


def issue_date(approved_at: str | None) -> date | None:
    return datetime.fromisoformat(approved_at).date() if approved_at else None


def blank_form(template: Template, office: Office | None = None) -> BlankForm:
    """The template as a paper form for handwritten drafts."""
    return BlankForm(
        title=template.document.get("type_name", "BÁO CÁO"),
        subtitle=template.title,
        office=office.name if office else "",
        period=template.period_label or "",
        sections=[_form_section(section) for section in template.sections],
        tables=[_form_table(table) for table in _tables_in_outline_order(template)]
        + table_appendices.form_tables(template),
    )


def _form_section(section: TemplateSection) -> FormSection:
    return FormSection(
        title=section.title,
        guidance=section.guidance,
        children=[_form_section(child) for child in section.sections],
        writing_lines=None if section.narrative else 0,
    )


def _form_table(table: Table) -> FormTable:
    indicators: Sequence[FormIndicator] = [
        FormIndicator(i.label, i.unit) for i in table.indicators if not i.is_computed
    ]
    label, title = table_appendices.form_label_and_title(table.title)
    return FormTable(title, indicators, note=table.note or "", form_label=label)
