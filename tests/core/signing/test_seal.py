"""The office's seal image in the organisation's visible signature (NĐ 30 Phụ lục I)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding

from desktop_app.core.clock import now
from desktop_app.core.errors import CoreError
from desktop_app.core.signing import verify
from desktop_app.core.signing.pades import Place, signer_places
from desktop_app.core.signing.request import TokenApproval, sign_for_approval
from desktop_app.core.signing.seal import MAX_SEAL_BYTES, checked_seal
from desktop_app.core.workspace import Workspace
from tests.core.signing.test_token_signing import _pdf
from tests.seal_image import seal_png
from tests.signing_token import ORGANISATION_ID, PERSONAL_ID, SoftToken

SIGNER_AT = (330, 300)  # where the test page prints the signer's name
SCALE = 2


def _approved(token: SoftToken, seal: bytes | None) -> bytes:
    request = TokenApproval(token.library, token.pin, PERSONAL_ID, ORGANISATION_ID)
    return sign_for_approval(_pdf(SIGNER_AT), request, "Lê Văn Bình", now(), seal)


def _red_pixels(pdf: bytes, place: Place) -> int:
    """How many clearly red pixels the rendered page shows inside ``place``'s box."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    document.init_forms()  # the signatures' boxes are form fields: drawn only with forms on
    try:
        page = document[place.page]
        height = page.get_height()
        image = page.render(scale=SCALE, no_smoothtext=True).to_pil().convert("RGB")
    finally:
        document.close()
    left, bottom, right, top = place.box
    crop = image.crop(
        (left * SCALE, (height - top) * SCALE, right * SCALE, (height - bottom) * SCALE)
    )
    data = crop.tobytes()
    pixels = zip(data[0::3], data[1::3], data[2::3], strict=True)
    return sum(1 for r, g, b in pixels if r > 170 and g < 60 and b < 90)  # the seal's ink


def test_the_organisation_s_box_shows_the_seal(soft_token: SoftToken) -> None:
    _, organisation = signer_places(_pdf(SIGNER_AT), "Lê Văn Bình")
    with_seal = _approved(soft_token, seal_png())
    without = _approved(soft_token, None)
    assert _red_pixels(_pdf(SIGNER_AT), organisation) == 0
    assert _red_pixels(without, organisation) == 0
    assert _red_pixels(with_seal, organisation) > 500
    found = verify.verify_pdf(with_seal, [soft_token.pki.root_der])
    assert [(s.signer, s.reason) for s in found] == [
        ("Nguyễn Văn An", verify.VALID),
        ("Văn phòng Tỉnh ủy Thử nghiệm", verify.VALID),
    ]


def test_the_personal_box_carries_no_seal(soft_token: SoftToken) -> None:
    personal, _ = signer_places(_pdf(SIGNER_AT), "Lê Văn Bình")
    assert _red_pixels(_approved(soft_token, seal_png()), personal) == 0


@pytest.mark.skipif(
    not (shutil.which("pdfsig") and shutil.which("certutil")),
    reason="poppler-utils and libnss3-tools are not installed (.ci/run installs them)",
)
def test_pdfsig_still_validates_both_signatures_with_the_seal(
    soft_token: SoftToken, tmp_path: Path
) -> None:
    path = tmp_path / "signed-seal.pdf"
    path.write_bytes(_approved(soft_token, seal_png()))
    nss, root = tmp_path / "nss", tmp_path / "root.pem"
    nss.mkdir()
    root.write_bytes(soft_token.pki.root.public_bytes(Encoding.PEM))
    for command in (
        ["certutil", "-N", "--empty-password", "-d", f"sql:{nss}"],
        ["certutil", "-A", "-n", "root", "-t", "CT,CT,CT", "-i", str(root), "-d", f"sql:{nss}"],
    ):
        subprocess.run(command, capture_output=True, check=True)
    report = subprocess.run(
        ["pdfsig", "-nssdir", f"sql:{nss}", str(path)], capture_output=True, text=True, check=True
    )
    assert report.stdout.count("Signature Validation: Signature is Valid.") == 2
    assert report.stdout.count("Certificate Validation: Certificate is Trusted.") == 2


def test_the_office_keeps_one_seal_and_can_drop_it(workspace: Workspace) -> None:
    assert workspace.signing.seal() is None
    workspace.signing.set_seal(seal_png(300))
    workspace.signing.set_seal(seal_png(200))
    assert workspace.signing.seal() == seal_png(200)
    workspace.signing.remove_seal()
    assert workspace.signing.seal() is None


BAD_SEALS = {
    "seal.not_png": b"GIF89a" + b"\x00" * 64,
    "seal.no_transparency": seal_png(transparent=False),
    "seal.bad_size": seal_png(40),
    "seal.too_large": b"\x89PNG\r\n\x1a\n" + b"\x00" * MAX_SEAL_BYTES,
}


@pytest.mark.parametrize("code", sorted(BAD_SEALS))
def test_an_unusable_image_is_refused_and_the_seal_kept(workspace: Workspace, code: str) -> None:
    workspace.signing.set_seal(seal_png(300))
    with pytest.raises(CoreError) as refused:
        workspace.signing.set_seal(BAD_SEALS[code])
    assert refused.value.code == code
    assert workspace.signing.seal() == seal_png(300)


def test_a_truncated_png_is_not_a_png() -> None:
    with pytest.raises(CoreError) as refused:
        checked_seal(seal_png()[:400])
    assert refused.value.code == "seal.not_png"
