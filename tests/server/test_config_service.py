"""The service address in the configuration package: optional, signed, strictly read."""

from __future__ import annotations

import json

import pytest

from desktop_app.core.exchange.formats import dsse
from desktop_app.core.exchange.formats.packages import InvalidPackageInput, ServiceAddress
from tests.core.upper.helpers import PASSPHRASE
from tests.server.conftest import Offices

PIN = "ab" * 32


def _payload(data: bytes) -> dict[str, object]:
    return dict(json.loads(dsse.parse(data, dsse.CONFIG_TYPE).payload))


def test_without_a_service_the_package_carries_no_service_key(offices: Offices) -> None:
    built = offices.province.exchange.build_config(PASSPHRASE)
    assert "service" not in _payload(built.data)
    unit = offices.communes["DU-01"]
    unit.exchange.install_config(unit.exchange.read_config(built.data))
    assert unit.exchange.service() is None


def test_the_announced_service_is_signed_in_installed_and_forgotten_when_withdrawn(
    offices: Offices,
) -> None:
    unit = offices.communes["DU-01"]
    service = ServiceAddress("https://10.38.0.5:8443", PIN)
    offices.province.exchange.announce_service(service)
    with_service = offices.province.exchange.build_config(PASSPHRASE).data
    assert _payload(with_service)["service"] == {
        "url": "https://10.38.0.5:8443",
        "tls_certificate_sha256": PIN,
    }
    unit.exchange.install_config(unit.exchange.read_config(with_service))
    assert unit.exchange.service() == service

    offices.province.exchange.announce_service(None)
    without = offices.province.exchange.build_config(PASSPHRASE).data
    unit.exchange.install_config(unit.exchange.read_config(without))
    assert unit.exchange.service() is None


@pytest.mark.parametrize(
    "url", ["https://user:secret@10.38.0.5/", "https://10.38.0.5/?x=1", "file:///etc/passwd"]
)
def test_a_malformed_service_address_is_refused_by_the_builder(offices: Offices, url: str) -> None:
    offices.province.exchange.announce_service(ServiceAddress(url, PIN))
    with pytest.raises(InvalidPackageInput) as caught:
        offices.province.exchange.build_config(PASSPHRASE)
    assert caught.value.params["reason"].startswith("service/url: must match pattern")
