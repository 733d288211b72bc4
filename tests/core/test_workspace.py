"""The workspace as a clerk relies on it: reports survive, edits are audited, nothing is lost."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from desktop_app.core.errors import CoreError
from desktop_app.core.reports.records import ContentChanges
from desktop_app.core.workspace import Workspace
from tests.conftest import DISTRICT


def test_store_uses_durable_settings(workspace: Workspace) -> None:
    conn = workspace.db.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_initialise_installs_the_bundled_templates(workspace: Workspace) -> None:
    ids = {t.id for t in workspace.templates.newest()}
    assert {"ct58-tongket-10nam", "nq36-so-ket", "de-an-06-tong-ket", "cntt-quy"} <= ids


def test_a_workspace_belongs_to_one_office(workspace: Workspace) -> None:
    from dataclasses import replace

    with pytest.raises(CoreError) as caught:
        workspace.initialise(replace(DISTRICT, code="KHAC"))
    assert caught.value.code == "office.already_initialised"


def test_new_report_checks_the_period_type(workspace: Workspace) -> None:
    with pytest.raises(CoreError) as caught:
        workspace.reports.new("cntt-quy", "2026")
    assert caught.value.code == "period.wrong_type"
    report_id = workspace.reports.new("cntt-quy", "2026Q3")
    assert workspace.reports.get(report_id).status == "draft"


def test_one_report_per_template_period_and_office(workspace: Workspace) -> None:
    workspace.reports.new("cntt-quy", "2026Q3")
    with pytest.raises(CoreError) as caught:
        workspace.reports.new("cntt-quy", "2026Q3")
    assert caught.value.code == "report.exists"


def test_save_is_visible_to_a_second_workspace_and_audited(workspace: Workspace) -> None:
    report_id = workspace.reports.new("cntt-quy", "2026Q3")
    workspace.reports.save(report_id, ContentChanges(values={"tong_may_tinh": "1.234"}))
    with Workspace.open(workspace.root, automatic_backup=False) as other:
        assert other.reports.content(report_id).values == {"tong_may_tinh": "1234"}
    changes = [
        (h["action"], h["field"], h["new_value"]) for h in workspace.reports.history(report_id)
    ]
    assert ("value.set", "tong_may_tinh", "1234") in changes


def test_a_refused_value_changes_nothing(workspace: Workspace) -> None:
    report_id = workspace.reports.new("cntt-quy", "2026Q3")
    workspace.reports.save(report_id, ContentChanges(values={"tong_may_tinh": "60"}))
    before = workspace.reports.history(report_id)
    with pytest.raises(CoreError) as caught:
        workspace.reports.save(
            report_id,
            ContentChanges(values={"may_tinh_ket_noi": "45", "tong_can_bo": "năm mươi"}),
        )
    assert caught.value.code == "value.not_number"
    assert workspace.reports.content(report_id).values == {"tong_may_tinh": "60"}
    assert workspace.reports.history(report_id) == before


def test_narratives_are_stored_nfc(workspace: Workspace) -> None:
    report_id = workspace.reports.new("cntt-quy", "2026Q3")
    text = unicodedata.normalize("NFD", "Ban Thường vụ Đảng ủy đã chỉ đạo quyết liệt.")
    workspace.reports.save(report_id, ContentChanges(narratives={"chi_dao_dieu_hanh": text}))
    stored = workspace.reports.content(report_id).narratives["chi_dao_dieu_hanh"]
    assert stored == unicodedata.normalize("NFC", text)


@pytest.mark.parametrize(
    "query",
    [
        "đảng ủy đã chỉ đạo",
        "Đảng uỷ đã chỉ đạo",  # old tone placement
        unicodedata.normalize("NFD", "đảng ủy đã chỉ đạo"),
    ],
)
def test_search_finds_a_phrase_in_any_form(workspace: Workspace, query: str) -> None:
    report_id = workspace.reports.new("cntt-quy", "2026Q3")
    workspace.reports.save(
        report_id,
        ContentChanges(
            narratives={"chi_dao_dieu_hanh": "Ban Thường vụ Đảng ủy đã chỉ đạo quyết liệt."}
        ),
    )
    assert workspace.reports.search(query) == [(report_id, "chi_dao_dieu_hanh")]


def test_search_does_not_match_without_diacritics(workspace: Workspace) -> None:
    report_id = workspace.reports.new("cntt-quy", "2026Q3")
    workspace.reports.save(
        report_id, ContentChanges(narratives={"chi_dao_dieu_hanh": "Đảng ủy chỉ đạo."})
    )
    assert workspace.reports.search("dang uy chi dao") == []


def test_ready_is_refused_while_errors_remain(workspace: Workspace) -> None:
    report_id = workspace.reports.new("cntt-quy", "2026Q3")
    issues = workspace.reports.mark_ready(report_id)
    assert any(i.severity == "error" for i in issues)
    assert workspace.reports.get(report_id).status == "draft"


def test_template_version_cannot_change_content(workspace: Workspace, tmp_path: Path) -> None:
    source = next(t for t in workspace.templates.newest() if t.id == "cntt-quy")
    import json

    changed = dict(source.raw)
    changed["title"] = "Tiêu đề khác"
    path = tmp_path / "cntt-quy.json"
    path.write_text(json.dumps(changed, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CoreError) as caught:
        workspace.templates.install_file(path)
    assert caught.value.code == "template.version_conflict"


def test_backup_and_restore(workspace: Workspace, tmp_path: Path) -> None:
    report_id = workspace.reports.new("cntt-quy", "2026Q3")
    workspace.reports.save(report_id, ContentChanges(values={"tong_may_tinh": "60"}))
    saved = workspace.backup(tmp_path / "truoc.db")
    workspace.reports.save(report_id, ContentChanges(values={"tong_may_tinh": "99"}))
    safety = workspace.restore(saved)
    assert workspace.reports.content(report_id).values["tong_may_tinh"] == "60"
    assert safety.exists()


def test_restore_refuses_a_file_that_is_not_a_store(workspace: Workspace, tmp_path: Path) -> None:
    report_id = workspace.reports.new("cntt-quy", "2026Q3")
    bogus = tmp_path / "anh.db"
    bogus.write_bytes(b"not a database at all" * 100)
    with pytest.raises(CoreError) as caught:
        workspace.restore(bogus)
    assert caught.value.code == "backup.not_a_store"
    assert workspace.reports.get(report_id)


def test_automatic_backups_rotate(workspace_dir: Path) -> None:
    with Workspace.open(workspace_dir) as ws:
        ws.initialise(DISTRICT)
        assert len(ws.list_backups()) == 1
        for _ in range(12):
            ws.backup()
        assert len(ws.list_backups()) <= 10


def test_unclean_shutdown_is_detected_and_checked(workspace_dir: Path) -> None:
    with Workspace.open(workspace_dir, automatic_backup=False) as ws:
        ws.initialise(DISTRICT)
    script = (
        "import os, sys; from desktop_app.core.workspace import Workspace;"
        f"ws = Workspace.open({str(workspace_dir)!r}, automatic_backup=False);"
        "os._exit(0)"
    )
    subprocess.run([sys.executable, "-c", script], check=True)
    with Workspace.open(workspace_dir, automatic_backup=False) as ws:
        assert ws.recovered_from_crash
        assert ws.integrity_ok
    with Workspace.open(workspace_dir, automatic_backup=False) as ws:
        assert not ws.recovered_from_crash


def test_a_second_open_workspace_is_not_mistaken_for_a_crash(workspace: Workspace) -> None:
    with Workspace.open(workspace.root, automatic_backup=False) as other:
        assert not other.recovered_from_crash


def test_values_cannot_exist_without_their_report(workspace: Workspace) -> None:
    report_id = workspace.reports.new("cntt-quy", "2026Q3")
    workspace.reports.save(report_id, ContentChanges(values={"tong_may_tinh": "60"}))
    with pytest.raises(sqlite3.IntegrityError):
        workspace.db.execute(
            "INSERT INTO report_values(report_id, revision, indicator_id, value) "
            "VALUES ('x', 1, 'a', '1')"
        )


def test_restoring_a_backup_taken_the_same_second(workspace: Workspace) -> None:
    report_id = workspace.reports.new("cntt-quy", "2026Q3")
    workspace.reports.save(report_id, ContentChanges(values={"tong_may_tinh": "60"}))
    saved = workspace.backup()  # rotating, named by time
    workspace.reports.save(report_id, ContentChanges(values={"tong_may_tinh": "99"}))
    workspace.restore(saved)
    assert workspace.reports.content(report_id).values["tong_may_tinh"] == "60"
