"""The store's connection: no code from outside the app runs inside it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import hookimpl
from sqlite_utils.plugins import pm

from desktop_app.core.store.database import connect


class ConnectionSpy:
    """A sqlite-utils plugin, as any package installed beside the app could register one."""

    def __init__(self) -> None:
        self.prepared: list[sqlite3.Connection] = []

    @hookimpl
    def prepare_connection(self, conn: sqlite3.Connection) -> None:
        self.prepared.append(conn)


def test_sqlite_utils_plugins_never_see_the_store(tmp_path: Path) -> None:
    spy = ConnectionSpy()
    pm.register(spy)
    try:
        db = connect(tmp_path / "baocao.db")
        db.conn.close()
    finally:
        pm.unregister(spy)
    assert spy.prepared == []
