"""Vietnamese administrative units before and after the 2025 reform, with validity dates.

Until 30/06/2025: 63 provinces, their districts (huyện, quận, thị xã, thành phố thuộc tỉnh) and
communes. From 01/07/2025: 34 provinces and 3,321 communes (xã, phường, đặc khu), no districts
(NQ 202/2025/QH15, NQ 203/2025/QH15). Codes follow QĐ 124/2004/QĐ-TTg and QĐ 19/2025/QĐ-TTg;
a new unit often keeps a predecessor's code, so a code is only unique on a given day.

The lists are read from ``resources/units/*.json`` (exported from the MIT-licensed
``vietnamadminunits`` package, see the README there) on first use and kept in memory.
"""

from __future__ import annotations

import functools
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from desktop_app.core.model.text import SortKey, accent_free_key, search_key, sort_key
from desktop_app.core.paths import resource

__all__ = [
    "LEVELS",
    "REFORM_DAY",
    "AdminUnit",
    "UnitCatalogue",
    "children",
    "default_catalogue",
    "find",
    "get",
    "provinces",
]

REFORM_DAY = date(2025, 7, 1)
LEVELS = ("province", "district", "commune")
UNIT_FILES = ("units-legacy.json", "units-2025.json")


@dataclass(frozen=True)
class AdminUnit:
    """One unit. name is without its kind ("Thanh Hóa"); full_name adds it ("Tỉnh Thanh Hóa")."""

    code: str
    name: str
    level: str
    kind: str
    parent_code: str | None
    valid_from: date | None
    valid_to: date | None

    @property
    def full_name(self) -> str:
        return f"{self.kind} {self.name}"

    def valid_on(self, day: date) -> bool:
        starts_ok = self.valid_from is None or self.valid_from <= day
        return starts_ok and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class _Entry:
    """A unit with the keys computed once at load time, so a picker search stays fast."""

    unit: AdminUnit
    order: tuple[SortKey, SortKey, str]
    plain_name: str
    plain_full_name: str


class UnitCatalogue:
    """A set of units with lookups by day. The app uses :func:`default_catalogue`."""

    def __init__(self, units: Iterable[AdminUnit]) -> None:
        entries = sorted((_entry(unit) for unit in units), key=lambda entry: entry.order)
        self._entries = tuple(entries)
        self._by_parent: dict[str | None, list[_Entry]] = defaultdict(list)
        self._by_code: dict[str, list[_Entry]] = defaultdict(list)
        for entry in entries:
            self._by_parent[entry.unit.parent_code].append(entry)
            self._by_code[entry.unit.code].append(entry)

    @classmethod
    def from_files(cls, paths: Iterable[Path]) -> UnitCatalogue:
        units: list[AdminUnit] = []
        for path in paths:
            units.extend(_read_unit_file(path))
        return cls(units)

    def __len__(self) -> int:
        return len(self._entries)

    def provinces(self, on: date) -> tuple[AdminUnit, ...]:
        """The provinces in force on that day, in Vietnamese alphabetical order."""
        return self.children(None, on)

    def children(self, code: str | None, on: date) -> tuple[AdminUnit, ...]:
        """The units directly under code on that day (districts or communes), sorted by name.

        An unknown code, or a unit without subdivisions (island districts), gives ().
        """
        return tuple(e.unit for e in self._by_parent.get(code, ()) if e.unit.valid_on(on))

    def get(self, code: str, on: date) -> AdminUnit | None:
        """The unit with this code on that day (codes of different levels differ in length)."""
        return next((e.unit for e in self._by_code.get(code, ()) if e.unit.valid_on(on)), None)

    def counts(self, on: date) -> Mapping[str, int]:
        """How many units of each level are in force on that day."""
        counts = dict.fromkeys(LEVELS, 0)
        for entry in self._entries:
            if entry.unit.valid_on(on):
                counts[entry.unit.level] += 1
        return counts

    def find(self, query: str, on: date, limit: int = 20) -> tuple[AdminUnit, ...]:
        """Units in force on that day whose name contains the query, ignoring accents and case.

        Best matches first: the whole name, then the name's start, then a word's start, then
        anywhere. Within each: units whose accents match the typed ones, provinces before
        districts before communes, then Vietnamese alphabetical order.
        """
        plain_query = accent_free_key(query)
        if not plain_query or limit <= 0:
            return ()
        exact_query = search_key(query) if plain_query != search_key(query) else None
        ranked: list[tuple[tuple[int, int, int], tuple[SortKey, SortKey, str], AdminUnit]] = []
        for entry in self._entries:
            closeness = _closeness(plain_query, entry)
            if closeness is None or not entry.unit.valid_on(on):
                continue
            rank = (closeness, _accent_mismatch(exact_query, entry.unit), _level_rank(entry.unit))
            ranked.append((rank, entry.order, entry.unit))
        ranked.sort(key=lambda item: (item[0], item[1]))
        return tuple(unit for _, _, unit in ranked[:limit])


@functools.cache
def default_catalogue() -> UnitCatalogue:
    """The shipped lists, loaded on first use."""
    return UnitCatalogue.from_files(resource("units", name) for name in UNIT_FILES)


def provinces(on: date) -> tuple[AdminUnit, ...]:
    return default_catalogue().provinces(on)


def children(code: str, on: date) -> tuple[AdminUnit, ...]:
    return default_catalogue().children(code, on)


def get(code: str, on: date) -> AdminUnit | None:
    return default_catalogue().get(code, on)


def find(query: str, on: date, limit: int = 20) -> tuple[AdminUnit, ...]:
    return default_catalogue().find(query, on, limit)


# --- helpers ------------------------------------------------------------------------------------


def _entry(unit: AdminUnit) -> _Entry:
    plain_name = accent_free_key(unit.name)
    return _Entry(
        unit=unit,
        order=(sort_key(unit.name), _kind_sort_key(unit.kind), unit.code),
        plain_name=plain_name,
        plain_full_name=f"{_plain_kind(unit.kind)} {plain_name}",
    )


@functools.cache
def _kind_sort_key(kind: str) -> SortKey:
    return sort_key(kind)


@functools.cache
def _plain_kind(kind: str) -> str:
    return accent_free_key(kind)


def _accent_mismatch(exact_query: str | None, unit: AdminUnit) -> int:
    """0 when the query carries no accents or its accents match the unit's name, else 1."""
    return 0 if exact_query is None or exact_query in search_key(unit.full_name) else 1


def _level_rank(unit: AdminUnit) -> int:
    return LEVELS.index(unit.level)


def _closeness(plain_query: str, entry: _Entry) -> int | None:
    """0 whole name, 1 start of the name, 2 start of a word, 3 elsewhere; None: no match."""
    names = (entry.plain_name, entry.plain_full_name)
    if plain_query in names:
        return 0
    if any(name.startswith(plain_query) for name in names):
        return 1
    if any(f" {plain_query}" in name for name in names):
        return 2
    if plain_query in entry.plain_full_name:
        return 3
    return None


def _read_unit_file(path: Path) -> list[AdminUnit]:
    document = json.loads(path.read_text(encoding="utf-8"))
    valid_from = _optional_date(document["valid_from"])
    valid_to = _optional_date(document["valid_to"])
    units: list[AdminUnit] = []
    for level in LEVELS:
        for row in document.get(level, ()):
            units.append(_unit(row, level, valid_from, valid_to))
    return units


def _unit(row: Sequence[str], level: str, valid_from: date | None,
          valid_to: date | None) -> AdminUnit:
    code, kind, name = row[0], row[1], row[2]
    parent = row[3] if level != "province" else None
    return AdminUnit(code, name, level, kind, parent, valid_from, valid_to)


def _optional_date(value: object) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else None

