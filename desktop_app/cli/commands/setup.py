"""Setting up a workspace: init, demo, backup, restore."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop_app.cli.commands._shared import open_workspace
from desktop_app.cli.output import Output, Words
from desktop_app.core.demo import build_demo
from desktop_app.core.model.offices import BLOCKS, LEVELS, Office
from desktop_app.core.workspace import StoreUnusable, Workspace


def register(subparsers: Any, common: argparse.ArgumentParser, say: Words) -> None:
    init = subparsers.add_parser("init", parents=[common], help=say("cli.help.init"))
    init.add_argument("--office-code", required=True, help=say("cli.help.init.office_code"))
    init.add_argument("--office-name", required=True, help=say("cli.help.init.office_name"))
    init.add_argument("--level", required=True, choices=LEVELS, help=say("cli.help.init.level"))
    init.add_argument("--parent", metavar="CODE", help=say("cli.help.init.parent"))
    init.add_argument("--block", choices=BLOCKS, default="party", help=say("cli.help.init.block"))
    init.add_argument("--abbreviation", default="", help=say("cli.help.init.abbreviation"))
    init.add_argument("--superior-name", default="", help=say("cli.help.init.superior_name"))
    init.add_argument("--place", default="", help=say("cli.help.init.place"))
    init.set_defaults(handler=run_init)

    demo = subparsers.add_parser("demo", parents=[common], help=say("cli.help.demo"))
    demo.set_defaults(handler=run_demo)

    backup = subparsers.add_parser("backup", parents=[common], help=say("cli.help.backup"))
    backup.add_argument("--to", type=Path, metavar="FILE", help=say("cli.help.backup.to"))
    backup.set_defaults(handler=run_backup)

    restore = subparsers.add_parser("restore", parents=[common], help=say("cli.help.restore"))
    restore.add_argument("file", type=Path, metavar="FILE")
    restore.set_defaults(handler=run_restore)


def run_init(args: argparse.Namespace, out: Output) -> int:
    office = Office(
        code=args.office_code,
        name=args.office_name,
        level=args.level,
        block=args.block,
        abbreviation=args.abbreviation,
        parent_code=args.parent,
        superior_name=args.superior_name,
        place=args.place,
    )
    with open_workspace(args) as workspace:
        office = workspace.initialise(office)
        out.data(
            {"office": office.code, "workspace": str(workspace.root)},
            out.say("cli.init.done", name=office.name, code=office.code, root=workspace.root),
        )
    return 0


def run_demo(args: argparse.Namespace, out: Output) -> int:
    with open_workspace(args) as workspace:
        report_ids = build_demo(workspace)
        out.data(
            {"workspace": str(workspace.root), "reports": report_ids},
            out.say(
                "cli.demo.done",
                name=workspace.office.name,
                reports=len(report_ids),
                root=workspace.root,
            ),
        )
    return 0


def run_backup(args: argparse.Namespace, out: Output) -> int:
    with open_workspace(args) as workspace:
        path = workspace.backup(args.to)
        out.data({"path": str(path)}, out.say("cli.backup.done", path=path))
    return 0


def run_restore(args: argparse.Namespace, out: Output) -> int:
    try:
        workspace = open_workspace(args)
    except StoreUnusable:
        # The store cannot be opened: restore without opening it; the old file moves aside.
        safety = Workspace.restore_unusable(getattr(args, "workspace", None), args.file)
    else:
        with workspace:
            safety = workspace.restore(args.file)
    out.data(
        {"restored": str(args.file), "previous_saved_as": str(safety)},
        out.say("cli.restore.done", file=args.file, safety=safety),
    )
    return 0
