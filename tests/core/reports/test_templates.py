"""Templates are loaded strictly: a bad one is refused naming the file, the line and the field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from desktop_app.core.catalogue import describe
from desktop_app.core.reports.templates import (
    TemplateError,
    bundled_template_files,
    load_template_file,
)

CNTT = next(p for p in bundled_template_files() if p.name == "cntt-quy.json")


def _write(tmp_path: Path, document: Any, name: str = "mau.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def _refusal(path: Path) -> str:
    """The Vietnamese sentence the clerk reads when the template at ``path`` is refused."""
    with pytest.raises(TemplateError) as caught:
        load_template_file(path)
    return describe(caught.value, "vi")


def _cntt() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(CNTT.read_text(encoding="utf-8"))
    return document


def test_every_bundled_template_loads() -> None:
    names = {p.stem for p in bundled_template_files()}
    assert {"ct58-tongket-10nam", "nq36-so-ket", "de-an-06-tong-ket", "cntt-quy"} <= names
    for path in bundled_template_files():
        template = load_template_file(path)
        assert template.indicators, path.name
        assert all(i.aggregation for i in template.indicators)


def test_computed_indicators_are_ordered_after_their_inputs() -> None:
    template = load_template_file(CNTT)
    assert template.indicator("ty_le_may_tinh_ket_noi").is_computed
    seen: set[str] = set()
    computed = {i.id for i in template.computed_order}
    for indicator in template.computed_order:
        assert indicator.formula is not None
        assert not (indicator.formula.names & computed) - seen
        seen.add(indicator.id)


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "hong.json"
    path.write_text('{\n  "format": "baocao-template",\n  "id": \n}', encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        load_template_file(path)
    assert caught.value.source == "hong.json"
    assert caught.value.line == 4


def test_schema_error_names_the_field_and_its_line(tmp_path: Path) -> None:
    document = _cntt()
    document["tables"][0]["indicators"][1]["type"] = "số nguyên"
    path = _write(tmp_path, document)
    with pytest.raises(TemplateError) as caught:
        load_template_file(path)
    error = caught.value
    assert error.field.startswith("tables[0].indicators[1]")
    assert error.line is not None
    line_text = path.read_text(encoding="utf-8").splitlines()[error.line - 1]
    assert "số nguyên" in line_text or "{" in line_text
    assert "mau.json" in str(error)


def test_unknown_key_is_refused(tmp_path: Path) -> None:
    document = _cntt()
    document["tables"][0]["indicators"][0]["colour"] = "red"
    with pytest.raises(TemplateError) as caught:
        load_template_file(_write(tmp_path, document))
    assert "tables[0].indicators[0]" in caught.value.field


def test_duplicate_json_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "trung.json"
    path.write_text('{"id": "a", "id": "b"}', encoding="utf-8")
    assert "hai lần" in _refusal(path)


@pytest.mark.parametrize(
    ("formula", "reason"),
    [
        ("__import__('os').system('rm -rf /')", "định dạng"),  # stopped by the schema
        ("open(tong_may_tinh)", "open"),  # allowed characters, forbidden function
        ("tong_may_tinh ** 2", "biểu thức"),
    ],
)
def test_formula_with_forbidden_code_is_refused(tmp_path: Path, formula: str, reason: str) -> None:
    document = _cntt()
    target = next(
        i
        for t in document["tables"]
        for i in t["indicators"]
        if i["id"] == "ty_le_may_tinh_ket_noi"
    )
    target["formula"] = formula
    with pytest.raises(TemplateError) as caught:
        load_template_file(_write(tmp_path, document))
    assert reason in describe(caught.value, "vi")
    assert caught.value.line is not None


def test_reference_to_unknown_indicator_is_refused(tmp_path: Path) -> None:
    document = _cntt()
    document["rules"][0]["expression"] = "khong_co_chi_tieu_nay <= tong_may_tinh"
    assert "khong_co_chi_tieu_nay" in _refusal(_write(tmp_path, document))


def test_duplicate_indicator_id_is_refused(tmp_path: Path) -> None:
    document = _cntt()
    indicators = document["tables"][0]["indicators"]
    indicators.append(dict(indicators[0]))
    assert "trùng" in _refusal(_write(tmp_path, document))


def test_formula_cycle_is_refused(tmp_path: Path) -> None:
    document = _cntt()
    indicators = document["tables"][0]["indicators"]
    first = {**indicators[0], "id": "vong_a", "formula": "vong_b + 1"}
    second = {**indicators[0], "id": "vong_b", "formula": "vong_a + 1"}
    for item in (first, second):
        item.pop("required", None)
    indicators += [first, second]
    assert "vòng" in _refusal(_write(tmp_path, document))


def test_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin.json"
    path.write_bytes('{"title": "Báo cáo"}'.encode("cp1258", errors="replace") + b"\xff")
    assert "UTF-8" in _refusal(path)


def test_rule_on_a_text_indicator_is_refused(tmp_path: Path) -> None:
    document = _cntt()
    document["rules"][0]["expression"] = "he_thong_qlvb > 0"
    assert "he_thong_qlvb" in _refusal(_write(tmp_path, document))


def test_table_under_two_sections_is_refused(tmp_path: Path) -> None:
    document = _cntt()
    document["sections"][0]["tables"] = ["ha_tang"]
    assert "hai mục" in _refusal(_write(tmp_path, document))


def test_the_same_template_spelled_differently_is_one_version(tmp_path: Path) -> None:
    compact = tmp_path / "compact.json"
    compact.write_text(json.dumps(_cntt(), ensure_ascii=False, separators=(",", ":")), "utf-8")
    assert load_template_file(compact).content_hash == load_template_file(CNTT).content_hash
