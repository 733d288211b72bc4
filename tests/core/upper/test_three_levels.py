"""Three levels: communes report to two provinces; each province consolidates, approves and
sends its own report up; the central office consolidates the provinces. Figures travel only as
signed bundles through the real export and import path."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import load_workbook

from desktop_app.core.model.offices import Office
from desktop_app.core.reports.records import ContentChanges
from desktop_app.core.upper.completeness import ON_TIME
from desktop_app.core.upper.xlsx_export import TOTALS_SHEET, consolidation_workbook
from desktop_app.core.workspace import Workspace
from tests.core.upper.helpers import (
    CENTRAL,
    PERIOD,
    TEMPLATE_ID,
    Sums,
    approve_and_export,
    days,
    enrol,
    figures_for,
    imported,
    narratives_for,
    open_office,
    submit,
)

PROVINCES = (
    Office(code="TU-38", name="Tỉnh ủy Thanh Hóa", level="province", parent_code=CENTRAL.code),
    Office(code="TU-40", name="Tỉnh ủy Nghệ An", level="province", parent_code=CENTRAL.code),
)
UNITS_PER_PROVINCE = 3


@dataclass
class Country:
    central: Workspace
    provinces: dict[str, Workspace]
    figures: dict[str, dict[str, dict[str, object]]]  # province → unit → figures


@pytest.fixture(scope="module")
def country(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Country]:
    root = tmp_path_factory.mktemp("three-levels")
    stick = root / "usb"
    stick.mkdir()
    central = open_office(root, CENTRAL, None)
    opened = [central]
    provinces: dict[str, Workspace] = {}
    figures: dict[str, dict[str, dict[str, object]]] = {}
    for p, province_office in enumerate(PROVINCES):
        province = provinces[province_office.code] = open_office(root, province_office, CENTRAL)
        opened.append(province)
        enrol(central, province)
        figures[province_office.code] = {}
        for n in range(1, UNITS_PER_PROVINCE + 1):
            number = 10 * p + n
            unit_office = Office(
                code=f"DU-{number:02d}",
                name=f"Đảng ủy xã Số {number}",
                level="commune",
                parent_code=province_office.code,
            )
            unit = open_office(root, unit_office, province_office)
            opened.append(unit)
            enrol(province, unit)
            unit_figures = figures_for(number)
            _, bundle = submit(unit, unit_figures, narratives_for(unit_office.name), stick)
            imported(province, bundle)
            figures[province_office.code][unit_office.code] = unit_figures
        imported(central, _send_consolidated(province, stick))
    central.upper.set_override(TEMPLATE_ID, PERIOD, "*", days(-5), days(30))
    yield Country(central, provinces, figures)
    for workspace in opened:
        workspace.close()


def _send_consolidated(province: Workspace, stick: Path) -> Path:
    """The province's own report: the totals, its sections from the units' texts, signed."""
    report_id = province.upper.create_consolidated_report(TEMPLATE_ID, PERIOD)
    sections = [s for _, s in province.templates.get(TEMPLATE_ID).walk_sections() if s.narrative]
    texts = {
        s.id: "\n".join(
            f"{name}: {text}"
            for _, name, text in province.upper.section_excerpts(TEMPLATE_ID, PERIOD, s.id)
        )
        for s in sections
    }
    province.reports.save(report_id, ContentChanges(narratives=texts))
    return approve_and_export(province, report_id, stick)


def _all_units(country: Country) -> Sums:
    return Sums({c: f for units in country.figures.values() for c, f in units.items()})


def test_the_central_office_sees_both_provinces_on_time(country: Country) -> None:
    status = country.central.upper.completeness(PERIOD, TEMPLATE_ID)
    assert {(u.code, u.state) for u in status.units} == {("TU-38", ON_TIME), ("TU-40", ON_TIME)}


def test_central_totals_equal_the_sums_over_every_commune(country: Country) -> None:
    result = country.central.upper.consolidate(TEMPLATE_ID, PERIOD)
    assert result.units_included == ("TU-38", "TU-40") and not result.units_missing
    everyone = _all_units(country)
    for indicator_id in (
        "tong_may_tinh",
        "may_tinh_ket_noi",
        "tong_can_bo",
        "tong_ho_so",
        "ho_so_truc_tuyen",
        "van_ban_di_ky_so",
        "luot_tap_huan",
    ):
        assert result.total(indicator_id).value == everyone.total(indicator_id), indicator_id
    assert result.total("kinh_phi_cntt").value == everyone.money()
    # ratios stay ratios of sums at every level, never means of the provinces' percentages
    assert result.total("ty_le_ho_so_truc_tuyen").value == everyone.ratio(
        "ho_so_truc_tuyen", "tong_ho_so"
    )
    assert result.total("may_tinh_tren_can_bo").value == everyone.ratio(
        "tong_may_tinh", "tong_can_bo", 1
    )


def test_each_province_breakdown_is_its_own_communes_total(country: Country) -> None:
    result = country.central.upper.consolidate(TEMPLATE_ID, PERIOD)
    for code, units in country.figures.items():
        assert result.total("tong_ho_so").by_unit[code] == Sums(units).total("tong_ho_so")


def test_the_central_workbook_reads_back_as_the_json(country: Country) -> None:
    result = country.central.upper.consolidate(TEMPLATE_ID, PERIOD)
    values = {i["id"]: i["value"] for i in result.to_json()["indicators"]}
    book = load_workbook(io.BytesIO(consolidation_workbook(result)))
    cells = {row[1]: row[5] for row in book[TOTALS_SHEET].iter_rows(min_row=2, values_only=True)}
    assert (
        cells["tong_may_tinh"]
        == values["tong_may_tinh"]
        == _all_units(country).total("tong_may_tinh")
    )
    assert cells["ty_le_may_tinh_ket_noi"] == pytest.approx(float(values["ty_le_may_tinh_ket_noi"]))


def test_the_central_office_reads_the_provinces_texts_with_their_names(country: Country) -> None:
    excerpts = country.central.upper.section_excerpts(TEMPLATE_ID, PERIOD, "chi_dao_dieu_hanh")
    assert [(code, name) for code, name, _ in excerpts] == [
        ("TU-38", "Tỉnh ủy Thanh Hóa"),
        ("TU-40", "Tỉnh ủy Nghệ An"),
    ]
    assert "Đảng ủy xã Số 11:" in excerpts[1][2]
