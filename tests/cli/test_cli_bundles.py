"""Keys, approval, export, verify and import through `baocao`, as a script would drive them."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from desktop_app.cli.main import main
from desktop_app.core.demo import DEMO_PASSPHRASE
from desktop_app.core.exchange.formats.keys import key_id

PASSPHRASE = "mật khẩu của Bí thư"


def run(capsys: pytest.CaptureFixture[str], workspace: Path, *args: str) -> tuple[int, Any, str]:
    capsys.readouterr()
    code = main([*args, "--workspace", str(workspace), "--json"])
    captured = capsys.readouterr()
    return code, json.loads(captured.out) if captured.out.strip() else None, captured.err


@pytest.fixture
def two_offices(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, Path, Path]:
    monkeypatch.setenv("BAOCAO_PASSPHRASE", DEMO_PASSPHRASE)  # the demo ward's key has it
    ward, province, stick = tmp_path / "ward", tmp_path / "province", tmp_path / "usb"
    stick.mkdir()
    assert (
        run(
            capsys,
            province,
            "init",
            "--office-code",
            "TU-38",
            "--office-name",
            "Tỉnh ủy Thanh Hóa",
            "--level",
            "province",
        )[0]
        == 0
    )
    assert run(capsys, ward, "demo")[0] == 0
    return ward, province, stick


def test_the_whole_journey_by_command_line(
    two_offices: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    ward, province, stick = two_offices
    code, key, _ = run(capsys, ward, "keys", "show")  # the demo made the ward's key
    assert code == 0
    assert key_id(base64.b64decode(key["public_key"])) == key["keyid"]
    assert len(key["fingerprint"].split()) == 6

    key_file = run(capsys, ward, "keys", "export-public", "--to", str(stick))[1]["path"]
    code, added, err = run(
        capsys, province, "trust", "add", key_file, "--office", "DU-14797", "--yes"
    )
    assert code == 0, err
    assert added["fingerprint"] == key["fingerprint"]

    reports = run(capsys, ward, "report", "list")[1]
    ready = next(r["id"] for r in reports if r["status"] == "ready")
    sent = next(r["id"] for r in reports if r["status"] == "exported")  # the demo's Q2, sent up
    assert run(capsys, ward, "export", sent, "--to", str(stick))[0] == 0  # kept in the outbox
    code, approved, err = run(
        capsys, ward, "approve", ready, "--name", "Lê Văn Bình", "--title", "Bí thư"
    )
    assert code == 0, err
    assert approved["number"] == 3  # the demo approved the first two quarters

    code, exported, err = run(capsys, ward, "export", ready, "--to", str(stick))
    assert code == 0, err
    bundle = exported["path"]

    code, verified, _ = run(capsys, province, "verify", bundle)
    assert code == 0 and verified[0]["status"] == "imported"
    assert run(capsys, province, "received", "list")[1] == []

    code, imported, _ = run(capsys, province, "import", str(stick))
    assert code == 0
    assert [(r["status"], r["code"]) for r in imported] == [("imported", "")] * 2
    assert set(imported[0]) == {"file", "status", "code", "message"}
    received = run(capsys, province, "received", "list")[1]
    assert sorted(r["id"] for r in received) == sorted([sent, ready])

    again = run(capsys, province, "import", bundle)[1]
    assert again[0]["status"] == "already" and again[0]["code"] == "E12"


def test_unknown_signer_is_pending_with_its_fingerprint(
    two_offices: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    ward, province, stick = two_offices
    fingerprint = run(capsys, ward, "keys", "show")[1]["fingerprint"]
    ready = next(r["id"] for r in run(capsys, ward, "report", "list")[1] if r["status"] == "ready")
    run(capsys, ward, "approve", ready, "--name", "Lê Văn Bình", "--title", "Bí thư")
    bundle = run(capsys, ward, "export", ready, "--to", str(stick))[1]["path"]
    code, rows, _ = run(capsys, province, "import", bundle)
    assert code == 2
    assert (rows[0]["status"], rows[0]["code"]) == ("pending", "E07")
    assert fingerprint in rows[0]["message"]


def test_wrong_passphrase_exits_2_and_approves_nothing(
    two_offices: tuple[Path, Path, Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ward, _, _ = two_offices
    monkeypatch.setenv("BAOCAO_PASSPHRASE", "không phải mật khẩu")
    ready = next(r["id"] for r in run(capsys, ward, "report", "list")[1] if r["status"] == "ready")
    code, _, err = run(capsys, ward, "approve", ready, "--name", "A", "--title", "Bí thư")
    assert code == 2 and "Mật khẩu không đúng" in err
    statuses = {r["id"]: r["status"] for r in run(capsys, ward, "report", "list")[1]}
    assert statuses[ready] == "ready"


def test_passphrase_is_never_taken_from_the_command_line(
    two_offices: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    ward, _, _ = two_offices
    with pytest.raises(SystemExit):
        main(["keys", "create", "--passphrase", PASSPHRASE, "--workspace", str(ward)])


def test_passphrase_file(
    two_offices: tuple[Path, Path, Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    _, province, _ = two_offices  # the province has no key yet
    monkeypatch.delenv("BAOCAO_PASSPHRASE")
    secret = tmp_path / "mat-khau.txt"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    assert run(capsys, province, "keys", "create", "--passphrase-file", str(secret))[0] == 0
    code, _, err = run(capsys, province, "keys", "passwd", "--passphrase-file", str(secret))
    assert code == 2 and "BAOCAO_NEW_PASSPHRASE" in err


def test_configuration_package_and_receipt_by_command_line(
    two_offices: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    ward, province, stick = two_offices
    run(capsys, province, "keys", "create")
    key_file = run(capsys, ward, "keys", "export-public", "--to", str(stick))[1]["path"]
    run(capsys, province, "trust", "add", key_file, "--office", "DU-14797", "--yes")

    code, built, err = run(capsys, province, "config", "build", "--to", str(stick))
    assert code == 0, err
    code, _, err = run(capsys, ward, "config", "install", built["path"])
    assert code == 2 and "--yes" in err  # the fingerprint must be confirmed first
    code, installed, err = run(capsys, ward, "config", "install", built["path"], "--yes")
    assert code == 0, err
    assert installed["version"] == 1 and installed["own_key_listed"] is True
    code, _, err = run(capsys, ward, "config", "install", built["path"], "--yes")
    assert code == 2 and "phiên bản" in err  # E18: not newer than the one in use

    ready = next(r["id"] for r in run(capsys, ward, "report", "list")[1] if r["status"] == "ready")
    run(capsys, ward, "approve", ready, "--name", "Lê Văn Bình", "--title", "Bí thư")
    bundle = run(capsys, ward, "export", ready, "--to", str(stick))[1]["path"]
    run(capsys, province, "import", bundle)
    code, receipts, err = run(capsys, province, "receipt", "build", "--to", str(stick))
    assert code == 0, err
    code, result, err = run(capsys, ward, "receipt", "install", receipts["path"])
    assert code == 0, err
    assert result == {"acknowledged": 1, "returned": []}


def test_importing_a_path_that_does_not_exist_says_so(
    two_offices: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _ward, province, _stick = two_offices
    code, _, err = run(capsys, province, "import", str(tmp_path / "usb-da-rut"))
    assert code == 2 and "usb-da-rut" in err and "Không thấy" in err
    assert run(capsys, province, "received", "list")[1] == []
