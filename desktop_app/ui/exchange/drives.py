"""Where a bundle can go: the removable drives the system has mounted, with their free space."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QStorageInfo

# Mount points that are the system itself, never a clerk's USB stick.
_SYSTEM_ROOTS = ("/", "/boot", "/home", "/usr", "/var", "/tmp", "/snap", "/sys", "/proc", "/dev")


@dataclass(frozen=True)
class Drive:
    path: Path
    name: str
    free_bytes: int
    total_bytes: int


def removable_drives() -> list[Drive]:
    drives = []
    for volume in QStorageInfo.mountedVolumes():
        root = volume.rootPath()
        if not volume.isReady() or volume.isReadOnly() or not _looks_removable(root):
            continue
        name = volume.displayName() or root
        drives.append(Drive(Path(root), name, volume.bytesAvailable(), volume.bytesTotal()))
    return drives


def _looks_removable(root: str) -> bool:
    if sys.platform == "win32":
        return not root.upper().startswith("C:")
    if root in _SYSTEM_ROOTS or root.startswith(("/snap/", "/sys/", "/proc/", "/run/user")):
        return False
    return root.startswith(("/media/", "/mnt/", "/run/media/", "/Volumes/"))
