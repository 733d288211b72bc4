"""Export the administrative-unit lists shipped with the app from the `vietnamadminunits` package.

Run once per package update, from the repository root, with the dev environment:

    .venv/bin/python resources/units/build_units.py

It reads the package's SQLite file `data/dataset.db` and writes `units-2025.json` and
`units-legacy.json` beside this script. The app reads only those JSON files at run time.

The kind of a unit (Tỉnh, Xã, ...) is taken from the prefix of its full name, not from the
package's `*Type` columns: in version 1.0.4 seven of those disagree with the name, and in each
case the name is the right one (checked against the predecessor unit that kept the code, e.g.
Phường Việt Hòa 10543 was a phường of TP Hải Dương). The package also spells a few district names
"Thành Phố …" / "Thị Xã …"; the kind is written in its canonical spelling.
"""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from collections.abc import Iterable, Sequence
from importlib import metadata
from pathlib import Path

import vietnamadminunits

OUT_DIR = Path(__file__).resolve().parent
PACKAGE = "vietnamadminunits"
DATASET = Path(vietnamadminunits.__file__).resolve().parent / "data" / "dataset.db"

# The prefixes that open a full unit name; split_kind tries the longest first.
KINDS = ("Thành phố", "Thị trấn", "Đặc khu", "Phường", "Thị xã", "Huyện", "Quận", "Tỉnh", "Xã")

REFORM_DAY = "2025-07-01"
LAST_LEGACY_DAY = "2025-06-30"


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def split_kind(full_name: str) -> tuple[str, str]:
    """("Tỉnh", "Thanh Hóa") from "Tỉnh Thanh Hóa", matching the kind case-insensitively."""
    full_name = nfc(full_name)
    for kind in sorted(KINDS, key=len, reverse=True):
        prefix = full_name[: len(kind) + 1]
        if prefix.casefold() == (kind + " ").casefold():
            return kind, full_name[len(kind) + 1 :].strip()
    raise ValueError(f"no known kind in {full_name!r}")


def rows(db: sqlite3.Connection, sql: str) -> list[tuple[str, ...]]:
    return [tuple(row) for row in db.execute(sql)]


def units(records: Iterable[Sequence[str]], with_parent: bool) -> list[list[str]]:
    """[code, kind, name(, parent_code)] per unit, sorted by code."""
    result: dict[str, list[str]] = {}
    for record in records:
        code, full_name = record[0], record[1]
        kind, name = split_kind(full_name)
        unit = [code, kind, name] + ([record[2]] if with_parent else [])
        if result.setdefault(code, unit) != unit:
            raise ValueError(f"code {code} has two different units: {result[code]} / {unit}")
    return [result[code] for code in sorted(result)]


def source_note() -> dict[str, str]:
    return {
        "package": PACKAGE,
        "version": metadata.version(PACKAGE),
        "licence": "MIT, Copyright (c) 2025 Tran Ngoc Minh Hieu",
        "file": "vietnamadminunits/data/dataset.db",
    }


def build_2025(db: sqlite3.Connection) -> dict[str, object]:
    provinces = units(rows(db, "SELECT DISTINCT provinceCode, province FROM admin_units"), False)
    communes = units(
        rows(db, "SELECT wardCode, ward, provinceCode FROM admin_units"), with_parent=True
    )
    return {
        "source": {**source_note(), "table": "admin_units"},
        "valid_from": REFORM_DAY,
        "valid_to": None,
        "columns": {"province": ["code", "kind", "name"],
                    "commune": ["code", "kind", "name", "parent_code"]},
        "province": provinces,
        "commune": communes,
    }


def build_legacy(db: sqlite3.Connection) -> dict[str, object]:
    table = "admin_units_legacy"
    provinces = units(rows(db, f"SELECT DISTINCT provinceCode, province FROM {table}"), False)
    districts = units(
        rows(db, f"SELECT DISTINCT districtCode, district, provinceCode FROM {table}"),
        with_parent=True,
    )
    communes = units(
        rows(
            db,
            f"SELECT wardCode, ward, districtCode FROM {table} WHERE wardCode IS NOT NULL",
        ),
        with_parent=True,
    )
    return {
        "source": {**source_note(), "table": table},
        "valid_from": None,
        "valid_to": LAST_LEGACY_DAY,
        "columns": {"province": ["code", "kind", "name"],
                    "district": ["code", "kind", "name", "parent_code"],
                    "commune": ["code", "kind", "name", "parent_code"]},
        "province": provinces,
        "district": districts,
        "commune": communes,
    }


def dump(document: dict[str, object], path: Path) -> None:
    """Compact JSON with one unit per line, so that a data update reads well in a diff."""
    lines = ["{"]
    items = list(document.items())
    for index, (key, value) in enumerate(items):
        comma = "," if index < len(items) - 1 else ""
        if isinstance(value, list):
            body = ",\n".join("  " + json.dumps(unit, ensure_ascii=False) for unit in value)
            lines.append(f"{json.dumps(key)}: [\n{body}\n]{comma}")
        else:
            lines.append(f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}{comma}")
    lines.append("}")
    text = "\n".join(lines) + "\n"
    json.loads(text)  # refuse to write anything that does not parse back
    path.write_text(text, encoding="utf-8")


def main(out_dir: Path = OUT_DIR) -> None:
    db = sqlite3.connect(f"file:{DATASET}?mode=ro", uri=True)
    try:
        dump(build_2025(db), out_dir / "units-2025.json")
        dump(build_legacy(db), out_dir / "units-legacy.json")
    finally:
        db.close()


if __name__ == "__main__":
    main()
