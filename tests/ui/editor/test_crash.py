"""A process killed mid-edit loses at most the edit in flight and leaves a sound store."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO

import pytest

from desktop_app.core.workspace import Workspace
from tests.ui.editor.editing_child import FIGURE, SECTION, narrative_for

REPO = Path(__file__).resolve().parents[3]


def _lines(stream: IO[str]) -> tuple[queue.Queue[str], threading.Thread]:
    """The child's output lines, read on a thread so waiting for one can time out."""
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        for line in stream:
            lines.put(line)
        lines.put("")

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    return lines, reader


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
@pytest.mark.parametrize("saves_before_kill", [2, 9])
def test_killed_editor_loses_at_most_the_edit_in_flight(
    workspace: Workspace, report_id: str, saves_before_kill: int
) -> None:
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.ui.editor.editing_child", str(workspace.root), report_id],
        cwd=REPO,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    lines, reader = _lines(child.stdout)
    confirmed = 0
    try:
        while confirmed < saves_before_kill:
            line = lines.get(timeout=60)
            assert line, f"the editing child stopped early (exit {child.poll()})"
            confirmed = int(line)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
        reader.join(timeout=60)
        child.stdout.close()

    with Workspace.open(workspace.root, automatic_backup=False) as after:
        assert after.recovered_from_crash
        assert after.integrity_ok
        assert after.db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        content = after.reports.content(report_id)
        stored = int(content.values[FIGURE])
        assert stored >= confirmed, "a save the editor confirmed was lost"
        assert content.narratives[SECTION] == narrative_for(stored), "half a save survived"
        audited = [row for row in after.reports.history(report_id) if row["field"] == FIGURE]
        assert audited[-1]["new_value"] == str(stored)
