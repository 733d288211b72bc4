import dataclasses
import io
import unicodedata

import docx
import pytest
from docx.document import Document
from docx.oxml.ns import qn

from desktop_app.core.documents.docx import DOCX_FONT, render_docx
from desktop_app.core.documents.model import DocumentModelError
from desktop_app.core.documents.profiles import load_profile
from tests.core.documents.samples import sample_document, sample_state_document


@pytest.fixture(scope="module")
def party() -> Document:
    data = render_docx(sample_document(), load_profile("party-hd36"))
    return docx.Document(io.BytesIO(data))


def _cell_lines(word: Document, table_index: int, column: int) -> list[str]:
    cell = word.tables[table_index].rows[0].cells[column]
    return [paragraph.text for paragraph in cell.paragraphs]


def test_header_is_a_two_column_table_with_the_party_elements(party: Document) -> None:
    left = _cell_lines(party, 0, 0)
    right = _cell_lines(party, 0, 1)
    # The place name is held together by a no-break space: the name may wrap before it only.
    assert left == ["ĐẢNG BỘ TỈNH THANH HÓA", "HUYỆN ỦY ĐÔNG\u00a0SƠN", "*"]
    assert right[0] == "ĐẢNG CỘNG SẢN VIỆT NAM"
    # The number and the date have a row of their own: always on one line.
    number, place_date = party.tables[0].rows[1].cells
    assert number.text == "Số 12-BC/HU"
    assert place_date.text == "Đông Sơn, ngày 05 tháng 02 năm 2026"
    borders = party.tables[0]._tbl.tblPr.find(qn("w:tblBorders"))
    assert borders is not None
    assert {edge.get(qn("w:val")) for edge in borders} == {"nil"}


def test_type_name_summary_and_numbered_headings(party: Document) -> None:
    texts = [paragraph.text for paragraph in party.paragraphs]
    assert "BÁO CÁO" in texts
    summary = next(text for text in texts if text.startswith("tổng kết 10 năm"))
    assert "58-CT/TW" in summary
    assert "I. KẾT QUẢ THỰC HIỆN CHỈ THỊ" in texts
    assert "a) Ứng dụng trong các cơ quan đảng" in texts
    assert all(unicodedata.is_normalized("NFC", text) for text in texts)


def test_signature_and_recipients_table(party: Document) -> None:
    left = _cell_lines(party, 1, 0)
    right = [line for line in _cell_lines(party, 1, 1) if line]
    assert left[0] == "Nơi nhận:" and left[-1] == "- Lưu Văn phòng Huyện ủy."
    assert right == ["T/M BAN THƯỜNG VỤ", "BÍ THƯ", "Nguyễn Văn An"]
    label_run = party.tables[1].rows[0].cells[0].paragraphs[0].runs[0]
    assert label_run.font.underline  # Party style: underlined "Nơi nhận"


def test_appendix_tables_repeat_their_header_rows(party: Document) -> None:
    grids = party.tables[2:]
    assert len(grids) == 2
    units = grids[1]
    assert len(units.rows) == 1 + 60 + 1  # header, 60 units, total
    assert units.rows[0].cells[1].text == "Tổ chức cơ sở đảng"
    header, first_unit = units.rows[0]._tr.trPr, units.rows[1]._tr.trPr
    assert header is not None and first_unit is not None
    assert header.find(qn("w:tblHeader")) is not None
    assert first_unit.find(qn("w:tblHeader")) is None
    assert units.rows[-1].cells[1].text == "Tổng cộng"


def test_each_appendix_is_a_new_section_with_its_caption(party: Document) -> None:
    assert len(party.sections) == 3
    texts = [paragraph.text for paragraph in party.paragraphs]
    assert texts.count("(Kèm theo Báo cáo số 12-BC/HU ngày 05/02/2026 của Huyện ủy Đông Sơn)") == 2
    assert "Phụ lục 01" in texts and "Phụ lục 02" in texts


def test_page_number_field_skips_the_first_page(party: Document) -> None:
    first = party.sections[0]
    assert first.different_first_page_header_footer
    header_xml = first.header._element.xml
    assert "PAGE" in header_xml
    assert "PAGE" not in first.first_page_header._element.xml


def test_fonts_name_times_new_roman_in_every_script_slot(party: Document) -> None:
    fonts = party.styles["Normal"].element.rPr.rFonts
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        assert fonts.get(qn(slot)) == DOCX_FONT
    run = party.tables[0].rows[0].cells[0].paragraphs[0].runs[0]
    assert run._r.rPr.rFonts.get(qn("w:eastAsia")) == DOCX_FONT


def test_state_docx_has_quoc_hieu_and_state_number() -> None:
    data = render_docx(sample_state_document(), load_profile("state-nd30"))
    word = docx.Document(io.BytesIO(data))
    right = _cell_lines(word, 0, 1)
    assert right[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert word.tables[0].rows[1].cells[0].text == "Số: 12/BC-UBND"
    label_run = word.tables[1].rows[0].cells[0].paragraphs[0].runs[0]
    assert label_run.font.bold and label_run.font.italic  # NĐ 30: bold italic "Nơi nhận:"


def test_draft_docx_marks_every_header() -> None:
    data = render_docx(sample_document(draft=True), load_profile("party-hd36"))
    word = docx.Document(io.BytesIO(data))
    first = word.sections[0]
    assert "DỰ THẢO" in first.header._element.xml
    assert "DỰ THẢO" in first.first_page_header._element.xml


def test_docx_refuses_a_profile_of_another_document() -> None:
    with pytest.raises(DocumentModelError):
        render_docx(sample_document(), load_profile("state-nd30"))


def test_state_word_copy_has_kinh_gui_as_above_and_roman_appendices_numbered_alone() -> None:
    document = dataclasses.replace(
        sample_state_document(),
        addressees=("Ủy ban nhân dân tỉnh Thanh Hóa",),
        recipients=("Sở Thông tin và Truyền thông",),
    )
    word = docx.Document(io.BytesIO(render_docx(document, load_profile("state-nd30"))))
    texts = [paragraph.text for paragraph in word.paragraphs]

    assert "Kính gửi: Ủy ban nhân dân tỉnh Thanh Hóa." in texts
    closing = [p.text for p in word.tables[1].rows[0].cells[0].paragraphs]
    assert closing[1:] == ["- Như trên;", "- Sở Thông tin và Truyền thông;", "- Lưu: VT, VP."]
    assert "Phụ lục I" in texts and "Phụ lục II" in texts
    appendix_sections = word.sections[1:]
    assert appendix_sections
    for section in appendix_sections:
        numbering = section._sectPr.find(qn("w:pgNumType"))
        assert numbering is not None and numbering.get(qn("w:start")) == "1"
