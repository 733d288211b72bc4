"""The province's consolidated report prints the totals ``aggregate`` computed: a total with
three decimals stays itself, and a pooled rate is the one over the units that gave both parts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.core.model.offices import Office
from desktop_app.core.reports.records import ContentChanges
from desktop_app.core.workspace import Workspace
from tests.core.documents.pdftext import page_texts
from tests.core.upper.helpers import CNTT, TEMPLATE_ID
from tests.core.upper.test_consolidation import receive

PROVINCE = Office(
    code="TU-38",
    name="Tỉnh ủy Thanh Hóa",
    level="province",
    block="party",
    abbreviation="TU",
    place="Thanh Hóa",
    superior_name="Đảng bộ tỉnh Thanh Hóa",
)
PERIOD = "2026Q3"


@pytest.fixture
def province(tmp_path: Path) -> Iterator[Workspace]:
    with Workspace.open(tmp_path / "province", automatic_backup=False) as workspace:
        workspace.initialise(PROVINCE, install_bundled_templates=False)
        workspace.templates.install(CNTT)
        yield workspace


def _rows(pdf: bytes) -> str:
    return "\n".join(page_texts(pdf))


def test_a_total_with_three_decimals_is_not_read_as_thousands(province: Workspace) -> None:
    units = {"DU-1": {"kinh_phi_cntt": "100.5"}, "DU-2": {"kinh_phi_cntt": "71.475"}}
    receive(province, PERIOD, dict(units))

    report_id = province.upper.create_consolidated_report(TEMPLATE_ID, PERIOD)

    assert province.reports.content(report_id).values["kinh_phi_cntt"] == "171.975"
    text = _rows(province.documents.report_pdf(report_id))
    assert "172,0" in text and "171.975" not in text


def test_a_pooled_rate_prints_as_aggregate_computed_it(province: Workspace) -> None:
    # DU-2 explains instead of giving its connected computers: 8 / 10, not 8 / 15.
    receive(
        province,
        PERIOD,
        {
            "DU-1": {"tong_may_tinh": "10", "may_tinh_ket_noi": "8"},
            "DU-2": {"tong_may_tinh": "5", "may_tinh_ket_noi": None},
        },
    )
    total = province.upper.consolidate(TEMPLATE_ID, PERIOD).total("ty_le_may_tinh_ket_noi")
    report_id = province.upper.create_consolidated_report(TEMPLATE_ID, PERIOD)

    text = _rows(province.documents.report_pdf(report_id))

    assert total.value == 80
    assert "80,0" in text and "53,3" not in text
    assert "Tỷ lệ chung của 1 đơn vị báo cáo đủ hai số liệu" in " ".join(text.split())


def test_an_edited_part_gives_the_formula_back(province: Workspace) -> None:
    receive(
        province,
        PERIOD,
        {
            "DU-1": {"tong_may_tinh": "10", "may_tinh_ket_noi": "8"},
            "DU-2": {"tong_may_tinh": "5", "may_tinh_ket_noi": None},
        },
    )
    report_id = province.upper.create_consolidated_report(TEMPLATE_ID, PERIOD)
    province.reports.save(report_id, ContentChanges(values={"may_tinh_ket_noi": 9}))

    text = _rows(province.documents.report_pdf(report_id))

    assert "60,0" in text  # 9 / 15, now the province's own figure
    assert "Tỷ lệ chung" not in text
