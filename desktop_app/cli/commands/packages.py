"""Configuration packages and receipts: config build|install, receipt build|install."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop_app.cli.commands._secrets import add_passphrase_options, confirmed, passphrase
from desktop_app.cli.commands._shared import open_workspace
from desktop_app.cli.output import Output, Words
from desktop_app.core.errors import CoreError
from desktop_app.core.exchange.config_exchange import describe_package
from desktop_app.core.exchange.formats.packages import CONFIRM_ISSUER_MESSAGE
from desktop_app.core.store.files import write_atomic


def register(subparsers: Any, common: argparse.ArgumentParser, say: Words) -> None:
    _register_config(subparsers, common, say)
    _register_receipt(subparsers, common, say)


def _register_config(subparsers: Any, common: argparse.ArgumentParser, say: Words) -> None:
    config = subparsers.add_parser("config", parents=[common], help=say("cli.help.config"))
    actions = config.add_subparsers(dest="action", metavar=say("cli.metavar.action"), required=True)
    build = actions.add_parser("build", parents=[common], help=say("cli.help.config.build"))
    build.add_argument("--to", type=Path, required=True, metavar="DIR")
    add_passphrase_options(build, say)
    build.set_defaults(handler=run_config_build)
    install = actions.add_parser("install", parents=[common], help=say("cli.help.config.install"))
    install.add_argument("file", type=Path, metavar="FILE")
    install.add_argument("--yes", action="store_true", help=say("cli.help.config.install.yes"))
    install.set_defaults(handler=run_config_install)


def _register_receipt(subparsers: Any, common: argparse.ArgumentParser, say: Words) -> None:
    receipt = subparsers.add_parser("receipt", parents=[common], help=say("cli.help.receipt"))
    actions = receipt.add_subparsers(
        dest="action", metavar=say("cli.metavar.action"), required=True
    )
    rbuild = actions.add_parser("build", parents=[common], help=say("cli.help.receipt.build"))
    rbuild.add_argument("--to", type=Path, required=True, metavar="DIR")
    add_passphrase_options(rbuild, say)
    rbuild.set_defaults(handler=run_receipt_build)
    rinstall = actions.add_parser("install", parents=[common], help=say("cli.help.receipt.install"))
    rinstall.add_argument("file", type=Path, metavar="FILE")
    rinstall.set_defaults(handler=run_receipt_install)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise CoreError("input.unreadable", file=str(path), reason=error.strerror) from error


def _folder(path: Path) -> Path:
    if not path.is_dir():
        raise CoreError("export.no_folder", folder=str(path))
    return path


def run_config_build(args: argparse.Namespace, out: Output) -> int:
    folder = _folder(args.to)
    with open_workspace(args) as workspace:
        built = workspace.exchange.build_config(passphrase(args, out.say))
        carried = workspace.signing.passed_on_anchors()
    path = write_atomic(folder / built.file_name, built.data, verify=True)
    lines = [out.say("cli.config.written", path=path)]
    if carried:  # the IT officer sees which CAs the units will trust from this package
        names = ", ".join(anchor.subject for anchor in carried)
        lines.append(out.say("cli.config.carries_cas", count=len(carried), names=names))
    out.data({"path": str(path), "trust_anchors": [a.sha256 for a in carried]}, "\n".join(lines))
    return 0


def run_config_install(args: argparse.Namespace, out: Output) -> int:
    data = _read(args.file)
    with open_workspace(args) as workspace:
        package = workspace.exchange.read_config(data)
        if not package.pinned:
            question = out.say(
                CONFIRM_ISSUER_MESSAGE,
                issuer=package.issuer.name,
                fingerprint=package.signer_fingerprint,
            )
            if not confirmed(args, out.say, question):
                raise CoreError("trust.not_confirmed")
        installed = workspace.exchange.install_config(package)
    out.data(
        {**describe_package(package), "own_key_listed": installed.own_key_listed},
        out.say(
            "cli.config.installed",
            version=installed.version,
            issuer=installed.issuer,
            templates=installed.templates,
            units=installed.units,
        ),
    )
    return 0


def run_receipt_build(args: argparse.Namespace, out: Output) -> int:
    folder = _folder(args.to)
    with open_workspace(args) as workspace:
        receipts = workspace.exchange.build_receipts(passphrase(args, out.say))
    paths = [str(write_atomic(folder / r.file_name, r.data, verify=True)) for r in receipts]
    out.data(
        {"paths": paths, "path": paths[0] if paths else None},
        "\n".join(out.say("cli.receipt.written", path=p) for p in paths)
        or out.say("cli.receipt.nothing_new"),
    )
    return 0


def run_receipt_install(args: argparse.Namespace, out: Output) -> int:
    data = _read(args.file)
    with open_workspace(args) as workspace:
        installed = workspace.exchange.install_receipt(data)
    returned = [{"id": rid, "comment": comment} for rid, comment in installed.returned]
    lines = [out.say("cli.receipt.acknowledged", count=installed.acknowledged)]
    lines += [
        out.say("cli.receipt.returned", id=rid, comment=comment)
        for rid, comment in installed.returned
    ]
    out.data({"acknowledged": installed.acknowledged, "returned": returned}, "\n".join(lines))
    return 0
