"""Trust anchors as data: shipped with fingerprints, added by an office, nothing else."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding

from desktop_app.core.errors import CoreError
from desktop_app.core.signing import trust
from desktop_app.core.workspace import Workspace
from tests.signing_token import make_pki

PKI, _ = make_pki()


def _shipped_folder(folder: Path, recorded_sha256: str) -> Path:
    (folder / "root.pem").write_bytes(PKI.root.public_bytes(Encoding.PEM))
    listed = {
        "anchors": [{"file": "root.pem", "source": "https://ca.gov.vn", "sha256": recorded_sha256}]
    }
    (folder / "anchors.json").write_text(json.dumps(listed), encoding="utf-8")
    return folder


def test_a_shipped_anchor_is_read_with_its_source_and_fingerprint(tmp_path: Path) -> None:
    fingerprint = hashlib.sha256(PKI.root_der).hexdigest()
    [anchor] = trust.shipped_anchors(_shipped_folder(tmp_path, fingerprint))
    assert (anchor.subject, anchor.sha256, anchor.origin, anchor.source) == (
        "Root CA thử nghiệm",
        fingerprint,
        trust.SHIPPED,
        "https://ca.gov.vn",
    )
    assert anchor.der == PKI.root_der


def test_a_shipped_file_that_does_not_match_its_fingerprint_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CoreError) as refused:
        trust.shipped_anchors(_shipped_folder(tmp_path, "00" * 32))
    assert refused.value.code == "trust.fingerprint_mismatch"


def test_the_app_s_own_list_loads() -> None:
    assert all(a.origin == trust.SHIPPED for a in trust.shipped_anchors())


def test_an_office_adds_a_ca_once_and_keeps_it(workspace: Workspace) -> None:
    pem = PKI.subordinate.public_bytes(Encoding.PEM)
    first = workspace.signing.add_trust_anchor(pem, "ca-dang.pem")
    again = workspace.signing.add_trust_anchor(PKI.subordinate.public_bytes(Encoding.DER), "x.cer")
    assert first.sha256 == again.sha256
    added = [a for a in workspace.signing.trust_anchors() if a.origin == trust.ADDED]
    assert [(a.subject, a.source) for a in added] == [
        ("CA phục vụ các cơ quan Đảng (thử)", "ca-dang.pem")
    ]


@pytest.mark.parametrize("data", [b"not a certificate", b"-----BEGIN CERTIFICATE-----\nAAAA\n"])
def test_what_is_not_a_certificate_is_refused(workspace: Workspace, data: bytes) -> None:
    with pytest.raises(CoreError) as refused:
        workspace.signing.add_trust_anchor(data, "rac.bin")
    assert refused.value.code == "trust.not_a_certificate"
    assert [a for a in workspace.signing.trust_anchors() if a.origin == trust.ADDED] == []
