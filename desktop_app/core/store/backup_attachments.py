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
from pathlib import Path

from desktop_app.core.store.files import PARTIAL_SUFFIX, write_atomic

FOLDER = "attachments"
# A file written for an attachment whose row is not yet committed looks like an orphan: the
# sweep leaves any file touched this recently alone.
ORPHAN_GRACE_SECONDS = 3600


def shelf_of(backup: Path) -> Path:
    """The attachments store shared by the backups in ``backup``'s folder."""
    return backup.parent / FOLDER


def named_in(database: Path) -> set[str]:
    """The hashes of the files the store at ``database`` names (any revision, any report)."""
    # As a URI so a folder named with "#" or "?" is not read as part of the query.
    connection = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return named_live(connection)
    finally:
        connection.close()


def named_live(connection: sqlite3.Connection) -> set[str]:
    """The hashes of the files the open store of ``connection`` names."""
    try:
        rows = connection.execute("SELECT DISTINCT sha256 FROM attachments").fetchall()
    except sqlite3.OperationalError:  # a store from before attachments existed names none
        return set()
    return {sha256 for (sha256,) in rows}


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


def size_not_yet_kept(live: Path, shelf: Path) -> int:
    """Bytes of the files in ``live`` that ``shelf`` has no file for: what a backup may add."""
    on_shelf = files_by_hash(shelf)
    total = 0
    for sha256, path in files_by_hash(live).items():
        if sha256 not in on_shelf:
            with contextlib.suppress(OSError):
                total += path.stat().st_size
    return total


def carry(needed: Iterable[str], live: Path, shelf: Path) -> list[str]:
    """Copy into ``shelf`` every needed file it lacks (or holds damaged) from the
    workspace's ``live`` folder; returns the hashes found in neither, whole."""
    on_shelf, in_live = files_by_hash(shelf), files_by_hash(live)
    lost = []
    for sha256 in needed:
        # Read again each time (50 MB of scans hash in a fraction of a second): a copy that
        # rotted on the backup disk is replaced while the workspace still has it whole.
        if _whole(on_shelf.get(sha256), sha256) is not None:
            continue
        content = _whole(in_live.get(sha256), sha256)
        if content is None:
            lost.append(sha256)
            continue
        _keep(shelf / in_live[sha256].name, content)
    return lost


def missing(needed: Iterable[str], shelf: Path, live: Path) -> list[str]:
    """The needed hashes neither ``shelf`` nor ``live`` holds whole (every file is read)."""
    sources = (files_by_hash(shelf), files_by_hash(live))
    return [
        sha256
        for sha256 in needed
        if not any(_whole(files.get(sha256), sha256) is not None for files in sources)
    ]


def bring_back(needed: Iterable[str], shelf: Path, live: Path) -> int:
    """Put back into ``live`` every needed file missing or damaged there, from ``shelf``;
    returns how many were put back."""
    on_shelf, in_live = files_by_hash(shelf), files_by_hash(live)
    brought = 0
    for sha256 in needed:
        if _whole(in_live.get(sha256), sha256) is not None:
            continue
        content = _whole(on_shelf.get(sha256), sha256)
        if content is None:
            continue  # ``missing`` refused such a backup before anything was replaced
        _keep(live / on_shelf[sha256].name, content)
        brought += 1
    return brought


def kept_names(kept: Iterable[Path]) -> set[str] | None:
    """Every hash the ``kept`` backups name; None when one cannot be read (then every file
    is kept: a backup that cannot be read may still name any of them)."""
    wanted: set[str] = set()
    for backup in kept:
        try:
            wanted.update(named_in(backup))
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
