"""`baocao status`, `aggregate`, `consolidate`, `return` and `schedule` as a script drives them."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from desktop_app.cli.main import main
from desktop_app.core.model.offices import Office
from tests.core.upper.helpers import (
    CENTRAL,
    PERIOD,
    TEMPLATE_ID,
    Sums,
    enrol,
    figures_for,
    imported,
    narratives_for,
    open_office,
    submit,
)

PROVINCE = Office(code="TU-38", name="Tỉnh ủy Thanh Hóa", level="province", parent_code="TW")


@pytest.fixture
def province(tmp_path: Path) -> Path:
    """A province that received reports from DU-01 and DU-02; DU-03 has not reported."""
    stick = tmp_path / "usb"
    stick.mkdir()
    upper = open_office(tmp_path, PROVINCE, CENTRAL)
    opened = [upper]
    for number in (1, 2, 3):
        office = Office(
            code=f"DU-0{number}",
            name=f"Đảng ủy xã Số {number}",
            level="commune",
            parent_code="TU-38",
        )
        unit = open_office(tmp_path, office, PROVINCE)
        opened.append(unit)
        enrol(upper, unit)
        if number < 3:
            _, bundle = submit(unit, figures_for(number), narratives_for(office.name), stick)
            imported(upper, bundle)
    for workspace in opened:
        workspace.close()
    return tmp_path / "TU-38"


def run(capsys: pytest.CaptureFixture[str], workspace: Path, *args: str) -> tuple[int, Any, str]:
    capsys.readouterr()
    code = main([*args, "--workspace", str(workspace), "--json"])
    captured = capsys.readouterr()
    return code, json.loads(captured.out) if captured.out.strip() else None, captured.err


def test_status_lists_every_unit_with_its_state(
    province: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, status, err = run(capsys, province, "status", "--period", PERIOD)
    assert code == 0, err
    assert status["period"] == PERIOD
    assert [(u["code"], u["template_id"]) for u in status["units"]] == [
        ("DU-01", TEMPLATE_ID),
        ("DU-02", TEMPLATE_ID),
        ("DU-03", TEMPLATE_ID),
    ]
    states = {u["code"]: u["state"] for u in status["units"]}
    assert states["DU-03"] == "missing"
    assert states["DU-01"] in ("on_time", "late")  # depends on today's date against 05/10/2026
    assert set(status["units"][0]) >= {
        "code",
        "name",
        "template_id",
        "state",
        "deadline",
        "approved_at",
        "imported_at",
        "revision",
    }
    assert status["units"][0]["deadline"] == "2026-10-05"
    assert status["counts"]["missing"] == 1 and status["counts"]["expected"] == 3


def test_a_schedule_override_makes_a_unit_late(
    province: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, dates, err = run(
        capsys,
        province,
        "schedule",
        TEMPLATE_ID,
        "--period",
        PERIOD,
        "--unit",
        "DU-02",
        "--cutoff",
        "01/01/2020",
        "--deadline",
        "02/01/2020",
    )
    assert code == 0, err
    assert dates["deadline"] == "2020-01-02"
    run(capsys, province, "schedule", TEMPLATE_ID, "--period", PERIOD, "--deadline", "2999-12-31")
    status = run(capsys, province, "status", "--period", PERIOD, "--template", TEMPLATE_ID)[1]
    states = {u["code"]: u["state"] for u in status["units"]}
    assert states == {"DU-01": "on_time", "DU-02": "late", "DU-03": "missing"}


def test_bad_dates_and_periods_are_refused_with_a_sentence(
    province: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, payload, err = run(
        capsys, province, "schedule", TEMPLATE_ID, "--period", PERIOD, "--deadline", "31/02/2026"
    )
    assert code == 2 and payload["error"]["code"] == "upper.bad_date"
    assert "31/02/2026" in err
    code, payload, _ = run(capsys, province, "status", "--period", "2026Q7")
    assert code == 2 and payload["error"]["code"] == "upper.no_template_for_period"
    code, payload, _ = run(capsys, province, "aggregate", "khong-co", "--period", PERIOD)
    assert code == 2 and payload["error"]["code"] == "template.not_installed"


def test_status_writes_pdf_and_workbook(
    province: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf, xlsx = tmp_path / "ds.pdf", tmp_path / "ds.xlsx"
    code, status, err = run(
        capsys, province, "status", "--period", PERIOD, "--pdf", str(pdf), "--xlsx", str(xlsx)
    )
    assert code == 0, err
    assert status["files"] == [str(pdf), str(xlsx)]
    assert pdf.read_bytes().startswith(b"%PDF")
    sheet = load_workbook(io.BytesIO(xlsx.read_bytes())).active
    assert sheet is not None
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "DU-01",
        "DU-02",
        "DU-03",
    ]


def test_aggregate_gives_totals_and_the_missing_units(
    province: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    xlsx = tmp_path / "tong-hop.xlsx"
    code, totals, err = run(
        capsys, province, "aggregate", TEMPLATE_ID, "--period", PERIOD, "--xlsx", str(xlsx)
    )
    assert code == 0, err
    assert totals["units_included"] == ["DU-01", "DU-02"]
    assert totals["units_missing"] == ["DU-03"]
    sums = Sums({"DU-01": figures_for(1), "DU-02": figures_for(2)})
    by_id = {i["id"]: i for i in totals["indicators"]}
    assert by_id["tong_ho_so"]["value"] == sums.total("tong_ho_so")
    assert by_id["tong_ho_so"]["by_unit"] == {"DU-01": 137, "DU-02": 174}
    book = load_workbook(io.BytesIO(xlsx.read_bytes()))
    assert book.sheetnames[:2] == ["Tổng hợp", "Chi tiết theo đơn vị"]


def test_return_then_consolidate_leaves_the_returned_unit_out(
    province: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = run(capsys, province, "status", "--period", PERIOD)[1]
    received = next(u["report_id"] for u in status["units"] if u["code"] == "DU-02")
    code, payload, _ = run(capsys, province, "return", received, "--comment", "")
    assert code == 2 and payload["error"]["code"] == "upper.return_comment_missing"
    code, returned, err = run(
        capsys,
        province,
        "return",
        received,
        "--comment",
        "Đề nghị bổ sung số liệu hồ sơ trực tuyến.",
    )
    assert code == 0, err
    assert returned == {"id": received, "revision": 1, "state": "returned"}

    code, created, err = run(capsys, province, "consolidate", TEMPLATE_ID, "--period", PERIOD)
    assert code == 0, err
    assert created["units"] == 1
    report = run(capsys, province, "report", "show", created["id"])
    assert report[0] == 0, report[2]
    values = report[1]["values"]
    assert values["tong_ho_so"] == Sums({"DU-01": figures_for(1)}).total("tong_ho_so")
    code, again, _ = run(capsys, province, "consolidate", TEMPLATE_ID, "--period", PERIOD)
    assert code == 2 and again["error"]["code"] == "report.exists"


def test_human_output_is_vietnamese(province: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["status", "--period", PERIOD, "--workspace", str(province)]) == 0
    out = capsys.readouterr().out
    assert "Chưa nộp" in out and "Kỳ 2026Q3: 2/3 đơn vị đã nộp" in out


def test_aggregate_speaks_to_a_person_without_json(
    province: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Labels, not ids; Vietnamese figures with at most two decimals; a dash, not null."""
    capsys.readouterr()
    assert main(["aggregate", TEMPLATE_ID, "--period", PERIOD, "--workspace", str(province)]) == 0
    shown = capsys.readouterr().out
    assert "null" not in shown
    assert "tong_ho_so" not in shown
    assert PERIOD not in shown  # «quý … năm …»
    assert "năm" in shown.splitlines()[0]
    totals = Sums({"DU-01": figures_for(1), "DU-02": figures_for(2)})
    assert f"{totals.total('tong_ho_so'):,}".replace(",", ".") in shown
    decimals = [
        word.split(",")[1]
        for line in shown.splitlines()[1:]
        for word in line.split()
        if "," in word and word.replace(".", "").replace(",", "").isdigit()
    ]
    assert all(len(part) <= 2 for part in decimals), decimals


def test_status_says_only_registered_units_are_counted(
    province: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["status", "--period", PERIOD, "--workspace", str(province)]) == 0
    shown = capsys.readouterr().out
    assert "Chỉ tính 3 đơn vị đã đăng ký với cơ quan này" in shown
