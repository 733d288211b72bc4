"""The first window starts without the libraries only later work needs.

Printing (reportlab, python-docx, pypdfium2, qrcode), spreadsheets (openpyxl), schema checks
(jsonschema), signing (cryptography) and number formats (Babel) together cost several hundred
milliseconds to import; the window's modules load them when a command first needs them. A fresh
interpreter shows what the start-up chain really imports, whatever earlier tests in this process
have loaded.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

STARTUP_MODULES = (
    "desktop_app.ui.app",
    "desktop_app.ui.main_window",
    "desktop_app.core.workspace",
)
LOADED_LATER = (
    "reportlab",
    "docx",
    "openpyxl",
    "pypdfium2",
    "qrcode",
    "jsonschema",
    "cryptography",
    "babel",
    "httpx",
    "ssl",
    "starlette",
    "uvicorn",
    "pyhanko",
    "pkcs11",
    "desktop_app.ui.wizard",
    "desktop_app.ui.editor",
)

PROBE = """
import importlib, json, sys
for name in sys.argv[1].split(","):
    importlib.import_module(name)
print(json.dumps(sorted(sys.modules)))
"""


@pytest.fixture(scope="module")
def startup_modules() -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, ",".join(STARTUP_MODULES)],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(json.loads(result.stdout))


@pytest.mark.parametrize("package", LOADED_LATER)
def test_starting_the_window_does_not_import(startup_modules: set[str], package: str) -> None:
    assert startup_modules, "the probe saw no modules at all"
    eager = sorted(m for m in startup_modules if m == package or m.startswith(f"{package}."))
    assert eager == [], f"imported at start-up: {eager}"


def test_the_probe_sees_the_startup_chain(startup_modules: set[str]) -> None:
    assert set(STARTUP_MODULES) <= startup_modules
    assert "PySide6.QtWidgets" in startup_modules
