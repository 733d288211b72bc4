"""PAdES signatures made with a token: baseline B-B, or B-T when a timestamp service is set.

A document is signed in turn: the head's personal signature first, then the organisation's
issuing signature when its certificate is on a token; each is an incremental update, so the
first stays intact under the second. The visible signature follows NĐ 30/2020 Phụ lục I: at
the signer's place, a box naming the signer, the organisation and the time.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop_app.core.errors import CoreError
from desktop_app.core.paths import resource
from desktop_app.core.signing.token import Token, translated_errors

if TYPE_CHECKING:
    from pyhanko.sign.timestamps import TimeStamper
    from pyhanko.stamp import TextStampStyle

Box = tuple[int, int, int, int]  # left, bottom, right, top in points
# Where the boxes go when the signer's name is not found: the last page, bottom right.
SIGNER_BOX: Box = (330, 90, 560, 150)
ORGANISATION_BOX: Box = (330, 20, 560, 80)
BOX_WIDTH, BOX_HEIGHT, GAP = 220, 56, 4
FONT = ("fonts", "LiberationSerif-Regular.ttf")


@dataclass(frozen=True)
class Place:
    """Where a visible signature goes: a page (0-based, -1 the last) and a box on it."""

    page: int
    box: Box


def signer_places(pdf: bytes, signer_name: str) -> tuple[Place, Place]:
    """The personal signature in the blank above the signer's printed name (NĐ 30 Phụ lục I),
    the organisation's just below it; the last page's bottom right if the name is not found."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError as error:
        raise CoreError("signing.not_a_pdf") from error
    try:
        found = _last_occurrence(document, signer_name) if signer_name else None
    finally:
        document.close()
    if found is None:
        return Place(-1, SIGNER_BOX), Place(-1, ORGANISATION_BOX)
    page, (left, bottom, right, top) = found
    middle = round((left + right) / 2)
    half = BOX_WIDTH // 2
    above = (middle - half, round(top) + GAP, middle + half, round(top) + GAP + BOX_HEIGHT)
    below = (middle - half, round(bottom) - GAP - BOX_HEIGHT, middle + half, round(bottom) - GAP)
    return Place(page, above), Place(page, below)


def _last_occurrence(document: Any, text: str) -> tuple[int, tuple[float, ...]] | None:
    for index in reversed(range(len(document))):
        textpage = document[index].get_textpage()
        match = textpage.search(text).get_next()
        if match:
            first, count = match
            start = textpage.get_charbox(first)
            end = textpage.get_charbox(first + count - 1)
            return index, (start[0], min(start[1], end[1]), end[2], max(start[3], end[3]))
    return None


@dataclass(frozen=True)
class Signing:
    """One signature to add: which certificate on which token, and what the box says."""

    token: Token
    cert_id: str
    field_name: str
    reason: str
    place: Place = Place(-1, SIGNER_BOX)
    seal: bytes | None = None  # the organisation's seal image (PNG), drawn behind the text


def sign_pdf(
    pdf: bytes,
    signings: Sequence[Signing],
    at: datetime,
    timestamper: TimeStamper | None = None,
) -> bytes:
    """``pdf`` with each signing added in order; B-T when a ``timestamper`` is given."""
    for signing in signings:
        pdf = _sign_once(pdf, signing, at, timestamper)
    return pdf


def _sign_once(
    pdf: bytes, signing: Signing, at: datetime, timestamper: TimeStamper | None
) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.sign import fields, signers

    signer = signing.token.signer(signing.cert_id)
    certificate = next(
        c for c in signing.token.certificates() if c.cert_id == signing.cert_id.lower()
    )
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    except (PdfReadError, ValueError) as error:
        raise CoreError("signing.not_a_pdf") from error
    meta = signers.PdfSignatureMetadata(
        field_name=signing.field_name,
        reason=signing.reason,
        name=certificate.subject,
        subfilter=fields.SigSeedSubFilter.PADES,
        use_pades_lta=False,
    )
    spec = fields.SigFieldSpec(
        signing.field_name, on_page=signing.place.page, box=signing.place.box
    )
    pdf_signer = signers.PdfSigner(
        meta,
        signer,
        timestamper=timestamper,
        stamp_style=_stamp_style(certificate.subject, certificate.organisation, at, signing.seal),
        new_field_spec=spec,
    )
    with translated_errors():
        signed: bytes = pdf_signer.sign_pdf(writer).getvalue()
    return signed


def _stamp_style(
    signer: str, organisation: str, at: datetime, seal: bytes | None = None
) -> TextStampStyle:
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory
    from pyhanko.pdf_utils.text import TextBoxStyle

    class ThousandUnitGlyphs(GlyphAccumulator):
        """pyHanko writes glyph widths in font units where PDF wants thousandths of an em: right
        for fonts of 1000 units per em, twice too wide for TrueType's usual 2048."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._to_thousandths = 1000 / self.units_per_em
            self.units_per_em = 1000
            self.hb_font.scale = (1000, 1000)

        def _get_cid_and_width(self, glyph_id: int) -> tuple[int, int]:
            if glyph_id not in self._glyphs:
                cid, width = super()._get_cid_and_width(glyph_id)
                self._glyphs[glyph_id] = (cid, round(width * self._to_thousandths))
            return self._glyphs[glyph_id]

    class InMemoryFont(GlyphAccumulatorFactory):
        """pyHanko's factory leaves the font file open; this one reads it into memory."""

        def create_font_engine(self, writer: Any, obj_stream: Any = None) -> GlyphAccumulator:
            return ThousandUnitGlyphs(
                writer=writer,
                font_handle=io.BytesIO(Path(self.font_file).read_bytes()),
                font_size=self.font_size,
                obj_stream=obj_stream,
            )

    from pyhanko.stamp import TextStampStyle

    lines = [f"Ký bởi: {signer}", f"Cơ quan: {organisation}", f"Thời gian: {at:%H:%M %d/%m/%Y}"]
    text = "\n".join(lines).replace("%", "%%")  # the stamp text is a %-format string
    style = TextStampStyle(
        stamp_text=text,
        text_box_style=TextBoxStyle(font=InMemoryFont(str(resource(*FONT))), font_size=9),
        border_width=0,  # a signature, not a form field: no frame around it
    )
    return style if seal is None else _with_seal(style, seal)


def _with_seal(style: TextStampStyle, seal: bytes) -> TextStampStyle:
    """The seal at the box's left, as tall as the box and fully opaque (its own transparency
    lets the text show), the text moved to the right: like a seal stamped over the start of
    the signature, the text still legible."""
    from dataclasses import replace

    from PIL import Image
    from pyhanko.pdf_utils.images import PdfImage
    from pyhanko.pdf_utils.layout import AxisAlignment, Margins, SimpleBoxLayoutRule

    image = Image.open(io.BytesIO(seal))
    image.load()
    return replace(
        style,
        background=PdfImage(image),
        background_opacity=1.0,
        background_layout=SimpleBoxLayoutRule(
            x_align=AxisAlignment.ALIGN_MIN,
            y_align=AxisAlignment.ALIGN_MID,
            margins=Margins(),  # none: the seal fills the box's height
        ),
        inner_content_layout=SimpleBoxLayoutRule(
            x_align=AxisAlignment.ALIGN_MAX, y_align=AxisAlignment.ALIGN_MID
        ),
    )
