"""What "the store did not change" means in the hostile suite: the SQL text of every table
(``iterdump`` of an in-memory copy, so the live file is never touched by the comparison)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

from desktop_app.core.workspace import Workspace

# Tables a refused import writes by design (the refusal itself is recorded there).
IMPORT_BOOKKEEPING = ("inbox_ledger", "quarantine", "pending_keys", "sqlite_sequence")


def dump(source: Workspace | Path, *, without: Iterable[str] = ()) -> list[str]:
    """Every statement that would rebuild the store, minus the rows of ``without`` tables."""
    copy = sqlite3.connect(":memory:")
    try:
        if isinstance(source, Workspace):
            source.db.conn.backup(copy)
        else:
            live = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
            try:
                live.backup(copy)
            finally:
                live.close()
        skipped = tuple(f'INSERT INTO "{name}"' for name in without)
        return [line for line in copy.iterdump() if not line.startswith(skipped)]
    finally:
        copy.close()
