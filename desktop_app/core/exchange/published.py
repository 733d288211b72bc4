"""What travels by the receiving service (issue 16), on its stored side.

At the upper office: every configuration package and receipt built is kept, so the service can
hand out the newest package and each unit's receipts, including those it missed while the line
was down. At the lower office: the service's address (from the configuration package), the last
receipt fetched, and how each outbox bundle left — uploaded or written to a stick.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from desktop_app.core.clock import timestamp
from desktop_app.core.exchange.formats.packages import BuiltPackage, ServiceAddress

CONFIG, RECEIPT = "config", "receipt"
ONLINE, USB = "online", "usb"
_SERVICE_URL = "online.service_url"
_SERVICE_TLS = "online.service_tls_sha256"
_RECEIPTS_AFTER = "online.receipts_after"
_ANNOUNCED_URL = "online.announced_url"
_ANNOUNCED_TLS = "online.announced_tls_sha256"


@dataclass(frozen=True)
class PublishedFile:
    id: int
    kind: str
    unit_code: str | None
    file_name: str
    data: bytes


@dataclass(frozen=True)
class Delivery:
    """One way an outbox bundle left: ``how`` is ONLINE (``target`` the service address) or
    USB (``target`` the folder)."""

    seq: int
    how: str
    target: str
    at: str


# --- upper office: the files handed out ------------------------------------------------------


def keep(db: Database, kind: str, built: BuiltPackage, unit_code: str | None = None) -> None:
    """Keep a built package or receipt for the service (the caller holds the transaction)."""
    db.execute(
        "INSERT OR IGNORE INTO published_files (kind, unit_code, file_name, sha256, data, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?)",
        [kind, unit_code, built.file_name, built.sha256, built.data, timestamp()],
    )


def newest_config(db: Database) -> PublishedFile | None:
    row = db.execute(
        "SELECT id, kind, unit_code, file_name, data FROM published_files "
        "WHERE kind = ? ORDER BY id DESC LIMIT 1",
        [CONFIG],
    ).fetchone()
    return PublishedFile(row[0], row[1], row[2], row[3], bytes(row[4])) if row else None


def receipts_for(db: Database, unit_code: str, after_id: int = 0) -> list[PublishedFile]:
    rows = db.execute(
        "SELECT id, kind, unit_code, file_name, data FROM published_files "
        "WHERE kind = ? AND unit_code = ? AND id > ? ORDER BY id",
        [RECEIPT, unit_code, after_id],
    ).fetchall()
    return [PublishedFile(r[0], r[1], r[2], r[3], bytes(r[4])) for r in rows]


def newest_receipt(db: Database, unit_code: str) -> PublishedFile | None:
    row = db.execute(
        "SELECT id, kind, unit_code, file_name, data FROM published_files "
        "WHERE kind = ? AND unit_code = ? ORDER BY id DESC LIMIT 1",
        [RECEIPT, unit_code],
    ).fetchone()
    return PublishedFile(row[0], row[1], row[2], row[3], bytes(row[4])) if row else None


def announce(db: Database, service: ServiceAddress | None) -> None:
    """The address the next configuration packages carry (None: they carry none)."""
    _set(db, _ANNOUNCED_URL, service.url if service else None)
    _set(db, _ANNOUNCED_TLS, service.tls_certificate_sha256 if service else None)


def announced(db: Database) -> ServiceAddress | None:
    url = _get(db, _ANNOUNCED_URL)
    return ServiceAddress(url, _get(db, _ANNOUNCED_TLS)) if url else None


# --- lower office: the service above, receipts fetched, deliveries ---------------------------


def remember_service(db: Database, service: ServiceAddress | None) -> None:
    """What the newest installed package says about the service (None: it runs none)."""
    _set(db, _SERVICE_URL, service.url if service else None)
    _set(db, _SERVICE_TLS, service.tls_certificate_sha256 if service else None)


def service(db: Database) -> ServiceAddress | None:
    url = _get(db, _SERVICE_URL)
    return ServiceAddress(url, _get(db, _SERVICE_TLS)) if url else None


def receipts_after(db: Database) -> int:
    return int(_get(db, _RECEIPTS_AFTER) or 0)


def set_receipts_after(db: Database, published_id: int) -> None:
    _set(db, _RECEIPTS_AFTER, str(published_id))


def record_delivery(db: Database, seq: int, how: str, target: str) -> None:
    db.execute(
        "INSERT INTO outbox_deliveries (seq, how, target, at) VALUES (?, ?, ?, ?)",
        [seq, how, target, timestamp()],
    )


def deliveries(db: Database, seqs: Sequence[int] | None = None) -> list[Delivery]:
    rows = db.execute("SELECT seq, how, target, at FROM outbox_deliveries ORDER BY id").fetchall()
    wanted = None if seqs is None else set(seqs)
    return [Delivery(*row) for row in rows if wanted is None or row[0] in wanted]


def _get(db: Database, key: str) -> str | None:
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return str(row[0]) if row and row[0] is not None else None


def _set(db: Database, key: str, value: str | None) -> None:
    if value is None:
        db.execute("DELETE FROM settings WHERE key = ?", [key])
    else:
        db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", [key, value])
