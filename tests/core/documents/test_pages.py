import base64
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from desktop_app.core.documents.model import DocumentModelError
from desktop_app.core.documents.pages import (
    BlankForm,
    FormIndicator,
    FormSection,
    FormTable,
    ReceivedRow,
    enrolment_qr_payload,
    fingerprint_groups,
    render_blank_form,
    render_enrolment_sheet,
    render_received_list,
)
from desktop_app.core.documents.profiles import load_profile
from tests.core.documents.pdftext import is_nfc, page_texts, used_fonts

FINGERPRINT = "048213975561230847729104385516"
PUBLIC_KEY = base64.b64encode(bytes(range(32))).decode("ascii")


def _form() -> BlankForm:
    return BlankForm(
        title="BÁO CÁO",
        subtitle="tổng kết 10 năm thực hiện Chỉ thị số 58-CT/TW",
        period="Tổng kết 10 năm",
        sections=(
            FormSection("Kết quả thực hiện", children=(
                FormSection("Công tác lãnh đạo, chỉ đạo",
                            guidance="Nêu các văn bản đã ban hành (số, ngày, trích yếu)."),
                FormSection("Kết quả ứng dụng", writing_lines=40),
            )),
            FormSection("Hạn chế, nguyên nhân", guidance="Nêu nguyên nhân khách quan, chủ quan."),
        ),
        tables=(FormTable("Hạ tầng kỹ thuật", (
            FormIndicator("Hạ tầng", group=True),
            FormIndicator("Số máy tính", "Chiếc"),
            FormIndicator("Cơ quan có mạng LAN", "Cơ quan"),
        ), value_columns=("Năm 2001", "Năm 2010")),),
    )


def test_blank_form_has_outline_guidance_and_empty_indicator_table() -> None:
    pdf = render_blank_form(_form())
    text = " ".join(page_texts(pdf)).replace("\n", " ")
    for expected in ("Kỳ báo cáo: Tổng kết 10 năm", "BÁO CÁO", "I. KẾT QUẢ THỰC HIỆN",
                     "1. Công tác lãnh đạo, chỉ đạo",
                     "Nêu các văn bản đã ban hành (số, ngày, trích yếu).",
                     "II. HẠN CHẾ, NGUYÊN NHÂN", "Biểu 01: Hạ tầng kỹ thuật",
                     "STT Chỉ tiêu Đơn vị tính Năm 2001 Năm 2010 Ghi chú",
                     "1 Số máy tính Chiếc", "2 Cơ quan có mạng LAN Cơ quan"):
        assert expected in text, expected
    assert "Đơn vị báo cáo: ....." in text  # left to fill in by hand
    assert is_nfc(text)


def test_blank_form_writing_lines_flow_onto_further_pages() -> None:
    pages = page_texts(render_blank_form(_form()))
    assert len(pages) >= 2  # 40 handwriting lines cannot fit on page 1


def test_blank_form_refuses_negative_line_counts() -> None:
    with pytest.raises(DocumentModelError):
        FormSection("A", writing_lines=-1)


def test_received_list_shows_received_and_missing_reports() -> None:
    rows = [
        ReceivedRow("Đảng ủy xã Đông Anh", "Tổng kết CT 58", "2010", "Đã nhận",
                    "04/02/2026 09:15", "05/02/2026 08:00"),
        ReceivedRow("Đảng ủy xã Đông Hòa", "Tổng kết CT 58", "2010", "Chưa nhận", missing=True),
    ]
    pdf = render_received_list("HUYỆN ỦY ĐÔNG SƠN", "Tổng kết 10 năm CT 58", rows,
                               datetime(2026, 2, 5, 14, 5))
    text = "\n".join(page_texts(pdf))
    for expected in ("HUYỆN ỦY ĐÔNG SƠN", "DANH SÁCH BÁO CÁO ĐÃ NHẬN VÀ CHƯA NHẬN",
                     "(Lập lúc 14:05 ngày 05/02/2026)",
                     "Đã nhận: 1; chưa nhận: 1; tổng số: 2.",
                     "Đảng ủy xã Đông Anh", "Đảng ủy xã Đông Hòa", "Chưa nhận",
                     "04/02/2026", "05/02/2026"):
        assert expected in text, expected
    headers = ("Đơn vị", "Mẫu báo cáo", "Kỳ", "Tình trạng", "Thời điểm phê", "Thời điểm")
    assert all(header in text for header in headers)
    bold = {name for name, _ in used_fonts(pdf)}
    assert "LiberationSerif-Bold" in bold  # the missing row stands out


def test_long_received_list_repeats_its_header_on_each_page() -> None:
    rows = [ReceivedRow(f"Đảng ủy xã số {n}", "Tổng kết CT 58", "2010", "Đã nhận")
            for n in range(1, 81)]
    pages = page_texts(render_received_list("TỈNH ỦY THANH HÓA", "2010", rows,
                                            datetime(2026, 2, 5, 8, 0)))
    assert len(pages) >= 2
    assert all("Mẫu báo cáo" in page for page in pages)
    assert "Đảng ủy xã số 80" in pages[-1]


def test_enrolment_sheet_prints_fingerprint_in_six_groups_of_five() -> None:
    pdf = render_enrolment_sheet("38.XA.15", "Đảng ủy xã Đông Anh", "K-2026-0001", FINGERPRINT,
                                 PUBLIC_KEY, datetime(2026, 2, 1, 9, 30))
    [text] = page_texts(pdf)
    for expected in ("PHIẾU ĐĂNG KÝ KHÓA KÝ SỐ CỦA ĐƠN VỊ", "38.XA.15", "Đảng ủy xã Đông Anh",
                     "K-2026-0001", "09:30 ngày 01/02/2026",
                     "04821 39755 61230 84772 91043 85516", "CÁN BỘ TIẾP NHẬN",
                     "THỦ TRƯỞNG ĐƠN VỊ", "(Ký, ghi rõ họ tên, đóng dấu)"):
        assert expected in text, expected
    assert PUBLIC_KEY in text.replace("\n", "")
    assert all(name.startswith("LiberationSerif") and embedded
               for name, embedded in used_fonts(pdf))


def test_qr_payload_carries_the_key_and_its_fingerprint() -> None:
    payload = enrolment_qr_payload("38.XA.15", "K-1", "04821 39755 61230 84772 91043 85516",
                                   PUBLIC_KEY)
    assert payload.splitlines() == [
        "BAOCAO-KEY/1", "office=38.XA.15", "key=K-1", f"fingerprint={FINGERPRINT}",
        f"public_key={PUBLIC_KEY}",
    ]


@pytest.mark.parametrize("fingerprint", [
    FINGERPRINT[:-1], FINGERPRINT + "1", "A" + FINGERPRINT[1:], "١" * 30, "",
])
def test_enrolment_refuses_a_malformed_fingerprint(fingerprint: str) -> None:
    with pytest.raises(DocumentModelError) as error:
        render_enrolment_sheet("38", "X", "K", fingerprint, PUBLIC_KEY, datetime(2026, 1, 1))
    assert error.value.code == "document.enrolment.fingerprint_invalid"


@pytest.mark.parametrize("key", ["", "not base64!", "QUJD=extra", "ĐĐĐĐ"])
def test_enrolment_refuses_a_malformed_public_key(key: str) -> None:
    with pytest.raises(DocumentModelError) as error:
        render_enrolment_sheet("38", "X", "K", FINGERPRINT, key, datetime(2026, 1, 1))
    assert error.value.code == "document.enrolment.public_key_invalid"


def test_enrolment_requires_office_code_and_key_id() -> None:
    with pytest.raises(DocumentModelError):
        render_enrolment_sheet(" ", "X", "K", FINGERPRINT, PUBLIC_KEY, datetime(2026, 1, 1))


def test_fingerprint_groups_accepts_spaced_input() -> None:
    spaced = "04821 39755 61230 84772 91043 85516"
    assert fingerprint_groups(spaced) == spaced
    assert fingerprint_groups(FINGERPRINT) == spaced


def test_pages_accept_the_state_profile() -> None:
    pdf = render_blank_form(_form(), load_profile("state-nd30"))
    assert "Biểu 01: Hạ tầng kỹ thuật" in "\n".join(page_texts(pdf))


@pytest.mark.skipif(shutil.which("zbarimg") is None or shutil.which("pdftoppm") is None,
                    reason="needs Debian zbar-tools and poppler-utils")
def test_enrolment_qr_code_decodes_to_the_payload(tmp_path: Path) -> None:
    pdf = render_enrolment_sheet("38.XA.15", "Đảng ủy xã Đông Anh", "K-2026-0001", FINGERPRINT,
                                 PUBLIC_KEY, datetime(2026, 2, 1, 9, 30))
    (tmp_path / "sheet.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-singlefile", str(tmp_path / "sheet.pdf"),
                    str(tmp_path / "sheet")], check=True)
    decoded = subprocess.run(["zbarimg", "-q", "--raw", str(tmp_path / "sheet.png")],
                             capture_output=True, check=True).stdout.decode("utf-8").strip()
    assert decoded == enrolment_qr_payload("38.XA.15", "K-2026-0001", FINGERPRINT, PUBLIC_KEY)
