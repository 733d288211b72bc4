"""The lower office pins the certificate announced in the package; plain HTTP stays on the
machine itself."""

from __future__ import annotations

import socket
import ssl
import threading
from dataclasses import dataclass, field

import pytest

from desktop_app.core.areas.exchange import UNREACHABLE
from desktop_app.core.catalogue import describe
from desktop_app.core.errors import CoreError, phrase
from desktop_app.core.exchange.formats.packages import ServiceAddress
from desktop_app.core.exchange.online import Connection, Retries
from desktop_app.server.run import ServeOptions, check_options
from tests.core.upper.helpers import PASSPHRASE
from tests.server.conftest import Certificate, Offices, RunningService, make_certificate
from tests.server.helpers import approved_entry

QUICK = Retries(attempts=1, first_delay=0.01, timeout=5.0)


def test_a_service_with_another_certificate_gets_no_bundle(
    offices: Offices, certificate: Certificate
) -> None:
    unit = offices.communes["DU-01"]
    first = offices.options(certificate)
    with RunningService(offices.province, first):
        offices.install_config_by_usb()
    impostor = make_certificate(offices.root / "impostor")
    second = ServeOptions(
        host=first.host, port=first.port, certificate=impostor.cert, private_key=impostor.key
    )
    with RunningService(offices.province, second):
        _, seq = approved_entry(unit, 1)
        [sent] = unit.exchange.send([seq], retries=QUICK)
    assert sent.status == UNREACHABLE
    assert sent.params["reason"] == phrase("online.reason.pin")
    assert offices.province.reports.summaries(origin="received") == []


@dataclass
class Impostor:
    """A bare TLS listener with another certificate that keeps every byte it is sent after
    its handshake: what a machine pretending to be the province would get."""

    certificate: Certificate
    port: int
    received: list[bytes] = field(default_factory=list)
    connections: int = 0

    def __post_init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", self.port), reuse_port=False)
        self.listener.settimeout(10.0)
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> Impostor:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.listener.close()
        self.thread.join(timeout=20)
        assert not self.thread.is_alive()

    def _serve(self) -> None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.certificate.cert, self.certificate.key)
        while True:
            try:
                raw, _ = self.listener.accept()
            except OSError:  # closed by __exit__
                return
            self.connections += 1
            with raw:
                raw.settimeout(10.0)
                try:
                    with context.wrap_socket(raw, server_side=True) as tls:
                        while chunk := tls.recv(65536):
                            self.received.append(chunk)
                except OSError:  # the client closed during or after the handshake
                    pass


def test_the_pin_is_checked_in_the_handshake_before_a_byte_is_sent(
    offices: Offices, certificate: Certificate
) -> None:
    unit = offices.communes["DU-02"]
    options = offices.options(certificate)
    with RunningService(offices.province, options):
        offices.install_config_by_usb()
    _, seq = approved_entry(unit, 2)
    with Impostor(make_certificate(offices.root / "impostor"), options.port) as impostor:
        [sent] = unit.exchange.send([seq], retries=Retries(attempts=3, first_delay=0.01))
        with pytest.raises(CoreError) as caught:
            unit.exchange.sync(PASSPHRASE, retries=Retries(attempts=3, first_delay=0.01))
    assert impostor.received == []  # not a byte of the request, let alone of the bundle
    assert impostor.connections == 2  # one each: a certificate does not change on a retry
    assert sent.status == UNREACHABLE
    assert sent.params["reason"] == phrase("online.reason.pin")
    assert caught.value.params["reason"] == phrase("online.reason.pin")
    clerk_sees = describe(CoreError(sent.code, **sent.params), "vi")
    assert "chứng thư bảo mật (TLS) của máy nhận không khớp" in clerk_sees
    assert "xuất ra USB" in clerk_sees


@pytest.mark.parametrize("url", ["http://10.1.2.3:8080", "http://bctinh.local", "ftp://x"])
def test_plain_http_is_refused_away_from_loopback(url: str) -> None:
    with pytest.raises(CoreError) as caught:
        Connection(ServiceAddress(url, None))
    assert caught.value.code == "online.plain_http"


def test_the_service_will_not_listen_unencrypted_on_the_network() -> None:
    with pytest.raises(CoreError) as caught:
        check_options(ServeOptions(host="0.0.0.0"))
    assert caught.value.code == "online.serve.plain_http"


def test_plain_http_on_loopback_works(offices: Offices) -> None:
    unit = offices.communes["DU-03"]
    with RunningService(offices.province, offices.options(None)) as service:
        offices.install_config_by_usb()
        assert service.url.startswith("http://127.0.0.1:")
        _, seq = approved_entry(unit, 3)
        [sent] = unit.exchange.send([seq], passphrase=PASSPHRASE)
    assert (sent.status, sent.receipts) == ("delivered", 1)
