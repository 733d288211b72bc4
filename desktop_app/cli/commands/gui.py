"""``baocao gui``: open the windows. Qt is imported only when this command runs, so every other
command keeps working on a computer (or a server) without it."""

from __future__ import annotations

import argparse
import importlib
from pathlib import Path
from typing import Any

from desktop_app.cli.output import Output, Words
from desktop_app.core.paths import workspace_dir

PAGES = ("home", "list", "preview", "upper", "keys", "export", "import", "office")


def register(subparsers: Any, common: argparse.ArgumentParser, say: Words) -> None:
    gui = subparsers.add_parser("gui", parents=[common], help=say("cli.help.gui"))
    gui.add_argument("--demo", action="store_true", help=say("cli.help.gui.demo"))
    gui.add_argument("--screenshot", type=Path, metavar="FILE", help=say("cli.help.gui.screenshot"))
    gui.add_argument(
        "--open", dest="open_report", metavar="REPORT_ID", help=say("cli.help.gui.open")
    )
    gui.add_argument("--page", choices=PAGES, default="home", help=say("cli.help.gui.page"))
    gui.set_defaults(handler=run_gui)


def run_gui(args: argparse.Namespace, out: Output) -> int:
    app = importlib.import_module("desktop_app.ui.app")
    code: int = app.run_gui(
        workspace_dir(getattr(args, "workspace", None)),
        args.demo,
        args.screenshot,
        args.open_report,
        getattr(args, "lang", None),
        page=args.page,
    )
    if args.screenshot and code == 0:
        human = out.say("cli.gui.screenshot", path=args.screenshot)
        out.data({"screenshot": str(args.screenshot)}, human)
    return code
