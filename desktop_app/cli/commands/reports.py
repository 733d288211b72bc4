"""Reports: new, set, validate, ready, show, list, due; attach, attachments, detach."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from desktop_app.cli.commands._shared import open_workspace, read_json_file
from desktop_app.cli.output import Output, Words
from desktop_app.core.model import media
from desktop_app.core.model.text import format_short_date, parse_short_date
from desktop_app.core.reports.records import document_changes, report_document
from desktop_app.core.reports.schedule import DueItem
from desktop_app.core.reports.validation import Issue, has_errors

EXIT_INVALID = 1


def register(subparsers: Any, common: argparse.ArgumentParser, say: Words) -> None:
    group = subparsers.add_parser("report", parents=[common], help=say("cli.help.report"))
    actions = group.add_subparsers(dest="action", metavar=say("cli.metavar.action"), required=True)

    new = actions.add_parser("new", parents=[common], help=say("cli.help.report.new"))
    new.add_argument("template_id", metavar="TEMPLATE_ID")
    new.add_argument("--period", required=True, help=say("cli.help.report.period"))
    new.add_argument("--history", action="store_true", help=say("cli.help.report.history"))
    new.set_defaults(handler=run_new)

    set_ = actions.add_parser("set", parents=[common], help=say("cli.help.report.set"))
    set_.add_argument("report_id", metavar="ID")
    set_.add_argument("--from-json", type=Path, required=True, metavar="FILE")
    set_.set_defaults(handler=run_set)

    for name, handler in (("validate", run_validate), ("ready", run_ready), ("show", run_show)):
        action = actions.add_parser(name, parents=[common], help=say(f"cli.help.report.{name}"))
        action.add_argument("report_id", metavar="ID")
        action.set_defaults(handler=handler)

    listing = actions.add_parser("list", parents=[common], help=say("cli.help.report.list"))
    listing.add_argument("--template", dest="template_id")
    listing.add_argument("--period")
    listing.add_argument("--status")
    listing.set_defaults(handler=run_list)

    due = actions.add_parser("due", parents=[common], help=say("cli.help.report.due"))
    due.add_argument(
        "--on", type=_day, metavar=say("cli.metavar.date"), help=say("cli.help.report.due_on")
    )
    due.set_defaults(handler=run_due)

    attach = actions.add_parser("attach", parents=[common], help=say("cli.help.report.attach"))
    attach.add_argument("report_id", metavar="ID")
    attach.add_argument("file", type=Path, metavar="FILE")
    attach.set_defaults(handler=run_attach)

    listed = actions.add_parser(
        "attachments", parents=[common], help=say("cli.help.report.attachments")
    )
    listed.add_argument("report_id", metavar="ID")
    listed.set_defaults(handler=run_attachments)

    detach = actions.add_parser("detach", parents=[common], help=say("cli.help.report.detach"))
    detach.add_argument("report_id", metavar="ID")
    detach.add_argument("sha256", metavar="SHA256-PREFIX")
    detach.set_defaults(handler=run_detach)


def run_new(args: argparse.Namespace, out: Output) -> int:
    with open_workspace(args) as workspace:
        report_id = workspace.reports.new(args.template_id, args.period, allow_history=args.history)
    out.data({"id": report_id}, out.say("cli.report.created", id=report_id))
    return 0


def run_set(args: argparse.Namespace, out: Output) -> int:
    with open_workspace(args) as workspace:
        summary = workspace.reports.get(args.report_id)
        changes = document_changes(read_json_file(args.from_json), summary, str(args.from_json))
        workspace.reports.save(args.report_id, changes)
        issues = workspace.reports.validate(args.report_id)
    errors = sum(issue.severity == "error" for issue in issues)
    out.data(
        {"id": args.report_id, "errors": errors, "warnings": len(issues) - errors},
        out.say("cli.report.saved", errors=errors, warnings=len(issues) - errors),
    )
    return 0


def run_validate(args: argparse.Namespace, out: Output) -> int:
    with open_workspace(args) as workspace:
        issues = workspace.reports.validate(args.report_id)
    return _print_issues(out, issues)


def run_ready(args: argparse.Namespace, out: Output) -> int:
    with open_workspace(args) as workspace:
        issues = workspace.reports.mark_ready(args.report_id)
    code = _print_issues(out, issues)
    if code == 0:
        out.line(out.say("cli.report.ready"))
    return code


def _print_issues(out: Output, issues: list[Issue]) -> int:
    described = [out.issue(issue) for issue in issues]
    human = "\n".join(
        f"{out.say('severity.' + d['severity'])}: {d['message']} ({d['field']})" for d in described
    )
    out.data(
        {"ok": not has_errors(issues), "issues": described}, human or out.say("report.no_issues")
    )
    return EXIT_INVALID if has_errors(issues) else 0


def run_show(args: argparse.Namespace, out: Output) -> int:
    """The report as one JSON document; ``report set --from-json`` takes it back."""
    with open_workspace(args) as workspace:
        document = report_document(
            workspace.reports.get(args.report_id),
            workspace.reports.template_of(args.report_id),
            workspace.reports.content(args.report_id),
        )
    out.data(document, None)
    return 0


def run_list(args: argparse.Namespace, out: Output) -> int:
    with open_workspace(args) as workspace:
        reports = workspace.reports.summaries(
            template_id=args.template_id, period=args.period, status=args.status
        )
    rows = [r.to_json() for r in reports]
    human = "\n".join(
        f"{r.id}  {r.template_id:<22} {r.period:<8} {r.status:<9} "
        + out.say("cli.revision", revision=r.revision)
        for r in reports
    )
    out.data(rows, human or out.say("cli.report.none"))
    return 0


def run_due(args: argparse.Namespace, out: Output) -> int:
    """What the home page lists: each report owed now, with its dates as core resolves them."""
    today = args.on or date.today()
    with open_workspace(args) as workspace:
        items = workspace.reports.due(today)
    rows = [_due_json(item) for item in items]
    human = "\n".join(
        f"{item.template_id:<22} {item.period.code:<8} {_short(item.cutoff)} "
        f"{_short(item.deadline)} {item.status or '-'}"
        for item in items
    )
    out.data(rows, human or out.say("report.nothing_due"))
    return 0


def _due_json(item: DueItem) -> dict[str, Any]:
    return {
        "template_id": item.template_id,
        "template_title": item.template_title,
        "period": item.period.code,
        "cutoff": item.cutoff.isoformat() if item.cutoff else None,
        "deadline": item.deadline.isoformat() if item.deadline else None,
        "days_left": item.days_left,
        "report_id": item.report_id,
        "status": item.status,
    }


def _short(day: date | None) -> str:
    return format_short_date(day) if day else "-"


def _day(text: str) -> date:
    """dd/mm/yyyy as written in Vietnam, or ISO yyyy-mm-dd as scripts write it."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        pass
    try:
        return parse_short_date(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(text) from error


def run_attach(args: argparse.Namespace, out: Output) -> int:
    with open_workspace(args) as workspace:
        attachment = workspace.reports.attach(args.report_id, args.file)
    human = out.say(
        "cli.report.attached",
        name=attachment.name,
        size=media.size_text(attachment.size),
        sha256=attachment.sha256[:12],
    )
    out.data(attachment.to_json(), human)
    return 0


def run_attachments(args: argparse.Namespace, out: Output) -> int:
    with open_workspace(args) as workspace:
        attachments = workspace.reports.attachments(args.report_id)
    human = "\n".join(
        f"{a.sha256[:12]}  {media.KIND_NAMES[a.media_type]:<9} "
        f"{media.size_text(a.size):>9}  {a.name}"
        for a in attachments
    )
    out.data([a.to_json() for a in attachments], human or out.say("cli.report.no_attachments"))
    return 0


def run_detach(args: argparse.Namespace, out: Output) -> int:
    with open_workspace(args) as workspace:
        attachment = workspace.reports.detach(args.report_id, args.sha256)
    out.data(attachment.to_json(), out.say("cli.report.detached", name=attachment.name))
    return 0
