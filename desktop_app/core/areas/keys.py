"""``ws.keys``: this office's signing key and the keys it trusts."""

from __future__ import annotations

from collections.abc import Callable

from desktop_app.core.exchange import keyring
from desktop_app.core.exchange.formats.keys import KdfCost, PublicKeyFile
from desktop_app.core.model import offices
from desktop_app.core.model.offices import Office
from desktop_app.core.reports.records import audit
from desktop_app.core.store.database import write_transaction
from desktop_app.core.store.live import LiveStore


class Keys:
    def __init__(
        self,
        live: LiveStore,
        kdf_cost: KdfCost,
        on_secret_changed: Callable[[], None] = lambda: None,
    ) -> None:
        self._live = live
        self._kdf_cost = kdf_cost
        # Called after the sealed key changed, so copies of the store (backups) follow.
        self._on_secret_changed = on_secret_changed

    def create(self, passphrase: str) -> keyring.KeyInfo:
        info = keyring.create(self._live.db, passphrase, self._kdf_cost)
        self._audit("key.created", info.key_id)
        return info

    def active(self) -> keyring.KeyInfo:
        return keyring.active_key(self._live.db)

    def change_passphrase(self, old: str, new: str) -> None:
        keyring.change_passphrase(self._live.db, old, new)
        self._audit("key.passphrase_changed", self.active().key_id)
        self._on_secret_changed()

    def rotate(self, old: str, new: str) -> tuple[keyring.KeyInfo, bytes]:
        """A new key, and the statement signed by the old one that the upper office accepts."""
        db = self._live.db
        office = offices.require_this_office(db)
        info, statement = keyring.rotate(db, office, old, new, self._kdf_cost)
        self._audit("key.rotated", info.key_id)
        self._on_secret_changed()
        return info, statement

    def public_key_file(self) -> bytes:
        db = self._live.db
        return keyring.public_key_file(db, offices.require_this_office(db))

    def read_key_file(self, data: bytes) -> PublicKeyFile:
        return keyring.read_public_key_file(data)

    def trust_unit(self, key_file: PublicKeyFile, office_code: str) -> keyring.TrustEntry:
        """Enrol a unit's key (after the fingerprint was compared with its paper sheet)."""
        db = self._live.db
        with write_transaction(db):
            if offices.get_office(db, office_code) is None:
                this = offices.require_this_office(db)
                offices.add_unit(
                    db,
                    Office(
                        code=office_code,
                        name=key_file.office_name,
                        level="commune",
                        block=this.block,
                        parent_code=this.code,
                    ),
                )
            entry = keyring.trust(db, key_file, "unit", self._live.actor, office_code)
            self._audit("trust.added", f"{office_code} {entry.key_id}")
        return entry

    def accept_rotation(self, statement: bytes) -> keyring.TrustEntry:
        entry = keyring.accept_rotation(self._live.db, statement, self._live.actor)
        self._audit("trust.rotated", f"{entry.office_code} {entry.key_id}")
        return entry

    def trust_list(self) -> list[keyring.TrustEntry]:
        return keyring.trust_list(self._live.db)

    def revoke(self, key_id: str, after_seq: int) -> None:
        keyring.revoke(self._live.db, key_id, after_seq)
        self._audit("trust.revoked", f"{key_id} > {after_seq}")

    def _audit(self, action: str, value: str) -> None:
        db = self._live.db
        with write_transaction(db):
            audit(db, self._live.actor, action, new_value=value)
