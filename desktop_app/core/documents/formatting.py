"""Document-specific text: numbers and symbols, place and date lines, recipient lines."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from desktop_app.core.documents.model import DocumentHeader, roman
from desktop_app.core.documents.profiles import Profile, fill
from desktop_app.core.model.text import format_document_date, format_short_date

NBSP = "\u00a0"
# A blank left for the clerk to write the number or date by hand on a draft.
BLANK = NBSP * 7


def document_date_parts(day: date) -> tuple[str, str, str]:
    """Day, month and year for the profile's place-and-date pattern, padded as NĐ 30 writes them
    (a zero before days below 10 and months 1 and 2); same rule as ``text.format_document_date``.
    """
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{day.day:02d}", month, str(day.year)


def document_date(day: date) -> str:
    """``ngày 05 tháng 02 năm 2026``; ``ngày 27 tháng 5 năm 2026``."""
    return format_document_date(day)


def table_date(day: date | None) -> str:
    """``05/02/2026`` as used in tables and in references to other documents."""
    return format_short_date(day) if day else f"{BLANK}/{BLANK}/{BLANK}"


def unbroken_place(name: str, place: str) -> str:
    """The body's name with its place name held together ("ĐẢNG ỦY PHƯỜNG HẠC THÀNH" may break
    before "HẠC", never inside it)."""
    if not place:
        return name
    start = name.upper().find(place.upper())
    if start < 0:
        return name
    end = start + len(place)
    return name[:start] + name[start:end].replace(" ", NBSP) + name[end:]


def _number_text(profile: Profile, header: DocumentHeader) -> str:
    if header.number is None:
        return BLANK
    return str(header.number).zfill(profile.number_min_digits)


def number_line(profile: Profile, header: DocumentHeader) -> str:
    """``Số 12-BC/HU`` (Party) or ``Số: 12/BC-UBND`` (state); the number blank for a draft."""
    return fill(profile.patterns["number"], number=_number_text(profile, header),
                type_abbr=header.type_abbr, office_abbr=header.office_abbr)


def number_reference(profile: Profile, header: DocumentHeader) -> str:
    """``12-BC/HU`` as quoted in an appendix caption."""
    return fill(profile.patterns["number_reference"], number=_number_text(profile, header),
                type_abbr=header.type_abbr, office_abbr=header.office_abbr)


def place_date_line(profile: Profile, header: DocumentHeader) -> str:
    """``Đông Sơn, ngày 05 tháng 02 năm 2026``; blanks for day, month and year on a draft."""
    if header.issued_on is None:
        day = month = year = BLANK
    else:
        day, month, year = document_date_parts(header.issued_on)
    return fill(profile.patterns["place_date"], place=header.place, day=day, month=month,
                year=year)


def appendix_number(profile: Profile, number: int) -> str:
    """"01" (Party, HD 36) or "I" (state, NĐ 30)."""
    return roman(number) if profile.appendix_numerals == "roman" else f"{number:02d}"


def appendix_label(profile: Profile, number: int) -> str:
    return fill(profile.patterns["appendix_label"], number=appendix_number(profile, number))


def appendix_caption(profile: Profile, header: DocumentHeader) -> str:
    """``(Kèm theo Báo cáo số 12-BC/HU ngày 05/02/2026 của Huyện ủy Đông Sơn)``."""
    return fill(
        profile.patterns["appendix_caption"],
        type_name=header.type_name.capitalize(),
        reference=number_reference(profile, header),
        date=table_date(header.issued_on),
        issuer=header.issuer_in_text,
    )


def appendix_reference(profile: Profile, numbers: Sequence[int]) -> str:
    """``(Chi tiết tại Phụ lục 01, 03)`` after a section that points to appendices."""
    return fill(profile.patterns["appendix_ref"],
                numbers=", ".join(appendix_number(profile, number) for number in numbers))


def recipient_lines(
    profile: Profile, recipients: Sequence[str], archive_line: str, addressees: Sequence[str] = ()
) -> list[str]:
    """Party: ``- Ban Thường vụ Tỉnh ủy (b/c),`` … ``- Lưu Văn phòng Huyện ủy.``; state:
    ``- Như trên;`` for those named after "Kính gửi:", then ``- Sở …;`` … ``- Lưu: VT.``"""
    end = profile.patterns["recipient_end"] or ","
    as_above = profile.patterns["as_above"]
    first = [as_above] if as_above and addressees else list(addressees)
    lines = [f"- {_with_end(name, end)}" for name in (*first, *recipients) if name]
    if archive_line:
        lines.append(f"- {_with_end(archive_line, '.')}")
    elif lines:
        lines[-1] = lines[-1].rstrip(end) + "."
    return lines


def addressee_lines(profile: Profile, addressees: Sequence[str]) -> list[str]:
    """``Kính gửi: Ủy ban nhân dân tỉnh Thanh Hóa.``, or the label then one ``- …;`` line each
    (state only: a Party báo cáo names no addressee)."""
    label = profile.patterns["addressee_label"]
    if not label or not addressees:
        return []
    if len(addressees) == 1:
        return [f"{label} {_with_end(addressees[0], '.')}"]
    lines = [label] + [f"- {_with_end(name, ';')}" for name in addressees]
    lines[-1] = lines[-1].rstrip(";") + "."
    return lines


def _with_end(text: str, mark: str) -> str:
    text = text.lstrip("-–• ").rstrip()
    return text if text.endswith((",", ".", ";", ":")) else text + mark
