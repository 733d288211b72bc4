"""A real receiving service on 127.0.0.1 and a free port, with a test TLS certificate; real
offices (each its own workspace and key) on either side of it; a real httpx client."""

from __future__ import annotations

import datetime
import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import uvicorn
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from desktop_app.core.model.offices import Office
from desktop_app.core.workspace import Workspace
from desktop_app.server.app import Settings
from desktop_app.server.run import ServeOptions, build_server
from tests.core.upper.helpers import (
    CENTRAL,
    PASSPHRASE,
    PERIOD,
    TEMPLATE_ID,
    days,
    enrol,
    open_office,
)

PROVINCE = Office(
    code="TU-38",
    name="Tỉnh ủy Thanh Hóa",
    level="province",
    block="party",
    abbreviation="TU",
    place="Thanh Hóa",
    parent_code=CENTRAL.code,
)
READY_SECONDS = 20.0


def commune(number: int) -> Office:
    return Office(
        code=f"DU-{number:02d}",
        name=f"Đảng ủy xã Số {number}",
        level="commune",
        block="party",
        abbreviation="ĐU",
        parent_code=PROVINCE.code,
    )


@dataclass(frozen=True)
class Certificate:
    cert: Path
    key: Path


def make_certificate(folder: Path, host: str = "127.0.0.1") -> Certificate:
    """A self-signed certificate for ``host``, as an office would make for its own machine."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Máy nhận báo cáo")])
    start = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=1)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(host))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    paths = Certificate(folder / "service.crt", folder / "service.key")
    paths.cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    paths.key.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return paths


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_listening(port: int, alive: Callable[[], bool] | None = None) -> None:
    """A bounded loop on a socket connect: the service is up when it accepts one."""
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if alive is not None and not alive():
            raise AssertionError("the service ended before it listened")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            continue
    raise AssertionError(f"nothing listens on port {port}")


class RunningService:
    """``build_server`` (the code ``baocao serve`` runs) in a thread of this test."""

    def __init__(self, province: Workspace, options: ServeOptions) -> None:
        self.options = options
        key = province.exchange.signing_key(PASSPHRASE)
        self.server: uvicorn.Server = build_server(province, key, options)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return self.options.address().url

    def __enter__(self) -> RunningService:
        self.thread.start()
        wait_until_listening(self.options.port, self.thread.is_alive)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=60)
        assert not self.thread.is_alive()


@dataclass
class Offices:
    root: Path
    province: Workspace
    communes: dict[str, Workspace] = field(default_factory=dict)

    def options(
        self, certificate: Certificate | None, settings: Settings | None = None
    ) -> ServeOptions:
        return ServeOptions(
            host="127.0.0.1",
            port=free_port(),
            certificate=certificate.cert if certificate else None,
            private_key=certificate.key if certificate else None,
            settings=settings or Settings(),
        )

    def install_config_by_usb(self) -> None:
        """The first package travels on paper and a stick: fingerprint compared, then pinned."""
        data = self.province.exchange.build_config(PASSPHRASE).data
        for unit in self.communes.values():
            unit.exchange.install_config(unit.exchange.read_config(data))


@pytest.fixture
def offices(tmp_path: Path) -> Iterator[Offices]:
    province = open_office(tmp_path, PROVINCE, CENTRAL)
    found = Offices(tmp_path, province)
    for number in range(1, 5):
        found.communes[f"DU-{number:02d}"] = unit = open_office(tmp_path, commune(number), PROVINCE)
        enrol(province, unit)
    province.upper.set_override(TEMPLATE_ID, PERIOD, "*", days(-5), days(30))
    yield found
    for workspace in [*found.communes.values(), province]:
        workspace.close()


@pytest.fixture
def certificate(tmp_path: Path) -> Certificate:
    return make_certificate(tmp_path / "tls")
