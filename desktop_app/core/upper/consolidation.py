"""Consolidation at the upper office: the units' figures combined, and this office's own report
built on them (DESIGN §2 "tổng hợp").

What counts: for each unit, the newest received revision of its report for the template and
period, if that revision is accepted. A returned revision counts for nothing until its
replacement arrives; a unit with nothing counted is listed as missing, never added as zero.
Figures are read with the newest installed version of the template; an indicator a unit's
version did not have is simply absent for that unit.

Totals follow ``aggregation.aggregate`` exactly (sum, min, max, mean, ratio of sums, count_yes,
none; in format 2 also weighted_mean and count_by_choice); the test suite holds the two to
the same results. They are not computed by calling it: ``aggregate`` builds a dictionary per
unit and takes about five times as long as SQLite summing the same values, so here the figures
are loaded with one query and combined column by column (``bench/bench_consolidation.py``:
10,000 reports × 200 indicators).

The consolidated report is an ordinary local report of the same template and period, its
entered indicators prefilled with the totals (computed ones recompute from them, so a ratio is
again the ratio of sums; a weighted mean is prefilled like a mean). Each total is also kept in
``consolidation_sources`` with the number of units behind it, so the original figure stays
visible beside a later edit. A choice counted by choice cannot be prefilled (the report's own
field holds one answer): its counts are kept there instead, one row per value named
``<indicator>__<value>`` (the name a rule reads the choice's flag by), for the report's
window and its printed tables to show.
"""

from __future__ import annotations

import operator
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import repeat
from typing import Any

from sqlite_utils import Database

from desktop_app.core.clock import timestamp
from desktop_app.core.errors import CoreError
from desktop_app.core.model import offices
from desktop_app.core.model.expressions import (
    FUNCTIONS,
    Binary,
    Call,
    Name,
    Node,
    Number,
    Unary,
    Value,
    apply_binary,
    apply_unary,
)
from desktop_app.core.reports import table_records
from desktop_app.core.reports.installed import InstalledTemplates
from desktop_app.core.reports.records import ContentChanges, audit, create_report, save_content
from desktop_app.core.reports.schedule import obligations, period_of, unit_due_dates
from desktop_app.core.reports.table_values import cell_field
from desktop_app.core.reports.tables import Choice
from desktop_app.core.reports.templates import Indicator, Template
from desktop_app.core.reports.values import decimal_text, figure_json
from desktop_app.core.store.database import write_transaction
from desktop_app.core.upper.aggregation import (
    IndicatorTotal,
    Total,
    choice_counts,
    weighted_mean,
    weighted_pairs,
)
from desktop_app.core.upper.completeness import latest_received
from desktop_app.core.upper.table_consolidation import (
    CumulativeMismatch,
    GridTotals,
    ListTotals,
    check_cumulatives,
    consolidate_grids,
    consolidate_lists,
    grid_prefill,
    prefill_number,
)

Figure = int | Decimal | bool | date | str
Column = list[Figure | None]  # one indicator's figures, one per unit of ``Columns.units``
_INTEGRAL_RULES = frozenset({"sum", "min", "max", "none"})
# Counts are not the indicator's own kind of figure: a yes/no field holds no count, a choice
# field one answer, not how many units gave each.
_NOT_PREFILLED = frozenset({"none", "count_yes", "count_by_choice"})


@dataclass(frozen=True)
class Consolidation:
    template: Template
    period: str
    units_included: tuple[str, ...]
    units_missing: tuple[str, ...]  # owed, nothing counted (never reported, or returned)
    units_returned: tuple[str, ...]
    unit_names: Mapping[str, str]
    counted: Mapping[str, tuple[str, int]]  # unit code → (report id, revision) that counted
    totals: tuple[IndicatorTotal, ...]  # by_unit: every included unit, None where no figure
    grids: tuple[GridTotals, ...] = ()  # format 2: cell by cell
    lists: tuple[ListTotals, ...] = ()  # format 2: counts by status, overdue tasks
    cumulative_mismatches: tuple[CumulativeMismatch, ...] = ()

    def total(self, indicator_id: str) -> IndicatorTotal:
        return next(t for t in self.totals if t.id == indicator_id)

    def grid(self, grid_id: str) -> GridTotals:
        return next(g for g in self.grids if g.grid.id == grid_id)

    def task_list(self, list_id: str) -> ListTotals:
        return next(t for t in self.lists if t.task_list.id == list_id)

    def to_json(self) -> dict[str, Any]:
        indicators = self.template.indicator_map
        tables = {
            "grids": [g.to_json() for g in self.grids],
            "lists": [t.to_json() for t in self.lists],
            "cumulative_mismatches": [
                _mismatch_json(self.template, m) for m in self.cumulative_mismatches
            ],
        }
        return {
            "template_id": self.template.id,
            "template_version": self.template.version,
            "period": self.period,
            "units_included": list(self.units_included),
            "units_missing": list(self.units_missing),
            "units_returned": list(self.units_returned),
            "unit_names": dict(self.unit_names),
            "indicators": [
                _indicator_json(indicators[t.id], t, self.units_included) for t in self.totals
            ],
            **(tables if self.template.grids or self.template.lists else {}),
        }


def _mismatch_json(template: Template, mismatch: CumulativeMismatch) -> dict[str, Any]:
    column = template.grid(mismatch.grid_id).column(mismatch.column_id)
    return {
        "unit_code": mismatch.unit_code,
        "cell": f"{mismatch.grid_id}/{mismatch.row_id}/{mismatch.column_id}",
        "expected": figure_json(column, mismatch.expected),
        "found": figure_json(column, mismatch.found),
    }


def _indicator_json(
    indicator: Indicator, total: IndicatorTotal, units: Sequence[str]
) -> dict[str, Any]:
    return {
        "id": indicator.id,
        "label": indicator.label,
        "unit": indicator.unit,
        "type": indicator.type,
        "aggregation": total.aggregation,
        "value": dict(total.value)
        if isinstance(total.value, Mapping)
        else figure_json(indicator, total.value),
        "units_counted": total.units_counted,
        "by_unit": {code: figure_json(indicator, total.by_unit.get(code)) for code in units},
    }


# --- what counts -----------------------------------------------------------------------------


def consolidate(
    db: Database, templates: InstalledTemplates, template_id: str, period_code: str
) -> Consolidation:
    """Totals per indicator over the units whose newest received revision is accepted."""
    template = templates.get(template_id)
    period = period_of(template, period_code).code
    received = latest_received(db, template.id, period)
    counted = {
        code: (r.report_id, r.revision) for code, r in received.items() if r.state == "accepted"
    }
    returned = tuple(code for code, r in received.items() if r.state == "returned")
    owed = {o.unit_code: o.unit_name for o in obligations(db, templates, period, template.id)}
    names = {**owed, **_names(db, received.keys() - owed.keys())}
    columns = counted_columns(db, template, period, counted)
    # The overdue tasks of lists are judged at the cut-off (the "*" override, else the template).
    cutoff = unit_due_dates(db, template, period_of(template, period), "*").cutoff
    grids = consolidate_grids(db, template, counted)
    return Consolidation(
        template=template,
        period=period,
        units_included=tuple(sorted(counted)),
        units_missing=tuple(sorted(owed.keys() - counted.keys())),
        units_returned=tuple(sorted(returned)),
        unit_names=names,
        counted=counted,
        totals=totals_from_columns(template, columns),
        grids=grids,
        lists=consolidate_lists(db, template, counted, names, cutoff),
        cumulative_mismatches=check_cumulatives(db, template, period_of(template, period), grids),
    )


def _names(db: Database, codes: Iterable[str]) -> dict[str, str]:
    found = {}
    for code in codes:
        office = offices.get_office(db, code)
        found[code] = office.name if office else code
    return found


# The newest received revision is the report's current one (the import moves
# ``current_revision`` forward and never back); it counts only while it is accepted.
_COUNTED = """
FROM reports r
JOIN received_revisions rr ON rr.report_id = r.id AND rr.revision = r.current_revision
JOIN report_values v ON v.report_id = r.id AND v.revision = r.current_revision
WHERE r.origin = 'received' AND r.template_id = ? AND r.period = ? AND rr.state = 'accepted'
  AND v.value IS NOT NULL
"""
# One row per report, in the order the index gives (no sort): the indicator ids and the values
# joined by char(30); both aggregates step over the same rows, so they stay aligned.
_BY_REPORT = (
    "SELECT r.office_code, count(*), group_concat(v.indicator_id, char(30)), "
    "group_concat(v.value, char(30))" + _COUNTED + "GROUP BY r.office_code"
)
_ONE_REPORT = "SELECT v.indicator_id, v.value" + _COUNTED + "AND r.office_code = ?"
_SEPARATOR = "\x1e"  # char(30), the ASCII record separator


@dataclass(frozen=True)
class Columns:
    """The counted figures column by column: ``figures[indicator id][i]`` is the figure of
    ``units[i]`` (None when that unit gave none). Entered indicators only."""

    units: tuple[str, ...]
    figures: Mapping[str, Column]


def counted_columns(
    db: Database, template: Template, period: str, units: Iterable[str] = ()
) -> Columns:
    """Every counted figure, read with one query and typed column by column.

    Each report comes back as two joined strings (ids, values). The reports that carry the same
    ids (nearly all of them) are joined into one string, split once, and cut into columns by
    slicing, then typed with ``map``: no Python code runs per figure, which is what keeps
    consolidation near a plain SQL ``GROUP BY``. ``units`` without any figure get a place too.
    """
    blocks = _blocks(db, template.id, period)
    given = {unit for layout, _ in blocks for unit in layout.units}
    missing = sorted(set(units) - given)
    if missing:
        blocks.append((_Layout((), missing), []))
    entered = [i for i in template.indicators if not i.is_computed]
    order: list[str] = []
    figures: dict[str, Column] = {i.id: [] for i in entered}
    for layout, columns in blocks:
        order += layout.units
        texts = dict(zip(layout.ids, columns, strict=True))
        for indicator in entered:
            found = texts.get(indicator.id)
            typed: Column = typed_figures(indicator, found) if found else [None] * len(layout.units)
            if figures[indicator.id]:
                figures[indicator.id] += typed
            else:
                figures[indicator.id] = typed  # the usual single block: no copy
    return Columns(tuple(order), figures)


@dataclass
class _Layout:
    """Reports that carry the same indicator ids (in the same order)."""

    ids: tuple[str, ...]
    units: list[str] = field(default_factory=list)
    values: list[str] = field(default_factory=list)  # each report's values, joined

    def columns(self) -> list[list[str]] | None:
        """The texts of each id across the reports; None when a text holds the separator
        (there are then more pieces than ids × reports, since pieces can only be added)."""
        width = len(self.ids)
        if not width:
            return []
        pieces = _SEPARATOR.join(self.values).split(_SEPARATOR)
        if len(pieces) != width * len(self.units):
            return None
        return [pieces[k::width] for k in range(width)]


def _blocks(db: Database, template_id: str, period: str) -> list[tuple[_Layout, list[list[str]]]]:
    """(layout, its columns of texts) for every counted report, one query for all of them."""
    layouts: dict[str, _Layout] = {}
    odd: list[tuple[str, tuple[str, ...], list[str]]] = []
    for unit, count, ids_text, values_text in db.execute(_BY_REPORT, [template_id, period]):
        layout = layouts.get(ids_text)
        if layout is None:
            layout = layouts[ids_text] = _Layout(tuple(ids_text.split(_SEPARATOR)))
        if len(layout.ids) == count:
            layout.units.append(unit)
            layout.values.append(values_text)
        else:
            odd.append(_report_rows(db, template_id, period, unit))
    blocks = []
    for layout in layouts.values():
        columns = layout.columns()
        if columns is not None:
            blocks.append((layout, columns))
            continue
        for unit, values_text in zip(layout.units, layout.values, strict=True):
            values = values_text.split(_SEPARATOR)
            if len(values) == len(layout.ids):
                odd.append((unit, layout.ids, values))
            else:
                odd.append(_report_rows(db, template_id, period, unit))
    blocks += [(_Layout(ids, [unit]), [[value] for value in values]) for unit, ids, values in odd]
    return blocks


def _report_rows(
    db: Database, template_id: str, period: str, unit: str
) -> tuple[str, tuple[str, ...], list[str]]:
    """One report read row by row: for a text that holds the separator."""
    rows = db.execute(_ONE_REPORT, [template_id, period, unit]).fetchall()
    return unit, tuple(row[0] for row in rows), [row[1] for row in rows]


def typed_figures(indicator: Indicator, texts: Sequence[str]) -> Column:
    """The same reading as ``values.typed`` (integers as ``int``). A text the indicator's type
    cannot read (left by an older template version) is no figure of it: None."""
    for convert in _converters(indicator):
        try:
            return list(map(convert, texts))
        except (ValueError, ArithmeticError):
            continue
    return [_typed_or_none(indicator, text) for text in texts]


def _typed_or_none(indicator: Indicator, text: str) -> Figure | None:
    try:
        return _converters(indicator)[-1](text)
    except (ValueError, ArithmeticError):
        return None


def _converters(indicator: Indicator) -> tuple[Callable[[str], Figure], ...]:
    """Readers to try in turn on a whole column; the last one reads any valid figure."""
    if indicator.type == "integer":
        return int, Decimal  # "12.5" from an older decimal version is still a number
    if indicator.is_numeric:
        return (Decimal,)
    if indicator.type == "yesno":
        return ("yes".__eq__,)
    if indicator.type == "date":
        return (date.fromisoformat,)
    return (str,)


# --- the totals, column by column ------------------------------------------------------------


class ByUnit(Mapping[str, object]):
    """One indicator's figure for every included unit (None where it gave none), read from
    its column without building a dictionary per indicator."""

    def __init__(self, index: Mapping[str, int], column: Column) -> None:
        self._index = index
        self._column = column

    def __getitem__(self, unit: str) -> object:
        return self._column[self._index[unit]]

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)


def totals_from_columns(template: Template, columns: Columns) -> tuple[IndicatorTotal, ...]:
    """What ``aggregation.aggregate`` gives for the same figures (the test suite holds the two
    together). Integer figures stay ``int`` in ``by_unit`` (equal to ``aggregate``'s Decimals,
    and much faster to add); totals are Decimals as there."""
    size = len(columns.units)
    everything: dict[str, Column] = {
        i.id: columns.figures.get(i.id) or [None] * size
        for i in template.indicators
        if not i.is_computed
    }
    for indicator in template.computed_order:
        assert indicator.formula is not None
        inputs = {name: _formula_inputs(everything[name]) for name in indicator.formula.names}
        computed = evaluate_column(indicator.formula.tree, inputs, size)
        everything[indicator.id] = [v if isinstance(v, Decimal) else None for v in computed]
    index = {unit: position for position, unit in enumerate(columns.units)}
    return tuple(
        IndicatorTotal(
            indicator.id,
            indicator.aggregation,
            _combine(indicator, everything),
            ByUnit(index, everything[indicator.id]),
        )
        for indicator in template.indicators
    )


def _formula_inputs(column: Column) -> list[Value]:
    if _only_numbers(column):
        return list(map(Decimal, column))  # type: ignore[arg-type]
    return list(map(_formula_value, column))


def _formula_value(figure: Figure | None) -> Value:
    """A figure as formulas read it: numbers as Decimals, yes/no as booleans, nothing else."""
    if isinstance(figure, Decimal | bool):
        return figure
    if isinstance(figure, int):
        return Decimal(figure)
    return None


# Decimal arithmetic on two columns without gaps, booleans or zero divisors is what
# ``expressions`` does for each pair; this lane only skips its per-pair checks.
_ARITHMETIC: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
}


def _plain_arithmetic(op: str, a: Sequence[Value], b: Sequence[Value]) -> bool:
    if op not in _ARITHMETIC or set(map(type, a)) != {Decimal} or set(map(type, b)) != {Decimal}:
        return False
    return op != "/" or 0 not in b


def evaluate_column(node: Node, inputs: Mapping[str, Sequence[Value]], size: int) -> list[Value]:
    """A formula evaluated for every unit at once: the tree is walked once and each node
    applies the expression language's own operators position by position (the same results
    as ``Expression.evaluate`` per unit, without walking the tree ten thousand times)."""
    match node:
        case Number(value):
            return [value] * size
        case Name(name):
            return list(inputs.get(name) or [None] * size)
        case Unary(op, operand):
            return list(map(apply_unary, repeat(op), evaluate_column(operand, inputs, size)))
        case Binary(op, left, right):
            a, b = evaluate_column(left, inputs, size), evaluate_column(right, inputs, size)
            if _plain_arithmetic(op, a, b):
                return list(map(_ARITHMETIC[op], a, b))
            return list(map(apply_binary, repeat(op), a, b))
        case Call(function, args):
            evaluated = [evaluate_column(arg, inputs, size) for arg in args]
            return list(map(FUNCTIONS[function], map(list, zip(*evaluated, strict=True))))
    raise AssertionError(node)


def _combine(indicator: Indicator, columns: Mapping[str, Column]) -> Total:
    """``aggregation``'s rules; a column holds one type, so no figure is checked one by one."""
    rule = indicator.aggregation
    present = [figure for figure in columns[indicator.id] if figure is not None]
    if rule == "count_yes":
        return sum(value is True for value in present)
    if rule == "count_by_choice":
        return choice_counts(indicator.choices, present)
    if rule == "ratio":
        return _ratio_of_sums(indicator, columns)
    if rule == "weighted_mean":
        assert indicator.weight is not None
        return weighted_mean(zip(columns[indicator.id], columns[indicator.weight], strict=True))
    if rule == "none" or not present:
        return None
    numeric = indicator.is_numeric or indicator.is_computed
    if rule in ("min", "max"):
        if not (numeric or indicator.type == "date"):
            return None
        extreme = (min if rule == "min" else max)(present)
        return extreme if isinstance(extreme, date) else Decimal(extreme)
    if not numeric:
        return None
    total = Decimal(sum(present))  # type: ignore[arg-type]
    return total if rule == "sum" else total / len(present)


def _ratio_of_sums(indicator: Indicator, columns: Mapping[str, Column]) -> Total:
    """Numerator and denominator summed over the units that gave both, then divided."""
    assert indicator.ratio is not None
    tops, bottoms = columns[indicator.ratio.numerator], columns[indicator.ratio.denominator]
    if not (_only_numbers(tops) and _only_numbers(bottoms)):
        both = zip(tops, bottoms, strict=True)
        pairs = [(t, b) for t, b in both if _is_number(t) and _is_number(b)]
        tops, bottoms = [t for t, _ in pairs], [b for _, b in pairs]
    if not tops:
        return None
    numerator, denominator = Decimal(sum(tops)), Decimal(sum(bottoms))  # type: ignore[arg-type]
    if denominator == 0:
        return None
    return numerator / denominator * indicator.ratio.scale


_NUMBER_TYPES = frozenset({int, Decimal})


def _only_numbers(column: Column) -> bool:
    """Every unit gave a number (checked by type at C speed, not figure by figure)."""
    return set(map(type, column)) <= _NUMBER_TYPES


def _is_number(value: object) -> bool:
    return isinstance(value, Decimal) or type(value) is int  # a bool is not a figure here


# --- the consolidated report -----------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """One total behind a consolidated report's figure, kept as it was computed."""

    indicator_id: str
    original_value: str
    units_count: int
    created_at: str


def create_consolidated_report(
    db: Database,
    templates: InstalledTemplates,
    actor: str,
    template_id: str,
    period_code: str,
    *,
    result: Consolidation | None = None,
) -> str:
    """This office's own report for the template and period, prefilled with the totals.

    ``result`` may pass a consolidation just computed for the same template and period.
    Refused, creating nothing, when no unit's report counts yet or this office already has a
    report for the template and period.
    """
    if result is None or (result.template.id, result.period) != (template_id, period_code):
        result = consolidate(db, templates, template_id, period_code)
    if not result.units_included:
        raise CoreError("upper.nothing_to_consolidate", template=template_id, period=result.period)
    indicators = result.template.indicator_map
    prefill = {}
    for total in result.totals:
        value = _prefill_value(indicators[total.id], total)
        if value is not None:
            prefill[total.id] = value
    template = result.template
    period = period_of(template, result.period)
    office_code = offices.require_this_office(db).code
    cells, derived = grid_prefill(result.grids), grid_prefill(result.grids, derived=True)
    with write_transaction(db):
        report_id = create_report(db, template, period, office_code, actor)
        save_content(db, template, report_id, ContentChanges(values=prefill, grids=cells), actor)
        # Its targets and cumulative cells are the units' totals, not its own history's.
        table_records.put_cells(db, report_id, 1, derived)
        _record_sources(db, report_id, result, prefill, _merged(cells, derived))
        audit(
            db,
            actor,
            "report.consolidated",
            report_id,
            1,
            "units",
            None,
            f"{len(result.units_included)}: {', '.join(result.units_included)}",
        )
    return report_id


def _prefill_value(indicator: Indicator, total: IndicatorTotal) -> Decimal | str | None:
    """The total as the indicator can hold it; None where it cannot (a count of "yes" answers
    in a yes/no field, text, computed figures). A number stays a Decimal: as text, "171.975"
    would read back the Vietnamese way, as 171975."""
    value = total.value
    if indicator.is_computed or total.aggregation in _NOT_PREFILLED or value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, Decimal):
        return None
    return prefill_number(value, indicator.type, indicator.decimals, total.aggregation)


def _merged(*grids: Mapping[str, Mapping[str, Mapping[str, str]]]) -> dict[str, str]:
    """Prefilled cells by their field name (``grid/row/column``)."""
    return {
        cell_field(grid_id, row_id, column_id): text
        for cells in grids
        for grid_id, rows in cells.items()
        for row_id, columns in rows.items()
        for column_id, text in columns.items()
    }


def _record_sources(
    db: Database,
    report_id: str,
    result: Consolidation,
    prefill: Mapping[str, Decimal | str],
    cells: Mapping[str, str],
) -> None:
    """Each total as it was prefilled (a mean rounded as the field holds it, so an untouched
    figure reads as the total, not as an edit of it); the exact total where none was."""
    now = timestamp()
    rows = [
        {
            "report_id": report_id,
            "indicator_id": total.id,
            "original_value": _source_text(prefill.get(total.id, total.value)),
            "units_count": _units_behind(result.template.indicator(total.id), total, result),
            "created_at": now,
        }
        for total in result.totals
        if total.value is not None and not isinstance(total.value, Mapping)
    ]
    rows += _choice_count_rows(report_id, result, now)
    for totals in result.grids:
        for total in totals.cells.values():
            key = cell_field(totals.grid.id, total.row_id, total.column_id)
            text = cells.get(key) or _cell_source_text(total.value)
            if text is not None:
                rows.append(
                    {
                        "report_id": report_id,
                        "indicator_id": key,
                        "original_value": text,
                        "units_count": total.units_counted,
                        "created_at": now,
                    }
                )
    db.table("consolidation_sources").insert_all(rows)


def _choice_count_rows(report_id: str, result: Consolidation, now: str) -> list[dict[str, Any]]:
    """One row per value of each choice counted by choice (an indicator, or a grid cell by
    its field ``grid/row/column``): how many units chose it, out of the units that answered."""
    counted: list[tuple[str, Mapping[str, int], int]] = [
        (total.id, total.value, total.units_counted)
        for total in result.totals
        if isinstance(total.value, Mapping)
    ]
    counted += [
        (cell_field(totals.grid.id, cell.row_id, cell.column_id), cell.value, cell.units_counted)
        for totals in result.grids
        for cell in totals.cells.values()
        if isinstance(cell.value, dict)
    ]
    return [
        {
            "report_id": report_id,
            "indicator_id": choice_count_key(key, value),
            "original_value": str(count),
            "units_count": units,
            "created_at": now,
        }
        for key, counts, units in counted
        for value, count in counts.items()
    ]


CHOICE_COUNT = "__"  # muc_do__xanh: the units that chose "xanh", as a rule names its flag


def choice_count_key(indicator_id: str, value: str) -> str:
    return f"{indicator_id}{CHOICE_COUNT}{value}"


def choice_counts_of(
    template: Template, sources: Iterable[Source]
) -> dict[str, tuple[dict[str, int], int]]:
    """A consolidated report's counts per choice, by indicator id or cell field
    (``grid/row/column``): (value → units that chose it, units that answered), every value of
    the choice listed; empty for any other report."""
    kept = {s.indicator_id: s for s in sources}
    counted: list[tuple[str, tuple[Choice, ...]]] = [
        (i.id, i.choices) for i in template.indicators if i.aggregation == "count_by_choice"
    ]
    counted += [
        (cell_field(grid.id, row.id, column.id), column.choices)
        for grid in template.grids
        for row in grid.rows
        for column in grid.columns
        if grid.rule(row, column) == "count_by_choice"
    ]
    found: dict[str, tuple[dict[str, int], int]] = {}
    for key, choices in counted:
        entries = [e for c in choices if (e := kept.get(choice_count_key(key, c.value)))]
        if entries and len(entries) == len(choices):
            counts = {c.value: int(e.original_value) for c, e in zip(choices, entries, strict=True)}
            found[key] = (counts, entries[0].units_count)
    return found


def _cell_source_text(value: object) -> str | None:
    if isinstance(value, Decimal | date):
        return _source_text(value)
    if isinstance(value, int):
        return str(value)
    return None


def _source_text(value: Total | str) -> str:
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _units_behind(indicator: Indicator, total: IndicatorTotal, result: Consolidation) -> int:
    """Units whose figures made this total (for a ratio: those that gave both parts; for a
    weighted mean: those that gave the figure and its weight)."""
    if indicator.weight is not None:
        weights = result.total(indicator.weight).by_unit
        units = result.units_included
        return len(weighted_pairs((total.by_unit.get(u), weights.get(u)) for u in units))
    if indicator.ratio is None:
        return total.units_counted
    tops = result.total(indicator.ratio.numerator).by_unit
    bottoms = result.total(indicator.ratio.denominator).by_unit
    units = result.units_included
    return sum(_is_number(tops.get(u)) and _is_number(bottoms.get(u)) for u in units)


@dataclass(frozen=True)
class PooledRatio:
    """A consolidated rate as ``aggregate`` computed it: parts summed over the units that gave
    both, so it differs from the formula on the totals when a unit left a part out."""

    value: Decimal
    units_count: int


def pooled_ratios(
    db: Database, template: Template, report_id: str, stored: Mapping[str, str | None]
) -> dict[str, PooledRatio]:
    """The rates of a consolidated report that still stand: those whose numerator and
    denominator are as they were prefilled (an edited part makes the formula the answer)."""
    sources = {s.indicator_id: s for s in consolidation_sources(db, report_id)}
    pooled = {}
    for indicator in template.indicator_map.values():
        ratio, source = indicator.ratio, sources.get(indicator.id)
        if ratio is None or source is None or not indicator.is_computed:
            continue
        parts = (sources.get(ratio.numerator), sources.get(ratio.denominator))
        if all(
            part is not None and _same_number(part.original_value, stored.get(part.indicator_id))
            for part in parts
        ):
            pooled[indicator.id] = PooledRatio(Decimal(source.original_value), source.units_count)
    return pooled


def _same_number(original: str, stored: str | None) -> bool:
    return stored is not None and Decimal(original) == Decimal(stored)


def consolidation_sources(db: Database, report_id: str) -> list[Source]:
    """The totals a consolidated report started from (empty for any other report)."""
    rows = db.execute(
        "SELECT indicator_id, original_value, units_count, created_at "
        "FROM consolidation_sources WHERE report_id = ? ORDER BY rowid",
        [report_id],
    ).fetchall()
    return [Source(*row) for row in rows]


def section_excerpts(
    db: Database,
    templates: InstalledTemplates,
    template_id: str,
    period_code: str,
    section_id: str,
) -> list[tuple[str, str, str]]:
    """(unit code, unit name, text) of each counted unit's narrative for one section, by code,
    for the clerk to draw on when writing the consolidated report's section."""
    template = templates.get(template_id)
    period = period_of(template, period_code).code
    section_id = unicodedata.normalize("NFC", section_id)
    if section_id not in {s.id for _, s in template.walk_sections()}:
        raise CoreError("upper.unknown_section", section=section_id, template=template.id)
    received = latest_received(db, template.id, period)
    excerpts = []
    for code, found in sorted(received.items()):
        if found.state != "accepted":
            continue
        row = db.execute(
            "SELECT body FROM narratives WHERE report_id = ? AND revision = ? AND section_id = ?",
            [found.report_id, found.revision, section_id],
        ).fetchone()
        if row and row[0].strip():
            office = offices.get_office(db, code)
            excerpts.append((code, office.name if office else code, row[0]))
    return excerpts
