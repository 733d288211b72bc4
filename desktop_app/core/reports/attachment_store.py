"""Attachments (minh chứng) in the store: rows per report revision and the files they name.

A file is kept once, content-addressed, in the workspace's ``attachments/`` folder
(``<sha256>.<pdf|png|jpg>``), written durably before the row that names it is committed: a row
never names a file that is not on disk, and a file left without a row (a crash between the two)
is harmless. The ``attachments`` table says which revision of which report carries which file,
under the name the clerk gave it.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from desktop_app.core.errors import CoreError
from desktop_app.core.model import media
from desktop_app.core.store import backup_attachments
from desktop_app.core.store.files import write_atomic


@dataclass(frozen=True)
class Attachment:
    sha256: str
    name: str
    media_type: str
    size: int

    @property
    def file_name(self) -> str:
        """The stored (and carried) name: ``<sha256>.<ext>``."""
        return f"{self.sha256}.{media.EXTENSIONS[self.media_type]}"

    def to_json(self) -> dict[str, Any]:
        return {
            "sha256": self.sha256,
            "name": self.name,
            "media_type": self.media_type,
            "size": self.size,
        }


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def listed(db: Database, report_id: str, revision: int) -> list[Attachment]:
    """The revision's attachments, in the order the clerk sees them: by name, then hash."""
    rows = db.execute(
        "SELECT sha256, name, media_type, size FROM attachments "
        "WHERE report_id = ? AND revision = ? ORDER BY name, sha256",
        [report_id, revision],
    ).fetchall()
    return [Attachment(*row) for row in rows]


def names(db: Database, report_id: str, revision: int) -> dict[str, str]:
    """SHA-256 → name of the revision's attachments (what a list cell may name)."""
    return {a.sha256: a.name for a in listed(db, report_id, revision)}


def insert(db: Database, report_id: str, revision: int, attachments: Iterable[Attachment]) -> None:
    db.conn.executemany(
        "INSERT INTO attachments (sha256, report_id, revision, name, media_type, size) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [(a.sha256, report_id, revision, a.name, a.media_type, a.size) for a in attachments],
    )


def delete(db: Database, report_id: str, revision: int, sha256: str) -> None:
    db.execute(
        "DELETE FROM attachments WHERE report_id = ? AND revision = ? AND sha256 = ?",
        [report_id, revision, sha256],
    )


def copy_revision(db: Database, report_id: str, old: int, new: int) -> None:
    """Revision ``new`` starts with the attachments of ``old`` (the files are shared)."""
    db.execute(
        "INSERT INTO attachments (sha256, report_id, revision, name, media_type, size) "
        "SELECT sha256, report_id, ?, name, media_type, size FROM attachments "
        "WHERE report_id = ? AND revision = ?",
        [new, report_id, old],
    )


# --- the files ----------------------------------------------------------------------------------


def folder_of(store_path: Path) -> Path:
    """The ``attachments/`` folder beside the store."""
    return store_path.parent / backup_attachments.FOLDER


def keep_file(folder: Path, attachment: Attachment, content: bytes) -> None:
    """Write the file durably unless an intact copy is already there (another report's)."""
    target = folder / attachment.file_name
    if target.is_file() and _intact(target, attachment.sha256):
        # Fresh again: the orphan sweep spares a file touched lately, and this one is about
        # to be named by a row.
        os.utime(target)
        return
    if not folder.is_dir():
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    write_atomic(target, content)
    if os.name == "posix":
        target.chmod(0o600)


def read_file(folder: Path, attachment: Attachment) -> bytes:
    """The attachment's bytes, checked against its hash; ``attachment.damaged`` otherwise."""
    path = folder / attachment.file_name
    try:
        content = path.read_bytes()
    except OSError as error:
        raise CoreError("attachment.damaged", name=attachment.name) from error
    if sha256_of(content) != attachment.sha256:
        raise CoreError("attachment.damaged", name=attachment.name)
    return content


def read_all(folder: Path, attachments: Iterable[Attachment]) -> Mapping[str, bytes]:
    return {a.sha256: read_file(folder, a) for a in attachments}


def _intact(path: Path, sha256: str) -> bool:
    try:
        return sha256_of(path.read_bytes()) == sha256
    except OSError:
        return False
