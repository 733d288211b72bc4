"""The token part of the approval dialog: which certificates sign, and the PIN (never kept)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.signing.request import TokenApproval
from desktop_app.core.signing.stored import CertificateChoice, TokenSettings
from desktop_app.core.signing.token import TokenCertificate
from desktop_app.core.workspace import Workspace
from desktop_app.ui.i18n import Texts
from desktop_app.ui.tasks import TaskRunner, describe_error

WARNING_STYLE = "color: #a40000;"
TOOLTIP_ROLE = Qt.ItemDataRole.ToolTipRole


class TokenChoice(QGroupBox):
    """Shown only when the office has chosen a token driver (``ws.signing.settings()``)."""

    changed = Signal()  # the certificates were read, or could not be: the dialog may grow

    def __init__(
        self,
        workspace: Workspace,
        runner: TaskRunner,
        texts: Texts,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace, self.runner, self.texts = workspace, runner, texts
        self.settings = TokenSettings()
        self.use = QCheckBox(texts("token_ui.use"))
        self.use.setChecked(True)
        self.use.toggled.connect(self._enable)
        self.personal = QComboBox()
        self.organisation = QComboBox()
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_warning = QLabel(texts("token_ui.pin_warning"))
        self.pin_warning.setWordWrap(True)
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.retry = QPushButton(texts("token_ui.retry"))
        self.retry.clicked.connect(self.read_token)
        self._layout()

    def _layout(self) -> None:
        form = QFormLayout()
        form.addRow(self.texts("token_ui.personal"), self.personal)
        form.addRow(self.texts("token_ui.organisation"), self.organisation)
        form.addRow(self.texts("token_ui.pin"), self.pin)
        state_row = QHBoxLayout()
        state_row.addWidget(self.state, 1)
        state_row.addWidget(self.retry)
        layout = QVBoxLayout(self)
        layout.addWidget(self.use)
        layout.addLayout(form)
        layout.addWidget(self.pin_warning)
        layout.addLayout(state_row)

    def start(self, settings: TokenSettings) -> None:
        self.settings = settings
        self.read_token()

    def read_token(self) -> None:
        """The certificates are public objects: listed without the PIN, on the worker thread,
        with the choice the last approval made."""
        self.retry.setEnabled(False)
        self._show_state(self.texts("token_ui.reading"), warning=False)
        self.runner.run(
            self._read,
            self.settings.library,
            on_done=self._show_certificates,
            on_error=self._show_failure,
        )

    def _read(self, library: str) -> tuple[list[TokenCertificate], CertificateChoice | None]:
        signing = self.workspace.signing
        return signing.certificates(library), signing.remembered_certificates()

    def _show_certificates(
        self, read: tuple[list[TokenCertificate], CertificateChoice | None]
    ) -> None:
        certificates, remembered = read
        on_token = {certificate.cert_id for certificate in certificates}
        self.retry.setEnabled(True)
        self._fill(self.personal, certificates, self._personal_default(certificates, remembered))
        self.organisation.clear()
        self.organisation.addItem(self.texts("token_ui.no_organisation"), "")
        self._fill(
            self.organisation,
            certificates,
            self._organisation_default(on_token, remembered),
            clear=False,
        )
        self._show_state("" if certificates else self.texts("token_ui.none"), warning=True)

    def _organisation_default(
        self, on_token: set[str], remembered: CertificateChoice | None
    ) -> str:
        """What the last approval chose (none, too) while its certificates are on the token,
        else the office's chosen one."""
        if (
            remembered is not None
            and remembered.cert_id in on_token
            and remembered.organisation_cert_id in on_token | {""}
        ):
            return remembered.organisation_cert_id
        return self.settings.organisation_cert_id

    def _personal_default(
        self, certificates: list[TokenCertificate], remembered: CertificateChoice | None
    ) -> str:
        """The certificate the last approval signed with while it is on the token, else the
        office's chosen one, else the first that names a person (an organisation's
        certificate names the organisation twice)."""
        on_token = {certificate.cert_id for certificate in certificates}
        for chosen in (remembered.cert_id if remembered else "", self.settings.cert_id):
            if chosen in on_token:
                return chosen
        people = [c for c in certificates if c.subject != c.organisation]
        return (people or certificates)[0].cert_id if certificates else ""

    def _fill(
        self,
        box: QComboBox,
        certificates: list[TokenCertificate],
        chosen: str,
        clear: bool = True,
    ) -> None:
        if clear:
            box.clear()
        for certificate in certificates:
            box.addItem(self.describe(certificate), certificate.cert_id)
            box.setItemData(box.count() - 1, self.describe(certificate), TOOLTIP_ROLE)
        index = box.findData(chosen)
        if index >= 0:
            box.setCurrentIndex(index)

    def describe(self, certificate: TokenCertificate) -> str:
        """Whose certificate and until when; an organisation's names the organisation once."""
        until = self.texts.date(certificate.not_after.date())
        if certificate.organisation in ("", certificate.subject):
            return self.texts("token_ui.certificate_of", subject=certificate.subject, date=until)
        return self.texts(
            "token_ui.certificate",
            subject=certificate.subject,
            organisation=certificate.organisation,
            date=until,
        )

    def _show_failure(self, error: BaseException) -> None:
        self.retry.setEnabled(True)
        self.personal.clear()
        self.organisation.clear()
        self._show_state(describe_error(error, self.texts.lang), warning=True)

    def _show_state(self, text: str, warning: bool) -> None:
        self.state.setText(text)
        self.state.setStyleSheet(WARNING_STYLE if warning else "")
        self.changed.emit()

    def _enable(self, on: bool) -> None:
        for widget in (self.personal, self.organisation, self.pin, self.retry):
            widget.setEnabled(on)

    @property
    def signs(self) -> bool:
        """Offered (the office has a token) and not turned off for this approval."""
        return not self.isHidden() and self.use.isChecked()

    def missing(self) -> str:
        """What the head must still give before the token is asked anything, or ""."""
        if not self.personal.currentData():
            return self.texts("token_ui.choose_personal")
        if not self.pin.text():
            return self.texts("token_ui.need_pin")
        return ""

    def approval(self) -> TokenApproval:
        return TokenApproval(
            library=self.settings.library,
            pin=self.pin.text(),
            cert_id=str(self.personal.currentData()),
            organisation_cert_id=str(self.organisation.currentData() or "") or None,
            tsa_url=self.settings.tsa_url or None,
        )

    def forget_pin(self) -> None:
        self.pin.clear()
