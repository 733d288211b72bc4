"""Checking a report against its template: required values, ranges, cross-field rules.

Pure functions over the template and the stored values, so the window, the CLI, approval and
the upper office's import all judge a report the same way.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from desktop_app.core.model.expressions import Value
from desktop_app.core.reports.table_values import check_grid, check_list
from desktop_app.core.reports.templates import CHOICE_FLAG, Indicator, Section, Template
from desktop_app.core.reports.values import typed

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Issue:
    severity: str
    code: str
    field: str
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class ReportContent:
    """What a clerk has entered for one revision (stored canonical texts)."""

    values: Mapping[str, str | None]
    narratives: Mapping[str, str]
    comments: Mapping[str, str]
    # Format 2: {grid id: {row id: {column id: text}}} and {list id: [{column id: text}]}.
    grids: Mapping[str, Mapping[str, Mapping[str, str]]] = dataclasses.field(default_factory=dict)
    lists: Mapping[str, list[dict[str, str]]] = dataclasses.field(default_factory=dict)
    # The revision's attachments, SHA-256 → name: what an attachment cell may name.
    attachments: Mapping[str, str] = dataclasses.field(default_factory=dict)


def evaluation_values(template: Template, values: Mapping[str, str | None]) -> dict[str, Value]:
    """Entered values typed for expressions, plus every computed indicator, in formula order."""
    result: dict[str, Value] = {}
    for indicator in template.indicators:
        value = typed(indicator, values.get(indicator.id))
        if isinstance(value, Decimal | bool):
            result[indicator.id] = value
    for indicator in template.computed_order:
        assert indicator.formula is not None
        computed = indicator.formula.evaluate(result)
        result[indicator.id] = computed if isinstance(computed, Decimal) else None
    return result


def computed_values(template: Template, values: Mapping[str, str | None]) -> dict[str, Decimal]:
    everything = evaluation_values(template, values)
    return {
        i.id: value
        for i in template.computed_order
        if isinstance(value := everything.get(i.id), Decimal)
    }


def validate(template: Template, content: ReportContent) -> list[Issue]:
    issues: list[Issue] = []
    evaluated = evaluation_values(template, content.values)
    for indicator in template.indicators:
        issues.extend(_check_indicator(indicator, content, evaluated))
    readable = rule_values(template, content.values, evaluated)
    for rule in template.rules:
        if rule.expression.evaluate(readable) is False:
            params = {"rule": rule.id, "message": rule.message}
            issues.append(Issue(rule.severity, "rule.violated", rule.id, params))
    shown = shown_sections(template, content.values)
    for _, section in template.walk_sections():
        if (
            section.id in shown
            and section.narrative
            and section.required
            and not content.narratives.get(section.id, "").strip()
        ):
            issues.append(Issue(ERROR, "narrative.required", section.id, {"title": section.title}))
    for grid in template.grids:
        found = check_grid(grid, content.grids.get(grid.id, {}))
        issues += [Issue(i.severity, i.code, i.field, i.params) for i in found]
    for task_list in template.lists:
        found = check_list(task_list, content.lists.get(task_list.id, []), content.attachments)
        issues += [Issue(i.severity, i.code, i.field, i.params) for i in found]
    return issues


def shown_sections(template: Template, values: Mapping[str, str | None]) -> set[str]:
    """Ids of the sections shown for these values: a section whose ``show_when`` does not hold
    is hidden with everything under it (and its required text is not asked for)."""
    shown: set[str] = set()

    def visit(sections: tuple[Section, ...]) -> None:
        for section in sections:
            condition = section.show_when
            if condition is None or values.get(condition.indicator) in condition.values:
                shown.add(section.id)
                visit(section.sections)

    visit(template.sections)
    return shown


def rule_values(
    template: Template, values: Mapping[str, str | None], evaluated: Mapping[str, Value]
) -> Mapping[str, Value]:
    """What rules read: the figures, and in format 2 also dates as day numbers (so that
    ``ngay_hoan_thanh <= ngay_het_han`` and differences in days work) and a yes/no flag per
    choice value (``danh_gia_tien_do__do``), empty while the choice is."""
    if template.format_version != 2:
        return evaluated
    readable = dict(evaluated)
    for indicator in template.indicators:
        stored = values.get(indicator.id)
        if indicator.type == "date" and stored is not None:
            readable[indicator.id] = Decimal(date.fromisoformat(stored).toordinal())
        for choice in indicator.choices:
            flag = None if stored is None else stored == choice.value
            readable[f"{indicator.id}{CHOICE_FLAG}{choice.value}"] = flag
    return readable


def has_errors(issues: list[Issue]) -> bool:
    return any(issue.severity == ERROR for issue in issues)


def _check_indicator(
    indicator: Indicator, content: ReportContent, evaluated: Mapping[str, Value]
) -> list[Issue]:
    label = {"label": indicator.label}
    if indicator.is_computed:
        value = evaluated.get(indicator.id)
        return _check_range(indicator, value) if isinstance(value, Decimal) else []
    stored = content.values.get(indicator.id)
    if stored is None:
        if not indicator.required:
            return []
        if content.comments.get(indicator.id, "").strip():
            return [Issue(WARNING, "value.missing_explained", indicator.id, label)]
        return [Issue(ERROR, "value.required", indicator.id, label)]
    if indicator.is_numeric:
        number = typed(indicator, stored)
        assert isinstance(number, Decimal)
        return _check_range(indicator, number)
    return []


def _check_range(indicator: Indicator, number: Decimal) -> list[Issue]:
    minimum = indicator.minimum
    if minimum is None and indicator.type == "integer":
        minimum = Decimal(0)
    params = {"label": indicator.label, "value": number}
    if minimum is not None and number < minimum:
        return [Issue(ERROR, "value.below_min", indicator.id, {**params, "limit": minimum})]
    if indicator.maximum is not None and number > indicator.maximum:
        return [
            Issue(ERROR, "value.above_max", indicator.id, {**params, "limit": indicator.maximum})
        ]
    return []
