"""A neutral model of an official document (Party or state), independent of any renderer.

Reports, consolidations and any other printed document are first turned into these frozen
values; ``pdf.render_pdf`` and ``docx.render_docx`` lay them out according to a profile. All
text is normalised to NFC on construction, and list arguments become tuples, so a document is
an immutable value that renders the same way twice.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from desktop_app.core.errors import CoreError
from desktop_app.core.model.text import nfc


class DocumentModelError(CoreError, ValueError):
    """A document that cannot be laid out; ``code`` names the problem for the catalogue."""


class Align(StrEnum):
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


class RowKind(StrEnum):
    NORMAL = "normal"
    GROUP = "group"  # a heading row inside the table ("A. Hạ tầng kỹ thuật")
    TOTAL = "total"  # a sum row ("Tổng cộng")


def _nfc_all(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(nfc(value) for value in values)


def _set(instance: object, name: str, value: object) -> None:
    # Frozen dataclasses only allow normalisation through object.__setattr__.
    object.__setattr__(instance, name, value)


@dataclass(frozen=True)
class DocumentHeader:
    """The first-page elements: issuing body, number, place and date, type name and summary."""

    issuing_body: str  # "HUYỆN ỦY ĐÔNG SƠN"
    type_abbr: str  # "BC"
    office_abbr: str  # "HU"
    place: str  # "Đông Sơn"
    type_name: str  # "BÁO CÁO"
    summary: str = ""  # trích yếu; "\n" forces a line break
    superior_body: str = ""  # "ĐẢNG BỘ TỈNH THANH HÓA", or "" when there is none
    number: int | None = None  # None leaves the number blank for a draft
    issued_on: date | None = None  # None leaves day, month and year blank
    issuing_body_name: str = ""  # as written in running text: "Huyện ủy Đông Sơn"

    def __post_init__(self) -> None:
        for name in (
            "issuing_body", "type_abbr", "office_abbr", "place", "type_name", "summary",
            "superior_body", "issuing_body_name",
        ):
            _set(self, name, nfc(getattr(self, name)).strip())
        if not self.issuing_body:
            raise DocumentModelError("document.header.issuing_body_missing")
        if not self.type_name:
            raise DocumentModelError("document.header.type_name_missing")
        if self.number is not None and self.number < 1:
            raise DocumentModelError("document.header.number_invalid", number=self.number)

    @property
    def issuer_in_text(self) -> str:
        return self.issuing_body_name or self.issuing_body


@dataclass(frozen=True)
class Section:
    """One outline section; ``number_label`` is filled in by ``number_sections``."""

    title: str
    paragraphs: Sequence[str] = ()
    tables_ref: Sequence[int] = ()  # appendix numbers the section points to
    children: Sequence[Section] = ()
    number_label: str = ""

    def __post_init__(self) -> None:
        _set(self, "title", nfc(self.title).strip())
        _set(self, "paragraphs", _nfc_all(self.paragraphs))
        _set(self, "tables_ref", tuple(self.tables_ref))
        _set(self, "children", tuple(self.children))
        _set(self, "number_label", nfc(self.number_label))
        if any(number < 1 for number in self.tables_ref):
            raise DocumentModelError("document.section.table_ref_invalid", title=self.title)


@dataclass(frozen=True)
class Column:
    label: str
    weight: float = 1.0  # share of the table width, relative to the other columns
    align: Align = Align.LEFT

    def __post_init__(self) -> None:
        _set(self, "label", nfc(self.label))
        _set(self, "align", Align(self.align))
        if not self.weight > 0:
            raise DocumentModelError("document.table.column_weight_invalid", label=self.label)


@dataclass(frozen=True)
class AppendixTable:
    """An indicator table printed as a numbered appendix on its own page(s).

    ``rows`` hold already formatted text ("1.234", "87,5"); the renderer never formats numbers.
    """

    title: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[str]] = ()
    row_kinds: Sequence[RowKind] = ()  # empty means every row is NORMAL
    subtitle: str = ""
    notes: Sequence[str] = ()
    numbered_columns: bool = False  # a "(1) (2) (3)" row under the header, repeated with it
    landscape: bool = False
    form_label: str = ""  # the form's own name ("Biểu 01"), printed apart from "Phụ lục 02"

    def __post_init__(self) -> None:
        _set(self, "title", nfc(self.title).strip())
        _set(self, "form_label", nfc(self.form_label).strip())
        _set(self, "subtitle", nfc(self.subtitle).strip())
        _set(self, "columns", tuple(self.columns))
        _set(self, "rows", tuple(_nfc_all(row) for row in self.rows))
        _set(self, "notes", _nfc_all(self.notes))
        kinds = tuple(RowKind(kind) for kind in self.row_kinds) or (RowKind.NORMAL,) * len(
            self.rows
        )
        _set(self, "row_kinds", kinds)
        self._check_shape()

    def _check_shape(self) -> None:
        if not self.columns:
            raise DocumentModelError("document.table.no_columns", title=self.title)
        for index, row in enumerate(self.rows, start=1):
            if len(row) != len(self.columns):
                raise DocumentModelError(
                    "document.table.row_width", title=self.title, row=index,
                    cells=len(row), columns=len(self.columns),
                )
        if len(self.row_kinds) != len(self.rows):
            raise DocumentModelError(
                "document.table.row_kinds_length", title=self.title,
                kinds=len(self.row_kinds), rows=len(self.rows),
            )


@dataclass(frozen=True)
class SignatureBlock:
    authority: str  # "T/M BAN THƯỜNG VỤ"; "" when the signer signs in their own right
    title: str  # "BÍ THƯ"
    name: str  # "Nguyễn Văn An"
    signed_note: str = ""  # e.g. "Đã ký số", printed where the handwritten signature goes

    def __post_init__(self) -> None:
        for name in ("authority", "title", "name", "signed_note"):
            _set(self, name, nfc(getattr(self, name)).strip())


@dataclass(frozen=True)
class OfficialDocument:
    profile_id: str
    header: DocumentHeader
    sections: Sequence[Section]
    signature: SignatureBlock
    appendices: Sequence[AppendixTable] = ()
    recipients: Sequence[str] = ()  # "Ban Thường vụ Tỉnh ủy (b/c)"; dashes and commas are added
    addressees: Sequence[str] = ()  # "Kính gửi:" (state); printed first in Nơi nhận (Party)
    archive_line: str = ""  # "Lưu Văn phòng Huyện ủy"
    draft: bool = False  # print a "DỰ THẢO" watermark on every page
    intro: Sequence[str] = field(default=())  # paragraphs before the first section
    closing_text: Sequence[str] = field(default=())  # paragraphs after the last section

    def __post_init__(self) -> None:
        _set(self, "profile_id", self.profile_id.strip())
        _set(self, "sections", tuple(self.sections))
        _set(self, "appendices", tuple(self.appendices))
        _set(self, "recipients", _nfc_all(r.strip() for r in self.recipients))
        _set(self, "addressees", _nfc_all(r.strip() for r in self.addressees if r.strip()))
        _set(self, "archive_line", nfc(self.archive_line).strip())
        _set(self, "intro", _nfc_all(self.intro))
        _set(self, "closing_text", _nfc_all(self.closing_text))
        for section in _walk(self.sections):
            for number in section.tables_ref:
                if number > len(self.appendices):
                    raise DocumentModelError(
                        "document.section.table_ref_missing", title=section.title, appendix=number
                    )


def _walk(sections: Iterable[Section]) -> Iterable[Section]:
    for section in sections:
        yield section
        yield from _walk(section.children)


# Vietnamese legal enumeration skips f, j, w, z and includes đ (NĐ 30/2020: "a, b, c, d, đ, e").
VIETNAMESE_LETTERS = "abcdđeghiklmnopqrstuvxy"


def roman(number: int) -> str:
    if not 0 < number < 4000:
        raise DocumentModelError("document.section.number_out_of_range", number=number)
    numerals = (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    )
    out = []
    for value, symbol in numerals:
        count, number = divmod(number, value)
        out.append(symbol * count)
    return "".join(out)


def letter(number: int) -> str:
    """1 → "a", 5 → "đ", 24 → "aa" (beyond one alphabet letters are doubled)."""
    size = len(VIETNAMESE_LETTERS)
    repeat, index = divmod(number - 1, size)
    return VIETNAMESE_LETTERS[index] * (repeat + 1)


def section_label(depth: int, position: int) -> str:
    """Label of the ``position``-th (1-based) section at ``depth`` (1 = top level)."""
    if depth == 1:
        return f"{roman(position)}."
    if depth == 2:
        return f"{position}."
    if depth == 3:
        return f"{letter(position)})"
    return "-"


def number_sections(sections: Sequence[Section], depth: int = 1) -> tuple[Section, ...]:
    """A copy of the tree with labels "I.", "1.", "a)" (and "-" below that) set from depth."""
    return tuple(
        dataclasses.replace(
            section,
            number_label=section_label(depth, position),
            children=number_sections(section.children, depth + 1),
        )
        for position, section in enumerate(sections, start=1)
    )
