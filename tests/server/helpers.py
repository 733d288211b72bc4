"""What the service tests do on either side of the line."""

from __future__ import annotations

import ssl

from desktop_app.core.reports.records import ContentChanges
from desktop_app.core.workspace import Workspace
from tests.core.upper.helpers import (
    PASSPHRASE,
    PERIOD,
    TEMPLATE_ID,
    figures_for,
    narratives_for,
)
from tests.server.conftest import Certificate, Offices


def approved_entry(unit: Workspace, number: int) -> tuple[str, int]:
    """A report filled in, approved and signed into the outbox; its id and outbox number."""
    report_id = unit.reports.new(TEMPLATE_ID, PERIOD)
    changes = ContentChanges(figures_for(number), narratives_for(unit.office.name))
    unit.reports.save(report_id, changes)
    unit.reports.approve(report_id, "Nguyễn Văn An", "Bí thư", PASSPHRASE)
    return report_id, unit.exchange.prepare_export([report_id], PASSPHRASE).seq


def state_of(offices: Offices, unit_code: str) -> str:
    status = offices.province.upper.completeness(PERIOD, TEMPLATE_ID)
    return next(unit.state for unit in status.units if unit.code == unit_code)


def trusting(certificate: Certificate) -> ssl.SSLContext:
    """A client context that trusts the test certificate (host name checked as usual)."""
    return ssl.create_default_context(cafile=str(certificate.cert))
