"""The attachments (minh chứng) a backup names, kept beside it so a restore brings the scans back.

Every backup in a folder shares one store of files, ``<folder>/attachments/<sha256>.<ext>``,
the same names as the workspace's own ``attachments/``. A backup copies only the files that
store lacks, each checked against its hash before and after it is written, so a hundred
backups of a workspace holding 50 MB of scans keep 50 MB once, not a hundred times. A file
stays while any kept backup names it.

The rows that name files are read from each backup's own ``attachments`` table, so what a
backup needs is always what its database says, whatever the workspace holds today.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from desktop_app.core.store.files import PARTIAL_SUFFIX, write_atomic

FOLDER = "attachments"
# A file written for an attachment whose row is not yet committed looks like an orphan: the
# sweep leaves any file touched this recently alone.
ORPHAN_GRACE_SECONDS = 3600


@dataclass(frozen=True)
class Needed:
    """One file a database names: its hash and the size its row records."""

    sha256: str
    size: int


def shelf_of(backup: Path) -> Path:
    """The attachments store shared by the backups in ``backup``'s folder."""
    return backup.parent / FOLDER


def named_in(database: Path) -> list[Needed]:
    """The files the store at ``database`` names (any revision, any report)."""
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return _named(connection)
    finally:
        connection.close()


def named_live(connection: sqlite3.Connection) -> list[Needed]:
    return _named(connection)


def _named(connection: sqlite3.Connection) -> list[Needed]:
    try:
        rows = connection.execute("SELECT DISTINCT sha256, size FROM attachments").fetchall()
    except sqlite3.OperationalError:  # a store from before attachments existed names none
        return []
    return [Needed(sha256, size) for sha256, size in rows]


def files_by_hash(folder: Path) -> dict[str, Path]:
    """``<sha256>.<ext>`` files of ``folder`` by hash (none when the folder is absent)."""
    try:
        entries = list(folder.iterdir())
    except OSError:
        return {}
    return {
        path.name.split(".", 1)[0]: path
        for path in entries
        if not path.name.endswith(PARTIAL_SUFFIX) and path.is_file()
    }


def carry(needed: Iterable[Needed], live: Path, shelf: Path) -> list[str]:
    """Copy into ``shelf`` every needed file it lacks (or holds at the wrong size) from the
    workspace's ``live`` folder; returns the hashes found in neither, whole."""
    on_shelf, in_live = files_by_hash(shelf), files_by_hash(live)
    lost = []
    for item in needed:
        present = on_shelf.get(item.sha256)
        if present is not None and _size(present) == item.size:
            continue
        source = in_live.get(item.sha256)
        content = _whole(source, item.sha256) if source is not None else None
        if source is None or content is None:
            lost.append(item.sha256)
            continue
        _keep(shelf / source.name, content)
    return lost


def missing(needed: Iterable[Needed], shelf: Path, live: Path) -> list[str]:
    """The needed hashes neither ``shelf`` nor ``live`` holds whole (every file is read)."""
    sources = (files_by_hash(shelf), files_by_hash(live))
    return [
        item.sha256
        for item in needed
        if not any(_whole(files.get(item.sha256), item.sha256) is not None for files in sources)
    ]


def bring_back(needed: Iterable[Needed], shelf: Path, live: Path) -> int:
    """Put back into ``live`` every needed file missing or damaged there, from ``shelf``;
    returns how many were put back."""
    on_shelf, in_live = files_by_hash(shelf), files_by_hash(live)
    brought = 0
    for item in needed:
        if _whole(in_live.get(item.sha256), item.sha256) is not None:
            continue
        source = on_shelf.get(item.sha256)
        content = _whole(source, item.sha256)
        if source is None or content is None:
            continue  # ``missing`` refused such a backup before anything was replaced
        _keep(live / source.name, content)
        brought += 1
    return brought


def kept_names(kept: Iterable[Path]) -> set[str] | None:
    """Every hash the ``kept`` backups name; None when one cannot be read (then every file
    is kept: a backup that cannot be read may still name any of them)."""
    wanted: set[str] = set()
    for backup in kept:
        try:
            wanted.update(item.sha256 for item in named_in(backup))
        except sqlite3.Error:
            return None
    return wanted


def prune_shelf(shelf: Path, kept: Iterable[Path]) -> None:
    """Remove from ``shelf`` the files no ``kept`` backup names."""
    wanted = kept_names(kept)
    if wanted is None:
        return
    for sha256, path in files_by_hash(shelf).items():
        if sha256 not in wanted:
            path.unlink(missing_ok=True)


def sweep_orphans(live: Path, named: set[str], now: float | None = None) -> list[Path]:
    """Remove from ``live`` the files whose hash is not in ``named`` (the store's rows and
    the kept backups), except those touched within the grace period; returns what went."""
    moment = time.time() if now is None else now
    removed = []
    for sha256, path in files_by_hash(live).items():
        if sha256 in named:
            continue
        with contextlib.suppress(OSError):
            if moment - path.stat().st_mtime >= ORPHAN_GRACE_SECONDS:
                path.unlink()
                removed.append(path)
    return removed


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return -1


def _whole(path: Path | None, sha256: str) -> bytes | None:
    if path is None:
        return None
    try:
        content = path.read_bytes()
    except OSError:
        return None
    return content if hashlib.sha256(content).hexdigest() == sha256 else None


def _keep(target: Path, content: bytes) -> None:
    if not target.parent.is_dir():
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    write_atomic(target, content, verify=True)
    if os.name == "posix":
        target.chmod(0o600)
