"""First-start wizard: find the office in the official unit list, finish, workspace initialised."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QWizard
from pytestqt.qtbot import QtBot

from desktop_app.core.demo import DEMO_OFFICE
from desktop_app.core.model.offices import Office
from desktop_app.core.workspace import Workspace
from desktop_app.ui.i18n import Texts
from desktop_app.ui.settings import AppSettings
from desktop_app.ui.tasks import TaskRunner
from desktop_app.ui.wizard import SetupWizard, find_units, suggested_office
from tests.conftest import DISTRICT

TODAY = date(2026, 11, 24)


@pytest.fixture
def fresh_workspace(tmp_path: Path) -> Iterator[Workspace]:
    with Workspace(tmp_path / "fresh", automatic_backup=False) as workspace:
        yield workspace


@pytest.fixture
def wizard_runner(qapp: object, fresh_workspace: Workspace) -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    runner.wait()


@pytest.fixture
def wizard(
    qtbot: QtBot,
    fresh_workspace: Workspace,
    wizard_runner: TaskRunner,
    texts: Texts,
    settings: AppSettings,
) -> SetupWizard:
    dialog = SetupWizard(fresh_workspace, wizard_runner, texts, settings)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_a_ward_becomes_its_party_committee() -> None:
    match = find_units("hạc thành", TODAY)[0]
    office = suggested_office(match, "party")
    assert office == DEMO_OFFICE  # the demo office is exactly what the wizard proposes


def test_a_ward_becomes_its_peoples_committee_for_state_documents() -> None:
    office = suggested_office(find_units("hac thanh", TODAY)[0], "state")
    assert office.name == "Ủy ban nhân dân phường Hạc Thành"
    assert (office.code, office.abbreviation, office.block) == ("UBND-14797", "UBND", "state")


def test_a_province_becomes_its_provincial_committee() -> None:
    office = suggested_office(find_units("thanh hoa", TODAY)[0], "party")
    assert (office.name, office.code, office.level) == ("Tỉnh ủy Thanh Hóa", "TU-38", "province")
    city = suggested_office(find_units("Hà Nội", TODAY)[0], "party")
    assert city.name == "Thành ủy Hà Nội"


def test_search_with_or_without_accents_finds_the_same_unit() -> None:
    accented = find_units("Hạc Thành", TODAY)[0].unit
    plain = find_units("hac thanh", TODAY)[0].unit
    assert accented == plain and accented.full_name == "Phường Hạc Thành"


def test_wizard_completes_and_initialises_the_workspace(
    qtbot: QtBot, wizard: SetupWizard, fresh_workspace: Workspace
) -> None:
    wizard.welcome.role_buttons["head"].setChecked(True)
    wizard.next()
    page = wizard.office_page
    assert not page.isComplete()
    qtbot.keyClicks(page.search, "hac thanh")
    qtbot.waitUntil(lambda: page.results.count() > 0)
    assert page.results.item(0).text() == "Phường Hạc Thành — Tỉnh Thanh Hóa"
    page.results.setCurrentRow(0)
    assert page.fields["name"].text() == "Đảng ủy phường Hạc Thành"
    assert page.isComplete()
    page.fields["place"].setText("Thanh Hóa")  # a field the clerk corrects by hand
    wizard.next()
    with qtbot.waitSignal(wizard.initialised) as done:
        wizard.button(QWizard.WizardButton.FinishButton).click()
    office = done.args[0]
    assert isinstance(office, Office) and office.code == "DU-14797"
    assert fresh_workspace.is_initialised
    assert fresh_workspace.office.place == "Thanh Hóa"
    assert [t.id for t in fresh_workspace.templates.newest()]  # the bundled templates came with it
    assert AppSettings().role == "head"
    assert not wizard.isVisible()


def test_an_office_typed_by_hand(
    qtbot: QtBot, wizard: SetupWizard, fresh_workspace: Workspace
) -> None:
    wizard.next()
    page = wizard.office_page
    page.profile_buttons["state"].setChecked(True)
    page.fields["name"].setText("Sở Thông tin và Truyền thông")
    page.fields["code"].setText("STTTT-38")
    page.level.setCurrentIndex(page.level.findData("department"))
    wizard.next()
    with qtbot.waitSignal(wizard.initialised):
        wizard.button(QWizard.WizardButton.FinishButton).click()
    office = fresh_workspace.office
    assert (office.name, office.level, office.block) == (
        "Sở Thông tin và Truyền thông",
        "department",
        "state",
    )
    assert AppSettings().document_profile == "state"


def test_a_refused_office_keeps_the_wizard_open(
    qtbot: QtBot,
    wizard: SetupWizard,
    fresh_workspace: Workspace,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fresh_workspace.initialise(DISTRICT)  # another office already owns this workspace
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: shown.append(text))
    wizard.next()
    wizard.office_page.fields["name"].setText("Đảng ủy xã Khác")
    wizard.office_page.fields["code"].setText("DU-00001")
    wizard.next()
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: bool(shown))
    assert "DU-14797" in shown[0]
    assert wizard.isVisible()
    assert wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    assert fresh_workspace.office.code == "DU-14797"


def test_choosing_english_relabels_the_wizard(wizard: SetupWizard) -> None:
    combo = wizard.welcome.language
    combo.setCurrentIndex(combo.findData("en"))
    assert wizard.buttonText(QWizard.WizardButton.NextButton) == "&Next >"
    assert wizard.welcome.title() == "Welcome to Báo cáo"
    assert wizard.office_page.form_labels[0].text() == "Office name:"
