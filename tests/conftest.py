"""Shared fixtures: a real workspace in a temporary folder, never the user's profile."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.core.demo import DEMO_OFFICE
from desktop_app.core.workspace import Workspace

pytest_plugins = ["tests.signing_token"]  # the SoftHSM token of the signing tests

DISTRICT = DEMO_OFFICE  # the demo's ward: a commune-level Party committee


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
