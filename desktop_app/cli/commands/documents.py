"""Printing: the report as an official PDF or Word document, and blank forms."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from desktop_app.cli.commands._shared import open_workspace
from desktop_app.cli.output import Output, Words
from desktop_app.core.errors import CoreError
from desktop_app.core.reports.recipients import Recipients
from desktop_app.core.store.files import write_atomic

PROFILE_CHOICES = ("party", "state")


def register(subparsers: Any, common: argparse.ArgumentParser, say: Words) -> None:
    pdf = subparsers.add_parser("pdf", parents=[common], help=say("cli.help.pdf"))
    pdf.add_argument("report_id", metavar="REPORT_ID", nargs="?")
    pdf.add_argument("--blank", metavar="TEMPLATE_ID", help=say("cli.help.pdf.blank"))
    pdf.add_argument("--out", type=Path, required=True, metavar="FILE")
    pdf.add_argument("--profile", choices=PROFILE_CHOICES, help=say("cli.help.pdf.profile"))
    pdf.add_argument("--fresh", action="store_true", help=say("cli.help.pdf.fresh"))
    pdf.set_defaults(handler=run_pdf)

    docx = subparsers.add_parser("docx", parents=[common], help=say("cli.help.docx"))
    docx.add_argument("report_id", metavar="REPORT_ID")
    docx.add_argument("--out", type=Path, required=True, metavar="FILE")
    docx.add_argument("--profile", choices=PROFILE_CHOICES, help=say("cli.help.pdf.profile"))
    docx.set_defaults(handler=run_docx)

    recipients = subparsers.add_parser(
        "recipients", parents=[common], help=say("cli.help.recipients")
    )
    recipients.add_argument("report_id", metavar="REPORT_ID", nargs="?")
    recipients.add_argument(
        "--defaults", action="store_true", help=say("cli.help.recipients.defaults")
    )
    recipients.add_argument(
        "--to", action="append", metavar="TEXT", help=say("cli.help.recipients.to")
    )
    recipients.add_argument(
        "--copy", action="append", metavar="TEXT", help=say("cli.help.recipients.copy")
    )
    recipients.add_argument("--archive", metavar="TEXT", help=say("cli.help.recipients.archive"))
    recipients.set_defaults(handler=run_recipients)

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
            data = workspace.documents.report_pdf(args.report_id, args.profile, fresh=args.fresh)
    return _written(out, write_atomic(args.out, data))


def run_docx(args: argparse.Namespace, out: Output) -> int:
    with open_workspace(args) as workspace:
        data = workspace.documents.report_docx(args.report_id, args.profile)
    return _written(out, write_atomic(args.out, data))


def run_recipients(args: argparse.Namespace, out: Output) -> int:
    """Show a report's recipients (or the office's defaults); with --to/--copy/--archive, set
    them (refused once the report is approved)."""
    if bool(args.report_id) == bool(args.defaults):
        raise CoreError("cli.recipients_needs_one_target")
    changing = args.to is not None or args.copy is not None or args.archive is not None
    with open_workspace(args) as workspace:
        documents = workspace.documents
        current = (
            documents.default_recipients()
            if args.defaults
            else documents.recipients(args.report_id)
        )
        if changing:
            chosen = Recipients.from_json(
                {
                    "addressees": args.to if args.to is not None else list(current.addressees),
                    "copies": args.copy if args.copy is not None else list(current.copies),
                    "archive": args.archive if args.archive is not None else current.archive,
                }
            )
            if args.defaults:
                documents.set_default_recipients(chosen)
            else:
                documents.set_recipients(args.report_id, chosen)
            current = chosen
    lines = [*current.addressees, *current.copies, current.archive]
    out.data(current.to_json(), "\n".join(f"- {line}" for line in lines if line))
    return 0


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
