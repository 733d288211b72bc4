"""Approve → export to the stick → import at the province: the figures arrive unchanged."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from desktop_app.core.errors import CoreError
from desktop_app.core.exchange import inbox
from desktop_app.core.exchange.report_data import report_data
from desktop_app.core.model.strictjson import canonical_bytes
from desktop_app.core.reports.records import ContentChanges
from desktop_app.core.reports.values import typed
from tests.core.exchange.bundles.conftest import PASSPHRASE, Offices
from tests.hostile.store_dump import dump


def test_a_report_travels_up_unchanged(offices: Offices) -> None:
    report_id = offices.approved_report()
    path = offices.export(report_id)
    assert path.name.startswith("BC_DU-14797_000001_") and path.suffix == ".baocao"
    [outcome] = offices.province.exchange.import_bundles([path])
    assert (outcome.status, outcome.code) == ("imported", "")
    received = offices.province.reports.get(report_id)
    assert received.origin == "received" and received.office_code == "DU-14797"
    assert offices.province.reports.content(report_id) == offices.ward.reports.content(report_id)
    assert offices.ward.reports.get(report_id).status == "exported"


def test_importing_twice_says_already(offices: Offices) -> None:
    path = offices.export(offices.approved_report())
    offices.province.exchange.import_bundles([path])
    [again] = offices.province.exchange.import_bundles([path])
    assert (again.status, again.code) == ("already", "E12")


def test_re_export_gives_identical_bytes(offices: Offices) -> None:
    report_id = offices.approved_report()
    first = offices.export(report_id).read_bytes()
    (offices.stick / "again").mkdir()
    entry = offices.ward.exchange.outbox_entry_for([report_id])
    assert entry is not None
    second = offices.ward.exchange.write_export(entry, offices.stick / "again").read_bytes()
    assert first == second


def test_wrong_passphrase_changes_nothing(offices: Offices) -> None:
    report_id = offices.filled_report()
    with pytest.raises(CoreError) as caught:
        offices.ward.reports.approve(report_id, "Lê Văn Bình", "Bí thư", "sai mật khẩu")
    assert caught.value.code == "key.wrong_passphrase"
    assert offices.ward.reports.get(report_id).status == "draft"


def test_approved_revision_is_frozen_and_edits_start_a_new_one(offices: Offices) -> None:
    report_id = offices.approved_report()
    with pytest.raises(CoreError) as caught:
        offices.ward.reports.save(report_id, ContentChanges(values={"tong_may_tinh": 70}))
    assert caught.value.code == "report.locked"
    assert offices.ward.reports.new_revision(report_id) == 2
    offices.ward.reports.save(report_id, ContentChanges(values={"tong_may_tinh": 70}))
    assert offices.ward.reports.content(report_id, 1).values["tong_may_tinh"] == "64"
    assert offices.ward.reports.get(report_id).supersedes == 1


def test_a_report_with_errors_cannot_be_approved(offices: Offices) -> None:
    report_id = offices.ward.reports.new("cntt-quy", "2026Q3")
    with pytest.raises(CoreError) as caught:
        offices.ward.reports.approve(report_id, "Lê Văn Bình", "Bí thư", PASSPHRASE)
    assert caught.value.code == "approval.has_errors"


def test_approval_takes_a_document_number_that_prints(offices: Offices) -> None:
    from tests.core.documents.pdftext import page_texts

    report_id = offices.approved_report()
    first_page = page_texts(offices.ward.documents.report_pdf(report_id))[0]
    assert "Số 01-BC/ĐU" in first_page
    assert "Lê Văn Bình" in "\n".join(page_texts(offices.ward.documents.report_pdf(report_id)))


def test_second_bundle_chains_to_the_first(offices: Offices) -> None:
    first = offices.export(offices.approved_report("2026Q2"))
    second = offices.export(offices.approved_report("2026Q3"))
    outcomes = offices.province.exchange.import_bundles([second, first])
    assert [o.status for o in outcomes] == ["imported", "imported"]
    assert outcomes[0].warnings and outcomes[0].warnings[0][0] == "W01"


def test_verify_changes_nothing(offices: Offices) -> None:
    path = offices.export(offices.approved_report())
    [outcome] = offices.province.exchange.verify_bundles([path])
    assert outcome.status == "imported"
    assert offices.province.reports.summaries() == []
    assert not (offices.province.root / "quarantine").exists()


def test_verify_judges_a_stick_as_the_import_would_and_keeps_nothing(offices: Offices) -> None:
    first = offices.export(offices.approved_report("2026Q2"))
    second = offices.export(offices.approved_report("2026Q3"))
    before = dump(offices.province)
    alone = offices.province.exchange.verify_bundles([second])
    together = offices.province.exchange.verify_bundles([offices.stick])
    assert [(o.status, [code for code, _ in o.warnings]) for o in alone] == [("imported", ["W01"])]
    assert [(o.seq, o.status, o.warnings) for o in together] == [
        (1, "imported", ()),
        (2, "imported", ()),  # its first bundle is on the same stick: no gap
    ]
    assert dump(offices.province) == before  # nothing was kept
    imported = offices.province.exchange.import_bundles([offices.stick])
    assert [(o.seq, o.status, o.warnings) for o in imported] == [
        (o.seq, o.status, o.warnings) for o in together
    ]
    assert first.exists()


def test_a_rotated_key_keeps_the_bundles_flowing(offices: Offices) -> None:
    offices.province.exchange.import_bundles([offices.export(offices.approved_report("2026Q2"))])
    _info, statement = offices.ward.keys.rotate(PASSPHRASE, "mật khẩu mới của Bí thư")
    entry = offices.province.keys.accept_rotation(statement)
    assert entry.fingerprint == offices.ward.keys.active().fingerprint
    old = [e for e in offices.province.keys.trust_list() if e.key_id != entry.key_id]
    assert [e.revoked_after_seq for e in old] == [1]  # nothing after bundle 1 from the old key
    report_id = offices.filled_report("2026Q3")
    offices.ward.reports.approve(report_id, "Lê Văn Bình", "Bí thư", "mật khẩu mới của Bí thư")
    entry_out = offices.ward.exchange.prepare_export([report_id], "mật khẩu mới của Bí thư")
    path = offices.ward.exchange.write_export(entry_out, offices.stick)
    [outcome] = offices.province.exchange.import_bundles([path])
    assert outcome.status == "imported"


def test_a_rotation_statement_not_signed_by_a_trusted_key_is_refused(offices: Offices) -> None:
    _info, statement = offices.ward.keys.rotate(PASSPHRASE, "mật khẩu mới của Bí thư")
    tampered = statement.replace(b'"payload":"', b'"payload":"A', 1)
    with pytest.raises(CoreError) as caught:
        offices.province.keys.accept_rotation(tampered)
    assert caught.value.code == "key.rotation_invalid"
    assert len(offices.province.keys.trust_list()) == 1


def test_bundles_are_judged_in_order_across_batches(
    offices: Offices, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(inbox, "BATCH_FILES", 2)
    paths = [offices.export(offices.approved_report(period)) for period in ("2026Q1", "2026Q2")]
    paths.append(offices.export(offices.approved_report("2026Q3")))
    copy = offices.stick / "copy" / paths[0].name
    copy.parent.mkdir()
    copy.write_bytes(paths[0].read_bytes())
    # A copy of the first bundle in the same batch as the first, and a gap-free chain whose
    # third link is judged in the second batch against the first batch's commit.
    outcomes = offices.province.exchange.import_bundles([paths[0], copy, paths[1], paths[2]])
    assert [(o.status, o.code, o.seq) for o in outcomes] == [
        ("imported", "", 1),
        ("already", "E12", 1),
        ("imported", "", 2),
        ("imported", "", 3),
    ]
    root = offices.province.root
    assert len(list((root / "archive").iterdir())) == 3
    assert list((root / "quarantine").iterdir()) == []
    assert len(offices.province.keys.trust_list()) == 1


def test_figures_on_the_wire_are_written_as_before(offices: Offices) -> None:
    """data/reports.json is binding: the figure encoder must not move a byte. Every number
    goes as an exact decimal (an integer as digits), a date as ISO text, yes/no as a boolean."""
    report_id = offices.approved_report()
    template = offices.ward.templates.get("cntt-quy")
    sent = report_data(offices.ward.db, template, offices.ward.office, report_id, 1)
    stored = offices.ward.reports.content(report_id).values
    as_specified: dict[str, object] = {}
    for indicator in template.indicators:
        value = typed(indicator, stored.get(indicator.id))
        if value is not None:
            as_specified[indicator.id] = value.isoformat() if isinstance(value, date) else value
    assert {type(v) for v in as_specified.values()} >= {Decimal, bool}
    assert canonical_bytes(dict(sent.values)) == canonical_bytes(as_specified)
