"""No traceback for any input: each command's error paths, in Vietnamese and in English.

Every case runs ``baocao`` in-process on a copy of one workspace and asserts an exit of 1 or 2,
exactly one line on stderr that is a finished sentence (no traceback, no raw code, no ``{…}``
left unfilled) in the language asked for, and a store whose dump is what it was."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.cli.main import main
from desktop_app.core.exchange.formats.keys import export_public_key
from desktop_app.core.workspace import Workspace
from tests.conftest import DISTRICT
from tests.core.exchange.bundles.conftest import CHEAP, PASSPHRASE
from tests.core.exchange.formats.factory import office_key
from tests.hostile.store_dump import dump

FILE_BY_FILE = ("import", "verify")
# The public key file of an office other than the one named on the command line.
OTHER_OFFICE_KEY_FILE = export_public_key(
    office_key(7).public_raw, "DU-99999", "Đảng ủy phường khác", "2026-01-05T08:00:00+07:00"
)
REPORT = "{report}"  # the workspace's one draft report, filled in when the case runs
NOT_THERE = "{tmp}/khong-co/thu-muc"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("cli") / "ws"
    with Workspace.open(root, automatic_backup=False, kdf_cost=CHEAP) as ws:
        ws.initialise(DISTRICT)
        ws.keys.create(PASSPHRASE)
        report_id = ws.reports.new("cntt-quy", "2026Q3")
    return root, report_id


@pytest.fixture
def case_dir(
    template: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Path, str]]:
    root, report_id = template
    shutil.copytree(root, tmp_path / "ws", ignore=shutil.ignore_patterns("sessions"))
    _input_files(tmp_path)
    monkeypatch.setenv("BAOCAO_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("BAOCAO_NEW_PASSPHRASE", "một mật khẩu mới đủ dài")
    yield tmp_path, report_id


def _input_files(folder: Path) -> None:
    (folder / "rac.json").write_bytes(b"{khong phai json")
    (folder / "latin1.json").write_bytes(b'{"values": {"he_thong_qlvb": "t\xe9l\xe9"}}')
    (folder / "mang.json").write_text("[1, 2, 3]", encoding="utf-8")
    (folder / "sau.json").write_text("[" * 5000 + "]" * 5000, encoding="utf-8")
    (folder / "rong.json").write_bytes(b"")
    hostile_values = {
        "so-qua-lon.json": {"values": {"tong_may_tinh": "9" * 5000}},
        "thap-phan.json": {"values": {"bang_thong_internet": "0," + "0" * 149 + "1"}},
        "van-ban-dai.json": {"values": {"he_thong_qlvb": "a" * 12_000}},
        "dieu-khien.json": {"narratives": {"chi_dao_dieu_hanh": "a\u001bb"}},
        "ghi-chu-dai.json": {"comments": {"tong_may_tinh": "c" * 12_000}},
        "khoa-la.json": {"gia_tri": {}},
        "kieu-sai.json": {"values": "không phải bảng"},
    }
    for name, payload in hostile_values.items():
        (folder / name).write_text(json.dumps(payload), encoding="utf-8")
    (folder / "gia.db").write_bytes(b"SQLite format 3\x00" + b"\x00" * 4000)
    (folder / "khoa-don-vi-khac.json").write_bytes(OTHER_OFFICE_KEY_FILE)
    (folder / "rac.baocao").write_bytes(b"PK\x03\x04" + b"\x00" * 100)


CASES: list[tuple[str, ...]] = [
    # reports
    ("report", "show", "khong-co"),
    ("report", "validate", "khong-co"),
    ("report", "ready", "khong-co"),
    ("report", "new", "khong-co", "--period", "2026Q3"),
    ("report", "new", "cntt-quy", "--period", "2026Q9"),
    ("report", "new", "cntt-quy", "--period", "2026Q3"),  # exists already
    ("report", "new", "cntt-quy", "--period", "\u0000"),
    ("report", "set", REPORT, "--from-json", "{tmp}/khong-co.json"),
    ("report", "set", REPORT, "--from-json", "{tmp}/rac.json"),
    ("report", "set", REPORT, "--from-json", "{tmp}/latin1.json"),
    ("report", "set", REPORT, "--from-json", "{tmp}/mang.json"),
    ("report", "set", REPORT, "--from-json", "{tmp}/sau.json"),
    ("report", "set", REPORT, "--from-json", "{tmp}/rong.json"),
    ("report", "set", REPORT, "--from-json", "{tmp}/so-qua-lon.json"),
    ("report", "set", REPORT, "--from-json", "{tmp}/thap-phan.json"),
    ("report", "set", REPORT, "--from-json", "{tmp}/van-ban-dai.json"),
    ("report", "set", REPORT, "--from-json", "{tmp}/dieu-khien.json"),
    ("report", "set", REPORT, "--from-json", "{tmp}/ghi-chu-dai.json"),
    ("report", "set", REPORT, "--from-json", "{tmp}/khoa-la.json"),
    ("report", "set", REPORT, "--from-json", "{tmp}/kieu-sai.json"),
    ("report", "set", REPORT, "--from-json", "{tmp}"),
    ("report", "set", "khong-co", "--from-json", "{tmp}/khoa-la.json"),
    ("revise", "khong-co"),
    ("revise", REPORT),
    # approval and bundles
    ("approve", "khong-co", "--name", "Lê Văn Bình", "--title", "Bí thư"),
    ("approve", REPORT, "--name", "x" * 300, "--title", "Bí thư"),
    ("approve", REPORT, "--name", "Lê\u0007Bình", "--title", "Bí thư"),
    ("approve", REPORT, "--name", "Lê Văn Bình", "--title", "Bí thư"),  # has errors
    ("export", "khong-co", "--to", "{tmp}"),
    ("export", REPORT, "--to", "{tmp}"),  # not approved
    ("export", REPORT, "--to", NOT_THERE),
    ("import", "{tmp}/rac.baocao"),
    ("import", "/dev/zero"),
    ("import", "{tmp}/khong-co.baocao"),
    ("verify", "{tmp}/rac.baocao"),
    ("verify", "/dev/null"),
    # documents
    ("pdf", "khong-co", "--out", "{tmp}/a.pdf"),
    ("pdf", "--blank", "khong-co", "--out", "{tmp}/a.pdf"),
    ("pdf", REPORT, "--out", NOT_THERE + "/a.pdf"),
    ("docx", "khong-co", "--out", "{tmp}/a.docx"),
    ("docx", REPORT, "--out", NOT_THERE + "/a.docx"),
    # keys and trust
    ("keys", "create"),  # exists already
    ("keys", "export-public", "--to", NOT_THERE),
    ("keys", "sheet", "--out", NOT_THERE + "/a.pdf"),
    ("keys", "passwd", "--passphrase-file", "{tmp}/khong-co.txt"),
    ("trust", "add", "{tmp}/khong-co.json", "--office", "DU-1", "--yes"),
    ("trust", "add", "{tmp}/rac.json", "--office", "DU-1", "--yes"),
    ("trust", "add", "{tmp}/sau.json", "--office", "DU-1", "--yes"),
    ("trust", "rotate", "{tmp}/rac.json"),
    ("trust", "revoke", "khong-co", "--after-seq", "1"),
    ("trust", "revoke", "khong-co", "--after-seq", "-1"),
    # packages and receipts
    ("config", "install", "{tmp}/rac.json", "--yes"),
    ("config", "install", "{tmp}/khong-co.json", "--yes"),
    ("receipt", "install", "{tmp}/rac.json"),
    ("receipt", "install", "/dev/null"),
    # templates
    ("templates", "show", "khong-co"),
    ("templates", "install", "{tmp}/khong-co.json"),
    ("templates", "install", "{tmp}/rac.json"),
    ("templates", "install", "{tmp}/sau.json"),
    ("templates", "install", "{tmp}/mang.json"),
    # the upper office
    ("status", "--period", "không-phải-kỳ"),
    ("aggregate", "khong-co", "--period", "2026Q3"),
    ("aggregate", "cntt-quy", "--period", "2026Q9"),
    ("consolidate", "khong-co", "--period", "2026Q3"),
    ("return", "khong-co", "--comment", "Thiếu số liệu"),
    ("return", REPORT, "--comment", "Thiếu số liệu"),
    ("withdraw", "khong-co", "--reason", "Số liệu sai"),
    ("withdraw", REPORT, "--reason", "Số liệu sai"),
    ("withdraw", REPORT, "--reason", "   "),
    ("schedule", "khong-co", "--period", "2026Q3", "--deadline", "01/01/2027"),
    (
        "schedule",
        "cntt-quy",
        "--period",
        "2026Q3",
        "--unit",
        "KHONG-CO",
        "--deadline",
        "01/01/2027",
    ),
    ("schedule", "cntt-quy", "--period", "2026Q3", "--deadline", "32/13/2027"),
    # setting up
    ("init", "--office-code", "KHAC-1", "--office-name", "Đảng ủy khác", "--level", "commune"),
    ("init", "--office-code", "DU 1", "--office-name", "Đảng ủy", "--level", "commune"),
    ("init", "--office-code", "DU-1", "--office-name", "Đảng\u0007ủy", "--level", "commune"),
    ("trust", "add", "{tmp}/khoa-don-vi-khac.json", "--office", "DU-1", "--yes"),
    ("backup", "--to", NOT_THERE + "/a.db"),
    ("restore", "{tmp}/khong-co.db"),
    ("restore", "{tmp}/gia.db"),
    ("restore", "{tmp}/rac.json"),
]


def _argv(case: tuple[str, ...], folder: Path, report_id: str) -> list[str]:
    return [part.replace("{tmp}", str(folder)).replace(REPORT, report_id) for part in case]


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("case", CASES, ids=[" ".join(c)[:60] for c in CASES])
def test_error_path_is_one_line_in_the_language_and_changes_nothing(
    case_dir: tuple[Path, str], capsys: pytest.CaptureFixture[str], case: tuple[str, ...], lang: str
) -> None:
    folder, report_id = case_dir
    store = folder / "ws" / "baocao.db"
    before = dump(store)
    argv = [*_argv(case, folder, report_id), "--workspace", str(folder / "ws"), "--lang", lang]
    code = main(argv)
    out, err = capsys.readouterr()
    assert code in (1, 2), err
    assert "Traceback" not in err
    # import and verify say one line per file on stdout (stderr shows their progress)
    said = out if case[0] in FILE_BY_FILE and out.strip() else err
    assert_one_sentence(said, lang, echoed=argv)
    assert dump(store, without=("inbox_ledger", "quarantine")) == dump_without_ledger(before)


def dump_without_ledger(lines: list[str]) -> list[str]:
    return [
        line
        for line in lines
        if not line.startswith(('INSERT INTO "inbox_ledger"', 'INSERT INTO "quarantine"'))
    ]


def assert_one_sentence(err: str, lang: str, echoed: list[str]) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    [line] = lines
    assert line.startswith(("baocao: ", "rac.baocao: ", "zero: ", "null: ", "khong-co.baocao: "))
    assert "{" not in line.replace('{"', "") or "{tmp}" in line, line
    assert "internal.unexpected" not in line and "Error:" not in line, line
    words = line.replace("Báo cáo", "")  # the product's name, and what the user typed
    for part in echoed:
        words = words.replace(part, "")
    vietnamese = any(ch in words for ch in "ạảãáàâầấậẩẫăằắặẳẵđêềếệểễôồốộổỗơờớợởỡưừứựửữ")
    assert vietnamese == (lang == "vi"), line


def test_the_suite_covers_every_command() -> None:
    covered = {case[0] for case in CASES}
    assert covered >= {
        "report",
        "revise",
        "approve",
        "export",
        "import",
        "verify",
        "pdf",
        "docx",
        "keys",
        "trust",
        "config",
        "receipt",
        "templates",
        "status",
        "aggregate",
        "consolidate",
        "return",
        "withdraw",
        "schedule",
        "init",
        "backup",
        "restore",
    }


# --- a store that cannot be used ----------------------------------------------------------------


def empty(store: Path) -> None:
    store.write_bytes(b"")


def foreign_text(store: Path) -> None:
    store.write_text("ghi chú của ai đó, không phải kho dữ liệu", encoding="utf-8")


def foreign_sqlite(store: Path) -> None:
    import sqlite3

    store.unlink()
    connection = sqlite3.connect(store)
    connection.execute("CREATE TABLE danh_ba (ten TEXT)")
    connection.commit()
    connection.close()


def pages_overwritten(store: Path) -> None:
    with open(store, "r+b") as handle:
        handle.seek(4096)
        handle.write(bytes(range(256)) * 160)


def truncated(store: Path) -> None:
    with open(store, "r+b") as handle:
        handle.truncate(1000)


DAMAGE = {
    "empty": (empty, "store.empty"),
    "foreign-text": (foreign_text, "store.foreign"),
    "foreign-sqlite": (foreign_sqlite, "store.foreign"),
    "pages-overwritten": (pages_overwritten, "store.damaged"),
    "truncated": (truncated, "store.damaged"),
}
ON_A_BROKEN_STORE: list[tuple[str, ...]] = [
    ("report", "list"),
    ("report", "new", "cntt-quy", "--period", "2026Q4"),
    ("init", "--office-code", "DU-1", "--office-name", "Đảng ủy mới", "--level", "commune"),
    ("keys", "create"),
    ("status", "--period", "2026Q3"),
]


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("command", ON_A_BROKEN_STORE, ids=[" ".join(c) for c in ON_A_BROKEN_STORE])
@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_broken_store_is_named_never_taken_for_a_new_one(
    case_dir: tuple[Path, str],
    capsys: pytest.CaptureFixture[str],
    damage: str,
    command: tuple[str, ...],
    lang: str,
) -> None:
    folder, _ = case_dir
    store = folder / "ws" / "baocao.db"
    for companion in ("baocao.db-wal", "baocao.db-shm"):
        (folder / "ws" / companion).unlink(missing_ok=True)
    spoil, code = DAMAGE[damage]
    spoil(store)
    spoiled = store.read_bytes()
    argv = [*command, "--workspace", str(folder / "ws"), "--lang", lang, "--json"]
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert json.loads(out)["error"]["code"] == code
    assert_one_sentence(err, lang, echoed=argv)
    assert store.read_bytes() == spoiled  # never rewritten, never replaced
