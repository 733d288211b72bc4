"""A revision's place in the report's life, and the only code that writes it.

    draft ⇄ ready → approved → exported → acknowledged
                                       ↘ returned   (the upper office asks for revision n+1)

A draft may be approved directly when it has no errors. From ``approved`` on, a revision is
frozen: its content and signature never change again, and any change is revision n+1.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlite_utils import Database

from desktop_app.core.errors import CoreError, Phrase, phrase


class Status(StrEnum):
    DRAFT = "draft"
    READY = "ready"
    APPROVED = "approved"
    EXPORTED = "exported"
    ACKNOWLEDGED = "acknowledged"
    RETURNED = "returned"


EDITABLE = frozenset({Status.DRAFT, Status.READY})
FROZEN = frozenset({Status.APPROVED, Status.EXPORTED, Status.ACKNOWLEDGED, Status.RETURNED})
SENT = frozenset({Status.EXPORTED, Status.ACKNOWLEDGED})

_ALLOWED: dict[Status, frozenset[Status]] = {
    Status.DRAFT: frozenset({Status.READY, Status.APPROVED}),
    Status.READY: frozenset({Status.DRAFT, Status.APPROVED}),
    Status.APPROVED: frozenset({Status.EXPORTED}),
    Status.EXPORTED: frozenset({Status.ACKNOWLEDGED, Status.RETURNED}),
    # A return may follow an acceptance: online the receipt of acceptance comes back at once,
    # and the upper office may find a figure wrong later.
    Status.ACKNOWLEDGED: frozenset({Status.RETURNED}),
    Status.RETURNED: frozenset(),
}

# A revision begins as a draft here, or approved when it arrives signed from a unit.
_FIRST = frozenset({Status.DRAFT, Status.APPROVED})


def status_phrase(status: str) -> Phrase:
    """The state's name in words («đã phê duyệt»), for sentences such as ``report.locked``."""
    return phrase(f"report.status.{Status(status).value}")


def locked(report_id: str, status: str) -> CoreError:
    """The refusal to change a report whose revision is past editing."""
    return CoreError("report.locked", id=report_id, status=status_phrase(status))


def can_move(current: Status, new: Status) -> bool:
    return new in _ALLOWED[current]


def current(db: Database, report_id: str, revision: int) -> Status:
    row = db.execute(
        "SELECT status FROM revisions WHERE report_id = ? AND revision = ?", [report_id, revision]
    ).fetchone()
    if row is None:
        raise CoreError("report.not_found", id=report_id)
    return Status(row[0])


def move(db: Database, report_id: str, revision: int, new: Status, **columns: Any) -> Status:
    """Move one revision to ``new`` (with other columns of the same row); returns the old state.

    Refused, changing nothing, when the report's life does not allow the step.
    """
    old = current(db, report_id, revision)
    if not can_move(old, new):
        raise locked(report_id, old)
    db.table("revisions").update((report_id, revision), {**columns, "status": new.value})
    return old


def add_revision(
    db: Database, report_id: str, revision: int, status: Status, **columns: Any
) -> None:
    """Insert a revision row: a new draft, or an approved revision received from a unit."""
    if status not in _FIRST:
        raise ValueError(f"a revision cannot begin as {status}")
    row = {"report_id": report_id, "revision": revision, **columns, "status": status.value}
    # A plain INSERT: sqlite-utils' insert looks the table up on every call, which an import
    # of thousands of bundles feels.
    db.execute(
        f"INSERT INTO revisions ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
        list(row.values()),
    )
