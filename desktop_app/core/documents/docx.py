"""Word (.docx) rendering of an ``OfficialDocument``, for offices that edit the text further.

The layout follows the PDF: a borderless two-column header table, the type name and summary,
numbered sections, a borderless closing table (Nơi nhận / signature) and each appendix in its own
section with a grid whose header rows repeat on every page. Fonts are named "Times New Roman"
(the font the rules illustrate; LibreOffice substitutes Liberation Serif), with the East-Asian and
complex-script slots set too, so Word never falls back to another face for Vietnamese letters.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import replace

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section as DocxSection
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from desktop_app.core.documents import formatting
from desktop_app.core.documents.layout import Styles, column_widths, shown_text
from desktop_app.core.documents.model import (
    AppendixTable,
    DocumentModelError,
    OfficialDocument,
    RowKind,
    Section,
    number_sections,
)
from desktop_app.core.documents.profiles import MM, Profile, TextStyle

__all__ = ["DOCX_FONT", "render_docx"]

DOCX_FONT = "Times New Roman"
_WORD_CELL_MARGIN = 5.4  # points: Word's default left and right cell margin (0.08 inch)
_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}
Container = Document | _Cell


def render_docx(doc: OfficialDocument, profile: Profile) -> bytes:
    if doc.profile_id and doc.profile_id != profile.id:
        raise DocumentModelError(
            "document.profile_mismatch", document=doc.profile_id, profile=profile.id
        )
    styles = Styles(profile)  # only used to measure text (Liberation = Times metrics)
    word = docx.Document()
    _set_defaults(word, profile)
    first = word.sections[0]
    _page_setup(first, profile, landscape=False)
    _page_numbers(first, profile, draft=doc.draft)
    _header_table(word, doc, styles)
    _title(word, doc, styles)
    for text in doc.intro:
        _paragraph(word, text, styles.spec("body"), profile)
    for section in number_sections(doc.sections):
        _section(word, section, 1, styles)
    for text in doc.closing_text:
        _paragraph(word, text, styles.spec("body"), profile)
    if word.paragraphs:
        # The last paragraph stays with the signature table that follows it.
        last = word.paragraphs[-1].paragraph_format
        last.keep_with_next = True
        last.keep_together = True
    _closing(word, doc, styles)
    for number, table in enumerate(doc.appendices, start=1):
        _appendix(word, doc, table, number, styles)
    _core_properties(word, doc, profile)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


# -- document set-up ----------------------------------------------------------------------------


def _set_defaults(word: Document, profile: Profile) -> None:
    normal = word.styles["Normal"]
    body = profile.style("body")
    normal.font.name = DOCX_FONT
    normal.font.size = Pt(body.size)
    rpr = normal.element.get_or_add_rPr()
    _all_font_slots(rpr)
    language = OxmlElement("w:lang")
    for slot in ("w:val", "w:eastAsia", "w:bidi"):
        language.set(qn(slot), "vi-VN")
    rpr.append(language)


def _all_font_slots(rpr: object) -> None:
    fonts = rpr.get_or_add_rFonts()  # type: ignore[attr-defined]
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), DOCX_FONT)


def _page_setup(section: DocxSection, profile: Profile, *, landscape: bool) -> None:
    width, height = Mm(profile.page_width_mm), Mm(profile.page_height_mm)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    margins = profile.margins
    section.top_margin = Mm(margins.top_mm)
    section.bottom_margin = Mm(margins.bottom_mm)
    section.left_margin = Mm(margins.left_mm)
    section.right_margin = Mm(margins.right_mm)
    section.header_distance = Mm(profile.page_number_top_mm)


def _page_numbers(section: DocxSection, profile: Profile, *, draft: bool) -> None:
    """A PAGE field centred in the header of every page but the first (a title-page header)."""
    section.different_first_page_header_footer = profile.page_number_from > 1
    spec = profile.style("page_number")
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(paragraph, "PAGE", spec)
    if draft:
        for header in (section.header, section.first_page_header):
            mark = header.add_paragraph()
            mark.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _run(mark, profile.patterns["draft_mark"], spec, bold=True)


def _restart_page_numbers(section: DocxSection) -> None:
    numbering = OxmlElement("w:pgNumType")
    numbering.set(qn("w:start"), "1")
    section._sectPr.append(numbering)


def _field(paragraph: Paragraph, instruction: str, spec: TextStyle) -> None:
    run = _run(paragraph, "", spec)
    begin, code, end = OxmlElement("w:fldChar"), OxmlElement("w:instrText"), OxmlElement(
        "w:fldChar"
    )
    begin.set(qn("w:fldCharType"), "begin")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, code, end):
        run._r.append(element)


def _core_properties(word: Document, doc: OfficialDocument, profile: Profile) -> None:
    properties = word.core_properties
    properties.title = f"{doc.header.type_name} {doc.header.summary}".replace("\n", " ").strip()
    properties.author = doc.header.issuing_body
    properties.subject = formatting.number_line(profile, doc.header)
    properties.language = "vi-VN"


# -- paragraphs and runs ------------------------------------------------------------------------


def _run(paragraph: Paragraph, text: str, spec: TextStyle, *, bold: bool | None = None) -> Run:
    run = paragraph.add_run(text)
    run.font.name = DOCX_FONT
    run.font.size = Pt(spec.size)
    run.font.bold = spec.bold if bold is None else bold
    run.font.italic = spec.italic
    run.font.underline = spec.underline
    rpr = run._r.get_or_add_rPr()
    _all_font_slots(rpr)
    complex_size = OxmlElement("w:szCs")
    complex_size.set(qn("w:val"), str(int(spec.size * 2)))
    rpr.append(complex_size)
    return run


def _paragraph(
    container: Container, text: str, spec: TextStyle, profile: Profile,
    paragraph: Paragraph | None = None,
) -> Paragraph:
    paragraph = paragraph if paragraph is not None else container.add_paragraph()
    _format(paragraph, spec, profile)
    for index, line in enumerate(shown_text(text, spec).split("\n")):
        run = _run(paragraph, line, spec)
        if index:
            run._r.addprevious(OxmlElement("w:br"))
    return paragraph


def _format(paragraph: Paragraph, spec: TextStyle, profile: Profile) -> None:
    layout = paragraph.paragraph_format
    layout.alignment = _ALIGN[spec.align]
    layout.first_line_indent = Mm(spec.first_indent_mm) if spec.first_indent_mm else None
    layout.space_before = Pt(spec.space_before)
    layout.space_after = Pt(spec.space_after)
    layout.line_spacing = profile.line_spacing
    layout.widow_control = True


def _rule(container: Container, width_pt: float, available_pt: float,
          paragraph: Paragraph | None = None) -> Paragraph:
    """An empty paragraph whose bottom border, indented from both sides, is ``width_pt`` long."""
    paragraph = paragraph if paragraph is not None else container.add_paragraph()
    side = max(available_pt - width_pt, 0) / 2
    layout = paragraph.paragraph_format
    layout.left_indent = Pt(side)
    layout.right_indent = Pt(side)
    layout.space_before = Pt(0)
    layout.space_after = Pt(4)
    layout.line_spacing = Pt(3)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)
    return paragraph


# -- tables -------------------------------------------------------------------------------------


def _borderless(table: Table, widths_pt: Sequence[float]) -> None:
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    properties.append(borders)
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), "0")
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    properties.append(margins)
    _widths(table, widths_pt)


def _widths(table: Table, widths_pt: Sequence[float]) -> None:
    # Word reads the cell widths, LibreOffice the grid columns: set both, in twips.
    for column, width in zip(table._tbl.tblGrid.gridCol_lst, widths_pt, strict=True):
        column.w = Pt(width)
    table_width = OxmlElement("w:tblW")
    table_width.set(qn("w:w"), str(round(sum(widths_pt) * 20)))
    table_width.set(qn("w:type"), "dxa")
    properties = table._tbl.tblPr
    for old in properties.findall(qn("w:tblW")):
        properties.remove(old)
    properties.append(table_width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_pt, strict=True):
            cell.width = Pt(width)


def _text_width(profile: Profile) -> float:
    return (profile.page_width_mm - profile.margins.left_mm - profile.margins.right_mm) * MM


def _header_table(word: Document, doc: OfficialDocument, styles: Styles) -> None:
    """Two rows as in the PDF: the two blocks, then the number beside the place and date, so
    those two always share a line however the names wrap."""
    profile, header = styles.profile, doc.header
    width = _text_width(profile)
    widths = (width * profile.header_left_ratio, width * (1 - profile.header_left_ratio))
    table = word.add_table(rows=2, cols=2)
    _borderless(table, widths)
    left, right = table.rows[0].cells
    _gutter(left, profile.header_gutter_mm * MM)
    first_left: Paragraph | None = left.paragraphs[0]
    if header.superior_body:
        _paragraph(left, header.superior_body, styles.spec("superior_body"), profile, first_left)
        first_left = None
    issuer = formatting.unbroken_place(header.issuing_body, header.place)
    _paragraph(left, issuer, styles.spec("issuing_body"), profile, first_left)
    if profile.issuer_mark == "asterisk":
        _paragraph(left, "*", styles.spec("issuer_mark"), profile)
    else:
        usable = widths[0] - profile.header_gutter_mm * MM
        longest = styles.longest_line(issuer, "issuing_body", usable)
        _rule(left, longest * profile.issuer_rule_ratio, usable)
    _national_lines(right, styles, widths[1])
    number, place_date = table.rows[1].cells
    _gutter(number, profile.header_gutter_mm * MM)
    _paragraph(number, formatting.number_line(profile, header), styles.spec("number"), profile,
               number.paragraphs[0])
    _paragraph(place_date, formatting.place_date_line(profile, header),
               styles.spec("place_date"), profile, place_date.paragraphs[0])


def _gutter(cell: _Cell, width_pt: float) -> None:
    """Right cell margin: the issuer's name wraps before it reaches the right column."""
    margins = OxmlElement("w:tcMar")
    right = OxmlElement("w:right")
    right.set(qn("w:w"), str(round(width_pt * 20)))
    right.set(qn("w:type"), "dxa")
    margins.append(right)
    cell._tc.get_or_add_tcPr().append(margins)


def _national_lines(cell: _Cell, styles: Styles, width: float) -> None:
    lines = styles.profile.national_lines
    names = ["national_title", "national_motto"]
    for index, line in enumerate(lines):
        target = cell.paragraphs[0] if index == 0 else None
        _paragraph(cell, line, styles.spec(names[min(index, 1)]), styles.profile, target)
    last_style = names[min(len(lines) - 1, 1)]
    _rule(cell, min(styles.text_width(lines[-1], last_style), width), width)


def _title(word: Document, doc: OfficialDocument, styles: Styles) -> None:
    profile = styles.profile
    _paragraph(word, doc.header.type_name, styles.spec("type_name"), profile)
    if doc.header.summary:
        _paragraph(word, doc.header.summary, styles.spec("summary"), profile)
    rule = styles.summary_rule(doc.header.summary, _text_width(profile))
    if rule:
        _rule(word, rule, _text_width(profile))
    addressees = formatting.addressee_lines(profile, doc.addressees)
    if addressees:
        body = styles.spec("body")
        _paragraph(word, "\n".join(addressees), TextStyle(size=body.size, align="center",
                                                          space_before=8), profile)


def _section(word: Document, section: Section, depth: int, styles: Styles) -> None:
    profile = styles.profile
    title = " ".join(part for part in (section.number_label, section.title) if part)
    if title:
        heading = _paragraph(word, title, styles.spec(f"heading_{min(depth, 4)}"), profile)
        heading.paragraph_format.keep_with_next = True
    for text in section.paragraphs:
        _paragraph(word, text, styles.spec("body"), profile)
    if section.tables_ref:
        reference = formatting.appendix_reference(profile, section.tables_ref)
        _paragraph(word, reference, styles.spec("appendix_ref"), profile)
    for child in section.children:
        _section(word, child, depth + 1, styles)


def _closing(word: Document, doc: OfficialDocument, styles: Styles) -> None:
    profile = styles.profile
    width = _text_width(profile)
    table = word.add_table(rows=1, cols=2)
    _borderless(table, (width * 0.45, width * 0.55))
    left, right = table.rows[0].cells
    lines = formatting.recipient_lines(
        styles.profile, doc.recipients, doc.archive_line, doc.addressees
    )
    if lines:
        _paragraph(left, profile.patterns["recipients_label"], styles.spec("recipients_label"),
                   profile, left.paragraphs[0])
        for line in lines:
            _paragraph(left, line, styles.spec("recipients_item"), profile)
    _signature(right, doc, styles)


def _signature(cell: _Cell, doc: OfficialDocument, styles: Styles) -> None:
    profile, signature = styles.profile, doc.signature
    target: Paragraph | None = cell.paragraphs[0]
    for text, name in ((signature.authority, "signature_authority"),
                       (signature.title, "signature_title")):
        if text:
            _paragraph(cell, text, styles.spec(name), profile, target)
            target = None
    gap = _paragraph(cell, signature.signed_note, styles.spec("signature_note"), profile, target)
    # The gap left for the handwritten signature and the seal.
    half = max(profile.signature_gap_mm * MM - styles.leading("signature_note"), 0) / 2
    gap.paragraph_format.space_before = Pt(half)
    gap.paragraph_format.space_after = Pt(half)
    if signature.name:
        _paragraph(cell, signature.name, styles.spec("signature_name"), profile)


def _appendix(
    word: Document, doc: OfficialDocument, table: AppendixTable, number: int, styles: Styles
) -> None:
    profile = styles.profile
    section = word.add_section(WD_SECTION.NEW_PAGE)
    _page_setup(section, profile, landscape=table.landscape)
    if profile.appendix_own_pages:
        # NĐ 30: each appendix numbers its own pages, its first page unnumbered like page 1.
        _restart_page_numbers(section)
        section.different_first_page_header_footer = profile.page_number_from > 1
    else:
        section.different_first_page_header_footer = False
    if table.form_label:  # the form's own name, at the top right as a form carries its number
        form = replace(styles.spec("appendix_caption"), align="right", space_after=0)
        _paragraph(word, table.form_label, form, profile)
    for text, name in (
        (formatting.appendix_label(profile, number), "appendix_label"),
        (table.title, "appendix_title"),
        (table.subtitle, "appendix_subtitle"),
        (formatting.appendix_caption(profile, doc.header), "appendix_caption"),
    ):
        if text:
            _paragraph(word, text, styles.spec(name), profile)
    width = (profile.page_height_mm if table.landscape else profile.page_width_mm) * MM - (
        profile.margins.left_mm + profile.margins.right_mm
    ) * MM
    _grid(word, table, styles, width)
    for index, note in enumerate(table.notes):
        text = f"{profile.patterns['notes_label']} {note}" if index == 0 else note
        _paragraph(word, text, styles.spec("table_note"), profile)


def _grid(word: Document, table: AppendixTable, styles: Styles, width: float) -> None:
    profile = styles.profile
    header_rows = 2 if table.numbered_columns else 1
    grid = word.add_table(rows=header_rows + len(table.rows), cols=len(table.columns))
    grid.style = word.styles["Table Grid"]
    grid.autofit = False
    _widths(grid, column_widths(styles, table, width, padding=2 * _WORD_CELL_MARGIN))
    for row_index in range(header_rows):
        _repeat_as_header(grid, row_index)
    for row_index in range(len(grid.rows)):
        _row_flag(grid, row_index, "w:cantSplit")  # a row never breaks across two pages
    header_spec = styles.spec("table_header")
    for cell, column in zip(grid.rows[0].cells, table.columns, strict=True):
        _paragraph(cell, column.label, header_spec, profile, cell.paragraphs[0])
    if table.numbered_columns:
        numbers = TextStyle(size=header_spec.size, italic=True, align="center")
        for index, cell in enumerate(grid.rows[1].cells, start=1):
            _paragraph(cell, f"({index})", numbers, profile, cell.paragraphs[0])
    kinds = {RowKind.NORMAL: "table_cell", RowKind.GROUP: "table_group",
             RowKind.TOTAL: "table_total"}
    for row, kind, word_row in zip(table.rows, table.row_kinds, grid.rows[header_rows:],
                                   strict=True):
        base = styles.spec(kinds[kind])
        for text, column, cell in zip(row, table.columns, word_row.cells, strict=True):
            spec = TextStyle(size=base.size, bold=base.bold, italic=base.italic,
                             align=column.align.value)
            _paragraph(cell, text, spec, profile, cell.paragraphs[0])


def _repeat_as_header(grid: Table, row_index: int) -> None:
    _row_flag(grid, row_index, "w:tblHeader")


def _row_flag(grid: Table, row_index: int, flag: str) -> None:
    properties = grid.rows[row_index]._tr.get_or_add_trPr()
    element = OxmlElement(flag)
    element.set(qn("w:val"), "true")
    properties.append(element)
