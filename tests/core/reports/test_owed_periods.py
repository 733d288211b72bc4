"""Periods of the year a template is owed for (format 2 ``owed_periods``).

The six-month review (``so-ket-6-thang``) is owed for the first half only: the second half is
the yearly review's. So the province lists a commune as missing 2026S1 when it has not sent it,
and never lists 2026S2 anywhere: not in the obligations, the completeness table, the
consolidation or a commune's home page. Templates without the field owe every period as before.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from desktop_app.core.catalogue import describe
from desktop_app.core.model.offices import Office
from desktop_app.core.model.periods import parse_period
from desktop_app.core.reports.records import ContentChanges
from desktop_app.core.reports.schedule import recent_periods
from desktop_app.core.reports.templates import (
    Template,
    TemplateError,
    bundled_template_files,
    load_template_bytes,
    load_template_file,
)
from desktop_app.core.workspace import Workspace
from tests.core.upper.helpers import CHEAP

FILES = {path.stem: path for path in bundled_template_files()}
SO_KET = load_template_file(FILES["so-ket-6-thang"])
PROVINCE = Office(code="TU-38", name="Tỉnh ủy Thanh Hóa", level="province", block="party")
COMMUNES = [
    Office("DU-01", "Đảng ủy xã Xuân Du", "commune", "party", parent_code="TU-38"),
    Office("DU-02", "Đảng ủy phường Hạc Thành", "commune", "party", parent_code="TU-38"),
]


def document(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(FILES[name].read_text(encoding="utf-8"))
    return loaded


def pretty(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc, ensure_ascii=False, indent=2).encode()


def refusal(doc: dict[str, Any]) -> TemplateError:
    text = pretty(doc)
    with pytest.raises(TemplateError) as caught:
        load_template_bytes(text, "mau.json")
    return caught.value


def line_of(text: bytes, needle: str) -> int:
    """The line of ``needle`` within the ``owed_periods`` list (placed last in the file)."""
    decoded = text.decode()
    offset = decoded.index(needle, decoded.index('"owed_periods"'))
    return decoded.count("\n", 0, offset) + 1


@pytest.fixture
def province(tmp_path: Path) -> Iterator[Workspace]:
    workspace = Workspace.open(tmp_path / "tinh", automatic_backup=False, kdf_cost=CHEAP)
    workspace.initialise(PROVINCE, install_bundled_templates=False)
    for unit in COMMUNES:
        workspace.add_unit(unit)
    workspace.templates.install(SO_KET)
    workspace.templates.install_file(FILES["tong-ket-nam"])
    yield workspace
    workspace.close()


@pytest.fixture
def commune(tmp_path: Path) -> Iterator[Workspace]:
    workspace = Workspace.open(tmp_path / "xa", automatic_backup=False, kdf_cost=CHEAP)
    workspace.initialise(COMMUNES[0], install_bundled_templates=False)
    workspace.templates.install(SO_KET)
    yield workspace
    workspace.close()


# --- the province ------------------------------------------------------------------------------


def test_the_first_half_is_missing_for_every_commune_that_has_not_sent_it(
    province: Workspace,
) -> None:
    owed = province.upper.obligations("2026S1")
    assert [(o.unit_code, o.template_id) for o in owed] == [
        ("DU-01", "so-ket-6-thang"),
        ("DU-02", "so-ket-6-thang"),
    ]
    status = province.upper.completeness("2026S1", "so-ket-6-thang")
    assert [(u.code, u.state) for u in status.units] == [("DU-01", "missing"), ("DU-02", "missing")]
    assert province.upper.consolidate("so-ket-6-thang", "2026S1").units_missing == (
        "DU-01",
        "DU-02",
    )


def test_the_second_half_is_never_listed_anywhere(province: Workspace) -> None:
    assert province.upper.obligations("2026S2") == []
    assert province.upper.obligations("2026S2", "so-ket-6-thang") == []
    assert province.upper.completeness("2026S2").units == ()
    assert province.upper.completeness("2026S2", "so-ket-6-thang").units == ()
    assert province.upper.consolidate("so-ket-6-thang", "2026S2").units_missing == ()
    # The second half is the yearly review's, owed as before.
    yearly = province.upper.completeness("2026").units
    assert [(u.code, u.template_id, u.state) for u in yearly] == [
        ("DU-01", "tong-ket-nam", "missing"),
        ("DU-02", "tong-ket-nam", "missing"),
    ]


# --- the commune -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "due"),
    [
        (date(2026, 6, 18), ["2026S1"]),  # the first half, before its deadline
        (date(2026, 7, 10), []),  # the first half's deadline (20/06) passed, the second not owed
        (date(2026, 12, 7), []),
        (date(2027, 1, 5), ["2027S1"]),  # the running first half; 2026S2 is not asked for
    ],
)
def test_the_home_page_asks_only_for_first_halves(
    commune: Workspace, today: date, due: list[str]
) -> None:
    assert [item.period.code for item in commune.reports.due(today)] == due


def test_a_new_report_is_offered_the_owed_periods_newest_first() -> None:
    offered = recent_periods(SO_KET, date(2026, 12, 7), 3)
    assert [p.code for p in offered] == ["2026S1", "2025S1", "2024S1"]


# --- templates without the field owe every period, as before ----------------------------------


def test_a_template_without_the_field_owes_every_period_of_its_type() -> None:
    nq57 = load_template_file(FILES["nq57-quy-xa"])
    cntt = load_template_file(FILES["cntt-quy"])  # format 1
    for template in (nq57, cntt):
        assert template.owed_periods == ()
        quarters = [parse_period(f"2026Q{n}", "quarterly") for n in range(1, 5)]
        assert all(template.owes_period(quarter) for quarter in quarters)
        offered = recent_periods(template, date(2026, 12, 7), 4)
        assert [p.code for p in offered] == ["2026Q4", "2026Q3", "2026Q2", "2026Q1"]


def test_the_field_is_read_and_shown() -> None:
    assert SO_KET.owed_periods == ("S1",)
    assert SO_KET.describe()["owed_periods"] == ["S1"]
    assert SO_KET.owes_period(parse_period("2026S1", "sixmonthly"))
    assert not SO_KET.owes_period(parse_period("2026S2", "sixmonthly"))


# --- what an author is told --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "wrong", "meant"),
    [
        ("nq57-quy-xa", "Q5", "Q4"),
        ("so-ket-6-thang", "S3", "S2"),
        ("so-ket-6-thang", "s1", "S1"),
        ("bao-cao-thang", "13", "12"),
        ("bao-cao-thang", "3", "03"),
    ],
)
def test_a_wrong_period_is_refused_at_its_line_naming_the_nearest(
    name: str, wrong: str, meant: str
) -> None:
    doc = document(name)
    doc["owed_periods"] = ["01" if name == "bao-cao-thang" else "S1", wrong]
    if name == "nq57-quy-xa":
        doc["owed_periods"] = ["Q1", wrong]
    error = refusal(doc)
    assert error.field == "owed_periods[1]"
    assert error.line == line_of(pretty(doc), f'"{wrong}"')
    assert f"'{meant}'" in describe(error, "vi")
    assert f"'{meant}'" in describe(error, "en")


def test_a_period_of_another_type_is_refused_listing_those_of_the_template() -> None:
    doc = document("nq57-quy-xa")
    doc["owed_periods"] = ["S1"]
    error = refusal(doc)
    assert error.field == "owed_periods[0]"
    assert "Q1, Q2, Q3, Q4" in describe(error, "vi")
    assert "có phải" not in describe(error, "vi")


def test_a_yearly_template_cannot_choose_periods_of_the_year() -> None:
    doc = document("tong-ket-nam")
    doc["owed_periods"] = ["S1"]
    error = refusal(doc)
    assert error.field == "owed_periods"
    assert "owed_periods" in describe(error, "en")
    assert "năm" in describe(error, "vi")


def test_an_empty_list_is_refused_by_the_schema() -> None:
    doc = document("so-ket-6-thang")
    doc["owed_periods"] = []
    assert refusal(doc).field == "owed_periods"


# --- "previous" is the previous period owed ---------------------------------------------------


def nq57_owed_for(*periods: str) -> Template:
    doc = document("nq57-quy-xa")
    doc["owed_periods"] = list(periods)
    return load_template_bytes(pretty(doc), "nq57.json")


def test_the_previous_period_is_the_last_one_owed() -> None:
    halves = SO_KET.previous_owed(parse_period("2026S1", "sixmonthly"))
    assert halves is not None and halves.code == "2025S1"
    quarters = nq57_owed_for("Q2", "Q4")
    before = quarters.previous_owed(parse_period("2026Q2", "quarterly"))
    assert before is not None and before.code == "2025Q4"
    every = load_template_file(FILES["nq57-quy-xa"])
    before = every.previous_owed(parse_period("2026Q2", "quarterly"))
    assert before is not None and before.code == "2026Q1"


def test_previous_values_come_from_the_last_period_owed(commune: Workspace) -> None:
    commune.templates.install(nq57_owed_for("Q2", "Q4"))
    second = commune.reports.new("nq57-quy-xa", "2026Q2")
    commune.reports.save(
        second, ContentChanges(grids={"bieu_kpi": {"du_lieu": {"thuc_hien": 120}}})
    )
    fourth = commune.reports.new("nq57-quy-xa", "2026Q4")
    changes = ContentChanges(grids={"bieu_kpi": {"du_lieu": {"thuc_hien": 90}}})
    cells = commune.reports.save(fourth, changes).grids["bieu_kpi"]["du_lieu"]
    assert (cells["quy_truoc"], cells["luy_ke"]) == ("120", "210")
