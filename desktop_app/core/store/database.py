"""The SQLite store: connection settings and every schema step as a migration.

WAL with ``synchronous=FULL`` means a committed edit survives a power cut; foreign keys keep
values from outliving their report. Schema changes are only ever added as new migrations, so a
workspace made by an older version opens in a newer one.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from desktop_app.core.errors import CoreError
from desktop_app.core.store import health

migrations = Migrations("baocao")


class ThreadConfinedDatabase(Database):
    """A sqlite-utils ``Database`` whose ``conn`` is the calling thread's own connection.

    Each thread opens its connection to the same file on first use, so no connection is ever
    shared: two threads' transactions cannot interleave on one connection, and a connection
    carried to another thread is refused by sqlite3 (``check_same_thread``) instead of being
    used. WAL lets one thread read while another writes; ``busy_timeout`` queues two writers.
    """

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self._connections: dict[int, sqlite3.Connection] = {}
        first = _open(path, read_only)
        try:
            health.check_tables(first, path)  # before WAL is written into another's file
        except BaseException:
            first.close()
            raise
        if not read_only:
            first.execute("PRAGMA journal_mode=WAL")  # kept in the file: once is enough
        # No sqlite-utils plugins: nothing installed beside the app may hook into the store,
        # and looking for them scans every installed package's metadata at each start.
        super().__init__(first, recursive_triggers=False, execute_plugins=False)

    @property
    def conn(self) -> sqlite3.Connection:
        thread = threading.get_ident()
        connection = self._connections.get(thread)
        if connection is None:
            connection = self._connections[thread] = _open(self.path, self.read_only)
        return connection

    @conn.setter
    def conn(self, connection: sqlite3.Connection) -> None:
        self._connections[threading.get_ident()] = connection

    def close(self) -> None:
        """Close this thread's connection and let go of the others: a connection may only be
        closed by its own thread, and dropping the last reference to it closes it."""
        own = self._connections.pop(threading.get_ident(), None)
        self._connections.clear()
        if own is not None:
            own.close()


def connect(path: Path, *, read_only: bool = False) -> ThreadConfinedDatabase:
    """Open (or create) the store at ``path`` with the durability pragmas and current schema.

    ``read_only`` opens a store on a medium that cannot be written (a write-protected stick,
    a CD, a read-only share) for reading: SQLite is told the file will not change, since it
    could not keep its shared-memory file beside it, and nothing is migrated."""
    db = ThreadConfinedDatabase(path, read_only=read_only)
    if read_only:
        if migrations.pending(db):
            db.close()
            raise CoreError("workspace.read_only", folder=str(path.parent))
        return db
    migrations.apply(db)
    health.protect_file(path)
    return db


def _open(path: Path, read_only: bool = False) -> sqlite3.Connection:
    """A connection with the settings SQLite keeps per connection."""
    if read_only:
        uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
        connection = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=30)
        connection.execute("PRAGMA query_only=ON")
        return connection
    connection = sqlite3.connect(path, isolation_level=None, timeout=30)
    connection.execute("PRAGMA synchronous=FULL")
    connection.execute("PRAGMA foreign_keys=ON")
    connection.execute("PRAGMA busy_timeout=30000")
    connection.execute("PRAGMA recursive_triggers=ON")
    # A replaced secret (a key sealed under an old passphrase) is zeroed on the page rather
    # than left in free space, where a backup would copy it.
    connection.execute("PRAGMA secure_delete=ON")
    return connection


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


@migrations()
def m002_register_keys_and_bundles(db: Database) -> None:
    run_script(
        db,
        """
        CREATE TABLE document_numbers (
            office_code TEXT NOT NULL,
            type_abbr TEXT NOT NULL,
            cycle TEXT NOT NULL,
            number INTEGER NOT NULL,
            report_id TEXT NOT NULL,
            revision INTEGER NOT NULL,
            issued_on TEXT NOT NULL,
            taken_at TEXT NOT NULL,
            PRIMARY KEY (office_code, type_abbr, cycle, number),
            UNIQUE (report_id, revision)
        );
        CREATE TABLE office_keys (
            key_id TEXT PRIMARY KEY,
            public_key BLOB NOT NULL,
            sealed BLOB NOT NULL,
            created_at TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('active', 'retired')),
            rotation_statement BLOB
        );
        CREATE UNIQUE INDEX office_keys_one_active ON office_keys(status) WHERE status = 'active';
        CREATE TABLE trusted_keys (
            key_id TEXT PRIMARY KEY,
            office_code TEXT NOT NULL,
            office_name TEXT NOT NULL,
            public_key BLOB NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('unit', 'issuer')),
            added_at TEXT NOT NULL,
            confirmed_by TEXT NOT NULL,
            revoked_after_seq INTEGER
        );
        CREATE TABLE pending_keys (
            key_id TEXT PRIMARY KEY,
            office_code TEXT NOT NULL,
            first_seen TEXT NOT NULL,
            bundle_sha256 TEXT NOT NULL
        );
        CREATE TABLE outbox (
            seq INTEGER PRIMARY KEY,
            bundle_id TEXT NOT NULL UNIQUE,
            file_name TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            manifest_sha256 TEXT NOT NULL,
            recipient_code TEXT NOT NULL,
            created_at TEXT NOT NULL,
            content BLOB NOT NULL,
            receipt_status TEXT,
            receipt_at TEXT
        );
        CREATE TABLE outbox_reports (
            seq INTEGER NOT NULL REFERENCES outbox(seq),
            report_id TEXT NOT NULL,
            revision INTEGER NOT NULL,
            PRIMARY KEY (seq, report_id)
        );
        CREATE TABLE inbox_ledger (
            id INTEGER PRIMARY KEY,
            received_at TEXT NOT NULL,
            file_name TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            sender_code TEXT,
            seq INTEGER,
            manifest_sha256 TEXT,
            status TEXT NOT NULL CHECK (status IN ('accepted', 'refused', 'pending')),
            code TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT ''
        );
        CREATE UNIQUE INDEX inbox_accepted_sha ON inbox_ledger(sha256) WHERE status = 'accepted';
        CREATE UNIQUE INDEX inbox_accepted_seq
            ON inbox_ledger(sender_code, seq) WHERE status = 'accepted';
        CREATE TABLE quarantine (
            sha256 TEXT PRIMARY KEY,
            file_name TEXT NOT NULL,
            stored_as TEXT NOT NULL,
            code TEXT NOT NULL,
            received_at TEXT NOT NULL
        );
        CREATE TABLE received_revisions (
            report_id TEXT NOT NULL,
            revision INTEGER NOT NULL,
            ledger_id INTEGER NOT NULL REFERENCES inbox_ledger(id),
            manifest_sha256 TEXT NOT NULL,
            approved_at TEXT NOT NULL,
            imported_at TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'accepted' CHECK (state IN ('accepted', 'returned')),
            PRIMARY KEY (report_id, revision),
            FOREIGN KEY (report_id, revision) REFERENCES revisions(report_id, revision)
        );
        CREATE TABLE config_packages (
            version INTEGER PRIMARY KEY,
            issuer_code TEXT NOT NULL,
            issuer_key_id TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            direction TEXT NOT NULL CHECK (direction IN ('built', 'installed')),
            at TEXT NOT NULL
        )
        """,
    )


@migrations()
def m003_approval_signature_and_chain(db: Database) -> None:
    run_script(
        db,
        """
        ALTER TABLE revisions ADD COLUMN approval_key_id TEXT;
        ALTER TABLE revisions ADD COLUMN approval_signature TEXT;
        ALTER TABLE inbox_ledger ADD COLUMN prev_manifest_sha256 TEXT;
        ALTER TABLE outbox ADD COLUMN prev_manifest_sha256 TEXT
        """,
    )


@migrations()
def m004_consolidation(db: Database) -> None:
    """The totals a consolidated report was prefilled with, kept beside any later edit."""
    run_script(
        db,
        """
        CREATE TABLE consolidation_sources (
            report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
            indicator_id TEXT NOT NULL,
            original_value TEXT NOT NULL,
            units_count INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (report_id, indicator_id)
        )
        """,
    )


@migrations()
def m005_receipts_sent(db: Database) -> None:
    run_script(
        db,
        """
        CREATE TABLE receipt_items (
            receipt_id TEXT NOT NULL,
            unit_code TEXT NOT NULL,
            report_id TEXT NOT NULL,
            revision INTEGER NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('accepted', 'returned')),
            sent_at TEXT NOT NULL,
            PRIMARY KEY (receipt_id, report_id, revision)
        )
        """,
    )


@migrations()
def m006_received_reports_can_be_withdrawn(db: Database) -> None:
    """A received revision may be ``withdrawn`` by the upper office (a report it cannot use,
    whatever the unit does next): it stays stored, but counts nowhere. SQLite cannot widen a
    CHECK in place, so the table is rebuilt with the same rows."""
    run_script(
        db,
        """
        CREATE TABLE received_revisions_new (
            report_id TEXT NOT NULL,
            revision INTEGER NOT NULL,
            ledger_id INTEGER NOT NULL REFERENCES inbox_ledger(id),
            manifest_sha256 TEXT NOT NULL,
            approved_at TEXT NOT NULL,
            imported_at TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'accepted'
                CHECK (state IN ('accepted', 'returned', 'withdrawn')),
            PRIMARY KEY (report_id, revision),
            FOREIGN KEY (report_id, revision) REFERENCES revisions(report_id, revision)
        );
        INSERT INTO received_revisions_new SELECT * FROM received_revisions;
        DROP TABLE received_revisions;
        ALTER TABLE received_revisions_new RENAME TO received_revisions
        """,
    )


@migrations()
def m007_received_pdfs(db: Database) -> None:
    """Each received report's PDF exactly as its sender signed it, stored once under its hash."""
    run_script(
        db,
        """
        CREATE TABLE received_pdfs (
            sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
            content BLOB NOT NULL
        );
        CREATE TABLE received_report_pdfs (
            report_id TEXT NOT NULL,
            revision INTEGER NOT NULL,
            sha256 TEXT NOT NULL REFERENCES received_pdfs(sha256),
            PRIMARY KEY (report_id, revision),
            FOREIGN KEY (report_id, revision) REFERENCES received_revisions(report_id, revision)
        )
        """,
    )


@migrations()
def m008_recipient_lists(db: Database) -> None:
    """Who a report is sent to: each office's defaults (report_id '') and per-report lists."""
    run_script(
        db,
        """
        CREATE TABLE recipient_lists (
            office_code TEXT NOT NULL,
            report_id TEXT NOT NULL DEFAULT '',
            body TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (office_code, report_id)
        )
        """,
    )


@migrations()
def m009_pdf_signatures(db: Database) -> None:
    """Issue 15: the CAs an office trusts beyond the shipped ones, the token-signed PDF of an
    approved revision (the one its bundle carries), and what a received PDF's signatures were
    found to be on import."""
    run_script(
        db,
        """
        CREATE TABLE signing_trust_anchors (
            sha256 TEXT PRIMARY KEY,
            subject TEXT NOT NULL,
            der BLOB NOT NULL,
            source TEXT NOT NULL,
            added_at TEXT NOT NULL
        );
        CREATE TABLE signed_pdfs (
            report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
            revision INTEGER NOT NULL,
            content BLOB NOT NULL,
            signed_at TEXT NOT NULL,
            PRIMARY KEY (report_id, revision)
        );
        CREATE TABLE pdf_signatures (
            report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
            revision INTEGER NOT NULL,
            position INTEGER NOT NULL,
            signer TEXT NOT NULL,
            organisation TEXT NOT NULL,
            signed_at TEXT NOT NULL,
            intact INTEGER NOT NULL,
            trusted INTEGER NOT NULL,
            reason TEXT NOT NULL,
            PRIMARY KEY (report_id, revision, position)
        )
        """,
    )


@migrations()
def m010_table_cells_and_list_rows(db: Database) -> None:
    """Format-2 templates: grid cells and list rows per revision (issue 14)."""
    run_script(
        db,
        """
        CREATE TABLE report_cells (
            report_id TEXT NOT NULL,
            revision INTEGER NOT NULL,
            grid_id TEXT NOT NULL,
            row_id TEXT NOT NULL,
            column_id TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (report_id, revision, grid_id, row_id, column_id),
            FOREIGN KEY (report_id, revision) REFERENCES revisions(report_id, revision)
        );
        CREATE TABLE report_list_rows (
            report_id TEXT NOT NULL,
            revision INTEGER NOT NULL,
            list_id TEXT NOT NULL,
            position INTEGER NOT NULL,
            row_json TEXT NOT NULL,
            PRIMARY KEY (report_id, revision, list_id, position),
            FOREIGN KEY (report_id, revision) REFERENCES revisions(report_id, revision)
        )
        """,
    )


@migrations()
def m011_published_files_and_deliveries(db: Database) -> None:
    """Issue 16: the signed files the receiving service hands out (every configuration package
    and receipt built, so a unit can fetch what it missed by ``sync``), and how each outbox
    bundle left (uploaded or written to a stick). The two indexes keep building a unit's
    receipt at each upload from scanning every receipt ever sent."""
    run_script(
        db,
        """
        CREATE TABLE published_files (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('config', 'receipt')),
            unit_code TEXT,
            file_name TEXT NOT NULL,
            sha256 TEXT NOT NULL UNIQUE,
            data BLOB NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX published_files_unit ON published_files (kind, unit_code, id);
        CREATE INDEX received_revisions_ledger ON received_revisions (ledger_id);
        CREATE INDEX receipt_items_report ON receipt_items (report_id, revision, status);
        CREATE TABLE outbox_deliveries (
            id INTEGER PRIMARY KEY,
            seq INTEGER NOT NULL REFERENCES outbox(seq),
            how TEXT NOT NULL CHECK (how IN ('online', 'usb')),
            target TEXT NOT NULL,
            at TEXT NOT NULL
        )
        """,
    )


@migrations()
def m012_trust_anchors_from_packages_and_seal(db: Database) -> None:
    """Issue 15: a trusted CA may come from the issuer's configuration package (``issuer_code``
    names it, so its next package replaces its set; NULL for a CA this office added, with the
    package's ``name`` for it), and the office's seal image drawn in the organisation's
    visible signature (one row at most)."""
    run_script(
        db,
        """
        ALTER TABLE signing_trust_anchors ADD COLUMN issuer_code TEXT;
        ALTER TABLE signing_trust_anchors ADD COLUMN name TEXT NOT NULL DEFAULT '';
        CREATE TABLE signing_seal (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            png BLOB NOT NULL,
            set_at TEXT NOT NULL
        )
        """,
    )


@migrations()
def m013_request_nonces(db: Database) -> None:
    """Issue 16: the nonces of the request statements the receiving service honoured, kept
    while the statement could still pass the time check, so none is honoured twice."""
    run_script(
        db,
        """
        CREATE TABLE request_nonces (
            nonce TEXT PRIMARY KEY,
            office_code TEXT NOT NULL,
            keep_until REAL NOT NULL
        );
        CREATE INDEX request_nonces_keep_until ON request_nonces (keep_until)
        """,
    )
