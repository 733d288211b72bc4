"""Plain indicators of format 2 consolidated by count_by_choice and weighted_mean: what the
template author writes and is told, the totals, and format 1 left exactly as it was."""

from __future__ import annotations

import copy
import json
import sqlite3
from contextlib import closing
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from desktop_app.core.catalogue import describe
from desktop_app.core.reports.templates import (
    TemplateError,
    bundled_template_files,
    content_hash,
    load_template_file,
)
from desktop_app.core.upper.aggregation import aggregate
from desktop_app.core.workspace import Workspace
from tests.core.upper.helpers import CENTRAL, CHEAP

FIXTURE = Path(__file__).parents[2] / "fixtures" / "danh-gia-chuyen-doi-so-v2.json"
TEMPLATE = load_template_file(FIXTURE)
V1_FILES = [p for p in bundled_template_files() if load_template_file(p).format_version == 1]
INDICATORS = ("so_dang_vien", "muc_do", "diem_ky_nang_so", "ty_le_dung_so_tay", "kinh_phi")


def fixture() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return document


def indicator(document: dict[str, Any], indicator_id: str) -> dict[str, Any]:
    found: dict[str, Any] = document["tables"][0]["indicators"][INDICATORS.index(indicator_id)]
    assert found["id"] == indicator_id
    return found


def refusal(tmp_path: Path, document: dict[str, Any]) -> tuple[TemplateError, str]:
    """The refusal and the text of the line it names."""
    path = tmp_path / "mau.json"
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        load_template_file(path)
    assert caught.value.line is not None
    return caught.value, path.read_text(encoding="utf-8").splitlines()[caught.value.line - 1]


# --- what the author writes and is told -------------------------------------------------------


def test_the_fixture_declares_both_rules() -> None:
    assert TEMPLATE.indicator("muc_do").aggregation == "count_by_choice"
    score = TEMPLATE.indicator("diem_ky_nang_so")
    assert (score.aggregation, score.weight) == ("weighted_mean", "so_dang_vien")
    shown = {i["id"]: i for i in TEMPLATE.describe()["indicators"]}
    assert shown["ty_le_dung_so_tay"]["weight"] == "so_dang_vien"
    assert "weight" not in shown["kinh_phi"]


def test_a_misspelt_weight_names_the_indicator_meant_at_the_weight_line(tmp_path: Path) -> None:
    document = fixture()
    indicator(document, "diem_ky_nang_so")["weight"] = "so_dang_vein"
    error, line = refusal(tmp_path, document)
    assert '"weight": "so_dang_vein"' in line
    assert error.field == "tables[0].indicators[2].weight"
    assert "'so_dang_vien'" in describe(error, "vi")
    assert "did you mean 'so_dang_vien'" in describe(error, "en")


def test_a_weight_that_is_no_count_or_amount_is_refused(tmp_path: Path) -> None:
    for weight in ("ty_le_dung_so_tay", "muc_do", "diem_ky_nang_so"):  # a rate, a choice, itself
        document = fixture()
        indicator(document, "diem_ky_nang_so")["weight"] = weight
        error, line = refusal(tmp_path, document)
        assert f'"weight": "{weight}"' in line
        assert "số nguyên hoặc số thập phân" in describe(error, "vi")
        assert "integer or decimal" in describe(error, "en")


def test_a_misspelt_rule_or_key_is_named_with_the_one_meant(tmp_path: Path) -> None:
    document = fixture()
    indicator(document, "muc_do")["aggregation"] = "count_by_choise"
    error, line = refusal(tmp_path, document)
    assert '"count_by_choise"' in line
    assert "'count_by_choice'" in describe(error, "vi")
    document = fixture()
    score = indicator(document, "diem_ky_nang_so")
    score["wieght"] = score.pop("weight")
    error, line = refusal(tmp_path, document)
    assert '"wieght"' in line
    assert "'weight'" in describe(error, "vi")


def test_a_weighted_mean_needs_its_weight_and_only_it_takes_one(tmp_path: Path) -> None:
    document = fixture()
    del indicator(document, "diem_ky_nang_so")["weight"]
    error, _ = refusal(tmp_path, document)
    assert error.field == "tables[0].indicators[2]"
    assert "weight" in describe(error, "vi")
    document = fixture()
    indicator(document, "kinh_phi")["weight"] = "so_dang_vien"
    error, line = refusal(tmp_path, document)
    assert '"weight"' in line
    assert "khóa này không dùng được ở đây" in describe(error, "vi")


def test_each_rule_fits_only_its_types(tmp_path: Path) -> None:
    for indicator_id, rule in (("so_dang_vien", "count_by_choice"), ("muc_do", "sum")):
        document = fixture()
        indicator(document, indicator_id)["aggregation"] = rule
        error, line = refusal(tmp_path, document)
        assert f'"aggregation": "{rule}"' in line, indicator_id
        kind = TEMPLATE.indicator(indicator_id).type
        assert f"'{rule}' không dùng được cho chỉ tiêu kiểu '{kind}'" in describe(error, "vi")


def test_a_format_1_file_using_them_is_told_it_needs_format_2(tmp_path: Path) -> None:
    path = next(p for p in V1_FILES if p.name == "cntt-quy.json")
    document = json.loads(path.read_text(encoding="utf-8"))
    choice = next(i for t in document["tables"] for i in t["indicators"] if i["type"] == "choice")
    choice["aggregation"] = "count_by_choice"
    error, line = refusal(tmp_path, document)
    assert '"count_by_choice"' in line
    assert "count_yes" not in describe(error, "vi")  # not taken for a typo
    assert '"format_version": 2' in describe(error, "vi")
    assert '"format_version": 2' in describe(error, "en")


# --- the totals -------------------------------------------------------------------------------


def test_a_weighted_mean_counts_only_units_giving_both_and_none_when_weights_add_to_zero() -> None:
    units: dict[str, dict[str, str | None]] = {
        "A": {"so_dang_vien": "0", "diem_ky_nang_so": "9", "muc_do": "do"},
        "B": {"so_dang_vien": None, "diem_ky_nang_so": "2"},
        "C": {"so_dang_vien": "0", "diem_ky_nang_so": "4"},
    }
    totals = {t.id: t.value for t in aggregate(TEMPLATE, units)}
    assert totals["diem_ky_nang_so"] is None  # 0 + 0 members: no mean to speak of
    assert totals["muc_do"] == {"xanh": 0, "vang": 0, "do": 1}
    units["B"]["so_dang_vien"] = "3"
    totals = {t.id: t.value for t in aggregate(TEMPLATE, units)}
    assert totals["diem_ky_nang_so"] == Decimal(2)  # (9×0 + 2×3 + 4×0) / 3


def test_no_units_count_zero_for_every_choice() -> None:
    totals = {t.id: t.value for t in aggregate(TEMPLATE, {})}
    assert totals["muc_do"] == {"xanh": 0, "vang": 0, "do": 0}
    assert totals["diem_ky_nang_so"] is None


# --- format 1 as it was -----------------------------------------------------------------------


@pytest.mark.parametrize("path", V1_FILES, ids=lambda p: p.stem)
def test_format_1_templates_install_byte_identically_with_their_old_rules(
    tmp_path: Path, path: Path
) -> None:
    workspace = Workspace.open(tmp_path / "ws", automatic_backup=False, kdf_cost=CHEAP)
    workspace.initialise(CENTRAL, install_bundled_templates=False)
    installed = workspace.templates.install_file(path)
    workspace.close()
    document = json.loads(path.read_text(encoding="utf-8"))
    with closing(sqlite3.connect(tmp_path / "ws" / "baocao.db")) as store:
        (body,) = store.execute("SELECT body FROM templates").fetchone()
    assert body == json.dumps(document, ensure_ascii=False)  # the file's JSON, nothing added
    assert installed.content_hash == content_hash(document)
    assert all(i.weight is None for i in installed.indicators)
    assert all("weight" not in i for i in installed.describe()["indicators"])
    choices = [i for i in installed.indicators if i.type == "choice"]
    units = {
        "A": {i.id: i.choices[0].value for i in choices},
        "B": {i.id: i.choices[-1].value for i in choices},
    }
    totals = {t.id: t.value for t in aggregate(installed, copy.deepcopy(units))}
    assert all(totals[i.id] is None for i in choices)  # format 1: a choice is never counted
