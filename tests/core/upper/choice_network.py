"""A province and four communes on the test template with both format-2 rules on plain
indicators and in a grid: each commune a real workspace that fills in, approves and signs its
report and sends the bundle on the stick; the province imports them. Shared by the core test
of the totals and the window test of the consolidated report."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from desktop_app.core.model.offices import Office
from desktop_app.core.reports.records import ContentChanges
from desktop_app.core.reports.templates import load_template_file
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

FIXTURE = Path(__file__).parents[2] / "fixtures" / "danh-gia-chuyen-doi-so-v2.json"
TEMPLATE = load_template_file(FIXTURE)
PERIOD = "2026Q2"
PROVINCE = PARTY_PROVINCE
COMMUNES = party_communes(4)
# What each commune typed, the Vietnamese way (None: left empty).
TYPED: dict[str, dict[str, object]] = {
    "DU-01": {"so_dang_vien": 120, "muc_do": "xanh", "diem_ky_nang_so": "7,5",
              "ty_le_dung_so_tay": "80", "kinh_phi": "12,5"},
    "DU-02": {"so_dang_vien": 0, "muc_do": "vang", "diem_ky_nang_so": "9",
              "ty_le_dung_so_tay": "100", "kinh_phi": "3"},
    "DU-03": {"so_dang_vien": 45, "muc_do": None, "diem_ky_nang_so": "6,25",
              "ty_le_dung_so_tay": "62,5", "kinh_phi": None},
    "DU-04": {"so_dang_vien": 300, "muc_do": "xanh", "diem_ky_nang_so": None,
              "ty_le_dung_so_tay": "90,3", "kinh_phi": "20"},
}  # fmt: skip


# The grid of the same template, cell by cell: members, score and rating per kind of cell.
GRID: dict[str, dict[str, dict[str, object]]] = {
    "DU-01": {"nong_thon": {"dang_vien": 80, "diem": "7", "xep_loai": "xanh"},
              "co_quan": {"dang_vien": 40, "diem": "8,5", "xep_loai": "vang"}},
    "DU-02": {"nong_thon": {"dang_vien": 0, "diem": "9", "xep_loai": "do"},
              "co_quan": {"dang_vien": 12, "diem": None, "xep_loai": None}},
    "DU-03": {"nong_thon": {"dang_vien": 30, "diem": "6,1", "xep_loai": "xanh"},
              "co_quan": {"dang_vien": 15, "diem": "6,55", "xep_loai": "xanh"}},
    "DU-04": {"nong_thon": {"dang_vien": 200, "diem": "7,3", "xep_loai": "vang"},
              "co_quan": {"dang_vien": 100, "diem": "8", "xep_loai": "xanh"}},
}  # fmt: skip
GRID_ROWS = ("nong_thon", "co_quan")


@dataclass
class Network:
    province: Workspace
    communes: list[Workspace]


def open_office(root: Path, office: Office, parent: Office | None) -> Workspace:
    workspace = Workspace.open(root / office.code, automatic_backup=False, kdf_cost=CHEAP)
    workspace.initialise(office, install_bundled_templates=False)
    workspace.templates.install_file(FIXTURE)
    if parent is not None:
        workspace.add_unit(parent)
    workspace.keys.create(PASSPHRASE)
    return workspace


def build_network(root: Path) -> Network:
    """The province with the four communes' reports imported (close every workspace after)."""
    stick = root / "usb"
    stick.mkdir()
    province = open_office(root, PROVINCE, CENTRAL)
    communes, bundles = [], []
    for office in COMMUNES:
        commune = open_office(root, office, PROVINCE)
        province.add_unit(commune.office)
        public = province.keys.read_key_file(commune.keys.public_key_file())
        province.keys.trust_unit(public, office.code)
        report = commune.reports.new(TEMPLATE.id, PERIOD)
        values = {k: v for k, v in TYPED[office.code].items() if v is not None}
        narratives = {"danh_gia": f"{office.name} tự đánh giá theo Biểu 01."}
        cells = {
            row: {k: v for k, v in figures.items() if v is not None}
            for row, figures in GRID[office.code].items()
        }
        changes = ContentChanges(values=values, narratives=narratives, grids={"bieu_chi_bo": cells})
        commune.reports.save(report, changes)
        bundles.append(approve_and_export(commune, report, stick))
        communes.append(commune)
    imported(province, *bundles)
    return Network(province, communes)
