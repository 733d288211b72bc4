"""Grid tables and repeating lists of a format-2 template: the model and its checks.

A **grid** (biểu có cột) has typed columns and coded rows, rows nested as "trong đó" parts of
the row above; a cell is one (row, column). A column is entered by the clerk, computed along
the row by a formula over the row's other columns, or *derived*: the period's target written
in the template (``carry: "target"``), the same cell of the previous period's report
(``"previous"``) or the sum of a column since the start of the year (``"cumulative"``). A row
may compute down the column with a formula over other rows' ids (a total row). Each column
(or one cell, through its row) names how units' cells are consolidated.

A **list** (danh sách) is a table whose rows the clerk adds: tasks, documents issued,
incidents. Its columns are typed like a grid's; ``min_rows``/``max_rows`` bound it, and the
optional ``status`` block says which choice column is the task's state and which date column
its deadline, so the upper office can count states and list overdue tasks.

Only the model and the build from a schema-valid document live here; cell values and their
validation are in ``table_values``, their storage in ``table_records``.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any, Protocol

from desktop_app.core.errors import Phrase, phrase
from desktop_app.core.model.expressions import (
    FUNCTIONS,
    Binary,
    Call,
    Expression,
    ExpressionError,
    Name,
    Node,
    Number,
    Unary,
    Value,
    apply_binary,
    apply_unary,
    parse,
)

NUMERIC_TYPES = frozenset({"integer", "decimal", "percent"})
# A list cell naming one of the report's attachments by its SHA-256 (lists only).
ATTACHMENT = "attachment"
CARRY_KINDS = ("target", "previous", "cumulative")
# Rules that combine numbers; count rules and "none" work on any type.
NUMERIC_RULES = frozenset({"sum", "mean", "min", "max", "ratio", "weighted_mean"})


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


def counts_text(choices: Sequence[Choice], counts: Mapping[str, int]) -> str:
    """Units per choice as one line, by label: "Xanh: 2; Vàng: 1; Đỏ: 0" (consolidation)."""
    labels = {choice.value: choice.label for choice in choices}
    return "; ".join(f"{labels.get(value, value)}: {count}" for value, count in counts.items())


@dataclass(frozen=True)
class Ratio:
    numerator: str
    denominator: str
    scale: Decimal


@dataclass(frozen=True)
class Column:
    """One column of a grid or a list; read by ``values`` like an indicator."""

    id: str
    label: str
    type: str
    unit: str = ""
    aggregation: str = "none"
    required: bool = False
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    decimals: int | None = None
    formula: Expression | None = None
    ratio: Ratio | None = None
    weight: str | None = None
    carry: str | None = None
    source: str | None = None
    choices: tuple[Choice, ...] = ()
    help: str = ""

    @property
    def is_computed(self) -> bool:
        """Not typed by the clerk: computed along the row, or derived from elsewhere."""
        return self.formula is not None or self.carry is not None

    @property
    def is_numeric(self) -> bool:
        return self.type in NUMERIC_TYPES


@dataclass(frozen=True)
class Row:
    id: str
    code: str
    label: str
    unit: str
    depth: int  # 1 for a top row, 2 for its "trong đó" parts, ...
    parent: str | None
    formula: Expression | None = None
    targets: Mapping[str, Decimal] = field(default_factory=dict)
    aggregation: Mapping[str, str] = field(default_factory=dict)

    def target(self, period_code: str) -> Decimal | None:
        """The target for the period: the period's own, else the year's."""
        return self.targets.get(period_code, self.targets.get(period_code[:4]))


@dataclass(frozen=True)
class Grid:
    id: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]  # in outline order, parents before their parts
    note: str = ""
    landscape: bool = False

    def column(self, column_id: str) -> Column:
        return self.column_map[column_id]

    def row(self, row_id: str) -> Row:
        return self.row_map[row_id]

    # Derived lookups are cached: the editor recomputes the grid on every edit.

    @cached_property
    def column_map(self) -> dict[str, Column]:
        return {c.id: c for c in self.columns}

    @cached_property
    def row_map(self) -> dict[str, Row]:
        return {r.id: r for r in self.rows}

    @cached_property
    def row_order(self) -> tuple[Row, ...]:
        """Rows with a formula, each after the computed rows it reads."""
        order = computation_order([(r.id, r.formula) for r in self.rows])
        return tuple(self.row_map[name] for name in order)

    @cached_property
    def column_order(self) -> tuple[Column, ...]:
        """Columns with a formula, each after the computed columns it reads."""
        order = computation_order([(c.id, c.formula) for c in self.columns])
        return tuple(self.column_map[name] for name in order)

    @cached_property
    def compiled(self) -> dict[str, Formula]:
        """Every row and column formula compiled once, by row or column id."""
        formulas = [(r.id, r.formula) for r in self.rows] + [
            (c.id, c.formula) for c in self.columns
        ]
        return {
            name: Formula(tuple(sorted(formula.names)), compile_expression(formula.tree))
            for name, formula in formulas
            if formula is not None
        }

    def parts_of(self, row_id: str) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.parent == row_id)

    def rule(self, row: Row, column: Column) -> str:
        """The aggregation of one cell: the row's override, else the column's."""
        return row.aggregation.get(column.id, column.aggregation)

    def is_entered(self, row: Row, column: Column) -> bool:
        return not column.is_computed and row.formula is None


@dataclass(frozen=True)
class TaskStatus:
    """Which columns of a list are a task's state and deadline (for counts and overdue)."""

    column: str
    done: tuple[str, ...]
    overdue: str | None = None
    deadline: str | None = None


@dataclass(frozen=True)
class TaskList:
    id: str
    title: str
    columns: tuple[Column, ...]
    min_rows: int = 0
    max_rows: int = 500
    status: TaskStatus | None = None
    note: str = ""
    landscape: bool = False

    def column(self, column_id: str) -> Column:
        return next(c for c in self.columns if c.id == column_id)


def describe_grid(grid: Grid) -> dict[str, Any]:
    """A grid as ``baocao templates show`` prints it."""
    return {
        "id": grid.id,
        "title": grid.title,
        "columns": [describe_column(c) for c in grid.columns],
        "rows": [
            {"id": r.id, "code": r.code, "label": r.label, "depth": r.depth, "parent": r.parent}
            | ({"formula": r.formula.source} if r.formula else {})
            for r in grid.rows
        ],
    }


def describe_list(task_list: TaskList) -> dict[str, Any]:
    return {
        "id": task_list.id,
        "title": task_list.title,
        "min_rows": task_list.min_rows,
        "max_rows": task_list.max_rows,
        "columns": [describe_column(c) for c in task_list.columns],
    }


def describe_column(column: Column) -> dict[str, Any]:
    described: dict[str, Any] = {
        "id": column.id,
        "label": column.label,
        "type": column.type,
        "aggregation": column.aggregation,
    }
    if column.formula:
        described["formula"] = column.formula.source
    if column.carry:
        described["carry"] = column.carry
    if column.choices:
        described["choices"] = [{"value": c.value, "label": c.label} for c in column.choices]
    return described


# --- formulas compiled for speed ----------------------------------------------------------------

Compiled = Callable[[Mapping[str, Value]], Value]


@dataclass(frozen=True)
class Formula:
    names: tuple[str, ...]
    evaluate: Compiled


def compile_expression(node: Node) -> Compiled:
    """The tree as nested closures: the same operators as ``Expression.evaluate`` applies,
    without walking the tree again (an editor recomputes a 200-row grid on each keystroke)."""
    match node:
        case Number(value):
            return lambda _values: value
        case Name(name):
            return lambda values: values.get(name)
        case Unary(op, operand):
            inner = compile_expression(operand)
            return lambda values: apply_unary(op, inner(values))
        case Binary(op, left, right):
            first, second = compile_expression(left), compile_expression(right)
            return lambda values: apply_binary(op, first(values), second(values))
        case Call(function, args):
            parts = [compile_expression(arg) for arg in args]
            call = FUNCTIONS[function]
            return lambda values: call([part(values) for part in parts])
    raise AssertionError(node)


# --- building from a schema-valid document -------------------------------------------------


class Builder(Protocol):
    """What the template loader offers: a refusal placed at a field, and id claims."""

    def fail(self, reason: Phrase, field: str) -> Exception: ...

    def claim(self, kind: str, node: Mapping[str, Any], field: str) -> str: ...


def build_grids(builder: Builder, nodes: Sequence[Mapping[str, Any]]) -> tuple[Grid, ...]:
    return tuple(_build_grid(builder, node, f"grids[{n}]") for n, node in enumerate(nodes))


def build_lists(builder: Builder, nodes: Sequence[Mapping[str, Any]]) -> tuple[TaskList, ...]:
    return tuple(_build_list(builder, node, f"lists[{n}]") for n, node in enumerate(nodes))


def _build_grid(builder: Builder, node: Mapping[str, Any], field: str) -> Grid:
    grid_id = builder.claim("grid", node, field)
    columns = _build_columns(builder, node["columns"], f"{field}.columns")
    rows = tuple(_build_rows(builder, node["rows"], f"{field}.rows", 1, None, set()))
    grid = Grid(
        id=grid_id,
        title=node["title"],
        columns=columns,
        rows=rows,
        note=node.get("note", ""),
        landscape=node.get("landscape", False),
    )
    _check_grid(builder, grid, node, field)
    return grid


def _build_list(builder: Builder, node: Mapping[str, Any], field: str) -> TaskList:
    list_id = builder.claim("list", node, field)
    columns = _build_columns(builder, node["columns"], f"{field}.columns")
    status = node.get("status")
    task_list = TaskList(
        id=list_id,
        title=node["title"],
        columns=columns,
        min_rows=node.get("min_rows", 0),
        max_rows=node.get("max_rows", 500),
        status=TaskStatus(
            status["column"],
            tuple(status["done"]),
            status.get("overdue"),
            status.get("deadline"),
        )
        if status
        else None,
        note=node.get("note", ""),
        landscape=node.get("landscape", False),
    )
    _check_list(builder, task_list, field)
    return task_list


def _build_columns(
    builder: Builder, nodes: Sequence[Mapping[str, Any]], field: str
) -> tuple[Column, ...]:
    columns: list[Column] = []
    for n, node in enumerate(nodes):
        where = f"{field}[{n}]"
        if any(c.id == node["id"] for c in columns):
            raise builder.fail(phrase("template.reason.duplicate_id", id=node["id"]), where)
        columns.append(_build_column(builder, node, where))
    return tuple(columns)


def _build_column(builder: Builder, node: Mapping[str, Any], field: str) -> Column:
    ratio = node.get("ratio")
    return Column(
        id=node["id"],
        label=node["label"],
        type=node["type"],
        unit=node.get("unit", ""),
        aggregation=node.get("aggregation", "none"),
        required=node.get("required", False),
        minimum=_decimal(node.get("min")),
        maximum=_decimal(node.get("max")),
        decimals=node.get("decimals"),
        formula=expression(builder, node["formula"], field) if "formula" in node else None,
        ratio=Ratio(ratio["numerator"], ratio["denominator"], Decimal(str(ratio.get("scale", 1))))
        if ratio
        else None,
        weight=node.get("weight"),
        carry=node.get("carry"),
        source=node.get("source"),
        choices=tuple(Choice(c["value"], c["label"]) for c in node.get("choices", [])),
        help=node.get("help", ""),
    )


def _build_rows(
    builder: Builder,
    nodes: Sequence[Mapping[str, Any]],
    field: str,
    depth: int,
    parent: str | None,
    seen: set[str],
) -> Iterator[Row]:
    for n, node in enumerate(nodes):
        where = f"{field}[{n}]"
        if node["id"] in seen:
            raise builder.fail(phrase("template.reason.duplicate_id", id=node["id"]), where)
        seen.add(node["id"])
        yield Row(
            id=node["id"],
            code=node.get("code", ""),
            label=node["label"],
            unit=node.get("unit", ""),
            depth=depth,
            parent=parent,
            formula=expression(builder, node["formula"], where) if "formula" in node else None,
            targets={k: Decimal(str(v)) for k, v in node.get("targets", {}).items()},
            aggregation=dict(node.get("aggregation", {})),
        )
        yield from _build_rows(
            builder, node.get("rows", []), f"{where}.rows", depth + 1, node["id"], seen
        )


def expression(builder: Builder, source: str, field: str) -> Expression:
    try:
        return parse(source)
    except ExpressionError as error:
        reason = phrase("template.reason.bad_expression", expression=source, problem=error)
        raise builder.fail(reason, field) from error


# --- checks a schema cannot express --------------------------------------------------------


def _check_grid(builder: Builder, grid: Grid, node: Mapping[str, Any], field: str) -> None:
    column_ids = {c.id for c in grid.columns}
    row_ids = {r.id for r in grid.rows}
    for n, column in enumerate(grid.columns):
        where = f"{field}.columns[{n}]"
        if column.type == ATTACHMENT:
            raise builder.fail(phrase("template.reason.attachment_in_grid"), where)
        _check_column(builder, column, grid.columns, where)
        if column.carry in ("previous", "cumulative") and column.source not in column_ids:
            raise builder.fail(unknown_name("column", column.source or "", column_ids), where)
    for row in grid.rows:
        where = f"{field}.rows"
        if row.formula:
            for name in sorted(row.formula.names - row_ids):
                raise builder.fail(unknown_name("row", name, row_ids), where)
        for column_id, rule in row.aggregation.items():
            if column_id not in column_ids:
                raise builder.fail(unknown_name("column", column_id, column_ids), where)
            _check_rule(builder, grid.column(column_id), rule, where)
        if row.targets and not any(c.carry == "target" for c in grid.columns):
            raise builder.fail(phrase("template.reason.targets_without_column"), where)
    _check_cycles(builder, [(r.id, r.formula) for r in grid.rows], f"{field}.rows")
    _check_cycles(builder, [(c.id, c.formula) for c in grid.columns], f"{field}.columns")


def _check_list(builder: Builder, task_list: TaskList, field: str) -> None:
    if task_list.min_rows > task_list.max_rows:
        reason = phrase(
            "template.reason.min_above_max", low=task_list.min_rows, high=task_list.max_rows
        )
        raise builder.fail(reason, field)
    for n, column in enumerate(task_list.columns):
        where = f"{field}.columns[{n}]"
        if column.carry:
            raise builder.fail(phrase("template.reason.carry_in_list"), where)
        _check_column(builder, column, task_list.columns, where)
    status = task_list.status
    if status is None:
        return
    ids = {c.id for c in task_list.columns}
    for name in (status.column, status.deadline):
        if name is not None and name not in ids:
            raise builder.fail(unknown_name("column", name, ids), f"{field}.status")
    state = task_list.column(status.column)
    if state.type != "choice":
        raise builder.fail(phrase("template.reason.status_not_choice"), f"{field}.status")
    values = {c.value for c in state.choices}
    for value in (*status.done, *([status.overdue] if status.overdue else [])):
        if value not in values:
            raise builder.fail(unknown_name("choice", value, values), f"{field}.status")
    if status.deadline is not None and task_list.column(status.deadline).type != "date":
        raise builder.fail(phrase("template.reason.deadline_not_date"), f"{field}.status")


def _check_column(builder: Builder, column: Column, siblings: Sequence[Column], field: str) -> None:
    known = {c.id: c for c in siblings}
    low, high = column.minimum, column.maximum
    if low is not None and high is not None and low > high:
        raise builder.fail(phrase("template.reason.min_above_max", low=low, high=high), field)
    if column.formula:
        for name in sorted(column.formula.names):
            if name not in known:
                raise builder.fail(unknown_name("column", name, known), field)
            if not (known[name].is_numeric or known[name].type == "yesno"):
                raise builder.fail(phrase("template.reason.expression_type", name=name), field)
    for name in (
        column.weight,
        *((column.ratio.numerator, column.ratio.denominator) if column.ratio else ()),
    ):
        if name is not None and name not in known:
            raise builder.fail(unknown_name("column", name, known), field)
    _check_rule(builder, column, column.aggregation, field)
    if column.ratio and column.formula:
        check_ratio_formula(builder, column.formula, column.ratio, field)


def _check_rule(builder: Builder, column: Column, rule: str, field: str) -> None:
    fits = {
        "count_yes": column.type == "yesno",
        "count_by_choice": column.type == "choice",
        "ratio": column.ratio is not None,
        "weighted_mean": column.weight is not None,
    }.get(
        rule,
        rule == "none"
        or (rule in NUMERIC_RULES and column.type != "percent")
        or (rule in ("min", "max") and column.type in (*NUMERIC_TYPES, "date")),
    )
    if not fits:
        reason = phrase("template.reason.rule_does_not_fit", rule=rule, type=column.type)
        raise builder.fail(reason, field)


def check_ratio_formula(builder: Builder, formula: Expression, ratio: Ratio, field: str) -> None:
    """A rate computed by a formula and consolidated as a ratio must be that ratio: the formula
    reads exactly the numerator and the denominator, and gives numerator/denominator × scale."""
    reads = set(formula.names)
    agrees = reads == {ratio.numerator, ratio.denominator}
    if agrees:
        probe = {ratio.numerator: Decimal(3), ratio.denominator: Decimal(8)}
        agrees = formula.evaluate(probe) == Decimal(3) / Decimal(8) * ratio.scale
    if not agrees:
        reason = phrase(
            "template.reason.ratio_formula_disagrees",
            formula=formula.source,
            numerator=ratio.numerator,
            denominator=ratio.denominator,
            scale=ratio.scale,
        )
        raise builder.fail(reason, field)


def unknown_name(kind: str, name: str, known: Iterable[str]) -> Phrase:
    """ "No column 'thuc_hein'" with the nearest known name when one is close enough."""
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.75)
    if close:
        return phrase(f"template.reason.unknown_{kind}_close", name=name, suggestion=close[0])
    return phrase(f"template.reason.unknown_{kind}", name=name)


def _check_cycles(
    builder: Builder, formulas: Sequence[tuple[str, Expression | None]], field: str
) -> None:
    try:
        computation_order(formulas)
    except _FormulaCycle as cycle:
        raise builder.fail(phrase("template.reason.formula_cycle", id=cycle.name), field) from cycle


class _FormulaCycle(Exception):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def computation_order(formulas: Sequence[tuple[str, Expression | None]]) -> tuple[str, ...]:
    """The names with a formula, each after the computed names its formula reads."""
    computed = {name: formula for name, formula in formulas if formula is not None}
    ordered: list[str] = []
    state: dict[str, str] = {}

    def visit(name: str) -> None:
        if state.get(name) == "done":
            return
        if state.get(name) == "active":
            raise _FormulaCycle(name)
        state[name] = "active"
        for read in sorted(computed[name].names):
            if read in computed:
                visit(read)
        state[name] = "done"
        ordered.append(name)

    for name in computed:
        visit(name)
    return tuple(ordered)


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))
