"""Sentences and cell texts for the editor, all from the catalogue and the core's formats."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from desktop_app.core.catalogue import message
from desktop_app.core.errors import CoreError
from desktop_app.core.model.text import format_number, format_short_date
from desktop_app.core.reports.tables import Column
from desktop_app.core.reports.templates import Indicator, Template
from desktop_app.core.reports.validation import Issue
from desktop_app.core.reports.values import ValueRefused, typed


def describe(issue: Issue, template: Template, lang: str) -> str:
    """The sentence for a validation issue, figures written the Vietnamese way."""
    return message(issue.code, lang, **_readable(issue.params, template))


def describe_refusal(error: ValueRefused | CoreError, template: Template, lang: str) -> str:
    """Why typed input was refused, naming the indicator by its label, not its id."""
    reason = message(error.code, lang, **_readable(error.params, template))
    return message("editor.refused", lang, reason=reason)


def _readable(params: Mapping[str, Any], template: Template) -> dict[str, Any]:
    readable = {key: _readable_value(value) for key, value in params.items()}
    field = params.get("field")
    if isinstance(field, str) and field in template.indicator_map:
        readable["field"] = template.indicator(field).label
    return readable


def _readable_value(value: Any) -> Any:
    if isinstance(value, Decimal) and value.is_finite():
        return format_number(value)
    return value


def stored_text(indicator: Indicator, stored: str | None, lang: str) -> str:
    """A stored canonical value as the clerk reads and types it."""
    value = typed(indicator, stored)
    if value is None:
        return ""
    if isinstance(value, bool):
        return message("editor.yes" if value else "editor.no", lang)
    if isinstance(value, Decimal):
        return format_number(value)
    if isinstance(value, date):
        return format_short_date(value)
    if indicator.type == "choice":
        return next((c.label for c in indicator.choices if c.value == value), value)
    return value


def computed_text(indicator: Indicator, value: Decimal | None) -> str:
    if value is None:
        return ""
    return format_number(value, indicator.decimals)


def choice_texts(field: Indicator | Column, lang: str) -> list[str]:
    """What a combo box offers for yes/no and choice indicators or list columns; "" clears the
    value."""
    if field.type == "yesno":
        return ["", message("editor.yes", lang), message("editor.no", lang)]
    return ["", *(c.label for c in field.choices)]


def status_text(status: str, lang: str) -> str:
    return message(f"editor.status.{status}", lang)
