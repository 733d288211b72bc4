"""No window shows a catalogue key, an ISO date, a raw period code or an English status word."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pytestqt.qtbot import QtBot

from desktop_app.core.workspace import Workspace
from desktop_app.ui.app import settle
from desktop_app.ui.exchange.import_dialog import ImportDialog
from desktop_app.ui.i18n import Texts
from desktop_app.ui.tasks import TaskRunner
from tests.core.exchange.bundles.conftest import Offices
from tests.ui.screens.tour import Screen, main_window, tour, wizard
from tests.ui.screens.visible import raw_codes, raw_codes_on


def _check(screens: Iterable[Screen]) -> list[str]:
    return [
        f"{name} / {where}: {codes} in «{text}»"
        for name, widget in screens
        for where, text, codes in raw_codes_on(widget)
    ]


def test_the_checks_find_what_they_look_for() -> None:
    assert raw_codes("Báo cáo kỳ 2026Q4 lập ngày 2026-12-02 («approved»)") == [
        "2026-12-02",
        "2026Q4",
        "approved",
    ]
    assert raw_codes("shell.home.due") == ["shell.home.due"]
    assert raw_codes("cntt-quy-2026Q4-r1.pdf") == ["2026Q4"]
    assert raw_codes("Sơ kết SK2019") == ["SK2019"]
    assert raw_codes("Quý IV năm 2026 — hạn 15/01/2027 — Đã phê duyệt; 1.234,5") == []


def test_every_screen_of_an_office_speaks_vietnamese(
    qtbot: QtBot, demo_workspace: Workspace, runner: TaskRunner
) -> None:
    window = main_window(demo_workspace, runner, Texts("vi"))
    qtbot.addWidget(window)
    problems = _check(tour(window))
    assert not problems, "\n".join(problems)


def test_every_screen_of_the_province_speaks_vietnamese(qtbot: QtBot, offices: Offices) -> None:
    offices.province.exchange.import_bundles([offices.export(offices.approved_report("2026Q3"))])
    runner = TaskRunner()
    try:
        window = main_window(offices.province, runner, Texts("vi"))
        qtbot.addWidget(window)
        problems = _check(tour(window))
    finally:
        runner.wait()
    assert not problems, "\n".join(problems)


def test_the_import_window_speaks_vietnamese_about_each_file(
    qtbot: QtBot, offices: Offices
) -> None:
    """Its rows are sentences: what was imported, and why a file was refused or already in."""
    bundle = offices.export(offices.approved_report("2026Q3"))
    runner = TaskRunner()
    try:
        window = main_window(offices.province, runner, Texts("vi"))
        qtbot.addWidget(window)
        window.import_bundles()
        dialog = window.job_dialog
        assert isinstance(dialog, ImportDialog)
        for _ in range(2):  # imported, then already imported (on a day)
            dialog.import_paths([bundle])
            settle(runner)
        assert dialog.table.rowCount() == 2
        problems = _check([("import", dialog)])
    finally:
        runner.wait()
    assert not problems, "\n".join(problems)


def test_the_setup_wizard_speaks_vietnamese(tmp_path: Path, qtbot: QtBot) -> None:
    runner = TaskRunner()
    try:
        problems = _check(wizard(tmp_path / "new", runner, Texts("vi")))
    finally:
        runner.wait()
    assert not problems, "\n".join(problems)
