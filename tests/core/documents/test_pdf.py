import dataclasses
import re
import shutil
import subprocess
import unicodedata

import pypdfium2 as pdfium
import pytest

from desktop_app.core.documents.model import (
    AppendixTable,
    Column,
    DocumentModelError,
    Section,
)
from desktop_app.core.documents.pdf import load_profile, render_pdf
from tests.core.documents.pdftext import (
    declared_base_fonts,
    is_nfc,
    page_layouts,
    page_texts,
    top_band_texts,
    used_fonts,
)
from tests.core.documents.samples import (
    large_document,
    sample_document,
    sample_state_document,
)

PARTY_FIRST_PAGE = [
    "ĐẢNG BỘ TỈNH THANH HÓA",
    "HUYỆN ỦY ĐÔNG SƠN",
    "*",
    "ĐẢNG CỘNG SẢN VIỆT NAM",
    "Số 12-BC/HU",
    "Đông Sơn, ngày 05 tháng 02 năm 2026",
    "BÁO CÁO",
    "tổng kết 10 năm thực hiện Chỉ thị số 58-CT/TW của Bộ Chính trị",
    "về đẩy mạnh ứng dụng và phát triển công nghệ thông tin",
    "phục vụ sự nghiệp công nghiệp hóa, hiện đại hóa",
]
STATE_FIRST_PAGE = [
    "ỦY BAN NHÂN DÂN",
    "HUYỆN ĐÔNG SƠN",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Số: 12/BC-UBND",
    "Đông Sơn, ngày 05 tháng 02 năm 2026",
    "BÁO CÁO",
    "Kết quả ứng dụng công nghệ thông tin",
]


@pytest.fixture(scope="module")
def party_pdf() -> bytes:
    return render_pdf(sample_document(), load_profile("party-hd36"))


@pytest.fixture(scope="module")
def state_pdf() -> bytes:
    return render_pdf(sample_state_document(), load_profile("state-nd30"))


def _pages_containing(texts: list[str], needle: str) -> list[int]:
    return [index for index, text in enumerate(texts) if needle in text]


def _page_starting(texts: list[str], label: str) -> int:
    """The one page whose text (after the page number line) starts with ``label``."""
    [page] = [
        index for index, text in enumerate(texts) if text.split("\n", 1)[-1].startswith(label)
    ]
    return page


def test_party_first_page_has_every_header_element_in_nfc(party_pdf: bytes) -> None:
    first = page_texts(party_pdf)[0]
    assert is_nfc(first)
    lines = first.split("\n")
    for element in PARTY_FIRST_PAGE:
        assert element in first, element
    layout = page_layouts(party_pdf)[0]
    # Superior body on the left, tiêu đề on the right of the same header line.
    superior, title = layout.find("ĐẢNG BỘ TỈNH THANH HÓA"), layout.find("ĐẢNG CỘNG SẢN VIỆT NAM")
    assert abs(superior.top - title.top) < 0.5 and superior.right < title.left
    # The number shares its line with the place and date, as in the HD 36 diagram.
    number, place_date = layout.find("Số 12-BC/HU"), layout.find("Đông Sơn, ngày 05 tháng 02")
    assert abs(number.top - place_date.top) < 0.5
    assert "Số 12-BC/HU Đông Sơn, ngày 05 tháng 02 năm 2026" in lines


def test_party_closing_has_signature_and_recipients(party_pdf: bytes) -> None:
    texts = page_texts(party_pdf)
    closing = next(text for text in texts if "T/M BAN THƯỜNG VỤ" in text)
    for element in (
        "Nơi nhận:",
        "- Ban Thường vụ Tỉnh ủy (b/c),",
        "- Lưu Văn phòng Huyện ủy.",
        "BÍ THƯ",
        "Nguyễn Văn An",
    ):
        assert element in closing, element


def test_state_first_page_has_quoc_hieu_tieu_ngu_and_number(state_pdf: bytes) -> None:
    first = page_texts(state_pdf)[0]
    assert is_nfc(first)
    for element in STATE_FIRST_PAGE:
        assert element in first, element
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in first
    closing = next(text for text in page_texts(state_pdf) if "TM. ỦY BAN NHÂN DÂN" in text)
    assert "Nơi nhận:" in closing and "- Lưu: VT, VP." in closing


def test_sections_are_numbered_in_the_body(party_pdf: bytes) -> None:
    text = "\n".join(page_texts(party_pdf))
    for heading in (
        "I. KẾT QUẢ THỰC HIỆN CHỈ THỊ",
        "1. Công tác lãnh đạo",
        "a) Ứng dụng trong các cơ quan đảng",
        "IV. ĐỀ XUẤT, KIẾN NGHỊ",
        "(Chi tiết tại Phụ lục 01, 02)",
    ):
        assert heading in text, heading


def test_only_embedded_liberation_serif_subsets(party_pdf: bytes, state_pdf: bytes) -> None:
    for pdf in (party_pdf, state_pdf):
        fonts = used_fonts(pdf)
        assert fonts, "no text objects found"
        assert all(name.startswith("LiberationSerif") and embedded for name, embedded in fonts)
        declared = declared_base_fonts(pdf)
        assert declared and all(
            re.fullmatch(r"[A-Z]{6}\+LiberationSerif(-Bold|-Italic|-BoldItalic)?", name)
            for name in declared
        ), declared


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")
def test_pdffonts_agrees(party_pdf: bytes, tmp_path: object) -> None:
    output = subprocess.run(
        ["pdffonts", "-"], input=party_pdf, capture_output=True, check=True
    ).stdout.decode()
    rows = output.splitlines()[2:]
    assert rows and all("+LiberationSerif" in row and " yes yes yes " in row for row in rows)


def test_page_numbers_start_on_page_two_at_the_top(party_pdf: bytes) -> None:
    bands = top_band_texts(party_pdf)
    assert bands[0] == ""
    assert bands[1:] == [str(number) for number in range(2, len(bands) + 1)]


def test_each_appendix_starts_a_page_with_label_title_and_caption(party_pdf: bytes) -> None:
    texts = page_texts(party_pdf)
    caption = "(Kèm theo Báo cáo số 12-BC/HU ngày 05/02/2026 của Huyện ủy Đông Sơn)"
    for label in ("Phụ lục 01", "Phụ lục 02"):
        assert caption in texts[_page_starting(texts, label)]
    assert "KẾT QUẢ ỨNG DỤNG CÔNG NGHỆ THÔNG TIN" in texts[_page_starting(texts, "Phụ lục 01")]


def test_sixty_row_appendix_repeats_its_header_on_the_next_page(party_pdf: bytes) -> None:
    texts = page_texts(party_pdf)
    start = _page_starting(texts, "Phụ lục 02")
    following = texts[start + 1 :]
    assert following, "the 60-row table should break onto another page"
    for page in following:
        # Line 0 is the page number; the multi-line header cells follow it.
        assert page.split("\n")[1].startswith("STT Tổ chức cơ sở đảng")
    assert "Tổng cộng" in texts[-1]
    all_rows = "\n".join(texts[start:])
    assert all(re.search(rf"^{n} ", all_rows, re.M) for n in range(1, 61))


def test_large_document_renders_in_page_order() -> None:
    pdf = render_pdf(large_document(indicator_rows=200, text_pages=30), load_profile("party-hd36"))
    texts = page_texts(pdf)
    assert len(texts) > 30
    assert top_band_texts(pdf)[1:] == [str(n) for n in range(2, len(texts) + 1)]
    first_appendix = _page_starting(texts, "Phụ lục 01")
    second_appendix = _page_starting(texts, "Phụ lục 02")
    closing = _pages_containing(texts, "T/M BAN THƯỜNG VỤ")[0]
    assert 20 < closing < first_appendix < second_appendix < len(texts) - 3
    assert "NỘI DUNG THỨ 30" in "\n".join(texts[: closing + 1])
    assert "200 " in texts[-1] and "Tổng cộng" in texts[-1]


def test_draft_has_blank_number_and_date_and_a_watermark_on_every_page() -> None:
    pdf = render_pdf(sample_document(draft=True), load_profile("party-hd36"))
    texts = page_texts(pdf)
    first = texts[0]
    number_line = next(line for line in first.split("\n") if line.startswith("Số "))
    assert "-BC/HU" in number_line and "12" not in number_line
    assert "ngày 05" not in first
    assert all("DỰ THẢO" in text for text in texts)
    assert not any(
        "DỰ THẢO" in text
        for text in page_texts(render_pdf(sample_document(), load_profile("party-hd36")))
    )


def test_user_text_is_printed_literally_not_as_markup() -> None:
    hostile = "Chi phí <b>2 & 3</b> <font size=80>lớn</font> &amp; <img src='/etc/passwd'/>"
    document = dataclasses.replace(
        sample_document(), intro=(hostile,), appendices=(), sections=(Section("Mục <i>một</i>"),)
    )
    text = page_texts(render_pdf(document, load_profile("party-hd36")))[0].replace("\n", " ")
    assert "<b>2 & 3</b>" in text and "&amp;" in text and "<img src='/etc/passwd'/>" in text
    assert "MỤC <I>MỘT</I>" in text


def test_decomposed_input_comes_out_composed() -> None:
    document = dataclasses.replace(
        sample_document(), intro=(unicodedata.normalize("NFD", "Nghị quyết được quán triệt"),)
    )
    text = page_texts(render_pdf(document, load_profile("party-hd36")))[0]
    assert "Nghị quyết được quán triệt" in text and is_nfc(text)


def test_huge_cell_and_unbroken_text_do_not_break_the_layout() -> None:
    huge = AppendixTable(
        "Bảng",
        (Column("STT", 1), Column("Nội dung", 6)),
        rows=(("1", "chữ " * 3000), ("2", "X" * 2000)),
    )
    document = dataclasses.replace(
        sample_document(),
        intro=("Y" * 3000,),
        appendices=(huge,),
        sections=(Section("A", tables_ref=(1,)),),
    )
    texts = page_texts(render_pdf(document, load_profile("party-hd36")))
    assert len(texts) >= 4 and "Phụ lục 01" in "\n".join(texts)


def test_landscape_appendix_gets_a_landscape_page() -> None:
    base = sample_document()
    wide = dataclasses.replace(base.appendices[1], landscape=True)
    appendices = (base.appendices[0], wide)
    pdf = render_pdf(dataclasses.replace(base, appendices=appendices), load_profile("party-hd36"))
    document = pdfium.PdfDocument(pdf)
    sizes = [document[index].get_size() for index in range(len(document))]
    document.close()
    assert sizes[0][0] < sizes[0][1]
    assert sizes[-1][0] > sizes[-1][1]


def test_profile_must_match_the_document() -> None:
    with pytest.raises(DocumentModelError) as error:
        render_pdf(sample_document(), load_profile("state-nd30"))
    assert error.value.code == "document.profile_mismatch"


def test_rendering_is_deterministic() -> None:
    profile = load_profile("party-hd36")
    assert render_pdf(sample_document(), profile) == render_pdf(sample_document(), profile)
