"""Frozen smoke test: build the folder, then drive the FROZEN programs through a whole journey.

A ward makes the demo (its signing key included), prints a report to PDF and Word, approves and
exports a report to a "USB stick"; a province trusts the ward's key, verifies and imports the
bundle; the windows render offscreen to PNG files. Anything PyInstaller left out (a data file,
a Qt plugin, a lazily imported module) fails here rather than on a clerk's computer.

    python installers/smoke_test.py                  # build, then test
    python installers/smoke_test.py --skip-build     # test dist/baocao as it is
    python installers/smoke_test.py --archive        # also make the tar.gz / zip and check its size

Prints each check; exits 1 at the first failure (with the program's output), 0 when all pass.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build
import buildinfo

PASSPHRASE = "hacthanh2026"  # the demo key's, desktop_app.core.demo.DEMO_PASSPHRASE
PROVINCE = ("TU-38", "Tỉnh ủy Thanh Hóa")
SIGNER = ("Lê Văn Bình", "Bí thư")
SCREENSHOT_SIZE = (1366, 768)  # the smallest screen the offices use (ui/app.py)
TIMEOUT_S = 180
# Qt plugins without which the windows start but lose something silently (icons, printing,
# Vietnamese input methods), by plugin folder; and Qt parts that must stay out (size budget).
REQUIRED_PLUGINS = {
    "linux": {"platforms": ("qxcb", "qoffscreen"), "iconengines": ("qsvgicon",),
              "imageformats": ("qsvg",), "printsupport": ("cupsprintersupport",),
              "platforminputcontexts": ("ibusplatforminputcontextplugin",)},
    "win32": {"platforms": ("qwindows", "qoffscreen"), "iconengines": ("qsvgicon",),
              "imageformats": ("qsvg",)},
}
LEFT_OUT = ("Qt6Quick", "Qt6Qml", "Qt6WebEngine", "Qt6Pdf", "Qt63D", "Qt6Multimedia",
            "opengl32sw", "libqwayland", "libqgtk3", "numpy", "tkinter")


class SmokeFailure(Exception):
    pass


class Frozen:
    """Runs the frozen programs of one built folder, each in a clean environment."""

    def __init__(self, folder: Path, scratch: Path) -> None:
        self.folder = folder
        self.scratch = scratch
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "BAOCAO"))}
        self.env |= {"BAOCAO_PASSPHRASE": PASSPHRASE, "QT_QPA_PLATFORM": "offscreen"}
        # Qt settings (language, font size) go to a scratch home, not the tester's.
        self.env |= {"HOME": str(scratch / "home"), "XDG_CONFIG_HOME": str(scratch / "config")}
        self.env["APPDATA"] = str(scratch / "appdata")

    def run(self, program: str, *args: str, env: dict[str, str] | None = None,
            wrapper: Sequence[str] = ()) -> subprocess.CompletedProcess[str]:
        command = [*wrapper, str(buildinfo.program(self.folder, program)), *args]
        return subprocess.run(
            command, capture_output=True, text=True, encoding="utf-8", errors="replace",
            env=env or self.env, cwd=self.scratch, timeout=TIMEOUT_S, check=False,
        )

    def cli(self, workspace: Path, *args: str) -> Any:
        """``baocao ARGS --workspace W --json``: the parsed JSON; fails on a non-zero exit."""
        result = self.run(buildinfo.CLI_NAME, *args, "--workspace", str(workspace), "--json")
        if result.returncode != 0:
            raise SmokeFailure(_describe(["baocao", *args], result))
        try:
            return json.loads(result.stdout)
        except json.JSONDecodeError as error:
            message = f"baocao {' '.join(args)}: not JSON ({error})\n{result.stdout}"
            raise SmokeFailure(message) from error


def _describe(command: Sequence[str], result: subprocess.CompletedProcess[str]) -> str:
    return (f"{' '.join(command)} exited {result.returncode}\n"
            f"--- stdout\n{result.stdout[-3000:]}\n--- stderr\n{result.stderr[-3000:]}")


def check(label: str, condition: bool, detail: str = "") -> None:
    if not condition:
        raise SmokeFailure(f"{label}: {detail}" if detail else label)
    print(f"  ok  {label}", flush=True)


def png_facts(path: Path) -> tuple[int, int, int]:
    """(width, height, distinct byte values in the pixels) of a PNG; the last is tiny for a
    blank window."""
    data = path.read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise SmokeFailure(f"{path.name} is not a PNG")
    width, height = struct.unpack(">II", data[16:24])
    position, pixels = 8, b""
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        if kind == b"IDAT":
            pixels += data[position + 8 : position + 8 + length]
        position += 12 + length
    return width, height, len(set(zlib.decompress(pixels)))


def check_layout(folder: Path) -> None:
    internal = folder / "_internal"
    for name in (buildinfo.CLI_NAME, buildinfo.GUI_NAME):
        program = buildinfo.program(folder, name)
        check(f"program {program.name} is in the folder", program.is_file())
    for name in buildinfo.spec_resource_folders():
        resources = internal / "resources" / name
        check(f"resources/{name} is in the folder",
              resources.is_dir() and any(resources.iterdir()))
    check("the user guide is in the folder", (internal / "docs" / "huong-dan-su-dung.md").is_file())
    for plugin_type, names in REQUIRED_PLUGINS.get(sys.platform, {}).items():
        found = {path.name.split(".")[0].removeprefix("lib")
                 for path in internal.rglob(f"plugins/{plugin_type}/*")}
        check(f"Qt plugins {plugin_type}: {', '.join(names)}", set(names) <= found, str(found))
    unwanted = sorted({path.name for path in internal.rglob("*")
                       if path.name.startswith(LEFT_OUT) or path.name.startswith(
                           tuple(f"lib{name}" for name in LEFT_OUT))})
    check("no QtQuick, QML, WebEngine, PDF, Wayland, GTK, NumPy", not unwanted,
          ", ".join(unwanted))


def check_journey(frozen: Frozen, scratch: Path) -> None:
    ward, province, stick = scratch / "ward", scratch / "province", scratch / "usb"
    stick.mkdir()
    version = frozen.run(buildinfo.CLI_NAME, "--version").stdout.strip()
    check("baocao --version is the project's version",
          version == f"baocao {buildinfo.project_version()}", version)

    demo = frozen.cli(ward, "demo")
    check("demo: the ward's workspace has reports", len(demo["reports"]) > 0)
    reports = frozen.cli(ward, "report", "list")
    ready = next((r for r in reports if r["status"] == "ready"), None)
    sent = next((r for r in reports if r["status"] == "exported"), None)
    check("report list: one report is ready for approval, one was sent",
          ready is not None and sent is not None, str(reports))
    assert ready is not None and sent is not None
    report_id, office = ready["id"], ready["office_code"]

    pdf, docx = scratch / "bao-cao.pdf", scratch / "bao-cao.docx"
    frozen.cli(ward, "pdf", report_id, "--out", str(pdf))
    check("pdf: the report prints to a PDF (fonts, profiles)",
          pdf.is_file() and pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 2000)
    frozen.cli(ward, "docx", report_id, "--out", str(docx))
    check("docx: the report saves as Word (python-docx's own template)",
          docx.is_file() and docx.read_bytes()[:2] == b"PK")

    key = frozen.cli(ward, "keys", "show")
    check("keys show: the demo made the head's signing key", bool(key.get("fingerprint")))
    key_file = frozen.cli(ward, "keys", "export-public", "--to", str(stick))["path"]
    frozen.cli(province, "init", "--office-code", PROVINCE[0], "--office-name", PROVINCE[1],
               "--level", "province")
    trusted = frozen.cli(province, "trust", "add", key_file, "--office", office, "--yes")
    check("trust add: the province trusts the ward's key",
          trusted.get("fingerprint") == key["fingerprint"], str(trusted))

    approved = frozen.cli(ward, "approve", report_id, "--name", SIGNER[0], "--title", SIGNER[1])
    check("approve: the report is signed and numbered after the demo's two",
          approved.get("number") == 3, str(approved))
    bundle = frozen.cli(ward, "export", report_id, "--to", str(stick))["path"]
    frozen.cli(ward, "export", sent["id"], "--to", str(stick))  # the demo's, from the outbox
    check("export: the bundle is on the stick", Path(bundle).is_file(), bundle)

    # The demo's sent bundle is the ward's first: verified together, the second has no gap.
    verified = frozen.cli(province, "verify", str(stick))
    check("verify: the province finds both bundles valid",
          [(row["status"], row["code"]) for row in verified] == [("imported", "")] * 2,
          str(verified))
    imported = frozen.cli(province, "import", str(stick))
    check("import: both bundles are imported",
          [(row["status"], row["code"]) for row in imported] == [("imported", "")] * 2,
          str(imported))
    received = frozen.cli(province, "received", "list")
    check("received list: the reports are at the province",
          sorted(row["id"] for row in received) == sorted([report_id, sent["id"]]))


def check_screenshot(frozen: Frozen, label: str, program: str, *args: str,
                     env: dict[str, str] | None = None, wrapper: Sequence[str] = ()) -> None:
    shot = frozen.scratch / f"{label.split(':')[0].replace(' ', '-')}.png"
    result = frozen.run(program, *args, "--screenshot", str(shot), env=env, wrapper=wrapper)
    if result.returncode != 0 or not shot.is_file():
        raise SmokeFailure(_describe([program, *args], result))
    width, height, colours = png_facts(shot)
    # The main window fills the laptop screen; a dialog (the wizard) is drawn at its own size,
    # which must fit on it.
    fits = width <= SCREENSHOT_SIZE[0] and height <= SCREENSHOT_SIZE[1] and width * height > 0
    check(f"{label} ({shot.stat().st_size // 1024} KB)",
          fits and colours > 16, f"{width}x{height}, {colours} distinct values")


def check_windows(frozen: Frozen, scratch: Path) -> None:
    check_screenshot(frozen, "window: baocao-desktop draws the demo offscreen", buildinfo.GUI_NAME,
                     "--workspace", str(scratch / "gui-demo"), "--demo")
    check_screenshot(frozen, "window: `baocao gui` draws the list", buildinfo.CLI_NAME, "gui",
                     "--workspace", str(scratch / "province"), "--page", "list")
    check_screenshot(frozen, "wizard: a new workspace opens the setup wizard", buildinfo.GUI_NAME,
                     "--workspace", str(scratch / "new-office"))
    xvfb = shutil.which("xvfb-run")
    if sys.platform.startswith("linux") and xvfb:
        env = frozen.env | {"QT_QPA_PLATFORM": "xcb"}
        check_screenshot(frozen, "x11: the xcb platform plugin loads (Xvfb)", buildinfo.GUI_NAME,
                         "--workspace", str(scratch / "gui-demo"), env=env,
                         wrapper=[xvfb, "--auto-servernum"])
    elif sys.platform.startswith("linux"):
        print("  --  x11: skipped (no xvfb-run)")


def check_archives(folder: Path, out: Path) -> None:
    version = buildinfo.project_version()
    maker = build.make_zip if sys.platform == "win32" else build.make_tarball
    archive = maker(folder, out, version)
    check(f"{archive.path.name}: {archive.megabytes:.1f} MB ≤ {build.SIZE_BUDGET_MB:.0f} MB",
          archive.megabytes <= build.SIZE_BUDGET_MB)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=buildinfo.REPO / "dist")
    parser.add_argument("--work", type=Path, default=buildinfo.REPO / "build" / "pyinstaller")
    parser.add_argument("--skip-build", action="store_true", help="test DIST/baocao as it is")
    parser.add_argument("--archive", action="store_true", help="make the archive, check its size")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    folder = args.dist / buildinfo.APP_FOLDER
    if not args.skip_build:
        print("Building the folder with PyInstaller…", flush=True)
        folder = build.build_folder(args.dist, args.work)
        print(f"  built in {time.monotonic() - started:.0f} s", flush=True)
    tested = time.monotonic()
    try:
        with tempfile.TemporaryDirectory(prefix="baocao-smoke-") as temporary:
            scratch = Path(temporary)
            print(f"Frozen smoke test of {folder}", flush=True)
            check_layout(folder)
            frozen = Frozen(folder, scratch)
            check_journey(frozen, scratch)
            check_windows(frozen, scratch)
            if args.archive:
                check_archives(folder, args.dist)
    except (SmokeFailure, subprocess.TimeoutExpired) as failure:
        print(f"FAIL {failure}", file=sys.stderr)
        return 1
    print(f"All frozen checks passed in {time.monotonic() - tested:.0f} s "
          f"({time.monotonic() - started:.0f} s with the build).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
