"""Administrative units before and after 01/07/2025: counts, lookups, picker search, validity."""

from __future__ import annotations

import importlib.util
import unicodedata
from collections import Counter
from datetime import date
from functools import cmp_to_key
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.model.text import accent_free_key, sort_key
from desktop_app.core.model.units import (
    REFORM_DAY,
    AdminUnit,
    UnitCatalogue,
    children,
    default_catalogue,
    find,
    get,
    provinces,
)
from desktop_app.core.paths import resource

AFTER = date(2025, 7, 1)
BEFORE = date(2025, 6, 30)
TODAY = date(2026, 3, 15)


def names(units: tuple[AdminUnit, ...]) -> list[str]:
    return [unit.full_name for unit in units]


# --- counts (vietnam-reporting-research.md §5.1) ------------------------------------------------


def test_the_reform_day_is_first_of_july_2025() -> None:
    assert REFORM_DAY == AFTER


@pytest.mark.parametrize("day", [AFTER, TODAY])
def test_after_the_reform_34_provinces_and_3321_communes(day: date) -> None:
    counts = default_catalogue().counts(day)
    assert counts == {"province": 34, "district": 0, "commune": 3321}
    assert Counter(unit.kind for unit in provinces(day)) == {"Tỉnh": 28, "Thành phố": 6}


def test_after_the_reform_2621_xa_687_phuong_13_dac_khu() -> None:
    communes = [c for p in provinces(AFTER) for c in children(p.code, AFTER)]
    assert len(communes) == 3321
    assert Counter(unit.kind for unit in communes) == {"Xã": 2621, "Phường": 687, "Đặc khu": 13}


@pytest.mark.parametrize("day", [BEFORE, date(2020, 1, 1)])
def test_before_the_reform_63_provinces_with_districts(day: date) -> None:
    counts = default_catalogue().counts(day)
    assert counts == {"province": 63, "district": 696, "commune": 10035}


@pytest.mark.parametrize(
    ("code", "name", "communes"),
    [("01", "Hà Nội", 126), ("79", "Hồ Chí Minh", 168), ("12", "Lai Châu", 38),
     ("38", "Thanh Hóa", 166), ("46", "Huế", 40), ("96", "Cà Mau", 64)],
)
def test_commune_counts_per_new_province(code: str, name: str, communes: int) -> None:
    province = get(code, AFTER)
    assert province is not None and province.name == name
    assert len(children(code, AFTER)) == communes


# --- validity -----------------------------------------------------------------------------------


def test_units_carry_their_validity_dates() -> None:
    new, old = get("38", AFTER), get("38", BEFORE)
    assert new is not None and old is not None
    assert (new.valid_from, new.valid_to) == (AFTER, None)
    assert (old.valid_from, old.valid_to) == (None, BEFORE)
    assert new.valid_on(TODAY) and not new.valid_on(BEFORE)
    assert old.valid_on(BEFORE) and not old.valid_on(AFTER)


def test_a_code_names_different_units_before_and_after() -> None:
    assert get("00004", BEFORE) == AdminUnit(
        "00004", "Trúc Bạch", "commune", "Phường", "001", None, BEFORE
    )
    assert get("00004", AFTER) == AdminUnit(
        "00004", "Ba Đình", "commune", "Phường", "01", AFTER, None
    )


def test_merged_provinces_exist_only_before() -> None:
    assert get("02", BEFORE) is not None  # Hà Giang, merged into Tuyên Quang
    assert get("02", AFTER) is None
    assert "Hà Giang" not in [p.name for p in provinces(AFTER)]
    assert "Hà Giang" in [p.name for p in provinces(BEFORE)]


def test_districts_exist_only_before() -> None:
    districts = children("38", BEFORE)
    assert len(districts) == 26
    assert {d.level for d in districts} == {"district"}
    assert "Thành phố Thanh Hóa" in names(districts)
    assert children("380", AFTER) == ()
    assert {u.level for u in children("38", AFTER)} == {"commune"}


def test_a_district_lists_its_communes() -> None:
    wards = children("001", BEFORE)  # Quận Ba Đình
    assert "Phường Trúc Bạch" in names(wards)
    assert {w.parent_code for w in wards} == {"001"}


def test_island_districts_without_communes_have_no_children() -> None:
    assert get("318", BEFORE) == AdminUnit(
        "318", "Bạch Long Vĩ", "district", "Huyện", "31", None, BEFORE
    )
    assert children("318", BEFORE) == ()


def test_unknown_codes_give_nothing() -> None:
    assert get("99", AFTER) is None
    assert children("99", AFTER) == ()
    assert children("", AFTER) == ()


def test_kinds_follow_the_names_where_the_source_disagrees() -> None:
    # The package's wardType says "Xã" for these; the names and predecessors say otherwise.
    assert get("10543", AFTER) == AdminUnit(
        "10543", "Việt Hòa", "commune", "Phường", "31", AFTER, None
    )
    phong_dien = get("31299", AFTER)
    assert phong_dien is not None and phong_dien.full_name == "Xã Phong Điền"
    assert get("15061", BEFORE) == AdminUnit(
        "15061", "Ngọc Lặc", "commune", "Thị trấn", "389", None, BEFORE
    )


# --- sorting ------------------------------------------------------------------------------------


@pytest.mark.parametrize("day", [BEFORE, AFTER])
def test_provinces_come_in_vietnamese_alphabetical_order(day: date) -> None:
    listed = [p.name for p in provinces(day)]
    assert listed == sorted(listed, key=sort_key)
    assert listed[0] == "An Giang"
    assert listed.index("Đà Nẵng") > listed.index("Cần Thơ")  # đ after d, not after z


def test_children_sort_like_icu() -> None:
    icu = pytest.importorskip("icu")
    collator = icu.Collator.createInstance(icu.Locale("vi"))
    listed = [c.name for c in children("79", AFTER)]
    assert listed == sorted(listed, key=cmp_to_key(collator.compare))


# --- picker search ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["Thanh Hóa", "thanh hoa", "THANH HOA", "Thanh Hoá", "tỉnh thanh hóa", "tinh thanh hoa"],
)
@pytest.mark.parametrize("day", [BEFORE, AFTER])
def test_a_province_is_found_with_or_without_diacritics(query: str, day: date) -> None:
    first = find(query, day)[0]
    assert (first.code, first.level, first.full_name) == ("38", "province", "Tỉnh Thanh Hóa")


@pytest.mark.parametrize("query", ["Hạc Thành", "hac thanh", "phuong hac thanh", "HẠC THÀNH"])
def test_a_commune_is_found_with_or_without_diacritics(query: str) -> None:
    first = find(query, TODAY)[0]
    assert (first.code, first.full_name, first.parent_code) == ("14797", "Phường Hạc Thành", "38")


def test_decomposed_queries_find_the_same_units() -> None:
    query = "Hồ Chí Minh"
    assert find(unicodedata.normalize("NFD", query), TODAY) == find(query, TODAY)
    assert find(query, TODAY)[0].code == "79"


def test_typed_accents_rank_the_unit_that_has_them_first() -> None:
    assert find("Ba Đình", AFTER)[0].full_name == "Phường Ba Đình"
    assert find("Ba Dinh", AFTER)[0].full_name == "Xã Ba Dinh"  # a real Thanh Hóa commune


def test_whole_names_rank_before_partial_matches() -> None:
    found = names(find("hue", AFTER, limit=5))
    assert found[0] == "Thành phố Huế"
    assert "Xã Nguyễn Huệ" in found


def test_search_respects_the_day() -> None:
    assert names(find("Côn Đảo", AFTER)) == ["Đặc khu Côn Đảo"]
    assert names(find("Côn Đảo", BEFORE)) == ["Huyện Côn Đảo"]
    assert [u for u in find("Hà Giang", AFTER) if u.level == "province"] == []


def test_results_with_the_same_rank_are_in_vietnamese_order() -> None:
    found = find("thanh hoa", BEFORE, limit=500)
    assert (found[0].level, found[0].name) == ("province", "Thanh Hóa")
    # Every commune named exactly "Thanh Hoa" up to accents: one block, in Vietnamese order.
    block = [i for i, u in enumerate(found)
             if u.level == "commune" and accent_free_key(u.name) == "thanh hoa"]
    assert len(block) >= 5
    assert block == list(range(block[0], block[0] + len(block)))
    listed = [found[i].name for i in block]
    assert listed == sorted(listed, key=sort_key)
    assert listed[0] == "Thanh Hòa" and listed[-1] == "Thạnh Hóa"


def test_limit_and_empty_queries() -> None:
    assert len(find("an", TODAY, limit=7)) == 7
    assert find("", TODAY) == ()
    assert find("   ", TODAY) == ()
    assert find("an", TODAY, limit=0) == ()
    assert find("zzzz", TODAY) == ()


@settings(max_examples=50)
@given(st.text(max_size=30))
def test_any_query_is_answered_without_error(query: str) -> None:
    found = find(query, TODAY)
    assert len(found) <= 20
    assert all(unit.valid_on(TODAY) for unit in found)


# --- the shipped files ----------------------------------------------------------------------------


def test_a_catalogue_can_be_built_from_other_units(tmp_path: Path) -> None:
    unit = AdminUnit("01", "Thử", "province", "Tỉnh", None, date(2030, 1, 1), None)
    catalogue = UnitCatalogue([unit])
    assert catalogue.provinces(date(2030, 1, 1)) == (unit,)
    assert catalogue.provinces(TODAY) == ()


def test_shipped_files_are_exactly_the_export_of_the_source_package(tmp_path: Path) -> None:
    pytest.importorskip("vietnamadminunits")
    script = resource("units", "build_units.py")
    spec = importlib.util.spec_from_file_location("build_units", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(tmp_path)
    for name in ("units-2025.json", "units-legacy.json"):
        assert (tmp_path / name).read_bytes() == resource("units", name).read_bytes()


def test_all_shipped_names_are_nfc_and_trimmed() -> None:
    for day in (BEFORE, AFTER):
        for province in provinces(day):
            for unit in (province, *children(province.code, day)):
                assert unit.name == unicodedata.normalize("NFC", unit.name).strip()
                assert unit.name
