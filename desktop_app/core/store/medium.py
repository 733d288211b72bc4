"""Where the workspace lives: SQLite's WAL needs shared memory between processes, which a
network share (SMB, NFS) does not give, so a store there can be damaged by two computers."""

from __future__ import annotations

import os
import sys
from pathlib import Path

NETWORK_FILESYSTEMS = frozenset(
    {"cifs", "smb3", "smbfs", "nfs", "nfs4", "afs", "9p", "fuse.sshfs", "davfs", "ncpfs"}
)


def on_network_share(folder: Path) -> bool:
    if sys.platform == "win32":
        return _windows_remote(folder)
    return filesystem_type(folder, _read_mounts()) in NETWORK_FILESYSTEMS


def filesystem_type(folder: Path, mounts: str) -> str:
    """The type of the mount holding ``folder``, from ``/proc/mounts`` text ("" if unknown)."""
    target = str(folder.resolve())
    best, kind = "", ""
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = fields[1].replace("\\040", " ")
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) > len(best):
            best, kind = point, fields[2]
    return kind


def _read_mounts() -> str:
    try:
        return Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _windows_remote(folder: Path) -> bool:
    text = str(folder.resolve())
    if text.startswith("\\\\"):
        return True
    import ctypes

    drive_remote = 4
    kernel32 = getattr(ctypes, "windll").kernel32  # noqa: B009 - windll exists on Windows only
    return bool(kernel32.GetDriveTypeW(os.path.splitdrive(text)[0] + "\\") == drive_remote)
