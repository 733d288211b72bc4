"""The hostile suite: every case asserts the code it ends with and a store unchanged."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.core.workspace import Workspace
from tests.conftest import DISTRICT
from tests.core.exchange.bundles.conftest import CHEAP, PASSPHRASE


@pytest.fixture(scope="module")
def keyed_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A ward with its key and one filled report, made once per module and copied per test
    (a key costs time even at the tests' cheap cost)."""
    root = tmp_path_factory.mktemp("keyed") / "ws"
    with Workspace.open(root, automatic_backup=False, kdf_cost=CHEAP) as ws:
        ws.initialise(DISTRICT)
        ws.keys.create(PASSPHRASE)
        ws.reports.new("cntt-quy", "2026Q3")
    return root


@pytest.fixture
def keyed(keyed_template: Path, tmp_path: Path) -> Iterator[Workspace]:
    import shutil

    target = tmp_path / "ws"
    shutil.copytree(keyed_template, target, ignore=shutil.ignore_patterns("sessions"))
    with Workspace.open(target, automatic_backup=False, kdf_cost=CHEAP) as ws:
        yield ws


def only_report(ws: Workspace) -> str:
    [summary] = ws.reports.summaries()
    return summary.id
