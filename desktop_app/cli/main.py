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
from desktop_app.cli import commands
from desktop_app.cli.output import Output
from desktop_app.core.catalogue import LANGUAGES
from desktop_app.core.errors import CoreError
from desktop_app.core.reports.templates import TemplateError

EXIT_OK, EXIT_INVALID, EXIT_BAD_INPUT = 0, 1, 2

Handler = Callable[[argparse.Namespace, Output], int]


class _Parser(argparse.ArgumentParser):
    """No abbreviated options: ``--passphrase`` must never be taken for ``--passphrase-file``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)


def build_parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument(
        "--workspace",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="thư mục làm việc (mặc định: BAOCAO_HOME hoặc thư mục dữ liệu người dùng)",
    )
    common.add_argument(
        "--json", action="store_true", default=argparse.SUPPRESS, help="in kết quả dạng JSON"
    )
    common.add_argument(
        "--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help="ngôn ngữ thông báo (vi, en)"
    )
    parser = _Parser(
        prog="baocao",
        parents=[common],
        description="Báo cáo — lập, ký và gửi báo cáo thực hiện chỉ thị, nghị quyết (ngoại tuyến).",
    )
    parser.add_argument("--version", action="version", version=f"baocao {__version__}")
    subparsers = parser.add_subparsers(
        dest="command", metavar="LỆNH", required=True, parser_class=_Parser
    )
    commands.register(subparsers, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    _utf8_streams()
    args = build_parser().parse_args(argv)
    output = Output(
        as_json=getattr(args, "json", False), lang=getattr(args, "lang", "vi"), stream=sys.stdout
    )
    handler: Handler = args.handler
    try:
        return handler(args, output)
    except TemplateError as error:
        output.error("template.invalid", detail=str(error))
    except CoreError as error:
        output.error(error.code, **error.params)
    return EXIT_BAD_INPUT


def _utf8_streams() -> None:
    """Vietnamese must print on a Windows console or a pipe whatever its code page."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure:
            reconfigure(encoding="utf-8", errors="replace")


if __name__ == "__main__":
    sys.exit(main())
