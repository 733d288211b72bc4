"""``baocao``: the command line over one Workspace.

Each command is one core call. Exit codes: 0 success, 1 the report has validation errors,
2 bad input or usage (one line naming the file or argument). ``--json`` gives machine output
for every read command.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Any

from desktop_app import __version__
from desktop_app.cli import argparse_words, commands
from desktop_app.cli.output import Output, Words
from desktop_app.core.catalogue import DEFAULT_LANGUAGE, LANGUAGES
from desktop_app.core.errors import CoreError
from desktop_app.core.workspace import unexpected_failure

EXIT_OK, EXIT_INVALID, EXIT_BAD_INPUT = 0, 1, 2

Handler = Callable[[argparse.Namespace, Output], int]


class _Parser(argparse.ArgumentParser):
    """No abbreviated options: ``--passphrase`` must never be taken for ``--passphrase-file``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)


def build_parser(say: Words | None = None) -> argparse.ArgumentParser:
    say = say or Words(DEFAULT_LANGUAGE)
    common = _Parser(add_help=False)
    common.add_argument(
        "--workspace", metavar="DIR", default=argparse.SUPPRESS, help=say("cli.help.workspace")
    )
    common.add_argument(
        "--json", action="store_true", default=argparse.SUPPRESS, help=say("cli.help.json")
    )
    common.add_argument(
        "--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help=say("cli.help.lang")
    )
    parser = _Parser(prog="baocao", parents=[common], description=say("cli.help.baocao"))
    parser.add_argument(
        "--version",
        action="version",
        version=f"baocao {__version__}",
        help=say("cli.help.version"),
    )
    subparsers = parser.add_subparsers(
        dest="command", metavar=say("cli.metavar.command"), required=True, parser_class=_Parser
    )
    commands.register(subparsers, common, say)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    _utf8_streams()
    arguments = sys.argv[1:] if argv is None else list(argv)
    lang = chosen_language(arguments)
    with argparse_words.speaking(Words(lang)):
        args = build_parser(Words(lang)).parse_args(arguments)
    output = Output(as_json=getattr(args, "json", False), lang=lang, stream=sys.stdout)
    handler: Handler = args.handler
    try:
        return handler(args, output)
    except CoreError as error:
        output.refusal(error)
    except Exception as error:
        output.refusal(unexpected_failure(error, getattr(args, "workspace", None)))
    return EXIT_BAD_INPUT


def chosen_language(arguments: Sequence[str]) -> str:
    """``--lang`` read before parsing, so that help and usage errors speak it too."""
    chosen = DEFAULT_LANGUAGE
    for index, argument in enumerate(arguments):
        if argument == "--":
            break
        if argument == "--lang" and index + 1 < len(arguments):
            chosen = arguments[index + 1]
        elif argument.startswith("--lang="):
            chosen = argument.removeprefix("--lang=")
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


def _utf8_streams() -> None:
    """Vietnamese must print on a Windows console or a pipe whatever its code page."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure:
            reconfigure(encoding="utf-8", errors="replace")


if __name__ == "__main__":
    sys.exit(main())
