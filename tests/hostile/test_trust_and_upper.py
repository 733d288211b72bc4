"""Trust that cannot be lifted by accident, a forked chain said aloud, and a received report the
upper office withdraws so that one bad report never blocks the totals."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.core.errors import CoreError
from desktop_app.core.model.offices import Office
from tests.core.upper.helpers import (
    CENTRAL,
    PERIOD,
    TEMPLATE_ID,
    enrol,
    figures_for,
    imported,
    narratives_for,
    open_office,
    submit,
)
from tests.hostile.store_dump import dump

PROVINCE = Office(
    code="TU-38", name="Tỉnh ủy Thanh Hóa", level="province", block="party", parent_code="TW"
)
WARDS = [
    Office(
        code=f"DU-{n}",
        name=f"Đảng ủy phường {n}",
        level="commune",
        block="party",
        parent_code="TU-38",
    )
    for n in (1, 2)
]


class Pair:
    def __init__(self, root: Path) -> None:
        self.stick = root / "usb"
        self.stick.mkdir()
        self.province = open_office(root, PROVINCE, CENTRAL)
        self.wards = [open_office(root, ward, PROVINCE) for ward in WARDS]
        for ward in self.wards:
            enrol(self.province, ward)

    def close(self) -> None:
        for ws in (self.province, *self.wards):
            ws.close()


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    made = Pair(tmp_path)
    yield made
    made.close()


def test_re_adding_a_revoked_key_keeps_the_revocation(pair: Pair) -> None:
    ward = pair.wards[0]
    key_id = ward.keys.active().key_id
    pair.province.keys.revoke(key_id, 3)
    key_file = pair.province.keys.read_key_file(ward.keys.public_key_file())
    pair.province.keys.trust_unit(key_file, ward.office.code)
    [entry] = [e for e in pair.province.keys.trust_list() if e.key_id == key_id]
    assert entry.revoked_after_seq == 3


def test_withdrawing_a_received_report_takes_it_out_of_every_count(pair: Pair) -> None:
    bundles = []
    ids = []
    for index, ward in enumerate(pair.wards, start=1):
        report_id, bundle = submit(
            ward, figures_for(index), narratives_for(ward.office.name), pair.stick
        )
        ids.append(report_id)
        bundles.append(bundle)
    imported(pair.province, *bundles)
    upper = pair.province.upper
    both = upper.consolidate(TEMPLATE_ID, PERIOD)
    assert both.units_included == ("DU-1", "DU-2")
    assert upper.withdraw(ids[0], "Số liệu không dùng được") == 1
    after = upper.consolidate(TEMPLATE_ID, PERIOD)
    assert after.units_included == ("DU-2",)
    assert after.units_missing == ("DU-1",)
    [row] = pair.province.db.execute(
        "SELECT action, new_value FROM audit_log WHERE action = 'report.withdrawn'"
    ).fetchall()
    assert row == ("report.withdrawn", "Số liệu không dùng được")
    archive = list((pair.province.root / "archive").glob("*.baocao"))
    assert len(archive) == 2  # the bundle stays in the archive
    assert pair.province.reports.get(ids[0])  # and the report stays stored


@pytest.mark.parametrize(
    ("report", "reason", "code"),
    [
        ("khong-co", "lý do", "report.not_found"),
        (None, "   ", "upper.withdraw_reason_missing"),
        (None, "x" * 5000, "upper.return_comment_too_long"),
    ],
)
def test_a_withdrawal_that_cannot_be_is_refused_and_nothing_changes(
    pair: Pair, report: str | None, reason: str, code: str
) -> None:
    ward = pair.wards[0]
    report_id, bundle = submit(ward, figures_for(1), narratives_for(ward.office.name), pair.stick)
    imported(pair.province, bundle)
    before = dump(pair.province)
    with pytest.raises(CoreError) as refused:
        pair.province.upper.withdraw(report or report_id, reason)
    assert refused.value.code == code
    assert dump(pair.province) == before


def test_a_local_report_cannot_be_withdrawn(pair: Pair) -> None:
    report_id = pair.province.reports.new(TEMPLATE_ID, PERIOD)
    before = dump(pair.province)
    with pytest.raises(CoreError) as refused:
        pair.province.upper.withdraw(report_id, "lý do")
    assert refused.value.code == "upper.not_received"
    assert dump(pair.province) == before


def test_withdrawing_twice_is_refused(pair: Pair) -> None:
    ward = pair.wards[0]
    report_id, bundle = submit(ward, figures_for(1), narratives_for(ward.office.name), pair.stick)
    imported(pair.province, bundle)
    pair.province.upper.withdraw(report_id, "lý do")
    before = dump(pair.province)
    with pytest.raises(CoreError) as refused:
        pair.province.upper.withdraw(report_id, "lý do")
    assert refused.value.code == "upper.already_withdrawn"
    assert dump(pair.province) == before
