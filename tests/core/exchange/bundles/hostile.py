"""Hostile bundles made from real ones: a ward exports with the real exporter, then these helpers
take its bundles apart and put them back together, re-signed with the ward's own trusted key (so
the refusal comes from the check under test, not from the signature) or with another key.

Also the database snapshot the import tests compare: every table but the ledger and the
quarantine, and every file of the workspace outside the quarantine.
"""

from __future__ import annotations

import hashlib
import shutil
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from desktop_app.core.exchange import keyring
from desktop_app.core.exchange.formats import dsse
from desktop_app.core.exchange.formats.container import ENVELOPE_NAME, write_container
from desktop_app.core.exchange.formats.keys import OfficeKey, export_public_key
from desktop_app.core.exchange.formats.model import REPORTS_PATH
from desktop_app.core.model import strictjson
from desktop_app.core.model.offices import Office
from desktop_app.core.workspace import Workspace
from tests.conftest import DISTRICT
from tests.core.exchange.bundles.conftest import CHEAP, PASSPHRASE, PROVINCE, Offices
from tests.core.exchange.formats.factory import entries, manifest_of, office_key

OTHER_WARD = Office(
    code="DU-14812",
    name="Đảng ủy phường Bỉm Sơn",
    level="commune",
    block="party",
    parent_code=PROVINCE.code,
)
OTHER_WARD_KEY = office_key(7)
STRANGER_KEY = office_key(9)  # never enrolled anywhere
PERIODS = ("2026Q1", "2026Q2", "2026Q3")

# Tables a refused import may write; everything else must stay byte for byte as it was.
IMPORT_BOOKKEEPING = frozenset(
    {"inbox_ledger", "quarantine", "pending_keys", "sqlite_sequence", "_sqlite_migrations"}
)
FTS_SHADOW_PREFIX = "narrative_search_"


@dataclass(frozen=True)
class Kit:
    """Made once per test module: three bundles (seq 1–3, one report each) from the ward, the
    ward's key, and a province folder that trusts the ward and a second ward, nothing imported."""

    bundles: tuple[bytes, ...]
    names: tuple[str, ...]
    report_ids: tuple[str, ...]
    ward_key: OfficeKey
    province_template: Path

    def valid(self, seq: int = 1) -> bytes:
        return self.bundles[seq - 1]


def make_kit(root: Path) -> Kit:
    stick = root / "usb"
    stick.mkdir(parents=True)
    with (
        Workspace.open(root / "ward", automatic_backup=False, kdf_cost=CHEAP) as ward,
        Workspace.open(root / "province", automatic_backup=False, kdf_cost=CHEAP) as province,
    ):
        province.initialise(PROVINCE)
        ward.initialise(DISTRICT)
        ward.add_unit(PROVINCE)
        ward.keys.create(PASSPHRASE)
        province.keys.trust_unit(
            province.keys.read_key_file(ward.keys.public_key_file()), DISTRICT.code
        )
        enrol(province, OTHER_WARD_KEY, OTHER_WARD)
        offices = Offices(ward, province, stick)
        report_ids = tuple(offices.approved_report(period) for period in PERIODS)
        paths = [offices.export(report_id) for report_id in report_ids]
        key = keyring.unlock(ward.db, PASSPHRASE)
    return Kit(
        bundles=tuple(path.read_bytes() for path in paths),
        names=tuple(path.name for path in paths),
        report_ids=report_ids,
        ward_key=key,
        province_template=root / "province",
    )


def enrol(workspace: Workspace, key: OfficeKey, office: Office) -> None:
    key_file = export_public_key(
        key.public_raw, office.code, office.name, "2026-01-05T08:00:00+07:00"
    )
    workspace.keys.trust_unit(workspace.keys.read_key_file(key_file), office.code)


def copy_province(kit: Kit, target: Path) -> Path:
    shutil.copytree(kit.province_template, target, ignore=shutil.ignore_patterns("sessions"))
    return target


# --- taking bundles apart and signing them again ----------------------------------------------

Mutate = Callable[[dict[str, Any]], None]


def parts(bundle: bytes) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The manifest as a dict and the files (without the mimetype and the envelope)."""
    files = entries(bundle)
    del files[ENVELOPE_NAME]
    return manifest_of(bundle), files


def envelope_of(bundle: bytes) -> bytes:
    return entries(bundle)[ENVELOPE_NAME]


def assemble(
    manifest: Mapping[str, Any],
    files: Mapping[str, bytes],
    signer: OfficeKey,
    *,
    payload_type: str = dsse.MANIFEST_TYPE,
) -> bytes:
    """A bundle whose manifest is signed by ``signer``; no check of any kind is made here."""
    body = strictjson.canonical_bytes(dict(manifest))
    envelope = dsse.to_bytes(dsse.sign(payload_type, body, [signer]))
    return pack(envelope, files)


def pack(envelope: bytes, files: Mapping[str, bytes]) -> bytes:
    return write_container([(ENVELOPE_NAME, envelope), *files.items()])


def reforge(
    bundle: bytes,
    signer: OfficeKey,
    *,
    manifest: Mutate | None = None,
    report: Mutate | None = None,
    raw_reports: Callable[[bytes], bytes] | None = None,
) -> bytes:
    """``bundle`` with its first report (``report``), its report file as bytes (``raw_reports``)
    and its manifest (``manifest``) changed, relisted and properly signed again."""
    document, files = parts(bundle)
    if report or raw_reports:
        reports = strictjson.parse(files[REPORTS_PATH], max_bytes=1 << 25)
        if report:
            report(reports["reports"][0])
        content = strictjson.canonical_bytes(reports)
        files[REPORTS_PATH] = raw_reports(content) if raw_reports else content
        relist(document, REPORTS_PATH, files[REPORTS_PATH])
    if manifest:
        manifest(document)
    return assemble(document, files, signer)


def relist(document: dict[str, Any], path: str, content: bytes) -> None:
    for entry in document["files"]:
        if entry["path"] == path:
            entry["sha256"] = hashlib.sha256(content).hexdigest()
            entry["size"] = len(content)
    document["totals"]["byte_count"] = sum(entry["size"] for entry in document["files"])


def on_both(**changes: Any) -> tuple[Mutate, Mutate]:
    """The same change to the report data and to the manifest's header of that report, so the
    two still agree and only the database-level checks can object."""

    def report(item: dict[str, Any]) -> None:
        item.update(changes)

    def manifest(document: dict[str, Any]) -> None:
        document["reports"][0].update(changes)

    return report, manifest


def renumbered(seq: int, prev: str | None) -> Mutate:
    """Another bundle of the same sender: new bundle id, sequence number and chain link."""

    def mutate(document: dict[str, Any]) -> None:
        document.update(bundle_id=str(uuid.uuid4()), seq=seq, prev_manifest_sha256=prev)

    return mutate


def manifest_sha256(bundle: bytes) -> str:
    return hashlib.sha256(strictjson.canonical_bytes(manifest_of(bundle))).hexdigest()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- what must not change -----------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    tables: dict[str, list[tuple[Any, ...]]]
    files: dict[str, str]


def snapshot(workspace: Workspace) -> Snapshot:
    return Snapshot(table_dump(workspace.db), file_hashes(workspace.root))


def table_dump(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    names = [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        ).fetchall()
    ]
    kept = [n for n in names if n not in IMPORT_BOOKKEEPING and not n.startswith(FTS_SHADOW_PREFIX)]
    return {name: db.execute(f"SELECT * FROM [{name}] ORDER BY 1, 2").fetchall() for name in kept}


def file_hashes(root: Path) -> dict[str, str]:
    """Every file of the workspace but the live database, the session markers and the
    quarantine, with its hash: a refused bundle may add to the quarantine and nothing else."""
    skipped = ("quarantine/", "sessions/")
    return {
        str(path.relative_to(root)): sha256(path.read_bytes())
        for path in sorted(root.rglob("*"))
        if path.is_file()
        and not path.name.startswith("baocao.db")
        and not str(path.relative_to(root)).startswith(skipped)
    }


def integrity(db: Database) -> list[tuple[Any, ...]]:
    return db.execute("PRAGMA integrity_check").fetchall()


def ledger(db: Database) -> list[tuple[Any, ...]]:
    return db.execute(
        "SELECT sha256, status, code, sender_code, seq FROM inbox_ledger ORDER BY id"
    ).fetchall()


def quarantined(db: Database) -> dict[str, str]:
    return dict(db.execute("SELECT sha256, code FROM quarantine").fetchall())


def pending_keys(db: Database) -> list[str]:
    return [row[0] for row in db.execute("SELECT key_id FROM pending_keys").fetchall()]


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def without(files: Mapping[str, bytes], *names: str) -> dict[str, bytes]:
    return {name: content for name, content in files.items() if name not in names}
