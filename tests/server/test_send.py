"""A commune sends online: the bundle goes through the province's import, the receipt comes
back in the answer, and sending again is harmless."""

from __future__ import annotations

import httpx

from desktop_app.core.areas.exchange import DELIVERED
from desktop_app.core.catalogue import message
from desktop_app.core.exchange.online import certificate_sha256
from desktop_app.core.reports.status import Status
from desktop_app.core.upper.completeness import ON_TIME
from tests.core.upper.helpers import PASSPHRASE
from tests.server.conftest import Certificate, Offices, RunningService
from tests.server.helpers import approved_entry, state_of


def test_the_address_and_pin_arrive_with_the_configuration_package(
    offices: Offices, certificate: Certificate
) -> None:
    with RunningService(offices.province, offices.options(certificate)) as service:
        offices.install_config_by_usb()
    service_above = offices.communes["DU-01"].exchange.service()
    assert service_above is not None
    assert service_above.url == service.url
    assert service_above.url.startswith("https://127.0.0.1:")
    assert service_above.tls_certificate_sha256 == certificate_sha256(certificate.cert.read_bytes())


def test_a_bundle_sent_online_is_imported_and_its_receipt_comes_back(
    offices: Offices, certificate: Certificate
) -> None:
    unit = offices.communes["DU-01"]
    with RunningService(offices.province, offices.options(certificate)):
        offices.install_config_by_usb()
        report_id, seq = approved_entry(unit, 1)
        progress: list[tuple[int, int]] = []
        [sent] = unit.exchange.send(
            [seq],
            progress=lambda done, total: progress.append((done, total)),
            passphrase=PASSPHRASE,
        )
        assert (sent.status, sent.code, sent.receipts) == (DELIVERED, "", 1)
        assert progress[-1][0] == progress[-1][1] > 0
        assert unit.reports.get(report_id).status == Status.ACKNOWLEDGED
        assert state_of(offices, "DU-01") == ON_TIME
        [delivery] = unit.exchange.deliveries([seq])
        assert (delivery.how, delivery.target) == ("online", unit.exchange.service().url)

        [again] = unit.exchange.send([seq], passphrase=PASSPHRASE)  # safe to repeat
        assert (again.status, again.code, again.receipts) == (DELIVERED, "E12", 1)
        [unsigned] = unit.exchange.send([seq])  # no statement: delivered, the receipt withheld
        assert (unsigned.status, unsigned.code, unsigned.receipts) == (DELIVERED, "E12", 0)
    received = offices.province.reports.summaries(origin="received")
    assert [r.office_code for r in received] == ["DU-01"]


def test_what_the_import_refuses_gets_its_code_and_sentence(
    offices: Offices, certificate: Certificate
) -> None:
    with RunningService(offices.province, offices.options(certificate)) as service:
        answer = httpx.post(
            f"{service.url}/api/v1/bundles",
            content=b"not a bundle at all",
            headers={"X-Baocao-File-Name": "BC_DU-02_000001_20260101.baocao"},
            verify=False,
        )
    assert answer.status_code == 422
    document = answer.json()
    assert (document["status"], document["code"]) == ("refused", "E01")
    assert document["message"] == message("E01", "vi", **document["params"])
    assert offices.province.reports.summaries(origin="received") == []
