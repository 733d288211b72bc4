"""Limits at the entry points a clerk types into (and a JSON file feeds): each hostile value is
refused with its code, and the store is exactly as it was."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from desktop_app.core.catalogue import describe
from desktop_app.core.errors import CoreError
from desktop_app.core.model.limits import MAX_COMMENT, MAX_NAME, MAX_NARRATIVE, MAX_TEXT_VALUE
from desktop_app.core.reports.records import ContentChanges
from desktop_app.core.workspace import Workspace
from tests.conftest import DISTRICT
from tests.core.exchange.bundles.conftest import PASSPHRASE
from tests.hostile.conftest import only_report
from tests.hostile.store_dump import dump

TOO_LARGE, TOO_PRECISE = "limits.number_too_large", "limits.number_too_precise"
CONTROL, SURROGATE, TOO_LONG = "limits.control_character", "limits.surrogate", "limits.too_long"
NOT_NUMBER = "value.not_number"

# (indicator, value as typed or read from JSON, code)
HOSTILE_VALUES: list[tuple[str, Any, str]] = [
    # numbers: too large for a province's total to stay exact, or more precise than printable
    ("tong_may_tinh", "9" * 5000, TOO_LARGE),
    ("tong_may_tinh", "1" + "0" * 15, TOO_LARGE),
    ("tong_may_tinh", 2**63, TOO_LARGE),
    ("tong_may_tinh", str(2**63), TOO_LARGE),
    ("tong_may_tinh", -(2**64), TOO_LARGE),
    ("tong_may_tinh", 10**20, TOO_LARGE),
    ("tong_may_tinh", "-1.000.000.000.000.000", TOO_LARGE),
    ("tong_may_tinh", Decimal("1E+400"), TOO_LARGE),
    ("tong_may_tinh", 1e300, TOO_LARGE),
    ("bang_thong_internet", Decimal("1E-150"), TOO_PRECISE),
    ("bang_thong_internet", "0," + "0" * 149 + "1", TOO_PRECISE),
    ("bang_thong_internet", "0,12345678901", TOO_PRECISE),
    ("bang_thong_internet", "1234567890,12345678901234567890123456789012345", TOO_PRECISE),
    ("bang_thong_internet", "1" * 45, TOO_LARGE),
    ("bang_thong_internet", Decimal("1E+16"), TOO_LARGE),
    ("bang_thong_internet", 1e-300, TOO_PRECISE),
    ("kinh_phi_cntt", "12345678901234567,5", TOO_LARGE),
    ("kinh_phi_cntt", Decimal("-0.00000000001"), TOO_PRECISE),
    ("thoi_gian_khac_phuc_dai_nhat", "9" * 16 + ",5", TOO_LARGE),
    ("may_tinh_diet_virus", 123456789012345678, TOO_LARGE),
    # numbers that are not numbers
    ("tong_may_tinh", float("inf"), NOT_NUMBER),
    ("tong_may_tinh", float("nan"), NOT_NUMBER),
    ("tong_may_tinh", Decimal("NaN"), NOT_NUMBER),
    ("tong_may_tinh", "1e5", NOT_NUMBER),
    ("tong_may_tinh", "--5", NOT_NUMBER),
    ("tong_may_tinh", "1..2", NOT_NUMBER),
    ("tong_may_tinh", "12\x00", NOT_NUMBER),
    ("tong_may_tinh", True, NOT_NUMBER),
    ("bang_thong_internet", "Infinity", NOT_NUMBER),
    ("tong_may_tinh", "12,5", "value.not_integer"),
    # text values
    ("he_thong_qlvb", "a" * (MAX_TEXT_VALUE + 1), TOO_LONG),
    ("he_thong_qlvb", "ổ" * 12_000, TOO_LONG),
    ("he_thong_qlvb", "x\x00y", CONTROL),
    ("he_thong_qlvb", "x\x1by", CONTROL),
    ("he_thong_qlvb", "x\x7fy", CONTROL),
    ("he_thong_qlvb", "x\x85y", CONTROL),
    ("he_thong_qlvb", "x\x0cy", CONTROL),
    ("he_thong_qlvb", "\ud800", SURROGATE),
    ("he_thong_qlvb", "a\udfffb", SURROGATE),
    ("he_thong_qlvb", 5, "value.not_text"),
    ("he_thong_qlvb", [1, 2], "value.not_text"),
    ("he_thong_qlvb", {"a": 1}, "value.not_text"),
    # other kinds
    ("muc_do_dvc", "mức 9", "value.not_a_choice"),
    ("ngay_ban_hanh_ke_hoach", "32/13/2026", "value.not_a_date"),
    ("ngay_ban_hanh_ke_hoach", "2026-02-30", "value.not_a_date"),
    ("co_trang_tin", "có lẽ", "value.not_yes_no"),
    ("ty_le_may_tinh_ket_noi", "50", "value.computed"),
    ("khong_co_chi_tieu", "1", "value.unknown_indicator"),
]


@pytest.mark.parametrize(("indicator", "raw", "code"), HOSTILE_VALUES)
def test_hostile_value_is_refused_and_nothing_changes(
    keyed: Workspace, indicator: str, raw: Any, code: str
) -> None:
    report_id = only_report(keyed)
    before = dump(keyed)
    with pytest.raises(CoreError) as refused:
        keyed.reports.save(report_id, ContentChanges(values={indicator: raw}))
    assert refused.value.code == code
    assert refused.value.params.get("field") == indicator
    for lang in ("vi", "en"):
        said = describe(refused.value, lang)
        assert "{" not in said and len(said) < 400, said  # whole, and short
    assert dump(keyed) == before


HOSTILE_TEXTS: list[tuple[str, str, Any, str]] = [
    # (narratives or comments, key, text, code)
    ("narratives", "chi_dao_dieu_hanh", "a" * (MAX_NARRATIVE + 1), TOO_LONG),
    ("narratives", "chi_dao_dieu_hanh", "Nội dung\x00ẩn", CONTROL),
    ("narratives", "chi_dao_dieu_hanh", "\x1b[31m đỏ", CONTROL),
    ("narratives", "chi_dao_dieu_hanh", "lẻ \udc80", SURROGATE),
    ("narratives", "chi_dao_dieu_hanh", "\x9b", CONTROL),
    ("narratives", "chi_dao_dieu_hanh", 42, "value.not_text"),
    ("narratives", "khong_co_muc", "văn bản", "value.unknown_field"),
    ("comments", "tong_may_tinh", "a" * (MAX_COMMENT + 1), TOO_LONG),
    ("comments", "tong_may_tinh", "ghi chú\x00", CONTROL),
    ("comments", "tong_may_tinh", "\ud83d", SURROGATE),
    ("comments", "tong_may_tinh", "\x08", CONTROL),
    ("comments", "khong_co_chi_tieu", "ghi chú", "value.unknown_field"),
]


@pytest.mark.parametrize(("kind", "key", "text", "code"), HOSTILE_TEXTS)
def test_hostile_narrative_or_comment_is_refused_and_nothing_changes(
    keyed: Workspace, kind: str, key: str, text: Any, code: str
) -> None:
    report_id = only_report(keyed)
    before = dump(keyed)
    with pytest.raises(CoreError) as refused:
        keyed.reports.save(report_id, ContentChanges(**{kind: {key: text}}))
    assert refused.value.code == code
    assert dump(keyed) == before


HOSTILE_SIGNERS: list[tuple[str, str, str]] = [
    ("x" * (MAX_NAME + 1), "Bí thư", TOO_LONG),
    ("x" * 300, "Bí thư", TOO_LONG),
    ("Lê Văn\nBình", "Bí thư", CONTROL),
    ("Lê Văn Bình\x00", "Bí thư", CONTROL),
    ("Lê Văn Bình", "Bí\tthư", CONTROL),
    ("Lê Văn Bình", "t" * (MAX_NAME + 1), TOO_LONG),
    ("\ud800", "Bí thư", SURROGATE),
    ("Lê Văn Bình", "Bí\u2028thư", CONTROL),
    ("Lê Văn Bình", "\u2028", "approval.signer_missing"),
    ("", "Bí thư", "approval.signer_missing"),
    ("Lê Văn Bình", "   ", "approval.signer_missing"),
]


@pytest.mark.parametrize(("name", "title", "code"), HOSTILE_SIGNERS)
def test_hostile_approver_is_refused_and_nothing_changes(
    keyed: Workspace, name: str, title: str, code: str
) -> None:
    report_id = only_report(keyed)
    before = dump(keyed)
    with pytest.raises(CoreError) as refused:
        keyed.reports.approve(report_id, name, title, PASSPHRASE)
    assert refused.value.code == code
    assert dump(keyed) == before


HOSTILE_OFFICES: list[tuple[dict[str, str], str]] = [
    ({"name": "Đảng ủy\x07 phường"}, CONTROL),
    ({"name": "Đảng ủy\nphường"}, CONTROL),
    ({"name": "Đ" * (MAX_NAME + 1)}, TOO_LONG),
    ({"name": "\udfff"}, SURROGATE),
    ({"name": ""}, "office.missing_fields"),
    ({"code": "DU 1"}, "office.bad_code"),
    ({"code": "DU\x00"}, CONTROL),
    ({"code": "../../etc"}, "office.bad_code"),
    ({"superior_name": "Tỉnh ủy\x1b"}, CONTROL),
    ({"place": "p" * 1000}, TOO_LONG),
    ({"abbreviation": "T\x85U"}, CONTROL),
    ({"level": "planet"}, "office.bad_level"),
]


@pytest.mark.parametrize(("change", "code"), HOSTILE_OFFICES)
def test_hostile_office_is_refused_at_init_and_nothing_is_set_up(
    tmp_path: Path, change: dict[str, str], code: str
) -> None:
    with Workspace.open(tmp_path / "ws", automatic_backup=False) as ws:
        before = dump(ws)
        with pytest.raises(CoreError) as refused:
            ws.initialise(replace(DISTRICT, **change))
        assert refused.value.code == code
        assert dump(ws) == before
        assert not ws.is_initialised


def test_values_at_the_limits_are_kept_exactly(keyed: Workspace) -> None:
    report_id = only_report(keyed)
    values = {
        "tong_may_tinh": "9" * 15,
        "bang_thong_internet": "999999999999999,9999999999",
        "kinh_phi_cntt": Decimal("-0.0000000001"),
        "he_thong_qlvb": "ổ" * MAX_TEXT_VALUE,
    }
    content = keyed.reports.save(
        report_id,
        ContentChanges(
            values=values,
            narratives={"chi_dao_dieu_hanh": "á" * MAX_NARRATIVE},
            comments={"tong_may_tinh": "c" * MAX_COMMENT},
        ),
    )
    assert content.values["tong_may_tinh"] == "9" * 15
    assert content.values["bang_thong_internet"] == "999999999999999.9999999999"
    assert content.values["kinh_phi_cntt"] == "-0.0000000001"
    assert len(content.narratives["chi_dao_dieu_hanh"]) == MAX_NARRATIVE
