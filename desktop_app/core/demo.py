"""A realistic demo workspace: a commune-level Party committee and reports in several states.

Since 01/07/2025 the district level no longer exists; the office that does the old huyện ủy's
reporting work is the Party committee of a commune or ward under the province, so the demo
office is the Party committee of Hạc Thành ward (Thanh Hóa), with two of the communes around it
registered as units so the upper-office screens have something to show.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from desktop_app.core.model.offices import Office
from desktop_app.core.model.periods import current_period
from desktop_app.core.reports.records import ContentChanges
from desktop_app.core.reports.templates import Template
from desktop_app.core.workspace import Workspace

DEMO_OFFICE = Office(
    code="DU-14797",
    name="Đảng ủy phường Hạc Thành",
    level="commune",
    block="party",
    abbreviation="ĐU",
    parent_code="TU-38",
    superior_name="ĐẢNG BỘ TỈNH THANH HÓA",
    place="Hạc Thành",
)

IT_FIGURES: dict[str, object] = {
    "tong_may_tinh": 64,
    "may_tinh_ket_noi": 61,
    "bang_thong_internet": "150",
    "ket_noi_mang_chuyen_dung": True,
    "tong_can_bo": 58,
    "can_bo_biet_su_dung": 55,
    "can_bo_chuyen_trach_cntt": 2,
    "luot_tap_huan": 46,
    "he_thong_qlvb": "Hệ thống quản lý văn bản và điều hành của Tỉnh ủy",
    "van_ban_di": 412,
    "van_ban_di_ky_so": 398,
    "co_trang_tin": True,
    "muc_do_dvc": "toan_trinh",
    "so_dvc_toan_trinh": 27,
    "tong_ho_so": 1875,
    "ho_so_truc_tuyen": 1432,
    "co_phe_duyet_cap_do": True,
    "may_tinh_diet_virus": 64,
    "so_su_co_attt": 1,
    "thoi_gian_khac_phuc_dai_nhat": "6",
    "ngay_ban_hanh_ke_hoach": "15/01/2026",
    "kinh_phi_cntt": "385,5",  # triệu đồng, the unit of the indicator
}

IT_NARRATIVES = {
    "chi_dao_dieu_hanh": (
        "Ban Thường vụ Đảng ủy phường ban hành Kế hoạch số 15-KH/ĐU về ứng dụng công nghệ "
        "thông tin và chuyển đổi số năm 2026; phân công đồng chí Phó Bí thư Thường trực "
        "trực tiếp chỉ đạo. "
        "Trong quý, Đảng ủy tổ chức 01 hội nghị quán triệt, lồng ghép nội dung chuyển đổi số vào "
        "sinh hoạt chi bộ thường kỳ tại 100% chi bộ trực thuộc."
    ),
    "kq_ha_tang": (
        "Toàn phường có 64 máy tính phục vụ công tác, trong đó 61 máy kết nối Internet băng thông "
        "rộng; 100% máy tính được cài phần mềm diệt virus có bản quyền. Mạng truyền số liệu chuyên "
        "dùng đã kết nối đến cơ quan Đảng ủy và Ủy ban nhân dân phường."
    ),
    "kq_nhan_luc": (
        "Có 55/58 cán bộ, công chức sử dụng thành thạo máy tính trong công việc; 02 công chức "
        "chuyên trách công nghệ thông tin. Trong quý tổ chức 02 lớp tập huấn kỹ năng số với 46 "
        "lượt người tham gia."
    ),
    "kq_ung_dung": (
        "100% văn bản đi của Đảng ủy được phát hành qua Hệ thống quản lý văn bản và điều hành, "
        "trong đó 398/412 văn bản được ký số. Bộ phận một cửa tiếp nhận 1.875 hồ sơ, trong đó "
        "1.432 hồ sơ nộp trực tuyến."
    ),
    "kq_an_toan_kinh_phi": (
        "Hệ thống thông tin của phường đã được phê duyệt cấp độ an toàn. Trong quý xảy ra 01 sự cố "
        "mã độc trên máy trạm, khắc phục trong 6 giờ, không ảnh hưởng dữ liệu. Kinh phí chi cho "
        "công nghệ thông tin trong quý là 385,5 triệu đồng."
    ),
    "ket_qua_noi_bat": (
        "Tỷ lệ văn bản đi được ký số đạt trên 96%; tỷ lệ hồ sơ trực tuyến đạt trên 76%, vượt chỉ "
        "tiêu Nghị quyết Đại hội Đảng bộ phường đề ra."
    ),
    "ton_tai_han_che": (
        "Một số máy tính đã cũ, cấu hình thấp; 03 cán bộ lớn tuổi còn hạn chế kỹ năng số; kinh phí "
        "đầu tư cho an toàn thông tin còn ít so với nhu cầu."
    ),
    "nhiem_vu_quy_toi": (
        "Tiếp tục thay thế máy tính cũ; tổ chức tập huấn ký số cho chi bộ khu dân cư; phấn đấu tỷ "
        "lệ hồ sơ trực tuyến đạt trên 80%."
    ),
}

REVIEW_TEXT = (
    "Quán triệt sâu sắc chủ trương của Đảng, Ban Thường vụ Đảng ủy đã ban hành kế hoạch thực hiện, "
    "phân công rõ trách nhiệm từng đồng chí cấp ủy viên; định kỳ kiểm tra, đôn đốc và sơ kết rút "
    "kinh nghiệm. Nhận thức của cán bộ, đảng viên về vai trò của công nghệ thông tin được nâng lên "
    "rõ rệt; nhiều mô hình ứng dụng hiệu quả được nhân rộng."
)


def build_demo(workspace: Workspace) -> list[str]:
    """Fill ``workspace`` with the demo office and reports; running it again adds nothing."""
    if not workspace.is_initialised:
        workspace.initialise(DEMO_OFFICE)
        _add_units(workspace)
    existing = workspace.reports.summaries()
    if existing:
        return [r.id for r in existing]
    templates = {t.id: t for t in workspace.templates.newest()}
    report_ids = [
        _it_report(workspace, "2026Q2", IT_FIGURES, ready=True),
        _it_report(workspace, "2026Q3", IT_FIGURES, ready=True),
        _it_report(workspace, "2026Q4", _partial(IT_FIGURES), ready=False),
    ]
    for template_id in ("ct58-tongket-10nam", "nq36-so-ket", "de-an-06-tong-ket"):
        if template_id in templates:
            report_ids.append(_review_report(workspace, templates[template_id]))
    return report_ids


def _add_units(workspace: Workspace) -> None:
    for code, name in (
        ("DU-14812", "Đảng ủy phường Bỉm Sơn"),
        ("DU-14758", "Đảng ủy phường Hàm Rồng"),
    ):
        workspace.add_unit(
            Office(
                code=code,
                name=name,
                level="commune",
                block="party",
                abbreviation="ĐU",
                parent_code=DEMO_OFFICE.code,
                valid_from="2025-07-01",
            )
        )


def _it_report(
    workspace: Workspace, period: str, figures: Mapping[str, object], ready: bool
) -> str:
    report_id = workspace.reports.new("cntt-quy", period)
    narratives = IT_NARRATIVES if ready else dict(list(IT_NARRATIVES.items())[:3])
    workspace.reports.save(report_id, ContentChanges(values=dict(figures), narratives=narratives))
    if ready:
        workspace.reports.mark_ready(report_id)
    return report_id


def _partial(figures: Mapping[str, object]) -> dict[str, object]:
    keep = ("tong_may_tinh", "may_tinh_ket_noi", "tong_can_bo", "can_bo_biet_su_dung", "muc_do_dvc")
    return {key: figures[key] for key in keep}


def _review_report(workspace: Workspace, template: Template) -> str:
    period = template.period_label or current_period(template.period_type, date.today()).code
    report_id = workspace.reports.new(template.id, period)
    sections = [s for _, s in template.walk_sections() if s.narrative][:2]
    workspace.reports.save(
        report_id, ContentChanges(narratives={s.id: REVIEW_TEXT for s in sections})
    )
    return report_id
