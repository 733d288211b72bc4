"""Every validation rule a clerk meets: required, types, ranges, formulas, cross-field rules."""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from typing import Any

import pytest

from desktop_app.core.reports.templates import Template, bundled_template_files, load_template_file
from desktop_app.core.reports.validation import (
    ERROR,
    WARNING,
    Issue,
    ReportContent,
    computed_values,
    validate,
)
from desktop_app.core.reports.values import ValueRefused, canonical

CNTT = load_template_file(next(p for p in bundled_template_files() if p.name == "cntt-quy.json"))

COMPLETE = {
    "tong_may_tinh": "60",
    "may_tinh_ket_noi": "45",
    "tong_can_bo": "50",
    "can_bo_biet_su_dung": "48",
    "tong_ho_so": "1200",
    "ho_so_truc_tuyen": "900",
    "van_ban_di": "300",
    "van_ban_di_ky_so": "290",
}


def _narratives(template: Template) -> dict[str, str]:
    return {
        s.id: "Nội dung đã viết." for _, s in template.walk_sections() if s.narrative and s.required
    }


def _issues(values: dict[str, str], comments: dict[str, str] | None = None) -> list[Issue]:
    content = ReportContent(values, _narratives(CNTT), comments or {})
    return validate(CNTT, content)


def _codes(issues: list[Issue]) -> set[tuple[str, str, str]]:
    return {(i.severity, i.code, i.field) for i in issues}


def test_complete_report_has_no_errors() -> None:
    assert [i for i in _issues(COMPLETE) if i.severity == ERROR] == []


def test_missing_required_value_is_an_error() -> None:
    values = {k: v for k, v in COMPLETE.items() if k != "tong_ho_so"}
    assert (ERROR, "value.required", "tong_ho_so") in _codes(_issues(values))


def test_missing_value_with_a_comment_is_only_a_warning() -> None:
    values = {k: v for k, v in COMPLETE.items() if k != "tong_ho_so"}
    issues = _issues(values, {"tong_ho_so": "Chưa tổng hợp xong số liệu từ bộ phận một cửa."})
    assert (WARNING, "value.missing_explained", "tong_ho_so") in _codes(issues)
    assert (ERROR, "value.required", "tong_ho_so") not in _codes(issues)


def test_above_maximum_is_an_error() -> None:
    issues = _issues({**COMPLETE, "tong_may_tinh": "200000", "may_tinh_ket_noi": "45"})
    assert (ERROR, "value.above_max", "tong_may_tinh") in _codes(issues)


def test_negative_count_is_below_the_minimum() -> None:
    issues = _issues({**COMPLETE, "luot_tap_huan": "-3"})
    assert (ERROR, "value.below_min", "luot_tap_huan") in _codes(issues)


def test_violated_cross_field_rule_names_the_rule() -> None:
    issues = _issues({**COMPLETE, "may_tinh_ket_noi": "70"})
    violated = [i for i in issues if i.code == "rule.violated"]
    assert [(i.severity, i.field) for i in violated if i.field == "ket_noi_khong_vuot_tong"] == [
        (ERROR, "ket_noi_khong_vuot_tong")
    ]
    assert "kết nối" in str(violated[0].params["message"]).lower()


def test_warning_rule_on_a_computed_ratio() -> None:
    issues = _issues({**COMPLETE, "ho_so_truc_tuyen": "100"})
    assert (WARNING, "rule.violated", "ty_le_truc_tuyen_dat_muc_tieu") in _codes(issues)


def test_rule_on_missing_figures_is_not_judged() -> None:
    issues = _issues({"may_tinh_ket_noi": "70"})
    assert "ket_noi_khong_vuot_tong" not in {i.field for i in issues}


def test_required_narrative_missing_is_an_error() -> None:
    content = ReportContent(COMPLETE, {}, {})
    assert (ERROR, "narrative.required", "chi_dao_dieu_hanh") in _codes(validate(CNTT, content))


def test_computed_ratio() -> None:
    computed = computed_values(CNTT, COMPLETE)
    assert computed["ty_le_may_tinh_ket_noi"] == Decimal(75)
    assert computed["ty_le_ho_so_truc_tuyen"] == Decimal(75)
    assert "ty_le_van_ban_di_ky_so" in computed


def test_computed_ratio_with_zero_denominator_is_empty() -> None:
    assert "ty_le_may_tinh_ket_noi" not in computed_values(CNTT, {**COMPLETE, "tong_may_tinh": "0"})


@pytest.mark.parametrize(
    ("indicator_id", "raw", "stored"),
    [
        ("tong_may_tinh", "1.234", "1234"),
        ("tong_may_tinh", 60, "60"),
        ("bang_thong_internet", "12,5", "12.5"),
        ("bang_thong_internet", "1.234,5", "1234.5"),
        ("bang_thong_internet", 100.0, "100"),
        ("co_trang_tin", "Có", "yes"),
        ("co_trang_tin", False, "no"),
        ("muc_do_dvc", "Toàn trình", "toan_trinh"),
        ("muc_do_dvc", "mot_phan", "mot_phan"),
        ("ngay_ban_hanh_ke_hoach", "05/02/2026", "2026-02-05"),
        ("ngay_ban_hanh_ke_hoach", "2026-02-05", "2026-02-05"),
        (
            "he_thong_qlvb",
            "Hệ thống quản lý văn bản và điều hành",
            "Hệ thống quản lý văn bản và điều hành",
        ),
        ("tong_may_tinh", "  ", None),
    ],
)
def test_values_are_stored_canonically(indicator_id: str, raw: Any, stored: str | None) -> None:
    assert canonical(CNTT.indicator(indicator_id), raw) == stored


@pytest.mark.parametrize(
    ("indicator_id", "raw", "code"),
    [
        ("tong_may_tinh", "mười", "value.not_number"),
        ("tong_may_tinh", "12,5", "value.not_integer"),
        ("tong_may_tinh", True, "value.not_number"),
        ("co_trang_tin", "có lẽ", "value.not_yes_no"),
        ("muc_do_dvc", "cao", "value.not_a_choice"),
        ("ngay_ban_hanh_ke_hoach", "31/02/2026", "value.not_a_date"),
        ("ty_le_may_tinh_ket_noi", "75", "value.computed"),
        ("he_thong_qlvb", 12, "value.not_text"),
    ],
)
def test_wrong_input_is_refused(indicator_id: str, raw: Any, code: str) -> None:
    with pytest.raises(ValueRefused) as caught:
        canonical(CNTT.indicator(indicator_id), raw)
    assert caught.value.code == code


def test_text_input_is_stored_nfc() -> None:
    nfd = unicodedata.normalize("NFD", "Hệ thống quản lý văn bản")
    assert canonical(CNTT.indicator("he_thong_qlvb"), nfd) == "Hệ thống quản lý văn bản"
