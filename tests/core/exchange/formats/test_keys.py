"""The office key: sealing under the head's passphrase, ids, fingerprints, key files, rotation."""

from __future__ import annotations

import inspect
import json
import unicodedata
from datetime import UTC, datetime

import pytest

from desktop_app.core.exchange.formats import dsse, keys
from desktop_app.core.exchange.formats.keys import (
    DEFAULT_COST,
    PublicKeyFileInvalid,
    RotationInvalid,
    SealedKey,
    SealedKeyDamaged,
    WrongPassphrase,
    change_passphrase,
    create_key,
    export_public_key,
    fingerprint,
    import_public_key,
    key_id,
    make_rotation_statement,
    unseal,
    verify_rotation_statement,
)
from tests.core.exchange.formats.factory import FAST_COST, KEY, OTHER_KEY, SENDER, office_key

RFC8032_PUBLIC = bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
PASSPHRASE = "Hạc Thành mùa xuân 2026"
STAMP = "2026-02-05T10:00:00+07:00"


@pytest.fixture(scope="module")
def sealed() -> SealedKey:
    return create_key(PASSPHRASE, cost=FAST_COST, created_at=datetime(2026, 2, 5, tzinfo=UTC))


def test_key_id_is_hex_sha256_of_raw_public_key() -> None:
    expected = "21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9"
    assert key_id(RFC8032_PUBLIC) == expected


def test_fingerprint_known_answer_keeps_leading_zeros() -> None:
    assert fingerprint(RFC8032_PUBLIC) == "02145 44043 66322 31051 70008 37623"


def test_default_cost_meets_the_design_minimum() -> None:
    assert DEFAULT_COST.memory_kib >= 64 * 1024
    assert DEFAULT_COST.iterations >= 3
    assert inspect.signature(create_key).parameters["cost"].default == DEFAULT_COST


def test_sealed_key_round_trips_and_signs(sealed: SealedKey) -> None:
    reread = SealedKey.from_bytes(sealed.to_bytes())
    assert reread == sealed
    key = unseal(reread, PASSPHRASE)
    assert key.key_id == sealed.key_id
    signature = key.sign(b"bao cao")
    assert len(signature) == 64


def test_sealed_file_holds_no_plain_private_key(sealed: SealedKey) -> None:
    seed = unseal(sealed, PASSPHRASE)._seed()
    document = json.loads(sealed.to_bytes())
    assert seed not in sealed.to_bytes()
    assert seed.hex() not in sealed.to_bytes().decode()
    assert document["kdf"]["name"] == "argon2id" and document["aead"]["name"] == "chacha20-poly1305"


def test_wrong_passphrase_is_refused_and_changes_nothing(sealed: SealedKey) -> None:
    before = sealed.to_bytes()
    with pytest.raises(WrongPassphrase) as caught:
        unseal(sealed, "sai mật khẩu")
    assert caught.value.code == "key.wrong_passphrase"
    assert sealed.to_bytes() == before
    assert unseal(sealed, PASSPHRASE).key_id == sealed.key_id


def test_passphrase_typed_in_nfd_opens_a_key_sealed_in_nfc(sealed: SealedKey) -> None:
    decomposed = unicodedata.normalize("NFD", PASSPHRASE)
    assert decomposed != PASSPHRASE
    assert unseal(sealed, decomposed).key_id == sealed.key_id


def test_empty_passphrase_cannot_seal_and_does_not_open(sealed: SealedKey) -> None:
    with pytest.raises(ValueError):
        create_key("", cost=FAST_COST)
    with pytest.raises(WrongPassphrase):
        unseal(sealed, "")


def test_change_passphrase_keeps_the_key_and_drops_the_old_passphrase(sealed: SealedKey) -> None:
    changed = change_passphrase(sealed, PASSPHRASE, "mật khẩu mới của Bí thư")
    assert changed.key_id == sealed.key_id and changed.salt != sealed.salt
    assert unseal(changed, "mật khẩu mới của Bí thư").key_id == sealed.key_id
    with pytest.raises(WrongPassphrase):
        unseal(changed, PASSPHRASE)


def test_change_passphrase_with_wrong_old_passphrase_is_refused(sealed: SealedKey) -> None:
    with pytest.raises(WrongPassphrase):
        change_passphrase(sealed, "không đúng", "mới")


def _edited(sealed: SealedKey, **changes: object) -> bytes:
    document = json.loads(sealed.to_bytes())
    document.update(changes)
    return json.dumps(document, ensure_ascii=False).encode()


def test_sealed_file_with_a_swapped_public_key_is_refused(sealed: SealedKey) -> None:
    import base64

    other_public = base64.b64encode(OTHER_KEY.public_raw).decode()
    with pytest.raises(SealedKeyDamaged):
        SealedKey.from_bytes(_edited(sealed, public_key=other_public))
    forged = SealedKey.from_bytes(_edited(sealed, public_key=other_public, key_id=OTHER_KEY.key_id))
    with pytest.raises(WrongPassphrase):  # the key id is bound into the ciphertext
        unseal(forged, PASSPHRASE)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not json",
        b'{"format": "baocao-sealed-key"}',
        b'{"format": "baocao-sealed-key", "format": "x"}',
    ],
)
def test_damaged_sealed_files_are_refused(data: bytes) -> None:
    with pytest.raises(SealedKeyDamaged) as caught:
        SealedKey.from_bytes(data)
    assert caught.value.code == "key.sealed_damaged"


def test_sealed_file_asking_for_absurd_memory_is_refused(sealed: SealedKey) -> None:
    document = json.loads(sealed.to_bytes())
    document["kdf"]["memory_kib"] = 64 * 1024 * 1024
    with pytest.raises(SealedKeyDamaged):
        SealedKey.from_bytes(json.dumps(document).encode())


def test_public_key_file_round_trips() -> None:
    data = export_public_key(KEY.public_raw, SENDER.code, SENDER.name, STAMP)
    imported = import_public_key(data)
    assert imported.key_id == KEY.key_id
    assert imported.public_raw == KEY.public_raw
    assert (imported.office_code, imported.office_name) == (SENDER.code, SENDER.name)
    assert imported.fingerprint == KEY.fingerprint


@pytest.mark.parametrize(
    "change",
    [
        {"key_id": "0" * 64},
        {"public_key": "AAAA"},
        {"office": {"code": "DU-14797", "name": unicodedata.normalize("NFD", "Đảng ủy")}},
        {"office": {"code": "../x", "name": "Đảng ủy"}},
        {"extra": 1},
        {"format_version": 2},
        {"format_version": True},
    ],
)
def test_tampered_public_key_files_are_refused(change: dict[str, object]) -> None:
    document = json.loads(export_public_key(KEY.public_raw, SENDER.code, SENDER.name, STAMP))
    document.update(change)
    with pytest.raises(PublicKeyFileInvalid):
        import_public_key(json.dumps(document, ensure_ascii=False).encode())


def test_rotation_statement_signed_by_both_keys_verifies() -> None:
    statement = make_rotation_statement(
        KEY,
        OTHER_KEY,
        office_code=SENDER.code,
        office_name=SENDER.name,
        effective_seq=7,
        created_at=STAMP,
    )
    verified = verify_rotation_statement(statement, KEY.public_raw)
    assert (verified.old_key_id, verified.new_key_id) == (KEY.key_id, OTHER_KEY.key_id)
    assert verified.new_public_raw == OTHER_KEY.public_raw and verified.effective_seq == 7


def _rotation_body(new_key: keys.OfficeKey = OTHER_KEY) -> bytes:
    statement = make_rotation_statement(
        KEY,
        new_key,
        office_code=SENDER.code,
        office_name=SENDER.name,
        effective_seq=3,
        created_at=STAMP,
    )
    return dsse.parse(statement, dsse.KEY_ROTATION_TYPE).payload


def test_rotation_statement_signed_by_the_old_key_only_is_refused() -> None:
    only_old = dsse.to_bytes(dsse.sign(dsse.KEY_ROTATION_TYPE, _rotation_body(), [KEY]))
    with pytest.raises(RotationInvalid):
        verify_rotation_statement(only_old, KEY.public_raw)


def test_rotation_statement_signed_by_the_new_key_only_is_refused() -> None:
    only_new = dsse.to_bytes(dsse.sign(dsse.KEY_ROTATION_TYPE, _rotation_body(), [OTHER_KEY]))
    with pytest.raises(RotationInvalid):
        verify_rotation_statement(only_new, KEY.public_raw)


def test_rotation_statement_checked_against_another_old_key_is_refused() -> None:
    statement = make_rotation_statement(
        KEY,
        OTHER_KEY,
        office_code=SENDER.code,
        office_name=SENDER.name,
        effective_seq=3,
        created_at=STAMP,
    )
    with pytest.raises(RotationInvalid):
        verify_rotation_statement(statement, office_key(9).public_raw)


def test_rotation_signatures_never_verify_as_a_bundle_manifest() -> None:
    envelope = dsse.sign(dsse.KEY_ROTATION_TYPE, _rotation_body(), [KEY, OTHER_KEY])
    swapped = dsse.Envelope(envelope.payload, dsse.MANIFEST_TYPE, envelope.signatures)
    keys_by_id = {KEY.key_id: KEY.public_raw, OTHER_KEY.key_id: OTHER_KEY.public_raw}
    assert dsse.verify(swapped, dsse.MANIFEST_TYPE, keys_by_id) == frozenset()
