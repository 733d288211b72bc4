"""``baocao gui``: open the windows. Qt is imported only when this command runs, so every other
command keeps working on a computer (or a server) without it."""

from __future__ import annotations

import argparse
import importlib
from pathlib import Path
from typing import Any

from desktop_app.cli.output import Output
from desktop_app.core.paths import workspace_dir

PAGES = ("home", "list")


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    gui = subparsers.add_parser("gui", parents=[common], help="mở cửa sổ ứng dụng")
    gui.add_argument("--demo", action="store_true", help="tạo dữ liệu mẫu trước khi mở")
    gui.add_argument(
        "--screenshot", type=Path, metavar="FILE", help="chụp cửa sổ vào tệp PNG rồi thoát"
    )
    gui.add_argument("--open", dest="open_report", metavar="REPORT_ID", help="mở ngay báo cáo này")
    gui.add_argument(
        "--page", choices=PAGES, default="home", help="trang hiện ra đầu tiên (home, list)"
    )
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
        out.data({"screenshot": str(args.screenshot)}, f"Đã chụp cửa sổ vào {args.screenshot}.")
    return code
