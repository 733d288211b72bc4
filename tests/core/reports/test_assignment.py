"""Who owes a format-2 template: by level and block, or by list; a unit that owes nothing is
never missing, and an office is never asked for a template not assigned to it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from desktop_app.core.model.offices import Office
from desktop_app.core.reports.templates import (
    Template,
    bundled_template_files,
    load_template_bytes,
    load_template_file,
)
from desktop_app.core.workspace import Workspace
from tests.core.upper.helpers import CHEAP

NQ57_FILE = next(p for p in bundled_template_files() if p.stem == "nq57-quy-xa")
CNTT = load_template_file(next(p for p in bundled_template_files() if p.stem == "cntt-quy"))
PROVINCE = Office(code="TU-38", name="Tỉnh ủy Thanh Hóa", level="province", block="party")
UNITS = [
    Office("DU-01", "Đảng ủy xã Xuân Du", "commune", "party", parent_code="TU-38"),
    Office("DU-02", "Đảng ủy phường Hạc Thành", "commune", "party", parent_code="TU-38"),
    Office("UB-01", "UBND xã Xuân Du", "commune", "state", parent_code="TU-38"),
    Office("BTG", "Ban Tuyên giáo Tỉnh ủy", "department", "party", parent_code="TU-38"),
]


def nq57(**assigned: list[str]) -> Template:
    document = json.loads(NQ57_FILE.read_text(encoding="utf-8"))
    document["assigned_to"] = assigned
    return load_template_bytes(json.dumps(document).encode(), "nq57.json")


@pytest.fixture
def province(tmp_path: Path) -> Iterator[Workspace]:
    workspace = Workspace.open(tmp_path / "tinh", automatic_backup=False, kdf_cost=CHEAP)
    workspace.initialise(PROVINCE, install_bundled_templates=False)
    for unit in UNITS:
        workspace.add_unit(unit)
    yield workspace
    workspace.close()


def owing(workspace: Workspace, template_id: str) -> list[str]:
    return [o.unit_code for o in workspace.upper.obligations("2026Q2", template_id)]


def test_the_shipped_nq57_template_is_owed_by_party_committees_of_communes_only(
    province: Workspace,
) -> None:
    province.templates.install_file(NQ57_FILE)
    province.templates.install(CNTT)
    assert owing(province, "nq57-quy-xa") == ["DU-01", "DU-02"]
    assert owing(province, "cntt-quy") == ["BTG", "DU-01", "DU-02", "UB-01"]  # format 1: all
    missing = province.upper.consolidate("nq57-quy-xa", "2026Q2").units_missing
    assert missing == ("DU-01", "DU-02")


@pytest.mark.parametrize(
    ("assigned", "expected"),
    [
        ({"levels": ["commune"]}, ["DU-01", "DU-02", "UB-01"]),
        ({"blocks": ["party"]}, ["BTG", "DU-01", "DU-02"]),
        ({"units": ["UB-01", "BTG"]}, ["BTG", "UB-01"]),
        ({"levels": ["department"], "units": ["DU-02"]}, ["BTG", "DU-02"]),
    ],
)
def test_assignment_by_level_block_or_list(
    province: Workspace, assigned: dict[str, list[str]], expected: list[str]
) -> None:
    province.templates.install(nq57(**assigned))
    assert owing(province, "nq57-quy-xa") == expected


def test_an_office_is_not_asked_for_a_template_not_assigned_to_it(tmp_path: Path) -> None:
    commune = Workspace.open(tmp_path / "xa", automatic_backup=False, kdf_cost=CHEAP)
    commune.initialise(UNITS[2], install_bundled_templates=False)  # a state office
    commune.templates.install(nq57(blocks=["party"]))
    commune.templates.install(CNTT)
    due = {item.template_id for item in commune.reports.due(date(2026, 4, 2))}
    assert due == {"cntt-quy"}
    commune.close()
