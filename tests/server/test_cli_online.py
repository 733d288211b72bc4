"""``baocao send`` and ``baocao sync``: exit 0 when delivered, 2 with one line when not."""

from __future__ import annotations

import pytest

from desktop_app.cli.main import main
from desktop_app.core.catalogue import message
from tests.core.upper.helpers import PASSPHRASE
from tests.server.conftest import Certificate, Offices, RunningService, free_port
from tests.server.helpers import approved_entry


def test_send_then_sync_from_the_command_line(
    offices: Offices,
    certificate: Certificate,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BAOCAO_PASSPHRASE", PASSPHRASE)  # uploads and receipts are signed
    unit = offices.communes["DU-01"]
    workspace = ["--workspace", str(unit.root)]
    with RunningService(offices.province, offices.options(certificate)):
        offices.install_config_by_usb()
        _, seq = approved_entry(unit, 1)
        assert main(["send", str(seq), *workspace]) == 0
        sent = capsys.readouterr()
        assert main(["sync", *workspace]) == 0
        synced = capsys.readouterr()
    assert sent.out.strip() == message("online.delivered", "vi", seq=seq, receipts=1)
    assert sent.err == ""
    assert synced.out.strip() == message("online.synced", "vi", version="—", receipts=1)


def test_send_says_in_one_line_when_the_line_is_down(
    offices: Offices, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BAOCAO_PASSPHRASE", PASSPHRASE)
    unit = offices.communes["DU-02"]
    _, seq = approved_entry(unit, 2)
    url = f"https://127.0.0.1:{free_port()}"
    code = main(["send", str(seq), "--url", url, "--attempts", "1", "--workspace", str(unit.root)])
    said = capsys.readouterr()
    assert code == 2
    assert said.out == ""
    [line] = said.err.splitlines()
    assert line.startswith(f"baocao: Gói số {seq} chưa gửi được: Không kết nối được")
    assert "xuất ra USB" in line


@pytest.mark.parametrize("command", ["send", "sync"])
def test_without_an_address_it_points_to_the_usb_export_before_asking_anything(
    offices: Offices,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: str,
) -> None:
    monkeypatch.delenv("BAOCAO_PASSPHRASE", raising=False)  # a prompt would fail the run
    unit = offices.communes["DU-03"]
    _, seq = approved_entry(unit, 3)
    words = [command, str(seq)] if command == "send" else [command]
    assert main([*words, "--workspace", str(unit.root)]) == 2
    assert capsys.readouterr().err.strip() == f"baocao: {message('online.no_service', 'vi')}"
