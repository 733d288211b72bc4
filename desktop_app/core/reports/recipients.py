"""Who a report is addressed to and who gets a copy: office data, not template data.

Each office keeps its default list for reports going up (the level above, the copies, its own
"Lưu …" line); a report may change its own list until it is approved, and the approved document
prints the list as it then stood. Without any stored list the defaults follow the office's
place in the tree: the office above it is the addressee.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from sqlite_utils import Database

from desktop_app.core.clock import timestamp
from desktop_app.core.errors import CoreError
from desktop_app.core.model import offices
from desktop_app.core.model.offices import Office
from desktop_app.core.model.text import nfc
from desktop_app.core.reports.records import audit, get_report
from desktop_app.core.reports.status import EDITABLE
from desktop_app.core.store.database import write_transaction

_MAX_LINES = 30
_MAX_LENGTH = 200


@dataclass(frozen=True)
class Recipients:
    addressees: tuple[str, ...]  # reported to: "Ban Thường vụ Tỉnh ủy (b/c)"; "Kính gửi:" (state)
    copies: tuple[str, ...] = ()  # for information: "Sở Khoa học và Công nghệ"
    archive: str = ""  # "Lưu Văn phòng Huyện ủy"; "Lưu: VT, VP"

    def to_json(self) -> dict[str, object]:
        return {
            "addressees": list(self.addressees),
            "copies": list(self.copies),
            "archive": self.archive,
        }

    @classmethod
    def from_json(cls, data: object) -> Recipients:
        """From typed or stored JSON: texts NFC, trimmed, empty lines dropped; refused when
        the shape is wrong or a line is too long."""
        if not isinstance(data, dict) or set(data) - {"addressees", "copies", "archive"}:
            raise CoreError("recipients.invalid")
        archive = data.get("archive", "")
        if not isinstance(archive, str) or len(archive) > _MAX_LENGTH:
            raise CoreError("recipients.invalid")
        return cls(
            addressees=_lines(data.get("addressees", [])),
            copies=_lines(data.get("copies", [])),
            archive=nfc(archive).strip(),
        )


def _lines(raw: object) -> tuple[str, ...]:
    if not isinstance(raw, list) or len(raw) > _MAX_LINES:
        raise CoreError("recipients.invalid")
    if not all(isinstance(line, str) and len(line) <= _MAX_LENGTH for line in raw):
        raise CoreError("recipients.invalid")
    return tuple(text for text in (nfc(line).strip() for line in raw) if text)


def derived_defaults(office: Office, above: Office | None) -> Recipients:
    """What an office sends to when it has stored nothing: the office above it, and its own
    archive line ("Lưu Văn phòng …" for a Party body, "Lưu: VT" for a state one)."""
    party = office.block == "party"
    addressees: tuple[str, ...] = ()
    if above is not None:
        addressees = (_party_addressee(above.name) if party else above.name,)
    archive = f"Lưu Văn phòng {office.name}" if party else "Lưu: VT"
    return Recipients(addressees=addressees, archive=archive)


_COMMITTEES = ("Tỉnh ủy", "Thành ủy", "Huyện ủy", "Quận ủy", "Thị ủy", "Đảng ủy")


def _party_addressee(name: str) -> str:
    """A committee is reported to through its standing committee: "Ban Thường vụ Tỉnh ủy
    Thanh Hóa (b/c)"; any other body by its name."""
    standing = f"Ban Thường vụ {name}" if name.startswith(_COMMITTEES) else name
    return f"{standing} (b/c)"


def office_defaults(db: Database, office: Office) -> Recipients:
    stored = _stored(db, office.code, "")
    if stored is not None:
        return stored
    above = offices.get_office(db, office.parent_code) if office.parent_code else None
    return derived_defaults(office, above)


def set_office_defaults(db: Database, office: Office, recipients: Recipients, actor: str) -> None:
    with write_transaction(db):
        _store(db, office.code, "", recipients)
        audit(
            db, actor, "recipients.defaults", None, None, "recipients", None, _summary(recipients)
        )


def for_report(db: Database, report_id: str) -> Recipients:
    """The report's own list, else its office's defaults."""
    report = get_report(db, report_id)
    stored = _stored(db, report.office_code, report_id)
    if stored is not None:
        return stored
    office = offices.get_office(db, report.office_code) or offices.require_this_office(db)
    return office_defaults(db, office)


def set_for_report(db: Database, report_id: str, recipients: Recipients, actor: str) -> None:
    """Change the report's list; refused once the report is approved (the document is final)."""
    with write_transaction(db):
        report = get_report(db, report_id)
        if report.status not in EDITABLE:
            raise CoreError("report.locked", id=report_id, status=report.status)
        _store(db, report.office_code, report_id, recipients)
        audit(
            db,
            actor,
            "report.recipients",
            report_id,
            report.revision,
            "recipients",
            None,
            _summary(recipients),
        )


def _stored(db: Database, office_code: str, report_id: str) -> Recipients | None:
    row = db.execute(
        "SELECT body FROM recipient_lists WHERE office_code = ? AND report_id = ?",
        [office_code, report_id],
    ).fetchone()
    return Recipients.from_json(json.loads(row[0])) if row else None


def _store(db: Database, office_code: str, report_id: str, recipients: Recipients) -> None:
    db.execute(
        "INSERT OR REPLACE INTO recipient_lists (office_code, report_id, body, updated_at) "
        "VALUES (?, ?, ?, ?)",
        [office_code, report_id, json.dumps(recipients.to_json(), ensure_ascii=False), timestamp()],
    )


def _summary(recipients: Recipients) -> str:
    lines: Iterable[str] = (*recipients.addressees, *recipients.copies, recipients.archive)
    return "; ".join(line for line in lines if line)
