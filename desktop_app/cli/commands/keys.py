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
from desktop_app.cli.output import Output
from desktop_app.core.errors import CoreError
from desktop_app.core.store.files import write_atomic


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    keys = subparsers.add_parser("keys", parents=[common], help="khóa ký của đơn vị")
    actions = keys.add_subparsers(dest="action", metavar="VIỆC", required=True)

    create = actions.add_parser("create", parents=[common], help="tạo khóa ký")
    add_passphrase_options(create)
    create.set_defaults(handler=run_create)

    show = actions.add_parser("show", parents=[common], help="xem mã khóa và dấu vân tay")
    show.set_defaults(handler=run_show)

    export = actions.add_parser("export-public", parents=[common], help="xuất tệp khóa công khai")
    export.add_argument("--to", type=Path, required=True, metavar="DIR")
    export.set_defaults(handler=run_export_public)

    sheet = actions.add_parser("sheet", parents=[common], help="in phiếu đăng ký khóa (PDF)")
    sheet.add_argument("--out", type=Path, required=True, metavar="FILE")
    sheet.set_defaults(handler=run_sheet)

    passwd = actions.add_parser("passwd", parents=[common], help="đổi mật khẩu khóa")
    add_passphrase_options(passwd, new=True)
    passwd.set_defaults(handler=run_passwd)

    rotate = actions.add_parser("rotate", parents=[common], help="thay khóa mới")
    add_passphrase_options(rotate, new=True)
    rotate.add_argument("--to", type=Path, metavar="DIR", help="ghi văn bản đổi khóa vào thư mục")
    rotate.set_defaults(handler=run_rotate)

    trust = subparsers.add_parser("trust", parents=[common], help="danh sách khóa tin cậy")
    trust_actions = trust.add_subparsers(dest="action", metavar="VIỆC", required=True)
    add = trust_actions.add_parser("add", parents=[common], help="thêm khóa của đơn vị cấp dưới")
    add.add_argument("file", type=Path, metavar="FILE")
    add.add_argument("--office", required=True, metavar="CODE")
    add.add_argument("--yes", action="store_true", help="đã đối chiếu dấu vân tay với phiếu giấy")
    add.set_defaults(handler=run_trust_add)
    listing = trust_actions.add_parser("list", parents=[common], help="liệt kê khóa tin cậy")
    listing.set_defaults(handler=run_trust_list)
    rotate_in = trust_actions.add_parser(
        "rotate", parents=[common], help="nhận văn bản đổi khóa của đơn vị cấp dưới"
    )
    rotate_in.add_argument("file", type=Path, metavar="FILE")
    rotate_in.set_defaults(handler=run_trust_rotate)
    revoke = trust_actions.add_parser("revoke", parents=[common], help="thu hồi khóa")
    revoke.add_argument("key_id", metavar="KEYID")
    revoke.add_argument("--after-seq", type=int, required=True, metavar="N")
    revoke.set_defaults(handler=run_trust_revoke)


def run_create(args: argparse.Namespace, out: Output) -> int:
    secret = passphrase(args, "Mật khẩu cho khóa mới (chỉ lãnh đạo biết): ")
    with open_workspace(args) as workspace:
        info = workspace.keys.create(secret)
    out.data(_key_json(info), f"Đã tạo khóa. Dấu vân tay: {info.fingerprint}")
    return 0


def run_show(args: argparse.Namespace, out: Output) -> int:
    with open_workspace(args) as workspace:
        info = workspace.keys.active()
    out.data(_key_json(info), f"Mã khóa: {info.key_id}\nDấu vân tay: {info.fingerprint}")
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
    out.data({"path": str(path)}, f"Đã ghi phiếu đăng ký khóa: {path}")
    return 0


def run_passwd(args: argparse.Namespace, out: Output) -> int:
    old = passphrase(args, "Mật khẩu hiện tại: ")
    new = new_passphrase(args)
    with open_workspace(args) as workspace:
        workspace.keys.change_passphrase(old, new)
    out.data({"changed": True}, "Đã đổi mật khẩu khóa ký.")
    return 0


def run_rotate(args: argparse.Namespace, out: Output) -> int:
    old = passphrase(args, "Mật khẩu khóa hiện tại: ")
    new = new_passphrase(args)
    with open_workspace(args) as workspace:
        info, statement = workspace.keys.rotate(old, new)
        name = f"DOIKHOA_{workspace.office.code}_{info.key_id[:12]}.json"
    if args.to:
        return _written(out, args.to, name, statement)
    out.data(_key_json(info), f"Đã thay khóa. Dấu vân tay mới: {info.fingerprint}")
    return 0


def _written(out: Output, folder: Path, name: str, data: bytes) -> int:
    if not folder.is_dir():
        raise CoreError("export.no_folder", folder=str(folder))
    path = write_atomic(folder / name, data, verify=True)
    out.data({"path": str(path)}, f"Đã ghi {path}")
    return 0


def run_trust_add(args: argparse.Namespace, out: Output) -> int:
    try:
        data = args.file.read_bytes()
    except OSError as error:
        raise CoreError("input.unreadable", file=str(args.file), reason=error.strerror) from error
    with open_workspace(args) as workspace:
        key_file = workspace.keys.read_key_file(data)
        question = (
            f"Khóa của {key_file.office_name} ({key_file.office_code}), dấu vân tay:\n"
            f"  {key_file.fingerprint}\nCó khớp với phiếu đăng ký khóa bản giấy không?"
        )
        if not confirmed(args, question):
            raise CoreError("trust.not_confirmed")
        entry = workspace.keys.trust_unit(key_file, args.office)
    out.data(
        {"keyid": entry.key_id, "office": entry.office_code, "fingerprint": entry.fingerprint},
        f"Đã thêm khóa của {entry.office_name} vào danh sách tin cậy.",
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
        f"Đã nhận khóa mới của {entry.office_name}; khóa cũ hết hiệu lực sau gói trước đó.",
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
    out.data(rows, human or "Danh sách khóa tin cậy đang trống.")
    return 0


def run_trust_revoke(args: argparse.Namespace, out: Output) -> int:
    with open_workspace(args) as workspace:
        workspace.keys.revoke(args.key_id, args.after_seq)
    out.data({"keyid": args.key_id, "revoked_after_seq": args.after_seq}, "Đã thu hồi khóa.")
    return 0
