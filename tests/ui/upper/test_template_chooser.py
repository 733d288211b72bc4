"""The upper office's template chooser: the history group marked «(mẫu cũ)» and listed after the
current templates, as in the new-report dialog; a template owed for some periods of the year
offers only those."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.core.model.offices import Office
from desktop_app.core.workspace import Workspace
from desktop_app.ui.i18n import Texts
from desktop_app.ui.tasks import TaskRunner
from desktop_app.ui.upper.window import UpperOfficeWindow
from tests.core.upper.helpers import CHEAP

PROVINCE = Office(code="TU-38", name="Tỉnh ủy Thanh Hóa", level="province", block="party")
HISTORY = {"ct58-tongket-10nam", "de-an-06-tong-ket", "nq36-so-ket"}


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[UpperOfficeWindow]:
    with Workspace(tmp_path / "tinh", automatic_backup=False, kdf_cost=CHEAP) as province:
        province.initialise(PROVINCE)  # every shipped template, the old ones included
        runner = TaskRunner()
        window = UpperOfficeWindow(province, runner, Texts("vi"))
        qtbot.addWidget(window)
        qtbot.waitUntil(lambda: window.template.count() > 0)  # read on the worker thread
        yield window
        runner.wait()


def test_old_templates_are_marked_and_listed_after_the_current_ones(
    window: UpperOfficeWindow,
) -> None:
    chooser = window.template
    listed = [(chooser.itemData(i), chooser.itemText(i)) for i in range(chooser.count())]
    current, old = listed[: -len(HISTORY)], listed[-len(HISTORY) :]
    assert {template_id for template_id, _ in old} == HISTORY
    assert all(title.endswith(" (mẫu cũ)") for _, title in old)
    assert not [title for _, title in current if "(mẫu cũ)" in title]
    assert "nq57-quy-xa" in {template_id for template_id, _ in current}
    assert chooser.currentData() not in HISTORY  # opens on a current template


def test_the_six_month_review_offers_first_halves_only(window: UpperOfficeWindow) -> None:
    window.template.setCurrentIndex(window.template.findData("so-ket-6-thang"))
    offered = [window.period.itemData(i) for i in range(window.period.count())]
    assert offered and all(str(code).endswith("S1") for code in offered)
    assert window.period.text() == offered[0]
    assert window.period.title().startswith("6 tháng đầu năm")
