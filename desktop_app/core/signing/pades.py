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

# Where the box sits on the last page (points from the bottom left of an A4 page): the
# signer's block of the profile, right half, above the bottom margin.
SIGNER_BOX = (330, 90, 560, 160)
ORGANISATION_BOX = (330, 20, 560, 85)
FONT = ("fonts", "LiberationSerif-Regular.ttf")


@dataclass(frozen=True)
class Signing:
    """One signature to add: which certificate on which token, and what the box says."""

    token: Token
    cert_id: str
    field_name: str
    reason: str
    box: tuple[int, int, int, int] = SIGNER_BOX


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
    spec = fields.SigFieldSpec(signing.field_name, on_page=-1, box=signing.box)
    pdf_signer = signers.PdfSigner(
        meta,
        signer,
        timestamper=timestamper,
        stamp_style=_stamp_style(certificate.subject, certificate.organisation, at),
        new_field_spec=spec,
    )
    with translated_errors():
        signed: bytes = pdf_signer.sign_pdf(writer).getvalue()
    return signed


def _stamp_style(signer: str, organisation: str, at: datetime) -> TextStampStyle:
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory
    from pyhanko.pdf_utils.text import TextBoxStyle

    class InMemoryFont(GlyphAccumulatorFactory):
        """pyHanko's factory leaves the font file open; this one reads it into memory."""

        def create_font_engine(self, writer: Any, obj_stream: Any = None) -> GlyphAccumulator:
            return GlyphAccumulator(
                writer=writer,
                font_handle=io.BytesIO(Path(self.font_file).read_bytes()),
                font_size=self.font_size,
                obj_stream=obj_stream,
            )

    from pyhanko.stamp import TextStampStyle

    lines = [f"Ký bởi: {signer}", f"Cơ quan: {organisation}", f"Thời gian: {at:%H:%M %d/%m/%Y}"]
    text = "\n".join(lines).replace("%", "%%")  # the stamp text is a %-format string
    return TextStampStyle(
        stamp_text=text,
        text_box_style=TextBoxStyle(font=InMemoryFont(str(resource(*FONT))), font_size=9),
        border_width=1,
    )
