"""The office key and the trust list: keys …, trust …."""

from __future__ import annotations

import argparse
import base64
from pathlib import Path
from typing import Any

from desktop_app.cli.commands._secrets import (
    add_passphrase_options,
    confirmed,
    new_passphrase,
    passphrase,
)
from desktop_app.cli.commands._shared import open_workspace
from desktop_app.cli.commands.signing import register_trust_ca
from desktop_app.cli.output import Output, Words
from desktop_app.core.errors import CoreError
from desktop_app.core.store.files import write_atomic


def register(subparsers: Any, common: argparse.ArgumentParser, say: Words) -> None:
    _register_keys(subparsers, common, say)
    _register_trust(subparsers, common, say)


def _register_keys(subparsers: Any, common: argparse.ArgumentParser, say: Words) -> None:
    keys = subparsers.add_parser("keys", parents=[common], help=say("cli.help.keys"))
    actions = keys.add_subparsers(dest="action", metavar=say("cli.metavar.action"), required=True)

    create = actions.add_parser("create", parents=[common], help=say("cli.help.keys.create"))
    add_passphrase_options(create, say)
    create.set_defaults(handler=run_create)

    show = actions.add_parser("show", parents=[common], help=say("cli.help.keys.show"))
    show.set_defaults(handler=run_show)

    export = actions.add_parser(
        "export-public", parents=[common], help=say("cli.help.keys.export_public")
    )
    export.add_argument("--to", type=Path, required=True, metavar="DIR")
    export.set_defaults(handler=run_export_public)

    sheet = actions.add_parser("sheet", parents=[common], help=say("cli.help.keys.sheet"))
    sheet.add_argument("--out", type=Path, required=True, metavar="FILE")
    sheet.set_defaults(handler=run_sheet)

    passwd = actions.add_parser("passwd", parents=[common], help=say("cli.help.keys.passwd"))
    add_passphrase_options(passwd, say, new=True)
    passwd.set_defaults(handler=run_passwd)

    rotate = actions.add_parser("rotate", parents=[common], help=say("cli.help.keys.rotate"))
    add_passphrase_options(rotate, say, new=True)
    rotate.add_argument("--to", type=Path, metavar="DIR", help=say("cli.help.keys.rotate.to"))
    rotate.set_defaults(handler=run_rotate)


def _register_trust(subparsers: Any, common: argparse.ArgumentParser, say: Words) -> None:
    trust = subparsers.add_parser("trust", parents=[common], help=say("cli.help.trust"))
    actions = trust.add_subparsers(dest="action", metavar=say("cli.metavar.action"), required=True)
    add = actions.add_parser("add", parents=[common], help=say("cli.help.trust.add"))
    add.add_argument("file", type=Path, metavar="FILE")
    add.add_argument("--office", required=True, metavar="CODE")
    add.add_argument("--yes", action="store_true", help=say("cli.help.trust.add.yes"))
    add.set_defaults(handler=run_trust_add)
    listing = actions.add_parser("list", parents=[common], help=say("cli.help.trust.list"))
    listing.set_defaults(handler=run_trust_list)
    rotate_in = actions.add_parser("rotate", parents=[common], help=say("cli.help.trust.rotate"))
    rotate_in.add_argument("file", type=Path, metavar="FILE")
    rotate_in.set_defaults(handler=run_trust_rotate)
    revoke = actions.add_parser("revoke", parents=[common], help=say("cli.help.trust.revoke"))
    revoke.add_argument("key_id", metavar="KEYID")
    revoke.add_argument("--after-seq", type=int, required=True, metavar="N")
    revoke.set_defaults(handler=run_trust_revoke)
    register_trust_ca(actions, common, say)  # issue 15: the CAs PDF signatures chain to


def run_create(args: argparse.Namespace, out: Output) -> int:
    secret = passphrase(args, out.say, "cli.prompt.new_key_passphrase")
    with open_workspace(args) as workspace:
        info = workspace.keys.create(secret)
    out.data(_key_json(info), out.say("cli.keys.created", fingerprint=info.fingerprint))
    return 0


def run_show(args: argparse.Namespace, out: Output) -> int:
    with open_workspace(args) as workspace:
        info = workspace.keys.active()
    human = out.say("cli.keys.show", key_id=info.key_id, fingerprint=info.fingerprint)
    out.data(_key_json(info), human)
    return 0


def _key_json(info: Any) -> dict[str, str]:
    return {
        "keyid": info.key_id,
        "public_key": base64.b64encode(info.public_raw).decode("ascii"),
        "fingerprint": info.fingerprint,
        "created_at": info.created_at,
    }


def run_export_public(args: argparse.Namespace, out: Output) -> int:
    with open_workspace(args) as workspace:
        data = workspace.keys.public_key_file()
        name = f"KHOA_{workspace.office.code}.json"
    return _written(out, args.to, name, data)


def run_sheet(args: argparse.Namespace, out: Output) -> int:
    with open_workspace(args) as workspace:
        data = workspace.documents.enrolment_sheet_pdf()
    path = write_atomic(args.out, data)
    out.data({"path": str(path)}, out.say("cli.keys.sheet_written", path=path))
    return 0


def run_passwd(args: argparse.Namespace, out: Output) -> int:
    old = passphrase(args, out.say, "cli.prompt.current_passphrase")
    new = new_passphrase(args, out.say)
    with open_workspace(args) as workspace:
        workspace.keys.change_passphrase(old, new)
    out.data({"changed": True}, out.say("cli.keys.passphrase_changed"))
    return 0


def run_rotate(args: argparse.Namespace, out: Output) -> int:
    old = passphrase(args, out.say, "cli.prompt.current_key_passphrase")
    new = new_passphrase(args, out.say)
    with open_workspace(args) as workspace:
        info, statement = workspace.keys.rotate(old, new)
        name = f"DOIKHOA_{workspace.office.code}_{info.key_id[:12]}.json"
    if args.to:
        return _written(out, args.to, name, statement)
    out.data(_key_json(info), out.say("cli.keys.rotated", fingerprint=info.fingerprint))
    return 0


def _written(out: Output, folder: Path, name: str, data: bytes) -> int:
    if not folder.is_dir():
        raise CoreError("export.no_folder", folder=str(folder))
    path = write_atomic(folder / name, data, verify=True)
    out.data({"path": str(path)}, out.say("cli.written", path=path))
    return 0


def run_trust_add(args: argparse.Namespace, out: Output) -> int:
    try:
        data = args.file.read_bytes()
    except OSError as error:
        raise CoreError("input.unreadable", file=str(args.file), reason=error.strerror) from error
    with open_workspace(args) as workspace:
        key_file = workspace.keys.read_key_file(data)
        question = out.say(
            "cli.trust.question",
            name=key_file.office_name,
            code=key_file.office_code,
            fingerprint=key_file.fingerprint,
        )
        if not confirmed(args, out.say, question):
            raise CoreError("trust.not_confirmed")
        entry = workspace.keys.trust_unit(key_file, args.office)
    out.data(
        {"keyid": entry.key_id, "office": entry.office_code, "fingerprint": entry.fingerprint},
        out.say("cli.trust.added", name=entry.office_name),
    )
    return 0


def run_trust_rotate(args: argparse.Namespace, out: Output) -> int:
    try:
        data = args.file.read_bytes()
    except OSError as error:
        raise CoreError("input.unreadable", file=str(args.file), reason=error.strerror) from error
    with open_workspace(args) as workspace:
        entry = workspace.keys.accept_rotation(data)
    out.data(
        {"keyid": entry.key_id, "office": entry.office_code, "fingerprint": entry.fingerprint},
        out.say("cli.trust.rotated", name=entry.office_name),
    )
    return 0


def run_trust_list(args: argparse.Namespace, out: Output) -> int:
    with open_workspace(args) as workspace:
        entries = workspace.keys.trust_list()
    rows = [
        {
            "keyid": e.key_id,
            "office": e.office_code,
            "name": e.office_name,
            "role": e.role,
            "fingerprint": e.fingerprint,
            "revoked_after_seq": e.revoked_after_seq,
        }
        for e in entries
    ]
    human = "\n".join(f"{e.office_code:<12} {e.fingerprint}  {e.office_name}" for e in entries)
    out.data(rows, human or out.say("cli.trust.empty"))
    return 0


def run_trust_revoke(args: argparse.Namespace, out: Output) -> int:
    with open_workspace(args) as workspace:
        workspace.keys.revoke(args.key_id, args.after_seq)
    out.data(
        {"keyid": args.key_id, "revoked_after_seq": args.after_seq}, out.say("cli.trust.revoked")
    )
    return 0
