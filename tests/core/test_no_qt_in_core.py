"""The core and the CLI must run where Qt is absent (servers, the frozen console tool)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import desktop_app

PACKAGE = Path(desktop_app.__file__).parent
FORBIDDEN = ("PySide6", "shiboken6", "desktop_app.ui")


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


def test_core_and_cli_sources_never_import_qt_or_ui() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE)}: {name}"
        for layer in ("core", "cli")
        for path in (PACKAGE / layer).rglob("*.py")
        for name in _imports(path)
        if name.startswith(FORBIDDEN)
    ]
    assert offenders == []


def test_running_the_cli_loads_no_qt_module() -> None:
    code = (
        "import sys; import desktop_app.cli.main, desktop_app.core.workspace;"
        "bad = [m for m in sys.modules"
        " if m.startswith(('PySide6', 'shiboken6', 'desktop_app.ui'))];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
