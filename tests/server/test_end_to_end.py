"""Issue 16's end-to-end: three communes send online, one falls back to USB while its line is
down, the province's status page shows all four, and receipts come back by ``sync``."""

from __future__ import annotations

import httpx

from desktop_app.core.areas.exchange import DELIVERED, UNREACHABLE
from desktop_app.core.exchange.online import Retries
from desktop_app.core.reports.status import Status
from desktop_app.core.upper.completeness import ON_TIME, RETURNED
from tests.core.upper.helpers import PASSPHRASE, PERIOD
from tests.server.conftest import Certificate, Offices, RunningService, free_port
from tests.server.helpers import approved_entry, state_of, trusting

RETURN_COMMENT = "Số máy tính kết nối chưa khớp biểu 01, đề nghị kiểm tra lại."
QUICK = Retries(attempts=2, first_delay=0.01, timeout=5.0)


def test_three_online_one_by_usb_all_four_on_the_status_page_receipts_by_sync(
    offices: Offices, certificate: Certificate
) -> None:
    stick = offices.root / "usb"
    stick.mkdir()
    with RunningService(offices.province, offices.options(certificate)) as service:
        offices.install_config_by_usb()
        reports = {}
        for number, (code, unit) in enumerate(offices.communes.items(), 1):
            reports[code], seq = approved_entry(unit, number)
            if code == "DU-04":  # its line is down: nothing listens where it sends
                [sent] = unit.exchange.send([seq], f"https://127.0.0.1:{free_port()}", None, QUICK)
                assert sent.status == UNREACHABLE
                entry = next(e for e in unit.exchange.outbox() if e.seq == seq)
                bundle = unit.exchange.write_export(entry, stick)
                [outcome] = offices.province.exchange.import_bundles([bundle])
                assert outcome.status == "imported"
            else:
                [sent] = unit.exchange.send([seq], passphrase=PASSPHRASE)
                assert (sent.status, sent.receipts) == (DELIVERED, 1)

        page = httpx.get(f"{service.url}/", params={"period": PERIOD}, verify=trusting(certificate))
        assert page.status_code == 200
        for number in range(1, 5):
            assert f"Đảng ủy xã Số {number} (DU-0{number})" in page.text
        assert page.text.count("<td>Đúng hạn</td>") == 4
        assert "4/4 đơn vị đã nộp" in page.text

        received_id = next(
            r.id
            for r in offices.province.reports.summaries(origin="received")
            if r.office_code == "DU-02"
        )
        offices.province.upper.return_report(received_id, RETURN_COMMENT)
        offices.province.exchange.build_config(PASSPHRASE)  # version 2, after the USB one

        usb_unit, returned_unit = offices.communes["DU-04"], offices.communes["DU-02"]
        assert usb_unit.reports.get(reports["DU-04"]).status == Status.EXPORTED
        synced = usb_unit.exchange.sync(PASSPHRASE)
        assert (synced.config_version, synced.receipts) == (2, 1)
        assert usb_unit.reports.get(reports["DU-04"]).status == Status.ACKNOWLEDGED
        assert [d.how for d in usb_unit.exchange.deliveries()] == ["usb"]

        returned_unit.exchange.sync(PASSPHRASE)
        reopened = returned_unit.reports.get(reports["DU-02"])
        assert (reopened.revision, reopened.status) == (2, Status.DRAFT)
        assert returned_unit.reports.get(reports["DU-02"]).supersedes == 1
        again = returned_unit.exchange.sync(PASSPHRASE)  # nothing new: nothing changes
        assert (again.config_version, again.receipts) == (None, 0)
    assert state_of(offices, "DU-02") == RETURNED
    assert {state_of(offices, code) for code in ("DU-01", "DU-03", "DU-04")} == {ON_TIME}
