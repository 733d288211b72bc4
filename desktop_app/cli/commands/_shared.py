"""What every command module needs: opening the workspace and reading input files."""

from __future__ import annotations

import argparse
import sys
import unicodedata
from pathlib import Path
from typing import Any

from desktop_app.core.catalogue import DEFAULT_LANGUAGE, describe
from desktop_app.core.errors import CoreError
from desktop_app.core.model import strictjson
from desktop_app.core.workspace import Workspace

MAX_INPUT_BYTES = 16 * 1024 * 1024


def open_workspace(args: argparse.Namespace) -> Workspace:
    """The workspace named by ``--workspace``; its warnings (a network share, a skipped
    backup) go to stderr as one line each, in the command's language."""
    workspace = Workspace.open(getattr(args, "workspace", None))
    lang = getattr(args, "lang", DEFAULT_LANGUAGE)
    for warning in workspace.warnings:
        print(f"baocao: {describe(warning, lang)}", file=sys.stderr)
    return workspace


def read_json_file(path: Path) -> Any:
    """Strict JSON from a file the user named (duplicate keys and NaN refused), text NFC."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise CoreError("input.unreadable", file=str(path), reason=error.strerror) from error
    try:
        text = unicodedata.normalize("NFC", raw.decode("utf-8-sig"))
        return strictjson.parse(text.encode("utf-8"), max_bytes=MAX_INPUT_BYTES)
    except UnicodeDecodeError as error:
        raise CoreError("input.not_json", file=str(path), reason=str(error)) from error
    except strictjson.StrictJSONError as error:
        raise CoreError("input.not_json", file=str(path), reason=error.reason) from error
