"""A configuration package, signed by the province, carrying a CA certificate that must not
become a trust anchor: the whole package is refused with the reason, and the ward keeps the
configuration and the CAs it had."""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding

from desktop_app.core.catalogue import describe
from desktop_app.core.clock import timestamp
from desktop_app.core.errors import CoreError
from desktop_app.core.exchange import keyring
from desktop_app.core.exchange.formats import dsse
from desktop_app.core.exchange.formats.model import Office as WireOffice
from desktop_app.core.exchange.formats.packages import (
    CarriedAnchor,
    ConfigFields,
    build_config_package,
    read_config_package,
)
from desktop_app.core.model import strictjson
from desktop_app.core.signing import trust
from desktop_app.core.workspace import Workspace
from tests.conftest import DISTRICT
from tests.core.exchange.bundles.conftest import CHEAP, PASSPHRASE, PROVINCE
from tests.hostile.store_dump import dump
from tests.signing_token import make_pki

PKI, _ = make_pki()


def _self_signed(*, ca: bool, days: tuple[int, int]) -> bytes:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(x509.oid.NameOID.COMMON_NAME, "CA hết hạn (thử)")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now + timedelta(days=days[0]))
        .not_valid_after(now + timedelta(days=days[1]))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(Encoding.DER)


HOSTILE_CAS: dict[str, tuple[bytes, str]] = {
    # what the package carries, and the refusal's reason
    "a person's certificate": (PKI.personal.public_bytes(Encoding.DER), "trust.not_a_ca"),
    "a certificate without basic constraints": (b"", "trust.not_a_ca"),  # filled below
    "an expired CA": (_self_signed(ca=True, days=(-800, -30)), "trust.ca_expired"),
    "garbage bytes": (b"\x30\x82\x01\x00" + b"\x00" * 256, "trust.not_a_certificate"),
    "text, not DER": (PKI.root.public_bytes(Encoding.PEM), "trust.not_a_certificate"),
    "a CA with bytes after it": (PKI.root_der + b"\x00", "trust.not_a_certificate"),
}


def _without_constraints() -> bytes:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(x509.oid.NameOID.COMMON_NAME, "Không phải CA")])
    now = datetime.now(UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .sign(key, hashes.SHA256())
        .public_bytes(Encoding.DER)
    )


HOSTILE_CAS["a certificate without basic constraints"] = (_without_constraints(), "trust.not_a_ca")


@pytest.fixture
def ward_and_key(tmp_path: Path) -> Iterator[tuple[Workspace, Any]]:
    """A ward that installed the province's first package, carrying the test root CA."""
    with (
        Workspace.open(tmp_path / "province", automatic_backup=False, kdf_cost=CHEAP) as prov,
        Workspace.open(tmp_path / "ward", automatic_backup=False, kdf_cost=CHEAP) as ward,
    ):
        prov.initialise(PROVINCE)
        prov.keys.create(PASSPHRASE)
        ward.initialise(DISTRICT)
        key = keyring.unlock(prov.db, PASSPHRASE)
        first = build_config_package(
            _fields(1, CarriedAnchor("Root", "ca.gov.vn", PKI.root_der)), key
        )
        ward.exchange.install_config(ward.exchange.read_config(first.data))
        yield ward, key


def _fields(version: int, *anchors: CarriedAnchor) -> ConfigFields:
    return ConfigFields(
        package_id=str(uuid.uuid4()),
        issuer=WireOffice(PROVINCE.code, PROVINCE.name),
        version=version,
        created_at=timestamp(),
        templates=(),
        schedule=(),
        units=(),
        trusted_keys=(),
        trust_anchors=anchors,
    )


def _received(ward: Workspace) -> list[str]:
    return [a.subject for a in ward.signing.trust_anchors() if a.origin == trust.RECEIVED]


@pytest.mark.parametrize("name", sorted(HOSTILE_CAS))
def test_a_package_carrying_a_bad_ca_is_refused_whole(
    ward_and_key: tuple[Workspace, Any], name: str
) -> None:
    ward, key = ward_and_key
    der, reason = HOSTILE_CAS[name]
    good = CarriedAnchor("Root", "ca.gov.vn", PKI.root_der)
    package = build_config_package(_fields(2, good, CarriedAnchor(name, "x", der)), key)
    before = dump(ward)
    with pytest.raises(CoreError) as refused:
        ward.exchange.read_config(package.data)
    assert refused.value.code == "config.bad_ca"
    assert refused.value.params["position"] == 2
    assert refused.value.params["problem"].code == reason
    sentence = describe(refused.value, "vi")
    assert f"chứng thư CA thứ 2 («{name}»)" in sentence
    assert "không bị thay đổi" in sentence
    assert dump(ward) == before
    assert _received(ward) == ["Root CA thử nghiệm"]


def test_the_installer_checks_again_when_given_a_package_read_elsewhere(
    ward_and_key: tuple[Workspace, Any],
) -> None:
    ward, key = ward_and_key
    der, _ = HOSTILE_CAS["a person's certificate"]
    data = build_config_package(_fields(2, CarriedAnchor("người", "x", der)), key).data
    package = read_config_package(data, keyring.issuer_key(ward.db))  # the reader alone
    before = dump(ward)
    with pytest.raises(CoreError) as refused:
        ward.exchange.install_config(package)
    assert refused.value.code == "config.bad_ca"
    assert dump(ward) == before


def _resigned(data: bytes, key: Any, edit: Any) -> bytes:
    document = json.loads(dsse.parse(data, dsse.CONFIG_TYPE).payload)
    edit(document["trust_anchors"][0])
    payload = strictjson.canonical_bytes(document)
    return dsse.to_bytes(dsse.sign(dsse.CONFIG_TYPE, payload, [key]))


EDITS: dict[str, Any] = {
    "a fingerprint that is not the certificate's": lambda a: a.update(sha256="0" * 64),
    "base64 broken into lines": lambda a: a.update(
        certificate=a["certificate"][:64] + "\n" + a["certificate"][64:]
    ),
    "an unknown field": lambda a: a.update(fingerprint_sha1="00"),
    "an empty name": lambda a: a.update(name=" "),
    "a certificate of 20 KiB": lambda a: a.update(
        certificate=base64.b64encode(b"\x30" * 20480).decode(),
        sha256=hashlib.sha256(b"\x30" * 20480).hexdigest(),
    ),
}


@pytest.mark.parametrize("name", sorted(EDITS))
def test_a_malformed_entry_is_refused_by_the_reader_with_e06(
    ward_and_key: tuple[Workspace, Any], name: str
) -> None:
    ward, key = ward_and_key
    built = build_config_package(_fields(2, CarriedAnchor("Root", "x", PKI.root_der)), key)
    before = dump(ward)
    with pytest.raises(CoreError) as refused:
        ward.exchange.read_config(_resigned(built.data, key, EDITS[name]))
    assert refused.value.code == "config.E06"
    assert dump(ward) == before
