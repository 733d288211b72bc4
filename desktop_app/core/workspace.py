"""The one entry to the domain: a workspace folder with its store, backups and settings.

The CLI and the windows both work through a :class:`Workspace`; nothing else opens the
database. A workspace folder holds ``baocao.db`` (the live store, never on a USB stick),
``backups/``, ``attachments/`` and ``sessions/`` (one locked marker per running process, so a
marker left unlocked means that process died and the store is checked on the next start).
"""

from __future__ import annotations

import getpass
import os
import sys
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
from desktop_app.core.reports.installed import InstalledTemplates
from desktop_app.core.reports.records import audit
from desktop_app.core.reports.templates import bundled_template_files, load_template_file
from desktop_app.core.store import backup as backups
from desktop_app.core.store.database import integrity_ok, write_transaction
from desktop_app.core.store.live import LiveStore

DATABASE_NAME = "baocao.db"


class Workspace:
    """A workspace folder opened for work: the store, its backups, and one object per area.

    ``templates``, ``reports``, ``documents``, ``keys``, ``exchange`` and ``upper`` are the
    doors the CLI and the windows use; the workspace itself only opens, checks, backs up,
    restores and closes the store, and knows this office and its units.
    """

    def __init__(
        self, root: Path, *, automatic_backup: bool = True, kdf_cost: KdfCost = DEFAULT_COST
    ) -> None:
        self.root = root
        self.kdf_cost = kdf_cost
        root.mkdir(parents=True, exist_ok=True)
        self._session = _SessionMarker(root / "sessions")
        self.recovered_from_crash = self._session.others_died()
        self._live = LiveStore.open(self.db_path, _current_user())
        self.integrity_ok = integrity_ok(self.db) if self.recovered_from_crash else True
        self.templates = InstalledTemplates(self._live)
        self.reports = Reports(self._live, self.templates)
        self.documents = Documents(self._live, self.templates, self.reports)
        self.reports.print_with(self.documents.report_pdf)
        self.signing = Signing(self._live)
        self.keys = Keys(self._live, kdf_cost)
        self.exchange = Exchange(self._live, root, self.templates, self.reports, self.documents)
        self.upper = Upper(self._live, self.templates)
        if automatic_backup and self.integrity_ok and backups.backup_due(self.backups_dir, now()):
            self.backup()

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

    # --- this office and its units --------------------------------------------------------

    def initialise(self, office: Office, install_bundled_templates: bool = True) -> Office:
        with write_transaction(self.db):
            office = offices.set_this_office(self.db, office)
            audit(self.db, self.actor, "office.initialised", new_value=office.code)
            if install_bundled_templates:
                for path in bundled_template_files():
                    self.templates.install(load_template_file(path), source="bundled")
        return office

    @property
    def office(self) -> Office:
        return offices.require_this_office(self.db)

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
        if target is None:
            return backups.rotating_backup(self.db.conn, self.backups_dir, now())
        return backups.backup_to(self.db.conn, target)

    def list_backups(self) -> list[Path]:
        return backups.backups(self.backups_dir)

    def restore(self, candidate: Path) -> Path:
        """Replace the store with ``candidate``; the current store is backed up first and
        that copy's path returned, so a restore can itself be undone."""
        backups.check_restorable(candidate)
        safety = self.backup()
        backups.restore_into(candidate, self.db.conn)
        self.templates.forget_parsed()
        self._live.reopen()
        audit(self.db, self.actor, "workspace.restored", new_value=candidate.name)
        return safety


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
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.path = folder / f"{os.getpid()}-{id(self)}.lock"
        self.handle: IO[bytes] | None = open(self.path, "wb")  # noqa: SIM115 - held open
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


def _lock(handle: IO[bytes]) -> None:
    if not _try_lock(handle):
        raise CoreError("workspace.lock_failed")
