"""A format-2 report (NQ 57, with grids and a task list) opens in today's editor, and editing its
text there leaves the cells and rows entered through core as they were."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from desktop_app.core.reports.records import ContentChanges
from desktop_app.core.workspace import Workspace
from tests.ui.editor.conftest import OpenEditor

TASK = {
    "noi_dung": "Số hóa hồ sơ đảng viên",
    "don_vi_chu_tri": "Văn phòng",
    "tinh_trang": "trong_han",
}


def test_the_editor_opens_it_and_keeps_its_cells_and_rows(
    workspace: Workspace, open_editor: OpenEditor, qtbot: QtBot
) -> None:
    report = workspace.reports.new("nq57-quy-xa", "2026Q3")
    cells = {"bieu_kpi": {"the_che": {"thuc_hien": 3}}}
    workspace.reports.save(report, ContentChanges(grids=cells, lists={"nhiem_vu": [TASK]}))
    editor = open_editor(report)
    assert editor.document is not None
    assert editor.document.template.id == "nq57-quy-xa"
    workspace.reports.save(report, ContentChanges(narratives={"phuong_huong": "Hoàn thành."}))
    content = workspace.reports.content(report)
    assert content.grids["bieu_kpi"]["the_che"]["thuc_hien"] == "3"
    assert content.lists["nhiem_vu"][0]["noi_dung"] == "Số hóa hồ sơ đảng viên"
