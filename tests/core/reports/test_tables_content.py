"""Grid cells and list rows saved through ``ws.reports.save`` into a real store: what the clerk
gets back, computed and derived cells, the checks, refusals, revisions and the audit."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from desktop_app.core.catalogue import describe
from desktop_app.core.errors import CoreError
from desktop_app.core.model.offices import Office
from desktop_app.core.reports.records import ContentChanges, document_changes, report_document
from desktop_app.core.reports.table_values import grid_figures
from desktop_app.core.reports.templates import (
    Template,
    TemplateError,
    bundled_template_files,
    load_template_bytes,
    load_template_file,
)
from desktop_app.core.workspace import Workspace
from tests.core.upper.helpers import CHEAP

NQ57_FILE = next(p for p in bundled_template_files() if p.stem == "nq57-quy-xa")
NQ57 = load_template_file(NQ57_FILE)
COMMUNE = Office(
    code="DU-01", name="Đảng ủy xã An Phú", level="commune", block="party", abbreviation="ĐU"
)
TASK = {
    "noi_dung": "Số hóa hồ sơ đảng viên",
    "don_vi_chu_tri": "Văn phòng Đảng ủy",
    "thoi_han": "30/06/2026",
    "tinh_trang": "Đang thực hiện trong hạn",
}


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    workspace = Workspace.open(tmp_path / "xa", automatic_backup=False, kdf_cost=CHEAP)
    workspace.initialise(COMMUNE, install_bundled_templates=False)
    workspace.templates.install(NQ57)
    yield workspace
    workspace.close()


def kpi(done: int, **more: int) -> dict[str, dict[str, object]]:
    return {"the_che": {"thuc_hien": done}, **{row: {"thuc_hien": v} for row, v in more.items()}}


def test_cells_and_rows_come_back_as_stored_texts(workspace: Workspace) -> None:
    report = workspace.reports.new("nq57-quy-xa", "2026Q1")
    changes = ContentChanges(
        grids={"bieu_tinh_trang": {"hoan_thanh": {"cap_tren_giao": "3", "tu_de_ra": 1}}},
        lists={"nhiem_vu": [TASK, {}]},  # the editor's blank last line is dropped
    )
    content = workspace.reports.save(report, changes)
    assert content.grids["bieu_tinh_trang"] == {
        "hoan_thanh": {"cap_tren_giao": "3", "tu_de_ra": "1"}
    }
    assert content.lists["nhiem_vu"] == [
        {
            "noi_dung": "Số hóa hồ sơ đảng viên",
            "don_vi_chu_tri": "Văn phòng Đảng ủy",
            "thoi_han": "2026-06-30",
            "tinh_trang": "trong_han",
        }
    ]
    assert workspace.reports.content(report) == content
    actions = [(h["action"], h["field"]) for h in workspace.reports.history(report)]
    assert ("cell.set", "bieu_tinh_trang/hoan_thanh/cap_tren_giao") in actions
    assert ("list.set", "nhiem_vu") in actions


def test_row_and_column_formulas_compute_totals(workspace: Workspace) -> None:
    report = workspace.reports.new("nq57-quy-xa", "2026Q1")
    cells = {
        "hoan_thanh": {"cap_tren_giao": 4, "tu_de_ra": 2},
        "trong_han": {"cap_tren_giao": 3, "tu_de_ra": 0},
        "qua_han": {"cap_tren_giao": 1, "tu_de_ra": 1},
        "thuong_xuyen": {"cap_tren_giao": 5},
    }
    content = workspace.reports.save(report, ContentChanges(grids={"bieu_tinh_trang": cells}))
    figures = grid_figures(NQ57.grid("bieu_tinh_trang"), content.grids["bieu_tinh_trang"])
    assert figures["den_han", "cap_tren_giao"] == 8
    assert figures["den_han", "tu_de_ra"] == 3
    assert figures["den_han", "tong_so"] == 11  # the column formula over the row's totals
    assert figures["hoan_thanh", "tong_so"] == 6
    assert figures["thuong_xuyen", "tong_so"] is None  # 5 + empty: empty, as for indicators


def test_targets_previous_quarter_and_year_to_date_are_derived_on_save(
    workspace: Workspace,
) -> None:
    first = workspace.reports.new("nq57-quy-xa", "2026Q1")
    workspace.reports.save(first, ContentChanges(grids={"bieu_kpi": kpi(1, du_lieu=120)}))
    second = workspace.reports.new("nq57-quy-xa", "2026Q2")
    content = workspace.reports.save(second, ContentChanges(grids={"bieu_kpi": kpi(2, du_lieu=90)}))
    cells = content.grids["bieu_kpi"]
    assert cells["du_lieu"] == {
        "ke_hoach": "400",
        "thuc_hien": "90",
        "quy_truoc": "120",
        "luy_ke": "210",
    }
    assert cells["the_che"]["luy_ke"] == "3"
    figures = grid_figures(NQ57.grid("bieu_kpi"), cells)
    assert figures["du_lieu", "ty_le_luy_ke"] == Decimal("52.5")
    # Next year starts again from zero; its previous quarter is still the last one.
    fourth = workspace.reports.new("nq57-quy-xa", "2026Q4")
    workspace.reports.save(fourth, ContentChanges(grids={"bieu_kpi": kpi(1, du_lieu=50)}))
    next_year = workspace.reports.new("nq57-quy-xa", "2027Q1")
    cells = workspace.reports.save(next_year, ContentChanges(grids={"bieu_kpi": kpi(5)})).grids
    assert cells["bieu_kpi"]["du_lieu"] == {"quy_truoc": "50"}  # no 2027 target, nothing entered
    assert cells["bieu_kpi"]["the_che"] == {"thuc_hien": "5", "quy_truoc": "1", "luy_ke": "5"}


def test_a_derived_or_computed_cell_and_an_unknown_one_are_refused(workspace: Workspace) -> None:
    report = workspace.reports.new("nq57-quy-xa", "2026Q1")
    refused = [
        {"bieu_kpi": {"the_che": {"luy_ke": 3}}},
        {"bieu_tinh_trang": {"den_han": {"cap_tren_giao": 3}}},
        {"bieu_tinh_trang": {"hoan_thanh": {"tong_so": 3}}},
        {"bieu_kpi": {"khong_co": {"thuc_hien": 3}}},
        {"bieu_kpi": {"the_che": {"thuc_hien": "ba"}}},
    ]
    for grids in refused:
        with pytest.raises(CoreError):
            workspace.reports.save(report, ContentChanges(grids=grids))
    with pytest.raises(CoreError) as caught:
        workspace.reports.save(
            report, ContentChanges(lists={"nhiem_vu": [{**TASK, "thoi_han": "31/02"}]})
        )
    assert caught.value.params["field"] == "nhiem_vu/1/thoi_han"
    assert workspace.reports.content(report).grids == {}


def test_checks_on_cells_rows_and_conditional_sections(workspace: Workspace) -> None:
    report = workspace.reports.new("nq57-quy-xa", "2026Q1")
    grids = {"bieu_kpi": {"ha_tang": {"thuc_hien": 5}, "ha_tang_tthcc": {"thuc_hien": 7}}}
    lists = {"nhiem_vu": [{"noi_dung": "Kiện toàn tổ công nghệ số", "tinh_trang": "qua_han"}]}
    workspace.reports.save(report, ContentChanges(grids=grids, lists=lists))
    issues = {(i.code, i.field) for i in workspace.reports.validate(report)}
    assert ("grid.part_exceeds_whole", "bieu_kpi/ha_tang_tthcc/thuc_hien") in issues
    assert ("value.required", "bieu_kpi/the_che/thuc_hien") in issues
    assert ("value.required", "nhiem_vu/1/don_vi_chu_tri") in issues
    assert ("narrative.required", "giai_trinh_cham_tien_do") not in issues  # hidden while empty
    workspace.reports.save(report, ContentChanges(values={"danh_gia_tien_do": "vang"}))
    issues = {(i.code, i.field) for i in workspace.reports.validate(report)}
    assert ("narrative.required", "giai_trinh_cham_tien_do") in issues


def test_a_list_longer_than_its_maximum_is_an_error(workspace: Workspace) -> None:
    report = workspace.reports.new("nq57-quy-xa", "2026Q1")
    rows = [
        {"noi_dung": f"Nhiệm vụ {n}", "don_vi_chu_tri": "UBND", "tinh_trang": "hoan_thanh"}
        for n in range(301)
    ]
    workspace.reports.save(report, ContentChanges(lists={"nhiem_vu": rows}))
    codes = [i.code for i in workspace.reports.validate(report)]
    assert codes.count("list.too_many_rows") == 1


def test_the_report_document_carries_cells_and_rows_and_takes_them_back(
    workspace: Workspace,
) -> None:
    report = workspace.reports.new("nq57-quy-xa", "2026Q1")
    changes = ContentChanges(grids={"bieu_kpi": kpi(2)}, lists={"nhiem_vu": [TASK]})
    workspace.reports.save(report, changes)
    summary = workspace.reports.get(report)
    document = report_document(summary, NQ57, workspace.reports.content(report))
    assert document["grids"]["bieu_kpi"]["the_che"] == {"thuc_hien": 2}
    assert document["derived"]["bieu_kpi"]["the_che"] == {"ke_hoach": 4, "luy_ke": 2}
    assert document["lists"]["nhiem_vu"][0]["thoi_han"] == "2026-06-30"
    document["grids"]["bieu_kpi"]["the_che"]["thuc_hien"] = 3
    workspace.reports.save(report, document_changes(document, summary, "xa.json"))
    content = workspace.reports.content(report)
    assert content.grids["bieu_kpi"]["the_che"] == {
        "ke_hoach": "4",
        "thuc_hien": "3",
        "luy_ke": "3",
    }
    assert content.lists["nhiem_vu"][0]["tinh_trang"] == "trong_han"


def with_rules() -> Template:
    """NQ 57 with two dates and rules over a choice and over dates (format 2 only)."""
    document = json.loads(NQ57_FILE.read_text(encoding="utf-8"))
    document["tables"][0]["indicators"] += [
        {
            "id": "ngay_kien_toan",
            "label": "Ngày kiện toàn Ban Chỉ đạo",
            "type": "date",
            "aggregation": "max",
        },
        {
            "id": "ngay_ke_hoach",
            "label": "Ngày ban hành kế hoạch",
            "type": "date",
            "aggregation": "max",
        },
    ]
    document["rules"] += [
        {
            "id": "do_can_chi_dao",
            "severity": "error",
            "expression": "danh_gia_tien_do__do == 0 or so_van_ban_chi_dao >= 2",
            "message": "Tiến độ đỏ: cần ít nhất hai văn bản chỉ đạo khắc phục.",
        },
        {
            "id": "ke_hoach_sau_kien_toan",
            "severity": "warning",
            "expression": "ngay_ke_hoach - ngay_kien_toan >= 0",
            "message": "Kế hoạch ban hành trước khi kiện toàn Ban Chỉ đạo.",
        },
    ]
    document["version"] += 1  # a newer version than the shipped one the workspace holds
    return load_template_bytes(json.dumps(document, ensure_ascii=False).encode(), "nq57.json")


def test_rules_read_choices_as_flags_and_dates_as_days(workspace: Workspace) -> None:
    workspace.templates.install(with_rules())
    report = workspace.reports.new("nq57-quy-xa", "2026Q3")
    values = {
        "danh_gia_tien_do": "do",
        "so_van_ban_chi_dao": 1,
        "ngay_kien_toan": "10/07/2026",
        "ngay_ke_hoach": "01/07/2026",
    }
    workspace.reports.save(report, ContentChanges(values=values))
    broken = {i.field for i in workspace.reports.validate(report) if i.code == "rule.violated"}
    assert broken == {"do_can_chi_dao", "ke_hoach_sau_kien_toan"}
    values = {"danh_gia_tien_do": "vang", "ngay_ke_hoach": "10/07/2026"}
    workspace.reports.save(report, ContentChanges(values=values))
    broken = {i.field for i in workspace.reports.validate(report) if i.code == "rule.violated"}
    assert broken == set()


def test_a_misspelt_choice_flag_names_the_flag_meant() -> None:
    document = json.loads(NQ57_FILE.read_text(encoding="utf-8"))
    document["rules"][0]["expression"] = "danh_gia_tien_do__dox == 0"
    with pytest.raises(TemplateError) as caught:
        load_template_bytes(json.dumps(document).encode(), "nq57.json")
    assert "'danh_gia_tien_do__do'" in describe(caught.value, "en")
