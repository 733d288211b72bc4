"""Issue 15 through `baocao`: approve with the token, pdf-verify, trust ca, token certificates."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding

from desktop_app.core.demo import DEMO_PASSPHRASE
from tests.cli.test_cli_bundles import run
from tests.signing_token import ORGANISATION_ID, PERSONAL_ID, SoftToken

FIELDS = {"signer", "organisation", "signed_at", "intact", "trusted", "reason"}


@pytest.fixture
def ward(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Path:
    monkeypatch.setenv("BAOCAO_PASSPHRASE", DEMO_PASSPHRASE)
    ward = tmp_path / "ward"
    assert run(capsys, ward, "demo")[0] == 0  # with its key: the first quarters are approved
    return ward


def _ready(capsys: pytest.CaptureFixture[str], ward: Path) -> str:
    return next(r["id"] for r in run(capsys, ward, "report", "list")[1] if r["status"] == "ready")


def _status(capsys: pytest.CaptureFixture[str], ward: Path, report_id: str) -> str:
    reports = run(capsys, ward, "report", "list")[1]
    return str(next(r["status"] for r in reports if r["id"] == report_id))


def test_approve_with_the_token_then_verify_the_pdf(
    ward: Path, capsys: pytest.CaptureFixture[str], soft_token: SoftToken, tmp_path: Path
) -> None:
    code, listed, err = run(capsys, ward, "token", "certificates", "--pkcs11", soft_token.library)
    assert code == 0, err
    assert {c["cert_id"] for c in listed} >= {PERSONAL_ID, ORGANISATION_ID}

    pin = tmp_path / "pin.txt"
    pin.write_text(soft_token.pin + "\n", encoding="utf-8")
    ready = _ready(capsys, ward)
    code, approved, err = run(
        capsys, ward, "approve", ready, "--name", "Lê Văn Bình", "--title", "Bí thư",
        "--pkcs11", soft_token.library, "--cert-id", PERSONAL_ID,
        "--org-cert-id", ORGANISATION_ID, "--pin-file", str(pin),
    )  # fmt: skip
    assert code == 0, err
    assert approved["pdf_signed"] is True

    stick = tmp_path / "usb"
    stick.mkdir()
    bundle = run(capsys, ward, "export", ready, "--to", str(stick))[1]["path"]
    pdf = tmp_path / "bao-cao.pdf"
    with zipfile.ZipFile(bundle) as archive:
        pdf.write_bytes(archive.read(next(n for n in archive.namelist() if n.startswith("pdf/"))))

    code, found, _ = run(capsys, ward, "pdf-verify", str(pdf))
    assert code == 1  # signed, but by a CA this office does not trust yet
    assert [set(s) for s in found] == [FIELDS, FIELDS]
    assert [(s["signer"], s["intact"], s["trusted"]) for s in found] == [
        ("Nguyễn Văn An", True, False),
        ("Văn phòng Tỉnh ủy Thử nghiệm", True, False),
    ]

    root = tmp_path / "root.pem"
    root.write_bytes(soft_token.pki.root.public_bytes(Encoding.PEM))
    code, added, err = run(capsys, ward, "trust", "ca", "add", str(root))
    assert code == 0, err
    assert added["subject"] == "Root CA thử nghiệm"
    listed_cas = run(capsys, ward, "trust", "ca", "list")[1]
    assert [(a["subject"], a["origin"]) for a in listed_cas] == [("Root CA thử nghiệm", "added")]

    code, found, _ = run(capsys, ward, "pdf-verify", str(pdf))
    assert code == 0
    _the_console_shows_only_the_answer(ward, pdf)
    assert [(s["signer"], s["organisation"], s["reason"]) for s in found] == [
        ("Nguyễn Văn An", "Văn phòng Tỉnh ủy Thử nghiệm", "valid"),
        ("Văn phòng Tỉnh ủy Thử nghiệm", "Văn phòng Tỉnh ủy Thử nghiệm", "valid"),
    ]


def test_a_missing_driver_is_said_and_nothing_is_approved(
    ward: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BAOCAO_TOKEN_PIN", "123456")
    ready = _ready(capsys, ward)
    code, _, err = run(
        capsys, ward, "approve", ready, "--name", "Lê Văn Bình", "--title", "Bí thư",
        "--pkcs11", "/khong/co/eTPKCS11.so",
    )  # fmt: skip
    assert code == 2 and "Không nạp được trình điều khiển" in err
    assert _status(capsys, ward, ready) == "ready"


def test_a_wrong_pin_is_said_with_the_lock_warning(
    ward: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    soft_token: SoftToken,
) -> None:
    monkeypatch.setenv("BAOCAO_TOKEN_PIN", "000000")
    ready = _ready(capsys, ward)
    code, _, err = run(
        capsys, ward, "approve", ready, "--name", "Lê Văn Bình", "--title", "Bí thư",
        "--pkcs11", soft_token.library, "--cert-id", PERSONAL_ID,
    )  # fmt: skip
    assert code == 2 and "PIN" in err and "3 lần" in err
    assert _status(capsys, ward, ready) == "ready"


def test_only_a_ca_certificate_can_be_trusted(
    ward: Path, capsys: pytest.CaptureFixture[str], soft_token: SoftToken, tmp_path: Path
) -> None:
    personal = tmp_path / "ca-nhan.cer"
    personal.write_bytes(soft_token.pki.personal.public_bytes(Encoding.DER))
    code, _, err = run(capsys, ward, "trust", "ca", "add", str(personal))
    assert code == 2 and "không phải chứng thư của tổ chức" in err
    assert run(capsys, ward, "trust", "ca", "list")[1] == []


def test_pdf_verify_of_an_unsigned_pdf_says_so(
    ward: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pdf = tmp_path / "plain.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    code, found, _ = run(capsys, ward, "pdf-verify", str(pdf))
    assert (code, found) == (1, [])


@pytest.fixture
def province(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    province = tmp_path / "province"
    init = ("init", "--office-code", "TU-38", "--office-name", "Tỉnh ủy Thanh Hóa")
    assert run(capsys, province, *init, "--level", "province")[0] == 0
    return province


def test_the_office_token_is_used_and_the_province_lists_the_signer(
    ward: Path,
    province: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    soft_token: SoftToken,
    tmp_path: Path,
) -> None:
    stick = tmp_path / "usb"
    stick.mkdir()
    assert run(capsys, ward, "token", "show")[1]["library"] == ""
    code, settings, err = run(
        capsys, ward, "token", "set", "--pkcs11", soft_token.library, "--cert-id", PERSONAL_ID
    )
    assert code == 0, err
    assert (settings["library"], settings["cert_id"]) == (soft_token.library, PERSONAL_ID)

    key_file = run(capsys, ward, "keys", "export-public", "--to", str(stick))[1]["path"]
    run(capsys, province, "trust", "add", key_file, "--office", "DU-14797", "--yes")
    root = tmp_path / "root.cer"
    root.write_bytes(soft_token.pki.root_der)
    run(capsys, province, "trust", "ca", "add", str(root))

    monkeypatch.setenv("BAOCAO_TOKEN_PIN", soft_token.pin)
    ready = _ready(capsys, ward)
    code, approved, err = run(
        capsys, ward, "approve", ready, "--name", "Lê Văn Bình", "--title", "Bí thư"
    )
    assert code == 0 and approved["pdf_signed"] is True, err
    bundle = run(capsys, ward, "export", ready, "--to", str(stick))[1]["path"]
    sent = next(
        r["id"]
        for r in run(capsys, ward, "report", "list")[1]
        if r["status"] == "exported" and r["id"] != ready
    )
    earlier = run(capsys, ward, "export", sent, "--to", str(stick))[1]["path"]
    assert run(capsys, province, "import", earlier)[0] == 0  # the demo's Q2, before the token

    code, imported, _ = run(capsys, province, "import", bundle)
    assert code == 0 and imported[0]["code"] == ""
    assert "Ký số hợp lệ: Nguyễn Văn An, Văn phòng Tỉnh ủy Thử nghiệm" in imported[0]["message"]
    [received] = [r for r in run(capsys, province, "received", "list")[1] if r["id"] == ready]
    assert received["pdf_signed_by"] == [
        {"signer": "Nguyễn Văn An", "organisation": "Văn phòng Tỉnh ủy Thử nghiệm"}
    ]


def _the_console_shows_only_the_answer(ward: Path, pdf: Path) -> None:
    """Outside pytest's log capture: pyHanko's log and warnings stay off the clerk's console."""
    shown = subprocess.run(
        [
            sys.executable,
            "-m",
            "desktop_app.cli.main",
            "pdf-verify",
            str(pdf),
            "--workspace",
            str(ward),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (shown.returncode, shown.stderr) == (0, "")
    assert shown.stdout.count("hợp lệ") == 2


def test_the_seal_image_is_set_refused_when_unusable_and_removed(
    ward: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from tests.seal_image import seal_png

    seal = tmp_path / "con-dau.png"
    seal.write_bytes(seal_png(300))
    code, answer, err = run(capsys, ward, "token", "seal", str(seal))
    assert code == 0, err
    assert (answer["width"], answer["height"]) == (300, 300)

    opaque = tmp_path / "con-dau-nen-trang.png"
    opaque.write_bytes(seal_png(300, transparent=False))
    code, _, err = run(capsys, ward, "token", "seal", str(opaque))
    assert code == 2 and "nền trong suốt" in err

    code, answer, err = run(capsys, ward, "token", "seal", "--remove")
    assert (code, answer) == (0, {"seal": None}), err


def test_a_ca_added_by_the_province_travels_in_its_package_until_removed(
    province: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    soft_token: SoftToken,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("BAOCAO_PASSPHRASE", "mật khẩu của Tỉnh ủy")
    assert run(capsys, province, "keys", "create")[0] == 0
    root = tmp_path / "root-bcy.cer"
    root.write_bytes(soft_token.pki.root_der)
    sha256 = run(capsys, province, "trust", "ca", "add", str(root))[1]["sha256"]
    stick = tmp_path / "usb"
    stick.mkdir()
    built = run(capsys, province, "config", "build", "--to", str(stick))[1]
    assert built["trust_anchors"] == [sha256]
    package = built["path"]

    commune = tmp_path / "commune"
    init = ("init", "--office-code", "DU-1", "--office-name", "Đảng ủy xã Một")
    assert run(capsys, commune, *init, "--level", "commune")[0] == 0
    code, _, err = run(capsys, commune, "config", "install", package, "--yes")
    assert code == 0, err
    listed = run(capsys, commune, "trust", "ca", "list")[1]
    assert [(a["subject"], a["origin"], a["issuer"]) for a in listed] == [
        ("Root CA thử nghiệm", "received", "TU-38")
    ]
    code, _, err = run(capsys, commune, "trust", "ca", "remove", sha256)
    assert code == 2 and "gói cấu hình của cấp trên" in err  # only the province removes it

    assert run(capsys, province, "trust", "ca", "remove", sha256)[0] == 0
    package = run(capsys, province, "config", "build", "--to", str(stick))[1]["path"]
    assert run(capsys, commune, "config", "install", package, "--yes")[0] == 0
    assert run(capsys, commune, "trust", "ca", "list")[1] == []
