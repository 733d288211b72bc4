"""A commune that attaches a scanned PDF and a JPEG to its NQ 57 report and a province that
receives them: two real workspaces, the commune's key enrolled at the province."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from desktop_app.core.model.offices import Office
from desktop_app.core.workspace import Workspace
from tests.attachment_files import complete_quarter, nq57_with_evidence, photo_jpeg, scan_pdf
from tests.core.upper.helpers import CENTRAL, CHEAP, PASSPHRASE

PROVINCE = Office(
    code="TU-38", name="Tỉnh ủy Thanh Hóa", level="province", block="party", parent_code="TW"
)
COMMUNE = Office(
    code="DU-01",
    name="Đảng ủy xã Xuân Du",
    level="commune",
    block="party",
    abbreviation="ĐU",
    parent_code=PROVINCE.code,
)
PDF_NAME = "Biên bản nghiệm thu.pdf"
JPEG_NAME = "Ảnh hiện trường.jpg"


@dataclass
class Pair:
    commune: Workspace
    province: Workspace
    report_id: str
    stick: Path


def open_pair(root: Path) -> Pair:
    """Both offices, the commune's report filled with two attachments (one named by a task),
    approved; nothing exported yet."""
    province = Workspace.open(root / "province", automatic_backup=False, kdf_cost=CHEAP)
    province.initialise(PROVINCE, install_bundled_templates=False)
    province.add_unit(CENTRAL)
    province.templates.install(nq57_with_evidence())
    commune = Workspace.open(root / "commune", automatic_backup=False, kdf_cost=CHEAP)
    commune.initialise(COMMUNE, install_bundled_templates=False)
    commune.add_unit(PROVINCE)
    commune.templates.install(nq57_with_evidence())
    commune.keys.create(PASSPHRASE)
    province.add_unit(commune.office)
    public = province.keys.read_key_file(commune.keys.public_key_file())
    province.keys.trust_unit(public, COMMUNE.code)
    report = commune.reports.new("nq57-quy-xa", "2026Q2")
    pdf = commune.reports.attach_bytes(report, PDF_NAME, scan_pdf())
    commune.reports.attach_bytes(report, JPEG_NAME, photo_jpeg())
    task = {
        "noi_dung": "Nghiệm thu hệ thống camera",
        "don_vi_chu_tri": "UBND xã",
        "thoi_han": "15/05/2026",
        "tinh_trang": "Hoàn thành",
        "tep_minh_chung": pdf.sha256,
    }
    commune.reports.save(report, complete_quarter(1, [task]))
    commune.reports.approve(report, "Nguyễn Văn An", "Bí thư", PASSPHRASE)
    stick = root / "usb"
    stick.mkdir()
    return Pair(commune, province, report, stick)


def export(pair: Pair) -> Path:
    entry = pair.commune.exchange.prepare_export([pair.report_id], PASSPHRASE)
    return pair.commune.exchange.write_export(entry, pair.stick)
