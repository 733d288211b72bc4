"""The ZIP container of a ``.baocao`` bundle: a careful reader for untrusted files, and a
deterministic writer.

The reader never uses ``zipfile``: it walks the end record, the central directory and every local
header itself, so that it can refuse what ``zipfile`` accepts silently (duplicate names, links,
overlapping or hidden data, lying sizes). Nothing is extracted to disk; entries are decompressed
in memory with byte counters, and header sizes are only ever used as upper bounds.
"""

from __future__ import annotations

import re
import struct
import unicodedata
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import NoReturn

from desktop_app.core.exchange.formats.codes import BundleRefused, Code

MIMETYPE = "application/vnd.baocao.bundle+zip; version=1"
MIMETYPE_NAME = "mimetype"
ENVELOPE_NAME = "bundle.dsse.json"
ENTRY_NAME = re.compile(
    r"(mimetype|bundle\.dsse\.json|data/[a-z0-9_-]{1,64}\.json"
    r"|(pdf|att)/[0-9a-f]{64}\.(pdf|png|jpg))"
)
STORED, DEFLATED = 0, 8
MIB = 1024 * 1024

_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")
_DESCRIPTOR = struct.Struct("<III")
_LOCAL_SIG, _CENTRAL_SIG, _END_SIG = 0x04034B50, 0x02014B50, 0x06054B50
_DESCRIPTOR_SIG = b"PK\x07\x08"
_ALLOWED_FLAGS = 0x0002 | 0x0004 | 0x0008 | 0x0800  # deflate options, data descriptor, UTF-8
_DATA_DESCRIPTOR_FLAG = 0x0008
_UNIX = 3
_FILE_TYPE_MASK, _REGULAR_FILE = 0o170000, 0o100000
_DOS_DIRECTORY_OR_LABEL = 0x18
_FORBIDDEN_EXTRA_IDS = frozenset({0x0001, 0x7075})  # ZIP64 sizes, Info-ZIP Unicode path
_MAX_COMMENT = 0xFFFF
_RATIO_FLOOR = 64 * 1024
_CHUNK = 64 * 1024
_DOS_DATE_1980_01_01 = (1 << 5) | 1
_REGULAR_FILE_ATTRS = 0o100644 << 16


@dataclass(frozen=True)
class Limits:
    """Caps for an untrusted bundle. Exceeding the file size gives E02, the others E05."""

    max_bundle_bytes: int = 512 * MIB
    max_entries: int = 1000
    max_entry_bytes: int = 256 * MIB
    max_total_bytes: int = 1024 * MIB
    max_ratio: int = 100


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class Entry:
    """One checked entry; ``data_start`` is where its compressed bytes begin in the file."""

    name: str
    method: int
    flags: int
    crc32: int
    compressed_size: int
    size: int
    header_offset: int
    data_start: int = 0
    end: int = 0


@dataclass(frozen=True)
class _Central:
    entry: Entry
    made_by: int
    external_attr: int
    disk_start: int
    raw_name: bytes
    extra: bytes


class Container:
    """A bundle whose ZIP structure passed every check; entries are read on demand."""

    def __init__(self, data: bytes, entries: Sequence[Entry], limits: Limits) -> None:
        self._data = data
        self._entries = {entry.name: entry for entry in entries}
        self._limits = limits
        self._bytes_read = 0

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._entries)

    def entry(self, name: str) -> Entry | None:
        return self._entries.get(name)

    def read(self, name: str, *, limit: int, over_limit: Code, check_crc: bool = True) -> bytes:
        """The content of ``name``, refused with ``over_limit`` if it holds more than ``limit``.

        Pass ``check_crc=False`` when the caller compares a signed SHA-256 instead, so that a
        changed file is reported as not matching the signed list rather than as damaged.
        """
        entry = self._entries[name]
        if entry.size > limit:
            raise BundleRefused(over_limit, f"{name} declares {entry.size} bytes", {"path": name})
        raw = memoryview(self._data)[entry.data_start : entry.data_start + entry.compressed_size]
        content = bytes(raw) if entry.method == STORED else _inflate(raw, entry.size, name)
        if check_crc and zlib.crc32(content) != entry.crc32:
            raise BundleRefused(Code.DAMAGED, f"CRC mismatch in {name}")
        self._bytes_read += len(content)
        if self._bytes_read > self._limits.max_total_bytes:
            raise BundleRefused(Code.BOMB, "total uncompressed size over the cap")
        return content


def open_container(data: bytes, limits: Limits = DEFAULT_LIMITS) -> Container:
    """Check the whole ZIP structure of ``data`` (DESIGN §10 step 2) without decompressing."""
    if len(data) > limits.max_bundle_bytes:
        limit_mb = limits.max_bundle_bytes // MIB
        raise BundleRefused(Code.TOO_LARGE, f"{len(data)} bytes", {"limit_mb": limit_mb})
    _check_mimetype_entry(data)
    end_offset, count, directory_offset = _read_end_record(data, limits)
    centrals = _read_central_directory(data, directory_offset, end_offset, count)
    _check_names(centrals)
    for central in centrals:
        _check_central_entry(central)
    _check_sizes([c.entry for c in centrals], limits)
    entries = _locate_data(data, [c.entry for c in centrals])
    _check_layout(entries, directory_offset)
    for entry in entries:
        _check_local_matches(data, entry)
    return Container(data, entries, limits)


def write_container(files: Sequence[tuple[str, bytes]]) -> bytes:
    """A deterministic ZIP: ``mimetype`` first, then ``files`` in the order given.

    Every entry is STORED with a fixed date (1980-01-01), fixed attributes (regular file 0644),
    no extra fields and no comment, so equal inputs give byte-identical files on every machine
    (no dependence on the zlib build).
    """
    entries = [(MIMETYPE_NAME, MIMETYPE.encode("ascii")), *files]
    _check_names_to_write([name for name, _ in entries])
    body, directory = bytearray(), bytearray()
    for name, content in entries:
        raw_name, crc, size = name.encode("ascii"), zlib.crc32(content), len(content)
        if size >= 0xFFFFFFFF:
            raise ValueError(f"{name} is too large for a ZIP without ZIP64")
        header = (_DOS_DATE_1980_01_01, crc, size, size, len(raw_name))
        directory += (
            _CENTRAL.pack(
                _CENTRAL_SIG,
                (_UNIX << 8) | 20,
                20,
                0,
                STORED,
                0,
                *header,
                0,
                0,
                0,
                0,
                _REGULAR_FILE_ATTRS,
                len(body),
            )
            + raw_name
        )
        body += _LOCAL.pack(_LOCAL_SIG, 20, 0, STORED, 0, *header, 0) + raw_name + content
    end = _END.pack(_END_SIG, 0, 0, len(entries), len(entries), len(directory), len(body), 0)
    return bytes(body + directory + end)


# --- reading: structure ---------------------------------------------------------------------


def _unpack(layout: struct.Struct, data: bytes, offset: int) -> tuple[int, ...]:
    if offset < 0 or offset + layout.size > len(data):
        raise BundleRefused(Code.DAMAGED, f"record at {offset} runs past the end of the file")
    return layout.unpack_from(data, offset)


def _check_mimetype_entry(data: bytes) -> None:
    """The file must open with the ``mimetype`` entry, STORED, plain, holding exactly MIMETYPE."""
    if not data.startswith(b"PK\x03\x04"):
        raise BundleRefused(Code.NOT_A_BUNDLE, "no ZIP local header at offset 0")
    expected = MIMETYPE.encode("ascii")
    head_end = _LOCAL.size + len(MIMETYPE_NAME) + len(expected)
    if len(data) < head_end:
        raise BundleRefused(Code.DAMAGED, "the file ends inside its first entry")
    fields = _LOCAL.unpack_from(data, 0)
    _, _, flags, method, _, _, crc, csize, usize, name_len, extra_len = fields
    name = data[_LOCAL.size : _LOCAL.size + name_len]
    content = data[_LOCAL.size + name_len : head_end]
    plain = flags == 0 and method == STORED and extra_len == 0
    sizes_ok = csize == usize == len(expected) and crc == zlib.crc32(expected)
    if name != MIMETYPE_NAME.encode("ascii") or not plain or not sizes_ok or content != expected:
        raise BundleRefused(Code.NOT_A_BUNDLE, "first entry is not the exact STORED mimetype")


def _read_end_record(data: bytes, limits: Limits) -> tuple[int, int, int]:
    """(offset of the end record, entry count, central directory offset); nothing may follow."""
    end_offset = len(data) - _END.size
    fields = _unpack(_END, data, end_offset)
    if fields[0] != _END_SIG or fields[7] != 0:
        _refuse_misplaced_end_record(data)
    _, disk, directory_disk, on_disk, count, directory_size, directory_offset, _ = fields
    if disk or directory_disk or on_disk != count or 0xFFFF in (count, on_disk):
        raise BundleRefused(Code.UNSAFE_CONTENT, "multi-disk or ZIP64 archive")
    if count > limits.max_entries:
        raise BundleRefused(Code.BOMB, f"{count} entries")
    if count == 0:
        raise BundleRefused(Code.DAMAGED, "empty central directory")
    directory_end = directory_offset + directory_size
    if directory_end > end_offset:
        raise BundleRefused(Code.DAMAGED, "central directory runs past its end record")
    if directory_end < end_offset:
        raise BundleRefused(Code.UNSAFE_CONTENT, "data between the directory and its end record")
    return end_offset, count, directory_offset


def _refuse_misplaced_end_record(data: bytes) -> NoReturn:
    """No end record at the very end: appended data or a comment (E04), else truncation (E03)."""
    search_from = max(0, len(data) - _END.size - _MAX_COMMENT - 64 * 1024)
    position = data.rfind(b"PK\x05\x06", search_from)
    while position >= 0:
        if position + _END.size <= len(data):
            fields = _END.unpack_from(data, position)
            if fields[5] + fields[6] == position:
                raise BundleRefused(Code.UNSAFE_CONTENT, "data or a comment after the archive")
        position = data.rfind(b"PK\x05\x06", search_from, position)
    raise BundleRefused(Code.DAMAGED, "no end of central directory record: file is truncated")


def _read_central_directory(data: bytes, start: int, end: int, count: int) -> list[_Central]:
    centrals: list[_Central] = []
    offset = start
    while offset < end:
        if len(centrals) == count:
            raise BundleRefused(Code.DAMAGED, "more directory records than the end record says")
        central, offset = _read_central_record(data, offset, end)
        centrals.append(central)
    if offset != end or len(centrals) != count:
        raise BundleRefused(Code.DAMAGED, "central directory size or count is wrong")
    return centrals


def _read_central_record(data: bytes, offset: int, end: int) -> tuple[_Central, int]:
    fields = _unpack(_CENTRAL, data, offset)
    (
        signature,
        made_by,
        _,
        flags,
        method,
        _,
        _,
        crc,
        csize,
        usize,
        name_len,
        extra_len,
        comment_len,
        disk_start,
        _,
        external,
        header_offset,
    ) = fields
    name_start = offset + _CENTRAL.size
    record_end = name_start + name_len + extra_len + comment_len
    if signature != _CENTRAL_SIG or record_end > end:
        raise BundleRefused(Code.DAMAGED, f"bad central directory record at {offset}")
    raw_name = data[name_start : name_start + name_len]
    extra = data[name_start + name_len : name_start + name_len + extra_len]
    entry = Entry(_decode_name(raw_name), method, flags, crc, csize, usize, header_offset)
    return _Central(entry, made_by, external, disk_start, raw_name, extra), record_end


def _decode_name(raw_name: bytes) -> str:
    try:
        return raw_name.decode("ascii")
    except UnicodeDecodeError:
        return raw_name.decode("utf-8", errors="replace")  # refused by the allowlist below


# --- reading: names and attributes ----------------------------------------------------------


def _check_names(centrals: Sequence[_Central]) -> None:
    names = [c.entry.name for c in centrals]
    if len(set(names)) != len(names):
        raise BundleRefused(Code.UNSAFE_CONTENT, "duplicate entry names")
    folded = {unicodedata.normalize("NFC", name).casefold() for name in names}
    if len(folded) != len(names):
        raise BundleRefused(Code.UNSAFE_CONTENT, "entry names collide after NFC and casefold")
    for central in centrals:
        if not central.raw_name.isascii() or not ENTRY_NAME.fullmatch(central.entry.name):
            name = central.entry.name
            raise BundleRefused(Code.UNSAFE_CONTENT, f"entry name not allowed: {name!r}")
    if names[0] != MIMETYPE_NAME or centrals[0].entry.header_offset != 0:
        raise BundleRefused(Code.UNSAFE_CONTENT, "directory does not list mimetype first")


def _check_central_entry(central: _Central) -> None:
    entry = central.entry
    if entry.flags & ~_ALLOWED_FLAGS:
        raise BundleRefused(Code.UNSAFE_CONTENT, f"{entry.name}: encrypted or unusual flags")
    if entry.method not in (STORED, DEFLATED):
        raise BundleRefused(Code.UNSAFE_CONTENT, f"{entry.name}: compression method {entry.method}")
    if entry.method == STORED and entry.compressed_size != entry.size:
        raise BundleRefused(Code.UNSAFE_CONTENT, f"{entry.name}: stored sizes differ")
    if central.disk_start != 0:
        raise BundleRefused(Code.UNSAFE_CONTENT, f"{entry.name}: on another disk")
    if not _is_regular_file(central.made_by, central.external_attr):
        raise BundleRefused(Code.UNSAFE_CONTENT, f"{entry.name}: link or directory")
    _check_extra(central.extra, entry.name)


def _is_regular_file(made_by: int, external_attr: int) -> bool:
    if external_attr & _DOS_DIRECTORY_OR_LABEL:
        return False
    if made_by >> 8 != _UNIX:
        return True
    file_type = (external_attr >> 16) & _FILE_TYPE_MASK
    return file_type in (0, _REGULAR_FILE)


def _check_extra(extra: bytes, name: str) -> None:
    """Extra fields are ignored, except those that would change sizes or the name elsewhere."""
    for field_id in _extra_ids(extra, name):
        if field_id in _FORBIDDEN_EXTRA_IDS:
            raise BundleRefused(Code.UNSAFE_CONTENT, f"{name}: ZIP64 or Unicode-path extra")


def _extra_ids(extra: bytes, name: str) -> Iterator[int]:
    offset = 0
    while offset < len(extra):
        if offset + 4 > len(extra):
            raise BundleRefused(Code.UNSAFE_CONTENT, f"{name}: malformed extra field")
        field_id, size = struct.unpack_from("<HH", extra, offset)
        offset += 4 + size
        if offset > len(extra):
            raise BundleRefused(Code.UNSAFE_CONTENT, f"{name}: malformed extra field")
        yield field_id


def _check_sizes(entries: Sequence[Entry], limits: Limits) -> None:
    """Declared sizes as a first filter; ``read`` counts the real bytes again."""
    total = 0
    for entry in entries:
        if entry.size > limits.max_entry_bytes:
            raise BundleRefused(Code.BOMB, f"{entry.name} declares {entry.size} bytes")
        ratio_high = entry.size > limits.max_ratio * entry.compressed_size
        if ratio_high and entry.size > _RATIO_FLOOR:
            raise BundleRefused(Code.BOMB, f"{entry.name}: compression ratio over the cap")
        total += entry.size
    if total > limits.max_total_bytes:
        raise BundleRefused(Code.BOMB, "total declared size over the cap")


def _check_names_to_write(names: Sequence[str]) -> None:
    if len(set(names)) != len(names) or names.count(MIMETYPE_NAME) != 1:
        raise ValueError("entry names must be unique, with one mimetype")
    bad = [name for name in names if not ENTRY_NAME.fullmatch(name)]
    if bad:
        raise ValueError(f"entry names not allowed: {bad}")
    if len(names) >= 0xFFFF:
        raise ValueError("too many entries for a ZIP without ZIP64")


# --- reading: where the data lies -----------------------------------------------------------


def _locate_data(data: bytes, entries: Sequence[Entry]) -> list[Entry]:
    """Each entry with the span of its local header, data and descriptor, in file order."""
    located = [_locate(data, entry) for entry in entries]
    return sorted(located, key=lambda entry: entry.header_offset)


def _locate(data: bytes, entry: Entry) -> Entry:
    fields = _unpack(_LOCAL, data, entry.header_offset)
    if fields[0] != _LOCAL_SIG:
        raise BundleRefused(Code.DAMAGED, f"{entry.name}: no local header where listed")
    data_start = entry.header_offset + _LOCAL.size + fields[9] + fields[10]
    end = data_start + entry.compressed_size
    if entry.flags & _DATA_DESCRIPTOR_FLAG:
        end += _DESCRIPTOR.size + (4 if data[end : end + 4] == _DESCRIPTOR_SIG else 0)
    if end > len(data):
        raise BundleRefused(Code.DAMAGED, f"{entry.name} runs past the end of the file")
    return Entry(
        entry.name,
        entry.method,
        entry.flags,
        entry.crc32,
        entry.compressed_size,
        entry.size,
        entry.header_offset,
        data_start,
        end,
    )


def _check_layout(entries: Sequence[Entry], directory_offset: int) -> None:
    """Entries must tile the file from 0 to the directory: no overlap (E05), no gap (E04)."""
    expected = 0
    for entry in entries:
        if entry.header_offset < expected:
            raise BundleRefused(Code.BOMB, f"{entry.name} overlaps the entry before it")
        if entry.header_offset > expected:
            raise BundleRefused(Code.UNSAFE_CONTENT, f"hidden data before {entry.name}")
        expected = entry.end
    if expected > directory_offset:
        raise BundleRefused(Code.BOMB, "an entry overlaps the central directory")
    if expected < directory_offset:
        raise BundleRefused(Code.UNSAFE_CONTENT, "hidden data before the central directory")


def _check_local_matches(data: bytes, entry: Entry) -> None:
    """The local header must tell the same story as the directory (no parser differentials)."""
    fields = _LOCAL.unpack_from(data, entry.header_offset)
    _, _, flags, method, _, _, crc, csize, usize, name_len, extra_len = fields
    name_start = entry.header_offset + _LOCAL.size
    same = (
        data[name_start : name_start + name_len] == entry.name.encode("ascii")
        and flags == entry.flags
        and method == entry.method
    )
    if not same:
        raise BundleRefused(Code.UNSAFE_CONTENT, f"{entry.name}: local header differs")
    _check_extra(data[name_start + name_len : name_start + name_len + extra_len], entry.name)
    if entry.flags & _DATA_DESCRIPTOR_FLAG:
        descriptor_at = entry.end - _DESCRIPTOR.size
        crc, csize, usize = _DESCRIPTOR.unpack_from(data, descriptor_at)
    if (crc, csize, usize) != (entry.crc32, entry.compressed_size, entry.size):
        raise BundleRefused(Code.UNSAFE_CONTENT, f"{entry.name}: local sizes or CRC differ")


# --- reading: content -----------------------------------------------------------------------


def _inflate(raw: memoryview, declared: int, name: str) -> bytes:
    """Raw DEFLATE, streamed: never more than ``declared`` + 1 bytes are produced."""
    inflater = zlib.decompressobj(-15)
    out = bytearray()
    position = 0
    try:
        while position < len(raw) and not inflater.eof:
            pending = bytes(raw[position : position + _CHUNK])
            position += len(pending)
            while pending and not inflater.eof:
                out += inflater.decompress(pending, declared + 1 - len(out))
                if len(out) > declared:
                    raise BundleRefused(Code.BOMB, f"{name} inflates past its declared size")
                pending = inflater.unconsumed_tail
    except zlib.error as error:
        raise BundleRefused(Code.DAMAGED, f"{name}: {error}") from error
    leftover = position < len(raw) or bool(inflater.unused_data)
    if not inflater.eof or leftover or len(out) != declared:
        raise BundleRefused(Code.DAMAGED, f"{name}: compressed data is cut short or padded")
    return bytes(out)
