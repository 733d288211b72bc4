"""Who signs, and which copy the province prints: the approval record's signer, no "Đã ký số"
without a recognised signature, and a received report printed from the exact PDF its sender
signed (byte for byte, found by the hash the signed manifest gives)."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest

from desktop_app.core.errors import CoreError
from desktop_app.core.model.offices import Office
from desktop_app.core.paths import resource
from desktop_app.core.reports.recipients import Recipients
from desktop_app.core.reports.records import ContentChanges
from desktop_app.core.workspace import Workspace
from tests.core.documents.pdftext import page_layouts, page_texts
from tests.core.upper.helpers import (
    CENTRAL,
    PASSPHRASE,
    PERIOD,
    TEMPLATE_ID,
    enrol,
    figures_for,
    imported,
    narratives_for,
    open_office,
)

PROVINCE = Office(
    code="TU-38",
    name="Tỉnh ủy Thanh Hóa",
    level="province",
    block="party",
    abbreviation="TU",
    place="Thanh Hóa",
    parent_code=CENTRAL.code,
    superior_name="Đảng bộ tỉnh Thanh Hóa",
)
WARD = Office(
    code="DU-HT",
    name="Đảng ủy phường Hạc Thành",
    level="commune",
    block="party",
    abbreviation="ĐU",
    place="Hạc Thành",
    parent_code=PROVINCE.code,
    superior_name="Đảng bộ tỉnh Thanh Hóa",
)
PEOPLE_COMMITTEE = Office(
    code="UB-HT",
    name="Ủy ban nhân dân phường Hạc Thành",
    level="commune",
    block="state",
    abbreviation="UBND",
    place="Hạc Thành",
    parent_code=PROVINCE.code,
    superior_name="",
)


@dataclass
class Offices:
    province: Workspace
    ward: Workspace
    stick: Path


@pytest.fixture
def offices(tmp_path: Path) -> Iterator[Offices]:
    province = open_office(tmp_path, PROVINCE, CENTRAL)
    ward = open_office(tmp_path, WARD, PROVINCE)
    enrol(province, ward)
    stick = tmp_path / "stick"
    stick.mkdir()
    yield Offices(province, ward, stick)
    ward.close()
    province.close()


def _filled(workspace: Workspace) -> str:
    report_id = workspace.reports.new(TEMPLATE_ID, PERIOD)
    changes = ContentChanges(values=figures_for(3), narratives=narratives_for("Phường Hạc Thành"))
    workspace.reports.save(report_id, changes)
    return report_id


def _last_page(pdf: bytes) -> str:
    """The page with the signature: the last page before the appendices."""
    return next(text for text in page_texts(pdf) if "Nơi nhận:" in text)


def test_a_deputy_signs_under_the_committee_with_their_own_title(offices: Offices) -> None:
    report_id = _filled(offices.ward)
    offices.ward.reports.approve(report_id, "Trần Thị Hoa", "Phó Bí thư", PASSPHRASE)

    closing = _last_page(offices.ward.documents.report_pdf(report_id))

    lines = closing.split("\n")
    assert "T/M BAN THƯỜNG VỤ" in lines
    assert "PHÓ BÍ THƯ" in lines and "BÍ THƯ" not in lines
    assert "Trần Thị Hoa" in lines
    # The office key signs the bundle for transport; the PDF carries no chữ ký số.
    assert "Đã ký số" not in closing


def test_a_state_deputy_signs_for_the_head_of_the_committee(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "ub", automatic_backup=False) as ws:
        ws.initialise(PEOPLE_COMMITTEE)
        ws.keys.create(PASSPHRASE)
        report_id = _filled(ws)
        ws.reports.approve(report_id, "Lê Văn Nam", "Phó Chủ tịch", PASSPHRASE)

        lines = _last_page(ws.documents.report_pdf(report_id)).split("\n")

    block = lines[lines.index("TM. ỦY BAN NHÂN DÂN") :]
    assert block[:3] == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert "Lê Văn Nam" in block


def test_the_province_prints_the_pdf_the_ward_signed_byte_for_byte(offices: Offices) -> None:
    report_id = _filled(offices.ward)
    offices.ward.reports.approve(report_id, "Trần Thị Hoa", "Phó Bí thư", PASSPHRASE)
    bundle = offices.ward.exchange.write_export(
        offices.ward.exchange.prepare_export([report_id], PASSPHRASE), offices.stick
    )
    sent = _pdf_in_bundle(bundle)

    imported(offices.province, bundle)
    printed = offices.province.documents.report_pdf(report_id)

    assert printed == sent
    first = page_texts(printed)[0]
    assert "DỰ THẢO" not in first and "Hạc Thành, ngày" in first


def test_a_fresh_rendering_at_the_province_is_never_a_draft(offices: Offices) -> None:
    report_id = _filled(offices.ward)
    offices.ward.reports.approve(report_id, "Trần Thị Hoa", "Phó Bí thư", PASSPHRASE)
    bundle = offices.ward.exchange.write_export(
        offices.ward.exchange.prepare_export([report_id], PASSPHRASE), offices.stick
    )
    imported(offices.province, bundle)

    text = "\n".join(page_texts(offices.province.documents.report_pdf(report_id, fresh=True)))

    assert "DỰ THẢO" not in text and "(chưa viết)" not in text
    assert "PHÓ BÍ THƯ" in text and "Trần Thị Hoa" in text


def test_a_profile_other_than_the_office_block_is_refused(offices: Offices) -> None:
    report_id = _filled(offices.ward)

    with pytest.raises(CoreError) as refused:
        offices.ward.documents.report_pdf(report_id, "state")

    assert refused.value.code == "document.profile.block_mismatch"


def _pdf_in_bundle(bundle: Path) -> bytes:
    """The report's PDF as the bundle carries it, found through the signed manifest's hash."""
    with zipfile.ZipFile(bundle) as archive:
        envelope = json.loads(archive.read("bundle.dsse.json"))
        manifest = json.loads(base64.b64decode(envelope["payload"]))
        entry = next(f for f in manifest["files"] if f["path"].startswith("pdf/"))
        data = archive.read(entry["path"])
    assert hashlib.sha256(data).hexdigest() == entry["sha256"]
    return data


def test_a_ward_reports_to_the_office_above_it_not_to_the_templates_list(
    offices: Offices,
) -> None:
    report_id = _filled(offices.ward)
    offices.ward.reports.approve(report_id, "Trần Thị Hoa", "Phó Bí thư", PASSPHRASE)

    closing = _last_page(offices.ward.documents.report_pdf(report_id))

    lines = closing.split("\n")
    assert "- Ban Thường vụ Tỉnh ủy Thanh Hóa (b/c)," in lines
    assert any(line.startswith("- Lưu Văn phòng Đảng ủy phường") for line in lines)
    assert "Ủy ban nhân dân tỉnh" not in closing and "Sở Khoa học" not in closing


def test_recipients_are_edited_per_report_until_approval(offices: Offices) -> None:
    report_id = _filled(offices.ward)
    chosen = Recipients(
        addressees=("Ban Thường vụ Tỉnh ủy (b/c)",),
        copies=("Ban Tuyên giáo và Dân vận Tỉnh ủy",),
        archive="Lưu Văn phòng Đảng ủy",
    )
    offices.ward.documents.set_recipients(report_id, chosen)
    offices.ward.reports.approve(report_id, "Trần Thị Hoa", "Bí thư", PASSPHRASE)

    lines = _last_page(offices.ward.documents.report_pdf(report_id)).split("\n")

    assert lines[lines.index("Nơi nhận:") + 1 :][:3] == [
        "- Ban Thường vụ Tỉnh ủy (b/c),",
        "- Ban Tuyên giáo và Dân vận Tỉnh ủy,",
        "- Lưu Văn phòng Đảng ủy.",
    ]
    with pytest.raises(CoreError) as refused:
        offices.ward.documents.set_recipients(report_id, Recipients(addressees=("Khác",)))
    assert refused.value.code == "report.locked"


def test_office_defaults_apply_to_every_new_report(offices: Offices) -> None:
    defaults = Recipients(addressees=("Thường trực Tỉnh ủy (b/c)",), archive="Lưu VP")
    offices.ward.documents.set_default_recipients(defaults)

    report_id = _filled(offices.ward)

    assert offices.ward.documents.recipients(report_id) == defaults
    assert offices.ward.documents.default_recipients() == defaults


def test_an_office_corrects_a_secondary_value_in_its_own_copy_of_the_profile(
    offices: Offices, tmp_path: Path
) -> None:
    report_id = _filled(offices.ward)
    offices.ward.reports.approve(report_id, "Trần Thị Hoa", "Bí thư", PASSPHRASE)
    bundled = offices.ward.documents.official(report_id).profile_id
    data = json.loads(resource("profiles", f"{bundled}.json").read_text(encoding="utf-8"))
    assert "styles.body.first_indent_mm" in data.get("secondary_values", [])
    data["styles"]["body"]["first_indent_mm"] = 12.7
    own = tmp_path / WARD.code / "profiles" / f"{bundled}.json"
    own.parent.mkdir()
    own.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    first = page_layouts(offices.ward.documents.report_pdf(report_id))[0]

    assert abs(first.find("Thực hiện").left - (30 + 12.7)) < 0.6


def test_the_word_copy_keeps_the_last_paragraph_with_the_signature(offices: Offices) -> None:
    report_id = _filled(offices.ward)
    offices.ward.reports.approve(report_id, "Trần Thị Hoa", "Phó Bí thư", PASSPHRASE)

    word = docx.Document(io.BytesIO(offices.ward.documents.report_docx(report_id)))

    last = next(p for p in word.paragraphs if p.text.endswith("./."))
    assert last.paragraph_format.keep_with_next and last.paragraph_format.keep_together
    signature = [p.text for p in word.tables[1].rows[0].cells[1].paragraphs if p.text]
    assert signature == ["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "Trần Thị Hoa"]
