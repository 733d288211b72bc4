"""Passphrases: from a prompt, ``--passphrase-file`` or ``BAOCAO_PASSPHRASE`` — never from
the command line itself, where other users of the machine could read it."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import unicodedata
from pathlib import Path

from desktop_app.cli.output import Say, Words
from desktop_app.core.errors import CoreError

ENVIRONMENT = "BAOCAO_PASSPHRASE"
NEW_ENVIRONMENT = "BAOCAO_NEW_PASSPHRASE"


def add_passphrase_options(
    parser: argparse.ArgumentParser, say: Words, *, new: bool = False
) -> None:
    parser.add_argument(
        "--passphrase-file",
        type=Path,
        metavar="FILE",
        help=say("cli.help.passphrase_file", variable=ENVIRONMENT),
    )
    if new:
        parser.add_argument(
            "--new-passphrase-file",
            type=Path,
            metavar="FILE",
            help=say("cli.help.new_passphrase_file", variable=NEW_ENVIRONMENT),
        )


def passphrase(args: argparse.Namespace, say: Say, prompt: str = "cli.prompt.passphrase") -> str:
    """The passphrase; ``prompt`` is the catalogue code of the question typed at."""
    path = getattr(args, "passphrase_file", None)
    return _obtain(path, ENVIRONMENT, say, say(prompt), confirm=False)


def new_passphrase(args: argparse.Namespace, say: Say) -> str:
    path = getattr(args, "new_passphrase_file", None)
    return _obtain(path, NEW_ENVIRONMENT, say, say("cli.prompt.new_passphrase"), confirm=True)


def _obtain(path: Path | None, variable: str, say: Say, prompt: str, confirm: bool) -> str:
    if path is not None:
        return _from_file(path)
    if os.environ.get(variable):
        return unicodedata.normalize("NFC", os.environ[variable])
    if not sys.stdin.isatty():
        raise CoreError("cli.passphrase_needed", variable=variable)
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass(say("cli.prompt.again")) != first:
        raise CoreError("cli.passphrase_mismatch")
    return unicodedata.normalize("NFC", first)


def _from_file(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise CoreError("input.unreadable", file=str(path), reason=str(error)) from error
    return unicodedata.normalize("NFC", text.rstrip("\r\n"))


def confirmed(args: argparse.Namespace, say: Say, question: str) -> bool:
    """``--yes`` in scripts; otherwise the clerk types «có» (or «yes») after comparing with
    the paper."""
    if getattr(args, "yes", False):
        return True
    if not sys.stdin.isatty():
        raise CoreError("cli.confirmation_needed")
    answer = input(f"{question} {say('cli.prompt.confirm')} ")
    return unicodedata.normalize("NFC", answer).strip().casefold() in {"có", "co", "yes", "y"}
