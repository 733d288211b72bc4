"""Faults: the service killed (kill -9, or dead at the import's crash points) loses nothing and
the sender's retry completes; a damaged store keeps it from starting."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from desktop_app.core.areas.exchange import DELIVERED, UNREACHABLE
from desktop_app.core.catalogue import message
from desktop_app.core.exchange.online import Retries
from desktop_app.core.reports.status import Status
from desktop_app.core.store import failpoints
from desktop_app.core.workspace import Workspace
from tests.core.upper.helpers import PASSPHRASE
from tests.server.conftest import (
    PROVINCE,
    Certificate,
    Offices,
    free_port,
    wait_until_listening,
)
from tests.server.helpers import approved_entry
from tests.server.test_limits import stalled_upload

QUICK = Retries(attempts=2, first_delay=0.01, timeout=30.0)


class ServiceProcess:
    """``baocao serve`` as its own process, as systemd runs it."""

    def __init__(self, workspace: Path, certificate: Certificate, port: int) -> None:
        self.workspace, self.certificate, self.port = workspace, certificate, port
        self.passphrase_file = workspace.parent / "passphrase.txt"
        self.passphrase_file.write_text(PASSPHRASE, encoding="utf-8")

    @contextmanager
    def running(self, failpoint: str | None = None) -> Iterator[subprocess.Popen[bytes]]:
        environment = dict(os.environ)
        environment.pop(failpoints.VARIABLE, None)
        if failpoint:
            environment[failpoints.VARIABLE] = failpoint
        process = subprocess.Popen(
            [
                sys.executable, "-m", "desktop_app.cli.main", "serve",
                "--workspace", str(self.workspace), "--port", str(self.port),
                "--cert", str(self.certificate.cert), "--key", str(self.certificate.key),
                "--passphrase-file", str(self.passphrase_file),
            ],
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )  # fmt: skip
        try:
            wait_until_listening(self.port, lambda: process.poll() is None)
            yield process
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)
            assert process.stderr is not None
            process.stderr.close()


def received(offices: Offices) -> list[str]:
    return sorted(r.office_code for r in offices.province.reports.summaries(origin="received"))


def test_killed_before_or_after_the_commit_the_retry_completes(
    offices: Offices, certificate: Certificate
) -> None:
    service = ServiceProcess(offices.province.root, certificate, free_port())
    first, second = offices.communes["DU-01"], offices.communes["DU-02"]
    with service.running(failpoints.IMPORT_BEFORE_COMMIT) as process:
        offices.install_config_by_usb()
        first_report, first_seq = approved_entry(first, 1)
        [lost] = first.exchange.send([first_seq], retries=QUICK)
        assert process.wait(timeout=60) == failpoints.EXIT_CODE
    assert lost.status == UNREACHABLE
    assert received(offices) == []  # nothing half-imported

    with service.running(failpoints.IMPORT_AFTER_COMMIT) as process:
        second_report, second_seq = approved_entry(second, 2)
        [answer_lost] = second.exchange.send([second_seq], retries=QUICK)
        assert process.wait(timeout=60) == failpoints.EXIT_CODE
    assert answer_lost.status == UNREACHABLE
    assert received(offices) == ["DU-02"]  # committed; only the answer was lost

    with service.running():
        [retried] = first.exchange.send([first_seq], passphrase=PASSPHRASE)
        [repeated] = second.exchange.send([second_seq], passphrase=PASSPHRASE)
    assert (retried.status, retried.code, retried.receipts) == (DELIVERED, "", 1)
    assert (repeated.status, repeated.code, repeated.receipts) == (DELIVERED, "E12", 1)
    assert received(offices) == ["DU-01", "DU-02"]
    assert first.reports.get(first_report).status == Status.ACKNOWLEDGED
    assert second.reports.get(second_report).status == Status.ACKNOWLEDGED


def test_kill_9_during_an_upload_loses_nothing(offices: Offices, certificate: Certificate) -> None:
    service = ServiceProcess(offices.province.root, certificate, free_port())
    unit = offices.communes["DU-03"]
    with service.running() as process:
        offices.install_config_by_usb()
        with stalled_upload(service.port, certificate):
            process.kill()  # SIGKILL, with half a body sent
            assert process.wait(timeout=60) == -signal.SIGKILL

    with service.running():
        _, seq = approved_entry(unit, 3)
        [sent] = unit.exchange.send([seq])
        uploads = offices.province.root / "uploads"  # its empty slot folders, no body left
        assert [path for path in uploads.rglob("*") if not path.is_dir()] == []
    assert sent.status == DELIVERED
    assert received(offices) == ["DU-03"]


def test_a_damaged_store_keeps_the_service_from_starting(tmp_path: Path) -> None:
    folder = tmp_path / "damaged"
    with Workspace.open(folder, automatic_backup=False) as workspace:
        workspace.initialise(PROVINCE)  # the bundled templates fill a few pages
    _damage_a_template_page(folder / "baocao.db")
    (folder / "sessions" / "999999-1.lock").write_bytes(b"")  # a process that died
    run = subprocess.run(
        [sys.executable, "-m", "desktop_app.cli.main", "serve", "--workspace", str(folder),
         "--no-receipts", "--port", str(free_port())],
        capture_output=True, text=True, encoding="utf-8", timeout=120, check=False,
    )  # fmt: skip
    assert run.returncode == 2
    assert run.stderr.strip() == f"baocao: {message('shell.integrity.damaged', 'vi')}"


def _damage_a_template_page(store: Path) -> None:
    """The header of the last page holding templates overwritten: the store still opens, and
    the check after an unclean shutdown finds it damaged (as the windows would)."""
    with closing(sqlite3.connect(store)) as connection:
        [(page,)] = connection.execute(
            "SELECT MAX(pageno) FROM dbstat WHERE name = 'templates'"
        ).fetchall()
        [(size,)] = connection.execute("PRAGMA page_size").fetchall()
    data = bytearray(store.read_bytes())
    start = (page - 1) * size
    data[start : start + 8] = b"\x0d" + b"\xff" * 7
    store.write_bytes(bytes(data))
