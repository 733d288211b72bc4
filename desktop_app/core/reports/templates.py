"""Report templates: loading, checking and the in-memory model.

A template is a JSON data file (``docs/template-format.md``, schema in
``resources/schema/template.schema.json``). It is checked in three steps — strict JSON, the
schema, then meaning (unique ids, references, formulas, no computation cycles) — and a refusal
always names the file, the line and the field, because the clerk who installs it has to tell
the office that sent it what is wrong.
"""

from __future__ import annotations

import hashlib
import json
import json.decoder
import json.scanner
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from desktop_app.core.model.expressions import Expression, ExpressionError, parse
from desktop_app.core.model.strictjson import canonical_bytes
from desktop_app.core.paths import resource

NUMERIC_TYPES = frozenset({"integer", "decimal", "percent"})
MAX_TEMPLATE_BYTES = 2 * 1024 * 1024


class TemplateError(ValueError):
    """A template refused; ``source``, ``line`` and ``field`` say where, ``reason`` why."""

    code = "template.invalid"

    def __init__(self, source: str, reason: str, line: int | None = None, field: str = "") -> None:
        self.source = source
        self.reason = reason
        self.line = line
        self.field = field
        where = source + (f", dòng {line}" if line else "") + (f", mục {field}" if field else "")
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class Ratio:
    numerator: str
    denominator: str
    scale: Decimal


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
    return described


# --- loading -------------------------------------------------------------------------------


def load_template_file(path: Path) -> Template:
    source = path.name
    try:
        data = path.read_bytes()
    except OSError as error:
        raise TemplateError(source, f"không đọc được tệp ({error.strerror})") from error
    return load_template_bytes(data, source)


def load_template_bytes(data: bytes, source: str) -> Template:
    if len(data) > MAX_TEMPLATE_BYTES:
        raise TemplateError(source, "tệp quá lớn cho một mẫu báo cáo")
    try:
        text = unicodedata.normalize("NFC", data.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise TemplateError(source, "tệp không phải văn bản UTF-8") from error
    document = _parse_json(text, source)
    _check_schema(document, text, source)
    return _build(document, text, source, content_hash(_plain(document)))


def content_hash(document: Mapping[str, Any]) -> str:
    """The hash of the template's meaning, not its spelling: the same template pretty-printed
    in a file or compact inside a configuration package is one version."""
    return hashlib.sha256(canonical_bytes(document)).hexdigest()


def template_schema() -> dict[str, Any]:
    return _schema()


@cache
def _schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(
        resource("schema", "template.schema.json").read_text(encoding="utf-8")
    )
    return schema


# The pure-Python scanner's object and array parsers, wrapped below to record where each JSON
# container starts so that a schema error can name its line.
_JSON_OBJECT: Callable[..., tuple[Any, int]] = getattr(json.decoder, "JSONObject")  # noqa: B009
_JSON_ARRAY: Callable[..., tuple[Any, int]] = getattr(json.decoder, "JSONArray")  # noqa: B009


class _PositionedDict(dict[str, Any]):
    start = 0


class _PositionedList(list[Any]):
    start = 0


def _parse_json(text: str, source: str) -> Any:
    def pairs_hook(pairs: list[tuple[str, Any]]) -> _PositionedDict:
        result = _PositionedDict()
        for key, value in pairs:
            if key in result:
                raise TemplateError(source, f"khóa '{key}' xuất hiện hai lần")
            result[key] = value
        return result

    def parse_object(s_and_end: tuple[str, int], *args: Any) -> tuple[Any, int]:
        obj, end = _JSON_OBJECT(s_and_end, *args)
        obj.start = s_and_end[1] - 1
        return obj, end

    def parse_array(s_and_end: tuple[str, int], scan_once: Any) -> tuple[Any, int]:
        items, end = _JSON_ARRAY(s_and_end, scan_once)
        positioned = _PositionedList(items)
        positioned.start = s_and_end[1] - 1
        return positioned, end

    def refuse_constant(name: str) -> Any:
        raise TemplateError(source, f"giá trị '{name}' không được phép trong JSON")

    decoder = json.JSONDecoder(object_pairs_hook=pairs_hook, parse_constant=refuse_constant)
    decoder.parse_object = parse_object  # type: ignore[attr-defined]
    decoder.parse_array = parse_array  # type: ignore[attr-defined]
    decoder.scan_once = json.scanner.py_make_scanner(decoder)  # type: ignore[attr-defined]
    try:
        return decoder.decode(text)
    except json.JSONDecodeError as error:
        raise TemplateError(source, f"JSON sai cú pháp: {error.msg}", line=error.lineno) from error


def _check_schema(document: Any, text: str, source: str) -> None:
    # jsonschema takes about 100 ms to import; the window must not wait for it at start-up.
    import jsonschema

    validator = jsonschema.Draft202012Validator(_schema())
    error = jsonschema.exceptions.best_match(validator.iter_errors(document))
    if error is None:
        return
    path = list(error.absolute_path)
    raise TemplateError(
        source,
        f"không đúng định dạng mẫu: {error.message}",
        line=_line_of(document, path, text),
        field=_field_name(path),
    )


def _field_name(path: list[str | int]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


def _line_of(document: Any, path: list[str | int], text: str) -> int:
    """The line of the deepest JSON container on ``path`` (or of the key inside it)."""
    node, offset = document, 0
    for step in path:
        offset = getattr(node, "start", offset)
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
    offset = getattr(node, "start", offset)
    if path and isinstance(path[-1], str) and not hasattr(node, "start"):
        found = text.find(f'"{path[-1]}"', offset)
        offset = found if found >= 0 else offset
    return text.count("\n", 0, offset) + 1


class _Builder:
    """Turns a schema-valid document into the model, checking what a schema cannot."""

    def __init__(self, text: str, source: str) -> None:
        self.text = text
        self.source = source
        self.seen_ids: dict[str, str] = {}

    def fail(self, reason: str, node: Any = None, field: str = "") -> TemplateError:
        line = None
        if node is not None and hasattr(node, "start"):
            line = self.line_of(node.start)
        return TemplateError(self.source, reason, line=line, field=field)

    def line_of(self, offset: int) -> int:
        return self.text.count("\n", 0, offset) + 1

    def claim(self, kind: str, node: Mapping[str, Any], field: str) -> str:
        identifier = str(node["id"])
        if identifier in self.seen_ids:
            raise self.fail(f"mã '{identifier}' bị trùng", node, field)
        self.seen_ids[identifier] = kind
        return identifier


def _build(document: Mapping[str, Any], text: str, source: str, content_hash: str) -> Template:
    builder = _Builder(text, source)
    tables = tuple(_build_table(builder, t, i) for i, t in enumerate(document["tables"]))
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
        raw=_plain(document),
        content_hash=content_hash,
    )
    _check_references(template, indicators, source)
    try:
        _computation_order(template.indicators)
    except ValueError as error:
        raise TemplateError(source, str(error)) from error
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
    formula = (
        _parse_expression(builder, node["formula"], node, field) if "formula" in node else None
    )
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
    )


def _build_rule(builder: _Builder, node: Mapping[str, Any], index: int) -> Rule:
    field = f"rules[{index}]"
    rule_id = builder.claim("rule", node, field)
    expression = _parse_expression(builder, node["expression"], node, field)
    return Rule(rule_id, expression, node["severity"], node["message"])


def _parse_expression(
    builder: _Builder, source: str, node: Mapping[str, Any], field: str
) -> Expression:
    try:
        return parse(source)
    except ExpressionError as error:
        raise builder.fail(f"biểu thức '{source}' không hợp lệ: {error}", node, field) from error


def _check_references(template: Template, indicators: Mapping[str, Indicator], source: str) -> None:
    def missing(name: str, where: str) -> TemplateError:
        return TemplateError(source, f"tham chiếu tới chỉ tiêu không có: '{name}'", field=where)

    for indicator in template.indicators:
        names = set(indicator.formula.names) if indicator.formula else set()
        if indicator.ratio:
            names |= {indicator.ratio.numerator, indicator.ratio.denominator}
        for name in sorted(names - indicators.keys()):
            raise missing(name, indicator.id)
        if indicator.formula and not indicator.is_numeric:
            raise TemplateError(source, "chỉ tiêu có công thức phải là số", field=indicator.id)
        if indicator.aggregation == "count_yes" and indicator.type != "yesno":
            raise TemplateError(
                source, "count_yes chỉ dùng cho chỉ tiêu có/không", field=indicator.id
            )
    for rule in template.rules:
        for name in sorted(rule.expression.names - indicators.keys()):
            raise missing(name, rule.id)
    _check_expression_types(template, indicators, source)
    _check_table_placement(template, source)


def _check_expression_types(
    template: Template, indicators: Mapping[str, Indicator], source: str
) -> None:
    """Expressions compute with numbers (yes/no counts as 1/0); text, choices and dates
    have no literals to compare with, so a reference to one is a mistake in the template."""
    expressions = [(i.id, i.formula) for i in template.indicators if i.formula]
    expressions += [(r.id, r.expression) for r in template.rules]
    for owner, expression in expressions:
        for name in sorted(expression.names):
            if not (indicators[name].is_numeric or indicators[name].type == "yesno"):
                raise TemplateError(
                    source,
                    f"biểu thức chỉ dùng được chỉ tiêu số hoặc có/không: '{name}'",
                    field=owner,
                )


def _check_table_placement(template: Template, source: str) -> None:
    """Each table is printed under exactly one section."""
    placed: dict[str, str] = {}
    for _, section in template.walk_sections():
        for table_id in section.tables:
            if table_id not in {t.id for t in template.tables}:
                raise TemplateError(source, f"không có bảng '{table_id}'", field=section.id)
            if table_id in placed:
                raise TemplateError(
                    source, f"bảng '{table_id}' được gắn vào hai mục", field=section.id
                )
            placed[table_id] = section.id
    for table in template.tables:
        if table.id not in placed:
            raise TemplateError(source, f"bảng '{table.id}' không thuộc mục nào", field=table.id)


def _computation_order(indicators: tuple[Indicator, ...]) -> tuple[Indicator, ...]:
    computed = {i.id: i for i in indicators if i.formula}
    ordered: list[Indicator] = []
    state: dict[str, str] = {}

    def visit(indicator: Indicator) -> None:
        if state.get(indicator.id) == "done":
            return
        if state.get(indicator.id) == "active":
            raise ValueError(f"công thức của '{indicator.id}' tự tham chiếu vòng tròn")
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
    """Drop the position bookkeeping so the stored template is ordinary JSON data."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def bundled_template_files() -> list[Path]:
    return sorted(resource("templates").glob("*.json"))
