"""The home page shows the dates core gives, for every kind of schedule override.

A commune's report on ``cntt-quy`` for the running quarter; the override moves nothing, the
cut-off, the deadline or both, and is either set in the commune's own store or set by the
province and installed from its configuration package. The real HomePage is loaded and read.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.core.model.offices import Office
from desktop_app.core.model.periods import Period, current_period, due_dates
from desktop_app.core.reports.schedule import ALL_UNITS, office_due_dates
from desktop_app.core.workspace import Workspace
from desktop_app.ui.home import HomePage
from desktop_app.ui.i18n import Texts
from desktop_app.ui.tasks import TaskRunner
from tests.core.upper.helpers import CHEAP, CNTT, PASSPHRASE, TEMPLATE_ID

PROVINCE = Office(code="TU-38", name="Tỉnh ủy Thanh Hóa", level="province")
COMMUNE = Office(
    code="DU-14797", name="Đảng ủy phường Hạc Thành", level="commune", parent_code="TU-38"
)
KINDS = ("none", "cutoff", "deadline", "both")


@dataclass
class Offices:
    province: Workspace
    commune: Workspace


@pytest.fixture
def offices(tmp_path: Path) -> Iterator[Offices]:
    with (
        Workspace.open(tmp_path / "province", automatic_backup=False, kdf_cost=CHEAP) as province,
        Workspace.open(tmp_path / "commune", automatic_backup=False, kdf_cost=CHEAP) as commune,
    ):
        for workspace, office in ((province, PROVINCE), (commune, COMMUNE)):
            workspace.initialise(office, install_bundled_templates=False)
            workspace.templates.install(CNTT)
        province.keys.create(PASSPHRASE)
        province.add_unit(replace(COMMUNE))
        yield Offices(province, commune)


def _running_quarter() -> Period:
    return current_period("quarterly", date.today())


def _override(kind: str, period: Period) -> tuple[date | None, date | None]:
    """Dates a clerk might type: three days before the rule's cut-off, six after its deadline."""
    cutoff, deadline = due_dates(CNTT.schedule, period)
    moved_cutoff = cutoff - timedelta(days=3) if kind in {"cutoff", "both"} else None
    moved_deadline = deadline + timedelta(days=6) if kind in {"deadline", "both"} else None
    return moved_cutoff, moved_deadline


def _apply(offices: Offices, kind: str, source: str, period: Period) -> None:
    cutoff, deadline = _override(kind, period)
    if cutoff is None and deadline is None:
        pass
    elif source == "local":
        offices.commune.upper.set_override(TEMPLATE_ID, period.code, ALL_UNITS, cutoff, deadline)
    else:
        offices.province.upper.set_override(
            TEMPLATE_ID, period.code, COMMUNE.code, cutoff, deadline
        )
    if source == "installed":
        built = offices.province.exchange.build_config(PASSPHRASE)
        offices.commune.exchange.install_config(offices.commune.exchange.read_config(built.data))


def _home_row(qtbot: QtBot, workspace: Workspace, period: Period) -> list[str]:
    texts = Texts("vi")
    runner = TaskRunner()
    home = HomePage(workspace, runner, texts)
    qtbot.addWidget(home)
    with qtbot.waitSignal(home.loaded, timeout=10_000):
        home.reload()
    runner.wait()
    tree = home.due.tree
    rows = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    wanted = texts.period(period)
    found = [[row.text(c) for c in range(6)] for row in rows if row.text(1) == wanted]
    assert len(found) == 1, [[row.text(c) for c in range(6)] for row in rows]
    return found[0]


@pytest.mark.parametrize("source", ["local", "installed"])
@pytest.mark.parametrize("kind", KINDS)
def test_the_home_page_shows_the_dates_core_gives(
    qtbot: QtBot, offices: Offices, kind: str, source: str
) -> None:
    period = _running_quarter()
    _apply(offices, kind, source, period)
    core = office_due_dates(offices.commune.db, CNTT, period, COMMUNE.code)
    rule_cutoff, rule_deadline = due_dates(CNTT.schedule, period)
    moved_cutoff, moved_deadline = _override(kind, period)
    assert (core.cutoff, core.deadline) == (
        moved_cutoff or rule_cutoff,
        moved_deadline or rule_deadline,
    )
    texts = Texts("vi")
    row = _home_row(qtbot, offices.commune, period)
    assert row[2:4] == [texts.date(core.cutoff), texts.date(core.deadline)]
