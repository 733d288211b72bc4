"""Who has reported: completeness and timeliness per period and template (DHIS2's reporting
rate, for offices that exchange USB sticks instead of syncing with a server).

Every unit that owes a report (``schedule.obligations``) gets exactly one state, the first that
applies:

``conflict``
    the ledger holds an E14 refusal for the unit (two different bundles with one sequence
    number) newer than its last accepted bundle. The refused bundle's reports are unknown, so
    every report of that unit is in doubt until it sends a new bundle that is accepted.
``returned``
    the newest received revision was returned for revision (:func:`return_report`) and no
    newer one has arrived.
``on_time`` / ``late``
    the newest received revision is accepted; its approval date (the head's signature, in the
    unit's own time zone) is on or before the deadline, or after it. Import time is shown beside
    it but never judged: a stick may sit in a drawer after a report was signed on time. A
    resubmitted revision is judged by its own approval, since it is the one that counts.
    With no deadline (a one-off review without fixed dates) a report is on time.
``missing``
    nothing received.

A unit that sent a report without owing one (for instance a unit no longer valid on the
period's last day) is listed too: nothing received is hidden.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from desktop_app.core.catalogue import message
from desktop_app.core.clock import now
from desktop_app.core.errors import CoreError
from desktop_app.core.exchange.formats.bundle import parse_bundle_file_name
from desktop_app.core.model import offices
from desktop_app.core.model.text import format_short_date
from desktop_app.core.reports.installed import InstalledTemplates
from desktop_app.core.reports.records import audit, get_report
from desktop_app.core.reports.schedule import DueDates, Obligation, obligations, period_of
from desktop_app.core.store.database import write_transaction

if TYPE_CHECKING:
    from desktop_app.core.documents.pages import ReceivedRow

ON_TIME, LATE, MISSING, RETURNED, CONFLICT = "on_time", "late", "missing", "returned", "conflict"
STATES = (ON_TIME, LATE, MISSING, RETURNED, CONFLICT)
MAX_COMMENT_LENGTH = 4000


@dataclass(frozen=True)
class Received:
    """A unit's newest received revision of one report."""

    unit_code: str
    report_id: str
    revision: int
    approved_at: str
    imported_at: str
    state: str  # received_revisions.state: "accepted" or "returned"
    return_comment: str | None


@dataclass(frozen=True)
class UnitStatus:
    code: str
    name: str
    template_id: str
    period: str
    state: str
    cutoff: date | None
    deadline: date | None
    approved_at: str | None = None
    imported_at: str | None = None
    revision: int | None = None
    report_id: str | None = None
    return_comment: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "template_id": self.template_id,
            "state": self.state,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "approved_at": self.approved_at,
            "imported_at": self.imported_at,
            "revision": self.revision,
            "report_id": self.report_id,
            "return_comment": self.return_comment,
        }


@dataclass(frozen=True)
class Completeness:
    period: str
    units: tuple[UnitStatus, ...]

    @property
    def counts(self) -> dict[str, int]:
        counts = {state: 0 for state in STATES}
        for unit in self.units:
            counts[unit.state] += 1
        counts["expected"] = len(self.units)
        counts["reported"] = counts[ON_TIME] + counts[LATE]
        return counts

    @property
    def rates(self) -> dict[str, float | None]:
        """Percentages of expected reports (one decimal); None when nothing is expected."""
        counts = self.counts
        expected = counts["expected"]

        def percent(part: int) -> float | None:
            return round(100 * part / expected, 1) if expected else None

        return {"reported": percent(counts["reported"]), "on_time": percent(counts[ON_TIME])}

    def to_json(self) -> dict[str, Any]:
        return {
            "period": self.period,
            "units": [unit.to_json() for unit in self.units],
            "counts": self.counts,
            "rates": self.rates,
        }


def completeness(
    db: Database, templates: InstalledTemplates, period_code: str, template_id: str | None = None
) -> Completeness:
    """Every expected report of the period (optionally of one template) with its state."""
    owed = obligations(db, templates, period_code, template_id)
    conflicted = conflicted_units(db)
    rows: list[UnitStatus] = []
    for template_id_, period, owed_here in _by_template(owed):
        received = latest_received(db, template_id_, period)
        for obligation in owed_here:
            found = received.pop(obligation.unit_code, None)
            rows.append(_status(obligation, found, obligation.unit_code in conflicted))
        rows += _unexpected(db, template_id_, period, received, conflicted)
    return Completeness(_period_code(templates, period_code, template_id), tuple(rows))


def _period_code(templates: InstalledTemplates, period_code: str, template_id: str | None) -> str:
    if template_id is None:
        return unicodedata.normalize("NFC", period_code)
    return period_of(templates.get(template_id), period_code).code


def _by_template(owed: list[Obligation]) -> list[tuple[str, str, list[Obligation]]]:
    groups: dict[tuple[str, str], list[Obligation]] = {}
    for obligation in owed:
        groups.setdefault((obligation.template_id, obligation.period), []).append(obligation)
    return [(template_id, period, rows) for (template_id, period), rows in groups.items()]


def _status(obligation: Obligation, found: Received | None, conflicted: bool) -> UnitStatus:
    due = obligation.due
    state = _state(due, found, conflicted)
    base = UnitStatus(
        obligation.unit_code,
        obligation.unit_name,
        obligation.template_id,
        obligation.period,
        state,
        due.cutoff,
        due.deadline,
    )
    if found is None:
        return base
    return replace(
        base,
        approved_at=found.approved_at,
        imported_at=found.imported_at,
        revision=found.revision,
        report_id=found.report_id,
        return_comment=found.return_comment,
    )


def _state(due: DueDates, found: Received | None, conflicted: bool) -> str:
    if conflicted:
        return CONFLICT
    if found is None:
        return MISSING
    if found.state == "returned":
        return RETURNED
    if due.deadline is None:
        return ON_TIME
    approved_on = datetime.fromisoformat(found.approved_at).date()
    return ON_TIME if approved_on <= due.deadline else LATE


def _unexpected(
    db: Database,
    template_id: str,
    period: str,
    received: dict[str, Received],
    conflicted: set[str],
) -> list[UnitStatus]:
    """Reports from units that owed none here: still shown, judged without a deadline."""
    rows = []
    for code, found in sorted(received.items()):
        office = offices.get_office(db, code)
        obligation = Obligation(
            code, office.name if office else code, template_id, period, DueDates(None, None)
        )
        rows.append(_status(obligation, found, code in conflicted))
    return rows


def latest_received(db: Database, template_id: str, period: str) -> dict[str, Received]:
    """Unit code → its newest received revision of the template's report for the period (the
    report's current revision: an import only ever moves it forward)."""
    rows = db.execute(
        """
        SELECT r.office_code, r.id, rr.revision, rr.approved_at, rr.imported_at, rr.state,
               v.return_comment
        FROM reports r
        JOIN received_revisions rr ON rr.report_id = r.id AND rr.revision = r.current_revision
        JOIN revisions v ON v.report_id = rr.report_id AND v.revision = rr.revision
        WHERE r.origin = 'received' AND r.template_id = ? AND r.period = ?
        ORDER BY r.office_code
        """,
        [template_id, period],
    ).fetchall()
    return {row[0]: Received(*row) for row in rows}


def conflicted_units(db: Database) -> set[str]:
    """Units with an E14 refusal newer than their last accepted bundle.

    The ledger row of a refusal has no sender (it is written before the sender is trusted),
    so the sender is read from ``sender_code`` when present, else from the bundle's file name.
    """
    last_accepted = dict(
        db.execute(
            "SELECT sender_code, MAX(id) FROM inbox_ledger WHERE status = 'accepted' "
            "GROUP BY sender_code"
        ).fetchall()
    )
    refusals = db.execute(
        "SELECT id, sender_code, file_name FROM inbox_ledger "
        "WHERE status = 'refused' AND code = 'E14'"
    ).fetchall()
    conflicted = set()
    for ledger_id, sender, file_name in refusals:
        code = sender or _sender_from_name(file_name)
        if code and ledger_id > last_accepted.get(code, 0):
            conflicted.add(code)
    return conflicted


def _sender_from_name(file_name: str) -> str | None:
    parsed = parse_bundle_file_name(file_name)
    return parsed.sender_code if parsed else None


# --- return for revision ---------------------------------------------------------------------


def return_report(db: Database, report_id: str, comment: str, actor: str) -> int:
    """Return a received report's newest revision for revision; returns that revision number.

    The revision stays stored (nothing approved is ever deleted) but no longer counts in totals
    or completeness until a later revision arrives. Refused, changing nothing, for a report
    this office did not receive, one already returned, or an empty comment.
    """
    text = unicodedata.normalize("NFC", comment if isinstance(comment, str) else "").strip()
    if not text:
        raise CoreError("upper.return_comment_missing")
    if len(text) > MAX_COMMENT_LENGTH:
        raise CoreError("upper.return_comment_too_long", limit=MAX_COMMENT_LENGTH)
    with write_transaction(db):
        summary = get_report(db, report_id)
        if summary.origin != "received":
            raise CoreError("upper.not_received", id=report_id)
        row = db.execute(
            "SELECT revision, state FROM received_revisions WHERE report_id = ? "
            "ORDER BY revision DESC LIMIT 1",
            [report_id],
        ).fetchone()
        if row is None:
            raise CoreError("upper.not_received", id=report_id)
        revision, state = row
        if state == "returned":
            raise CoreError("upper.already_returned", id=report_id, revision=revision)
        db.table("received_revisions").update((report_id, revision), {"state": "returned"})
        db.table("revisions").update((report_id, revision), {"return_comment": text})
        audit(db, actor, "report.returned", report_id, revision, "return_comment", None, text)
    return int(revision)


# --- the printed list ------------------------------------------------------------------------


def completeness_pdf(
    db: Database, templates: InstalledTemplates, status: Completeness, lang: str = "vi"
) -> bytes:
    """The completeness list as an A4 landscape page (``documents.pages``)."""
    # reportlab loads with the first printed list, not with the window (a quicker start)
    from desktop_app.core.documents.pages import render_received_list

    titles = {t.id: t.title for t in templates.newest()}
    rows = [
        _printed_row(unit, titles.get(unit.template_id, unit.template_id), lang)
        for unit in status.units
    ]
    office_name = offices.require_this_office(db).name
    return render_received_list(office_name, _period_title(templates, status), rows, now())


def _period_title(templates: InstalledTemplates, status: Completeness) -> str:
    for unit in status.units:
        return period_of(templates.get(unit.template_id), unit.period).title_vi
    return status.period


def _printed_row(unit: UnitStatus, template_title: str, lang: str) -> ReceivedRow:
    from desktop_app.core.documents.pages import ReceivedRow

    state = message(f"upper.state.{unit.state}", lang)
    if unit.state == LATE and unit.deadline:
        deadline = format_short_date(unit.deadline)
        state = message("upper.state.late_deadline", lang, deadline=deadline)
    return ReceivedRow(
        unit=f"{unit.name} ({unit.code})",
        template=template_title,
        period=unit.period,
        state=state,
        approved_at=display_time(unit.approved_at),
        imported_at=display_time(unit.imported_at),
        missing=unit.state in (MISSING, RETURNED),
    )


def display_time(stamp: str | None) -> str:
    """``2026-10-03T09:15:00+07:00`` → ``03/10/2026 09:15`` (the wall time where it was taken)."""
    if not stamp:
        return ""
    moment = datetime.fromisoformat(stamp)
    return f"{format_short_date(moment.date())} {moment:%H:%M}"
