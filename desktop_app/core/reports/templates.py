"""Report templates: loading, checking and the in-memory model.

A template is a JSON data file (``docs/template-format.md``, schema in
``resources/schema/template.schema.json``). It is checked in three steps — strict JSON, the
schema, then meaning (unique ids, references, formulas, no computation cycles) — and a refusal
always names the file, the line and the field, because the clerk who installs it has to tell
the office that sent it what is wrong.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any

from desktop_app.core.errors import CoreError, Phrase, phrase
from desktop_app.core.model import schemas, strictjson
from desktop_app.core.model.expressions import Expression, ExpressionError, parse
from desktop_app.core.model.periods import Period
from desktop_app.core.model.strictjson import canonical_bytes
from desktop_app.core.paths import resource
from desktop_app.core.reports import template_checks
from desktop_app.core.reports.tables import (
    Choice,
    Grid,
    Ratio,
    TaskList,
    build_grids,
    build_lists,
    describe_grid,
    describe_list,
    unknown_name,
)

NUMERIC_TYPES = frozenset({"integer", "decimal", "percent"})
MAX_TEMPLATE_BYTES = 2 * 1024 * 1024
TEMPLATE_SCHEMA = "template.schema.json"
TEMPLATE_SCHEMA_V2 = "template-v2.schema.json"
# A template's group (optional field ``group``, both formats): history templates are kept for
# the reports already made on them and hidden when a new report is started.
CURRENT_GROUP = "current"
HISTORY_GROUP = "history"


class TemplateError(CoreError, ValueError):
    """A template refused: ``source``, ``line`` and ``field`` say where, ``reason`` (a phrase
    named by a ``template.reason.*`` code) why."""

    code = "template.invalid"

    def __init__(
        self,
        source: str,
        reason: Phrase,
        line: int | None = None,
        field: str = "",
    ) -> None:
        super().__init__(where=_where(source, line, field), reason=reason)
        self.source = source
        self.reason = reason
        self.line = line
        self.field = field


def _where(source: str, line: int | None, field: str) -> Phrase:
    if line and field:
        return phrase("template.where.line_field", source=source, line=line, field=field)
    if line:
        return phrase("template.where.line", source=source, line=line)
    if field:
        return phrase("template.where.field", source=source, field=field)
    return phrase("template.where", source=source)


__all__ = ["Choice", "Ratio"]  # re-exported: their home is ``tables``, shared with grids


@dataclass(frozen=True)
class Indicator:
    id: str
    label: str
    unit: str
    type: str
    aggregation: str
    table_id: str
    required: bool = False
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    decimals: int | None = None
    formula: Expression | None = None
    ratio: Ratio | None = None
    choices: tuple[Choice, ...] = ()
    help: str = ""
    weight: str | None = None  # format 2, weighted_mean: the indicator weighing each unit

    @property
    def is_computed(self) -> bool:
        return self.formula is not None

    @property
    def is_numeric(self) -> bool:
        return self.type in NUMERIC_TYPES


@dataclass(frozen=True)
class Table:
    id: str
    title: str
    indicators: tuple[Indicator, ...]
    note: str = ""


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    guidance: str
    required: bool
    narrative: bool
    tables: tuple[str, ...]
    sections: tuple[Section, ...]
    grids: tuple[str, ...] = ()
    lists: tuple[str, ...] = ()
    show_when: ShowWhen | None = None


@dataclass(frozen=True)
class Assignment:
    """Which offices owe a template (format 2): by level and block, or by code."""

    levels: tuple[str, ...] = ()
    blocks: tuple[str, ...] = ()
    units: tuple[str, ...] = ()

    def includes(self, code: str, level: str, block: str) -> bool:
        if code in self.units:
            return True
        if not (self.levels or self.blocks):
            return False  # a list of units only
        return (not self.levels or level in self.levels) and (
            not self.blocks or block in self.blocks
        )


@dataclass(frozen=True)
class ShowWhen:
    """A section shown only while an indicator holds one of ``values`` (format 2)."""

    indicator: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Rule:
    id: str
    expression: Expression
    severity: str
    message: str


@dataclass(frozen=True)
class Template:
    id: str
    version: int
    title: str
    block: str
    period_type: str
    period_label: str | None
    sections: tuple[Section, ...]
    tables: tuple[Table, ...]
    rules: tuple[Rule, ...]
    raw: Mapping[str, Any]
    content_hash: str
    format_version: int = 1
    grids: tuple[Grid, ...] = ()
    lists: tuple[TaskList, ...] = ()
    assignment: Assignment | None = None  # None: every unit owes it
    group: str = CURRENT_GROUP
    owed_periods: tuple[str, ...] = ()  # format 2: periods of the year owed ("S1"); (): all

    @property
    def is_history(self) -> bool:
        """A template of the history group: its reports still open, print and travel, but it is
        not offered for new reports by default and nobody owes it any more."""
        return self.group == HISTORY_GROUP

    def owed_by(self, code: str, level: str, block: str) -> bool:
        """Whether an office of this code, level and block owes the template."""
        if self.is_history:
            return False
        return self.assignment is None or self.assignment.includes(code, level, block)

    def owes_period(self, period: Period) -> bool:
        """Whether the template is owed for this period of the year: the six-month review is
        owed for the first half only, the second half being the yearly review's."""
        return not self.owed_periods or period.suffix in self.owed_periods

    def previous_owed(self, period: Period) -> Period | None:
        """The period before ``period`` the template is owed for, whose report its "previous"
        values come from: for a review owed for the first half only, last year's first half."""
        before = period.previous()
        while before is not None and not self.owes_period(before):
            before = before.previous()
        return before

    # Derived lookups are cached: the editor validates on every keystroke.

    @cached_property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for table in self.tables for i in table.indicators)

    def indicator(self, indicator_id: str) -> Indicator:
        return self.indicator_map[indicator_id]

    @cached_property
    def indicator_map(self) -> dict[str, Indicator]:
        return {i.id: i for i in self.indicators}

    def table(self, table_id: str) -> Table:
        return next(t for t in self.tables if t.id == table_id)

    def grid(self, grid_id: str) -> Grid:
        return next(g for g in self.grids if g.id == grid_id)

    def task_list(self, list_id: str) -> TaskList:
        return next(t for t in self.lists if t.id == list_id)

    def walk_sections(self) -> Iterator[tuple[int, Section]]:
        """Every section with its depth (1 for top level), in outline order."""
        yield from _walk(self.sections, 1)

    def section(self, section_id: str) -> Section:
        return next(s for _, s in self.walk_sections() if s.id == section_id)

    @cached_property
    def computed_order(self) -> tuple[Indicator, ...]:
        """Computed indicators ordered so that each comes after the ones its formula reads."""
        return _computation_order(self.indicators)

    @property
    def schedule(self) -> Mapping[str, Mapping[str, Any]]:
        schedule: Mapping[str, Mapping[str, Any]] = self.raw["schedule"]
        return schedule

    @property
    def document(self) -> Mapping[str, str]:
        document: Mapping[str, str] = self.raw["document"]
        return document

    @property
    def layout(self) -> Mapping[str, Any]:
        layout: Mapping[str, Any] = self.raw.get("layout", {})
        return layout

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "version": self.version,
            "title": self.title,
            "period_type": self.period_type,
            "group": self.group,
        }

    def describe(self) -> dict[str, Any]:
        """The template as shown by ``baocao templates show``."""
        return {
            **self.summary(),
            "directive": self.raw.get("directive"),
            "block": self.block,
            "period_label": self.period_label,
            "schedule": self.raw["schedule"],
            "content_hash": self.content_hash,
            "sections": [_describe_section(s) for s in self.sections],
            "tables": [{"id": t.id, "title": t.title} for t in self.tables],
            "indicators": [_describe_indicator(i) for i in self.indicators],
            "rules": [
                {"id": r.id, "expression": r.expression.source, "severity": r.severity}
                for r in self.rules
            ],
            **(self._describe_v2() if self.format_version == 2 else {}),
        }

    def _describe_v2(self) -> dict[str, Any]:
        return {
            "format_version": 2,
            "sources": list(self.raw.get("sources", [])),
            "grids": [describe_grid(g) for g in self.grids],
            "lists": [describe_list(t) for t in self.lists],
            **({"owed_periods": list(self.owed_periods)} if self.owed_periods else {}),
        }


def _walk(sections: tuple[Section, ...], depth: int) -> Iterator[tuple[int, Section]]:
    for section in sections:
        yield depth, section
        yield from _walk(section.sections, depth + 1)


def _describe_section(section: Section) -> dict[str, Any]:
    return {
        "id": section.id,
        "title": section.title,
        "required": section.required,
        "narrative": section.narrative,
        "tables": list(section.tables),
        "sections": [_describe_section(s) for s in section.sections],
    }


def _describe_indicator(indicator: Indicator) -> dict[str, Any]:
    described: dict[str, Any] = {
        "id": indicator.id,
        "label": indicator.label,
        "table": indicator.table_id,
        "type": indicator.type,
        "unit": indicator.unit,
        "required": indicator.required,
        "aggregation": indicator.aggregation,
    }
    if indicator.formula:
        described["formula"] = indicator.formula.source
    if indicator.ratio:
        described["ratio"] = {
            "numerator": indicator.ratio.numerator,
            "denominator": indicator.ratio.denominator,
            "scale": float(indicator.ratio.scale),
        }
    if indicator.choices:
        described["choices"] = [{"value": c.value, "label": c.label} for c in indicator.choices]
    if indicator.weight:
        described["weight"] = indicator.weight
    return described


# --- loading -------------------------------------------------------------------------------


def load_template_file(path: Path) -> Template:
    source = path.name
    try:
        data = path.read_bytes()
    except OSError as error:
        raise TemplateError(
            source, phrase("template.reason.unreadable", detail=error.strerror)
        ) from error
    return load_template_bytes(data, source)


def load_template_bytes(data: bytes, source: str, *, stored: bool = False) -> Template:
    """The template in ``data``, checked in full. ``stored``: read back from the store, where
    it was accepted when installed; the judgement checks added since (deadline after cut-off,
    min ≤ max, a rate agreeing with its ratio) are not applied again, so a template already
    in use never becomes unreadable."""
    if len(data) > MAX_TEMPLATE_BYTES:
        raise TemplateError(source, phrase("template.reason.too_large"))
    try:
        text = unicodedata.normalize("NFC", data.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise TemplateError(source, phrase("template.reason.not_utf8")) from error
    document = _parse_json(text, source)
    _check_schema(document, text, source)
    return _build(document, text, source, content_hash(document), judged=not stored)


def content_hash(document: Mapping[str, Any]) -> str:
    """The hash of the template's meaning, not its spelling: the same template pretty-printed
    in a file or compact inside a configuration package is one version."""
    return hashlib.sha256(canonical_bytes(document)).hexdigest()


def template_schema() -> dict[str, Any]:
    return schemas.schema(TEMPLATE_SCHEMA)


def _parse_json(text: str, source: str) -> Any:
    """The strict parser the signed files use; numbers with a fraction come back as floats,
    as the stored template and its content hash have always had them."""
    try:
        return _plain(strictjson.parse_text(text))
    except strictjson.StrictJSONError as error:
        line = None if error.position is None else _line_at(text, error.position)
        raise TemplateError(source, _json_reason(error), line=line) from error


def _json_reason(error: strictjson.StrictJSONError) -> Phrase:
    if error.kind == strictjson.SYNTAX:
        return phrase("template.reason.json_syntax", detail=error.subject)
    if error.kind == strictjson.DUPLICATE_KEY:
        return phrase("template.reason.duplicate_key", key=error.subject)
    if error.kind == strictjson.CONSTANT:
        return phrase("template.reason.json_constant", name=error.subject)
    return phrase("template.reason.json_syntax", detail=error.reason)


def _check_schema(document: Any, text: str, source: str) -> None:
    near_miss = template_checks.near_miss(document)
    if near_miss is not None:
        path, reason = near_miss
        raise TemplateError(source, reason, line=_line_of(path, text), field=_dotted(path))
    found = schemas.violation(document, _schema_name(document))
    if found is None:
        return
    key = template_checks.unknown_key(found.message)
    place = (*found.path, key) if key else found.path  # the key's own line, not the brace's
    raise TemplateError(
        source,
        template_checks.schema_reason(found.message),
        line=_line_of(place, text),
        field=found.dotted,
    )


def _schema_name(document: Any) -> str:
    version = document.get("format_version") if isinstance(document, dict) else None
    return TEMPLATE_SCHEMA_V2 if version == 2 else TEMPLATE_SCHEMA


def _dotted(path: Sequence[str | int]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


def _line_of(path: Sequence[str | int], text: str) -> int:
    return _line_at(text, strictjson.locate(text, path))


def _line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


class _Builder:
    """Turns a schema-valid document into the model, checking what a schema cannot."""

    def __init__(self, text: str, source: str) -> None:
        self.text = text
        self.source = source
        self.seen_ids: dict[str, str] = {}

    def fail(self, reason: Phrase, field: str) -> TemplateError:
        line = _line_of(schemas.parse_dotted(field), self.text)
        return TemplateError(self.source, reason, line=line, field=field)

    def claim(self, kind: str, node: Mapping[str, Any], field: str) -> str:
        identifier = str(node["id"])
        if identifier in self.seen_ids:
            raise self.fail(phrase("template.reason.duplicate_id", id=identifier), field)
        self.seen_ids[identifier] = kind
        return identifier


def _build(
    document: Mapping[str, Any], text: str, source: str, content_hash: str, *, judged: bool
) -> Template:
    builder = _Builder(text, source)
    tables = tuple(_build_table(builder, t, i) for i, t in enumerate(document["tables"]))
    grids = build_grids(builder, document.get("grids", []))
    lists = build_lists(builder, document.get("lists", []))
    indicators = {i.id: i for t in tables for i in t.indicators}
    sections = tuple(
        _build_section(builder, s, f"sections[{i}]") for i, s in enumerate(document["sections"])
    )
    rules = tuple(_build_rule(builder, r, i) for i, r in enumerate(document.get("rules", [])))
    template = Template(
        id=document["id"],
        version=document["version"],
        title=document["title"],
        block=document["block"],
        period_type=document["period_type"],
        period_label=document.get("period_label"),
        sections=sections,
        tables=tables,
        rules=rules,
        raw=document,
        content_hash=content_hash,
        format_version=document["format_version"],
        grids=grids,
        lists=lists,
        assignment=_assignment(document.get("assigned_to")),
        group=document.get("group", CURRENT_GROUP),
        owed_periods=tuple(document.get("owed_periods", ())),
    )
    _check_references(template, indicators, source)
    template_checks.check_meaning(builder, template, judged=judged)
    try:
        _computation_order(template.indicators)
    except _FormulaCycle as cycle:
        raise TemplateError(
            source, phrase("template.reason.formula_cycle", id=cycle.indicator_id)
        ) from cycle
    return template


def _build_table(builder: _Builder, node: Mapping[str, Any], index: int) -> Table:
    field = f"tables[{index}]"
    table_id = builder.claim("table", node, field)
    indicators = tuple(
        _build_indicator(builder, item, table_id, f"{field}.indicators[{n}]")
        for n, item in enumerate(node["indicators"])
    )
    return Table(table_id, node["title"], indicators, node.get("note", ""))


def _build_indicator(
    builder: _Builder, node: Mapping[str, Any], table_id: str, field: str
) -> Indicator:
    indicator_id = builder.claim("indicator", node, field)
    formula = _parse_expression(builder, node["formula"], field) if "formula" in node else None
    ratio = node.get("ratio")
    return Indicator(
        id=indicator_id,
        label=node["label"],
        unit=node.get("unit", ""),
        type=node["type"],
        aggregation=node["aggregation"],
        table_id=table_id,
        required=node.get("required", False),
        minimum=_decimal(node.get("min")),
        maximum=_decimal(node.get("max")),
        decimals=node.get("decimals"),
        formula=formula,
        ratio=Ratio(ratio["numerator"], ratio["denominator"], Decimal(str(ratio.get("scale", 1))))
        if ratio
        else None,
        choices=tuple(Choice(c["value"], c["label"]) for c in node.get("choices", [])),
        help=node.get("help", ""),
        weight=node.get("weight"),
    )


def _build_section(builder: _Builder, node: Mapping[str, Any], field: str) -> Section:
    section_id = builder.claim("section", node, field)
    children = tuple(
        _build_section(builder, child, f"{field}.sections[{n}]")
        for n, child in enumerate(node.get("sections", []))
    )
    return Section(
        id=section_id,
        title=node["title"],
        guidance=node.get("guidance", ""),
        required=node.get("required", False),
        narrative=node.get("narrative", True),
        tables=tuple(node.get("tables", [])),
        sections=children,
        grids=tuple(node.get("grids", [])),
        lists=tuple(node.get("lists", [])),
        show_when=_show_when(node.get("show_when")),
    )


def _assignment(node: Mapping[str, Any] | None) -> Assignment | None:
    if node is None:
        return None
    return Assignment(
        tuple(node.get("levels", [])), tuple(node.get("blocks", [])), tuple(node.get("units", []))
    )


def _show_when(node: Mapping[str, Any] | None) -> ShowWhen | None:
    if node is None:
        return None
    return ShowWhen(node["indicator"], tuple(node["in"]))


def _build_rule(builder: _Builder, node: Mapping[str, Any], index: int) -> Rule:
    field = f"rules[{index}]"
    rule_id = builder.claim("rule", node, field)
    expression = _parse_expression(builder, node["expression"], field)
    return Rule(rule_id, expression, node["severity"], node["message"])


def _parse_expression(builder: _Builder, source: str, field: str) -> Expression:
    try:
        return parse(source)
    except ExpressionError as error:
        raise builder.fail(
            phrase("template.reason.bad_expression", expression=source, problem=error), field
        ) from error


def _check_references(template: Template, indicators: Mapping[str, Indicator], source: str) -> None:
    def missing(name: str, where: str, known: Iterable[str] = indicators) -> TemplateError:
        return TemplateError(source, unknown_name("indicator", name, known), field=where)

    for indicator in template.indicators:
        names = set(indicator.formula.names) if indicator.formula else set()
        if indicator.ratio:
            names |= {indicator.ratio.numerator, indicator.ratio.denominator}
        for name in sorted(names - indicators.keys()):
            raise missing(name, indicator.id)
        if indicator.formula and not indicator.is_numeric:
            raise TemplateError(
                source, phrase("template.reason.formula_not_numeric"), field=indicator.id
            )
        if indicator.aggregation == "count_yes" and indicator.type != "yesno":
            raise TemplateError(
                source, phrase("template.reason.count_yes_not_yesno"), field=indicator.id
            )
    readable = rule_names(template)
    for rule in template.rules:
        for name in sorted(rule.expression.names - readable.keys()):
            raise missing(name, rule.id, readable)
    _check_expression_types(template, indicators, source)
    _check_table_placement(template, source)


def _check_expression_types(
    template: Template, indicators: Mapping[str, Indicator], source: str
) -> None:
    """Expressions compute with numbers (yes/no counts as 1/0); text, choices and dates
    have no literals to compare with, so a reference to one is a mistake in the template."""
    expressions = [(i.id, i.formula, False) for i in template.indicators if i.formula]
    expressions += [(r.id, r.expression, True) for r in template.rules]
    readable = rule_names(template)
    for owner, expression, is_rule in expressions:
        for name in sorted(expression.names):
            indicator = readable[name] if is_rule else indicators[name]
            fits = indicator.is_numeric or indicator.type == "yesno"
            # Format 2 rules also read dates (as day numbers) and choices (as flags).
            fits = fits or (is_rule and template.format_version == 2 and name != indicator.id)
            fits = fits or (is_rule and template.format_version == 2 and indicator.type == "date")
            if not fits:
                raise TemplateError(
                    source, phrase("template.reason.expression_type", name=name), field=owner
                )


CHOICE_FLAG = "__"  # danh_gia_tien_do__do: yes while the choice danh_gia_tien_do is "do"


def rule_names(template: Template) -> dict[str, Indicator]:
    """The names a rule may read, each with the indicator behind it: every indicator and, in
    format 2, one yes/no flag per choice value (``<indicator>__<value>``)."""
    names = dict(template.indicator_map)
    if template.format_version == 2:
        for indicator in template.indicators:
            for choice in indicator.choices:
                names[f"{indicator.id}{CHOICE_FLAG}{choice.value}"] = indicator
    return names


def _check_table_placement(template: Template, source: str) -> None:
    """Each table is printed under exactly one section."""
    placed: dict[str, str] = {}
    for _, section in template.walk_sections():
        for table_id in section.tables:
            if table_id not in {t.id for t in template.tables}:
                raise TemplateError(
                    source, phrase("template.reason.unknown_table", id=table_id), field=section.id
                )
            if table_id in placed:
                raise TemplateError(
                    source,
                    phrase("template.reason.table_placed_twice", id=table_id),
                    field=section.id,
                )
            placed[table_id] = section.id
    for table in template.tables:
        if table.id not in placed:
            raise TemplateError(
                source, phrase("template.reason.table_not_placed", id=table.id), field=table.id
            )


class _FormulaCycle(Exception):
    def __init__(self, indicator_id: str) -> None:
        super().__init__(indicator_id)
        self.indicator_id = indicator_id


def _computation_order(indicators: tuple[Indicator, ...]) -> tuple[Indicator, ...]:
    computed = {i.id: i for i in indicators if i.formula}
    ordered: list[Indicator] = []
    state: dict[str, str] = {}

    def visit(indicator: Indicator) -> None:
        if state.get(indicator.id) == "done":
            return
        if state.get(indicator.id) == "active":
            raise _FormulaCycle(indicator.id)
        state[indicator.id] = "active"
        assert indicator.formula is not None
        for name in sorted(indicator.formula.names):
            if name in computed:
                visit(computed[name])
        state[indicator.id] = "done"
        ordered.append(indicator)

    for indicator in computed.values():
        visit(indicator)
    return tuple(ordered)


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _plain(value: Any) -> Any:
    """Decimals as floats: the stored template is ordinary JSON data."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return float(value) if isinstance(value, Decimal) else value


def bundled_template_files() -> list[Path]:
    return sorted(resource("templates").glob("*.json"))
