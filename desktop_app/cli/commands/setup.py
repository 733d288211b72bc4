"""Setting up a workspace: init, demo, backup, restore."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop_app.cli.commands._shared import open_workspace
from desktop_app.cli.output import Output
from desktop_app.core.demo import build_demo
from desktop_app.core.model.offices import BLOCKS, LEVELS, Office


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    init = subparsers.add_parser(
        "init", parents=[common], help="khai báo cơ quan cho thư mục làm việc"
    )
    init.add_argument("--office-code", required=True, help="mã cơ quan")
    init.add_argument("--office-name", required=True, help="tên cơ quan, ví dụ «Huyện ủy Đông Sơn»")
    init.add_argument("--level", required=True, choices=LEVELS, help="cấp")
    init.add_argument("--parent", metavar="CODE", help="mã cơ quan cấp trên")
    init.add_argument("--block", choices=BLOCKS, default="party", help="khối (mặc định: party)")
    init.add_argument("--abbreviation", default="", help="chữ viết tắt trong số văn bản, ví dụ HU")
    init.add_argument("--superior-name", default="", help="tên cơ quan cấp trên in trên văn bản")
    init.add_argument("--place", default="", help="địa danh in trên văn bản")
    init.set_defaults(handler=run_init)

    demo = subparsers.add_parser("demo", parents=[common], help="tạo dữ liệu mẫu để dùng thử")
    demo.set_defaults(handler=run_demo)

    backup = subparsers.add_parser("backup", parents=[common], help="sao lưu cơ sở dữ liệu")
    backup.add_argument("--to", type=Path, metavar="FILE", help="ghi bản sao lưu vào tệp này")
    backup.set_defaults(handler=run_backup)

    restore = subparsers.add_parser("restore", parents=[common], help="khôi phục từ bản sao lưu")
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
            f"Đã khai báo cơ quan {office.name} ({office.code}) tại {workspace.root}.",
        )
    return 0


def run_demo(args: argparse.Namespace, out: Output) -> int:
    with open_workspace(args) as workspace:
        report_ids = build_demo(workspace)
        out.data(
            {"workspace": str(workspace.root), "reports": report_ids},
            f"Đã tạo dữ liệu mẫu: {workspace.office.name}, {len(report_ids)} báo cáo, "
            f"tại {workspace.root}.",
        )
    return 0


def run_backup(args: argparse.Namespace, out: Output) -> int:
    with open_workspace(args) as workspace:
        path = workspace.backup(args.to)
        out.data({"path": str(path)}, f"Đã sao lưu vào {path}.")
    return 0


def run_restore(args: argparse.Namespace, out: Output) -> int:
    with open_workspace(args) as workspace:
        safety = workspace.restore(args.file)
        out.data(
            {"restored": str(args.file), "previous_saved_as": str(safety)},
            f"Đã khôi phục từ {args.file}. Dữ liệu trước đó được giữ tại {safety}.",
        )
    return 0
