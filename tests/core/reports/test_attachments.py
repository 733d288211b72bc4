"""Attachments (minh chứng) through ``ws.reports``: a real store, real files in a tmp folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.core.catalogue import describe
from desktop_app.core.errors import CoreError
from desktop_app.core.model.limits import MAX_ATTACHMENT_BYTES, MAX_REPORT_ATTACHMENT_BYTES
from desktop_app.core.model.offices import Office
from desktop_app.core.reports.attachment_store import sha256_of
from desktop_app.core.reports.records import ContentChanges
from desktop_app.core.reports.status import Status
from desktop_app.core.reports.templates import TemplateError, load_template_bytes
from desktop_app.core.workspace import Workspace
from tests.attachment_files import (
    complete_quarter,
    nq57_with_evidence,
    photo_jpeg,
    picture_png,
    scan_pdf,
)
from tests.core.upper.helpers import CHEAP

COMMUNE = Office(code="DU-01", name="Đảng ủy xã An Phú", level="commune", block="party")
TASK = {
    "noi_dung": "Số hóa hồ sơ đảng viên",
    "don_vi_chu_tri": "Văn phòng Đảng ủy",
    "thoi_han": "30/06/2026",
    "tinh_trang": "Hoàn thành",
}


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    workspace = Workspace.open(tmp_path / "xa", automatic_backup=False, kdf_cost=CHEAP)
    workspace.initialise(COMMUNE, install_bundled_templates=False)
    workspace.templates.install(nq57_with_evidence())
    yield workspace
    workspace.close()


@pytest.fixture
def report(workspace: Workspace) -> str:
    return workspace.reports.new("nq57-quy-xa", "2026Q1")


def write(folder: Path, name: str, content: bytes) -> Path:
    path = folder / name
    path.write_bytes(content)
    return path


def test_an_attached_pdf_is_kept_by_its_hash_listed_and_read_back(
    workspace: Workspace, report: str, tmp_path: Path
) -> None:
    source = write(tmp_path, "Biên bản.pdf", scan_pdf())
    attachment = workspace.reports.attach(report, source)
    assert (attachment.name, attachment.media_type) == ("Biên bản.pdf", "application/pdf")
    assert attachment.sha256 == sha256_of(scan_pdf())
    assert attachment.size == len(scan_pdf())
    stored = workspace.root / "attachments" / f"{attachment.sha256}.pdf"
    assert stored.read_bytes() == scan_pdf()
    assert workspace.reports.attachments(report) == [attachment]
    assert workspace.reports.attachment_content(report, attachment.sha256[:6]) == scan_pdf()
    copy = workspace.reports.save_attachment(report, attachment.sha256[:8], tmp_path / "ra.pdf")
    assert copy.read_bytes() == scan_pdf()
    history = [(h["action"], h["new_value"]) for h in workspace.reports.history(report)]
    assert ("attachment.added", "Biên bản.pdf") in history


def test_the_content_decides_the_type_not_the_name(
    workspace: Workspace, report: str, tmp_path: Path
) -> None:
    jpeg = workspace.reports.attach(report, write(tmp_path, "anh.pdf", photo_jpeg()))
    png = workspace.reports.attach(report, write(tmp_path, "so-do", picture_png()))
    assert (jpeg.media_type, png.media_type) == ("image/jpeg", "image/png")
    with pytest.raises(CoreError) as refused:
        workspace.reports.attach(report, write(tmp_path, "bang.pdf", b"PK\x03\x04 a zip"))
    assert refused.value.code == "attachment.not_supported"
    assert "bang.pdf" in describe(refused.value, "vi")
    assert len(workspace.reports.attachments(report)) == 2


def test_caps_per_file_and_per_report(workspace: Workspace, report: str, tmp_path: Path) -> None:
    big = b"%PDF-1.4\n" + b"0" * MAX_ATTACHMENT_BYTES
    with pytest.raises(CoreError) as refused:
        workspace.reports.attach(report, write(tmp_path, "lon.pdf", big))
    assert refused.value.code == "attachment.too_big"
    assert "10 MB" in describe(refused.value, "vi")
    piece = MAX_ATTACHMENT_BYTES - 1000
    for n in range(MAX_REPORT_ATTACHMENT_BYTES // piece):
        content = b"%PDF-1.4\n" + bytes([n]) * piece
        workspace.reports.attach_bytes(report, f"phan-{n}.pdf", content)
    with pytest.raises(CoreError) as full:
        workspace.reports.attach_bytes(report, "them.pdf", b"%PDF-1.4\n" + b"x" * piece)
    assert full.value.code == "attachment.report_full"
    stored = {p.name.split(".")[0] for p in (workspace.root / "attachments").iterdir()}
    assert stored == {a.sha256 for a in workspace.reports.attachments(report)}  # no stray file
    assert sum(a.size for a in workspace.reports.attachments(report)) <= MAX_REPORT_ATTACHMENT_BYTES


def test_an_unreadable_file_and_a_second_copy_are_refused(
    workspace: Workspace, report: str, tmp_path: Path
) -> None:
    with pytest.raises(CoreError) as missing:
        workspace.reports.attach(report, tmp_path / "khong-co.pdf")
    assert missing.value.code == "attachment.vanished"
    workspace.reports.attach_bytes(report, "a.pdf", scan_pdf())
    with pytest.raises(CoreError) as twice:
        workspace.reports.attach_bytes(report, "b.pdf", scan_pdf())
    assert twice.value.code == "attachment.already_attached"
    assert "a.pdf" in describe(twice.value, "en")


def test_a_list_cell_names_an_attachment_and_validation_refuses_a_missing_one(
    workspace: Workspace, report: str
) -> None:
    attachment = workspace.reports.attach_bytes(report, "Quyết định.pdf", scan_pdf())
    task = {**TASK, "tep_minh_chung": attachment.sha256.upper()}
    content = workspace.reports.save(report, ContentChanges(lists={"nhiem_vu": [task]}))
    assert content.lists["nhiem_vu"][0]["tep_minh_chung"] == attachment.sha256
    assert content.attachments == {attachment.sha256: "Quyết định.pdf"}
    assert not [i for i in workspace.reports.validate(report) if i.code.startswith("list.att")]
    other = {**TASK, "tep_minh_chung": sha256_of(b"not attached")}
    workspace.reports.save(report, ContentChanges(lists={"nhiem_vu": [task, other]}))
    issues = [i for i in workspace.reports.validate(report) if i.code == "list.attachment_missing"]
    assert [i.field for i in issues] == ["nhiem_vu/2/tep_minh_chung"]
    assert workspace.reports.mark_ready(report)  # refused: the issues come back
    assert workspace.reports.get(report).status == Status.DRAFT


def test_a_cell_that_is_not_a_hash_is_refused_before_saving(
    workspace: Workspace, report: str
) -> None:
    task = {**TASK, "tep_minh_chung": "ảnh chụp biên bản"}
    with pytest.raises(CoreError) as refused:
        workspace.reports.save(report, ContentChanges(lists={"nhiem_vu": [task]}))
    assert refused.value.code == "value.not_attachment"
    assert workspace.reports.content(report).lists == {}


def test_detach_by_prefix_refused_while_a_cell_names_it(workspace: Workspace, report: str) -> None:
    kept = workspace.reports.attach_bytes(report, "giu.pdf", scan_pdf())
    loose = workspace.reports.attach_bytes(report, "anh.jpg", photo_jpeg())
    workspace.reports.save(
        report, ContentChanges(lists={"nhiem_vu": [{**TASK, "tep_minh_chung": kept.sha256}]})
    )
    with pytest.raises(CoreError) as in_use:
        workspace.reports.detach(report, kept.sha256[:6])
    assert in_use.value.code == "attachment.in_use"
    assert "dòng 1" in describe(in_use.value, "vi")
    with pytest.raises(CoreError) as unknown:
        workspace.reports.detach(report, "ffff" if not loose.sha256.startswith("ffff") else "0000")
    assert unknown.value.code == "attachment.not_found"
    assert workspace.reports.detach(report, loose.sha256[:5]) == loose
    assert workspace.reports.attachments(report) == [kept]
    actions = [h["action"] for h in workspace.reports.history(report)]
    assert actions.count("attachment.removed") == 1


def test_a_new_revision_carries_the_attachments_and_the_old_one_stays_frozen(
    workspace: Workspace, report: str
) -> None:
    from tests.core.upper.helpers import PASSPHRASE

    workspace.keys.create(PASSPHRASE)
    attachment = workspace.reports.attach_bytes(report, "bien-ban.pdf", scan_pdf())
    tasks = [{**TASK, "tep_minh_chung": attachment.sha256}]
    workspace.reports.save(report, complete_quarter(1, tasks))
    workspace.reports.approve(report, "Nguyễn Văn A", "Bí thư", PASSPHRASE)
    with pytest.raises(CoreError) as locked:
        workspace.reports.attach_bytes(report, "anh.jpg", photo_jpeg())
    assert locked.value.code == "report.locked"
    second = workspace.reports.new_revision(report)
    assert workspace.reports.attachments(report) == [attachment]
    assert [i for i in workspace.reports.validate(report) if i.severity == "error"] == []
    workspace.reports.attach_bytes(report, "anh.jpg", photo_jpeg())
    assert len(workspace.reports.attachments(report, second)) == 2
    assert workspace.reports.attachments(report, second - 1) == [attachment]


def test_a_grid_column_cannot_be_an_attachment() -> None:
    import json

    from tests.attachment_files import bundled_template_files

    path = next(p for p in bundled_template_files() if p.stem == "nq57-quy-xa")
    document = json.loads(path.read_text(encoding="utf-8"))
    document["grids"][0]["columns"][0]["type"] = "attachment"
    for key in ("aggregation", "min", "max", "decimals", "formula", "carry", "ratio"):
        document["grids"][0]["columns"][0].pop(key, None)
    with pytest.raises(TemplateError) as refused:
        load_template_bytes(json.dumps(document, ensure_ascii=False).encode(), "x.json")
    assert "attachment" in describe(refused.value, "en")
