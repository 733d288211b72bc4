"""The status page in Vietnamese: who has sent, who is late, who has not sent yet."""

from __future__ import annotations

from datetime import date
from html import escape

from desktop_app.core.catalogue import describe, message
from desktop_app.core.clock import now
from desktop_app.core.errors import CoreError
from desktop_app.core.model.offices import Office
from desktop_app.core.model.text import format_short_date
from desktop_app.core.upper.completeness import Completeness, UnitStatus

LANG = "vi"
_STYLE = """
body { font-family: "Liberation Serif", "Times New Roman", serif; margin: 2em; color: #222; }
h1 { font-size: 1.4em; } table { border-collapse: collapse; min-width: 60%; }
th, td { border: 1px solid #999; padding: .35em .7em; text-align: left; }
th { background: #eee; } .on_time { color: #17643a; } .late, .returned { color: #9a5b00; }
.missing, .conflict { color: #a11; font-weight: bold; } form { margin: 1em 0; }
"""


def default_period(today: date | None = None) -> str:
    """The quarter just ended: the one quarterly reports are being sent for."""
    today = today or now().date()
    quarter = (today.month - 1) // 3
    return f"{today.year - 1}Q4" if quarter == 0 else f"{today.year}Q{quarter}"


def status_page(
    office: Office,
    period: str,
    status: Completeness | None,
    titles: dict[str, str],
    error: CoreError | None,
) -> str:
    title = message("online.status.title", LANG, office=office.name, period=period)
    body = [f"<h1>{escape(title)}</h1>", _period_form(period)]
    if status is None:
        body.append(f"<p class='missing'>{escape(_describe(error))}</p>")
    else:
        summary = message("upper.cli.summary", LANG, **status.counts, period=period)
        body.append(f"<p>{escape(summary)}</p>")
        body.append(_table(status.units, titles))
    stamp = message("online.status.generated", LANG, at=now().strftime("%H:%M %d/%m/%Y"))
    body.append(f"<p><small>{escape(stamp)}</small></p>")
    return (
        "<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'>"
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body>{''.join(body)}</body></html>"
    )


def _period_form(period: str) -> str:
    label = escape(message("online.status.period", LANG))
    show = escape(message("online.status.show", LANG))
    return (
        f"<form method='get'><label>{label} <input name='period' value='{escape(period)}'>"
        f"</label> <button>{show}</button></form>"
    )


def _table(units: tuple[UnitStatus, ...], titles: dict[str, str]) -> str:
    headers = "".join(
        f"<th>{escape(message(f'online.status.column.{name}', LANG))}</th>"
        for name in ("unit", "template", "state", "deadline", "approved", "received")
    )
    rows = "".join(_row(unit, titles.get(unit.template_id, unit.template_id)) for unit in units)
    return f"<table><tr>{headers}</tr>{rows}</table>"


def _row(unit: UnitStatus, title: str) -> str:
    cells = (
        f"{unit.name} ({unit.code})",
        title,
        message(f"upper.state.{unit.state}", LANG),
        format_short_date(unit.deadline) if unit.deadline else "",
        _day(unit.approved_at),
        _day(unit.imported_at),
    )
    tds = "".join(f"<td>{escape(cell)}</td>" for cell in cells)
    return f"<tr class='{escape(unit.state)}'>{tds}</tr>"


def _day(stamp: str | None) -> str:
    return format_short_date(date.fromisoformat(stamp[:10])) if stamp else ""


def _describe(error: CoreError | None) -> str:
    return describe(error, LANG) if error else message("online.status.unavailable", LANG)
