"""Template format 2: grids, lists, derived columns, nine months, depth 4, conditional sections;
and the refusals a template author can act on (real line, near-miss names, meaning checks)."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from desktop_app.core.catalogue import describe
from desktop_app.core.model import schemas
from desktop_app.core.model.periods import parse_period
from desktop_app.core.reports.templates import (
    TemplateError,
    bundled_template_files,
    load_template_bytes,
    load_template_file,
)
from desktop_app.core.workspace import Workspace
from tests.core.upper.helpers import CENTRAL, CHEAP

NQ57 = next(p for p in bundled_template_files() if p.name == "nq57-quy-xa.json")
V1_FILES = [
    p
    for p in bundled_template_files()
    if json.loads(p.read_text(encoding="utf-8"))["format_version"] == 1
]
V2_FILES = [p for p in bundled_template_files() if p not in V1_FILES]


def nq57() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(NQ57.read_text(encoding="utf-8"))
    return document


def write(tmp_path: Path, document: Any, name: str = "mau.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def refusal(path: Path) -> TemplateError:
    with pytest.raises(TemplateError) as caught:
        load_template_file(path)
    return caught.value


def line_of(path: Path, error: TemplateError) -> str:
    assert error.line is not None
    return path.read_text(encoding="utf-8").splitlines()[error.line - 1]


# --- the schema and the fixtures --------------------------------------------------------------


def test_the_v2_schema_is_a_valid_draft_2020_12_schema_and_the_v2_template_follows_it() -> None:
    schema = schemas.schema("template-v2.schema.json")
    Draft202012Validator.check_schema(schema)
    assert list(Draft202012Validator(schema).iter_errors(nq57())) == []


def test_the_v1_schema_refuses_a_v2_template_and_v1_templates_still_load(tmp_path: Path) -> None:
    assert schemas.violation(nq57(), "template.schema.json") is not None
    for path in V1_FILES:
        template = load_template_file(path)
        assert (template.format_version, template.grids, template.lists) == (1, (), ())


@pytest.mark.parametrize("path", [*V1_FILES, *V2_FILES], ids=lambda p: p.stem)
def test_every_shipped_template_installs_and_round_trips(tmp_path: Path, path: Path) -> None:
    workspace = Workspace.open(tmp_path / "ws", automatic_backup=False, kdf_cost=CHEAP)
    workspace.initialise(CENTRAL, install_bundled_templates=False)
    loaded = load_template_file(path)
    workspace.templates.install_file(path)
    workspace.close()
    reopened = Workspace.open(tmp_path / "ws", automatic_backup=False, kdf_cost=CHEAP)
    stored = reopened.templates.get(loaded.id)
    assert stored.content_hash == loaded.content_hash
    assert stored.describe() == loaded.describe()
    assert (stored.grids, stored.lists) == (loaded.grids, loaded.lists)
    reopened.close()


def test_the_nq57_template_models_its_grids_list_and_sections() -> None:
    template = load_template_file(NQ57)
    kpi = template.grid("bieu_kpi")
    assert [c.carry for c in kpi.columns] == ["target", None, "previous", "cumulative", None]
    assert kpi.row("ha_tang_tthcc").parent == "ha_tang"
    assert kpi.row("ha_tang").target("2026Q3") == 20  # the year's target for any quarter
    status = template.grid("bieu_tinh_trang")
    assert status.row("den_han").formula is not None
    assert [r.depth for r in status.rows] == [1, 2, 2, 2, 1]
    tasks = template.task_list("nhiem_vu")
    assert tasks.status is not None and tasks.status.overdue == "qua_han"
    hidden = template.section("giai_trinh_cham_tien_do").show_when
    assert hidden is not None and hidden.values == ("vang", "do")
    depths = {section.id: depth for depth, section in template.walk_sections()}
    assert depths["nguyen_nhan_chu_quan"] == 3


def test_an_outline_may_go_four_levels_deep_in_format_2_only(tmp_path: Path) -> None:
    document = nq57()
    cause = document["sections"][2]["sections"][1]["sections"][1]
    cause["narrative"] = False
    cause["sections"] = [{"id": "ve_nhan_luc", "title": "Về nhân lực", "guidance": "Nêu rõ."}]
    template = load_template_file(write(tmp_path, document))
    assert max(depth for depth, _ in template.walk_sections()) == 4
    cause["sections"][0]["sections"] = [{"id": "sau", "title": "Cấp năm"}]
    assert refusal(write(tmp_path, document)).field.startswith("sections[2].sections[1]")


def test_a_nine_month_template_loads_and_its_period_is_january_to_september(
    tmp_path: Path,
) -> None:
    document = nq57()
    document["period_type"] = "ninemonthly"
    template = load_template_file(write(tmp_path, document))
    period = parse_period("2026N9", template.period_type)
    assert period.title_vi == "9 tháng đầu năm 2026"


# --- refusals an author can act on ------------------------------------------------------------


def test_a_misspelt_type_names_the_type_meant_at_its_own_line(tmp_path: Path) -> None:
    document = nq57()
    document["tables"][0]["indicators"][1]["type"] = "interger"
    path = write(tmp_path, document)
    error = refusal(path)
    assert '"interger"' in line_of(path, error)
    assert error.field == "tables[0].indicators[1].type"
    sentence = describe(error, "vi")
    assert "'integer'" in sentence and "False schema" not in sentence
    assert "did you mean 'integer'" in describe(error, "en")


def test_a_misspelt_key_names_the_key_meant(tmp_path: Path) -> None:
    document = nq57()
    document["grids"][1]["columns"][1]["lable"] = document["grids"][1]["columns"][1].pop("label")
    path = write(tmp_path, document)
    error = refusal(path)
    assert '"lable"' in line_of(path, error)
    assert "'label'" in describe(error, "vi")


def test_a_misspelt_column_in_a_formula_names_the_column_meant(tmp_path: Path) -> None:
    document = nq57()
    document["grids"][1]["columns"][4]["formula"] = "luy_ke / ke_hoch * 100"
    error = refusal(write(tmp_path, document))
    assert error.field == "grids[1].columns[4]"
    assert "'ke_hoch'" in describe(error, "vi") and "'ke_hoach'" in describe(error, "vi")


def test_a_misspelt_indicator_in_a_v1_rule_names_the_indicator_meant(tmp_path: Path) -> None:
    document = json.loads(V1_FILES[0].read_text(encoding="utf-8"))
    rule = document["rules"][0]
    first = next(iter(sorted(_names(rule["expression"]))))
    rule["expression"] = rule["expression"].replace(first, first[:-1] + "x")
    assert f"'{first}'" in describe(refusal(write(tmp_path, document)), "en")


def _names(expression: str) -> set[str]:
    return set(re.findall(r"[a-z_][a-z0-9_]+", expression)) - {"and", "or", "not"}


def test_a_deadline_on_or_before_the_cutoff_is_refused(tmp_path: Path) -> None:
    document = nq57()
    document["schedule"]["deadline"] = {"day_of_last_month": 10}
    path = write(tmp_path, document)
    error = refusal(path)
    assert error.field == "schedule.deadline.day_of_last_month"
    assert "hạn gửi báo cáo (10/03/2026)" in describe(error, "vi")
    assert '"day_of_last_month": 10' in line_of(path, error)


@pytest.mark.parametrize("where", ["indicator", "column"])
def test_a_minimum_above_the_maximum_is_refused(tmp_path: Path, where: str) -> None:
    document = nq57()
    node = (
        document["tables"][0]["indicators"][1]
        if where == "indicator"
        else document["grids"][1]["columns"][1]
    )
    node["min"], node["max"] = 10, 5
    assert "(10) lớn hơn giá trị lớn nhất (5)" in describe(refusal(write(tmp_path, document)), "vi")


def test_a_rate_formula_that_disagrees_with_its_ratio_is_refused(tmp_path: Path) -> None:
    document = nq57()
    document["grids"][1]["columns"][4]["formula"] = "luy_ke / ke_hoach * 10"
    error = refusal(write(tmp_path, document))
    assert "luy_ke / ke_hoach × 100" in describe(error, "vi")
    cntt = json.loads(next(p for p in V1_FILES if p.stem == "cntt-quy").read_text("utf-8"))
    rate = next(
        i for t in cntt["tables"] for i in t["indicators"] if "ratio" in i and "formula" in i
    )
    rate["formula"] = f"{rate['ratio']['denominator']} / {rate['ratio']['numerator']} * 100"
    assert "ratio" in describe(refusal(write(tmp_path, cntt, "cntt.json")), "en")


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (lambda d: d["sections"][0]["sections"][1].update(grids=["bieu_kpi"]), "hai mục"),
        (lambda d: d["sections"][1].pop("grids"), "không thuộc mục nào"),
        (lambda d: d["sections"][1].update(grids=["bieu_kpj"]), "có phải 'bieu_kpi'"),
        (lambda d: d["lists"][0]["status"].update(overdue="qua_hn"), "có phải 'qua_han'"),
        (lambda d: d["lists"][0].update(min_rows=400), "(400) lớn hơn"),
        (lambda d: d["grids"][1]["columns"][3].update(source="thuc_hein"), "'thuc_hien'"),
        (lambda d: d["grids"][0]["rows"][0].update(formula="hoan_thanh + den_han"), "vòng tròn"),
        (
            lambda d: d["sections"][0]["sections"][2]["show_when"].update(
                indicator="so_van_ban_chi_dao"
            ),
            "lựa chọn hoặc có/không",
        ),
        (lambda d: d["grids"][0]["columns"][0].update(aggregation="count_yes"), "count_yes"),
    ],
)
def test_what_is_well_formed_but_wrong_is_refused_in_words(
    tmp_path: Path, change: Any, fragment: str
) -> None:
    document = copy.deepcopy(nq57())
    change(document)
    assert fragment in describe(refusal(write(tmp_path, document)), "vi")


def test_bytes_of_a_v2_template_load_as_the_file_does() -> None:
    data = NQ57.read_bytes()
    assert (
        load_template_bytes(data, NQ57.name).content_hash == load_template_file(NQ57).content_hash
    )


def test_templates_show_lists_grids_lists_and_sources_of_format_2_only() -> None:
    shown = load_template_file(NQ57).describe()
    assert [c.get("carry") for c in shown["grids"][1]["columns"]][3] == "cumulative"
    assert shown["lists"][0]["max_rows"] == 300
    assert any("02-KH/BCĐTW" in source for source in shown["sources"])
    assert "grids" not in load_template_file(V1_FILES[0]).describe()


def cntt() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(V1_FILES[0].read_text(encoding="utf-8"))
    assert document["id"] == "cntt-quy"
    return document


@pytest.mark.parametrize(
    ("change", "vi", "en"),
    [
        (lambda d: d.pop("title"), "thiếu khóa bắt buộc title", "required key(s) title"),
        (lambda d: d.update(version="1"), "phải là số nguyên", "must be a whole number"),
        (lambda d: d.update(version=0), "phải từ 1 trở lên", "at least 1"),
        (lambda d: d.update(title=""), "không được để trống", "must not be empty"),
        (
            lambda d: d["tables"][0]["indicators"][0].update(id="Tổng"),
            "chữ thường không dấu",
            "lower-case",
        ),
        (lambda d: d["tables"][0]["indicators"][0].update(id="if"), "ngôn ngữ biểu thức", "word"),
        (
            lambda d: d["schedule"].update(cutoff={"day_of_last_month": 40}),
            "đúng một trong các dạng",
            "exactly one",
        ),
        (lambda d: d["tables"][0].update(indicators=[]), "ít nhất 1 mục", "at least 1 items"),
    ],
)
def test_schema_refusals_are_sentences_not_validator_english(
    tmp_path: Path, change: Any, vi: str, en: str
) -> None:
    document = cntt()
    change(document)
    error = refusal(write(tmp_path, document))
    assert vi in describe(error, "vi") and "must" not in describe(error, "vi")
    assert en in describe(error, "en") and "^" not in describe(error, "en")


def test_an_unknown_key_is_placed_at_its_own_line(tmp_path: Path) -> None:
    document = cntt()
    document["tables"][0]["indicators"][0]["colour"] = "đỏ"
    path = write(tmp_path, document)
    error = refusal(path)
    assert '"colour"' in line_of(path, error)
    assert "khóa colour không có trong định dạng" in describe(error, "vi")


def test_a_template_installed_before_the_meaning_checks_still_reads_back(tmp_path: Path) -> None:
    document = cntt()
    document["schedule"]["deadline"] = {"day_of_last_month": 10}  # before the cut-off (14)
    body = json.dumps(document, ensure_ascii=False)
    with pytest.raises(TemplateError):
        load_template_bytes(body.encode(), "cntt.json")  # refused when installed now
    workspace = Workspace.open(tmp_path / "ws", automatic_backup=False, kdf_cost=CHEAP)
    workspace.initialise(CENTRAL, install_bundled_templates=False)
    workspace.templates.install_file(V1_FILES[0])
    with workspace.db.conn:  # as an older version of the app stored it
        workspace.db.execute("UPDATE templates SET body = ? WHERE id = 'cntt-quy'", [body])
    workspace.templates.forget_parsed()
    assert workspace.templates.get("cntt-quy").schedule["deadline"] == {"day_of_last_month": 10}
    workspace.close()
