"""States a clerk acts on: conflicting bundles, returns refused for good reasons, reports from
units that owed none."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from desktop_app.core.errors import CoreError
from desktop_app.core.model.offices import Office
from desktop_app.core.reports.records import ContentChanges
from desktop_app.core.upper.completeness import (
    CONFLICT,
    MAX_COMMENT_LENGTH,
    ON_TIME,
    RETURNED,
)
from desktop_app.core.workspace import Workspace
from tests.core.upper.helpers import (
    CENTRAL,
    PASSPHRASE,
    PERIOD,
    TEMPLATE_ID,
    days,
    enrol,
    figures_for,
    imported,
    narratives_for,
    open_office,
    resubmit,
    submit,
)

PROVINCE = Office(code="TU-38", name="Tỉnh ủy Thanh Hóa", level="province", parent_code="TW")


@dataclass
class Pair:
    province: Workspace
    unit: Workspace
    other: Workspace
    stick: Path
    root: Path


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    stick = tmp_path / "usb"
    stick.mkdir()
    province = open_office(tmp_path, PROVINCE, CENTRAL)
    offices = [
        Office(code=f"DU-0{n}", name=f"Đảng ủy xã Số {n}", level="commune", parent_code="TU-38")
        for n in (1, 2)
    ]
    unit, other = (open_office(tmp_path, office, PROVINCE) for office in offices)
    for workspace in (unit, other):
        enrol(province, workspace)
    province.upper.set_override(TEMPLATE_ID, PERIOD, "*", days(-5), days(30))
    yield Pair(province, unit, other, stick, tmp_path)
    for workspace in (province, unit, other):
        workspace.close()


def _state(province: Workspace, code: str) -> str:
    status = province.upper.completeness(PERIOD, TEMPLATE_ID)
    return next(u.state for u in status.units if u.code == code)


def test_two_different_bundles_with_one_number_put_the_unit_in_conflict(pair: Pair) -> None:
    """A unit restores its store from a backup and signs a second, different bundle number 1."""
    unit, province = pair.unit, pair.province
    report_id = unit.reports.new(TEMPLATE_ID, PERIOD)
    unit.reports.save(
        report_id, ContentChanges(values=figures_for(1), narratives=narratives_for("A"))
    )
    unit.reports.approve(report_id, "Nguyễn Văn An", "Bí thư", PASSPHRASE)
    before_export = unit.backup(pair.root / "before-export.db")
    first = unit.exchange.write_export(
        unit.exchange.prepare_export([report_id], PASSPHRASE), pair.stick
    )
    imported(province, first)
    assert _state(province, "DU-01") == ON_TIME

    unit.restore(before_export)
    again_dir = pair.root / "usb2"
    again_dir.mkdir()
    second = unit.exchange.write_export(
        unit.exchange.prepare_export([report_id], PASSPHRASE), again_dir
    )
    assert second.name == first.name and second.read_bytes() != first.read_bytes()
    [outcome] = province.exchange.import_bundles([second])
    assert outcome.code == "E14"
    assert _state(province, "DU-01") == CONFLICT
    assert _state(province, "DU-02") != CONFLICT
    counts = province.upper.completeness(PERIOD, TEMPLATE_ID).counts
    assert counts[CONFLICT] == 1 and counts["reported"] == 0

    # a later bundle from the unit that is accepted settles it
    imported(province, resubmit(unit, report_id, figures_for(1), pair.stick))
    assert _state(province, "DU-01") == ON_TIME


def test_return_is_refused_for_what_this_office_did_not_receive(pair: Pair) -> None:
    province = pair.province
    own = province.reports.new(TEMPLATE_ID, PERIOD)
    for report_id, code in ((own, "upper.not_received"), ("khong-co", "report.not_found")):
        with pytest.raises(CoreError) as refused:
            province.upper.return_report(report_id, "Bổ sung số liệu.")
        assert refused.value.code == code
    assert province.reports.get(own).return_comment is None


def test_return_needs_a_reason_of_sensible_length_and_keeps_it_as_typed(pair: Pair) -> None:
    province = pair.province
    _, bundle = submit(pair.unit, figures_for(1), narratives_for("A"), pair.stick)
    imported(province, bundle)
    received = province.reports.summaries(origin="received")[0].id
    for comment, code in (
        ("   ", "upper.return_comment_missing"),
        ("x" * (MAX_COMMENT_LENGTH + 1), "upper.return_comment_too_long"),
    ):
        with pytest.raises(CoreError) as refused:
            province.upper.return_report(received, comment)
        assert refused.value.code == code
    assert _state(province, "DU-01") == ON_TIME

    decomposed = unicodedata.normalize("NFD", "  Đề nghị bổ sung kinh phí.  ")
    assert province.upper.return_report(received, decomposed) == 1
    status = province.upper.completeness(PERIOD, TEMPLATE_ID)
    row = next(u for u in status.units if u.code == "DU-01")
    assert (row.state, row.return_comment) == (RETURNED, "Đề nghị bổ sung kinh phí.")
    audit = [r for r in province.reports.history(received) if r["action"] == "report.returned"]
    assert audit[0]["new_value"] == "Đề nghị bổ sung kinh phí." and audit[0]["revision"] == 1
    with pytest.raises(CoreError) as twice:
        province.upper.return_report(received, "Lần nữa.")
    assert twice.value.code == "upper.already_returned"


def test_a_report_from_a_unit_that_owed_none_is_still_shown(pair: Pair) -> None:
    province = pair.province
    _, bundle = submit(pair.other, figures_for(2), narratives_for("B"), pair.stick)
    imported(province, bundle)
    # the unit is dissolved before the period's end (after it had sent its report)
    province.add_unit(
        Office(
            code="DU-02",
            name="Đảng ủy xã Số 2",
            level="commune",
            parent_code="TU-38",
            valid_to="2026-08-31",
        )
    )
    status = province.upper.completeness(PERIOD, TEMPLATE_ID)
    row = next(u for u in status.units if u.code == "DU-02")
    assert (row.state, row.deadline, row.revision) == (ON_TIME, None, 1)
    result = province.upper.consolidate(TEMPLATE_ID, PERIOD)
    assert result.units_included == ("DU-02",) and result.units_missing == ("DU-01",)
    assert result.unit_names["DU-02"] == "Đảng ủy xã Số 2"


def test_nothing_received_yet_means_nothing_to_consolidate(pair: Pair) -> None:
    with pytest.raises(CoreError) as refused:
        pair.province.upper.create_consolidated_report(TEMPLATE_ID, PERIOD)
    assert refused.value.code == "upper.nothing_to_consolidate"
    assert pair.province.reports.summaries() == []
