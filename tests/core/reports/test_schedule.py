"""Who owes which report by when: the template's dates, overridden per unit or for all."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from desktop_app.core.errors import CoreError
from desktop_app.core.model.offices import Office
from desktop_app.core.reports.schedule import ALL_UNITS
from desktop_app.core.workspace import Workspace
from tests.core.upper.helpers import CNTT, PERIOD, TEMPLATE_ID

PROVINCE = Office(code="TU-38", name="Tỉnh ủy Thanh Hóa", level="province")


def _unit(code: str, **dates: str) -> Office:
    return Office(code=code, name=f"Đảng ủy {code}", level="commune", parent_code="TU-38", **dates)


@pytest.fixture
def province(tmp_path: Path) -> Iterator[Workspace]:
    with Workspace.open(tmp_path / "province", automatic_backup=False) as workspace:
        workspace.initialise(PROVINCE, install_bundled_templates=False)
        workspace.templates.install(CNTT)
        for code in ("DU-01", "DU-02"):
            workspace.add_unit(_unit(code))
        yield workspace


def _dates(workspace: Workspace, period: str = PERIOD) -> dict[str, tuple[date | None, ...]]:
    return {
        o.unit_code: (o.due.cutoff, o.due.deadline)
        for o in workspace.upper.obligations(period, TEMPLATE_ID)
    }


def test_dates_come_from_the_template_rules(province: Workspace) -> None:
    # cntt-quy: cut-off on the 14th of the quarter's last month, deadline the 5th after it
    assert _dates(province) == {
        "DU-01": (date(2026, 9, 14), date(2026, 10, 5)),
        "DU-02": (date(2026, 9, 14), date(2026, 10, 5)),
    }


def test_a_unit_row_beats_the_all_units_row_which_beats_the_template(province: Workspace) -> None:
    province.upper.set_override(TEMPLATE_ID, PERIOD, ALL_UNITS, None, date(2026, 10, 20))
    province.upper.set_override(TEMPLATE_ID, PERIOD, "DU-02", date(2026, 9, 1), date(2026, 9, 30))
    assert _dates(province) == {
        "DU-01": (date(2026, 9, 14), date(2026, 10, 20)),  # cut-off kept from the template
        "DU-02": (date(2026, 9, 1), date(2026, 9, 30)),
    }
    assert _dates(province, "2026Q4")["DU-01"] == (date(2026, 12, 14), date(2027, 1, 5))


def test_both_dates_empty_removes_the_override(province: Workspace) -> None:
    province.upper.set_override(TEMPLATE_ID, PERIOD, "DU-01", None, date(2026, 11, 1))
    province.upper.set_override(TEMPLATE_ID, PERIOD, "DU-01", None, None)
    assert _dates(province)["DU-01"] == (date(2026, 9, 14), date(2026, 10, 5))
    assert province.db.execute("SELECT COUNT(*) FROM schedule").fetchone()[0] == 0


def test_a_deadline_before_the_cutoff_is_refused_and_nothing_changes(province: Workspace) -> None:
    province.upper.set_override(TEMPLATE_ID, PERIOD, "DU-01", None, date(2026, 10, 1))
    with pytest.raises(CoreError) as refused:
        province.upper.set_override(
            TEMPLATE_ID, PERIOD, "DU-01", date(2026, 10, 9), date(2026, 10, 2)
        )
    assert refused.value.code == "schedule.deadline_before_cutoff"
    # an all-units cut-off after a unit's own deadline would break that unit: refused too
    with pytest.raises(CoreError):
        province.upper.set_override(TEMPLATE_ID, PERIOD, ALL_UNITS, date(2026, 10, 3), None)
    assert _dates(province)["DU-01"] == (date(2026, 9, 14), date(2026, 10, 1))
    assert province.db.execute("SELECT COUNT(*) FROM schedule").fetchone()[0] == 1


@pytest.mark.parametrize(
    ("unit", "period", "code"),
    [
        ("DU-99", PERIOD, "upper.unknown_unit"),
        ("DU-01", "2026", "period.wrong_type"),
        ("DU-01", "2026Q5", "period.invalid"),
    ],
)
def test_bad_input_is_refused(province: Workspace, unit: str, period: str, code: str) -> None:
    with pytest.raises(CoreError) as refused:
        province.upper.set_override(TEMPLATE_ID, period, unit, None, date(2026, 10, 1))
    assert refused.value.code == code
    assert province.db.execute("SELECT COUNT(*) FROM schedule").fetchone()[0] == 0


def test_a_damaged_row_is_named_not_guessed(province: Workspace) -> None:
    province.db.execute(
        "INSERT INTO schedule VALUES (?, ?, 'DU-02', NULL, '5/10/2026')", [TEMPLATE_ID, PERIOD]
    )
    with pytest.raises(CoreError) as refused:
        province.upper.obligations(PERIOD, TEMPLATE_ID)
    assert refused.value.code == "schedule.override_invalid"
    assert refused.value.params["unit"] == "DU-02"


def test_units_owe_only_periods_they_existed_at_the_end_of(province: Workspace) -> None:
    # districts ceased on 01/07/2025: nothing owed for the third quarter of 2025
    province.add_unit(_unit("HU-01", valid_to="2025-06-30"))
    province.add_unit(_unit("XA-NEW", valid_from="2025-07-01"))
    assert "HU-01" in _dates(province, "2025Q2") and "XA-NEW" not in _dates(province, "2025Q2")
    assert "HU-01" not in _dates(province, "2025Q3") and "XA-NEW" in _dates(province, "2025Q3")


def test_without_a_template_every_template_of_that_period_type_is_owed(
    province: Workspace,
) -> None:
    assert {o.template_id for o in province.upper.obligations(PERIOD)} == {TEMPLATE_ID}
    with pytest.raises(CoreError) as refused:
        province.upper.obligations("2026")
    assert refused.value.code == "upper.no_template_for_period"
