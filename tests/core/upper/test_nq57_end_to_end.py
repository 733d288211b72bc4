"""A province and three communes on the NQ 57 quarterly template, grid and task list included.

Each commune is a real workspace with its own key: it saves its first quarter, fills in and
approves the second, and sends it on the stick. The province imports the three bundles and
consolidates. Every total is checked against figures computed here, independently, from what
the communes typed: KPI cells summed, cumulative cells as the sum of both quarters, the rate
as a ratio of sums, the task-status grid with its total row, the tasks counted by status and
the overdue ones listed with their commune.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from desktop_app.core.model.offices import Office
from desktop_app.core.reports.records import ContentChanges
from desktop_app.core.reports.templates import bundled_template_files, load_template_file
from desktop_app.core.upper.consolidation import Consolidation
from desktop_app.core.upper.xlsx_export import consolidation_workbook
from desktop_app.core.workspace import Workspace
from tests.core.upper.helpers import (
    CENTRAL,
    CHEAP,
    PARTY_PROVINCE,
    PASSPHRASE,
    approve_and_export,
    imported,
    party_communes,
)

NQ57 = load_template_file(next(p for p in bundled_template_files() if p.stem == "nq57-quy-xa"))
TEMPLATE = NQ57.id
PROVINCE = PARTY_PROVINCE
COMMUNES = party_communes(3)
KPI_ROWS = [r.id for r in NQ57.grid("bieu_kpi").rows]
NARRATIVES = {
    "ban_chi_dao_ke_hoach": "Kiện toàn Ban Chỉ đạo; ban hành Kế hoạch 15-KH/ĐU.",
    "thong_ke_nhiem_vu": "Các nhiệm vụ đến hạn được thống kê tại Biểu 01 và phụ lục.",
    "giai_trinh_cham_tien_do": "Nhiệm vụ quá hạn do chờ kinh phí; hoàn thành trong quý III.",
    "han_che": "Hạ tầng tại một số thôn còn yếu.",
    "nguyen_nhan_chu_quan": "Chỉ đạo chưa quyết liệt.",
    "phuong_huong": "Hoàn thành số hóa hồ sơ đảng viên trước 30/9/2026.",
}
Q2_CUTOFF = date(2026, 6, 14)  # day 14 of the quarter's last month


def kpi_figures(n: int, quarter: int) -> dict[str, int]:
    """What commune ``n`` did in the quarter, row by row; a "trong đó" part below its whole."""
    done = {row: (n * 3 + i * quarter) % 11 + quarter for i, row in enumerate(KPI_ROWS)}
    done["ha_tang_tthcc"] = done["ha_tang"] // 2
    done["nen_tang_mang_dang"] = done["nen_tang"] - 1
    return done


def status_counts(n: int) -> dict[str, dict[str, int]]:
    return {
        "hoan_thanh": {"cap_tren_giao": 2 + n, "tu_de_ra": n},
        "trong_han": {"cap_tren_giao": 3, "tu_de_ra": 1},
        "qua_han": {"cap_tren_giao": n - 1, "tu_de_ra": 0},
        "thuong_xuyen": {"cap_tren_giao": 4, "tu_de_ra": 2 * n},
    }


def tasks(n: int) -> list[dict[str, str]]:
    """Commune n's tasks: n done, one ongoing in time, one whose deadline passed before the
    cut-off though it is still marked in time, and (for n ≥ 2) one marked overdue."""
    rows = [
        {
            "noi_dung": f"Nhiệm vụ hoàn thành {k}",
            "don_vi_chu_tri": "Văn phòng",
            "thoi_han": "15/05/2026",
            "tinh_trang": "Hoàn thành",
            "san_pham": "Kế hoạch",
        }
        for k in range(n)
    ]
    rows += [
        {
            "noi_dung": "Lắp camera tại Trung tâm",
            "don_vi_chu_tri": "UBND xã",
            "thoi_han": "30/09/2026",
            "tinh_trang": "trong_han",
        },
        {
            "noi_dung": f"Số hóa hồ sơ đảng viên (xã {n})",
            "don_vi_chu_tri": "Ban Tổ chức",
            "thoi_han": "31/05/2026",
            "tinh_trang": "trong_han",
        },
    ]
    if n >= 2:
        rows.append(
            {
                "noi_dung": f"Kết nối mạng chuyên dùng (xã {n})",
                "don_vi_chu_tri": "Văn phòng",
                "thoi_han": "30/04/2026",
                "tinh_trang": "qua_han",
            }
        )
    return rows


@dataclass
class Network:
    province: Workspace
    communes: list[Workspace]
    bundles: list[Path]
    q2_reports: list[str]


def open_office(root: Path, office: Office, parent: Office | None) -> Workspace:
    workspace = Workspace.open(root / office.code, automatic_backup=False, kdf_cost=CHEAP)
    workspace.initialise(office, install_bundled_templates=False)
    workspace.templates.install(NQ57)
    if parent is not None:
        workspace.add_unit(parent)
    workspace.keys.create(PASSPHRASE)
    return workspace


def file_quarter(commune: Workspace, n: int, period: str, quarter: int) -> str:
    report = commune.reports.new(TEMPLATE, period)
    changes = ContentChanges(
        values={
            "da_kien_toan_bcd": n != 3,
            "so_van_ban_chi_dao": n + quarter,
            "danh_gia_tien_do": "vang",
        },
        narratives=NARRATIVES,
        grids={
            "bieu_kpi": {row: {"thuc_hien": v} for row, v in kpi_figures(n, quarter).items()},
            "bieu_tinh_trang": status_counts(n),
        },
        lists={"nhiem_vu": tasks(n)},
    )
    commune.reports.save(report, changes)
    return report


@pytest.fixture(scope="module")
def network(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Network]:
    root = tmp_path_factory.mktemp("nq57")
    stick = root / "usb"
    stick.mkdir()
    province = open_office(root, PROVINCE, CENTRAL)
    communes, bundles, q2 = [], [], []
    for n, office in enumerate(COMMUNES, 1):
        commune = open_office(root, office, PROVINCE)
        province.add_unit(commune.office)
        public = province.keys.read_key_file(commune.keys.public_key_file())
        province.keys.trust_unit(public, office.code)
        file_quarter(commune, n, "2026Q1", 1)
        report = file_quarter(commune, n, "2026Q2", 2)
        assert [i for i in commune.reports.validate(report) if i.severity == "error"] == []
        bundles.append(approve_and_export(commune, report, stick))
        communes.append(commune)
        q2.append(report)
    imported(province, *bundles)
    yield Network(province, communes, bundles, q2)
    for workspace in (province, *communes):
        workspace.close()


@pytest.fixture(scope="module")
def result(network: Network) -> Consolidation:
    return network.province.upper.consolidate(TEMPLATE, "2026Q2")


def test_every_commune_counts(result: Consolidation) -> None:
    assert result.units_included == ("DU-01", "DU-02", "DU-03")
    assert result.units_missing == ()


def test_kpi_cells_are_summed_cell_by_cell_with_cumulative_and_previous_quarters(
    result: Consolidation,
) -> None:
    grid = result.grid("bieu_kpi")
    for row in KPI_ROWS:
        q1 = sum(kpi_figures(n, 1)[row] for n in (1, 2, 3))
        q2 = sum(kpi_figures(n, 2)[row] for n in (1, 2, 3))
        target = 3 * NQ57.grid("bieu_kpi").row(row).targets["2026"]
        assert grid.value(row, "thuc_hien") == q2, row
        assert grid.value(row, "quy_truoc") == q1, row
        assert grid.value(row, "luy_ke") == q1 + q2, row
        assert grid.value(row, "ke_hoach") == target, row
        assert grid.value(row, "ty_le_luy_ke") == Decimal(q1 + q2) / target * 100, row
        assert grid.cells[row, "thuc_hien"].units_counted == 3


def test_the_task_status_grid_adds_its_total_row_from_each_commune(result: Consolidation) -> None:
    grid = result.grid("bieu_tinh_trang")
    parts = ("hoan_thanh", "trong_han", "qua_han")
    for column in ("cap_tren_giao", "tu_de_ra"):
        expected = sum(status_counts(n)[row][column] for n in (1, 2, 3) for row in parts)
        assert grid.value("den_han", column) == expected
    done = sum(sum(status_counts(n)["hoan_thanh"].values()) for n in (1, 2, 3))
    assert grid.value("hoan_thanh", "tong_so") == done


def test_tasks_are_counted_by_status_and_the_overdue_ones_listed_with_their_commune(
    result: Consolidation,
) -> None:
    tasks_total = result.task_list("nhiem_vu")
    assert tasks_total.rows_by_unit == {"DU-01": 3, "DU-02": 5, "DU-03": 6}
    assert tasks_total.by_status == {
        "hoan_thanh": 6,
        "trong_han": 6,
        "qua_han": 2,
        "thuong_xuyen": 0,
    }
    assert tasks_total.by_unit_status["DU-02"] == {
        "hoan_thanh": 2,
        "trong_han": 2,
        "qua_han": 1,
        "thuong_xuyen": 0,
    }
    overdue = sorted((t.unit_name, str(t.row["noi_dung"])) for t in tasks_total.overdue)
    expected = sorted(
        [(COMMUNES[n - 1].name, f"Số hóa hồ sơ đảng viên (xã {n})") for n in (1, 2, 3)]
        + [(COMMUNES[n - 1].name, f"Kết nối mạng chuyên dùng (xã {n})") for n in (2, 3)]
    )
    assert overdue == expected  # "Lắp camera" is due after the cut-off: in time
    assert all(t.row["thoi_han"] < Q2_CUTOFF for t in tasks_total.overdue)


def test_indicators_still_consolidate_beside_the_grids(result: Consolidation) -> None:
    assert result.total("so_van_ban_chi_dao").value == sum(n + 2 for n in (1, 2, 3))
    assert result.total("da_kien_toan_bcd").value == 2


def test_the_consolidation_as_json_carries_grids_and_lists(result: Consolidation) -> None:
    shown = result.to_json()
    the_che = shown["grids"][1]["cells"]["the_che"]
    assert the_che["luy_ke"] == sum(kpi_figures(n, q)["the_che"] for n in (1, 2, 3) for q in (1, 2))
    assert shown["lists"][0]["by_status"]["qua_han"] == 2
    assert {t["unit_code"] for t in shown["lists"][0]["overdue"]} == {"DU-01", "DU-02", "DU-03"}


def test_the_province_holds_exactly_the_cells_and_rows_each_commune_approved(
    network: Network,
) -> None:
    for commune, report in zip(network.communes, network.q2_reports, strict=True):
        sent = commune.reports.content(report)
        received = network.province.reports.content(report)
        assert (received.grids, received.lists) == (sent.grids, sent.lists)


def test_a_new_revision_starts_from_the_approved_cells_and_rows(network: Network) -> None:
    commune, report = network.communes[0], network.q2_reports[0]
    approved = commune.reports.content(report)
    revision = commune.reports.new_revision(report)
    assert revision == 2
    draft = commune.reports.content(report)
    assert (draft.grids, draft.lists) == (approved.grids, approved.lists)


def test_the_consolidated_report_starts_from_the_totals_and_keeps_them(
    network: Network, result: Consolidation
) -> None:
    province = network.province
    report = province.upper.create_consolidated_report(TEMPLATE, "2026Q2", result=result)
    kpi = province.reports.content(report).grids["bieu_kpi"]
    for row in KPI_ROWS:
        q1 = sum(kpi_figures(n, 1)[row] for n in (1, 2, 3))
        q2 = sum(kpi_figures(n, 2)[row] for n in (1, 2, 3))
        target = 3 * NQ57.grid("bieu_kpi").row(row).targets["2026"]
        assert kpi[row] == {
            "ke_hoach": str(target),
            "thuc_hien": str(q2),
            "quy_truoc": str(q1),
            "luy_ke": str(q1 + q2),
        }
    status = province.reports.content(report).grids["bieu_tinh_trang"]
    assert "den_han" not in status  # a total row recomputes from its parts
    assert status["qua_han"]["cap_tren_giao"] == str(sum(n - 1 for n in (1, 2, 3)))
    # The clerk corrects one figure: the units' cumulative totals stay as they were.
    changes = ContentChanges(grids={"bieu_kpi": {"the_che": {"thuc_hien": 0}}})
    after = province.reports.save(report, changes).grids["bieu_kpi"]["the_che"]
    assert after["luy_ke"] == kpi["the_che"]["luy_ke"]
    sources = {s.indicator_id: s for s in province.upper.consolidation_sources(report)}
    assert sources["bieu_kpi/the_che/thuc_hien"].original_value == kpi["the_che"]["thuc_hien"]
    assert sources["bieu_kpi/the_che/thuc_hien"].units_count == 3


def test_a_cumulative_that_does_not_follow_the_quarter_received_before_is_flagged(
    tmp_path: Path,
) -> None:
    stick = tmp_path / "usb"
    stick.mkdir()
    province = open_office(tmp_path, PROVINCE, CENTRAL)
    commune = open_office(tmp_path, COMMUNES[0], PROVINCE)
    province.add_unit(commune.office)
    public = province.keys.read_key_file(commune.keys.public_key_file())
    province.keys.trust_unit(public, commune.office.code)
    first = file_quarter(commune, 1, "2026Q1", 1)
    imported(province, approve_and_export(commune, first, stick))
    # The commune corrects the first quarter at home and never sends the correction.
    commune.reports.new_revision(first)
    corrected = kpi_figures(1, 1)["the_che"] + 4
    commune.reports.save(
        first, ContentChanges(grids={"bieu_kpi": {"the_che": {"thuc_hien": corrected}}})
    )
    second = file_quarter(commune, 1, "2026Q2", 2)
    imported(province, approve_and_export(commune, second, stick))
    mismatches = province.upper.consolidate(TEMPLATE, "2026Q2").cumulative_mismatches
    received_q1 = kpi_figures(1, 1)["the_che"]
    q2 = kpi_figures(1, 2)["the_che"]
    assert [(m.unit_code, m.row_id, m.column_id, m.expected, m.found) for m in mismatches] == [
        ("DU-01", "the_che", "luy_ke", received_q1 + q2, corrected + q2)
    ]
    assert province.upper.consolidate(TEMPLATE, "2026Q1").cumulative_mismatches == ()
    province.close()
    commune.close()


def test_the_workbook_has_a_sheet_per_grid_the_task_counts_and_the_overdue_tasks(
    result: Consolidation,
) -> None:
    book = load_workbook(io.BytesIO(consolidation_workbook(result)))
    kpi = book["bieu_kpi"]
    assert [c.value for c in kpi[1]][:4] == ["STT", "Chỉ tiêu", "Đơn vị tính", "Kế hoạch năm"]
    first = [c.value for c in kpi[2]]
    q1 = sum(kpi_figures(n, 1)["the_che"] for n in (1, 2, 3))
    q2 = sum(kpi_figures(n, 2)["the_che"] for n in (1, 2, 3))
    assert first[:7] == [
        "1",
        NQ57.grid("bieu_kpi").row("the_che").label,
        "văn bản",
        12,
        q2,
        q1,
        q1 + q2,
    ]
    assert first[7] == pytest.approx((q1 + q2) / 12 * 100)
    assert [c.value for c in kpi[4]][1].startswith("    Trong đó")  # a part is indented
    tasks = book["nhiem_vu"]
    assert [c.value for c in tasks[tasks.max_row]] == [None, "Tổng cộng", 14, 6, 6, 2, 0]
    overdue = book["nhiem_vu_qua_han"]
    assert overdue.max_row == 1 + 5
    assert {row[1].value for row in overdue.iter_rows(min_row=2)} == {c.name for c in COMMUNES}
    assert all(isinstance(row[5].value, datetime) for row in overdue.iter_rows(min_row=2))
