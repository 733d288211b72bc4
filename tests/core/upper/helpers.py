"""Offices that report upward, each a real workspace with its own (cheap) key.

A unit fills in ``cntt-quy`` with figures that depend on its number, approves, signs the
bundle and writes it to a shared "stick" folder; the office above imports the exact files.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from desktop_app.core.clock import now
from desktop_app.core.demo import IT_NARRATIVES
from desktop_app.core.exchange.formats.keys import KdfCost
from desktop_app.core.model.offices import Office
from desktop_app.core.reports.records import ContentChanges
from desktop_app.core.reports.templates import Template, bundled_template_files, load_template_file
from desktop_app.core.workspace import Workspace

CHEAP = KdfCost(memory_kib=1024, iterations=1, lanes=1)  # tests only; the app uses 64 MiB × 3
PASSPHRASE = "mật khẩu của Bí thư"
PERIOD = "2026Q3"
TEMPLATE_ID = "cntt-quy"
CNTT: Template = load_template_file(
    next(p for p in bundled_template_files() if p.name == "cntt-quy.json")
)
CENTRAL = Office(code="TW", name="Văn phòng Trung ương Đảng", level="central", block="party")
PARTY_PROVINCE = Office(
    code="TU-38",
    name="Tỉnh ủy Thanh Hóa",
    level="province",
    block="party",
    abbreviation="TU",
    place="Thanh Hóa",
    parent_code=CENTRAL.code,
)
COMMUNE_NAMES = (
    "Đảng ủy xã Xuân Du",
    "Đảng ủy phường Hạc Thành",
    "Đảng ủy xã Như Thanh",
    "Đảng ủy xã Yên Định",
)


def party_communes(count: int) -> list[Office]:
    """``count`` commune Party committees under ``PARTY_PROVINCE``, coded DU-01, DU-02…"""
    return [
        Office(
            code=f"DU-0{n}",
            name=name,
            level="commune",
            block="party",
            abbreviation="ĐU",
            parent_code=PARTY_PROVINCE.code,
        )
        for n, name in enumerate(COMMUNE_NAMES[:count], 1)
    ]


def today() -> date:
    return now().date()


def figures_for(index: int) -> dict[str, object]:
    """Varied, valid figures for unit number ``index`` (as a clerk would type them)."""
    computers = 20 + 7 * index
    staff = 30 + 5 * index
    return {
        "tong_may_tinh": computers,
        "may_tinh_ket_noi": computers - index % 3,
        "bang_thong_internet": 100 + 10 * index,
        "ket_noi_mang_chuyen_dung": index % 2 == 0,
        "tong_can_bo": staff,
        "can_bo_biet_su_dung": staff - index % 4,
        "can_bo_chuyen_trach_cntt": 1 + index % 2,
        "luot_tap_huan": 10 * index,
        "van_ban_di": 80 + 9 * index,
        "van_ban_di_ky_so": 70 + 8 * index,
        "co_trang_tin": index % 3 != 0,
        "so_dvc_toan_trinh": index,
        "tong_ho_so": 100 + 37 * index,
        "ho_so_truc_tuyen": 50 + 20 * index,
        "so_su_co_attt": index % 3,
        "thoi_gian_khac_phuc_dai_nhat": f"{index}.5" if index % 3 else None,
        "kinh_phi_cntt": f"{12 + index},{index % 10}",  # "12,0" … typed the Vietnamese way
    }


def narratives_for(name: str) -> dict[str, str]:
    texts = dict(IT_NARRATIVES)
    texts["chi_dao_dieu_hanh"] = f"{name} ban hành kế hoạch chuyển đổi số năm 2026."
    return texts


def open_office(root: Path, office: Office, parent: Office | None) -> Workspace:
    workspace = Workspace.open(root / office.code, automatic_backup=False, kdf_cost=CHEAP)
    workspace.initialise(office, install_bundled_templates=False)
    workspace.templates.install(CNTT)
    if parent is not None:
        workspace.add_unit(parent)  # so a bundle names its recipient
    workspace.keys.create(PASSPHRASE)
    return workspace


def enrol(upper: Workspace, lower: Workspace) -> None:
    """The upper office registers the unit and trusts its key (fingerprint compared)."""
    unit = replace(lower.office, parent_code=upper.office.code)
    upper.add_unit(unit)
    upper.keys.trust_unit(upper.keys.read_key_file(lower.keys.public_key_file()), unit.code)


def submit(
    workspace: Workspace, figures: dict[str, object], narratives: dict[str, str], stick: Path
) -> tuple[str, Path]:
    """Fill in, approve and export one report; returns its id and the bundle on the stick."""
    report_id = workspace.reports.new(TEMPLATE_ID, PERIOD)
    workspace.reports.save(report_id, ContentChanges(values=figures, narratives=narratives))
    return report_id, approve_and_export(workspace, report_id, stick)


def approve_and_export(workspace: Workspace, report_id: str, stick: Path) -> Path:
    workspace.reports.approve(report_id, "Nguyễn Văn An", "Bí thư", PASSPHRASE)
    return workspace.exchange.write_export(
        workspace.exchange.prepare_export([report_id], PASSPHRASE), stick
    )


def resubmit(workspace: Workspace, report_id: str, figures: dict[str, object], stick: Path) -> Path:
    """Revision n+1 after a return: corrected figures, approved and exported again."""
    workspace.reports.new_revision(report_id)
    workspace.reports.save(report_id, ContentChanges(values=figures))
    return approve_and_export(workspace, report_id, stick)


def imported(upper: Workspace, *bundles: Path) -> None:
    outcomes = upper.exchange.import_bundles(list(bundles))
    assert [o.status for o in outcomes] == ["imported"] * len(bundles), outcomes


@dataclass
class Sums:
    """Totals computed here from the figures fed in, without ``aggregation``."""

    figures: dict[str, dict[str, object]]  # unit code → figures as typed in

    def total(self, indicator_id: str) -> int:
        return sum(int(str(f[indicator_id])) for f in self.figures.values())

    def money(self) -> Decimal:
        return sum(
            (Decimal(str(f["kinh_phi_cntt"]).replace(",", ".")) for f in self.figures.values()),
            Decimal(0),
        )

    def ratio(self, top: str, bottom: str, scale: int = 100) -> Decimal:
        return Decimal(self.total(top)) / Decimal(self.total(bottom)) * scale

    def yes(self, indicator_id: str) -> int:
        return sum(f[indicator_id] is True for f in self.figures.values())


def days(n: int) -> date:
    return today() + timedelta(days=n)
