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
from desktop_app.core.model.expressions import Value
from desktop_app.core.model.offices import Office
from desktop_app.core.model.periods import Period
from desktop_app.core.reports.templates import Section as TemplateSection
from desktop_app.core.reports.templates import Table, Template
from desktop_app.core.reports.validation import ReportContent, evaluation_values, shown_sections
from desktop_app.core.reports.values import Typed, display, typed

PROFILES = {"party": "party-hd36", "state": "state-nd30"}
DEFAULT_SIGNATURES = {
    "party": {"authority": "T/M BAN THƯỜNG VỤ", "title": "BÍ THƯ"},
    "state": {"authority": "TM. ỦY BAN NHÂN DÂN", "title": "CHỦ TỊCH"},
}
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
    digitally_signed: bool = False


def profile_kind(office: Office, requested: str | None = None) -> str:
    """A Party body issues Party documents; every other body the state format."""
    if requested:
        return requested
    return "party" if office.block == "party" else "state"


def build_report_document(
    template: Template,
    office: Office,
    period: Period,
    content: ReportContent,
    issue: Issuance,
    kind: str,
) -> OfficialDocument:
    tables = _tables_in_outline_order(template)
    grids_and_lists = table_appendices.appendices(template, content)  # format 2
    appendix_numbers = {
        item_id: number
        for number, item_id in enumerate([*(t.id for t in tables), *grids_and_lists], start=1)
    }
    evaluated = evaluation_values(template, content.values)
    draft = issue.number is None
    shown = shown_sections(template, content.values)
    return OfficialDocument(
        profile_id=PROFILES[kind],
        header=_header(template, office, period, issue),
        sections=number_sections(
            [
                _section(s, content, appendix_numbers, draft, shown)
                for s in template.sections
                if s.id in shown
            ]
        ),
        signature=_signature(template, kind, issue),
        appendices=[_appendix(t, content, evaluated) for t in tables]
        + list(grids_and_lists.values()),
        recipients=template.layout.get("recipients", ()),
        archive_line=_archive_line(office, kind),
        draft=draft,
    )


def _header(template: Template, office: Office, period: Period, issue: Issuance) -> DocumentHeader:
    document = template.document
    summary = document.get("summary", template.title).format(
        period_title=period.title_vi, office_name=office.name
    )
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
    return Section(
        title=section.title,
        paragraphs=paragraphs,
        tables_ref=[appendix[t] for t in (*section.tables, *section.grids, *section.lists)],
        children=[
            _section(child, content, appendix, draft, shown)
            for child in section.sections
            if child.id in shown  # a section hidden by its show_when is not printed
        ],
    )


def _paragraphs(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"\n+", text) if part.strip()]


def _appendix(
    table: Table, content: ReportContent, evaluated: Mapping[str, Value]
) -> AppendixTable:
    rows = []
    for position, indicator in enumerate(table.indicators, start=1):
        value: Typed = (
            evaluated.get(indicator.id)
            if indicator.is_computed
            else typed(indicator, content.values.get(indicator.id))
        )
        rows.append(
            (
                str(position),
                indicator.label,
                indicator.unit,
                display(indicator, value),
                content.comments.get(indicator.id, ""),
            )
        )
    notes = [table.note] if table.note else []
    return AppendixTable(table.title, APPENDIX_COLUMNS, rows, notes=notes)


def _signature(template: Template, kind: str, issue: Issuance) -> SignatureBlock:
    block = template.layout.get("signature", {}).get(kind) or DEFAULT_SIGNATURES[kind]
    return SignatureBlock(
        authority=block.get("authority", ""),
        title=block["title"],
        name=issue.signer_name,
        signed_note="Đã ký số" if issue.digitally_signed else "",
    )


def _archive_line(office: Office, kind: str) -> str:
    return f"Lưu Văn phòng {office.name}" if kind == "party" else "Lưu: VT"


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
    return FormTable(table.title, indicators)
