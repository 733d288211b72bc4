"""The architecture holds: layers import downwards only, and only core touches the store."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import desktop_app

PACKAGE = Path(desktop_app.__file__).parent
ROOT = PACKAGE.parent
# A connection, a cursor or SQL text in a window or a command means a rule escaped core.
STORE_ACCESS = re.compile(r"\.db\.|\.db\b(?!\")|\bsqlite3\b|\b(SELECT|INSERT|UPDATE|DELETE) [\w*]")


def test_the_import_contracts_in_pyproject_hold() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    run = subprocess.run(
        [str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


def test_windows_and_commands_reach_the_store_only_through_the_workspace_areas() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}"
        for layer in ("ui", "cli", "server")
        for path in sorted((PACKAGE / layer).rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if STORE_ACCESS.search(line)
    ]
    assert offenders == []
