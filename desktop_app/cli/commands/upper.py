"""The upper office: who has reported, the consolidated figures, the consolidated report,
returning a report for revision, and deadlines per unit."""

from __future__ import annotations

import argparse
import unicodedata
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from desktop_app.cli.commands._shared import open_workspace
from desktop_app.cli.output import Output, Words
from desktop_app.core.errors import CoreError
from desktop_app.core.model.text import format_number, format_short_date, parse_short_date
from desktop_app.core.reports.schedule import ALL_UNITS, period_of
from desktop_app.core.reports.tables import counts_text
from desktop_app.core.reports.templates import Indicator
from desktop_app.core.reports.values import display
from desktop_app.core.store.files import write_atomic
from desktop_app.core.upper.xlsx_export import completeness_workbook, consolidation_workbook

TOTAL_LABEL_WIDTH = 60


def register(subparsers: Any, common: argparse.ArgumentParser, say: Words) -> None:
    period_help = say("cli.help.upper.period")
    status = subparsers.add_parser("status", parents=[common], help=say("cli.help.status"))
    status.add_argument("--period", required=True, help=period_help)
    status.add_argument("--template", dest="template_id", metavar="TEMPLATE_ID")
    status.add_argument("--pdf", type=Path, metavar="FILE", help=say("cli.help.status.pdf"))
    status.add_argument("--xlsx", type=Path, metavar="FILE", help=say("cli.help.status.xlsx"))
    status.set_defaults(handler=run_status)

    aggregate = subparsers.add_parser("aggregate", parents=[common], help=say("cli.help.aggregate"))
    aggregate.add_argument("template_id", metavar="TEMPLATE_ID")
    aggregate.add_argument("--period", required=True, help=period_help)
    aggregate.add_argument("--xlsx", type=Path, metavar="FILE", help=say("cli.help.aggregate.xlsx"))
    aggregate.set_defaults(handler=run_aggregate)

    consolidated = subparsers.add_parser(
        "consolidate", parents=[common], help=say("cli.help.consolidate")
    )
    consolidated.add_argument("template_id", metavar="TEMPLATE_ID")
    consolidated.add_argument("--period", required=True, help=period_help)
    consolidated.set_defaults(handler=run_consolidate)

    back = subparsers.add_parser("return", parents=[common], help=say("cli.help.return"))
    back.add_argument("report_id", metavar="REPORT_ID")
    back.add_argument("--comment", required=True, help=say("cli.help.return.comment"))
    back.set_defaults(handler=run_return)

    withdraw = subparsers.add_parser("withdraw", parents=[common], help=say("cli.help.withdraw"))
    withdraw.add_argument("report_id", metavar="REPORT_ID")
    withdraw.add_argument("--reason", required=True, help=say("cli.help.withdraw.reason"))
    withdraw.set_defaults(handler=run_withdraw)

    schedule = subparsers.add_parser("schedule", parents=[common], help=say("cli.help.schedule"))
    schedule.add_argument("template_id", metavar="TEMPLATE_ID")
    schedule.add_argument("--period", required=True, help=period_help)
    schedule.add_argument("--unit", default=ALL_UNITS, help=say("cli.help.schedule.unit"))
    day = say("cli.metavar.date")
    schedule.add_argument("--cutoff", metavar=day, help=say("cli.help.schedule.cutoff"))
    schedule.add_argument("--deadline", metavar=day, help=say("cli.help.schedule.deadline"))
    schedule.set_defaults(handler=run_schedule)


def run_status(args: argparse.Namespace, out: Output) -> int:
    with open_workspace(args) as workspace:
        status = workspace.upper.completeness(args.period, args.template_id)
        registered = len(workspace.units())
        titles = {t.id: t.title for t in workspace.templates.newest()}
        pdf = workspace.upper.completeness_pdf(status, out.lang) if args.pdf else None
    written = _write(args.pdf, pdf) + _write(
        args.xlsx, completeness_workbook(status, titles) if args.xlsx else None
    )
    counts = status.counts
    lines = [f"{u.code:<14} {u.name:<40} {out.say(f'upper.state.{u.state}')}" for u in status.units]
    lines.append(out.say("upper.cli.summary", period=status.period, **counts))
    # Only the units registered here are counted: say so, or "1/1" reads as the whole province.
    lines.append(out.say("upper.cli.registered_only", count=registered))
    lines += [out.say("upper.cli.written", path=path) for path in written]
    out.data(status.to_json() | _files(written), "\n".join(lines))
    return 0


def run_aggregate(args: argparse.Namespace, out: Output) -> int:
    with open_workspace(args) as workspace:
        result = workspace.upper.consolidate(args.template_id, args.period)
    written = _write(args.xlsx, consolidation_workbook(result) if args.xlsx else None)
    payload = result.to_json()
    template = result.template
    period = period_of(template, result.period)
    human = out.say(
        "upper.cli.aggregate",
        template=template.title,
        period=period.title_vi if out.lang == "vi" else period.code,
        included=len(result.units_included),
        missing=len(result.units_missing),
    )
    indicators = template.indicator_map
    totals = "\n".join(_total_line(indicators[t.id], t.value) for t in result.totals)
    written_lines = [out.say("upper.cli.written", path=path) for path in written]
    out.data(payload | _files(written), "\n".join([human, totals, *written_lines]))
    return 0


def _total_line(indicator: Indicator, value: object) -> str:
    """«Tổng số máy tính (máy) ........ 1.234»: the label and the figure as printed."""
    label = f"{indicator.label} ({indicator.unit})" if indicator.unit else indicator.label
    return f"{_fit(label, TOTAL_LABEL_WIDTH)}  {_figure(indicator, value)}"


def _figure(indicator: Indicator, value: object) -> str:
    """A total the Vietnamese way; a mean (a float) with at most two decimals; counts per
    choice by label ("Xanh: 2; Vàng: 1; Đỏ: 0"); — for none."""
    if value is None:
        return "—"
    if isinstance(value, Mapping):
        return counts_text(indicator.choices, value)
    if isinstance(value, float):
        value = Decimal(str(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return format_number(value)
    if isinstance(value, Decimal | bool | date | str):
        return display(indicator, value) or "—"
    return str(value)


def _fit(text: str, width: int) -> str:
    return text.ljust(width) if len(text) <= width else text[: width - 1] + "…"


def run_consolidate(args: argparse.Namespace, out: Output) -> int:
    with open_workspace(args) as workspace:
        result = workspace.upper.consolidate(args.template_id, args.period)
        report_id = workspace.upper.create_consolidated_report(
            args.template_id, args.period, result=result
        )
        units = len(result.units_included)
    out.data(
        {"id": report_id, "units": units},
        f"{report_id}\n{out.say('upper.cli.consolidated', units=units)}",
    )
    return 0


def run_withdraw(args: argparse.Namespace, out: Output) -> int:
    with open_workspace(args) as workspace:
        revision = workspace.upper.withdraw(args.report_id, args.reason)
    out.data(
        {"id": args.report_id, "revision": revision, "state": "withdrawn"},
        out.say("upper.cli.withdrawn", revision=revision),
    )
    return 0


def run_return(args: argparse.Namespace, out: Output) -> int:
    with open_workspace(args) as workspace:
        revision = workspace.upper.return_report(args.report_id, args.comment)
    out.data(
        {"id": args.report_id, "revision": revision, "state": "returned"},
        out.say("upper.cli.returned", revision=revision),
    )
    return 0


def run_schedule(args: argparse.Namespace, out: Output) -> int:
    cutoff, deadline = _date(args.cutoff), _date(args.deadline)
    with open_workspace(args) as workspace:
        due = workspace.upper.set_override(
            args.template_id, args.period, args.unit, cutoff, deadline
        )
    payload = {
        "template_id": args.template_id,
        "period": args.period,
        "unit": args.unit,
        "cutoff": due.cutoff.isoformat() if due.cutoff else None,
        "deadline": due.deadline.isoformat() if due.deadline else None,
    }
    human = out.say(
        "upper.cli.schedule",
        template=args.template_id,
        period=args.period,
        unit=args.unit,
        cutoff=format_short_date(due.cutoff) if due.cutoff else "-",
        deadline=format_short_date(due.deadline) if due.deadline else "-",
    )
    out.data(payload, human)
    return 0


def _date(text: str | None) -> date | None:
    """dd/mm/yyyy as written in Vietnam, or ISO yyyy-mm-dd as scripts write it."""
    if text is None:
        return None
    cleaned = unicodedata.normalize("NFC", text).strip()
    try:
        return date.fromisoformat(cleaned)
    except ValueError:
        pass
    try:
        return parse_short_date(cleaned)
    except ValueError as error:
        raise CoreError("upper.bad_date", text=text) from error


def _write(path: Path | None, data: bytes | None) -> list[Path]:
    if path is None or data is None:
        return []
    return [write_atomic(path, data)]


def _files(written: list[Path]) -> dict[str, Any]:
    return {"files": [str(path) for path in written]} if written else {}
