"""The 2026 templates as files: what a provincial IT officer reads and edits.

Each names the public texts it was written from, keeps what could not be verified as data
(targets, deadlines, labels), says who owes it, and gives the clerk guidance under every
section that asks for text. Their figures are exercised in tests/core/upper/test_templates_2026.py.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

import pytest

from desktop_app.core.reports.templates import bundled_template_files, load_template_file

NEW = (
    "kh02-tien-do",
    "qd204-cds-co-quan-dang",
    "bao-cao-thang",
    "so-ket-6-thang",
    "tong-ket-nam",
    "nhiem-vu-cap-tren-giao",
)
FILES = {path.stem: path for path in bundled_template_files() if path.stem in NEW}
KH02_GROUPS = [
    "Thể chế",
    "Hạ tầng số",
    "Dữ liệu",
    "Nền tảng, ứng dụng",
    "Nhân lực",
    "Tài chính",
    "Chuyển đổi số trong Mặt trận, đoàn thể",
    "An toàn thông tin",
]


def raw(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(FILES[name].read_text(encoding="utf-8"))
    return loaded


def sentences(text: str) -> int:
    return len(re.findall(r"[.!?](?:\s|$)", text))


def test_all_six_ship() -> None:
    assert sorted(FILES) == sorted(NEW)


@pytest.mark.parametrize("name", NEW)
def test_each_loads_as_format_2_names_its_sources_and_says_who_owes_it(name: str) -> None:
    template = load_template_file(FILES[name])
    assert (template.id, template.format_version, template.block) == (name, 2, "party")
    assert not template.is_history
    sources = raw(name)["sources"]
    assert len(sources) >= 3
    assert any("ví dụ" in s or "giả định" in s for s in sources)  # what is not verified says so
    assert template.assignment is not None and template.assignment.blocks == ("party",)
    assert not template.owed_by("UB-01", "commune", "state")


@pytest.mark.parametrize("name", NEW)
def test_every_grid_and_list_sits_under_one_section(name: str) -> None:
    template = load_template_file(FILES[name])
    sections = [s for _, s in template.walk_sections()]
    placed = [g for s in sections for g in s.grids] + [t for s in sections for t in s.lists]
    assert sorted(placed) == sorted([g.id for g in template.grids] + [t.id for t in template.lists])
    assert template.grids  # every 2026 report has at least one table with columns


@pytest.mark.parametrize("name", NEW)
def test_every_text_box_has_guidance_of_two_to_five_sentences(name: str) -> None:
    template = load_template_file(FILES[name])
    for _, section in template.walk_sections():
        if section.narrative:
            guidance = next(n for n in _sections(raw(name)["sections"]) if n["id"] == section.id)
            assert 2 <= sentences(guidance.get("guidance", "")) <= 5, (name, section.id)


@pytest.mark.parametrize("name", NEW)
def test_text_is_nfc_without_bom(name: str) -> None:
    data = FILES[name].read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    assert unicodedata.normalize("NFC", data.decode("utf-8")) == data.decode("utf-8")


def test_kh02_counts_tasks_by_status_for_its_eight_groups_and_lists_them() -> None:
    template = load_template_file(FILES["kh02-tien-do"])
    grid = template.grid("bieu_tien_do")
    assert [r.label for r in grid.rows if r.formula is None] == KH02_GROUPS
    total = next(r for r in grid.rows if r.formula is not None)
    assert total.formula is not None and len(set(total.formula.names)) == 8
    tasks = template.task_list("nhiem_vu")
    columns = {c.id for c in tasks.columns}
    assert {"noi_dung", "san_pham", "thoi_han", "don_vi_chu_tri", "tinh_trang"} <= columns
    assert [c.label[3:] for c in tasks.columns[0].choices][:2] == ["Thể chế", "Hạ tầng số"]


def test_the_nq57_task_list_takes_evidence_as_text_and_as_a_file() -> None:
    nq57 = next(path for path in bundled_template_files() if path.stem == "nq57-quy-xa")
    template = load_template_file(nq57)
    columns = template.task_list("nhiem_vu").columns
    assert [(c.id, c.type) for c in columns[-2:]] == [
        ("minh_chung", "text"),
        ("tep_minh_chung", "attachment"),
    ]
    assert columns[-1].label == "Tệp minh chứng"
    assert template.version == 2  # version 1 shipped without the file column


def test_the_task_tracker_has_the_08_qc_tw_columns_and_evidence_as_text_and_file() -> None:
    template = load_template_file(FILES["nhiem-vu-cap-tren-giao"])
    tasks = template.task_list("nhiem_vu")
    expected = ["van_ban_giao", "noi_dung", "don_vi_chu_tri", "thoi_han", "tien_do", "san_pham"]
    assert [c.id for c in tasks.columns][:6] == expected
    evidence = {c.id: c.type for c in tasks.columns[-2:]}
    assert evidence == {"minh_chung": "text", "tep_minh_chung": "attachment"}
    hidden = template.section("cham_qua_han").show_when
    assert hidden is not None and (hidden.indicator, hidden.values) == (
        "co_nhiem_vu_qua_han",
        ("yes",),
    )


@pytest.mark.parametrize(
    ("name", "period_type", "carries"),
    [
        ("bao-cao-thang", "monthly", [None, "cumulative"]),
        ("so-ket-6-thang", "sixmonthly", ["target", None, "cumulative", None]),
        ("tong-ket-nam", "yearly", ["target", None, "previous", None]),
    ],
)
def test_the_periodic_reports_share_one_outline_and_differ_in_their_columns(
    name: str, period_type: str, carries: list[str | None]
) -> None:
    template = load_template_file(FILES[name])
    assert template.period_type == period_type
    assert [c.carry for c in template.grid("bieu_xay_dung_dang").columns] == carries
    titles = [s.title for s in template.section("ket_qua").sections]
    assert titles == [
        "Công tác xây dựng Đảng",
        "Lãnh đạo phát triển kinh tế – xã hội",
        "Lãnh đạo quốc phòng – an ninh",
        "Lãnh đạo Mặt trận Tổ quốc và các đoàn thể chính trị – xã hội",
    ]
    assert template.assignment is not None and template.assignment.levels == ("commune",)


def _sections(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for node in nodes:
        found.append(node)
        found += _sections(node.get("sections", []))
    return found
