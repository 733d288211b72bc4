"""A province and four communes on a format-2 template whose plain indicators are consolidated
by the two format-2 rules: a choice counted per value (how many communes are xanh / vàng / đỏ)
and a weighted mean (a score and a rate weighed by each commune's party members).

Every commune is a real workspace that approves and signs its report and sends the bundle on
the stick. One commune does not answer the choice and another leaves the score empty; one has
no party members yet, so its figures weigh zero. Each total is computed here, independently,
with Decimal from the figures the communes typed, and then looked for in the consolidation,
its JSON, the consolidated report (prefilled figures and the counts kept beside them), its
PDF and DOCX, and the workbook.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal

import docx
import pytest
from openpyxl import load_workbook

from desktop_app.core.reports.records import ContentChanges
from desktop_app.core.upper.aggregation import aggregate
from desktop_app.core.upper.consolidation import Consolidation
from desktop_app.core.upper.xlsx_export import TOTALS_SHEET, consolidation_workbook
from tests.core.documents.pdftext import page_texts
from tests.core.upper.choice_network import (
    GRID,
    GRID_ROWS,
    PERIOD,
    TEMPLATE,
    TYPED,
    Network,
    build_network,
)


def number(typed: object) -> Decimal | None:
    return None if typed is None else Decimal(str(typed).replace(",", "."))


def weighted(indicator_id: str) -> Decimal:
    """Σ value × members / Σ members over the communes that gave both, computed here."""
    pairs = [
        (number(f[indicator_id]), number(f["so_dang_vien"]))
        for f in TYPED.values()
        if f[indicator_id] is not None
    ]
    top = sum((v * w for v, w in pairs if v is not None and w is not None), Decimal(0))
    return top / sum((w for _, w in pairs if w is not None), Decimal(0))


SCORE = weighted("diem_ky_nang_so")  # (7,5×120 + 9×0 + 6,25×45) / 165
RATE = weighted("ty_le_dung_so_tay")  # (80×120 + 100×0 + 62,5×45 + 90,3×300) / 465
MEMBERS = sum(int(str(f["so_dang_vien"])) for f in TYPED.values())
SPENDING = sum((number(f["kinh_phi"]) or Decimal(0) for f in TYPED.values()), Decimal(0))
COUNTS = {"xanh": 2, "vang": 1, "do": 0}


def grid_score(row: str) -> Decimal:
    pairs = [
        (number(cells[row]["diem"]), number(cells[row]["dang_vien"])) for cells in GRID.values()
    ]
    given = [(v, w) for v, w in pairs if v is not None and w is not None]
    return sum((v * w for v, w in given), Decimal(0)) / sum((w for _, w in given), Decimal(0))


def grid_counts(row: str) -> dict[str, int]:
    ratings = [cells[row]["xep_loai"] for cells in GRID.values()]
    return {value: ratings.count(value) for value in ("xanh", "vang", "do")}


@pytest.fixture(scope="module")
def network(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Network]:
    network = build_network(tmp_path_factory.mktemp("choices"))
    yield network
    for workspace in (network.province, *network.communes):
        workspace.close()


@pytest.fixture(scope="module")
def result(network: Network) -> Consolidation:
    return network.province.upper.consolidate(TEMPLATE.id, PERIOD)


def test_each_choice_is_counted_over_the_communes_that_answered(result: Consolidation) -> None:
    total = result.total("muc_do")
    assert total.value == COUNTS  # đỏ listed with none; DU-03 answered nothing
    assert list(total.value) == ["xanh", "vang", "do"]  # in the template's order
    assert total.units_counted == 3
    assert total.by_unit["DU-03"] is None


def test_means_are_weighed_by_members_and_a_commune_of_weight_zero_moves_nothing(
    result: Consolidation,
) -> None:
    assert result.total("diem_ky_nang_so").value == SCORE
    assert result.total("ty_le_dung_so_tay").value == RATE
    scores = [number(f["diem_ky_nang_so"]) for f in TYPED.values()]
    plain_mean = sum((v for v in scores if v is not None), Decimal(0)) / 3
    assert plain_mean != SCORE  # the plain mean would weigh a commune of 45 like one of 120
    assert result.total("so_dang_vien").value == MEMBERS
    assert result.total("kinh_phi").value == SPENDING


def test_grid_cells_are_weighed_and_counted_the_same_way(result: Consolidation) -> None:
    grid = result.grid("bieu_chi_bo")
    for row in GRID_ROWS:
        assert grid.value(row, "diem") == grid_score(row), row
        assert grid.value(row, "xep_loai") == grid_counts(row), row
        members = sum(int(str(cells[row]["dang_vien"])) for cells in GRID.values())
        assert grid.value(row, "dang_vien") == members
    assert grid.cells["co_quan", "diem"].units_counted == 3  # DU-02 gave no score there
    assert grid.cells["co_quan", "xep_loai"].units_counted == 3


def test_the_column_engine_and_the_reference_give_the_same_totals(
    network: Network, result: Consolidation
) -> None:
    stored = {
        code: network.province.reports.content(report_id).values
        for code, (report_id, _) in result.counted.items()
    }
    reference = {t.id: t.value for t in aggregate(TEMPLATE, stored)}
    assert reference == {t.id: t.value for t in result.totals}


def test_the_totals_as_json(result: Consolidation) -> None:
    shown = {i["id"]: i for i in result.to_json()["indicators"]}
    assert shown["muc_do"]["value"] == COUNTS
    assert shown["muc_do"]["aggregation"] == "count_by_choice"
    assert shown["muc_do"]["by_unit"]["DU-01"] == "xanh"
    assert shown["diem_ky_nang_so"]["value"] == SCORE


def _rounded(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


def test_the_consolidated_report_is_prefilled_and_keeps_the_counts(
    network: Network, result: Consolidation
) -> None:
    province = network.province
    report = province.upper.create_consolidated_report(TEMPLATE.id, PERIOD, result=result)
    values = province.reports.content(report).values
    assert values["so_dang_vien"] == str(MEMBERS)
    assert Decimal(values["diem_ky_nang_so"]) == _rounded(SCORE, 2)  # its own decimals
    assert Decimal(values["ty_le_dung_so_tay"]) == _rounded(RATE, 1)
    assert values.get("muc_do") is None  # one answer cannot hold how many units gave each
    sources = {s.indicator_id: s for s in province.upper.consolidation_sources(report)}
    assert {v: sources[f"muc_do__{v}"].original_value for v in COUNTS} == {
        v: str(n) for v, n in COUNTS.items()
    }
    assert sources["muc_do__xanh"].units_count == 3
    assert sources["diem_ky_nang_so"].units_count == 3  # DU-04 gave no score
    assert sources["ty_le_dung_so_tay"].units_count == 4
    cells = province.reports.content(report).grids["bieu_chi_bo"]
    for row in GRID_ROWS:
        assert Decimal(cells[row]["diem"]) == _rounded(grid_score(row), 2), row
        assert "xep_loai" not in cells[row]  # a cell holds one rating, not the counts
        for value, count in grid_counts(row).items():
            kept = sources[f"bieu_chi_bo/{row}/xep_loai__{value}"]
            assert (kept.original_value, kept.units_count) == (str(count), 4 - (row == "co_quan"))

    pdf = " ".join(" ".join(page_texts(province.documents.report_pdf(report))).split())
    assert "Xanh: 2; Vàng: 1; Đỏ: 0" in pdf
    assert "trên 3 đơn vị trả lời" in pdf
    assert "Xanh: 2; Vàng: 1; Đỏ: 1" in pdf  # the grid's "nông thôn" rating cell
    assert str(_rounded(SCORE, 2)).replace(".", ",") in pdf
    paper = docx.Document(io.BytesIO(province.documents.report_docx(report)))
    cells = [c.text for t in paper.tables for row in t.rows for c in row.cells]
    assert "Xanh: 2; Vàng: 1; Đỏ: 0" in cells

    # The province gives its own assessment: the counts move to the note beside it.
    province.reports.save(report, ContentChanges(values={"muc_do": "vang"}))
    pdf = " ".join(" ".join(page_texts(province.documents.report_pdf(report))).split())
    assert "Xanh: 2; Vàng: 1; Đỏ: 0 (số đơn vị chọn từng mức, trên 3 đơn vị trả lời)" in pdf


def test_the_workbook_shows_the_counts_by_label_and_the_weighted_means(
    result: Consolidation,
) -> None:
    book = load_workbook(io.BytesIO(consolidation_workbook(result)))
    rows = {r[1]: r for r in book[TOTALS_SHEET].iter_rows(min_row=2, values_only=True)}
    assert rows["muc_do"][4] == "Số đơn vị theo từng lựa chọn"
    assert rows["muc_do"][5] == "Xanh: 2; Vàng: 1; Đỏ: 0"
    assert rows["muc_do"][6] == 3
    assert rows["diem_ky_nang_so"][4] == "Bình quân gia quyền"
    assert rows["diem_ky_nang_so"][5] == pytest.approx(float(SCORE))
    assert rows["ty_le_dung_so_tay"][5] == pytest.approx(float(RATE))
    grid = [r for r in book["bieu_chi_bo"].iter_rows(min_row=2, values_only=True)]
    assert grid[0][3:] == (
        sum(int(str(c["nong_thon"]["dang_vien"])) for c in GRID.values()),
        pytest.approx(float(grid_score("nong_thon"))),
        "Xanh: 2; Vàng: 1; Đỏ: 1",
    )
