"""Sample documents: a district Party report on the 10-year review of Chỉ thị 58-CT/TW.

Used by the tests, ``bench/bench_pdf.py`` and the preview images in ``docs/images``; not shipped
with the app. Also a worked example of how a report maps onto the neutral model. The figures are
invented but plausible.
"""

from __future__ import annotations

import dataclasses
from datetime import date

from desktop_app.core.documents.model import (
    Align,
    AppendixTable,
    Column,
    DocumentHeader,
    OfficialDocument,
    RowKind,
    Section,
    SignatureBlock,
)

PARTY_PROFILE = "party-hd36"
STATE_PROFILE = "state-nd30"

SUMMARY = (
    "tổng kết 10 năm thực hiện Chỉ thị số 58-CT/TW của Bộ Chính trị\n"
    "về đẩy mạnh ứng dụng và phát triển công nghệ thông tin\n"
    "phục vụ sự nghiệp công nghiệp hóa, hiện đại hóa"
)

_BASES = (
    "Đảng ủy xã Đông Anh",
    "Đảng ủy xã Đông Hòa",
    "Đảng ủy xã Đông Hoàng",
    "Đảng ủy xã Đông Hưng",
    "Đảng ủy xã Đông Khê",
    "Đảng ủy xã Đông Minh",
    "Đảng ủy xã Đông Nam",
    "Đảng ủy xã Đông Ninh",
    "Đảng ủy xã Đông Phú",
    "Đảng ủy xã Đông Quang",
    "Đảng ủy xã Đông Tân",
    "Đảng ủy xã Đông Thanh",
    "Đảng ủy xã Đông Thịnh",
    "Đảng ủy xã Đông Tiến",
    "Đảng ủy xã Đông Văn",
    "Đảng ủy xã Đông Xuân",
    "Đảng ủy xã Đông Yên",
    "Đảng ủy thị trấn Rừng Thông",
    "Chi bộ Văn phòng Huyện ủy",
    "Chi bộ Ban Tổ chức Huyện ủy",
    "Chi bộ Ban Tuyên giáo Huyện ủy",
    "Chi bộ Ban Dân vận Huyện ủy",
    "Chi bộ Ủy ban Kiểm tra Huyện ủy",
    "Chi bộ Trung tâm Bồi dưỡng chính trị",
    "Đảng bộ cơ quan Ủy ban nhân dân huyện",
    "Chi bộ Phòng Tài chính - Kế hoạch",
    "Chi bộ Phòng Giáo dục và Đào tạo",
    "Chi bộ Phòng Văn hóa và Thông tin",
    "Chi bộ Phòng Tài nguyên và Môi trường",
    "Chi bộ Phòng Nông nghiệp và Phát triển nông thôn",
    "Chi bộ Phòng Nội vụ",
    "Chi bộ Phòng Tư pháp",
    "Chi bộ Phòng Y tế",
    "Chi bộ Phòng Lao động - Thương binh và Xã hội",
    "Chi bộ Phòng Kinh tế và Hạ tầng",
    "Chi bộ Thanh tra huyện",
    "Chi bộ Văn phòng HĐND và UBND huyện",
    "Đảng bộ Công an huyện",
    "Đảng bộ Quân sự huyện",
    "Chi bộ Viện Kiểm sát nhân dân huyện",
    "Chi bộ Tòa án nhân dân huyện",
    "Chi bộ Chi cục Thi hành án dân sự",
    "Chi bộ Chi cục Thuế",
    "Chi bộ Kho bạc Nhà nước huyện",
    "Chi bộ Bảo hiểm xã hội huyện",
    "Chi bộ Ngân hàng Nông nghiệp và Phát triển nông thôn",
    "Chi bộ Ngân hàng Chính sách xã hội",
    "Đảng bộ Trung tâm Y tế huyện",
    "Chi bộ Trung tâm Văn hóa - Thông tin và Thể thao",
    "Chi bộ Trường THPT Đông Sơn 1",
    "Chi bộ Trường THPT Đông Sơn 2",
    "Chi bộ Trường THPT Nguyễn Mộng Tuân",
    "Chi bộ Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên",
    "Chi bộ Ủy ban Mặt trận Tổ quốc huyện",
    "Chi bộ Huyện đoàn",
    "Chi bộ Hội Liên hiệp Phụ nữ huyện",
    "Chi bộ Hội Nông dân huyện",
    "Chi bộ Hội Cựu chiến binh huyện",
    "Chi bộ Liên đoàn Lao động huyện",
    "Chi bộ Công ty Cổ phần Môi trường và Công trình đô thị",
)


def _header(number: int | None = 12, issued_on: date | None = date(2026, 2, 5)) -> DocumentHeader:
    return DocumentHeader(
        superior_body="ĐẢNG BỘ TỈNH THANH HÓA",
        issuing_body="HUYỆN ỦY ĐÔNG SƠN",
        number=number,
        type_abbr="BC",
        office_abbr="HU",
        place="Đông Sơn",
        issued_on=issued_on,
        type_name="BÁO CÁO",
        summary=SUMMARY,
        issuing_body_name="Huyện ủy Đông Sơn",
    )


def _sections() -> tuple[Section, ...]:
    return (
        Section(
            "Kết quả thực hiện Chỉ thị",
            children=(
                Section(
                    "Công tác lãnh đạo, chỉ đạo, quán triệt, tuyên truyền",
                    paragraphs=(
                        "Thực hiện Chỉ thị số 58-CT/TW ngày 17/10/2000 của Bộ Chính trị, Ban "
                        "Thường vụ Huyện ủy đã ban hành Chương trình hành động số 14-CTr/HU và "
                        "chỉ đạo các tổ chức cơ sở đảng tổ chức quán triệt đến 100% cán bộ, "
                        "đảng viên. Các cấp ủy đã đưa nhiệm vụ ứng dụng công nghệ thông tin vào "
                        "nghị quyết hằng năm và gắn với cải cách hành chính.",
                        "Công tác tuyên truyền được thực hiện qua Đài Truyền thanh huyện, trang "
                        "thông tin điện tử và các hội nghị báo cáo viên; nhận thức của cán bộ, "
                        "đảng viên về vai trò của công nghệ thông tin có chuyển biến rõ rệt.",
                    ),
                ),
                Section(
                    "Kết quả ứng dụng và phát triển công nghệ thông tin",
                    paragraphs=(
                        "Hạ tầng kỹ thuật được đầu tư đồng bộ: 100% cơ quan đảng, đoàn thể cấp "
                        "huyện có mạng nội bộ (LAN) và kết nối Internet băng rộng; 18/18 đảng "
                        "bộ xã, thị trấn được trang bị máy tính kết nối mạng.",
                    ),
                    tables_ref=(1, 2),
                    children=(
                        Section(
                            "Ứng dụng trong các cơ quan đảng",
                            paragraphs=(
                                "Hệ thống quản lý văn bản và điều hành được triển khai tại Văn "
                                "phòng Huyện ủy và các ban xây dựng Đảng; tỷ lệ văn bản đi, đến "
                                "dưới dạng điện tử đạt 65%.",
                            ),
                        ),
                        Section(
                            "Phát triển nguồn nhân lực",
                            paragraphs=(
                                "Đã tổ chức 12 lớp tập huấn tin học cho 640 lượt cán bộ; mỗi "
                                "cơ quan đảng cấp huyện có ít nhất 01 cán bộ phụ trách công "
                                "nghệ thông tin.",
                            ),
                        ),
                    ),
                ),
            ),
        ),
        Section(
            "Đánh giá chung",
            children=(
                Section(
                    "Ưu điểm",
                    paragraphs=(
                        "Các cấp ủy đã quan tâm lãnh đạo; hạ tầng cơ bản đáp ứng yêu cầu công tác.",
                    ),
                ),
                Section(
                    "Hạn chế, nguyên nhân",
                    paragraphs=(
                        "Kinh phí đầu tư còn hạn chế; trình độ tin học của một bộ phận "
                        "cán bộ cơ sở chưa đáp ứng yêu cầu; việc khai thác phần mềm dùng chung "
                        "chưa thường xuyên.",
                    ),
                ),
            ),
        ),
        Section(
            "Phương hướng, nhiệm vụ thời gian tới",
            paragraphs=(
                "Tiếp tục quán triệt Nghị quyết số 36-NQ/TW ngày 01/7/2014 của Bộ Chính trị; "
                "hoàn thiện hạ tầng, đẩy mạnh ứng dụng văn bản điện tử có ký số, bảo đảm an "
                "toàn thông tin trong các cơ quan đảng.",
            ),
        ),
        Section(
            "Đề xuất, kiến nghị",
            paragraphs=(
                "Đề nghị Ban Thường vụ Tỉnh ủy quan tâm bố trí kinh phí nâng cấp mạng thông tin "
                "diện rộng của Đảng đến cấp xã và tổ chức tập huấn cho cán bộ chuyên trách.",
            ),
        ),
    )


def _infrastructure_table() -> AppendixTable:
    rows = (
        ("A", "Hạ tầng kỹ thuật", "", "", "", ""),
        ("1", "Số máy tính trong các cơ quan đảng cấp huyện", "Chiếc", "12", "86", ""),
        ("2", "Tỷ lệ cán bộ, công chức có máy tính", "%", "15,0", "92,5", ""),
        ("3", "Cơ quan có mạng nội bộ (LAN)", "Cơ quan", "1", "6", ""),
        ("4", "Đảng bộ xã, thị trấn kết nối Internet băng rộng", "Đơn vị", "0", "18", "Đạt 100%"),
        ("B", "Ứng dụng công nghệ thông tin", "", "", "", ""),
        ("5", "Tỷ lệ văn bản đi, đến dưới dạng điện tử", "%", "0", "65,0", ""),
        ("6", "Cán bộ sử dụng thư điện tử công vụ", "Người", "4", "215", ""),
        ("7", "Phần mềm quản lý hồ sơ đảng viên", "Có/Không", "Không", "Có", "Từ 2008"),
        ("C", "Nhân lực", "", "", "", ""),
        ("8", "Cán bộ chuyên trách công nghệ thông tin", "Người", "0", "3", ""),
        ("9", "Lượt cán bộ được tập huấn tin học", "Lượt", "35", "640", ""),
        ("", "Tổng kinh phí đầu tư giai đoạn 2001 - 2010", "Triệu đồng", "", "4.850", ""),
    )
    kinds = tuple(
        RowKind.GROUP
        if row[0] in "ABC" and row[0]
        else RowKind.TOTAL
        if not row[0]
        else RowKind.NORMAL
        for row in rows
    )
    return AppendixTable(
        title="Kết quả ứng dụng công nghệ thông tin trong các cơ quan đảng",
        subtitle="giai đoạn 2001 - 2010",
        columns=(
            Column("STT", 0.75, Align.CENTER),
            Column("Chỉ tiêu", 4.2),
            Column("Đơn vị tính", 1.3, Align.CENTER),
            Column("Năm 2001", 1.1, Align.RIGHT),
            Column("Năm 2010", 1.1, Align.RIGHT),
            Column("Ghi chú", 1.3),
        ),
        rows=rows,
        row_kinds=kinds,
        numbered_columns=True,
        notes=("Số liệu năm 2010 tính đến ngày 31/12/2010.",),
    )


def unit_rows(count: int) -> tuple[tuple[str, ...], ...]:
    """``count`` rows of per-unit indicators, unit names repeating with a suffix if needed."""
    rows = []
    for index in range(count):
        base = _BASES[index % len(_BASES)]
        name = base if index < len(_BASES) else f"{base} ({index // len(_BASES) + 1})"
        computers = 3 + (index * 7) % 19
        rows.append(
            (
                str(index + 1),
                name,
                str(computers),
                "Có" if index % 5 else "Không",
                "Có" if index % 3 else "Không",
                str(computers + (index * 3) % 11),
            )
        )
    return tuple(rows)


def unit_table(count: int = 60) -> AppendixTable:
    rows = unit_rows(count)
    total = sum(int(row[2]) for row in rows)
    emails = sum(int(row[5]) for row in rows)
    return AppendixTable(
        title="Ứng dụng công nghệ thông tin tại các tổ chức cơ sở đảng",
        subtitle="tính đến ngày 31/12/2010",
        columns=(
            Column("STT", 0.75, Align.CENTER),
            Column("Tổ chức cơ sở đảng", 4.0),
            Column("Số máy tính", 1.1, Align.RIGHT),
            Column("Kết nối Internet", 1.2, Align.CENTER),
            Column("Mạng nội bộ (LAN)", 1.2, Align.CENTER),
            Column("Cán bộ dùng thư điện tử", 1.4, Align.RIGHT),
        ),
        rows=(
            *rows,
            (
                "",
                "Tổng cộng",
                f"{total:,}".replace(",", "."),
                "",
                "",
                f"{emails:,}".replace(",", "."),
            ),
        ),
        row_kinds=(*(RowKind.NORMAL,) * len(rows), RowKind.TOTAL),
    )


def _signature(state: bool = False) -> SignatureBlock:
    if state:
        return SignatureBlock(authority="TM. ỦY BAN NHÂN DÂN", title="CHỦ TỊCH", name="Lê Văn Bình")
    return SignatureBlock(authority="T/M BAN THƯỜNG VỤ", title="BÍ THƯ", name="Nguyễn Văn An")


def sample_document(*, draft: bool = False) -> OfficialDocument:
    """The district Party report with two appendices (the second has 60 rows)."""
    return OfficialDocument(
        profile_id=PARTY_PROFILE,
        header=_header(None if draft else 12, None if draft else date(2026, 2, 5)),
        intro=(
            "Thực hiện Kế hoạch số 86-KH/TU của Ban Thường vụ Tỉnh ủy về tổng kết 10 năm thực "
            "hiện Chỉ thị số 58-CT/TW, Ban Thường vụ Huyện ủy Đông Sơn báo cáo như sau:",
        ),
        sections=_sections(),
        appendices=(_infrastructure_table(), unit_table(60)),
        signature=_signature(),
        recipients=(
            "Ban Thường vụ Tỉnh ủy (b/c)",
            "Ban Tuyên giáo Tỉnh ủy",
            "Văn phòng Tỉnh ủy",
            "Các đồng chí Huyện ủy viên",
        ),
        archive_line="Lưu Văn phòng Huyện ủy",
        draft=draft,
    )


def sample_state_document() -> OfficialDocument:
    """The same content as a report of the district People's Committee (NĐ 30 layout)."""
    header = DocumentHeader(
        superior_body="ỦY BAN NHÂN DÂN",
        issuing_body="HUYỆN ĐÔNG SƠN",
        number=12,
        type_abbr="BC",
        office_abbr="UBND",
        place="Đông Sơn",
        issued_on=date(2026, 2, 5),
        type_name="BÁO CÁO",
        summary="Kết quả ứng dụng công nghệ thông tin\ntrong hoạt động của cơ quan nhà nước",
        issuing_body_name="Ủy ban nhân dân huyện Đông Sơn",
    )
    return dataclasses.replace(
        sample_document(),
        profile_id=STATE_PROFILE,
        header=header,
        signature=_signature(state=True),
        recipients=(
            "Ủy ban nhân dân tỉnh (b/c)",
            "Sở Thông tin và Truyền thông",
            "Thường trực Huyện ủy",
            "Chủ tịch, các PCT UBND huyện",
        ),
        archive_line="Lưu: VT, VP",
    )


def large_document(indicator_rows: int = 200, text_pages: int = 30) -> OfficialDocument:
    """A stress document: about ``text_pages`` pages of text and a long indicator table."""
    paragraph = (
        "Các cấp ủy, tổ chức đảng đã tập trung lãnh đạo, chỉ đạo việc ứng dụng công nghệ thông "
        "tin trong công tác tham mưu, giúp việc; hạ tầng kỹ thuật từng bước được hoàn thiện, "
        "đội ngũ cán bộ được đào tạo, bồi dưỡng, đáp ứng yêu cầu nhiệm vụ trong tình hình mới. "
    ) * 2
    # About 6 paragraphs of this length fill an A4 page at 14 pt.
    sections = tuple(
        Section(
            f"Nội dung thứ {major}",
            children=tuple(
                Section(f"Nhiệm vụ {major}.{minor}", paragraphs=(paragraph,) * 3)
                for minor in range(1, 3)
            ),
        )
        for major in range(1, text_pages + 1)
    )
    base = sample_document()
    return dataclasses.replace(
        base, sections=sections, appendices=(base.appendices[0], unit_table(indicator_rows))
    )
