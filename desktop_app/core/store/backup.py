"""Copies of the store made with SQLite's online backup API, and restoring one.

The online backup copies a consistent snapshot while the app keeps working, so backups can be
taken at start-up without asking the clerk to close anything. A backup is written beside its
final name and renamed only when complete, so a power cut never leaves a half backup that
looks whole.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

from desktop_app.core.errors import CoreError
from desktop_app.core.store import backup_attachments as shelf

KEEP_BACKUPS = 10
AUTOMATIC_EVERY = timedelta(hours=12)
_PREFIX = "baocao-"
_REQUIRED_TABLES = {"reports", "revisions", "_sqlite_migrations"}


def backup_to(source: sqlite3.Connection, target: Path, attachments: Path | None = None) -> Path:
    """Copy the store to ``target``; with ``attachments`` (the workspace's folder), the files
    the copy names go to the shared store beside it before the copy takes its final name."""
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    destination = sqlite3.connect(partial)
    try:
        source.backup(destination)
        destination.execute("PRAGMA journal_mode=DELETE")
    finally:
        destination.close()
    _owner_only(partial)
    if attachments is not None:
        # A file the live folder lacks is not copied; the check then names the backup
        # incomplete, which is the truth, rather than failing the backup of the store.
        shelf.carry(shelf.named_in(partial), attachments, shelf.shelf_of(target))
    with open(partial, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(partial, target)
    return target


def _owner_only(path: Path) -> None:
    if os.name == "posix":
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)


def rotating_backup(
    source: sqlite3.Connection,
    folder: Path,
    now: datetime,
    attachments: Path | None = None,
    spare: Path | None = None,
) -> Path:
    """A new backup in ``folder``, keeping the newest ``KEEP_BACKUPS`` (and ``spare``: the
    backup about to be restored is never rotated away by the safety copy taken first)."""
    folder.mkdir(mode=stat.S_IRWXU, parents=True, exist_ok=True)
    # Microseconds: a safety copy taken just before a restore must never overwrite the very
    # backup being restored when both fall in the same second.
    target = folder / f"{_PREFIX}{now:%Y%m%d-%H%M%S-%f}.db"
    backup_to(source, target, attachments)
    for old in backups(folder)[KEEP_BACKUPS:]:
        if old != spare:
            old.unlink(missing_ok=True)
    shelf.prune_shelf(shelf.shelf_of(target), backups(folder))
    return target


def backups(folder: Path) -> list[Path]:
    """Existing backups, newest first."""
    return sorted(folder.glob(f"{_PREFIX}*.db"), reverse=True)


def backup_due(folder: Path, now: datetime) -> bool:
    existing = backups(folder)
    if not existing:
        return True
    newest = datetime.fromtimestamp(existing[0].stat().st_mtime)
    return now.replace(tzinfo=None) - newest >= AUTOMATIC_EVERY


def check_restorable(candidate: Path) -> None:
    """Refuse a file that is not a sound Báo cáo store before anything is replaced."""
    if not candidate.is_file():
        raise CoreError("backup.not_found", file=str(candidate))
    try:
        connection = sqlite3.connect(f"file:{candidate}?mode=ro", uri=True)
        try:
            ok = connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise CoreError("backup.not_a_store", file=candidate.name) from error
    if not tables >= _REQUIRED_TABLES:
        raise CoreError("backup.not_a_store", file=candidate.name)
    if not ok:
        raise CoreError("backup.damaged", file=candidate.name)


def check_complete(candidate: Path, live: Path) -> None:
    """Refuse a backup naming an attachment that neither its shared store nor the
    workspace's ``live`` folder holds whole: restoring it would lose that scan."""
    lost = shelf.missing(shelf.named_in(candidate), shelf.shelf_of(candidate), live)
    if lost:
        raise CoreError("backup.incomplete", file=candidate.name, count=len(lost))


def bring_back_attachments(candidate: Path, live: Path) -> int:
    """Before a restore: the files ``candidate`` names that ``live`` lacks, from its store."""
    return shelf.bring_back(shelf.named_in(candidate), shelf.shelf_of(candidate), live)


def restore_into(candidate: Path, live: sqlite3.Connection) -> None:
    source = sqlite3.connect(f"file:{candidate}?mode=ro", uri=True)
    try:
        source.backup(live)
    finally:
        source.close()


def has_room(folder: Path, store: Path) -> bool:
    """Whether the disk holding ``folder`` has room for one more copy of ``store`` and the
    attachments its shared store lacks (with a margin), so an automatic backup never fills
    the disk the store itself needs."""
    try:
        free = shutil.disk_usage(folder if folder.exists() else folder.parent).free
        needed = sum(
            Path(f"{store}{s}").stat().st_size for s in ("", "-wal") if Path(f"{store}{s}").exists()
        )
    except OSError:
        return False
    needed += shelf.size_not_yet_kept(store.parent / shelf.FOLDER, folder / shelf.FOLDER)
    return free > needed * 2 + 16 * 1024 * 1024


def rewrite_in_backups(folder: Path, statement: str, rows: Sequence[Sequence[object]]) -> None:
    """Run ``statement`` once per row in every backup: how a secret changed in the live store
    (a re-sealed key) is changed in its copies too, so no copy keeps the old one."""
    for copy in backups(folder):
        connection = sqlite3.connect(copy, isolation_level=None)
        try:
            connection.execute("PRAGMA secure_delete=ON")  # the old bytes are zeroed, not freed
            connection.execute("BEGIN IMMEDIATE")
            connection.executemany(statement, rows)
            connection.execute("COMMIT")
        finally:
            connection.close()
