"""Limits on data arriving in bundles (E16), and the stick as an adversary.

The hostile bundles are signed by the ward's own enrolled key, so each refusal comes from the
limit under test and not from the signature. Every case asserts its code, an intact store, and
a dump of every table but the import's own bookkeeping unchanged."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from desktop_app.core.exchange.inbox import IMPORTED, REFUSED, ImportOutcome
from desktop_app.core.model.limits import MAX_COMMENT, MAX_NAME, MAX_NARRATIVE, MAX_TEXT_VALUE
from desktop_app.core.workspace import Workspace
from tests.core.exchange.bundles.hostile import Kit, copy_province, make_kit, reforge, write
from tests.hostile.store_dump import IMPORT_BOOKKEEPING, dump

Report = dict[str, Any]
# Control characters the test's own JSON writer refuses: written as markers, then put in as
# JSON escapes, so the signed file carries them exactly as a hostile sender would.
ESC, NUL = "@@u001b@@", "@@u0000@@"


def escaped(content: bytes) -> bytes:
    return content.replace(b"@@u001b@@", b"\\u001b").replace(b"@@u0000@@", b"\\u0000")


@pytest.fixture(scope="module")
def kit(tmp_path_factory: pytest.TempPathFactory) -> Kit:
    return make_kit(tmp_path_factory.mktemp("kit"))


@pytest.fixture
def province(kit: Kit, tmp_path: Path) -> Iterator[Workspace]:
    (tmp_path / "usb").mkdir()
    with Workspace.open(copy_province(kit, tmp_path / "province"), automatic_backup=False) as ws:
        yield ws


def usb(province: Workspace) -> Path:
    return province.root.parent / "usb"


def import_paths(province: Workspace, *paths: Path) -> list[ImportOutcome]:
    return province.exchange.import_bundles(list(paths))


def value(**values: Any) -> Callable[[Report], None]:
    return lambda report: report["values"].update(values)


def narrative(text: str) -> Callable[[Report], None]:
    return lambda report: report["narratives"].update(chi_dao_dieu_hanh=text)


def comment(text: str) -> Callable[[Report], None]:
    return lambda report: report["comments"].update(tong_may_tinh=text)


def approver(name: str) -> Callable[[Report], None]:
    return lambda report: report["approval"].update(name=name)


HOSTILE_DATA: list[tuple[str, Callable[[Report], None]]] = [
    ("5000-digit-figure-as-text", value(tong_may_tinh="9" * 5000)),
    ("16-digit-figure-as-text", value(tong_may_tinh="1" + "0" * 15)),
    ("figure-above-2^63-as-text", value(tong_may_tinh=str(2**63))),
    ("figure-10^15", value(tong_may_tinh=10**15)),
    ("figure-2^62", value(tong_may_tinh=2**62)),
    ("negative-huge", value(tong_may_tinh=-(10**18))),
    ("decimal-11-places", value(bang_thong_internet=Decimal("0.12345678901"))),
    ("decimal-1e-30", value(bang_thong_internet=Decimal("1E-30"))),
    ("decimal-45-digits-as-text", value(bang_thong_internet="1" * 20 + "," + "1" * 25)),
    ("decimal-as-text-1e-150", value(bang_thong_internet="0," + "0" * 149 + "1")),
    ("decimal-huge", value(kinh_phi_cntt=Decimal("1E+20"))),
    ("text-value-too-long", value(he_thong_qlvb="a" * (MAX_TEXT_VALUE + 1))),
    ("text-value-with-escape", value(he_thong_qlvb=f"a{ESC}b")),
    ("text-value-as-number", value(he_thong_qlvb=5)),
    ("choice-unknown", value(muc_do_dvc="mức 9")),
    ("date-impossible", value(ngay_ban_hanh_ke_hoach="2026-02-30")),
    ("yes-no-as-text", value(co_trang_tin="có lẽ")),
    ("computed-sent", value(ty_le_may_tinh_ket_noi=50)),
    ("narrative-too-long", narrative("a" * (MAX_NARRATIVE + 1))),
    ("narrative-with-nul", narrative(f"a{NUL}b")),
    ("narrative-with-c1", narrative("a\x9bb")),
    ("comment-too-long", comment("c" * (MAX_COMMENT + 1))),
    ("comment-with-escape", comment(f"c{ESC}")),
    ("approver-name-too-long", approver("x" * (MAX_NAME + 1))),
    ("approver-name-with-newline", approver("Lê Văn\nBình")),
    ("approver-name-blank", approver("   ")),
]


@pytest.mark.parametrize(("case", "change"), HOSTILE_DATA, ids=[c for c, _ in HOSTILE_DATA])
def test_hostile_report_data_in_a_signed_bundle_is_refused_as_bad_data(
    kit: Kit, province: Workspace, case: str, change: Callable[[Report], None]
) -> None:
    bundle = reforge(kit.valid(), kit.ward_key, report=change, raw_reports=escaped)
    before = dump(province, without=IMPORT_BOOKKEEPING)
    [outcome] = import_paths(province, write(usb(province), f"BC_{case}.baocao", bundle))
    assert (outcome.status, outcome.code) == (REFUSED, "E16"), outcome
    assert province.db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert dump(province, without=IMPORT_BOOKKEEPING) == before


# --- the stick ----------------------------------------------------------------------------------


def non_utf8_name(folder: Path, kit: Kit) -> Path:
    path = Path(os.fsdecode(bytes(folder) + b"/BC_\xff\xfe_t\xe9l\xe9.baocao"))
    path.write_bytes(kit.valid(2))
    return path


def fifo(folder: Path, kit: Kit) -> Path:
    path = folder / "BC_fifo.baocao"
    os.mkfifo(path)
    return path


def symlink_to_bundle(folder: Path, kit: Kit) -> Path:
    real = folder.parent / "outside.baocao"
    real.write_bytes(kit.valid(2))
    path = folder / "BC_link.baocao"
    path.symlink_to(real)
    return path


def symlink_to_device(folder: Path, kit: Kit) -> Path:
    path = folder / "BC_zero.baocao"
    path.symlink_to("/dev/zero")
    return path


def dangling_symlink(folder: Path, kit: Kit) -> Path:
    path = folder / "BC_dangling.baocao"
    path.symlink_to(folder / "nowhere")
    return path


def unreadable(folder: Path, kit: Kit) -> Path:
    path = write(folder, "BC_secret.baocao", kit.valid(2))
    path.chmod(0)
    return path


STICK: list[tuple[Callable[[Path, Kit], Path], set[str]]] = [
    (fifo, {"E01"}),
    (symlink_to_bundle, {"E01"}),
    (symlink_to_device, {"E01"}),
    (dangling_symlink, {"E01"}),
]


@pytest.mark.parametrize(("make", "codes"), STICK, ids=[m.__name__ for m, _ in STICK])
@pytest.mark.parametrize("how", ["import", "verify"])
def test_odd_files_on_the_stick_are_judged_not_followed(
    kit: Kit, province: Workspace, make: Callable[[Path, Kit], Path], codes: set[str], how: str
) -> None:
    path = make(usb(province), kit)
    before = dump(province, without=IMPORT_BOOKKEEPING)
    run = province.exchange.import_bundles if how == "import" else province.exchange.verify_bundles
    [outcome] = run([path])
    assert outcome.status == REFUSED and outcome.code in codes, outcome
    assert dump(province, without=IMPORT_BOOKKEEPING) == before


def test_reading_dev_zero_is_bounded(province: Workspace) -> None:
    before = dump(province)
    [outcome] = import_paths(province, Path("/dev/zero"))
    assert (outcome.status, outcome.code) == (REFUSED, "E01")
    assert dump(province) == before


def test_a_name_that_is_not_utf8_is_imported_under_a_readable_name(
    kit: Kit, province: Workspace
) -> None:
    [outcome] = import_paths(province, non_utf8_name(usb(province), kit))
    assert outcome.status == IMPORTED, outcome
    assert "\ufffd" in outcome.file and outcome.file.isprintable()


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_an_unreadable_file_is_damaged(kit: Kit, province: Workspace) -> None:
    [outcome] = import_paths(province, unreadable(usb(province), kit))
    assert (outcome.status, outcome.code) == (REFUSED, "E03")


def test_one_bad_file_never_stops_the_batch(kit: Kit, province: Workspace) -> None:
    folder = usb(province)
    write(folder, "BC_1.baocao", kit.valid(1))
    write(
        folder,
        "BC_2_huge_figure.baocao",
        reforge(kit.valid(2), kit.ward_key, report=value(tong_may_tinh="9" * 5000)),
    )
    fifo(folder, kit)
    symlink_to_device(folder, kit)
    non_utf8_name(folder, kit)
    write(folder, "BC_3.baocao", kit.valid(3))
    outcomes = import_paths(province, folder)
    assert len(outcomes) == 6
    by_status = sorted((o.status, o.code) for o in outcomes)
    assert by_status.count((IMPORTED, "")) == 3, outcomes  # seq 1, 2 (odd name), 3
    assert sorted(o.code for o in outcomes if o.status == REFUSED) == ["E01", "E01", "E16"]


def test_a_planted_partial_link_is_never_written_through(kit: Kit, tmp_path: Path) -> None:
    from desktop_app.core.store.files import write_atomic

    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"untouched")
    target = tmp_path / "BC_export.baocao"
    (tmp_path / "BC_export.baocao.partial").symlink_to(victim)
    write_atomic(target, kit.valid(1), verify=True)
    assert victim.read_bytes() == b"untouched"
    assert target.read_bytes() == kit.valid(1)
    assert not stat.S_ISLNK(target.lstat().st_mode)


def test_a_link_contradicting_the_held_chain_is_imported_with_its_own_warning(
    kit: Kit, province: Workspace
) -> None:
    import_paths(province, write(usb(province), "BC_1.baocao", kit.valid(1)))
    forked = reforge(
        kit.valid(2), kit.ward_key, manifest=lambda m: m.update(prev_manifest_sha256="0" * 64)
    )
    [outcome] = import_paths(province, write(usb(province), "BC_2.baocao", forked))
    assert outcome.status == IMPORTED
    assert outcome.warnings == (("W04", {"seq": 2, "prev_seq": 1}),)


def test_the_true_link_gets_no_warning(kit: Kit, province: Workspace) -> None:
    import_paths(province, write(usb(province), "BC_1.baocao", kit.valid(1)))
    [outcome] = import_paths(province, write(usb(province), "BC_2.baocao", kit.valid(2)))
    assert (outcome.status, outcome.warnings) == (IMPORTED, ())


def test_a_fault_no_check_foresaw_refuses_that_file_only(
    kit: Kit, province: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop_app.core.exchange import inbox

    real = inbox._check_sections
    poisoned = kit.report_ids[1]

    def check(template: Any, report: Any) -> None:
        if report.report_id == poisoned:
            raise ZeroDivisionError("a bug no test found")
        real(template, report)

    monkeypatch.setattr(inbox, "_check_sections", check)
    folder = usb(province)
    paths = [write(folder, f"BC_{n}.baocao", kit.valid(n)) for n in (1, 2, 3)]
    outcomes = import_paths(province, *paths)
    assert [(o.status, o.code) for o in outcomes] == [
        (IMPORTED, ""),
        (REFUSED, "E16"),
        (IMPORTED, ""),
    ]
    assert outcomes[1].params == {"field": "ZeroDivisionError"}
    assert (province.root / "quarantine").exists()


def test_a_full_disk_stops_the_import_and_changes_nothing(
    kit: Kit, province: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from desktop_app.core.errors import CoreError
    from desktop_app.core.exchange import inbox

    def full(*args: Any, **kwargs: Any) -> None:
        raise CoreError("file.write_failed", file="x", reason="full") from OSError(
            errno.ENOSPC, "No space left on device"
        )

    monkeypatch.setattr(inbox, "write_atomic", full)
    paths = [write(usb(province), f"BC_{n}.baocao", kit.valid(n)) for n in (1, 2)]
    before = dump(province)
    with pytest.raises(CoreError) as stopped:
        import_paths(province, *paths)
    assert stopped.value.code == "file.write_failed"
    assert dump(province) == before
