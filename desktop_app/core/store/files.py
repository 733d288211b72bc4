"""Writing files so that a power cut or a pulled USB stick never leaves a file that looks whole
but is not: write beside the final name, flush to the device, rename, flush the folder, and
(for removable media) read the file back and compare."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import BinaryIO

from desktop_app.core.errors import CoreError
from desktop_app.core.store import failpoints

PARTIAL_SUFFIX = ".partial"
_PARALLEL_FLUSHES = 16
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)  # Windows has no symlinks a clerk could plant


def write_atomic(target: Path, data: bytes, *, verify: bool = False, durable: bool = True) -> Path:
    """``durable=False`` keeps the all-or-nothing rename but skips the flushes: for scratch
    copies that can always be made again from their source."""
    partial = target.with_name(target.name + PARTIAL_SUFFIX)
    try:
        with _create_exclusively(partial) as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        failpoints.hit(failpoints.FILE_AFTER_PARTIAL)
        os.replace(partial, target)
        if durable:
            _fsync_folder(target.parent)
        failpoints.hit(failpoints.FILE_AFTER_RENAME)
    except OSError as error:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        raise CoreError(
            "file.write_failed", file=str(target), reason=error.strerror or str(error)
        ) from error
    if verify and sha256_of_file(target) != hashlib.sha256(data).hexdigest():
        raise CoreError("file.verify_failed", file=str(target))
    return target


def _create_exclusively(partial: Path) -> BinaryIO:
    """A new file at ``partial``, never through a link planted there: whatever was at that
    name (a stale partial, a symlink to a file elsewhere) is removed first — the link, not
    what it points to — and the file is created only if nothing took the name meanwhile."""
    partial.unlink(missing_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NO_FOLLOW | getattr(os, "O_BINARY", 0)
    return os.fdopen(os.open(partial, flags, 0o666), "wb")


def move_durably(source: Path, target: Path) -> Path:
    """Flush ``source`` to the device, then rename it to ``target`` (same file system)."""
    move_all_durably([(source, target)])
    return target


def move_all_durably(moves: Sequence[tuple[Path, Path]]) -> None:
    """``move_durably`` for many files at once: the flushes run side by side, since a device
    serves a queue of them in little more than the time of one, and each folder is flushed
    once after all its renames."""
    try:
        list(_flush_pool().map(_fsync_file, [source for source, _ in moves]))
        for source, target in moves:
            os.replace(source, target)
        for folder in {target.parent for _, target in moves}:
            _fsync_folder(folder)
    except OSError as error:
        raise CoreError(
            "file.write_failed", file=str(error.filename), reason=error.strerror or str(error)
        ) from error


@functools.cache
def _flush_pool() -> ThreadPoolExecutor:
    """One pool for the life of the process: a receiving service moves a few files per batch
    of uploads, and starting sixteen threads each time cost more than the flushes saved."""
    return ThreadPoolExecutor(max_workers=_PARALLEL_FLUSHES, thread_name_prefix="baocao-flush")


def sha256_of_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable; not possible (nor needed) on Windows."""
    if os.name == "nt":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
