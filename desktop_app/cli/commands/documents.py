"""Printing: the report as an official PDF or Word document, and blank forms."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from desktop_app.cli.commands._shared import open_workspace
from desktop_app.cli.output import Output, Words
from desktop_app.core.errors import CoreError
from desktop_app.core.store.files import write_atomic

PROFILE_CHOICES = ("party", "state")


def register(subparsers: Any, common: argparse.ArgumentParser, say: Words) -> None:
    pdf = subparsers.add_parser("pdf", parents=[common], help=say("cli.help.pdf"))
    pdf.add_argument("report_id", metavar="REPORT_ID", nargs="?")
    pdf.add_argument("--blank", metavar="TEMPLATE_ID", help=say("cli.help.pdf.blank"))
    pdf.add_argument("--out", type=Path, required=True, metavar="FILE")
    pdf.add_argument("--profile", choices=PROFILE_CHOICES, help=say("cli.help.pdf.profile"))
    pdf.set_defaults(handler=run_pdf)

    docx = subparsers.add_parser("docx", parents=[common], help=say("cli.help.docx"))
    docx.add_argument("report_id", metavar="REPORT_ID")
    docx.add_argument("--out", type=Path, required=True, metavar="FILE")
    docx.add_argument("--profile", choices=PROFILE_CHOICES, help=say("cli.help.pdf.profile"))
    docx.set_defaults(handler=run_docx)

    term = subparsers.add_parser("term", parents=[common], help=say("cli.help.term"))
    term.add_argument(
        "--start", type=_iso_date, metavar="YYYY-MM-DD", help=say("cli.help.term.start")
    )
    term.set_defaults(handler=run_term)


def run_pdf(args: argparse.Namespace, out: Output) -> int:
    if bool(args.report_id) == bool(args.blank):
        raise CoreError("cli.pdf_needs_one_source")
    with open_workspace(args) as workspace:
        if args.blank:
            data = workspace.documents.blank_form_pdf(args.blank)
        else:
            data = workspace.documents.report_pdf(args.report_id, args.profile)
    return _written(out, write_atomic(args.out, data))


def run_docx(args: argparse.Namespace, out: Output) -> int:
    with open_workspace(args) as workspace:
        data = workspace.documents.report_docx(args.report_id, args.profile)
    return _written(out, write_atomic(args.out, data))


def run_term(args: argparse.Namespace, out: Output) -> int:
    """Show, or with ``--start`` set, the day the Party committee's current term began."""
    with open_workspace(args) as workspace:
        if args.start is not None:
            workspace.documents.set_party_term_start(args.start)
        start = workspace.documents.party_term_start()
    shown = start.isoformat() if start else None
    human = out.say("cli.term.start", start=shown) if start else out.say("cli.term.unset")
    out.data({"party_term_start": shown}, human)
    return 0


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError as error:
        raise argparse.ArgumentTypeError(text) from error


def _written(out: Output, path: Path) -> int:
    out.data({"path": str(path)}, out.say("cli.written", path=path))
    return 0
