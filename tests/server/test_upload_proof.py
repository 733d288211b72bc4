"""An upload's answer carries the sender's receipt only for the sender (issue 16, the leak of
E12): a copy of a bundle passes through many hands, and the province's return comments are in
its receipts. Whoever uploads a copy still has it judged and counted as delivered; the receipt
goes only with a request statement proving the uploader is the bundle's sender
(docs/bundle-format.md §11.4)."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from desktop_app.core.exchange.formats import request
from desktop_app.core.exchange.formats.keys import OfficeKey
from tests.core.upper.helpers import PASSPHRASE
from tests.server.conftest import Certificate, Offices, RunningService
from tests.server.helpers import approved_entry, trusting

UPLOAD = "/api/v1/bundles"
RETURN_COMMENT = "Bổ sung số liệu đảng viên mới kết nạp."


@dataclass
class Copy:
    """DU-01's bundle, already imported by the province, as a file anyone could carry."""

    offices: Offices
    client: httpx.Client
    bundle: Path

    def upload(self, authorization: str | None) -> httpx.Response:
        headers = {"X-Baocao-File-Name": self.bundle.name}
        if authorization is not None:
            headers["Authorization"] = authorization
        return self.client.post(UPLOAD, content=self.bundle.read_bytes(), headers=headers)

    def key(self, code: str) -> OfficeKey:
        return self.offices.communes[code].exchange.signing_key(PASSPHRASE)


@pytest.fixture
def copy(offices: Offices, certificate: Certificate) -> Iterator[Copy]:
    """DU-01 sent its report on a stick; the province imported it and returned it with a
    comment, so DU-01's receipt says what the province thinks of it."""
    offices.install_config_by_usb()
    unit = offices.communes["DU-01"]
    (offices.root / "usb").mkdir()
    _, seq = approved_entry(unit, 1)
    entry = next(e for e in unit.exchange.outbox() if e.seq == seq)
    bundle = unit.exchange.write_export(entry, offices.root / "usb")
    [outcome] = offices.province.exchange.import_bundles([bundle])
    assert outcome.status == "imported"
    [received] = offices.province.reports.summaries(origin="received")
    offices.province.upper.return_report(received.id, RETURN_COMMENT)
    with (
        RunningService(offices.province, offices.options(certificate)) as service,
        httpx.Client(base_url=service.url, verify=trusting(certificate)) as client,
    ):
        yield Copy(offices, client, bundle)


def delivered_without_receipt(answer: httpx.Response) -> None:
    assert answer.status_code == 200
    document = answer.json()
    assert (document["status"], document["code"], document["sender"]) == ("already", "E12", "DU-01")
    assert document["receipts"] == []
    assert RETURN_COMMENT not in answer.text


def test_a_stranger_uploading_a_copy_gets_delivered_and_no_receipt(copy: Copy) -> None:
    delivered_without_receipt(copy.upload(None))
    unknown = request.sign("POST", UPLOAD, "DU-01", OfficeKey.generate())
    delivered_without_receipt(copy.upload(unknown))
    delivered_without_receipt(copy.upload("Bearer let-me-in"))


def test_the_sender_proving_itself_gets_its_receipt_with_the_comment(copy: Copy) -> None:
    answer = copy.upload(request.sign("POST", UPLOAD, "DU-01", copy.key("DU-01")))
    assert (answer.status_code, answer.json()["code"]) == (200, "E12")
    [receipt] = answer.json()["receipts"]
    assert receipt["file_name"].startswith("BN_TU-38_DU-01_")
    installed = copy.offices.communes["DU-01"].exchange.install_receipt(
        base64.b64decode(receipt["data"])
    )
    assert [comment for _, comment in installed.returned] == [RETURN_COMMENT]


def test_a_statement_from_another_unit_gets_no_receipt(copy: Copy) -> None:
    # DU-02 is enrolled and honest about who it is: the bundle is still not its own.
    delivered_without_receipt(copy.upload(request.sign("POST", UPLOAD, "DU-02", copy.key("DU-02"))))
    # Naming DU-01 with DU-02's key proves nothing either.
    delivered_without_receipt(copy.upload(request.sign("POST", UPLOAD, "DU-01", copy.key("DU-02"))))


def test_a_statement_heard_once_or_for_another_request_gets_no_receipt(copy: Copy) -> None:
    statement = request.sign("POST", UPLOAD, "DU-01", copy.key("DU-01"))
    assert len(copy.upload(statement).json()["receipts"]) == 1
    delivered_without_receipt(copy.upload(statement))  # replayed
    receipts_request = request.sign(
        "GET", "/api/v1/receipts/DU-01?after=0", "DU-01", copy.key("DU-01")
    )
    delivered_without_receipt(copy.upload(receipts_request))


def test_a_revoked_sender_gets_no_receipt_and_the_upload_is_still_judged(copy: Copy) -> None:
    province = copy.offices.province
    [entry] = [e for e in province.keys.trust_list() if e.office_code == "DU-01"]
    province.keys.revoke(entry.key_id, after_seq=1)  # bundle 1 stays good; asking does not
    delivered_without_receipt(copy.upload(request.sign("POST", UPLOAD, "DU-01", copy.key("DU-01"))))
