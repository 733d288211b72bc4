"""The one entry to the domain: a workspace folder with its store, backups and settings.

The CLI and the windows both work through a :class:`Workspace`; nothing else opens the
database. A workspace folder holds ``baocao.db`` (the live store, never on a USB stick),
``backups/``, ``attachments/`` and ``sessions/`` (one locked marker per running process, so a
marker left unlocked means that process died and the store is checked on the next start).
"""

from __future__ import annotations

import errno
import getpass
import os
import sqlite3
import sys
import time
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from sqlite_utils import Database

from desktop_app.core.areas.documents import Documents
from desktop_app.core.areas.exchange import Exchange
from desktop_app.core.areas.keys import Keys
from desktop_app.core.areas.reports import Reports
from desktop_app.core.areas.signing import Signing
from desktop_app.core.areas.upper import Upper
from desktop_app.core.clock import now
from desktop_app.core.errors import CoreError
from desktop_app.core.exchange.formats.keys import DEFAULT_COST, KdfCost
from desktop_app.core.model import offices
from desktop_app.core.model.offices import Office
from desktop_app.core.paths import workspace_dir
from desktop_app.core.reports import attachment_store
from desktop_app.core.reports.installed import InstalledTemplates
from desktop_app.core.reports.records import audit
from desktop_app.core.reports.templates import bundled_template_files, load_template_file
from desktop_app.core.store import backup as backups
from desktop_app.core.store import backup_attachments as backups_attachments
from desktop_app.core.store import health, medium
from desktop_app.core.store.database import integrity_ok, write_transaction
from desktop_app.core.store.health import StoreUnusable
from desktop_app.core.store.live import LiveStore

DATABASE_NAME = "baocao.db"
__all__ = ["DATABASE_NAME", "StoreUnusable", "Workspace", "unexpected_failure"]


class Workspace:
    """A workspace folder opened for work: the store, its backups, and one object per area.

    ``templates``, ``reports``, ``documents``, ``keys``, ``exchange`` and ``upper`` are the
    doors the CLI and the windows use; the workspace itself only opens, checks, backs up,
    restores and closes the store, and knows this office and its units.
    """

    def __init__(
        self,
        root: Path,
        *,
        automatic_backup: bool = True,
        kdf_cost: KdfCost = DEFAULT_COST,
        read_only: bool | None = None,
    ) -> None:
        self.root = root
        self.kdf_cost = kdf_cost
        self._automatic_backups = automatic_backup
        # Warnings about the workspace the clerk should see (a network share, a skipped backup).
        self.warnings: list[CoreError] = []
        _make_private_folder(root)
        # A medium that cannot be written (a write-protected stick, a read-only share) is
        # opened for reading: every reading command works, every write is refused in one line.
        self.read_only = _read_only_medium(root) if read_only is None else read_only
        health.check_store_file(self.db_path, self.backups_dir)
        self._session: _SessionMarker | _NoSession = (
            _NoSession() if self.read_only else _SessionMarker(root / "sessions")
        )
        self.recovered_from_crash = self._session.others_died()
        self._live = self._open_store()
        self.integrity_ok = integrity_ok(self.db) if self.recovered_from_crash else True
        self.templates = InstalledTemplates(self._live)
        self.reports = Reports(self._live, self.templates)
        self.documents = Documents(self._live, self.templates, self.reports)
        self.reports.print_with(self.documents.report_pdf)
        self.signing = Signing(self._live)
        self.keys = Keys(self._live, kdf_cost, on_secret_changed=self._reseal_backups)
        self.exchange = Exchange(self._live, root, self.templates, self.reports, self.documents)
        self.upper = Upper(self._live, self.templates)
        if medium.on_network_share(root):
            self.warnings.append(CoreError("workspace.network_share", folder=str(root)))
        if self.integrity_ok:
            self._automatic_backup()

    def _open_store(self) -> LiveStore:
        try:
            return LiveStore.open(self.db_path, _current_user(), read_only=self.read_only)
        except health.StoreUnusable:
            self._session.release()
            raise
        except sqlite3.DatabaseError as error:
            self._session.release()
            if isinstance(error, sqlite3.OperationalError) and not os.access(self.root, os.W_OK):
                raise CoreError("workspace.read_only", folder=str(self.root)) from error
            raise health.damaged(self.db_path, self.backups_dir) from error

    def _automatic_backup(self) -> None:
        """Every 12 hours, once the store holds an office (a backup of an empty store protects
        nothing); skipped with a warning, never failing the command, when the disk is short."""
        due = (
            self._automatic_backups
            and not self.read_only
            and backups.backup_due(self.backups_dir, now())
        )
        if not due or not self.is_initialised:
            return
        if not backups.has_room(self.backups_dir, self.db_path):
            self.warnings.append(CoreError("backup.skipped_no_room", folder=str(self.backups_dir)))
            return
        try:
            self.backup()
            self._sweep_orphan_attachments()
        except (OSError, sqlite3.Error, CoreError):
            self.warnings.append(CoreError("backup.skipped_failed", folder=str(self.backups_dir)))

    def _sweep_orphan_attachments(self) -> None:
        """Files in ``attachments/`` that no revision names (an attachment removed, a crash
        between a file and its row) and no kept backup names go with the old backups."""
        kept = backups_attachments.kept_names(backups.backups(self.backups_dir))
        if kept is None:
            return
        named = backups_attachments.named_live(self.db.conn)
        backups_attachments.sweep_orphans(self.attachments_dir, named | kept)

    @classmethod
    def open(cls, location: str | os.PathLike[str] | None = None, **options: Any) -> Workspace:
        return cls(workspace_dir(location), **options)

    def close(self) -> None:
        self._live.close()
        self._session.release()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def db(self) -> Database:
        """The live connection, for core and for tests that look inside the store."""
        return self._live.db

    @property
    def actor(self) -> str:
        return self._live.actor

    @property
    def db_path(self) -> Path:
        return self.root / DATABASE_NAME

    @property
    def backups_dir(self) -> Path:
        return self.root / "backups"

    @property
    def attachments_dir(self) -> Path:
        return attachment_store.folder_of(self.db_path)

    # --- this office and its units --------------------------------------------------------

    def initialise(self, office: Office, install_bundled_templates: bool = True) -> Office:
        with write_transaction(self.db):
            office = offices.set_this_office(self.db, office)
            audit(self.db, self.actor, "office.initialised", new_value=office.code)
            if install_bundled_templates:
                for path in bundled_template_files():
                    self.templates.install(load_template_file(path), source="bundled")
        self._automatic_backup()  # the first backup: of the first real change
        return office

    @property
    def office(self) -> Office:
        return offices.require_this_office(self.db)

    def update_office(self, office: Office) -> Office:
        """Correct this office's details (name, abbreviation, superior, place, level, block).
        The code stays: it is in every report, key and bundle already made."""
        with write_transaction(self.db):
            before = self.office
            office = offices.set_this_office(self.db, office)
            if office != before:
                audit(self.db, self.actor, "office.updated", new_value=office.name)
        return office

    @property
    def is_initialised(self) -> bool:
        return offices.this_office(self.db) is not None

    def add_unit(self, unit: Office) -> Office:
        with write_transaction(self.db):
            return offices.add_unit(self.db, unit)

    def units(self, on: str | None = None) -> list[Office]:
        return offices.units(self.db, self.office.code, on)

    # --- backups --------------------------------------------------------------------------

    def backup(self, target: Path | None = None) -> Path:
        """A copy of the store with the attachments it names (in ``attachments/`` beside the
        copy, shared by every backup of that folder): in ``backups/`` unless ``target``."""
        if target is None:
            return self._rotating_backup()
        if not target.parent.is_dir():
            raise CoreError("backup.no_folder", folder=str(target.parent))
        try:
            return backups.backup_to(self.db.conn, target, self.attachments_dir)
        except (OSError, sqlite3.OperationalError) as error:
            raise CoreError("backup.write_failed", file=str(target)) from error

    def _rotating_backup(self, spare: Path | None = None) -> Path:
        return backups.rotating_backup(
            self.db.conn, self.backups_dir, now(), self.attachments_dir, spare
        )

    def list_backups(self) -> list[Path]:
        return backups.backups(self.backups_dir)

    def newest_good_backup(self) -> Path | None:
        """The newest backup a restore would take whole (a sound store, every attachment it
        names present and unchanged), or None."""
        found = health.newest_good_backup(self.backups_dir, self.attachments_dir)
        return Path(found) if found else None

    def restore(self, candidate: Path) -> Path:
        """Replace the store with ``candidate``; the current store is backed up first and
        that copy's path returned, so a restore can itself be undone."""
        backups.check_restorable(candidate)
        backups.check_complete(candidate, self.attachments_dir)
        safety = self._rotating_backup(spare=candidate)
        # The files first: a row never names a file that is not on disk.
        backups.bring_back_attachments(candidate, self.attachments_dir)
        backups.restore_into(candidate, self.db.conn)
        self.templates.forget_parsed()
        self._live.reopen()
        audit(self.db, self.actor, "workspace.restored", new_value=candidate.name)
        return safety

    @staticmethod
    def restore_unusable(location: str | os.PathLike[str] | None, candidate: Path) -> Path:
        """Restore ``candidate`` into a workspace whose store cannot be opened (damaged, empty,
        foreign): the store is never opened; it moves aside to ``damaged/`` (that path is
        returned) and the backup takes its place. Open the workspace afterwards as usual."""
        root = workspace_dir(location)
        return health.replace_unusable_store(root / DATABASE_NAME, candidate, now())

    def _reseal_backups(self) -> None:
        """The office key was sealed anew (new passphrase, rotation): every backup gets the
        same sealed bytes, so no copy of the store opens with the old passphrase."""
        rows = self.db.execute("SELECT sealed, key_id FROM office_keys").fetchall()
        backups.rewrite_in_backups(
            self.backups_dir, "UPDATE office_keys SET sealed = ? WHERE key_id = ?", rows
        )


def unexpected_failure(error: BaseException, location: str | os.PathLike[str] | None) -> CoreError:
    """What an exception that is not a ``CoreError`` means for the clerk: a full disk, a
    read-only medium, a damaged store (naming the newest good backup), or a fault to report.
    The front ends show it as one line instead of a traceback."""
    if isinstance(error, CoreError):
        return error
    root = workspace_dir(location)
    text = str(error).lower()
    full = isinstance(error, OSError) and error.errno == errno.ENOSPC
    if full or (isinstance(error, sqlite3.OperationalError) and "full" in text):
        return CoreError("store.full_disk")
    read_only = isinstance(error, OSError) and error.errno in (errno.EROFS, errno.EACCES)
    if read_only or (isinstance(error, sqlite3.OperationalError) and "readonly" in text):
        return CoreError("workspace.read_only", folder=str(root))
    if isinstance(error, sqlite3.DatabaseError) and not isinstance(error, sqlite3.OperationalError):
        return health.damaged(root / DATABASE_NAME, root / "backups")
    return CoreError("internal.unexpected", kind=type(error).__name__)


def _read_only_medium(root: Path) -> bool:
    store = root / DATABASE_NAME
    return store.exists() and not (os.access(root, os.W_OK) and os.access(store, os.W_OK))


class _NoSession:
    """A read-only workspace leaves no marker (it could not) and needs no crash check."""

    def others_died(self) -> bool:
        return False

    def release(self) -> None:
        pass


def _make_private_folder(root: Path) -> None:
    try:
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:
        raise CoreError("workspace.cannot_create", folder=str(root)) from error
    with suppress(OSError):  # a read-only medium keeps the permissions it has
        health.protect_folder(root)


def _current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


class _SessionMarker:
    """A file per running process, locked while it runs.

    A marker that can be locked by someone else belongs to a process that ended without
    closing the workspace: an unclean shutdown.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / f"{os.getpid()}-{id(self)}.lock"
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            self.handle: IO[bytes] | None = open(self.path, "wb")  # noqa: SIM115 - held open
        except OSError as error:
            raise CoreError("workspace.read_only", folder=str(folder.parent)) from error
        _lock(self.handle)

    def others_died(self) -> bool:
        died = False
        for marker in self._others():
            with suppress(OSError), open(marker, "ab") as handle:
                if _try_lock(handle):
                    died = True
                    _unlock(handle)
                    handle.close()
                    marker.unlink(missing_ok=True)
        return died

    def _others(self) -> Iterator[Path]:
        return (p for p in self.folder.glob("*.lock") if p != self.path)

    def release(self) -> None:
        if self.handle is not None:
            _unlock(self.handle)
            self.handle.close()
            self.handle = None
            self.path.unlink(missing_ok=True)


if sys.platform == "win32":
    import msvcrt

    def _try_lock(handle: IO[bytes]) -> bool:
        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(handle: IO[bytes]) -> None:
        with suppress(OSError):
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(handle: IO[bytes]) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def _unlock(handle: IO[bytes]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


_LOCK_PATIENCE_SECONDS = 1.0


def _lock(handle: IO[bytes]) -> None:
    # Another session starting at the same moment may hold this new marker's lock for an
    # instant while it looks for markers of sessions that died (``others_died``): wait that out.
    deadline = time.monotonic() + _LOCK_PATIENCE_SECONDS
    while not _try_lock(handle):
        if time.monotonic() > deadline:
            raise CoreError("workspace.lock_failed")
        time.sleep(0.005)
