"""Commune → province with a PDF and a JPEG attachment: the bundle carries them as att/
entries named by their hash, the province stores them and gives back the very same bytes."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.core.catalogue import describe
from desktop_app.core.errors import CoreError
from desktop_app.core.exchange import outbox
from desktop_app.core.exchange.keyring import unlock
from desktop_app.core.model.limits import MAX_ATTACHMENT_BYTES
from tests.attachment_files import photo_jpeg, scan_pdf
from tests.attachment_network import JPEG_NAME, PDF_NAME, Pair, export, open_pair
from tests.core.exchange.formats.factory import entries, manifest_of
from tests.core.upper.helpers import PASSPHRASE, imported


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    pair = open_pair(tmp_path)
    yield pair
    pair.commune.close()
    pair.province.close()


def sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def test_the_bundle_carries_each_attachment_named_by_its_hash(pair: Pair) -> None:
    bundle = export(pair).read_bytes()
    files = entries(bundle)
    assert files[f"att/{sha(scan_pdf())}.pdf"] == scan_pdf()
    assert files[f"att/{sha(photo_jpeg())}.jpg"] == photo_jpeg()
    manifest = manifest_of(bundle)
    [report] = manifest["reports"]
    assert f"att/{sha(photo_jpeg())}.jpg" in report["files"]
    listed = {f["path"]: f for f in manifest["files"]}
    assert listed[f"att/{sha(scan_pdf())}.pdf"]["sha256"] == sha(scan_pdf())
    assert listed[f"att/{sha(photo_jpeg())}.jpg"]["media_type"] == "image/jpeg"


def test_the_province_receives_identical_bytes_and_the_names(pair: Pair, tmp_path: Path) -> None:
    imported(pair.province, export(pair))
    received = {a.name: a for a in pair.province.reports.attachments(pair.report_id)}
    assert set(received) == {PDF_NAME, JPEG_NAME}
    assert received[PDF_NAME].media_type == "application/pdf"
    content = pair.province.reports.attachment_content
    assert content(pair.report_id, received[PDF_NAME].sha256[:8]) == scan_pdf()
    assert content(pair.report_id, received[JPEG_NAME].sha256[:8]) == photo_jpeg()
    saved = pair.province.reports.save_attachment(
        pair.report_id, received[JPEG_NAME].sha256, tmp_path / "anh.jpg"
    )
    assert saved.read_bytes() == photo_jpeg()
    [task] = pair.province.reports.content(pair.report_id).lists["nhiem_vu"]
    assert task["tep_minh_chung"] == sha(scan_pdf())
    assert pair.province.reports.validate(pair.report_id) == []


def test_a_damaged_file_at_the_province_is_said_not_served(pair: Pair) -> None:
    imported(pair.province, export(pair))
    stored = pair.province.root / "attachments" / f"{sha(photo_jpeg())}.jpg"
    stored.write_bytes(photo_jpeg(200))
    with pytest.raises(CoreError) as damaged:
        pair.province.reports.attachment_content(pair.report_id, sha(photo_jpeg()))
    assert damaged.value.code == "attachment.damaged"
    assert JPEG_NAME in describe(damaged.value, "vi")


def test_an_export_past_the_bundle_cap_is_refused_before_signing(pair: Pair) -> None:
    """Ten reports at the report cap fit; the outbox refuses more before signing anything
    (fed here straight to the outbox: fifty real 10 MB scans would only slow the suite)."""
    scans = {pair.report_id: [b"%PDF-" + b"0" * MAX_ATTACHMENT_BYTES] * 50}
    key = unlock(pair.commune.db, PASSPHRASE)
    template = pair.commune.reports.template_of(pair.report_id)
    office = pair.commune.office
    with pytest.raises(CoreError) as refused:
        outbox.prepare(pair.commune.db, office, {pair.report_id: template}, {}, key, "t", scans)
    assert refused.value.code == "export.too_large"
    assert "512 MB" in describe(refused.value, "vi")
    assert pair.commune.exchange.outbox() == []
