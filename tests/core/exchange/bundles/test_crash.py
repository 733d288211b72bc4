"""Power cut or kill in the middle of an import or an export (research §7.7 items 32, 33, 36).

Each test runs the import or export in a child process that dies at one named failpoint
(``desktop_app.core.store.failpoints``), exactly as a power cut would leave it: no ``finally``, no
rollback, no flush. The parent then restarts the workspace and checks that the store is intact
and either wholly before or wholly after, and that doing it again gives the right result.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop_app.core.errors import CoreError
from desktop_app.core.exchange.inbox import ALREADY, IMPORTED
from desktop_app.core.store import failpoints
from desktop_app.core.workspace import Workspace
from tests.core.exchange.bundles.conftest import PASSPHRASE, Offices
from tests.core.exchange.bundles.hostile import (
    Kit,
    copy_province,
    integrity,
    make_kit,
    sha256,
    write,
)

REPO = Path(__file__).resolve().parents[4]
FTS_SHADOW_PREFIX = "narrative_search_"

IMPORT_SCRIPT = """
import sys
from pathlib import Path
from desktop_app.core.workspace import Workspace
with Workspace.open(sys.argv[1], automatic_backup=False) as workspace:
    workspace.exchange.import_bundles([Path(sys.argv[2])])
"""

EXPORT_SCRIPT = """
import sys
from pathlib import Path
from desktop_app.core.workspace import Workspace
folder, stick, report_id, passphrase = sys.argv[1:5]
with Workspace.open(folder, automatic_backup=False) as workspace:
    entry = workspace.exchange.outbox_entry_for([report_id])
    entry = entry or workspace.exchange.prepare_export([report_id], passphrase)
    workspace.exchange.write_export(entry, Path(stick))
"""


def die_at(failpoint: str, script: str, *args: str) -> None:
    """Run ``script`` in a child process that must die at ``failpoint`` (and nowhere else)."""
    env = {**os.environ, "PYTHONPATH": str(REPO), failpoints.VARIABLE: failpoint}
    child = subprocess.run(
        [sys.executable, "-c", script, *args], env=env, capture_output=True, check=False
    )
    assert child.returncode == failpoints.EXIT_CODE, child.stderr.decode()


def dump(workspace: Workspace) -> dict[str, list[tuple[Any, ...]]]:
    """Every table, the ledger and the quarantine included."""
    names = [
        row[0]
        for row in workspace.db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        ).fetchall()
        if not row[0].startswith(FTS_SHADOW_PREFIX)
    ]
    return {n: workspace.db.execute(f"SELECT * FROM [{n}] ORDER BY 1, 2").fetchall() for n in names}


def assert_whole(workspace: Workspace) -> None:
    """Intact, and nothing half there: no ledger row without its revisions, no received report
    without its revision, no outbox entry without its reports."""
    db = workspace.db
    assert integrity(db) == [("ok",)]
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    orphans = {
        "ledger": "SELECT id FROM inbox_ledger l WHERE status = 'accepted' AND NOT EXISTS "
        "(SELECT 1 FROM received_revisions r WHERE r.ledger_id = l.id)",
        "report": "SELECT id FROM reports p WHERE origin = 'received' AND NOT EXISTS "
        "(SELECT 1 FROM received_revisions r "
        "WHERE r.report_id = p.id AND r.revision = p.current_revision)",
        "values": "SELECT report_id FROM received_revisions r WHERE NOT EXISTS "
        "(SELECT 1 FROM report_values v "
        "WHERE v.report_id = r.report_id AND v.revision = r.revision)",
        "outbox": "SELECT seq FROM outbox o WHERE NOT EXISTS "
        "(SELECT 1 FROM outbox_reports r WHERE r.seq = o.seq)",
    }
    for what, query in orphans.items():
        assert db.execute(query).fetchall() == [], what


def restarted(folder: Path) -> Workspace:
    """The app opened again after the crash: it must notice, and find the store intact."""
    workspace = Workspace.open(folder, automatic_backup=False)
    assert workspace.recovered_from_crash and workspace.integrity_ok
    return workspace


# --- import -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def kit(tmp_path_factory: pytest.TempPathFactory) -> Kit:
    return make_kit(tmp_path_factory.mktemp("kit"))


@pytest.fixture
def clean_import(kit: Kit, tmp_path: Path) -> Iterator[Workspace]:
    """The same bundle imported with no crash, to compare the result with."""
    with Workspace.open(copy_province(kit, tmp_path / "clean"), automatic_backup=False) as ws:
        [outcome] = ws.exchange.import_bundles([write(tmp_path, kit.names[0], kit.valid(1))])
        assert outcome.status == IMPORTED
        yield ws


IMPORT_POINTS = [
    (failpoints.IMPORT_AFTER_QUARANTINE, False),
    (failpoints.FILE_AFTER_PARTIAL, False),  # the quarantine copy half-way through its write
    (failpoints.IMPORT_AFTER_ARCHIVE, False),
    (failpoints.IMPORT_BEFORE_COMMIT, False),
    (failpoints.IMPORT_AFTER_COMMIT, True),
]


@pytest.mark.parametrize(
    ("failpoint", "committed"), IMPORT_POINTS, ids=[p for p, _ in IMPORT_POINTS]
)
def test_import_killed_midway_is_all_or_nothing_and_imports_once_again(
    kit: Kit, tmp_path: Path, clean_import: Workspace, failpoint: str, committed: bool
) -> None:
    folder = copy_province(kit, tmp_path / "province")
    bundle = write(tmp_path, kit.names[0], kit.valid(1))
    with Workspace.open(folder, automatic_backup=False) as before:
        state_before = dump(before)

    die_at(failpoint, IMPORT_SCRIPT, str(folder), str(bundle))

    with restarted(folder) as province:
        assert_whole(province)
        report_id = kit.report_ids[0]
        if committed:
            assert province.reports.content(report_id) == clean_import.reports.content(report_id)
        else:
            assert dump(province) == state_before
        [again] = province.exchange.import_bundles([bundle])
        assert (again.status, again.code) == ((ALREADY, "E12") if committed else (IMPORTED, ""))
        assert_whole(province)
        assert province.reports.content(report_id) == clean_import.reports.content(report_id)
        assert list(folder.rglob("*.partial")) == []  # a crash's half copy is replaced
        accepted = province.db.execute(
            "SELECT sha256 FROM inbox_ledger WHERE status = 'accepted'"
        ).fetchall()
        assert accepted == [(sha256(kit.valid(1)),)]
        assert list((folder / "quarantine").iterdir()) == []
        archived = folder / "archive" / f"{sha256(kit.valid(1))}.baocao"
        assert archived.read_bytes() == kit.valid(1)
        assert [p.name for p in (folder / "archive").iterdir()] == [archived.name]


@pytest.fixture
def full_archive(kit: Kit, tmp_path: Path) -> Iterator[Path]:
    """A province whose archive folder is a 16 KiB file system: the disk fills mid-write."""
    folder = copy_province(kit, tmp_path / "province")
    archive = folder / "archive"
    archive.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", str(archive)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip("mounting a small file system needs root")
    try:
        yield folder
    finally:
        if os.path.ismount(archive):
            subprocess.run(["umount", str(archive)], check=True)


def test_disk_full_while_archiving_refuses_cleanly_and_imports_later(
    kit: Kit, tmp_path: Path, full_archive: Path
) -> None:
    bundle = write(tmp_path, kit.names[0], kit.valid(1))
    with Workspace.open(full_archive, automatic_backup=False) as province:
        state_before = dump(province)
        with pytest.raises(CoreError) as caught:
            province.exchange.import_bundles([bundle])
        assert caught.value.code == "file.write_failed"
        assert dump(province) == state_before
        assert_whole(province)
        subprocess.run(["umount", str(full_archive / "archive")], check=True)  # space freed
        [outcome] = province.exchange.import_bundles([bundle])
        assert outcome.status == IMPORTED
        assert_whole(province)


# --- export -------------------------------------------------------------------------------------


def export_in_child(offices: Offices, report_id: str, failpoint: str) -> None:
    args = (str(offices.ward.root), str(offices.stick), report_id, PASSPHRASE)
    die_at(failpoint, EXPORT_SCRIPT, *args)


def test_export_killed_before_its_commit_leaves_no_trace(offices: Offices) -> None:
    report_id = offices.approved_report()
    state_before = dump(offices.ward)

    export_in_child(offices, report_id, failpoints.EXPORT_BEFORE_COMMIT)

    with restarted(offices.ward.root) as ward:
        assert_whole(ward)
        assert dump(ward) == state_before  # seq not taken, report still approved, no audit line
        assert ward.reports.get(report_id).status == "approved"
        assert list(offices.stick.iterdir()) == []
    path = offices.export(report_id)
    assert path.name.startswith("BC_DU-14797_000001_")
    [outcome] = offices.province.exchange.import_bundles([offices.stick])
    assert outcome.status == IMPORTED


@pytest.mark.parametrize("failpoint", [failpoints.FILE_AFTER_PARTIAL, failpoints.FILE_AFTER_RENAME])
def test_export_killed_while_writing_the_stick_writes_the_same_bytes_again(
    offices: Offices, failpoint: str
) -> None:
    report_id = offices.approved_report()

    export_in_child(offices, report_id, failpoint)

    with restarted(offices.ward.root) as ward:
        assert_whole(ward)
        [entry] = ward.exchange.outbox()
        assert entry.report_ids == (report_id,)
        assert ward.reports.get(report_id).status == "exported"
        left = {p.name: p.read_bytes() for p in offices.stick.iterdir()}
        if failpoint == failpoints.FILE_AFTER_PARTIAL:
            assert list(left) == [entry.file_name + ".partial"]
            assert offices.province.exchange.import_bundles([offices.stick]) == []  # not a bundle
        else:
            assert list(left) == [entry.file_name]
        written = ward.exchange.write_export(entry, offices.stick)
    assert written.read_bytes() == next(iter(left.values()))  # byte-identical on re-export
    assert sorted(p.name for p in offices.stick.iterdir()) == [entry.file_name]
    [outcome] = offices.province.exchange.import_bundles([offices.stick])
    assert (outcome.status, outcome.seq) == (IMPORTED, 1)
