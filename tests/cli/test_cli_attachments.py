"""`baocao report attach | attachments | detach`: exit codes, JSON, the clerk's sentences."""

from __future__ import annotations

import shutil
from pathlib import Path

from desktop_app.cli.output import json_text
from tests.attachment_files import photo_jpeg, scan_pdf
from tests.cli.test_cli import Cli, cli, district  # noqa: F401  (fixtures)


def new_report(district: Cli) -> str:  # noqa: F811
    return str(district.json("report", "new", "cntt-quy", "--period", "2026Q1")["id"])


def test_attach_list_and_detach(district: Cli, tmp_path: Path) -> None:  # noqa: F811
    report = new_report(district)
    (tmp_path / "Biên bản.pdf").write_bytes(scan_pdf())
    (tmp_path / "anh.jpg").write_bytes(photo_jpeg())
    code, out, err = district.run("report", "attach", report, str(tmp_path / "Biên bản.pdf"))
    assert code == 0, err
    assert "Đã đính kèm «Biên bản.pdf»" in out
    jpeg = district.json("report", "attach", report, str(tmp_path / "anh.jpg"))
    assert jpeg["media_type"] == "image/jpeg"
    listed = district.json("report", "attachments", report)
    assert [a["name"] for a in listed] == ["Biên bản.pdf", "anh.jpg"]
    shown = district.json("report", "show", report)
    assert shown["attachments"] == {jpeg["sha256"]: "anh.jpg", listed[0]["sha256"]: "Biên bản.pdf"}
    document = tmp_path / "report.json"
    document.write_text(json_text(shown), encoding="utf-8")
    assert district.run("report", "set", report, "--from-json", str(document))[0] == 0
    code, out, _ = district.run("report", "attachments", report)
    assert "Ảnh JPEG" in out and "KB" in out and jpeg["sha256"][:12] in out
    code, out, err = district.run("report", "detach", report, jpeg["sha256"][:6])
    assert code == 0, err
    assert "anh.jpg" in out
    assert [a["name"] for a in district.json("report", "attachments", report)] == ["Biên bản.pdf"]


def test_refusals_exit_2_with_a_sentence(district: Cli, tmp_path: Path) -> None:  # noqa: F811
    report = new_report(district)
    (tmp_path / "bang.xlsx").write_bytes(b"PK\x03\x04 a workbook")
    code, _, err = district.run("report", "attach", report, str(tmp_path / "bang.xlsx"))
    assert code == 2
    assert "không phải PDF, PNG hoặc JPEG" in err
    code, _, err = district.run("report", "attach", report, str(tmp_path / "khong-co.pdf"))
    assert code == 2 and "Không còn thấy tệp" in err
    code, _, err = district.run("report", "detach", report, "abcd")
    assert code == 2 and "abcd" in err
    code, out, _ = district.run("report", "attachments", report)
    assert code == 0 and "chưa có tài liệu kèm theo" in out


def test_restore_brings_back_the_scans_and_refuses_an_incomplete_backup(
    district: Cli,  # noqa: F811
    tmp_path: Path,
) -> None:
    report = new_report(district)
    (tmp_path / "Biên bản.pdf").write_bytes(scan_pdf())
    pdf = district.json("report", "attach", report, str(tmp_path / "Biên bản.pdf"))
    stick = tmp_path / "usb"
    stick.mkdir()
    district.json("backup", "--to", str(stick / "saoluu.db"))
    kept = stick / "attachments" / f"{pdf['sha256']}.pdf"
    assert kept.read_bytes() == scan_pdf()
    shutil.rmtree(district.workspace / "attachments")
    code, _, err = district.run("restore", str(stick / "saoluu.db"))
    assert code == 0, err
    assert (district.workspace / "attachments" / kept.name).read_bytes() == scan_pdf()
    kept.unlink()
    (district.workspace / "attachments" / kept.name).unlink()
    code, _, err = district.run("restore", str(stick / "saoluu.db"))
    assert code == 2 and "không đầy đủ: thiếu 1 tệp" in err
