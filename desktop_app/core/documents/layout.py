"""reportlab building blocks shared by the official document and the extra pages.

Styles come from a profile, paragraphs are always built from escaped plain text (user text can
never inject reportlab markup), and the page template draws page numbers from the profile's
first numbered page and an optional draft watermark.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

import qrcode
import qrcode.constants
from reportlab.lib.colors import Color
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, TableStyle
from reportlab.platypus.doctemplate import BaseDocTemplate, PageTemplate
from reportlab.platypus.frames import Frame

from desktop_app.core.documents.fonts import FontNames, register_fonts
from desktop_app.core.documents.model import AppendixTable, RowKind
from desktop_app.core.documents.profiles import MM, Profile, TextStyle

PORTRAIT = "portrait"
LANDSCAPE = "landscape"


def restart_name(orientation: str) -> str:
    """The page template that starts numbering again at 1 (NĐ 30 appendices)."""
    return f"{orientation}-restart"

RULE_WIDTH = 0.6  # points; a thin solid rule as under the tiêu đề
WATERMARK_GREY = Color(0.82, 0.82, 0.82)

_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}


class Styles:
    """ParagraphStyles for one profile, plus what is needed to measure text widths."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self.fonts: FontNames = register_fonts(profile.fonts)
        self._cache: dict[str, ParagraphStyle] = {}

    def spec(self, name: str) -> TextStyle:
        return self.profile.style(name)

    def font_of(self, name: str) -> str:
        spec = self.spec(name)
        return self.fonts.pick(bold=spec.bold, italic=spec.italic)

    def leading(self, name: str) -> float:
        return self.spec(name).size * self.profile.line_spacing

    def get(self, name: str) -> ParagraphStyle:
        if name not in self._cache:
            spec = self.spec(name)
            self._cache[name] = ParagraphStyle(
                name,
                fontName=self.font_of(name),
                fontSize=spec.size,
                leading=self.leading(name),
                alignment=_ALIGN[spec.align],
                firstLineIndent=spec.first_indent_mm * MM,
                spaceBefore=spec.space_before,
                spaceAfter=spec.space_after,
                # Only a "word" wider than the line (a URL, a key) is cut, so it stays inside.
                splitLongWords=True,
                allowWidows=0,
                allowOrphans=0,
            )
        return self._cache[name]

    def derived(self, name: str, key: str, **changes: object) -> ParagraphStyle:
        """A variant of a profile style (e.g. a table cell aligned right)."""
        cache_key = f"{name}:{key}"
        if cache_key not in self._cache:
            self._cache[cache_key] = ParagraphStyle(cache_key, parent=self.get(name), **changes)
        return self._cache[cache_key]

    def text_width(self, text: str, name: str) -> float:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        return float(stringWidth(shown_text(text, self.spec(name)), self.font_of(name),
                                 self.spec(name).size))

    def longest_line(self, text: str, name: str, width: float) -> float:
        """The width of the longest line ``text`` wraps into (at ordinary spaces only, as the
        paragraph does: a no-break space holds a place name together)."""
        longest = line = 0.0
        space = self.text_width(" ", name)
        for paragraph in text.split("\n"):
            line = -space
            for word in paragraph.split(" "):
                word_width = self.text_width(word, name)
                if line > 0 and line + space + word_width > width:
                    longest, line = max(longest, line), word_width
                else:
                    line += space + word_width
            longest = max(longest, line)
        return min(longest, width)

    def summary_rule(self, summary: str, width: float) -> float:
        """The rule under the trích yếu: a share of its longest line (NĐ 30: 1/3 to 1/2) when
        the profile gives one, else a fixed length."""
        ratio = self.profile.summary_rule_ratio
        if ratio and summary:
            return ratio * self.longest_line(summary, "summary", width)
        return self.profile.summary_rule_mm * MM

    def para(self, text: str, name: str, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(markup(text, self.spec(name)), style or self.get(name))


def column_widths(
    styles: Styles, table: AppendixTable, width: float, padding: float
) -> list[float]:
    """Widths in proportion to the columns' weights, widened where a word would not fit (a cell
    breaks only at spaces: "chiếc/người", "STT" stay whole), the room taken from the columns
    with the most to spare. ``padding`` is a cell's left plus right inner margin."""
    total_weight = sum(column.weight for column in table.columns)
    widths = [width * column.weight / total_weight for column in table.columns]
    least = [
        padding + max(
            (styles.text_width(word, name) for text, name in cells for word in text.split()),
            default=0.0,
        )
        for cells in _column_texts(table)
    ]
    if sum(least) > width:
        return widths  # nothing fits every word; keep the designed proportions
    while True:
        short = [i for i, (w, m) in enumerate(zip(widths, least, strict=True)) if w < m - 0.01]
        if not short:
            return widths
        needed = sum(least[i] - widths[i] for i in short)
        for i in short:
            widths[i] = least[i]
        spare = {i: widths[i] - least[i] for i in range(len(widths)) if i not in short}
        room = sum(spare.values())
        for i, slack in spare.items():
            widths[i] -= needed * slack / room


def _column_texts(table: AppendixTable) -> list[list[tuple[str, str]]]:
    kinds = {RowKind.NORMAL: "table_cell", RowKind.GROUP: "table_group",
             RowKind.TOTAL: "table_total"}
    columns: list[list[tuple[str, str]]] = [
        [(column.label, "table_header")] for column in table.columns
    ]
    for row, kind in zip(table.rows, table.row_kinds, strict=True):
        for index, text in enumerate(row):
            columns[index].append((text, kinds[kind]))
    return columns


def table_style(styles: Styles, commands: Sequence[tuple[object, ...]]) -> TableStyle:
    """A TableStyle whose cell font is ours: reportlab's default would embed no-font Helvetica."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), styles.fonts.regular), *commands])


def shown_text(text: str, spec: TextStyle) -> str:
    return text.upper() if spec.upper else text


def markup(text: str, spec: TextStyle) -> str:
    """Escaped reportlab markup for plain ``text``; line breaks kept, style flags applied."""
    lines = [escape(line) for line in shown_text(text, spec).split("\n")]
    body = "<br/>".join(lines)
    return f"<u>{body}</u>" if spec.underline else body


class HRule(Flowable):  # type: ignore[misc]  # reportlab is untyped
    """A solid horizontal rule of a fixed width, centred in the space it is given."""

    def __init__(self, width: float, space_before: float = 3.5, space_after: float = 1.5) -> None:
        super().__init__()
        self.rule_width = width
        self.gap_before = space_before
        self.gap_after = space_after
        self.avail = width

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.avail = availWidth
        return availWidth, self.gap_before + RULE_WIDTH + self.gap_after

    def draw(self) -> None:
        width = min(self.rule_width, self.avail)
        x = (self.avail - width) / 2
        y = self.gap_after + RULE_WIDTH / 2
        self.canv.setLineWidth(RULE_WIDTH)
        self.canv.line(x, y, x + width, y)


class WritingLines(Flowable):  # type: ignore[misc]
    """Ruled lines for handwriting on a blank form."""

    def __init__(self, count: int, spacing: float) -> None:
        super().__init__()
        self.count = count
        self.spacing = spacing
        self.avail = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.avail = availWidth
        return availWidth, self.count * self.spacing

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        fits = int(availHeight // self.spacing)
        if fits <= 0 or fits >= self.count:
            return []
        return [WritingLines(fits, self.spacing), WritingLines(self.count - fits, self.spacing)]

    def draw(self) -> None:
        self.canv.setLineWidth(0.4)
        self.canv.setDash(1, 2)
        for index in range(self.count):
            y = index * self.spacing + 1
            self.canv.line(0, y, self.avail, y)


class QrCode(Flowable):  # type: ignore[misc]
    """A QR code drawn as filled squares (no bitmap, no reportlab graphics fonts)."""

    def __init__(self, payload: str, side: float) -> None:
        super().__init__()
        code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
        code.add_data(payload.encode("utf-8"))
        code.make(fit=True)
        self.matrix: list[list[bool]] = code.get_matrix()
        self.side = side

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.side, self.side

    def draw(self) -> None:
        cell = self.side / len(self.matrix)
        self.canv.setFillColor(Color(0, 0, 0))
        for row_index, row in enumerate(self.matrix):
            y = self.side - (row_index + 1) * cell
            for column_index, dark in enumerate(row):
                if dark:
                    self.canv.rect(column_index * cell, y, cell, cell, stroke=0, fill=1)


@dataclass(frozen=True)
class PageDecoration:
    page_number_from: int | None  # None: no page numbers at all
    watermark: str = ""
    created: date | None = None  # the document's date as the PDF's creation date


# Vietnam's time zone: a document dated "ngày 05 tháng 02" was made on that day there.
_VIETNAM_OFFSET = "+07'00'"


class OfficialDocTemplate(BaseDocTemplate):  # type: ignore[misc]
    """Portrait and landscape page templates with the profile's margins and page numbers."""

    def __init__(
        self, buffer: io.BytesIO, styles: Styles, decoration: PageDecoration,
        orientation: str = PORTRAIT, **info: str,
    ) -> None:
        profile = styles.profile
        margins = profile.margins
        super().__init__(
            buffer,
            pagesize=profile.page_size,
            leftMargin=margins.left_mm * MM,
            rightMargin=margins.right_mm * MM,
            topMargin=margins.top_mm * MM,
            bottomMargin=margins.bottom_mm * MM,
            initialFontName=styles.fonts.regular,
            invariant=1,
            lang="vi-VN",
            creator="Báo cáo",
            **info,
        )
        self.styles = styles
        self.decoration = decoration
        self.numbering_starts = 1  # the physical page shown as page 1
        width, height = profile.page_size
        templates = [
            self._template(PORTRAIT, width, height),
            self._template(LANDSCAPE, height, width),
            self._template(PORTRAIT, width, height, restart=True),
            self._template(LANDSCAPE, height, width, restart=True),
        ]
        # reportlab starts on the first template in the list.
        if orientation == LANDSCAPE:
            templates.reverse()
        self.addPageTemplates(templates)

    def _template(
        self, name: str, width: float, height: float, *, restart: bool = False
    ) -> PageTemplate:
        """A page template; with ``restart`` (named ``restart_name(name)``) its page is page 1
        and the pages after it use the plain template (an appendix numbered on its own)."""
        frame = Frame(
            self.leftMargin, self.bottomMargin,
            width - self.leftMargin - self.rightMargin, height - self.topMargin - self.bottomMargin,
            leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id=f"{name}-frame",
        )
        if restart:
            return PageTemplate(id=restart_name(name), frames=[frame], onPage=self._restart,
                                pagesize=(width, height), autoNextPageTemplate=name)
        return PageTemplate(id=name, frames=[frame], onPage=self._decorate,
                            pagesize=(width, height))

    def _restart(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        self.numbering_starts = canvas.getPageNumber()
        self._decorate(canvas, doc)

    def _decorate(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        created = self.decoration.created
        if created is not None:
            # Deterministic yet true: the document's own date, not reportlab's 2000-01-01.
            stamp = f"D:{created:%Y%m%d}000000{_VIETNAM_OFFSET}"
            canvas.setDateFormatter(lambda *_: stamp)
        if self.decoration.watermark:
            self._draw_watermark(canvas)
        first = self.decoration.page_number_from
        shown = canvas.getPageNumber() - self.numbering_starts + 1
        if first is not None and shown >= first:
            self._draw_page_number(canvas, shown)

    def _draw_page_number(self, canvas: Canvas, shown: int) -> None:
        styles = self.styles
        spec = styles.spec("page_number")
        width, height = canvas._pagesize
        centre = self.leftMargin + (width - self.leftMargin - self.rightMargin) / 2
        baseline = height - styles.profile.page_number_top_mm * MM - spec.size * 0.8
        canvas.setFont(styles.font_of("page_number"), spec.size)
        canvas.drawCentredString(centre, baseline, str(shown))

    def _draw_watermark(self, canvas: Canvas) -> None:
        width, height = canvas._pagesize
        canvas.saveState()
        canvas.setFillColor(WATERMARK_GREY)
        canvas.setFont(self.styles.fonts.bold, 80)
        canvas.translate(width / 2, height / 2)
        canvas.rotate(45)
        canvas.drawCentredString(0, -28, self.decoration.watermark)
        canvas.restoreState()


def build_pdf(
    styles: Styles, story: Sequence[Flowable], decoration: PageDecoration,
    orientation: str = PORTRAIT, **info: str,
) -> bytes:
    buffer = io.BytesIO()
    template = OfficialDocTemplate(buffer, styles, decoration, orientation, **info)
    template.build(list(story))
    return buffer.getvalue()


def frame_width(profile: Profile, orientation: str = PORTRAIT) -> float:
    width, height = profile.page_size
    page_width = height if orientation == LANDSCAPE else width
    return float(page_width - (profile.margins.left_mm + profile.margins.right_mm) * MM)
