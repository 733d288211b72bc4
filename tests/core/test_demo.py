"""The demo workspace as a visitor finds it: the Hạc Thành ward committee's 2026 on NQ 57.

Figures are read back from the store and checked against each other the way the province
would: the cumulative column against the quarters' own figures, Biểu 01 against the annex of
tasks, the progress rating against the overdue tasks.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from desktop_app.core.demo import DEMO_PASSPHRASE, NQ57, build_demo
from desktop_app.core.reports.validation import ReportContent
from desktop_app.core.workspace import Workspace
from tests.core.upper.helpers import CHEAP

QUARTERS = ("2026Q1", "2026Q2", "2026Q3", "2026Q4")
HISTORY = ("ct58-tongket-10nam", "nq36-so-ket", "de-an-06-tong-ket")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    root = tmp_path_factory.mktemp("demo") / "ws"
    with Workspace.open(root, automatic_backup=False, kdf_cost=CHEAP) as workspace:
        build_demo(workspace)
        yield workspace


def _reports(demo: Workspace) -> dict[str, str]:
    return {r.period: r.id for r in demo.reports.summaries(template_id=NQ57)}


def _content(demo: Workspace, period: str) -> ReportContent:
    return demo.reports.content(_reports(demo)[period])


def _number(text: str | None) -> Decimal:
    return Decimal(text or "0")


def test_the_year_on_nq57_is_in_four_states_and_the_old_reviews_are_gone(demo: Workspace) -> None:
    states = {r.period: r.status for r in demo.reports.summaries(template_id=NQ57)}
    assert states == {
        "2026Q1": "approved",
        "2026Q2": "exported",
        "2026Q3": "ready",
        "2026Q4": "draft",
    }
    assert [
        (r.template_id, r.period, r.status)
        for r in demo.reports.summaries()
        if r.template_id != NQ57
    ] == [("cntt-quy", "2026Q4", "draft")]
    assert not any(demo.reports.summaries(template_id=t) for t in HISTORY)
    [sent] = demo.exchange.outbox()
    assert sent.recipient_code == "TU-38"


def test_the_cumulative_column_agrees_from_quarter_to_quarter(demo: Workspace) -> None:
    done: dict[str, list[Decimal]] = {}
    for period in QUARTERS:
        kpi = _content(demo, period).grids["bieu_kpi"]
        for row, cells in kpi.items():
            before = done.setdefault(row, [])
            if before:
                assert _number(cells.get("quy_truoc")) == before[-1], (period, row)
            before.append(_number(cells.get("thuc_hien")))
            assert _number(cells.get("luy_ke")) == sum(before), (period, row)
    third = _content(demo, "2026Q3").grids["bieu_kpi"]
    assert third["du_lieu"]["luy_ke"] == "265" and third["du_lieu"]["ke_hoach"] == "400"


def test_the_status_table_counts_the_annex_of_tasks(demo: Workspace) -> None:
    for period in QUARTERS:
        content = _content(demo, period)
        by_status = Counter(task["tinh_trang"] for task in content.lists["nhiem_vu"])
        table = content.grids["bieu_tinh_trang"]
        for status in ("hoan_thanh", "trong_han", "qua_han", "thuong_xuyen"):
            counted = sum(_number(text) for text in table[status].values())
            assert counted == by_status[status], (period, status)


def test_overdue_tasks_turn_the_rating_amber_and_are_explained(demo: Workspace) -> None:
    for period in QUARTERS:
        content = _content(demo, period)
        overdue = [t for t in content.lists["nhiem_vu"] if t["tinh_trang"] == "qua_han"]
        assert content.values["danh_gia_tien_do"] == ("vang" if overdue else "xanh"), period
        explained = content.narratives.get("giai_trinh_cham_tien_do", "")
        assert all(task["noi_dung"] in explained for task in overdue), period
    assert [
        len([t for t in _content(demo, p).lists["nhiem_vu"] if t["tinh_trang"] == "qua_han"])
        for p in QUARTERS
    ] == [0, 2, 1, 0]


def test_every_task_names_its_product_lead_and_deadline(demo: Workspace) -> None:
    for period in QUARTERS:
        for task in _content(demo, period).lists["nhiem_vu"]:
            assert task["san_pham"] and task["don_vi_chu_tri"] and task["van_ban_giao"]
            assert ("thoi_han" in task) != (task["tinh_trang"] == "thuong_xuyen"), task


def test_the_finished_quarters_pass_the_checks_and_the_fourth_is_still_being_written(
    demo: Workspace,
) -> None:
    reports = _reports(demo)
    for period in ("2026Q1", "2026Q2", "2026Q3"):
        issues = demo.reports.validate(reports[period])
        assert [i for i in issues if i.severity == "error"] == [], period
    errors = {i.field for i in demo.reports.validate(reports["2026Q4"]) if i.severity == "error"}
    assert {"han_che", "phuong_huong", "bieu_kpi/tai_chinh/thuc_hien"} <= errors


def test_a_visitor_approves_the_third_quarter_with_the_demo_passphrase(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "ws", automatic_backup=False, kdf_cost=CHEAP) as demo:
        build_demo(demo)
        number = demo.reports.approve(
            _reports(demo)["2026Q3"], "Lê Văn Hùng", "Bí thư", DEMO_PASSPHRASE
        )
        assert number == 3  # after the first two quarters
        assert build_demo(demo) == [r.id for r in demo.reports.summaries()]  # adds nothing
        assert len(demo.reports.summaries()) == 5
