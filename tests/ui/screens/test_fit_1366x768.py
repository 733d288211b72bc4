"""Every window fits the free area of a 1366×768 screen (a laptop with a 40-pixel taskbar).

The windows are opened in a fresh interpreter whose offscreen screen is that free area,
1366×728; a window and the frame the window manager draws around it (title bar and borders)
must fit inside, both as first shown and at its smallest.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

FREE_AREA = (1366, 768 - 40)
FRAME = (16, 40)  # borders and title bar around a window on Windows 10/11 at 100 %
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def sizes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[int]]:
    folder = tmp_path_factory.mktemp("fit")
    config = folder / "screen.json"
    width, height = FREE_AREA
    screen = {"name": "laptop", "x": 0, "y": 0, "width": width, "height": height}
    config.write_text(json.dumps({"screens": [{**screen, "logicalDpi": 96, "dpr": 1}]}))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}"}
    result = subprocess.run(
        [sys.executable, "-m", "tests.ui.screens.fit_probe", str(folder)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    found: dict[str, list[int]] = json.loads(result.stdout.strip().splitlines()[-1])
    return found


def test_the_probe_ran_on_the_laptop_screen(sizes: dict[str, list[int]]) -> None:
    assert {"home", "editor", "preview", "upper", "keys", "office", "wizard"} <= set(sizes)
    assert all(found[4:] == list(FREE_AREA) for found in sizes.values())


def test_every_window_fits_as_first_shown_and_at_its_smallest(
    sizes: dict[str, list[int]],
) -> None:
    room = (FREE_AREA[0] - FRAME[0], FREE_AREA[1] - FRAME[1])
    too_big = {
        name: found[:4]
        for name, found in sizes.items()
        if max(found[0], found[2]) > room[0] or max(found[1], found[3]) > room[1]
    }
    assert not too_big, f"larger than {room} (width, height, smallest width, smallest height)"
