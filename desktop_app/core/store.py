"""The SQLite store: connection settings and every schema step as a migration.

WAL with ``synchronous=FULL`` means a committed edit survives a power cut; foreign keys keep
values from outliving their report. Schema changes are only ever added as new migrations, so a
workspace made by an older version opens in a newer one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("baocao")


def connect(path: Path) -> Database:
    """Open (or create) the store at ``path`` with the durability pragmas and current schema."""
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
    _configure(connection)
    db = Database(connection)
    migrations.apply(db)
    return db


def _configure(connection: sqlite3.Connection) -> None:
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    connection.execute("PRAGMA foreign_keys=ON")
    connection.execute("PRAGMA busy_timeout=30000")


@contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """One all-or-nothing write. The outermost takes the write lock up front (``BEGIN
    IMMEDIATE``) so two processes never deadlock upgrading a read lock; inner ones nest as
    savepoints."""
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.conn.rollback()
        raise
    db.conn.execute("COMMIT")


def run_script(db: Database, script: str) -> None:
    """Run DDL statement by statement: ``executescript`` would commit the migration's
    transaction half-way."""
    for statement in script.split(";\n"):
        if statement.strip():
            db.execute(statement)


def integrity_ok(db: Database) -> bool:
    rows = db.execute("PRAGMA integrity_check").fetchall()
    return rows == [("ok",)]


@migrations()
def m001_core_tables(db: Database) -> None:
    run_script(
        db,
        """
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE offices (
            code TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            level TEXT NOT NULL CHECK (level IN
                ('central', 'province', 'district', 'commune', 'department')),
            block TEXT NOT NULL CHECK (block IN ('party', 'state', 'front', 'assembly')),
            abbreviation TEXT NOT NULL DEFAULT '',
            parent_code TEXT,
            superior_name TEXT NOT NULL DEFAULT '',
            place TEXT NOT NULL DEFAULT '',
            is_self INTEGER NOT NULL DEFAULT 0,
            valid_from TEXT,
            valid_to TEXT
        );
        CREATE UNIQUE INDEX offices_one_self ON offices(is_self) WHERE is_self = 1;
        CREATE TABLE templates (
            id TEXT NOT NULL,
            version INTEGER NOT NULL,
            title TEXT NOT NULL,
            period_type TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            body TEXT NOT NULL,
            installed_at TEXT NOT NULL,
            source TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (id, version)
        );
        CREATE TABLE schedule (
            template_id TEXT NOT NULL,
            period TEXT NOT NULL,
            unit_code TEXT NOT NULL,
            cutoff TEXT,
            deadline TEXT,
            PRIMARY KEY (template_id, period, unit_code)
        );
        CREATE TABLE reports (
            id TEXT PRIMARY KEY,
            template_id TEXT NOT NULL,
            template_version INTEGER NOT NULL,
            period TEXT NOT NULL,
            office_code TEXT NOT NULL REFERENCES offices(code),
            origin TEXT NOT NULL DEFAULT 'local' CHECK (origin IN ('local', 'received')),
            current_revision INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            FOREIGN KEY (template_id, template_version) REFERENCES templates(id, version)
        );
        CREATE UNIQUE INDEX reports_one_per_period
            ON reports(template_id, period, office_code, origin);
        CREATE TABLE revisions (
            report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
            revision INTEGER NOT NULL,
            status TEXT NOT NULL CHECK (status IN
                ('draft', 'ready', 'approved', 'exported', 'acknowledged', 'returned')),
            supersedes INTEGER,
            approved_by_name TEXT,
            approved_by_title TEXT,
            approved_at TEXT,
            return_comment TEXT,
            created_at TEXT NOT NULL,
            PRIMARY KEY (report_id, revision)
        );
        CREATE TABLE report_values (
            report_id TEXT NOT NULL,
            revision INTEGER NOT NULL,
            indicator_id TEXT NOT NULL,
            value TEXT,
            comment TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (report_id, revision, indicator_id),
            FOREIGN KEY (report_id, revision) REFERENCES revisions(report_id, revision)
                ON DELETE CASCADE
        );
        CREATE TABLE narratives (
            report_id TEXT NOT NULL,
            revision INTEGER NOT NULL,
            section_id TEXT NOT NULL,
            body TEXT NOT NULL,
            PRIMARY KEY (report_id, revision, section_id),
            FOREIGN KEY (report_id, revision) REFERENCES revisions(report_id, revision)
                ON DELETE CASCADE
        );
        CREATE VIRTUAL TABLE narrative_search USING fts5(
            report_id UNINDEXED, revision UNINDEXED, section_id UNINDEXED, search_text,
            tokenize = 'unicode61 remove_diacritics 0'
        );
        CREATE TABLE attachments (
            sha256 TEXT NOT NULL,
            report_id TEXT NOT NULL,
            revision INTEGER NOT NULL,
            name TEXT NOT NULL,
            media_type TEXT NOT NULL,
            size INTEGER NOT NULL,
            PRIMARY KEY (report_id, revision, sha256),
            FOREIGN KEY (report_id, revision) REFERENCES revisions(report_id, revision)
                ON DELETE CASCADE
        );
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            report_id TEXT,
            revision INTEGER,
            field TEXT,
            old_value TEXT,
            new_value TEXT
        );
        CREATE INDEX audit_by_report ON audit_log(report_id, revision);
        """,
    )
