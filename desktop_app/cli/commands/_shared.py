"""What every command module needs: opening the workspace and reading input files."""

from __future__ import annotations

import argparse
import json
import unicodedata
from pathlib import Path
from typing import Any

from desktop_app.core.errors import CoreError
from desktop_app.core.workspace import Workspace


def open_workspace(args: argparse.Namespace) -> Workspace:
    return Workspace.open(getattr(args, "workspace", None))


def read_json_file(path: Path) -> Any:
    """Strict JSON from a file the user named: duplicate keys and NaN refused, text NFC."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise CoreError("input.unreadable", file=str(path), reason=error.strerror) from error
    try:
        text = unicodedata.normalize("NFC", raw.decode("utf-8-sig"))
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError) as error:
        raise CoreError("input.not_json", file=str(path), reason=str(error)) from error


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"khóa «{key}» xuất hiện hai lần")
        result[key] = value
    return result


def _no_constant(name: str) -> Any:
    raise ValueError(f"giá trị {name} không được phép")
