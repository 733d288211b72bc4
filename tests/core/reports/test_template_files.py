"""The published template schema and the four templates shipped with the app.

A template that fails here would be refused on the clerk's machine (or, worse, accepted with a
formula that reads an indicator that does not exist), so every shipped file is checked against
the schema and against the rules a schema cannot express. The schema itself is checked with
broken examples: a schema that accepts anything would pass the first half silently.
"""

from __future__ import annotations

import copy
import json
import re
import unicodedata
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, ValidationError

ROOT = Path(__file__).resolve().parents[3]
SCHEMA_PATH = ROOT / "resources" / "schema" / "template.schema.json"
TEMPLATE_DIR = ROOT / "resources" / "templates"
SHIPPED = ("cntt-quy", "ct58-tongket-10nam", "de-an-06-tong-ket", "nq36-so-ket")
SHIPPED_V2 = (  # format 2: checked in test_template_format_v2.py and test_templates_2026.py
    "nq57-quy-xa",
    "kh02-tien-do",
    "qd204-cds-co-quan-dang",
    "bao-cao-thang",
    "so-ket-6-thang",
    "tong-ket-nam",
    "nhiem-vu-cap-tren-giao",
)
ONE_OFF = ("ct58-tongket-10nam", "de-an-06-tong-ket", "nq36-so-ket")
NUMERIC_TYPES = frozenset({"integer", "decimal", "percent"})
LANGUAGE_WORDS = frozenset({"and", "or", "not", "min", "max", "abs", "round", "if"})
ALL_TYPES = frozenset({"integer", "decimal", "percent", "yesno", "choice", "date", "text"})
_NAME = re.compile(r"(?<![0-9.])[a-z_][a-z0-9_]*")

Template = dict[str, Any]


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    return Draft202012Validator(_read_json(SCHEMA_PATH))


def shipped(name: str) -> Template:
    template: Template = _read_json(TEMPLATE_DIR / f"{name}.json")
    return template


def walk_sections(sections: list[Template], depth: int = 1) -> Iterator[tuple[int, Template]]:
    for section in sections:
        yield depth, section
        yield from walk_sections(section.get("sections", []), depth + 1)


def indicators_of(template: Template) -> dict[str, Template]:
    return {i["id"]: i for table in template["tables"] for i in table["indicators"]}


def names_in(expression: str) -> set[str]:
    """Indicator ids an expression reads: every name that is not a word of the language."""
    return set(_NAME.findall(expression)) - LANGUAGE_WORDS


def strings_in(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from strings_in(value)
    elif isinstance(node, list):
        for item in node:
            yield from strings_in(item)


def sentences(text: str) -> int:
    return len(re.findall(r"[.!?](?:\s|$)", text))


# --- the schema itself ------------------------------------------------------------------------


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    schema = _read_json(SCHEMA_PATH)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_exactly_the_shipped_templates_ship_and_each_file_is_named_by_its_id() -> None:
    files = sorted(p.stem for p in TEMPLATE_DIR.glob("*.json"))
    assert files == sorted(SHIPPED + SHIPPED_V2)
    for name in SHIPPED + SHIPPED_V2:
        assert shipped(name)["id"] == name


# --- every shipped template -------------------------------------------------------------------


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_template_validates_against_the_schema(
    name: str, validator: Draft202012Validator
) -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(shipped(name))]
    assert errors == []


@pytest.mark.parametrize("name", SHIPPED)
def test_ids_are_unique_across_sections_tables_indicators_and_rules(name: str) -> None:
    template = shipped(name)
    ids = [s["id"] for _, s in walk_sections(template["sections"])]
    ids += [t["id"] for t in template["tables"]]
    ids += [i["id"] for t in template["tables"] for i in t["indicators"]]
    ids += [r["id"] for r in template.get("rules", [])]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert duplicates == []


@pytest.mark.parametrize("name", SHIPPED)
def test_formulas_read_only_existing_numeric_indicators(name: str) -> None:
    indicators = indicators_of(shipped(name))
    for indicator in indicators.values():
        if "formula" not in indicator:
            continue
        read = names_in(indicator["formula"])
        assert read, indicator["id"]
        assert read <= indicators.keys(), (indicator["id"], read - indicators.keys())
        assert indicator["id"] not in read
        assert {indicators[n]["type"] for n in read} <= NUMERIC_TYPES, indicator["id"]


@pytest.mark.parametrize("name", SHIPPED)
def test_rules_read_only_existing_numeric_indicators(name: str) -> None:
    template = shipped(name)
    indicators = indicators_of(template)
    for rule in template.get("rules", []):
        read = names_in(rule["expression"])
        assert read, rule["id"]
        assert read <= indicators.keys(), (rule["id"], read - indicators.keys())
        assert {indicators[n]["type"] for n in read} <= NUMERIC_TYPES, rule["id"]


@pytest.mark.parametrize("name", SHIPPED)
def test_ratio_blocks_name_existing_numeric_indicators_and_agree_with_the_formula(
    name: str,
) -> None:
    indicators = indicators_of(shipped(name))
    for indicator in indicators.values():
        if "ratio" not in indicator:
            continue
        parts = {indicator["ratio"]["numerator"], indicator["ratio"]["denominator"]}
        assert parts <= indicators.keys(), (indicator["id"], parts - indicators.keys())
        assert {indicators[p]["type"] for p in parts} <= NUMERIC_TYPES
        if "formula" in indicator:
            # A computed ratio must consolidate as the ratio of the same two sums.
            assert names_in(indicator["formula"]) == parts, indicator["id"]


@pytest.mark.parametrize("name", SHIPPED)
def test_computed_indicators_form_no_cycle(name: str) -> None:
    indicators = indicators_of(shipped(name))
    reads = {i: names_in(d["formula"]) for i, d in indicators.items() if "formula" in d}
    resolved: set[str] = set()
    while len(resolved) < len(reads):
        ready = {i for i, r in reads.items() if i not in resolved and r & reads.keys() <= resolved}
        assert ready, sorted(reads.keys() - resolved)
        resolved |= ready


@pytest.mark.parametrize("name", SHIPPED)
def test_every_table_is_placed_under_exactly_one_existing_section(name: str) -> None:
    template = shipped(name)
    placed = [t for _, s in walk_sections(template["sections"]) for t in s.get("tables", [])]
    assert sorted(placed) == sorted(t["id"] for t in template["tables"])


@pytest.mark.parametrize("name", SHIPPED)
def test_every_section_carries_guidance_of_two_to_five_sentences(name: str) -> None:
    for _, section in walk_sections(shipped(name)["sections"]):
        assert 2 <= sentences(section.get("guidance", "")) <= 5, section["id"]


@pytest.mark.parametrize("name", SHIPPED)
def test_text_is_utf8_nfc_without_bom(name: str) -> None:
    raw = (TEMPLATE_DIR / f"{name}.json").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8")
    assert unicodedata.normalize("NFC", text) == text
    for value in strings_in(json.loads(text)):
        assert value == value.strip(), value


@pytest.mark.parametrize("name", SHIPPED)
def test_ranges_and_choices_are_coherent(name: str) -> None:
    for indicator in indicators_of(shipped(name)).values():
        if "min" in indicator and "max" in indicator:
            assert indicator["min"] <= indicator["max"], indicator["id"]
        values = [c["value"] for c in indicator.get("choices", [])]
        assert len(values) == len(set(values)), indicator["id"]


@pytest.mark.parametrize("name", ONE_OFF)
def test_one_off_reviews_have_cutoff_before_deadline_after_the_directive(name: str) -> None:
    template = shipped(name)
    assert template["period_type"] == "once"
    cutoff = date.fromisoformat(template["schedule"]["cutoff"]["date"])
    deadline = date.fromisoformat(template["schedule"]["deadline"]["date"])
    issued = date.fromisoformat(template["directive"]["issued_on"])
    assert issued < cutoff < deadline


# --- what the app's demo and tests rely on ----------------------------------------------------


def test_cntt_quy_has_the_indicators_the_app_relies_on() -> None:
    indicators = indicators_of(shipped("cntt-quy"))
    expected_types = {
        "tong_may_tinh": "integer",
        "may_tinh_ket_noi": "integer",
        "ty_le_may_tinh_ket_noi": "percent",
        "tong_can_bo": "integer",
        "can_bo_biet_su_dung": "integer",
        "tong_ho_so": "integer",
        "ho_so_truc_tuyen": "integer",
        "ty_le_ho_so_truc_tuyen": "percent",
    }
    assert {i: indicators[i]["type"] for i in expected_types} == expected_types
    for computed in ("ty_le_may_tinh_ket_noi", "ty_le_ho_so_truc_tuyen"):
        assert indicators[computed]["aggregation"] == "ratio"
        assert indicators[computed]["ratio"]["scale"] == 100
    assert indicators["ty_le_may_tinh_ket_noi"]["formula"] == (
        "may_tinh_ket_noi / tong_may_tinh * 100"
    )


def test_cntt_quy_rules_include_the_connection_error_and_a_warning() -> None:
    rules = {r["id"]: r for r in shipped("cntt-quy")["rules"]}
    assert rules["ket_noi_khong_vuot_tong"]["expression"] == "may_tinh_ket_noi <= tong_may_tinh"
    assert rules["ket_noi_khong_vuot_tong"]["severity"] == "error"
    assert len(rules) >= 5
    assert any(r["severity"] == "warning" for r in rules.values())


def test_cntt_quy_uses_every_type_and_follows_the_nd09_quarterly_schedule() -> None:
    template = shipped("cntt-quy")
    assert {i["type"] for i in indicators_of(template).values()} == ALL_TYPES
    assert template["period_type"] == "quarterly"
    assert template["schedule"] == {
        "cutoff": {"day_of_last_month": 14},
        "deadline": {"day_of_next_month": 5},
    }


def test_nq36_reports_on_the_eight_key_tasks_in_order() -> None:
    tasks = [
        "Đổi mới, nâng cao nhận thức và tăng cường sự lãnh đạo của Đảng đối với ứng dụng, "
        "phát triển CNTT",
        "Xây dựng, hoàn thiện cơ chế, chính sách pháp luật về ứng dụng, phát triển CNTT",
        "Xây dựng hệ thống hạ tầng thông tin quốc gia đồng bộ, hiện đại",
        "Ứng dụng CNTT rộng rãi, thiết thực, có hiệu quả cao",
        "Phát triển công nghiệp CNTT, kinh tế tri thức",
        "Phát triển nguồn nhân lực CNTT đạt chuẩn quốc tế, đẩy mạnh nghiên cứu, ứng dụng, "
        "tiếp thu, làm chủ và sáng tạo công nghệ mới",
        "Đẩy mạnh ứng dụng CNTT trong quốc phòng, an ninh; bảo đảm an toàn, an ninh thông tin, "
        "nâng cao năng lực quản lý các mạng viễn thông, truyền hình, Internet",
        "Tăng cường hợp tác quốc tế",
    ]
    part = next(s for s in shipped("nq36-so-ket")["sections"] if s["id"] == "ket_qua_nhiem_vu")
    assert [s["title"] for s in part["sections"]] == tasks


# --- the schema refuses broken templates ------------------------------------------------------


def minimal_template() -> Template:
    """A small quarterly template touching each conditional of the schema."""
    return {
        "format": "baocao-template",
        "format_version": 1,
        "id": "mau-thu",
        "version": 1,
        "title": "Báo cáo thử",
        "directive": {"code": "01-CT/TU", "title": "Chỉ thị thử", "issuer": "Tỉnh ủy"},
        "issuing_level": "province",
        "block": "party",
        "period_type": "quarterly",
        "schedule": {"cutoff": {"day_of_last_month": 14}, "deadline": {"days_after_end": 5}},
        "document": {"type_name": "BÁO CÁO", "type_abbr": "BC", "summary": "Thử {period_title}"},
        "sections": [
            {"id": "ket_qua", "title": "Kết quả", "guidance": "Nêu kết quả.", "tables": ["bang"]}
        ],
        "tables": [
            {
                "id": "bang",
                "title": "Biểu thử",
                "indicators": [
                    {
                        "id": "tong",
                        "label": "Tổng",
                        "unit": "chiếc",
                        "type": "integer",
                        "aggregation": "sum",
                    },
                    {
                        "id": "phan",
                        "label": "Phần",
                        "unit": "chiếc",
                        "type": "integer",
                        "aggregation": "sum",
                    },
                    {
                        "id": "ty_le",
                        "label": "Tỷ lệ",
                        "unit": "%",
                        "type": "percent",
                        "formula": "phan / tong * 100",
                        "aggregation": "ratio",
                        "ratio": {"numerator": "phan", "denominator": "tong", "scale": 100},
                    },
                    {
                        "id": "muc_do",
                        "label": "Mức độ",
                        "type": "choice",
                        "aggregation": "none",
                        "choices": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}],
                    },
                    {
                        "id": "ghi_chu",
                        "label": "Ghi chú",
                        "unit": "",
                        "type": "text",
                        "aggregation": "none",
                    },
                ],
            }
        ],
        "rules": [
            {
                "id": "phan_khong_vuot_tong",
                "expression": "phan <= tong",
                "severity": "error",
                "message": "Phần không được lớn hơn tổng.",
            }
        ],
    }


def _indicator(doc: Template, index: int) -> Template:
    indicator: Template = doc["tables"][0]["indicators"][index]
    return indicator


def _nest_four_levels(doc: Template) -> None:
    level3 = {"id": "muc_c", "title": "c", "sections": [{"id": "muc_d", "title": "d"}]}
    level2 = {"id": "muc_b", "title": "b", "sections": [level3]}
    doc["sections"][0]["sections"] = [level2]


def _sum_percentages(doc: Template) -> None:
    del _indicator(doc, 2)["ratio"]
    _indicator(doc, 2)["aggregation"] = "sum"


def _make_once_without_label(doc: Template) -> None:
    doc["period_type"] = "once"
    doc["schedule"] = {"cutoff": {"date": "2026-06-30"}, "deadline": {"date": "2026-07-15"}}


Mutation = Callable[[Template], None]
IND = ("tables", 0, "indicators")
BROKEN: dict[str, tuple[Mutation, tuple[str | int, ...], str | None]] = {
    # name: (how to break the minimal template, where the error must be, JSON Schema keyword)
    "unknown top-level key": (lambda d: d.update(colour="red"), (), "additionalProperties"),
    "unknown indicator key": (
        lambda d: _indicator(d, 0).update(colour="red"),
        (*IND, 0),
        "additionalProperties",
    ),
    "unknown section key": (
        lambda d: d["sections"][0].update(hint="x"),
        ("sections", 0),
        "additionalProperties",
    ),
    "bad type enum": (lambda d: _indicator(d, 0).update(type="number"), (*IND, 0, "type"), "enum"),
    "choice without choices": (lambda d: _indicator(d, 3).pop("choices"), (*IND, 3), "required"),
    "choices on a non-choice": (
        lambda d: _indicator(d, 0).update(choices=[{"value": "a", "label": "A"}] * 2),
        (*IND, 0),
        None,
    ),
    "ratio without ratio block": (lambda d: _indicator(d, 2).pop("ratio"), (*IND, 2), "required"),
    "ratio block without ratio aggregation": (
        lambda d: _indicator(d, 2).update(aggregation="max"),
        (*IND, 2),
        None,
    ),
    "formula on a text indicator": (
        lambda d: _indicator(d, 4).update(formula="tong + 1"),
        (*IND, 4),
        None,
    ),
    "count_yes on an integer": (
        lambda d: _indicator(d, 0).update(aggregation="count_yes"),
        (*IND, 0, "aggregation"),
        "enum",
    ),
    "sum of percentages": (_sum_percentages, (*IND, 2, "aggregation"), "enum"),
    "numeric indicator without unit": (
        lambda d: _indicator(d, 0).pop("unit"),
        (*IND, 0),
        "required",
    ),
    "negative minimum on an integer": (
        lambda d: _indicator(d, 0).update(min=-1),
        (*IND, 0, "min"),
        "minimum",
    ),
    "expression-language word as id": (
        lambda d: _indicator(d, 0).update(id="not"),
        (*IND, 0, "id"),
        "not",
    ),
    "id with capitals and diacritics": (
        lambda d: _indicator(d, 0).update(id="Tổng"),
        (*IND, 0, "id"),
        "pattern",
    ),
    "unknown severity": (
        lambda d: d["rules"][0].update(severity="fatal"),
        ("rules", 0, "severity"),
        "enum",
    ),
    "cutoff given two ways": (
        lambda d: d["schedule"]["cutoff"].update(days_after_end=3),
        ("schedule", "cutoff"),
        "oneOf",
    ),
    "fixed date on a recurring period": (
        lambda d: d["schedule"].update(cutoff={"date": "2026-03-14"}),
        ("schedule", "cutoff"),
        "not",
    ),
    "one-off review without period_label": (_make_once_without_label, (), "required"),
    "period_label on a recurring period": (lambda d: d.update(period_label="Q1"), (), None),
    "sections nested four levels deep": (_nest_four_levels, ("sections", 0), None),
    "unknown placeholder in summary": (
        lambda d: d["document"].update(summary="Thử {nam}"),
        ("document", "summary"),
        "pattern",
    ),
    "wrong format_version": (lambda d: d.update(format_version=2), ("format_version",), "const"),
}


def _all_errors(errors: Iterator[ValidationError]) -> Iterator[ValidationError]:
    for error in errors:
        yield error
        yield from _all_errors(iter(error.context or []))


def test_minimal_template_is_valid(validator: Draft202012Validator) -> None:
    errors = [e.message for e in validator.iter_errors(minimal_template())]
    assert errors == []


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_schema_refuses_broken_template(case: str, validator: Draft202012Validator) -> None:
    mutate, where, keyword = BROKEN[case]
    document = copy.deepcopy(minimal_template())
    mutate(document)
    found = [
        (tuple(e.absolute_path), e.validator) for e in _all_errors(validator.iter_errors(document))
    ]
    assert found, "the broken template was accepted"
    assert any(path[: len(where)] == where and kw == keyword for path, kw in found), found
