"""Blank out the parts of Qt's ICU data the app never reads, so the archives stay small.

PySide6 on Linux ships ``libicudata.so.73``: 31 MB (12 MB compressed, a fifth of the whole
archive) of collation, names and converters for every language on earth. The app needs the
Vietnamese and English locales, the root locale and the language-independent tables.

The library holds one ICU "common data" package: a header, a table of contents sorted by item
name, then the items. We rewrite the table of contents to list only the wanted items and fill
the unwanted items' bytes with zeros. Nothing moves, so the library's size, symbols and the
offsets of the kept items stay exactly as they were; ICU finds the kept items by binary search
in the shorter table, and the zeros compress to almost nothing in the tar.gz and the zip.
"""

from __future__ import annotations

import itertools
import re
import struct
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

MAGIC = b"\xda\x27"
COMMON_DATA_FORMAT = b"CmnD"
DATA_FORMAT_AT = 12  # MappedData (4 bytes) + UDataInfo fields before dataFormat (8 bytes)
KEPT_LANGUAGES = frozenset({"vi", "en"})
LOCALE_STEM = re.compile(r"([a-z]{2,3})(_[A-Za-z0-9_]*)?")
NOT_LOCALES = frozenset({"root", "pool", "res_index"})
# Legacy code pages (UTF-8/16/32, ASCII and Latin-1 are built into ICU's code), dictionaries for
# Thai, Lao, Khmer, Burmese and CJK word breaks, transliterators, StringPrep profiles, the
# spoof checker and character names: Qt calls none of them for this app.
DROPPED_SUFFIXES = (".cnv", ".dict", ".spp", ".cfu")
DROPPED_NAMES = frozenset({"unames.icu"})
DROPPED_TREES = ("translit/",)
ICU_DATA_FILES = ("libicudata.so.*", "icudt*.dll")


@dataclass(frozen=True)
class SlimReport:
    path: Path
    kept: int
    removed: int
    zeroed_bytes: int


def item_wanted(name: str) -> bool:
    """``coll/vi.res`` yes, ``coll/zh.res`` no, ``ibm-943_P130-1999.cnv`` no, ``pool.res`` yes.

    ``name`` is the item name without the package prefix (``icudt73l/``)."""
    if name.endswith(DROPPED_SUFFIXES) or name.startswith(DROPPED_TREES):
        return False
    base = name.rsplit("/", 1)[-1]
    if base in DROPPED_NAMES:
        return False
    stem, _, suffix = base.rpartition(".")
    if suffix != "res" or stem in NOT_LOCALES:
        return True
    locale = LOCALE_STEM.fullmatch(stem)
    return locale is None or locale.group(1) in KEPT_LANGUAGES


def find_package(blob: bytes | bytearray) -> int:
    """Offset of the ICU common data package inside a library file."""
    start = blob.find(COMMON_DATA_FORMAT)
    while start != -1:
        package = start - DATA_FORMAT_AT
        if package >= 0 and blob[package + 2 : package + 4] == MAGIC:
            return package
        start = blob.find(COMMON_DATA_FORMAT, start + 1)
    raise ValueError("no ICU common data package in this file")


def _byte_order(blob: bytearray, package: int) -> str:
    return ">" if blob[package + 8] else "<"  # UDataInfo.isBigEndian


def _entries(blob: bytearray, toc: int, order: str) -> list[tuple[int, int]]:
    """(name offset, data offset) pairs, both relative to the table of contents."""
    (count,) = struct.unpack_from(f"{order}I", blob, toc)
    return [struct.unpack_from(f"{order}II", blob, toc + 4 + 8 * i) for i in range(count)]


def _name(blob: bytearray, toc: int, name_offset: int) -> str:
    start = toc + name_offset
    full = bytes(blob[start : blob.index(0, start)]).decode("ascii")
    return full.split("/", 1)[1]  # drop the package name, e.g. icudt73l/


def slim_package(
    blob: bytearray, wanted: Callable[[str], bool] = item_wanted
) -> tuple[int, int, int]:
    """Rewrite the package in ``blob`` in place; returns (kept, removed, zeroed bytes)."""
    package = find_package(blob)
    order = _byte_order(blob, package)
    toc = package + struct.unpack_from(f"{order}H", blob, package)[0]
    entries = _entries(blob, toc, order)
    verdicts = [wanted(_name(blob, toc, name_offset)) for name_offset, _ in entries]
    kept = [entry for entry, keep in zip(entries, verdicts, strict=True) if keep]
    kept_data = {data_offset for _, data_offset in kept}
    dropped_data = {data for _, data in entries} - kept_data
    zeroed = _zero_items(blob, toc, [data for _, data in entries], dropped_data)
    table = struct.pack(f"{order}I", len(kept))
    table += b"".join(struct.pack(f"{order}II", *entry) for entry in kept)
    blob[toc : toc + 4 + 8 * len(entries)] = table.ljust(4 + 8 * len(entries), b"\0")
    return len(kept), len(entries) - len(kept), zeroed


def _zero_items(blob: bytearray, toc: int, offsets: Iterable[int], dropped: set[int]) -> int:
    """Zero each dropped item up to the next item; the last item's end is unknown, so it stays."""
    ordered = sorted(set(offsets))
    zeroed = 0
    for offset, next_offset in itertools.pairwise(ordered):
        if offset in dropped:
            blob[toc + offset : toc + next_offset] = bytes(next_offset - offset)
            zeroed += next_offset - offset
    return zeroed


def slim_icu_data(folder: Path) -> list[SlimReport]:
    """Slim every ICU data library in a built folder (none on Windows, where Qt uses the
    system's ICU); symbolic links are left alone, their target is slimmed once."""
    reports = []
    for pattern in ICU_DATA_FILES:
        for path in sorted(folder.rglob(pattern)):
            if path.is_symlink() or not path.is_file():
                continue
            blob = bytearray(path.read_bytes())
            kept, removed, zeroed = slim_package(blob)
            path.write_bytes(bytes(blob))
            reports.append(SlimReport(path, kept, removed, zeroed))
    return reports
