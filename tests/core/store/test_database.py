"""The store's connections: one per thread, never shared, and no outside code inside them."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from sqlite_utils import hookimpl
from sqlite_utils.plugins import pm

from desktop_app.core.store.database import connect, write_transaction

T = TypeVar("T")


def in_thread(work: Callable[[], T]) -> T:
    """``work()`` run on a new thread; its result, or its exception raised here."""
    outcome: list[T] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            outcome.append(work())
        except BaseException as error:
            failure.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
    return outcome[0]


def test_each_thread_gets_its_own_connection(tmp_path: Path) -> None:
    db = connect(tmp_path / "baocao.db")
    assert in_thread(lambda: db.conn) is not db.conn
    assert in_thread(lambda: db.conn.execute("PRAGMA foreign_keys").fetchone()) == (1,)
    db.close()


def test_a_write_on_one_thread_is_read_on_another(tmp_path: Path) -> None:
    db = connect(tmp_path / "baocao.db")

    def write() -> None:
        with write_transaction(db):
            db.execute("INSERT INTO settings (key, value) VALUES ('lang', 'vi')")

    in_thread(write)
    assert db.execute("SELECT value FROM settings WHERE key = 'lang'").fetchone() == ("vi",)
    db.close()


def test_a_connection_carried_to_another_thread_is_refused(tmp_path: Path) -> None:
    db = connect(tmp_path / "baocao.db")
    carried = db.conn
    with pytest.raises(sqlite3.ProgrammingError, match="same thread"):
        in_thread(lambda: carried.execute("SELECT 1"))
    db.close()


def test_closing_lets_go_of_every_threads_connection(tmp_path: Path) -> None:
    db = connect(tmp_path / "baocao.db")
    connections: list[sqlite3.Connection] = []
    opened, closed = threading.Event(), threading.Event()

    def serve() -> None:
        connections.append(db.conn)
        opened.set()
        closed.wait()
        connections.append(db.conn)

    worker = threading.Thread(target=serve)
    worker.start()
    opened.wait()
    db.close()
    closed.set()
    worker.join()
    assert connections[1] is not connections[0]  # the first was let go, so a new one opened


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
        connect(tmp_path / "baocao.db").close()
    finally:
        pm.unregister(spy)
    assert spy.prepared == []
