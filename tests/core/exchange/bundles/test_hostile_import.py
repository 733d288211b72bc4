"""Hostile bundles against the real import (research §7.7), on real files and a real store.

Every case goes through ``Workspace.import_bundles`` and must end with its exact code and
status, an intact database, the file kept in quarantine, and nothing else changed: every table
but the ledger and the quarantine, and every file outside the quarantine, are compared before
and after.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from desktop_app.core.catalogue import message
from desktop_app.core.errors import CoreError
from desktop_app.core.exchange import outbox
from desktop_app.core.exchange.formats import dsse
from desktop_app.core.exchange.formats.container import ENVELOPE_NAME
from desktop_app.core.exchange.formats.model import REPORTS_PATH
from desktop_app.core.exchange.inbox import ALREADY, IMPORTED, PENDING, REFUSED, ImportOutcome
from desktop_app.core.model import strictjson
from desktop_app.core.reports.records import ContentChanges
from desktop_app.core.workspace import Workspace
from tests.conftest import DISTRICT
from tests.core.exchange.bundles.hostile import (
    OTHER_WARD,
    OTHER_WARD_KEY,
    STRANGER_KEY,
    Kit,
    assemble,
    copy_province,
    enrol,
    envelope_of,
    integrity,
    ledger,
    make_kit,
    manifest_sha256,
    on_both,
    pack,
    parts,
    pending_keys,
    quarantined,
    reforge,
    renumbered,
    sha256,
    snapshot,
    without,
    write,
)
from tests.core.exchange.formats.factory import MIMETYPE_RAW, Raw, entries, hostile, zip_bytes

Maker = Callable[[Kit], bytes]
SYMLINK = 0o120777 << 16
PNG = b"\x89PNG\r\n\x1a\n a scan"


@pytest.fixture(scope="module")
def kit(tmp_path_factory: pytest.TempPathFactory) -> Kit:
    return make_kit(tmp_path_factory.mktemp("kit"))


@pytest.fixture
def province(kit: Kit, tmp_path: Path) -> Iterator[Workspace]:
    (tmp_path / "usb").mkdir()
    folder = copy_province(kit, tmp_path / "province")
    with Workspace.open(folder, automatic_backup=False) as workspace:
        yield workspace


def stick(province: Workspace) -> Path:
    return province.root.parent / "usb"


def import_one(province: Workspace, data: bytes, name: str = "BC_hostile.baocao") -> ImportOutcome:
    [outcome] = province.exchange.import_bundles([write(stick(province), name, data)])
    assert_sentences_complete(outcome)
    return outcome


def assert_sentences_complete(outcome: ImportOutcome) -> None:
    said = [(outcome.code, outcome.params)] if outcome.code else []
    for code, params in [*said, *outcome.warnings]:
        for lang in ("vi", "en"):
            assert "{" not in message(code, lang, **params), (code, params)


def quarantine_file(province: Workspace, digest: str) -> Path:
    return province.root / "quarantine" / f"{digest}.baocao"


def refused(province: Workspace, data: bytes, code: str, status: str = REFUSED) -> ImportOutcome:
    """Import ``data``; assert ``code`` and ``status``, and that only the ledger and the
    quarantine changed (an E12 changes nothing at all)."""
    before, ledger_before = snapshot(province), ledger(province.db)
    outcome = import_one(province, data)
    assert (outcome.code, outcome.status) == (code, status), outcome
    assert integrity(province.db) == [("ok",)]
    assert snapshot(province) == before
    digest = sha256(data)
    if status == ALREADY:
        assert ledger(province.db) == ledger_before
        assert not quarantine_file(province, digest).exists()
    else:
        sender = outcome.params.get("sender")  # known once the signature checked out (E14)
        seq = outcome.params.get("seq") if sender else None
        assert ledger(province.db) == [*ledger_before, (digest, status, code, sender, seq)]
        assert quarantined(province.db)[digest] == code
        assert quarantine_file(province, digest).read_bytes() == data
    return outcome


def imported(province: Workspace, data: bytes, name: str = "BC_good.baocao") -> ImportOutcome:
    outcome = import_one(province, data, name)
    assert (outcome.status, outcome.code) == (IMPORTED, ""), outcome
    return outcome


def received(province: Workspace) -> list[tuple[Any, ...]]:
    return province.db.execute(
        "SELECT report_id, revision FROM received_revisions ORDER BY 1, 2"
    ).fetchall()


# --- how each hostile file is made from the ward's real bundle ------------------------------


def real_entries(kit: Kit) -> list[Raw]:
    return [MIMETYPE_RAW, *(Raw(name, content) for name, content in entries(kit.valid()).items())]


def with_entry(extra: Raw) -> Maker:
    return lambda kit: zip_bytes([*real_entries(kit), extra])


def changed_entry(name: str, **changes: Any) -> Maker:
    def make(kit: Kit) -> bytes:
        items = [replace(i, **changes) if i.name == name else i for i in real_entries(kit)]
        return zip_bytes(items)

    return make


def lying_size(kit: Kit) -> bytes:
    """data/reports.json declared at its signed size, but inflating to a megabyte."""
    size = len(entries(kit.valid())[REPORTS_PATH])
    liar = Raw(REPORTS_PATH, b"\x00" * 1_000_000, method=8, declared_size=size)
    return zip_bytes([liar if i.name == REPORTS_PATH else i for i in real_entries(kit)])


def overlapping(kit: Kit) -> bytes:
    inner = Raw("data/b.json", b"B" * 100)
    outer = Raw("data/a.json", inner.local_record())
    inner_at = len(MIMETYPE_RAW.local_record()) + 30 + len("data/a.json")
    return hostile(outer, Raw("data/b.json", b"B" * 100, offset=inner_at, write_local=False))


def plain_zip(kit: Kit) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries(kit.valid()).items():
            archive.writestr(name, content)
    return buffer.getvalue()


def envelope_json(kit: Kit) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(envelope_of(kit.valid()))
    return result


def with_envelope(envelope: bytes) -> Maker:
    return lambda kit: pack(envelope, parts(kit.valid())[1])


def envelope_edited(edit: Callable[[dict[str, Any], Kit], None]) -> Maker:
    def make(kit: Kit) -> bytes:
        document = envelope_json(kit)
        edit(document, kit)
        return pack(json.dumps(document).encode(), parts(kit.valid())[1])

    return make


def payload_changed(document: dict[str, Any], kit: Kit) -> None:
    body = base64.b64decode(document["payload"]).replace(b'"seq":1', b'"seq":2')
    document["payload"] = base64.b64encode(body).decode()


def signed_by_stranger_under_ward_keyid(document: dict[str, Any], kit: Kit) -> None:
    body = base64.b64decode(document["payload"])
    stranger = dsse.sign(dsse.MANIFEST_TYPE, body, [STRANGER_KEY]).signatures[0]
    document["signatures"][0]["sig"] = base64.b64encode(stranger.sig).decode()


def relabelled_as_manifest(kit: Kit) -> bytes:
    """Signed as a configuration package, then labelled a bundle manifest."""
    manifest, files = parts(kit.valid())
    envelope = json.loads(
        dsse.to_bytes(
            dsse.sign(dsse.CONFIG_TYPE, strictjson.canonical_bytes(manifest), [kit.ward_key])
        )
    )
    envelope["payloadType"] = dsse.MANIFEST_TYPE
    return pack(json.dumps(envelope).encode(), files)


def config_type(kit: Kit) -> bytes:
    manifest, files = parts(kit.valid())
    return assemble(manifest, files, kit.ward_key, payload_type=dsse.CONFIG_TYPE)


def without_envelope(kit: Kit) -> bytes:
    return zip_bytes([i for i in real_entries(kit) if i.name != ENVELOPE_NAME])


def duplicate_payload_type(kit: Kit) -> bytes:
    envelope = envelope_of(kit.valid())
    doubled = envelope.replace(b'"payloadType":', b'"payloadType":"text/plain","payloadType":')
    return pack(doubled, parts(kit.valid())[1])


def two_signatures(kit: Kit) -> bytes:
    manifest, files = parts(kit.valid())
    envelope = dsse.sign(
        dsse.MANIFEST_TYPE, strictjson.canonical_bytes(manifest), [kit.ward_key, STRANGER_KEY]
    )
    return pack(dsse.to_bytes(envelope), files)


def duplicate_seq_key(kit: Kit) -> bytes:
    manifest, files = parts(kit.valid())
    body = strictjson.canonical_bytes(manifest).replace(b'"seq":1', b'"seq":1,"seq":2')
    return pack(dsse.to_bytes(dsse.sign(dsse.MANIFEST_TYPE, body, [kit.ward_key])), files)


def signed(**options: Any) -> Maker:
    """The first bundle changed as ``options`` say (see ``reforge``), signed by the ward."""
    signer = options.pop("signer", None)
    return lambda kit: reforge(kit.valid(), signer or kit.ward_key, **options)


def on_both_signed(**changes: Any) -> Maker:
    report, manifest = on_both(**changes)
    return signed(report=report, manifest=manifest)


def files_edited(edit: Callable[[dict[str, bytes]], dict[str, bytes]]) -> Maker:
    """The first bundle with its files changed and its envelope kept as signed."""

    def make(kit: Kit) -> bytes:
        return pack(envelope_of(kit.valid()), edit(parts(kit.valid())[1]))

    return make


def flip_byte(files: dict[str, bytes], prefix: str) -> dict[str, bytes]:
    name = next(n for n in files if n.startswith(prefix))
    content = bytearray(files[name])
    content[len(content) // 2] ^= 0x01
    return {**files, name: bytes(content)}


def pdf_name(files: dict[str, bytes]) -> str:
    return next(n for n in files if n.startswith("pdf/"))


def to_nfd(reports_json: bytes) -> bytes:
    word = "Thường"
    return reports_json.replace(word.encode(), unicodedata.normalize("NFD", word).encode(), 1)


def drop_narrative(report: dict[str, Any]) -> None:
    del report["narratives"]["kq_ha_tang"]


def set_value(**values: Any) -> Callable[[dict[str, Any]], None]:
    return lambda report: report["values"].update(values)


def set_narrative(**narratives: str) -> Callable[[dict[str, Any]], None]:
    return lambda report: report["narratives"].update(narratives)


def other_recipient(manifest: dict[str, Any]) -> None:
    manifest["recipient"] = {"code": "TU-01", "name": "Tỉnh ủy Hà Giang"}


CASES: list[tuple[str, Maker, str, str]] = [
    # E01: not a bundle at all
    ("empty-file", lambda kit: b"", "E01", REFUSED),
    ("random-bytes", lambda kit: bytes(range(256)) * 40, "E01", REFUSED),
    ("pdf-renamed", lambda kit: b"%PDF-1.7\n%%EOF\n" * 50, "E01", REFUSED),
    ("data-before-the-zip", lambda kit: b"MZ\x90\x00polyglot" + kit.valid(), "E01", REFUSED),
    ("plain-zip-without-mimetype", plain_zip, "E01", REFUSED),
    # E03: damaged, as when the stick is pulled mid-copy
    ("truncated-half", lambda kit: kit.valid()[: len(kit.valid()) // 2], "E03", REFUSED),
    ("truncated-last-byte", lambda kit: kit.valid()[:-1], "E03", REFUSED),
    ("envelope-crc-wrong", changed_entry(ENVELOPE_NAME, crc=1), "E03", REFUSED),
    # E04: unsafe content, before anything is read
    ("zip-slip", with_entry(Raw("../../evil.json")), "E04", REFUSED),
    ("absolute-path", with_entry(Raw("/etc/evil.json")), "E04", REFUSED),
    ("windows-drive", with_entry(Raw("C:\\evil.json")), "E04", REFUSED),
    ("unc-path", with_entry(Raw("\\\\srv\\share\\evil.json")), "E04", REFUSED),
    ("backslash", with_entry(Raw("data\\evil.json")), "E04", REFUSED),
    ("nul-in-name", with_entry(Raw("data/evil.json\x00.pdf")), "E04", REFUSED),
    ("symlink", changed_entry(REPORTS_PATH, external_attr=SYMLINK), "E04", REFUSED),
    ("encrypted-flag", changed_entry(REPORTS_PATH, flags=0x0001), "E04", REFUSED),
    ("bzip2-method", changed_entry(REPORTS_PATH, method=12), "E04", REFUSED),
    ("local-name-differs", changed_entry(REPORTS_PATH, local_name=b"data/x.json"), "E04", REFUSED),
    ("duplicate-names", with_entry(Raw(REPORTS_PATH, b'{"other":1}')), "E04", REFUSED),
    ("case-duplicate", with_entry(Raw("DATA/reports.json")), "E04", REFUSED),
    (
        "nfc-duplicate",
        with_entry(Raw(unicodedata.normalize("NFD", "data/reports.json\u0301"), flags=0x800)),
        "E04",
        REFUSED,
    ),
    ("appended-data", lambda kit: kit.valid() + b"appended", "E04", REFUSED),
    ("archive-comment", lambda kit: zip_bytes(real_entries(kit), comment=b"hi"), "E04", REFUSED),
    ("hidden-gap", lambda kit: zip_bytes(real_entries(kit), gap=b"hidden"), "E04", REFUSED),
    # E05: compression bombs and caps
    (
        "deflate-bomb",
        with_entry(Raw("data/bomb.json", b"\x00" * (4 << 20), method=8)),
        "E05",
        REFUSED,
    ),
    ("lying-declared-size", lying_size, "E05", REFUSED),
    ("overlapping-entries", overlapping, "E05", REFUSED),
    (
        "65000-entries-claimed",
        lambda kit: zip_bytes(real_entries(kit), count=65000),
        "E05",
        REFUSED,
    ),
    (
        "huge-declared-size",
        with_entry(Raw("data/big.json", declared_size=0xFFFFFFFE, method=8)),
        "E05",
        REFUSED,
    ),
    # E06: the envelope
    ("no-envelope", without_envelope, "E06", REFUSED),
    ("envelope-not-json", with_envelope(b"{not json"), "E06", REFUSED),
    ("envelope-duplicate-key", duplicate_payload_type, "E06", REFUSED),
    ("payload-type-of-config", config_type, "E06", REFUSED),
    ("two-signatures", two_signatures, "E06", REFUSED),
    ("manifest-duplicate-seq-key", duplicate_seq_key, "E06", REFUSED),
    # E07: signer not enrolled, kept pending
    ("unknown-signer", signed(signer=STRANGER_KEY), "E07", PENDING),
    # E08: signature
    ("manifest-byte-changed", envelope_edited(payload_changed), "E08", REFUSED),
    (
        "other-key-under-ward-keyid",
        envelope_edited(signed_by_stranger_under_ward_keyid),
        "E08",
        REFUSED,
    ),
    ("config-signature-relabelled", relabelled_as_manifest, "E08", REFUSED),
    # E09, E10, E17: who signed, for whom, which version
    ("key-of-another-office", signed(signer=OTHER_WARD_KEY), "E09", REFUSED),
    ("addressed-elsewhere", signed(manifest=other_recipient), "E10", REFUSED),
    ("format-version-2", signed(manifest=lambda m: m.update(format_version=2)), "E17", REFUSED),
    # E15: files against the signed list
    (
        "report-data-byte-changed",
        files_edited(lambda f: flip_byte(f, REPORTS_PATH)),
        "E15",
        REFUSED,
    ),
    ("pdf-byte-changed", files_edited(lambda f: flip_byte(f, "pdf/")), "E15", REFUSED),
    ("listed-file-missing", files_edited(lambda f: without(f, pdf_name(f))), "E15", REFUSED),
    (
        "extra-file",
        files_edited(lambda f: {**f, f"att/{hashlib.sha256(PNG).hexdigest()}.png": PNG}),
        "E15",
        REFUSED,
    ),
    (
        "envelope-of-another-bundle",
        lambda kit: pack(envelope_of(kit.valid(2)), parts(kit.valid(1))[1]),
        "E15",
        REFUSED,
    ),
    # E16: report data, signed by the trusted key, that cannot be stored
    ("unknown-template-version", on_both_signed(template_version=99), "E16", REFUSED),
    ("period-out-of-range", on_both_signed(period="2026Q5"), "E16", REFUSED),
    ("period-of-another-kind", on_both_signed(period="2026-03"), "E16", REFUSED),
    ("value-of-wrong-type", signed(report=set_value(tong_may_tinh="nhiều")), "E16", REFUSED),
    ("unknown-indicator", signed(report=set_value(khong_co=1)), "E16", REFUSED),
    (
        "computed-indicator-sent",
        signed(report=set_value(ty_le_may_tinh_ket_noi=50)),
        "E16",
        REFUSED,
    ),
    ("negative-count", signed(report=set_value(tong_may_tinh=-5)), "E16", REFUSED),
    ("unknown-section", signed(report=set_narrative(khong_co="Nội dung lạ")), "E16", REFUSED),
    ("required-narrative-missing", signed(report=drop_narrative), "E16", REFUSED),
    ("text-not-nfc", signed(raw_reports=to_nfd), "E16", REFUSED),
    (
        "data-disagrees-with-manifest",
        signed(report=lambda report: report.update(period="2026Q4")),
        "E16",
        REFUSED,
    ),
]


@pytest.mark.parametrize(
    ("make", "code", "status"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_hostile_bundle_changes_nothing_but_ledger_and_quarantine(
    kit: Kit, province: Workspace, make: Maker, code: str, status: str
) -> None:
    refused(province, make(kit), code, status)
    assert received(province) == []


def test_the_cases_cover_every_import_refusal_that_needs_no_history() -> None:
    codes = {case[2] for case in CASES}
    assert codes >= {f"E{n:02d}" for n in (1, 3, 4, 5, 6, 7, 8, 9, 10, 15, 16, 17)}
    assert len(CASES) >= 35


# --- the file itself ----------------------------------------------------------------------------


def test_file_over_the_size_cap_is_refused_without_being_read_or_copied(
    province: Workspace,
) -> None:
    huge = stick(province) / "BC_huge.baocao"
    with open(huge, "wb") as handle:  # sparse: 513 MiB on paper, nothing on disk
        handle.truncate(513 * 1024 * 1024)
    before, ledger_before = snapshot(province), ledger(province.db)
    [outcome] = province.exchange.import_bundles([huge])
    assert (outcome.status, outcome.code, outcome.params) == (REFUSED, "E02", {"limit_mb": 512})
    assert snapshot(province) == before and ledger(province.db) == ledger_before
    assert not (province.root / "quarantine").exists()


def test_file_gone_from_the_stick_is_damaged(province: Workspace) -> None:
    [outcome] = province.exchange.verify_bundles([stick(province) / "BC_gone.baocao"])
    assert (outcome.status, outcome.code) == (REFUSED, "E03")
    [outcome] = province.exchange.import_bundles([stick(province) / "BC_gone.baocao"])
    assert (outcome.status, outcome.code) == (REFUSED, "E03")
    assert integrity(province.db) == [("ok",)]


def test_zip_slip_writes_nothing_outside_the_quarantine(kit: Kit, province: Workspace) -> None:
    refused(province, with_entry(Raw("../../evil.json", b'{"evil":1}'))(kit), "E04")
    everything = {p.name for p in province.root.parent.parent.rglob("*")}
    assert "evil.json" not in everything


# --- the sender's history: E11–E14 and W01 ----------------------------------------------------


def test_same_file_twice_is_already_imported(kit: Kit, province: Workspace) -> None:
    imported(province, kit.valid(1))
    outcome = refused(province, kit.valid(1), "E12", ALREADY)
    assert outcome.params["seq"] == 1 and outcome.params["sender"] == DISTRICT.code
    # The day as the clerk reads it, 02/12/2026, never 2026-12-02.
    assert re.fullmatch(r"\d{2}/\d{2}/\d{4}", str(outcome.params["imported_at"]))


def test_same_manifest_in_other_zip_bytes_is_already_imported(
    kit: Kit, province: Workspace
) -> None:
    imported(province, kit.valid(1))
    files = parts(kit.valid(1))[1]
    reordered = pack(envelope_of(kit.valid(1)), dict(reversed(list(files.items()))))
    assert reordered != kit.valid(1)
    refused(province, reordered, "E12", ALREADY)


def test_other_bundle_with_the_same_seq_is_a_conflict_and_both_are_kept(
    kit: Kit, province: Workspace
) -> None:
    imported(province, kit.valid(1))
    twin = reforge(kit.valid(1), kit.ward_key, manifest=renumbered(1, None))
    outcome = refused(province, twin, "E14")
    assert outcome.params == {"seq": 1, "sender": DISTRICT.code}
    assert (province.root / "archive" / f"{sha256(kit.valid(1))}.baocao").exists()
    assert quarantine_file(province, sha256(twin)).exists()
    assert received(province) == [(kit.report_ids[0], 1)]


def test_gap_is_accepted_with_a_warning(kit: Kit, province: Workspace) -> None:
    imported(province, kit.valid(1))
    outcome = imported(province, kit.valid(3))
    assert outcome.warnings == (("W01", {"seq": 3, "missing": "2"}),)
    assert received(province) == sorted([(kit.report_ids[0], 1), (kit.report_ids[2], 1)])


def test_older_bundle_outside_the_chain_is_refused_but_the_real_one_is_late_delivery(
    kit: Kit, province: Workspace
) -> None:
    imported(province, kit.valid(1))
    imported(province, kit.valid(3))
    impostor = reforge(
        kit.valid(2), kit.ward_key, manifest=renumbered(2, manifest_sha256(kit.valid(1)))
    )
    outcome = refused(province, impostor, "E13")
    assert outcome.params == {"seq": 2, "current_seq": 3}
    imported(province, kit.valid(2))
    assert len(received(province)) == 3


def test_revoked_key_signs_nothing_after_its_last_seq(kit: Kit, province: Workspace) -> None:
    province.keys.revoke(kit.ward_key.key_id, 1)
    imported(province, kit.valid(1))
    outcome = refused(province, kit.valid(2), "E11")
    assert outcome.params == {"revoked_after_seq": 1, "seq": 2}


def test_revision_already_held_is_not_overwritten(kit: Kit, province: Workspace) -> None:
    imported(province, kit.valid(1))
    report, manifest = on_both(report_id=kit.report_ids[0], period="2026Q1")
    again = reforge(kit.valid(2), kit.ward_key, report=report, manifest=manifest)
    refused(province, again, "E13")


def test_second_report_for_a_period_already_received_is_refused(
    kit: Kit, province: Workspace
) -> None:
    """A reinstalled ward makes a new report (new id) for a quarter it already sent."""
    imported(province, kit.valid(1))
    report, manifest = on_both(period="2026Q1")
    outcome = refused(
        province, reforge(kit.valid(2), kit.ward_key, report=report, manifest=manifest), "E16"
    )
    assert outcome.params == {"field": "period"}


def test_unknown_signer_is_kept_pending_and_imports_once_enrolled(
    kit: Kit, province: Workspace
) -> None:
    by_stranger = reforge(kit.valid(1), STRANGER_KEY)
    outcome = refused(province, by_stranger, "E07", PENDING)
    assert outcome.params["key_id"] == STRANGER_KEY.key_id
    assert len(str(outcome.params["fingerprint"]).split()) == 6
    assert pending_keys(province.db) == [STRANGER_KEY.key_id]
    enrol(province, STRANGER_KEY, DISTRICT)  # after comparing the fingerprint with the paper
    assert pending_keys(province.db) == []
    imported(province, by_stranger)
    assert quarantined(province.db) == {}
    assert not quarantine_file(province, sha256(by_stranger)).exists()


# --- report ids that belong to someone else ----------------------------------------------------


def as_other_ward(report: dict[str, Any]) -> None:
    report["office"] = {"code": OTHER_WARD.code, "name": OTHER_WARD.name}


def sent_by_other_ward(manifest: dict[str, Any]) -> None:
    manifest["sender"] = {"code": OTHER_WARD.code, "name": OTHER_WARD.name}


def test_report_id_of_another_ward_is_refused_even_when_signed(
    kit: Kit, province: Workspace
) -> None:
    theirs = reforge(
        kit.valid(1), OTHER_WARD_KEY, report=as_other_ward, manifest=sent_by_other_ward
    )
    imported(province, theirs)
    report, manifest = on_both(report_id=kit.report_ids[0], revision=2)
    smuggled = reforge(kit.valid(2), kit.ward_key, report=report, manifest=manifest)
    outcome = refused(province, smuggled, "E16")
    assert outcome.params == {"field": "report_id"}
    assert province.reports.get(kit.report_ids[0]).office_code == OTHER_WARD.code


def test_report_id_of_this_office_own_report_is_refused(kit: Kit, province: Workspace) -> None:
    own = province.reports.new("cntt-quy", "2026Q2")
    province.reports.save(own, ContentChanges(values={"tong_may_tinh": 3}))
    report, manifest = on_both(report_id=own)
    outcome = refused(
        province, reforge(kit.valid(2), kit.ward_key, report=report, manifest=manifest), "E16"
    )
    assert outcome.params == {"field": "report_id"}
    assert province.reports.get(own).origin == "local"


# --- two imports at once ---------------------------------------------------------------------


def import_at_once(folder: Path, paths: list[Path]) -> list[ImportOutcome]:
    """One workspace (own connection) per path, all starting the import at the same moment."""
    spaces = [Workspace.open(folder, automatic_backup=False) for _ in paths]
    barrier = threading.Barrier(len(paths))
    outcomes: list[ImportOutcome | BaseException] = [RuntimeError("did not run")] * len(paths)

    def run(index: int) -> None:
        barrier.wait()
        try:
            [outcomes[index]] = spaces[index].exchange.import_bundles([paths[index]])
        except BaseException as error:  # reported below, in the test's thread
            outcomes[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(paths))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for space in spaces:
        space.close()
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome
    return [o for o in outcomes if isinstance(o, ImportOutcome)]


@pytest.mark.parametrize("round_", range(4))
def test_same_bundle_imported_twice_at_once_is_imported_exactly_once(
    kit: Kit, province: Workspace, round_: int
) -> None:
    path = write(stick(province), kit.names[0], kit.valid(1))
    outcomes = import_at_once(province.root, [path, path])
    assert sorted((o.status, o.code) for o in outcomes) == [(ALREADY, "E12"), (IMPORTED, "")]
    assert received(province) == [(kit.report_ids[0], 1)]
    assert quarantined(province.db) == {} and not any((province.root / "quarantine").iterdir())
    assert integrity(province.db) == [("ok",)]


def test_two_bundles_with_one_seq_at_once_give_one_import_and_one_conflict(
    kit: Kit, province: Workspace
) -> None:
    twin = reforge(kit.valid(1), kit.ward_key, manifest=renumbered(1, None))
    paths = [
        write(stick(province), "a.baocao", kit.valid(1)),
        write(stick(province), "b.baocao", twin),
    ]
    outcomes = import_at_once(province.root, paths)
    assert sorted((o.status, o.code) for o in outcomes) == [(IMPORTED, ""), (REFUSED, "E14")]
    assert len(received(province)) == 1


def test_same_bundle_from_two_processes_is_imported_once(kit: Kit, province: Workspace) -> None:
    path = write(stick(province), kit.names[0], kit.valid(1))
    script = (
        "import sys, json\n"
        "from pathlib import Path\n"
        "from desktop_app.core.workspace import Workspace\n"
        "with Workspace.open(sys.argv[1], automatic_backup=False) as ws:\n"
        "    [o] = ws.exchange.import_bundles([Path(sys.argv[2])])\n"
        "    print(json.dumps([o.status, o.code]))\n"
    )
    children = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(province.root), str(path)],
            stdout=subprocess.PIPE,
            env=child_env(),
        )
        for _ in range(2)
    ]
    results = sorted(tuple(json.loads(child.communicate()[0])) for child in children)
    assert results == [(ALREADY, "E12"), (IMPORTED, "")]
    assert received(province) == [(kit.report_ids[0], 1)]


def child_env() -> dict[str, str]:
    root = str(Path(__file__).resolve().parents[4])
    return {**os.environ, "PYTHONPATH": root}


# --- the export side: refused before a byte is written ------------------------------------------


@pytest.fixture
def entry_and_ward(offices: Any) -> tuple[Any, Workspace]:
    report_id = offices.approved_report()
    return offices.ward.exchange.prepare_export([report_id], "mật khẩu của Bí thư"), offices.ward


def test_export_to_a_missing_folder_is_refused(entry_and_ward: Any, tmp_path: Path) -> None:
    entry, ward = entry_and_ward
    with pytest.raises(CoreError) as caught:
        ward.exchange.write_export(entry, tmp_path / "no-stick")
    assert caught.value.code == "export.no_folder"
    assert not (tmp_path / "no-stick").exists()


def test_export_larger_than_the_stick_is_refused_before_writing(tmp_path: Path) -> None:
    folder = tmp_path / "stick"
    folder.mkdir()
    with pytest.raises(CoreError) as caught:  # over FAT32's limit or the free space, by size
        outbox.check_room(folder, shutil.disk_usage(folder).free + 1)
    assert caught.value.code in {"export.no_space", "export.too_large_for_stick"}
    with pytest.raises(CoreError) as caught:
        outbox.check_room(folder, outbox.FAT32_LIMIT + 1)
    assert caught.value.code == "export.too_large_for_stick"
    assert list(folder.iterdir()) == []


@pytest.fixture
def tiny_stick(tmp_path: Path) -> Iterator[Path]:
    """A real 256 KiB file system, as a nearly full stick (needs the right to mount)."""
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount_point)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip("mounting a small file system needs root")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=True)


def test_export_to_a_full_stick_writes_nothing(entry_and_ward: Any, tiny_stick: Path) -> None:
    entry, ward = entry_and_ward
    with pytest.raises(CoreError) as caught:
        ward.exchange.write_export(entry, tiny_stick)
    assert caught.value.code == "export.no_space"
    assert list(tiny_stick.iterdir()) == []
