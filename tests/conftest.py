"""Shared fixtures: a real workspace in a temporary folder, never the user's profile."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.core.offices import Office
from desktop_app.core.workspace import Workspace

DISTRICT = Office(
    code="DU-14797",
    name="Đảng ủy phường Hạc Thành",
    level="commune",
    block="party",
    abbreviation="ĐU",
    parent_code="TU-38",
    superior_name="ĐẢNG BỘ TỈNH THANH HÓA",
    place="Hạc Thành",
)


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test may touch a real user profile, even by accident."""
    monkeypatch.setenv("BAOCAO_HOME", str(tmp_path_factory.mktemp("home")))


@pytest.fixture
def workspace_dir(tmp_path: Path) -> Path:
    return tmp_path / "ws"


@pytest.fixture
def workspace(workspace_dir: Path) -> Iterator[Workspace]:
    with Workspace.open(workspace_dir, automatic_backup=False) as ws:
        ws.initialise(DISTRICT)
        yield ws
