"""Consolidated totals follow each indicator's rule; ratios are ratios of sums."""

from __future__ import annotations

from decimal import Decimal

from desktop_app.core.reports.templates import bundled_template_files, load_template_file
from desktop_app.core.upper.aggregation import aggregate

CNTT = load_template_file(next(p for p in bundled_template_files() if p.name == "cntt-quy.json"))

UNITS: dict[str, dict[str, str | None]] = {
    "A": {
        "tong_may_tinh": "10",
        "may_tinh_ket_noi": "10",
        "bang_thong_internet": "100",
        "co_trang_tin": "yes",
        "thoi_gian_khac_phuc_dai_nhat": "4",
        "muc_do_dvc": "toan_trinh",
    },
    "B": {
        "tong_may_tinh": "990",
        "may_tinh_ket_noi": "495",
        "bang_thong_internet": "300",
        "co_trang_tin": "no",
        "thoi_gian_khac_phuc_dai_nhat": "12",
    },
    "C": {"tong_may_tinh": None, "may_tinh_ket_noi": None, "co_trang_tin": "yes"},
}


def _totals() -> dict[str, object]:
    return {t.id: t.value for t in aggregate(CNTT, UNITS)}


def test_sum_skips_empty_figures_instead_of_counting_zero() -> None:
    totals = {t.id: t for t in aggregate(CNTT, UNITS)}
    assert totals["tong_may_tinh"].value == Decimal(1000)
    assert totals["tong_may_tinh"].units_counted == 2
    assert totals["tong_may_tinh"].by_unit == {"A": Decimal(10), "B": Decimal(990), "C": None}


def test_ratio_is_the_ratio_of_sums_not_the_mean_of_percentages() -> None:
    # A: 100 %, B: 50 % → the mean would be 75 %; the ratio of sums is 505 / 1000 = 50,5 %.
    assert _totals()["ty_le_may_tinh_ket_noi"] == Decimal("50.5")


def test_mean_max_count_yes_and_none() -> None:
    totals = _totals()
    assert totals["bang_thong_internet"] == Decimal(200)
    assert totals["thoi_gian_khac_phuc_dai_nhat"] == Decimal(12)
    assert totals["co_trang_tin"] == 2
    assert totals["muc_do_dvc"] is None


def test_no_units_gives_no_totals_but_zero_yes_count() -> None:
    totals = {t.id: t.value for t in aggregate(CNTT, {})}
    assert totals["tong_may_tinh"] is None
    assert totals["ty_le_may_tinh_ket_noi"] is None
    assert totals["co_trang_tin"] == 0
