"""Issue 15 at the province: a token-signed report says who signed it, from import to lists."""

from __future__ import annotations

from datetime import date

from pytestqt.qtbot import QtBot

from desktop_app.core.signing.request import TokenApproval
from desktop_app.ui.exchange.import_dialog import ImportDialog
from desktop_app.ui.home import HomePage, load_home
from desktop_app.ui.i18n import Texts
from desktop_app.ui.report_list import SIGNED, ReportTableModel, load_rows
from desktop_app.ui.tasks import TaskRunner
from tests.core.exchange.bundles.conftest import PASSPHRASE, Offices
from tests.signing_token import ORGANISATION_ID, PERSONAL_ID, SoftToken

SIGNED_BY = "Ký số hợp lệ: Nguyễn Văn An, Văn phòng Tỉnh ủy Thử nghiệm"


def _approved_with_token(offices: Offices, token: SoftToken) -> str:
    report_id = offices.filled_report()
    request = TokenApproval(token.library, token.pin, PERSONAL_ID, ORGANISATION_ID)
    offices.ward.reports.approve(report_id, "Lê Văn Bình", "Bí thư", PASSPHRASE, request)
    return report_id


def test_import_and_lists_show_the_recognised_signatures(
    qtbot: QtBot, offices: Offices, soft_token: SoftToken
) -> None:
    offices.province.signing.add_trust_anchor(soft_token.pki.root_der, "root-thu-nghiem.cer")
    report_id = _approved_with_token(offices, soft_token)
    bundle = offices.export(report_id)

    dialog = ImportDialog(offices.province, TaskRunner(), Texts("vi"))
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.imported, timeout=30_000):
        dialog.import_paths([bundle])
    sentences = [dialog.table.item(r, 2).text() for r in range(dialog.table.rowCount())]
    assert any(SIGNED_BY in sentence for sentence in sentences)

    home = HomePage(offices.province, TaskRunner(), Texts("vi"))
    qtbot.addWidget(home)
    home.show_data(load_home(offices.province, date(2026, 10, 5)))
    row = home.received.tree.topLevelItem(0)
    assert row is not None
    assert row.text(4).startswith(SIGNED_BY)
    assert home.received.tree.headerItem().text(4) == "Chữ ký số"

    model = ReportTableModel(Texts("vi"))
    data = load_rows(offices.province)
    assert data.has_signatures
    model.set_rows(data.rows)
    [index] = [r for r in range(model.rowCount()) if model.rows[r].id == report_id]
    assert str(model.index(index, SIGNED).data()).startswith(SIGNED_BY)


def test_unsigned_reports_show_no_signature(qtbot: QtBot, offices: Offices) -> None:
    offices.province.exchange.import_bundles([offices.export(offices.approved_report())])
    data = load_rows(offices.province)
    assert not data.has_signatures
    model = ReportTableModel(Texts("vi"))
    model.set_rows(data.rows)
    assert [model.index(r, SIGNED).data() for r in range(model.rowCount())] == [""]
