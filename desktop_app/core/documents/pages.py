"""Extra printed pages: the blank form for handwritten drafts, the upper office's list of reports
received and missing, and the key enrolment sheet.

Inputs are neutral values defined here (not the template or store classes), so the caller maps
its own objects onto them. Printed wording lives in ``resources/profiles/pages.vi.json``.
"""

from __future__ import annotations

import binascii
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Spacer, Table

from desktop_app.core.documents.layout import (
    LANDSCAPE,
    HRule,
    PageDecoration,
    QrCode,
    Styles,
    WritingLines,
    build_pdf,
    frame_width,
    table_style,
)
from desktop_app.core.documents.model import DocumentModelError, section_label
from desktop_app.core.documents.profiles import MM, Profile, fill, load_profile
from desktop_app.core.model.text import nfc
from desktop_app.core.paths import resource

__all__ = [
    "BlankForm",
    "FormIndicator",
    "FormSection",
    "FormTable",
    "ReceivedRow",
    "enrolment_qr_payload",
    "fingerprint_groups",
    "render_blank_form",
    "render_enrolment_sheet",
    "render_received_list",
]

DEFAULT_PROFILE = "party-hd36"
WRITING_LINE_MM = 8.0  # room for one handwritten line
HANDWRITING_ROW_MM = 9.0  # minimum height of an indicator row on a blank form
FINGERPRINT_DIGITS = 30
QR_SIZE_MM = 45.0

_GRID = [
    ("GRID", (0, 0), (-1, -1), 0.5, (0, 0, 0)),
    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ("LEFTPADDING", (0, 0), (-1, -1), 3),
    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
]
_BARE = [
    ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
]


@cache
def page_texts() -> Mapping[str, str]:
    data = json.loads(resource("profiles", "pages.vi.json").read_text(encoding="utf-8"))
    return {key: value for key, value in data.items() if key != "note"}


def _text(key: str, **values: str) -> str:
    return fill(page_texts()[key], **values)


# -- neutral inputs -----------------------------------------------------------------------------


@dataclass(frozen=True)
class FormSection:
    """An outline heading with its guidance; ``writing_lines`` None means 6 for a leaf, else 0."""

    title: str
    guidance: str = ""
    children: Sequence[FormSection] = ()
    writing_lines: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "title", nfc(self.title).strip())
        object.__setattr__(self, "guidance", nfc(self.guidance).strip())
        object.__setattr__(self, "children", tuple(self.children))
        if self.writing_lines is not None and not 0 <= self.writing_lines <= 200:
            raise DocumentModelError("document.form.writing_lines_invalid", title=self.title)

    @property
    def lines(self) -> int:
        if self.writing_lines is not None:
            return self.writing_lines
        return 0 if self.children else 6


@dataclass(frozen=True)
class FormIndicator:
    label: str
    unit: str = ""
    group: bool = False  # a heading row: no value cells to fill

    def __post_init__(self) -> None:
        object.__setattr__(self, "label", nfc(self.label).strip())
        object.__setattr__(self, "unit", nfc(self.unit).strip())


@dataclass(frozen=True)
class FormTable:
    title: str
    indicators: Sequence[FormIndicator]
    value_columns: Sequence[str] = ("Số liệu",)
    note: str = ""  # printed under the grid, as in the report's appendix
    form_label: str = ""  # the name the template gives it ("Biểu 01"), else numbered in order

    def __post_init__(self) -> None:
        object.__setattr__(self, "title", nfc(self.title).strip())
        object.__setattr__(self, "form_label", nfc(self.form_label).strip())
        object.__setattr__(self, "note", nfc(self.note).strip())
        object.__setattr__(self, "indicators", tuple(self.indicators))
        object.__setattr__(self, "value_columns", tuple(nfc(c) for c in self.value_columns))
        if not self.value_columns:
            raise DocumentModelError("document.form.no_value_columns", title=self.title)


@dataclass(frozen=True)
class BlankForm:
    title: str  # "BÁO CÁO"
    subtitle: str = ""  # "tổng kết 10 năm thực hiện Chỉ thị số 58-CT/TW …"
    office: str = ""  # printed as "Đơn vị báo cáo: …"; dots left for handwriting when empty
    period: str = ""
    sections: Sequence[FormSection] = ()
    tables: Sequence[FormTable] = ()

    def __post_init__(self) -> None:
        for name in ("title", "subtitle", "office", "period"):
            object.__setattr__(self, name, nfc(getattr(self, name)).strip())
        object.__setattr__(self, "sections", tuple(self.sections))
        object.__setattr__(self, "tables", tuple(self.tables))


@dataclass(frozen=True)
class ReceivedRow:
    """One expected report; all values are display text except ``missing``."""

    unit: str
    template: str
    period: str
    state: str  # "Đã nhận", "Chưa nhận", "Trả lại" …
    approved_at: str = ""
    imported_at: str = ""
    missing: bool = False  # printed in bold so the clerk sees whom to call

    def __post_init__(self) -> None:
        for name in ("unit", "template", "period", "state", "approved_at", "imported_at"):
            object.__setattr__(self, name, nfc(getattr(self, name)).strip())


# -- blank form ---------------------------------------------------------------------------------


def render_blank_form(form: BlankForm, profile: Profile | None = None) -> bytes:
    """The template as a paper form: headings, guidance, ruled lines, empty indicator tables."""
    styles = Styles(profile or load_profile(DEFAULT_PROFILE))
    story: list[Flowable] = [*_form_heading(form, styles)]
    for position, section in enumerate(form.sections, start=1):
        story += _form_section(section, 1, position, styles)
    # A template that names its tables ("Biểu 01") is followed; numbering the others in order
    # beside those names would print two tables called "Biểu 01".
    named = any(table.form_label for table in form.tables)
    for number, table in enumerate(form.tables, start=1):
        label = table.form_label if named else _text("form.table_label", number=f"{number:02d}")
        story += _form_table(table, label, styles)
    return build_pdf(styles, story, PageDecoration(styles.profile.page_number_from),
                     title=f"{form.title} {form.subtitle}".strip())


def _form_heading(form: BlankForm, styles: Styles) -> list[Flowable]:
    dots = "." * 60
    left = styles.derived("number", "left", alignment=0)
    heading = [
        styles.para(_text("form.office", office=form.office or dots), "number", left),
        styles.para(_text("form.period", period=form.period or dots), "number", left),
        Spacer(1, 6),
        styles.para(form.title, "type_name"),
    ]
    if form.subtitle:
        heading.append(styles.para(form.subtitle, "summary"))
    heading += [
        styles.para(_text("form.handwritten_note"), "appendix_caption"),
        HRule(styles.profile.summary_rule_mm * MM),
        Spacer(1, 8),
    ]
    return heading


def _form_section(section: FormSection, depth: int, position: int, styles: Styles
                  ) -> list[Flowable]:
    heading = f"heading_{min(depth, 4)}"
    title = f"{section_label(depth, position)} {section.title}"
    flowables: list[Flowable] = [
        CondPageBreak(styles.leading(heading) * 4), styles.para(title, heading),
    ]
    if section.guidance:
        size = max(styles.spec("table_note").size - 1, 9)
        guidance = styles.derived("table_note", "guidance", fontSize=size, leading=size * 1.2,
                                  spaceBefore=0, spaceAfter=4)
        flowables.append(styles.para(section.guidance, "table_note", guidance))
    if section.lines:
        flowables.append(WritingLines(section.lines, WRITING_LINE_MM * MM))
        flowables.append(Spacer(1, 6))
    for child_position, child in enumerate(section.children, start=1):
        flowables += _form_section(child, depth + 1, child_position, styles)
    return flowables


def _form_table(table: FormTable, label: str, styles: Styles) -> list[Flowable]:
    labels = [_text("table.number"), _text("table.indicator"), _text("table.unit"),
              *table.value_columns, _text("table.note")]
    weights = [0.7, 4.5, 1.3, *([1.4] * len(table.value_columns)), 1.4]
    width = frame_width(styles.profile)
    widths = [width * weight / sum(weights) for weight in weights]
    rows: list[list[Flowable]] = [[styles.para(label, "table_header") for label in labels]]
    serial = 0
    for indicator in table.indicators:
        if indicator.group:
            rows.append([Spacer(0, 0), styles.para(indicator.label, "table_group"),
                         *[Spacer(0, 0)] * (len(labels) - 2)])
        else:
            serial += 1
            rows.append([
                styles.para(str(serial), "table_cell", styles.derived("table_cell", "center",
                                                                      alignment=1)),
                styles.para(indicator.label, "table_cell"),
                styles.para(indicator.unit, "table_cell", styles.derived("table_cell", "center",
                                                                         alignment=1)),
                *[Spacer(0, 0)] * (len(labels) - 3),
            ])
    grid = Table(rows, colWidths=widths, repeatRows=1,
                 minRowHeights=[0] + [HANDWRITING_ROW_MM * MM] * len(table.indicators))
    grid.setStyle(table_style(styles, _GRID))
    title = f"{label}: {table.title}" if label else table.title
    flowables: list[Flowable] = [CondPageBreak(60 * MM), Spacer(1, 8),
                                 styles.para(title, "appendix_subtitle"), Spacer(1, 6), grid]
    if table.note:
        label = styles.profile.patterns["notes_label"]
        flowables.append(styles.para(f"{label} {table.note}", "table_note"))
    return flowables


# -- received list ------------------------------------------------------------------------------


def render_received_list(
    office_name: str,
    period: str,
    rows: Sequence[ReceivedRow],
    generated_at: datetime,
    profile: Profile | None = None,
) -> bytes:
    """The upper office's page: every expected report, received or missing, in one table."""
    styles = Styles(profile or load_profile(DEFAULT_PROFILE))
    missing = sum(1 for row in rows if row.missing)
    story: list[Flowable] = [
        styles.para(nfc(office_name), "issuing_body", styles.derived("issuing_body", "left",
                                                                       alignment=0)),
        Spacer(1, 8),
        styles.para(_text("received.title"), "type_name"),
        styles.para(_text("received.subtitle", period=nfc(period)), "summary"),
        styles.para(_text("received.generated", time=generated_at.strftime("%H:%M"),
                          date=generated_at.strftime("%d/%m/%Y")), "appendix_caption"),
        styles.para(_text("received.summary", received=str(len(rows) - missing),
                          missing=str(missing), total=str(len(rows))), "body"),
        _received_table(rows, styles),
    ]
    return build_pdf(styles, story, PageDecoration(styles.profile.page_number_from),
                     orientation=LANDSCAPE, title=_text("received.title"))


def _received_table(rows: Sequence[ReceivedRow], styles: Styles) -> Table:
    keys = ("received.unit", "received.template", "received.period", "received.state",
            "received.approved_at", "received.imported_at")
    weights = [0.6, 3.2, 3.2, 1.0, 1.4, 1.8, 1.8]
    width = frame_width(styles.profile, LANDSCAPE)
    header = [styles.para(_text("table.number"), "table_header")] + [
        styles.para(_text(key), "table_header") for key in keys
    ]
    body = []
    for index, row in enumerate(rows, start=1):
        name = "table_total" if row.missing else "table_cell"
        centred = styles.derived(name, "center", alignment=1)
        body.append([
            styles.para(str(index), name, centred), styles.para(row.unit, name),
            styles.para(row.template, name), styles.para(row.period, name, centred),
            styles.para(row.state, name, centred), styles.para(row.approved_at, name, centred),
            styles.para(row.imported_at, name, centred),
        ])
    grid = Table([header, *body], colWidths=[width * w / sum(weights) for w in weights],
                 repeatRows=1, splitInRow=1)
    grid.setStyle(table_style(styles, _GRID))
    return grid


# -- enrolment sheet ----------------------------------------------------------------------------


def fingerprint_groups(fingerprint: str) -> str:
    """``"123456789012345678901234567890"`` → ``"12345 67890 12345 67890 12345 67890"``."""
    digits = re.sub(r"\s", "", fingerprint)
    if len(digits) != FINGERPRINT_DIGITS or not digits.isascii() or not digits.isdigit():
        raise DocumentModelError("document.enrolment.fingerprint_invalid")
    return " ".join(digits[index:index + 5] for index in range(0, FINGERPRINT_DIGITS, 5))


def render_enrolment_sheet(
    office_code: str,
    office_name: str,
    key_id: str,
    fingerprint: str,
    public_key_b64: str,
    created_at: datetime,
    profile: Profile | None = None,
) -> bytes:
    """The paper the head signs and the upper office files when registering an office's key."""
    grouped = fingerprint_groups(fingerprint)
    _check_base64(public_key_b64)
    office_code, office_name, key_id = (nfc(value).strip()
                                         for value in (office_code, office_name, key_id))
    if not office_code or not key_id:
        raise DocumentModelError("document.enrolment.identity_missing")
    styles = Styles(profile or load_profile(DEFAULT_PROFILE))
    payload = enrolment_qr_payload(office_code, key_id, grouped, public_key_b64)
    story: list[Flowable] = [
        styles.para(_text("enrolment.title"), "type_name"),
        HRule(styles.profile.summary_rule_mm * MM, space_before=8),
        Spacer(1, 8),
        styles.para(_text("enrolment.intro"), "body"),
        _identity_table(office_code, office_name, key_id, created_at, styles),
        Spacer(1, 12),
        styles.para(_text("enrolment.fingerprint"), "appendix_label"),
        Spacer(1, 4),
        _fingerprint(grouped, styles),
        Spacer(1, 12),
        _qr_block(payload, public_key_b64, styles),
        Spacer(1, 16),
        _enrolment_signatures(styles),
    ]
    return build_pdf(styles, story, PageDecoration(None), title=_text("enrolment.title"),
                     subject=f"{office_code} {key_id}")


def enrolment_qr_payload(office_code: str, key_id: str, fingerprint: str, public_key_b64: str
                         ) -> str:
    """What the QR code holds: one ``name=value`` per line after a format tag."""
    digits = re.sub(r"\s", "", fingerprint)
    return "\n".join((
        "BAOCAO-KEY/1", f"office={office_code}", f"key={key_id}", f"fingerprint={digits}",
        f"public_key={public_key_b64}",
    ))


def _check_base64(value: str) -> None:
    try:
        binascii.a2b_base64(value.encode("ascii"), strict_mode=True)
    except (ValueError, UnicodeEncodeError) as error:
        raise DocumentModelError("document.enrolment.public_key_invalid") from error
    if not value:
        raise DocumentModelError("document.enrolment.public_key_invalid")


def _identity_table(code: str, name: str, key_id: str, created_at: datetime, styles: Styles
                    ) -> Table:
    rows = [
        ("enrolment.office_code", code), ("enrolment.office_name", name),
        ("enrolment.key_id", key_id),
        ("enrolment.created_at", created_at.strftime("%H:%M ngày %d/%m/%Y")),
    ]
    width = frame_width(styles.profile)
    data = [[styles.para(_text(key), "table_group"), styles.para(value, "table_cell")]
            for key, value in rows]
    table = Table(data, colWidths=[width * 0.32, width * 0.68])
    table.setStyle(table_style(styles, _GRID))
    return table


def _fingerprint(grouped: str, styles: Styles) -> Paragraph:
    size = 24.0
    style = styles.derived("signature_name", "fingerprint", fontSize=size, leading=size * 1.3,
                           alignment=1)
    return Paragraph(grouped, style)


def _qr_block(payload: str, public_key_b64: str, styles: Styles) -> Table:
    side = QR_SIZE_MM * MM
    small = styles.derived("table_cell", "key", fontSize=10, leading=12)
    text = [
        styles.para(_text("enrolment.qr_caption"), "table_note"),
        Spacer(1, 6),
        styles.para(_text("enrolment.public_key"), "table_group"),
        styles.para(public_key_b64, "table_cell", small),
    ]
    width = frame_width(styles.profile)
    table = Table([[QrCode(payload, side), text]], colWidths=[side + 12, width - side - 12])
    table.setStyle(table_style(styles, _BARE))
    return table


def _enrolment_signatures(styles: Styles) -> Table:
    def block(title_key: str, hint_key: str) -> list[Flowable]:
        return [
            styles.para(_text("enrolment.date_line"), "place_date"),
            styles.para(_text(title_key), "signature_title"),
            styles.para(_text(hint_key), "signature_note"),
            Spacer(1, styles.profile.signature_gap_mm * MM),
        ]

    width = frame_width(styles.profile)
    table = Table([[block("enrolment.receiver", "enrolment.sign_hint"),
                    block("enrolment.head", "enrolment.sign_seal_hint")]],
                  colWidths=[width / 2, width / 2])
    table.setStyle(table_style(styles, _BARE))
    return table

