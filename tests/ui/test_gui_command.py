"""``baocao gui --screenshot``: pictures of the real windows, in-process and offscreen."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from desktop_app.cli.main import main
from desktop_app.core.workspace import Workspace

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def screenshot(tmp_path: Path, name: str, *args: str) -> QImage:
    target = tmp_path / name
    code = main(["gui", "--workspace", str(tmp_path / "ws"), "--screenshot", str(target), *args])
    assert code == 0
    assert target.read_bytes().startswith(PNG_SIGNATURE)
    image = QImage(str(target))
    assert not image.isNull()
    return image


def distinct_colours(image: QImage) -> int:
    step = 37
    return len(
        {
            image.pixel(x, y)
            for x in range(0, image.width(), step)
            for y in range(0, image.height(), step)
        }
    )


def test_demo_screenshot_writes_the_main_window(tmp_path: Path, qapp: object) -> None:
    image = screenshot(tmp_path, "home.png", "--demo")
    assert (image.width(), image.height()) == (1366, 768)
    assert distinct_colours(image) > 5  # something was drawn, not a blank window
    with Workspace(tmp_path / "ws", automatic_backup=False) as workspace:
        assert len(workspace.reports.summaries()) == 5  # --demo built the demo workspace


def test_screenshot_of_the_list_page(tmp_path: Path, qapp: object) -> None:
    screenshot(tmp_path, "home.png", "--demo")
    image = screenshot(tmp_path, "list.png", "--page", "list")
    assert (image.width(), image.height()) == (1366, 768)


def test_screenshot_of_a_new_workspace_shows_the_wizard(tmp_path: Path, qapp: object) -> None:
    image = screenshot(tmp_path, "wizard.png")
    assert distinct_colours(image) > 3
    with Workspace(tmp_path / "ws", automatic_backup=False) as workspace:
        assert not workspace.is_initialised  # a picture changes nothing


def test_screenshot_with_an_open_report(tmp_path: Path, qapp: object) -> None:
    pytest.importorskip("desktop_app.ui.editor")
    screenshot(tmp_path, "home.png", "--demo")
    with Workspace(tmp_path / "ws", automatic_backup=False) as workspace:
        report_id = workspace.reports.summaries(template_id="nq57-quy-xa", period="2026Q3")[0].id
    image = screenshot(tmp_path, "editor.png", "--open", report_id)
    assert (image.width(), image.height()) == (1366, 768)


def test_screenshot_of_a_print_preview_and_of_the_tracking_window(
    tmp_path: Path, qapp: object
) -> None:
    screenshot(tmp_path, "home.png", "--demo")
    with Workspace(tmp_path / "ws", automatic_backup=False) as workspace:
        report_id = workspace.reports.summaries(template_id="nq57-quy-xa", period="2026Q3")[0].id
    preview = screenshot(tmp_path, "preview.png", "--open", report_id, "--page", "preview")
    upper = screenshot(tmp_path, "upper.png", "--page", "upper")
    # The dialogs themselves, not the main window behind them.
    assert (preview.width(), preview.height()) != (1366, 768)
    assert (upper.width(), upper.height()) != (1366, 768)
    assert distinct_colours(upper) > 5


@pytest.mark.parametrize("page", ["keys", "export", "import", "office"])
def test_screenshot_of_a_window_from_the_menus(tmp_path: Path, qapp: object, page: str) -> None:
    screenshot(tmp_path, "home.png", "--demo")
    image = screenshot(tmp_path, f"{page}.png", "--page", page)
    assert image.width() < 1366 and image.height() < 768  # the window, not the main one
    assert distinct_colours(image) > 3
