"""A realistic demo workspace: a ward Party committee reporting on NQ 57 through 2026.

Since 01/07/2025 the district level no longer exists; the office that does the old huyện ủy's
reporting work is the Party committee of a commune or ward under the province, so the demo
office is the Party committee of Hạc Thành ward (Thanh Hóa), with two of the communes around it
registered as units so the upper-office screens have something to show.

Its 2026 is the quarterly report on Nghị quyết 57-NQ/TW (``nq57-quy-xa``): the first and second
quarters approved, the second also sent up, the third waiting for the head's approval, the
fourth being written. Each quarter's task list is the annex a ward keeps under the eight groups
of tasks of Kế hoạch 02-KH/BCĐTW; the task-status table (Biểu 01) is counted from that list, and
the KPI table (Biểu 02) carries what was done each quarter, so its cumulative column agrees from
quarter to quarter. One IT report (``cntt-quy``) of the same year shows a format-1 report beside
it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from desktop_app.core.model.offices import Office
from desktop_app.core.reports.records import ContentChanges
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

# The demo's key is sealed with this passphrase so that a visitor can approve the third
# quarter and send it, as the user guide shows; a real office chooses its own.
DEMO_PASSPHRASE = "hacthanh2026"
DEMO_SIGNER = ("Lê Văn Hùng", "Bí thư")

NQ57 = "nq57-quy-xa"
KPI_GRID, STATUS_GRID, TASK_LIST = "bieu_kpi", "bieu_tinh_trang", "nhiem_vu"

# --- the task list (Phụ lục) -----------------------------------------------------------------

KH_TU = "28-KH/TU ngày 15/01/2026"  # the plan of the province's standing committee
CV_BCD = "512-CV/BCĐ ngày 03/3/2026"  # a letter of the province's steering committee
KH_02 = "02-KH/BCĐTW ngày 19/6/2025"
KH_DU = "12-KH/ĐU ngày 20/01/2026"  # the ward's own plan
OWN_PLANS = frozenset({KH_DU})  # the committee set these tasks itself ("Cấp ủy tự đề ra")


@dataclass(frozen=True)
class Task:
    """One row of the annex, and its status at each quarter's cut-off (absent: not listed)."""

    content: str
    assigned_by: str
    lead: str
    deadline: str  # dd/mm/yyyy as typed; "" for a standing task
    product: str
    status: Mapping[int, str]


TASKS = (
    Task(
        "Kiện toàn Ban Chỉ đạo về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển "
        "đổi số của Đảng ủy phường",
        KH_TU,
        "Văn phòng Đảng ủy",
        "31/01/2026",
        "Quyết định 215-QĐ/ĐU kiện toàn Ban Chỉ đạo",
        {1: "hoan_thanh"},
    ),
    Task(
        "Ban hành Quy chế làm việc của Ban Chỉ đạo, phân công thành viên phụ trách 8 nhóm nhiệm vụ",
        KH_DU,
        "Văn phòng Đảng ủy",
        "28/02/2026",
        "Quy chế 03-QC/ĐU",
        {1: "hoan_thanh"},
    ),
    Task(
        "Bố trí kinh phí chuyển đổi số năm 2026 của phường",
        KH_TU,
        "Ủy ban nhân dân phường",
        "31/03/2026",
        "Quyết định giao dự toán 500 triệu đồng",
        {1: "hoan_thanh"},
    ),
    Task(
        "Kết nối mạng truyền số liệu chuyên dùng đến Trung tâm phục vụ hành chính công phường",
        KH_TU,
        "Ủy ban nhân dân phường",
        "31/03/2026",
        "08 máy tính tại Trung tâm kết nối mạng chuyên dùng",
        {1: "trong_han", 2: "qua_han", 3: "hoan_thanh"},
    ),
    Task(
        "Làm sạch dữ liệu dân cư, đất đai của 12 khu phố phục vụ chính quyền số",
        CV_BCD,
        "Công an phường",
        "30/06/2026",
        "Dữ liệu 12 khu phố được làm sạch, đồng bộ với cơ sở dữ liệu quốc gia",
        {1: "trong_han", 2: "hoan_thanh"},
    ),
    Task(
        "Triển khai Sổ tay đảng viên điện tử đến 100% chi bộ trực thuộc",
        KH_TU,
        "Ban Xây dựng Đảng",
        "31/05/2026",
        "42/42 chi bộ sinh hoạt có dùng Sổ tay đảng viên điện tử",
        {1: "trong_han", 2: "qua_han", 3: "qua_han", 4: "hoan_thanh"},
    ),
    Task(
        "Kiện toàn tổ công nghệ số cộng đồng tại 18 khu phố",
        KH_DU,
        "Ủy ban Mặt trận Tổ quốc Việt Nam phường",
        "30/04/2026",
        "18 tổ công nghệ số cộng đồng có quyết định thành lập",
        {1: "trong_han", 2: "hoan_thanh"},
    ),
    Task(
        "Kiểm tra an toàn thông tin, bảo vệ bí mật nhà nước trên máy tính của các cơ quan phường",
        CV_BCD,
        "Văn phòng Đảng ủy",
        "30/06/2026",
        "Biên bản kiểm tra 64 máy tính, 03 máy được khắc phục",
        {1: "trong_han", 2: "hoan_thanh"},
    ),
    Task(
        "Số hóa hồ sơ đảng viên của 42 chi bộ trực thuộc",
        KH_TU,
        "Ban Xây dựng Đảng",
        "15/12/2026",
        "400 hồ sơ đảng viên được số hóa, cập nhật phần mềm quản lý đảng viên",
        {1: "trong_han", 2: "trong_han", 3: "trong_han", 4: "trong_han"},
    ),
    Task(
        "Ủy ban Mặt trận Tổ quốc và các đoàn thể phường dùng phần mềm quản lý văn bản, quản lý "
        "đoàn viên, hội viên",
        KH_02,
        "Ủy ban Mặt trận Tổ quốc Việt Nam phường",
        "30/09/2026",
        "06 tổ chức dùng phần mềm quản lý văn bản",
        {1: "trong_han", 2: "trong_han", 3: "trong_han", 4: "hoan_thanh"},
    ),
    Task(
        "Tập huấn kỹ năng số cho cán bộ, đảng viên và tổ công nghệ số cộng đồng",
        KH_DU,
        "Trung tâm Chính trị phường",
        "31/12/2026",
        "200 lượt cán bộ, đảng viên được tập huấn",
        {1: "trong_han", 2: "trong_han", 3: "trong_han", 4: "trong_han"},
    ),
    Task(
        "Diễn tập ứng cứu sự cố an toàn thông tin",
        KH_DU,
        "Công an phường",
        "30/11/2026",
        "01 cuộc diễn tập, kịch bản và báo cáo kết quả",
        {3: "trong_han", 4: "hoan_thanh"},
    ),
    Task(
        "Phát hành văn bản đi của Đảng ủy trên Hệ thống quản lý văn bản và điều hành, có ký số",
        KH_TU,
        "Văn phòng Đảng ủy",
        "",
        "Văn bản đi được ký số, gửi trên hệ thống",
        {1: "thuong_xuyen", 2: "thuong_xuyen", 3: "thuong_xuyen", 4: "thuong_xuyen"},
    ),
    Task(
        "Tiếp nhận, giải quyết thủ tục hành chính trực tuyến toàn trình",
        KH_02,
        "Ủy ban nhân dân phường",
        "",
        "Hồ sơ trực tuyến toàn trình tại Trung tâm phục vụ hành chính công",
        {1: "thuong_xuyen", 2: "thuong_xuyen", 3: "thuong_xuyen", 4: "thuong_xuyen"},
    ),
)


def task_rows(quarter: int) -> list[dict[str, str]]:
    """The annex of one quarter as the list editor stores it."""
    return [
        {
            "noi_dung": task.content,
            "van_ban_giao": task.assigned_by,
            "don_vi_chu_tri": task.lead,
            "thoi_han": task.deadline,
            "san_pham": task.product,
            "tinh_trang": task.status[quarter],
        }
        for task in TASKS
        if quarter in task.status
    ]


def status_table(quarter: int) -> dict[str, dict[str, int]]:
    """Biểu 01 counted from the annex: tasks by status, assigned from above or set here."""
    counts = Counter(
        (task.status[quarter], task.assigned_by in OWN_PLANS)
        for task in TASKS
        if quarter in task.status
    )
    return {
        status: {"cap_tren_giao": counts[status, False], "tu_de_ra": counts[status, True]}
        for status in ("hoan_thanh", "trong_han", "qua_han", "thuong_xuyen")
    }


def overdue(quarter: int) -> list[Task]:
    return [task for task in TASKS if task.status.get(quarter) == "qua_han"]


# --- the KPI table (Biểu 02): what was done in each quarter, row by row ----------------------

KPI_DONE: dict[int, dict[str, int]] = {
    1: {
        "the_che": 1,
        "ha_tang": 5,
        "ha_tang_tthcc": 3,
        "du_lieu": 60,
        "nen_tang": 132,
        "nen_tang_mang_dang": 58,
        "nhan_luc": 45,
        "tai_chinh": 80,
        "mat_tran_doan_the": 1,
        "an_toan_thong_tin": 0,
    },
    2: {
        "the_che": 1,
        "ha_tang": 6,
        "ha_tang_tthcc": 2,
        "du_lieu": 95,
        "nen_tang": 148,
        "nen_tang_mang_dang": 71,
        "nhan_luc": 62,
        "tai_chinh": 120,
        "mat_tran_doan_the": 2,
        "an_toan_thong_tin": 1,
    },
    3: {
        "the_che": 1,
        "ha_tang": 4,
        "ha_tang_tthcc": 3,
        "du_lieu": 110,
        "nen_tang": 156,
        "nen_tang_mang_dang": 80,
        "nhan_luc": 38,
        "tai_chinh": 140,
        "mat_tran_doan_the": 1,
        "an_toan_thong_tin": 0,
    },
    # The fourth quarter is being written: the clerk has entered what is known so far.
    4: {
        "the_che": 1,
        "du_lieu": 70,
        "nen_tang": 61,
        "nen_tang_mang_dang": 30,
        "nhan_luc": 20,
        "mat_tran_doan_the": 2,
        "an_toan_thong_tin": 1,
    },
}
DIRECTIVES_ISSUED = {1: 4, 2: 3, 3: 2, 4: 1}  # "Số văn bản lãnh đạo, chỉ đạo ban hành"


def cumulative(row: str, quarter: int) -> int:
    return sum(KPI_DONE[q].get(row, 0) for q in range(1, quarter + 1))


# --- the narratives --------------------------------------------------------------------------

QUARTER_NAMES = {1: "quý I", 2: "quý II", 3: "quý III", 4: "quý IV"}


def _leadership(quarter: int) -> str:
    opening = {
        1: "Ngay sau khi Ban Thường vụ Tỉnh ủy ban hành Kế hoạch 28-KH/TU, Ban Thường vụ Đảng ủy "
        "phường đã kiện toàn Ban Chỉ đạo về phát triển khoa học, công nghệ, đổi mới sáng tạo và "
        "chuyển đổi số (Quyết định 215-QĐ/ĐU), do đồng chí Bí thư Đảng ủy làm Trưởng ban; ban "
        "hành Kế hoạch 12-KH/ĐU thực hiện Nghị quyết 57-NQ/TW năm 2026 với 14 nhiệm vụ, mỗi "
        "nhiệm vụ có sản phẩm, thời hạn và đơn vị chủ trì cụ thể.",
        2: "Ban Thường vụ Đảng ủy phường ban hành Chỉ thị 05-CT/ĐU về đẩy mạnh số hóa hồ sơ "
        "đảng viên và Thông báo kết luận về tiến độ các nhiệm vụ chậm; Ban Chỉ đạo họp định kỳ "
        "hằng tháng, kiểm tra tiến độ tại 6 chi bộ khu phố.",
        3: "Ban Chỉ đạo sơ kết 6 tháng thực hiện Kế hoạch 12-KH/ĐU, bổ sung nhiệm vụ diễn tập "
        "ứng cứu sự cố an toàn thông tin; Thường trực Đảng ủy làm việc với Ủy ban nhân dân "
        "phường về các nhiệm vụ còn chậm.",
        4: "Ban Thường vụ Đảng ủy phường chỉ đạo rà soát toàn bộ nhiệm vụ năm 2026, tập trung "
        "hoàn thành số hóa hồ sơ đảng viên trước 15/12/2026.",
    }[quarter]
    issued = DIRECTIVES_ISSUED[quarter]
    return (
        f"{opening} Trong {QUARTER_NAMES[quarter]}, Đảng ủy ban hành {issued:02d} văn bản lãnh "
        "đạo, chỉ đạo về Nghị quyết 57; 100% chi bộ trực thuộc quán triệt, đưa nội dung chuyển "
        "đổi số vào sinh hoạt chi bộ thường kỳ."
    )


def _task_count(quarter: int) -> str:
    table = status_table(quarter)
    done, ongoing, late, standing = (
        sum(table[s].values()) for s in ("hoan_thanh", "trong_han", "qua_han", "thuong_xuyen")
    )
    due = done + ongoing + late
    text = (
        f"Tổng số nhiệm vụ đến hạn và đang thực hiện trong {QUARTER_NAMES[quarter]} là {due}, "
        f"trong đó {done} nhiệm vụ hoàn thành, {ongoing} nhiệm vụ đang thực hiện trong hạn"
    )
    text += f", {late} nhiệm vụ quá hạn" if late else ", không có nhiệm vụ quá hạn"
    return (
        f"{text}; {standing} nhiệm vụ thực hiện thường xuyên. Chi tiết từng nhiệm vụ, sản phẩm "
        "và đơn vị chủ trì tại Phụ lục kèm theo."
    )


def _delays(quarter: int) -> str:
    reasons = {
        "Kết nối mạng truyền số liệu chuyên dùng đến Trung tâm phục vụ hành chính công phường": (
            "do thiết bị chuyển mạch được cấp chậm so với kế hoạch của nhà cung cấp; Ủy ban nhân "
            "dân phường đã làm việc với Viễn thông Thanh Hóa, cam kết hoàn thành trong tháng 7/2026"
        ),
        "Triển khai Sổ tay đảng viên điện tử đến 100% chi bộ trực thuộc": (
            "do 9 chi bộ khu phố có nhiều đảng viên cao tuổi chưa có điện thoại thông minh; Ban "
            "Xây dựng Đảng phối hợp Đoàn Thanh niên hỗ trợ cài đặt tại nhà, thời hạn mới "
            "31/10/2026"
        ),
    }
    return " ".join(
        f"Nhiệm vụ «{task.content}» (thời hạn {task.deadline}) chậm tiến độ "
        f"{reasons[task.content]}."
        for task in overdue(quarter)
    )


def _group_results(quarter: int) -> dict[str, str]:
    def done(row: str) -> int:
        return KPI_DONE[quarter].get(row, 0)

    def so_far(row: str) -> int:
        return cumulative(row, quarter)

    name = QUARTER_NAMES[quarter]
    return {
        "nhom_the_che": f"Trong {name} ban hành {done('the_che'):02d} văn bản về chuyển đổi số, "
        f"lũy kế {so_far('the_che')}/4 văn bản theo kế hoạch năm; rà soát, đề nghị bãi bỏ các "
        "mẫu giấy tờ không còn cần thiết khi đã khai thác được dữ liệu dân cư.",
        "nhom_ha_tang": f"Kết nối thêm {done('ha_tang'):02d} máy tính vào mạng truyền số liệu "
        f"chuyên dùng (lũy kế {so_far('ha_tang')}/20 máy), trong đó {done('ha_tang_tthcc'):02d} "
        "máy tại Trung tâm phục vụ hành chính công; wifi công cộng phủ 18/18 nhà văn hóa khu phố.",
        "nhom_du_lieu": f"Số hóa {done('du_lieu')} hồ sơ đảng viên, lũy kế {so_far('du_lieu')}/400 "
        "hồ sơ; dữ liệu dân cư của phường được làm sạch, đồng bộ với cơ sở dữ liệu quốc gia.",
        "nhom_nen_tang": f"Phát hành {done('nen_tang')} văn bản đi có ký số trên Hệ thống quản lý "
        f"văn bản và điều hành, trong đó {done('nen_tang_mang_dang')} văn bản gửi qua mạng thông "
        "tin diện rộng của Đảng; 100% hồ sơ thủ tục hành chính được tiếp nhận, trả kết quả trên "
        "Cổng dịch vụ công.",
        "nhom_nhan_luc": f"Tổ chức tập huấn kỹ năng số cho {done('nhan_luc')} lượt cán bộ, đảng "
        f"viên và thành viên tổ công nghệ số cộng đồng, lũy kế {so_far('nhan_luc')}/200 lượt.",
        "nhom_tai_chinh": f"Giải ngân {done('tai_chinh')} triệu đồng cho chuyển đổi số, lũy kế "
        f"{so_far('tai_chinh')}/500 triệu đồng dự toán năm, chủ yếu mua sắm thiết bị và "
        "thuê dịch vụ số hóa hồ sơ.",
        "nhom_mat_tran_doan_the": f"Thêm {done('mat_tran_doan_the'):02d} tổ chức chính trị - xã "
        f"hội dùng phần mềm quản lý văn bản, lũy kế {so_far('mat_tran_doan_the')}/6 tổ chức.",
        "nhom_an_toan_thong_tin": (
            f"Tổ chức {done('an_toan_thong_tin'):02d} cuộc kiểm tra an toàn thông tin, lũy kế "
            f"{so_far('an_toan_thong_tin')}/2 cuộc; "
            + (
                "không xảy ra sự cố mất an toàn thông tin."
                if quarter != 2
                else "phát hiện, khắc phục 03 máy tính chưa cập nhật bản vá bảo mật."
            )
        ),
    }


LIMITS = {
    1: "Hạ tầng tại Trung tâm phục vụ hành chính công chưa đồng bộ; một số chi bộ khu phố "
    "chưa chủ động triển khai Sổ tay đảng viên điện tử.",
    2: "Còn 02 nhiệm vụ quá hạn (kết nối mạng chuyên dùng tại Trung tâm phục vụ hành chính công; "
    "Sổ tay đảng viên điện tử); tỷ lệ đảng viên cao tuổi dùng thành thạo thiết bị số còn thấp.",
    3: "Nhiệm vụ triển khai Sổ tay đảng viên điện tử vẫn chậm; số lượt tập huấn trong quý giảm "
    "do trùng thời gian cao điểm thu hoạch và chuẩn bị năm học mới.",
    4: "Tiến độ số hóa hồ sơ đảng viên cần đẩy nhanh để kịp thời hạn 15/12/2026.",
}
OWN_CAUSES = {
    1: "Một số cấp ủy chi bộ chưa quan tâm đúng mức; việc phân công cán bộ phụ trách chuyển đổi "
    "số ở khu phố còn kiêm nhiệm.",
    2: "Việc kiểm tra, đôn đốc của Ban Chỉ đạo đối với các nhiệm vụ liên quan đến nhà cung cấp "
    "chưa thường xuyên; chưa có phương án hỗ trợ đảng viên cao tuổi.",
    3: "Phân công hỗ trợ đảng viên cao tuổi chưa cụ thể đến từng chi bộ; kinh phí mua thiết bị "
    "cho tổ công nghệ số cộng đồng bố trí chậm.",
    4: "Nhân lực số hóa hồ sơ còn mỏng.",
}
OUTSIDE_CAUSES = (
    "Phường mới hình thành sau sắp xếp đơn vị hành chính, khối lượng công việc lớn; nhiều "
    "văn bản hướng dẫn của cấp trên ban hành trong năm."
)
NEXT_QUARTER = {
    1: "Hoàn thành kết nối mạng chuyên dùng tại Trung tâm phục vụ hành chính công, làm sạch dữ "
    "liệu dân cư, đất đai trước 30/6/2026; kiện toàn tổ công nghệ số cộng đồng tại 18 khu phố.",
    2: "Hoàn thành kết nối mạng chuyên dùng trong tháng 7/2026; triển khai Sổ tay đảng viên "
    "điện tử đến 100% chi bộ; số hóa thêm 110 hồ sơ đảng viên. Kiến nghị Ban Chỉ đạo tỉnh hỗ "
    "trợ thiết bị cho tổ công nghệ số cộng đồng.",
    3: "Hoàn thành Sổ tay đảng viên điện tử trước 31/10/2026, số hóa hồ sơ đảng viên trước "
    "15/12/2026, diễn tập ứng cứu sự cố an toàn thông tin; sơ kết năm thực hiện Nghị quyết 57.",
}


def narratives(quarter: int) -> dict[str, str]:
    texts = {
        "ban_chi_dao_ke_hoach": _leadership(quarter),
        "thong_ke_nhiem_vu": _task_count(quarter),
        **_group_results(quarter),
        "han_che": LIMITS[quarter],
        "nguyen_nhan_khach_quan": OUTSIDE_CAUSES,
        "nguyen_nhan_chu_quan": OWN_CAUSES[quarter],
    }
    if overdue(quarter):
        texts["giai_trinh_cham_tien_do"] = _delays(quarter)
    if quarter in NEXT_QUARTER:
        texts["phuong_huong"] = NEXT_QUARTER[quarter]
    return texts


def nq57_changes(quarter: int) -> ContentChanges:
    """Everything the clerk has entered in one quarter's NQ 57 report."""
    writing = quarter == 4  # the report still being written has its first sections only
    texts = narratives(quarter)
    if writing:
        texts = {key: texts[key] for key in ("ban_chi_dao_ke_hoach", "thong_ke_nhiem_vu")}
    return ContentChanges(
        values={
            "da_kien_toan_bcd": True,
            "so_van_ban_chi_dao": DIRECTIVES_ISSUED[quarter],
            "danh_gia_tien_do": "vang" if overdue(quarter) else "xanh",
        },
        narratives=texts,
        grids={
            KPI_GRID: {row: {"thuc_hien": n} for row, n in KPI_DONE[quarter].items()},
            STATUS_GRID: status_table(quarter),
        },
        lists={TASK_LIST: task_rows(quarter)},
    )


# --- the IT report kept beside it (format 1) ---------------------------------------------------

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


def build_demo(workspace: Workspace) -> list[str]:
    """Fill ``workspace`` with the demo office and reports; running it again adds nothing."""
    if not workspace.is_initialised:
        workspace.initialise(DEMO_OFFICE)
        _add_units(workspace)
    existing = workspace.reports.summaries()
    if existing:
        return [r.id for r in existing]
    workspace.keys.create(DEMO_PASSPHRASE)
    reports = workspace.reports
    quarters = {q: _nq57_report(workspace, q) for q in (1, 2, 3, 4)}  # in order: cumulative
    for q in (1, 2):
        reports.approve(quarters[q], *DEMO_SIGNER, DEMO_PASSPHRASE)
    workspace.exchange.prepare_export([quarters[2]], DEMO_PASSPHRASE)
    reports.mark_ready(quarters[3])
    it_report = reports.new("cntt-quy", "2026Q4")
    begun = dict(list(IT_NARRATIVES.items())[:3])  # begun, like the NQ 57 report of the quarter
    reports.save(it_report, ContentChanges(values=IT_FIGURES, narratives=begun))
    return [*quarters.values(), it_report]


def _nq57_report(workspace: Workspace, quarter: int) -> str:
    report_id = workspace.reports.new(NQ57, f"2026Q{quarter}")
    workspace.reports.save(report_id, nq57_changes(quarter))
    return report_id


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
