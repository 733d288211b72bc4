"""Templates: list, show, install."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop_app.cli.commands._shared import open_workspace
from desktop_app.cli.output import Output, Words
from desktop_app.core.reports.templates import Template


def register(subparsers: Any, common: argparse.ArgumentParser, say: Words) -> None:
    group = subparsers.add_parser("templates", parents=[common], help=say("cli.help.templates"))
    actions = group.add_subparsers(dest="action", metavar=say("cli.metavar.action"), required=True)

    listing = actions.add_parser("list", parents=[common], help=say("cli.help.templates.list"))
    listing.set_defaults(handler=run_list)

    show = actions.add_parser("show", parents=[common], help=say("cli.help.templates.show"))
    show.add_argument("template_id", metavar="ID")
    show.set_defaults(handler=run_show)

    install = actions.add_parser(
        "install", parents=[common], help=say("cli.help.templates.install")
    )
    install.add_argument("file", type=Path, metavar="FILE")
    install.set_defaults(handler=run_install)


def run_list(args: argparse.Namespace, out: Output) -> int:
    with open_workspace(args) as workspace:
        templates = workspace.templates.newest()
    history_mark = out.say("cli.templates.history_mark")
    lines = [_listed(template, history_mark) for template in templates]
    out.data([t.summary() for t in templates], "\n".join(lines) or out.say("cli.templates.none"))
    return 0


def _listed(template: Template, history_mark: str) -> str:
    line = f"{template.id:<24} v{template.version}  {template.period_type:<10} {template.title}"
    return f"{line} {history_mark}" if template.is_history else line


def run_show(args: argparse.Namespace, out: Output) -> int:
    with open_workspace(args) as workspace:
        template = workspace.templates.get(args.template_id)
    out.data(template.describe())
    return 0


def run_install(args: argparse.Namespace, out: Output) -> int:
    with open_workspace(args) as workspace:
        template = workspace.templates.install_file(args.file)
    out.data(
        template.summary(),
        out.say(
            "cli.templates.installed",
            title=template.title,
            id=template.id,
            version=template.version,
        ),
    )
    return 0
