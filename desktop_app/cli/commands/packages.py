"""Configuration packages and receipts: config build|install, receipt build|install."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop_app.cli.commands._secrets import add_passphrase_options, confirmed, passphrase
from desktop_app.cli.commands._shared import open_workspace
from desktop_app.cli.output import Output
from desktop_app.core.errors import CoreError
from desktop_app.core.exchange.config_exchange import describe_package
from desktop_app.core.exchange.formats.packages import CONFIRM_ISSUER_MESSAGE
from desktop_app.core.store.files import write_atomic


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    config = subparsers.add_parser("config", parents=[common], help="gói cấu hình (.cauhinh)")
    config_actions = config.add_subparsers(dest="action", metavar="VIỆC", required=True)
    build = config_actions.add_parser("build", parents=[common], help="lập gói cấu hình")
    build.add_argument("--to", type=Path, required=True, metavar="DIR")
    add_passphrase_options(build)
    build.set_defaults(handler=run_config_build)
    install = config_actions.add_parser("install", parents=[common], help="cài gói cấu hình")
    install.add_argument("file", type=Path, metavar="FILE")
    install.add_argument("--yes", action="store_true", help="đã đối chiếu dấu vân tay cấp trên")
    install.set_defaults(handler=run_config_install)

    receipt = subparsers.add_parser("receipt", parents=[common], help="biên nhận (.biennhan)")
    receipt_actions = receipt.add_subparsers(dest="action", metavar="VIỆC", required=True)
    rbuild = receipt_actions.add_parser("build", parents=[common], help="lập biên nhận")
    rbuild.add_argument("--to", type=Path, required=True, metavar="DIR")
    add_passphrase_options(rbuild)
    rbuild.set_defaults(handler=run_receipt_build)
    rinstall = receipt_actions.add_parser("install", parents=[common], help="nhận biên nhận")
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
        built = workspace.exchange.build_config(passphrase(args))
    path = write_atomic(folder / built.file_name, built.data, verify=True)
    out.data({"path": str(path)}, f"Đã ghi gói cấu hình {path}.")
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
            if not confirmed(args, question):
                raise CoreError("trust.not_confirmed")
        installed = workspace.exchange.install_config(package)
    out.data(
        {**describe_package(package), "own_key_listed": installed.own_key_listed},
        f"Đã cài gói cấu hình phiên bản {installed.version} của {installed.issuer}: "
        f"{installed.templates} mẫu báo cáo, {installed.units} đơn vị.",
    )
    return 0


def run_receipt_build(args: argparse.Namespace, out: Output) -> int:
    folder = _folder(args.to)
    with open_workspace(args) as workspace:
        receipts = workspace.exchange.build_receipts(passphrase(args))
    paths = [str(write_atomic(folder / r.file_name, r.data, verify=True)) for r in receipts]
    out.data(
        {"paths": paths, "path": paths[0] if paths else None},
        "\n".join(f"Đã ghi biên nhận {p}." for p in paths) or "Không có gì mới cần báo nhận.",
    )
    return 0


def run_receipt_install(args: argparse.Namespace, out: Output) -> int:
    data = _read(args.file)
    with open_workspace(args) as workspace:
        installed = workspace.exchange.install_receipt(data)
    returned = [{"id": rid, "comment": comment} for rid, comment in installed.returned]
    lines = [f"Cấp trên đã nhận {installed.acknowledged} báo cáo."]
    lines += [f"Báo cáo {rid} bị trả lại: {comment}" for rid, comment in installed.returned]
    out.data({"acknowledged": installed.acknowledged, "returned": returned}, "\n".join(lines))
    return 0
