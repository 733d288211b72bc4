"""Consolidation: one total per indicator across units, by the indicator's aggregation rule.

Ratios are recomputed as the ratio of the summed numerator and denominator — never the mean
of the units' percentages, which would weigh a ward of 10 computers like one of 1,000; a
weighted mean (format 2) is Σ value × weight / Σ weight over the units that gave both. A
choice counted by choice (format 2) totals to how many units chose each value, every value
listed, zeros included. A unit that did not report is listed as missing and never counted as
zero; a unit that left one figure empty is simply not part of that figure's total.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from desktop_app.core.reports.tables import Choice, counts_text
from desktop_app.core.reports.templates import Indicator, Template
from desktop_app.core.reports.validation import evaluation_values
from desktop_app.core.reports.values import typed

ChoiceCounts = Mapping[str, int]  # choice value → units that chose it, in the template's order
__all__ = ["counts_text"]  # re-exported: printed documents read it from ``tables``
Total = Decimal | int | date | ChoiceCounts | None


@dataclass(frozen=True)
class IndicatorTotal:
    id: str
    aggregation: str
    value: Total
    by_unit: Mapping[str, object]

    @property
    def units_counted(self) -> int:
        return sum(value is not None for value in self.by_unit.values())


def unit_figures(template: Template, values: Mapping[str, str | None]) -> dict[str, object]:
    """One unit's figures as aggregation reads them: typed entries plus computed values."""
    evaluated = evaluation_values(template, values)
    figures: dict[str, object] = {}
    for indicator in template.indicators:
        if indicator.is_computed:
            figures[indicator.id] = evaluated.get(indicator.id)
        else:
            figures[indicator.id] = typed(indicator, values.get(indicator.id))
    return figures


def aggregate(
    template: Template, units: Mapping[str, Mapping[str, str | None]]
) -> list[IndicatorTotal]:
    """Totals for every indicator over ``units`` (unit code → stored values)."""
    figures = {code: unit_figures(template, values) for code, values in sorted(units.items())}
    return [_total(template, indicator, figures) for indicator in template.indicators]


def _total(
    template: Template, indicator: Indicator, figures: Mapping[str, Mapping[str, object]]
) -> IndicatorTotal:
    by_unit = {code: unit.get(indicator.id) for code, unit in figures.items()}
    present = [value for value in by_unit.values() if value is not None]
    value = _combine(indicator, present, figures)
    return IndicatorTotal(indicator.id, indicator.aggregation, value, by_unit)


def _combine(
    indicator: Indicator, present: list[object], figures: Mapping[str, Mapping[str, object]]
) -> Total:
    rule = indicator.aggregation
    if rule == "count_yes":
        return sum(value is True for value in present)
    if rule == "count_by_choice":
        return choice_counts(indicator.choices, present)
    if rule == "ratio":
        return _ratio_of_sums(indicator, figures)
    if rule == "weighted_mean":
        assert indicator.weight is not None
        weight = indicator.weight
        return weighted_mean(
            (unit.get(indicator.id), unit.get(weight)) for unit in figures.values()
        )
    if rule == "none" or not present:
        return None
    if rule in ("min", "max"):
        comparable = [v for v in present if isinstance(v, Decimal | date)]
        return (min if rule == "min" else max)(comparable) if comparable else None
    numbers = [v for v in present if isinstance(v, Decimal)]
    if not numbers:
        return None
    if rule == "sum":
        return sum(numbers, Decimal(0))
    return sum(numbers, Decimal(0)) / len(numbers)  # mean


def _ratio_of_sums(indicator: Indicator, figures: Mapping[str, Mapping[str, object]]) -> Total:
    """Sum numerator and denominator over the units that gave both, then divide."""
    assert indicator.ratio is not None
    numerator = denominator = Decimal(0)
    counted = 0
    for unit in figures.values():
        top, bottom = unit.get(indicator.ratio.numerator), unit.get(indicator.ratio.denominator)
        if isinstance(top, Decimal) and isinstance(bottom, Decimal):
            numerator += top
            denominator += bottom
            counted += 1
    if not counted or denominator == 0:
        return None
    return numerator / denominator * indicator.ratio.scale


def choice_counts(choices: Sequence[Choice], answers: Iterable[object]) -> dict[str, int]:
    """How many of ``answers`` chose each value: every choice, zeros included, in order."""
    counts = Counter(answer for answer in answers if isinstance(answer, str))
    return {choice.value: counts[choice.value] for choice in choices}


def weighted_pairs(pairs: Iterable[tuple[object, object]]) -> list[tuple[Decimal, Decimal]]:
    """The (value, weight) pairs where the unit gave both as numbers (a bool is not one)."""
    return [
        (Decimal(value), Decimal(weight))  # type: ignore[arg-type]
        for value, weight in pairs
        if _is_figure(value) and _is_figure(weight)
    ]


def weighted_mean(pairs: Iterable[tuple[object, object]]) -> Decimal | None:
    """Σ value × weight / Σ weight over the units that gave both; None when no unit did or
    the weights add up to zero (a unit weighing zero adds nothing either way)."""
    usable = weighted_pairs(pairs)
    weights = sum((weight for _, weight in usable), Decimal(0))
    if not usable or weights == 0:
        return None
    return sum((value * weight for value, weight in usable), Decimal(0)) / weights


def _is_figure(value: object) -> bool:
    return isinstance(value, Decimal | int) and not isinstance(value, bool)
