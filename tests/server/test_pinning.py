"""The lower office pins the certificate announced in the package; plain HTTP stays on the
machine itself."""

from __future__ import annotations

import pytest

from desktop_app.core.areas.exchange import UNREACHABLE
from desktop_app.core.errors import CoreError, phrase
from desktop_app.core.exchange.formats.packages import ServiceAddress
from desktop_app.core.exchange.online import Connection, Retries
from desktop_app.server.run import ServeOptions, check_options
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
        [sent] = unit.exchange.send([seq])
    assert (sent.status, sent.receipts) == ("delivered", 1)
