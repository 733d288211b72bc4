"""Offices as data: this office and the units below it, with validity dates.

The organisation tree changes (districts ceased on 01/07/2025), so an office is a row with
``valid_from`` / ``valid_to``, never a constant in code.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace
from typing import Any

from sqlite_utils import Database

from desktop_app.core.errors import CoreError
from desktop_app.core.model.limits import MAX_NAME, clean_text

# Codes travel in bundle file names and manifests (docs/bundle-format.md).
OFFICE_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,31}")
LEVELS = ("central", "province", "district", "commune", "department")
BLOCKS = ("party", "state", "front", "assembly")


@dataclass(frozen=True)
class Office:
    code: str
    name: str
    level: str
    block: str = "party"
    abbreviation: str = ""
    parent_code: str | None = None
    superior_name: str = ""
    place: str = ""
    is_self: bool = False
    valid_from: str | None = None
    valid_to: str | None = None

    def normalised(self) -> Office:
        def clean(field: str, text: str) -> str:
            return clean_text(field, text, MAX_NAME, multiline=False)

        return replace(
            self,
            code=clean("code", self.code),
            name=clean("name", self.name),
            abbreviation=clean("abbreviation", self.abbreviation),
            superior_name=clean("superior_name", self.superior_name),
            place=clean("place", self.place),
        )

    def check(self) -> None:
        if not self.code or not self.name:
            raise CoreError("office.missing_fields")
        if not OFFICE_CODE.fullmatch(self.code):
            raise CoreError("office.bad_code", code=self.code)
        if self.level not in LEVELS:
            raise CoreError("office.bad_level", level=self.level, allowed=", ".join(LEVELS))
        if self.block not in BLOCKS:
            raise CoreError("office.bad_block", block=self.block, allowed=", ".join(BLOCKS))


def _row(office: Office) -> dict[str, Any]:
    row = asdict(office)
    row["is_self"] = int(office.is_self)
    return row


def _office(row: dict[str, Any]) -> Office:
    return Office(**{**row, "is_self": bool(row["is_self"])})


def set_this_office(db: Database, office: Office) -> Office:
    office = replace(office.normalised(), is_self=True)
    office.check()
    current = this_office(db)
    if current and current.code != office.code:
        raise CoreError("office.already_initialised", code=current.code)
    db.table("offices").upsert(_row(office), pk="code")
    return office


def this_office(db: Database) -> Office | None:
    rows = list(db.table("offices").rows_where("is_self = 1"))
    return _office(rows[0]) if rows else None


def require_this_office(db: Database) -> Office:
    """This office; a workspace not yet set up has none to work for."""
    office = this_office(db)
    if office is None:
        raise CoreError("office.not_initialised")
    return office


def add_unit(db: Database, unit: Office) -> Office:
    """Register a subordinate unit (it reports to this office)."""
    unit = replace(unit.normalised(), is_self=False)
    unit.check()
    db.table("offices").upsert(_row(unit), pk="code")
    return unit


def get_office(db: Database, code: str) -> Office | None:
    rows = list(db.table("offices").rows_where("code = ?", [code]))
    return _office(rows[0]) if rows else None


def units(db: Database, parent_code: str, on: str | None = None) -> list[Office]:
    """The units under ``parent_code`` valid on the ISO date ``on`` (all when ``None``)."""
    where = "parent_code = ? AND is_self = 0"
    params: list[Any] = [parent_code]
    if on:
        where += (
            " AND (valid_from IS NULL OR valid_from <= ?) AND (valid_to IS NULL OR valid_to >= ?)"
        )
        params += [on, on]
    return [_office(row) for row in db.table("offices").rows_where(where, params, order_by="code")]
