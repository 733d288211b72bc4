"""The fast consolidation path gives exactly what ``aggregation.aggregate`` gives, whatever the
figures: gaps, decimals, yes/no, dates, text holding the separator, units with nothing."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.core.model.offices import Office
from desktop_app.core.reports.templates import Indicator
from desktop_app.core.reports.values import decimal_text
from desktop_app.core.store.database import write_transaction
from desktop_app.core.upper.aggregation import aggregate
from desktop_app.core.workspace import Workspace
from tests.core.upper.helpers import CNTT, TEMPLATE_ID

PROVINCE = Office(code="TU-38", name="Tỉnh ủy Thanh Hóa", level="province")
_periods = (f"{year}Q{quarter}" for year in itertools.count(2000) for quarter in (1, 2, 3, 4))

Stored = dict[str, str | None]


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    folder = tmp_path_factory.mktemp("consolidation")
    with Workspace.open(folder / "province", automatic_backup=False) as workspace:
        workspace.initialise(PROVINCE, install_bundled_templates=False)
        workspace.templates.install(CNTT)
        yield workspace


def receive(workspace: Workspace, period: str, units: Mapping[str, Stored]) -> None:
    """Received revisions straight into the store, as an import leaves them."""
    db = workspace.db
    with write_transaction(db):
        for code, values in units.items():
            db.table("offices").upsert(
                {
                    "code": code,
                    "name": f"Đơn vị {code}",
                    "level": "commune",
                    "block": "party",
                    "parent_code": PROVINCE.code,
                },
                pk="code",
            )
            report_id = f"{period}-{code}"
            ledger = (
                db.table("inbox_ledger")
                .insert(
                    {
                        "received_at": "2026-10-01T08:00:00+07:00",
                        "file_name": f"{report_id}.baocao",
                        "sha256": report_id,
                        "status": "accepted",
                        "code": "",
                    }
                )
                .last_rowid
            )
            db.table("reports").insert(
                {
                    "id": report_id,
                    "template_id": TEMPLATE_ID,
                    "template_version": 1,
                    "period": period,
                    "office_code": code,
                    "origin": "received",
                    "current_revision": 1,
                    "created_at": "x",
                    "updated_at": "x",
                }
            )
            db.table("revisions").insert(
                {"report_id": report_id, "revision": 1, "status": "approved", "created_at": "x"}
            )
            db.table("received_revisions").insert(
                {
                    "report_id": report_id,
                    "revision": 1,
                    "ledger_id": ledger,
                    "manifest_sha256": report_id,
                    "approved_at": "2026-10-01T08:00:00+07:00",
                    "imported_at": "2026-10-01T09:00:00+07:00",
                }
            )
            for indicator_id, value in values.items():
                db.table("report_values").insert(
                    {
                        "report_id": report_id,
                        "revision": 1,
                        "indicator_id": indicator_id,
                        "value": value,
                        "comment": "ghi chú" if value is None else "",
                    }
                )


def _value(indicator: Indicator) -> st.SearchStrategy[str | None]:
    if indicator.type == "integer":
        figure: st.SearchStrategy[str] = st.integers(0, 10**9).map(str)
    elif indicator.is_numeric:
        figure = st.decimals(0, 10**6, places=3).map(decimal_text)
    elif indicator.type == "yesno":
        figure = st.sampled_from(["yes", "no"])
    elif indicator.type == "date":
        figure = st.dates(date(2020, 1, 1), date(2030, 12, 31)).map(date.isoformat)
    elif indicator.type == "choice":
        figure = st.sampled_from([c.value for c in indicator.choices])
    else:
        figure = st.text(st.sampled_from("aăư \x1e,"), min_size=1, max_size=6)
    return st.none() | figure


def _unit_values() -> st.SearchStrategy[Stored]:
    entered = [i for i in CNTT.indicators if not i.is_computed]
    return st.fixed_dictionaries({}, optional={i.id: _value(i) for i in entered})


def _same_as_aggregate(workspace: Workspace, period: str, units: Mapping[str, Stored]) -> None:
    result = workspace.upper.consolidate(TEMPLATE_ID, period)
    present = {
        code: {k: v for k, v in values.items() if v is not None} for code, values in units.items()
    }
    reference = {t.id: t for t in aggregate(CNTT, present)}
    assert result.units_included == tuple(sorted(units))
    for total in result.totals:
        assert total.value == reference[total.id].value, total.id
        assert dict(total.by_unit) == dict(reference[total.id].by_unit), total.id
        assert total.units_counted == reference[total.id].units_counted, total.id


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_unit_values(), min_size=1, max_size=7))
def test_totals_and_breakdown_match_the_aggregation_module(
    province: Workspace, reports: list[Stored]
) -> None:
    period = next(_periods)
    units = {f"DU-{n:02d}": values for n, values in enumerate(reports)}
    receive(province, period, units)
    _same_as_aggregate(province, period, units)


def test_the_usual_case_every_unit_giving_every_figure(province: Workspace) -> None:
    period = next(_periods)
    full = {
        f"DU-{n}": {
            "tong_may_tinh": str(10 * n),
            "may_tinh_ket_noi": str(9 * n),
            "tong_can_bo": str(n + 3),
            "kinh_phi_cntt": f"{n}.25",
            "ket_noi_mang_chuyen_dung": "yes" if n % 2 else "no",
            "he_thong_qlvb": f"Hệ thống {n}\x1e",
        }
        for n in range(1, 6)
    }
    receive(province, period, full)
    _same_as_aggregate(province, period, full)
    result = province.upper.consolidate(TEMPLATE_ID, period)
    assert result.total("tong_may_tinh").value == 150
    assert result.total("ty_le_may_tinh_ket_noi").value == Decimal(90)
    assert result.total("he_thong_qlvb").by_unit["DU-3"] == "Hệ thống 3\x1e"


def test_a_figure_its_type_cannot_read_is_left_out_not_a_crash(province: Workspace) -> None:
    """A value kept by an older template version where the indicator was text."""
    period = next(_periods)
    receive(
        province,
        period,
        {
            "DU-1": {"tong_may_tinh": "12"},
            "DU-2": {"tong_may_tinh": "n/a"},
            "DU-3": {"tong_may_tinh": "7.5"},
        },
    )
    total = province.upper.consolidate(TEMPLATE_ID, period).total("tong_may_tinh")
    assert total.value == Decimal("19.5")
    assert dict(total.by_unit) == {"DU-1": 12, "DU-2": None, "DU-3": Decimal("7.5")}


def test_a_returned_revision_is_not_counted_but_an_older_period_is_untouched(
    province: Workspace,
) -> None:
    period = next(_periods)
    receive(province, period, {"DU-1": {"tong_may_tinh": "5"}, "DU-2": {"tong_may_tinh": "7"}})
    province.db.execute(
        "UPDATE received_revisions SET state = 'returned' WHERE report_id = ?", [f"{period}-DU-2"]
    )
    result = province.upper.consolidate(TEMPLATE_ID, period)
    assert result.total("tong_may_tinh").value == 5
    assert result.units_returned == ("DU-2",) and result.units_included == ("DU-1",)


def test_json_of_an_empty_period_lists_no_units(province: Workspace) -> None:
    payload = province.upper.consolidate(TEMPLATE_ID, next(_periods)).to_json()
    assert payload["units_included"] == []
    counts = {i["id"]: i["value"] for i in payload["indicators"]}
    assert counts["tong_may_tinh"] is None and counts["co_trang_tin"] == 0


def test_big_figures_stay_exact(province: Workspace) -> None:
    period = next(_periods)
    big = "123456789012345678901234"
    receive(province, period, {"DU-1": {"tong_ho_so": big}, "DU-2": {"tong_ho_so": "1"}})
    payload = province.upper.consolidate(TEMPLATE_ID, period).to_json()
    value = next(i["value"] for i in payload["indicators"] if i["id"] == "tong_ho_so")
    assert value == int(big) + 1


def test_a_zero_divisor_in_one_unit_leaves_only_that_units_ratio_empty(
    province: Workspace,
) -> None:
    period = next(_periods)
    units: dict[str, Stored] = {
        f"DU-{n}": {"tong_may_tinh": str(n), "may_tinh_ket_noi": str(n), "tong_can_bo": "4"}
        for n in range(3)
    }
    receive(province, period, units)
    _same_as_aggregate(province, period, units)
    ratio = province.upper.consolidate(TEMPLATE_ID, period).total("ty_le_may_tinh_ket_noi")
    assert dict(ratio.by_unit) == {"DU-0": None, "DU-1": Decimal(100), "DU-2": Decimal(100)}
    assert ratio.value == Decimal(100)
