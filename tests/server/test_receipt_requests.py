"""A unit's receipts go to that unit only: the request for them carries a statement signed by
the unit's enrolled key (docs/bundle-format.md §11.4), and the real service refuses everyone
else — without a receipt in the answer."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from desktop_app.core.catalogue import message
from desktop_app.core.exchange.formats import request
from desktop_app.core.exchange.formats.keys import OfficeKey
from desktop_app.core.exchange.formats.request import RequestRefused
from tests.core.upper.helpers import PASSPHRASE
from tests.server.conftest import Certificate, Offices, RunningService
from tests.server.helpers import approved_entry, trusting

TARGET = "/api/v1/receipts/{code}?after=0"


@dataclass
class Line:
    """The running service, a client that trusts its certificate, and the units' keys."""

    offices: Offices
    client: httpx.Client
    keys: dict[str, OfficeKey]

    def ask(self, code: str, authorization: str | None) -> httpx.Response:
        headers = {"Authorization": authorization} if authorization is not None else {}
        return self.client.get(TARGET.format(code=code), headers=headers)

    def signed(self, code: str, now: datetime | None = None) -> str:
        """A statement for ``code``'s receipts signed by the unit itself."""
        return request.sign("GET", TARGET.format(code=code), code, self.keys[code], now)


@pytest.fixture
def line(offices: Offices, certificate: Certificate) -> Iterator[Line]:
    """DU-01 and DU-02 have each sent a bundle online, so a receipt waits for each."""
    with RunningService(offices.province, offices.options(certificate)) as service:
        offices.install_config_by_usb()
        for number, code in enumerate(("DU-01", "DU-02"), 1):
            unit = offices.communes[code]
            _, seq = approved_entry(unit, number)
            assert unit.exchange.send([seq])[0].status == "delivered"
        keys = {
            code: unit.exchange.signing_key(PASSPHRASE) for code, unit in offices.communes.items()
        }
        with httpx.Client(base_url=service.url, verify=trusting(certificate)) as client:
            yield Line(offices, client, keys)


def refused(answer: httpx.Response, status: int, code: str) -> None:
    assert answer.status_code == status
    assert answer.json() == {"code": code, "message": message(code, "vi")}
    assert "receipts" not in answer.text


def test_the_unit_itself_gets_its_receipt(line: Line) -> None:
    answer = line.ask("DU-01", line.signed("DU-01"))
    assert answer.status_code == 200
    [receipt] = answer.json()["receipts"]
    assert receipt["file_name"].startswith("BN_TU-38_DU-01_")


def test_a_stranger_without_a_statement_is_refused(line: Line) -> None:
    answer = line.ask("DU-01", None)
    refused(answer, 401, request.MISSING)
    assert answer.headers["WWW-Authenticate"] == request.SCHEME


def test_a_key_the_province_never_enrolled_is_refused(line: Line) -> None:
    stranger = OfficeKey.generate()
    statement = request.sign("GET", TARGET.format(code="DU-01"), "DU-01", stranger)
    refused(line.ask("DU-01", statement), 401, request.UNKNOWN_KEY)


def test_a_unit_asking_for_another_units_receipts_is_refused(line: Line) -> None:
    # Its own key, naming itself: the statement is honest, the request is not its business.
    statement = request.sign("GET", TARGET.format(code="DU-02"), "DU-01", line.keys["DU-01"])
    refused(line.ask("DU-02", statement), 403, request.WRONG_OFFICE)
    # Naming the other unit with its own key does no better.
    statement = request.sign("GET", TARGET.format(code="DU-02"), "DU-02", line.keys["DU-01"])
    refused(line.ask("DU-02", statement), 403, request.WRONG_OFFICE)


def test_a_statement_heard_once_is_not_honoured_again(line: Line) -> None:
    statement = line.signed("DU-01")
    assert line.ask("DU-01", statement).status_code == 200
    refused(line.ask("DU-01", statement), 401, request.REPLAYED)


def test_a_statement_from_ten_minutes_ago_or_ahead_is_refused(line: Line) -> None:
    for minutes in (-10, 10):
        moment = datetime.now(UTC) + timedelta(minutes=minutes)
        refused(line.ask("DU-01", line.signed("DU-01", now=moment)), 401, request.STALE)
    # A clock four minutes off is still heard.
    moment = datetime.now(UTC) - timedelta(minutes=4)
    assert line.ask("DU-01", line.signed("DU-01", now=moment)).status_code == 200


def test_a_revoked_key_is_refused(line: Line) -> None:
    province = line.offices.province
    [entry] = [e for e in province.keys.trust_list() if e.office_code == "DU-02"]
    province.keys.revoke(entry.key_id, after_seq=1)  # its bundle 1 stays good; asking does not
    refused(line.ask("DU-02", line.signed("DU-02")), 403, request.REVOKED)


def test_a_statement_for_another_request_or_altered_is_refused(line: Line) -> None:
    elsewhere = request.sign("GET", "/api/v1/receipts/DU-01?after=5", "DU-01", line.keys["DU-01"])
    refused(line.ask("DU-01", elsewhere), 401, request.OTHER_REQUEST)
    scheme, _, value = line.signed("DU-01").partition(" ")
    tampered = f"{scheme} {value[:40]}{'A' if value[40] != 'A' else 'B'}{value[41:]}"
    answer = line.ask("DU-01", tampered)
    assert answer.status_code == 401
    assert answer.json()["code"] in (request.MALFORMED, request.BAD_SIGNATURE)
    refused(line.ask("DU-01", "Bearer abc"), 401, request.MISSING)
    refused(line.ask("DU-01", f"{request.SCHEME} ***"), 401, request.MALFORMED)


def test_sync_says_why_the_province_refused(line: Line) -> None:
    province = line.offices.province
    [entry] = [e for e in province.keys.trust_list() if e.office_code == "DU-01"]
    province.keys.revoke(entry.key_id, after_seq=1)
    with pytest.raises(RequestRefused) as caught:
        line.offices.communes["DU-01"].exchange.sync(PASSPHRASE)
    assert caught.value.code == request.REVOKED
