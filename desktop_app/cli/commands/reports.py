"""Reports: new, set, validate, ready, show, list."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop_app.cli.commands._shared import open_workspace, read_json_file
from desktop_app.cli.output import Output, Words
from desktop_app.core.errors import CoreError, phrase
from desktop_app.core.reports.records import ContentChanges
from desktop_app.core.reports.validation import Issue, computed_values, has_errors
from desktop_app.core.reports.values import to_json
from desktop_app.core.workspace import Workspace

EXIT_INVALID = 1
_SET_KEYS = {"values", "narratives", "comments"}


def register(subparsers: Any, common: argparse.ArgumentParser, say: Words) -> None:
    group = subparsers.add_parser("report", parents=[common], help=say("cli.help.report"))
    actions = group.add_subparsers(dest="action", metavar=say("cli.metavar.action"), required=True)

    new = actions.add_parser("new", parents=[common], help=say("cli.help.report.new"))
    new.add_argument("template_id", metavar="TEMPLATE_ID")
    new.add_argument("--period", required=True, help=say("cli.help.report.period"))
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


def run_new(args: argparse.Namespace, out: Output) -> int:
    with open_workspace(args) as workspace:
        report_id = workspace.reports.new(args.template_id, args.period)
    out.data({"id": report_id}, out.say("cli.report.created", id=report_id))
    return 0


def run_set(args: argparse.Namespace, out: Output) -> int:
    changes = _changes_from_file(args.from_json)
    with open_workspace(args) as workspace:
        workspace.reports.save(args.report_id, changes)
        issues = workspace.reports.validate(args.report_id)
    errors = sum(issue.severity == "error" for issue in issues)
    out.data(
        {"id": args.report_id, "errors": errors, "warnings": len(issues) - errors},
        out.say("cli.report.saved", errors=errors, warnings=len(issues) - errors),
    )
    return 0


def _changes_from_file(path: Path) -> ContentChanges:
    document = read_json_file(path)
    if not isinstance(document, dict):
        raise CoreError("input.bad_shape", file=str(path), reason=phrase("cli.input.not_object"))
    unknown = sorted(document.keys() - _SET_KEYS)
    if unknown:
        raise CoreError("input.bad_shape", file=str(path), reason=", ".join(unknown))
    parts = {key: document.get(key, {}) for key in _SET_KEYS}
    for key, part in parts.items():
        if not isinstance(part, dict):
            reason = phrase("cli.input.part_not_object", key=key)
            raise CoreError("input.bad_shape", file=str(path), reason=reason)
    return ContentChanges(**parts)


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
    with open_workspace(args) as workspace:
        out.data(report_document(workspace, args.report_id), None)
    return 0


def report_document(workspace: Workspace, report_id: str) -> dict[str, Any]:
    summary = workspace.reports.get(report_id)
    template = workspace.reports.template_of(report_id)
    content = workspace.reports.content(report_id)
    indicators = template.indicator_map
    return {
        **summary.to_json(),
        "values": {key: to_json(indicators[key], value) for key, value in content.values.items()},
        "computed": {
            key: float(value) for key, value in computed_values(template, content.values).items()
        },
        "narratives": dict(content.narratives),
        "comments": dict(content.comments),
    }


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
