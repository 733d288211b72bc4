"""The office's Ed25519 key: sealing under a passphrase, ids, fingerprints, key files, rotation.

The private key exists unsealed only in memory (``OfficeKey``); on disk it is always a sealed key
file: Argon2id derives a 32-byte key from the head's passphrase and ChaCha20-Poly1305 encrypts the
32-byte Ed25519 seed. File formats are in ``docs/bundle-format.md`` §5–§7.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from desktop_app.core.errors import ReasonedError
from desktop_app.core.exchange.formats import dsse
from desktop_app.core.model import strictjson
from desktop_app.core.model.offices import OFFICE_CODE

# The cryptography imports sit in the functions that use them: the signing stack loads when a
# key is first used, not when the window or the CLI starts.
if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

SEALED_FORMAT = "baocao-sealed-key"
PUBLIC_FORMAT = "baocao-public-key"
ROTATION_FORMAT = "baocao-key-rotation"
FORMAT_VERSION = 1
SALT_BYTES = 16
NONCE_BYTES = 12
SEED_BYTES = 32
PUBLIC_KEY_BYTES = 32
MAX_KEY_FILE_BYTES = 64 * 1024
_KEY_ID = re.compile(r"[0-9a-f]{64}")
_RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?([+-]\d\d:\d\d|Z)")


class KeyFileError(ReasonedError, ValueError):
    """A key file or statement was refused; ``reason`` is an English note for the log."""

    code = "key.file_invalid"


class SealedKeyDamaged(KeyFileError):
    code = "key.sealed_damaged"


class WrongPassphrase(KeyFileError):
    code = "key.wrong_passphrase"


class PublicKeyFileInvalid(KeyFileError):
    code = "key.public_file_invalid"


class RotationInvalid(KeyFileError):
    code = "key.rotation_invalid"


@dataclass(frozen=True)
class KdfCost:
    """Argon2id cost. The app writes ``DEFAULT_COST``; tests may pass a cheaper one."""

    memory_kib: int
    iterations: int
    lanes: int

    def check_bounds(self) -> None:
        """Refuse costs that are malformed or big enough to hang the machine."""
        if not (1 <= self.lanes <= 16 and 1 <= self.iterations <= 64):
            raise SealedKeyDamaged("Argon2id iterations or lanes out of range")
        if not 8 * self.lanes <= self.memory_kib <= 4 * 1024 * 1024:
            raise SealedKeyDamaged("Argon2id memory out of range")


DEFAULT_COST = KdfCost(memory_kib=64 * 1024, iterations=3, lanes=4)
"""The design minimum (DESIGN §7): 64 MiB, 3 passes."""


class OfficeKey:
    """An unsealed Ed25519 private key, held in memory only. Implements ``dsse.Signer``."""

    def __init__(self, private: Ed25519PrivateKey) -> None:
        from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

        self._private = private
        self.public_raw = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    @classmethod
    def generate(cls) -> OfficeKey:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        return cls(Ed25519PrivateKey.generate())

    @property
    def key_id(self) -> str:
        return key_id(self.public_raw)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_raw)

    def sign(self, message: bytes) -> bytes:
        return self._private.sign(message)

    def __repr__(self) -> str:
        return f"OfficeKey(key_id={self.key_id[:16]}…)"

    def _seed(self) -> bytes:
        return self._private.private_bytes_raw()


@dataclass(frozen=True)
class SealedKey:
    """The private key as stored: the seed encrypted under a passphrase-derived key."""

    key_id: str
    public_raw: bytes
    created_at: str
    cost: KdfCost
    salt: bytes
    nonce: bytes
    ciphertext: bytes

    def to_bytes(self) -> bytes:
        return strictjson.canonical_bytes(
            {
                "format": SEALED_FORMAT,
                "format_version": FORMAT_VERSION,
                "key_id": self.key_id,
                "public_key": _b64(self.public_raw),
                "created_at": self.created_at,
                "kdf": {
                    "name": "argon2id",
                    "memory_kib": self.cost.memory_kib,
                    "iterations": self.cost.iterations,
                    "lanes": self.cost.lanes,
                    "salt": _b64(self.salt),
                },
                "aead": {"name": "chacha20-poly1305", "nonce": _b64(self.nonce)},
                "ciphertext": _b64(self.ciphertext),
            }
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> SealedKey:
        """Read a sealed key file; raise ``SealedKeyDamaged`` if it is not one."""
        try:
            return _sealed_from_document(_strict_document(data))
        except KeyFileError as error:
            raise SealedKeyDamaged(error.reason) from error


@dataclass(frozen=True)
class PublicKeyFile:
    """An office's public key as exported for enrolment."""

    office_code: str
    office_name: str
    key_id: str
    public_raw: bytes
    created_at: str

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_raw)


@dataclass(frozen=True)
class RotationStatement:
    """A verified statement that ``new_key_id`` replaces ``old_key_id`` from ``effective_seq``."""

    office_code: str
    office_name: str
    old_key_id: str
    new_key_id: str
    new_public_raw: bytes
    effective_seq: int
    created_at: str


# --- ids and fingerprints -------------------------------------------------------------------


def key_id(public_raw: bytes) -> str:
    """Lowercase hex SHA-256 of the 32-byte raw public key."""
    _require_public_raw(public_raw)
    return hashlib.sha256(public_raw).hexdigest()


def fingerprint(public_raw: bytes) -> str:
    """30 digits in 6 groups of 5 for people to compare (DESIGN §7)."""
    return fingerprint_of_key_id(key_id(public_raw))


def fingerprint_of_key_id(key_id_hex: str) -> str:
    """The fingerprint from a key id alone (e.g. to show an unknown signer's E07 hint)."""
    if not _KEY_ID.fullmatch(key_id_hex):
        raise ValueError("not a key id")
    digest = bytes.fromhex(key_id_hex)
    groups = (int.from_bytes(digest[5 * i : 5 * i + 5], "big") % 100000 for i in range(6))
    return " ".join(f"{group:05d}" for group in groups)


# --- sealing --------------------------------------------------------------------------------


def create_key(
    passphrase: str, *, cost: KdfCost = DEFAULT_COST, created_at: datetime | None = None
) -> SealedKey:
    """A new office key, returned sealed under ``passphrase``."""
    return seal(OfficeKey.generate(), passphrase, cost=cost, created_at=_timestamp(created_at))


def seal(key: OfficeKey, passphrase: str, *, cost: KdfCost, created_at: str) -> SealedKey:
    """Encrypt ``key`` under ``passphrase`` with a fresh salt and nonce."""
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    cost.check_bounds()
    if not passphrase:
        raise ValueError("the passphrase is empty")
    salt, nonce = os.urandom(SALT_BYTES), os.urandom(NONCE_BYTES)
    aead = ChaCha20Poly1305(_derive(passphrase, salt, cost))
    ciphertext = aead.encrypt(nonce, key._seed(), _associated_data(key.key_id))
    return SealedKey(key.key_id, key.public_raw, created_at, cost, salt, nonce, ciphertext)


def unseal(sealed: SealedKey, passphrase: str) -> OfficeKey:
    """The private key, in memory. Raises ``WrongPassphrase`` and changes nothing if wrong."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    sealed.cost.check_bounds()
    aead = ChaCha20Poly1305(_derive(passphrase, sealed.salt, sealed.cost))
    try:
        seed = aead.decrypt(sealed.nonce, sealed.ciphertext, _associated_data(sealed.key_id))
    except InvalidTag as error:
        raise WrongPassphrase("the passphrase does not open this key") from error
    key = OfficeKey(Ed25519PrivateKey.from_private_bytes(seed))
    if key.public_raw != sealed.public_raw or key.key_id != sealed.key_id:
        raise SealedKeyDamaged("the sealed seed does not match the stored public key")
    return key


def change_passphrase(
    sealed: SealedKey, old: str, new: str, *, cost: KdfCost | None = None
) -> SealedKey:
    """The same key sealed under ``new`` with a fresh salt and nonce (default: the old cost)."""
    key = unseal(sealed, old)
    return seal(key, new, cost=cost or sealed.cost, created_at=sealed.created_at)


def _derive(passphrase: str, salt: bytes, cost: KdfCost) -> bytes:
    from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

    secret = unicodedata.normalize("NFC", passphrase).encode("utf-8")
    kdf = Argon2id(
        salt=salt,
        length=32,
        iterations=cost.iterations,
        lanes=cost.lanes,
        memory_cost=cost.memory_kib,
    )
    return kdf.derive(secret)


def _associated_data(key_id_hex: str) -> bytes:
    """Binds the ciphertext to this file format and this key id."""
    return f"{SEALED_FORMAT}:{FORMAT_VERSION}:{key_id_hex}".encode("ascii")


def _sealed_from_document(document: Mapping[str, Any]) -> SealedKey:
    _exact_fields(
        document,
        {
            "format",
            "format_version",
            "key_id",
            "public_key",
            "created_at",
            "kdf",
            "aead",
            "ciphertext",
        },
    )
    _expect_format(document, SEALED_FORMAT)
    kdf, aead = document["kdf"], document["aead"]
    _exact_fields(kdf, {"name", "memory_kib", "iterations", "lanes", "salt"})
    _exact_fields(aead, {"name", "nonce"})
    if kdf["name"] != "argon2id" or aead["name"] != "chacha20-poly1305":
        raise KeyFileError("unknown KDF or cipher")
    cost = KdfCost(_int(kdf["memory_kib"]), _int(kdf["iterations"]), _int(kdf["lanes"]))
    cost.check_bounds()
    public_raw = _public_key_field(document)
    return SealedKey(
        key_id=_matching_key_id(document, public_raw),
        public_raw=public_raw,
        created_at=_timestamp_field(document),
        cost=cost,
        salt=_b64_field(kdf, "salt", SALT_BYTES),
        nonce=_b64_field(aead, "nonce", NONCE_BYTES),
        ciphertext=_b64_field(document, "ciphertext", SEED_BYTES + 16),
    )


# --- public key files -----------------------------------------------------------------------


def export_public_key(
    public_raw: bytes, office_code: str, office_name: str, created_at: str
) -> bytes:
    """The public key file an office hands to the level above for enrolment."""
    _require_office(office_code, office_name)
    return strictjson.canonical_bytes(
        {
            "format": PUBLIC_FORMAT,
            "format_version": FORMAT_VERSION,
            "office": {"code": office_code, "name": office_name},
            "key_id": key_id(public_raw),
            "public_key": _b64(public_raw),
            "created_at": created_at,
        }
    )


def import_public_key(data: bytes) -> PublicKeyFile:
    """Read an untrusted public key file; raise ``PublicKeyFileInvalid`` if anything is off."""
    try:
        return _public_from_document(_strict_document(data))
    except KeyFileError as error:
        raise PublicKeyFileInvalid(error.reason) from error


def _public_from_document(document: Mapping[str, Any]) -> PublicKeyFile:
    _exact_fields(
        document, {"format", "format_version", "office", "key_id", "public_key", "created_at"}
    )
    _expect_format(document, PUBLIC_FORMAT)
    code, name = _office_field(document["office"])
    public_raw = _public_key_field(document)
    return PublicKeyFile(
        code, name, _matching_key_id(document, public_raw), public_raw, _timestamp_field(document)
    )


# --- rotation -------------------------------------------------------------------------------


def make_rotation_statement(
    old: OfficeKey,
    new: OfficeKey,
    *,
    office_code: str,
    office_name: str,
    effective_seq: int,
    created_at: str,
) -> bytes:
    """A DSSE envelope (``KEY_ROTATION_TYPE``) naming ``new`` as successor, signed by both keys."""
    _require_office(office_code, office_name)
    if effective_seq < 1:
        raise ValueError("effective_seq starts at 1")
    body = strictjson.canonical_bytes(
        {
            "format": ROTATION_FORMAT,
            "format_version": FORMAT_VERSION,
            "office": {"code": office_code, "name": office_name},
            "old_key_id": old.key_id,
            "new_key_id": new.key_id,
            "new_public_key": _b64(new.public_raw),
            "effective_seq": effective_seq,
            "created_at": created_at,
        }
    )
    return dsse.to_bytes(dsse.sign(dsse.KEY_ROTATION_TYPE, body, [old, new]))


def verify_rotation_statement(data: bytes, old_public_raw: bytes) -> RotationStatement:
    """Check a rotation statement against the trusted old key; the new key must co-sign."""
    try:
        envelope = dsse.parse(data, dsse.KEY_ROTATION_TYPE, max_bytes=MAX_KEY_FILE_BYTES)
        statement = _rotation_from_document(
            strictjson.parse(envelope.payload, max_bytes=MAX_KEY_FILE_BYTES, max_depth=3)
        )
    except (dsse.EnvelopeError, strictjson.StrictJSONError, KeyFileError) as error:
        raise RotationInvalid(str(error)) from error
    if statement.old_key_id != key_id(old_public_raw):
        raise RotationInvalid("the statement names another old key")
    keys = {statement.old_key_id: old_public_raw, statement.new_key_id: statement.new_public_raw}
    if dsse.verify(envelope, dsse.KEY_ROTATION_TYPE, keys) != frozenset(keys):
        raise RotationInvalid("the old and the new key must both sign")
    return statement


def _rotation_from_document(document: Any) -> RotationStatement:
    _exact_fields(
        document,
        {
            "format",
            "format_version",
            "office",
            "old_key_id",
            "new_key_id",
            "new_public_key",
            "effective_seq",
            "created_at",
        },
    )
    _expect_format(document, ROTATION_FORMAT)
    code, name = _office_field(document["office"])
    new_public = _b64_field(document, "new_public_key", PUBLIC_KEY_BYTES)
    if document["new_key_id"] != key_id(new_public):
        raise KeyFileError("new_key_id is not the hash of new_public_key")
    old_id = document["old_key_id"]
    if not isinstance(old_id, str) or not _KEY_ID.fullmatch(old_id):
        raise KeyFileError("old_key_id is not a key id")
    if old_id == document["new_key_id"]:
        raise KeyFileError("the new key equals the old one")
    effective_seq = _int(document["effective_seq"])
    if effective_seq < 1:
        raise KeyFileError("effective_seq starts at 1")
    return RotationStatement(
        office_code=code,
        office_name=name,
        old_key_id=old_id,
        new_key_id=key_id(new_public),
        new_public_raw=new_public,
        effective_seq=effective_seq,
        created_at=_timestamp_field(document),
    )


# --- small field readers --------------------------------------------------------------------


def _strict_document(data: bytes) -> Mapping[str, Any]:
    try:
        document = strictjson.parse(data, max_bytes=MAX_KEY_FILE_BYTES, max_depth=3)
    except strictjson.StrictJSONError as error:
        raise KeyFileError(error.reason) from error
    if not isinstance(document, dict):
        raise KeyFileError("not a JSON object")
    return document


def _exact_fields(value: Any, fields: set[str]) -> None:
    if not isinstance(value, dict) or set(value) != fields:
        raise KeyFileError(f"expected exactly the fields {sorted(fields)}")


def _expect_format(document: Mapping[str, Any], name: str) -> None:
    if document["format"] != name or _int(document["format_version"]) != FORMAT_VERSION:
        raise KeyFileError(f"not a {name} file of version {FORMAT_VERSION}")


def _int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise KeyFileError("expected an integer")
    return value


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _b64_field(document: Mapping[str, Any], field: str, length: int) -> bytes:
    value = document[field]
    try:
        decoded = base64.b64decode(value, validate=True) if isinstance(value, str) else b""
    except (binascii.Error, ValueError) as error:
        raise KeyFileError(f"{field} is not base64") from error
    if len(decoded) != length or _b64(decoded) != value:
        raise KeyFileError(f"{field} is not {length} bytes of canonical base64")
    return decoded


def _public_key_field(document: Mapping[str, Any]) -> bytes:
    return _b64_field(document, "public_key", PUBLIC_KEY_BYTES)


def _matching_key_id(document: Mapping[str, Any], public_raw: bytes) -> str:
    if document["key_id"] != key_id(public_raw):
        raise KeyFileError("key_id is not the hash of public_key")
    return key_id(public_raw)


def _timestamp_field(document: Mapping[str, Any]) -> str:
    value = document["created_at"]
    if not isinstance(value, str) or not _RFC3339.fullmatch(value):
        raise KeyFileError("created_at is not an RFC 3339 time with offset")
    return value


def _office_field(value: Any) -> tuple[str, str]:
    _exact_fields(value, {"code", "name"})
    code, name = value["code"], value["name"]
    try:
        _require_office(code, name)
    except ValueError as error:
        raise KeyFileError(str(error)) from error
    return code, name


def _require_office(code: Any, name: Any) -> None:
    if not isinstance(code, str) or not OFFICE_CODE.fullmatch(code):
        raise ValueError("office code must match " + OFFICE_CODE.pattern)
    if not isinstance(name, str) or not name.strip() or len(name) > 256:
        raise ValueError("office name must be 1 to 256 characters")


def _require_public_raw(public_raw: bytes) -> None:
    if len(public_raw) != PUBLIC_KEY_BYTES:
        raise ValueError("an Ed25519 public key is 32 bytes")


def _timestamp(moment: datetime | None) -> str:
    """RFC 3339 with the local offset, seconds precision."""
    moment = moment or datetime.now()
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.isoformat(timespec="seconds")
