"""Hostile att/ entries in a bundle signed by the commune's own enrolled key: each is refused
with its code, and neither the store nor the attachments folder changes."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from desktop_app.core.exchange import keyring
from desktop_app.core.exchange.formats.keys import OfficeKey
from desktop_app.core.exchange.formats.model import REPORTS_PATH
from desktop_app.core.exchange.inbox import REFUSED
from desktop_app.core.model import strictjson
from desktop_app.core.model.limits import MAX_ATTACHMENT_BYTES
from desktop_app.core.workspace import Workspace
from tests.attachment_files import photo_jpeg, picture_png, scan_pdf
from tests.attachment_network import export, open_pair
from tests.core.exchange.bundles.hostile import assemble, parts, relist, write
from tests.core.upper.helpers import PASSPHRASE
from tests.hostile.store_dump import IMPORT_BOOKKEEPING, dump

Files = dict[str, bytes]
Forge = Callable[[dict[str, Any], Files, dict[str, Any]], None]


@dataclass(frozen=True)
class Kit:
    bundle: bytes
    key: OfficeKey
    province: Path


@pytest.fixture(scope="module")
def kit(tmp_path_factory: pytest.TempPathFactory) -> Kit:
    root = tmp_path_factory.mktemp("att")
    pair = open_pair(root)
    try:
        bundle = export(pair).read_bytes()
        key = keyring.unlock(pair.commune.db, PASSPHRASE)
    finally:
        pair.commune.close()
        pair.province.close()
    return Kit(bundle, key, root / "province")


@pytest.fixture
def province(kit: Kit, tmp_path: Path) -> Iterator[Workspace]:
    target = tmp_path / "province"
    shutil.copytree(kit.province, target, ignore=shutil.ignore_patterns("sessions"))
    (tmp_path / "usb").mkdir()
    with Workspace.open(target, automatic_backup=False) as workspace:
        yield workspace


def sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def add_att(manifest: dict[str, Any], files: Files, path: str, content: bytes, kind: str) -> None:
    """List one more att/ entry for the report, with an honest hash and size."""
    files[path] = content
    manifest["files"].append({"path": path, "sha256": sha(content), "size": 0, "media_type": kind})
    manifest["files"].sort(key=lambda entry: entry["path"])
    manifest["reports"][0]["files"].append(path)
    manifest["totals"]["file_count"] += 1
    relist(manifest, path, content)


def mislabelled(manifest: dict[str, Any], files: Files, report: dict[str, Any]) -> None:
    """A PNG sent as a JPEG (its name and media type say jpg)."""
    add_att(manifest, files, f"att/{sha(picture_png())}.jpg", picture_png(), "image/jpeg")


def not_a_scan(manifest: dict[str, Any], files: Files, report: dict[str, Any]) -> None:
    content = b"MZ\x90\x00 a program, not a scan"
    add_att(manifest, files, f"att/{sha(content)}.pdf", content, "application/pdf")


def too_big(manifest: dict[str, Any], files: Files, report: dict[str, Any]) -> None:
    content = b"%PDF-1.4\n" + b"0" * MAX_ATTACHMENT_BYTES
    add_att(manifest, files, f"att/{sha(content)}.pdf", content, "application/pdf")


def cell_names_an_absent_attachment(
    manifest: dict[str, Any], files: Files, report: dict[str, Any]
) -> None:
    report["lists"]["nhiem_vu"][0]["tep_minh_chung"] = sha(b"never carried")


def name_of_an_absent_attachment(
    manifest: dict[str, Any], files: Files, report: dict[str, Any]
) -> None:
    report["attachments"][sha(b"never carried")] = "Công văn.pdf"


def name_across_two_lines(manifest: dict[str, Any], files: Files, report: dict[str, Any]) -> None:
    report["attachments"][sha(scan_pdf())] = "Biên bản\nnghiệm thu.pdf"


def cell_names_another_reports_file(
    manifest: dict[str, Any], files: Files, report: dict[str, Any]
) -> None:
    """The JPEG is in the bundle but taken off this report's own list of files."""
    path = f"att/{sha(photo_jpeg())}.jpg"
    manifest["reports"][0]["files"].remove(path)
    del report["attachments"][sha(photo_jpeg())]
    report["lists"]["nhiem_vu"][0]["tep_minh_chung"] = sha(photo_jpeg())


def dropped_file(manifest: dict[str, Any], files: Files, report: dict[str, Any]) -> None:
    """The manifest still lists the PDF; the ZIP no longer holds it."""
    del files[f"att/{sha(scan_pdf())}.pdf"]


# (case, forgery, code, what the refusal names: its field or path begins so)
CASES: list[tuple[str, Forge, str, str]] = [
    ("png-sent-as-jpeg", mislabelled, "E16", f"att/{sha(picture_png())}"),
    ("program-sent-as-pdf", not_a_scan, "E16", "att/"),
    ("attachment-over-10-MB", too_big, "E16", "att/"),
    ("cell-names-an-absent-attachment", cell_names_an_absent_attachment, "E16", "nhiem_vu/1/"),
    ("name-of-an-absent-attachment", name_of_an_absent_attachment, "E16", "attachments/"),
    ("name-across-two-lines", name_across_two_lines, "E16", "attachments/"),
    ("cell-names-a-file-of-no-report", cell_names_another_reports_file, "E16", "nhiem_vu/1/"),
    ("listed-file-missing", dropped_file, "E15", f"att/{sha(scan_pdf())}"),
]


def forge(kit: Kit, change: Forge) -> bytes:
    manifest, files = parts(kit.bundle)
    data = strictjson.parse(files[REPORTS_PATH], max_bytes=1 << 25)
    change(manifest, files, data["reports"][0])
    files[REPORTS_PATH] = strictjson.canonical_bytes(data)
    relist(manifest, REPORTS_PATH, files[REPORTS_PATH])
    return assemble(manifest, files, kit.key)


@pytest.mark.parametrize(("case", "change", "code", "named"), CASES, ids=[c[0] for c in CASES])
def test_a_hostile_attachment_is_refused_and_changes_nothing(
    kit: Kit, province: Workspace, case: str, change: Forge, code: str, named: str
) -> None:
    bundle = forge(kit, change)
    before = dump(province, without=IMPORT_BOOKKEEPING)
    folder = province.root / "attachments"
    path = write(province.root.parent / "usb", f"BC_{case}.baocao", bundle)
    [outcome] = province.exchange.import_bundles([path])
    assert (outcome.status, outcome.code) == (REFUSED, code), outcome
    assert str(outcome.params.get("field", outcome.params.get("path"))).startswith(named)
    assert dump(province, without=IMPORT_BOOKKEEPING) == before
    assert not folder.exists() or list(folder.iterdir()) == []


def test_the_untouched_bundle_is_accepted(kit: Kit, province: Workspace) -> None:
    """The forger itself changes nothing: re-signed as it is, the bundle goes in."""
    bundle = forge(kit, lambda manifest, files, report: None)
    path = write(province.root.parent / "usb", "BC_same.baocao", bundle)
    [outcome] = province.exchange.import_bundles([path])
    assert outcome.status == "imported", outcome
    assert len(list((province.root / "attachments").iterdir())) == 2
