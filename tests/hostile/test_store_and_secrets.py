"""The store when something goes wrong under it, and the secrets it keeps."""

from __future__ import annotations

import errno
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from desktop_app.core.catalogue import describe
from desktop_app.core.errors import CoreError
from desktop_app.core.exchange.formats import keys
from desktop_app.core.store import backup as backups
from desktop_app.core.store.medium import filesystem_type
from desktop_app.core.workspace import StoreUnusable, Workspace, unexpected_failure
from tests.conftest import DISTRICT
from tests.core.exchange.bundles.conftest import CHEAP, PASSPHRASE
from tests.hostile.store_dump import dump

NEW_PASSPHRASE = "mật khẩu mới của Bí thư"
POSIX = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")


def made(root: Path) -> Path:
    with Workspace.open(root, kdf_cost=CHEAP) as ws:
        ws.initialise(DISTRICT)
        ws.keys.create(PASSPHRASE)
        ws.reports.new("cntt-quy", "2026Q3")
        ws.backup()
    return root


# --- a damaged or missing store, and restoring it -----------------------------------------------


def test_restore_works_when_the_store_is_damaged_and_keeps_the_damaged_file(
    tmp_path: Path,
) -> None:
    root = made(tmp_path / "ws")
    [newest, *_] = backups.backups(root / "backups")
    good = dump(newest)
    with open(root / "baocao.db", "r+b") as handle:
        handle.seek(0)
        handle.write(b"\x00" * 8192)
    spoiled = (root / "baocao.db").read_bytes()
    with pytest.raises(StoreUnusable) as refused:
        Workspace.open(root)
    assert refused.value.code in ("store.foreign", "store.damaged")
    aside = Workspace.restore_unusable(root, newest)
    assert aside.read_bytes() == spoiled and aside.parent == root / "damaged"
    with Workspace.open(root, automatic_backup=False) as ws:
        assert [r.period for r in ws.reports.summaries()] == ["2026Q3"]
    assert dump(root / "baocao.db") == good


def test_a_damaged_store_names_the_newest_good_backup(tmp_path: Path) -> None:
    root = made(tmp_path / "ws")
    [newest, *_] = backups.backups(root / "backups")
    (root / "backups" / "baocao-99999999-000000-000000.db").write_bytes(b"hong")
    (root / "baocao.db").write_bytes(b"")
    with pytest.raises(StoreUnusable) as refused:
        Workspace.open(root)
    assert refused.value.code == "store.empty"
    assert refused.value.params["backup"] == str(newest)


def test_restore_refuses_a_bad_candidate_and_moves_nothing(tmp_path: Path) -> None:
    root = made(tmp_path / "ws")
    (root / "baocao.db").write_bytes(b"")
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(b"not a store")
    with pytest.raises(CoreError) as refused:
        Workspace.restore_unusable(root, bogus)
    assert refused.value.code == "backup.not_a_store"
    assert (root / "baocao.db").read_bytes() == b"" and not (root / "damaged").exists()


def test_the_first_backup_comes_with_the_first_real_change(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "ws") as ws:
        assert ws.list_backups() == []  # an empty store is not worth a backup
        ws.initialise(DISTRICT)
        [first] = ws.list_backups()
        assert dump(first, without=("audit_log",)) == dump(ws, without=("audit_log",))


def test_the_automatic_backup_is_skipped_with_a_warning_when_the_disk_is_short(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made(tmp_path / "ws")
    for old in backups.backups(tmp_path / "ws" / "backups"):
        old.unlink()
    monkeypatch.setattr(backups, "has_room", lambda folder, store: False)
    with Workspace.open(tmp_path / "ws") as ws:
        assert [w.code for w in ws.warnings] == ["backup.skipped_no_room"]
        assert ws.list_backups() == []
        assert ws.reports.summaries()  # the command goes on


def test_backup_to_a_missing_folder_is_refused(tmp_path: Path) -> None:
    with (
        Workspace.open(made(tmp_path / "ws"), automatic_backup=False) as ws,
        pytest.raises(CoreError) as refused,
    ):
        ws.backup(tmp_path / "khong-co" / "a.db")
    assert refused.value.code == "backup.no_folder"


@POSIX
@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_a_read_only_workspace_is_said_not_a_traceback(tmp_path: Path) -> None:
    root = made(tmp_path / "ws")
    for path in (root, *root.rglob("*")):
        path.chmod(path.stat().st_mode & ~0o222)
    try:
        with pytest.raises(CoreError) as refused:
            Workspace.open(root)
        assert refused.value.code == "workspace.read_only"
    finally:
        for path in (root, *root.rglob("*")):
            path.chmod(path.stat().st_mode | 0o200)


@pytest.mark.parametrize(
    ("mounts", "kind"),
    [
        ("//server/share /mnt/so cifs rw 0 0\n", "cifs"),
        ("srv:/export /mnt/so nfs4 rw 0 0\n", "nfs4"),
        ("/dev/sda1 / ext4 rw 0 0\n//server/share /mnt/so cifs rw 0 0\n", "cifs"),
        ("/dev/sda1 / ext4 rw 0 0\n//server/share /mnt/other cifs rw 0 0\n", "ext4"),
    ],
)
def test_the_filesystem_under_the_workspace_is_found(mounts: str, kind: str) -> None:
    assert filesystem_type(Path("/mnt/so/baocao"), mounts) == kind


# --- secrets ------------------------------------------------------------------------------------


@POSIX
def test_the_workspace_and_its_copies_are_the_clerks_alone(tmp_path: Path) -> None:
    root = made(tmp_path / "ws")
    assert stat.S_IMODE(root.stat().st_mode) == 0o700
    assert stat.S_IMODE((root / "backups").stat().st_mode) == 0o700
    assert stat.S_IMODE((root / "baocao.db").stat().st_mode) == 0o600
    for copy in backups.backups(root / "backups"):
        assert stat.S_IMODE(copy.stat().st_mode) == 0o600


def sealed_in(copy: Path) -> list[bytes]:
    connection = sqlite3.connect(copy)
    try:
        return [row[0] for row in connection.execute("SELECT sealed FROM office_keys")]
    finally:
        connection.close()


def opens_with(sealed: bytes, passphrase: str) -> bool:
    try:
        keys.unseal(keys.SealedKey.from_bytes(sealed), passphrase)
    except (keys.WrongPassphrase, keys.KeyFileError):
        return False
    return True


def test_after_a_passphrase_change_no_backup_opens_with_the_old_one(tmp_path: Path) -> None:
    root = made(tmp_path / "ws")
    with Workspace.open(root, kdf_cost=CHEAP) as ws:
        ws.backup()
        ws.keys.change_passphrase(PASSPHRASE, NEW_PASSPHRASE)
    copies = backups.backups(root / "backups")
    keyed = [copy for copy in copies if sealed_in(copy)]
    assert len(keyed) >= 2
    for copy in keyed:
        [sealed] = sealed_in(copy)
        assert not opens_with(sealed, PASSPHRASE)
        assert opens_with(sealed, NEW_PASSPHRASE)


def test_after_a_rotation_the_retired_key_opens_nowhere(tmp_path: Path) -> None:
    root = made(tmp_path / "ws")
    with Workspace.open(root, kdf_cost=CHEAP) as ws:
        ws.add_unit(DISTRICT.__class__(code="TU-38", name="Tỉnh ủy", level="province"))
        ws.keys.rotate(PASSPHRASE, NEW_PASSPHRASE)
        live = sealed_in(ws.db_path)
    assert sum(opens_with(s, NEW_PASSPHRASE) for s in live) == 1
    for copy in [root / "baocao.db", *backups.backups(root / "backups")]:
        assert not any(opens_with(s, PASSPHRASE) for s in sealed_in(copy))


# --- read-only media, full disks: one line, nothing changed ----------------------------------


def test_a_read_only_workspace_reads_and_refuses_writes_changing_nothing(tmp_path: Path) -> None:
    root = made(tmp_path / "ws")
    before = dump(root / "baocao.db")
    files_before = sorted(p.relative_to(root) for p in root.rglob("*"))
    with Workspace.open(root, read_only=True) as ws:
        [summary] = ws.reports.summaries()
        assert ws.reports.validate(summary.id)
        assert ws.documents.report_pdf(summary.id).startswith(b"%PDF")
        with pytest.raises(sqlite3.OperationalError) as refused:
            ws.reports.new("cntt-quy", "2026Q4")
        failure = unexpected_failure(refused.value, root)
        assert failure.code == "workspace.read_only"
    assert dump(root / "baocao.db") == before
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == files_before


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (sqlite3.OperationalError("database or disk is full"), "store.full_disk"),
        (OSError(errno.ENOSPC, "No space left on device"), "store.full_disk"),
        (OSError(errno.EROFS, "Read-only file system"), "workspace.read_only"),
        (PermissionError(errno.EACCES, "Permission denied"), "workspace.read_only"),
        (sqlite3.OperationalError("attempt to write a readonly database"), "workspace.read_only"),
        (sqlite3.DatabaseError("database disk image is malformed"), "store.damaged"),
        (sqlite3.DatabaseError("file is not a database"), "store.damaged"),
        (ValueError("anything else"), "internal.unexpected"),
        (CoreError("report.not_found", id="x"), "report.not_found"),
    ],
)
def test_what_a_failure_means_for_the_clerk(
    tmp_path: Path, error: BaseException, code: str
) -> None:
    said = unexpected_failure(error, tmp_path / "ws")
    assert said.code == code
    for lang in ("vi", "en"):
        assert "{" not in describe(said, lang)
