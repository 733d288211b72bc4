"""This office's signing key and its trust list of other offices' keys, in the store.

The private key is kept only sealed under the head's passphrase (``signing.keys``); it is
unsealed in memory for one act — approve, export, build a package — and dropped. The trust
list holds the public keys this office accepts: its units' keys (enrolled after comparing the
fingerprint with the paper sheet) and the issuer above it (pinned the first time a
configuration package is installed).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from desktop_app.core.clock import timestamp
from desktop_app.core.errors import CoreError
from desktop_app.core.exchange.formats import keys
from desktop_app.core.exchange.formats.bundle import TrustedKey
from desktop_app.core.model.offices import Office
from desktop_app.core.store.database import write_transaction


@dataclass(frozen=True)
class KeyInfo:
    key_id: str
    public_raw: bytes
    fingerprint: str
    created_at: str


@dataclass(frozen=True)
class TrustEntry:
    key_id: str
    office_code: str
    office_name: str
    role: str
    fingerprint: str
    added_at: str
    revoked_after_seq: int | None


def _sealed(db: Database) -> keys.SealedKey:
    row = db.execute("SELECT sealed FROM office_keys WHERE status = 'active'").fetchone()
    if row is None:
        raise CoreError("key.none")
    try:
        return keys.SealedKey.from_bytes(row[0])
    except keys.KeyFileError as error:
        raise CoreError("key.damaged") from error


def active_key(db: Database) -> KeyInfo:
    sealed = _sealed(db)
    return KeyInfo(
        sealed.key_id, sealed.public_raw, keys.fingerprint(sealed.public_raw), sealed.created_at
    )


def has_key(db: Database) -> bool:
    return db.execute("SELECT 1 FROM office_keys WHERE status = 'active'").fetchone() is not None


def create(db: Database, passphrase: str, cost: keys.KdfCost) -> KeyInfo:
    _check_new_passphrase(passphrase)
    if has_key(db):
        raise CoreError("key.exists")
    sealed = keys.create_key(passphrase, cost=cost)
    with write_transaction(db):
        _store(db, sealed)
    return active_key(db)


def _store(db: Database, sealed: keys.SealedKey, rotation: bytes | None = None) -> None:
    db.table("office_keys").insert(
        {
            "key_id": sealed.key_id,
            "public_key": sealed.public_raw,
            "sealed": sealed.to_bytes(),
            "created_at": sealed.created_at,
            "status": "active",
            "rotation_statement": rotation,
        }
    )


def unlock(db: Database, passphrase: str) -> keys.OfficeKey:
    """The private key in memory; a wrong passphrase changes nothing."""
    try:
        return keys.unseal(_sealed(db), passphrase)
    except keys.WrongPassphrase as error:
        raise CoreError("key.wrong_passphrase") from error
    except keys.KeyFileError as error:
        raise CoreError("key.damaged") from error


def change_passphrase(db: Database, old: str, new: str) -> None:
    _check_new_passphrase(new)
    sealed = _sealed(db)
    try:
        resealed = keys.change_passphrase(sealed, old, new)
    except keys.WrongPassphrase as error:
        raise CoreError("key.wrong_passphrase") from error
    with write_transaction(db):
        db.execute(
            "UPDATE office_keys SET sealed = ? WHERE key_id = ?",
            [resealed.to_bytes(), sealed.key_id],
        )


def rotate(
    db: Database, office: Office, old_passphrase: str, new_passphrase: str, cost: keys.KdfCost
) -> tuple[KeyInfo, bytes]:
    """A new key replacing the active one, announced by a statement both keys sign."""
    _check_new_passphrase(new_passphrase)
    old_key = unlock(db, old_passphrase)
    new_sealed = keys.create_key(new_passphrase, cost=cost)
    new_key = keys.unseal(new_sealed, new_passphrase)
    statement = keys.make_rotation_statement(
        old_key,
        new_key,
        office_code=office.code,
        office_name=office.name,
        effective_seq=next_outbox_seq(db),
        created_at=timestamp(),
    )
    with write_transaction(db):
        # The retired key signs nothing more: its sealed copy goes, so the old passphrase
        # opens nothing here or in a backup (the backups are rewritten by the workspace).
        db.execute(
            "UPDATE office_keys SET status = 'retired', sealed = x'' WHERE status = 'active'"
        )
        _store(db, new_sealed, statement)
    return active_key(db), statement


def next_outbox_seq(db: Database) -> int:
    row = db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM outbox").fetchone()
    return int(row[0])


def public_key_file(db: Database, office: Office) -> bytes:
    info = active_key(db)
    return keys.export_public_key(info.public_raw, office.code, office.name, info.created_at)


def _check_new_passphrase(passphrase: str) -> None:
    if len(passphrase) < 8:
        raise CoreError("key.passphrase_too_short", minimum=8)


# --- trust list ------------------------------------------------------------------------------


def read_public_key_file(data: bytes) -> keys.PublicKeyFile:
    try:
        return keys.import_public_key(data)
    except keys.KeyFileError as error:
        raise CoreError("key.public_file_invalid", reason=error.reason) from error


def trust(
    db: Database, key_file: keys.PublicKeyFile, role: str, confirmed_by: str, expected_code: str
) -> TrustEntry:
    """Add a key after the clerk compared its fingerprint with the paper sheet."""
    if key_file.office_code != expected_code:
        raise CoreError("trust.office_mismatch", file_code=key_file.office_code, code=expected_code)
    with write_transaction(db):
        _add_trusted(
            db,
            key_id=key_file.key_id,
            office_code=key_file.office_code,
            office_name=key_file.office_name,
            public_key=key_file.public_raw,
            role=role,
            confirmed_by=confirmed_by,
        )
        db.execute("DELETE FROM pending_keys WHERE key_id = ?", [key_file.key_id])
    return next(e for e in trust_list(db) if e.key_id == key_file.key_id)


def _add_trusted(db: Database, **row: object) -> None:
    """Trust a key, or refresh the entry of one already trusted. A revocation is never
    lifted: a revoked key sent again (by mistake or by whoever stole it) stays revoked."""
    columns = [*row, "added_at"]
    values = [*row.values(), timestamp()]
    marks = ", ".join("?" for _ in columns)
    db.execute(
        f"INSERT INTO trusted_keys ({', '.join(columns)}) VALUES ({marks}) "
        "ON CONFLICT(key_id) DO UPDATE SET office_name = excluded.office_name, "
        "confirmed_by = excluded.confirmed_by",
        values,
    )


def trust_list(db: Database) -> list[TrustEntry]:
    rows = db.execute(
        "SELECT key_id, office_code, office_name, role, added_at, revoked_after_seq "
        "FROM trusted_keys ORDER BY role, office_code"
    ).fetchall()
    return [
        TrustEntry(key_id, code, name, role, keys.fingerprint_of_key_id(key_id), added, revoked)
        for key_id, code, name, role, added, revoked in rows
    ]


def revoke(db: Database, key_id: str, after_seq: int) -> None:
    """The key signs nothing with a sequence number above ``after_seq`` (no clock needed)."""
    if after_seq < 0:
        raise CoreError("trust.bad_sequence", seq=after_seq)
    with write_transaction(db):
        cursor = db.execute(
            "UPDATE trusted_keys SET revoked_after_seq = ? WHERE key_id = ?", [after_seq, key_id]
        )
        if cursor.rowcount == 0:
            raise CoreError("trust.unknown_key", key_id=key_id)


def accept_rotation(db: Database, statement_bytes: bytes, confirmed_by: str) -> TrustEntry:
    """A rotation statement co-signed by a trusted old key and its new key (a unit's, or the
    issuer's above): the new key takes the old one's place from the statement's sequence
    number on, and the old one is no longer valid after it."""
    statement = _verified_rotation(db, statement_bytes)
    old = trusted_key(db, statement.old_key_id)
    role = db.execute(
        "SELECT role FROM trusted_keys WHERE key_id = ?", [statement.old_key_id]
    ).fetchone()
    assert old is not None and role is not None
    if old.office_code != statement.office_code:
        raise CoreError(
            "trust.office_mismatch", file_code=statement.office_code, code=old.office_code
        )
    with write_transaction(db):
        _add_trusted(
            db,
            key_id=statement.new_key_id,
            office_code=statement.office_code,
            office_name=statement.office_name,
            public_key=statement.new_public_raw,
            role=role[0],
            confirmed_by=confirmed_by,
        )
        db.execute(
            "UPDATE trusted_keys SET revoked_after_seq = ? WHERE key_id = ?",
            [statement.effective_seq - 1, statement.old_key_id],
        )
    return next(e for e in trust_list(db) if e.key_id == statement.new_key_id)


def _verified_rotation(db: Database, statement_bytes: bytes) -> keys.RotationStatement:
    """The statement checked against whichever trusted key it names as the old one."""
    rows = db.execute(
        "SELECT public_key FROM trusted_keys WHERE revoked_after_seq IS NULL"
    ).fetchall()
    for (public_raw,) in rows:
        try:
            return keys.verify_rotation_statement(statement_bytes, bytes(public_raw))
        except keys.RotationInvalid:
            continue
    raise CoreError("key.rotation_invalid")


def trusted_key(db: Database, key_id: str) -> TrustedKey | None:
    row = db.execute(
        "SELECT key_id, office_code, public_key, revoked_after_seq "
        "FROM trusted_keys WHERE key_id = ?",
        [key_id],
    ).fetchone()
    return TrustedKey(row[0], row[1], bytes(row[2]), row[3]) if row else None


def issuer_key(db: Database) -> TrustedKey | None:
    row = db.execute(
        "SELECT key_id FROM trusted_keys WHERE role = 'issuer' AND revoked_after_seq IS NULL"
    ).fetchone()
    return trusted_key(db, row[0]) if row else None
