"""Is the file at the store's path a sound Báo cáo store? Asked before anything writes to it.

An empty file, a file that is not SQLite, or SQLite that is not ours is never taken for a new
workspace (that would make a new office key over the office's history without a word), and a
damaged one is named as such with the newest backup that would restore it. Recovering moves
the damaged file aside — never deletes it — and copies a sound backup into its place.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from datetime import datetime
from pathlib import Path

from desktop_app.core.errors import CoreError
from desktop_app.core.store import backup as backups
from desktop_app.core.store import backup_attachments as shelf

SQLITE_HEADER = b"SQLite format 3\x00"
_COMPANIONS = ("-wal", "-shm")  # SQLite's files beside the store, moved with it


class StoreUnusable(CoreError):
    """The store cannot be opened as it is; ``restore`` (which does not open it) can help."""


def check_store_file(path: Path, backups_dir: Path) -> None:
    """Refuse, before SQLite touches it, a store file that is empty, foreign or unreadable.
    A missing file is fine: a new workspace is being made."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return
    except OSError as error:
        raise StoreUnusable("store.unreadable", file=str(path), reason=error.strerror) from error
    if not header:
        raise StoreUnusable(
            "store.empty",
            file=str(path),
            backup=newest_good_backup(backups_dir, _attachments_of(path)),
        )
    if header != SQLITE_HEADER:
        raise StoreUnusable("store.foreign", file=str(path))


def check_tables(connection: sqlite3.Connection, path: Path) -> None:
    """SQLite, but a store of some other program: refused rather than migrated into ours."""
    names = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    if names and "_sqlite_migrations" not in names:
        raise StoreUnusable("store.foreign", file=str(path))


def damaged(path: Path, backups_dir: Path) -> StoreUnusable:
    return StoreUnusable(
        "store.damaged",
        file=str(path),
        backup=newest_good_backup(backups_dir, _attachments_of(path)),
    )


def newest_good_backup(folder: Path, attachments: Path) -> str:
    """The newest backup that passes the full check — a sound store whose every attachment is
    whole in its shared store or in the workspace's ``attachments`` — or "" when none does."""
    for candidate in backups.backups(folder):
        try:
            backups.check_restorable(candidate)
            backups.check_complete(candidate, attachments)
        except CoreError:
            continue
        return str(candidate)
    return ""


def replace_unusable_store(path: Path, candidate: Path, now: datetime) -> Path:
    """Put a sound ``candidate`` in place of the store at ``path`` without opening the store.

    The old file and its WAL move to ``damaged/`` under a dated name (returned); nothing is
    deleted, so a specialist can still try to recover what it held."""
    backups.check_restorable(candidate)
    attachments = _attachments_of(path)
    backups.check_complete(candidate, attachments)
    backups.bring_back_attachments(candidate, attachments)  # files first, then rows naming them
    aside_dir = path.parent / "damaged"
    aside_dir.mkdir(mode=0o700, exist_ok=True)
    aside = aside_dir / f"{path.stem}-{now:%Y%m%d-%H%M%S-%f}{path.suffix}"
    for suffix in ("", *_COMPANIONS):
        source = Path(f"{path}{suffix}")
        if source.exists():
            os.replace(source, Path(f"{aside}{suffix}"))
    partial = path.with_name(path.name + ".restoring")
    shutil.copyfile(candidate, partial)
    protect_file(partial)
    with open(partial, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(partial, path)
    return aside


def _attachments_of(store: Path) -> Path:
    return store.parent / shelf.FOLDER


def protect_folder(folder: Path) -> None:
    """Only the clerk's own account may read the workspace (POSIX; on Windows the per-user
    profile already does this)."""
    if os.name == "posix":
        os.chmod(folder, stat.S_IRWXU)


def protect_file(path: Path) -> None:
    if os.name == "posix" and path.exists():
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
