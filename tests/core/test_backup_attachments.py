"""Backups carry the attachments (minh chứng) their store names: real workspaces, real backup
files, real scans; a restore after ``attachments/`` is lost gives the clerk the same bytes."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.core.catalogue import describe
from desktop_app.core.errors import CoreError
from desktop_app.core.model.offices import Office
from desktop_app.core.store import backup as backups
from desktop_app.core.store import health
from desktop_app.core.store.backup_attachments import size_not_yet_kept
from desktop_app.core.workspace import Workspace
from tests.attachment_files import nq57_with_evidence, photo_jpeg, picture_png, scan_pdf
from tests.core.upper.helpers import CHEAP

COMMUNE = Office(code="DU-01", name="Đảng ủy xã An Phú", level="commune", block="party")
TWO_HOURS_AGO = time.time() - 7200


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    workspace = Workspace.open(tmp_path / "xa", automatic_backup=False, kdf_cost=CHEAP)
    workspace.initialise(COMMUNE, install_bundled_templates=False)
    workspace.templates.install(nq57_with_evidence())
    yield workspace
    workspace.close()


@pytest.fixture
def report(workspace: Workspace) -> str:
    return workspace.reports.new("nq57-quy-xa", "2026Q1")


def shelf(workspace: Workspace) -> set[str]:
    folder = workspace.backups_dir / "attachments"
    return {path.name for path in folder.iterdir()} if folder.is_dir() else set()


def live_names(workspace: Workspace) -> set[str]:
    return {path.name for path in workspace.attachments_dir.iterdir()}


def test_a_restore_after_losing_the_attachments_folder_gives_back_the_same_bytes(
    workspace: Workspace, report: str
) -> None:
    pdf = workspace.reports.attach_bytes(report, "Biên bản.pdf", scan_pdf())
    jpeg = workspace.reports.attach_bytes(report, "Ảnh.jpg", photo_jpeg())
    saved = workspace.backup()
    shutil.rmtree(workspace.attachments_dir)  # the disk fault
    workspace.restore(saved)
    assert workspace.reports.attachment_content(report, pdf.sha256[:8]) == scan_pdf()
    assert workspace.reports.attachment_content(report, jpeg.sha256[:8]) == photo_jpeg()


def test_a_damaged_attachment_is_replaced_by_the_backups_copy(
    workspace: Workspace, report: str
) -> None:
    pdf = workspace.reports.attach_bytes(report, "Biên bản.pdf", scan_pdf())
    saved = workspace.backup()
    (workspace.attachments_dir / pdf.file_name).write_bytes(b"%PDF-1.4 half a scan")
    workspace.restore(saved)
    assert workspace.reports.attachment_content(report, pdf.sha256[:8]) == scan_pdf()


def test_backups_keep_each_file_once_and_copy_only_what_is_new(
    workspace: Workspace, report: str
) -> None:
    pdf = workspace.reports.attach_bytes(report, "Biên bản.pdf", scan_pdf())
    for _ in range(5):
        workspace.backup()
    kept = workspace.backups_dir / "attachments" / pdf.file_name
    first_written = kept.stat().st_mtime_ns
    jpeg = workspace.reports.attach_bytes(report, "Ảnh.jpg", photo_jpeg())
    workspace.backup()
    assert shelf(workspace) == {pdf.file_name, jpeg.file_name}
    assert kept.stat().st_mtime_ns == first_written  # not copied again
    assert len(workspace.list_backups()) == 6


def test_a_copy_rotted_on_the_backup_disk_is_replaced_by_the_next_backup(
    workspace: Workspace, report: str
) -> None:
    pdf = workspace.reports.attach_bytes(report, "Biên bản.pdf", scan_pdf())
    workspace.backup()
    kept = workspace.backups_dir / "attachments" / pdf.file_name
    kept.write_bytes(bytes(len(scan_pdf())))  # same size, every byte wrong
    workspace.backup()
    assert kept.read_bytes() == scan_pdf()


def test_a_backup_copied_to_a_new_machine_brings_its_scans(
    workspace: Workspace, report: str, tmp_path: Path
) -> None:
    (tmp_path / "usb").mkdir()
    pdf = workspace.reports.attach_bytes(report, "Biên bản.pdf", scan_pdf())
    workspace.backup(tmp_path / "usb" / "baocao-chuyen-may.db")
    new_machine = tmp_path / "may-moi"
    shutil.copytree(tmp_path / "usb", new_machine / "usb")
    with Workspace.open(new_machine / "ws", automatic_backup=False) as fresh:
        fresh.restore(new_machine / "usb" / "baocao-chuyen-may.db")
        assert fresh.reports.attachment_content(report, pdf.sha256[:8]) == scan_pdf()


def test_a_backup_missing_a_scan_is_incomplete_and_the_older_whole_one_is_named(
    workspace: Workspace, report: str
) -> None:
    workspace.reports.attach_bytes(report, "Biên bản.pdf", scan_pdf())
    whole = workspace.backup()
    jpeg = workspace.reports.attach_bytes(report, "Ảnh.jpg", photo_jpeg())
    newest = workspace.backup()
    (workspace.backups_dir / "attachments" / jpeg.file_name).unlink()
    (workspace.attachments_dir / jpeg.file_name).unlink()
    named = health.damaged(workspace.db_path, workspace.backups_dir).params["backup"]
    assert named == str(whole)
    with pytest.raises(CoreError) as refused:
        workspace.restore(newest)
    assert refused.value.code == "backup.incomplete"
    assert "không đầy đủ: thiếu 1 tệp" in describe(refused.value, "vi")
    assert workspace.reports.attachments(report)[1].name == "Ảnh.jpg"  # nothing changed


def test_a_damaged_store_is_replaced_with_its_backups_scans(
    workspace: Workspace, report: str
) -> None:
    pdf = workspace.reports.attach_bytes(report, "Biên bản.pdf", scan_pdf())
    saved = workspace.backup()
    root = workspace.root
    workspace.close()
    shutil.rmtree(root / "attachments")
    Workspace.restore_unusable(root, saved)
    with Workspace.open(root, automatic_backup=False) as reopened:
        assert reopened.reports.attachment_content(report, pdf.sha256[:8]) == scan_pdf()


def test_pruning_keeps_every_file_a_kept_backup_names(
    workspace: Workspace, report: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(backups, "KEEP_BACKUPS", 2)
    pdf = workspace.reports.attach_bytes(report, "Biên bản.pdf", scan_pdf())
    workspace.backup()
    workspace.reports.detach(report, pdf.sha256[:8])
    png = workspace.reports.attach_bytes(report, "Sơ đồ.png", picture_png())
    workspace.backup()
    assert shelf(workspace) == {pdf.file_name, png.file_name}  # the first backup still names it
    workspace.backup()
    assert shelf(workspace) == {png.file_name}
    assert len(workspace.list_backups()) == 2


def test_restoring_the_oldest_kept_backup_is_not_rotated_away_by_the_safety_copy(
    workspace: Workspace, report: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(backups, "KEEP_BACKUPS", 2)
    pdf = workspace.reports.attach_bytes(report, "Biên bản.pdf", scan_pdf())
    oldest = workspace.backup()
    workspace.reports.detach(report, pdf.sha256[:8])
    workspace.backup()
    workspace.restore(oldest)
    assert workspace.reports.attachment_content(report, pdf.sha256[:8]) == scan_pdf()


def test_orphan_files_go_with_the_automatic_backup_but_never_a_named_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "xa"
    with Workspace.open(root, kdf_cost=CHEAP) as workspace:
        workspace.initialise(COMMUNE, install_bundled_templates=False)
        workspace.templates.install(nq57_with_evidence())
        report = workspace.reports.new("nq57-quy-xa", "2026Q1")
        kept_by_backup = workspace.reports.attach_bytes(report, "Biên bản.pdf", scan_pdf())
        workspace.backup()
        workspace.reports.detach(report, kept_by_backup.sha256[:8])
        in_use = workspace.reports.attach_bytes(report, "Ảnh.jpg", photo_jpeg())
        orphan = workspace.attachments_dir / f"{'ab' * 32}.png"  # a crash before its row
        orphan.write_bytes(picture_png())
        just_written = workspace.attachments_dir / f"{'cd' * 32}.png"  # its row is coming
        just_written.write_bytes(picture_png())
    for path in [*root.joinpath("attachments").iterdir(), *root.joinpath("backups").iterdir()]:
        if path != just_written:
            os.utime(path, (TWO_HOURS_AGO, TWO_HOURS_AGO))
    monkeypatch.setattr(backups, "AUTOMATIC_EVERY", backups.AUTOMATIC_EVERY / 100)
    with Workspace.open(root, kdf_cost=CHEAP) as reopened:
        assert live_names(reopened) == {
            kept_by_backup.file_name,
            in_use.file_name,
            just_written.name,
        }
        assert reopened.reports.attachment_content(report, in_use.sha256[:8]) == photo_jpeg()


def test_the_room_check_counts_only_the_scans_the_backups_lack(
    workspace: Workspace, report: str
) -> None:
    shared = workspace.backups_dir / "attachments"
    workspace.reports.attach_bytes(report, "Biên bản.pdf", scan_pdf())
    assert size_not_yet_kept(workspace.attachments_dir, shared) == len(scan_pdf())
    workspace.backup()
    workspace.reports.attach_bytes(report, "Ảnh.jpg", photo_jpeg())
    assert size_not_yet_kept(workspace.attachments_dir, shared) == len(photo_jpeg())
