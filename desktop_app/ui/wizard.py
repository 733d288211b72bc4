"""First start: who uses the app, for which office, in which language, with backups where.

The office is picked from the official list of administrative units (typed with or without
accents) and turned into the office's name, code and document lines, every one of which the
clerk can still correct, or typed in by hand. Finishing calls ``Workspace.initialise``; the
wizard only closes when that succeeded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from desktop_app.core.model import units
from desktop_app.core.model.offices import LEVELS, Office
from desktop_app.core.model.units import AdminUnit
from desktop_app.core.workspace import Workspace
from desktop_app.ui.i18n import Texts
from desktop_app.ui.screen_fit import resize_to_fit
from desktop_app.ui.settings import (
    PROFILES,
    ROLES,
    AppSettings,
    BackupFolderField,
    TitleLabel,
    language_combo,
)
from desktop_app.ui.tasks import TaskRunner

SEARCH_DELAY_MS = 200
SEARCH_LIMIT = 30
UNIT_ROLE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class UnitMatch:
    unit: AdminUnit
    province: AdminUnit | None  # the unit above a commune


def find_units(query: str, today: date) -> list[UnitMatch]:
    """Units in force today whose name matches, each with its province (worker thread)."""
    matches = units.find(query, today, SEARCH_LIMIT)
    return [UnitMatch(unit, _province(unit, today)) for unit in matches]


def _province(unit: AdminUnit, today: date) -> AdminUnit | None:
    return units.get(unit.parent_code, today) if unit.parent_code else None


def suggested_office(match: UnitMatch, profile: str) -> Office:
    """The usual office for a unit: "Đảng ủy phường Hạc Thành" (ĐU, DU-14797, under
    "ĐẢNG BỘ TỈNH THANH HÓA") for the Party, "Ủy ban nhân dân phường Hạc Thành" for the state."""
    unit, province = match.unit, match.province
    is_province = unit.level == "province"
    if profile == "party":
        prefix, abbreviation = ("TU", "TU") if is_province else ("DU", "ĐU")
        name = _party_committee(unit)
        parent = None if is_province or province is None else f"TU-{province.code}"
        superior = "" if province is None else f"ĐẢNG BỘ {province.full_name.upper()}"
    else:
        prefix = abbreviation = "UBND"
        name = f"Ủy ban nhân dân {unit.kind.lower()} {unit.name}"
        parent = None if is_province or province is None else f"UBND-{province.code}"
        superior = ""
    return Office(
        code=f"{prefix}-{unit.code}",
        name=name,
        level="province" if is_province else "commune",
        block=profile,
        abbreviation=abbreviation,
        parent_code=parent,
        superior_name=superior,
        place=unit.name,
    )


def _party_committee(unit: AdminUnit) -> str:
    if unit.level == "province":
        return f"{'Thành ủy' if unit.kind == 'Thành phố' else 'Tỉnh ủy'} {unit.name}"
    return f"Đảng ủy {unit.kind.lower()} {unit.name}"


def match_label(match: UnitMatch) -> str:
    if match.province is None:
        return match.unit.full_name
    return f"{match.unit.full_name} — {match.province.full_name}"


class TextPage(QWizardPage):
    """A page whose texts follow the chosen language."""

    def __init__(self, texts: Texts) -> None:
        super().__init__()
        self.texts = texts
        texts.changed.connect(self.retranslate)

    def retranslate(self) -> None:
        raise NotImplementedError


class WelcomePage(TextPage):
    """Language first (so the rest reads right), then the clerk's role."""

    def __init__(self, texts: Texts, settings: AppSettings) -> None:
        super().__init__(texts)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.language = language_combo(texts, texts.lang)
        self.language.currentIndexChanged.connect(
            lambda _index: texts.set_language(str(self.language.currentData()))
        )
        self.language_label = QLabel()
        self.language_label.setBuddy(self.language)
        self.role_label = TitleLabel(1.05)
        self.roles = QButtonGroup(self)
        self.role_buttons = {role: QRadioButton() for role in ROLES}
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.language_label)
        layout.addWidget(self.language)
        layout.addSpacing(12)
        layout.addWidget(self.role_label)
        for index, (role, button) in enumerate(self.role_buttons.items()):
            self.roles.addButton(button, index)
            button.setChecked(role == settings.role)
            layout.addWidget(button)
        layout.addStretch(1)
        self.retranslate()

    def retranslate(self) -> None:
        tr = self.texts
        self.setTitle(tr("shell.wizard.welcome_title"))
        self.intro.setText(tr("shell.wizard.welcome_text"))
        self.language_label.setText(tr("shell.wizard.language"))
        self.role_label.setText(tr("shell.wizard.role"))
        for role, button in self.role_buttons.items():
            button.setText(tr(f"shell.role.{role}"))

    def role(self) -> str:
        return ROLES[max(0, self.roles.checkedId())]


class OfficePage(TextPage):
    """Document profile, unit search, and the office fields the search fills in."""

    def __init__(self, texts: Texts, runner: TaskRunner, settings: AppSettings) -> None:
        super().__init__(texts)
        self.runner = runner
        self.today = date.today()
        self.profile_buttons = {profile: QRadioButton() for profile in PROFILES}
        self.profile_buttons[settings.document_profile].setChecked(True)
        for button in self.profile_buttons.values():
            button.toggled.connect(self._profile_changed)
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.results = QListWidget()
        self.results.setMinimumHeight(120)
        self.results.currentItemChanged.connect(self._unit_chosen)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SEARCH_DELAY_MS)
        self.timer.timeout.connect(self._run_search)
        self.search.textChanged.connect(lambda _text: self.timer.start())
        self.fields = {
            name: QLineEdit()
            for name in ("name", "code", "abbreviation", "parent_code", "superior_name", "place")
        }
        for field in ("name", "code"):
            self.fields[field].textChanged.connect(self.completeChanged)
        self.level = QComboBox()
        for level in LEVELS:
            self.level.addItem("", level)
        self.level.setCurrentIndex(LEVELS.index("commune"))
        self._build()
        self.retranslate()

    def _build(self) -> None:
        self.profile_label = QLabel()
        self.search_label = QLabel()
        self.search_label.setBuddy(self.search)
        self.hand_note = QLabel()
        self.hand_note.setWordWrap(True)
        self.form = QFormLayout()
        self.form_labels = [QLabel() for _ in range(len(self.fields) + 1)]
        for label, field in zip(self.form_labels, [*self.fields.values(), self.level], strict=True):
            label.setBuddy(field)
            self.form.addRow(label, field)
        layout = QVBoxLayout(self)
        layout.addWidget(self.profile_label)
        for button in self.profile_buttons.values():
            layout.addWidget(button)
        layout.addWidget(self.search_label)
        layout.addWidget(self.search)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.hand_note)
        layout.addLayout(self.form)

    def retranslate(self) -> None:
        tr = self.texts
        self.setTitle(tr("shell.wizard.office_title"))
        self.setSubTitle(tr("shell.wizard.office_subtitle"))
        self.profile_label.setText(tr("shell.wizard.profile"))
        for profile, button in self.profile_buttons.items():
            button.setText(tr(f"shell.profile.{profile}"))
        self.search_label.setText(tr("shell.wizard.search"))
        self.search.setPlaceholderText(tr("shell.wizard.search_hint"))
        self.hand_note.setText(tr("shell.wizard.by_hand"))
        labels = [f"shell.office.{name}" for name in self.fields] + ["shell.office.level"]
        for label, code in zip(self.form_labels, labels, strict=True):
            label.setText(tr(code))
        for index, level in enumerate(LEVELS):
            self.level.setItemText(index, tr(f"shell.level.{level}"))

    def profile(self) -> str:
        return next(p for p, button in self.profile_buttons.items() if button.isChecked())

    def isComplete(self) -> bool:
        return bool(self.fields["name"].text().strip() and self.fields["code"].text().strip())

    def office(self) -> Office:
        text = {name: field.text().strip() for name, field in self.fields.items()}
        return Office(
            code=text["code"],
            name=text["name"],
            level=str(self.level.currentData()),
            block=self.profile(),
            abbreviation=text["abbreviation"],
            parent_code=text["parent_code"] or None,
            superior_name=text["superior_name"],
            place=text["place"],
        )

    def fill(self, office: Office) -> None:
        for name, field in self.fields.items():
            field.setText(getattr(office, name) or "")
        self.level.setCurrentIndex(max(0, self.level.findData(office.level)))

    def _run_search(self) -> None:
        query = self.search.text()
        if not query.strip():
            self._show_matches(query, [])
            return
        self.runner.run(
            find_units,
            query,
            self.today,
            on_done=lambda found: self._show_matches(query, found),
            error_parent=self,
        )

    def _show_matches(self, query: str, matches: list[UnitMatch]) -> None:
        if query != self.search.text():
            return
        self.results.clear()
        for match in matches:
            item = QListWidgetItem(match_label(match))
            item.setData(UNIT_ROLE, match)
            self.results.addItem(item)

    def _unit_chosen(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.fill(suggested_office(item.data(UNIT_ROLE), self.profile()))

    def _profile_changed(self, checked: bool) -> None:
        if checked:
            self._unit_chosen(self.results.currentItem())


class BackupPage(TextPage):
    def __init__(self, texts: Texts, settings: AppSettings) -> None:
        super().__init__(texts)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.folder = BackupFolderField(texts)
        self.folder.folder = settings.backup_folder
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(self.folder)
        layout.addStretch(1)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.texts("shell.wizard.backup_title"))
        self.text.setText(self.texts("shell.wizard.backup_text"))


class SetupWizard(QWizard):
    """Emits ``initialised`` with the office once the workspace holds it."""

    initialised = Signal(object)

    def __init__(
        self,
        workspace: Workspace,
        runner: TaskRunner,
        texts: Texts,
        settings: AppSettings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace, self.runner, self.texts, self.settings = workspace, runner, texts, settings
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage)
        self.welcome = WelcomePage(texts, settings)
        self.office_page = OfficePage(texts, runner, settings)
        self.backup_page = BackupPage(texts, settings)
        for page in (self.welcome, self.office_page, self.backup_page):
            self.addPage(page)
        resize_to_fit(self, 860, 680)
        texts.changed.connect(self.retranslate)
        self.retranslate()

    def retranslate(self) -> None:
        tr = self.texts
        self.setWindowTitle(tr("shell.wizard.title"))
        buttons = {
            QWizard.WizardButton.NextButton: "shell.wizard.next",
            QWizard.WizardButton.BackButton: "shell.wizard.back",
            QWizard.WizardButton.FinishButton: "shell.wizard.finish",
            QWizard.WizardButton.CancelButton: "shell.cancel",
        }
        for button, code in buttons.items():
            self.setButtonText(button, tr(code))

    def accept(self) -> None:
        """Initialise the workspace first; the wizard stays open if that is refused."""
        self.button(QWizard.WizardButton.FinishButton).setEnabled(False)
        self.runner.run(
            self.workspace.initialise,
            self.office_page.office(),
            on_done=self._done,
            on_error=self._refused,
        )

    def _done(self, office: Office) -> None:
        self.settings.language = self.texts.lang
        self.settings.role = self.welcome.role()
        self.settings.document_profile = self.office_page.profile()
        self.settings.backup_folder = self.backup_page.folder.folder
        self.settings.sync()
        self.initialised.emit(office)
        super().accept()

    def _refused(self, error: BaseException) -> None:
        self.button(QWizard.WizardButton.FinishButton).setEnabled(True)
        self.runner.show_error(error, self)
