"""Odd files chosen as a scan: a pipe, a device, a folder, a file gone or shrinking while read,
one the account may not read, one on a stick pulled out. Each ends in its own sentence; the
store and the attachments folder are unchanged, and the call returns instead of waiting."""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from desktop_app.core.catalogue import describe
from desktop_app.core.errors import CoreError
from desktop_app.core.workspace import Workspace
from tests.attachment_files import scan_pdf
from tests.hostile.conftest import only_report
from tests.hostile.store_dump import dump

POSIX_ONLY = pytest.mark.skipif(os.name != "posix", reason="pipes and devices are POSIX names")
# A call that would block on a pipe is caught by this bound instead of hanging the suite.
NEVER_WAITS_SECONDS = 10


def attach_refused(ws: Workspace, path: Path) -> CoreError:
    """Attach ``path`` on a worker thread, as the window does, and return the refusal."""
    before = (dump(ws), sorted(os.listdir(ws.attachments_dir)))
    report = only_report(ws)
    with ThreadPoolExecutor(max_workers=1) as worker:
        future = worker.submit(ws.reports.attach, report, path)
        with pytest.raises(CoreError) as refused:
            future.result(timeout=NEVER_WAITS_SECONDS)
    assert (dump(ws), sorted(os.listdir(ws.attachments_dir))) == before
    assert describe(refused.value, "vi") and describe(refused.value, "en")
    return refused.value


@pytest.fixture
def ws(keyed: Workspace) -> Workspace:
    keyed.attachments_dir.mkdir(exist_ok=True)
    return keyed


@POSIX_ONLY
def test_a_named_pipe_is_refused_without_waiting_for_a_writer(
    ws: Workspace, tmp_path: Path
) -> None:
    pipe = tmp_path / "bien-ban.pdf"
    os.mkfifo(pipe)
    assert attach_refused(ws, pipe).code == "attachment.not_a_file"


@POSIX_ONLY
def test_a_link_to_a_pipe_is_refused_too(ws: Workspace, tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "ong")
    (tmp_path / "scan.pdf").symlink_to(tmp_path / "ong")
    assert attach_refused(ws, tmp_path / "scan.pdf").code == "attachment.not_a_file"


@POSIX_ONLY
@pytest.mark.parametrize("device", ["/dev/null", "/dev/zero", "/dev/urandom"])
def test_a_device_is_refused(ws: Workspace, device: str) -> None:
    assert attach_refused(ws, Path(device)).code == "attachment.not_a_file"


def test_a_folder_is_refused(ws: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "Biên bản.pdf"
    folder.mkdir()
    refusal = attach_refused(ws, folder)
    assert refusal.code == "attachment.not_a_file"
    assert "thư mục" in describe(refusal, "vi")


def test_a_file_on_a_pulled_stick_is_named_as_gone(ws: Workspace, tmp_path: Path) -> None:
    stick = tmp_path / "usb"
    stick.mkdir()
    (stick / "scan.pdf").write_bytes(scan_pdf())
    shutil.rmtree(stick)  # pulled out after the clerk chose the file
    refusal = attach_refused(ws, stick / "scan.pdf")
    assert refusal.code == "attachment.vanished"
    assert "USB" in describe(refusal, "vi")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads every file")
def test_a_file_without_read_permission_is_refused(ws: Workspace, tmp_path: Path) -> None:
    locked = tmp_path / "mat.pdf"
    locked.write_bytes(scan_pdf())
    locked.chmod(0)
    assert attach_refused(ws, locked).code == "attachment.no_permission"


def _fstat_then(path: Path, act: Callable[[], None]) -> Callable[[int], os.stat_result]:
    """``os.fstat`` that, for the open ``path`` only, does ``act`` once it has looked."""
    real, inode = os.fstat, path.stat().st_ino

    def fstat(descriptor: int) -> os.stat_result:
        result = real(descriptor)
        if result.st_ino == inode:
            act()
        return result

    return fstat


def test_a_file_that_shrinks_while_being_read_is_refused(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scan = tmp_path / "dang-ghi.pdf"
    scan.write_bytes(scan_pdf())

    def another_program_truncates() -> None:
        os.truncate(scan, len(scan_pdf()) // 2)

    monkeypatch.setattr(os, "fstat", _fstat_then(scan, another_program_truncates))
    refusal = attach_refused(ws, scan)
    assert refusal.code == "attachment.changed"


def test_a_file_that_vanishes_while_being_read_is_named_as_gone(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(scan_pdf())
    real_open = os.open

    def deleted_between_look_and_open(path: str | Path, *args: int) -> int:
        if Path(path) == scan:
            scan.unlink()
        return real_open(path, *args)

    monkeypatch.setattr(os, "open", deleted_between_look_and_open)
    assert attach_refused(ws, scan).code == "attachment.vanished"


def test_a_read_fault_mid_file_is_refused_with_its_reason(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(scan_pdf())

    def the_stick_fails() -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, "fstat", _fstat_then(scan, the_stick_fails))
    refusal = attach_refused(ws, scan)
    assert refusal.code == "attachment.unreadable"
    assert os.strerror(errno.EIO) in describe(refusal, "en")
