"""Two offices on one machine: a ward that reports and the province that receives."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from desktop_app.core.demo import IT_FIGURES, IT_NARRATIVES
from desktop_app.core.exchange.formats.keys import KdfCost
from desktop_app.core.model.offices import Office
from desktop_app.core.reports.records import ContentChanges
from desktop_app.core.workspace import Workspace
from tests.conftest import DISTRICT

CHEAP = KdfCost(memory_kib=1024, iterations=1, lanes=1)  # tests only; the app uses 64 MiB × 3
PASSPHRASE = "mật khẩu của Bí thư"
PROVINCE = Office(
    code="TU-38",
    name="Tỉnh ủy Thanh Hóa",
    level="province",
    block="party",
    abbreviation="TU",
    place="Thanh Hóa",
)


@dataclass
class Offices:
    ward: Workspace
    province: Workspace
    stick: Path

    def filled_report(self, period: str = "2026Q3") -> str:
        report_id = self.ward.reports.new("cntt-quy", period)
        self.ward.reports.save(
            report_id, ContentChanges(values=dict(IT_FIGURES), narratives=IT_NARRATIVES)
        )
        return report_id

    def approved_report(self, period: str = "2026Q3") -> str:
        report_id = self.filled_report(period)
        self.ward.reports.approve(report_id, "Lê Văn Bình", "Bí thư", PASSPHRASE)
        return report_id

    def export(self, *report_ids: str) -> Path:
        entry = self.ward.exchange.outbox_entry_for(
            report_ids
        ) or self.ward.exchange.prepare_export(report_ids, PASSPHRASE)
        return self.ward.exchange.write_export(entry, self.stick)


@pytest.fixture
def offices(tmp_path: Path) -> Iterator[Offices]:
    stick = tmp_path / "usb"
    stick.mkdir()
    with (
        Workspace.open(tmp_path / "ward", automatic_backup=False, kdf_cost=CHEAP) as ward,
        Workspace.open(tmp_path / "province", automatic_backup=False, kdf_cost=CHEAP) as province,
    ):
        province.initialise(PROVINCE)
        ward.initialise(DISTRICT)
        ward.add_unit(PROVINCE)  # so the recipient has its name
        ward.keys.create(PASSPHRASE)
        key_file = province.keys.read_key_file(ward.keys.public_key_file())
        province.keys.trust_unit(key_file, DISTRICT.code)
        yield Offices(ward, province, stick)
