"""Fast checks of the installers: what the frozen folder carries, what the Windows installer does
to the clerk's data, where the version comes from. The real build runs in .ci/smoke."""

from __future__ import annotations

import ast
import re
import struct
import sys
import tomllib
from pathlib import Path

import pytest

from desktop_app import __version__

ROOT = Path(__file__).resolve().parents[1]
INSTALLERS = ROOT / "installers"
sys.path.append(str(INSTALLERS))

import buildinfo  # noqa: E402
import icu_slim  # noqa: E402
import launch  # noqa: E402

SPEC = INSTALLERS / "baocao.spec"
ISS = INSTALLERS / "windows" / "baocao.iss"


def spec_text() -> str:
    return SPEC.read_text(encoding="utf-8")


def inno_setup() -> dict[str, str]:
    """The [Setup] directives of the Inno script (it must be UTF-8 with a BOM for Inno)."""
    raw = ISS.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Inno Setup reads non-ASCII text only with a BOM"
    section = raw.decode("utf-8-sig").split("[Setup]", 1)[1].split("\n[", 1)[0]
    pairs = (line.split("=", 1) for line in section.splitlines() if "=" in line)
    return {key.strip(): value.strip() for key, value in pairs if not key.startswith(";")}


def inno_section(name: str) -> str:
    text = ISS.read_bytes().decode("utf-8-sig")
    match = re.search(rf"^\[{name}\]\r?\n(.*?)(?=^\[|\Z)", text, re.MULTILINE | re.DOTALL)
    return match.group(1) if match else ""


# --- the folder carries every resource ---


def test_the_spec_lists_every_resources_subfolder() -> None:
    on_disk = {p.name for p in (ROOT / "resources").iterdir()
               if p.is_dir() and p.name != "__pycache__"}
    assert set(buildinfo.spec_resource_folders()) == on_disk


def test_the_spec_ships_the_user_guide_beside_resources() -> None:
    # desktop_app/ui/help.py opens <resources>/../docs/huong-dan-su-dung.md
    text = spec_text()
    assert 'REPO / "docs" / "huong-dan-su-dung.md"' in text
    assert '(str(GUIDE), "docs")' in text


def test_the_spec_is_valid_python() -> None:
    ast.parse(spec_text())


# --- version: one source ---


def test_the_spec_takes_its_version_from_the_project() -> None:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        declared = tomllib.load(handle)["project"]["version"]
    assert buildinfo.project_version() == declared
    assert "VERSION = buildinfo.project_version()" in spec_text()
    assert declared not in spec_text(), "the spec must not repeat the version by hand"
    # the frozen `baocao --version` reads the installed metadata, which must agree too
    assert __version__ == declared


@pytest.mark.parametrize(
    ("version", "numbers"),
    [("0.1.0", (0, 1, 0, 0)), ("1.2.0rc1", (1, 2, 0, 0)), ("2.10.3.4.5", (2, 10, 3, 4))],
)
def test_windows_version_resource_gets_four_numbers(
    version: str, numbers: tuple[int, int, int, int]
) -> None:
    assert buildinfo.windows_numeric_version(version) == numbers


def test_archive_names_carry_version_and_platform() -> None:
    assert buildinfo.archive_stem("1.2.3") == f"baocao-1.2.3-{buildinfo.platform_tag()}"


# --- Windows installer: per user, data kept ---


def test_inno_installs_per_user_without_admin() -> None:
    setup = inno_setup()
    assert setup["PrivilegesRequired"] == "lowest"
    assert setup["DefaultDirName"] == r"{localappdata}\Programs\BaoCao"
    assert "PrivilegesRequiredOverridesAllowed" not in setup


def test_inno_uninstall_keeps_the_users_data() -> None:
    # The workspace is platformdirs' user data folder: %LOCALAPPDATA%\BaoCao on Windows.
    data_folder = r"{localappdata}\BaoCao"
    assert inno_setup()["DefaultDirName"].rstrip("\\") != data_folder
    assert inno_section("UninstallDelete").strip() == ""
    deleted_on_install = inno_section("InstallDelete")
    assert data_folder not in deleted_on_install
    assert all("{app}" in line for line in deleted_on_install.splitlines()
               if line.startswith("Type:"))


def test_inno_start_menu_entry_opens_the_windowed_program() -> None:
    icons = inno_section("Icons")
    assert r'"{autoprograms}\{#AppName}"; Filename: "{app}\{#GuiExe}"' in icons
    assert '#define GuiExe "baocao-desktop.exe"' in ISS.read_bytes().decode("utf-8-sig")


def test_inno_needs_the_version_passed_in() -> None:
    text = ISS.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    assert "#ifndef AppVersion\n  #error" in text
    assert "AppVersion={#AppVersion}" in text


# --- Qt: only what the app uses ---


@pytest.mark.parametrize(
    ("plugin_type", "file_name", "wanted"),
    [
        ("platforms", "libqxcb.so", True),
        ("platforms", "qwindows.dll", True),
        ("platforms", "libqoffscreen.so", True),
        ("platforms", "libqwayland.so", False),
        ("platforms", "libqeglfs.so", False),
        ("imageformats", "libqsvg.so", True),
        ("imageformats", "libqpdf.so", False),
        ("iconengines", "qsvgicon.dll", True),
        ("printsupport", "libcupsprintersupport.so", True),
        ("platforminputcontexts", "libibusplatforminputcontextplugin.so", True),
        ("platforminputcontexts", "libqtvirtualkeyboardplugin.so", False),
        ("platformthemes", "libqgtk3.so", False),
        ("sqldrivers", "libqsqlite.so", False),
    ],
)
def test_qt_plugins_kept(plugin_type: str, file_name: str, wanted: bool) -> None:
    assert buildinfo.plugin_wanted(plugin_type, file_name) is wanted


@pytest.mark.parametrize(
    ("name", "wanted"),
    [("qtbase_vi.qm", True), ("qtbase_en.qm", True), ("qtbase_de.qm", False),
     ("qt_help_zh_CN.qm", False)],
)
def test_qt_translations_kept(name: str, wanted: bool) -> None:
    assert buildinfo.translation_wanted(name) is wanted


# --- the shared launcher ---


@pytest.mark.parametrize(
    ("argv0", "gui"),
    [("baocao-desktop", True), ("/opt/baocao/baocao-desktop", True),
     (r"C:\Users\a\AppData\Local\Programs\BaoCao\baocao-desktop.exe", True),
     ("BAOCAO-DESKTOP.EXE", True), ("baocao", False), ("./baocao", False),
     (r"C:\BaoCao\baocao.exe", False)],
)
def test_the_program_name_chooses_windows_or_command_line(argv0: str, gui: bool) -> None:
    assert launch.started_as_gui(argv0.replace("\\", "/")) is gui


# --- ICU data slimming ---


@pytest.mark.parametrize(
    ("item", "wanted"),
    [("vi.res", True), ("vi_VN.res", True), ("en_US_POSIX.res", True), ("root.res", True),
     ("pool.res", True), ("res_index.res", True), ("coll/vi.res", True),
     ("coll/ucadata.icu", True), ("brkitr/word.brk", True), ("supplementalData.res", True),
     ("zoneinfo64.res", True), ("nfkc.nrm", True), ("zh.res", False), ("coll/zh.res", False),
     ("lang/fr_CA.res", False), ("brkitr/cjdict.dict", False), ("translit/root.res", False),
     ("ibm-943_P130-1999.cnv", False), ("unames.icu", False)],
)
def test_icu_items_kept(item: str, wanted: bool) -> None:
    assert icu_slim.item_wanted(item) is wanted


def fake_icu_library(items: dict[str, bytes]) -> bytearray:
    """Bytes around an ICU common data package holding ``items`` (16-byte aligned)."""
    header = struct.pack("<HBB", 32, 0xDA, 0x27)
    header += struct.pack("<HHBBBB", 20, 0, 0, 0, 2, 0) + b"CmnD" + bytes([1, 0, 0, 0])
    header = header.ljust(32, b"\0")
    names = sorted(items)
    name_blob = b"".join(f"icudt73l/{name}".encode() + b"\0" for name in names)
    table_size = 4 + 8 * len(names)
    data_start = (table_size + len(name_blob) + 15) // 16 * 16
    entries, data, name_offset = [], b"", table_size
    for name in names:
        entries.append((name_offset, data_start + len(data)))
        name_offset += len(f"icudt73l/{name}") + 1
        data += items[name].ljust((len(items[name]) + 15) // 16 * 16, b"\0")
    table = struct.pack("<I", len(names)) + b"".join(struct.pack("<II", *e) for e in entries)
    package = header + (table + name_blob).ljust(data_start, b"\0") + data
    return bytearray(b"ELF-before" + package + b"after")


def test_icu_slimming_lists_only_kept_items_and_blanks_the_rest() -> None:
    items = {"coll/vi.res": b"V" * 40, "coll/zh.res": b"Z" * 40, "pool.res": b"P" * 20,
             "zz.res": b"L" * 16}
    blob = fake_icu_library(items)
    size = len(blob)
    kept, removed, zeroed = icu_slim.slim_package(blob)
    assert (kept, removed) == (2, 2)
    assert len(blob) == size and blob.endswith(b"after")
    assert b"Z" * 40 not in blob and zeroed == 48  # zh blanked; zz is last, its end unknown
    assert b"V" * 40 in blob and b"P" * 20 in blob
    toc = blob.index(b"CmnD") - 12 + 32
    (count,) = struct.unpack_from("<I", blob, toc)
    names = [icu_slim._name(blob, toc, struct.unpack_from("<II", blob, toc + 4 + 8 * i)[0])
             for i in range(count)]
    assert names == ["coll/vi.res", "pool.res"]  # still sorted: ICU searches by bisection


def test_icu_slimming_refuses_a_file_without_icu_data() -> None:
    with pytest.raises(ValueError):
        icu_slim.slim_package(bytearray(b"not an ICU library at all"))


# --- Linux: menu entry and icon ---


def test_linux_menu_entry_starts_the_windowed_program_with_the_icon() -> None:
    entry = (INSTALLERS / "linux" / "baocao.desktop").read_text(encoding="utf-8")
    assert entry.startswith("[Desktop Entry]\n")
    assert "\nExec=baocao-desktop\n" in entry and "\nIcon=baocao\n" in entry
    assert "\nTerminal=false\n" in entry and "\nName=Báo cáo\n" in entry


def test_icons_are_rendered_from_the_svg() -> None:
    png = (INSTALLERS / "linux" / "baocao.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24]) == (256, 256)
    ico = (INSTALLERS / "windows" / "baocao.ico").read_bytes()
    assert ico[:4] == b"\0\0\1\0" and struct.unpack("<H", ico[4:6])[0] >= 5
    assert "<svg" in (INSTALLERS / "linux" / "baocao.svg").read_text(encoding="utf-8")


def test_ci_smoke_runs_the_frozen_smoke_test() -> None:
    smoke = (ROOT / ".ci" / "smoke").read_text(encoding="utf-8")
    assert 'pip install -q -e ".[build]"' in smoke
    assert "installers/smoke_test.py" in smoke
