"""PDF rendering of an ``OfficialDocument`` according to a profile (Party HD 36, state NĐ 30).

Page 1 carries the two-column header (issuing body and number on the left, tiêu đề or Quốc hiệu
and the place and date on the right), the type name and summary; then the numbered sections,
the closing block (Nơi nhận on the left, signature on the right) and each appendix table on new
pages, with its header rows repeated on every page it spans.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from reportlab.lib.enums import TA_RIGHT
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
)

from desktop_app.core.documents import formatting
from desktop_app.core.documents.layout import (
    LANDSCAPE,
    PORTRAIT,
    HRule,
    PageDecoration,
    Styles,
    build_pdf,
    column_widths,
    frame_width,
    restart_name,
    table_style,
)
from desktop_app.core.documents.model import (
    AppendixTable,
    Column,
    DocumentModelError,
    OfficialDocument,
    RowKind,
    Section,
    number_sections,
)
from desktop_app.core.documents.profiles import MM, Profile, load_profile

__all__ = ["appendix_table", "load_profile", "render_pdf"]

# Cells of the header table: no padding, so the blocks sit exactly on the text margins.
_BARE_CELLS = [
    ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ("TOPPADDING", (0, 0), (-1, -1), 0),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
]
_GRID_WIDTH = 0.5
_CELL_PADDING = 3  # points, left and right inside a grid cell


def render_pdf(doc: OfficialDocument, profile: Profile) -> bytes:
    """The document as PDF bytes, with subsets of the bundled fonts embedded."""
    if doc.profile_id and doc.profile_id != profile.id:
        raise DocumentModelError(
            "document.profile_mismatch", document=doc.profile_id, profile=profile.id
        )
    styles = Styles(profile)
    text = body(doc, styles)
    # The signature never stands alone on a page: the last paragraph goes with it.
    last = [text.pop()] if text else []
    story = [*first_page(doc, styles), *text, closing(doc, styles, last)]
    story += appendices(doc, styles)
    decoration = PageDecoration(
        page_number_from=profile.page_number_from,
        watermark=profile.patterns["draft_mark"] if doc.draft else "",
        created=doc.header.issued_on,
    )
    header = doc.header
    return build_pdf(
        styles,
        story,
        decoration,
        title=f"{header.type_name} {header.summary}".replace("\n", " ").strip(),
        author=header.issuing_body,
        subject=formatting.number_line(profile, header),
    )


# -- first page ---------------------------------------------------------------------------------


def first_page(doc: OfficialDocument, styles: Styles) -> list[Flowable]:
    header = doc.header
    flowables: list[Flowable] = [header_table(doc, styles)]
    flowables.append(styles.para(header.type_name, "type_name"))
    if header.summary:
        flowables.append(styles.para(header.summary, "summary"))
    rule = styles.summary_rule(header.summary, frame_width(styles.profile))
    if rule:
        flowables.append(HRule(rule, space_before=6))
    addressees = formatting.addressee_lines(styles.profile, doc.addressees)
    if addressees:
        style = styles.derived("body", "addressee", alignment=1, firstLineIndent=0)
        flowables += [Spacer(1, 8), styles.para("\n".join(addressees), "body", style)]
    flowables.append(Spacer(1, 10))
    return flowables


def header_table(doc: OfficialDocument, styles: Styles) -> Table:
    """The issuer's block and the tiêu đề (or Quốc hiệu) side by side, each set as one column so
    a long name never pushes the motto down; the number and the place and date share a row."""
    profile = styles.profile
    width = frame_width(profile)
    left_width = width * profile.header_left_ratio
    right_width = width - left_width
    gutter = profile.header_gutter_mm * MM
    header = doc.header
    rows: list[list[object]] = [
        [_issuer_block(doc, styles, left_width - gutter), _national_block(styles, right_width)],
        [
            styles.para(formatting.number_line(profile, header), "number"),
            styles.para(formatting.place_date_line(profile, header), "place_date"),
        ],
    ]
    table = Table(rows, colWidths=[left_width, right_width])
    # The gutter keeps a long name clear of the motto; the cell's text wraps before it.
    table.setStyle(table_style(styles, [*_BARE_CELLS, ("RIGHTPADDING", (0, 0), (0, -1), gutter)]))
    return table


def _issuer_block(doc: OfficialDocument, styles: Styles, width: float) -> list[Flowable]:
    header = doc.header
    block: list[Flowable] = []
    if header.superior_body:
        block.append(styles.para(header.superior_body, "superior_body"))
    issuer = formatting.unbroken_place(header.issuing_body, header.place)
    block.append(styles.para(issuer, "issuing_body"))
    if styles.profile.issuer_mark == "asterisk":
        block.append(styles.para("*", "issuer_mark"))
    else:
        longest = styles.longest_line(issuer, "issuing_body", width)
        block.append(HRule(longest * styles.profile.issuer_rule_ratio, space_after=4))
    return block


def _national_block(styles: Styles, width: float) -> list[Flowable]:
    lines = styles.profile.national_lines
    names = ["national_title", "national_motto"]
    block: list[Flowable] = [
        styles.para(line, names[min(index, 1)]) for index, line in enumerate(lines)
    ]
    last_style = names[min(len(lines) - 1, 1)]
    rule = min(styles.text_width(lines[-1], last_style), width)
    block.append(HRule(rule, space_after=4))
    return block


# -- body ---------------------------------------------------------------------------------------


def body(doc: OfficialDocument, styles: Styles) -> list[Flowable]:
    flowables: list[Flowable] = [styles.para(text, "body") for text in doc.intro]
    for section in number_sections(doc.sections):
        flowables += _section(section, 1, styles)
    flowables += [styles.para(text, "body") for text in doc.closing_text]
    return keep_headings_with_text(flowables)


def keep_headings_with_text(flowables: Sequence[Flowable], lines: int = 2) -> list[Flowable]:
    """Before each run of headings, a conditional page break asking for the headings and the
    first ``lines`` lines of the text after them: a heading never ends a page."""
    out: list[Flowable] = []
    index = 0
    while index < len(flowables):
        run = []
        while index < len(flowables) and _is_heading(flowables[index]):
            run.append(flowables[index])
            index += 1
        if run:
            following = flowables[index] if index < len(flowables) else None
            out.append(KeepWithText(run, following, lines))
            out += run
        if index < len(flowables):
            out.append(flowables[index])
            index += 1
    return out


def _is_heading(flowable: Flowable) -> bool:
    return isinstance(flowable, Paragraph) and flowable.style.name.startswith("heading_")


class KeepWithText(CondPageBreak):  # type: ignore[misc]  # reportlab is untyped
    """A page break unless the headings and ``lines`` lines of the next text fit here."""

    def __init__(self, headings: Sequence[Flowable], following: Flowable | None, lines: int):
        super().__init__(0)
        self.headings = list(headings)
        self.following = following
        self.lines = lines

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        needed = 0.0
        for heading in self.headings:
            needed += heading.wrap(availWidth, availHeight)[1] + heading.getSpaceAfter()
            needed += heading.getSpaceBefore()
        if self.following is not None:
            needed += self.following.getSpaceBefore() + self._first_part(availWidth, availHeight)
        self.height = needed
        return super().wrap(availWidth, availHeight)  # type: ignore[no-any-return]


    def _first_part(self, width: float, height: float) -> float:
        """The height of the text that must stand under the headings: ``lines`` lines, or the
        whole paragraph when it is too short to split without an orphan or a widow."""
        assert self.following is not None
        full = float(self.following.wrap(width, height)[1])
        leading = getattr(getattr(self.following, "style", None), "leading", 0) or full
        lines = round(full / leading)
        return full if lines < 2 * self.lines else self.lines * leading


# reportlab lays out the whole rest of a paragraph again at every page it splits across, so a
# paragraph of n characters costs n²: a 200,000-character narrative pasted without a line
# break took minutes. Past this length it is set as pieces that continue one another (no
# indent or spacing between them), each cut at a sentence's end or a space.
_PIECE = 2000


def _body(text: str, styles: Styles) -> list[Flowable]:
    if len(text) <= _PIECE:
        return [styles.para(text, "body")]
    pieces = _pieces(text)
    first = styles.derived("body", "piece_first", spaceAfter=0)
    middle = styles.derived("body", "piece_middle", firstLineIndent=0, spaceBefore=0, spaceAfter=0)
    last = styles.derived("body", "piece_last", firstLineIndent=0, spaceBefore=0)
    chosen = [first, *[middle] * (len(pieces) - 2), last]
    return [styles.para(piece, "body", style) for piece, style in zip(pieces, chosen, strict=True)]


def _pieces(text: str) -> list[str]:
    pieces, start = [], 0
    while len(text) - start > _PIECE:
        # At a sentence's end when there is one: the short line then reads as a pause.
        window = (start + _PIECE // 2, start + _PIECE)
        sentence_end = text.rfind(". ", *window)
        cut = sentence_end + 1 if sentence_end > 0 else text.rfind(" ", *window)
        end = cut + 1 if cut > 0 else start + _PIECE
        pieces.append(text[start:end].rstrip())
        start = end
    pieces.append(text[start:])
    return pieces


def _section(section: Section, depth: int, styles: Styles) -> list[Flowable]:
    heading = f"heading_{min(depth, 4)}"
    title = " ".join(part for part in (section.number_label, section.title) if part)
    flowables: list[Flowable] = []
    if title:
        flowables.append(styles.para(title, heading))
    for text in section.paragraphs:
        flowables += _body(text, styles)
    if section.tables_ref:
        reference = formatting.appendix_reference(styles.profile, section.tables_ref)
        flowables.append(styles.para(reference, "appendix_ref"))
    for child in section.children:
        flowables += _section(child, depth + 1, styles)
    return flowables


# -- closing: Nơi nhận and signature ------------------------------------------------------------


def closing(doc: OfficialDocument, styles: Styles, last: Sequence[Flowable] = ()) -> Flowable:
    """Nơi nhận and the signature, kept on one page with ``last`` (the text's last paragraph)."""
    width = frame_width(styles.profile)
    left_width = width * 0.45
    recipients = _recipients_block(doc, styles)
    signature = signature_block(doc, styles)
    table = Table([[recipients, signature]], colWidths=[left_width, width - left_width])
    table.setStyle(table_style(styles, _BARE_CELLS))
    return KeepTogether([*last, Spacer(1, 6), table])


def _recipients_block(doc: OfficialDocument, styles: Styles) -> list[Flowable]:
    lines = formatting.recipient_lines(
        styles.profile, doc.recipients, doc.archive_line, doc.addressees
    )
    if not lines:
        return []
    label = styles.profile.patterns["recipients_label"]
    place = doc.header.place
    return [styles.para(label, "recipients_label")] + [
        styles.para(formatting.unbroken_place(line, place), "recipients_item") for line in lines
    ]


def signature_block(doc: OfficialDocument, styles: Styles) -> list[Flowable]:
    signature = doc.signature
    block: list[Flowable] = []
    if signature.authority:
        block.append(styles.para(signature.authority, "signature_authority"))
    if signature.title:
        block.append(styles.para(signature.title, "signature_title"))
    gap = styles.profile.signature_gap_mm * MM
    if signature.signed_note:
        note = styles.para(signature.signed_note, "signature_note")
        half = max(gap - styles.leading("signature_note"), 0) / 2
        block += [Spacer(1, half), note, Spacer(1, half)]
    else:
        block.append(Spacer(1, gap))
    if signature.name:
        block.append(styles.para(signature.name, "signature_name"))
    return block


# -- appendices ---------------------------------------------------------------------------------


def appendices(doc: OfficialDocument, styles: Styles) -> list[Flowable]:
    flowables: list[Flowable] = []
    for number, table in enumerate(doc.appendices, start=1):
        orientation = LANDSCAPE if table.landscape else PORTRAIT
        first_page = restart_name(orientation) if styles.profile.appendix_own_pages else orientation
        flowables += [NextPageTemplate(first_page), PageBreak()]
        flowables += appendix_heading(doc, table, number, styles)
        flowables.append(appendix_table(table, styles, frame_width(styles.profile, orientation)))
        flowables += _notes(table.notes, styles)
    return flowables


def appendix_heading(
    doc: OfficialDocument, table: AppendixTable, number: int, styles: Styles
) -> list[Flowable]:
    profile = styles.profile
    heading = [styles.para(formatting.appendix_label(profile, number), "appendix_label")]
    if table.form_label:  # the form's own name, at the top right as a form carries its number
        form = styles.derived("appendix_caption", "form_label", alignment=TA_RIGHT, spaceAfter=0)
        heading.insert(0, styles.para(table.form_label, "appendix_caption", form))
    if table.title:
        heading.append(styles.para(table.title, "appendix_title"))
    if table.subtitle:
        heading.append(styles.para(table.subtitle, "appendix_subtitle"))
    heading.append(
        styles.para(formatting.appendix_caption(profile, doc.header), "appendix_caption")
    )
    return heading


def appendix_table(table: AppendixTable, styles: Styles, width: float) -> Table:
    """The grid: header row(s) repeated on every page, wrapping cells, bold group/total rows."""
    header_rows = [[styles.para(column.label, "table_header") for column in table.columns]]
    if table.numbered_columns:
        numbers_style = styles.derived("table_header", "numbers", fontName=styles.fonts.italic)
        header_rows.append(
            [Paragraph(f"({index})", numbers_style) for index in range(1, len(table.columns) + 1)]
        )
    body_rows = [
        [_cell(text, column, kind, styles) for text, column in zip(row, table.columns, strict=True)]
        for row, kind in zip(table.rows, table.row_kinds, strict=True)
    ]
    widths = column_widths(styles, table, width, padding=2 * _CELL_PADDING)
    grid = Table(
        header_rows + body_rows,
        colWidths=widths,
        repeatRows=len(header_rows),
        splitInRow=1,  # a very long cell may continue on the next page instead of failing
    )
    grid.setStyle(table_style(styles, _grid_commands(len(header_rows))))
    return grid


def _cell(text: str, column: Column, kind: RowKind, styles: Styles) -> Paragraph:
    name = {
        RowKind.NORMAL: "table_cell",
        RowKind.GROUP: "table_group",
        RowKind.TOTAL: "table_total",
    }[kind]
    align = {"left": 0, "center": 1, "right": 2}[column.align.value]
    return styles.para(text, name, styles.derived(name, column.align.value, alignment=align))


def _grid_commands(header_rows: int) -> list[tuple[object, ...]]:
    return [
        ("GRID", (0, 0), (-1, -1), _GRID_WIDTH, (0, 0, 0)),
        ("VALIGN", (0, 0), (-1, header_rows - 1), "MIDDLE"),
        ("VALIGN", (0, header_rows), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), _CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), _CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]


def _notes(notes: Sequence[str], styles: Styles) -> Iterable[Flowable]:
    if not notes:
        return []
    label = styles.profile.patterns["notes_label"]
    return [styles.para(f"{label} {notes[0]}", "table_note")] + [
        styles.para(note, "table_note") for note in notes[1:]
    ]
