"""Pasting a block copied from a spreadsheet onto a grid or a list, and moving list rows: the
changes an editor hands to ``ws.reports.save``."""

from __future__ import annotations

import random

import pytest

from desktop_app.core.errors import CoreError
from desktop_app.core.reports.table_editing import (
    add_row,
    move_row,
    parse_block,
    paste_into_grid,
    paste_into_list,
    remove_row,
)
from desktop_app.core.reports.table_values import LiveGrid, grid_figures
from desktop_app.core.reports.tables import Grid
from desktop_app.core.reports.templates import bundled_template_files, load_template_file

NQ57 = load_template_file(next(p for p in bundled_template_files() if p.stem == "nq57-quy-xa"))
KPI = NQ57.grid("bieu_kpi")
STATUS = NQ57.grid("bieu_tinh_trang")
TASKS = NQ57.task_list("nhiem_vu")


def test_a_spreadsheet_block_is_read_with_quoted_cells() -> None:
    text = 'Số hóa\t"Văn phòng\nĐảng ủy"\t30/06/2026\r\nCamera\t"UBND ""xã"""\t\r\n'
    assert parse_block(text) == [
        ["Số hóa", "Văn phòng\nĐảng ủy", "30/06/2026"],
        ["Camera", 'UBND "xã"', ""],
    ]
    assert parse_block("") == []


def test_a_block_lands_on_the_entered_cells_only() -> None:
    block = parse_block("1.234\t99\t99\n5\t99\t99\n\t99\t99\n")  # from Thực hiện, Quý trước, …
    changes = paste_into_grid(NQ57, KPI, "the_che", "thuc_hien", block)
    assert changes == {
        "the_che": {"thuc_hien": "1234"},
        "ha_tang": {"thuc_hien": "5"},
        "ha_tang_tthcc": {"thuc_hien": None},  # an empty piece clears
    }


def test_a_block_skips_total_rows_and_stops_at_the_grid_edge() -> None:
    block = parse_block("7\t1\t99\t99\n3\t0\n")
    changes = paste_into_grid(NQ57, STATUS, "den_han", "cap_tren_giao", block)
    assert changes == {"hoan_thanh": {"cap_tren_giao": "3", "tu_de_ra": "0"}}
    last = STATUS.rows[-1].id
    assert paste_into_grid(NQ57, STATUS, last, "tu_de_ra", [["1"], ["2"]]) == {
        last: {"tu_de_ra": "1"}
    }


def test_a_piece_that_is_not_a_value_names_its_cell() -> None:
    with pytest.raises(CoreError) as caught:
        paste_into_grid(NQ57, KPI, "the_che", "thuc_hien", [["3"], ["ba"]])
    assert caught.value.params["field"] == "bieu_kpi/ha_tang/thuc_hien"


def test_a_block_pasted_into_a_list_fills_and_adds_rows() -> None:
    rows = [{"noi_dung": "Kiện toàn Ban Chỉ đạo", "tinh_trang": "hoan_thanh"}]
    block = parse_block("Văn phòng\t30/06/2026\nBan Tổ chức\t31/05/2026\n")
    pasted = paste_into_list(NQ57, TASKS, rows, 0, "don_vi_chu_tri", block)
    assert pasted == [
        {
            "noi_dung": "Kiện toàn Ban Chỉ đạo",
            "tinh_trang": "hoan_thanh",
            "don_vi_chu_tri": "Văn phòng",
            "thoi_han": "2026-06-30",
        },
        {"don_vi_chu_tri": "Ban Tổ chức", "thoi_han": "2026-05-31"},
    ]


def test_rows_are_added_removed_and_moved() -> None:
    rows = [{"noi_dung": "A"}, {"noi_dung": "B"}, {"noi_dung": "C"}]
    assert move_row(rows, 2, 0) == [{"noi_dung": "C"}, {"noi_dung": "A"}, {"noi_dung": "B"}]
    assert move_row(rows, 0, 9)[-1] == {"noi_dung": "A"}
    assert remove_row(rows, 1) == [{"noi_dung": "A"}, {"noi_dung": "C"}]
    assert add_row(rows, 1)[1] == {} and len(add_row(rows)) == 4
    assert rows == [{"noi_dung": "A"}, {"noi_dung": "B"}, {"noi_dung": "C"}]  # unchanged


@pytest.mark.parametrize("grid", [STATUS, KPI], ids=lambda g: g.id)
def test_a_live_grid_after_each_edit_equals_a_full_recompute(grid: Grid) -> None:
    rnd = random.Random(14)
    entered = [(r.id, c.id) for r in grid.rows for c in grid.columns if grid.is_entered(r, c)]
    derived = {"the_che": {"ke_hoach": "4", "luy_ke": "9"}} if grid is KPI else {}
    live = LiveGrid(grid, derived)
    for _ in range(200):
        row_id, column_id = rnd.choice(entered)
        text = None if rnd.random() < 0.2 else str(rnd.randint(0, 40))
        before = dict(live.figures)
        changed = live.set(row_id, column_id, text)
        expected = grid_figures(grid, live.cells)
        assert {k: v for k, v in live.figures.items() if v is not None} == {
            k: v for k, v in expected.items() if v is not None
        }
        assert changed == {
            k for k in expected.keys() | before.keys() if before.get(k) != expected.get(k)
        }


def test_an_edit_to_a_part_reports_its_total_and_the_rates_to_repaint() -> None:
    cells = {
        "hoan_thanh": {"cap_tren_giao": "2", "tu_de_ra": "1"},
        "trong_han": {"cap_tren_giao": "1", "tu_de_ra": "1"},
        "qua_han": {"cap_tren_giao": "0", "tu_de_ra": "0"},
    }
    live = LiveGrid(STATUS, cells)
    changed = live.set("qua_han", "cap_tren_giao", "3")
    assert changed == {
        ("qua_han", "cap_tren_giao"),
        ("qua_han", "tong_so"),
        ("den_han", "cap_tren_giao"),
        ("den_han", "tong_so"),
    }
    assert live.figures["den_han", "tong_so"] == 8
