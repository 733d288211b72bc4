"""The office's register of document numbers (sổ đăng ký văn bản đi).

Party bodies number each document type from 01 within a term of the Party committee (Hướng
dẫn 36-HD/VPTW); state bodies restart every calendar year (Nghị định 30/2020). A number is
taken once, for one revision of one report, and never given to anything else — the UNIQUE
index makes that hold even when two windows approve at the same moment.
"""

from __future__ import annotations

from datetime import date

from sqlite_utils import Database

from desktop_app.core.clock import now, timestamp
from desktop_app.core.errors import CoreError
from desktop_app.core.model.offices import Office
from desktop_app.core.reports.records import audit
from desktop_app.core.store.database import write_transaction

PARTY_TERM_SETTING = "party_term"
DEFAULT_PARTY_TERM = "2025-2030"
PARTY_TERM_START_SETTING = "party_term_start"


def numbering_cycle(db: Database, office: Office, issued_on: date) -> str:
    """The span within which numbers run: the Party committee's term (from its congress, when
    the office has set that date), or the year."""
    if office.block == "party":
        start = party_term_start(db, office)
        if start is not None and issued_on >= start:
            return f"term-from-{start.isoformat()}"
        row = db.execute(
            "SELECT value FROM settings WHERE key = ?", [PARTY_TERM_SETTING]
        ).fetchone()
        return str(row[0]) if row else DEFAULT_PARTY_TERM
    return str(issued_on.year)


def _term_start_key(office: Office) -> str:
    return f"{PARTY_TERM_START_SETTING}:{office.code}"


def party_term_start(db: Database, office: Office) -> date | None:
    """The day this Party committee's current term began (its congress); None until set."""
    row = db.execute(
        "SELECT value FROM settings WHERE key = ?", [_term_start_key(office)]
    ).fetchone()
    return date.fromisoformat(row[0]) if row else None


def set_party_term_start(db: Database, office: Office, start: date, actor: str) -> None:
    """Numbers of documents dated from ``start`` restart at 01 (a new term after the congress).
    Only a Party body has terms; a start in the future or before 1930 is refused."""
    if office.block != "party":
        raise CoreError("register.term_not_party", office=office.name)
    if not date(1930, 2, 3) <= start <= now().date():
        raise CoreError("register.term_start_invalid", start=start.isoformat())
    with write_transaction(db):
        key = _term_start_key(office)
        before = party_term_start(db, office)
        db.table("settings").upsert({"key": key, "value": start.isoformat()}, pk="key")
        audit(
            db,
            actor,
            "register.term_start",
            None,
            None,
            key,
            before.isoformat() if before else None,
            start.isoformat(),
        )


def set_party_term(db: Database, label: str) -> None:
    label = label.strip()
    if not label:
        raise CoreError("register.term_missing")
    with write_transaction(db):
        db.table("settings").upsert({"key": PARTY_TERM_SETTING, "value": label}, pk="key")


def number_for(db: Database, report_id: str, revision: int) -> int | None:
    row = db.execute(
        "SELECT number FROM document_numbers WHERE report_id = ? AND revision = ?",
        [report_id, revision],
    ).fetchone()
    return int(row[0]) if row else None


def take_number(
    db: Database, office: Office, type_abbr: str, issued_on: date, report_id: str, revision: int
) -> int:
    """The revision's number, taking the next free one the first time it is asked for."""
    with write_transaction(db):
        existing = number_for(db, report_id, revision)
        if existing is not None:
            return existing
        cycle = numbering_cycle(db, office, issued_on)
        row = db.execute(
            "SELECT COALESCE(MAX(number), 0) + 1 FROM document_numbers "
            "WHERE office_code = ? AND type_abbr = ? AND cycle = ?",
            [office.code, type_abbr, cycle],
        ).fetchone()
        number = int(row[0])
        db.table("document_numbers").insert(
            {
                "office_code": office.code,
                "type_abbr": type_abbr,
                "cycle": cycle,
                "number": number,
                "report_id": report_id,
                "revision": revision,
                "issued_on": issued_on.isoformat(),
                "taken_at": timestamp(),
            }
        )
        return number
