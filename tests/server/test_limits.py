"""The service's limits: the E02 cap, requests per address, uploads at once, stalled clients."""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from desktop_app.core.areas.exchange import DELIVERED
from desktop_app.server.app import Settings
from desktop_app.server.limits import Limits
from tests.server.conftest import Certificate, Offices, RunningService
from tests.server.helpers import approved_entry, trusting

UPLOAD = "/api/v1/bundles"


@contextmanager
def stalled_upload(port: int, certificate: Certificate) -> Iterator[ssl.SSLSocket]:
    """A client that announces a bundle, sends a little of it and then nothing more."""
    raw = socket.create_connection(("127.0.0.1", port), timeout=30)
    tls = trusting(certificate).wrap_socket(raw, server_hostname="127.0.0.1")
    tls.sendall(
        b"POST /api/v1/bundles HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/vnd.baocao.bundle+zip\r\nContent-Length: 100000\r\n\r\n"
        + b"PK"
        * 100
    )
    try:
        yield tls
    finally:
        tls.close()


def _post(service: RunningService, certificate: Certificate, body: object) -> httpx.Response:
    return httpx.post(
        f"{service.url}{UPLOAD}",
        content=body,
        verify=trusting(certificate),
        timeout=30,  # type: ignore[arg-type]
    )


def test_a_body_over_the_cap_is_refused_with_e02_declared_or_not(
    offices: Offices, certificate: Certificate
) -> None:
    settings = Settings(Limits(max_body_bytes=1024))
    with RunningService(offices.province, offices.options(certificate, settings)) as service:
        declared = _post(service, certificate, b"x" * 4096)
        streamed = _post(service, certificate, iter([b"x" * 1000, b"x" * 1000]))
    for answer in (declared, streamed):
        assert answer.status_code == 413
        assert (answer.json()["code"], answer.json()["params"]) == ("E02", {"limit_mb": 0})
    uploads = offices.province.root / "uploads"  # its empty slot folders, no body kept
    assert [path for path in uploads.rglob("*") if not path.is_dir()] == []
    assert offices.province.reports.summaries(origin="received") == []


def test_an_address_asking_too_often_is_told_when_to_come_back(
    offices: Offices, certificate: Certificate
) -> None:
    settings = Settings(Limits(requests_per_minute=6, burst=2))
    with RunningService(offices.province, offices.options(certificate, settings)) as service:
        answers = [
            httpx.get(f"{service.url}/api/v1/hello", verify=trusting(certificate)) for _ in range(3)
        ]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[2].headers["Retry-After"] == "10"


def test_a_stalled_client_never_blocks_the_others(
    offices: Offices, certificate: Certificate
) -> None:
    unit = offices.communes["DU-01"]
    settings = Settings(Limits(concurrent_uploads=2, idle_seconds=60))
    with RunningService(offices.province, offices.options(certificate, settings)) as service:
        offices.install_config_by_usb()
        _, seq = approved_entry(unit, 1)
        with stalled_upload(service.options.port, certificate):
            [sent] = unit.exchange.send([seq])
            hello = httpx.get(f"{service.url}/api/v1/hello", verify=trusting(certificate))
    assert sent.status == DELIVERED
    assert hello.status_code == 200


def test_uploads_past_the_bound_are_told_to_retry_and_a_stall_is_dropped(
    offices: Offices, certificate: Certificate
) -> None:
    busy = Settings(Limits(concurrent_uploads=1, idle_seconds=60, slot_wait_seconds=0.1))
    service = RunningService(offices.province, offices.options(certificate, busy))
    with service, stalled_upload(service.options.port, certificate):
        refused = _post(service, certificate, b"not a bundle")
    assert refused.status_code == 503
    assert refused.headers["Retry-After"] == "1"

    impatient = Settings(Limits(concurrent_uploads=1, idle_seconds=0.5))
    service = RunningService(offices.province, offices.options(certificate, impatient))
    with service, stalled_upload(service.options.port, certificate) as stalled:
        answer = stalled.recv(4096)  # the service gives up on it, not the other way round
        after = _post(service, certificate, b"not a bundle")
    assert answer.startswith(b"HTTP/1.1 408")
    assert (after.status_code, after.json()["code"]) == (422, "E01")
