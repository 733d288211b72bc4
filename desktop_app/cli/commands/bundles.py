"""Approve, export to a stick, verify and import bundles, see what was received."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from desktop_app.cli.commands._secrets import add_passphrase_options, passphrase
from desktop_app.cli.commands._shared import open_workspace
from desktop_app.cli.commands.signing import (
    add_token_options,
    recognised_signatures,
    signed_line,
    token_approval,
)
from desktop_app.cli.output import Output, Words
from desktop_app.core.errors import CoreError
from desktop_app.core.exchange.inbox import ALREADY, IMPORTED, ImportOutcome, sentence

EXIT_BAD_INPUT = 2


def register(subparsers: Any, common: argparse.ArgumentParser, say: Words) -> None:
    approve = subparsers.add_parser("approve", parents=[common], help=say("cli.help.approve"))
    approve.add_argument("report_id", metavar="REPORT_ID")
    approve.add_argument("--name", required=True, help=say("cli.help.approve.name"))
    approve.add_argument("--title", required=True, help=say("cli.help.approve.title"))
    add_passphrase_options(approve, say)
    add_token_options(approve, say)
    approve.set_defaults(handler=run_approve)

    export = subparsers.add_parser("export", parents=[common], help=say("cli.help.export"))
    export.add_argument("report_ids", nargs="+", metavar="REPORT_ID")
    export.add_argument("--to", type=Path, required=True, metavar="DIR")
    add_passphrase_options(export, say)
    export.set_defaults(handler=run_export)

    verify = subparsers.add_parser("verify", parents=[common], help=say("cli.help.verify"))
    verify.add_argument("paths", nargs="+", type=Path, metavar="FILE")
    verify.set_defaults(handler=run_verify)

    imp = subparsers.add_parser("import", parents=[common], help=say("cli.help.import"))
    imp.add_argument("paths", nargs="+", type=Path, metavar="FILE_OR_DIR")
    imp.set_defaults(handler=run_import)

    received = subparsers.add_parser("received", parents=[common], help=say("cli.help.received"))
    actions = received.add_subparsers(
        dest="action", metavar=say("cli.metavar.action"), required=True
    )
    listing = actions.add_parser("list", parents=[common], help=say("cli.help.received.list"))
    listing.add_argument("--period")
    listing.add_argument("--template", dest="template_id")
    listing.set_defaults(handler=run_received_list)

    revise = subparsers.add_parser("revise", parents=[common], help=say("cli.help.revise"))
    revise.add_argument("report_id", metavar="REPORT_ID")
    revise.set_defaults(handler=run_revise)


def run_approve(args: argparse.Namespace, out: Output) -> int:
    secret = passphrase(args, out.say)
    with open_workspace(args) as workspace:
        token = token_approval(args, out.say, workspace.signing.settings())
        number = workspace.reports.approve(args.report_id, args.name, args.title, secret, token)
        summary = workspace.reports.get(args.report_id)
    out.data(
        {
            "id": summary.id,
            "revision": summary.revision,
            "number": number,
            "approved_at": summary.approved_at,
            "pdf_signed": token is not None,
        },
        out.say("cli.approve.done", revision=summary.revision, number=f"{number:02d}"),
    )
    return 0


def run_export(args: argparse.Namespace, out: Output) -> int:
    with open_workspace(args) as workspace:
        entry = workspace.exchange.outbox_entry_for(args.report_ids)
        if entry is None:
            entry = workspace.exchange.prepare_export(args.report_ids, passphrase(args, out.say))
        path = workspace.exchange.write_export(entry, args.to)
    out.data(
        {"path": str(path), "seq": entry.seq, "sha256": entry.sha256},
        out.say("cli.export.done", path=path),
    )
    return 0


def _existing(paths: list[Path]) -> list[Path]:
    """A path that is not there at all is a typing slip, not a damaged bundle."""
    for path in paths:
        if not path.exists():
            raise CoreError("input.not_found", file=str(path))
    return paths


def run_verify(args: argparse.Namespace, out: Output) -> int:
    _existing(args.paths)
    with open_workspace(args) as workspace:
        outcomes = workspace.exchange.verify_bundles(args.paths)
    return _report(out, outcomes)


def run_import(args: argparse.Namespace, out: Output) -> int:
    def progress(done: int, total: int, name: str) -> None:
        if not out.as_json and name:
            print(f"[{done + 1}/{total}] {name}", file=sys.stderr)

    _existing(args.paths)
    with open_workspace(args) as workspace:
        outcomes = workspace.exchange.import_bundles(args.paths, progress)
    return _report(out, outcomes)


def _report(out: Output, outcomes: list[ImportOutcome]) -> int:
    rows = [_row(out, outcome) for outcome in outcomes]
    human = "\n".join(f"{r['file']}: {r['message']}" for r in rows)
    out.data(rows, human or out.say("cli.bundles.none"))
    ok = all(outcome.status in (IMPORTED, ALREADY) for outcome in outcomes)
    return 0 if ok else EXIT_BAD_INPUT


def _row(out: Output, outcome: ImportOutcome) -> dict[str, Any]:
    first_warning = outcome.warnings[0][0] if outcome.warnings else ""
    return {
        "file": outcome.file,
        "status": outcome.status,
        "code": outcome.code or first_warning,
        "message": sentence(outcome, out.lang),
    }


def run_received_list(args: argparse.Namespace, out: Output) -> int:
    with open_workspace(args) as workspace:
        reports = workspace.reports.summaries(
            origin="received", period=args.period, template_id=args.template_id
        )
        signed = {r.id: recognised_signatures(workspace, r.id, r.revision) for r in reports}
    rows = [
        r.to_json() | {"approved_at": r.approved_at, "pdf_signed_by": signed[r.id]} for r in reports
    ]
    human = "\n".join(
        f"{r.office_code:<12} {r.template_id:<22} {r.period:<8} "
        + out.say("cli.revision", revision=r.revision)
        + "".join(f"  {signed_line(out, who)}" for who in signed[r.id])
        for r in reports
    )
    out.data(rows, human or out.say("cli.received.none"))
    return 0


def run_revise(args: argparse.Namespace, out: Output) -> int:
    with open_workspace(args) as workspace:
        revision = workspace.reports.new_revision(args.report_id)
    human = out.say("cli.revise.done", revision=revision)
    out.data({"id": args.report_id, "revision": revision}, human)
    return 0
