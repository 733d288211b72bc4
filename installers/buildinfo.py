"""Facts the spec, the build script, the smoke test and the tests share: where things are, the
version, the names of the two programs and the archives, and which Qt plugins ship.

Plain standard library only: the PyInstaller spec imports this module before any app code.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from pathlib import Path

INSTALLERS = Path(__file__).resolve().parent
REPO = INSTALLERS.parent
APP_FOLDER = "baocao"  # dist/baocao/ holds both programs
CLI_NAME = "baocao"
GUI_NAME = "baocao-desktop"
PUBLISHER = "Báo cáo"

# Qt plugins the app needs, by plugin folder; a folder not named here ships nothing.
# Platforms: the desktop one (xcb / windows), offscreen for screenshots and CI, minimal as a
# last resort. Input contexts: compose and IBus carry Vietnamese typing (Unikey, Bamboo) on Linux.
# SVG: the icons are SVG files. Print support and widget styles: printing and the native look.
QT_PLUGINS_KEPT: dict[str, tuple[str, ...]] = {
    "platforms": ("qxcb", "qwindows", "qoffscreen", "qminimal"),
    "platforminputcontexts": (
        "composeplatforminputcontextplugin",
        "ibusplatforminputcontextplugin",
    ),
    "imageformats": ("qsvg",),
    "iconengines": ("qsvgicon",),
    "printsupport": ("*",),
    "styles": ("*",),
}
QT_TRANSLATIONS_KEPT = ("vi", "en")


def project_version() -> str:
    """The one version: pyproject.toml's [project] version."""
    with (REPO / "pyproject.toml").open("rb") as handle:
        version: str = tomllib.load(handle)["project"]["version"]
        return version


def spec_resource_folders() -> tuple[str, ...]:
    """The ``RESOURCE_FOLDERS`` tuple written in baocao.spec (read, not executed)."""
    tree = ast.parse((INSTALLERS / "baocao.spec").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "RESOURCE_FOLDERS"
            for target in node.targets
        ):
            folders: tuple[str, ...] = ast.literal_eval(node.value)
            return folders
    raise LookupError("baocao.spec has no RESOURCE_FOLDERS")


def platform_tag() -> str:
    if sys.platform == "win32":
        return "windows-x64"
    if sys.platform == "darwin":
        return "macos"
    return "linux-x86_64"


def archive_stem(version: str | None = None) -> str:
    """``baocao-0.1.0-linux-x86_64``: the tarball / zip name without its extension."""
    return f"baocao-{version or project_version()}-{platform_tag()}"


def program(folder: Path, name: str) -> Path:
    """The path of one of the two programs inside the built folder."""
    return folder / (f"{name}.exe" if sys.platform == "win32" else name)


def plugin_wanted(plugin_type: str, file_name: str) -> bool:
    """Whether a Qt plugin file (``libqxcb.so``, ``qwindows.dll``) belongs in the folder."""
    kept = QT_PLUGINS_KEPT.get(plugin_type)
    if kept is None:
        return False
    stem = Path(file_name).name.split(".")[0].removeprefix("lib")
    return "*" in kept or stem in kept


def translation_wanted(file_name: str) -> bool:
    """Qt's own translations (``qtbase_vi.qm``): Vietnamese and English only."""
    stem = Path(file_name).stem
    return stem.rsplit("_", 1)[-1] in QT_TRANSLATIONS_KEPT


def windows_numeric_version(version: str) -> tuple[int, int, int, int]:
    """``0.1.0`` → (0, 1, 0, 0), ``1.2.0rc1`` → (1, 2, 0, 0): Windows version resources want
    four numbers; a pre-release suffix is dropped."""
    numbers = [int(match.group()) if (match := re.match(r"\d+", part)) else 0
               for part in version.split(".")]
    padded = [*numbers, 0, 0, 0, 0][:4]
    return padded[0], padded[1], padded[2], padded[3]
