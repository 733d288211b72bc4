"""Build the folder with PyInstaller, then the archives a clerk downloads.

    python installers/build.py                 # dist/baocao/ + tar.gz (Linux) or zip (Windows)
    python installers/build.py --zip --deb     # also the zip and the Debian package (Linux)
    python installers/build.py --skip-build    # only the archives, from an existing dist/baocao

Needs the build extra: ``pip install -e ".[build]"``. Build output goes to build/ and dist/
(both ignored by git) unless --dist / --work / --out say otherwise.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import stat
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import buildinfo

SPEC = buildinfo.INSTALLERS / "baocao.spec"
LINUX = buildinfo.INSTALLERS / "linux"
LINUX_EXTRAS = {  # file in installers/linux → place in the tarball
    "baocao.desktop": "share/baocao.desktop",
    "baocao.svg": "share/baocao.svg",
    "baocao.png": "share/baocao.png",
    "install.sh": "install.sh",
}
# What the folder needs from the system (PyInstaller leaves out glibc and the GL drivers).
DEB_DEPENDS = "libc6 (>= 2.36), libgl1, libegl1, fontconfig-config"
# 60 MB until this round; the PAdES signature (pyHanko, HarfBuzz for the visible signature's
# Vietnamese text, the token's PKCS#11 binding), TLS for sending online and `baocao serve`
# (OpenSSL, httpx, uvicorn, starlette) and QtNetwork (one running app per workspace) add about
# 10 MB compressed: measured 69.9 MB on Linux.
SIZE_BUDGET_MB = 75.0
MB = 1024 * 1024


@dataclass(frozen=True)
class Archive:
    path: Path

    @property
    def megabytes(self) -> float:
        return self.path.stat().st_size / MB


def build_folder(dist: Path, work: Path) -> Path:
    """Run PyInstaller on the spec; returns dist/baocao."""
    command = [
        sys.executable, "-m", "PyInstaller", str(SPEC), "--noconfirm", "--log-level", "WARN",
        "--distpath", str(dist), "--workpath", str(work),
    ]
    print("$", " ".join(command), flush=True)
    subprocess.run(command, check=True)
    return dist / buildinfo.APP_FOLDER


def _walk(folder: Path) -> Iterator[Path]:
    """Every file, link and folder under ``folder``, sorted, links not followed."""
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in [*dirs, *sorted(files)]:
            yield Path(root) / name


def _tar_filter(member: tarfile.TarInfo) -> tarfile.TarInfo:
    member.uid = member.gid = 0
    member.uname = member.gname = "root"
    return member


def make_tarball(folder: Path, out: Path, version: str) -> Archive:
    """``baocao-<version>-linux-x86_64.tar.gz``: the folder, the menu entry, the icon and
    install.sh, under one top folder ``baocao-<version>/``."""
    top = f"baocao-{version}"
    path = out / f"{buildinfo.archive_stem(version)}.tar.gz"
    with tarfile.open(path, "w:gz", compresslevel=9) as tar:
        tar.add(folder, arcname=top, filter=_tar_filter)
        for source, target in LINUX_EXTRAS.items():
            tar.add(LINUX / source, arcname=f"{top}/{target}", filter=_tar_filter)
    return Archive(path)


def make_zip(folder: Path, out: Path, version: str) -> Archive:
    """``baocao-<version>-<platform>.zip``: the folder; links stay links (Info-ZIP style)."""
    path = out / f"{buildinfo.archive_stem(version)}.zip"
    top = f"baocao-{version}"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for item in _walk(folder):
            name = f"{top}/{item.relative_to(folder).as_posix()}"
            if item.is_symlink():
                info = zipfile.ZipInfo(name)
                info.create_system = 3  # Unix, so the mode below is read
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
                archive.writestr(info, os.readlink(item))
            elif item.is_file():
                archive.write(item, name)
    return Archive(path)


def make_deb(folder: Path, out: Path, version: str) -> Archive:
    """``baocao_<version>_amd64.deb``: the folder in /opt/baocao, commands in /usr/bin, the menu
    entry and the icons under /usr/share. Data stays in each user's ~/.local/share/BaoCao."""
    path = out / f"baocao_{version}_amd64.deb"
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary) / "root"
        shutil.copytree(folder, root / "opt" / "baocao", symlinks=True)
        (root / "usr" / "bin").mkdir(parents=True)
        for name in (buildinfo.CLI_NAME, buildinfo.GUI_NAME):
            (root / "usr" / "bin" / name).symlink_to(f"/opt/baocao/{name}")
        share = root / "usr" / "share"
        _copy(LINUX / "baocao.desktop", share / "applications" / "baocao.desktop")
        _copy(LINUX / "baocao.svg", share / "icons/hicolor/scalable/apps/baocao.svg")
        _copy(LINUX / "baocao.png", share / "icons/hicolor/256x256/apps/baocao.png")
        _write_control(root, version)
        subprocess.run(
            ["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(root), str(path)],
            check=True, stdout=subprocess.DEVNULL,
        )
    return Archive(path)


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)


def _write_control(root: Path, version: str) -> None:
    installed_kb = sum(p.stat().st_size for p in _walk(root) if p.is_file() and not p.is_symlink())
    control = root / "DEBIAN" / "control"
    control.parent.mkdir()
    control.write_text(
        "Package: baocao\n"
        f"Version: {version}\n"
        "Architecture: amd64\n"
        "Maintainer: Báo cáo <baocao@localhost>\n"
        f"Installed-Size: {installed_kb // 1024}\n"
        f"Depends: {DEB_DEPENDS}\n"
        "Section: office\n"
        "Priority: optional\n"
        "Description: offline reporting for Vietnamese Party and government offices\n"
        " Báo cáo: lập, phê duyệt, ký và gửi báo cáo thực hiện chỉ thị, nghị quyết\n"
        " qua USB, không cần mạng.\n",
        encoding="utf-8",
    )


def write_checksum(archive: Archive) -> Path:
    """``<archive>.sha256`` in the format ``sha256sum -c`` reads, for copies passed on by USB."""
    digest = hashlib.sha256()
    with archive.path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    checksum = archive.path.with_name(archive.path.name + ".sha256")
    checksum.write_text(f"{digest.hexdigest()}  {archive.path.name}\n", encoding="ascii")
    return checksum


def folder_megabytes(folder: Path) -> float:
    total = sum(p.stat().st_size for p in _walk(folder) if p.is_file() and not p.is_symlink())
    return total / MB


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=buildinfo.REPO / "dist")
    parser.add_argument("--work", type=Path, default=buildinfo.REPO / "build" / "pyinstaller")
    parser.add_argument("--out", type=Path, help="where the archives go (default: --dist)")
    parser.add_argument("--skip-build", action="store_true", help="reuse DIST/baocao")
    parser.add_argument("--tar", action="store_true", help="make the tar.gz (default on Linux)")
    parser.add_argument("--zip", action="store_true", help="make the zip (default on Windows)")
    parser.add_argument("--deb", action="store_true", help="make the .deb (needs dpkg-deb)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    version = buildinfo.project_version()
    started = time.monotonic()
    folder = args.dist / buildinfo.APP_FOLDER
    if not args.skip_build:
        folder = build_folder(args.dist, args.work)
    print(f"folder {folder}: {folder_megabytes(folder):.1f} MB on disk "
          f"(built in {time.monotonic() - started:.0f} s)")
    out = args.out or args.dist
    out.mkdir(parents=True, exist_ok=True)
    archives = []
    windows = sys.platform == "win32"
    if args.tar or not (args.zip or args.deb or windows):
        archives.append(make_tarball(folder, out, version))
    if args.zip or windows:
        archives.append(make_zip(folder, out, version))
    if args.deb:
        archives.append(make_deb(folder, out, version))
    over = [archive for archive in archives if archive.megabytes > SIZE_BUDGET_MB]
    for archive in archives:
        write_checksum(archive)
        print(f"{archive.path.name}: {archive.megabytes:.1f} MB")
    for archive in over:
        print(f"OVER BUDGET: {archive.path.name} is above {SIZE_BUDGET_MB:.0f} MB", file=sys.stderr)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
