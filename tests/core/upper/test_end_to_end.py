"""One province, twelve units, one quarter: who reported, the totals, the consolidated report.

Each unit is a real workspace with its own key. Three units are late (their deadline moved
before their approval through the schedule table), two never report, one is returned for
revision and resubmits. Every total is checked against sums computed here from the figures
the units typed in.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from openpyxl import load_workbook

from desktop_app.core.errors import CoreError
from desktop_app.core.model.offices import Office
from desktop_app.core.reports.records import ContentChanges
from desktop_app.core.reports.validation import computed_values
from desktop_app.core.upper.aggregation import aggregate
from desktop_app.core.upper.completeness import (
    LATE,
    MISSING,
    ON_TIME,
    RETURNED,
    Completeness,
)
from desktop_app.core.upper.consolidation import (
    Consolidation,
)
from desktop_app.core.upper.xlsx_export import (
    BREAKDOWN_SHEET,
    COMPLETENESS_SHEET,
    COUNTS_SHEET,
    TOTALS_SHEET,
    completeness_workbook,
    consolidation_workbook,
)
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
    resubmit,
    submit,
)

PROVINCE = Office(
    code="TU-38",
    name="Tỉnh ủy Thanh Hóa",
    level="province",
    block="party",
    abbreviation="TU",
    place="Thanh Hóa",
    parent_code=CENTRAL.code,
)
LATE_UNITS = {"DU-02", "DU-05", "DU-08"}
MISSING_UNITS = {"DU-11", "DU-12"}
RETURNED_UNIT = "DU-03"
RETURN_COMMENT = "Số máy tính kết nối Internet lớn bất thường, đề nghị kiểm tra lại."


@dataclass
class Province:
    workspace: Workspace
    units: dict[str, Workspace]
    counted: dict[str, dict[str, object]]  # the figures that must count, by unit
    returned_report: str
    during_return: tuple[Completeness, Consolidation]
    stick: Path


def _unit_office(number: int) -> Office:
    return Office(
        code=f"DU-{number:02d}",
        name=f"Đảng ủy xã Số {number}",
        level="commune",
        block="party",
        abbreviation="ĐU",
        parent_code=PROVINCE.code,
    )


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Province]:
    root = tmp_path_factory.mktemp("twelve")
    stick = root / "usb"
    stick.mkdir()
    upper = open_office(root, PROVINCE, CENTRAL)
    units = {}
    for number in range(1, 13):
        units[f"DU-{number:02d}"] = unit = open_office(root, _unit_office(number), PROVINCE)
        enrol(upper, unit)
    upper.upper.set_override(TEMPLATE_ID, PERIOD, "*", days(-5), days(30))
    for code in LATE_UNITS:
        upper.upper.set_override(TEMPLATE_ID, PERIOD, code, days(-10), days(-1))

    counted: dict[str, dict[str, object]] = {}
    reports: dict[str, str] = {}
    for number in range(1, 11):
        code = f"DU-{number:02d}"
        figures = figures_for(number)
        sent = figures
        if code == RETURNED_UNIT:  # a slip of the keyboard the province will catch
            sent = {**figures, "tong_may_tinh": 9999, "may_tinh_ket_noi": 9000}
        reports[code], bundle = submit(
            units[code], sent, narratives_for(units[code].office.name), stick
        )
        imported(upper, bundle)
        counted[code] = figures

    received_id = _received_id(upper, RETURNED_UNIT)
    upper.upper.return_report(received_id, RETURN_COMMENT)
    during = (
        upper.upper.completeness(PERIOD, TEMPLATE_ID),
        upper.upper.consolidate(TEMPLATE_ID, PERIOD),
    )
    imported(
        upper, resubmit(units[RETURNED_UNIT], reports[RETURNED_UNIT], counted[RETURNED_UNIT], stick)
    )
    yield Province(upper, units, counted, received_id, during, stick)
    for workspace in [upper, *units.values()]:
        workspace.close()


def _received_id(upper: Workspace, code: str) -> str:
    return next(r.id for r in upper.reports.summaries(origin="received") if r.office_code == code)


# --- who has reported ------------------------------------------------------------------------


def test_every_unit_has_one_state_and_the_counts_add_up(province: Province) -> None:
    status = province.workspace.upper.completeness(PERIOD, TEMPLATE_ID)
    states = {unit.code: unit.state for unit in status.units}
    assert len(states) == 12
    assert {code for code, state in states.items() if state == LATE} == LATE_UNITS
    assert {code for code, state in states.items() if state == MISSING} == MISSING_UNITS
    on_time = set(province.units) - LATE_UNITS - MISSING_UNITS
    assert {code for code, state in states.items() if state == ON_TIME} == on_time
    assert status.counts == {
        "on_time": 7,
        "late": 3,
        "missing": 2,
        "returned": 0,
        "conflict": 0,
        "expected": 12,
        "reported": 10,
    }
    assert status.rates == {"reported": 83.3, "on_time": 58.3}


def test_lateness_is_judged_on_approval_and_shown_with_import_time(province: Province) -> None:
    status = province.workspace.upper.completeness(PERIOD, TEMPLATE_ID)
    row = next(u for u in status.units if u.code == "DU-05")
    assert row.deadline == days(-1)
    assert row.approved_at and row.imported_at
    assert datetime.fromisoformat(row.approved_at).date() > row.deadline
    missing = next(u for u in status.units if u.code == "DU-11")
    assert (missing.approved_at, missing.imported_at, missing.revision) == (None, None, None)
    assert missing.deadline == days(30)


def test_a_returned_report_counts_for_nothing_until_it_is_resubmitted(province: Province) -> None:
    during_status, during_totals = province.during_return
    row = next(u for u in during_status.units if u.code == RETURNED_UNIT)
    assert (row.state, row.revision, row.return_comment) == (RETURNED, 1, RETURN_COMMENT)
    assert during_totals.units_returned == (RETURNED_UNIT,)
    assert RETURNED_UNIT in during_totals.units_missing
    assert RETURNED_UNIT not in during_totals.units_included
    without = Sums({c: f for c, f in province.counted.items() if c != RETURNED_UNIT})
    assert during_totals.total("tong_may_tinh").value == without.total("tong_may_tinh")

    after = province.workspace.upper.completeness(PERIOD, TEMPLATE_ID)
    row = next(u for u in after.units if u.code == RETURNED_UNIT)
    assert (row.state, row.revision) == (ON_TIME, 2)
    totals = province.workspace.upper.consolidate(TEMPLATE_ID, PERIOD)
    assert totals.total("tong_may_tinh").by_unit[RETURNED_UNIT] == figures_for(3)["tong_may_tinh"]


def test_returning_twice_is_refused_and_changes_nothing(province: Province) -> None:
    upper = province.workspace
    audit_rows = len(upper.reports.history(province.returned_report))
    with pytest.raises(CoreError) as refused:
        upper.upper.return_report(province.returned_report, " ")
    assert refused.value.code == "upper.return_comment_missing"
    assert len(upper.reports.history(province.returned_report)) == audit_rows
    actions = [row["action"] for row in upper.reports.history(province.returned_report)]
    assert actions.count("report.returned") == 1


# --- the totals ------------------------------------------------------------------------------


def test_totals_equal_the_sums_of_the_figures_fed_in(province: Province) -> None:
    result = province.workspace.upper.consolidate(TEMPLATE_ID, PERIOD)
    sums = Sums(province.counted)
    assert result.units_included == tuple(sorted(province.counted))
    assert result.units_missing == tuple(sorted(MISSING_UNITS))
    for indicator_id in (
        "tong_may_tinh",
        "may_tinh_ket_noi",
        "tong_can_bo",
        "luot_tap_huan",
        "van_ban_di",
        "van_ban_di_ky_so",
        "tong_ho_so",
        "ho_so_truc_tuyen",
        "so_su_co_attt",
        "so_dvc_toan_trinh",
    ):
        assert result.total(indicator_id).value == sums.total(indicator_id), indicator_id
    assert result.total("kinh_phi_cntt").value == sums.money()
    assert result.total("ty_le_may_tinh_ket_noi").value == sums.ratio(
        "may_tinh_ket_noi", "tong_may_tinh"
    )
    assert result.total("may_tinh_tren_can_bo").value == sums.ratio(
        "tong_may_tinh", "tong_can_bo", 1
    )
    assert result.total("ket_noi_mang_chuyen_dung").value == sums.yes("ket_noi_mang_chuyen_dung")
    bandwidth = [int(str(f["bang_thong_internet"])) for f in province.counted.values()]
    assert result.total("bang_thong_internet").value == Decimal(sum(bandwidth)) / 10
    hours = [
        Decimal(str(f["thoi_gian_khac_phuc_dai_nhat"]))
        for f in province.counted.values()
        if f["thoi_gian_khac_phuc_dai_nhat"] is not None
    ]
    assert result.total("thoi_gian_khac_phuc_dai_nhat").value == max(hours)
    assert result.total("thoi_gian_khac_phuc_dai_nhat").units_counted == len(hours) < 10
    assert result.total("he_thong_qlvb").value is None  # text: never added up


def test_missing_units_are_listed_never_counted_as_zero(province: Province) -> None:
    result = province.workspace.upper.consolidate(TEMPLATE_ID, PERIOD)
    total = result.total("tong_may_tinh")
    assert set(total.by_unit) == set(province.counted)
    assert not MISSING_UNITS & set(total.by_unit)
    assert total.units_counted == 10
    mean = result.total("bang_thong_internet").value
    assert mean == Decimal(sum(100 + 10 * n for n in range(1, 11))) / 10  # not divided by 12


def test_the_fast_path_agrees_with_the_aggregation_module(province: Province) -> None:
    upper = province.workspace
    result = upper.upper.consolidate(TEMPLATE_ID, PERIOD)
    stored = {
        code: dict(upper.reports.content(report_id, revision).values)
        for code, (report_id, revision) in result.counted.items()
    }
    reference = {t.id: t for t in aggregate(upper.templates.get(TEMPLATE_ID), stored)}
    for total in result.totals:
        assert total.value == reference[total.id].value, total.id
        assert dict(total.by_unit) == dict(reference[total.id].by_unit), total.id


def test_json_uses_exact_numbers_booleans_and_lists_the_missing(province: Province) -> None:
    payload = province.workspace.upper.consolidate(TEMPLATE_ID, PERIOD).to_json()
    assert payload["template_id"] == TEMPLATE_ID and payload["period"] == PERIOD
    assert payload["units_missing"] == sorted(MISSING_UNITS)
    by_id = {i["id"]: i for i in payload["indicators"]}
    assert by_id["tong_may_tinh"]["value"] == Sums(province.counted).total("tong_may_tinh")
    assert type(by_id["tong_may_tinh"]["value"]) is int
    ratio = by_id["ty_le_may_tinh_ket_noi"]["value"]  # exact: the ratio of sums, not a float
    sums = Sums(province.counted)
    assert ratio == sums.ratio("may_tinh_ket_noi", "tong_may_tinh")
    assert by_id["ket_noi_mang_chuyen_dung"]["by_unit"]["DU-02"] is True
    assert by_id["ket_noi_mang_chuyen_dung"]["by_unit"]["DU-01"] is False
    assert by_id["ngay_ban_hanh_ke_hoach"]["by_unit"]["DU-01"] is None
    assert by_id["tong_may_tinh"]["aggregation"] == "sum"


# --- workbooks and the printed list ----------------------------------------------------------


def test_the_totals_workbook_reads_back_as_the_json(province: Province) -> None:
    result = province.workspace.upper.consolidate(TEMPLATE_ID, PERIOD)
    payload = result.to_json()
    book = load_workbook(io.BytesIO(consolidation_workbook(result)))
    assert book.sheetnames[:2] == [TOTALS_SHEET, BREAKDOWN_SHEET]

    totals = book[TOTALS_SHEET]
    assert totals.freeze_panes == "A2"
    assert [c.value for c in totals[1]][:6] == [
        "STT",
        "Mã chỉ tiêu",
        "Chỉ tiêu",
        "Đơn vị tính",
        "Cách tổng hợp",
        "Số liệu tổng hợp",
    ]
    assert totals[1][0].font.bold
    assert totals.column_dimensions["C"].width >= 40
    rows = {row[1]: row for row in totals.iter_rows(min_row=2, values_only=True)}
    for indicator in payload["indicators"]:
        row = rows[indicator["id"]]
        assert row[2] == indicator["label"]
        assert row[5] == _as_cell(indicator["value"]), indicator["id"]
        assert row[6] == indicator["units_counted"]
    assert rows["tong_may_tinh"][4] == "Cộng"

    breakdown = book[BREAKDOWN_SHEET]
    assert breakdown.freeze_panes == "C3"
    ids = [c.value for c in breakdown[2]][2:]
    assert ids == [i["id"] for i in payload["indicators"]]
    by_unit = {row[0]: row for row in breakdown.iter_rows(min_row=3, values_only=True)}
    assert sorted(by_unit) == payload["units_included"]
    for position, indicator in enumerate(payload["indicators"], start=2):
        for code, value in indicator["by_unit"].items():
            expected = _as_cell(value, indicator)
            assert by_unit[code][position] == expected, (code, indicator["id"])


def _as_cell(value: Any, indicator: dict[str, Any] | None = None) -> Any:
    """The JSON value as the cell should hold it (Excel keeps 15 significant digits)."""
    if isinstance(value, Decimal):
        return pytest.approx(float(value), rel=1e-14)
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if indicator and indicator["id"] == "muc_do_dvc" and value is not None:
        return {"toan_trinh": "Toàn trình"}.get(value, value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        return datetime.fromisoformat(value)
    return value


def test_the_status_workbook_reads_back_as_the_json(province: Province) -> None:
    status = province.workspace.upper.completeness(PERIOD, TEMPLATE_ID)
    payload = status.to_json()
    titles = {TEMPLATE_ID: "Báo cáo tình hình ứng dụng công nghệ thông tin"}
    book = load_workbook(io.BytesIO(completeness_workbook(status, titles)))
    sheet = book[COMPLETENESS_SHEET]
    assert sheet.freeze_panes == "A2"
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == len(payload["units"]) == 12
    for row, unit in zip(rows, payload["units"], strict=True):
        assert row[1].value == unit["code"] and row[2].value == unit["name"]
        assert row[3].value == titles[TEMPLATE_ID]
        deadline = row[6]
        assert deadline.value.date() == date.fromisoformat(unit["deadline"])
        assert deadline.number_format == "dd/mm/yyyy"
        if unit["approved_at"]:
            approved = datetime.fromisoformat(unit["approved_at"]).replace(tzinfo=None)
            assert row[7].value == approved and row[7].number_format == "dd/mm/yyyy hh:mm"
        assert row[9].value == unit["revision"]
    states = {row[1].value: row[5].value for row in rows}
    assert states["DU-11"] == "Chưa nộp" and states["DU-05"] == "Nộp muộn"
    counts = {r[0]: r[1] for r in book[COUNTS_SHEET].iter_rows(min_row=2, values_only=True)}
    assert counts["Chưa nộp"] == payload["counts"]["missing"]
    assert counts["Tổng số phải nộp"] == 12


def test_the_printed_list_names_every_unit_and_whom_to_call(province: Province) -> None:
    status = province.workspace.upper.completeness(PERIOD, TEMPLATE_ID)
    pdf = province.workspace.upper.completeness_pdf(status)
    assert pdf.startswith(b"%PDF")
    document = pdfium.PdfDocument(pdf)
    pages = [document[i].get_textpage().get_text_range() for i in range(len(document))]
    document.close()
    text = " ".join(" ".join(pages).split())  # a cell may wrap onto two lines
    for number in (1, 5, 11, 12):
        assert f"Đảng ủy xã Số {number}" in text
    assert "Chưa nộp" in text and f"hạn {days(-1):%d/%m/%Y}" in text
    assert "quý III năm 2026" in text


# --- the consolidated report -----------------------------------------------------------------


def test_the_consolidated_report_starts_from_the_totals_and_goes_the_normal_way(
    province: Province, tmp_path: Path
) -> None:
    upper = province.workspace
    sums = Sums(province.counted)
    report_id = upper.upper.create_consolidated_report(TEMPLATE_ID, PERIOD)
    content = upper.reports.content(report_id)
    assert content.values["tong_may_tinh"] == str(sums.total("tong_may_tinh"))
    assert Decimal(content.values["kinh_phi_cntt"] or "") == sums.money()
    assert content.values["bang_thong_internet"] == "155"  # mean, to the indicator's decimals
    assert "ket_noi_mang_chuyen_dung" not in content.values  # a count is no yes/no answer
    computed = computed_values(upper.templates.get(TEMPLATE_ID), content.values)
    assert computed["ty_le_ho_so_truc_tuyen"] == sums.ratio("ho_so_truc_tuyen", "tong_ho_so")

    sources = {s.indicator_id: s for s in upper.upper.consolidation_sources(report_id)}
    assert sources["tong_may_tinh"].original_value == str(sums.total("tong_may_tinh"))
    assert sources["tong_may_tinh"].units_count == 10
    assert sources["ket_noi_mang_chuyen_dung"].original_value == "5"
    assert sources["thoi_gian_khac_phuc_dai_nhat"].units_count == sum(
        n % 3 != 0 for n in range(1, 11)
    )
    assert "report.consolidated" in [row["action"] for row in upper.reports.history(report_id)]

    upper.reports.save(
        report_id, ContentChanges(values={"tong_may_tinh": sums.total("tong_may_tinh") + 1})
    )
    kept = {s.indicator_id: s for s in upper.upper.consolidation_sources(report_id)}
    assert kept["tong_may_tinh"].original_value == str(sums.total("tong_may_tinh"))

    with pytest.raises(CoreError) as again:
        upper.upper.create_consolidated_report(TEMPLATE_ID, PERIOD)
    assert again.value.code == "report.exists"

    sections = upper.templates.get(TEMPLATE_ID).walk_sections()
    texts = {
        s.id: "\n".join(t for _, _, t in upper.upper.section_excerpts(TEMPLATE_ID, PERIOD, s.id))
        for _, s in sections
        if s.narrative
    }
    upper.reports.save(report_id, ContentChanges(narratives=texts))
    assert not [i for i in upper.reports.validate(report_id) if i.severity == "error"]
    bundle = approve_and_export(upper, report_id, tmp_path)
    assert bundle.name.startswith("BC_TU-38_000001_")
    assert upper.reports.get(report_id).status == "exported"


def test_sections_offer_each_units_text_with_its_name(province: Province) -> None:
    excerpts = province.workspace.upper.section_excerpts(TEMPLATE_ID, PERIOD, "chi_dao_dieu_hanh")
    assert [code for code, _, _ in excerpts] == sorted(province.counted)
    code, name, text = excerpts[0]
    assert (code, name) == ("DU-01", "Đảng ủy xã Số 1")
    assert text.startswith("Đảng ủy xã Số 1 ban hành")
    with pytest.raises(CoreError) as unknown:
        province.workspace.upper.section_excerpts(TEMPLATE_ID, PERIOD, "khong_co")
    assert unknown.value.code == "upper.unknown_section"
